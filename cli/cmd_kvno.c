/*
 * cli/cmd_kvno.c - `kssp kvno`: service tickets through the TGS exchange
 * (kdc/tgs.h) with the TGT of a FILE cache, printed like MIT's kvno; with
 * -U, S4U2Self for a user, and with -P then S4U2Proxy.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/kdc_cli.h"
#include "creds/ccache.h"
#include "creds/credset.h"
#include "kdc/tgs.h"

struct kvno_args {
	const char *ccache, *user;
	bool proxy;
	int32_t etype;
};

/* The kvno of a ticket's enc-part (RFC 4120 §5.3), 0 when absent. */
static kssp_err ticket_kvno(const struct kssp_cred *c, uint32_t *kvno)
{
	struct kssp_arena a;
	struct kssp_ticket t;
	kssp_err e;

	kssp_arena_init(&a);
	e = kssp_krb5_decode_ticket(c->ticket.data, c->ticket.length, &a, &t);
	if (!e)
		*kvno = t.enc_part.has_kvno ? t.enc_part.kvno : 0;
	kssp_arena_free(&a);
	return e;
}

/* A service name: two components other than krbtgt are host-based (NT-SRV-HST). */
static kssp_err parse_spn(const char *text, const char *realm, struct kssp_principal **out)
{
	kssp_err e = kssp_principal_parse(text, 0, realm, out);

	if (!e && (*out)->n_name_string == 2 && !kssp_principal_is_tgs(*out))
		(*out)->name_type = KSSP_NT_SRV_HST;
	return e;
}

static kssp_err print_and_store(struct kssp_ccache *cc, const char *label,
    const struct kssp_cred *c)
{
	uint32_t kvno = 0;
	kssp_err e = ticket_kvno(c, &kvno);

	if (!e)
		e = kssp_ccache_replace(cc, c);
	if (!e)
		printf("%s: kvno = %u\n", label, kvno);
	return e;
}

static kssp_err save_path(struct kssp_ccache *cc, const struct kssp_credset *path)
{
	size_t i;
	kssp_err e = KSSP_OK;

	for (i = 0; i < path->n_creds && !e; i++)
		e = kssp_ccache_replace(cc, &path->creds[i]);
	return e;
}

static kssp_err one_spn(struct kssp_cli_kdc *k, struct kssp_ccache *cc,
    const struct kssp_cred *tgt, const struct kvno_args *a, const char *spn,
    const struct kssp_cred *evidence)
{
	struct kssp_principal *server = NULL;
	struct kssp_tgs_opts o;
	struct kssp_credset path;
	struct kssp_cred got;
	char *label = NULL;
	kssp_err e;

	kssp_credset_init(&path);
	kssp_tgs_opts_init(&o);
	if (a->etype) {
		o.etypes = &a->etype;
		o.n_etypes = 1;
	}
	e = parse_spn(spn, cc->default_principal->realm.data, &server);
	if (e)
		goto out;
	o.server = server;
	o.evidence = evidence;
	if (!(e = kssp_tgs_get_ticket(&k->ctx, tgt, &o, &path, &got))) {
		e = save_path(cc, &path);
		if (!e && !(e = kssp_principal_unparse(got.server, 0, &label)))
			e = print_and_store(cc, label, &got);
		kssp_cred_clear(&got);
	}
out:
	kssp_free(label);
	kssp_principal_free(server);
	kssp_credset_free(&path);
	return e;
}

/* S4U2Self for a->user: the evidence ticket for -P, and printed like MIT's kvno -U. */
static kssp_err s4u2self(struct kssp_cli_kdc *k, struct kssp_ccache *cc,
    const struct kssp_cred *tgt, const struct kvno_args *a, struct kssp_cred *evidence)
{
	struct kssp_principal *user = NULL;
	struct kssp_tgs_opts o;
	char *label = NULL;
	kssp_err e = kssp_principal_parse(a->user, 0, cc->default_principal->realm.data, &user);

	kssp_tgs_opts_init(&o);
	o.impersonate = user;
	if (!e)
		e = kssp_tgs_get_ticket(&k->ctx, tgt, &o, NULL, evidence);
	if (!e && !(e = kssp_principal_unparse(evidence->server, 0, &label)))
		e = print_and_store(cc, label, evidence);
	kssp_free(label);
	kssp_principal_free(user);
	return e;
}

