/*
 * cli/cmd_keytab.c - `kssp keytab add|remove|list`: edits MIT keytab files
 * (keys from a password or random), written back atomically, mode 0600.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "cli/cli.h"
#include "creds/creds.h"
#include "crypto/crypto.h"

/* In cli/cmd_klist.c: lists a keytab like MIT's klist -k. */
int kssp_cli_list_keytab(const char *name, bool times, bool etypes, bool keys);

#define MAX_ETYPES 16
#define PASSWORD_MAX 1024

struct keytab_opts {
	const char *keytab, *principal, *salt, *password_file;
	int32_t etypes[MAX_ETYPES];
	size_t n_etypes;
	uint32_t kvno;
	bool random;
};

/* "aes256-cts,aes128-cts 23": names or numbers, comma or space separated. */
static int parse_etypes(const char *list, struct keytab_opts *o)
{
	char buf[512], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return kssp_cli_usage_error("keytab", "enctype list too long");
	memcpy(buf, list, strlen(list) + 1);
	o->n_etypes = 0;
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int32_t et;
		kssp_err e;

		/* "aes256-cts:normal" as kadmin writes key/salt pairs: the salt part is ours to pick. */
		if (strchr(tok, ':'))
			*strchr(tok, ':') = 0;
		e = kssp_crypto_enctype_from_name(tok, &et);
		if (e)
			return kssp_cli_fail("keytab", e);
		if (o->n_etypes == MAX_ETYPES)
			return kssp_cli_usage_error("keytab", "too many enctypes");
		o->etypes[o->n_etypes++] = et;
	}
	if (!o->n_etypes)
		return kssp_cli_usage_error("keytab", "empty enctype list");
	return KSSP_EXIT_OK;
}

static int parse_kvno(const char *text, uint32_t *kvno)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (!*text || *end || v == 0 || v > UINT32_MAX)
		return kssp_cli_usage_error("keytab", "--kvno wants a number from 1 to 4294967295");
	*kvno = (uint32_t)v;
	return KSSP_EXIT_OK;
}

static int parse_opts(int argc, char **argv, struct keytab_opts *o)
{
	static const struct option longopts[] = {
		{ "kvno", required_argument, NULL, 'V' },
		{ "salt", required_argument, NULL, 'S' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "random", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->etypes[0] = KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96;
	o->etypes[1] = KSSP_ENCTYPE_AES128_CTS_HMAC_SHA1_96;
	o->n_etypes = 2;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "k:p:e:", longopts, NULL)) != -1) {
		rc = KSSP_EXIT_OK;
		switch (c) {
		case 'k': o->keytab = optarg; break;
		case 'p': o->principal = optarg; break;
		case 'e': rc = parse_etypes(optarg, o); break;
		case 'V': rc = parse_kvno(optarg, &o->kvno); break;
		case 'S': o->salt = optarg; break;
		case 'P': o->password_file = optarg; break;
		case 'R': o->random = true; break;
		default: return kssp_cli_usage_error("keytab", "unknown option");
		}
		if (rc)
			return rc;
	}
	if (optind != argc)
		return kssp_cli_usage_error("keytab", "unexpected argument");
	if (!o->keytab)
		return kssp_cli_usage_error("keytab", "-k KEYTAB is required");
	return KSSP_EXIT_OK;
}

/* Drops a trailing newline (and CR) from a password line. */
static size_t chomp(char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return n;
}

