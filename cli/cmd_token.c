/*
 * cli/cmd_token.c - `kssp token`: the initial krb5 GSS context token (an
 * AP-REQ in RFC 2743 framing, RFC 4121 §4.1) for a service, from the
 * service ticket in a FILE credential cache (fetched with the cache's TGT
 * through the kdc layer and stored there when missing), printed in base64.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/gss.h"
#include "base/mem.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/kdc_cli.h"
#include "context/ap.h"
#include "creds/ccache.h"
#include "creds/credset.h"
#include "creds/principal.h"
#include "kdc/tgs.h"

struct token_opts {
	const char *ccache;
	bool mutual, delegate, conf, http, negotiate;
	const char *spn;
	const char *record; /* --record FILE */
	int argc;
	char **argv;
};

/* "service/host@REALM", or the host-based "service@host" of RFC 2743 §4.1. */
static kssp_err parse_spn(const char *spn, const struct kssp_principal *client,
    struct kssp_principal **out)
{
	const char *realm = client ? client->realm.data : NULL;

	if (strchr(spn, '/'))
		return kssp_principal_parse(spn, 0, realm, out);
	return kssp_principal_host_service(spn, realm, out);
}

/* The TGT of the client's realm. */
static kssp_err find_tgt(const struct kssp_ccache *cc, const struct kssp_cred **out)
{
	const struct kssp_principal *me = cc->default_principal;
	struct kssp_principal *krbtgt;
	const char *comps[2];
	kssp_err e;

	comps[0] = "krbtgt";
	comps[1] = me->realm.data;
	e = kssp_principal_build(&krbtgt, KSSP_NT_SRV_INST, me->realm.data, 2, comps);
	if (e)
		return e;
	e = kssp_ccache_find(cc, me, krbtgt, out);
	kssp_principal_free(krbtgt);
	if (e == KSSP_ERR_NOT_FOUND)
		e = kssp_fail(KSSP_ERR_NO_CREDENTIALS, "token: no TGT for %s in the cache",
		    me->realm.data);
	return e;
}

/*
 * Gets the service ticket from the KDC with the cache's TGT (RFC 4120 §3.3)
 * and stores it, and any cross-realm TGT met on the way, in the cache.
 */
static kssp_err fetch_ticket(struct kssp_cli_kdc *k, struct kssp_ccache *cc, const char *path,
    const struct kssp_principal *server)
{
	struct kssp_tgs_opts o;
	struct kssp_credset got_path;
	struct kssp_cred tgt, got;
	const struct kssp_cred *t;
	size_t i;
	kssp_err e = find_tgt(cc, &t);

	memset(&tgt, 0, sizeof(tgt));
	memset(&got, 0, sizeof(got));
	kssp_credset_init(&got_path);
	if (!e)
		e = kssp_cred_copy(t, &tgt); /* the cache changes below */
	if (e)
		return e;
	if (cc->has_time_offset) {
		k->ctx.has_time_offset = true;
		k->ctx.time_offset = cc->time_offset;
		k->ctx.usec_offset = cc->usec_offset;
	}
	kssp_tgs_opts_init(&o);
	o.server = server;
	e = kssp_tgs_get_ticket(&k->ctx, &tgt, &o, &got_path, &got);
	for (i = 0; !e && i < got_path.n_creds; i++)
		e = kssp_ccache_replace(cc, &got_path.creds[i]);
	if (!e)
		e = kssp_ccache_replace(cc, &got);
	if (!e)
		e = kssp_ccache_write(cc, path);
	kssp_cred_clear(&got);
	kssp_cred_clear(&tgt);
	kssp_credset_free(&got_path);
	return e;
}

/*
 * RFC 4178 §4.2.1 negTokenInit offering krb5 (then Microsoft's krb5 OID, as
 * Windows lists both) with the AP-REQ as the optimistic mechToken.
 */
static kssp_err spnego_wrap(const uint8_t *tok, size_t len, struct kssp_writer *w)
{
	struct kssp_der_bytes mechs[2] = { kssp_gss_krb5_oid, kssp_gss_mskrb5_oid };
	struct kssp_spnego_init ni;

	memset(&ni, 0, sizeof(ni));
	ni.mech_types = mechs;
	ni.mech_types_len = 2;
	ni.mech_token.data = tok;
	ni.mech_token.len = len;
	return kssp_spnego_encode_init(&ni, true, w);
}

