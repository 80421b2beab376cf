/*
 * cli/cmd_kvno.c - `kssp kvno`: service tickets through the ticket workflow
 * (kdc/getcreds_int.h) with the TGT of a FILE cache, printed like MIT's kvno;
 * with -U, S4U2Self for a user, and with -P then S4U2Proxy; with --u2u, a
 * user-to-user ticket sealed in the session key of another cache's TGT.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "cli/cli.h"
#include "cli/kdc_cli.h"
#include "kdc/kdc.h"

struct kvno_args {
	const char *ccache, *user;
	const char *u2u;          /* --u2u: the cache whose TGT is the additional ticket */
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

static kssp_err print(const struct kssp_cred *c)
{
	uint32_t kvno = 0;
	char *label = NULL;
	kssp_err e = ticket_kvno(c, &kvno);

	if (!e && !(e = kssp_principal_unparse(c->server, 0, &label)))
		printf("%s: kvno = %u\n", label, kvno);
	kssp_free(label);
	return e;
}

/*
 * --u2u CCACHE (as MIT's kvno): the TGT of CCACHE's default principal,
 * through a workflow of its own over that cache (read only).
 */
static kssp_err u2u_tgt(struct kssp_cli_kdc *k, const char *ccache, struct kssp_cred *tgt)
{
	struct kssp_getcreds_opts o;
	struct kssp_getcreds gc;
	kssp_err e;

	memset(&o, 0, sizeof(o));
	o.use_ccache = true;
	o.ccache = ccache;
	kssp_getcreds_init(&gc, k->cfg, &k->hooks, &o);
	e = kssp_getcreds_tgt(&gc, tgt);
	if (e)
		e = kssp_fail(e, "--u2u %s: %s", ccache, kssp_last_reason());
	kssp_getcreds_free(&gc);
	return e;
}

/*
 * A ticket for spn from the KDC: for the cache's client, or with -P for
 * the evidence's, or with --u2u sealed in the session key of u2u's ticket.
 */
static kssp_err one_spn(struct kssp_getcreds *gc, const char *spn,
    const struct kssp_cred *evidence, const struct kssp_cred *u2u)
{
	struct kssp_principal *server = NULL;
	struct kssp_cred got;
	const struct kssp_principal *client;
	kssp_err e = kssp_getcreds_client(gc, &client);

	memset(&got, 0, sizeof(got));
	if (!e)
		e = parse_spn(spn, client->realm.data, &server);
	if (!e && u2u)
		e = kssp_getcreds_u2u_ticket(gc, server, &u2u->ticket, &got);
	else if (!e)
		e = evidence ? kssp_getcreds_s4u2proxy(gc, evidence, server, &got)
			     : kssp_getcreds_service_ticket(gc, server, &got);
	if (!e)
		e = print(&got);
	kssp_cred_clear(&got);
	kssp_principal_free(server);
	return e;
}

/* S4U2Self for a->user: the evidence ticket for -P, and printed like MIT's kvno -U. */
static kssp_err s4u2self(struct kssp_getcreds *gc, const struct kvno_args *a,
    struct kssp_cred *evidence)
{
	struct kssp_principal *user = NULL;
	const struct kssp_principal *client;
	kssp_err e = kssp_getcreds_client(gc, &client);

	if (!e)
		e = kssp_principal_parse(a->user, 0, client->realm.data, &user);
	if (!e)
		e = kssp_getcreds_s4u2self(gc, user, evidence);
	if (!e)
		e = print(evidence);
	kssp_principal_free(user);
	return e;
}

/*
 * Stores in the cache what the KDC handed out, also when a later request
 * failed (as MIT's kvno keeps each ticket it got); that failure stays the
 * result, with its reason.
 */
static kssp_err store_obtained(struct kssp_getcreds *gc, kssp_err e)
{
	char why[KSSP_REASON_MAX];
	kssp_err stored;

	snprintf(why, sizeof(why), "%s", kssp_last_reason());
	stored = kssp_getcreds_end(gc, NULL);
	if (!e)
		return stored;
	return stored ? kssp_fail(e, "%s", why) : e;
}

/*
 * Every ticket from the KDC with the cache's TGT (kdc/getcreds_int.h), stored
 * in the cache after the last request: the requests go out as they would
 * without a cache to write.  A refused service does not stop the others,
 * as with MIT's kvno: each refusal but the last is printed at once, the
 * last is the command's result.
 */
