/*
 * test/unit/check_kdc_fast.c - FAST armoring (kdc/fast.c) with the test
 * playing the KDC: the armor and challenge keys against MIT's
 * krb5_c_fx_cf2_simple, the armored request (checksum, cookie, inner
 * request), and every field of an armored reply or error tampered with in
 * turn (the FAST response's encryption and nonce, KrbFastFinished and its
 * ticket checksum and client, PA-FX-ERROR, the KDC's encrypted challenge),
 * each refused; an unarmored reply or error in an armored exchange
 * (a downgrade) is refused too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/err_int.h"
#include "creds/principal_int.h"
#include "crypto/crypto.h"
#include "kdc/as_int.h"
#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/exchange_int.h"
#include "kdc/fast_int.h"
#include "testutil.h"

#define NONCE 0x1234567u
#define COOKIE "cookie-from-the-kdc"

/* The MIT values: krb5_c_fx_cf2_simple with aes256 keys of bytes base, base+1, ... */
static const char armor_hex[] = "b370472ef7786bb16d6227e4b6219392a00d6390fc3445609a4a059cda5dca6b";
static const char kdc_challenge_hex[] =
    "8e734408bce1defc8a17bef3db694b92f6d3df99fa3530680df80d4f41dac82b";
static const char client_challenge_hex[] =
    "11f6497029ba077217ce1384a52890f846df10aaab5232b86428fed03617d390";
static const char strengthened_hex[] =
    "0cc5416c88e4e106fbaea19bfa7b9ff0cc92a6a110f8758a9a05b25487c20910";

static void key_of(struct kssp_key *k, uint8_t base)
{
	uint8_t b[32];
	int i;

	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)(base + i);
	ck_assert_int_eq(kssp_crypto_key_init(k, 18, b, 32), KSSP_OK);
}

static void key_hex(struct kssp_key *k, const char *hex)
{
	uint8_t b[32];

	ck_assert_uint_eq(tu_hex(hex, b, sizeof(b)), 32);
	ck_assert_int_eq(kssp_crypto_key_init(k, 18, b, 32), KSSP_OK);
}

/* Implicit armor from subkey 00.. and session key 80..; the request's nonce NONCE. */
static void armored(struct kssp_fast *f)
{
	struct kssp_key sub, ses;

	memset(f, 0, sizeof(*f));
	key_of(&sub, 0x00);
	key_of(&ses, 0x80);
	ck_assert_int_eq(kssp_fast_armor_implicit(&sub, &ses, f), KSSP_OK);
	f->nonce = NONCE;
	kssp_crypto_key_clear(&sub);
	kssp_crypto_key_clear(&ses);
}

static struct kssp_der_bytes bytes_of(struct kssp_writer *w)
{
	struct kssp_der_bytes b;

	ck_assert_int_eq(kssp_writer_status(w), KSSP_OK);
	b.data = w->buf;
	b.len = w->len;
	return b;
}

/* ---- the KDC's side ---------------------------------------------------- */

enum tamper {
	T_NONE, T_NONCE, T_NO_FINISHED, T_TICKET_CKSUM, T_CKSUM_TYPE, T_CLIENT, T_CIPHER,
	T_NO_FX_ERROR
};

static const char *const name_strings[] = { "alice" };
static const char *const other_strings[] = { "mallory" };