/* The password: the first line of --password-file, else a line of standard input. */
static kssp_err read_password(const struct keytab_opts *o, char *buf, size_t cap, size_t *len)
{
	struct termios old, quiet;
	bool tty = !o->password_file && isatty(0);
	FILE *f = o->password_file ? fopen(o->password_file, "r") : stdin;
	bool ok;

	if (!f)
		return kssp_fail(KSSP_ERR_IO, "%s: cannot open the password file", o->password_file);
	if (tty) {
		fprintf(stderr, "Password for %s: ", o->principal);
		tcgetattr(0, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSANOW, &quiet);
	}
	ok = fgets(buf, (int)cap, f) != NULL;
	if (tty) {
		tcsetattr(0, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (f != stdin)
		(void)fclose(f); /* read only: nothing buffered to lose */
	if (!ok)
		return kssp_fail(KSSP_ERR_IO, "no password read from %s",
		    o->password_file ? o->password_file : "standard input");
	*len = strlen(buf);
	if (*len == cap - 1 && buf[*len - 1] != '\n')
		return kssp_fail(KSSP_ERR_LIMIT, "password longer than %zu bytes", cap - 2);
	*len = chomp(buf, *len);
	return KSSP_OK;
}

static kssp_err add_keys(struct kssp_keytab *kt, const struct keytab_opts *o,
    const struct kssp_principal *p, uint32_t kvno)
{
	char password[PASSWORD_MAX];
	size_t pwlen = 0, i;
	uint32_t now = (uint32_t)time(NULL);
	kssp_err e = KSSP_OK;

	if (!o->random)
		e = read_password(o, password, sizeof(password), &pwlen);
	for (i = 0; !e && i < o->n_etypes; i++) {
		if (o->random)
			e = kssp_keytab_add_random(kt, NULL, p, kvno, o->etypes[i], now);
		else
			e = kssp_keytab_add_password(kt, p, kvno, o->etypes[i], password, pwlen,
			    (const uint8_t *)o->salt, o->salt ? strlen(o->salt) : 0, now);
	}
	kssp_memzero(password, sizeof(password));
	return e;
}

static int add_or_remove(int argc, char **argv, bool add)
{
	struct keytab_opts o;
	struct kssp_principal *p = NULL;
	struct kssp_keytab kt;
	char *path = NULL;
	size_t removed = 0;
	int rc = parse_opts(argc, argv, &o), fd = -1;
	kssp_err e;

	if (rc)
		return rc;
	if (!o.principal)
		return kssp_cli_usage_error("keytab", "-p PRINCIPAL is required");
	kssp_keytab_init(&kt);
	e = kssp_principal_parse(o.principal, KSSP_PARSE_REQUIRE_REALM, NULL, &p);
	if (!e)
		e = kssp_keytab_resolve(o.keytab, &path);
	/*
	 * Read, changed and written back under the keytab's lock, in place, as
	 * MIT's ktadd and ktutil change it: their entries are never lost.
	 */
	if (!e)
		e = kssp_keytab_lock(path, add, &fd, &kt);
	if (!e && add)
		e = add_keys(&kt, &o, p, o.kvno ? o.kvno : kssp_keytab_max_vno(&kt, p) + 1);
	else if (!e)
		e = kssp_keytab_remove(&kt, p, o.kvno, 0, &removed);
	if (!e)
		e = kssp_keytab_write_locked(fd, &kt, path);
	kssp_creds_file_unlock(fd);
	if (!e && !add)
		printf("removed %zu entr%s of %s\n", removed, removed == 1 ? "y" : "ies", o.principal);
	kssp_keytab_free(&kt);
	kssp_principal_free(p);
	kssp_free(path);
	return e ? kssp_cli_fail("keytab", e) : KSSP_EXIT_OK;
}

static int run_keytab(int argc, char **argv)
{
	struct keytab_opts o;
	int rc;

	if (argc < 2)
		return kssp_cli_usage_error("keytab", "missing add, remove or list");
	if (strcmp(argv[1], "add") == 0)
		return add_or_remove(argc - 1, argv + 1, true);
	if (strcmp(argv[1], "remove") == 0)
		return add_or_remove(argc - 1, argv + 1, false);
	if (strcmp(argv[1], "list") == 0) {
		rc = parse_opts(argc - 1, argv + 1, &o);
		return rc ? rc : kssp_cli_list_keytab(o.keytab, true, true, false);
	}
	return kssp_cli_usage_error("keytab", "expected add, remove or list");
}

const struct kssp_cli_command kssp_cmd_keytab = {
	"keytab", "add, remove or list the keys of a keytab",
	"usage: kssp keytab add -k KEYTAB -p PRINCIPAL [-e ETYPES] [--kvno N] [--salt S]\n"
	"                       [--password-file F | --random]\n"
	"       kssp keytab remove -k KEYTAB -p PRINCIPAL [--kvno N]\n"
	"       kssp keytab list -k KEYTAB\n"
	"\n"
	"add: stores keys for PRINCIPAL (with its realm) made by string-to-key from a\n"
	"     password (the first line of F, else a line read from standard input) with\n"
	"     the principal's default salt or S, or random keys with --random.\n"
	"     ETYPES: names or numbers, comma-separated (default\n"
	"     aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96); kvno default: one more\n"
	"     than the highest stored for PRINCIPAL.\n"
	"remove: drops PRINCIPAL's entries (only those of kvno N with --kvno).\n"
	"list: the entries with kvno, timestamp and enctype (klist -k -t -e).\n"
	"KEYTAB: FILE:path, WRFILE:path or a path (through a symbolic link; only a\n"
	"regular file).  add and remove change it in place under its fcntl lock,\n"
	"as MIT's ktadd and ktutil do, so that neither loses the other's entries;\n"
	"a new keytab is created mode 0600.\n",
	run_keytab,
};
