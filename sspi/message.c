/*
 * sspi/message.c - MakeSignature, VerifySignature, EncryptMessage,
 * DecryptMessage: the Windows buffer layouts over RFC 4121 MIC and Wrap
 * tokens (context/token_int.h).
 *
 * Layouts (the Kerberos SSP's, MS-KILE 3.4.5.4):
 *   EncryptMessage   SECBUFFER_TOKEN (cbSecurityTrailer bytes: the token
 *                    header, the rotated trailer rides in it) + the
 *                    SECBUFFER_DATA buffers in order, sealed in place
 *                    (+ SECBUFFER_PADDING for the RC4 padding byte).  Data
 *                    buffers flagged SECBUFFER_READONLY_WITH_CHECKSUM or
 *                    SECBUFFER_READONLY (RPC's PDU header and trailer,
 *                    MS-RPCE header signing) are signed, not encrypted:
 *                    GSS_WrapEx's sign-only buffers, MS-KILE 3.4.5.4.1.
 *   DecryptMessage   the same buffers as EncryptMessage produced, or
 *                    SECBUFFER_STREAM (the whole received token) +
 *                    SECBUFFER_DATA, which is pointed at the plaintext
 *                    inside the stream buffer.
 *   Make/VerifySignature  SECBUFFER_TOKEN (cbMaxSignature bytes) + the
 *                    SECBUFFER_DATA buffers, read-only ones included.
 * fQOP SECQOP_WRAP_NO_ENCRYPT (= KERB_WRAP_NO_ENCRYPT) signs without
 * encrypting; DecryptMessage reports it in *pfQOP.
 */
#include "sspi/ctx_int.h"
#include "sspi/secbuf_int.h"
#include "sspi/status_int.h"

/* Most data buffers signed in one call. */
#define MAX_PARTS KSSP_SECBUF_MAX

/* Runs op on the usable context h with the checked descriptor msg, mapped. */
static SECURITY_STATUS message_call(PCtxtHandle h, PSecBufferDesc msg, const char *fn,
    SECURITY_STATUS (*op)(struct kssp_sspi_ctx *ctx, const struct kssp_secbuf_map *m,
    void *arg), void *arg)
{
	struct kssp_secbuf_map m;
	struct kssp_sspi_object *obj;
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st;

	kssp_clear_failure();
	if (kssp_sspi_handle_enter(h, KSSP_HANDLE_CONTEXT, &obj) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	ctx = (struct kssp_sspi_ctx *)obj; /* obj is its first member */
	kssp_sspi_object_lock(&ctx->obj);
	if (msg == NULL)
		st = kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: pMessage is NULL", fn);
	else if ((st = kssp_secbuf_map(msg, fn, "pMessage", &m)) == SEC_E_OK &&
		 (st = kssp_sspi_ctx_usable(ctx, fn)) == SEC_E_OK)
		st = op(ctx, &m, arg);
	if (st == SEC_E_OK)
		kssp_sspi_result(SEC_E_OK);
	kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_handle_leave(&ctx->obj);
	return st;
}

static SECURITY_STATUS token_status(kssp_err e)
{
	return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_MESSAGE));
}

/* The SECBUFFER_DATA buffers (read-only ones too) as message parts. */
static size_t data_parts(const struct kssp_secbuf_map *m, struct kssp_crypto_iov *parts)
{
	size_t i;

	for (i = 0; i < m->ndata; i++) {
		parts[i].data = m->data[i]->pvBuffer;
		parts[i].len = m->data[i]->cbBuffer;
	}
	return m->ndata;
}

static SECURITY_STATUS check_qop(ULONG qop, const char *fn)
{
	if (qop != 0)
		return kssp_sspi_fail(SEC_E_QOP_NOT_SUPPORTED, "%s: fQOP 0x%lx (Kerberos signs with 0 only)",
		    fn, (unsigned long)qop);
	return SEC_E_OK;
}

