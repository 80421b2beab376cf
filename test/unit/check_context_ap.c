/*
 * test/unit/check_context_ap.c - the AP exchange: MIT's AP-REQs (fixtures/
 * context/mit-*.txt with fixtures/context/mit-service.keytab) accepted at
 * their capture time; replay, expiry, skew, missing key, wrong service and
 * altered bytes refused with the right codes and KRB-ERROR tokens; kssp's
 * own initiator against its acceptor with mutual authentication, channel
 * bindings and delegation; export / import.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/hooks_int.h"
#include "base/mem_int.h"
#include "context/ap_int.h"
#include "creds/keytab_int.h"
#include "creds/principal_int.h"
#include "memfault.h"
#include "testutil.h"

/* ---- clock and random -------------------------------------------------- */

struct fixed_clock {
	int64_t sec;
};

static kssp_err fixed_now(void *arg, struct kssp_time *now)
{
	now->sec = ((struct fixed_clock *)arg)->sec;
	now->usec = 4242;
	return KSSP_OK;
}

static kssp_err counter_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf, *ctr = arg;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(*ctr += 0x3b);
	return KSSP_OK;
}

static struct fixed_clock clk;
static uint8_t rnd;
static struct kssp_hooks hooks = { .clock = fixed_now, .clock_arg = &clk,
	.random = counter_random, .random_arg = &rnd };

/* ---- fixtures ---------------------------------------------------------- */

struct mit_fixture {
	int64_t time;
	uint32_t flags;
	uint8_t ap_req[2048];
	size_t ap_req_len;
	struct { char kind[32]; uint8_t msg[128], tok[256]; size_t msglen, toklen; } init_tok[4];
	size_t n_init;
};

static void load(const char *name, struct mit_fixture *f)
{
	static char line[8192], a[32], b[32], c[1024], d[4096];
	long long t;
	FILE *fp = fopen(tu_fixture(name), "r");

	ck_assert_msg(fp != NULL, "cannot open %s", name);
	memset(f, 0, sizeof(*f));
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "time %lld", &t) == 1)
			f->time = t;
		else if (sscanf(line, "flags %x", &f->flags) == 1)
			continue;
		else if (sscanf(line, "ap_req %4095s", d) == 1)
			f->ap_req_len = tu_hex(d, f->ap_req, sizeof(f->ap_req));
		else if (sscanf(line, "token %31s %31s %1023s %4095s", a, b, c, d) == 4 &&
		    strcmp(a, "init") == 0 && f->n_init < 4) {
			snprintf(f->init_tok[f->n_init].kind, 32, "%s", b);
			f->init_tok[f->n_init].msglen = tu_hex(c, f->init_tok[f->n_init].msg, 128);
			f->init_tok[f->n_init].toklen = tu_hex(d, f->init_tok[f->n_init].tok, 256);
			f->n_init++;
		}
	}
	fclose(fp);
	ck_assert(f->time > 0 && f->ap_req_len > 0);
}

static struct kssp_keytab keytab;

static void setup(void)
{
	ck_assert_int_eq(kssp_keytab_read(tu_fixture("context/mit-service.keytab"), &keytab),
	    KSSP_OK);
}

static void teardown(void)
{
	kssp_keytab_free(&keytab);
}

static struct kssp_principal *name(const char *text)
{
	struct kssp_principal *p;

	ck_assert_int_eq(kssp_principal_parse(text, 0, NULL, &p), KSSP_OK);
	return p;
}

/* The error code inside a KRB-ERROR token. */
static int32_t error_token_code(const uint8_t *tok, size_t len, int64_t *stime)
{
	struct kssp_krb_error err;
	struct kssp_arena arena;
	const uint8_t *inner;
	size_t ilen;
	uint16_t id;
	int32_t code;

	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(kssp_ctx_unframe(tok, len, &id, &inner, &ilen), KSSP_OK);
	ck_assert_uint_eq(id, KSSP_TOK_KRB_ERROR);
	kssp_arena_init(&arena);
	ck_assert_int_eq(kssp_krb5_decode_krb_error(inner, ilen, &arena, &err), KSSP_OK);
	code = err.error_code;
	if (stime)
		*stime = err.stime;
	kssp_arena_free(&arena);
	return code;
}

static const char *const fixtures[] = {
	"context/mit-e17-nomutual.txt", "context/mit-e18-nomutual.txt",
	"context/mit-e19-nomutual.txt", "context/mit-e20-nomutual.txt",
	"context/mit-e23-nomutual.txt", "context/mit-e17-mutual.txt",
	"context/mit-e18-mutual.txt", "context/mit-e19-mutual.txt",
	"context/mit-e20-mutual.txt", "context/mit-e23-mutual.txt",
	"context/mit-e17-deleg.txt", "context/mit-e18-deleg.txt",
	"context/mit-e19-deleg.txt", "context/mit-e20-deleg.txt",
	"context/mit-e23-deleg.txt",
};

/* ---- MIT's AP-REQs ----------------------------------------------------- */

static void check_init_tokens(struct kssp_ctx *ctx, struct mit_fixture *f)
{
	size_t i, off, dl, hl, pl;
	uint8_t buf[256];

	for (i = 0; i < f->n_init; i++) {
		struct kssp_crypto_iov m = { f->init_tok[i].msg, f->init_tok[i].msglen };

		memcpy(buf, f->init_tok[i].tok, f->init_tok[i].toklen);
		if (strcmp(f->init_tok[i].kind, "mic") == 0) {
			ck_assert_msg(kssp_token_verify_mic(&ctx->tokens, &m, 1, buf,
			    f->init_tok[i].toklen, NULL) == KSSP_OK, "%s", kssp_last_reason());
		} else if (strcmp(f->init_tok[i].kind, "iov-conf") == 0) {
			hl = f->init_tok[i].toklen - f->init_tok[i].msglen;
			ck_assert_msg(kssp_token_unwrap_split(&ctx->tokens, buf, hl, buf + hl,
			    f->init_tok[i].msglen, NULL, 0, &pl, NULL, NULL) == KSSP_OK, "%s",
			    kssp_last_reason());
		} else {
			ck_assert_msg(kssp_token_unwrap(&ctx->tokens, buf, f->init_tok[i].toklen,
			    &off, &dl, NULL, NULL) == KSSP_OK, "%s %s", f->init_tok[i].kind,
			    kssp_last_reason());
			ck_assert_mem_eq(buf + off, f->init_tok[i].msg, f->init_tok[i].msglen);
		}
	}
}

