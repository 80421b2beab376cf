/*
 * cli/cmd_replay.c - `kssp replay FILE`, and the recording of the
 * conversations it replays: one driver over a table of kinds, each kind
 * one function that runs its conversation whether it is being recorded
 * or replayed.  The recording is <kssp/kssp.h>'s KSSP_CONVERSATION (its
 * metadata keys in cli/convo.h); a replay drives the real code again with
 * the recorded clock, random stream and KDC replies:
 *   kind kinit, kvno   the kinit / kvno command itself, its KDC served from
 *                      FILE (after the recording named by "after", if any)
 *   kind token         InitializeSecurityContext once on a copy of the
 *                      recorded cache, its token checked
 *   kind demo, loop    AcquireCredentialsHandle (a password logon or the
 *                      recorded cache) and InitializeSecurityContext against
 *                      an in-process AcceptSecurityContext with the recorded
 *                      keytab, then EncryptMessage / DecryptMessage.
 * Every request and token produced must equal the recorded one byte for
 * byte and every recorded reply or token must be accepted; a failure names
 * the step (the exchange or token, and its line in FILE).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/replay.h"

#define REPLAY_DEPTH_MAX 4

/* One conversation being recorded (to path) or replayed (from path). */
struct session {
	KSSP_CONVERSATION *conv;
	int recording, verbose, http;
	const char *path;
	const char *tmp;        /* replaying: a scratch folder for rewritable copies */
	/* recording: what is written down */
	const char *package, *spn, *message, *ccache, *keytab;
	char flags[16];
	/* the files the credentials use */
	char conf[PATH_MAX], cc[PATH_MAX], kt[PATH_MAX];
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

/* Copies the file the recording names (relative to it) to dst: commands may rewrite it. */
static int copy_file(const char *rec_path, const char *name, const char *dst)
{
	char src[PATH_MAX];
	uint8_t *data;
	size_t len;
	FILE *f;
	int ok;

	if (sibling(rec_path, name, src, sizeof(src)) != 0 ||
	    kssp_cli_read_file(src, &data, &len) != 0)
		return -1;
	f = fopen(dst, "wb");
	ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	free(data);
	return ok ? 0 : -1;
}

static const char *need(const struct session *s, const char *key)
{
	const char *v = kssp_conversation_meta(s->conv, key);

	if (!v)
		fprintf(stderr, "kssp: replay: the recording has no '@ %s' line\n", key);
	return v;
}

/* A parameter: recording, value is written down as "@ key"; replaying, it is read back. */
static const char *param(struct session *s, const char *key, const char *value)
{
	if (!s->recording)
		return need(s, key);
	if (!value || kssp_conversation_set_meta(s->conv, key, value) != SEC_E_OK) {
		fprintf(stderr, "kssp: recording: '@ %s': %s\n", key, value ? kssp_status_reason() :
		    "not given");
		return NULL;
	}
	return value;
}

/*
 * A file of the conversation, into out: recording, src is copied beside
 * the recording (its stem + suffix) and named by "@ key"; replaying, the
 * named file is used, or a copy in the scratch folder when rewritable.
 */
static int file(struct session *s, const char *key, const char *src, const char *suffix,
    int rewritable, char *out, size_t cap)
{
	char name[PATH_MAX];
	const char *v;

	if (s->recording) {
		if (src && strncmp(src, "FILE:", 5) == 0)
			src += 5;
		if (!src || !suffix ||
		    kssp_convo_copy_beside(src, s->path, suffix, name, sizeof(name)) != 0 ||
		    !param(s, key, name) || (size_t)snprintf(out, cap, "%s", src) >= cap) {
			fprintf(stderr, "kssp: recording %s: cannot copy the %s beside it\n", s->path, key);
			return -1;
		}
		return 0;
	}
	if (!(v = need(s, key)))
		return -1;
	if (!rewritable)
		return sibling(s->path, v, out, cap);
	snprintf(out, cap, "%s/%s", s->tmp, key);
	if (copy_file(s->path, v, out) != 0) {
		fprintf(stderr, "kssp: replay: cannot copy the recorded %s %s\n", key, v);
		return -1;
	}
	return 0;
}

/* A credential's auth data: krb5.conf, and the deterministic hooks of seed_key. */
static int auth_data(struct session *s, const char *seed_key, KSSP_AUTH_DATA *ad)
{
	memset(ad, 0, sizeof(*ad));
	ad->Version = KSSP_AUTH_DATA_VERSION_1;
	ad->Length = sizeof(*ad);
	ad->Krb5Conf = s->conf;
	kssp_cli_trace_from_env(ad);
	if (kssp_conversation_hooks(s->conv, seed_key, ad) != SEC_E_OK) {
		fprintf(stderr, "kssp: replay: %s\n", kssp_status_reason());
		return -1;
	}
	return 0;
}

/* ---- the in-process acceptor -------------------------------------------- */

struct acceptor {
	CredHandle cred;
	CtxtHandle ctx;
	int have, verbose;
	const char *message;
};

static int peer_context(struct kssp_convo *c, const uint8_t *tok, size_t len, int want_reply,
    uint8_t *reply, size_t *reply_len)
{
	struct acceptor *p = c->peer.arg;
	SecBuffer ib = { (ULONG)len, SECBUFFER_TOKEN, (void *)tok }, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS st;
	ULONG attr = 0;

	ob.BufferType = SECBUFFER_TOKEN;
	ob.cbBuffer = KSSP_CONVO_TOKEN_MAX;
	ob.pvBuffer = reply;
	st = AcceptSecurityContext(&p->cred, p->have ? &p->ctx : NULL, &id, ASC_REQ_EXTENDED_ERROR |
	    ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, SECURITY_NATIVE_DREP, &p->ctx, &od, &attr,
	    NULL);
	printf("  server  AcceptSecurityContext  %s, token %lu bytes\n", kssp_status_name(st),
	    st >= 0 ? (unsigned long)ob.cbBuffer : 0UL);
	if (st < 0) {
		kssp_convo_fail("server: AcceptSecurityContext", st);
		fprintf(stderr, "kssp: replay: step: the acceptor rejected the initiator's token\n");
		return -1;
	}
	p->have = 1;
	if (p->verbose && ob.cbBuffer)
		kssp_convo_show(reply, ob.cbBuffer);
	*reply_len = ob.cbBuffer;
	if (ob.cbBuffer != 0 && !want_reply) {
		fprintf(stderr, "kssp: replay: step: the initiator expected no answer\n");
		return -1;
	}
	return ob.cbBuffer == 0 && want_reply ? -1 : 0;
}

static int peer_message(struct kssp_convo *c, const uint8_t *sealed, size_t len)
{
	struct acceptor *p = c->peer.arg;
	static uint8_t buf[KSSP_CONVO_TOKEN_MAX];
	SecBuffer b[2];
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	SECURITY_STATUS st;
	ULONG qop = 0;

	memcpy(buf, sealed, len);
	b[0].BufferType = SECBUFFER_STREAM;
	b[0].cbBuffer = (ULONG)len;
	b[0].pvBuffer = buf;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = 0;
	b[1].pvBuffer = NULL;
	st = DecryptMessage(&p->ctx, &d, 0, &qop);
	if (st != SEC_E_OK) {
		kssp_convo_fail("server: DecryptMessage", st);
		fprintf(stderr, "kssp: replay: step: the sealed message was not accepted\n");
		return -1;
	}
	if (b[1].pvBuffer == NULL) {
		fprintf(stderr, "kssp: replay: step: DecryptMessage left no data\n");
		return -1;
	}
	printf("  server  DecryptMessage SEC_E_OK: \"%.*s\"\n", (int)b[1].cbBuffer,
	    (char *)b[1].pvBuffer);
	if (b[1].cbBuffer != strlen(p->message) || memcmp(b[1].pvBuffer, p->message,
	    b[1].cbBuffer) != 0) {
		fprintf(stderr, "kssp: replay: step: the sealed message opened to other text than recorded\n");
		return -1;
	}
	return 0;
}

/* ---- the kinds ---------------------------------------------------------- */

/* demo, loop: the client against the in-process acceptor, then a sealed message. */
static int run_sspi(struct session *s)
{
	const char *flags = param(s, "flags", s->flags), *kt;
	struct acceptor p;
	struct kssp_convo c;
	KSSP_AUTH_DATA cad, sad;
	SECURITY_STATUS st;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	if (!flags || !(c.spn = (SEC_CHAR *)param(s, "service", s->spn)) ||
	    !(c.message = param(s, "message", s->message)) ||
	    !(c.package = param(s, "package", s->package)) ||
	    file(s, "keytab", s->keytab, ".keytab", 0, s->kt, sizeof(s->kt)) != 0 ||
	    !(kt = kssp_conversation_meta(s->conv, "keytab")) ||
	    auth_data(s, "seed", &cad) != 0 || auth_data(s, "acceptor-seed", &sad) != 0)
		return KSSP_EXIT_FAIL;
	if (s->recording || kssp_conversation_meta(s->conv, "ccache")) {
		/* kssp loop: the client's TGT comes from a cache (a copy when replaying). */
		if (file(s, "ccache", s->ccache, ".ccache", 1, s->cc, sizeof(s->cc)) != 0)
			return KSSP_EXIT_FAIL;
		cad.Ccache = s->cc;
	} else if (!(cad.Principal = need(s, "client")) || !(cad.Password = need(s, "password"))) {
		return KSSP_EXIT_FAIL;
	}
	sad.Keytab = s->kt;
	sad.Transport = NULL; /* the acceptor has its keys: it never asks a KDC */
	c.req = (ULONG)strtoul(flags, NULL, 16);
	c.verbose = p.verbose = s->verbose;
	c.conv = s->conv;
	c.recording = s->recording;
	p.message = c.message;
	c.peer.context = peer_context;
	c.peer.message = peer_message;
	c.peer.arg = &p;
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)c.package, SECPKG_CRED_OUTBOUND, NULL, &cad,
	    NULL, NULL, &c.cred, NULL);
	printf("  client  AcquireCredentialsHandle(%s, %s %s)  %s\n", c.package,
	    cad.Ccache ? "cache" : "password of", cad.Ccache ? kssp_conversation_meta(s->conv,
	    "ccache") : cad.Principal, kssp_status_name(st));
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
	if (p.have)
		DeleteSecurityContext(&p.ctx);
	FreeCredentialsHandle(&p.cred);
	FreeCredentialsHandle(&c.cred);
	return rc;
}

