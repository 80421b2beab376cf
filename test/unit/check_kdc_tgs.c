/*
 * test/unit/check_kdc_tgs.c - the TGS exchange against a stand-in KDC (a
 * transport hook) that knows the session key of the TGT it is shown: it
 * opens the authenticator, checks its body checksum, and answers under the
 * subkey with a service ticket, a referral, a loop of referrals, an
 * endless chain of them, or a reply with a wrong nonce; and a forwarded
 * TGT (RFC 4120 §2.6), marked forwarded or, wrongly, not.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/err_int.h"
#include "base/mem_int.h"
#include "creds/cred_int.h"
#include "creds/credset_int.h"
#include "creds/principal_int.h"
#include "crypto/crypto.h"
#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/tgs_int.h"

#define NOW 1795000000

enum tgs_mode {
	T_SERVICE, T_REFER_ONCE, T_LOOP, T_ENDLESS, T_WRONG_NONCE, T_OTHER_REALM,
	T_HIERARCHY, /* A.EX.TEST trusts only EX.TEST, which trusts B.EX.TEST */
	T_FORWARD,   /* FORWARDED asked: the ticket is flagged forwarded */
	T_FORWARD_UNMARKED, /* ... and the ticket is not */
};

#define OPT_FORWARDABLE 0x40000000u /* KDCOptions / TicketFlags bit 1 */
#define OPT_FORWARDED 0x20000000u   /* bit 2 */

struct tgs_mock {
	enum tgs_mode mode;
	const char *client_realm;
	char asked[16][64];  /* "REALM:first/second" of each request */
	int calls;
	char realms[16][32]; /* realm of each request */
	struct kssp_key session; /* of every ticket it issues */
	bool checksum_ok;
	uint32_t kdc_options; /* of the last request */
	size_t n_additional;  /* additional tickets of the last request */
	uint8_t additional[256]; /* the first one's DER */
	size_t additional_len;
};

/* The additional ticket run_tgs asks with (user-to-user), or NULL. */
static const struct kssp_cred_data *u2u_second;

static uint8_t *detach(struct kssp_writer *w, size_t *len)
{
	uint8_t *out;

	ck_assert_int_eq(kssp_writer_detach(w, &out, len), KSSP_OK);
	return out;
}

/* Opens PA-TGS-REQ: the authenticator under the session key; returns the subkey. */
static void open_ap_req(struct tgs_mock *m, const struct kssp_kdc_req *req, struct kssp_arena *a,
    struct kssp_key *subkey)
{
	struct kssp_ap_req ap;
	struct kssp_authenticator au;
	struct kssp_writer body;
	uint8_t plain[1024];
	size_t n;

	ck_assert_uint_ge(req->padata_len, 1);
	ck_assert_int_eq(req->padata[0].padata_type, 1);
	ck_assert_int_eq(kssp_krb5_decode_ap_req(req->padata[0].padata_value.data,
	    req->padata[0].padata_value.len, a, &ap), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_decrypt(&m->session, KSSP_KU_TGS_REQ_AUTH,
	    ap.authenticator.cipher.data, ap.authenticator.cipher.len, plain, sizeof(plain), &n),
	    KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_authenticator(plain, n, a, &au), KSSP_OK);
	ck_assert(au.has_cksum && au.has_subkey);
	/* RFC 4120 §7.2.2: the checksum covers the encoded body, key usage 6. */
	kssp_writer_init_growable(&body, 0);
	ck_assert_int_eq(kssp_krb5_encode_kdc_req_body(&req->req_body, &body), KSSP_OK);
	m->checksum_ok = kssp_crypto_verify_checksum(au.cksum.cksumtype, &m->session,
	    KSSP_KU_TGS_REQ_AUTH_CKSUM, body.buf, body.len, au.cksum.checksum.data,
	    au.cksum.checksum.len) == KSSP_OK;
	kssp_writer_free(&body);
	ck_assert_int_eq(kssp_crypto_key_init(subkey, au.subkey.keytype, au.subkey.keyvalue.data,
	    au.subkey.keyvalue.len), KSSP_OK);
}

