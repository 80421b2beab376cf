/*
 * sspi/ctx.c - context objects, and the context calls that need no
 * exchange: DeleteSecurityContext, CompleteAuthToken, ApplyControlToken,
 * QueryContextAttributesA/W, SetContextAttributesA/W,
 * ImpersonateSecurityContext, RevertSecurityContext,
 * ExportSecurityContext, ImportSecurityContextA/W.
 */
#include "sspi/ctx.h"

#include <string.h>

#include "base/mem.h"
#include "sspi/status.h"
#include "sspi/utf16.h"

static void ctx_destroy(struct kssp_sspi_object *obj)
{
	struct kssp_sspi_ctx *ctx = (struct kssp_sspi_ctx *)obj;

	kssp_sspi_object_put(&ctx->cred->obj);
	kssp_free_secret(ctx, sizeof(*ctx));
}

kssp_err kssp_sspi_ctx_new(struct kssp_sspi_cred *cred, int initiator, CtxtHandle *out)
{
	struct kssp_sspi_ctx *ctx = kssp_calloc(1, sizeof(*ctx));
	kssp_err e;

	if (ctx == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "security context: out of memory");
	ctx->pkg = cred->pkg;
	ctx->cred = cred;
	ctx->initiator = initiator;
	e = kssp_sspi_object_init(&ctx->obj, KSSP_HANDLE_CONTEXT, ctx_destroy);
	if (e != KSSP_OK) {
		kssp_free(ctx);
		return e;
	}
	kssp_sspi_object_get(&cred->obj);
	e = kssp_sspi_handle_register(&ctx->obj, out);
	kssp_sspi_object_put(&ctx->obj);
	return e;
}

kssp_err kssp_sspi_ctx_get(const CtxtHandle *h, struct kssp_sspi_ctx **ctx)
{
	struct kssp_sspi_object *obj;
	kssp_err e = kssp_sspi_handle_get(h, KSSP_HANDLE_CONTEXT, &obj);

	*ctx = (struct kssp_sspi_ctx *)obj;
	return e;
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
	kssp_clear_failure();
	if (kssp_sspi_handle_free(phContext, KSSP_HANDLE_CONTEXT) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	return kssp_sspi_result(SEC_E_OK);
}

/*
 * Runs check on the live context h under its lock, noting a failure on it.
 * A call whose only work is to validate the handle passes check NULL.
 */
static SECURITY_STATUS with_context(PCtxtHandle h,
    SECURITY_STATUS (*check)(struct kssp_sspi_ctx *ctx, void *arg), void *arg)
{
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st = SEC_E_OK;

	kssp_clear_failure();
	if (kssp_sspi_ctx_get(h, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (check != NULL)
		st = check(ctx, arg);
	if (st >= 0)
		kssp_sspi_result(st);
	kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

/* Kerberos never returns SEC_I_COMPLETE_NEEDED, so there is never work to complete. */
SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
	(void)pToken;
	return with_context(phContext, NULL, NULL);
}

static SECURITY_STATUS refuse_control_token(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "ApplyControlToken: the Kerberos package accepts no control tokens (as on Windows)");
}

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
	(void)pInput;
	return with_context(phContext, refuse_control_token, NULL);
}

static SECURITY_STATUS refuse_impersonation(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)arg;
	if (ctx->initiator)
		return kssp_sspi_fail(SEC_E_NO_IMPERSONATION,
		    "ImpersonateSecurityContext: only a server (accepted) context has a client to impersonate");
	return kssp_sspi_fail(SEC_E_NO_IMPERSONATION,
	    "ImpersonateSecurityContext: Linux has no access token for a Kerberos client; the server keeps its own identity");
}

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
	return with_context(phContext, refuse_impersonation, NULL);
}

/* No impersonation ever starts on Linux, so the thread already runs as itself. */
SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
	return with_context(phContext, NULL, NULL);
}

static SECURITY_STATUS refuse_set(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)ctx;
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "SetContextAttributes: attribute %lu cannot be set on a Kerberos context on Linux",
	    (unsigned long)*(ULONG *)arg);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer, ULONG cbBuffer)
{
	(void)pBuffer;
	(void)cbBuffer;
	return with_context(phContext, refuse_set, &ulAttribute);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer, ULONG cbBuffer)
{
	(void)pBuffer;
	(void)cbBuffer;
	return with_context(phContext, refuse_set, &ulAttribute);
}

/* ---- QueryContextAttributes ---- */

struct query {
	ULONG attribute;
	void *buffer;
	int wide;
};

static SECURITY_STATUS package_attr(const struct kssp_package *pkg, int wide, void *out)
{
	kssp_err e;

	if (wide)
		e = kssp_package_info_w(pkg, (PSecPkgInfoW *)out);
	else
		e = kssp_package_info_a(pkg, (PSecPkgInfoA *)out);
	return e == KSSP_OK ? SEC_E_OK : kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
}

