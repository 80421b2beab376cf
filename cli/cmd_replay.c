/*
 * cli/cmd_replay.c - `kssp replay FILE`: a recorded conversation (the kdc
 * layer's recording format, kdc/transport.h; the metadata keys in
 * cli/convo.h) driven again through the real code, with the recorded
 * clock, random stream and KDC replies:
 *   kind kinit, kvno   the kinit / kvno command itself, its KDC served from
 *                      FILE (after the recording named by "after", if any)
 *   kind token         InitializeSecurityContext once on a copy of the
 *                      recorded cache, its token checked
 *   kind demo, loop    AcquireCredentialsHandle (a password logon) and
 *                      InitializeSecurityContext against an in-process
 *                      AcceptSecurityContext with the recorded keytab, then
 *                      EncryptMessage / DecryptMessage.
 * Every request and token produced must equal the recorded one byte for
 * byte and every recorded reply or token must be accepted; a failure names
 * the step (the exchange or token, and its line in FILE).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/replay.h"
#include "kdc/config.h"
#include "kdc/transport.h"

#define REPLAY_DEPTH_MAX 4

struct replay_peer {
	struct kssp_recording *rec;
	CredHandle cred;
	CtxtHandle ctx;
	int have;
	size_t next; /* the next token of the recording */
	unsigned fed_line; /* the line of the last acceptor token given to the client */
	int verbose;
	const char *message;
};

/* "dir/name" for a file named in the recording, relative to it. */
static int sibling(const char *rec_path, const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(rec_path, '/');
	int n;

	if (name[0] == '/' || !slash)
		n = snprintf(out, cap, "%s", name);
	else
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - rec_path), rec_path, name);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