/* A Ticket's DER (its enc-part is opaque to the client). */
static void ticket_der(struct kssp_writer *w)
{
	static const uint8_t cipher[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct kssp_der_bytes sname[2] = { { (const uint8_t *)"krbtgt", 6 },
		{ (const uint8_t *)"KSSP.TEST", 9 } };
	struct kssp_ticket t;

	memset(&t, 0, sizeof(t));
	t.tkt_vno = 5;
	t.realm.data = (const uint8_t *)"KSSP.TEST";
	t.realm.len = 9;
	t.sname.name_type = 2;
	t.sname.name_string = sname;
	t.sname.name_string_len = 2;
	t.enc_part.etype = 18;
	t.enc_part.cipher.data = cipher;
	t.enc_part.cipher.len = sizeof(cipher);
	kssp_writer_init_growable(w, 0);
	ck_assert_int_eq(kssp_krb5_encode_ticket(&t, w), KSSP_OK);
}

static void client_name(struct kssp_principal_name *n, struct kssp_der_bytes *s, bool other)
{
	memset(n, 0, sizeof(*n));
	s->data = (const uint8_t *)(other ? other_strings[0] : name_strings[0]);
	s->len = strlen((const char *)s->data);
	n->name_type = 1;
	n->name_string = s;
	n->name_string_len = 1;
}

/* PA-FX-FAST-REPLY's bytes: a KrbFastResponse sealed under f's armor key. */
static void fast_reply(struct kssp_fast *f, const struct kssp_der_bytes *ticket,
    const struct kssp_pa_data *pa, size_t npa, enum tamper t, struct kssp_writer *out)
{
	struct kssp_krb_fast_response r;
	struct kssp_krb_fast_armored_rep ar;
	struct kssp_der_bytes cs;
	struct kssp_writer w;
	uint8_t sum[KSSP_CRYPTO_MAX_CKSUM], *cipher = NULL;
	size_t n = 0, clen = 0;
	uint8_t sk[32];
	int i;

	memset(&r, 0, sizeof(r));
	r.padata = (struct kssp_pa_data *)pa;
	r.padata_len = npa;
	r.nonce = t == T_NONCE ? NONCE + 1 : NONCE;
	for (i = 0; i < 32; i++)
		sk[i] = (uint8_t)i; /* the strengthen key: bytes 00.. */
	if (ticket) {
		r.has_strengthen_key = true;
		r.strengthen_key.keytype = 18;
		r.strengthen_key.keyvalue.data = sk;
		r.strengthen_key.keyvalue.len = 32;
		r.has_finished = t != T_NO_FINISHED;
		r.finished.timestamp = 1700000000;
		r.finished.crealm.data = (const uint8_t *)"KSSP.TEST";
		r.finished.crealm.len = 9;
		client_name(&r.finished.cname, &cs, t == T_CLIENT);
		ck_assert_int_eq(kssp_crypto_checksum(16, &f->armor_key, KSSP_KU_FAST_FINISHED,
		    ticket->data, ticket->len, sum, sizeof(sum), &n), KSSP_OK);
		if (t == T_TICKET_CKSUM)
			sum[0] ^= 1;
		r.finished.ticket_checksum.cksumtype = t == T_CKSUM_TYPE ? 15 : 16;
		r.finished.ticket_checksum.checksum.data = sum;
		r.finished.ticket_checksum.checksum.len = t == T_CKSUM_TYPE ? 12 : n;
	}
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_fast_response(&r, &w), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_seal(NULL, &f->armor_key, KSSP_KU_FAST_REP, w.buf, w.len,
	    &cipher, &clen), KSSP_OK);
	if (t == T_CIPHER)
		cipher[clen / 2] ^= 1;
	kssp_writer_free(&w);
	memset(&ar, 0, sizeof(ar));
	ar.enc_fast_rep.etype = 18;
	ar.enc_fast_rep.cipher.data = cipher;
	ar.enc_fast_rep.cipher.len = clen;
	kssp_writer_init_growable(out, 0);
	ck_assert_int_eq(kssp_krb5_encode_pa_fx_fast_reply(&ar, out), KSSP_OK);
	free(cipher);
}

/* An AS-REP (armored unless t says otherwise) decoded into *rep, as the client sees it. */
static kssp_err open_reply(struct kssp_fast *f, enum tamper t, bool armored_reply,
    char *client, size_t cap)
{
	static const uint8_t encpart[] = { 9, 9, 9, 9 };
	struct kssp_writer tk, pv, msg;
	struct kssp_der_bytes tkb, cs;
	struct kssp_pa_data pa;
	struct kssp_kdc_rep rep, got;
	struct kssp_krb_fast_response resp;
	struct kssp_arena a;
	kssp_err e;

	ticket_der(&tk);
	tkb = bytes_of(&tk);
	memset(&pa, 0, sizeof(pa));
	memset(&rep, 0, sizeof(rep));
	fast_reply(f, &tkb, NULL, 0, t, &pv);
	pa.padata_type = armored_reply ? PA_FX_FAST : PA_ETYPE_INFO2;
	pa.padata_value = bytes_of(&pv);
	rep.pvno = 5;
	rep.msg_type = KSSP_KRB5_AS_REP;
	rep.padata = &pa;
	rep.padata_len = 1;
	rep.crealm.data = (const uint8_t *)"KSSP.TEST";
	rep.crealm.len = 9;
	client_name(&rep.cname, &cs, false);
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_ticket(tkb.data, tkb.len, &a, &rep.ticket), KSSP_OK);
	rep.enc_part.etype = 18;
	rep.enc_part.cipher.data = encpart;
	rep.enc_part.cipher.len = sizeof(encpart);
	kssp_writer_init_growable(&msg, 0);
	ck_assert_int_eq(kssp_krb5_encode_as_rep(&rep, &msg), KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_as_rep(msg.buf, msg.len, &a, &got), KSSP_OK);
	e = kssp_fast_open_reply(f, &got, &a, &resp);
	if (!e && client) {
		ck_assert_uint_eq(got.cname.name_string_len, 1);
		snprintf(client, cap, "%.*s", (int)got.cname.name_string[0].len,
		    (const char *)got.cname.name_string[0].data);
	}
	if (!e) {
		struct kssp_key lt, out, want;

		/* The reply key strengthened as MIT computes it (strengthen key 00.., key 40..). */
		ck_assert(resp.has_strengthen_key);
		key_of(&lt, 0x40);
		key_hex(&want, strengthened_hex);
		ck_assert_int_eq(kssp_fast_reply_key(&resp, &lt, &out), KSSP_OK);
		ck_assert_mem_eq(out.contents, want.contents, 32);
		kssp_crypto_key_clear(&out);
		kssp_crypto_key_clear(&lt);
		kssp_crypto_key_clear(&want);
	}
	kssp_arena_free(&a);
	kssp_writer_free(&tk);
	kssp_writer_free(&pv);
	kssp_writer_free(&msg);
	return e;
}

