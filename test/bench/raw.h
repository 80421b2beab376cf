/*
 * test/bench/raw.h - the raw limit the benchmarks compare against: the
 * enctype's cipher in plain CBC mode (RC4 for 23) plus its MAC (HMAC or
 * CMAC) over the same bytes, Nettle contexts keyed once, no Kerberos
 * framing.  Shared by crypto_bench.c and bench.c.
 */
#ifndef KSSP_BENCH_RAW_H
#define KSSP_BENCH_RAW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/arcfour.h>
#include <nettle/camellia.h>
#include <nettle/cbc.h>
#include <nettle/cmac.h>
#include <nettle/hmac.h>

struct cmac_cam128 CMAC128_CTX(struct camellia128_ctx);
struct cmac_cam256 CMAC128_CTX(struct camellia256_ctx);

/* The raw side: pre-keyed Nettle contexts for one enctype. */
struct raw {
	int32_t etype;
	struct aes128_ctx a128e, a128d;
	struct aes256_ctx a256e, a256d;
	struct camellia128_ctx c128e, c128d;
	struct camellia256_ctx c256e, c256d;
	struct hmac_sha1_ctx sha1;
	struct hmac_sha256_ctx sha256;
	struct hmac_sha512_ctx sha384;
	struct hmac_md5_ctx md5;
	struct cmac_cam128 cmac128;
	struct cmac_cam256 cmac256;
	uint8_t rc4key[16];
};

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline void dec_aes128(const void *c, size_t n, uint8_t *d, const uint8_t *s) { aes128_decrypt(c, n, d, s); }
static inline void dec_aes256(const void *c, size_t n, uint8_t *d, const uint8_t *s) { aes256_decrypt(c, n, d, s); }
static inline void cam128(const void *c, size_t n, uint8_t *d, const uint8_t *s) { camellia128_crypt(c, n, d, s); }
static inline void cam256(const void *c, size_t n, uint8_t *d, const uint8_t *s) { camellia256_crypt(c, n, d, s); }

static inline void raw_init(struct raw *r, int32_t etype)
{
	static const uint8_t k[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };

	memset(r, 0, sizeof(*r));
	r->etype = etype;
	aes128_set_encrypt_key(&r->a128e, k);
	aes128_set_decrypt_key(&r->a128d, k);
	aes256_set_encrypt_key(&r->a256e, k);
	aes256_set_decrypt_key(&r->a256d, k);
	camellia128_set_encrypt_key(&r->c128e, k);
	camellia128_set_decrypt_key(&r->c128d, k);
	camellia256_set_encrypt_key(&r->c256e, k);
	camellia256_set_decrypt_key(&r->c256d, k);
	hmac_sha1_set_key(&r->sha1, 16, k);
	hmac_sha256_set_key(&r->sha256, 16, k);
	hmac_sha384_set_key(&r->sha384, 24, k);
	hmac_md5_set_key(&r->md5, 16, k);
	CMAC128_SET_KEY(&r->cmac128, camellia128_set_encrypt_key, camellia128_crypt, k);
	CMAC128_SET_KEY(&r->cmac256, camellia256_set_encrypt_key, camellia256_crypt, k);
	memcpy(r->rc4key, k, 16);
}

static inline void raw_mac(struct raw *r, const uint8_t *p, size_t n, uint8_t *mac)
{
	switch (r->etype) {
	case 17: case 18:
		hmac_sha1_update(&r->sha1, n, p);
		hmac_sha1_digest(&r->sha1, 20, mac);
		break;
	case 19:
		hmac_sha256_update(&r->sha256, n, p);
		hmac_sha256_digest(&r->sha256, 32, mac);
		break;
	case 20:
		hmac_sha384_update(&r->sha384, n, p);
		hmac_sha384_digest(&r->sha384, 48, mac);
		break;
	case 25:
		CMAC128_UPDATE(&r->cmac128, camellia128_crypt, n, p);
		CMAC128_DIGEST(&r->cmac128, camellia128_crypt, 16, mac);
		break;
	case 26:
		CMAC128_UPDATE(&r->cmac256, camellia256_crypt, n, p);
		CMAC128_DIGEST(&r->cmac256, camellia256_crypt, 16, mac);
		break;
	default:
		hmac_md5_update(&r->md5, n, p);
		hmac_md5_digest(&r->md5, 16, mac);
	}
}

/* CBC (or the RC4 stream) over n bytes from in to out, in either direction. */
static inline void raw_cipher(struct raw *r, bool enc, const uint8_t *in, uint8_t *out, size_t n)
{
	uint8_t iv[16] = { 0 };
	struct arcfour_ctx rc4;

	switch (r->etype) {
	case 17: case 19:
		if (enc)
			cbc_aes128_encrypt(&r->a128e, iv, n, out, in);
		else
			cbc_decrypt(&r->a128d, dec_aes128, 16, iv, n, out, in);
		break;
	case 18: case 20:
		if (enc)
			cbc_aes256_encrypt(&r->a256e, iv, n, out, in);
		else
			cbc_decrypt(&r->a256d, dec_aes256, 16, iv, n, out, in);
		break;
	case 25:
		if (enc)
			cbc_encrypt(&r->c128e, cam128, 16, iv, n, out, in);
		else
			cbc_decrypt(&r->c128d, cam128, 16, iv, n, out, in);
		break;
	case 26:
		if (enc)
			cbc_encrypt(&r->c256e, cam256, 16, iv, n, out, in);
		else
			cbc_decrypt(&r->c256d, cam256, 16, iv, n, out, in);
		break;
	default:
		arcfour_set_key(&rc4, 16, r->rc4key);
		arcfour_crypt(&rc4, n, out, in);
	}
}

/* Raw encrypt: MAC then cipher (SHA-1/CMAC/MD5 profiles MAC the plaintext,
 * the RFC 8009 ones the ciphertext: the same work either way). */
static inline void raw_op(struct raw *r, bool enc, const uint8_t *in, uint8_t *out, size_t n)
{
	uint8_t mac[64];

	if (enc) {
		raw_mac(r, in, n, mac);
		raw_cipher(r, true, in, out, n);
	} else {
		raw_cipher(r, false, in, out, n);
		raw_mac(r, out, n, mac);
	}
}

#endif
