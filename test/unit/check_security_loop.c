/*
 * test/unit/check_security_loop.c - allocation failures and secrets in
 * the trace over the whole stack, offline: a password logon and a service ticket replayed from
 * MIT's KDC (fixtures/security/kinit.rec, kvno.rec, recorded by
 * test/interop/security-fixtures.sh with the service's keytab http.keytab),
 * then the SSPI exchange (ISC / ASC / ISC, EncryptMessage, DecryptMessage)
 * in one process.
 *
 * Allocation-failure injection: every allocation of kinit and of the SSPI
 * loop fails in turn; each run ends with success or KSSP_ERR_NOMEM /
 * SEC_E_INSUFFICIENT_MEMORY, leaves no handle or context buffer behind
 * (the registry's counts return to where they were), and a context handle
 * it returned is either refused as invalid or fully usable.  Leaks show
 * under `make asan` (LeakSanitizer).
 *
 * Trace: the whole trace of that run (kdc layer and SSPI) holds neither the
 * password nor any key involved, raw or in hex.
 */
#include <check.h>
#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err_int.h"
#include "base/hooks_int.h"
#include "base/mem_int.h"
#include "creds/ccache_int.h"
#include "creds/cred_int.h"
#include "creds/principal_int.h"
#include "crypto/crypto.h"
#include "kdc/as_int.h"
#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/tgs_int.h"
#include "kdc/transport_int.h"
#include "kssp/kssp.h"
#include "kssp/sspi.h"
#include "sspi/ctx_int.h"
#include "sspi/handle_int.h"
#include "memfault.h"
#include "testutil.h"

/* ---- the trace sink: every line of every layer, kept in one buffer ---- */

struct trace_buf {
	char *text;
	size_t len, cap;
	size_t lines;
};

static struct trace_buf trace;

static void trace_line(void *arg, const char *line)
{
	struct trace_buf *t = arg;
	size_t n = strlen(line);

	if (t->len + n + 2 > t->cap) {
		size_t cap = (t->len + n + 2) * 2;
		char *p = realloc(t->text, cap);

		ck_assert_ptr_nonnull(p);
		t->text = p;
		t->cap = cap;
	}
	memcpy(t->text + t->len, line, n);
	t->len += n;
	t->text[t->len++] = '\n';
	t->text[t->len] = '\0';
	t->lines++;
}

/* ---- the recorded logon ---------------------------------------------- */

struct logon {
	struct kssp_cred tgt, service;
	char *password;
	char ccache[64];
};

static struct kssp_recording *load_rec(const char *name)
{
	struct kssp_recording *rec = NULL;

	ck_assert_msg(kssp_recording_load(tu_fixture(name), &rec) == KSSP_OK, "%s: %s", name,
	    kssp_last_reason());
	return rec;
}

static void replay_hooks(struct kssp_hooks *h, struct kssp_recording *rec,
    struct kssp_fixed_clock *clock, struct kssp_seeded_random *rnd, bool traced)
{
	tu_replay_hooks(h, rec, clock, rnd);
	if (traced) {
		h->trace = trace_line;
		h->trace_arg = &trace;
	}
}

/* kinit of kinit.rec: the AS exchange with alice's password. */
static kssp_err replay_kinit(struct kssp_config *cfg, struct kssp_recording *rec, bool traced,
    struct kssp_cred *tgt)
{
	struct kssp_fixed_clock clock;
	struct kssp_seeded_random rnd;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *client = NULL;
	struct kssp_as_opts o;
	const char *pw = kssp_recording_meta(rec, "password");
	kssp_err e;

	replay_hooks(&h, rec, &clock, &rnd, traced);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	e = kssp_principal_parse(kssp_recording_meta(rec, "client"), 0, NULL, &client);
	if (e == KSSP_OK) {
		kssp_as_opts_init(&o);
		o.client = client;
		o.password = pw;
		o.password_len = strlen(pw);
		e = kssp_as_get_tgt(&ctx, &o, tgt);
	}
	kssp_principal_free(client);
	kssp_kdc_ctx_free(&ctx);
	return e;
}

/* kvno of kvno.rec with that TGT: the service ticket for HTTP/server.kssp.test. */
static kssp_err replay_kvno(struct kssp_config *cfg, struct kssp_recording *rec,
    const struct kssp_cred *tgt, struct kssp_cred *out)
{
	struct kssp_fixed_clock clock;
	struct kssp_seeded_random rnd;
	struct kssp_hooks h;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *service = NULL;
	struct kssp_tgs_opts o;
	kssp_err e;

	replay_hooks(&h, rec, &clock, &rnd, true);
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	e = kssp_principal_parse(kssp_recording_meta(rec, "service"), 0, NULL, &service);
	if (e == KSSP_OK) {
		service->name_type = KSSP_NT_SRV_HST;
		kssp_tgs_opts_init(&o);
		o.server = service;
		e = kssp_tgs_get_ticket(&ctx, tgt, &o, NULL, out);
	}
	kssp_principal_free(service);
	kssp_kdc_ctx_free(&ctx);
	return e;
}

static struct kssp_config *replay_config(void)
{
	struct kssp_config *cfg;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_files(cfg, tu_fixture("security/replay.conf")), KSSP_OK);
	return cfg;
}

/* The logon, traced: TGT and service ticket, stored in a fresh cache file. */
static void logon(struct logon *l)
{
	struct kssp_config *cfg = replay_config();
	struct kssp_recording *as = load_rec("security/kinit.rec");
	struct kssp_recording *tgs = load_rec("security/kvno.rec");
	struct kssp_ccache cc;
	int fd;

	memset(l, 0, sizeof(*l));
	ck_assert_msg(replay_kinit(cfg, as, true, &l->tgt) == KSSP_OK, "kinit: %s",
	    kssp_last_reason());
	ck_assert_msg(replay_kvno(cfg, tgs, &l->tgt, &l->service) == KSSP_OK, "kvno: %s",
	    kssp_last_reason());
	l->password = strdup(kssp_recording_meta(as, "password"));
	ck_assert_ptr_nonnull(l->password);
	snprintf(l->ccache, sizeof(l->ccache), "/tmp/kssp-secloop.XXXXXX");
	fd = mkstemp(l->ccache);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(l->ccache);
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_reset(&cc, l->tgt.client), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_add(&cc, &l->tgt), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_add(&cc, &l->service), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, l->ccache), KSSP_OK);
	kssp_ccache_free(&cc);
	kssp_recording_free(as);
	kssp_recording_free(tgs);
	kssp_config_free(cfg);
}

static void logon_free(struct logon *l)
{
	unlink(l->ccache);
	kssp_cred_clear(&l->tgt);
	kssp_cred_clear(&l->service);
	free(l->password);
}

/* ---- the SSPI loop --------------------------------------------------- */

static int64_t loop_now;
/* tu_fixture's answer lives until its next call: the two paths kept apart. */
static char conf_path[512], keytab_path[512];

static void loop_paths(void)
{
	snprintf(conf_path, sizeof(conf_path), "%s", tu_fixture("security/replay.conf"));
	snprintf(keytab_path, sizeof(keytab_path), "%s", tu_fixture("security/http.keytab"));
}

static int fixed_clock(void *arg, int64_t *sec, int32_t *usec)
{
	(void)arg;
	*sec = loop_now;
	*usec = 0;
	return 0;
}

/* No KDC is needed: the cache holds the service ticket.  Asking is a failure. */
static int no_kdc(void *arg, const char *realm, const uint8_t *req, size_t len, int tcp,
    uint8_t **reply, size_t *reply_len)
{
	(void)arg, (void)realm, (void)req, (void)len, (void)tcp, (void)reply, (void)reply_len;
	return -1;
}