START_TEST(armor_and_challenge_keys_match_mit)
{
	struct kssp_fast f;
	struct kssp_key want, lt, ck, sub, out;

	armored(&f);
	key_hex(&want, armor_hex);
	ck_assert_mem_eq(f.armor_key.contents, want.contents, 32);
	/* RFC 6113 §5.4.6's challenge keys and §5.4.3's strengthened reply key, through CF2. */
	key_of(&lt, 0x40);
	ck_assert_int_eq(kssp_crypto_cf2(&f.armor_key, &lt, (const uint8_t *)"clientchallengearmor",
	    20, (const uint8_t *)"challengelongterm", 17, &ck), KSSP_OK);
	kssp_crypto_key_clear(&want);
	key_hex(&want, client_challenge_hex);
	ck_assert_mem_eq(ck.contents, want.contents, 32);
	kssp_crypto_key_clear(&ck);
	kssp_crypto_key_clear(&want);
	key_of(&sub, 0x00);
	ck_assert_int_eq(kssp_crypto_cf2(&sub, &lt, (const uint8_t *)"strengthenkey", 13,
	    (const uint8_t *)"replykey", 8, &out), KSSP_OK);
	key_hex(&want, strengthened_hex);
	ck_assert_mem_eq(out.contents, want.contents, 32);
	kssp_crypto_key_clear(&out);
	kssp_crypto_key_clear(&want);
	kssp_crypto_key_clear(&sub);
	kssp_crypto_key_clear(&lt);
	kssp_fast_free(&f);
}
END_TEST

START_TEST(armored_reply_is_accepted)
{
	struct kssp_fast f;

	armored(&f);
	ck_assert_msg(open_reply(&f, T_NONE, true, NULL, 0) == KSSP_OK, "%s", kssp_last_reason());
	kssp_fast_free(&f);
}
END_TEST

/*
 * RFC 6113 §5.4.3: KrbFastFinished names the client with authority; the
 * outer name (unprotected, empty from Heimdal) is replaced by it, so the
 * exchange's client checks (kdc/as.c) judge the armored name.
 */
START_TEST(finished_client_replaces_the_outer_one)
{
	struct kssp_fast f;
	char client[32];

	armored(&f);
	ck_assert_int_eq(open_reply(&f, T_CLIENT, true, client, sizeof(client)), KSSP_OK);
	ck_assert_str_eq(client, "mallory");
	ck_assert_int_eq(open_reply(&f, T_NONE, true, client, sizeof(client)), KSSP_OK);
	ck_assert_str_eq(client, "alice");
	kssp_fast_free(&f);
}
END_TEST

/* Each field of the armored reply tampered with: refused, with the reason naming it. */
static const struct {
	enum tamper t;
	bool armored;
	const char *why;
} reply_tampers[] = {
	{ T_NONCE, true, "nonce" },
	{ T_NO_FINISHED, true, "no KrbFastFinished" },
	{ T_TICKET_CKSUM, true, "KrbFastFinished checksums" },
	{ T_CKSUM_TYPE, true, "checksum type" },
	{ T_CIPHER, true, "KrbFastResponse" },
	{ T_NONE, false, "no PA-FX-FAST" }, /* a downgrade: the reply stripped of its armor */
};