/* token: InitializeSecurityContext once on the cache; the token printed when recording. */
static int run_token(struct session *s)
{
	const char *flags = param(s, "flags", s->flags), *package = param(s, "package", s->package);
	const char *spn = param(s, "service", s->spn);
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	SECURITY_STATUS st;
	ULONG attr = 0;
	int rc = KSSP_EXIT_FAIL;

	memset(&ctx, 0, sizeof(ctx));
	if (!flags || !package || !spn || auth_data(s, "seed", &ad) != 0 ||
	    file(s, "ccache", s->ccache, ".ccache", 1, s->cc, sizeof(s->cc)) != 0)
		return KSSP_EXIT_FAIL;
	ad.Ccache = s->cc;
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &cred, NULL);
	if (!s->recording)
		printf("  client  AcquireCredentialsHandle(%s, cache %s)  %s\n", package,
		    kssp_conversation_meta(s->conv, "ccache"), kssp_status_name(st));
	if (st != SEC_E_OK)
		return kssp_convo_fail("AcquireCredentialsHandle", st);
	st = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)spn,
	    (ULONG)strtoul(flags, NULL, 16) | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL,
	    0, &ctx, &od, &attr, NULL);
	if (!s->recording)
		printf("  client  InitializeSecurityContext  %s, token %lu bytes\n",
		    kssp_status_name(st), (unsigned long)out.cbBuffer);
	if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
		kssp_convo_fail("InitializeSecurityContext", st);
	} else if (kssp_conversation_token(s->conv, 'C', out.pvBuffer, out.cbBuffer) != SEC_E_OK) {
		fprintf(stderr, "kssp: %s: %s\n", s->recording ? "recording" : "replay: step",
		    kssp_status_reason());
	} else {
		rc = s->recording ? kssp_cli_print_base64(s->http ? "Authorization: Negotiate " : "",
		    out.pvBuffer, out.cbBuffer) : KSSP_EXIT_OK;
	}
	if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
		DeleteSecurityContext(&ctx);
	if (out.pvBuffer != NULL)
		FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
	return rc;
}