static KSSP_AUTH_DATA auth_data(const struct logon *l, bool traced)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Krb5Conf = conf_path;
	ad.Clock = fixed_clock;
	ad.Transport = no_kdc;
	if (traced) {
		ad.Trace = trace_line;
		ad.TraceArg = &trace;
	}
	(void)l;
	return ad;
}

/* Keys the loop's contexts hold, for the trace test. */
struct ctx_keys {
	struct kssp_key k[6];
	size_t n;
};

static void keep_keys(const CtxtHandle *h, struct ctx_keys *keys)
{
	struct kssp_sspi_ctx *ctx;

	if (keys == NULL || kssp_sspi_ctx_get(h, &ctx) != KSSP_OK)
		return;
	/* The initiator's subkey, the acceptor's, and the one protecting messages. */
	keys->k[keys->n++] = ctx->ap.tokens.key;
	keys->k[keys->n++] = ctx->ap.tokens.acceptor_subkey;
	keys->k[keys->n++] = *kssp_token_ctx_key(&ctx->ap.tokens);
	kssp_sspi_object_put(&ctx->obj);
}

/* The step of the loop that failed last, for the messages. */
static const char *loop_step;

#define LOOP_FAIL(st, step) \
	do { \
		status = (st); \
		loop_step = (step); \
		goto out; \
	} while (0)

/*
 * Acquire both credentials, ISC / ASC / ISC with mutual authentication,
 * EncryptMessage on the client and DecryptMessage on the server, then
 * everything freed.  Returns the first failure's status or SEC_E_OK.
 */
static SECURITY_STATUS sspi_loop(const struct logon *l, bool traced, struct ctx_keys *keys)
{
	static const char msg[] = "the protected message";
	KSSP_AUTH_DATA cad = auth_data(l, traced), sad = auth_data(l, traced);
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	bool have_cc = false, have_sc = false, have_cx = false, have_sx = false;
	uint8_t t1[12288], t2[12288], tok[128], data[sizeof(msg)];
	SecBuffer ib, ob, mb[2];
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
	SecPkgContext_Sizes sz;
	SECURITY_STATUS status = SEC_E_OK, st;
	ULONG attr, qop = 0;
	char target[] = "HTTP/server.kssp.test";

	cad.Ccache = l->ccache;
	sad.Keytab = keytab_path;
	SecInvalidateHandle(&cx);
	SecInvalidateHandle(&sx);
	if ((st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &cad,
	    NULL, NULL, &cc, NULL)) != SEC_E_OK)
		LOOP_FAIL(st, "AcquireCredentialsHandle(OUTBOUND)");
	have_cc = true;
	if ((st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &sad,
	    NULL, NULL, &sc, NULL)) != SEC_E_OK)
		LOOP_FAIL(st, "AcquireCredentialsHandle(INBOUND)");
	have_sc = true;

	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	st = InitializeSecurityContextA(&cc, NULL, target, ISC_REQ_MUTUAL_AUTH |
	    ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT, 0, SECURITY_NATIVE_DREP, NULL, 0,
	    &cx, &od, &attr, NULL);
	if (st >= 0)
		have_cx = true;
	if (st != SEC_I_CONTINUE_NEEDED)
		LOOP_FAIL(st, "InitializeSecurityContext 1");
	ib = ob;
	ob = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
	st = AcceptSecurityContext(&sc, NULL, &id, 0, SECURITY_NATIVE_DREP, &sx, &od, &attr, NULL);
	if (st >= 0)
		have_sx = true;
	if (st != SEC_E_OK)
		LOOP_FAIL(st, "AcceptSecurityContext");
	ib = ob;
	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	st = InitializeSecurityContextA(&cc, &cx, target, ISC_REQ_MUTUAL_AUTH |
	    ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT, 0, SECURITY_NATIVE_DREP, &id, 0,
	    &cx, &od, &attr, NULL);
	if (st != SEC_E_OK)
		LOOP_FAIL(st, "InitializeSecurityContext 2");

	if ((st = QueryContextAttributesA(&cx, SECPKG_ATTR_SIZES, &sz)) != SEC_E_OK)
		LOOP_FAIL(st, "QueryContextAttributes(SIZES)");
	ck_assert_uint_le(sz.cbSecurityTrailer, sizeof(tok));
	memcpy(data, msg, sizeof(msg));
	mb[0] = (SecBuffer){ sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok };
	mb[1] = (SecBuffer){ sizeof(data), SECBUFFER_DATA, data };
	if ((st = EncryptMessage(&cx, 0, &md, 0)) != SEC_E_OK)
		LOOP_FAIL(st, "EncryptMessage");
	ck_assert(memcmp(data, msg, sizeof(msg)) != 0);
	if ((st = DecryptMessage(&sx, &md, 0, &qop)) != SEC_E_OK)
		LOOP_FAIL(st, "DecryptMessage");
	ck_assert_mem_eq(mb[1].pvBuffer, msg, sizeof(msg));
	keep_keys(&cx, keys);
	keep_keys(&sx, keys);
out:
	/*
	 * No half-built handle: a context handle that was handed out is fully
	 * usable or refused as invalid, never followed into freed memory.
	 */
	if (have_cx) {
		mb[0] = (SecBuffer){ sizeof(tok), SECBUFFER_TOKEN, tok };
		mb[1] = (SecBuffer){ sizeof(data), SECBUFFER_DATA, data };
		st = EncryptMessage(&cx, 0, &md, 0);
		ck_assert_msg(st == SEC_E_OK || st < 0, "EncryptMessage on a failed context: %s",
		    kssp_status_name(st));
		ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	} else {
		ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_INVALID_HANDLE);
	}
	if (have_sx)
		ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	else
		ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_INVALID_HANDLE);
	if (have_cc)
		ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	if (have_sc)
		ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	return status;
}

/* ---- allocation-failure injection -------------------------------------- */

START_TEST(sspi_loop_every_allocation_fails_in_turn)
{
	struct logon l;
	uint32_t handles;
	size_t total, n, nomem = 0;
	SECURITY_STATUS st;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	kssp_alloc_fail_after(0);
	st = sspi_loop(&l, false, NULL);
	total = kssp_alloc_fail_after(0);
	ck_assert_msg(st == SEC_E_OK, "loop: %s %s: %s", loop_step, kssp_status_name(st),
	    kssp_status_reason());
	ck_assert_uint_gt(total, 50);
	for (n = 1; n <= total + 1; n++) {
		kssp_alloc_fail_after(n);
		st = sspi_loop(&l, false, NULL);
		kssp_alloc_fail_after(0);
		ck_assert_msg(st == SEC_E_OK || st == SEC_E_INSUFFICIENT_MEMORY,
		    "allocation %zu of %zu failing: %s gave %s: %s", n, total, loop_step,
		    kssp_status_name(st), kssp_status_reason());
		if (st == SEC_E_INSUFFICIENT_MEMORY)
			nomem++;
		ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
		ck_assert_uint_eq(kssp_sspi_buffer_count(), 0);
	}
	/* Most allocations are on a failure path; some (caches) may be optional. */
	ck_assert_uint_gt(nomem, total / 2);
	fprintf(stderr, "security: SSPI loop: %zu allocations, each failed in turn: "
	    "%zu runs SEC_E_INSUFFICIENT_MEMORY, %zu recovered\n", total, nomem, total - nomem);
	logon_free(&l);
}
END_TEST

