/*
 * test/tools/mit-vectors.c - MIT krb5's libk5crypto as the reference for
 * kssp's crypto layer (this tool, not libkssp, links MIT).
 *
 *   mit-vectors gen          writes vectors computed by MIT to stdout
 *                            (fixtures/crypto/mit-vectors.txt is its output)
 *   mit-vectors check FILE   checks every vector of FILE ("-": stdin) with
 *                            MIT: decrypts ciphertexts, verifies checksums,
 *                            recomputes keys, PRF and CF2 outputs.  Fed
 *                            kssp-vectors' output, it proves MIT accepts
 *                            what kssp produces.
 * Format: test/tools/vectors.h.  KRB5_CONFIG is pointed at /dev/null so
 * no system configuration is read.
 */
#include <krb5/krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

static krb5_context ctx;

static void die(const char *what, krb5_error_code code)
{
	fprintf(stderr, "mit-vectors: %s: %s\n", what, krb5_get_error_message(ctx, code));
	exit(2);
}

static void put_hex(const unsigned char *p, size_t n)
{
	size_t i;

	putchar(' ');
	if (n == 0) {
		putchar('-');
		return;
	}
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void make_key(unsigned long long *st, int etype, krb5_keyblock *kb, unsigned char *buf)
{
	size_t keybytes, keylength;
	krb5_data seed;
	unsigned char rnd[64];
	krb5_error_code e = krb5_c_keylengths(ctx, etype, &keybytes, &keylength);

	if (e)
		die("keylengths", e);
	vec_fill(st, rnd, keybytes);
	seed.data = (char *)rnd;
	seed.length = (unsigned)keybytes;
	kb->enctype = etype;
	kb->length = (unsigned)keylength;
	kb->contents = buf;
	e = krb5_c_random_to_key(ctx, etype, &seed, kb);
	if (e)
		die("random_to_key", e);
}

static void gen_s2k(void)
{
	static const char *const pws[] = { "password", "", "\xf0\x9d\x84\x9e",
		"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" };
	static const char *const salts[] = { "ATHENA.MIT.EDUraeburn", "", "EXAMPLE.COMpianist",
		"EXAMPLE.COMuser" };
	/* MIT refuses counts below its defaults outside its own test builds. */
	static const unsigned char iter_aes[4] = { 0, 0, 0x10, 0x01 }, iter_new[4] = { 0, 0, 0x80, 0x01 };
	size_t i, j, k;

	for (i = 0; i < VEC_COUNT(vec_enctypes); i++)
		for (j = 0; j < VEC_COUNT(pws); j++)
			for (k = 0; k < 2; k++) {
				int etype = vec_enctypes[i];
				krb5_data pw = { 0, (unsigned)strlen(pws[j]), (char *)pws[j] };
				krb5_data salt = { 0, (unsigned)strlen(salts[j]), (char *)salts[j] };
				const unsigned char *iter = etype == 17 || etype == 18 ? iter_aes : iter_new;
				krb5_data params = { 0, 4, (char *)iter };
				krb5_keyblock key;
				krb5_error_code e;
				int with_params = k == 1 && etype != 23;

				e = krb5_c_string_to_key_with_params(ctx, etype, &pw, &salt,
				    with_params ? &params : NULL, &key);
				if (e)
					die("string_to_key", e);
				printf("s2k %d", etype);
				put_hex((const unsigned char *)pws[j], pw.length);
				put_hex((const unsigned char *)salts[j], salt.length);
				put_hex(iter, with_params ? 4 : 0);
				put_hex(key.contents, key.length);
				putchar('\n');
				krb5_free_keyblock_contents(ctx, &key);
			}
}

static void gen_enc(unsigned long long *st)
{
	size_t i, j, k;

	for (i = 0; i < VEC_COUNT(vec_enctypes); i++)
		for (j = 0; j < VEC_COUNT(vec_usages); j++)
			for (k = 0; k < VEC_COUNT(vec_lengths); k++) {
				int etype = vec_enctypes[i];
				unsigned char kbuf[64], plain[1000], cbuf[1100];
				krb5_keyblock kb;
				krb5_data in;
				krb5_enc_data out;
				size_t clen;
				krb5_error_code e;

				make_key(st, etype, &kb, kbuf);
				vec_fill(st, plain, vec_lengths[k]);
				in.data = (char *)plain;
				in.length = (unsigned)vec_lengths[k];
				e = krb5_c_encrypt_length(ctx, etype, in.length, &clen);
				if (e)
					die("encrypt_length", e);
				out.ciphertext.data = (char *)cbuf;
				out.ciphertext.length = (unsigned)clen;
				e = krb5_c_encrypt(ctx, &kb, vec_usages[j], NULL, &in, &out);
				if (e)
					die("encrypt", e);
				printf("enc %d %u", etype, vec_usages[j]);
				put_hex(kb.contents, kb.length);
				put_hex(plain, in.length);
				put_hex(cbuf, out.ciphertext.length);
				putchar('\n');
			}
}

static void gen_cksum(unsigned long long *st)
{
	size_t i, j, k;

	for (i = 0; i <= VEC_COUNT(vec_cksumtypes); i++)
		for (j = 0; j < VEC_COUNT(vec_cksum_usages); j++)
			for (k = 0; k < VEC_COUNT(vec_cksum_lengths); k++) {
				/* The extra round: hmac-md5 keyed with an AES key (MS-SFU). */
				int ct = i < VEC_COUNT(vec_cksumtypes) ? vec_cksumtypes[i] : -138;
				int etype = i < VEC_COUNT(vec_cksumtypes) ? vec_cksum_key_etype[i] : 18;
				unsigned char kbuf[64], data[1000];
				krb5_keyblock kb;
				krb5_data in;
				krb5_checksum ck;
				krb5_error_code e;

				make_key(st, etype, &kb, kbuf);
				vec_fill(st, data, vec_cksum_lengths[k]);
				in.data = (char *)data;
				in.length = (unsigned)vec_cksum_lengths[k];
				e = krb5_c_make_checksum(ctx, ct, &kb, vec_cksum_usages[j], &in, &ck);
				if (e)
					die("make_checksum", e);
				printf("cksum %d %d %u", ct, etype, vec_cksum_usages[j]);
				put_hex(kb.contents, kb.length);
				put_hex(data, in.length);
				put_hex(ck.contents, ck.length);
				putchar('\n');
				krb5_free_checksum_contents(ctx, &ck);
			}
}

static void gen_prf_cf2(unsigned long long *st)
{
	static const size_t prf_lengths[] = { 0, 4, 100 };
	static const int pairs[][2] = { { 17, 17 }, { 18, 17 }, { 19, 20 }, { 20, 19 }, { 25, 26 },
		{ 26, 18 }, { 23, 18 }, { 18, 23 } };
	size_t i, j;

	for (i = 0; i < VEC_COUNT(vec_enctypes); i++)
		for (j = 0; j < VEC_COUNT(prf_lengths); j++) {
			unsigned char kbuf[64], in[100], obuf[64];
			krb5_keyblock kb;
			krb5_data din, dout;
			size_t olen;
			krb5_error_code e;

			make_key(st, vec_enctypes[i], &kb, kbuf);
			vec_fill(st, in, prf_lengths[j]);
			if ((e = krb5_c_prf_length(ctx, kb.enctype, &olen)) != 0)
				die("prf_length", e);
			din.data = (char *)in;
			din.length = (unsigned)prf_lengths[j];
			dout.data = (char *)obuf;
			dout.length = (unsigned)olen;
			if ((e = krb5_c_prf(ctx, &kb, &din, &dout)) != 0)
				die("prf", e);
			printf("prf %d", kb.enctype);
			put_hex(kb.contents, kb.length);
			put_hex(in, din.length);
			put_hex(obuf, olen);
			putchar('\n');
		}
	for (i = 0; i < VEC_COUNT(pairs); i++) {
		unsigned char b1[64], b2[64];
		krb5_keyblock k1, k2, *out;
		krb5_error_code e;

		make_key(st, pairs[i][0], &k1, b1);
		make_key(st, pairs[i][1], &k2, b2);
		if ((e = krb5_c_fx_cf2_simple(ctx, &k1, "pepper one", &k2, "second pepper", &out)) != 0)
			die("cf2", e);
		printf("cf2 %d", k1.enctype);
		put_hex(k1.contents, k1.length);
		printf(" %d", k2.enctype);
		put_hex(k2.contents, k2.length);
		put_hex((const unsigned char *)"pepper one", 10);
		put_hex((const unsigned char *)"second pepper", 13);
		put_hex(out->contents, out->length);
		putchar('\n');
		krb5_free_keyblock(ctx, out);
	}
}

/* ---- check ------------------------------------------------------------ */

/* Decodes a hex field ("-" = empty) into a malloc'd buffer. */
static unsigned char *unhex(const char *s, unsigned *len)
{
	size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2, i;
	unsigned char *p = malloc(n + 1);

	if (!p)
		exit(2);
	for (i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		p[i] = (unsigned char)v;
	}
	*len = (unsigned)n;
	return p;
}

static int check_line(char *line)
{
	char *f[10];
	int nf = 0, ok = 0;
	unsigned l[10] = { 0 };
	unsigned char *b[10] = { 0 };
	char *tok = strtok(line, " \n");
	krb5_error_code e;
	int i;

	while (tok && nf < 10) {
		f[nf++] = tok;
		tok = strtok(NULL, " \n");
	}
	if (nf == 0 || f[0][0] == '#')
		return -1;
	if (strcmp(f[0], "enc") == 0 && nf == 6) {
		krb5_keyblock kb;
		krb5_enc_data in;
		krb5_data out;

		b[3] = unhex(f[3], &l[3]);
		b[4] = unhex(f[4], &l[4]);
		b[5] = unhex(f[5], &l[5]);
		kb.enctype = atoi(f[1]);
		kb.length = l[3];
		kb.contents = b[3];
		memset(&in, 0, sizeof(in));
		in.enctype = kb.enctype;
		in.ciphertext.data = (char *)b[5];
		in.ciphertext.length = l[5];
		out.data = malloc(l[5] + 1);
		out.length = l[5];
		e = krb5_c_decrypt(ctx, &kb, (krb5_keyusage)atoi(f[2]), NULL, &in, &out);
		ok = !e && out.length == l[4] && memcmp(out.data, b[4], l[4]) == 0;
		free(out.data);
	} else if (strcmp(f[0], "cksum") == 0 && nf == 7) {
		krb5_keyblock kb;
		krb5_data data;
		krb5_checksum ck;
		krb5_boolean valid = 0;

		b[4] = unhex(f[4], &l[4]);
		b[5] = unhex(f[5], &l[5]);
		b[6] = unhex(f[6], &l[6]);
		kb.enctype = atoi(f[2]);
		kb.length = l[4];
		kb.contents = b[4];
		data.data = (char *)b[5];
		data.length = l[5];
		ck.checksum_type = atoi(f[1]);
		ck.length = l[6];
		ck.contents = b[6];
		e = krb5_c_verify_checksum(ctx, &kb, (krb5_keyusage)atoi(f[3]), &data, &ck, &valid);
		ok = !e && valid;
	} else if (strcmp(f[0], "s2k") == 0 && nf == 6) {
		krb5_data pw, salt, params;
		krb5_keyblock key;

		b[2] = unhex(f[2], &l[2]);
		b[3] = unhex(f[3], &l[3]);
		b[4] = unhex(f[4], &l[4]);
		b[5] = unhex(f[5], &l[5]);
		pw.data = (char *)b[2], pw.length = l[2];
		salt.data = (char *)b[3], salt.length = l[3];
		params.data = (char *)b[4], params.length = l[4];
		e = krb5_c_string_to_key_with_params(ctx, atoi(f[1]), &pw, &salt,
		    l[4] ? &params : NULL, &key);
		ok = !e && key.length == l[5] && memcmp(key.contents, b[5], l[5]) == 0;
		if (!e)
			krb5_free_keyblock_contents(ctx, &key);
	} else if (strcmp(f[0], "prf") == 0 && nf == 5) {
		krb5_keyblock kb;
		krb5_data in, out;
		unsigned char obuf[64];

		b[2] = unhex(f[2], &l[2]);
		b[3] = unhex(f[3], &l[3]);
		b[4] = unhex(f[4], &l[4]);
		kb.enctype = atoi(f[1]), kb.length = l[2], kb.contents = b[2];
		in.data = (char *)b[3], in.length = l[3];
		out.data = (char *)obuf, out.length = l[4];
		e = l[4] <= sizeof(obuf) ? krb5_c_prf(ctx, &kb, &in, &out) : KRB5_BAD_MSIZE;
		ok = !e && memcmp(obuf, b[4], l[4]) == 0;
	} else if (strcmp(f[0], "cf2") == 0 && nf == 8) {
		krb5_keyblock k1, k2, *out;
		char p1[64] = { 0 }, p2[64] = { 0 };

		b[2] = unhex(f[2], &l[2]);
		b[4] = unhex(f[4], &l[4]);
		b[5] = unhex(f[5], &l[5]);
		b[6] = unhex(f[6], &l[6]);
		b[7] = unhex(f[7], &l[7]);
		k1.enctype = atoi(f[1]), k1.length = l[2], k1.contents = b[2];
		k2.enctype = atoi(f[3]), k2.length = l[4], k2.contents = b[4];
		memcpy(p1, b[5], l[5] < 63 ? l[5] : 63);
		memcpy(p2, b[6], l[6] < 63 ? l[6] : 63);
		e = krb5_c_fx_cf2_simple(ctx, &k1, p1, &k2, p2, &out);
		ok = !e && out->length == l[7] && memcmp(out->contents, b[7], l[7]) == 0;
		if (!e)
			krb5_free_keyblock(ctx, out);
	} else {
		fprintf(stderr, "mit-vectors: malformed line (%s, %d fields)\n", f[0], nf);
	}
	for (i = 0; i < 10; i++)
		free(b[i]);
	return ok;
}

static int check(const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	static char line[1 << 16];
	unsigned long good = 0, bad = 0, lineno = 0;

	if (!in) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), in)) {
		char copy[80];
		int r;

		lineno++;
		memcpy(copy, line, sizeof(copy) - 1);
		copy[sizeof(copy) - 1] = 0;
		r = check_line(line);
		if (r == 1)
			good++;
		else if (r == 0) {
			bad++;
			fprintf(stderr, "mit-vectors: line %lu FAILED: %.60s...\n", lineno, copy);
		}
	}
	if (in != stdin)
		fclose(in);
	printf("mit-vectors: MIT checked %lu vectors: %lu good, %lu bad\n", good + bad, good, bad);
	return bad || good == 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long st = 0x6b7373702d766563ull; /* fixed: reproducible keys and data */
	krb5_error_code e;

	setenv("KRB5_CONFIG", "/dev/null", 1);
	if ((e = krb5_init_context(&ctx)) != 0) {
		fprintf(stderr, "mit-vectors: krb5_init_context failed (%d)\n", (int)e);
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "gen") == 0) {
		printf("# crypto vectors computed by MIT krb5 libk5crypto (test/tools/mit-vectors gen)\n");
		gen_s2k();
		gen_enc(&st);
		gen_cksum(&st);
		gen_prf_cf2(&st);
		krb5_free_context(ctx);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "check") == 0) {
		int r = check(argv[2]);

		krb5_free_context(ctx);
		return r;
	}
	fprintf(stderr, "usage: mit-vectors gen | mit-vectors check FILE\n");
	return 2;
}