START_TEST(tampered_reply_is_refused)
{
	struct kssp_fast f;
	kssp_err e;

	armored(&f);
	e = open_reply(&f, reply_tampers[_i].t, reply_tampers[_i].armored, NULL, 0);
	ck_assert_msg(e == KRB_AP_ERR_MODIFIED, "case %d: %s (%s)", _i, kssp_err_name(e),
	    kssp_last_reason());
	ck_assert_msg(strstr(kssp_last_reason(), reply_tampers[_i].why) != NULL,
	    "case %d: reason '%s' lacks '%s'", _i, kssp_last_reason(), reply_tampers[_i].why);
	kssp_fast_free(&f);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

/* A KRB-ERROR's DER with code and e-data (may be NULL). */
static void krb_error(int32_t code, const struct kssp_der_bytes *e_data, struct kssp_writer *w)
{
	struct kssp_der_bytes sname[2] = { { (const uint8_t *)"krbtgt", 6 },
		{ (const uint8_t *)"KSSP.TEST", 9 } };
	struct kssp_krb_error err;

	memset(&err, 0, sizeof(err));
	err.pvno = 5;
	err.msg_type = KSSP_KRB5_ERROR;
	err.stime = 1700000000;
	err.error_code = code;
	err.realm.data = (const uint8_t *)"KSSP.TEST";
	err.realm.len = 9;
	err.sname.name_type = 2;
	err.sname.name_string = sname;
	err.sname.name_string_len = 2;
	if (e_data)
		err.e_data = *e_data;
	kssp_writer_init_growable(w, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_error(&err, w), KSSP_OK);
}

/* The outer error (KDC_ERR_PREAUTH_REQUIRED), armored unless told, opened by the client. */
static kssp_err open_error(struct kssp_fast *f, enum tamper t, bool armored_error,
    struct kssp_krb_error *inner_out, struct kssp_arena *a)
{
	struct kssp_writer inner, pv, md, outer;
	struct kssp_pa_data pa[2], fx;
	struct kssp_method_data m;
	struct kssp_der_bytes ed, in;
	struct kssp_krb_fast_response resp;
	struct kssp_krb_error got;
	kssp_err e;

	krb_error(KDC_ERR_PREAUTH_REQUIRED, NULL, &inner);
	memset(pa, 0, sizeof(pa));
	pa[0].padata_type = PA_FX_COOKIE;
	pa[0].padata_value.data = (const uint8_t *)COOKIE;
	pa[0].padata_value.len = strlen(COOKIE);
	pa[1].padata_type = PA_FX_ERROR;
	pa[1].padata_value = bytes_of(&inner);
	fast_reply(f, NULL, pa, t == T_NO_FX_ERROR ? 1 : 2, t, &pv);
	memset(&fx, 0, sizeof(fx));
	fx.padata_type = armored_error ? PA_FX_FAST : PA_ETYPE_INFO2;
	fx.padata_value = bytes_of(&pv);
	memset(&m, 0, sizeof(m));
	m.padata = &fx;
	m.padata_len = 1;
	kssp_writer_init_growable(&md, 0);
	ck_assert_int_eq(kssp_krb5_encode_method_data(&m, &md), KSSP_OK);
	ed = bytes_of(&md);
	krb_error(KDC_ERR_PREAUTH_REQUIRED, &ed, &outer);
	ck_assert_int_eq(kssp_krb5_decode_krb_error(outer.buf, outer.len, a, &got), KSSP_OK);
	e = kssp_fast_open_error(f, &got, a, &resp, &in);
	if (!e)
		ck_assert_int_eq(kssp_krb5_decode_krb_error(in.data, in.len, a, inner_out), KSSP_OK);
	kssp_writer_free(&inner);
	kssp_writer_free(&pv);
	kssp_writer_free(&md);
	kssp_writer_free(&outer);
	return e;
}

START_TEST(armored_error_yields_the_inner_error_and_the_cookie)
{
	struct kssp_fast f;
	struct kssp_krb_error inner;
	struct kssp_arena a;

	armored(&f);
	kssp_arena_init(&a);
	ck_assert_msg(open_error(&f, T_NONE, true, &inner, &a) == KSSP_OK, "%s", kssp_last_reason());
	ck_assert_int_eq(inner.error_code, KDC_ERR_PREAUTH_REQUIRED);
	ck_assert_uint_eq(f.cookie_len, strlen(COOKIE));
	ck_assert_mem_eq(f.cookie, COOKIE, f.cookie_len);
	kssp_arena_free(&a);
	kssp_fast_free(&f);
}
END_TEST

static const struct {
	enum tamper t;
	bool armored;
	const char *why;
} error_tampers[] = {
	{ T_NONCE, true, "not armored" },
	{ T_CIPHER, true, "not armored" },
	{ T_NO_FX_ERROR, true, "no PA-FX-ERROR" },
	{ T_NONE, false, "not armored" }, /* an unarmored error in an armored exchange */
};

START_TEST(tampered_or_unarmored_error_is_refused)
{
	struct kssp_fast f;
	struct kssp_krb_error inner;
	struct kssp_arena a;
	kssp_err e;

	armored(&f);
	kssp_arena_init(&a);
	e = open_error(&f, error_tampers[_i].t, error_tampers[_i].armored, &inner, &a);
	ck_assert_msg(e == KRB_AP_ERR_MODIFIED, "case %d: %s", _i, kssp_err_name(e));
	ck_assert_msg(strstr(kssp_last_reason(), error_tampers[_i].why) != NULL,
	    "case %d: reason '%s' lacks '%s'", _i, kssp_last_reason(), error_tampers[_i].why);
	/* Nothing of a response that did not open is kept (the cookie neither). */
	if (error_tampers[_i].t != T_NO_FX_ERROR)
		ck_assert_ptr_null(f.cookie);
	kssp_arena_free(&a);
	kssp_fast_free(&f);
}
END_TEST

/* ---- the armored request ----------------------------------------------- */

START_TEST(armored_request_hides_padata_and_returns_the_cookie)
{
	static const uint8_t pac_request[] = { 0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff };
	struct kssp_fast f;
	struct kssp_kdc_ctx ctx;
	struct kssp_kdc_req req, out;
	struct kssp_krb_fast_armored_req ar;
	struct kssp_krb_fast_req fr;
	struct kssp_pa_data pa;
	struct kssp_der_bytes cs;
	struct kssp_krb_error inner;
	struct kssp_writer w;
	struct kssp_arena a;
	int32_t etypes[] = { 18 };
	uint8_t *plain = NULL;
	size_t plain_len = 0, i;
	bool cookie = false;

	armored(&f);
	kssp_arena_init(&a);
	ck_assert_int_eq(open_error(&f, T_NONE, true, &inner, &a), KSSP_OK);
	kssp_kdc_ctx_init(&ctx, NULL, NULL);
	memset(&req, 0, sizeof(req));
	memset(&pa, 0, sizeof(pa));
	pa.padata_type = PA_PAC_REQUEST;
	pa.padata_value.data = pac_request;
	pa.padata_value.len = sizeof(pac_request);
	req.pvno = 5;
	req.msg_type = KSSP_KRB5_AS_REQ;
	req.padata = &pa;
	req.padata_len = 1;
	req.req_body.has_cname = true;
	client_name(&req.req_body.cname, &cs, false);
	req.req_body.realm.data = (const uint8_t *)"KSSP.TEST";
	req.req_body.realm.len = 9;
	req.req_body.till = 1700086400;
	req.req_body.nonce = NONCE;
	req.req_body.etype = etypes;
	req.req_body.etype_len = 1;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_fast_wrap(&ctx, &f, &req, NULL, 0, NULL, 0, &w), KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_as_req(w.buf, w.len, &a, &out), KSSP_OK);
	/* Outside: PA-FX-FAST alone; the checksum covers the body, under the armor key. */
	ck_assert_uint_eq(out.padata_len, 1);
	ck_assert_int_eq(out.padata[0].padata_type, PA_FX_FAST);
	ck_assert_int_eq(kssp_krb5_decode_pa_fx_fast_request(out.padata[0].padata_value.data,
	    out.padata[0].padata_value.len, &a, &ar), KSSP_OK);
	ck_assert(!ar.has_armor); /* implicit armor */
	ck_assert_int_eq(kssp_crypto_verify_checksum(ar.req_checksum.cksumtype, &f.armor_key,
	    KSSP_KU_FAST_REQ_CHKSUM, out.req_body.der.data, out.req_body.der.len,
	    ar.req_checksum.checksum.data, ar.req_checksum.checksum.len), KSSP_OK);
	/* Inside: the request's padata and the KDC's cookie, and the same body. */
	ck_assert_int_eq(kssp_crypto_open(&f.armor_key, KSSP_KU_FAST_ENC, ar.enc_fast_req.etype,
	    ar.enc_fast_req.cipher.data, ar.enc_fast_req.cipher.len, "KrbFastReq", &plain,
	    &plain_len), KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_krb_fast_req(plain, plain_len, &a, &fr), KSSP_OK);
	ck_assert_uint_eq(fr.req_body.der.len, out.req_body.der.len);
	ck_assert_mem_eq(fr.req_body.der.data, out.req_body.der.data, fr.req_body.der.len);
	ck_assert_int_eq(fr.padata[0].padata_type, PA_PAC_REQUEST);
	for (i = 0; i < fr.padata_len; i++)
		if (fr.padata[i].padata_type == PA_FX_COOKIE &&
		    fr.padata[i].padata_value.len == strlen(COOKIE) &&
		    memcmp(fr.padata[i].padata_value.data, COOKIE, strlen(COOKIE)) == 0)
			cookie = true;
	ck_assert(cookie);
	kssp_free_secret(plain, plain_len);
	kssp_writer_free(&w);
	kssp_kdc_ctx_free(&ctx);
	kssp_arena_free(&a);
	kssp_fast_free(&f);
}
END_TEST