static size_t first_difference(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

/* Copies the file the recording names (relative to it) to dst: commands may rewrite it. */
static int copy_file(const char *rec_path, const char *name, const char *dst)
{
	char src[PATH_MAX];
	uint8_t *data;
	size_t len;
	FILE *f;
	int ok;

	if (sibling(rec_path, name, src, sizeof(src)) != 0 ||
	    kssp_cli_read_file(src, &data, &len) != KSSP_OK)
		return -1;
	f = fopen(dst, "wb");
	ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	free(data);
	return ok ? 0 : -1;
}

/* Takes the next recorded token, which must be of this kind and equal tok when given. */
static int expect_token(struct replay_peer *p, char kind, const uint8_t *tok, size_t len,
    const uint8_t **rec_tok, size_t *rec_len)
{
	static const char *const names[] = { "initiator's context token", "acceptor's context token",
		"sealed message" };
	const char *name = names[kind == 'C' ? 0 : kind == 'S' ? 1 : 2];
	unsigned line;
	char got;

	if (!p->rec) {
		/* Recording (kssp loop --record): the in-process acceptor, nothing to compare. */
		*rec_tok = tok;
		*rec_len = len;
		return 0;
	}
	if (kssp_recording_token(p->rec, p->next, &got, rec_tok, rec_len, &line) != KSSP_OK) {
		fprintf(stderr, "kssp: replay: step: %s %zu: the recording has no more tokens\n", name,
		    p->next + 1);
		return -1;
	}
	p->next++;
	if (got != kind) {
		fprintf(stderr, "kssp: replay: step: token %zu (line %u): recorded as '%c', produced a %s\n",
		    p->next, line, got, name);
		return -1;
	}
	if (tok && (len != *rec_len || memcmp(tok, *rec_tok, len) != 0)) {
		fprintf(stderr,
		    "kssp: replay: step: %s (token %zu, line %u) differs from the recording at byte %zu (%zu vs %zu bytes)\n",
		    name, p->next, line, first_difference(tok, len, *rec_tok, *rec_len), len, *rec_len);
		return -1;
	}
	if (kind == 'S')
		p->fed_line = line;
	return 0;
}

static int peer_context(struct kssp_convo *c, const uint8_t *tok, size_t len, int want_reply,
    uint8_t *reply, size_t *reply_len)
{
	struct replay_peer *p = c->peer.arg;
	static uint8_t out[KSSP_CONVO_TOKEN_MAX];
	const uint8_t *rec_tok;
	size_t rec_len;
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS st;
	ULONG attr = 0;

	if (expect_token(p, 'C', tok, len, &rec_tok, &rec_len) != 0)
		return -1;
	ob.BufferType = SECBUFFER_TOKEN;
	ob.cbBuffer = sizeof(out);
	ob.pvBuffer = out;
	st = AcceptSecurityContext(&p->cred, p->have ? &p->ctx : NULL, &id, ASC_REQ_EXTENDED_ERROR |
	    ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, SECURITY_NATIVE_DREP, &p->ctx, &od, &attr,
	    NULL);
	printf("  server  AcceptSecurityContext  %s, token %lu bytes\n", kssp_status_name(st),
	    st >= 0 ? (unsigned long)ob.cbBuffer : 0UL);
	if (st < 0) {
		kssp_convo_fail("server: AcceptSecurityContext", st);
		fprintf(stderr, "kssp: replay: step: the acceptor rejected token %zu\n", p->next);
		return -1;
	}
	p->have = 1;
	if (p->verbose && ob.cbBuffer)
		kssp_convo_show(out, ob.cbBuffer);
	if (ob.cbBuffer == 0)
		return want_reply ? -1 : 0;
	if (expect_token(p, 'S', out, ob.cbBuffer, &rec_tok, &rec_len) != 0)
		return -1;
	if (!want_reply) {
		fprintf(stderr, "kssp: replay: step: token %zu: the initiator expected no answer\n",
		    p->next);
		return -1;
	}
	memmove(reply, rec_tok, rec_len);
	*reply_len = rec_len;
	return 0;
}

static int peer_message(struct kssp_convo *c, const uint8_t *sealed, size_t len)
{
	struct replay_peer *p = c->peer.arg;
	static uint8_t buf[KSSP_CONVO_TOKEN_MAX];
	const uint8_t *rec_tok;
	size_t rec_len;
	SecBuffer b[2];
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	SECURITY_STATUS st;
	ULONG qop = 0;

	if (expect_token(p, 'M', sealed, len, &rec_tok, &rec_len) != 0)
		return -1;
	memcpy(buf, rec_tok, rec_len);
	b[0].BufferType = SECBUFFER_STREAM;
	b[0].cbBuffer = (ULONG)rec_len;
	b[0].pvBuffer = buf;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = 0;
	b[1].pvBuffer = NULL;
	st = DecryptMessage(&p->ctx, &d, 0, &qop);
	if (st != SEC_E_OK) {
		kssp_convo_fail("server: DecryptMessage", st);
		fprintf(stderr, "kssp: replay: step: the sealed message (token %zu) was not accepted\n",
		    p->next);
		return -1;
	}
	if (b[1].pvBuffer == NULL) {
		fprintf(stderr, "kssp: replay: step: DecryptMessage left no data (token %zu)\n", p->next);
		return -1;
	}
	printf("  server  DecryptMessage SEC_E_OK: \"%.*s\"\n", (int)b[1].cbBuffer,
	    (char *)b[1].pvBuffer);
	if (b[1].cbBuffer != strlen(p->message) || memcmp(b[1].pvBuffer, p->message,
	    b[1].cbBuffer) != 0) {
		fprintf(stderr, "kssp: replay: step: token %zu opened to other text than recorded\n",
		    p->next);
		return -1;
	}
	return 0;
}

static const char *need(const struct kssp_recording *rec, const char *key)
{
	const char *v = kssp_recording_meta(rec, key);

	if (!v)
		fprintf(stderr, "kssp: replay: the recording has no '@ %s' line\n", key);
	return v;
}

static int auth_data(const char *path, const struct kssp_recording *rec, KSSP_AUTH_DATA *ad,
    char *conf, size_t cap)
{
	const char *name = need(rec, "krb5.conf");

	memset(ad, 0, sizeof(*ad));
	ad->Version = KSSP_AUTH_DATA_VERSION_1;
	ad->Length = sizeof(*ad);
	if (!name || sibling(path, name, conf, cap) != 0)
		return -1;
	ad->Krb5Conf = conf;
	return 0;
}

static int hooks_from(struct kssp_convo_hooks *h, const struct kssp_recording *rec,
    const char *seed_key)
{
	const char *clock = need(rec, "clock"), *seed = need(rec, seed_key);

	memset(h, 0, sizeof(*h));
	if (!clock || !seed)
		return -1;
	h->clock = strtoll(clock, NULL, 10);
	if (kssp_seeded_random_init(&h->seeded, seed) != KSSP_OK) {
		fprintf(stderr, "kssp: replay: @ %s: %s\n", seed_key, kssp_last_reason());
		return -1;
	}
	h->seeded_set = 1;
	return 0;
}

/* Where an SSPI replay stopped, named for the reader. */
static void name_failed_step(const struct kssp_recording *rec, const struct replay_peer *p,
    const struct kssp_convo_hooks *ch)
{
	size_t served = kssp_recording_served(rec);

	if (ch->reason[0])
		fprintf(stderr, "kssp: replay: step: KDC exchange %zu: %s\n", served + 1, ch->reason);
	else if (p->fed_line)
		fprintf(stderr, "kssp: replay: step: the acceptor's token on line %u was not accepted\n",
		    p->fed_line);
	else if (served > 0 && p->next == 0)
		fprintf(stderr, "kssp: replay: step: KDC exchange %zu of %zu (its reply is line %u)\n",
		    served, kssp_recording_count(rec), kssp_recording_reply_line(rec, served - 1));
}

static int replay_sspi(const char *path, struct kssp_recording *rec, const char *tmp,
    int verbose)
{
	static char conf[PATH_MAX], keytab[PATH_MAX], ccache[PATH_MAX];
	struct kssp_convo_hooks ch, sh;
	struct replay_peer p;
	struct kssp_convo c;
	KSSP_AUTH_DATA cad, sad;
	SECURITY_STATUS st;
	const char *flags = need(rec, "flags"), *kt = need(rec, "keytab");
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	if (!flags || !kt || sibling(path, kt, keytab, sizeof(keytab)) != 0 ||
	    hooks_from(&ch, rec, "seed") != 0 || hooks_from(&sh, rec, "acceptor-seed") != 0 ||
	    auth_data(path, rec, &cad, conf, sizeof(conf)) != 0 ||
	    !(c.spn = (SEC_CHAR *)need(rec, "service")) || !(c.message = need(rec, "message")) ||
	    !(c.package = need(rec, "package")))
		return KSSP_EXIT_FAIL;
	if (kssp_recording_meta(rec, "ccache")) {
		/*
		 * kssp loop --record: the client's TGT came from a credential
		 * cache.  A copy is used: tickets fetched are stored in the cache.
		 */
		snprintf(ccache, sizeof(ccache), "%s/ccache", tmp);
		if (copy_file(path, kssp_recording_meta(rec, "ccache"), ccache) != 0)
			return KSSP_EXIT_FAIL;
		cad.Ccache = ccache;
	} else if (!(cad.Principal = need(rec, "client")) || !(cad.Password = need(rec, "password"))) {
		return KSSP_EXIT_FAIL;
	}
	sad = cad;
	sad.Principal = NULL;
	sad.Password = NULL;
	sad.Keytab = keytab;
	ch.replay = rec;
	kssp_convo_hooks_apply(&ch, &cad);
	kssp_convo_hooks_apply(&sh, &sad);
	c.req = (ULONG)strtoul(flags, NULL, 16);
	c.verbose = verbose;
	p.rec = rec;
	p.verbose = verbose;
	p.message = c.message;
	c.peer.context = peer_context;
	c.peer.message = peer_message;
	c.peer.arg = &p;
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)c.package, SECPKG_CRED_OUTBOUND, NULL, &cad,
	    NULL, NULL, &c.cred, NULL);
	printf("  client  AcquireCredentialsHandle(%s, %s %s)  %s\n", c.package,
	    cad.Ccache ? "cache" : "password of", cad.Ccache ? kssp_recording_meta(rec, "ccache") :
	    cad.Principal, kssp_status_name(st));
	if (st != SEC_E_OK)
		return kssp_convo_fail("AcquireCredentialsHandle (client)", st);
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)c.package, SECPKG_CRED_INBOUND, NULL, &sad,
	    NULL, NULL, &p.cred, NULL);
	printf("  server  AcquireCredentialsHandle(%s, keytab %s)  %s\n", c.package, kt,
	    kssp_status_name(st));
	if (st != SEC_E_OK) {
		FreeCredentialsHandle(&c.cred);
		return kssp_convo_fail("AcquireCredentialsHandle (server)", st);
	}
	rc = kssp_convo_run(&c);
	if (rc != KSSP_EXIT_OK) {
		if (ch.reason[0])
			fprintf(stderr, "kssp: replay: %s\n", ch.reason);
		name_failed_step(rec, &p, &ch);
	} else if (kssp_recording_served(rec) != kssp_recording_count(rec) ||
	    p.next != kssp_recording_token_count(rec)) {
		fprintf(stderr, "kssp: replay: step: the end: %zu of %zu KDC exchanges and %zu of %zu tokens used\n",
		    kssp_recording_served(rec), kssp_recording_count(rec), p.next,
		    kssp_recording_token_count(rec));
		rc = KSSP_EXIT_FAIL;
	}
	if (p.have)
		DeleteSecurityContext(&p.ctx);
	FreeCredentialsHandle(&p.cred);
	FreeCredentialsHandle(&c.cred);
	return rc;
}