START_TEST(kinit_replay_every_allocation_fails_in_turn)
{
	struct kssp_config *cfg = replay_config();
	struct kssp_recording *rec;
	struct kssp_cred tgt;
	size_t total, n, nomem = 0;
	kssp_err e;

	rec = load_rec("security/kinit.rec");
	memset(&tgt, 0, sizeof(tgt));
	kssp_alloc_fail_after(0);
	e = replay_kinit(cfg, rec, false, &tgt);
	total = kssp_alloc_fail_after(0);
	ck_assert_msg(e == KSSP_OK, "kinit: %s", kssp_last_reason());
	kssp_cred_clear(&tgt);
	kssp_recording_free(rec);
	for (n = 1; n <= total + 1; n++) {
		rec = load_rec("security/kinit.rec");
		kssp_alloc_fail_after(n);
		e = replay_kinit(cfg, rec, false, &tgt);
		kssp_alloc_fail_after(0);
		ck_assert_msg(e == KSSP_OK || e == KSSP_ERR_NOMEM,
		    "allocation %zu of %zu failing gave %s", n, total, kssp_last_reason());
		if (e == KSSP_ERR_NOMEM) {
			nomem++;
			/* Nothing half-built: a failed exchange leaves the output empty. */
			ck_assert_ptr_null(tgt.client);
			ck_assert_ptr_null(tgt.keyvalue.data);
		}
		kssp_cred_clear(&tgt);
		kssp_recording_free(rec);
	}
	ck_assert_uint_gt(nomem, total / 2);
	fprintf(stderr, "security: kinit replay: %zu allocations, each failed in turn: "
	    "%zu runs KSSP_ERR_NOMEM, %zu recovered\n", total, nomem, total - nomem);
	kssp_config_free(cfg);
}
END_TEST

/* ---- nothing secret in the trace --------------------------------------- */

static bool contains(const char *hay, size_t hay_len, const void *needle, size_t n)
{
	size_t i;

	for (i = 0; n > 0 && i + n <= hay_len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

/* The key's bytes raw, in lower- and upper-case hex, and their first 8 bytes in hex. */
static const char *secret_in(const char *text, size_t len, const uint8_t *k, size_t n)
{
	static char hex[2 * KSSP_CRYPTO_MAX_KEY + 1];
	size_t i;

	if (n == 0)
		return NULL;
	if (contains(text, len, k, n))
		return "raw";
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", k[i]);
	if (contains(text, len, hex, 2 * n) || contains(text, len, hex, 16))
		return "hex";
	for (i = 0; i < 2 * n; i++)
		hex[i] = (char)toupper((unsigned char)hex[i]);
	if (contains(text, len, hex, 2 * n) || contains(text, len, hex, 16))
		return "HEX";
	return NULL;
}

START_TEST(full_trace_holds_no_secret)
{
	static const int32_t enctypes[] = { 17, 18, 19, 20, 23, 25, 26 };
	static const char salt[] = "KSSP.TESTalice";
	struct logon l;
	struct ctx_keys keys;
	struct kssp_key pk;
	const char *where;
	char control[256];
	size_t i;

	memset(&trace, 0, sizeof(trace));
	memset(&keys, 0, sizeof(keys));
	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	ck_assert_msg(sspi_loop(&l, true, &keys) == SEC_E_OK, "loop: %s: %s", loop_step,
	    kssp_status_reason());
	ck_assert_uint_ge(keys.n, 6);
	/* The trace is a real one: the AS and TGS exchanges spoke (the SSPI layers add none). */
	ck_assert_uint_ge(trace.lines, 4);
	ck_assert_ptr_nonnull(strstr(trace.text, "AS-REQ for KSSP.TEST"));
	ck_assert_ptr_nonnull(strstr(trace.text, "AS: reply verified"));
	ck_assert_ptr_nonnull(strstr(trace.text, "TGS-REQ to KSSP.TEST"));
	/* The context layer's steps, both sides. */
	ck_assert_ptr_nonnull(strstr(trace.text, "context: AP-REQ from "));
	ck_assert_ptr_nonnull(strstr(trace.text, "context: ticket for "));
	ck_assert_ptr_nonnull(strstr(trace.text, "context: established as initiator: "));
	ck_assert_ptr_nonnull(strstr(trace.text, "context: established as acceptor: "));

	ck_assert_msg(!contains(trace.text, trace.len, l.password, strlen(l.password)),
	    "the password is in the trace");
	where = secret_in(trace.text, trace.len, l.tgt.keyvalue.data, l.tgt.keyvalue.length);
	ck_assert_msg(where == NULL, "the TGT session key is in the trace (%s)", where);
	where = secret_in(trace.text, trace.len, l.service.keyvalue.data,
	    l.service.keyvalue.length);
	ck_assert_msg(where == NULL, "the service session key is in the trace (%s)", where);
	for (i = 0; i < keys.n; i++) {
		where = secret_in(trace.text, trace.len, keys.k[i].contents, keys.k[i].length);
		ck_assert_msg(where == NULL, "context key %zu is in the trace (%s)", i, where);
	}
	/* The password-derived key, whichever enctype the KDC chose (default salt). */
	for (i = 0; i < sizeof(enctypes) / sizeof(enctypes[0]); i++) {
		bool rc4 = enctypes[i] == 23;

		ck_assert_int_eq(kssp_crypto_string_to_key(enctypes[i], l.password,
		    strlen(l.password), rc4 ? NULL : (const uint8_t *)salt, rc4 ? 0 : strlen(salt),
		    NULL, 0, &pk), KSSP_OK);
		where = secret_in(trace.text, trace.len, pk.contents, pk.length);
		ck_assert_msg(where == NULL, "alice's enctype %d key is in the trace (%s)",
		    (int)enctypes[i], where);
		kssp_crypto_key_clear(&pk);
	}
	/* Control: the search finds a key that is there. */
	snprintf(control, sizeof(control), "key ");
	for (i = 0; i < l.service.keyvalue.length && i < 32; i++)
		snprintf(control + 4 + 2 * i, 3, "%02x", l.service.keyvalue.data[i]);
	ck_assert_ptr_nonnull(secret_in(control, strlen(control), l.service.keyvalue.data,
	    l.service.keyvalue.length));
	fprintf(stderr, "security: trace of the full logon and SSPI loop: %zu lines, "
	    "%zu bytes, no secret\n", trace.lines, trace.len);
	free(trace.text);
	memset(&trace, 0, sizeof(trace));
	logon_free(&l);
}
END_TEST

/* ---- bug classes of other implementations (docs/security.md) --------- */

static void acquire_pair(const struct logon *l, const char *package, CredHandle *cc,
    CredHandle *sc)
{
	KSSP_AUTH_DATA cad = auth_data(l, false), sad = auth_data(l, false);

	cad.Ccache = l->ccache;
	sad.Keytab = keytab_path;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package,
	    SECPKG_CRED_OUTBOUND, NULL, &cad, NULL, NULL, cc, NULL), SEC_E_OK);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package,
	    SECPKG_CRED_INBOUND, NULL, &sad, NULL, NULL, sc, NULL), SEC_E_OK);
}

