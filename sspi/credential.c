/*
 * sspi/credential.c - the credential object: made (for a handle, or for an
 * imported context), found by handle, freed; QueryCredentialsAttributesA/W.
 */
#include "sspi/credential_int.h"

#include "base/base.h"
#include "sspi/status_int.h"

static void cred_destroy(struct kssp_sspi_object *obj)
{
	struct kssp_sspi_cred *cred = (struct kssp_sspi_cred *)obj;

	kssp_sspi_cred_unload(cred);
	kssp_brlock_destroy(&cred->held_lock);
	kssp_sspi_cred_request_free(&cred->req);
	kssp_free_secret(cred, sizeof(*cred));
}

kssp_err kssp_sspi_cred_enter(const CredHandle *h, struct kssp_sspi_cred **cred)
{
	struct kssp_sspi_object *obj;
	kssp_err e = kssp_sspi_handle_enter(h, KSSP_HANDLE_CREDENTIAL, &obj);

	*cred = (struct kssp_sspi_cred *)obj;
	return e;
}

void kssp_sspi_cred_leave(struct kssp_sspi_cred *cred)
{
	kssp_sspi_handle_leave(&cred->obj);
}

SECURITY_STATUS kssp_sspi_cred_new(const struct kssp_package *pkg, ULONG use,
    const char *principal, const void *auth_data, struct kssp_sspi_cred **out)
{
	struct kssp_sspi_cred *cred = kssp_calloc(1, sizeof(*cred));
	kssp_err e;

	*out = NULL;
	if (cred == NULL)
		return kssp_sspi_fail(SEC_E_INSUFFICIENT_MEMORY, "AcquireCredentialsHandle: out of memory");
	e = kssp_sspi_cred_parse(principal, auth_data, &cred->req);
	if (e != KSSP_OK) {
		kssp_free(cred);
		return kssp_sspi_result_of(e, SEC_E_UNKNOWN_CREDENTIALS);
	}
	cred->pkg = pkg;
	cred->use = use & SECPKG_CRED_BOTH;
	kssp_sspi_cred_bind_hooks(&cred->hooks, &cred->req.user);
	if (kssp_brlock_init(&cred->held_lock) != KSSP_OK) {
		kssp_sspi_cred_request_free(&cred->req);
		kssp_free(cred);
		return kssp_sspi_fail(SEC_E_INSUFFICIENT_MEMORY, "AcquireCredentialsHandle: cannot create a lock");
	}
	if (kssp_sspi_object_init(&cred->obj, KSSP_HANDLE_CREDENTIAL, cred_destroy) != KSSP_OK) {
		kssp_brlock_destroy(&cred->held_lock);
		kssp_sspi_cred_request_free(&cred->req);
		kssp_free(cred);
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	}
	*out = cred;
	return SEC_E_OK;
}

/* The credential's principal name, as UTF-8 or UTF-16 per wide. */
static SECURITY_STATUS names_attr(struct kssp_sspi_cred *cred, void *buffer, int wide)
{
	/* NamesA and W share the layout: the one pointer. */
	void **out = (void **)&((PSecPkgCredentials_NamesA)buffer)->sUserName;
	char *found = NULL;
	SECURITY_STATUS st = SEC_E_OK;

	if (cred->req.principal == NULL &&
	    (st = kssp_sspi_cred_default_name(cred, &found)) != SEC_E_OK)
		return st;
	st = kssp_sspi_buffer_string(found != NULL ? found : cred->req.principal, wide, out);
	kssp_free(found);
	return st;
}

static SECURITY_STATUS query_credentials(PCredHandle h, ULONG attr, void *buffer, int wide)
{
	struct kssp_sspi_cred *cred;
	SECURITY_STATUS st;

	kssp_clear_failure();
	if (kssp_sspi_cred_enter(h, &cred) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&cred->obj);
	if (buffer == NULL)
		st = kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "QueryCredentialsAttributes: pBuffer is NULL");
	else if (attr == SECPKG_CRED_ATTR_NAMES)
		st = names_attr(cred, buffer, wide);
	else if (attr == SECPKG_ATTR_KSSP_LAST_ERROR)
		st = kssp_sspi_object_last_error(&cred->obj, buffer);
	else
		st = kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryCredentialsAttributes: attribute %lu is not one the Kerberos package has",
		    (unsigned long)attr);
	if (st == SEC_E_OK)
		kssp_sspi_result(SEC_E_OK);
	/* Asking for the last error must not overwrite it. */
	if (attr != SECPKG_ATTR_KSSP_LAST_ERROR)
		kssp_sspi_object_note(&cred->obj, st);
	kssp_sspi_object_unlock(&cred->obj);
	kssp_sspi_cred_leave(cred);
	return st;
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
    ULONG ulAttribute, void *pBuffer)
{
	return query_credentials(phCredential, ulAttribute, pBuffer, 0);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
    ULONG ulAttribute, void *pBuffer)
{
	return query_credentials(phCredential, ulAttribute, pBuffer, 1);
}