static SECURITY_STATUS negotiation_attr(struct kssp_sspi_ctx *ctx, const struct query *q)
{
	/* NegotiationInfoA and W share the layout: a pointer, then the state. */
	SecPkgContext_NegotiationInfoA *n = q->buffer;

	if (ctx->pkg->id != KSSP_PACKAGE_NEGOTIATE)
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryContextAttributes(NEGOTIATION_INFO): only a Negotiate context has one");
	n->NegotiationState = ctx->established ? SECPKG_NEGOTIATION_COMPLETE
					       : SECPKG_NEGOTIATION_IN_PROGRESS;
	return package_attr(kssp_package_by_id(KSSP_PACKAGE_KERBEROS), q->wide, &n->PackageInfo);
}

static SECURITY_STATUS last_error_attr(struct kssp_sspi_ctx *ctx, PKSSP_LAST_ERROR out)
{
	size_t n = strlen(ctx->obj.last_reason);
	char *copy = kssp_sspi_buffer_alloc(n + 1);

	if (copy == NULL)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	memcpy(copy, ctx->obj.last_reason, n + 1);
	out->Status = ctx->obj.last_status;
	out->Reason = copy;
	return SEC_E_OK;
}

static SECURITY_STATUS query_attr(struct kssp_sspi_ctx *ctx, void *arg)
{
	const struct query *q = arg;

	if (q->buffer == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "QueryContextAttributes: pBuffer is NULL");
	switch (q->attribute) {
	case SECPKG_ATTR_PACKAGE_INFO:
		return package_attr(ctx->pkg, q->wide,
		    &((SecPkgContext_PackageInfoA *)q->buffer)->PackageInfo);
	case SECPKG_ATTR_NEGOTIATION_INFO:
		return negotiation_attr(ctx, q);
	case SECPKG_ATTR_FLAGS:
		((SecPkgContext_Flags *)q->buffer)->Flags = ctx->flags;
		return SEC_E_OK;
	case SECPKG_ATTR_KSSP_LAST_ERROR:
		return last_error_attr(ctx, q->buffer);
	case SECPKG_ATTR_SIZES:
	case SECPKG_ATTR_NAMES:
	case SECPKG_ATTR_NATIVE_NAMES:
	case SECPKG_ATTR_LIFESPAN:
	case SECPKG_ATTR_SESSION_KEY:
	case SECPKG_ATTR_KEY_INFO:
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryContextAttributes: attribute %lu comes from the RFC 4121 context state, which this build does not have yet (context/)",
		    (unsigned long)q->attribute);
	default:
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryContextAttributes: attribute %lu is not one the %s package has",
		    (unsigned long)q->attribute, ctx->pkg->name);
	}
}

static SECURITY_STATUS query_context(PCtxtHandle h, ULONG attribute, void *buffer, int wide)
{
	struct query q = { attribute, buffer, wide };
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st;

	if (attribute != SECPKG_ATTR_KSSP_LAST_ERROR)
		return with_context(h, query_attr, &q);
	/* Reading the last error must not replace it with this call's result. */
	kssp_clear_failure();
	if (kssp_sspi_ctx_get(h, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	st = query_attr(ctx, &q);
	if (st >= 0)
		kssp_sspi_result(st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer)
{
	return query_context(phContext, ulAttribute, pBuffer, 0);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer)
{
	return query_context(phContext, ulAttribute, pBuffer, 1);
}

/* ---- export / import ---- */

static SECURITY_STATUS refuse_export(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "ExportSecurityContext: serialising the RFC 4121 context state needs context/, which this build does not have yet");
}

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags,
    PSecBuffer pPackedContext, void **pToken)
{
	(void)fFlags;
	if (pToken != NULL)
		*pToken = NULL;
	if (pPackedContext != NULL) {
		pPackedContext->cbBuffer = 0;
		pPackedContext->pvBuffer = NULL;
	}
	return with_context(phContext, refuse_export, NULL);
}

static SECURITY_STATUS import_context(const char *package, PSecBuffer packed, PCtxtHandle out)
{
	const struct kssp_package *pkg;

	if (packed == NULL || out == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "ImportSecurityContext: pPackedContext and phContext are required");
	if (kssp_package_find(package, &pkg) != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "ImportSecurityContext: restoring RFC 4121 context state needs context/, which this build does not have yet");
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext)
{
	(void)Token;
	kssp_clear_failure();
	if (pszPackage == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ImportSecurityContext: pszPackage is NULL");
	return import_context(pszPackage, pPackedContext, phContext);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext)
{
	char *package = NULL;
	SECURITY_STATUS st;
	size_t n;
	kssp_err e;

	(void)Token;
	kssp_clear_failure();
	if (pszPackage == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ImportSecurityContext: pszPackage is NULL");
	e = kssp_utf16_len(pszPackage, 256, &n);
	if (e == KSSP_OK)
		e = kssp_utf16_to_utf8(pszPackage, n, &package, NULL);
	if (e != KSSP_OK)
		return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
							   : SEC_E_SECPKG_NOT_FOUND);
	st = import_context(package, pPackedContext, phContext);
	kssp_free(package);
	return st;
}
