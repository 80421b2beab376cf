/*
 * test/unit/check_kdc_exchange.c - the AS and TGS exchanges offline:
 * a kinit + kvno recorded from MIT's KDC replayed byte for byte, and a
 * hostile KDC stand-in (a transport hook) whose replies carry a wrong
 * nonce, another key, another client or server, an enctype not asked
 * for, a PBKDF2 count of 2^31, or a KRB-ERROR with e-text.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/err_int.h"
#include "base/mem_int.h"
#include "creds/cred_int.h"
#include "creds/principal_int.h"
#include "crypto/crypto.h"
#include "kdc/as_int.h"
#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/tgs_int.h"
#include "kdc/transport_int.h"
#include "testutil.h"

/* ---- record / replay ------------------------------------------------- */

static struct kssp_recording *load_rec(const char *name)
{
	struct kssp_recording *rec;

	ck_assert_msg(kssp_recording_load(tu_fixture(name), &rec) == KSSP_OK, "%s: %s", name,
	    kssp_last_reason());
	return rec;
}

static struct kssp_config *config_file(const char *name)
{
	struct kssp_config *cfg;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_files(cfg, tu_fixture(name)), KSSP_OK);
	return cfg;
}

static struct kssp_config *replay_config(void)
{
	return config_file("kdc/replay.conf");
}

/* kinit: the AS exchange of kinit.rec, requests identical, reply verified. */
static kssp_err replay_kinit(struct kssp_config *cfg, struct kssp_kdc_ctx *ctx,
    struct kssp_hooks *h, struct kssp_recording *rec, struct kssp_cred *tgt,
    struct kssp_principal **client)
{
	static struct kssp_fixed_clock clock;
	static struct kssp_seeded_random rnd;
	const char *pw = kssp_recording_meta(rec, "password");
	struct kssp_as_opts o;

	tu_replay_hooks(h, rec, &clock, &rnd);
	kssp_kdc_ctx_init(ctx, cfg, h);
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(rec, "client"), 0, NULL, client),
	    KSSP_OK);
	kssp_as_opts_init(&o);
	o.client = *client;
	o.password = pw;
	o.password_len = strlen(pw);
	return kssp_as_get_tgt(ctx, &o, tgt);
}

START_TEST(replay_kinit_and_kvno_byte_for_byte)
{
	struct kssp_config *cfg = replay_config();
	struct kssp_recording *as = load_rec("kdc/kinit.rec"), *tgs = load_rec("kdc/kvno.rec");
	struct kssp_fixed_clock clock2;
	struct kssp_seeded_random rnd2;
	struct kssp_hooks h, h2;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *client = NULL, *service = NULL;
	struct kssp_cred tgt, st;
	struct kssp_tgs_opts o;
	kssp_err e;

	e = replay_kinit(cfg, &ctx, &h, as, &tgt, &client);
	ck_assert_msg(e == KSSP_OK, "kinit replay: %s", kssp_last_reason());
	ck_assert_uint_eq(kssp_recording_served(as), kssp_recording_count(as));
	ck_assert(kssp_principal_equal(tgt.client, client));
	ck_assert(kssp_principal_is_tgs(tgt.server));
	ck_assert(kssp_principal_realm_is(tgt.server, "KSSP.TEST"));
	ck_assert_uint_gt(tgt.endtime, tgt.authtime);

	/* kvno ran as its own process: fresh clock and random stream, cached offset. */
	tu_replay_hooks(&h2, tgs, &clock2, &rnd2);
	ctx.hooks = &h2;
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(tgs, "service"), 0, NULL,
	    &service), KSSP_OK);
	service->name_type = KSSP_NT_SRV_HST;
	kssp_tgs_opts_init(&o);
	o.server = service;
	e = kssp_tgs_get_ticket(&ctx, &tgt, &o, NULL, &st);
	ck_assert_msg(e == KSSP_OK, "kvno replay: %s", kssp_last_reason());
	ck_assert_uint_eq(kssp_recording_served(tgs), kssp_recording_count(tgs));
	ck_assert(kssp_principal_equal(st.server, service));
	ck_assert(kssp_principal_equal(st.client, client));
	kssp_cred_clear(&st);
	kssp_cred_clear(&tgt);
	kssp_principal_free(service);
	kssp_principal_free(client);
	kssp_kdc_ctx_free(&ctx);
	kssp_recording_free(as);
	kssp_recording_free(tgs);
	kssp_config_free(cfg);
}
END_TEST