/* ---- the encrypted challenge ------------------------------------------- */

/* The KDC's PA-ENCRYPTED-CHALLENGE sealed under key and usage, into pa. */
static void kdc_challenge(struct kssp_key *key, uint32_t usage, struct kssp_writer *w,
    struct kssp_pa_data *pa)
{
	struct kssp_pa_enc_ts_enc ts;
	struct kssp_encrypted_data ed;
	struct kssp_writer p;
	uint8_t *cipher = NULL;
	size_t clen = 0;

	memset(&ts, 0, sizeof(ts));
	ts.patimestamp = 1700000000;
	kssp_writer_init_growable(&p, 0);
	ck_assert_int_eq(kssp_krb5_encode_pa_enc_ts_enc(&ts, &p), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_seal(NULL, key, usage, p.buf, p.len,
	    &cipher, &clen), KSSP_OK);
	memset(&ed, 0, sizeof(ed));
	ed.etype = 18;
	ed.cipher.data = cipher;
	ed.cipher.len = clen;
	kssp_writer_init_growable(w, 0);
	ck_assert_int_eq(kssp_krb5_encode_encrypted_challenge(&ed, w), KSSP_OK);
	memset(pa, 0, sizeof(*pa));
	pa->padata_type = PA_ENCRYPTED_CHALLENGE;
	pa->padata_value = bytes_of(w);
	kssp_writer_free(&p);
	free(cipher);
}

