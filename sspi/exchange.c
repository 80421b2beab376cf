/*
 * sspi/exchange.c - InitializeSecurityContextA/W and AcceptSecurityContext.
 *
 * Every argument is checked the way the Kerberos SSP documents it before
 * any work starts.  The AP exchange itself is context/'s (RFC 4121) and
 * the tickets come from kdc/ and creds/; until those layers are in this
 * build, a well-formed call ends in SEC_E_UNSUPPORTED_FUNCTION with a
 * reason saying so, never in a pretended success.
 */
#include <string.h>

#include "base/mem.h"
#include "sspi/ctx.h"
#include "sspi/secbuf.h"
#include "sspi/status.h"
#include "sspi/target.h"
#include "sspi/utf16.h"

/* Requests kssp does not build: user-to-user, DCE style, datagram contexts. */
#define ISC_NOT_BUILT (ISC_REQ_USE_SESSION_KEY | ISC_REQ_USE_DCE_STYLE | ISC_REQ_DATAGRAM)
#define ASC_NOT_BUILT (ASC_REQ_USE_SESSION_KEY | ASC_REQ_USE_DCE_STYLE | ASC_REQ_DATAGRAM)

struct isc_args {
	PCredHandle cred;
	PCtxtHandle ctx;
	const char *target;
	ULONG req;
	PSecBufferDesc input;
	PCtxtHandle new_ctx;
	PSecBufferDesc output;
};