START_TEST(mit_ap_req_accepted)
{
	struct mit_fixture f;
	struct kssp_ctx ctx;
	struct kssp_rcache rc;
	struct kssp_ctx_accept_params p = { .keytab = &keytab, .rcache = &rc };
	uint8_t *reply;
	size_t rlen;
	char *text;

	load(fixtures[_i], &f);
	clk.sec = f.time;
	ck_assert_int_eq(kssp_rcache_init(&rc, 16), KSSP_OK);
	kssp_ctx_init(&ctx, &hooks);
	ck_assert_msg(kssp_ctx_accept(&ctx, &p, f.ap_req, f.ap_req_len, &reply, &rlen) == KSSP_OK,
	    "%s: %s", fixtures[_i], kssp_last_reason());
	ck_assert_int_eq(ctx.state, KSSP_CTX_ESTABLISHED);
	ck_assert_int_eq(kssp_principal_unparse(ctx.client, 0, &text), KSSP_OK);
	ck_assert_str_eq(text, "alice@KSSP.TEST");
	kssp_free(text);
	ck_assert_uint_eq(ctx.flags & 0x3f, f.flags & 0x3f);
	if (ctx.flags & KSSP_GSS_MUTUAL) {
		const uint8_t *inner;
		size_t ilen;
		uint16_t id;

		ck_assert_ptr_nonnull(reply);
		ck_assert_int_eq(kssp_ctx_unframe(reply, rlen, &id, &inner, &ilen), KSSP_OK);
		ck_assert_uint_eq(id, KSSP_TOK_AP_REP);
	} else {
		ck_assert_ptr_null(reply);
		/* no acceptor subkey: MIT's initiator tokens open under our context */
		check_init_tokens(&ctx, &f);
	}
	if (f.flags & KSSP_GSS_DELEG) {
		ck_assert_ptr_nonnull(ctx.delegated);
		ck_assert_int_eq(kssp_principal_unparse(ctx.delegated->server, 0, &text), KSSP_OK);
		ck_assert_str_eq(text, "krbtgt/KSSP.TEST@KSSP.TEST");
		kssp_free(text);
		ck_assert_uint_gt(ctx.delegated->keyvalue.length, 0);
		ck_assert_uint_gt(ctx.delegated->ticket.length, 0);
	} else {
		ck_assert_ptr_null(ctx.delegated);
	}
	kssp_free(reply);
	/* the same token again is a replay, answered with a KRB-ERROR token */
	ck_assert_int_eq(kssp_ctx_accept(&ctx, &p, f.ap_req, f.ap_req_len, &reply, &rlen),
	    KRB_AP_ERR_REPEAT);
	ck_assert_int_eq(error_token_code(reply, rlen, NULL), KRB_AP_ERR_REPEAT);
	kssp_free(reply);
	kssp_ctx_clear(&ctx);
	kssp_rcache_free(&rc);
}
END_TEST

static kssp_err accept_at(const char *fx, int64_t delta, const struct kssp_keytab *kt,
    const struct kssp_principal *acceptor, int32_t *err_code, int64_t *stime)
{
	struct mit_fixture f;
	struct kssp_ctx ctx;
	struct kssp_ctx_accept_params p = { .keytab = kt, .acceptor = acceptor };
	uint8_t *reply;
	size_t rlen;
	kssp_err e;

	load(fx, &f);
	clk.sec = f.time + delta;
	kssp_ctx_init(&ctx, &hooks);
	e = kssp_ctx_accept(&ctx, &p, f.ap_req, f.ap_req_len, &reply, &rlen);
	if (e && err_code)
		*err_code = error_token_code(reply, rlen, stime);
	kssp_free(reply);
	kssp_ctx_clear(&ctx);
	return e;
}

START_TEST(expired_ticket)
{
	int32_t code;

	ck_assert_int_eq(accept_at("context/mit-e18-mutual.txt", 3 * 86400, &keytab, NULL, &code,
	    NULL), KRB_AP_ERR_TKT_EXPIRED);
	ck_assert_int_eq(code, KRB_AP_ERR_TKT_EXPIRED);
}
END_TEST

START_TEST(clock_skew_carries_server_time)
{
	int32_t code;
	int64_t stime;

	ck_assert_int_eq(accept_at("context/mit-e17-mutual.txt", 1000, &keytab, NULL, &code,
	    &stime), KRB_AP_ERR_SKEW);
	ck_assert_int_eq(code, KRB_AP_ERR_SKEW);
	ck_assert_int_eq(stime, clk.sec);
	/* within the 300 s default the same token is fine */
	ck_assert_int_eq(accept_at("context/mit-e17-mutual.txt", 250, &keytab, NULL, NULL, NULL),
	    KSSP_OK);
}
END_TEST

START_TEST(keytab_lacking_the_key)
{
	struct kssp_keytab empty;
	struct kssp_principal *svc = name("svc/e19.kssp.test@KSSP.TEST");
	int32_t code;

	kssp_keytab_init(&empty);
	ck_assert_int_eq(accept_at("context/mit-e19-mutual.txt", 0, &empty, NULL, &code, NULL),
	    KRB_AP_ERR_NOKEY);
	ck_assert_int_eq(code, KRB_AP_ERR_NOKEY);
	kssp_keytab_free(&empty);
	/* the keytab without the service's entry; other services' keys remain */
	ck_assert_int_eq(kssp_keytab_remove(&keytab, svc, 0, 0, NULL), KSSP_OK);
	ck_assert_int_eq(accept_at("context/mit-e19-mutual.txt", 0, &keytab, NULL, NULL, NULL),
	    KRB_AP_ERR_NOKEY);
	ck_assert_int_eq(accept_at("context/mit-e19-mutual.txt", 0, &keytab, svc, NULL, NULL),
	    KRB_AP_ERR_NOKEY);
	kssp_principal_free(svc);
}
END_TEST

/* Without an acceptor name any key of the ticket's enctype is tried, as
 * MIT does: the keytab knows the service under another host name. */
START_TEST(keytab_under_another_host_name)
{
	struct kssp_principal *svc = name("svc/e17.kssp.test@KSSP.TEST");
	size_t i, renamed = 0;

	for (i = 0; i < keytab.n_entries; i++)
		if (kssp_principal_equal(keytab.entries[i].principal, svc)) {
			kssp_principal_free(keytab.entries[i].principal);
			keytab.entries[i].principal = name("svc/alias.kssp.test@KSSP.TEST");
			renamed++;
		}
	ck_assert_uint_gt(renamed, 0);
	ck_assert_int_eq(accept_at("context/mit-e17-mutual.txt", 0, &keytab, NULL, NULL, NULL),
	    KSSP_OK);
	ck_assert_int_eq(accept_at("context/mit-e17-mutual.txt", 0, &keytab, svc, NULL, NULL),
	    KRB_AP_ERR_NOKEY);
	kssp_principal_free(svc);
}
END_TEST

START_TEST(ticket_for_another_service)
{
	struct kssp_principal *other = name("svc/e18.kssp.test@KSSP.TEST");
	int32_t code;

	ck_assert_int_eq(accept_at("context/mit-e17-mutual.txt", 0, &keytab, other, &code, NULL),
	    KRB_AP_ERR_NOT_US);
	ck_assert_int_eq(code, KRB_AP_ERR_NOT_US);
	kssp_principal_free(other);
}
END_TEST

/* Offset in the token of the ticket's sname name-type value byte. */
static size_t sname_type_offset(const uint8_t *tok, size_t len)
{
	struct kssp_ap_req req;
	struct kssp_arena arena;
	const uint8_t *inner;
	size_t ilen, off = 0, i;
	uint16_t id;

	kssp_arena_init(&arena);
	ck_assert_int_eq(kssp_ctx_unframe(tok, len, &id, &inner, &ilen), KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_ap_req(inner, ilen, &arena, &req), KSSP_OK);
	for (i = 0; i + 5 < req.ticket.sname.der.len; i++)
		if (memcmp(req.ticket.sname.der.data + i, "\xa0\x03\x02\x01", 4) == 0) {
			off = (size_t)(req.ticket.sname.der.data + i + 4 - tok);
			break;
		}
	kssp_arena_free(&arena);
	ck_assert_uint_gt(off, 0);
	return off;
}

