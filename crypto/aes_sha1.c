/*
 * crypto/aes_sha1.c - aes128-cts-hmac-sha1-96 (17) and
 * aes256-cts-hmac-sha1-96 (18), RFC 3962 on the RFC 3961 simplified
 * profile: DK by n-fold and AES feedback (RFC 3961 §5.1), AES-CTS
 * encryption, HMAC-SHA1-96 over the plaintext (RFC 3961 §5.3).
 */
#include <string.h>

#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>

#include "base/mem.h"
#include "crypto/internal.h"

#define SHA1_TRUNC 12 /* HMAC-SHA1-96 */

union aes_enc {
	struct aes128_ctx a128;
	struct aes256_ctx a256;
};

static nettle_cipher_func *aes_set_encrypt(union aes_enc *c, const uint8_t *key, size_t len)
{
	if (len == 16) {
		aes128_set_encrypt_key(&c->a128, key);
		return kssp_ecb_aes128_enc;
	}
	aes256_set_encrypt_key(&c->a256, key);
	return kssp_ecb_aes256_enc;
}

/* RFC 3961 §5.1: DR(key, constant) = the first outlen bytes of
 * E(n-fold(constant)), E(E(n-fold(constant))), ...; DK = random-to-key(DR),
 * which is the identity for AES (RFC 3962 §6). */
static kssp_err aes_dk(const struct kssp_enctype_profile *p, const uint8_t *key,
    const uint8_t *constant, size_t clen, uint8_t *out, size_t outlen)
{
	union aes_enc ctx;
	nettle_cipher_func *enc = aes_set_encrypt(&ctx, key, p->key_bytes);
	uint8_t block[KSSP_BLOCK];
	size_t done = 0;

	kssp_crypto_nfold(constant, clen, block, sizeof(block));
	while (done < outlen) {
		size_t n = outlen - done < KSSP_BLOCK ? outlen - done : KSSP_BLOCK;

		enc(&ctx, KSSP_BLOCK, block, block);
		memcpy(out + done, block, n);
		done += n;
	}
	kssp_memzero(block, sizeof(block));
	kssp_memzero(&ctx, sizeof(ctx));
	return KSSP_OK;
}

/* RFC 3962 §4: tkey = PBKDF2-HMAC-SHA1(password, salt, iterations), then
 * key = DK(tkey, "kerberos"). */
static kssp_err aes_s2k(const struct kssp_enctype_profile *p, const char *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *key)
{
	uint8_t tkey[32];

	pbkdf2_hmac_sha1(pwlen, (const uint8_t *)pw, iterations, saltlen, salt, p->key_bytes, tkey);
	aes_dk(p, tkey, (const uint8_t *)"kerberos", 8, key, p->key_bytes);
	kssp_memzero(tkey, sizeof(tkey));
	return KSSP_OK;
}

static kssp_err aes_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    uint32_t usage, struct kssp_usage_keys *slot)
{
	uint8_t c[5], k[32];
	size_t n = p->key_bytes;

	kssp_usage_constant(usage, 0xAA, c);
	aes_dk(p, key, c, 5, k, n);
	if (n == 16) {
		aes128_set_encrypt_key(&slot->ke.aes128.enc, k);
		aes128_invert_key(&slot->ke.aes128.dec, &slot->ke.aes128.enc);
	} else {
		aes256_set_encrypt_key(&slot->ke.aes256.enc, k);
		aes256_invert_key(&slot->ke.aes256.dec, &slot->ke.aes256.enc);
	}
	kssp_usage_constant(usage, 0x55, c);
	aes_dk(p, key, c, 5, k, n);
	hmac_sha1_set_key(&slot->ki.sha1, n, k);
	kssp_usage_constant(usage, 0x99, c);
	aes_dk(p, key, c, 5, k, n);
	hmac_sha1_set_key(&slot->kc.sha1, n, k);
	kssp_memzero(k, sizeof(k));
	return KSSP_OK;
}

static void aes_cts(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    bool encrypt, struct kssp_cts_cipher *c)
{
	if (p->key_bytes == 16) {
		c->ctx = encrypt ? (const void *)&slot->ke.aes128.enc : (const void *)&slot->ke.aes128.dec;
		c->cbc = encrypt ? kssp_cbc_aes128_enc : kssp_cbc_aes128_dec;
		c->block = encrypt ? kssp_ecb_aes128_enc : kssp_ecb_aes128_dec;
	} else {
		c->ctx = encrypt ? (const void *)&slot->ke.aes256.enc : (const void *)&slot->ke.aes256.dec;
		c->cbc = encrypt ? kssp_cbc_aes256_enc : kssp_cbc_aes256_dec;
		c->block = encrypt ? kssp_ecb_aes256_enc : kssp_ecb_aes256_dec;
	}
}

/* RFC 3961 §5.3: ciphertext = E(Ke, conf || plain) || H(Ki, conf || plain). */
static void aes_sha1_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_cts_cipher c;
	uint8_t mac[SHA1_DIGEST_SIZE];

	hmac_sha1_update(&slot->ki.sha1, n, buf);
	hmac_sha1_digest(&slot->ki.sha1, sizeof(mac), mac);
	aes_cts(p, slot, true, &c);
	kssp_cts_encrypt(&c, buf, n);
	memcpy(buf + n, mac, SHA1_TRUNC);
}

static kssp_err aes_sha1_decrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_cts_cipher c;
	uint8_t mac[SHA1_DIGEST_SIZE];
	size_t body = n - SHA1_TRUNC;

	aes_cts(p, slot, false, &c);
	kssp_cts_decrypt(&c, buf, body);
	hmac_sha1_update(&slot->ki.sha1, body, buf);
	hmac_sha1_digest(&slot->ki.sha1, sizeof(mac), mac);
	if (!kssp_ct_equal(mac, buf + body, SHA1_TRUNC))
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: integrity check failed", p->name);
	return KSSP_OK;
}

static void aes_checksum(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out)
{
	uint8_t mac[SHA1_DIGEST_SIZE];
	size_t i;

	(void)p;
	for (i = 0; i < nparts; i++)
		hmac_sha1_update(&slot->kc.sha1, parts[i].len, parts[i].data);
	hmac_sha1_digest(&slot->kc.sha1, sizeof(mac), mac);
	memcpy(out, mac, SHA1_TRUNC);
}

/* RFC 3962 §6: PRF = E(DK(key, "prf"), truncate16(SHA1(input))). */
static void aes_prf(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
    size_t len, uint8_t *out)
{
	struct sha1_ctx h;
	uint8_t dk[32], digest[SHA1_DIGEST_SIZE];
	union aes_enc ctx;
	nettle_cipher_func *enc;

	sha1_init(&h);
	sha1_update(&h, len, in);
	sha1_digest(&h, sizeof(digest), digest);
	aes_dk(p, key, (const uint8_t *)"prf", 3, dk, p->key_bytes);
	enc = aes_set_encrypt(&ctx, dk, p->key_bytes);
	enc(&ctx, KSSP_BLOCK, out, digest);
	kssp_memzero(dk, sizeof(dk));
	kssp_memzero(&ctx, sizeof(ctx));
}

const struct kssp_crypto_ops kssp_aes_sha1_ops = {
	0, aes_s2k, aes_dk, aes_setup_usage, aes_sha1_encrypt, aes_sha1_decrypt, aes_checksum, aes_prf,
};