/* KRB-ERROR KDC_ERR_S_PRINCIPAL_UNKNOWN. */
static uint8_t *s_principal_unknown(size_t *len)
{
	struct kssp_krb_error err;
	struct kssp_der_bytes names[1] = { { (const uint8_t *)"x", 1 } };
	struct kssp_writer w;

	memset(&err, 0, sizeof(err));
	err.pvno = 5;
	err.msg_type = 30;
	err.stime = NOW;
	err.error_code = 7;
	err.realm.data = (const uint8_t *)"X";
	err.realm.len = 1;
	err.sname.name_type = 1;
	err.sname.name_string = names;
	err.sname.name_string_len = 1;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_error(&err, &w), KSSP_OK);
	return detach(&w, len);
}

static kssp_err tgs_kdc(void *arg, const char *realm, const uint8_t *msg, size_t len, int flags,
    uint8_t **reply, size_t *reply_len)
{
	struct tgs_mock *m = arg;
	struct kssp_arena a;
	struct kssp_kdc_req req;
	struct kssp_key subkey;
	struct kssp_enc_kdc_rep_part enc;
	struct kssp_kdc_rep rep;
	struct kssp_writer pw, w;
	struct kssp_der_bytes ref_names[2], cname[1];
	char next[32], issuer[32];
	uint8_t cipher[2048], tkt[16] = { 0 };
	size_t clen;

	(void)flags;
	memset(&subkey, 0, sizeof(subkey));
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_tgs_req(msg, len, &a, &req), KSSP_OK);
	snprintf(m->realms[m->calls % 16], sizeof(m->realms[0]), "%s", realm);
	snprintf(m->asked[m->calls % 16], sizeof(m->asked[0]), "%s:%.*s/%.*s", realm,
	    (int)req.req_body.sname.name_string[0].len,
	    (const char *)req.req_body.sname.name_string[0].data,
	    req.req_body.sname.name_string_len > 1 ? (int)req.req_body.sname.name_string[1].len : 0,
	    req.req_body.sname.name_string_len > 1 ?
	    (const char *)req.req_body.sname.name_string[1].data : "");
	m->calls++;
	m->kdc_options = req.req_body.kdc_options;
	m->n_additional = req.req_body.additional_tickets_len;
	if (m->n_additional && req.req_body.additional_tickets[0].der.len <= sizeof(m->additional)) {
		m->additional_len = req.req_body.additional_tickets[0].der.len;
		memcpy(m->additional, req.req_body.additional_tickets[0].der.data, m->additional_len);
	}
	open_ap_req(m, &req, &a, &subkey);
	/* Hierarchy: A.EX.TEST has no key shared with B.EX.TEST. */
	if (m->mode == T_HIERARCHY && strcmp(m->asked[(m->calls - 1) % 16],
	    "A.EX.TEST:krbtgt/B.EX.TEST") == 0) {
		kssp_crypto_key_clear(&subkey);
		kssp_arena_free(&a);
		*reply = s_principal_unknown(reply_len);
		return KSSP_OK;
	}
	memset(&enc, 0, sizeof(enc));
	enc.key.keytype = m->session.enctype;
	enc.key.keyvalue.data = m->session.contents;
	enc.key.keyvalue.len = m->session.length;
	enc.nonce = m->mode == T_WRONG_NONCE ? req.req_body.nonce + 1 : req.req_body.nonce;
	enc.authtime = NOW;
	enc.endtime = req.req_body.till;
	enc.flags = req.req_body.kdc_options & OPT_FORWARDABLE;
	if (m->mode == T_FORWARD && (req.req_body.kdc_options & OPT_FORWARDED))
		enc.flags |= OPT_FORWARDED;
	snprintf(issuer, sizeof(issuer), "%s", m->mode == T_OTHER_REALM ? "ELSEWHERE.TEST" : realm);
	enc.srealm.data = (const uint8_t *)issuer;
	enc.srealm.len = strlen(issuer);
	enc.sname = req.req_body.sname;
	/* Referrals: A.TEST -> B.TEST (-> A.TEST for a loop, -> Rn+1 endlessly). */
	next[0] = '\0';
	if (m->mode == T_REFER_ONCE && strcmp(realm, "A.TEST") == 0)
		snprintf(next, sizeof(next), "B.TEST");
	else if (m->mode == T_LOOP)
		snprintf(next, sizeof(next), "%s", strcmp(realm, "A.TEST") == 0 ? "B.TEST" : "A.TEST");
	else if (m->mode == T_ENDLESS)
		snprintf(next, sizeof(next), "R%d.TEST", m->calls);
	if (next[0]) {
		ref_names[0].data = (const uint8_t *)"krbtgt";
		ref_names[0].len = 6;
		ref_names[1].data = (const uint8_t *)next;
		ref_names[1].len = strlen(next);
		enc.sname.name_type = 2;
		enc.sname.name_string = ref_names;
		enc.sname.name_string_len = 2;
	}
	kssp_writer_init_growable(&pw, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_tgs_rep_part(&enc, &pw), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_encrypt(NULL, &subkey, KSSP_KU_TGS_REP_ENC_PART_SUBKEY, pw.buf,
	    pw.len, cipher, sizeof(cipher), &clen), KSSP_OK);
	memset(&rep, 0, sizeof(rep));
	rep.pvno = 5;
	rep.msg_type = 13;
	rep.crealm.data = (const uint8_t *)m->client_realm;
	rep.crealm.len = strlen(m->client_realm);
	rep.cname.name_type = 1;
	cname[0].data = (const uint8_t *)"alice";
	cname[0].len = 5;
	rep.cname.name_string = cname;
	rep.cname.name_string_len = 1;
	rep.ticket.tkt_vno = 5;
	rep.ticket.realm = enc.srealm;
	rep.ticket.sname = enc.sname;
	rep.ticket.enc_part.etype = 18;
	rep.ticket.enc_part.cipher.data = tkt;
	rep.ticket.enc_part.cipher.len = sizeof(tkt);
	rep.enc_part.etype = subkey.enctype;
	rep.enc_part.cipher.data = cipher;
	rep.enc_part.cipher.len = clen;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_tgs_rep(&rep, &w), KSSP_OK);
	kssp_writer_free(&pw);
	kssp_crypto_key_clear(&subkey);
	kssp_arena_free(&a);
	*reply = detach(&w, reply_len);
	return KSSP_OK;
}