START_TEST(every_altered_byte_rejected)
{
	struct mit_fixture f;
	struct kssp_principal *svc = name("svc/e17.kssp.test@KSSP.TEST");
	struct kssp_ctx_accept_params p = { .keytab = &keytab, .acceptor = svc };
	struct kssp_ctx ctx;
	uint8_t *copy, *reply;
	size_t i, rlen, skip;
	kssp_err e;

	load("context/mit-e17-mutual.txt", &f);
	clk.sec = f.time;
	skip = sname_type_offset(f.ap_req, f.ap_req_len);
	kssp_ctx_init(&ctx, &hooks);
	for (i = 0; i < f.ap_req_len; i++) {
		/* The ticket's sname name-type travels in the clear and is not
		 * compared (RFC 4120 §6.2), as with every Kerberos acceptor. */
		if (i == skip)
			continue;
		copy = malloc(f.ap_req_len);
		memcpy(copy, f.ap_req, f.ap_req_len);
		copy[i] ^= 0x01;
		e = kssp_ctx_accept(&ctx, &p, copy, f.ap_req_len, &reply, &rlen);
		ck_assert_msg(e != KSSP_OK, "byte %zu altered but accepted", i);
		kssp_free(reply);
		free(copy);
	}
	/* and the unaltered token passes */
	ck_assert_int_eq(kssp_ctx_accept(&ctx, &p, f.ap_req, f.ap_req_len, &reply, &rlen),
	    KSSP_OK);
	kssp_free(reply);
	kssp_ctx_clear(&ctx);
	kssp_principal_free(svc);
}
END_TEST

START_TEST(truncated_encapsulations)
{
	static const uint8_t *const toks[] = { (const uint8_t *)"\x60", (const uint8_t *)"\x60\x84",
		(const uint8_t *)"\x60\x40\x06", (const uint8_t *)"\x60\x40\x06\x09" };
	struct kssp_ctx_accept_params p = { .keytab = &keytab };
	struct kssp_ctx ctx;
	uint8_t *copy, *reply;
	size_t i, rlen;

	kssp_ctx_init(&ctx, &hooks);
	for (i = 0; i < 4; i++) {
		copy = malloc(i + 1);
		memcpy(copy, toks[i], i + 1);
		ck_assert_int_ne(kssp_ctx_accept(&ctx, &p, copy, i + 1, &reply, &rlen), KSSP_OK);
		ck_assert_ptr_null(reply);
		free(copy);
	}
	kssp_ctx_clear(&ctx);
}
END_TEST

/* ---- kssp against kssp ------------------------------------------------- */

/* A service ticket for alice to svc/e<et>, sealed in the keytab's key. */
static void make_service_cred(int32_t et, int64_t now, struct kssp_cred *cred)
{
	char sname_text[64];
	struct kssp_principal *svc, *alice = name("alice@KSSP.TEST");
	const struct kssp_keytab_entry *ent;
	struct kssp_der_bytes ccomps[KSSP_PRINCIPAL_MAX_COMPONENTS], scomps[2];
	struct kssp_enc_ticket_part part;
	struct kssp_ticket tkt;
	struct kssp_key skey, session;
	struct kssp_writer w, tw;
	uint8_t cipher[1024];
	size_t clen;

	snprintf(sname_text, sizeof(sname_text), "svc/e%d.kssp.test@KSSP.TEST", et);
	svc = name(sname_text);
	ck_assert_int_eq(kssp_keytab_find(&keytab, svc, et, 0, &ent), KSSP_OK);
	memset(&skey, 0, sizeof(skey));
	memset(&session, 0, sizeof(session));
	ck_assert_int_eq(kssp_crypto_key_init(&skey, et, ent->key, ent->key_len), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_random_key(&hooks, et, &session), KSSP_OK);

	memset(&part, 0, sizeof(part));
	part.flags = KSSP_TKT_FLG_FORWARDABLE | KSSP_TKT_FLG_PRE_AUTHENT;
	part.key.keytype = et;
	part.key.keyvalue.data = session.contents;
	part.key.keyvalue.len = session.length;
	ccomps[0].data = (const uint8_t *)"alice";
	ccomps[0].len = 5;
	part.cname.name_type = 1;
	part.cname.name_string = ccomps;
	part.cname.name_string_len = 1;
	part.crealm.data = (const uint8_t *)"KSSP.TEST";
	part.crealm.len = 9;
	part.transited.contents.data = (const uint8_t *)"";
	part.authtime = now - 10;
	part.endtime = now + 3600;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_ticket_part(&part, &w), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_encrypt(&hooks, &skey, KSSP_KU_TICKET, w.buf, w.len, cipher,
	    sizeof(cipher), &clen), KSSP_OK);
	kssp_writer_free(&w);

	memset(&tkt, 0, sizeof(tkt));
	tkt.tkt_vno = 5;
	tkt.realm = part.crealm;
	scomps[0].data = (const uint8_t *)"svc";
	scomps[0].len = 3;
	scomps[1].data = (const uint8_t *)sname_text + 4;
	scomps[1].len = strlen(sname_text) - 4 - 10;
	tkt.sname.name_type = 1;
	tkt.sname.name_string = scomps;
	tkt.sname.name_string_len = 2;
	tkt.enc_part.etype = et;
	tkt.enc_part.has_kvno = true;
	tkt.enc_part.kvno = ent->vno;
	tkt.enc_part.cipher.data = cipher;
	tkt.enc_part.cipher.len = clen;
	kssp_writer_init_growable(&tw, 0);
	ck_assert_int_eq(kssp_krb5_encode_ticket(&tkt, &tw), KSSP_OK);

	memset(cred, 0, sizeof(*cred));
	cred->client = alice;
	cred->server = svc;
	cred->keytype = et;
	ck_assert_int_eq(kssp_cred_data_set(&cred->keyvalue, session.contents, session.length),
	    KSSP_OK);
	ck_assert_int_eq(kssp_cred_data_set(&cred->ticket, tw.buf, tw.len), KSSP_OK);
	cred->authtime = part.authtime;
	cred->endtime = part.endtime;
	cred->ticket_flags = part.flags;
	kssp_writer_free(&tw);
	kssp_crypto_key_clear(&skey);
	kssp_crypto_key_clear(&session);
}

static void exchange_messages(struct kssp_ctx *a, struct kssp_ctx *b)
{
	static const char msg[] = "ping over the established context";
	uint8_t buf[256];
	struct kssp_wrap_sizes s;
	size_t tl, off, dl;

	ck_assert_int_eq(kssp_token_wrap_sizes(&a->tokens, true, sizeof(msg), &s), KSSP_OK);
	memcpy(buf + s.header, msg, sizeof(msg));
	ck_assert_int_eq(kssp_token_wrap(&a->tokens, true, buf, sizeof(buf), sizeof(msg), &tl),
	    KSSP_OK);
	ck_assert_msg(kssp_token_unwrap(&b->tokens, buf, tl, &off, &dl, NULL, NULL) == KSSP_OK,
	    "%s", kssp_last_reason());
	ck_assert_mem_eq(buf + off, msg, sizeof(msg));
}

