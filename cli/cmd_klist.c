/*
 * cli/cmd_klist.c - `kssp klist`: a FILE credential cache or a keytab,
 * laid out like MIT's klist so that the two can be compared line by line.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "cli/cli.h"
#include "cli/creds_fmt.h"
#include "creds/creds.h"

struct klist_opts {
	bool keytab, times, etypes, keys, flags, status_only, config;
	const char *name;
};

static void print_cache_header(const char *path, const struct kssp_ccache *cc)
{
	char *def = NULL;

	kssp_principal_unparse(cc->default_principal, 0, &def);
	printf("Ticket cache: FILE:%s\nDefault principal: %s\n\n", path, def ? def : "?");
	kssp_free(def);
	/* MIT pads each column to the printed time's width plus two spaces. */
	fputs("Valid starting", stdout);
	kssp_cli_fill(stdout, KSSP_CLI_TIME_WIDTH - (int)sizeof("Valid starting") + 3, ' ');
	fputs("Expires", stdout);
	kssp_cli_fill(stdout, KSSP_CLI_TIME_WIDTH - (int)sizeof("Expires") + 3, ' ');
	fputs("Service principal\n", stdout);
}

/* The enctype of the ticket's enc-part (RFC 4120 §5.3), which -e shows. */
static kssp_err ticket_etype(const struct kssp_cred_data *ticket, int32_t *etype)
{
	struct kssp_arena arena;
	struct kssp_ticket tkt;
	kssp_err e;

	kssp_arena_init(&arena);
	e = kssp_krb5_decode_ticket(ticket->data, ticket->length, &arena, &tkt);
	if (!e)
		*etype = tkt.enc_part.etype;
	kssp_arena_free(&arena);
	return e;
}

/* Starts an extra field on the second line: a tab first, a comma after. */
static void next_field(int *extra)
{
	fputs(*extra ? ", " : "\t", stdout);
}

/* One credential, with MIT's rules for when the second line breaks. */
static void print_cred(const struct kssp_cred *c, const struct kssp_principal *def,
    const struct klist_opts *o)
{
	char *sname = NULL, *cname = NULL, flags[20], b1[32], b2[32];
	int extra = 0;

	kssp_principal_unparse(c->server, 0, &sname);
	kssp_principal_unparse(c->client, 0, &cname);
	kssp_cli_print_time(stdout, c->starttime ? c->starttime : c->authtime);
	fputs("  ", stdout);
	kssp_cli_print_time(stdout, c->endtime);
	printf("  %s\n", sname ? sname : "?");
	if (!kssp_principal_equal(c->client, def)) {
		printf("\tfor client %s", cname ? cname : "?");
		extra++;
	}
	if (c->renew_till) {
		next_field(&extra);
		fputs("renew until ", stdout);
		kssp_cli_print_time(stdout, c->renew_till);
		extra += 2;
	}
	if (extra > 3) {
		putchar('\n');
		extra = 0;
	}
	kssp_cred_flags_string(c->ticket_flags, flags, sizeof(flags));
	if (o->flags && flags[0]) {
		next_field(&extra);
		printf("Flags: %s", flags);
		extra++;
	}
	if (extra > 2) {
		putchar('\n');
		extra = 0;
	}
	if (o->etypes) {
		int32_t tkt_etype;

		if (ticket_etype(&c->ticket, &tkt_etype) == KSSP_OK) {
			next_field(&extra);
			printf("Etype (skey, tkt): %s, %s ",
			    kssp_cli_enctype_name(c->keytype, b1, sizeof(b1)),
			    kssp_cli_enctype_name(tkt_etype, b2, sizeof(b2)));
			extra++;
		}
	}
	if (extra)
		putchar('\n');
	kssp_free(sname);
	kssp_free(cname);
}

/*
 * -C: a configuration entry as MIT's klist -C shows it,
 * "config: KEY(PRINCIPAL) = VALUE", the value's unprintable bytes in octal.
 */
static void print_config(const struct kssp_cred *c)
{
	const struct kssp_principal *s = c->server;
	size_t i;

	printf("config: %s", s->name_string[1].data);
	if (s->n_name_string > 2)
		printf("(%s)", s->name_string[2].data);
	fputs(" = ", stdout);
	for (i = 0; i < c->ticket.length; i++) {
		uint8_t ch = c->ticket.data[i];

		if (ch > 0x20 && ch < 0x7f)
			putchar(ch);
		else
			printf("\\%03o", ch);
	}
	putchar('\n');
}

/* -s: success only when the client's own TGT has not expired (as MIT's klist -s). */
static bool has_valid_tgt(const struct kssp_ccache *cc, int64_t now)
{
	const struct kssp_principal *def = cc->default_principal;
	size_t i;

	for (i = 0; i < cc->n_creds; i++) {
		const struct kssp_cred *c = &cc->creds[i];
		const struct kssp_pstring *r = kssp_principal_tgs_realm(c->server);

		if (!kssp_cred_is_config(c) && r && r->length == def->realm.length &&
		    memcmp(r->data, def->realm.data, r->length) == 0 && c->endtime > now)
			return true;
	}
	return false;
}

