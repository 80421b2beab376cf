/*
 * cli/cmd_accept.c - `kssp accept`: accepts a krb5 GSS initial context
 * token (RFC 4121 §4.1) with a keytab and prints who it authenticates, the
 * negotiated flags, the session key's enctype and, for mutual
 * authentication, the AP-REP to send back.  The replay cache is kept in a
 * file between runs (default ${TMPDIR:-/tmp}/kssp_rcache_<uid>).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/gss.h"
#include "base/mem.h"
#include "base/text.h"
#include "cli/cli.h"
#include "context/ap.h"
#include "creds/ccache.h"
#include "creds/file.h"
#include "creds/keytab.h"
#include "kssp/kssp.h"
#include "sspi/status.h"

struct accept_opts {
	const char *keytab, *spn, *rcache, *deleg_ccache, *input;
	bool fixed_time, no_rcache;
	int64_t time;
};

static kssp_err fixed_clock(void *arg, struct kssp_time *now)
{
	now->sec = *(const int64_t *)arg;
	now->usec = 0;
	return KSSP_OK;
}

static void print_b64(const char *label, const uint8_t *data, size_t len)
{
	struct kssp_writer w;

	kssp_writer_init_growable(&w, 0);
	kssp_base64_encode(&w, data, len);
	kssp_writer_put_u8(&w, 0);
	if (!kssp_writer_status(&w))
		printf("%s: %s\n", label, (const char *)w.buf);
	kssp_writer_free(&w);
}

static void print_flags(uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ KSSP_GSS_DELEG, "deleg" }, { KSSP_GSS_MUTUAL, "mutual" },
		{ KSSP_GSS_REPLAY, "replay" }, { KSSP_GSS_SEQUENCE, "sequence" },
		{ KSSP_GSS_CONF, "conf" }, { KSSP_GSS_INTEG, "integ" },
		{ KSSP_GSS_DCE_STYLE, "dce-style" }, { KSSP_GSS_IDENTIFY, "identify" },
		{ KSSP_GSS_EXTENDED_ERROR, "extended-error" },
	};
	size_t i;

	printf("flags:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			printf(" %s", names[i].name);
	printf(" (0x%x)\n", f);
}

static const char *default_rcache(void)
{
	static char path[512];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/kssp_rcache_%lu", dir && *dir ? dir : "/tmp",
	    (unsigned long)getuid());
	return path;
}

static kssp_err load_rcache(const char *path, struct kssp_rcache *rc, int64_t now)
{
	uint8_t *data = NULL;
	size_t len = 0;
	kssp_err e = kssp_rcache_init(rc, 0);

	if (!e)
		e = kssp_creds_file_read(path, &data, &len);
	if (e == KSSP_ERR_NOT_FOUND)
		return KSSP_OK;
	if (!e)
		e = kssp_rcache_decode(rc, data, len, now);
	kssp_free(data);
	return e;
}

static kssp_err save_rcache(const char *path, const struct kssp_rcache *rc)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, 0);
	e = kssp_rcache_encode(rc, &w);
	if (!e)
		e = kssp_creds_file_replace(path, w.buf, w.len);
	kssp_writer_free(&w);
	return e;
}

static kssp_err save_delegated(const char *path, const struct kssp_cred *cred)
{
	struct kssp_ccache cc;
	kssp_err e;

	kssp_ccache_init(&cc);
	e = kssp_ccache_reset(&cc, cred->client);
	if (!e)
		e = kssp_ccache_add(&cc, cred);
	if (!e)
		e = kssp_ccache_write(&cc, path);
	kssp_ccache_free(&cc);
	return e;
}

static void print_success(const struct kssp_ctx *ctx, const uint8_t *reply, size_t rlen)
{
	int32_t session = ctx->session_key.enctype;
	int32_t prot = kssp_token_ctx_key(&ctx->tokens)->enctype;
	const char *et = kssp_crypto_enctype_name(session), *pt = kssp_crypto_enctype_name(prot);
	char *client = NULL;

	kssp_principal_unparse(ctx->client, 0, &client);
	printf("client: %s\n", client ? client : "?");
	kssp_free(client);
	print_flags(ctx->flags);
	printf("enctype: %s (%d)\n", et ? et : "?", (int)session);
	/* RFC 4121 §2: messages use a subkey, which may be of another enctype */
	if (prot != session)
		printf("protection key: %s (%d)\n", pt ? pt : "?", (int)prot);
	if (reply)
		print_b64("reply", reply, rlen);
}