/* S4U2Self recorded from MIT's KDC (PA-FOR-USER): a ticket to ourselves for alice. */
START_TEST(replay_s4u2self)
{
	struct kssp_config *cfg = replay_config();
	struct kssp_recording *as = load_rec("kdc/s4u-kinit.rec");
	struct kssp_recording *self = load_rec("kdc/s4u-self.rec");
	struct kssp_fixed_clock clock2;
	struct kssp_seeded_random rnd2;
	struct kssp_hooks h, h2;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *svc = NULL, *user = NULL;
	struct kssp_cred tgt, st;
	struct kssp_tgs_opts o;
	kssp_err e;

	e = replay_kinit(cfg, &ctx, &h, as, &tgt, &svc);
	ck_assert_msg(e == KSSP_OK, "kinit replay: %s", kssp_last_reason());
	tu_replay_hooks(&h2, self, &clock2, &rnd2);
	ctx.hooks = &h2;
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(self, "user"), 0, NULL, &user),
	    KSSP_OK);
	kssp_tgs_opts_init(&o);
	o.impersonate = user;
	e = kssp_tgs_get_ticket(&ctx, &tgt, &o, NULL, &st);
	ck_assert_msg(e == KSSP_OK, "S4U2Self replay: %s", kssp_last_reason());
	ck_assert_uint_eq(kssp_recording_served(self), kssp_recording_count(self));
	ck_assert(kssp_principal_equal(st.client, user));
	ck_assert(kssp_principal_equal(st.server, svc));
	/* +ok_to_auth_as_delegate: forwardable, usable as S4U2Proxy evidence. */
	ck_assert(st.ticket_flags & KSSP_TKT_FLG_FORWARDABLE);
	kssp_cred_clear(&st);
	kssp_cred_clear(&tgt);
	kssp_principal_free(user);
	kssp_principal_free(svc);
	kssp_kdc_ctx_free(&ctx);
	kssp_recording_free(as);
	kssp_recording_free(self);
	kssp_config_free(cfg);
}
END_TEST

/* A recording's text with from replaced by to (same length) in its first reply. */
static struct kssp_recording *load_rec_altered(const char *name, const char *from,
    const char *to)
{
	struct kssp_recording *rec = NULL;
	static char text[65536];
	FILE *f = fopen(tu_fixture(name), "r");
	size_t n;
	char *at;

	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	at = strstr(text, "\n< ");
	ck_assert_ptr_nonnull(at);
	at = strstr(at, from);
	ck_assert_ptr_nonnull(at);
	ck_assert_uint_eq(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
	ck_assert_int_eq(kssp_recording_parse(text, n, &rec), KSSP_OK);
	return rec;
}

/*
 * MS-SFU 2.2.2: MIT's S4U2Self reply carries PA-S4U-X509-USER (nonce, user,
 * checksum under the reply key: the request's subkey and usage 26, so the
 * same bytes as the request's); each altered in the recorded reply (its
 * enc-part intact) is refused as KRB_AP_ERR_MODIFIED.
 */
START_TEST(s4u2self_reply_altered_is_refused)
{
	/* The recorded reply's PA-S4U-X509-USER: S4UUserID {nonce, cname alice, crealm}, checksum. */
	static const char pa[] = "3046a02b3029a006020422db1bb0a1123010a003020101a10930071b05616c"
	    "696365a20b1b094b5353502e54455354a1173015a003020110a10e040c4dc138783aac53223828d36c";
	static const struct {
		const char *from, *to, *why;
	} alter[] = {
		{ "020422db1bb0a112", "020422db1bb1a112", "another nonce" },
		{ "1b05616c696365a20b", "1b05616c696366a20b", "another user" },
		{ "4dc138783aac53223828d36c", "4dc138783aac53223828d36d", "does not verify" },
	};
	size_t i;

	for (i = 0; i < sizeof(alter) / sizeof(alter[0]); i++) {
		struct kssp_config *cfg = replay_config();
		struct kssp_recording *as = load_rec("kdc/s4u-kinit.rec");
		struct kssp_recording *self;
		struct kssp_fixed_clock clock2;
		struct kssp_seeded_random rnd2;
		struct kssp_hooks h, h2;
		struct kssp_kdc_ctx ctx;
		struct kssp_principal *svc = NULL, *user = NULL;
		struct kssp_cred tgt, st;
		struct kssp_tgs_opts o;
		char altered[sizeof(pa)], *at;
		kssp_err e;

		memcpy(altered, pa, sizeof(pa));
		at = strstr(altered, alter[i].from);
		ck_assert_ptr_nonnull(at);
		memcpy(at, alter[i].to, strlen(alter[i].to));
		self = load_rec_altered("kdc/s4u-self.rec", pa, altered);
		ck_assert_int_eq(replay_kinit(cfg, &ctx, &h, as, &tgt, &svc), KSSP_OK);
		tu_replay_hooks(&h2, self, &clock2, &rnd2);
		ctx.hooks = &h2;
		ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(self, "user"), 0, NULL,
		    &user), KSSP_OK);
		kssp_tgs_opts_init(&o);
		o.impersonate = user;
		memset(&st, 0, sizeof(st));
		e = kssp_tgs_get_ticket(&ctx, &tgt, &o, NULL, &st);
		ck_assert_msg(e == KRB_AP_ERR_MODIFIED, "%s: %s", alter[i].why, kssp_last_reason());
		ck_assert_msg(strstr(kssp_last_reason(), alter[i].why) != NULL, "%s: %s",
		    alter[i].why, kssp_last_reason());
		kssp_cred_clear(&st);
		kssp_cred_clear(&tgt);
		kssp_principal_free(user);
		kssp_principal_free(svc);
		kssp_kdc_ctx_free(&ctx);
		kssp_recording_free(as);
		kssp_recording_free(self);
		kssp_config_free(cfg);
	}
}
END_TEST