/* kinit, kvno: the command itself, its KDC served from the file (cli/kdc_cli.c). */
static int run_command(struct session *s)
{
	static char pwfile[PATH_MAX], args[512];
	const char *kind = need(s, "kind"), *a = need(s, "args");
	const char *pw = kssp_conversation_meta(s->conv, "password");
	const struct kssp_cli_command *cmd = strcmp(kind, "kinit") == 0 ? &kssp_cmd_kinit :
	    &kssp_cmd_kvno;
	char *argv[40], *save = NULL, *tok, cc[PATH_MAX + 8];
	int argc = 0;

	if (!a || strlen(a) >= sizeof(args) || file(s, "krb5.conf", NULL, NULL, 0, s->conf,
	    sizeof(s->conf)) != 0)
		return KSSP_EXIT_FAIL;
	if (kssp_conversation_meta(s->conv, "ccache") &&
	    file(s, "ccache", NULL, NULL, 1, s->cc, sizeof(s->cc)) != 0)
		return KSSP_EXIT_FAIL;
	snprintf(cc, sizeof(cc), "FILE:%s/ccache", s->tmp);
	if (setenv("KRB5_CONFIG", s->conf, 1) != 0 || setenv("KRB5CCNAME", cc, 1) != 0 ||
	    setenv("KSSP_REPLAY", s->path, 1) != 0 || unsetenv("KSSP_RECORD") != 0)
		return KSSP_EXIT_FAIL;
	argv[argc++] = (char *)kind;
	if (cmd == &kssp_cmd_kinit && pw) {
		FILE *f;
		int ok;

		snprintf(pwfile, sizeof(pwfile), "%s/password", s->tmp);
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
	printf("  %s%s %s\n", kind, argc > 1 && strcmp(argv[1], "--password-file") == 0 ?
	    " --password-file (the recorded password)" : "", a);
	kssp_convo_flush();
	return cmd->run(argc, argv);
}

/* ---- the driver --------------------------------------------------------- */

static const struct kind {
	const char *name;
	int (*run)(struct session *s);
	int acceptor;      /* it has an acceptor side, with its own random stream */
	int own_transport; /* the command serves its KDC from the file itself */
} kinds[] = {
	{ "kinit", run_command, 0, 1 },
	{ "kvno", run_command, 0, 1 },
	{ "token", run_token, 0, 0 },
	{ "loop", run_sspi, 1, 0 },
	{ "demo", run_sspi, 1, 0 },
};

/* Runs kind on s->conv, then ends the conversation: saved, or checked used up. */
static int drive(struct session *s, const char *name)
{
	const struct kind *k = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			k = &kinds[i];
	if (!k) {
		fprintf(stderr, "kssp: replay: unknown kind '%s'\n", name);
		return KSSP_EXIT_FAIL;
	}
	if (s->recording && (!param(s, "kind", name) ||
	    kssp_convo_record_sources(s->conv, k->acceptor) != 0 ||
	    file(s, "krb5.conf", getenv("KRB5_CONFIG"), ".conf", 0, s->conf, sizeof(s->conf)) != 0))
		return KSSP_EXIT_FAIL;
	if (!s->recording && !k->own_transport &&
	    file(s, "krb5.conf", NULL, NULL, 0, s->conf, sizeof(s->conf)) != 0)
		return KSSP_EXIT_FAIL;
	rc = k->run(s);
	if (k->own_transport)
		return rc;
	if (rc != KSSP_EXIT_OK && !s->recording && *kssp_conversation_step(s->conv))
		fprintf(stderr, "kssp: replay: step: %s\n", kssp_conversation_step(s->conv));
	if (rc == KSSP_EXIT_OK && kssp_conversation_end(s->conv, s->path) != SEC_E_OK) {
		fprintf(stderr, "kssp: %s: %s\n", s->recording ? "recording" : "replay: step",
		    kssp_status_reason());
		rc = KSSP_EXIT_FAIL;
	}
	return rc;
}

/* `kssp token|loop --record FILE`: a new recording of kind, run and saved. */
static int record(struct session *s, const char *kind, ULONG req)
{
	SECURITY_STATUS st = kssp_conversation_record(NULL, &s->conv);
	int rc;

	s->recording = 1;
	snprintf(s->flags, sizeof(s->flags), "%lx", (unsigned long)req);
	if (st != SEC_E_OK)
		return kssp_convo_fail("recording", st);
	rc = drive(s, kind);
	kssp_conversation_free(s->conv);
	return rc;
}

int kssp_loop_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *keytab)
{
	struct session s;

	memset(&s, 0, sizeof(s));
	s.path = path;
	s.package = package;
	s.spn = spn;
	s.message = "kssp loop: a sealed message";
	s.ccache = getenv("KRB5CCNAME");
	s.keytab = keytab ? keytab : getenv("KRB5_KTNAME");
	printf("package %s, fContextReq 0x%08lx, target %s (recording to %s)\n", package,
	    (unsigned long)req, spn, path);
	return record(&s, "loop", req);
}