static SECURITY_STATUS make_signature(struct kssp_sspi_ctx *ctx, const struct kssp_secbuf_map *m,
    void *arg)
{
	struct kssp_crypto_iov parts[MAX_PARTS];
	size_t n = data_parts(m, parts), len = 0;
	PSecBuffer tok = m->token;
	SECURITY_STATUS st = check_qop(*(ULONG *)arg, "MakeSignature");
	kssp_err e;

	if (st != SEC_E_OK)
		return st;
	if (tok == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "MakeSignature: no SECBUFFER_TOKEN buffer");
	e = kssp_token_get_mic(&ctx->ap.tokens, parts, n, tok->pvBuffer, tok->cbBuffer, &len);
	if (e != KSSP_OK)
		return token_status(e);
	tok->cbBuffer = (ULONG)len;
	return SEC_E_OK;
}

static SECURITY_STATUS verify_signature(struct kssp_sspi_ctx *ctx,
    const struct kssp_secbuf_map *m, void *arg)
{
	struct kssp_crypto_iov parts[MAX_PARTS];
	size_t n = data_parts(m, parts);
	PSecBuffer tok = m->token;
	kssp_err e;

	(void)arg;
	if (tok == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "VerifySignature: no SECBUFFER_TOKEN buffer");
	e = kssp_token_verify_mic(&ctx->ap.tokens, parts, n, tok->pvBuffer, tok->cbBuffer, NULL);
	return e == KSSP_OK ? SEC_E_OK : token_status(e);
}

/*
 * The SECBUFFER_DATA buffers a Wrap token protects, in order (MS-KILE
 * 3.4.5.4 GSS_WrapEx input_message); read-only ones are signed only (the
 * SecBuffer documentation: read-only buffers carry header information for
 * the checksum).  *last is the last one encrypted (NULL when none is).
 */
static SECURITY_STATUS wrap_segs(const struct kssp_secbuf_map *m, const char *fn,
    struct kssp_token_seg *segs, size_t *n, PSecBuffer *last)
{
	size_t i;

	*n = 0;
	*last = NULL;
	for (i = 0; i < m->ndata; i++) {
		PSecBuffer b = m->data[i];

		if (*n == KSSP_TOKEN_MAX_SEGS)
			return kssp_sspi_fail(SEC_E_INVALID_TOKEN,
			    "%s: more than %d SECBUFFER_DATA buffers", fn, KSSP_TOKEN_MAX_SEGS);
		segs[*n].data = b->pvBuffer;
		segs[*n].len = b->cbBuffer;
		segs[*n].sign_only =
		    (b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)) != 0;
		if (!segs[*n].sign_only)
			*last = b;
		(*n)++;
	}
	if (*n == 0)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: no SECBUFFER_DATA buffer", fn);
	return SEC_E_OK;
}

/* An RC4 token ends in a pad byte (RFC 4757 §7.3): it needs SECBUFFER_PADDING. */
static SECURITY_STATUS padding_not_needed(struct kssp_sspi_ctx *ctx, bool conf)
{
	struct kssp_wrap_sizes w;

	if (kssp_token_wrap_split_sizes(&ctx->ap.tokens, conf, 0, &w) != KSSP_OK || w.trailer == 0)
		return SEC_E_OK;
	return kssp_sspi_fail(SEC_E_BUFFER_TOO_SMALL,
	    "EncryptMessage: an arcfour-hmac context needs a SECBUFFER_PADDING buffer of %zu byte(s) (cbBlockSize) for its pad",
	    w.trailer);
}

static SECURITY_STATUS encrypt_message(struct kssp_sspi_ctx *ctx,
    const struct kssp_secbuf_map *m, void *arg)
{
	ULONG qop = *(ULONG *)arg;
	PSecBuffer tok = m->token, pad = m->padding;
	PSecBuffer last;
	struct kssp_token_seg segs[KSSP_TOKEN_MAX_SEGS];
	size_t hlen = 0, tlen = 0, n = 0;
	SECURITY_STATUS st;
	kssp_err e;

	if (qop != 0 && qop != SECQOP_WRAP_NO_ENCRYPT)
		return kssp_sspi_fail(SEC_E_QOP_NOT_SUPPORTED,
		    "EncryptMessage: fQOP 0x%lx (only 0 and SECQOP_WRAP_NO_ENCRYPT)", (unsigned long)qop);
	if (tok == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "EncryptMessage: no SECBUFFER_TOKEN buffer");
	if ((st = wrap_segs(m, "EncryptMessage", segs, &n, &last)) != SEC_E_OK)
		return st;
	e = kssp_token_wrap_ex(&ctx->ap.tokens, qop == 0, tok->pvBuffer, tok->cbBuffer, &hlen,
	    segs, n, pad != NULL ? pad->pvBuffer : NULL, pad != NULL ? pad->cbBuffer : 0, &tlen);
	/* A missing pad buffer is named once the token is found not to fit,
	 * not asked about for every message. */
	if (e == KSSP_ERR_BUFFER_TOO_SMALL && pad == NULL &&
	    (st = padding_not_needed(ctx, qop == 0)) != SEC_E_OK)
		return st;
	if (e != KSSP_OK)
		return token_status(e);
	tok->cbBuffer = (ULONG)hlen;
	if (pad != NULL)
		pad->cbBuffer = (ULONG)tlen;
	return SEC_E_OK;
}