static kssp_err fixed_clock(void *arg, struct kssp_time *now)
{
	(void)arg;
	now->sec = NOW;
	now->usec = 0;
	return KSSP_OK;
}

/* A TGT for alice@A.TEST whose session key the stand-in shares. */
static void make_tgt(struct tgs_mock *m, const char *realm, struct kssp_cred *tgt)
{
	char name[128];
	static const uint8_t ticket[] = {
		0x61, 0x3f, 0x30, 0x3d, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x08, 0x1b, 0x06, 'A',
		'.', 'T', 'E', 'S', 'T', 0xa2, 0x1b, 0x30, 0x19, 0xa0, 0x03, 0x02, 0x01, 0x02, 0xa1,
		0x12, 0x30, 0x10, 0x1b, 0x06, 'k', 'r', 'b', 't', 'g', 't', 0x1b, 0x06, 'A', '.',
		'T', 'E', 'S', 'T', 0xa3, 0x0f, 0x30, 0x0d, 0xa0, 0x03, 0x02, 0x01, 0x12, 0xa2, 0x06,
		0x04, 0x04, 0, 0, 0, 0,
	};

	ck_assert_int_eq(kssp_crypto_random_key(NULL, 18, &m->session), KSSP_OK);
	memset(tgt, 0, sizeof(*tgt));
	snprintf(name, sizeof(name), "alice@%s", realm);
	ck_assert_int_eq(kssp_principal_parse(name, 0, NULL, &tgt->client), KSSP_OK);
	snprintf(name, sizeof(name), "krbtgt/%s@%s", realm, realm);
	ck_assert_int_eq(kssp_principal_parse(name, 0, NULL, &tgt->server), KSSP_OK);
	tgt->keytype = 18;
	ck_assert_int_eq(kssp_cred_data_set(&tgt->keyvalue, m->session.contents, m->session.length),
	    KSSP_OK);
	ck_assert_int_eq(kssp_cred_data_set(&tgt->ticket, ticket, sizeof(ticket)), KSSP_OK);
	{
		struct kssp_arena a;
		struct kssp_ticket t;

		kssp_arena_init(&a);
		ck_assert_int_eq(kssp_krb5_decode_ticket(ticket, sizeof(ticket), &a, &t), KSSP_OK);
		kssp_arena_free(&a);
	}
	tgt->authtime = tgt->starttime = NOW;
	tgt->endtime = NOW + 36000;
	tgt->ticket_flags = 0x40000000;
}