/* ---- kssp loop --record ---------------------------------------------- */

int kssp_loop_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *keytab)
{
	static const char message[] = "kssp loop: a sealed message";
	char kt[PATH_MAX + 16], conf[PATH_MAX + 16], cc[PATH_MAX + 16], seed[65], aseed[65];
	char clock[32], flags[16], ktsrc[PATH_MAX];
	const char *ccname = getenv("KRB5CCNAME"), *ktname = keytab ? keytab : getenv("KRB5_KTNAME");
	const char *conf_src = getenv("KRB5_CONFIG");
	struct kssp_convo_hooks ch, sh;
	struct kssp_config *cfg = NULL;
	struct kssp_recorder *r = NULL;
	struct replay_peer p;
	struct kssp_convo c;
	KSSP_AUTH_DATA cad, sad;
	SECURITY_STATUS st;
	int rc = KSSP_EXIT_FAIL;

	memset(&ch, 0, sizeof(ch));
	memset(&sh, 0, sizeof(sh));
	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	if (!ccname || !ktname || !conf_src) {
		fprintf(stderr, "kssp: loop --record: KRB5CCNAME, KRB5_CONFIG and a keytab (--keytab or KRB5_KTNAME) must be named\n");
		return KSSP_EXIT_FAIL;
	}
	ccname += strncmp(ccname, "FILE:", 5) == 0 ? 5 : 0;
	snprintf(ktsrc, sizeof(ktsrc), "%s", ktname + (strncmp(ktname, "FILE:", 5) == 0 ? 5 : 0));
	if (kssp_convo_copy_beside(ccname, path, ".ccache", cc, sizeof(cc)) ||
	    kssp_convo_copy_beside(ktsrc, path, ".keytab", kt, sizeof(kt)) ||
	    kssp_convo_copy_beside(conf_src, path, ".conf", conf, sizeof(conf)) ||
	    kssp_convo_random_hex(seed, 16) || kssp_convo_random_hex(aseed, 16) ||
	    kssp_config_load(NULL, &cfg) != KSSP_OK || kssp_recorder_new(cfg, NULL, &r) != KSSP_OK) {
		fprintf(stderr, "kssp: loop --record %s: cannot start the recording\n", path);
		goto out;
	}
	ch.clock = sh.clock = (int64_t)time(NULL);
	snprintf(clock, sizeof(clock), "%lld", (long long)ch.clock);
	snprintf(flags, sizeof(flags), "%lx", (unsigned long)req);
	kssp_seeded_random_init(&ch.seeded, seed);
	kssp_seeded_random_init(&sh.seeded, aseed);
	ch.seeded_set = sh.seeded_set = 1;
	ch.recorder = r;
	if (kssp_recorder_meta(r, "kind", "loop") || kssp_recorder_meta(r, "clock", clock) ||
	    kssp_recorder_meta(r, "seed", seed) || kssp_recorder_meta(r, "acceptor-seed", aseed) ||
	    kssp_recorder_meta(r, "ccache", cc) || kssp_recorder_meta(r, "service", spn) ||
	    kssp_recorder_meta(r, "package", package) || kssp_recorder_meta(r, "flags", flags) ||
	    kssp_recorder_meta(r, "message", message) || kssp_recorder_meta(r, "keytab", kt) ||
	    kssp_recorder_meta(r, "krb5.conf", conf))
		goto out;
	memset(&cad, 0, sizeof(cad));
	cad.Version = KSSP_AUTH_DATA_VERSION_1;
	cad.Length = sizeof(cad);
	sad = cad;
	sad.Keytab = ktname;
	kssp_convo_hooks_apply(&ch, &cad);
	kssp_convo_hooks_apply(&sh, &sad);
	c.package = package;
	c.req = req;
	c.spn = (SEC_CHAR *)spn;
	c.message = message;
	c.recorder = r;
	p.message = message;
	c.peer.context = peer_context;
	c.peer.message = peer_message;
	c.peer.arg = &p;
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &cad,
	    NULL, NULL, &c.cred, NULL);
	if (st != SEC_E_OK) {
		rc = kssp_convo_fail("AcquireCredentialsHandle (client)", st);
		goto out;
	}
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, &sad,
	    NULL, NULL, &p.cred, NULL);
	if (st != SEC_E_OK) {
		FreeCredentialsHandle(&c.cred);
		rc = kssp_convo_fail("AcquireCredentialsHandle (server)", st);
		goto out;
	}
	printf("package %s, fContextReq 0x%08lx, target %s (recording to %s)\n", package,
	    (unsigned long)req, spn, path);
	rc = kssp_convo_run(&c);
	if (p.have)
		DeleteSecurityContext(&p.ctx);
	FreeCredentialsHandle(&p.cred);
	FreeCredentialsHandle(&c.cred);
	if (rc == KSSP_EXIT_OK && kssp_recorder_save(r, path) != KSSP_OK)
		rc = kssp_cli_fail("loop", kssp_last_error());