START_TEST(kssp_initiator_to_kssp_acceptor)
{
	static const int32_t ets[] = { 17, 18, 19, 20, 23 };
	static const uint8_t appdata[] = "tls-server-end-point:0123456789";
	struct kssp_channel_bindings cb = { .application_data = appdata,
		.application_data_len = sizeof(appdata) };
	struct kssp_channel_bindings other = { .application_data = appdata,
		.application_data_len = 5 };
	struct kssp_cred svc, tgt;
	struct kssp_ctx ini, acc, imp;
	struct kssp_rcache rc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = &keytab, .bindings = &cb, .rcache = &rc };
	uint8_t *tok, *tok2, *reply, *ex;
	size_t tlen, rlen, exlen;
	char *text;

	clk.sec = 1800000000;
	make_service_cred(ets[_i], clk.sec, &svc);
	make_service_cred(ets[_i], clk.sec, &tgt); /* stands in for a forwarded TGT */
	ck_assert_int_eq(kssp_rcache_init(&rc, 0), KSSP_OK);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL | KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE | KSSP_GSS_DELEG;
	ip.bindings = &cb;
	ip.delegate = &tgt;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(ini.state, KSSP_CTX_WAIT_AP_REP);
	ck_assert_msg(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_ptr_nonnull(acc.delegated);
	ck_assert_uint_eq(acc.delegated->ticket.length, tgt.ticket.length);
	ck_assert_int_eq(kssp_principal_unparse(acc.client, 0, &text), KSSP_OK);
	ck_assert_str_eq(text, "alice@KSSP.TEST");
	kssp_free(text);
	ck_assert_msg(kssp_ctx_initiate_continue(&ini, reply, rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(ini.state, KSSP_CTX_ESTABLISHED);
	ck_assert_uint_eq(ini.flags & 0x3f, acc.flags & 0x3f);
	exchange_messages(&ini, &acc);
	exchange_messages(&acc, &ini);
	/* export the initiator, import it elsewhere, carry on */
	ck_assert_int_eq(kssp_ctx_export(&ini, &ex, &exlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_import(&imp, ex, exlen, &hooks), KSSP_OK);
	exchange_messages(&imp, &acc);
	exchange_messages(&acc, &imp);
	kssp_free_secret(ex, exlen);
	kssp_free(reply);
	/* replayed: refused */
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KRB_AP_ERR_REPEAT);
	kssp_free(reply);
	/* other channel bindings: refused */
	kssp_rcache_free(&rc);
	ck_assert_int_eq(kssp_rcache_init(&rc, 0), KSSP_OK);
	ap.bindings = &other;
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_ERR_BAD_BINDINGS);
	/* the initiator turns a KRB-ERROR token into its code (BADADDR on the wire) */
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok2, &exlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KRB_AP_ERR_BADADDR);
	ck_assert_int_eq(ini.hs->error_code, KRB_AP_ERR_BADADDR);
	kssp_free(tok2);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_ctx_clear(&imp);
	kssp_rcache_free(&rc);
	kssp_cred_clear(&svc);
	kssp_cred_clear(&tgt);
}
END_TEST

START_TEST(non_mutual_established_at_once)
{
	struct kssp_cred svc;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = &keytab };
	uint8_t *tok, *reply;
	size_t tlen, rlen;

	clk.sec = 1800000000;
	make_service_cred(18, clk.sec, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(ini.state, KSSP_CTX_ESTABLISHED);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_ptr_null(reply);
	exchange_messages(&ini, &acc);
	exchange_messages(&acc, &ini);
	/* expired at the acceptor's clock */
	clk.sec += 7200;
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen),
	    KRB_AP_ERR_TKT_EXPIRED);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
}
END_TEST

/* KRB_AP_ERR_SKEW: the KRB-ERROR carries the acceptor's time; the initiator
 * retries once with the offset and succeeds; the context expires with its
 * ticket. */
START_TEST(skew_retry_with_server_time)
{
	struct kssp_cred svc;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = &keytab };
	uint8_t *tok, *reply;
	size_t tlen, rlen;
	int64_t server_time = 1800000000;

	clk.sec = server_time;
	make_service_cred(17, server_time, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	/* the initiator's clock is 20 minutes behind */
	ip.time_offset = -1200;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KRB_AP_ERR_SKEW);
	kssp_free(tok);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KRB_AP_ERR_SKEW);
	kssp_free(reply);
	ck_assert_int_eq(ini.hs->error_stime, server_time);
	/* retry with the server's time: our clock (server_time - 1200) + offset */
	ip.time_offset = -1200 + (ini.hs->error_stime - (server_time - 1200));
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_check_expiry(&acc, server_time + 60, 300), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_check_expiry(&acc, server_time + 3600 + 301, 300),
	    KRB_AP_ERR_TKT_EXPIRED);
	kssp_free(tok);
	kssp_free(reply);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
}
END_TEST

/* Every allocation of the acceptor and the initiator failing in turn: a
 * clean error each time, nothing leaked (ASan builds check). */
START_TEST(allocation_failures)
{
	struct mit_fixture f;
	struct kssp_cred svc;
	struct kssp_ctx ctx;
	struct kssp_rcache rc;
	struct kssp_ctx_accept_params p = { .keytab = &keytab, .rcache = &rc };
	struct kssp_ctx_initiate_params ip;
	uint8_t *reply, *tok;
	size_t rlen, tlen, n, made;
	kssp_err e;

	load("context/mit-e18-deleg.txt", &f);
	ck_assert_int_eq(kssp_rcache_init(&rc, 0), KSSP_OK);
	for (n = 1; n < 200; n++) {
		clk.sec = f.time;
		kssp_ctx_init(&ctx, &hooks);
		kssp_alloc_fail_after(n);
		e = kssp_ctx_accept(&ctx, &p, f.ap_req, f.ap_req_len, &reply, &rlen);
		made = kssp_alloc_fail_after(0);
		kssp_free(reply);
		kssp_ctx_clear(&ctx);
		kssp_rcache_free(&rc);
		ck_assert_int_eq(kssp_rcache_init(&rc, 0), KSSP_OK);
		if (e == KSSP_OK && made < n)
			break;
		ck_assert_msg(e != KSSP_OK, "allocation %zu failed but accept succeeded", n);
	}
	ck_assert_uint_lt(n, 200);
	kssp_rcache_free(&rc);

	clk.sec = 1800000000;
	make_service_cred(19, clk.sec, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL | KSSP_GSS_DELEG;
	ip.delegate = &svc;
	for (n = 1; n < 200; n++) {
		kssp_ctx_init(&ctx, &hooks);
		kssp_alloc_fail_after(n);
		e = kssp_ctx_initiate(&ctx, &ip, &tok, &tlen);
		made = kssp_alloc_fail_after(0);
		kssp_free(tok);
		kssp_ctx_clear(&ctx);
		if (e == KSSP_OK && made < n)
			break;
		ck_assert_msg(e != KSSP_OK, "allocation %zu failed but initiate succeeded", n);
	}
	ck_assert_uint_lt(n, 200);
	kssp_cred_clear(&svc);
}
END_TEST

START_TEST(import_rejects_garbage)
{
	struct kssp_ctx ctx;
	uint8_t junk[40];
	size_t n;

	memset(junk, 0, sizeof(junk));
	memcpy(junk, "KSSPCTX\x01", 8);
	for (n = 0; n <= sizeof(junk); n++)
		ck_assert_int_ne(kssp_ctx_import(&ctx, junk, n, &hooks), KSSP_OK);
}
END_TEST

START_TEST(rcache_bounded_newest_kept)
{
	struct kssp_rcache rc;
	uint8_t tag[16];
	size_t i;

	ck_assert_int_eq(kssp_rcache_init(&rc, 8), KSSP_OK);
	for (i = 0; i < 20; i++) {
		memset(tag, (int)i, sizeof(tag));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300), KSSP_OK);
	}
	ck_assert_uint_le(rc.n, 8);
	/* the newest are remembered, the oldest forgotten */
	memset(tag, 19, sizeof(tag));
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300), KRB_AP_ERR_REPEAT);
	memset(tag, 0, sizeof(tag));
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300), KSSP_OK);
	/* expired entries no longer count and their slots are reused */
	memset(tag, 18, sizeof(tag));
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1400, 1700), KSSP_OK);
	kssp_rcache_free(&rc);
}
END_TEST