/* The last request sent, kept by a transport in front of the recording's. */
struct last_request {
	struct kssp_recording *rec;
	uint8_t buf[8192];
	size_t len;
};

static kssp_err keep_request(void *arg, const char *realm, const uint8_t *req, size_t req_len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	struct last_request *l = arg;

	ck_assert_uint_le(req_len, sizeof(l->buf));
	memcpy(l->buf, req, req_len);
	l->len = req_len;
	return kssp_recording_transport(l->rec, realm, req, req_len, flags, reply, reply_len);
}

/* The PA-PAC-OPTIONS flags of an encoded TGS-REQ (MS-KILE §2.2.10); 0 when absent. */
static uint32_t pac_options_of(const uint8_t *req, size_t len)
{
	struct kssp_arena a;
	struct kssp_kdc_req r;
	struct kssp_pa_pac_options o;
	uint32_t flags = 0;
	size_t i;

	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_tgs_req(req, len, &a, &r), KSSP_OK);
	for (i = 0; i < r.padata_len; i++)
		if (r.padata[i].padata_type == 167) {
			ck_assert_int_eq(kssp_krb5_decode_pa_pac_options(r.padata[i].padata_value.data,
			    r.padata[i].padata_value.len, &a, &o), KSSP_OK);
			flags = o.options;
		}
	kssp_arena_free(&a);
	return flags;
}

/*
 * S4U2Self then S4U2Proxy recorded from Heimdal's KDC (constrained
 * delegation front -> HTTP/): the proxy ticket is for alice, to HTTP/,
 * asked with PA-PAC-OPTIONS resource-based-constrained-delegation.
 */
START_TEST(replay_heimdal_s4u2proxy)
{
	struct kssp_config *cfg = config_file("kdc/heimdal.conf");
	struct kssp_recording *as = load_rec("kdc/heimdal-kinit.rec");
	struct kssp_recording *s4u = load_rec("kdc/heimdal-s4u.rec");
	struct kssp_fixed_clock clock2;
	struct kssp_seeded_random rnd2;
	struct kssp_hooks h, h2;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *front = NULL, *user = NULL, *back = NULL;
	struct kssp_cred tgt, evidence, proxy;
	struct kssp_tgs_opts o;
	static struct last_request last;
	kssp_err e;

	e = replay_kinit(cfg, &ctx, &h, as, &tgt, &front);
	ck_assert_msg(e == KSSP_OK, "kinit replay: %s", kssp_last_reason());
	ck_assert(tgt.ticket_flags & KSSP_TKT_FLG_FORWARDABLE);
	tu_replay_hooks(&h2, s4u, &clock2, &rnd2);
	last.rec = s4u;
	h2.transport = keep_request;
	h2.transport_arg = &last;
	ctx.hooks = &h2;
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(s4u, "user"), 0, NULL, &user),
	    KSSP_OK);
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(s4u, "service"), 0, NULL, &back),
	    KSSP_OK);
	back->name_type = KSSP_NT_SRV_HST;
	kssp_tgs_opts_init(&o);
	o.impersonate = user;
	e = kssp_tgs_get_ticket(&ctx, &tgt, &o, NULL, &evidence);
	ck_assert_msg(e == KSSP_OK, "S4U2Self replay: %s", kssp_last_reason());
	ck_assert_uint_eq(pac_options_of(last.buf, last.len), 0);
	kssp_tgs_opts_init(&o);
	o.server = back;
	o.evidence = &evidence;
	e = kssp_tgs_get_ticket(&ctx, &tgt, &o, NULL, &proxy);
	ck_assert_msg(e == KSSP_OK, "S4U2Proxy replay: %s", kssp_last_reason());
	/* As MIT's client: resource-based-constrained-delegation (bit 3) on S4U2Proxy only. */
	ck_assert_uint_eq(pac_options_of(last.buf, last.len), 0x10000000u);
	ck_assert_uint_eq(kssp_recording_served(s4u), kssp_recording_count(s4u));
	ck_assert(kssp_principal_equal(proxy.client, user));
	ck_assert(kssp_principal_equal(proxy.server, back));
	kssp_cred_clear(&proxy);
	kssp_cred_clear(&evidence);
	kssp_cred_clear(&tgt);
	kssp_principal_free(back);
	kssp_principal_free(user);
	kssp_principal_free(front);
	kssp_kdc_ctx_free(&ctx);
	kssp_recording_free(as);
	kssp_recording_free(s4u);
	kssp_config_free(cfg);
}
END_TEST