int kssp_token_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *ccache, int http)
{
	struct session s;

	memset(&s, 0, sizeof(s));
	s.path = path;
	s.package = package;
	s.spn = spn;
	s.http = http;
	s.ccache = ccache ? ccache : getenv("KRB5CCNAME");
	return record(&s, "token", req);
}

static int replay_file(const char *path, const char *tmp, int verbose, int depth)
{
	struct session s;
	const char *kind, *after;
	char before[PATH_MAX];
	SECURITY_STATUS st;
	int rc;

	if (depth > REPLAY_DEPTH_MAX) {
		fprintf(stderr, "kssp: replay: '@ after' chain longer than %d\n", REPLAY_DEPTH_MAX);
		return KSSP_EXIT_FAIL;
	}
	memset(&s, 0, sizeof(s));
	s.path = path;
	s.tmp = tmp;
	s.verbose = verbose;
	if ((st = kssp_conversation_replay(path, &s.conv)) != SEC_E_OK)
		return kssp_convo_fail("replay", st);
	kind = kssp_conversation_meta(s.conv, "kind");
	after = kssp_conversation_meta(s.conv, "after");
	printf("replay %s: %s\n", path, kind ? kind : "(no '@ kind')");
	if (after && (sibling(path, after, before, sizeof(before)) != 0 ||
	    replay_file(before, tmp, verbose, depth + 1) != KSSP_EXIT_OK)) {
		fprintf(stderr, "kssp: replay: step: the recording it follows, %s\n", after);
		rc = KSSP_EXIT_FAIL;
	} else {
		rc = kind ? drive(&s, kind) : (need(&s, "kind"), KSSP_EXIT_FAIL);
	}
	kssp_conversation_free(s.conv);
	return rc;
}