START_TEST(encrypted_challenge_both_ways)
{
	struct kssp_fast f;
	struct kssp_kdc_ctx ctx;
	struct kssp_key lt, kk, ck;
	struct kssp_pa_data pa;
	struct kssp_encrypted_data ed;
	struct kssp_writer w;
	struct kssp_arena a;
	uint8_t *plain = NULL;
	size_t plain_len = 0;

	armored(&f);
	key_of(&lt, 0x40);
	kssp_arena_init(&a);
	kssp_kdc_ctx_init(&ctx, NULL, NULL);
	/* Ours opens under MIT's client challenge key, usage 54. */
	ck_assert_int_eq(kssp_fast_client_challenge(&ctx, &f, &lt, &a, &pa), KSSP_OK);
	ck_assert_int_eq(pa.padata_type, PA_ENCRYPTED_CHALLENGE);
	ck_assert_int_eq(kssp_krb5_decode_encrypted_challenge(pa.padata_value.data,
	    pa.padata_value.len, &a, &ed), KSSP_OK);
	key_hex(&ck, client_challenge_hex);
	ck_assert_int_eq(kssp_crypto_open(&ck, KSSP_KU_ENC_CHALLENGE_CLIENT, ed.etype,
	    ed.cipher.data, ed.cipher.len, "challenge", &plain, &plain_len), KSSP_OK);
	kssp_free_secret(plain, plain_len);
	/* The KDC's, under MIT's KDC challenge key: accepted. */
	key_hex(&kk, kdc_challenge_hex);
	kdc_challenge(&kk, KSSP_KU_ENC_CHALLENGE_KDC, &w, &pa);
	ck_assert_msg(kssp_fast_check_kdc_challenge(&f, &lt, &pa, 1, &a) == KSSP_OK, "%s",
	    kssp_last_reason());
	kssp_writer_free(&w);
	/* Heimdal 7.8's: the client's pepper, the KDC's usage: accepted. */
	kdc_challenge(&ck, KSSP_KU_ENC_CHALLENGE_KDC, &w, &pa);
	ck_assert_msg(kssp_fast_check_kdc_challenge(&f, &lt, &pa, 1, &a) == KSSP_OK, "%s",
	    kssp_last_reason());
	kssp_writer_free(&w);
	/* Our own challenge reflected (the client's key and usage), another key, or none: refused. */
	kdc_challenge(&ck, KSSP_KU_ENC_CHALLENGE_CLIENT, &w, &pa);
	ck_assert_int_eq(kssp_fast_check_kdc_challenge(&f, &lt, &pa, 1, &a), KRB_AP_ERR_MODIFIED);
	kssp_writer_free(&w);
	kdc_challenge(&f.armor_key, KSSP_KU_ENC_CHALLENGE_KDC, &w, &pa);
	ck_assert_int_eq(kssp_fast_check_kdc_challenge(&f, &lt, &pa, 1, &a), KRB_AP_ERR_MODIFIED);
	kssp_writer_free(&w);
	ck_assert_int_eq(kssp_fast_check_kdc_challenge(&f, &lt, &pa, 0, &a), KRB_AP_ERR_MODIFIED);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "did not answer"));
	kssp_crypto_key_clear(&lt);
	kssp_crypto_key_clear(&kk);
	kssp_crypto_key_clear(&ck);
	kssp_kdc_ctx_free(&ctx);
	kssp_arena_free(&a);
	kssp_fast_free(&f);
}
END_TEST