static int print_token(const struct token_opts *o, const uint8_t *tok, size_t len)
{
	struct kssp_writer w, sp;
	kssp_err e = KSSP_OK;

	kssp_writer_init_growable(&sp, 0);
	if (o->negotiate) {
		e = spnego_wrap(tok, len, &sp);
		tok = sp.buf;
		len = sp.len;
	}
	if (e) {
		kssp_writer_free(&sp);
		return kssp_cli_fail("token", e);
	}
	kssp_writer_init_growable(&w, 0);
	kssp_base64_encode(&w, tok, len);
	kssp_writer_free(&sp);
	kssp_writer_put_u8(&w, 0);
	e = kssp_writer_status(&w);
	if (e)
		return kssp_cli_fail("token", e);
	printf("%s%s\n", o->http ? "Authorization: Negotiate " : "", (const char *)w.buf);
	kssp_writer_free(&w);
	return KSSP_EXIT_OK;
}

/*
 * --record: "@ kind token", the arguments, and copies of the cache (as it
 * was before the run) and of krb5.conf beside the recording.
 */
static kssp_err record_setup(const struct token_opts *o, struct kssp_cli_kdc *k,
    const char *ccache_path)
{
	char cc[4096], conf[4096];
	const char *conf_src = getenv("KRB5_CONFIG");
	kssp_err e;

	if (!conf_src || kssp_convo_copy_beside(ccache_path, o->record, ".ccache", cc, sizeof(cc)) ||
	    kssp_convo_copy_beside(conf_src, o->record, ".conf", conf, sizeof(conf)))
		return kssp_fail(KSSP_ERR_IO, "--record: cannot copy the cache and KRB5_CONFIG beside %s",
		    o->record);
	if ((e = kssp_cli_record_command(k, "token", o->argc, o->argv)) ||
	    (e = kssp_cli_kdc_record_meta(k, "ccache", cc)))
		return e;
	return kssp_cli_kdc_record_meta(k, "krb5.conf", conf);
}

/* Replaying: the token must be the recorded one ('C'), byte for byte. */
static kssp_err replay_check(const struct kssp_cli_kdc *k, const uint8_t *tok, size_t len)
{
	const uint8_t *rec;
	size_t rec_len, i;
	unsigned line;
	char kind;
	kssp_err e = kssp_recording_token(k->replay, 0, &kind, &rec, &rec_len, &line);

	if (e)
		return e;
	for (i = 0; i < len && i < rec_len && tok[i] == rec[i]; i++)
		;
	if (kind != 'C' || len != rec_len || i != len)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: step: the initiator's token (line %u) differs from the recording at byte %zu (%zu vs %zu bytes)",
		    line, i, len, rec_len);
	return KSSP_OK;
}