int kssp_replay_run(const char *path, int verbose)
{
	char tmp[] = "/tmp/kssp-replay-XXXXXX";
	char file_name[PATH_MAX + 32];
	static const char *const scratch[] = { "ccache", "password" };
	size_t i;
	int rc;

	if (!mkdtemp(tmp)) {
		fprintf(stderr, "kssp: replay: cannot make a temporary folder\n");
		return KSSP_EXIT_FAIL;
	}
	rc = replay_file(path, tmp, verbose, 0);
	for (i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++) {
		snprintf(file_name, sizeof(file_name), "%s/%s", tmp, scratch[i]);
		unlink(file_name);
	}
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
	"Format (text; <kssp/kssp.h>'s KSSP_CONVERSATION and cli/convo.h):\n"
	"  # comment\n"
	"  @ KEY VALUE     metadata: kind, clock, seed, acceptor-seed, client, password,\n"
	"                  service, package, flags, message, keytab, krb5.conf, args, after\n"
	"  > REALM HEX     a KDC request      < HEX  its reply\n"
	"  C HEX           initiator token    S HEX  acceptor token\n"
	"  M HEX           sealed message (EncryptMessage's token and data)\n"
	"Files are written by `kssp kinit|kvno|token|loop|demo --record FILE`.\n",
	run_replay,
};
