/*
 * cli/cmd_crypto.c - `kssp crypto`: the crypto layer on the command line,
 * for checking vectors by hand and comparing with other implementations.
 * Enctypes and checksum types by number or MIT name; keys and data in hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cli/cli.h"
#include "crypto/crypto.h"

#define CMD "crypto"

/* The options every subcommand may take; each uses the ones it needs. */
struct crypto_opts {
	const char *etype, *cksumtype, *key, *usage, *salt, *s2kparams, *confounder, *pwfile;
	const char *arg; /* the one positional argument */
};

static int parse_opts(int argc, char **argv, struct crypto_opts *o)
{
	static const struct { const char *s, *l; size_t off; } names[] = {
		{ "-e", "--enctype", offsetof(struct crypto_opts, etype) },
		{ "-t", "--cksumtype", offsetof(struct crypto_opts, cksumtype) },
		{ "-k", "--key", offsetof(struct crypto_opts, key) },
		{ "-u", "--usage", offsetof(struct crypto_opts, usage) },
		{ "-s", "--salt", offsetof(struct crypto_opts, salt) },
		{ NULL, "--s2kparams", offsetof(struct crypto_opts, s2kparams) },
		{ NULL, "--confounder", offsetof(struct crypto_opts, confounder) },
		{ NULL, "--password-file", offsetof(struct crypto_opts, pwfile) },
	};
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 2; i < argc; i++) {
		size_t j;
		bool matched = false;

		for (j = 0; j < sizeof(names) / sizeof(names[0]) && !matched; j++) {
			if ((names[j].s && strcmp(argv[i], names[j].s) == 0) ||
			    strcmp(argv[i], names[j].l) == 0) {
				if (i + 1 >= argc)
					return kssp_cli_usage_error(CMD, "an option needs a value");
				*(const char **)((char *)o + names[j].off) = argv[++i];
				matched = true;
			}
		}
		if (matched)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != 0)
			return kssp_cli_usage_error(CMD, "unknown option");
		if (o->arg)
			return kssp_cli_usage_error(CMD, "too many arguments");
		o->arg = argv[i];
	}
	return KSSP_EXIT_OK;
}

/* Decodes hex into a malloc'd buffer (with one spare byte, so never NULL). */
static kssp_err hex_arg(const char *what, const char *hex, uint8_t **out, size_t *len)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_CLI_INPUT_MAX);
	e = kssp_hex_decode(&w, hex, strlen(hex));
	kssp_writer_put_u8(&w, 0);
	if (!e)
		e = kssp_writer_detach(&w, out, len);
	else
		kssp_writer_free(&w);
	if (e)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: not hex", what);
	(*len)--;
	return KSSP_OK;
}

static void print_hex(const uint8_t *p, size_t n)
{
	struct kssp_writer w;

	kssp_writer_init_growable(&w, 0);
	kssp_hex_encode(&w, p, n);
	kssp_writer_put_u8(&w, 0);
	if (!kssp_writer_status(&w))
		printf("%s\n", (const char *)w.buf);
	kssp_writer_free(&w);
}

static kssp_err parse_usage(const char *s, uint32_t *usage)
{
	char *end;
	unsigned long v;

	if (!s)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "-u USAGE is required");
	v = strtoul(s, &end, 10);
	if (!*s || *end || v > UINT32_MAX || s[0] == '-')
		return kssp_fail(KSSP_ERR_INVALID_ARG, "usage '%s' is not a number", s);
	*usage = (uint32_t)v;
	return KSSP_OK;
}

/* The key from -e and -k. */
static kssp_err load_key(const struct crypto_opts *o, struct kssp_key *key)
{
	uint8_t *kb;
	size_t kl;
	int32_t etype;
	kssp_err e;

	if (!o->etype || !o->key)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "-e ETYPE and -k KEY are required");
	e = kssp_crypto_enctype_from_name(o->etype, &etype);
	if (e)
		return e;
	e = hex_arg("key", o->key, &kb, &kl);
	if (e)
		return e;
	e = kssp_crypto_key_init(key, etype, kb, kl);
	kssp_free_secret(kb, kl);
	return e;
}