static int run_token(const struct token_opts *o)
{
	struct kssp_cli_kdc kdc, *k = &kdc;
	struct kssp_ccache cc;
	struct kssp_principal *server = NULL;
	const struct kssp_cred *svc, *tgt = NULL;
	struct kssp_ctx_initiate_params p;
	struct kssp_ctx ctx;
	uint8_t *tok = NULL;
	size_t len = 0;
	char *path = NULL;
	int rc;
	kssp_err e;

	kssp_ccache_init(&cc);
	e = kssp_ccache_resolve(o->ccache, &path);
	if (e)
		return kssp_cli_fail("token", e);
	if (o->record && (e = kssp_cli_kdc_record_to(o->record))) {
		kssp_free(path);
		return kssp_cli_fail("token", e);
	}
	/* One KDC context for the whole command: its clock and random source
	 * (fixed and seeded when recording or replaying) also make the AP-REQ. */
	e = kssp_cli_kdc_open(k);
	if (e) {
		kssp_free(path);
		kssp_cli_kdc_close(k);
		return kssp_cli_fail("token", e);
	}
	kssp_ctx_init(&ctx, &k->hooks);
	if (o->record)
		e = record_setup(o, k, path);
	if (!e)
		e = kssp_ccache_read(path, &cc);
	if (!e && !cc.default_principal)
		e = kssp_fail(KSSP_ERR_NO_CREDENTIALS, "token: the cache names no principal");
	if (!e)
		e = parse_spn(o->spn, cc.default_principal, &server);
	if (!e) {
		e = kssp_ccache_find(&cc, cc.default_principal, server, &svc);
		if (e == KSSP_ERR_NOT_FOUND) {
			e = fetch_ticket(k, &cc, path, server);
			if (!e)
				e = kssp_ccache_find(&cc, cc.default_principal, server, &svc);
		}
	}
	if (!e && o->delegate)
		e = find_tgt(&cc, &tgt);
	/* RFC 4120 §2.6: only a forwardable TGT may be handed on. */
	if (!e && o->delegate && !(tgt->ticket_flags & KSSP_TKT_FLG_FORWARDABLE))
		e = kssp_fail(KDC_ERR_BADOPTION, "token: the TGT is not forwardable (kinit -f)");
	if (!e) {
		memset(&p, 0, sizeof(p));
		p.service = svc;
		p.req_flags = KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE | KSSP_GSS_INTEG;
		if (o->mutual)
			p.req_flags |= KSSP_GSS_MUTUAL;
		if (o->conf)
			p.req_flags |= KSSP_GSS_CONF;
		if (o->delegate)
			p.req_flags |= KSSP_GSS_DELEG;
		p.delegate = tgt;
		e = kssp_ctx_initiate(&ctx, &p, &tok, &len);
	}
	if (!e && k->recorder)
		e = kssp_recorder_token(k->recorder, 'C', tok, len);
	if (!e && k->replay)
		e = replay_check(k, tok, len);
	{
		kssp_err e2 = kssp_cli_kdc_close(k);

		if (!e)
			e = e2;
	}
	rc = e ? (getenv("KSSP_REPLAY") ? kssp_cli_kdc_fail("token", e, 0) :
	    kssp_cli_fail("token", e)) : print_token(o, tok, len);
	kssp_free(tok);
	kssp_free(path);
	kssp_principal_free(server);
	kssp_ctx_clear(&ctx);
	kssp_ccache_free(&cc);
	return rc;
}

static int cmd_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mutual", no_argument, NULL, 'm' },
		{ "delegate", no_argument, NULL, 'd' },
		{ "conf", no_argument, NULL, 'C' },
		{ "http", no_argument, NULL, 'H' },
		{ "negotiate", no_argument, NULL, 'N' },
		{ "record", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	struct token_opts o;
	int c;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.ccache = optarg; break;
		case 'm': o.mutual = true; break;
		case 'd': o.delegate = true; break;
		case 'C': o.conf = true; break;
		case 'H': o.http = true; break;
		case 'N': o.negotiate = true; break;
		case 'W': o.record = optarg; break;
		default: return kssp_cli_usage_error("token", "unknown option");
		}
	}
	if (optind != argc - 1)
		return kssp_cli_usage_error("token", "one SPN is needed");
	o.spn = argv[optind];
	o.argc = argc;
	o.argv = argv;
	return run_token(&o);
}

const struct kssp_cli_command kssp_cmd_token = {
	"token", "print the initial krb5 context token (AP-REQ) for a service",
	"usage: kssp token [-c CCACHE] [--mutual] [--delegate] [--conf] [--negotiate]\n"
	"                  [--http] [--record FILE] SPN\n"
	"\n"
	"Builds the krb5 GSS initial context token (RFC 4121 §4.1: AP-REQ with the\n"
	"0x8003 checksum) for SPN (service/host@REALM, or service@host) from the\n"
	"service ticket in the FILE cache CCACHE (default $KRB5CCNAME), fetched with\n"
	"the cache's TGT and stored there when missing, and prints it in base64.\n"
	"\n"
	"  -c CCACHE    the credential cache (FILE:path or a path)\n"
	"  --mutual     ask for mutual authentication (the acceptor sends an AP-REP)\n"
	"  --delegate   delegate the cache's forwardable TGT in a KRB-CRED\n"
	"  --conf       ask for confidentiality (sealed Wrap tokens)\n"
	"  --negotiate  wrap the token in SPNEGO (RFC 4178 negTokenInit)\n"
	"  --http       print as an HTTP header: Authorization: Negotiate <base64>\n"
	"  --record FILE  record the TGS exchange (when one is needed) and the token\n"
	"               for `kssp replay FILE`, with a fixed clock and seeded random\n"
	"               stream; the cache as it was and krb5.conf are copied beside it\n",
	cmd_token,
};