/* ---- the AS exchange: downgrades ------------------------------------- */

struct downgrade_kdc {
	int calls;
	bool last_armored;
	int32_t code; /* the KRB-ERROR every request gets; 0: KDC_ERR_PREAUTH_REQUIRED */
	int32_t later; /* nonzero: the code of the second and later answers */
	bool offer_fast; /* e-data METHOD-DATA lists PA-FX-FAST, as a FAST-capable KDC's does */
};

/* A KDC (or an attacker in the path) answering every request unarmored. */
static kssp_err unarmored_kdc(void *arg, const char *realm, const uint8_t *req, size_t req_len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	struct downgrade_kdc *k = arg;
	struct kssp_writer w;
	struct kssp_arena a;
	struct kssp_kdc_req r;

	(void)realm;
	(void)flags;
	k->calls++;
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_as_req(req, req_len, &a, &r), KSSP_OK);
	k->last_armored = r.padata_len == 1 && r.padata[0].padata_type == PA_FX_FAST;
	kssp_arena_free(&a);
	if (k->offer_fast) {
		struct kssp_pa_data pa = { { NULL, 0 }, PA_FX_FAST, { (const uint8_t *)"", 0 } };
		struct kssp_method_data md = { { NULL, 0 }, &pa, 1 };
		struct kssp_writer m;
		struct kssp_der_bytes ed;

		kssp_writer_init_growable(&m, 0);
		ck_assert_int_eq(kssp_krb5_encode_method_data(&md, &m), KSSP_OK);
		ed = bytes_of(&m);
		krb_error(k->calls > 1 && k->later ? k->later : k->code, &ed, &w);
		kssp_writer_free(&m);
	} else {
		krb_error(k->code ? k->code : KDC_ERR_PREAUTH_REQUIRED, NULL, &w);
	}
	*reply = malloc(w.len);
	memcpy(*reply, w.buf, w.len);
	*reply_len = w.len;
	kssp_writer_free(&w);
	return KSSP_OK;
}

static kssp_err as_with(struct downgrade_kdc *k, const struct kssp_cred *armor, bool require)
{
	static const char conf[] = "[libdefaults]\n default_realm = KSSP.TEST\n"
	    " dns_lookup_kdc = false\n";
	struct kssp_config *cfg;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *client;
	struct kssp_as_opts o;
	struct kssp_cred tgt;
	kssp_err e;

	memset(&h, 0, sizeof(h));
	memset(&tgt, 0, sizeof(tgt));
	h.transport = unarmored_kdc;
	h.transport_arg = k;
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", conf, strlen(conf)), KSSP_OK);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	ck_assert_int_eq(kssp_principal_parse("alice@KSSP.TEST", 0, NULL, &client), KSSP_OK);
	kssp_as_opts_init(&o);
	o.client = client;
	o.password = "pw";
	o.password_len = 2;
	o.armor = armor;
	o.require_fast = require;
	e = kssp_as_get_tgt(&ctx, &o, &tgt);
	ck_assert_ptr_null(tgt.client);
	kssp_principal_free(client);
	kssp_kdc_ctx_free(&ctx);
	kssp_config_free(cfg);
	return e;
}