/*
 * A SPNEGO negTokenInit (RFC 4178 §4.2.1) whose optimistic token is for
 * krb5: *inner is that token and *spnego is set; any other token is taken
 * as a krb5 one.
 */
static kssp_err unwrap_spnego(const uint8_t *tok, size_t len, struct kssp_arena *arena,
    const uint8_t **inner, size_t *inner_len, bool *spnego)
{
	struct kssp_spnego_token st;
	const struct kssp_der_bytes *m;

	*inner = tok;
	*inner_len = len;
	*spnego = false;
	if (kssp_spnego_decode(tok, len, arena, &st) != KSSP_OK || st.kind != KSSP_SPNEGO_INIT)
		return KSSP_OK;
	m = st.init.mech_types_len ? &st.init.mech_types[0] : NULL;
	if (!m || !st.init.mech_token.data || (!kssp_gss_oid_equal(m, &kssp_gss_krb5_oid) &&
	    !kssp_gss_oid_equal(m, &kssp_gss_mskrb5_oid)))
		return kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "accept: SPNEGO token without an optimistic krb5 token");
	*inner = st.init.mech_token.data;
	*inner_len = st.init.mech_token.len;
	*spnego = true;
	return KSSP_OK;
}

/* negTokenResp accept-completed carrying the AP-REP (RFC 4178 §4.2.2). */
static kssp_err spnego_reply(const uint8_t *reply, size_t rlen, struct kssp_writer *w)
{
	struct kssp_spnego_resp r;

	memset(&r, 0, sizeof(r));
	r.has_neg_state = true;
	r.neg_state = KSSP_SPNEGO_ACCEPT_COMPLETED;
	r.supported_mech = kssp_gss_krb5_oid;
	if (reply) {
		r.response_token.data = reply;
		r.response_token.len = rlen;
	}
	return kssp_spnego_encode_resp(&r, w);
}

static int fail_accept(kssp_err e, const uint8_t *reply, size_t rlen)
{
	SECURITY_STATUS st = kssp_sspi_status(e, KSSP_PHASE_ACCEPT);
	const char *reason = kssp_last_error() == e ? kssp_last_reason() : "";

	fprintf(stderr, "kssp: accept: %s (code %d), %s (0x%08x): %s\n", kssp_err_name(e),
	    (int)e, kssp_status_name(st), (unsigned)st, *reason ? reason : kssp_err_text(e));
	if (reply)
		print_b64("error-token", reply, rlen);
	return KSSP_EXIT_FAIL;
}

