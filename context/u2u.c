/*
 * context/u2u.c - the user-to-user round that comes before the AP
 * exchange (draft-swift-win2k-krb-user2user-03 §4): the initiator's
 * KERB-TGT-REQUEST (TOK_ID 04 00) and the acceptor's KERB-TGT-REPLY
 * (TOK_ID 04 01) carrying its TGT, both framed with the user-to-user OID
 * 1.2.840.113554.1.2.2.3 as Windows frames them.
 */
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "context/ap_int.h"

kssp_err kssp_ctx_frame_mech(bool u2u, uint16_t tok_id, const uint8_t *inner, size_t inner_len,
    uint8_t **out, size_t *out_len)
{
	struct kssp_writer w;
	kssp_err e;

	if (!u2u)
		return kssp_ctx_frame(tok_id, inner, inner_len, out, out_len);
	kssp_writer_init_growable(&w, 0);
	e = kssp_gss_encode_mech(&kssp_gss_u2u_oid, tok_id, inner, inner_len, &w);
	if (e) {
		kssp_writer_free(&w);
		return e;
	}
	return kssp_writer_detach(&w, out, out_len);
}

/* The inner message of a context token that must carry want. */
static kssp_err unframe_as(const uint8_t *token, size_t len, uint16_t want, const char *what,
    const uint8_t **inner, size_t *inner_len)
{
	uint16_t tok_id = 0;
	kssp_err e = kssp_ctx_unframe(token, len, &tok_id, inner, inner_len);

	if (!e && tok_id != want)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "GSS context token: TOK_ID %04x, not %s", tok_id,
		    what);
	return e;
}

kssp_err kssp_ctx_u2u_request(const struct kssp_principal *server, uint8_t **token,
    size_t *token_len)
{
	struct kssp_der_bytes comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	struct kssp_kerb_tgt_request r;
	struct kssp_writer w;
	kssp_err e;

	*token = NULL;
	*token_len = 0;
	memset(&r, 0, sizeof(r));
	r.pvno = KSSP_KRB5_PVNO;
	r.msg_type = KSSP_KRB5_TGT_REQ;
	/* The realm is OPTIONAL: absent when the name has none. */
	if (server != NULL) {
		r.has_server_name = true;
		kssp_ctx_principal_to_asn1(server, comps, &r.server_name, &r.realm);
		if (server->realm.length == 0)
			r.realm.data = NULL;
	}
	kssp_writer_init_growable(&w, 0);
	e = kssp_krb5_encode_kerb_tgt_request(&r, &w);
	if (!e)
		e = kssp_ctx_frame_mech(true, KSSP_TOK_TGT_REQ, w.buf, w.len, token, token_len);
	kssp_writer_free(&w);
	return e;
}

kssp_err kssp_ctx_u2u_read_request(const uint8_t *token, size_t len,
    struct kssp_principal **server)
{
	struct kssp_kerb_tgt_request r;
	struct kssp_arena a;
	const uint8_t *inner;
	size_t ilen;
	kssp_err e = unframe_as(token, len, KSSP_TOK_TGT_REQ, "KERB-TGT-REQUEST", &inner, &ilen);

	*server = NULL;
	memset(&r, 0, sizeof(r));
	kssp_arena_init(&a);
	if (!e)
		e = kssp_krb5_decode_kerb_tgt_request(inner, ilen, &a, &r);
	if (!e && (r.pvno != KSSP_KRB5_PVNO || r.msg_type != KSSP_KRB5_TGT_REQ))
		e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "KERB-TGT-REQUEST: pvno %d, msg-type %d", r.pvno,
		    r.msg_type);
	if (!e && r.has_server_name)
		e = kssp_ctx_principal_from_asn1(&r.server_name, &r.realm, server);
	kssp_arena_free(&a);
	return e;
}

kssp_err kssp_ctx_u2u_reply(const struct kssp_cred *tgt, uint8_t **token, size_t *token_len)
{
	struct kssp_kerb_tgt_reply r;
	struct kssp_arena a;
	struct kssp_writer w;
	kssp_err e;

	*token = NULL;
	*token_len = 0;
	memset(&r, 0, sizeof(r));
	kssp_arena_init(&a);
	kssp_writer_init_growable(&w, 0);
	r.pvno = KSSP_KRB5_PVNO;
	r.msg_type = KSSP_KRB5_TGT_REP;
	e = kssp_krb5_decode_ticket(tgt->ticket.data, tgt->ticket.length, &a, &r.ticket);
	if (!e)
		e = kssp_krb5_encode_kerb_tgt_reply(&r, &w);
	if (!e)
		e = kssp_ctx_frame_mech(true, KSSP_TOK_TGT_REP, w.buf, w.len, token, token_len);
	kssp_writer_free(&w);
	kssp_arena_free(&a);
	return e;
}

kssp_err kssp_ctx_u2u_read_reply(const uint8_t *token, size_t len, struct kssp_cred_data *tgt)
{
	struct kssp_kerb_tgt_reply r;
	struct kssp_arena a;
	const uint8_t *inner;
	size_t ilen;
	kssp_err e = unframe_as(token, len, KSSP_TOK_TGT_REP, "KERB-TGT-REPLY", &inner, &ilen);

	memset(&r, 0, sizeof(r));
	kssp_arena_init(&a);
	if (!e)
		e = kssp_krb5_decode_kerb_tgt_reply(inner, ilen, &a, &r);
	if (!e && (r.pvno != KSSP_KRB5_PVNO || r.msg_type != KSSP_KRB5_TGT_REP))
		e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "KERB-TGT-REPLY: pvno %d, msg-type %d", r.pvno,
		    r.msg_type);
	/* RFC 4120 §3.3.3: the additional ticket of ENC-TKT-IN-SKEY is a TGT. */
	if (!e && (r.ticket.tkt_vno != KSSP_KRB5_PVNO || !kssp_krb5_name_is_tgs(&r.ticket.sname)))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "KERB-TGT-REPLY: the ticket is no TGT");
	if (!e)
		e = kssp_cred_data_set(tgt, r.ticket.der.data, r.ticket.der.len);
	kssp_arena_free(&a);
	return e;
}