/* One ISC call; tok/len in (NULL on the first leg), the output token in out. */
static SECURITY_STATUS isc_leg(CredHandle *cc, CtxtHandle *cx, bool first, const uint8_t *tok,
    size_t len, uint8_t *out, ULONG *out_len)
{
	char target[] = "HTTP/server.kssp.test";
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob = { *out_len,
	    SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	ULONG attr;
	SECURITY_STATUS st;

	st = InitializeSecurityContextA(cc, first ? NULL : cx, target, ISC_REQ_MUTUAL_AUTH, 0,
	    SECURITY_NATIVE_DREP, first ? NULL : &id, 0, cx, &od, &attr, NULL);
	*out_len = ob.cbBuffer;
	return st;
}

static SECURITY_STATUS asc_leg(CredHandle *sc, CtxtHandle *sx, const uint8_t *tok, size_t len,
    uint8_t *out, ULONG *out_len)
{
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob = { *out_len,
	    SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	ULONG attr;
	SECURITY_STATUS st;

	st = AcceptSecurityContext(sc, NULL, &id, 0, SECURITY_NATIVE_DREP, sx, &od, &attr, NULL);
	*out_len = ob.cbBuffer;
	return st;
}

/* ISC, ASC, ISC with the AP-REP: an established pair for HTTP/server.kssp.test. */
static void establish(CredHandle *cc, CredHandle *sc, ULONG req, CtxtHandle *cx, CtxtHandle *sx)
{
	uint8_t t1[12288], t2[12288];
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	char target[] = "HTTP/server.kssp.test";
	ULONG attr;

	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	ck_assert_int_eq(InitializeSecurityContextA(cc, NULL, target, req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, cx, &od, &attr, NULL), SEC_I_CONTINUE_NEEDED);
	ib = ob;
	ob = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
	ck_assert_int_eq(AcceptSecurityContext(sc, NULL, &id, 0, SECURITY_NATIVE_DREP, sx, &od,
	    &attr, NULL), SEC_E_OK);
	ib = ob;
	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	ck_assert_int_eq(InitializeSecurityContextA(cc, cx, target, req, 0,
	    SECURITY_NATIVE_DREP, &id, 0, cx, &od, &attr, NULL), SEC_E_OK);
}

/*
 * RPC's buffers through the SSPI (MS-KILE 3.4.5.4.1, MS-RPCE header
 * signing): the PDU header (SECBUFFER_READONLY_WITH_CHECKSUM) and auth
 * trailer (SECBUFFER_READONLY) around the PDU body are signed, left as
 * they are, and any change to them is SEC_E_MESSAGE_ALTERED, sealed or
 * signed only, either way.
 */
static SECURITY_STATUS rpc_message(CtxtHandle *from, CtxtHandle *to, ULONG qop, int alter)
{
	static const char body_text[] = "the body of an RPC request";
	uint8_t tok[128], hdr[16], body[sizeof(body_text)], trl[8];
	SecBuffer b[4] = {
		{ sizeof(tok), SECBUFFER_TOKEN, tok },
		{ sizeof(hdr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr },
		{ sizeof(body), SECBUFFER_DATA, body },
		{ sizeof(trl), SECBUFFER_DATA | SECBUFFER_READONLY, trl },
	};
	SecBufferDesc d = { SECBUFFER_VERSION, 4, b };
	ULONG got = 99;
	SECURITY_STATUS st;

	memset(hdr, 0x05, sizeof(hdr));
	memset(trl, 0x10, sizeof(trl));
	memcpy(body, body_text, sizeof(body));
	ck_assert_int_eq(EncryptMessage(from, qop, &d, 0), SEC_E_OK);
	ck_assert_uint_eq(hdr[15], 0x05);
	ck_assert_uint_eq(trl[7], 0x10);
	ck_assert_int_eq(memcmp(body, body_text, sizeof(body)) != 0, qop == 0);
	if (alter == 1)
		hdr[2] ^= 1;
	if (alter == 2)
		trl[0] ^= 0x20;
	st = DecryptMessage(to, &d, 0, &got);
	if (st == SEC_E_OK) {
		ck_assert_mem_eq(body, body_text, sizeof(body));
		ck_assert_uint_eq(got, qop);
	} else if (qop == 0) {
		ck_assert(memcmp(body, body_text, sizeof(body)) != 0);
	}
	return st;
}

START_TEST(rpc_buffers_signed_not_sealed)
{
	struct logon l;
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	acquire_pair(&l, "Kerberos", &cc, &sc);
	establish(&cc, &sc, req, &cx, &sx);

	ck_assert_int_eq(rpc_message(&cx, &sx, 0, 0), SEC_E_OK);
	ck_assert_int_eq(rpc_message(&sx, &cx, SECQOP_WRAP_NO_ENCRYPT, 0), SEC_E_OK);
	ck_assert_int_eq(rpc_message(&sx, &cx, 0, 0), SEC_E_OK);
	/* Altered last: a refused message leaves a gap in the numbers. */
	ck_assert_int_eq(rpc_message(&cx, &sx, 0, 1), SEC_E_MESSAGE_ALTERED);
	ck_assert_int_eq(rpc_message(&cx, &sx, 0, 2), SEC_E_MESSAGE_ALTERED);
	ck_assert_int_eq(rpc_message(&sx, &cx, SECQOP_WRAP_NO_ENCRYPT, 2), SEC_E_MESSAGE_ALTERED);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	logon_free(&l);
}
END_TEST

/* Signs on one context until it is deleted under it. */
struct sign_race {
	CtxtHandle *cx;
	atomic_int *started; /* threads that have signed once */
	int ok, bad;
};

static void *sign_loop(void *arg)
{
	struct sign_race *r = arg;
	uint8_t tok[64], data[64] = { 0 };
	SecBuffer b[2] = { { sizeof(tok), SECBUFFER_TOKEN, tok }, { sizeof(data), SECBUFFER_DATA, data } };
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	SECURITY_STATUS st;
	int i;

	for (;;) {
		b[0].cbBuffer = sizeof(tok);
		st = MakeSignature(r->cx, 0, &d, 0);
		if (st != SEC_E_OK)
			break;
		if (r->ok++ == 0)
			atomic_fetch_add(r->started, 1);
	}
	if (st != SEC_E_INVALID_HANDLE)
		r->bad++;
	/* Once refused, refused for good. */
	for (i = 0; i < 100; i++)
		if (MakeSignature(r->cx, 0, &d, 0) != SEC_E_INVALID_HANDLE)
			r->bad++;
	return NULL;
}

/*
 * A message call looks its context up without a lock and holds it for the
 * call: a DeleteSecurityContext meanwhile ends the context's use for every
 * later call (never success after a refusal), frees it once, when the last
 * call inside has left (ASan in `make asan`, ThreadSanitizer in `make tsan`).
 */
START_TEST(message_calls_race_with_delete)
{
	static struct sign_race r[2];
	struct logon l;
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_INTEGRITY;
	pthread_t t[2];
	atomic_int started;
	uint32_t handles;
	int i;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	acquire_pair(&l, "Kerberos", &cc, &sc);
	handles = kssp_sspi_handle_count();
	establish(&cc, &sc, req, &cx, &sx);
	memset(r, 0, sizeof(r));
	atomic_init(&started, 0);
	for (i = 0; i < 2; i++) {
		r[i].cx = &cx;
		r[i].started = &started;
		ck_assert_int_eq(pthread_create(&t[i], NULL, sign_loop, &r[i]), 0);
	}
	while (atomic_load(&started) < 2)
		sched_yield();
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(r[i].bad, 0);
		ck_assert_int_gt(r[i].ok, 0);
	}
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	logon_free(&l);
}
END_TEST

/* A deleted context is gone: every later use is refused, never followed. */
static void assert_gone(CtxtHandle *h)
{
	SecBuffer b = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc d = { SECBUFFER_VERSION, 1, &b };

	ck_assert_int_eq(DeleteSecurityContext(h), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(EncryptMessage(h, 0, &d, 0), SEC_E_INVALID_HANDLE);
}

/*
 * CVE-2017-11462 (MIT): a context deleted after its later leg failed was
 * freed twice.  Here the AP-REP of the second ISC leg is altered at every
 * 16th byte and the AP-REQ given to ASC likewise; each failure is clean,
 * DeleteSecurityContext then frees once (ASan in `make asan`), a second
 * delete and any later use are refused, and no handle stays registered.
 */
START_TEST(cve_2017_11462_delete_after_failed_later_leg)
{
	struct logon l;
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	uint8_t req[12288], rep[12288], bad[12288], out[12288];
	ULONG req_len, rep_len, out_len;
	uint32_t handles;
	size_t i, failures = 0;
	SECURITY_STATUS st;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	acquire_pair(&l, "Kerberos", &cc, &sc);
	req_len = sizeof(req);
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &req_len), SEC_I_CONTINUE_NEEDED);
	rep_len = sizeof(rep);
	ck_assert_int_eq(asc_leg(&sc, &sx, req, req_len, rep, &rep_len), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	for (i = 0; i < rep_len; i += 16) {
		/* The initiator's second leg fails on an altered AP-REP. */
		ULONG len = sizeof(out);

		ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, out, &len), SEC_I_CONTINUE_NEEDED);
		memcpy(bad, rep, rep_len);
		bad[i] ^= 0x41;
		out_len = sizeof(out);
		st = isc_leg(&cc, &cx, false, bad, rep_len, out, &out_len);
		if (st != SEC_E_OK) {
			failures++;
			ck_assert_int_lt(st, 0);
		}
		ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
		assert_gone(&cx);
	}
	ck_assert_uint_gt(failures, rep_len / 16 / 2);
	for (i = 0; i < req_len; i += 16) {
		/* The acceptor fails on an altered AP-REQ (a fresh one each time: no replay). */
		ULONG len = sizeof(req);

		ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &len), SEC_I_CONTINUE_NEEDED);
		ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
		req[i] ^= 0x41;
		out_len = sizeof(out);
		SecInvalidateHandle(&sx);
		st = asc_leg(&sc, &sx, req, len, out, &out_len);
		if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
			ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
		else if (DeleteSecurityContext(&sx) == SEC_E_OK)
			assert_gone(&sx);
	}
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	logon_free(&l);
}
END_TEST