static int run_accept(const struct accept_opts *o)
{
	struct kssp_hooks hooks;
	struct kssp_keytab kt;
	struct kssp_rcache rc;
	struct kssp_principal *acceptor = NULL;
	struct kssp_ctx_accept_params p;
	struct kssp_ctx ctx;
	struct kssp_time now;
	uint8_t *text = NULL, *tok = NULL, *reply = NULL;
	size_t tlen = 0, len = 0, rlen = 0;
	const char *rpath = o->rcache ? o->rcache : default_rcache();
	struct kssp_arena arena;
	struct kssp_writer sw;
	const uint8_t *inner;
	size_t ilen;
	bool spnego = false;
	int rc_exit;
	kssp_err e;

	memset(&hooks, 0, sizeof(hooks));
	memset(&rc, 0, sizeof(rc));
	kssp_arena_init(&arena);
	kssp_writer_init_growable(&sw, 0);
	if (o->fixed_time) {
		hooks.clock = fixed_clock;
		hooks.clock_arg = (void *)&o->time;
	}
	kssp_keytab_init(&kt);
	kssp_ctx_init(&ctx, &hooks);
	e = kssp_keytab_read(o->keytab, &kt);
	if (!e && o->spn)
		e = kssp_principal_parse(o->spn, 0, NULL, &acceptor);
	if (!e)
		e = kssp_cli_read_file(o->input, &text, &tlen);
	if (!e)
		e = kssp_cli_token_bytes(text, tlen, &tok, &len);
	if (!e)
		e = kssp_hooks_now(&hooks, &now);
	if (!e && !o->no_rcache)
		e = load_rcache(rpath, &rc, now.sec);
	if (e) {
		rc_exit = kssp_cli_fail("accept", e);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.keytab = &kt;
	p.acceptor = acceptor;
	p.rcache = o->no_rcache ? NULL : &rc;
	e = unwrap_spnego(tok, len, &arena, &inner, &ilen, &spnego);
	if (!e)
		e = kssp_ctx_accept(&ctx, &p, inner, ilen, &reply, &rlen);
	if (!e && spnego) {
		e = spnego_reply(reply, rlen, &sw);
		kssp_free(reply);
		reply = NULL;
		if (!e)
			e = kssp_writer_detach(&sw, &reply, &rlen);
	}
	if (!e && !o->no_rcache)
		e = save_rcache(rpath, &rc);
	if (!e && o->deleg_ccache && ctx.delegated)
		e = save_delegated(o->deleg_ccache, ctx.delegated);
	if (e) {
		rc_exit = fail_accept(e, reply, rlen);
		goto out;
	}
	print_success(&ctx, reply, rlen);
	if (ctx.delegated)
		printf("delegated: %s\n", o->deleg_ccache ? o->deleg_ccache : "(not stored)");
	rc_exit = KSSP_EXIT_OK;
out:
	kssp_writer_free(&sw);
	kssp_arena_free(&arena);
	kssp_free(reply);
	kssp_free(tok);
	kssp_free(text);
	kssp_principal_free(acceptor);
	kssp_rcache_free(&rc);
	kssp_ctx_clear(&ctx);
	kssp_keytab_free(&kt);
	return rc_exit;
}

static int cmd_accept(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "spn", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "no-replay-cache", no_argument, NULL, 'n' },
		{ "rcache", required_argument, NULL, 'r' },
		{ "deleg-ccache", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct accept_opts o;
	char *end;
	int c;

	memset(&o, 0, sizeof(o));
	o.input = "-";
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o.keytab = optarg; break;
		case 's': o.spn = optarg; break;
		case 'n': o.no_rcache = true; break;
		case 'r': o.rcache = optarg; break;
		case 'D': o.deleg_ccache = optarg; break;
		case 't':
			o.time = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				return kssp_cli_usage_error("accept", "--time wants seconds since 1970");
			o.fixed_time = true;
			break;
		default: return kssp_cli_usage_error("accept", "unknown option");
		}
	}
	if (!o.keytab)
		return kssp_cli_usage_error("accept", "-k KEYTAB is needed");
	if (optind < argc - 1)
		return kssp_cli_usage_error("accept", "at most one token");
	if (optind == argc - 1)
		o.input = argv[optind];
	if (strncmp(o.keytab, "FILE:", 5) == 0)
		o.keytab += 5;
	return run_accept(&o);
}

const struct kssp_cli_command kssp_cmd_accept = {
	"accept", "accept a krb5 context token with a keytab",
	"usage: kssp accept -k KEYTAB [--spn SPN] [--time UNIX] [--no-replay-cache]\n"
	"                   [--rcache FILE] [--deleg-ccache FILE] [TOKEN|-]\n"
	"\n"
	"Accepts the krb5 GSS initial context token (an AP-REQ, RFC 4121 §4.1), bare\n"
	"or as SPNEGO's optimistic token, in the file TOKEN or on standard input (raw,\n"
	"hex, base64 or an HTTP Negotiate header) with the keys of KEYTAB, and prints\n"
	"the client, the negotiated flags, the session key's enctype and, when mutual\n"
	"authentication was asked, 'reply: <base64>' (the AP-REP, in a SPNEGO\n"
	"negTokenResp when the token came in SPNEGO).  A failure prints the Kerberos error, the\n"
	"SSPI status and the reason, and the KRB-ERROR token to return, and exits 1.\n"
	"\n"
	"  -k KEYTAB          the service keytab\n"
	"  --spn SPN          accept only tickets for SPN (default: any key in KEYTAB)\n"
	"  --time UNIX        the clock, in seconds since 1970 (for captured tokens)\n"
	"  --no-replay-cache  do not check or record the authenticator\n"
	"  --rcache FILE      the replay cache file (default ${TMPDIR:-/tmp}/kssp_rcache_UID)\n"
	"  --deleg-ccache FILE  store a delegated TGT in a new FILE cache\n",
	cmd_accept,
};