/* A wrong password in the replay: the request differs (the KDC needs no
 * preauth, so the AS-REQ is the same) and the reply then fails to open. */
START_TEST(replay_with_wrong_password_is_refused)
{
	struct kssp_config *cfg = replay_config();
	struct kssp_recording *as = load_rec("kdc/kinit.rec");
	struct kssp_fixed_clock clock;
	struct kssp_seeded_random rnd;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *client = NULL;
	struct kssp_as_opts o;
	struct kssp_cred tgt;

	tu_replay_hooks(&h, as, &clock, &rnd);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	ck_assert_int_eq(kssp_principal_parse(kssp_recording_meta(as, "client"), 0, NULL, &client),
	    KSSP_OK);
	kssp_as_opts_init(&o);
	o.client = client;
	o.password = "not-the-password";
	o.password_len = strlen(o.password);
	ck_assert_int_eq(kssp_as_get_tgt(&ctx, &o, &tgt), KDC_ERR_PREAUTH_FAILED);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "does not decrypt"));
	kssp_principal_free(client);
	kssp_kdc_ctx_free(&ctx);
	kssp_recording_free(as);
	kssp_config_free(cfg);
}
END_TEST

/* ---- a hostile KDC stand-in ------------------------------------------ */

enum mock_mode {
	M_GOOD,
	M_WRONG_NONCE,
	M_OTHER_KEY,
	M_OTHER_CLIENT,
	M_OTHER_SERVER,
	M_TICKET_SERVER,  /* the clear-text ticket names another server */
	M_RC4_REPLY,      /* an enctype the request did not list */
	M_HUGE_ITERATIONS,
	M_RC4_HINT,       /* PREAUTH_REQUIRED offering only an unrequested enctype */
	M_UNKNOWN_CLIENT,
	M_LONG_LIFE,      /* endtime past the requested till */
	M_SKEW_HINT_HUGE, /* KRB_AP_ERR_SKEW with a server time years away */
	M_REPLICA_STALE,  /* KDC_ERR_PREAUTH_FAILED unless asked at the master */
	M_CANON_REALM,    /* crealm and TGT of CANON.TEST, proven by PA-REQ-ENC-PA-REP */
	M_CANON_BARE,     /* the same without PA-REQ-ENC-PA-REP */
	M_REFERRAL,       /* KDC_ERR_WRONG_REALM naming OTHER.TEST, then that realm answers (proven) */
};

struct mock {
	enum mock_mode mode;
	int calls;
	int master_calls;
	int32_t ts_etype;  /* enctype of the PA-ENC-TIMESTAMP seen, 0: none */
	char realms[4][16]; /* the realm of each request, as sent (first four) */
	const uint8_t *req; /* the request being answered */
	size_t req_len;
};

#define MOCK_NOW 1795000000
static const char password[] = "correct horse";
static const uint8_t salt[] = "KSSP.TESTalice";

static uint8_t *detach(struct kssp_writer *w, size_t *len)
{
	uint8_t *out;

	ck_assert_int_eq(kssp_writer_detach(w, &out, len), KSSP_OK);
	return out;
}

static void client_key(int32_t etype, const char *pw, struct kssp_key *key)
{
	ck_assert_int_eq(kssp_crypto_string_to_key(etype, pw, strlen(pw),
	    etype == 23 ? NULL : salt, etype == 23 ? 0 : sizeof(salt) - 1, NULL, 0, key), KSSP_OK);
}

/* KRB-ERROR code with optional e-data (METHOD-DATA of one ETYPE-INFO2 entry). */
static uint8_t *mock_error(int32_t code, int32_t hint_etype, const uint8_t *s2kparams,
    int64_t stime, size_t *len)
{
	struct kssp_krb_error err;
	struct kssp_etype_info2_entry entry;
	struct kssp_etype_info2 info;
	struct kssp_pa_data pa;
	struct kssp_method_data md;
	struct kssp_writer w1, w2, w;
	const uint8_t *kt[] = { (const uint8_t *)"krbtgt", (const uint8_t *)"KSSP.TEST" };
	struct kssp_der_bytes names[2] = { { kt[0], 6 }, { kt[1], 9 } };

	memset(&err, 0, sizeof(err));
	err.pvno = 5;
	err.msg_type = 30;
	err.stime = stime;
	err.error_code = code;
	err.realm.data = (const uint8_t *)"KSSP.TEST";
	err.realm.len = 9;
	err.sname.name_type = 2;
	err.sname.name_string = names;
	err.sname.name_string_len = 2;
	err.e_text.data = (const uint8_t *)"mock says no";
	err.e_text.len = 12;
	if (code == KDC_ERR_WRONG_REALM) {
		err.crealm.data = (const uint8_t *)"OTHER.TEST";
		err.crealm.len = 10;
	}
	kssp_writer_init_growable(&w1, 0);
	kssp_writer_init_growable(&w2, 0);
	if (hint_etype) {
		memset(&entry, 0, sizeof(entry));
		entry.etype = hint_etype;
		entry.salt.data = salt;
		entry.salt.len = sizeof(salt) - 1;
		if (s2kparams) {
			entry.s2kparams.data = s2kparams;
			entry.s2kparams.len = 4;
		}
		memset(&info, 0, sizeof(info));
		info.entries = &entry;
		info.entries_len = 1;
		ck_assert_int_eq(kssp_krb5_encode_etype_info2(&info, &w1), KSSP_OK);
		pa.padata_type = 19;
		pa.padata_value.data = w1.buf;
		pa.padata_value.len = w1.len;
		memset(&md, 0, sizeof(md));
		md.padata = &pa;
		md.padata_len = 1;
		ck_assert_int_eq(kssp_krb5_encode_method_data(&md, &w2), KSSP_OK);
		err.e_data.data = w2.buf;
		err.e_data.len = w2.len;
	}
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_error(&err, &w), KSSP_OK);
	kssp_writer_free(&w1);
	kssp_writer_free(&w2);
	return detach(&w, len);
}

