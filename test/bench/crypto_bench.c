/*
 * test/bench/crypto_bench.c - `make bench`: kssp's encrypt and decrypt
 * against the raw Nettle cost of the same work, measured in one run.
 *
 * "Raw" is the enctype's cipher in plain CBC mode plus its MAC (HMAC or
 * CMAC) over the same bytes (confounder + message), keys already expanded,
 * no Kerberos framing: the floor any RFC 3961 implementation on Nettle
 * pays.  Ratio = kssp MB/s / raw MB/s (1.0 = framing costs nothing).
 * Each figure is the best of several short alternating rounds, so a busy
 * shared machine disturbs both sides alike.  Built with KSSP_BENCH_MIT
 * (the Makefile does so when MIT's development files are installed), it
 * also measures MIT krb5's krb5_k_encrypt/krb5_k_decrypt on the same
 * messages; only this benchmark links MIT, never the library.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/arcfour.h>
#include <nettle/camellia.h>
#include <nettle/cbc.h>
#include <nettle/cmac.h>
#include <nettle/hmac.h>

#include "crypto/crypto.h"

#ifdef KSSP_BENCH_MIT
#include <krb5/krb5.h>
static krb5_context mit_ctx;
#endif

#define ROUNDS 8
#define ROUND_NS 15000000.0 /* per side per round */

static const size_t sizes[] = { 64, 1024, 16384, 1 << 20 };
static const int32_t etypes[] = { 17, 18, 19, 20, 25, 26, 23 };

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

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void dec_aes128(const void *c, size_t n, uint8_t *d, const uint8_t *s) { aes128_decrypt(c, n, d, s); }
static void dec_aes256(const void *c, size_t n, uint8_t *d, const uint8_t *s) { aes256_decrypt(c, n, d, s); }
static void cam128(const void *c, size_t n, uint8_t *d, const uint8_t *s) { camellia128_crypt(c, n, d, s); }
static void cam256(const void *c, size_t n, uint8_t *d, const uint8_t *s) { camellia256_crypt(c, n, d, s); }

static void raw_init(struct raw *r, int32_t etype)
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

static void raw_mac(struct raw *r, const uint8_t *p, size_t n, uint8_t *mac)
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
static void raw_cipher(struct raw *r, bool enc, const uint8_t *in, uint8_t *out, size_t n)
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
static void raw_op(struct raw *r, bool enc, const uint8_t *in, uint8_t *out, size_t n)
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

struct result {
	double ours, raw, mit; /* MB/s; mit 0 when not measured */
};

/* Runs f for about ROUND_NS and returns MB/s. */
#define TIMED(bytes, stmt) do {                                   \
		double t0 = now_ns(), t;                                  \
		size_t iters = 0;                                         \
		do {                                                      \
			stmt;                                                 \
			iters++;                                              \
			t = now_ns();                                         \
		} while (t - t0 < ROUND_NS);                              \
		mbps = (double)(bytes) * iters / ((t - t0) / 1e9) / 1e6;  \
	} while (0)

#ifdef KSSP_BENCH_MIT
/* MIT's best figures for the same key bytes and message, derived keys
 * cached in a krb5_key as kssp caches them. */
static int mit_measure(int32_t etype, const uint8_t *kb, size_t klen, const uint8_t *plain,
    size_t size, size_t clen, struct result *enc, struct result *dec)
{
	krb5_keyblock block = { 0, etype, (unsigned)klen, (krb5_octet *)kb };
	krb5_key key;
	krb5_data in = { 0, (unsigned)size, (char *)plain }, out;
	krb5_enc_data ct = { 0 };
	char *cbuf = malloc(clen), *pbuf = malloc(clen);
	krb5_error_code e = 0;
	double mbps;
	int round;

	if (!cbuf || !pbuf || krb5_k_create_key(mit_ctx, &block, &key))
		return 1;
	ct.enctype = etype;
	ct.ciphertext.data = cbuf;
	ct.ciphertext.length = (unsigned)clen;
	e = krb5_k_encrypt(mit_ctx, key, 24, NULL, &in, &ct);
	for (round = 0; round < ROUNDS && !e; round++) {
		TIMED(size, (ct.ciphertext.length = (unsigned)clen,
		    e |= krb5_k_encrypt(mit_ctx, key, 24, NULL, &in, &ct)));
		if (mbps > enc->mit)
			enc->mit = mbps;
		TIMED(size, (out.data = pbuf, out.length = (unsigned)clen,
		    e |= krb5_k_decrypt(mit_ctx, key, 24, NULL, &ct, &out)));
		if (mbps > dec->mit)
			dec->mit = mbps;
	}
	krb5_k_free_key(mit_ctx, key);
	free(cbuf);
	free(pbuf);
	return e != 0;
}
#endif