/*
 * CVE-2021-44758 (Heimdal): SPNEGO tokens lacking fields crashed the
 * acceptor (NULL dereference).  Negotiate's acceptor gets NegTokenInits
 * without mechTypes, without mechToken, empty, with an empty token; the
 * initiator's second leg gets NegTokenResps lacking negState, supportedMech
 * or responseToken.  Each is refused with an error status, no handle kept.
 */
static const char *const bad_inits[] = {
	"600c06062b0601050502a0023000",
	"601b06062b0601050502a011300fa00d300b06092a864886f712010202",
	"601606062b0601050502a00c300aa0023000a20404026000",
	"601406062b0601050502a00a3008a206040460020600",
	"601f06062b0601050502a0153013a00d300b06092a864886f712010202a2020400",
	"600806062b0601050502",
	"a1023000",
};

static const char *const bad_resps[] = {
	"a1023000",
	"a1073005a0030a0100",
	"a1073005a0030a0101",
	"a10f300da10b06092a864886f712010202",
	"a1083006a20404026f00",
	"a1073005a0030a0102",
	"a0023000",
	"",
};

START_TEST(cve_2021_44758_spnego_tokens_missing_fields)
{
	struct logon l;
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	uint8_t tok[256], out[12288];
	ULONG out_len;
	size_t i, len;
	uint32_t handles;
	SECURITY_STATUS st;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	acquire_pair(&l, "Negotiate", &cc, &sc);
	for (i = 0; i < sizeof(bad_inits) / sizeof(bad_inits[0]); i++) {
		len = tu_hex(bad_inits[i], tok, sizeof(tok));
		out_len = sizeof(out);
		SecInvalidateHandle(&sx);
		st = asc_leg(&sc, &sx, tok, len, out, &out_len);
		ck_assert_msg(st < 0, "acceptor took NegTokenInit %zu: %s", i, kssp_status_name(st));
		if (DeleteSecurityContext(&sx) == SEC_E_OK)
			assert_gone(&sx);
	}
	for (i = 0; i < sizeof(bad_resps) / sizeof(bad_resps[0]); i++) {
		out_len = sizeof(out);
		ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, out, &out_len),
		    SEC_I_CONTINUE_NEEDED);
		len = tu_hex(bad_resps[i], tok, sizeof(tok));
		out_len = sizeof(out);
		st = isc_leg(&cc, &cx, false, tok, len, out, &out_len);
		ck_assert_msg(st < 0, "initiator took NegTokenResp %zu: %s", i, kssp_status_name(st));
		ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
		assert_gone(&cx);
	}
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	logon_free(&l);
}
END_TEST

/* ---- the acceptor's files: replay cache file, delegated TGT (kssp.h) -- */

/* A fresh folder for the acceptor's files, so that leftovers can be counted. */
static void files_dir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/kssp-accfiles.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
	char cmd[600];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &n), 1);
	pclose(f);
	return n;
}

static void rm_dir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* An inbound Kerberos credential whose KSSP_AUTH_DATA (version 2) names rcache. */
static void acquire_server(const struct logon *l, const char *rcache, CredHandle *sc)
{
	KSSP_AUTH_DATA sad = auth_data(l, false);

	sad.Version = KSSP_AUTH_DATA_VERSION_2;
	sad.Keytab = keytab_path;
	sad.ReplayCache = rcache;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &sad, NULL, NULL, sc, NULL), SEC_E_OK);
}

/* What the last accept_once's ASC left: kssp_status_error and _reason, before the cleanup calls. */
static char asc_error[64], asc_reason[256];
static int32_t asc_code;

/* One ASC of tok on a new credential naming rcache; the context is deleted. */
static SECURITY_STATUS accept_once(const struct logon *l, const char *rcache, const uint8_t *tok,
    size_t len)
{
	uint8_t out[12288];
	ULONG out_len = sizeof(out);
	CredHandle sc;
	CtxtHandle sx;
	SECURITY_STATUS st;

	acquire_server(l, rcache, &sc);
	st = asc_leg(&sc, &sx, tok, len, out, &out_len);
	snprintf(asc_error, sizeof(asc_error), "%s", kssp_status_error(&asc_code));
	snprintf(asc_reason, sizeof(asc_reason), "%s", kssp_status_reason());
	if (st == SEC_E_OK)
		ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	return st;
}

/* An AP-REQ token from the client credential of l (a fresh authenticator each call). */
static ULONG new_token(const struct logon *l, uint8_t *tok, ULONG cap)
{
	KSSP_AUTH_DATA cad = auth_data(l, false);
	CredHandle cc;
	CtxtHandle cx;
	ULONG len = cap;

	cad.Ccache = l->ccache;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_OUTBOUND, NULL, &cad, NULL, NULL, &cc, NULL), SEC_E_OK);
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, tok, &len), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	return len;
}

