/*
 * test/unit/check_crypto_api.c - the crypto layer's contract beyond the
 * vectors: exhaustive single-bit flips, unsupported enctypes, names,
 * lengths, in-place and overlapping buffers, the derived-key cache, no
 * allocation per message, and the RFC 4757 pieces for the GSS layer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"
#include "crypto/crypto.h"
#include "memfault.h"
#include "testutil.h"

static const int32_t all_etypes[] = { 17, 18, 19, 20, 23, 25, 26 };
#define N_ETYPES (sizeof(all_etypes) / sizeof(all_etypes[0]))

/* A random hook that counts up from a seed: deterministic confounders. */
static kssp_err counting_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf, *seed = arg;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (*seed)++;
	return KSSP_OK;
}

static void make_key(int32_t etype, uint8_t fill, struct kssp_key *k)
{
	uint8_t b[KSSP_CRYPTO_MAX_KEY];
	size_t n;

	ck_assert_int_eq(kssp_crypto_key_bytes(etype, &n), KSSP_OK);
	memset(b, fill, sizeof(b));
	b[0] ^= (uint8_t)etype;
	ck_assert_int_eq(kssp_crypto_key_init(k, etype, b, n), KSSP_OK);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Every single-bit flip of a ciphertext fails integrity and leaves no
 * plaintext behind. */
START_TEST(bitflip_ciphertexts)
{
	static const size_t lens[] = { 0, 1, 17, 33 };
	int32_t etype = all_etypes[_i];
	struct kssp_key k;
	size_t li;

	make_key(etype, 0x5a, &k);
	for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		uint8_t plain[64], ct[128], work[128];
		size_t clen, n, bit;

		memset(plain, 0xA5, sizeof(plain));
		ck_assert_int_eq(kssp_crypto_encrypt(NULL, &k, 7, plain, lens[li], ct, sizeof(ct), &clen),
		    KSSP_OK);
		ck_assert_int_eq(kssp_crypto_decrypt(&k, 7, ct, clen, work, sizeof(work), &n), KSSP_OK);
		ck_assert_uint_eq(n, lens[li]);
		for (bit = 0; bit < clen * 8; bit++) {
			memcpy(work, ct, clen);
			work[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			ck_assert_msg(kssp_crypto_decrypt(&k, 7, work, clen, work, sizeof(work), &n) ==
			    KRB_AP_ERR_BAD_INTEGRITY, "etype %d len %zu bit %zu accepted", etype, lens[li], bit);
			ck_assert(all_zero(work, clen));
		}
		/* the right ciphertext under the wrong usage fails too */
		ck_assert_int_eq(kssp_crypto_decrypt(&k, 8, ct, clen, work, sizeof(work), &n),
		    KRB_AP_ERR_BAD_INTEGRITY);
	}
	kssp_crypto_key_clear(&k);
}
END_TEST

START_TEST(bitflip_checksums)
{
	static const int32_t ctypes[] = { 15, 16, 19, 20, 17, 18, -138 };
	static const int32_t ketypes[] = { 17, 18, 19, 20, 25, 26, 23 };
	uint8_t data[40], ck[KSSP_CRYPTO_MAX_CKSUM];
	struct kssp_key k;
	size_t n, bit;

	make_key(ketypes[_i], 0x33, &k);
	memset(data, 0x42, sizeof(data));
	ck_assert_int_eq(kssp_crypto_checksum(ctypes[_i], &k, 25, data, sizeof(data), ck, sizeof(ck),
	    &n), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_verify_checksum(ctypes[_i], &k, 25, data, sizeof(data), ck, n),
	    KSSP_OK);
	for (bit = 0; bit < n * 8; bit++) {
		ck[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_int_eq(kssp_crypto_verify_checksum(ctypes[_i], &k, 25, data, sizeof(data), ck,
		    n), KRB_AP_ERR_BAD_INTEGRITY);
		ck[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	for (bit = 0; bit < sizeof(data) * 8; bit++) {
		data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_int_eq(kssp_crypto_verify_checksum(ctypes[_i], &k, 25, data, sizeof(data), ck,
		    n), KRB_AP_ERR_BAD_INTEGRITY);
		data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(kssp_crypto_verify_checksum(ctypes[_i], &k, 24, data, sizeof(data), ck, n),
	    KRB_AP_ERR_BAD_INTEGRITY);
	kssp_crypto_key_clear(&k);
}
END_TEST

START_TEST(unsupported_enctypes_are_named)
{
	static const int32_t bad[] = { 1, 3, 16, 24, 0, 99, -1 };
	struct kssp_key k;
	uint8_t b[32] = { 0 };
	size_t i, n;
	int32_t e;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_null(kssp_crypto_profile(bad[i]));
		ck_assert_int_eq(kssp_crypto_key_init(&k, bad[i], b, 16), KDC_ERR_ETYPE_NOSUPP);
		ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "not supported"));
		ck_assert_int_eq(kssp_crypto_encrypt_len(bad[i], 10, &n), KDC_ERR_ETYPE_NOSUPP);
		ck_assert_int_eq(kssp_crypto_string_to_key(bad[i], "p", 1, NULL, 0, NULL, 0, &k),
		    KDC_ERR_ETYPE_NOSUPP);
	}
	ck_assert_int_eq(kssp_crypto_key_init(&k, 16, b, 24), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_str_eq(kssp_last_reason(), "enctype 16 (des3-cbc-sha1) not supported");
	ck_assert_int_eq(kssp_crypto_enctype_from_name("des3-hmac-sha1", &e), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_crypto_enctype_from_name("des-cbc-crc", &e), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_crypto_enctype_from_name("arcfour-hmac-exp", &e), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_crypto_enctype_from_name("no-such-thing", &e), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_crypto_cksumtype_from_name("hmac-sha1-des3-kd", &e),
	    KDC_ERR_SUMTYPE_NOSUPP);
	ck_assert_int_eq(kssp_crypto_cksumtype_from_name("7", &e), KDC_ERR_SUMTYPE_NOSUPP);
}
END_TEST

START_TEST(names_and_aliases)
{
	static const struct { const char *name; int32_t etype; } names[] = {
		{ "aes256-cts-hmac-sha1-96", 18 }, { "aes256-cts", 18 }, { "AES128-CTS", 17 },
		{ "aes128-sha1", 17 }, { "aes128-cts-hmac-sha256-128", 19 }, { "aes128-sha2", 19 },
		{ "aes256-cts-hmac-sha384-192", 20 }, { "aes256-sha2", 20 }, { "arcfour-hmac", 23 },
		{ "rc4-hmac", 23 }, { "arcfour-hmac-md5", 23 }, { "camellia128-cts-cmac", 25 },
		{ "camellia256-cts", 26 }, { "18", 18 }, { "23", 23 },
	};
	size_t i, n;
	int32_t e, c;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_int_eq(kssp_crypto_enctype_from_name(names[i].name, &e), KSSP_OK);
		ck_assert_int_eq(e, names[i].etype);
	}
	ck_assert_str_eq(kssp_crypto_enctype_name(26), "camellia256-cts-cmac");
	ck_assert_str_eq(kssp_crypto_enctype_name(24), "arcfour-hmac-exp");
	ck_assert_ptr_null(kssp_crypto_enctype_name(12345));
	ck_assert_int_eq(kssp_crypto_cksumtype_from_name("hmac-md5", &c), KSSP_OK);
	ck_assert_int_eq(c, -138);
	ck_assert_int_eq(kssp_crypto_cksumtype_from_name("-138", &c), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_cksumtype_from_name("cmac-camellia256", &c), KSSP_OK);
	ck_assert_int_eq(c, 18);
	ck_assert_str_eq(kssp_crypto_cksumtype_name(20), "hmac-sha384-192-aes256");
	/* required checksum and sizes (RFC 4121 trailers) */
	ck_assert_int_eq(kssp_crypto_enctype_cksumtype(18, &c), KSSP_OK);
	ck_assert_int_eq(c, 16);
	ck_assert_int_eq(kssp_crypto_checksum_bytes(c, &n), KSSP_OK);
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(kssp_crypto_enctype_cksumtype(20, &c), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_checksum_bytes(c, &n), KSSP_OK);
	ck_assert_uint_eq(n, 24);
	ck_assert_int_eq(kssp_crypto_enctype_cksumtype(23, &c), KSSP_OK);
	ck_assert_int_eq(c, -138);
	kssp_crypto_profiles(&n);
	ck_assert_uint_eq(n, 7);
	kssp_crypto_cksum_profiles(&n);
	ck_assert_uint_eq(n, 7);
}
END_TEST

/* The lookups by number find every table entry as itself. */
START_TEST(lookup_by_number_finds_each_entry)
{
	const struct kssp_enctype_profile *ep;
	const struct kssp_cksum_profile *cp;
	size_t n, i;

	ep = kssp_crypto_profiles(&n);
	for (i = 0; i < n; i++)
		ck_assert_ptr_eq(kssp_crypto_profile(ep[i].enctype), &ep[i]);
	cp = kssp_crypto_cksum_profiles(&n);
	for (i = 0; i < n; i++)
		ck_assert_ptr_eq(kssp_crypto_cksum_profile(cp[i].cksumtype), &cp[i]);
	ck_assert_ptr_null(kssp_crypto_profile(16));
	ck_assert_ptr_null(kssp_crypto_profile(24));
	ck_assert_ptr_null(kssp_crypto_cksum_profile(14));
}
END_TEST

START_TEST(lengths_and_short_ciphertexts)
{
	int32_t etype = all_etypes[_i];
	const struct kssp_enctype_profile *p = kssp_crypto_profile(etype);
	struct kssp_key k;
	uint8_t buf[128];
	size_t n, len, min = p->confounder_bytes + p->trailer_bytes;

	ck_assert_int_eq(kssp_crypto_encrypt_len(etype, 100, &n), KSSP_OK);
	ck_assert_uint_eq(n, 100 + min);
	ck_assert_int_eq(kssp_crypto_decrypt_len(etype, n, &len), KSSP_OK);
	ck_assert_uint_eq(len, 100);
	ck_assert_int_eq(kssp_crypto_encrypt_len(etype, SIZE_MAX - 3, &n), KSSP_ERR_LIMIT);
	make_key(etype, 1, &k);
	memset(buf, 0x77, sizeof(buf));
	for (len = 0; len < min; len++) {
		ck_assert_int_eq(kssp_crypto_decrypt_len(etype, len, &n), KRB_AP_ERR_BAD_INTEGRITY);
		ck_assert_int_eq(kssp_crypto_decrypt(&k, 1, buf, len, buf, sizeof(buf), &n),
		    KRB_AP_ERR_BAD_INTEGRITY);
		ck_assert(all_zero(buf, len));
		memset(buf, 0x77, sizeof(buf));
	}
	/* caller mistakes */
	ck_assert_int_eq(kssp_crypto_encrypt(NULL, &k, 1, buf, 10, buf, 10 + min - 1, &n),
	    KSSP_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(kssp_crypto_key_init(&k, etype, buf, p->key_bytes + 1), KSSP_ERR_INVALID_ARG);
	kssp_crypto_key_clear(&k);
	ck_assert_int_eq(kssp_crypto_decrypt(&k, 1, buf, 64, buf, sizeof(buf), &n),
	    KDC_ERR_ETYPE_NOSUPP);
}
END_TEST

/* Encrypting from a separate buffer, in the in-place layout (plaintext
 * already after the confounder), fully in place and with odd overlaps all
 * give the same ciphertext; decrypting in place gives the plaintext back. */
START_TEST(in_place_and_overlap)
{
	int32_t etype = all_etypes[_i];
	const struct kssp_enctype_profile *p = kssp_crypto_profile(etype);
	struct kssp_key k;
	uint8_t plain[300], ref[400], buf[500];
	uint8_t seed;
	struct kssp_hooks h = { 0 };
	size_t n, m, off, body = etype == 23 ? 16 + 8 : p->confounder_bytes;

	for (n = 0; n < sizeof(plain); n++)
		plain[n] = (uint8_t)(n * 7);
	h.random = counting_random;
	h.random_arg = &seed;
	make_key(etype, 9, &k);
	seed = 1;
	ck_assert_int_eq(kssp_crypto_encrypt(&h, &k, 22, plain, sizeof(plain), ref, sizeof(ref), &n),
	    KSSP_OK);
	for (off = 0; off <= body + 3; off++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf + off, plain, sizeof(plain));
		seed = 1;
		ck_assert_int_eq(kssp_crypto_encrypt(&h, &k, 22, buf + off, sizeof(plain), buf,
		    sizeof(buf), &m), KSSP_OK);
		ck_assert_uint_eq(m, n);
		ck_assert_mem_eq(buf, ref, n);
		ck_assert_int_eq(kssp_crypto_decrypt(&k, 22, buf, m, buf, m, &m), KSSP_OK);
		ck_assert_uint_eq(m, sizeof(plain));
		ck_assert_mem_eq(buf, plain, m);
	}
	/* output after the input, overlapping */
	memcpy(buf, plain, sizeof(plain));
	seed = 1;
	ck_assert_int_eq(kssp_crypto_encrypt(&h, &k, 22, buf, sizeof(plain), buf + 5, sizeof(buf) - 5,
	    &m), KSSP_OK);
	ck_assert_mem_eq(buf + 5, ref, n);
	kssp_crypto_key_clear(&k);
}
END_TEST

/* An EncryptedData sealed or opened once, or a single-buffer checksum,
 * derives its keys on the stack:
 * the key's cache stays unallocated, and a usage cached before is used. */
START_TEST(seal_and_open_derive_on_the_stack)
{
	int32_t etype = all_etypes[_i];
	struct kssp_key k;
	uint8_t plain[40], *ct, *back;
	size_t n, m;

	memset(plain, 5, sizeof(plain));
	make_key(etype, 0x22, &k);
	ck_assert_int_eq(kssp_crypto_seal(NULL, &k, 3, plain, sizeof(plain), &ct, &n), KSSP_OK);
	ck_assert_ptr_null(k.cache);
	ck_assert_int_eq(kssp_crypto_open(&k, 3, etype, ct, n, "test", &back, &m), KSSP_OK);
	ck_assert_ptr_null(k.cache);
	if (etype != 23) { /* a single-buffer checksum (PAC, KDC requests) is one-shot too */
		const struct kssp_enctype_profile *p;
		uint8_t ck[KSSP_CRYPTO_MAX_CKSUM];
		size_t cl;

		ck_assert_int_eq(kssp_crypto_profile_get(etype, &p), KSSP_OK);
		ck_assert_int_eq(kssp_crypto_checksum(p->cksumtype, &k, 17, plain, sizeof(plain), ck,
		    sizeof(ck), &cl), KSSP_OK);
		ck_assert_int_eq(kssp_crypto_verify_checksum(p->cksumtype, &k, 17, plain,
		    sizeof(plain), ck, cl), KSSP_OK);
		ck_assert_ptr_null(k.cache);
	}
	ck_assert_uint_eq(m, sizeof(plain));
	ck_assert_mem_eq(back, plain, m);
	kssp_free(back);
	/* a usage already cached: opening uses it and allocates nothing */
	ck_assert_int_eq(kssp_crypto_decrypt(&k, 3, ct, n, ct, n, &m), KSSP_OK);
	ck_assert_ptr_nonnull(k.cache);
	kssp_free(ct);
	ck_assert_int_eq(kssp_crypto_seal(NULL, &k, 3, plain, sizeof(plain), &ct, &n), KSSP_OK);
	kssp_alloc_fail_after(2); /* the plaintext's buffer only */
	ck_assert_int_eq(kssp_crypto_open(&k, 3, etype, ct, n, "test", &back, &m), KSSP_OK);
	ck_assert_uint_eq(kssp_alloc_fail_after(0), 1);
	ck_assert_mem_eq(back, plain, m);
	kssp_free(back);
	kssp_free(ct);
	kssp_crypto_key_clear(&k);
}
END_TEST

/* The derived-key cache: more usages than slots, alternating, stays right;
 * a copy has its own cache; after warm-up nothing allocates. */
START_TEST(cache_and_no_allocation_per_message)
{
	int32_t etype = all_etypes[_i];
	struct kssp_key k, copy;
	uint8_t plain[100], ct[200], out[200];
	size_t n, m, round;
	uint32_t u;

	memset(plain, 3, sizeof(plain));
	make_key(etype, 0x11, &k);
	for (round = 0; round < 3; round++)
		for (u = 1; u <= KSSP_KEY_CACHE_SLOTS + 3; u++) {
			ck_assert_int_eq(kssp_crypto_encrypt(NULL, &k, u, plain, sizeof(plain), ct,
			    sizeof(ct), &n), KSSP_OK);
			ck_assert_int_eq(kssp_crypto_key_copy(&copy, &k), KSSP_OK);
			ck_assert_ptr_null(copy.cache);
			ck_assert_int_eq(kssp_crypto_decrypt(&copy, u, ct, n, out, sizeof(out), &m), KSSP_OK);
			ck_assert_mem_eq(out, plain, m);
			ck_assert_int_eq(kssp_crypto_decrypt(&k, u, ct, n, out, sizeof(out), &m), KSSP_OK);
			kssp_crypto_key_clear(&copy);
		}
	/* warm usage 24: then many messages without one allocation */
	ck_assert_int_eq(kssp_crypto_encrypt(NULL, &k, 24, plain, sizeof(plain), ct, sizeof(ct), &n),
	    KSSP_OK);
	kssp_alloc_fail_after(0);
	for (round = 0; round < 50; round++) {
		ck_assert_int_eq(kssp_crypto_encrypt(NULL, &k, 24, plain, sizeof(plain), ct, sizeof(ct),
		    &n), KSSP_OK);
		ck_assert_int_eq(kssp_crypto_decrypt(&k, 24, ct, n, ct, n, &m), KSSP_OK);
	}
	ck_assert_uint_eq(kssp_alloc_fail_after(0), 0);
	/* the first use of a key fails cleanly when its cache cannot be had */
	ck_assert_int_eq(kssp_crypto_key_copy(&copy, &k), KSSP_OK);
	kssp_alloc_fail_after(1);
	ck_assert_int_eq(kssp_crypto_encrypt(NULL, &copy, 24, plain, sizeof(plain), ct, sizeof(ct),
	    &n), KSSP_ERR_NOMEM);
	kssp_alloc_fail_after(0);
	kssp_crypto_key_clear(&copy);
	kssp_crypto_key_clear(&k);
	ck_assert(all_zero((const uint8_t *)&k, sizeof(k)));
}
END_TEST

START_TEST(checksum_key_rules)
{
	struct kssp_key aes, cam;
	uint8_t ck[KSSP_CRYPTO_MAX_CKSUM], small[4];
	size_t n;
	struct kssp_crypto_iov parts[2] = { { (const uint8_t *)"head", 4 }, { (const uint8_t *)"er", 2 } };
	uint8_t whole[KSSP_CRYPTO_MAX_CKSUM];

	make_key(18, 2, &aes);
	make_key(25, 2, &cam);
	ck_assert_int_eq(kssp_crypto_checksum(15, &aes, 1, ck, 4, ck, sizeof(ck), &n),
	    KRB_AP_ERR_INAPP_CKSUM);
	ck_assert_int_eq(kssp_crypto_checksum(17, &aes, 1, ck, 4, ck, sizeof(ck), &n),
	    KRB_AP_ERR_INAPP_CKSUM);
	ck_assert_int_eq(kssp_crypto_checksum(16, &aes, 1, ck, 4, small, sizeof(small), &n),
	    KSSP_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(kssp_crypto_checksum(99, &aes, 1, ck, 4, ck, sizeof(ck), &n),
	    KDC_ERR_SUMTYPE_NOSUPP);
	/* hmac-md5 takes any key (MS-SFU PA-FOR-USER with an AES session key) */
	ck_assert_int_eq(kssp_crypto_checksum(-138, &aes, KSSP_KU_PA_FOR_USER, ck, 4, ck,
	    sizeof(ck), &n), KSSP_OK);
	ck_assert_uint_eq(n, 16);
	/* iov parts equal the concatenation */
	ck_assert_int_eq(kssp_crypto_checksum_iov(18, &cam, 23, parts, 2, ck, sizeof(ck), &n),
	    KRB_AP_ERR_INAPP_CKSUM);
	ck_assert_int_eq(kssp_crypto_checksum_iov(17, &cam, 23, parts, 2, ck, sizeof(ck), &n), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_checksum(17, &cam, 23, (const uint8_t *)"header", 6, whole,
	    sizeof(whole), &n), KSSP_OK);
	ck_assert_mem_eq(ck, whole, n);
	ck_assert_int_eq(kssp_crypto_verify_checksum_iov(17, &cam, 23, parts, 2, whole, n), KSSP_OK);
	kssp_crypto_key_clear(&aes);
	kssp_crypto_key_clear(&cam);
}
END_TEST

START_TEST(random_key_and_derive_rules)
{
	struct kssp_key k, k2;
	uint8_t seed = 0x40, out[32];
	struct kssp_hooks h = { 0 };
	size_t i;

	h.random = counting_random;
	h.random_arg = &seed;
	ck_assert_int_eq(kssp_crypto_random_key(&h, 18, &k), KSSP_OK);
	ck_assert_int_eq(k.enctype, 18);
	for (i = 0; i < 32; i++)
		ck_assert_uint_eq(k.contents[i], 0x40 + i);
	ck_assert_int_eq(kssp_crypto_random_to_key(19, out, 15, &k2), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_crypto_derive(&k, (const uint8_t *)"x", 1, out, 16), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_crypto_derive(&k, (const uint8_t *)"x", 1, out, 32), KSSP_OK);
	kssp_crypto_key_clear(&k);
	ck_assert_int_eq(kssp_crypto_random_key(NULL, 23, &k), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_derive(&k, (const uint8_t *)"x", 1, out, 16), KDC_ERR_ETYPE_NOSUPP);
	kssp_crypto_key_clear(&k);
}
END_TEST

/* RFC 4757 §7 pieces: the RC4 stream continues across calls; the keyed
 * and plain MD5 helpers treat parts as one message. */
START_TEST(rc4_gss_pieces)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t one[40], two[40], a[16], b[16];
	struct kssp_rc4 r;
	struct kssp_crypto_iov split[3] = { { one, 3 }, { one + 3, 0 }, { one + 3, 37 } };
	struct kssp_crypto_iov whole = { one, 40 };

	memset(one, 0x61, sizeof(one));
	memcpy(two, one, sizeof(two));
	kssp_crypto_rc4_init(&r, key, sizeof(key));
	kssp_crypto_rc4_crypt(&r, one, one, 40);
	kssp_crypto_rc4_clear(&r);
	kssp_crypto_rc4_init(&r, key, sizeof(key));
	kssp_crypto_rc4_crypt(&r, two, two, 8);
	kssp_crypto_rc4_crypt(&r, two + 8, two + 8, 32);
	kssp_crypto_rc4_clear(&r);
	ck_assert_mem_eq(one, two, 40);
	kssp_crypto_hmac_md5(key, 16, split, 3, a);
	kssp_crypto_hmac_md5(key, 16, &whole, 1, b);
	ck_assert_mem_eq(a, b, 16);
	kssp_crypto_md5(split, 3, a);
	kssp_crypto_md5(&whole, 1, b);
	ck_assert_mem_eq(a, b, 16);
	/* MD5("") */
	kssp_crypto_md5(NULL, 0, a);
	ck_assert_mem_eq(a, "\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\x09\x98\xec\xf8\x42\x7e", 16);
	ck_assert_uint_eq(kssp_crypto_rc4_usage(KSSP_KU_AS_REP_ENC_PART), 8);
	ck_assert_uint_eq(kssp_crypto_rc4_usage(KSSP_KU_TGS_REP_ENC_PART_SUBKEY), 9);
	ck_assert_uint_eq(kssp_crypto_rc4_usage(KSSP_KU_GSS_ACCEPTOR_SIGN), 13);
	ck_assert_uint_eq(kssp_crypto_rc4_usage(KSSP_KU_KRB_SAFE_CKSUM), 15);
}
END_TEST

/*
 * An EncryptedData opens under a key of its own enctype only: a mismatch is
 * KDC_ERR_ETYPE_NOSUPP before any allocation, a ciphertext of another key
 * or usage KRB_AP_ERR_BAD_INTEGRITY; neither leaves a plaintext behind.
 */
/* FIPS 180-4's "abc" examples, for the tls-server-end-point hash (RFC 5929 §4.1). */
START_TEST(sha2_of_abc)
{
	uint8_t out[64];

	ck_assert_int_eq(kssp_crypto_sha2(256, (const uint8_t *)"abc", 3, out), KSSP_OK);
	ck_assert_mem_eq(out, "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23"
	    "\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad", 32);
	ck_assert_int_eq(kssp_crypto_sha2(384, (const uint8_t *)"abc", 3, out), KSSP_OK);
	ck_assert_mem_eq(out, "\xcb\x00\x75\x3f\x45\xa3\x5e\x8b\xb5\xa0\x3d\x69\x9a\xc6\x50\x07"
	    "\x27\x2c\x32\xab\x0e\xde\xd1\x63\x1a\x8b\x60\x5a\x43\xff\x5b\xed"
	    "\x80\x86\x07\x2b\xa1\xe7\xcc\x23\x58\xba\xec\xa1\x34\xc8\x25\xa7", 48);
	ck_assert_int_eq(kssp_crypto_sha2(512, (const uint8_t *)"abc", 3, out), KSSP_OK);
	ck_assert_mem_eq(out, "\xdd\xaf\x35\xa1\x93\x61\x7a\xba\xcc\x41\x73\x49\xae\x20\x41\x31"
	    "\x12\xe6\xfa\x4e\x89\xa9\x7e\xa2\x0a\x9e\xee\xe6\x4b\x55\xd3\x9a"
	    "\x21\x92\x99\x2a\x27\x4f\xc1\xa8\x36\xba\x3c\x23\xa3\xfe\xeb\xbd"
	    "\x45\x4d\x44\x23\x64\x3c\xe8\x0e\x2a\x9a\xc9\x4f\xa5\x4c\xa4\x9f", 64);
	ck_assert_int_eq(kssp_crypto_sha2(224, (const uint8_t *)"abc", 3, out), KSSP_ERR_UNSUPPORTED);
}
END_TEST

START_TEST(encrypted_data_open_and_seal)
{
	static const uint8_t msg[] = "an EncTicketPart";
	int32_t etype = all_etypes[_i], other_etype = etype == 18 ? 17 : 18;
	struct kssp_key k, other;
	uint8_t *ct = NULL, *pt = NULL;
	size_t clen = 0, plen = 0;

	make_key(etype, 0x11, &k);
	make_key(other_etype, 0x11, &other);
	ck_assert_int_eq(kssp_crypto_seal(NULL, &k, KSSP_KU_TICKET, msg, sizeof(msg), &ct, &clen),
	    KSSP_OK);
	ck_assert_int_eq(kssp_crypto_open(&k, KSSP_KU_TICKET, etype, ct, clen, "ticket", &pt,
	    &plen), KSSP_OK);
	ck_assert_uint_eq(plen, sizeof(msg));
	ck_assert_mem_eq(pt, msg, plen);
	kssp_free_secret(pt, plen);
	/* the etype field and the key disagree, either way round */
	kssp_alloc_fail_after(0);
	ck_assert_int_eq(kssp_crypto_open(&other, KSSP_KU_TICKET, etype, ct, clen, "ticket", &pt,
	    &plen), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_ptr_null(pt);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "ticket: encrypted with enctype"));
	ck_assert_int_eq(kssp_crypto_open(&k, KSSP_KU_TICKET, other_etype, ct, clen, "ticket",
	    &pt, &plen), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_uint_eq(kssp_alloc_fail_after(0), 0);
	/* the right enctype, another usage's ciphertext; a truncated one */
	ck_assert_int_eq(kssp_crypto_open(&k, KSSP_KU_AP_REQ_AUTH, etype, ct, clen, "authenticator",
	    &pt, &plen), KRB_AP_ERR_BAD_INTEGRITY);
	ck_assert_ptr_null(pt);
	ck_assert_str_eq(kssp_last_reason(),
	    "authenticator: does not decrypt under key usage 11 (integrity check failed)");
	ck_assert_int_eq(kssp_crypto_open(&k, KSSP_KU_TICKET, etype, ct, 0, "ticket", &pt, &plen),
	    KRB_AP_ERR_BAD_INTEGRITY);
	ck_assert_ptr_null(pt);
	kssp_free(ct);
	/* sealing fails cleanly without memory */
	kssp_alloc_fail_after(1);
	ck_assert_int_eq(kssp_crypto_seal(NULL, &k, KSSP_KU_TICKET, msg, sizeof(msg), &ct, &clen),
	    KSSP_ERR_NOMEM);
	kssp_alloc_fail_after(0);
	ck_assert_ptr_null(ct);
	kssp_crypto_key_clear(&k);
	kssp_crypto_key_clear(&other);
}
END_TEST

Suite *kssp_suite_crypto_api(void);
Suite *kssp_suite_crypto_api(void)
{
	Suite *s = suite_create("crypto_api");
	TCase *t = tcase_create("api");

	tcase_set_timeout(t, 30);
	tcase_add_loop_test(t, bitflip_ciphertexts, 0, N_ETYPES);
	tcase_add_loop_test(t, bitflip_checksums, 0, 7);
	tcase_add_test(t, unsupported_enctypes_are_named);
	tcase_add_test(t, names_and_aliases);
	tcase_add_test(t, lookup_by_number_finds_each_entry);
	tcase_add_loop_test(t, lengths_and_short_ciphertexts, 0, N_ETYPES);
	tcase_add_loop_test(t, in_place_and_overlap, 0, N_ETYPES);
	tcase_add_loop_test(t, cache_and_no_allocation_per_message, 0, N_ETYPES);
	tcase_add_loop_test(t, seal_and_open_derive_on_the_stack, 0, N_ETYPES);
	tcase_add_test(t, checksum_key_rules);
	tcase_add_test(t, random_key_and_derive_rules);
	tcase_add_test(t, rc4_gss_pieces);
	tcase_add_test(t, sha2_of_abc);
	tcase_add_loop_test(t, encrypted_data_open_and_seal, 0, N_ETYPES);
	suite_add_tcase(s, t);
	return s;
}
