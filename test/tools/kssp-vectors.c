/*
 * test/tools/kssp-vectors.c - kssp's side of the reverse interop check:
 * writes vectors computed by libkssp (fresh random confounders, the same
 * lengths, usages and types as the MIT generator, format in vectors.h) to
 * stdout, for `mit-vectors check -` to verify with MIT's library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err_int.h"
#include "crypto/crypto.h"
#include "vectors.h"

static void put_hex(const uint8_t *p, size_t n)
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

static void need(kssp_err e, const char *what)
{
	if (e) {
		fprintf(stderr, "kssp-vectors: %s: %s: %s\n", what, kssp_err_name(e), kssp_last_reason());
		exit(2);
	}
}

static void random_key(unsigned long long *st, int etype, struct kssp_key *k)
{
	const struct kssp_enctype_profile *p;
	uint8_t seed[KSSP_CRYPTO_MAX_KEY];

	need(kssp_crypto_profile_get(etype, &p), "profile");
	vec_fill(st, seed, p->seed_bytes);
	need(kssp_crypto_random_to_key(etype, seed, p->seed_bytes, k), "random_to_key");
}

static void gen_enc(unsigned long long *st)
{
	size_t i, j, k;

	for (i = 0; i < VEC_COUNT(vec_enctypes); i++)
		for (j = 0; j < VEC_COUNT(vec_usages); j++)
			for (k = 0; k < VEC_COUNT(vec_lengths); k++) {
				struct kssp_key key;
				uint8_t plain[1000], out[1100];
				size_t n;

				random_key(st, vec_enctypes[i], &key);
				vec_fill(st, plain, vec_lengths[k]);
				/* system random confounder: what production code does */
				need(kssp_crypto_encrypt(NULL, &key, vec_usages[j], plain, vec_lengths[k], out,
				    sizeof(out), &n), "encrypt");
				printf("enc %d %u", vec_enctypes[i], vec_usages[j]);
				put_hex(key.contents, key.length);
				put_hex(plain, vec_lengths[k]);
				put_hex(out, n);
				putchar('\n');
				kssp_crypto_key_clear(&key);
			}
}

static void gen_cksum(unsigned long long *st)
{
	size_t i, j, k;

	for (i = 0; i <= VEC_COUNT(vec_cksumtypes); i++)
		for (j = 0; j < VEC_COUNT(vec_cksum_usages); j++)
			for (k = 0; k < VEC_COUNT(vec_cksum_lengths); k++) {
				int ct = i < VEC_COUNT(vec_cksumtypes) ? vec_cksumtypes[i] : -138;
				int etype = i < VEC_COUNT(vec_cksumtypes) ? vec_cksum_key_etype[i] : 18;
				struct kssp_key key;
				uint8_t data[1000], ck[KSSP_CRYPTO_MAX_CKSUM];
				size_t n;

				random_key(st, etype, &key);
				vec_fill(st, data, vec_cksum_lengths[k]);
				need(kssp_crypto_checksum(ct, &key, vec_cksum_usages[j], data,
				    vec_cksum_lengths[k], ck, sizeof(ck), &n), "checksum");
				printf("cksum %d %d %u", ct, etype, vec_cksum_usages[j]);
				put_hex(key.contents, key.length);
				put_hex(data, vec_cksum_lengths[k]);
				put_hex(ck, n);
				putchar('\n');
				kssp_crypto_key_clear(&key);
			}
}

static void gen_s2k_prf_cf2(unsigned long long *st)
{
	static const char *const pws[] = { "password", "p\xc3\xa4ss", "" };
	static const char salt[] = "EXAMPLE.COMuser";
	size_t i, j;

	for (i = 0; i < VEC_COUNT(vec_enctypes); i++) {
		struct kssp_key k, k2, out;
		uint8_t in[64], prf[KSSP_CRYPTO_MAX_PRF];
		size_t n;

		for (j = 0; j < VEC_COUNT(pws); j++) {
			int etype = vec_enctypes[i];
			size_t saltlen = etype == 23 ? 0 : strlen(salt);

			need(kssp_crypto_string_to_key(etype, pws[j], strlen(pws[j]),
			    (const uint8_t *)salt, saltlen, NULL, 0, &k), "string_to_key");
			printf("s2k %d", etype);
			put_hex((const uint8_t *)pws[j], strlen(pws[j]));
			put_hex((const uint8_t *)salt, saltlen);
			put_hex(NULL, 0);
			put_hex(k.contents, k.length);
			putchar('\n');
			kssp_crypto_key_clear(&k);
		}
		random_key(st, vec_enctypes[i], &k);
		vec_fill(st, in, sizeof(in));
		need(kssp_crypto_prf(&k, in, sizeof(in), prf, sizeof(prf), &n), "prf");
		printf("prf %d", vec_enctypes[i]);
		put_hex(k.contents, k.length);
		put_hex(in, sizeof(in));
		put_hex(prf, n);
		putchar('\n');
		random_key(st, vec_enctypes[(i + 3) % VEC_COUNT(vec_enctypes)], &k2);
		need(kssp_crypto_cf2(&k, &k2, (const uint8_t *)"alpha", 5, (const uint8_t *)"beta", 4,
		    &out), "cf2");
		printf("cf2 %d", k.enctype);
		put_hex(k.contents, k.length);
		printf(" %d", k2.enctype);
		put_hex(k2.contents, k2.length);
		put_hex((const uint8_t *)"alpha", 5);
		put_hex((const uint8_t *)"beta", 4);
		put_hex(out.contents, out.length);
		putchar('\n');
		kssp_crypto_key_clear(&k);
		kssp_crypto_key_clear(&k2);
		kssp_crypto_key_clear(&out);
	}
}

int main(void)
{
	unsigned long long st = 0x6b7373702d6f7572ull;

	printf("# crypto vectors computed by kssp (test/tools/kssp-vectors)\n");
	gen_enc(&st);
	gen_cksum(&st);
	gen_s2k_prf_cf2(&st);
	return 0;
}