out:
	kssp_recorder_free(r);
	kssp_config_free(cfg);
	return rc;
}

/* ---- kssp token --record, and its replay ----------------------------- */

int kssp_token_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *ccache, int http)
{
	char cc[PATH_MAX + 16], conf[PATH_MAX + 16], seed[65], clock[32], flags[16];
	const char *ccname = ccache ? ccache : getenv("KRB5CCNAME"), *conf_src = getenv("KRB5_CONFIG");
	struct kssp_convo_hooks ch;
	struct kssp_config *cfg = NULL;
	struct kssp_recorder *r = NULL;
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	SECURITY_STATUS st;
	ULONG attr = 0;
	int rc = KSSP_EXIT_FAIL;

	memset(&ch, 0, sizeof(ch));
	memset(&ctx, 0, sizeof(ctx));
	if (!ccname || !conf_src) {
		fprintf(stderr, "kssp: token --record: the cache (-c or KRB5CCNAME) and KRB5_CONFIG must be named\n");
		return KSSP_EXIT_FAIL;
	}
	ccname += strncmp(ccname, "FILE:", 5) == 0 ? 5 : 0;
	if (kssp_convo_copy_beside(ccname, path, ".ccache", cc, sizeof(cc)) ||
	    kssp_convo_copy_beside(conf_src, path, ".conf", conf, sizeof(conf)) ||
	    kssp_convo_random_hex(seed, 16) || kssp_config_load(NULL, &cfg) != KSSP_OK ||
	    kssp_recorder_new(cfg, NULL, &r) != KSSP_OK) {
		fprintf(stderr, "kssp: token --record %s: cannot start the recording\n", path);
		goto out;
	}
	ch.clock = (int64_t)time(NULL);
	snprintf(clock, sizeof(clock), "%lld", (long long)ch.clock);
	snprintf(flags, sizeof(flags), "%lx", (unsigned long)req);
	kssp_seeded_random_init(&ch.seeded, seed);
	ch.seeded_set = 1;
	ch.recorder = r;
	if (kssp_recorder_meta(r, "kind", "token") || kssp_recorder_meta(r, "clock", clock) ||
	    kssp_recorder_meta(r, "seed", seed) || kssp_recorder_meta(r, "ccache", cc) ||
	    kssp_recorder_meta(r, "service", spn) || kssp_recorder_meta(r, "package", package) ||
	    kssp_recorder_meta(r, "flags", flags) || kssp_recorder_meta(r, "krb5.conf", conf))
		goto out;
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Ccache = ccname;
	kssp_convo_hooks_apply(&ch, &ad);
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &cred, NULL);
	if (st != SEC_E_OK) {
		rc = kssp_convo_fail("token: AcquireCredentialsHandle", st);
		goto out;
	}
	st = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)spn, req | ISC_REQ_ALLOCATE_MEMORY,
	    0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL);
	if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
		rc = kssp_convo_fail("token: InitializeSecurityContext", st);
	} else if (kssp_recorder_token(r, 'C', out.pvBuffer, out.cbBuffer) != KSSP_OK ||
	    kssp_recorder_save(r, path) != KSSP_OK) {
		rc = kssp_cli_fail("token", kssp_last_error());
	} else {
		rc = kssp_cli_print_base64(http ? "Authorization: Negotiate " : "", out.pvBuffer,
		    out.cbBuffer);
	}
	if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
		DeleteSecurityContext(&ctx);
	if (out.pvBuffer != NULL)
		FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