static size_t file_bytes(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void put_file(const char *path, const uint8_t *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * The replay cache file outlives its credential: a token accepted by one
 * credential is refused by the next naming the same file, with the status
 * the one mapping gives KRB_AP_ERR_REPEAT at accept (SEC_E_INVALID_TOKEN)
 * and that Kerberos error told by kssp_status_error.  "none" and the
 * in-memory default (a new credential) accept it again; a version 1
 * structure (no ReplayCache member) is still read.
 */
START_TEST(replay_cache_file_outlives_its_credential)
{
	struct logon l;
	char dir[64], rc[128];
	uint8_t tok[12288], tok2[12288];
	ULONG len, len2;
	uint32_t handles;
	KSSP_AUTH_DATA v1;
	CredHandle sc;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	files_dir(dir, sizeof(dir));
	snprintf(rc, sizeof(rc), "%s/rcache", dir);
	len = new_token(&l, tok, sizeof(tok));
	ck_assert_int_eq(accept_once(&l, rc, tok, len), SEC_E_OK);
	ck_assert_str_eq(asc_error, "");
	ck_assert_int_eq(asc_code, 0);
	ck_assert_int_eq(dir_entries(dir), 1);
	ck_assert_int_eq(accept_once(&l, rc, tok, len), SEC_E_INVALID_TOKEN);
	ck_assert_str_eq(asc_error, "KRB_AP_ERR_REPEAT");
	ck_assert_int_eq(asc_code, 34);
	ck_assert_ptr_nonnull(strstr(asc_reason, "replay"));
	/* Another authenticator is new to the file, then remembered too. */
	len2 = new_token(&l, tok2, sizeof(tok2));
	ck_assert_int_eq(accept_once(&l, rc, tok2, len2), SEC_E_OK);
	ck_assert_int_eq(accept_once(&l, rc, tok2, len2), SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(accept_once(&l, rc, tok, len), SEC_E_INVALID_TOKEN);
	/* No replay detection, and a cache in memory: the token is new to them. */
	ck_assert_int_eq(accept_once(&l, "none", tok, len), SEC_E_OK);
	ck_assert_int_eq(accept_once(&l, NULL, tok, len), SEC_E_OK);
	/* A version 1 structure, Length its own size: read, no file. */
	v1 = auth_data(&l, false);
	v1.Keytab = keytab_path;
	v1.Length = (ULONG)offsetof(KSSP_AUTH_DATA, ReplayCache);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	v1.Length--;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	/* Version 2 must be whole (up to ReplayCache); "" names no file. */
	v1.Version = KSSP_AUTH_DATA_VERSION_2;
	v1.Length = (ULONG)offsetof(KSSP_AUTH_DATA, ArmorCcache) - 1;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	/* Version 3 must be whole too, and names one armor source. */
	v1.Version = KSSP_AUTH_DATA_VERSION_3;
	v1.Length = sizeof(v1) - 1;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	v1.Length = sizeof(v1);
	v1.ArmorCcache = "FILE:/nonexistent/armor";
	v1.ArmorKeytab = "FILE:/nonexistent/armor.keytab";
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	v1.ArmorCcache = v1.ArmorKeytab = NULL;
	v1.Version = KSSP_AUTH_DATA_VERSION_2;
	v1.ReplayCache = "";
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &v1, NULL, NULL, &sc, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	ck_assert_int_eq(dir_entries(dir), 1);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	rm_dir(dir);
	logon_free(&l);
}
END_TEST

/*
 * A truncated or corrupt replay cache file (MIT's file2: a 16-byte seed,
 * then whole 16-byte records) fails the accept with SEC_E_NO_CREDENTIALS
 * and a reason naming the file; the file keeps its bytes and no temp file
 * is left beside it.  A file that cannot be written (its folder gone)
 * fails the accept too, with no reply token.
 */
START_TEST(corrupt_replay_cache_file_is_refused_and_kept)
{
	static uint8_t good[20000], cut[20000], back[20000];
	static const size_t cuts[] = { 1, 8, 15, 17, 31, 33 };
	struct logon l;
	char dir[64], rc[128], bad[128];
	uint8_t tok[12288], out[12288];
	ULONG len, out_len = sizeof(out);
	size_t n, k;
	CredHandle sc;
	CtxtHandle sx;
	FILE *f;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	files_dir(dir, sizeof(dir));
	snprintf(rc, sizeof(rc), "%s/rcache", dir);
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	len = new_token(&l, tok, sizeof(tok));
	ck_assert_int_eq(accept_once(&l, rc, tok, len), SEC_E_OK);
	n = file_bytes(rc, good, sizeof(good));
	/* The seed, then records up to the one stored, in the first table of 1023. */
	ck_assert_uint_ge(n, 16 + 16);
	ck_assert_uint_le(n, 16 + 1023 * 16);
	ck_assert_uint_eq(n % 16, 0);
	/* A seed cut short, a record cut short. */
	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		put_file(bad, good, cuts[k]);
		ck_assert_int_eq(accept_once(&l, bad, tok, len), SEC_E_NO_CREDENTIALS);
		ck_assert_msg(strstr(asc_reason, bad) != NULL, "reason: %s", asc_reason);
		ck_assert_str_eq(asc_error, "KSSP_ERR_IO");
		ck_assert_uint_eq(file_bytes(bad, back, sizeof(back)), cuts[k]);
		ck_assert_mem_eq(back, good, cuts[k]);
	}
	/* A trailing byte, and a file beyond MIT's 2 GiB bound (sparse). */
	memcpy(cut, good, n);
	cut[n] = 0;
	put_file(bad, cut, n + 1);
	ck_assert_int_eq(accept_once(&l, bad, tok, len), SEC_E_NO_CREDENTIALS);
	ck_assert_uint_eq(file_bytes(bad, back, sizeof(back)), n + 1);
	ck_assert_int_eq(truncate(bad, (off_t)1 << 31), 0);
	ck_assert_int_eq(accept_once(&l, bad, tok, len), SEC_E_NO_CREDENTIALS);
	ck_assert_str_eq(asc_error, "KSSP_ERR_IO");
	f = fopen(bad, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseeko(f, 0, SEEK_END), 0);
	ck_assert_int_eq(ftello(f), (off_t)1 << 31);
	fclose(f);
	ck_assert_int_eq(dir_entries(dir), 2);
	/* The whole file as it was is still the file of the first accept. */
	put_file(bad, good, n);
	ck_assert_int_eq(accept_once(&l, bad, tok, len), SEC_E_INVALID_TOKEN);
	ck_assert_str_eq(asc_error, "KRB_AP_ERR_REPEAT");
	/* The folder gone: the authenticator cannot be recorded, the logon fails. */
	len = new_token(&l, tok, sizeof(tok));
	acquire_server(&l, rc, &sc);
	rm_dir(dir);
	{
		SecBuffer ib = { len, SECBUFFER_TOKEN, tok }, ob = { out_len, SECBUFFER_TOKEN, out };
		SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
		ULONG attr;

		/* Extended errors asked: whatever token comes back, it is no AP-REP. */
		ck_assert_int_lt(AcceptSecurityContext(&sc, NULL, &id, ASC_REQ_EXTENDED_ERROR,
		    SECURITY_NATIVE_DREP, &sx, &od, &attr, NULL), 0);
		ck_assert_ptr_nonnull(strstr(kssp_status_reason(), dir));
		ck_assert_uint_eq(ob.cbBuffer, 0);
	}
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	logon_free(&l);
}
END_TEST

/*
 * kssp_store_delegated on a context whose client delegated nothing:
 * SEC_E_NO_CREDENTIALS naming why, no file made; a client context or a
 * stale handle is SEC_E_INVALID_HANDLE, no cache name
 * SEC_E_INVALID_PARAMETER.
 */
START_TEST(store_delegated_without_delegation_is_refused)
{
	struct logon l;
	char dir[64], cc_path[128];
	uint8_t req[12288], rep[12288];
	ULONG req_len = sizeof(req), rep_len = sizeof(rep);
	CredHandle cc, sc;
	CtxtHandle cx, sx, gone;
	uint32_t handles;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	files_dir(dir, sizeof(dir));
	snprintf(cc_path, sizeof(cc_path), "FILE:%s/deleg", dir);
	acquire_pair(&l, "Kerberos", &cc, &sc);
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &req_len), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(asc_leg(&sc, &sx, req, req_len, rep, &rep_len), SEC_E_OK);
	ck_assert_int_eq(kssp_store_delegated(&sx, cc_path), SEC_E_NO_CREDENTIALS);
	ck_assert_ptr_nonnull(strstr(kssp_status_reason(), "delegated no TGT"));
	ck_assert_int_eq(kssp_store_delegated(&sx, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_store_delegated(&sx, ""), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_store_delegated(&cx, cc_path), SEC_E_INVALID_HANDLE);
	gone = sx;
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(kssp_store_delegated(&gone, cc_path), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(kssp_store_delegated(NULL, cc_path), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(dir_entries(dir), 0);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	rm_dir(dir);
	logon_free(&l);
}
END_TEST

/* One ASC call with fContextReq asc. */
static SECURITY_STATUS asc_leg_req(CredHandle *sc, CtxtHandle *sx, ULONG asc, const uint8_t *tok,
    size_t len, uint8_t *out, ULONG *out_len)
{
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob = { *out_len,
	    SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	ULONG attr;
	SECURITY_STATUS st;

	st = AcceptSecurityContext(sc, NULL, &id, asc, SECURITY_NATIVE_DREP, sx, &od, &attr, NULL);
	*out_len = ob.cbBuffer;
	return st;
}

/*
 * Kerberos-only constrained delegation (MS-SFU 3.1.5.2): a context
 * accepted with ASC_REQ_DELEGATE keeps its ticket, from which DelegateFrom
 * makes an outbound credential and kssp_store_delegated writes the
 * service's cache with the ticket (the client's, to the service); one
 * accepted without it keeps nothing, and DelegateFrom says how to ask.
 */
START_TEST(accepted_ticket_kept_only_with_asc_req_delegate)
{
	struct logon l;
	struct kssp_ccache cc_file;
	char dir[64], cc_path[160], path[128];
	uint8_t req[12288], rep[12288];
	ULONG req_len = sizeof(req), rep_len = sizeof(rep);
	CredHandle cc, sc, as_client;
	CtxtHandle cx, sx;
	KSSP_AUTH_DATA ad;
	uint32_t handles;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	files_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/evidence", dir);
	snprintf(cc_path, sizeof(cc_path), "FILE:%s", path);
	acquire_pair(&l, "Kerberos", &cc, &sc);
	ad = auth_data(&l, false);
	ad.Keytab = keytab_path;
	/* Without ASC_REQ_DELEGATE: nothing kept. */
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &req_len), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(asc_leg(&sc, &sx, req, req_len, rep, &rep_len), SEC_E_OK);
	ad.DelegateFrom = &sx;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &as_client, NULL), SEC_E_NO_CREDENTIALS);
	ck_assert_ptr_nonnull(strstr(kssp_status_reason(), "ASC_REQ_DELEGATE"));
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	/* With it: the ticket is the evidence. */
	req_len = sizeof(req);
	rep_len = sizeof(rep);
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &req_len), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(asc_leg_req(&sc, &sx, ASC_REQ_DELEGATE, req, req_len, rep, &rep_len),
	    SEC_E_OK);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &as_client, NULL), SEC_E_OK);
	ck_assert_int_eq(kssp_store_delegated(&sx, cc_path), SEC_E_OK);
	kssp_ccache_init(&cc_file);
	ck_assert_int_eq(kssp_ccache_read(path, &cc_file), KSSP_OK);
	ck_assert(kssp_principal_equal(cc_file.default_principal, l.service.server));
	ck_assert_uint_eq(cc_file.n_creds, 1);
	ck_assert(kssp_principal_equal(cc_file.creds[0].client, l.service.client));
	ck_assert(kssp_principal_equal(cc_file.creds[0].server, l.service.server));
	ck_assert_uint_eq(cc_file.creds[0].ticket.length, l.service.ticket.length);
	ck_assert_mem_eq(cc_file.creds[0].ticket.data, l.service.ticket.data,
	    l.service.ticket.length);
	kssp_ccache_free(&cc_file);
	ck_assert_int_eq(FreeCredentialsHandle(&as_client), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	unlink(path);
	rm_dir(dir);
	logon_free(&l);
}
END_TEST