static kssp_err run_tgs(enum tgs_mode mode, struct tgs_mock *m, const char *service,
    struct kssp_credset *path, struct kssp_cred *out)
{
	static const char conf[] = "[libdefaults]\n dns_lookup_kdc = false\n";
	struct kssp_config *cfg;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;
	struct kssp_principal *server;
	struct kssp_tgs_opts o;
	kssp_err e;

	memset(m, 0, sizeof(*m));
	m->mode = mode;
	m->client_realm = mode == T_HIERARCHY ? "A.EX.TEST" : "A.TEST";
	memset(&h, 0, sizeof(h));
	h.clock = fixed_clock;
	h.transport = tgs_kdc;
	h.transport_arg = m;
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", conf, sizeof(conf) - 1), KSSP_OK);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	make_tgt(m, m->client_realm, &tgt);
	ck_assert_int_eq(kssp_principal_parse(service, 0, NULL, &server), KSSP_OK);
	server->name_type = 3;
	kssp_tgs_opts_init(&o);
	o.server = server;
	o.second_ticket = u2u_second;
	memset(out, 0, sizeof(*out));
	e = kssp_tgs_get_ticket(&ctx, &tgt, &o, path, out);
	kssp_principal_free(server);
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
	kssp_config_free(cfg);
	kssp_crypto_key_clear(&m->session);
	return e;
}

/* kssp_tgs_forward_tgt from a TGT with tgt_flags, against the stand-in in mode. */
static kssp_err run_forward(enum tgs_mode mode, struct tgs_mock *m, uint32_t tgt_flags,
    struct kssp_cred *out)
{
	static const char conf[] = "[libdefaults]\n dns_lookup_kdc = false\n";
	struct kssp_config *cfg;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;
	kssp_err e;

	memset(m, 0, sizeof(*m));
	m->mode = mode;
	m->client_realm = "A.TEST";
	memset(&h, 0, sizeof(h));
	h.clock = fixed_clock;
	h.transport = tgs_kdc;
	h.transport_arg = m;
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", conf, sizeof(conf) - 1), KSSP_OK);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	make_tgt(m, m->client_realm, &tgt);
	tgt.ticket_flags = tgt_flags;
	memset(out, 0, sizeof(*out));
	e = kssp_tgs_forward_tgt(&ctx, &tgt, out);
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
	kssp_config_free(cfg);
	kssp_crypto_key_clear(&m->session);
	return e;
}