out:
	kssp_recorder_free(r);
	kssp_config_free(cfg);
	return rc;
}

/* A token recording: the same InitializeSecurityContext on a copy of the cache. */
static int replay_token(const char *path, struct kssp_recording *rec, const char *tmp)
{
	static char conf[PATH_MAX], cc[PATH_MAX];
	const char *name = need(rec, "ccache"), *flags = need(rec, "flags");
	const char *package = need(rec, "package"), *spn = need(rec, "service");
	struct kssp_convo_hooks ch;
	struct replay_peer p;
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	const uint8_t *rec_tok;
	size_t rec_len;
	SECURITY_STATUS st;
	ULONG attr = 0;
	int rc = KSSP_EXIT_FAIL;

	memset(&p, 0, sizeof(p));
	memset(&ctx, 0, sizeof(ctx));
	p.rec = rec;
	snprintf(cc, sizeof(cc), "%s/ccache", tmp);
	if (!name || !flags || !package || !spn || hooks_from(&ch, rec, "seed") != 0 ||
	    auth_data(path, rec, &ad, conf, sizeof(conf)) != 0 || copy_file(path, name, cc) != 0)
		return KSSP_EXIT_FAIL;
	ch.replay = rec;
	ad.Ccache = cc;
	kssp_convo_hooks_apply(&ch, &ad);
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &cred, NULL);
	printf("  client  AcquireCredentialsHandle(%s, cache %s)  %s\n", package, name,
	    kssp_status_name(st));
	if (st != SEC_E_OK)
		return kssp_convo_fail("AcquireCredentialsHandle", st);
	st = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)spn,
	    (ULONG)strtoul(flags, NULL, 16) | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL,
	    0, &ctx, &od, &attr, NULL);
	printf("  client  InitializeSecurityContext  %s, token %lu bytes\n", kssp_status_name(st),
	    (unsigned long)out.cbBuffer);
	if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
		kssp_convo_fail("InitializeSecurityContext", st);
		if (ch.reason[0])
			fprintf(stderr, "kssp: replay: %s\n", ch.reason);
		name_failed_step(rec, &p, &ch);
	} else if (expect_token(&p, 'C', out.pvBuffer, out.cbBuffer, &rec_tok, &rec_len) == 0) {
		if (kssp_recording_served(rec) == kssp_recording_count(rec) &&
		    p.next == kssp_recording_token_count(rec))
			rc = KSSP_EXIT_OK;
		else
			fprintf(stderr, "kssp: replay: step: the end: %zu of %zu KDC exchanges and %zu of %zu tokens used\n",
			    kssp_recording_served(rec), kssp_recording_count(rec), p.next,
			    kssp_recording_token_count(rec));
	}
	if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
		DeleteSecurityContext(&ctx);
	if (out.pvBuffer != NULL)
		FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
	return rc;
}