static kssp_err run_all(struct kssp_cli_kdc *k, const struct kvno_args *a, int n, char **spns)
{
	struct kssp_getcreds_opts o;
	struct kssp_getcreds gc;
	struct kssp_cred evidence, tgt;
	char why[KSSP_REASON_MAX];
	kssp_err e, e_user;
	int i;

	memset(&o, 0, sizeof(o));
	memset(&evidence, 0, sizeof(evidence));
	memset(&tgt, 0, sizeof(tgt));
	if (a->u2u && (e = u2u_tgt(k, a->u2u, &tgt)))
		return e;
	o.use_ccache = true;
	o.ccache = a->ccache;
	o.ask_kdc = true;
	if (a->etype) {
		o.etypes = &a->etype;
		o.n_etypes = 1;
	}
	kssp_getcreds_init(&gc, k->cfg, &k->hooks, &o);
	/* With -P, an evidence ticket in the cache (kssp accept --deleg-ccache) serves as is. */
	gc.o.ask_kdc = !a->proxy;
	e_user = a->user ? s4u2self(&gc, a, &evidence) : KSSP_OK;
	gc.o.ask_kdc = true;
	e = KSSP_OK;
	for (i = 0; !e_user && i < n && (!a->user || a->proxy); i++) {
		kssp_err one = one_spn(&gc, spns[i], a->user ? &evidence : NULL, a->u2u ? &tgt : NULL);
		char now[KSSP_REASON_MAX];

		if (!one)
			continue;
		/* The SPN in front, unless the reason names it already. */
		snprintf(now, sizeof(now), "%s%s%s", strstr(kssp_last_reason(), spns[i]) ? "" : spns[i],
		    strstr(kssp_last_reason(), spns[i]) ? "" : ": ", kssp_last_reason());
		if (e)
			kssp_cli_kdc_fail("kvno", kssp_fail(e, "%s", why), 0);
		kssp_cli_kdc_note_failure(&gc.kdc);
		e = one;
		memcpy(why, now, sizeof(why));
	}
	if (e)
		kssp_fail(e, "%s", why);
	if (e_user) {
		kssp_cli_kdc_note_failure(&gc.kdc);
		e = e_user;
	}
	e = store_obtained(&gc, e);
	kssp_cred_clear(&evidence);
	kssp_cred_clear(&tgt);
	kssp_getcreds_free(&gc);
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
	static const struct option longs[] = {
		{ "record", required_argument, NULL, 'W' },
		{ "u2u", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *record = NULL;
	kssp_err e, e2;
	int c;

	memset(&a, 0, sizeof(a));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:e:U:P", longs, NULL)) != -1) {
		switch (c) {
		case 'W': record = optarg; break;
		case 'c': a.ccache = optarg; break;
		case 'e':
			a.etype = kssp_config_enctype_number(optarg);
			if (!a.etype && !parse_etype_number(optarg, &a.etype))
				return kssp_cli_usage_error("kvno", "-e needs an enctype name or number");
			break;
		case 'U': a.user = optarg; break;
		case 'P': a.proxy = true; break;
		case 'u': a.u2u = optarg; break;
		default: return kssp_cli_usage_error("kvno", "unknown option");
		}
	}
	if (a.proxy && !a.user)
		return kssp_cli_usage_error("kvno", "-P needs -U USER");
	if (a.u2u && a.user)
		return kssp_cli_usage_error("kvno", "--u2u takes no -U");
	if (optind == argc && !a.user)
		return kssp_cli_usage_error("kvno", "name at least one SPN");
	if (record && (e = kssp_cli_kdc_record_to(record)))
		return kssp_cli_kdc_fail("kvno", e, 0);
	e = kssp_cli_kdc_open(&k);
	if (!e && record)
		e = kssp_cli_record_command(&k, "kvno", argc, argv);
	if (!e)
		e = run_all(&k, &a, argc - optind, argv + optind);
	e2 = kssp_cli_kdc_close(&k);
	if (!e)
		e = e2;
	return e ? kssp_cli_kdc_fail("kvno", e, 0) : KSSP_EXIT_OK;
}

const struct kssp_cli_command kssp_cmd_kvno = {
	"kvno", "get service tickets (TGS exchange) and print their key versions",
	"usage: kssp kvno [--record FILE] [-c CCACHE] [-e ETYPE] [-U USER [-P] | --u2u CC] SPN...\n"
	"\n"
	"Gets a ticket for each SPN with the TGT in CCACHE (default KRB5CCNAME),\n"
	"stores it there, and prints \"SPN: kvno = N\" as MIT's kvno does.  A\n"
	"refused SPN does not stop the others; every ticket obtained is stored.\n"
	"Services in other realms are reached through [capaths] and referrals.\n"
	"  -e ETYPE  ask for this session-key enctype only\n"
	"  -U USER   S4U2Self: a ticket to the cache's own principal for USER\n"
	"  -P        then S4U2Proxy: tickets to each SPN for USER, with that evidence,\n"
	"            or with USER's ticket to the cache's principal found in CCACHE\n"
	"            (kssp accept --deleg-ccache: Kerberos-only constrained delegation)\n"
	"  --u2u CC  user-to-user (as MIT's kvno --u2u): each ticket sealed in the\n"
	"            session key of the TGT in cache CC (ENC-TKT-IN-SKEY), SPN being\n"
	"            CC's principal; stored in CCACHE marked as MIT marks it\n"
	"  --record FILE  write the KDC conversation to FILE for `kssp replay`\n"
	"KSSP_TRACE=1 prints each step.\n",
	run,
};