static int run_string2key(const struct crypto_opts *o)
{
	uint8_t *pw = NULL, *params = NULL;
	size_t pwlen = 0, plen = 0;
	struct kssp_key key = { 0 };
	int32_t etype;
	kssp_err e;

	if (!o->etype || (!o->arg == !o->pwfile))
		return kssp_cli_usage_error(CMD, "string2key needs -e ETYPE and PASSWORD or --password-file");
	e = kssp_crypto_enctype_from_name(o->etype, &etype);
	if (!e && o->pwfile) {
		e = kssp_cli_read_file(o->pwfile, &pw, &pwlen);
		/* one trailing newline is the file's, not the password's */
		if (!e && pwlen && pw[pwlen - 1] == '\n')
			pwlen--;
		if (!e && pwlen && pw[pwlen - 1] == '\r')
			pwlen--;
	}
	if (!e && o->s2kparams)
		e = hex_arg("s2kparams", o->s2kparams, &params, &plen);
	if (!e)
		e = kssp_crypto_string_to_key(etype, pw ? (const char *)pw : o->arg,
		    /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): PASSWORD or a read --password-file is set (usage check above) */
		    pw ? pwlen : strlen(o->arg), (const uint8_t *)o->salt, o->salt ? strlen(o->salt) : 0,
		    params, plen, &key);
	if (!e)
		print_hex(key.contents, key.length);
	kssp_free_secret(pw, pwlen);
	kssp_free(params);
	kssp_crypto_key_clear(&key);
	return e ? kssp_cli_fail(CMD " string2key", e) : KSSP_EXIT_OK;
}

static int run_encrypt(const struct crypto_opts *o, bool decrypt)
{
	struct kssp_key key = { 0 };
	uint8_t *in = NULL, *conf = NULL, *out = NULL;
	size_t inlen = 0, conflen = 0, outlen = 0, cap = 0;
	uint32_t usage;
	kssp_err e;

	if (!o->arg)
		return kssp_cli_usage_error(CMD, decrypt ? "decrypt needs CIPHER" : "encrypt needs DATA");
	e = load_key(o, &key);
	if (!e)
		e = parse_usage(o->usage, &usage);
	if (!e)
		e = hex_arg(decrypt ? "ciphertext" : "data", o->arg, &in, &inlen);
	if (!e && o->confounder && !decrypt)
		e = hex_arg("confounder", o->confounder, &conf, &conflen);
	if (!e)
		e = decrypt ? (cap = inlen, KSSP_OK) : kssp_crypto_encrypt_len(key.enctype, inlen, &cap);
	if (!e && !(out = kssp_malloc(cap + 1)))
		e = kssp_fail(KSSP_ERR_NOMEM, "no memory");
	if (!e) {
		if (decrypt)
			e = kssp_crypto_decrypt(&key, usage, in, inlen, out, cap, &outlen);
		else if (conf)
			e = kssp_crypto_encrypt_with_confounder(&key, usage, conf, conflen, in, inlen, out,
			    cap, &outlen);
		else
			e = kssp_crypto_encrypt(NULL, &key, usage, in, inlen, out, cap, &outlen);
	}
	if (!e)
		print_hex(out, outlen);
	kssp_free_secret(out, cap);
	kssp_free_secret(in, inlen);
	kssp_free(conf);
	kssp_crypto_key_clear(&key);
	return e ? kssp_cli_fail(decrypt ? CMD " decrypt" : CMD " encrypt", e) : KSSP_EXIT_OK;
}

static int run_checksum(const struct crypto_opts *o)
{
	const struct kssp_cksum_profile *cp;
	struct crypto_opts ko = *o;
	struct kssp_key key = { 0 };
	uint8_t *data = NULL, ck[KSSP_CRYPTO_MAX_CKSUM];
	char etype_text[16];
	size_t dlen = 0, n;
	int32_t ct;
	uint32_t usage;
	kssp_err e;

	if (!o->cksumtype || !o->arg)
		return kssp_cli_usage_error(CMD, "checksum needs -t CKSUMTYPE and DATA");
	e = kssp_crypto_cksumtype_from_name(o->cksumtype, &ct);
	if (!e)
		e = kssp_crypto_cksum_profile_get(ct, &cp);
	/* The key's enctype follows from the checksum type unless -e says
	 * otherwise (hmac-md5 takes any key; RC4 by default). */
	if (!e && !ko.etype) {
		snprintf(etype_text, sizeof(etype_text), "%d", cp->enctype ? (int)cp->enctype : 23);
		ko.etype = etype_text;
	}
	if (!e)
		e = load_key(&ko, &key);
	if (!e)
		e = parse_usage(o->usage, &usage);
	if (!e)
		e = hex_arg("data", o->arg, &data, &dlen);
	if (!e)
		e = kssp_crypto_checksum(ct, &key, usage, data, dlen, ck, sizeof(ck), &n);
	if (!e)
		print_hex(ck, n);
	kssp_free(data);
	kssp_crypto_key_clear(&key);
	return e ? kssp_cli_fail(CMD " checksum", e) : KSSP_EXIT_OK;
}