/* ---- kinit / kvno ----------------------------------------------------- */

static int replay_file(const char *path, const char *tmp, int verbose, int depth);

static int run_command(const char *path, struct kssp_recording *rec, const char *tmp,
    const char *kind)
{
	static char conf[PATH_MAX], cc[PATH_MAX], pwfile[PATH_MAX], args[512];
	const struct kssp_cli_command *cmd = strcmp(kind, "kinit") == 0 ? &kssp_cmd_kinit :
	    &kssp_cmd_kvno;
	const char *ccache = kssp_recording_meta(rec, "ccache");
	const char *name = need(rec, "krb5.conf"), *a = kssp_recording_meta(rec, "args");
	const char *pw = kssp_recording_meta(rec, "password");
	char *argv[40], *save = NULL, *tok;
	int argc = 0;

	if (!name || !a || sibling(path, name, conf, sizeof(conf)) != 0 ||
	    strlen(a) >= sizeof(args))
		return a ? KSSP_EXIT_FAIL : (need(rec, "args"), KSSP_EXIT_FAIL);
	snprintf(cc, sizeof(cc), "FILE:%s/ccache", tmp);
	if (ccache && copy_file(path, ccache, cc + 5) != 0) {
		fprintf(stderr, "kssp: replay: cannot copy the recorded cache %s\n", ccache);
		return KSSP_EXIT_FAIL;
	}
	if (setenv("KRB5_CONFIG", conf, 1) != 0 || setenv("KRB5CCNAME", cc, 1) != 0 ||
	    setenv("KSSP_REPLAY", path, 1) != 0 || unsetenv("KSSP_RECORD") != 0)
		return KSSP_EXIT_FAIL;
	argv[argc++] = (char *)kind;
	if (cmd == &kssp_cmd_kinit && pw) {
		FILE *f;
		int ok;

		snprintf(pwfile, sizeof(pwfile), "%s/password", tmp);
		f = fopen(pwfile, "w");
		ok = f && fprintf(f, "%s\n", pw) >= 0;
		if (f && fclose(f) != 0)
			ok = 0;
		if (!ok)
			return KSSP_EXIT_FAIL;
		argv[argc++] = "--password-file";
		argv[argc++] = pwfile;
	}
	memcpy(args, a, strlen(a) + 1); /* its length was checked above */
	for (tok = strtok_r(args, " ", &save); tok && argc < 39; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	printf("  %s%s %s  (%zu KDC exchange%s recorded)\n", kind,
	    argc > 1 && strcmp(argv[1], "--password-file") == 0 ? " --password-file (the recorded password)" : "", a,
	    kssp_recording_count(rec), kssp_recording_count(rec) == 1 ? "" : "s");
	kssp_convo_flush();
	return cmd->run(argc, argv);
}

static int replay_file(const char *path, const char *tmp, int verbose, int depth)
{
	struct kssp_recording *rec = NULL;
	const char *kind, *after;
	char before[PATH_MAX];
	int rc;

	if (depth > REPLAY_DEPTH_MAX) {
		fprintf(stderr, "kssp: replay: '@ after' chain longer than %d\n", REPLAY_DEPTH_MAX);
		return KSSP_EXIT_FAIL;
	}
	if (kssp_recording_load(path, &rec) != KSSP_OK)
		return kssp_cli_fail("replay", kssp_last_error());
	kind = kssp_recording_meta(rec, "kind");
	after = kssp_recording_meta(rec, "after");
	printf("replay %s: %s\n", path, kind ? kind : "(no '@ kind')");
	if (after) {
		if (sibling(path, after, before, sizeof(before)) != 0 ||
		    replay_file(before, tmp, verbose, depth + 1) != KSSP_EXIT_OK) {
			kssp_recording_free(rec);
			fprintf(stderr, "kssp: replay: step: the recording it follows, %s\n", after);
			return KSSP_EXIT_FAIL;
		}
	}
	if (!kind) {
		rc = KSSP_EXIT_FAIL;
		need(rec, "kind");
	} else if (strcmp(kind, "kinit") == 0 || strcmp(kind, "kvno") == 0) {
		rc = run_command(path, rec, tmp, kind);
	} else if (strcmp(kind, "token") == 0) {
		rc = replay_token(path, rec, tmp);
	} else if (strcmp(kind, "demo") == 0 || strcmp(kind, "loop") == 0) {
		rc = replay_sspi(path, rec, tmp, verbose);
	} else {
		fprintf(stderr, "kssp: replay: unknown kind '%s'\n", kind);
		rc = KSSP_EXIT_FAIL;
	}
	kssp_recording_free(rec);
	return rc;
}

int kssp_replay_run(const char *path, int verbose)
{
	char tmp[] = "/tmp/kssp-replay-XXXXXX";
	char file[PATH_MAX + 32];
	int rc;

	if (!mkdtemp(tmp)) {
		fprintf(stderr, "kssp: replay: cannot make a temporary folder\n");
		return KSSP_EXIT_FAIL;
	}
	rc = replay_file(path, tmp, verbose, 0);
	snprintf(file, sizeof(file), "%s/ccache", tmp);
	unlink(file);
	snprintf(file, sizeof(file), "%s/password", tmp);
	unlink(file);
	rmdir(tmp);
	if (rc == KSSP_EXIT_OK)
		printf("replay %s: every request and token byte-identical, every reply accepted\n",
		    path);
	else
		fprintf(stderr, "kssp: replay %s: FAILED\n", path);
	return rc;
}

static int run_replay(int argc, char **argv)
{
	int i, verbose = 0, rc = KSSP_EXIT_OK, n = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		if (argv[i][0] == '-')
			return kssp_cli_usage_error("replay", "unknown option");
		n++;
		if (kssp_replay_run(argv[i], verbose) != KSSP_EXIT_OK)
			rc = KSSP_EXIT_FAIL;
	}
	if (n == 0)
		return kssp_cli_usage_error("replay", "name at least one recording");
	return rc;
}

