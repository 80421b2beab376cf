/*
 * sspi/message.c - MakeSignature, VerifySignature, EncryptMessage,
 * DecryptMessage: the Windows buffer layouts over RFC 4121 MIC and Wrap
 * tokens.
 *
 * The descriptor and the context are checked first; the tokens are
 * context/'s, and until that layer is in this build a well-formed call on
 * a live context ends in SEC_E_UNSUPPORTED_FUNCTION with a reason.
 */
#include "sspi/ctx.h"
#include "sspi/secbuf.h"
#include "sspi/status.h"

static SECURITY_STATUS message_call(PCtxtHandle h, PSecBufferDesc msg, const char *fn)
{
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st;

	kssp_clear_failure();
	if (kssp_sspi_ctx_get(h, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (msg == NULL)
		st = kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: pMessage is NULL", fn);
	else if ((st = kssp_secbuf_check(msg, fn, "pMessage")) == SEC_E_OK)
		st = kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "%s: RFC 4121 %s tokens are built by context/, which this build does not have yet",
		    fn, fn[0] == 'M' || fn[0] == 'V' ? "MIC" : "Wrap");
	kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
	(void)fQOP;
	(void)MessageSeqNo;
	return message_call(phContext, pMessage, "MakeSignature");
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
    ULONG MessageSeqNo, PULONG pfQOP)
{
	(void)MessageSeqNo;
	if (pfQOP != NULL)
		*pfQOP = 0;
	return message_call(phContext, pMessage, "VerifySignature");
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
	(void)fQOP;
	(void)MessageSeqNo;
	return message_call(phContext, pMessage, "EncryptMessage");
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
    ULONG MessageSeqNo, PULONG pfQOP)
{
	(void)MessageSeqNo;
	if (pfQOP != NULL)
		*pfQOP = 0;
	return message_call(phContext, pMessage, "DecryptMessage");
}
