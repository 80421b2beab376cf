/*
 * test/tools/vectors.h - the line format of the crypto vector files shared
 * by the MIT generator/checker (mit-vectors.c), kssp's producer
 * (kssp-vectors.c) and the unit test that reads fixtures/crypto/.
 *
 * One vector per line, space-separated, byte strings in lowercase hex,
 * "-" for an empty one, '#' starts a comment line:
 *   s2k   ETYPE PASSWORD SALT S2KPARAMS KEY
 *   enc   ETYPE USAGE KEY PLAIN CIPHER
 *   cksum CKSUMTYPE KEY_ETYPE USAGE KEY DATA CHECKSUM
 *   prf   ETYPE KEY INPUT OUTPUT
 *   cf2   ETYPE1 KEY1 ETYPE2 KEY2 PEPPER1 PEPPER2 OUT_KEY
 * Message lengths and usages each generator covers are listed here so the
 * two sides cover the same ground.
 */
#ifndef KSSP_TEST_TOOLS_VECTORS_H
#define KSSP_TEST_TOOLS_VECTORS_H

static const int vec_enctypes[] = { 17, 18, 19, 20, 23, 25, 26 };
static const int vec_cksumtypes[] = { 15, 16, 19, 20, 17, 18, -138 };
static const int vec_cksum_key_etype[] = { 17, 18, 19, 20, 25, 26, 23 };
static const size_t vec_lengths[] = { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1000 };
static const unsigned vec_usages[] = { 1, 3, 9, 11, 23 };
static const size_t vec_cksum_lengths[] = { 0, 1, 16, 33, 1000 };
static const unsigned vec_cksum_usages[] = { 6, 15, 25 };

#define VEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Deterministic test bytes (xorshift64): not for keys anyone uses. */
static inline void vec_fill(unsigned long long *state, unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long long x = *state;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*state = x;
		p[i] = (unsigned char)(x >> 24);
	}
}

#endif
