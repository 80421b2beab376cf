/*
 * test/unit/check_crypto_mit.c - every vector MIT's libk5crypto produced
 * (fixtures/crypto/mit-vectors.txt, written by test/tools/mit-vectors gen;
 * format in test/tools/vectors.h) is decrypted, verified and re-derived by
 * kssp with identical results.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes_int.h"
#include "base/text_int.h"
#include "crypto/crypto.h"
#include "testutil.h"

#define MAXF 10

struct vline {
	char *f[MAXF];
	int nf;
	uint8_t *b[MAXF];
	size_t l[MAXF];
};

/* Splits a line and decodes every field as hex where it is hex ("-": empty). */
static void split(char *line, struct vline *v)
{
	char *tok = strtok(line, " \n");
	int i;

	memset(v, 0, sizeof(*v));
	while (tok && v->nf < MAXF) {
		v->f[v->nf++] = tok;
		tok = strtok(NULL, " \n");
	}
	for (i = 1; i < v->nf; i++) {
		struct kssp_writer w;

		kssp_writer_init_growable(&w, 0);
		if (strcmp(v->f[i], "-") != 0)
			kssp_hex_decode(&w, v->f[i], strlen(v->f[i]));
		kssp_writer_put_u8(&w, 0); /* keep a buffer even when empty */
		if (kssp_writer_detach(&w, &v->b[i], &v->l[i]) == KSSP_OK)
			v->l[i]--;
	}
}

static void free_line(struct vline *v)
{
	int i;

	for (i = 0; i < MAXF; i++)
		free(v->b[i]);
}

static struct kssp_key key_of(const char *etype, const uint8_t *b, size_t l)
{
	struct kssp_key k;

	ck_assert_int_eq(kssp_crypto_key_init(&k, atoi(etype), b, l), KSSP_OK);
	return k;
}

static void check_enc(struct vline *v)
{
	struct kssp_key k = key_of(v->f[1], v->b[3], v->l[3]);
	uint8_t *out = malloc(v->l[5] + 1);
	size_t n;

	ck_assert_msg(kssp_crypto_decrypt(&k, (uint32_t)atoi(v->f[2]), v->b[5], v->l[5], out,
	    v->l[5], &n) == KSSP_OK, "enctype %s usage %s: %s", v->f[1], v->f[2], kssp_last_reason());
	ck_assert_uint_eq(n, v->l[4]);
	ck_assert_mem_eq(out, v->b[4], n);
	free(out);
	kssp_crypto_key_clear(&k);
}

static void check_cksum(struct vline *v)
{
	struct kssp_key k = key_of(v->f[2], v->b[4], v->l[4]);
	uint8_t out[KSSP_CRYPTO_MAX_CKSUM];
	size_t n;

	ck_assert_int_eq(kssp_crypto_checksum(atoi(v->f[1]), &k, (uint32_t)atoi(v->f[3]), v->b[5],
	    v->l[5], out, sizeof(out), &n), KSSP_OK);
	ck_assert_uint_eq(n, v->l[6]);
	ck_assert_mem_eq(out, v->b[6], n);
	ck_assert_int_eq(kssp_crypto_verify_checksum(atoi(v->f[1]), &k, (uint32_t)atoi(v->f[3]),
	    v->b[5], v->l[5], v->b[6], v->l[6]), KSSP_OK);
	kssp_crypto_key_clear(&k);
}

static void check_s2k(struct vline *v)
{
	struct kssp_key k;

	ck_assert_int_eq(kssp_crypto_string_to_key(atoi(v->f[1]), (const char *)v->b[2], v->l[2],
	    v->b[3], v->l[3], v->b[4], v->l[4], &k), KSSP_OK);
	ck_assert_uint_eq(k.length, v->l[5]);
	ck_assert_mem_eq(k.contents, v->b[5], k.length);
	kssp_crypto_key_clear(&k);
}

static void check_prf(struct vline *v)
{
	struct kssp_key k = key_of(v->f[1], v->b[2], v->l[2]);
	uint8_t out[KSSP_CRYPTO_MAX_PRF];
	size_t n;

	ck_assert_int_eq(kssp_crypto_prf(&k, v->b[3], v->l[3], out, sizeof(out), &n), KSSP_OK);
	ck_assert_uint_eq(n, v->l[4]);
	ck_assert_mem_eq(out, v->b[4], n);
	kssp_crypto_key_clear(&k);
}

static void check_cf2(struct vline *v)
{
	struct kssp_key k1 = key_of(v->f[1], v->b[2], v->l[2]);
	struct kssp_key k2 = key_of(v->f[3], v->b[4], v->l[4]);
	struct kssp_key out;

	ck_assert_int_eq(kssp_crypto_cf2(&k1, &k2, v->b[5], v->l[5], v->b[6], v->l[6], &out), KSSP_OK);
	ck_assert_int_eq(out.enctype, k1.enctype);
	ck_assert_uint_eq(out.length, v->l[7]);
	ck_assert_mem_eq(out.contents, v->b[7], out.length);
	kssp_crypto_key_clear(&k1);
	kssp_crypto_key_clear(&k2);
	kssp_crypto_key_clear(&out);
}

START_TEST(mit_vectors_all_match)
{
	FILE *f = fopen(tu_fixture("crypto/mit-vectors.txt"), "r");
	static char line[1 << 16];
	unsigned long counts[5] = { 0 };
	static const char *const kinds[5] = { "enc", "cksum", "s2k", "prf", "cf2" };
	static const int fields[5] = { 6, 7, 6, 5, 8 };
	int etypes_seen[32] = { 0 };

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		struct vline v;
		int kind;

		if (line[0] == '#')
			continue;
		split(line, &v);
		for (kind = 0; kind < 5; kind++)
			if (v.nf > 0 && strcmp(v.f[0], kinds[kind]) == 0)
				break;
		ck_assert_msg(kind < 5 && v.nf == fields[kind], "malformed fixture line");
		if (kind == 0) {
			check_enc(&v);
			etypes_seen[atoi(v.f[1]) & 31] = 1;
		} else if (kind == 1) {
			check_cksum(&v);
		} else if (kind == 2) {
			check_s2k(&v);
		} else if (kind == 3) {
			check_prf(&v);
		} else {
			check_cf2(&v);
		}
		counts[kind]++;
		free_line(&v);
	}
	fclose(f);
	/* Coverage: every enctype, >= 300 vectors. */
	ck_assert(etypes_seen[17] && etypes_seen[18] && etypes_seen[19] && etypes_seen[20] &&
	    etypes_seen[23] && etypes_seen[25] && etypes_seen[26]);
	ck_assert_uint_ge(counts[0] + counts[1] + counts[2] + counts[3] + counts[4], 300);
	ck_assert_uint_ge(counts[0], 300);
	ck_assert_uint_ge(counts[1], 35);
	ck_assert_uint_ge(counts[2], 14);
}
END_TEST

Suite *kssp_suite_crypto_mit(void);
Suite *kssp_suite_crypto_mit(void)
{
	Suite *s = suite_create("crypto_mit");
	TCase *t = tcase_create("mit");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, mit_vectors_all_match);
	suite_add_tcase(s, t);
	return s;
}