static int32_t enc_timestamp_etype(const struct kssp_kdc_req *req, struct kssp_arena *a)
{
	size_t i;

	for (i = 0; i < req->padata_len; i++) {
		struct kssp_encrypted_data ed;

		if (req->padata[i].padata_type != 2)
			continue;
		ck_assert_int_eq(kssp_krb5_decode_encrypted_data(req->padata[i].padata_value.data,
		    req->padata[i].padata_value.len, a, &ed), KSSP_OK);
		return ed.etype;
	}
	return 0;
}

static uint8_t *mock_as_rep(const struct mock *m, const struct kssp_kdc_req *req, size_t *len)
{
	const struct kssp_kdc_req_body *b = &req->req_body;
	int32_t etype = m->mode == M_RC4_REPLY ? 23 : 18;
	struct kssp_key ckey, skey;
	struct kssp_enc_kdc_rep_part enc;
	struct kssp_last_req lr = { { NULL, 0 }, 0, MOCK_NOW };
	struct kssp_kdc_rep rep;
	struct kssp_writer pw, w;
	uint8_t tkt_cipher[32] = { 0 }, *cipher;
	size_t clen;
	struct kssp_der_bytes other[2] = { { (const uint8_t *)"mallory", 7 },
		{ (const uint8_t *)"KSSP.TEST", 9 } };
	struct kssp_der_bytes http[2] = { { (const uint8_t *)"HTTP", 4 },
		{ (const uint8_t *)"evil", 4 } };
	struct kssp_der_bytes canon = { (const uint8_t *)"CANON.TEST", 10 };
	struct kssp_der_bytes canon_tgs[2] = { { (const uint8_t *)"krbtgt", 6 }, canon };
	bool to_canon = m->mode == M_CANON_REALM || m->mode == M_CANON_BARE;
	struct kssp_pa_data enc_pa;
	struct kssp_checksum ck;
	struct kssp_writer ckw;
	uint8_t mac[64];

	memset(&ckey, 0, sizeof(ckey));
	memset(&skey, 0, sizeof(skey));
	client_key(etype, m->mode == M_OTHER_KEY ? "another password" : password, &ckey);
	ck_assert_int_eq(kssp_crypto_random_key(NULL, 18, &skey), KSSP_OK);
	memset(&enc, 0, sizeof(enc));
	enc.key.keytype = 18;
	enc.key.keyvalue.data = skey.contents;
	enc.key.keyvalue.len = skey.length;
	enc.last_req = &lr;
	enc.last_req_len = 1;
	enc.nonce = m->mode == M_WRONG_NONCE ? b->nonce ^ 1 : b->nonce;
	enc.flags = 0x00400000; /* initial */
	enc.authtime = MOCK_NOW;
	enc.endtime = m->mode == M_LONG_LIFE ? b->till + 3600 : b->till;
	enc.srealm = to_canon ? canon : b->realm;
	enc.sname = b->sname;
	if (to_canon)
		enc.sname.name_string = canon_tgs;
	kssp_writer_init_growable(&ckw, 0);
	if (m->mode == M_CANON_REALM || m->mode == M_REFERRAL) {
		/* RFC 6806 §11: the request's checksum under the reply key. */
		memset(&ck, 0, sizeof(ck));
		ck.cksumtype = 16;
		ck_assert_int_eq(kssp_crypto_checksum(16, &ckey, KSSP_KU_AS_REQ, m->req, m->req_len,
		    mac, sizeof(mac), &ck.checksum.len), KSSP_OK);
		ck.checksum.data = mac;
		ck_assert_int_eq(kssp_krb5_encode_checksum(&ck, &ckw), KSSP_OK);
		enc_pa.padata_type = 149;
		enc_pa.padata_value.data = ckw.buf;
		enc_pa.padata_value.len = ckw.len;
		enc.encrypted_pa_data = &enc_pa;
		enc.encrypted_pa_data_len = 1;
		enc.flags |= KSSP_TKT_FLG_ENC_PA_REP;
	}
	if (m->mode == M_OTHER_SERVER) {
		enc.sname.name_string = http;
		enc.sname.name_string_len = 2;
	}
	kssp_writer_init_growable(&pw, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_as_rep_part(&enc, &pw), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_encrypt_len(etype, pw.len, &clen), KSSP_OK);
	cipher = kssp_malloc(clen);
	ck_assert_int_eq(kssp_crypto_encrypt(NULL, &ckey, KSSP_KU_AS_REP_ENC_PART, pw.buf, pw.len,
	    cipher, clen, &clen), KSSP_OK);
	memset(&rep, 0, sizeof(rep));
	rep.pvno = 5;
	rep.msg_type = 11;
	rep.crealm = to_canon ? canon : b->realm;
	rep.cname = b->cname;
	if (m->mode == M_OTHER_CLIENT) {
		rep.cname.name_string = other;
		rep.cname.name_string_len = 1;
	}
	rep.ticket.tkt_vno = 5;
	rep.ticket.realm = enc.srealm;
	rep.ticket.sname = m->mode == M_OTHER_SERVER || to_canon ? enc.sname : b->sname;
	if (m->mode == M_TICKET_SERVER) {
		rep.ticket.sname.name_string = http;
		rep.ticket.sname.name_string_len = 2;
	}
	rep.ticket.enc_part.etype = 18;
	rep.ticket.enc_part.has_kvno = true;
	rep.ticket.enc_part.kvno = 1;
	rep.ticket.enc_part.cipher.data = tkt_cipher;
	rep.ticket.enc_part.cipher.len = sizeof(tkt_cipher);
	rep.enc_part.etype = etype;
	rep.enc_part.cipher.data = cipher;
	rep.enc_part.cipher.len = clen;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_as_rep(&rep, &w), KSSP_OK);
	kssp_free(cipher);
	kssp_writer_free(&pw);
	kssp_writer_free(&ckw);
	kssp_crypto_key_clear(&ckey);
	kssp_crypto_key_clear(&skey);
	return detach(&w, len);
}