static int list_cache(const struct klist_opts *o)
{
	struct kssp_ccache cc;
	char *path;
	size_t i;
	int rc = KSSP_EXIT_OK;
	kssp_err e;

	e = kssp_ccache_resolve(o->name, &path);
	if (e)
		return o->status_only ? KSSP_EXIT_FAIL : kssp_cli_fail("klist", e);
	e = kssp_ccache_read(path, &cc);
	if (e) {
		kssp_free(path);
		return o->status_only ? KSSP_EXIT_FAIL : kssp_cli_fail("klist", e);
	}
	if (o->status_only) {
		rc = has_valid_tgt(&cc, (int64_t)time(NULL)) ? KSSP_EXIT_OK : KSSP_EXIT_FAIL;
	} else {
		print_cache_header(path, &cc);
		for (i = 0; i < cc.n_creds; i++) {
			if (!kssp_cred_is_config(&cc.creds[i]))
				print_cred(&cc.creds[i], cc.default_principal, o);
			else if (o->config)
				print_config(&cc.creds[i]);
		}
	}
	kssp_ccache_free(&cc);
	kssp_free(path);
	return rc;
}

static void print_keytab_header(const char *path, const struct klist_opts *o)
{
	printf("Keytab name: FILE:%s\n", path);
	if (o->times) {
		fputs("KVNO Timestamp", stdout);
		kssp_cli_fill(stdout, KSSP_CLI_TIME_WIDTH - (int)sizeof("Timestamp") + 2, ' ');
		fputs("Principal\n---- ", stdout);
		kssp_cli_fill(stdout, KSSP_CLI_TIME_WIDTH, '-');
		putchar(' ');
		kssp_cli_fill(stdout, 78 - KSSP_CLI_TIME_WIDTH - (int)sizeof("KVNO"), '-');
		putchar('\n');
	} else {
		fputs("KVNO Principal\n---- ", stdout);
		kssp_cli_fill(stdout, 74, '-');
		putchar('\n');
	}
}

static void print_entry(const struct kssp_keytab_entry *en, const struct klist_opts *o)
{
	char *pname = NULL, buf[32];
	size_t i;

	kssp_principal_unparse(en->principal, 0, &pname);
	printf("%4u ", (unsigned)en->vno);
	if (o->times) {
		kssp_cli_print_time(stdout, en->timestamp);
		putchar(' ');
	}
	fputs(pname ? pname : "?", stdout);
	if (o->etypes)
		printf(" (%s) ", kssp_cli_enctype_name(en->keytype, buf, sizeof(buf)));
	if (o->keys) {
		fputs(" (0x", stdout);
		for (i = 0; i < en->key_len; i++)
			printf("%02x", en->key[i]);
		putchar(')');
	}
	putchar('\n');
	kssp_free(pname);
}

/* Lists a keytab; shared with `kssp keytab list`. */
int kssp_cli_list_keytab(const char *name, bool times, bool etypes, bool keys);

int kssp_cli_list_keytab(const char *name, bool times, bool etypes, bool keys)
{
	struct klist_opts o = { .times = times, .etypes = etypes, .keys = keys };
	struct kssp_keytab kt;
	char *path;
	size_t i;
	kssp_err e;

	e = kssp_keytab_resolve(name, &path);
	if (e)
		return kssp_cli_fail("klist", e);
	e = kssp_keytab_read(path, &kt);
	if (e) {
		kssp_free(path);
		return kssp_cli_fail("klist", e);
	}
	print_keytab_header(path, &o);
	for (i = 0; i < kt.n_entries; i++)
		print_entry(&kt.entries[i], &o);
	kssp_keytab_free(&kt);
	kssp_free(path);
	return KSSP_EXIT_OK;
}

static int run_klist(int argc, char **argv)
{
	struct klist_opts o = { 0 };
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "c:efsktKC")) != -1) {
		switch (c) {
		case 'c': o.name = optarg; break;
		case 'e': o.etypes = true; break;
		case 'f': o.flags = true; break;
		case 's': o.status_only = true; break;
		case 'k': o.keytab = true; break;
		case 't': o.times = true; break;
		case 'K': o.keys = true; break;
		case 'C': o.config = true; break;
		default: return kssp_cli_usage_error("klist", "unknown option");
		}
	}
	if (optind < argc - 1)
		return kssp_cli_usage_error("klist", "more than one cache or keytab named");
	if (optind == argc - 1) {
		if (o.name)
			return kssp_cli_usage_error("klist", "name given twice");
		o.name = argv[optind];
	}
	if (o.keytab)
		return kssp_cli_list_keytab(o.name, o.times, o.etypes, o.keys);
	return list_cache(&o);
}

const struct kssp_cli_command kssp_cmd_klist = {
	"klist", "list a credential cache or a keytab (like MIT's klist)",
	"usage: kssp klist [-c CCACHE] [-e] [-f] [-s] [-C] [CCACHE]\n"
	"       kssp klist -k [-t] [-e] [-K] [KEYTAB]\n"
	"\n"
	"Lists the tickets of a FILE credential cache (default: $KRB5CCNAME, else\n"
	"/tmp/krb5cc_UID) or, with -k, the keys of a keytab (default: $KRB5_KTNAME,\n"
	"else /etc/krb5.keytab), laid out like MIT's klist.\n"
	"  -e  show enctypes (session key and ticket; keytab key)\n"
	"  -f  show ticket flags (F forwardable, R renewable, I initial, A preauth, ...)\n"
	"  -s  print nothing; exit 0 when the cache holds an unexpired TGT, else 1\n"
	"  -C  also show the cache's configuration entries (fast_avail, pa_type, ...)\n"
	"  -t  show keytab entry timestamps\n"
	"  -K  show keytab keys (secret!)\n",
	run_klist,
};