/* The output descriptor must offer a SECBUFFER_TOKEN (or let the package allocate one). */
static SECURITY_STATUS check_output(PSecBufferDesc out, const char *fn)
{
	SECURITY_STATUS st;

	if (out == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: pOutput is NULL", fn);
	if ((st = kssp_secbuf_check(out, fn, "pOutput")) != SEC_E_OK)
		return st;
	if (kssp_secbuf_find(out, SECBUFFER_TOKEN) == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: pOutput has no SECBUFFER_TOKEN buffer", fn);
	return SEC_E_OK;
}

static SECURITY_STATUS check_input_token(PSecBufferDesc in, const char *fn)
{
	SECURITY_STATUS st;
	PSecBuffer tok;

	if (in == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: pInput is NULL", fn);
	if ((st = kssp_secbuf_check(in, fn, "pInput")) != SEC_E_OK)
		return st;
	tok = kssp_secbuf_find(in, SECBUFFER_TOKEN);
	if (tok == NULL || tok->cbBuffer == 0)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: pInput has no non-empty SECBUFFER_TOKEN", fn);
	return SEC_E_OK;
}

static SECURITY_STATUS not_built(const char *fn, ULONG req, ULONG not_built_mask, int initiator)
{
	if (req & not_built_mask)
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "%s: fContextReq 0x%lx asks for %s, which kssp does not build",
		    fn, (unsigned long)req,
		    (req & (initiator ? ISC_REQ_USE_SESSION_KEY : ASC_REQ_USE_SESSION_KEY)) ?
			"user-to-user (USE_SESSION_KEY)" :
		    (req & (initiator ? ISC_REQ_USE_DCE_STYLE : ASC_REQ_USE_DCE_STYLE)) ?
			"the DCE-style three-leg exchange (USE_DCE_STYLE)" : "a datagram context");
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "%s: the Kerberos AP exchange needs context/ (RFC 4121), kdc/ and creds/, which this build does not have yet",
	    fn);
}

/* The first call: a credential, a target, an output token. */
static SECURITY_STATUS isc_first(const struct isc_args *a)
{
	const char *fn = "InitializeSecurityContext";
	struct kssp_sspi_cred *cred;
	struct kssp_sspi_target target;
	SECURITY_STATUS st;
	ULONG use;

	if (kssp_cred_get(a->cred, &cred) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	use = cred->use;
	kssp_sspi_object_put(&cred->obj);
	if ((use & SECPKG_CRED_OUTBOUND) == 0)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "%s: the credential was acquired for SECPKG_CRED_INBOUND only", fn);
	if (a->new_ctx == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: phNewContext is NULL", fn);
	if (kssp_sspi_target_parse(a->target, &target) != KSSP_OK)
		return kssp_sspi_result(a->target == NULL || a->target[0] == '\0' ?
		    SEC_E_INVALID_PARAMETER : SEC_E_TARGET_UNKNOWN);
	kssp_sspi_target_free(&target);
	if (a->input != NULL && (st = kssp_secbuf_check(a->input, fn, "pInput")) != SEC_E_OK)
		return st;
	if ((st = check_output(a->output, fn)) != SEC_E_OK)
		return st;
	return not_built(fn, a->req, ISC_NOT_BUILT, 1);
}

/* A later call: the context handle and the server's token. */
static SECURITY_STATUS isc_next(const struct isc_args *a)
{
	const char *fn = "InitializeSecurityContext";
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st;

	if (kssp_sspi_ctx_get(a->ctx, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (!ctx->initiator)
		st = kssp_sspi_fail(SEC_E_INVALID_HANDLE, "%s: phContext is a server (accepted) context", fn);
	else if ((st = check_input_token(a->input, fn)) == SEC_E_OK &&
		 (st = check_output(a->output, fn)) == SEC_E_OK)
		st = not_built(fn, a->req, ISC_NOT_BUILT, 1);
	kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

static SECURITY_STATUS isc(const struct isc_args *a, ULONG reserved1, ULONG reserved2,
    ULONG *attr)
{
	if (attr == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "InitializeSecurityContext: pfContextAttr is NULL");
	*attr = 0;
	if (reserved1 != 0 || reserved2 != 0)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "InitializeSecurityContext: Reserved1 and Reserved2 must be 0 (got %lu, %lu)",
		    (unsigned long)reserved1, (unsigned long)reserved2);
	return a->ctx == NULL ? isc_first(a) : isc_next(a);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
	struct isc_args a = { phCredential, phContext, pszTargetName, fContextReq, pInput,
		phNewContext, pOutput };

	/* Kerberos tokens have one byte order; TargetDataRep is not used. */
	(void)TargetDataRep;
	(void)ptsExpiry;
	kssp_clear_failure();
	return isc(&a, Reserved1, Reserved2, pfContextAttr);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
	struct isc_args a = { phCredential, phContext, NULL, fContextReq, pInput,
		phNewContext, pOutput };
	char *target = NULL;
	SECURITY_STATUS st;
	size_t n;
	kssp_err e = KSSP_OK;

	(void)TargetDataRep;
	(void)ptsExpiry;
	kssp_clear_failure();
	if (pszTargetName != NULL) {
		e = kssp_utf16_len(pszTargetName, 1024, &n);
		if (e == KSSP_OK)
			e = kssp_utf16_to_utf8(pszTargetName, n, &target, NULL);
	}
	if (e != KSSP_OK) {
		if (pfContextAttr != NULL)
			*pfContextAttr = 0;
		return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
							   : SEC_E_TARGET_UNKNOWN);
	}
	a.target = target;
	st = isc(&a, Reserved1, Reserved2, pfContextAttr);
	kssp_free(target);
	return st;
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential,
    PCtxtHandle phContext, PSecBufferDesc pInput, ULONG fContextReq, ULONG TargetDataRep,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
    PTimeStamp ptsExpiry)
{
	const char *fn = "AcceptSecurityContext";
	struct kssp_sspi_cred *cred;
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st;
	ULONG use;

	(void)TargetDataRep;
	(void)ptsExpiry;
	kssp_clear_failure();
	if (pfContextAttr == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: pfContextAttr is NULL", fn);
	*pfContextAttr = 0;
	if (phContext != NULL) {
		if (kssp_sspi_ctx_get(phContext, &ctx) != KSSP_OK)
			return kssp_sspi_result(SEC_E_INVALID_HANDLE);
		kssp_sspi_object_lock(&ctx->obj);
		if (ctx->initiator)
			st = kssp_sspi_fail(SEC_E_INVALID_HANDLE, "%s: phContext is a client context", fn);
		else if ((st = check_input_token(pInput, fn)) == SEC_E_OK)
			st = not_built(fn, fContextReq, ASC_NOT_BUILT, 0);
		kssp_sspi_object_note(&ctx->obj, st);
		kssp_sspi_object_unlock(&ctx->obj);
		kssp_sspi_object_put(&ctx->obj);
		return st;
	}
	if (kssp_cred_get(phCredential, &cred) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	use = cred->use;
	kssp_sspi_object_put(&cred->obj);
	if ((use & SECPKG_CRED_INBOUND) == 0)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "%s: the credential was acquired for SECPKG_CRED_OUTBOUND only", fn);
	if (phNewContext == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: phNewContext is NULL", fn);
	if ((st = check_input_token(pInput, fn)) != SEC_E_OK)
		return st;
	if (pOutput != NULL && (st = kssp_secbuf_check(pOutput, fn, "pOutput")) != SEC_E_OK)
		return st;
	return not_built(fn, fContextReq, ASC_NOT_BUILT, 0);
}
