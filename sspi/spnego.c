/* sspi/spnego.c - SPNEGO (RFC 4178) around krb5 for the Negotiate package. */
#include "sspi/spnego_int.h"

#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"

/* Windows' order: the Microsoft krb5 OID first (MS-SPNG 3.1.5.1). */
static const struct kssp_der_bytes *const offered[] = { &kssp_gss_mskrb5_oid, &kssp_gss_krb5_oid };

static kssp_err detach(struct kssp_writer *w, uint8_t **out, size_t *out_len)
{
	kssp_err e = kssp_writer_detach(w, out, out_len);

	if (e != KSSP_OK)
		return kssp_fail(e, "SPNEGO: cannot encode the token");
	return KSSP_OK;
}

kssp_err kssp_spnego_initiator_mech_list(uint8_t **out, size_t *out_len)
{
	struct kssp_writer w;
	size_t seq, i;

	kssp_writer_init_growable(&w, 0);
	seq = kssp_der_begin(&w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	for (i = 0; i < sizeof(offered) / sizeof(offered[0]); i++)
		kssp_der_put_oid(&w, offered[i]);
	kssp_der_end(&w, seq);
	return detach(&w, out, out_len);
}

kssp_err kssp_spnego_wrap_init(const uint8_t *krb5_token, size_t len, uint8_t **out,
    size_t *out_len)
{
	struct kssp_der_bytes mechs[2] = { kssp_gss_mskrb5_oid, kssp_gss_krb5_oid };
	struct kssp_spnego_init init;
	struct kssp_writer w;

	memset(&init, 0, sizeof(init));
	init.mech_types = mechs;
	init.mech_types_len = 2;
	init.mech_token.data = krb5_token;
	init.mech_token.len = len;
	kssp_writer_init_growable(&w, 0);
	kssp_spnego_encode_init(&init, true, &w);
	return detach(&w, out, out_len);
}

kssp_err kssp_spnego_wrap_resp(bool reject, const uint8_t *mech, size_t mech_len,
    const uint8_t *response, size_t response_len, const uint8_t *mic, size_t mic_len,
    uint8_t **out, size_t *out_len)
{
	struct kssp_spnego_resp resp;
	struct kssp_writer w;

	memset(&resp, 0, sizeof(resp));
	resp.has_neg_state = true;
	resp.neg_state = reject ? KSSP_SPNEGO_REJECT : KSSP_SPNEGO_ACCEPT_COMPLETED;
	resp.supported_mech.data = mech;
	resp.supported_mech.len = mech_len;
	resp.response_token.data = response;
	resp.response_token.len = response != NULL ? response_len : 0;
	resp.mech_list_mic.data = mic;
	resp.mech_list_mic.len = mic != NULL ? mic_len : 0;
	kssp_writer_init_growable(&w, 0);
	kssp_spnego_encode_resp(&resp, &w);
	return detach(&w, out, out_len);
}

kssp_err kssp_spnego_wrap_mic(const uint8_t *mic, size_t mic_len, uint8_t **out, size_t *out_len)
{
	struct kssp_spnego_resp resp;
	struct kssp_writer w;

	memset(&resp, 0, sizeof(resp));
	resp.mech_list_mic.data = mic;
	resp.mech_list_mic.len = mic_len;
	kssp_writer_init_growable(&w, 0);
	kssp_spnego_encode_resp(&resp, &w);
	return detach(&w, out, out_len);
}

static bool is_krb5(const struct kssp_der_bytes *oid)
{
	return kssp_gss_oid_equal(oid, &kssp_gss_krb5_oid) ||
	    kssp_gss_oid_equal(oid, &kssp_gss_mskrb5_oid);
}

kssp_err kssp_spnego_read_init(const uint8_t *buf, size_t len, struct kssp_spnego_offer *o)
{
	struct kssp_spnego_token tok;
	struct kssp_arena arena;
	struct kssp_writer w;
	kssp_err e;
	size_t i, seq;

	memset(o, 0, sizeof(*o));
	kssp_arena_init(&arena);
	e = kssp_spnego_decode(buf, len, &arena, &tok);
	if (e == KSSP_OK && tok.kind != KSSP_SPNEGO_INIT)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "SPNEGO: the first token is not a NegTokenInit");
	if (e == KSSP_OK && (tok.init.mech_types_len == 0 || !is_krb5(&tok.init.mech_types[0])))
		e = kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "SPNEGO: the initiator's first mechanism is not Kerberos (kssp's Negotiate offers Kerberos only)");
	if (e == KSSP_OK && tok.init.mech_token.data == NULL)
		e = kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "SPNEGO: NegTokenInit carries no optimistic Kerberos token");
	if (e == KSSP_OK && tok.init.mech_types[0].len > sizeof(o->mech))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "SPNEGO: mechanism OID too long");
	if (e == KSSP_OK) {
		memcpy(o->mech, tok.init.mech_types[0].data, tok.init.mech_types[0].len);
		o->mech_len = tok.init.mech_types[0].len;
		o->token = tok.init.mech_token.data;
		o->token_len = tok.init.mech_token.len;
		/* Strict DER: re-encoding gives the bytes the initiator's MIC covers. */
		kssp_writer_init_growable(&w, 0);
		seq = kssp_der_begin(&w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
		for (i = 0; i < tok.init.mech_types_len; i++)
			kssp_der_put_oid(&w, &tok.init.mech_types[i]);
		kssp_der_end(&w, seq);
		e = detach(&w, &o->mech_list, &o->mech_list_len);
	}
	kssp_arena_free(&arena);
	return e;
}

