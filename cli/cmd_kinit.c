/*
 * cli/cmd_kinit.c - `kssp kinit`: a TGT from a password or a keytab (the AS
 * exchange) stored in a FILE cache, or the renewal of one, through the
 * ticket workflow (kdc/getcreds_int.h).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "cli/cli.h"
#include "cli/kdc_cli.h"
#include "kdc/kdc.h"

#define PASSWORD_MAX 1024

struct kinit_args {
	const char *ccache, *keytab, *password_file, *principal, *record;
	const char *armor_ccache, *armor_keytab, *armor_principal; /* FAST, RFC 6113 */
	bool use_keytab, renew, enterprise;
	struct kssp_as_opts as;
	int32_t etypes[KSSP_CONFIG_MAX_ETYPES];
};

static int parse_args(int argc, char **argv, struct kinit_args *a)
{
	static const struct option longs[] = {
		{ "password-file", required_argument, NULL, 'p' },
		{ "canonicalize", no_argument, NULL, 'C' },
		{ "enterprise", no_argument, NULL, 'E' },
		{ "record", required_argument, NULL, 'W' },
		{ "armor-keytab", required_argument, NULL, 'K' },
		{ "armor-principal", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	int64_t d;

	memset(a, 0, sizeof(*a));
	kssp_as_opts_init(&a->as);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:kt:l:r:fFe:RCET:", longs, NULL)) != -1) {
		switch (c) {
		case 'c': a->ccache = optarg; break;
		case 'k': a->use_keytab = true; break;
		case 't': a->keytab = optarg; a->use_keytab = true; break;
		case 'l':
			if (!kssp_config_parse_duration(optarg, &d) || d <= 0)
				return kssp_cli_usage_error("kinit", "-l needs a lifetime like 10h");
			a->as.lifetime = d;
			break;
		case 'r':
			if (!kssp_config_parse_duration(optarg, &d) || d <= 0)
				return kssp_cli_usage_error("kinit", "-r needs a lifetime like 7d");
			a->as.renew_lifetime = d;
			break;
		case 'f': a->as.forwardable = 1; break;
		case 'F': a->as.forwardable = 0; break;
		case 'e':
			a->as.n_etypes = kssp_config_parse_enctypes(optarg, true, a->etypes,
			    KSSP_CONFIG_MAX_ETYPES);
			if (a->as.n_etypes == 0)
				return kssp_cli_usage_error("kinit", "-e names no known enctype");
			a->as.etypes = a->etypes;
			break;
		case 'p': a->password_file = optarg; break;
		case 'C': a->as.canonicalize = 1; break;
		case 'R': a->renew = true; break;
		case 'E': a->enterprise = true; break;
		case 'W': a->record = optarg; break;
		case 'T': a->armor_ccache = optarg; break;
		case 'K': a->armor_keytab = optarg; break;
		case 'P': a->armor_principal = optarg; break;
		default: return kssp_cli_usage_error("kinit", "unknown option");
		}
	}
	if (a->armor_ccache && a->armor_keytab)
		return kssp_cli_usage_error("kinit", "-T and --armor-keytab are two sources of one armor");
	if (a->armor_principal && !a->armor_keytab)
		return kssp_cli_usage_error("kinit", "--armor-principal needs --armor-keytab");
	if (optind + 1 != argc && !(a->renew && optind == argc))
		return kssp_cli_usage_error("kinit", "one PRINCIPAL is needed");
	a->principal = optind < argc ? argv[optind] : NULL;
	return -1;
}

/* kinit -R: the cache's TGT renewed, and the cache started anew with it. */
static kssp_err renew(struct kssp_cli_kdc *k, const struct kinit_args *a)
{
	struct kssp_getcreds_opts o;
	struct kssp_getcreds gc;
	struct kssp_cred fresh;
	kssp_err e;

	memset(&o, 0, sizeof(o));
	o.use_ccache = true;
	o.ccache = a->ccache;
	kssp_getcreds_init(&gc, k->cfg, &k->hooks, &o);
	e = kssp_getcreds_renew(&gc, &fresh);
	if (e)
		kssp_cli_kdc_note_failure(&gc.kdc);
	kssp_cred_clear(&fresh);
	kssp_getcreds_free(&gc);
	return e;
}

/*
 * The client as written: an enterprise name (RFC 6806 §5) with -E,
 * Windows' "DOMAIN\user" (MS-KILE §3.1.5.1) when the text has a
 * backslash and neither '@' nor '/', else MIT's text form.
 */
static kssp_err parse_client(const struct kinit_args *a, const char *realm,
    struct kssp_principal **out)
{
	const char *t = a->principal;

	if (!a->enterprise && strchr(t, '\\') && !strchr(t, '@') && !strchr(t, '/'))
		return kssp_principal_parse_windows(t, realm, false, out);
	return kssp_principal_parse(t, a->enterprise ? KSSP_PARSE_ENTERPRISE : 0, realm, out);
}

/* A TGT by password or keytab, into a new cache. */
static kssp_err get_tgt(struct kssp_cli_kdc *k, struct kinit_args *a)
{
	struct kssp_principal *client = NULL;
	struct kssp_getcreds_opts o;
	struct kssp_getcreds gc;
	struct kssp_cred cred;
	char *pw = NULL;
	size_t pwlen = 0;
	kssp_err e;

	memset(&o, 0, sizeof(o));
	memset(&cred, 0, sizeof(cred));
	e = parse_client(a, kssp_config_default_realm(k->cfg), &client);
	if (!e && client->realm.length == 0)
		e = kssp_fail(KSSP_ERR_INVALID_ARG, "%s has no realm and there is no default_realm",
		    a->principal);
	if (e)
		goto out;
	if (a->use_keytab) {
		o.use_keytab = true;
		o.keytab = a->keytab;
	} else if (!(pw = kssp_malloc(PASSWORD_MAX))) {
		e = kssp_fail(KSSP_ERR_NOMEM, "out of memory");
	} else {
		e = kssp_cli_read_password(a->password_file, "Password for ", a->principal, pw,
		    PASSWORD_MAX, &pwlen);
		/* A replay must derive the same key: the recording keeps the password. */
		if (!e)
			e = kssp_cli_kdc_record_meta(k, "password", pw);
		o.password = pw;
		o.password_len = pwlen;
	}
	o.client = client;
	o.use_ccache = true;
	o.ccache = a->ccache;
	o.armor_ccache = a->armor_ccache;
	o.armor_keytab = a->armor_keytab;
	o.armor_principal = a->armor_principal;
	kssp_getcreds_init(&gc, k->cfg, &k->hooks, &o);
	if (!e)
		e = kssp_getcreds_initial(&gc, &a->as, &cred);
	if (e)
		kssp_cli_kdc_note_failure(&gc.kdc);
	kssp_cred_clear(&cred);
	kssp_getcreds_free(&gc);
out:
	kssp_free_secret(pw, PASSWORD_MAX);
	kssp_principal_free(client);
	return e;
}

static int run(int argc, char **argv)
{
	struct kinit_args a;
	struct kssp_cli_kdc k;
	int rc = parse_args(argc, argv, &a);
	kssp_err e, e2;

	if (rc >= 0)
		return rc;
	if (a.record && (e = kssp_cli_kdc_record_to(a.record)))
		return kssp_cli_kdc_fail("kinit", e, 0);
	e = kssp_cli_kdc_open(&k);
	if (!e && a.record)
		e = kssp_cli_record_command(&k, "kinit", argc, argv);
	if (!e)
		e = a.renew ? renew(&k, &a) : get_tgt(&k, &a);
	e2 = kssp_cli_kdc_close(&k);
	if (!e)
		e = e2;
	return e ? kssp_cli_kdc_fail("kinit", e, !a.renew) : KSSP_EXIT_OK;
}

const struct kssp_cli_command kssp_cmd_kinit = {
	"kinit", "get a ticket-granting ticket (AS exchange) into a credential cache",
	"usage: kssp kinit [--record FILE] [-c CCACHE] [-k [-t KEYTAB]] [-l LIFETIME] [-r RENEW] [-f|-F]\n"
	"                  [-e ETYPES] [--password-file F] [-C|--canonicalize] [-E] [-R]\n"
	"                  [-T ARMOR_CCACHE | --armor-keytab KT [--armor-principal P]] PRINCIPAL\n"
	"\n"
	"Gets a TGT for PRINCIPAL from its realm's KDC (krb5.conf from KRB5_CONFIG)\n"
	"and stores it in CCACHE (default: KRB5CCNAME, else /tmp/krb5cc_UID).\n"
	"  -k, -t KEYTAB   use the principal's key from a keytab (default KRB5_KTNAME)\n"
	"  -l, -r          ticket and renewable lifetimes (\"10h\", \"7d\", seconds)\n"
	"  -f, -F          ask for a forwardable ticket, or not\n"
	"  -e ETYPES       enctypes to ask for, in order (\"aes256-cts 23\")\n"
	"  --password-file F  read the password from F's first line\n"
	"  -C, --canonicalize  let the KDC canonicalize the name (RFC 6806); the cache\n"
	"                  then holds the name and realm the KDC returned\n"
	"  -E, --enterprise  PRINCIPAL is an enterprise name (a UPN, RFC 6806 §5):\n"
	"                  user@suffix, asked of the default realm (or user@suffix@REALM)\n"
	"PRINCIPAL may also be Windows' DOMAIN\\user: a realm with no KDC known\n"
	"(a NetBIOS domain) is asked of the default realm's KDC, canonicalizing.\n"
	"  -R              renew the TGT in CCACHE instead\n"
	"  -T ARMOR_CCACHE armor the exchange with FAST (RFC 6113) using the TGT in\n"
	"                  ARMOR_CCACHE (as MIT's kinit -T), with encrypted challenge\n"
	"  --armor-keytab KT  armor with a TGT obtained from keytab KT (a machine\n"
	"                  account); --armor-principal P names its principal (default:\n"
	"                  the keytab's HOST$, else its first).  Anonymous PKINIT\n"
	"                  armor is not built.\n"
	"  --record FILE   write the KDC conversation to FILE for `kssp replay` (a\n"
	"                  fixed clock and seeded random stream; FILE keeps the password)\n"
	"The password is read from the terminal without echo, or from standard\n"
	"input when it is not a terminal.  KSSP_TRACE=1 prints each step.\n",
	run,
};