static int run_prf(const struct crypto_opts *o)
{
	struct kssp_key key = { 0 };
	uint8_t *data = NULL, out[KSSP_CRYPTO_MAX_PRF];
	size_t dlen = 0, n;
	kssp_err e;

	if (!o->arg)
		return kssp_cli_usage_error(CMD, "prf needs DATA");
	e = load_key(o, &key);
	if (!e)
		e = hex_arg("data", o->arg, &data, &dlen);
	if (!e)
		e = kssp_crypto_prf(&key, data, dlen, out, sizeof(out), &n);
	if (!e)
		print_hex(out, n);
	kssp_free(data);
	kssp_crypto_key_clear(&key);
	return e ? kssp_cli_fail(CMD " prf", e) : KSSP_EXIT_OK;
}

static void print_aliases(const char *const *a)
{
	size_t i;

	for (i = 0; a[i]; i++)
		printf("%s%s", i ? ", " : "  (", a[i]);
	printf("%s\n", i ? ")" : "");
}

static int run_list(void)
{
	const struct kssp_enctype_profile *p;
	const struct kssp_cksum_profile *c;
	size_t n, i;

	p = kssp_crypto_profiles(&n);
	printf("enctypes:\n");
	for (i = 0; i < n; i++) {
		printf("  %4d  %-28s key %2zu  checksum %-4d", (int)p[i].enctype, p[i].name,
		    p[i].key_bytes, (int)p[i].cksumtype);
		print_aliases(p[i].aliases);
	}
	c = kssp_crypto_cksum_profiles(&n);
	printf("checksum types:\n");
	for (i = 0; i < n; i++) {
		printf("  %4d  %-28s size %2zu  key ", (int)c[i].cksumtype, c[i].name, c[i].cksum_bytes);
		printf("%-26s", c[i].enctype ? kssp_crypto_enctype_name(c[i].enctype) : "any");
		print_aliases(c[i].aliases);
	}
	return KSSP_EXIT_OK;
}

static int cmd_crypto(int argc, char **argv)
{
	struct crypto_opts o;
	int r;

	if (argc < 2)
		return kssp_cli_usage_error(CMD, "missing subcommand");
	r = parse_opts(argc, argv, &o);
	if (r != KSSP_EXIT_OK)
		return r;
	if (strcmp(argv[1], "string2key") == 0)
		return run_string2key(&o);
	if (strcmp(argv[1], "encrypt") == 0)
		return run_encrypt(&o, false);
	if (strcmp(argv[1], "decrypt") == 0)
		return run_encrypt(&o, true);
	if (strcmp(argv[1], "checksum") == 0)
		return run_checksum(&o);
	if (strcmp(argv[1], "prf") == 0)
		return run_prf(&o);
	if (strcmp(argv[1], "list") == 0)
		return run_list();
	return kssp_cli_usage_error(CMD, "unknown subcommand");
}

const struct kssp_cli_command kssp_cmd_crypto = {
	"crypto", "string-to-key, encrypt, decrypt, checksum, PRF; list enctypes",
	"usage: kssp crypto SUBCOMMAND [OPTIONS]\n"
	"\n"
	"  string2key -e ETYPE [--salt SALT] [--s2kparams HEX] (--password-file F | PASSWORD)\n"
	"  encrypt    -e ETYPE -k KEY -u USAGE [--confounder HEX] DATA\n"
	"  decrypt    -e ETYPE -k KEY -u USAGE CIPHER\n"
	"  checksum   -t CKSUMTYPE -k KEY -u USAGE [-e KEY_ETYPE] DATA\n"
	"  prf        -e ETYPE -k KEY DATA\n"
	"  list\n"
	"\n"
	"ETYPE and CKSUMTYPE are numbers or MIT names (aes256-cts-hmac-sha1-96,\n"
	"aes256-cts, hmac-sha1-96-aes256, ...). KEY, DATA, CIPHER, HEX are hex;\n"
	"SALT is text (usually REALMprincipal). Results are printed in hex.\n"
	"A decrypt whose integrity check fails exits 1 and prints no plaintext.\n"
	"The key of a checksum has the checksum type's enctype unless -e names\n"
	"one (hmac-md5 accepts any key; arcfour-hmac by default).\n",
	cmd_crypto,
};