/* Up to the bound every live tag is kept; past it the newest are. */
START_TEST(rcache_many_entries)
{
	struct kssp_rcache rc;
	uint8_t tag[16];
	uint32_t i;

	ck_assert_int_eq(kssp_rcache_init(&rc, 0), KSSP_OK);
	memset(tag, 0xa5, sizeof(tag));
	for (i = 0; i < 4000; i++) {
		memcpy(tag, &i, sizeof(i));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300), KSSP_OK);
	}
	ck_assert_uint_eq(rc.n, 4000);
	for (i = 0; i < 4000; i += 7) {
		memcpy(tag, &i, sizeof(i));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300),
		    KRB_AP_ERR_REPEAT);
	}
	/* past the bound the newest are kept */
	for (i = 4000; i < 50000; i++) {
		memcpy(tag, &i, sizeof(i));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300), KSSP_OK);
	}
	ck_assert_uint_le(rc.n, KSSP_RCACHE_MAX);
	for (i = 50000 - KSSP_RCACHE_MAX / 2 + 1; i < 50000; i++) {
		memcpy(tag, &i, sizeof(i));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 1000, 1300),
		    KRB_AP_ERR_REPEAT);
	}
	/* expired tags are no replays */
	for (i = 50000; i < 60000; i++) {
		memcpy(tag, &i, sizeof(i));
		ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 2000, 2300), KSSP_OK);
	}
	i = 49999;
	memcpy(tag, &i, sizeof(i));
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 2000, 2300), KSSP_OK);
	kssp_rcache_free(&rc);
}
END_TEST

/*
 * DCE style at the context layer (MS-KILE 3.4.5.1): bare tokens, the
 * acceptor waits for the initiator's AP-REP, which echoes its number and
 * carries no subkey; arcfour-hmac contexts too get an acceptor subkey.
 */
START_TEST(dce_style_three_legs)
{
	static const int32_t ets[] = { 17, 18, 23 };
	struct kssp_cred svc;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = &keytab };
	uint8_t *tok, *reply, *fin, *fin2, *framed;
	size_t tlen, rlen, flen, flen2, frlen;

	clk.sec = 1800000000;
	make_service_cred(ets[_i], clk.sec, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_DCE_STYLE | KSSP_GSS_SEQUENCE;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_uint_eq(tok[0], KSSP_DER_AP_REQ_TAG);
	ck_assert_uint_ne(ini.flags & KSSP_GSS_MUTUAL, 0); /* implied */
	ck_assert_int_eq(ini.state, KSSP_CTX_WAIT_AP_REP);
	/* no third leg before the second */
	ck_assert_int_eq(kssp_ctx_initiate_dce_reply(&ini, &fin, &flen), KSSP_ERR_INVALID_ARG);
	ck_assert_msg(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_uint_eq(reply[0], 0x6f);
	ck_assert_int_eq(acc.state, KSSP_CTX_WAIT_DCE_AP_REP);
	ck_assert_int_ne(acc.hs->acceptor_subkey.enctype, 0);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KSSP_OK);
	ck_assert_int_eq(ini.hs->acceptor_subkey.enctype, acc.hs->acceptor_subkey.enctype);
	ck_assert_int_eq(kssp_ctx_initiate_dce_reply(&ini, &fin, &flen), KSSP_OK);
	ck_assert_uint_eq(fin[0], 0x6f);
	/* its own AP-REQ, out of order, is no AP-REP; an altered one does not open */
	ck_assert_int_ne(kssp_ctx_accept_dce_reply(&acc, tok, tlen), KSSP_OK);
	ck_assert_int_eq(acc.state, KSSP_CTX_FAILED);
	ck_assert_int_eq(kssp_ctx_accept_dce_reply(&acc, fin, flen), KSSP_ERR_INVALID_ARG);
	kssp_free(reply);
	kssp_free(tok);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KSSP_OK);
	kssp_free(fin);
	ck_assert_int_eq(kssp_ctx_initiate_dce_reply(&ini, &fin, &flen), KSSP_OK);
	fin[flen - 1] ^= 1;
	ck_assert_int_eq(kssp_ctx_accept_dce_reply(&acc, fin, flen), KRB_AP_ERR_BAD_INTEGRITY);
	/* and a good one establishes the acceptor; messages flow both ways */
	kssp_free(reply);
	kssp_free(tok);
	kssp_free(fin);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KSSP_OK);
	ck_assert_ptr_nonnull(ini.hs); /* the session key, for the third leg */
	ck_assert_int_eq(kssp_ctx_initiate_dce_reply(&ini, &fin, &flen), KSSP_OK);
	ck_assert_ptr_null(ini.hs);
	ck_assert_int_eq(kssp_ctx_initiate_dce_reply(&ini, &fin2, &flen2), KSSP_ERR_INVALID_ARG);
	ck_assert_ptr_nonnull(acc.hs);
	ck_assert_msg(kssp_ctx_accept_dce_reply(&acc, fin, flen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(acc.state, KSSP_CTX_ESTABLISHED);
	ck_assert_ptr_null(acc.hs);
	exchange_messages(&ini, &acc);
	exchange_messages(&acc, &ini);
	/* a framed AP-REQ asking for DCE style is refused, as MIT does */
	ck_assert_int_eq(kssp_ctx_frame(KSSP_TOK_AP_REQ, tok, tlen, &framed, &frlen), KSSP_OK);
	kssp_free(reply);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, framed, frlen, &reply, &rlen),
	    KSSP_ERR_BAD_ENCODING);
	kssp_free(framed);
	kssp_free(reply);
	kssp_free(tok);
	kssp_free(fin);
	/* a refusal comes framed (as MIT's acceptor sends it): its code, the server's time */
	ip.time_offset = -1200;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KRB_AP_ERR_SKEW);
	ck_assert_uint_eq(reply[0], 0x60);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KRB_AP_ERR_SKEW);
	ck_assert_int_eq(ini.hs->error_stime, clk.sec);
	kssp_free(reply);
	kssp_free(tok);
	ip.time_offset = 0;
	/* a framed AP-REP is no DCE-style answer */
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_frame(KSSP_TOK_AP_REP, reply, rlen, &framed, &frlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, framed, frlen), KSSP_ERR_BAD_ENCODING);
	kssp_free(framed);
	kssp_free(reply);
	kssp_free(tok);
	/* a bare AP-REQ without DCE style in its checksum likewise */
	ip.req_flags = KSSP_GSS_MUTUAL;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_uint_eq(tok[0], 0x60);
	ck_assert_int_eq(kssp_ctx_unframe(tok, tlen, &(uint16_t){ 0 }, (const uint8_t **)&framed,
	    &frlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, framed, frlen, &reply, &rlen),
	    KSSP_ERR_BAD_ENCODING);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
}
END_TEST