static const uint8_t iter_2_31[4] = { 0x80, 0x00, 0x00, 0x00 };

static kssp_err mock_kdc(void *arg, const char *realm, const uint8_t *msg, size_t msg_len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	struct mock *m = arg;
	struct kssp_arena a;
	struct kssp_kdc_req req;

	if (m->calls < 4)
		snprintf(m->realms[m->calls], sizeof(m->realms[0]), "%s", realm);
	m->req = msg;
	m->req_len = msg_len;
	m->calls++;
	m->master_calls += (flags & KSSP_TRANSPORT_MASTER) != 0;
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_as_req(msg, msg_len, &a, &req), KSSP_OK);
	m->ts_etype = enc_timestamp_etype(&req, &a);
	if (m->mode == M_UNKNOWN_CLIENT)
		*reply = mock_error(6, 0, NULL, MOCK_NOW, reply_len);
	else if (m->mode == M_HUGE_ITERATIONS && !m->ts_etype)
		*reply = mock_error(25, 18, iter_2_31, MOCK_NOW, reply_len);
	else if (m->mode == M_RC4_HINT && !m->ts_etype)
		*reply = mock_error(25, 23, NULL, MOCK_NOW, reply_len);
	else if (m->mode == M_REPLICA_STALE && !(flags & KSSP_TRANSPORT_MASTER))
		*reply = mock_error(24, 0, NULL, MOCK_NOW, reply_len);
	else if (m->mode == M_REFERRAL && strcmp(realm, "OTHER.TEST") != 0)
		*reply = mock_error(KDC_ERR_WRONG_REALM, 0, NULL, MOCK_NOW, reply_len);
	else if (m->mode == M_SKEW_HINT_HUGE)
		*reply = mock_error(37, 0, NULL, MOCK_NOW + 10 * 365 * 86400LL, reply_len);
	else
		*reply = mock_as_rep(m, &req, reply_len);
	kssp_arena_free(&a);
	return KSSP_OK;
}

static kssp_err mock_as_conf(enum mock_mode mode, struct mock *m, struct kssp_kdc_ctx *ctx,
    struct kssp_cred *tgt, const char *conf)
{
	static const int32_t aes[] = { 18, 17 };
	static struct kssp_fixed_clock clock = { { MOCK_NOW, 0 } };
	struct kssp_config *cfg;
	struct kssp_hooks *h = kssp_calloc(1, sizeof(*h));
	struct kssp_principal *client;
	struct kssp_as_opts o;
	kssp_err e;