void kssp_spnego_offer_free(struct kssp_spnego_offer *o)
{
	kssp_free(o->mech_list);
	memset(o, 0, sizeof(*o));
}

kssp_err kssp_spnego_read_resp(const uint8_t *buf, size_t len, struct kssp_spnego_answer *a)
{
	struct kssp_spnego_token tok;
	struct kssp_arena arena;
	kssp_err e;

	memset(a, 0, sizeof(*a));
	kssp_arena_init(&arena);
	e = kssp_spnego_decode(buf, len, &arena, &tok);
	if (e == KSSP_OK && tok.kind != KSSP_SPNEGO_RESP)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "SPNEGO: the acceptor's token is not a NegTokenResp");
	if (e == KSSP_OK && tok.resp.supported_mech.data != NULL && !is_krb5(&tok.resp.supported_mech))
		e = kssp_fail(KSSP_ERR_UNSUPPORTED, "SPNEGO: the acceptor chose a mechanism other than Kerberos");
	if (e == KSSP_OK) {
		/* The fields point into buf (only the mechTypes list uses the arena). */
		a->neg_state = tok.resp.has_neg_state ? tok.resp.neg_state : KSSP_SPNEGO_ACCEPT_COMPLETED;
		a->token = tok.resp.response_token.data;
		a->token_len = tok.resp.response_token.len;
		a->mic = tok.resp.mech_list_mic.data;
		a->mic_len = tok.resp.mech_list_mic.len;
	}
	kssp_arena_free(&arena);
	return e;
}

kssp_err kssp_spnego_make_mic(struct kssp_token_ctx *t, const uint8_t *list, size_t len,
    uint8_t **mic, size_t *mic_len)
{
	struct kssp_crypto_iov part = { list, len };
	size_t need = 0;
	kssp_err e = kssp_token_mic_len(t, &need);

	*mic = NULL;
	if (e != KSSP_OK)
		return e;
	*mic = kssp_malloc(need);
	if (*mic == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "SPNEGO: out of memory for mechListMIC");
	e = kssp_token_get_mic(t, &part, 1, *mic, need, mic_len);
	if (e != KSSP_OK) {
		kssp_free(*mic);
		*mic = NULL;
	}
	return e;
}

kssp_err kssp_spnego_check_mic(struct kssp_token_ctx *t, const uint8_t *list, size_t len,
    const uint8_t *mic, size_t mic_len)
{
	struct kssp_crypto_iov part = { list, len };
	unsigned seq = 0;

	/* The MIC's sequence number is not held against the message window. */
	return kssp_token_verify_mic(t, &part, 1, mic, mic_len, &seq);
}
