/*
 * test/tools/mkpac.c - signs the PAC fixtures with MIT's krb5_pac_sign, so
 * that kssp's verifier is checked against an independent signer.
 *
 *   mkpac BODY OUTDIR
 * reads BODY (an unsigned PAC_DATA from test/tools/mkpac.py) and writes
 *   OUTDIR/aes256.pac       BODY signed with the AES256 service key
 *   OUTDIR/rc4.pac          BODY signed with the RC4 service key
 *   OUTDIR/mit-minimal.pac  an empty PAC signed as MIT's KDC signs one
 *                           (client info and signatures only), AES256 key
 * for the client alice@AD.EXAMPLE.TEST at authtime 1700000000, the KDC
 * signature always with the AES256 krbtgt key.  The keys are the bytes
 * 0x01..0x20 (service AES256), 0x41..0x50 (service RC4) and 0x81..0xa0
 * (krbtgt): test/unit/check_context_pac.c uses the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <krb5.h>

#define AUTHTIME 1700000000

static void die(krb5_context ctx, krb5_error_code code, const char *what)
{
	const char *msg = krb5_get_error_message(ctx, code);

	fprintf(stderr, "mkpac: %s: %s\n", what, msg);
	exit(1);
}

static void fill(unsigned char *p, size_t n, unsigned char first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(first + i);
}

static void write_file(const char *dir, const char *name, const krb5_data *d)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(d->data, 1, d->length, f) != d->length || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void sign(krb5_context ctx, const krb5_data *body, const krb5_keyblock *server,
    const krb5_keyblock *krbtgt, const char *dir, const char *name)
{
	krb5_principal client;
	krb5_pac pac;
	krb5_data out;
	krb5_error_code code;

	code = krb5_parse_name(ctx, "alice@AD.EXAMPLE.TEST", &client);
	if (code)
		die(ctx, code, "krb5_parse_name");
	code = body ? krb5_pac_parse(ctx, body->data, body->length, &pac) : krb5_pac_init(ctx, &pac);
	if (code)
		die(ctx, code, "krb5_pac_parse");
	code = krb5_pac_sign(ctx, pac, AUTHTIME, client, server, krbtgt, &out);
	if (code)
		die(ctx, code, "krb5_pac_sign");
	write_file(dir, name, &out);
	krb5_free_data_contents(ctx, &out);
	krb5_pac_free(ctx, pac);
	krb5_free_principal(ctx, client);
}

int main(int argc, char **argv)
{
	unsigned char aes[32], rc4[16], tgt[32], buf[65536];
	krb5_keyblock k_aes = { 0, ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, aes };
	krb5_keyblock k_rc4 = { 0, ENCTYPE_ARCFOUR_HMAC, 16, rc4 };
	krb5_keyblock k_tgt = { 0, ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, tgt };
	krb5_context ctx;
	krb5_data body;
	FILE *f;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: mkpac BODY OUTDIR\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	body.magic = 0;
	body.data = (char *)buf;
	body.length = (unsigned int)n;
	fill(aes, sizeof(aes), 0x01);
	fill(rc4, sizeof(rc4), 0x41);
	fill(tgt, sizeof(tgt), 0x81);
	if (krb5_init_context(&ctx))
		return 1;
	sign(ctx, &body, &k_aes, &k_tgt, argv[2], "aes256.pac");
	sign(ctx, &body, &k_rc4, &k_tgt, argv[2], "rc4.pac");
	sign(ctx, NULL, &k_aes, &k_tgt, argv[2], "mit-minimal.pac");
	krb5_free_context(ctx);
	return 0;
}