/*
 * RFC 4537: with an arcfour-hmac (or aes128) session key and both sides
 * preferring aes256, the acceptor's subkey is aes256 and the initiator
 * takes it; without our list, or when the session key already is our
 * first choice (no list sent, as MIT), the subkey keeps the initiator's.
 */
START_TEST(etype_negotiation_picks_the_acceptor_subkey)
{
	static const int32_t ets[] = { 23, 17, 18 };
	static const int32_t prefs[] = { 18, 17, 23 };
	struct kssp_cred svc;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = &keytab, .etypes = prefs, .n_etypes = 3 };
	uint8_t *tok, *reply;
	size_t tlen, rlen;

	clk.sec = 1800000000;
	make_service_cred(ets[_i], clk.sec, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL | KSSP_GSS_SEQUENCE;
	ip.etypes = prefs;
	ip.n_etypes = 3;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_msg(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(acc.tokens.acceptor_subkey.enctype, 18);
	ck_assert_int_eq(kssp_ctx_initiate_continue(&ini, reply, rlen), KSSP_OK);
	ck_assert_int_eq(ini.tokens.acceptor_subkey.enctype, 18);
	ck_assert_int_eq(kssp_token_ctx_key(&ini.tokens)->enctype, 18);
	ck_assert_ptr_null(ini.hs); /* established: the tokens hold their own copies */
	ck_assert_ptr_null(acc.hs);
	exchange_messages(&ini, &acc);
	exchange_messages(&acc, &ini);
	kssp_free(reply);
	kssp_free(tok);
	/* the acceptor without a list of its own keeps the initiator subkey's enctype */
	ap.etypes = NULL;
	ap.n_etypes = 0;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(acc.tokens.acceptor_subkey.enctype, ets[_i] == 23 ? 0 : ets[_i]);
	kssp_free(reply);
	kssp_free(tok);
	/* the acceptor permits only what the initiator did not list: its subkey's enctype */
	ap.etypes = &prefs[2];
	ap.n_etypes = 1;
	ip.n_etypes = 2;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen), KSSP_OK);
	ck_assert_int_eq(acc.tokens.acceptor_subkey.enctype, ets[_i] == 23 ? 0 : ets[_i]);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
}
END_TEST

/* An authenticator's AD-ETYPE-NEGOTIATION is sent only when it says something (MIT's rule). */
START_TEST(etype_list_sent_only_when_another_enctype_is_preferred)
{
	static const int32_t prefs[] = { 18, 17 };
	struct kssp_cred svc;
	struct kssp_ctx ini;
	struct kssp_ctx_initiate_params ip;
	uint8_t *with, *without;
	size_t wlen, wolen;

	clk.sec = 1800000000;
	make_service_cred(18, clk.sec, &svc);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL;
	kssp_ctx_init(&ini, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &without, &wolen), KSSP_OK);
	ip.etypes = prefs;
	ip.n_etypes = 2;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &with, &wlen), KSSP_OK);
	ck_assert_uint_eq(wlen, wolen); /* aes256 session key, aes256 first: nothing sent */
	kssp_free(with);
	ip.etypes = &prefs[1];
	ip.n_etypes = 1;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &with, &wlen), KSSP_OK);
	ck_assert_uint_gt(wlen, wolen);
	kssp_free(with);
	ip.req_flags = 0; /* no AP-REP to carry the choice: nothing sent */
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &with, &wlen), KSSP_OK);
	ck_assert_uint_eq(wlen, wolen);
	kssp_free(with);
	kssp_free(without);
	kssp_ctx_clear(&ini);
	kssp_cred_clear(&svc);
}
END_TEST

/* ---- user-to-user ------------------------------------------------------ */

/*
 * A TGT of bob stand-in: its session key is svc/e<et>'s keytab key, in
 * which make_service_cred seals its tickets, so that those serve as
 * user-to-user tickets (ENC-TKT-IN-SKEY, RFC 4120 §3.3.3); its ticket
 * names krbtgt/KSSP.TEST (its enc-part is never opened here).
 */
static void make_u2u_tgt(int32_t et, const uint8_t *key, size_t key_len, struct kssp_cred *tgt)
{
	static const uint8_t sealed[32] = { 1 };
	struct kssp_der_bytes comps[2] = { { (const uint8_t *)"krbtgt", 6 },
		{ (const uint8_t *)"KSSP.TEST", 9 } };
	struct kssp_ticket t;
	struct kssp_writer w;

	memset(&t, 0, sizeof(t));
	t.tkt_vno = 5;
	t.realm = comps[1];
	t.sname.name_type = 2;
	t.sname.name_string = comps;
	t.sname.name_string_len = 2;
	t.enc_part.etype = et;
	t.enc_part.cipher.data = sealed;
	t.enc_part.cipher.len = sizeof(sealed);
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_ticket(&t, &w), KSSP_OK);
	memset(tgt, 0, sizeof(*tgt));
	tgt->client = name("bob@KSSP.TEST");
	tgt->server = name("krbtgt/KSSP.TEST@KSSP.TEST");
	tgt->keytype = et;
	ck_assert_int_eq(kssp_cred_data_set(&tgt->keyvalue, key, key_len), KSSP_OK);
	ck_assert_int_eq(kssp_cred_data_set(&tgt->ticket, w.buf, w.len), KSSP_OK);
	kssp_writer_free(&w);
}

/* The user-to-user service ticket and the TGT whose session key seals it. */
static void make_u2u_pair(int32_t et, struct kssp_cred *svc, struct kssp_cred *tgt)
{
	const struct kssp_keytab_entry *ent;

	make_service_cred(et, clk.sec, svc);
	svc->is_skey = true;
	ck_assert_int_eq(kssp_keytab_find(&keytab, svc->server, et, 0, &ent), KSSP_OK);
	make_u2u_tgt(et, ent->key, ent->key_len, tgt);
}

/* The OID octets framing a context token (RFC 2743 §3.1, short or long length). */
static const uint8_t *token_oid(const uint8_t *tok)
{
	return tok + (tok[1] < 0x80 ? 2 : 2 + (tok[1] & 0x7f));
}