/* The acceptor's clock, 1000 s ahead of the initiator's (more than the 300 s allowed). */
static int late_clock(void *arg, int64_t *sec, int32_t *usec)
{
	(void)arg;
	*sec = loop_now + 1000;
	*usec = 0;
	return 0;
}

/*
 * RFC 4120 §3.2.3 / MIT: an initiator answered KRB_AP_ERR_SKEW retries
 * once with the server's time, taking its service ticket from the
 * credential again (an initiator context keeps none) and asking no KDC;
 * the acceptor takes the new AP-REQ, and the initiator its AP-REP.
 * Established, the contexts keep neither a ticket nor the handshake's keys.
 */
START_TEST(skew_retry_takes_the_ticket_from_the_credential)
{
	struct kssp_sspi_ctx *ctx;
	struct logon l;
	uint8_t req[12288], rep[12288];
	ULONG req_len = sizeof(req), rep_len = sizeof(rep);
	CredHandle cc, sc;
	CtxtHandle cx, sx;
	KSSP_AUTH_DATA cad, sad;
	uint32_t handles;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	handles = kssp_sspi_handle_count();
	cad = auth_data(&l, false);
	cad.Ccache = l.ccache;
	sad = auth_data(&l, false);
	sad.Keytab = keytab_path;
	sad.Clock = late_clock;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
	    &cad, NULL, NULL, &cc, NULL), SEC_E_OK);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL,
	    &sad, NULL, NULL, &sc, NULL), SEC_E_OK);
	ck_assert_int_eq(isc_leg(&cc, &cx, true, NULL, 0, req, &req_len), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(asc_leg_req(&sc, &sx, ASC_REQ_EXTENDED_ERROR, req, req_len, rep,
	    &rep_len), SEC_E_TIME_SKEW);
	ck_assert_uint_gt(rep_len, 0);
	req_len = sizeof(req);
	ck_assert_msg(isc_leg(&cc, &cx, false, rep, rep_len, req, &req_len) ==
	    SEC_I_CONTINUE_NEEDED, "retry: %s", kssp_status_reason());
	rep_len = sizeof(rep);
	ck_assert_msg(asc_leg(&sc, &sx, req, req_len, rep, &rep_len) == SEC_E_OK, "accept: %s",
	    kssp_status_reason());
	req_len = sizeof(req);
	ck_assert_int_eq(isc_leg(&cc, &cx, false, rep, rep_len, req, &req_len), SEC_E_OK);
	/* Established, neither side holds a ticket or the handshake's keys. */
	ck_assert_int_eq(kssp_sspi_ctx_get(&cx, &ctx), KSSP_OK);
	ck_assert_ptr_null(ctx->ticket);
	ck_assert_ptr_null(ctx->forwarded);
	ck_assert_ptr_null(ctx->ap.hs);
	kssp_sspi_object_put(&ctx->obj);
	ck_assert_int_eq(kssp_sspi_ctx_get(&sx, &ctx), KSSP_OK);
	ck_assert_ptr_null(ctx->ticket);
	ck_assert_ptr_null(ctx->ap.hs);
	kssp_sspi_object_put(&ctx->obj);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	logon_free(&l);
}
END_TEST

Suite *kssp_suite_security_loop(void);
/* ---- DCE style (MS-KILE 3.4.5.1) --------------------------------------- */

#define DCE_ISC (ISC_REQ_USE_DCE_STYLE | ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | \
	ISC_REQ_SEQUENCE_DETECT)