static kssp_err run_all(struct kssp_cli_kdc *k, const struct kvno_args *a, int n, char **spns)
{
	struct kssp_ccache cc;
	struct kssp_principal *tgs = NULL;
	const struct kssp_cred *tgt;
	struct kssp_cred tgt_copy, evidence;
	char *path = NULL;
	kssp_err e = kssp_ccache_resolve(a->ccache, &path);
	int i;

	memset(&tgt_copy, 0, sizeof(tgt_copy));
	memset(&evidence, 0, sizeof(evidence));
	if (e)
		return e;
	kssp_ccache_init(&cc);
	if ((e = kssp_ccache_read(path, &cc)))
		goto out;
	if (cc.has_time_offset) {
		k->ctx.has_time_offset = true;
		k->ctx.time_offset = cc.time_offset;
		k->ctx.usec_offset = cc.usec_offset;
	}
	e = kssp_principal_build(&tgs, KSSP_NT_SRV_INST, cc.default_principal->realm.data, 2,
	    (const char *const[]){ "krbtgt", cc.default_principal->realm.data });
	if (!e && (e = kssp_ccache_find(&cc, cc.default_principal, tgs, &tgt)))
		e = kssp_fail(KSSP_ERR_NO_CREDENTIALS, "no TGT for %s in %s",
		    cc.default_principal->realm.data, path);
	/* The cache changes below; work from a copy of the TGT. */
	if (!e)
		e = kssp_cred_copy(tgt, &tgt_copy);
	if (!e && a->user)
		e = s4u2self(k, &cc, &tgt_copy, a, &evidence);
	for (i = 0; !e && i < n && (!a->user || a->proxy); i++)
		e = one_spn(k, &cc, &tgt_copy, a, spns[i], a->user ? &evidence : NULL);
	if (!e)
		e = kssp_ccache_write(&cc, path);
out:
	kssp_cred_clear(&tgt_copy);
	kssp_cred_clear(&evidence);
	kssp_principal_free(tgs);
	kssp_ccache_free(&cc);
	kssp_free(path);
	return e;
}

/* An enctype given by number ("18", "-128"): all of the text, within int32_t. */
static bool parse_etype_number(const char *text, int32_t *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

static int run(int argc, char **argv)
{
	struct kvno_args a;
	struct kssp_cli_kdc k;
	kssp_err e, e2;
	int c;

	memset(&a, 0, sizeof(a));
	optind = 1;
	while ((c = getopt(argc, argv, "c:e:U:P")) != -1) {
		switch (c) {
		case 'c': a.ccache = optarg; break;
		case 'e':
			a.etype = kssp_config_enctype_number(optarg);
			if (!a.etype && !parse_etype_number(optarg, &a.etype))
				return kssp_cli_usage_error("kvno", "-e needs an enctype name or number");
			break;
		case 'U': a.user = optarg; break;
		case 'P': a.proxy = true; break;
		default: return kssp_cli_usage_error("kvno", "unknown option");
		}
	}
	if (a.proxy && !a.user)
		return kssp_cli_usage_error("kvno", "-P needs -U USER");
	if (optind == argc && !a.user)
		return kssp_cli_usage_error("kvno", "name at least one SPN");
	e = kssp_cli_kdc_open(&k);
	if (!e)
		e = run_all(&k, &a, argc - optind, argv + optind);
	e2 = kssp_cli_kdc_close(&k);
	if (!e)
		e = e2;
	return e ? kssp_cli_kdc_fail("kvno", e, 0) : KSSP_EXIT_OK;
}

const struct kssp_cli_command kssp_cmd_kvno = {
	"kvno", "get service tickets (TGS exchange) and print their key versions",
	"usage: kssp kvno [-c CCACHE] [-e ETYPE] [-U USER [-P]] SPN...\n"
	"\n"
	"Gets a ticket for each SPN with the TGT in CCACHE (default KRB5CCNAME),\n"
	"stores it there, and prints \"SPN: kvno = N\" as MIT's kvno does.\n"
	"Services in other realms are reached through [capaths] and referrals.\n"
	"  -e ETYPE  ask for this session-key enctype only\n"
	"  -U USER   S4U2Self: a ticket to the cache's own principal for USER\n"
	"  -P        then S4U2Proxy: tickets to each SPN for USER, with that evidence\n"
	"KSSP_TRACE=1 prints each step.\n",
	run,
};