static const uint8_t u2u_oid_der[] = { 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02,
	0x02, 0x03 };

/*
 * draft-swift-win2k-krb-user2user-03 §4: KERB-TGT-REQUEST names the
 * server, KERB-TGT-REPLY carries the TGT; the AP-REQ with use-session-key
 * and the AP-REP travel under the user-to-user OID; the acceptor opens
 * the ticket with its TGT's session key; messages flow both ways.
 */
START_TEST(u2u_kssp_to_kssp)
{
	static const int32_t ets[] = { 17, 18, 19, 20, 23 };
	struct kssp_cred svc, tgt;
	struct kssp_cred_data got = { NULL, 0 };
	struct kssp_principal *asked = NULL;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = NULL };
	struct kssp_ap_req req;
	struct kssp_arena a;
	const uint8_t *inner;
	uint8_t *tok, *reply;
	size_t tlen, rlen, ilen;
	uint16_t id;
	char *text;

	clk.sec = 1800000000;
	make_u2u_pair(ets[_i], &svc, &tgt);
	ck_assert_int_eq(kssp_ctx_u2u_request(tgt.client, &tok, &tlen), KSSP_OK);
	ck_assert_mem_eq(token_oid(tok), u2u_oid_der, sizeof(u2u_oid_der));
	ck_assert_int_eq(kssp_ctx_u2u_read_request(tok, tlen, &asked), KSSP_OK);
	ck_assert(kssp_principal_equal(asked, tgt.client));
	kssp_principal_free(asked);
	kssp_free(tok);
	ck_assert_int_eq(kssp_ctx_u2u_request(NULL, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_u2u_read_request(tok, tlen, &asked), KSSP_OK);
	ck_assert_ptr_null(asked);
	kssp_free(tok);
	ck_assert_int_eq(kssp_ctx_u2u_reply(&tgt, &tok, &tlen), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_u2u_read_reply(tok, tlen, &got), KSSP_OK);
	ck_assert_uint_eq(got.length, tgt.ticket.length);
	ck_assert_mem_eq(got.data, tgt.ticket.data, got.length);
	kssp_free(got.data);
	kssp_free(tok);

	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL | KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE;
	ap.tgt = &tgt;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ck_assert_mem_eq(token_oid(tok), u2u_oid_der, sizeof(u2u_oid_der));
	ck_assert_int_eq(kssp_ctx_unframe(tok, tlen, &id, &inner, &ilen), KSSP_OK);
	ck_assert_uint_eq(id, KSSP_TOK_AP_REQ);
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_ap_req(inner, ilen, &a, &req), KSSP_OK);
	ck_assert_uint_eq(req.ap_options, KSSP_AP_OPT_USE_SESSION_KEY | KSSP_AP_OPT_MUTUAL_REQUIRED);
	kssp_arena_free(&a);
	ck_assert_msg(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert(acc.u2u);
	ck_assert_mem_eq(token_oid(reply), u2u_oid_der, sizeof(u2u_oid_der));
	ck_assert_int_eq(kssp_principal_unparse(acc.client, 0, &text), KSSP_OK);
	ck_assert_str_eq(text, "alice@KSSP.TEST");
	kssp_free(text);
	ck_assert_msg(kssp_ctx_initiate_continue(&ini, reply, rlen) == KSSP_OK, "%s",
	    kssp_last_reason());
	ck_assert_int_eq(ini.state, KSSP_CTX_ESTABLISHED);
	exchange_messages(&ini, &acc);
	exchange_messages(&acc, &ini);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
	kssp_cred_clear(&tgt);
}
END_TEST

/*
 * A ticket sealed in another TGT's session key (the acceptor logged on
 * again, or the client used someone else's TGT) is refused with
 * KRB_AP_ERR_BAD_INTEGRITY and a KRB-ERROR token, as is one of another
 * enctype than the TGT's session key; a plain AP-REQ to a TGT-only
 * acceptor is KRB_AP_ERR_USER_TO_USER_REQUIRED; a user-to-user AP-REQ
 * to a keytab acceptor is not supported.
 */
START_TEST(u2u_wrong_tgt_session_key_refused)
{
	struct kssp_cred svc, tgt, other, plain;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = NULL };
	struct kssp_ctx_accept_params kt = { .keytab = &keytab };
	struct kssp_key k;
	uint8_t *tok, *reply;
	size_t tlen, rlen;

	clk.sec = 1800000000;
	make_u2u_pair(18, &svc, &tgt);
	ck_assert_int_eq(kssp_crypto_random_key(&hooks, 18, &k), KSSP_OK);
	make_u2u_tgt(18, k.contents, k.length, &other);
	kssp_crypto_key_clear(&k);
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ap.tgt = &other;
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen),
	    KRB_AP_ERR_BAD_INTEGRITY);
	ck_assert_int_eq(error_token_code(reply, rlen, NULL), KRB_AP_ERR_BAD_INTEGRITY);
	ck_assert_int_eq(acc.state, KSSP_CTX_FAILED);
	kssp_free(reply);
	kssp_cred_clear(&other);
	make_u2u_tgt(17, tgt.keyvalue.data, 16, &other);
	ap.tgt = &other;
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen),
	    KRB_AP_ERR_BAD_INTEGRITY);
	kssp_free(reply);
	ck_assert_int_eq(kssp_ctx_accept(&acc, &kt, tok, tlen, &reply, &rlen), KSSP_ERR_UNSUPPORTED);
	ck_assert_ptr_null(reply);
	kssp_free(tok);
	make_service_cred(18, clk.sec, &plain);
	ip.service = &plain;
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &tok, &tlen), KSSP_OK);
	ap.tgt = &tgt;
	ck_assert_int_eq(kssp_ctx_accept(&acc, &ap, tok, tlen, &reply, &rlen),
	    KRB_AP_ERR_USER_TO_USER_REQUIRED);
	ck_assert_int_eq(error_token_code(reply, rlen, NULL), KRB_AP_ERR_USER_TO_USER_REQUIRED);
	kssp_free(reply);
	kssp_free(tok);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	kssp_cred_clear(&svc);
	kssp_cred_clear(&tgt);
	kssp_cred_clear(&other);
	kssp_cred_clear(&plain);
}
END_TEST

/*
 * Each user-to-user token read where the other belongs, tampered (pvno,
 * msg-type, a ticket that is no TGT) or cut anywhere: refused with
 * KSSP_ERR_BAD_ENCODING / KRB_AP_ERR_MSG_TYPE (SEC_E_INVALID_TOKEN).
 */