const struct kssp_cli_command kssp_cmd_replay = {
	"replay", "drive a recorded conversation through the real code again",
	"usage: kssp replay [-v] FILE...\n"
	"\n"
	"Replays each recorded conversation offline, with its recorded clock, random\n"
	"stream and KDC replies, and checks that every KDC request and every token\n"
	"kssp produces equals the recorded one byte for byte and that every recorded\n"
	"reply and token is accepted.  A failure names the step and its line.\n"
	"  kind kinit, kvno  runs `kssp kinit` / `kssp kvno` (first the recording\n"
	"                    named by '@ after', whose TGT it uses)\n"
	"  kind token        InitializeSecurityContext on a copy of the recorded\n"
	"                    cache; the token must equal the recorded one\n"
	"  kind demo, loop   AcquireCredentialsHandle (password logon),\n"
	"                    InitializeSecurityContext (AS, TGS, AP-REQ) against an\n"
	"                    in-process AcceptSecurityContext (the recorded keytab),\n"
	"                    then EncryptMessage / DecryptMessage\n"
	"  -v                decode each token\n"
	"\n"
	"Format (text; kdc/transport.h and cli/convo.h):\n"
	"  # comment\n"
	"  @ KEY VALUE     metadata: kind, clock, seed, acceptor-seed, client, password,\n"
	"                  service, package, flags, message, keytab, krb5.conf, args, after\n"
	"  > REALM HEX     a KDC request      < HEX  its reply\n"
	"  C HEX           initiator token    S HEX  acceptor token\n"
	"  M HEX           sealed message (EncryptMessage's token and data)\n"
	"Files are written by `kssp kinit|kvno|token|loop|demo --record FILE`.\n",
	run_replay,
};