/* One DCE-style ISC call (cx NULL on the first leg). */
static SECURITY_STATUS dce_isc(CredHandle *cc, CtxtHandle *cx, bool first, const uint8_t *tok,
    size_t len, uint8_t *out, ULONG *out_len, ULONG *attr)
{
	char target[] = "HTTP/server.kssp.test";
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob = { *out_len,
	    SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS st;

	st = InitializeSecurityContextA(cc, first ? NULL : cx, target, DCE_ISC, 0,
	    SECURITY_NATIVE_DREP, first ? NULL : &id, 0, cx, &od, attr, NULL);
	*out_len = ob.cbBuffer;
	return st;
}

/* One DCE-style ASC call (sx NULL-handled on the first leg). */
static SECURITY_STATUS dce_asc(CredHandle *sc, CtxtHandle *sx, bool first, const uint8_t *tok,
    size_t len, uint8_t *out, ULONG *out_len, ULONG *attr)
{
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob = { *out_len,
	    SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS st;

	st = AcceptSecurityContext(sc, first ? NULL : sx, &id, ASC_REQ_USE_DCE_STYLE |
	    ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP, sx, &od, attr, NULL);
	*out_len = ob.cbBuffer;
	return st;
}

/* The first two legs of a fresh DCE-style exchange: AP-REQ in req, AP-REP in rep. */
static void dce_two_legs(CredHandle *cc, CredHandle *sc, CtxtHandle *cx, CtxtHandle *sx,
    uint8_t *req, ULONG *req_len, uint8_t *rep, ULONG *rep_len)
{
	ULONG attr;

	*req_len = 12288;
	ck_assert_int_eq(dce_isc(cc, cx, true, NULL, 0, req, req_len, &attr), SEC_I_CONTINUE_NEEDED);
	ck_assert_uint_ne(attr & ISC_RET_USED_DCE_STYLE, 0);
	*rep_len = 12288;
	ck_assert_msg(dce_asc(sc, sx, true, req, *req_len, rep, rep_len, &attr) ==
	    SEC_I_CONTINUE_NEEDED, "%s", kssp_status_reason());
	ck_assert_uint_ne(attr & ASC_RET_USED_DCE_STYLE, 0);
}

/* A sealed message from a to b. */
static void dce_message(CtxtHandle *a, CtxtHandle *b)
{
	static const char msg[] = "a DCE-style sealed message";
	uint8_t tok[128], data[sizeof(msg)];
	SecBuffer mb[2] = { { sizeof(tok), SECBUFFER_TOKEN, tok },
		{ sizeof(data), SECBUFFER_DATA, data } };
	SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
	ULONG qop = 0;

	memcpy(data, msg, sizeof(msg));
	ck_assert_int_eq(EncryptMessage(a, 0, &md, 0), SEC_E_OK);
	ck_assert_int_eq(DecryptMessage(b, &md, 0, &qop), SEC_E_OK);
	ck_assert_mem_eq(mb[1].pvBuffer, msg, sizeof(msg));
}

/*
 * The three legs with Windows' statuses (ISC and ASC continue once, ISC
 * ends with the client's AP-REP to send, ASC ends with none), bare tokens
 * (AP-REQ 0x6e, AP-REP 0x6f), messages both ways; then each leg given an
 * altered or out-of-order token fails with the status Windows' table gives.
 */
START_TEST(dce_style_legs_give_windows_statuses)
{
	struct logon l;
	CredHandle cc, sc;
	CtxtHandle cx, sx, cx2, sx2;
	uint8_t req[12288], rep[12288], fin[12288], out[12288];
	ULONG req_len, rep_len, fin_len, out_len, attr;

	logon(&l);
	loop_paths();
	loop_now = l.service.authtime + 60;
	acquire_pair(&l, "Kerberos", &cc, &sc);

	dce_two_legs(&cc, &sc, &cx, &sx, req, &req_len, rep, &rep_len);
	ck_assert_uint_eq(req[0], 0x6e);
	ck_assert_uint_eq(rep[0], 0x6f);
	fin_len = sizeof(fin);
	ck_assert_int_eq(dce_isc(&cc, &cx, false, rep, rep_len, fin, &fin_len, &attr), SEC_E_OK);
	ck_assert_uint_gt(fin_len, 0);
	ck_assert_uint_eq(fin[0], 0x6f);
	out_len = sizeof(out);
	ck_assert_msg(dce_asc(&sc, &sx, false, fin, fin_len, out, &out_len, &attr) == SEC_E_OK, "%s",
	    kssp_status_reason());
	ck_assert_uint_eq(out_len, 0);
	ck_assert_uint_ne(attr & ASC_RET_USED_DCE_STYLE, 0);
	dce_message(&cx, &sx);
	dce_message(&sx, &cx);
	/* Leg 4 does not exist: the established client takes no further token. */
	out_len = sizeof(out);
	ck_assert_int_eq(dce_isc(&cc, &cx, false, rep, rep_len, out, &out_len, &attr),
	    SEC_E_INVALID_TOKEN);

	/* ASC leg 1: a bare AP-REQ altered (its authenticator's last byte), and an AP-REP. */
	req_len = sizeof(req);
	ck_assert_int_eq(dce_isc(&cc, &cx2, true, NULL, 0, req, &req_len, &attr),
	    SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(DeleteSecurityContext(&cx2), SEC_E_OK);
	req[req_len - 1] ^= 0x01;
	out_len = sizeof(out);
	ck_assert_int_eq(dce_asc(&sc, &sx2, true, req, req_len, out, &out_len, &attr),
	    SEC_E_LOGON_DENIED);
	out_len = sizeof(out);
	ck_assert_int_eq(dce_asc(&sc, &sx2, true, fin, fin_len, out, &out_len, &attr),
	    SEC_E_INVALID_TOKEN);

	/* ASC leg 2, out of order: the AP-REQ again instead of the client's AP-REP. */
	dce_two_legs(&cc, &sc, &cx2, &sx2, req, &req_len, rep, &rep_len);
	out_len = sizeof(out);
	ck_assert_int_eq(dce_asc(&sc, &sx2, false, req, req_len, out, &out_len, &attr),
	    SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(DeleteSecurityContext(&sx2), SEC_E_OK);
	/* ISC leg 2, out of order: its own AP-REQ instead of the AP-REP. */
	out_len = sizeof(out);
	ck_assert_int_eq(dce_isc(&cc, &cx2, false, req, req_len, out, &out_len, &attr),
	    SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(DeleteSecurityContext(&cx2), SEC_E_OK);

	/* ASC leg 2: the first context's AP-REP, same session key, another number. */
	dce_two_legs(&cc, &sc, &cx2, &sx2, req, &req_len, rep, &rep_len);
	out_len = sizeof(out);
	ck_assert_int_eq(dce_asc(&sc, &sx2, false, fin, fin_len, out, &out_len, &attr),
	    SEC_E_MUTUAL_AUTH_FAILED);
	ck_assert_int_eq(DeleteSecurityContext(&sx2), SEC_E_OK);
	/* ISC leg 2: an altered AP-REP (its checksum's last byte). */
	rep[rep_len - 1] ^= 0x01;
	out_len = sizeof(out);
	ck_assert_int_eq(dce_isc(&cc, &cx2, false, rep, rep_len, out, &out_len, &attr),
	    SEC_E_WRONG_PRINCIPAL);
	ck_assert_int_eq(DeleteSecurityContext(&cx2), SEC_E_OK);

	/* ASC leg 2: the client's AP-REP altered. */
	dce_two_legs(&cc, &sc, &cx2, &sx2, req, &req_len, rep, &rep_len);
	fin_len = sizeof(fin);
	ck_assert_int_eq(dce_isc(&cc, &cx2, false, rep, rep_len, fin, &fin_len, &attr), SEC_E_OK);
	fin[fin_len - 1] ^= 0x01;
	out_len = sizeof(out);
	ck_assert_int_eq(dce_asc(&sc, &sx2, false, fin, fin_len, out, &out_len, &attr),
	    SEC_E_LOGON_DENIED);
	ck_assert_int_eq(DeleteSecurityContext(&sx2), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&cx2), SEC_E_OK);

	ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	logon_free(&l);
}
END_TEST

Suite *kssp_suite_security_loop(void)
{
	Suite *s = suite_create("security_loop");
	TCase *tc = tcase_create("whole stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sspi_loop_every_allocation_fails_in_turn);
	tcase_add_test(tc, kinit_replay_every_allocation_fails_in_turn);
	tcase_add_test(tc, full_trace_holds_no_secret);
	tcase_add_test(tc, cve_2017_11462_delete_after_failed_later_leg);
	tcase_add_test(tc, rpc_buffers_signed_not_sealed);
	tcase_add_test(tc, message_calls_race_with_delete);
	tcase_add_test(tc, cve_2021_44758_spnego_tokens_missing_fields);
	tcase_add_test(tc, dce_style_legs_give_windows_statuses);
	tcase_add_test(tc, skew_retry_takes_the_ticket_from_the_credential);
	suite_add_tcase(s, tc);
	tc = tcase_create("acceptor files");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, replay_cache_file_outlives_its_credential);
	tcase_add_test(tc, corrupt_replay_cache_file_is_refused_and_kept);
	tcase_add_test(tc, store_delegated_without_delegation_is_refused);
	tcase_add_test(tc, accepted_ticket_kept_only_with_asc_req_delegate);
	suite_add_tcase(s, tc);
	return s;
}