static SECURITY_STATUS decrypt_stream(struct kssp_sspi_ctx *ctx,
    const struct kssp_secbuf_map *m, PULONG qop)
{
	PSecBuffer stream = m->stream, data = m->ndata ? m->data[0] : NULL;
	size_t off = 0, len = 0;
	bool conf = false;
	kssp_err e;

	if (data == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN,
		    "DecryptMessage: a SECBUFFER_STREAM needs a SECBUFFER_DATA buffer for the result");
	e = kssp_token_unwrap(&ctx->ap.tokens, stream->pvBuffer, stream->cbBuffer, &off, &len,
	    &conf, NULL);
	if (e == KSSP_ERR_TRUNCATED)
		return kssp_sspi_result(SEC_E_INCOMPLETE_MESSAGE);
	if (e != KSSP_OK)
		return token_status(e);
	data->pvBuffer = (uint8_t *)stream->pvBuffer + off;
	data->cbBuffer = (ULONG)len;
	*qop = conf ? 0 : SECQOP_WRAP_NO_ENCRYPT;
	return SEC_E_OK;
}

static SECURITY_STATUS decrypt_message(struct kssp_sspi_ctx *ctx,
    const struct kssp_secbuf_map *m, void *arg)
{
	PULONG qop = arg;
	PSecBuffer tok = m->token, pad = m->padding;
	PSecBuffer last;
	struct kssp_token_seg segs[KSSP_TOKEN_MAX_SEGS];
	size_t n = 0, strip = 0;
	bool conf = false;
	SECURITY_STATUS st;
	kssp_err e;

	if (m->stream != NULL)
		return decrypt_stream(ctx, m, qop);
	if (tok == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN,
		    "DecryptMessage: neither a SECBUFFER_TOKEN nor a SECBUFFER_STREAM buffer");
	if ((st = wrap_segs(m, "DecryptMessage", segs, &n, &last)) != SEC_E_OK)
		return st;
	e = kssp_token_unwrap_ex(&ctx->ap.tokens, tok->pvBuffer, tok->cbBuffer, segs, n,
	    pad != NULL ? pad->pvBuffer : NULL, pad != NULL ? pad->cbBuffer : 0, &strip, &conf,
	    NULL);
	if (e != KSSP_OK)
		return token_status(e);
	/* An RC4 pad at the end of the data is not the caller's data. */
	if (last != NULL)
		last->cbBuffer -= (ULONG)strip;
	*qop = conf ? 0 : SECQOP_WRAP_NO_ENCRYPT;
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
	/* The package keeps the sequence numbers (RFC 4121 §4.2.6): MessageSeqNo is unused. */
	(void)MessageSeqNo;
	return message_call(phContext, pMessage, "MakeSignature", make_signature, &fQOP);
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
    ULONG MessageSeqNo, PULONG pfQOP)
{
	(void)MessageSeqNo;
	if (pfQOP != NULL)
		*pfQOP = 0;
	return message_call(phContext, pMessage, "VerifySignature", verify_signature, NULL);
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
	(void)MessageSeqNo;
	return message_call(phContext, pMessage, "EncryptMessage", encrypt_message, &fQOP);
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
    ULONG MessageSeqNo, PULONG pfQOP)
{
	ULONG qop = 0;
	SECURITY_STATUS st;

	(void)MessageSeqNo;
	st = message_call(phContext, pMessage, "DecryptMessage", decrypt_message, &qop);
	if (pfQOP != NULL)
		*pfQOP = st == SEC_E_OK ? qop : 0;
	return st;
}