	ck_assert_ptr_nonnull(h);
	memset(m, 0, sizeof(*m));
	m->mode = mode;
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", conf, strlen(conf)), KSSP_OK);
	h->clock = kssp_fixed_clock;
	h->clock_arg = &clock;
	h->transport = mock_kdc;
	h->transport_arg = m;
	kssp_kdc_ctx_init(ctx, cfg, h);
	ck_assert_int_eq(kssp_principal_parse("alice@KSSP.TEST", 0, NULL, &client), KSSP_OK);
	kssp_as_opts_init(&o);
	o.client = client;
	o.password = password;
	o.password_len = strlen(password);
	o.etypes = aes;
	o.n_etypes = 2;
	memset(tgt, 0, sizeof(*tgt));
	e = kssp_as_get_tgt(ctx, &o, tgt);
	kssp_principal_free(client);
	kssp_config_free(cfg);
	kssp_free(h);
	ctx->cfg = NULL;
	ctx->hooks = NULL;
	return e;
}

static kssp_err mock_as(enum mock_mode mode, struct mock *m, struct kssp_kdc_ctx *ctx,
    struct kssp_cred *tgt)
{
	return mock_as_conf(mode, m, ctx, tgt, "[libdefaults]\n default_realm = KSSP.TEST\n"
	    " dns_lookup_kdc = false\n allow_rc4 = true\n");
}

/* One hostile reply: the exchange fails with code, the reason naming why. */
static void refused(enum mock_mode mode, kssp_err code, const char *why)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;
	kssp_err e = mock_as(mode, &m, &ctx, &tgt);

	ck_assert_msg(e == code, "mode %d: got %s (%s), want %s", mode, kssp_err_name(e),
	    kssp_last_reason(), kssp_err_name(code));
	ck_assert_msg(strstr(kssp_last_reason(), why) != NULL, "mode %d: reason '%s' lacks '%s'",
	    mode, kssp_last_reason(), why);
	ck_assert_ptr_null(tgt.client);
	kssp_kdc_ctx_free(&ctx);
}

START_TEST(mock_kdc_good_reply_is_accepted)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_msg(mock_as(M_GOOD, &m, &ctx, &tgt) == KSSP_OK, "%s", kssp_last_reason());
	ck_assert_int_eq(m.calls, 1);
	ck_assert_int_eq(tgt.keytype, 18);
	ck_assert_int_eq(tgt.authtime, MOCK_NOW);
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

START_TEST(mock_kdc_wrong_nonce_is_refused)
{
	refused(M_WRONG_NONCE, KRB_AP_ERR_MODIFIED, "nonce does not match");
}
END_TEST

START_TEST(mock_kdc_reply_sealed_with_another_key_is_refused)
{
	refused(M_OTHER_KEY, KDC_ERR_PREAUTH_FAILED, "does not decrypt under key usage 3");
}
END_TEST

START_TEST(mock_kdc_reply_naming_another_client_is_refused)
{
	refused(M_OTHER_CLIENT, KRB_AP_ERR_MODIFIED, "names another client");
}
END_TEST

START_TEST(mock_kdc_reply_for_another_server_is_refused)
{
	refused(M_OTHER_SERVER, KRB_AP_ERR_MODIFIED, "names another server");
	refused(M_TICKET_SERVER, KRB_AP_ERR_MODIFIED, "ticket's server differs");
}
END_TEST

START_TEST(mock_kdc_unrequested_enctype_is_refused)
{
	refused(M_RC4_REPLY, KDC_ERR_ETYPE_NOSUPP, "enctype 23 was not requested");
}
END_TEST

START_TEST(mock_kdc_huge_pbkdf2_count_is_refused)
{
	refused(M_HUGE_ITERATIONS, KSSP_ERR_LIMIT, "AS: client key for enctype 18");
}
END_TEST

START_TEST(mock_kdc_longer_ticket_than_asked_is_refused)
{
	refused(M_LONG_LIFE, KRB_AP_ERR_MODIFIED, "endtime later than requested");
}
END_TEST

START_TEST(mock_kdc_absurd_skew_hint_is_not_adopted)
{
	refused(M_SKEW_HINT_HUGE, KRB_AP_ERR_SKEW, "more than the 86400 s adopted");
}
END_TEST

/* A hint offering only RC4 (not asked for) never makes us use RC4. */
START_TEST(mock_kdc_preauth_hint_cannot_downgrade)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_msg(mock_as(M_RC4_HINT, &m, &ctx, &tgt) == KSSP_OK, "%s", kssp_last_reason());
	ck_assert_int_eq(m.calls, 2);
	ck_assert_int_eq(m.ts_etype, 18);
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

/* KDC_ERR_PREAUTH_FAILED from a replica: asked once more at master_kdc, if any. */
START_TEST(mock_kdc_preauth_failure_retries_at_the_master)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_msg(mock_as_conf(M_REPLICA_STALE, &m, &ctx, &tgt,
	    "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:1\n  master_kdc = 127.0.0.1:2\n }\n") ==
	    KSSP_OK, "%s", kssp_last_reason());
	ck_assert_int_eq(m.calls, 2);
	ck_assert_int_eq(m.master_calls, 1);
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
	/* No master_kdc: the failure stands, asked once. */
	ck_assert_int_eq(mock_as(M_REPLICA_STALE, &m, &ctx, &tgt), KDC_ERR_PREAUTH_FAILED);
	ck_assert_int_eq(m.calls, 1);
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

