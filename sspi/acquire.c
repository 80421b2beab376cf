/*
 * sspi/acquire.c - AcquireCredentialsHandleA/W and FreeCredentialsHandle:
 * the arguments checked, a credential made (sspi/credential_int.h) and, for
 * KSSP_AUTH_DATA.DelegateFrom, given the TGT an accepted context received.
 */
#include <string.h>

#include "base/base.h"
#include "sspi/credential_int.h"
#include "sspi/ctx_int.h"
#include "sspi/status_int.h"
#include "sspi/utf16_int.h"

/* Longest pszPrincipal / pszPackage taken from a W call, in units. */
#define NAME_MAX_UNITS 4096

/* "Never", the largest TimeStamp: what kssp reports before tickets are read. */
static void set_never(PTimeStamp ts)
{
	if (ts != NULL) {
		ts->LowPart = 0xFFFFFFFFu;
		ts->HighPart = 0x7FFFFFFF;
	}
}

static SECURITY_STATUS check_use(ULONG use)
{
	const ULONG known = SECPKG_CRED_BOTH | SECPKG_CRED_AUTOLOGON_RESTRICTED |
	    SECPKG_CRED_PROCESS_POLICY_ONLY;

	if ((use & SECPKG_CRED_BOTH) == 0 || (use & ~known) != 0)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "AcquireCredentialsHandle: fCredentialUse 0x%lx must be SECPKG_CRED_INBOUND, _OUTBOUND or _BOTH",
		    (unsigned long)use);
	return SEC_E_OK;
}

/* Linux has no logon sessions: only "the caller's own" (NULL or a zero LUID) exists. */
static SECURITY_STATUS check_logon_id(const LUID *id)
{
	if (id != NULL && (id->LowPart != 0 || id->HighPart != 0))
		return kssp_sspi_fail(SEC_E_NOT_OWNER,
		    "AcquireCredentialsHandle: pvLogonID names another logon session; Linux has none to switch to");
	return SEC_E_OK;
}

/*
 * Without a forwarded TGT: the ticket the accepted context kept
 * (ASC_REQ_DELEGATE) becomes the evidence of S4U2Proxy, asked for with
 * the service's own TGT, from its keytab (MS-SFU §3.1.5.2: Kerberos-only
 * constrained delegation).  The service logs on as the principal this
 * credential names, else as the ticket's service.
 */
static SECURITY_STATUS take_evidence(struct kssp_sspi_cred *cred, const struct kssp_ctx *ap)
{
	if (ap->evidence == NULL)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "AcquireCredentialsHandle: the client delegated no TGT and the accepted context kept no ticket to act for it with (AcceptSecurityContext with ASC_REQ_DELEGATE keeps it)");
	if (kssp_cred_copy(ap->evidence, &cred->evidence) != KSSP_OK ||
	    (cred->req.principal == NULL &&
		kssp_principal_unparse(ap->evidence->server, 0, &cred->req.principal) != KSSP_OK))
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	return SEC_E_OK;
}

/*
 * An outbound credential for the client of an accepted context: the TGT
 * the client forwarded (ISC_REQ_DELEGATE, RFC 4121 §4.1.1 Deleg field)
 * becomes this credential's, so InitializeSecurityContext to a second
 * service goes to the KDC as the client; else the ticket it kept.
 */
static SECURITY_STATUS take_delegation(struct kssp_sspi_cred *cred, ULONG use)
{
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st = SEC_E_OK;
	char *name = NULL;

	if ((use & SECPKG_CRED_BOTH) != SECPKG_CRED_OUTBOUND)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "AcquireCredentialsHandle: a credential from KSSP_AUTH_DATA.DelegateFrom is SECPKG_CRED_OUTBOUND only");
	if (kssp_sspi_ctx_get(&cred->req.delegate_from, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (ctx->initiator || !ctx->established)
		st = kssp_sspi_fail(SEC_E_INVALID_HANDLE,
		    "AcquireCredentialsHandle: DelegateFrom must be an established server (accepted) context");
	else if (ctx->ap.delegated == NULL)
		st = take_evidence(cred, &ctx->ap);
	else if (kssp_credset_put(&cred->held.tickets, ctx->ap.delegated) != KSSP_OK ||
		 kssp_principal_unparse(ctx->ap.delegated->client, 0, &name) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	if (st != SEC_E_OK || name == NULL) {
		kssp_free(name);
		return st;
	}
	kssp_free(cred->req.principal);
	cred->req.principal = name;
	cred->delegated = true;
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal,
    SEC_CHAR *pszPackage, ULONG fCredentialUse, PLUID pvLogonID, PVOID pAuthData,
    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry)
{
	const struct kssp_package *pkg;
	struct kssp_sspi_cred *cred;
	SECURITY_STATUS st;
	kssp_err e;

	/* The Kerberos package never calls the key function (as on Windows). */
	(void)pGetKeyFn;
	(void)pvGetKeyArgument;
	kssp_clear_failure();
	if (pszPackage == NULL || phCredential == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "AcquireCredentialsHandle: pszPackage and phCredential are required");
	if ((st = check_use(fCredentialUse)) != SEC_E_OK ||
	    (st = check_logon_id(pvLogonID)) != SEC_E_OK)
		return st;
	if (kssp_package_find(pszPackage, &pkg) != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	if ((st = kssp_sspi_cred_new(pkg, fCredentialUse, pszPrincipal, pAuthData, &cred)) !=
	    SEC_E_OK)
		return st;
	if (cred->req.delegate && (st = take_delegation(cred, fCredentialUse)) != SEC_E_OK) {
		kssp_sspi_object_put(&cred->obj);
		return st;
	}
	e = kssp_sspi_handle_register(&cred->obj, phCredential);
	kssp_sspi_object_put(&cred->obj); /* the registry holds it now, or nobody */
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	set_never(ptsExpiry);
	return kssp_sspi_result(SEC_E_OK);
}

/* The A form with the names in UTF-8. */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal,
    SEC_WCHAR *pszPackage, ULONG fCredentialUse, PLUID pvLogonID, PVOID pAuthData,
    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry)
{
	char *principal = NULL, *package = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	kssp_clear_failure();
	if (pszPackage == NULL || phCredential == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "AcquireCredentialsHandle: pszPackage and phCredential are required");
	e = kssp_utf16_narrow(pszPrincipal, NAME_MAX_UNITS, &principal, NULL);
	if (e == KSSP_OK)
		e = kssp_utf16_narrow(pszPackage, NAME_MAX_UNITS, &package, NULL);
	if ((st = kssp_sspi_result_of(e, SEC_E_INVALID_PARAMETER)) == SEC_E_OK)
		st = AcquireCredentialsHandleA(principal, package, fCredentialUse, pvLogonID,
		    pAuthData, pGetKeyFn, pvGetKeyArgument, phCredential, ptsExpiry);
	kssp_free(principal);
	kssp_free(package);
	return st;
}

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
	kssp_clear_failure();
	if (kssp_sspi_handle_free(phCredential, KSSP_HANDLE_CREDENTIAL) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	return kssp_sspi_result(SEC_E_OK);
}