START_TEST(unarmored_error_to_an_armored_request_is_refused)
{
	struct downgrade_kdc k = { 0, false, 0, 0, false };
	struct kssp_writer tk;
	struct kssp_cred armor;
	uint8_t sk[32];
	kssp_err e;

	memset(&armor, 0, sizeof(armor));
	memset(sk, 0x80, sizeof(sk));
	ticket_der(&tk);
	ck_assert_int_eq(kssp_principal_parse("host/h.kssp.test@KSSP.TEST", 0, NULL, &armor.client),
	    KSSP_OK);
	ck_assert_int_eq(kssp_principal_parse("krbtgt/KSSP.TEST@KSSP.TEST", 0, NULL, &armor.server),
	    KSSP_OK);
	armor.keytype = 18;
	armor.keyvalue.data = sk;
	armor.keyvalue.length = sizeof(sk);
	armor.ticket.data = tk.buf;
	armor.ticket.length = tk.len;
	armor.endtime = 0x7fffffff;
	e = as_with(&k, &armor, false);
	ck_assert_msg(e == KRB_AP_ERR_MODIFIED, "%s: %s", kssp_err_name(e), kssp_last_reason());
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "KDC_ERR_PREAUTH_REQUIRED"));
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "not armored"));
	/* One armored request, and no second one steered by the unarmored hints. */
	ck_assert_int_eq(k.calls, 1);
	ck_assert(k.last_armored);
	kssp_principal_free(armor.client);
	kssp_principal_free(armor.server);
	kssp_writer_free(&tk);
}
END_TEST

START_TEST(required_fast_without_armor_sends_nothing)
{
	struct downgrade_kdc k = { 0, false, 0, 0, false };
	kssp_err e = as_with(&k, NULL, true);

	ck_assert_int_eq(e, KSSP_ERR_NO_CREDENTIALS);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "FAST armor is required"));
	ck_assert_int_eq(k.calls, 0);
	/* Without the requirement the same exchange goes out unarmored, as before. */
	e = as_with(&k, NULL, false);
	ck_assert_int_eq(k.calls, 2);
	ck_assert(!k.last_armored);
}
END_TEST

/* KDC_ERR_POLICY to an unarmored logon: the code stands, the reason says armor may be required. */
START_TEST(policy_refusal_without_armor_names_armor)
{
	struct downgrade_kdc k = { 0, false, KDC_ERR_POLICY, 0, false };
	struct downgrade_kdc still = { 0, false, KDC_ERR_PREAUTH_REQUIRED, 0, true };
	struct downgrade_kdc wrong = { 0, false, KDC_ERR_PREAUTH_REQUIRED, KDC_ERR_PREAUTH_FAILED,
		true };
	kssp_err e = as_with(&k, NULL, false);

	ck_assert_int_eq(e, KDC_ERR_POLICY);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "may require FAST armor"));
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "--armor-keytab"));
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "ArmorCcache"));
	/* A KDC offering FAST that still wants pre-authentication after ours: the same advice. */
	e = as_with(&still, NULL, false);
	ck_assert_int_eq(e, KDC_ERR_PREAUTH_REQUIRED);
	ck_assert_int_eq(still.calls, 2);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "may require FAST armor"));
	/* A wrong password is only that, even where FAST is offered. */
	e = as_with(&wrong, NULL, false);
	ck_assert_int_eq(e, KDC_ERR_PREAUTH_FAILED);
	ck_assert_ptr_null(strstr(kssp_last_reason(), "armor"));
}
END_TEST

Suite *kssp_suite_kdc_fast(void);
Suite *kssp_suite_kdc_fast(void)
{
	Suite *s = suite_create("kdc_fast");
	TCase *tc = tcase_create("fast");

	tcase_add_test(tc, armor_and_challenge_keys_match_mit);
	tcase_add_test(tc, armored_reply_is_accepted);
	tcase_add_test(tc, finished_client_replaces_the_outer_one);
	tcase_add_loop_test(tc, tampered_reply_is_refused, 0,
	    (int)(sizeof(reply_tampers) / sizeof(reply_tampers[0])));
	tcase_add_test(tc, armored_error_yields_the_inner_error_and_the_cookie);
	tcase_add_loop_test(tc, tampered_or_unarmored_error_is_refused, 0,
	    (int)(sizeof(error_tampers) / sizeof(error_tampers[0])));
	tcase_add_test(tc, armored_request_hides_padata_and_returns_the_cookie);
	tcase_add_test(tc, encrypted_challenge_both_ways);
	tcase_add_test(tc, unarmored_error_to_an_armored_request_is_refused);
	tcase_add_test(tc, required_fast_without_armor_sends_nothing);
	tcase_add_test(tc, policy_refusal_without_armor_names_armor);
	suite_add_tcase(s, tc);
	return s;
}