START_TEST(tgs_forwarded_tgt)
{
	struct tgs_mock m;
	struct kssp_cred fwd;

	/* krbtgt/A.TEST asked again with FORWARDED|FORWARDABLE, no referral. */
	ck_assert_msg(run_forward(T_FORWARD, &m, OPT_FORWARDABLE, &fwd) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(m.calls, 1);
	ck_assert_str_eq(m.asked[0], "A.TEST:krbtgt/A.TEST");
	ck_assert_uint_eq(m.kdc_options & (OPT_FORWARDED | OPT_FORWARDABLE),
	    OPT_FORWARDED | OPT_FORWARDABLE);
	ck_assert_uint_eq(m.kdc_options & 0x00010000u, 0); /* canonicalize */
	ck_assert(m.checksum_ok);
	ck_assert_uint_ne(fwd.ticket_flags & OPT_FORWARDED, 0);
	ck_assert(kssp_principal_is_tgs(fwd.server));
	ck_assert_str_eq(fwd.client->name_string[0].data, "alice");
	kssp_cred_clear(&fwd);

	/* A TGT that is not forwardable: refused before any request. */
	ck_assert_int_eq(run_forward(T_FORWARD, &m, 0, &fwd), KDC_ERR_BADOPTION);
	ck_assert_int_eq(m.calls, 0);
	ck_assert(strstr(kssp_last_reason(), "not forwardable") != NULL);
	ck_assert_ptr_null(fwd.ticket.data);

	/* A KDC that ignores FORWARDED: its ticket is not taken. */
	ck_assert_int_eq(run_forward(T_FORWARD_UNMARKED, &m, OPT_FORWARDABLE, &fwd),
	    KDC_ERR_BADOPTION);
	ck_assert_int_eq(m.calls, 1);
	ck_assert(strstr(kssp_last_reason(), "not marked forwarded") != NULL);
	ck_assert_ptr_null(fwd.ticket.data);
	ck_assert_ptr_null(fwd.client);
}
END_TEST

START_TEST(tgs_service_ticket_with_subkey_and_body_checksum)
{
	struct tgs_mock m;
	struct kssp_cred st;

	ck_assert_msg(run_tgs(T_SERVICE, &m, "HTTP/web@A.TEST", NULL, &st) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert(m.checksum_ok);
	ck_assert_int_eq(m.calls, 1);
	ck_assert_str_eq(st.server->realm.data, "A.TEST");
	ck_assert_str_eq(st.client->name_string[0].data, "alice");
	kssp_cred_clear(&st);
}
END_TEST

/*
 * User-to-user (RFC 4120 §3.3.3, §5.4.1): ENC-TKT-IN-SKEY with the
 * server's TGT as the one additional ticket, no canonicalize (no
 * referral); the ticket comes back marked is_skey with that TGT beside it,
 * as MIT's cache keeps it.
 */
START_TEST(tgs_user_to_user_ticket)
{
	struct tgs_mock m, bob;
	struct kssp_cred st, bob_tgt;

	make_tgt(&bob, "A.TEST", &bob_tgt);
	kssp_crypto_key_clear(&bob.session);
	u2u_second = &bob_tgt.ticket;
	ck_assert_msg(run_tgs(T_SERVICE, &m, "bob@A.TEST", NULL, &st) == KSSP_OK, "%s",
	    kssp_last_reason());
	u2u_second = NULL;
	ck_assert_int_eq(m.calls, 1);
	ck_assert_uint_ne(m.kdc_options & 0x00000008u, 0); /* enc-tkt-in-skey, bit 28 */
	ck_assert_uint_eq(m.kdc_options & 0x00010000u, 0); /* canonicalize */
	ck_assert_uint_eq(m.n_additional, 1);
	ck_assert_uint_eq(m.additional_len, bob_tgt.ticket.length);
	ck_assert_mem_eq(m.additional, bob_tgt.ticket.data, m.additional_len);
	ck_assert(st.is_skey);
	ck_assert_uint_eq(st.second_ticket.length, bob_tgt.ticket.length);
	kssp_cred_clear(&st);

	/* Without it: neither the option nor an additional ticket, and no is_skey. */
	ck_assert_int_eq(run_tgs(T_SERVICE, &m, "HTTP/web@A.TEST", NULL, &st), KSSP_OK);
	ck_assert_uint_eq(m.kdc_options & 0x00000008u, 0);
	ck_assert_uint_eq(m.n_additional, 0);
	ck_assert(!st.is_skey);
	kssp_cred_clear(&st);
	kssp_cred_clear(&bob_tgt);
}
END_TEST

START_TEST(tgs_follows_one_referral)
{
	struct tgs_mock m;
	struct kssp_cred st;
	struct kssp_credset path;

	kssp_credset_init(&path);
	ck_assert_msg(run_tgs(T_REFER_ONCE, &m, "HTTP/web@A.TEST", &path, &st) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(m.calls, 2);
	ck_assert_str_eq(m.realms[0], "A.TEST");
	ck_assert_str_eq(m.realms[1], "B.TEST");
	ck_assert_str_eq(st.server->realm.data, "B.TEST");
	/* The referral TGT krbtgt/B.TEST@A.TEST is kept for the caller's cache. */
	ck_assert_uint_eq(path.n_creds, 1);
	ck_assert(kssp_principal_is_tgs(path.creds[0].server));
	kssp_cred_clear(&st);
	kssp_credset_free(&path);
}
END_TEST

START_TEST(tgs_detects_a_referral_loop)
{
	struct tgs_mock m;
	struct kssp_cred st;

	ck_assert_int_eq(run_tgs(T_LOOP, &m, "HTTP/web@A.TEST", NULL, &st), KRB_AP_ERR_MODIFIED);
	ck_assert_str_eq(kssp_last_reason(), "TGS: referral loop back to realm A.TEST");
	ck_assert_int_eq(m.calls, 2);
	ck_assert_ptr_null(st.client);
}
END_TEST

START_TEST(tgs_stops_after_ten_referrals)
{
	struct tgs_mock m;
	struct kssp_cred st;

	ck_assert_int_eq(run_tgs(T_ENDLESS, &m, "HTTP/web@A.TEST", NULL, &st), KSSP_ERR_LIMIT);
	ck_assert_str_eq(kssp_last_reason(), "TGS: more than 10 referrals");
	ck_assert_int_eq(m.calls, KSSP_TGS_MAX_HOPS + 1);
	ck_assert_ptr_null(st.client);
}
END_TEST

START_TEST(tgs_refuses_wrong_nonce_and_foreign_tickets)
{
	struct tgs_mock m;
	struct kssp_cred st;

	ck_assert_int_eq(run_tgs(T_WRONG_NONCE, &m, "HTTP/web@A.TEST", NULL, &st),
	    KRB_AP_ERR_MODIFIED);
	ck_assert_str_eq(kssp_last_reason(), "TGS-REP: nonce does not match the request");
	ck_assert_int_eq(run_tgs(T_OTHER_REALM, &m, "HTTP/web@A.TEST", NULL, &st),
	    KRB_AP_ERR_MODIFIED);
	ck_assert_str_eq(kssp_last_reason(), "TGS-REP: a ticket of another realm than A.TEST");
}
END_TEST

/* No [capaths]: the farthest realm first, then up and down the hierarchy. */
START_TEST(tgs_walks_the_realm_hierarchy)
{
	struct tgs_mock m;
	struct kssp_cred st;
	struct kssp_credset path;

	kssp_credset_init(&path);
	ck_assert_msg(run_tgs(T_HIERARCHY, &m, "HTTP/web@B.EX.TEST", &path, &st) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(m.calls, 4);
	ck_assert_str_eq(m.asked[0], "A.EX.TEST:krbtgt/B.EX.TEST");
	ck_assert_str_eq(m.asked[1], "A.EX.TEST:krbtgt/EX.TEST");
	ck_assert_str_eq(m.asked[2], "EX.TEST:krbtgt/B.EX.TEST");
	ck_assert_str_eq(m.asked[3], "B.EX.TEST:HTTP/web");
	ck_assert_uint_eq(path.n_creds, 2);
	ck_assert_str_eq(st.server->realm.data, "B.EX.TEST");
	kssp_cred_clear(&st);
	kssp_credset_free(&path);
}
END_TEST

Suite *kssp_suite_kdc_tgs(void);
Suite *kssp_suite_kdc_tgs(void)
{
	Suite *s = suite_create("kdc_tgs");
	TCase *tc = tcase_create("tgs");

	tcase_add_test(tc, tgs_service_ticket_with_subkey_and_body_checksum);
	tcase_add_test(tc, tgs_user_to_user_ticket);
	tcase_add_test(tc, tgs_follows_one_referral);
	tcase_add_test(tc, tgs_detects_a_referral_loop);
	tcase_add_test(tc, tgs_stops_after_ten_referrals);
	tcase_add_test(tc, tgs_refuses_wrong_nonce_and_foreign_tickets);
	tcase_add_test(tc, tgs_walks_the_realm_hierarchy);
	tcase_add_test(tc, tgs_forwarded_tgt);
	suite_add_tcase(s, tc);
	return s;
}