/* A KRB-ERROR travels up as its code, e-text and e-data. */
static const char canon_conf[] = "[libdefaults]\n default_realm = KSSP.TEST\n"
    " dns_lookup_kdc = false\n canonicalize = true\n";

/* RFC 6806 §11: another realm in the reply is taken when PA-REQ-ENC-PA-REP proves it. */
START_TEST(mock_kdc_canonical_realm_needs_proof)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_msg(mock_as_conf(M_CANON_REALM, &m, &ctx, &tgt, canon_conf) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_str_eq(tgt.client->realm.data, "CANON.TEST");
	ck_assert_str_eq(tgt.client->name_string[0].data, "alice");
	ck_assert(kssp_principal_is_tgs(tgt.server));
	ck_assert_str_eq(tgt.server->name_string[1].data, "CANON.TEST");
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);

	ck_assert_int_eq(mock_as_conf(M_CANON_BARE, &m, &ctx, &tgt, canon_conf),
	    KRB_AP_ERR_MODIFIED);
	ck_assert(strstr(kssp_last_reason(), "names another client") != NULL);
	ck_assert_ptr_null(tgt.client);
	kssp_kdc_ctx_free(&ctx);
	/* Without canonicalize asked, even a proven realm is refused. */
	ck_assert_int_eq(mock_as(M_CANON_REALM, &m, &ctx, &tgt), KRB_AP_ERR_MODIFIED);
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

/* RFC 6806 §7: KDC_ERR_WRONG_REALM with crealm sends the request to that realm. */
START_TEST(mock_kdc_client_referral_is_followed)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_msg(mock_as_conf(M_REFERRAL, &m, &ctx, &tgt, canon_conf) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(m.calls, 2);
	ck_assert_str_eq(m.realms[0], "KSSP.TEST");
	ck_assert_str_eq(m.realms[1], "OTHER.TEST");
	ck_assert_str_eq(tgt.server->name_string[1].data, "OTHER.TEST");
	kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
	/* Not followed without canonicalize: the KDC's error stands. */
	ck_assert_int_eq(mock_as(M_REFERRAL, &m, &ctx, &tgt), KDC_ERR_WRONG_REALM);
	ck_assert_int_eq(m.calls, 1);
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

START_TEST(mock_kdc_error_travels_up)
{
	struct mock m;
	struct kssp_kdc_ctx ctx;
	struct kssp_cred tgt;

	ck_assert_int_eq(mock_as(M_UNKNOWN_CLIENT, &m, &ctx, &tgt), KDC_ERR_C_PRINCIPAL_UNKNOWN);
	ck_assert_int_eq(ctx.last_error.error_code, 6);
	ck_assert_str_eq(ctx.last_error.e_text, "mock says no");
	ck_assert_str_eq(kssp_last_reason(),
	    "AS-REQ: KDC answered KDC_ERR_C_PRINCIPAL_UNKNOWN (6): mock says no");
	kssp_kdc_ctx_free(&ctx);
}
END_TEST

Suite *kssp_suite_kdc_exchange(void);
Suite *kssp_suite_kdc_exchange(void)
{
	Suite *s = suite_create("kdc_exchange");
	TCase *tc = tcase_create("exchange");

	tcase_add_test(tc, replay_kinit_and_kvno_byte_for_byte);
	tcase_add_test(tc, replay_s4u2self);
	tcase_add_test(tc, s4u2self_reply_altered_is_refused);
	tcase_add_test(tc, replay_heimdal_s4u2proxy);
	tcase_add_test(tc, replay_with_wrong_password_is_refused);
	tcase_add_test(tc, mock_kdc_good_reply_is_accepted);
	tcase_add_test(tc, mock_kdc_wrong_nonce_is_refused);
	tcase_add_test(tc, mock_kdc_reply_sealed_with_another_key_is_refused);
	tcase_add_test(tc, mock_kdc_reply_naming_another_client_is_refused);
	tcase_add_test(tc, mock_kdc_reply_for_another_server_is_refused);
	tcase_add_test(tc, mock_kdc_unrequested_enctype_is_refused);
	tcase_add_test(tc, mock_kdc_huge_pbkdf2_count_is_refused);
	tcase_add_test(tc, mock_kdc_longer_ticket_than_asked_is_refused);
	tcase_add_test(tc, mock_kdc_absurd_skew_hint_is_not_adopted);
	tcase_add_test(tc, mock_kdc_preauth_hint_cannot_downgrade);
	tcase_add_test(tc, mock_kdc_preauth_failure_retries_at_the_master);
	tcase_add_test(tc, mock_kdc_error_travels_up);
	tcase_add_test(tc, mock_kdc_canonical_realm_needs_proof);
	tcase_add_test(tc, mock_kdc_client_referral_is_followed);
	suite_add_tcase(s, tc);
	return s;
}