static int measure(int32_t etype, size_t size, struct result *enc, struct result *dec)
{
	struct kssp_key key;
	struct raw raw;
	uint8_t kb[32] = { 7 };
	size_t klen, clen, n;
	uint8_t *plain, *ct, *out, *rin, *rout;
	const struct kssp_enctype_profile *p = kssp_crypto_profile(etype);
	int round;
	double mbps;
	kssp_err e = KSSP_OK;

	if (kssp_crypto_key_bytes(etype, &klen) || kssp_crypto_key_init(&key, etype, kb, klen) ||
	    kssp_crypto_encrypt_len(etype, size, &clen))
		return 1;
	raw_init(&raw, etype);
	plain = calloc(1, size);
	ct = calloc(1, clen);
	out = calloc(1, clen);
	rin = calloc(1, size + p->confounder_bytes);
	rout = calloc(1, size + p->confounder_bytes);
	if (!plain || !ct || !out || !rin || !rout)
		return 1;
	memset(enc, 0, sizeof(*enc));
	memset(dec, 0, sizeof(*dec));
	e = kssp_crypto_encrypt(NULL, &key, 24, plain, size, ct, clen, &n);
#ifdef KSSP_BENCH_MIT
	if (!e && mit_measure(etype, kb, klen, plain, size, clen, enc, dec))
		e = KSSP_ERR_INTERNAL;
#endif
	for (round = 0; round < ROUNDS && !e; round++) {
		TIMED(size, e |= kssp_crypto_encrypt(NULL, &key, 24, plain, size, out, clen, &n));
		if (mbps > enc->ours)
			enc->ours = mbps;
		TIMED(size, raw_op(&raw, true, rin, rout, size + p->confounder_bytes));
		if (mbps > enc->raw)
			enc->raw = mbps;
		TIMED(size, e |= kssp_crypto_decrypt(&key, 24, ct, clen, out, clen, &n));
		if (mbps > dec->ours)
			dec->ours = mbps;
		TIMED(size, raw_op(&raw, false, rin, rout, size + p->confounder_bytes));
		if (mbps > dec->raw)
			dec->raw = mbps;
	}
	free(plain);
	free(ct);
	free(out);
	free(rin);
	free(rout);
	kssp_crypto_key_clear(&key);
	if (e)
		fprintf(stderr, "crypto_bench: %s: %s\n", kssp_err_name(e), kssp_last_reason());
	return e ? 1 : 0;
}

static const char *size_name(size_t s, char *buf, size_t cap)
{
	if (s >= (1 << 20))
		snprintf(buf, cap, "%zu MiB", s >> 20);
	else if (s >= 1024)
		snprintf(buf, cap, "%zu KiB", s >> 10);
	else
		snprintf(buf, cap, "%zu B", s);
	return buf;
}

int main(void)
{
	size_t i, j;
	int below = 0;
	double t0 = now_ns();

	printf("kssp crypto benchmark: MB/s (10^6 bytes of message per second), ratio = kssp / raw Nettle\n");
	printf("raw = the same cipher in CBC mode (RC4 for 23) + the same MAC over the same bytes\n");
	printf("kssp encrypt includes drawing the confounder from getrandom(2) per message\n\n");
#ifdef KSSP_BENCH_MIT
	setenv("KRB5_CONFIG", "/dev/null", 1);
	if (krb5_init_context(&mit_ctx))
		return 1;
	printf("mit = MIT krb5 krb5_k_encrypt/krb5_k_decrypt; vs mit = kssp / MIT\n\n");
#endif
	printf("%-28s %8s | %9s %9s %6s | %9s %9s %6s", "enctype", "size", "enc", "raw", "ratio",
	    "dec", "raw", "ratio");
#ifdef KSSP_BENCH_MIT
	printf(" | %9s %6s %9s %6s", "enc mit", "vs mit", "dec mit", "vs mit");
#endif
	printf("\n");
	for (i = 0; i < sizeof(etypes) / sizeof(etypes[0]); i++)
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			struct result enc, dec;
			char sb[32];

			if (measure(etypes[i], sizes[j], &enc, &dec))
				return 1;
			printf("%-28s %8s | %9.1f %9.1f %6.3f | %9.1f %9.1f %6.3f",
			    kssp_crypto_enctype_name(etypes[i]), size_name(sizes[j], sb, sizeof(sb)),
			    enc.ours, enc.raw, enc.ours / enc.raw, dec.ours, dec.raw, dec.ours / dec.raw);
#ifdef KSSP_BENCH_MIT
			printf(" | %9.1f %6.2f %9.1f %6.2f", enc.mit, enc.ours / enc.mit, dec.mit,
			    dec.ours / dec.mit);
#endif
			printf("\n");
			fflush(stdout);
			if (etypes[i] >= 17 && etypes[i] <= 20 && sizes[j] == 16384 &&
			    (enc.ours / enc.raw < 0.85 || dec.ours / dec.raw < 0.85))
				below++;
		}
	printf("\n16 KiB, enctypes 17-20, both directions >= 0.85 of raw Nettle: %s\n",
	    below ? "NO" : "yes");
	printf("run time %.1f s\n", (now_ns() - t0) / 1e9);
	return 0;
}