START_TEST(u2u_tokens_out_of_order_or_tampered)
{
	struct kssp_cred svc, tgt;
	struct kssp_cred_data got = { NULL, 0 };
	struct kssp_principal *asked = NULL;
	uint8_t *rq, *rp, *bad, *copy;
	size_t rql, rpl, bl, i;
	kssp_err e;

	clk.sec = 1800000000;
	make_u2u_pair(17, &svc, &tgt);
	ck_assert_int_eq(kssp_ctx_u2u_request(tgt.client, &rq, &rql), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_u2u_reply(&tgt, &rp, &rpl), KSSP_OK);
	/* out of order */
	ck_assert_int_eq(kssp_ctx_u2u_read_request(rp, rpl, &asked), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_ctx_u2u_read_reply(rq, rql, &got), KSSP_ERR_BAD_ENCODING);
	/* msg-type 16 where 17 belongs, and the other way */
	for (i = 0; i + 5 <= rql && memcmp(rq + i, "\xa1\x03\x02\x01\x10", 5) != 0; i++)
		;
	ck_assert_uint_lt(i + 5, rql);
	rq[i + 4] = 0x11;
	ck_assert_int_eq(kssp_ctx_u2u_read_request(rq, rql, &asked), KRB_AP_ERR_MSG_TYPE);
	rq[i + 4] = 0x10;
	for (i = 0; i + 5 <= rpl && memcmp(rp + i, "\xa1\x03\x02\x01\x11", 5) != 0; i++)
		;
	ck_assert_uint_lt(i + 5, rpl);
	rp[i + 4] = 0x10;
	ck_assert_int_eq(kssp_ctx_u2u_read_reply(rp, rpl, &got), KRB_AP_ERR_MSG_TYPE);
	rp[i + 4] = 0x11;
	/* a service ticket where the TGT belongs */
	kssp_cred_clear(&tgt);
	make_u2u_tgt(17, svc.keyvalue.data, svc.keyvalue.length, &tgt);
	kssp_cred_data_set(&tgt.ticket, svc.ticket.data, svc.ticket.length);
	ck_assert_int_eq(kssp_ctx_u2u_reply(&tgt, &bad, &bl), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_u2u_read_reply(bad, bl, &got), KSSP_ERR_BAD_ENCODING);
	kssp_free(bad);
	/* cut anywhere */
	for (i = 0; i < rql; i++) {
		copy = malloc(i ? i : 1);
		memcpy(copy, rq, i);
		ck_assert_int_ne(kssp_ctx_u2u_read_request(copy, i, &asked), KSSP_OK);
		ck_assert_ptr_null(asked);
		free(copy);
	}
	for (i = 0; i < rpl; i++) {
		copy = malloc(i ? i : 1);
		memcpy(copy, rp, i);
		e = kssp_ctx_u2u_read_reply(copy, i, &got);
		ck_assert_int_ne(e, KSSP_OK);
		free(copy);
	}
	ck_assert_ptr_null(got.data);
	kssp_free(rq);
	kssp_free(rp);
	kssp_cred_clear(&svc);
	kssp_cred_clear(&tgt);
}
END_TEST

/* Every allocation of the user-to-user steps failed in turn: an error, never a crash. */
START_TEST(u2u_allocation_failures)
{
	struct kssp_cred svc, tgt;
	struct kssp_cred_data got;
	struct kssp_principal *asked;
	struct kssp_ctx ini, acc;
	struct kssp_ctx_initiate_params ip;
	struct kssp_ctx_accept_params ap = { .keytab = NULL };
	uint8_t *rq, *rp, *ap_req, *tok, *reply;
	size_t rql, rpl, apl, tlen, rlen, n, made, step;
	kssp_err e = KSSP_OK;

	clk.sec = 1800000000;
	make_u2u_pair(18, &svc, &tgt);
	ap.tgt = &tgt;
	memset(&ip, 0, sizeof(ip));
	ip.service = &svc;
	ip.req_flags = KSSP_GSS_MUTUAL;
	kssp_ctx_init(&ini, &hooks);
	kssp_ctx_init(&acc, &hooks);
	ck_assert_int_eq(kssp_ctx_u2u_request(tgt.client, &rq, &rql), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_u2u_reply(&tgt, &rp, &rpl), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_initiate(&ini, &ip, &ap_req, &apl), KSSP_OK);
	for (step = 0; step < 5; step++) {
		for (n = 1; n < 200; n++) {
			tok = reply = NULL;
			asked = NULL;
			memset(&got, 0, sizeof(got));
			kssp_alloc_fail_after(n);
			if (step == 0)
				e = kssp_ctx_u2u_request(tgt.client, &tok, &tlen);
			else if (step == 1)
				e = kssp_ctx_u2u_read_request(rq, rql, &asked);
			else if (step == 2)
				e = kssp_ctx_u2u_reply(&tgt, &tok, &tlen);
			else if (step == 3)
				e = kssp_ctx_u2u_read_reply(rp, rpl, &got);
			else
				e = kssp_ctx_accept(&acc, &ap, ap_req, apl, &reply, &rlen);
			made = kssp_alloc_fail_after(0);
			kssp_free(tok);
			kssp_free(reply);
			kssp_free(got.data);
			kssp_principal_free(asked);
			kssp_ctx_clear(&acc);
			if (e == KSSP_OK && made < n)
				break;
			ck_assert_msg(e != KSSP_OK, "step %zu: allocation %zu failed, yet it succeeded",
			    step, n);
		}
		ck_assert_uint_lt(n, 200);
	}
	kssp_free(rq);
	kssp_free(rp);
	kssp_free(ap_req);
	kssp_ctx_clear(&ini);
	kssp_cred_clear(&svc);
	kssp_cred_clear(&tgt);
}
END_TEST

Suite *kssp_suite_context_ap(void);
Suite *kssp_suite_context_ap(void)
{
	Suite *s = suite_create("context_ap");
	TCase *mit = tcase_create("mit");
	TCase *own = tcase_create("kssp");

	tcase_add_checked_fixture(mit, setup, teardown);
	tcase_add_loop_test(mit, mit_ap_req_accepted, 0, 15);
	tcase_add_test(mit, expired_ticket);
	tcase_add_test(mit, clock_skew_carries_server_time);
	tcase_add_test(mit, keytab_lacking_the_key);
	tcase_add_test(mit, ticket_for_another_service);
	tcase_add_test(mit, keytab_under_another_host_name);
	tcase_add_test(mit, every_altered_byte_rejected);
	tcase_add_test(mit, truncated_encapsulations);
	tcase_set_timeout(mit, 30);
	suite_add_tcase(s, mit);
	tcase_add_checked_fixture(own, setup, teardown);
	tcase_add_loop_test(own, kssp_initiator_to_kssp_acceptor, 0, 5);
	tcase_add_test(own, non_mutual_established_at_once);
	tcase_add_loop_test(own, dce_style_three_legs, 0, 3);
	tcase_add_loop_test(own, etype_negotiation_picks_the_acceptor_subkey, 0, 3);
	tcase_add_test(own, etype_list_sent_only_when_another_enctype_is_preferred);
	tcase_add_test(own, skew_retry_with_server_time);
	tcase_add_test(own, import_rejects_garbage);
	tcase_add_test(own, allocation_failures);
	tcase_add_test(own, rcache_bounded_newest_kept);
	tcase_add_test(own, rcache_many_entries);
	tcase_add_loop_test(own, u2u_kssp_to_kssp, 0, 5);
	tcase_add_test(own, u2u_wrong_tgt_session_key_refused);
	tcase_add_test(own, u2u_tokens_out_of_order_or_tampered);
	tcase_add_test(own, u2u_allocation_failures);
	suite_add_tcase(s, own);
	return s;
}
