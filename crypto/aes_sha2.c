/*
 * crypto/aes_sha2.c - aes128-cts-hmac-sha256-128 (19) and
 * aes256-cts-hmac-sha384-192 (20), RFC 8009: KDF-HMAC-SHA2 key
 * derivation (§3), PBKDF2-HMAC-SHA2 string-to-key with the enctype-name
 * salt prefix (§4), AES-CTS then HMAC over IV || ciphertext (§5).
 */
#include <string.h>

#include <nettle/pbkdf2.h>

#include "base/mem.h"
#include "crypto/internal.h"

static bool is_sha384(const struct kssp_enctype_profile *p)
{
	return p->enctype == KSSP_ENCTYPE_AES256_CTS_HMAC_SHA384_192;
}

static void mac_set_key(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const uint8_t *key, size_t len)
{
	if (is_sha384(p))
		hmac_sha384_set_key(&m->sha384, len, key);
	else
		hmac_sha256_set_key(&m->sha256, len, key);
}

static void mac_update(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const uint8_t *data, size_t len)
{
	if (is_sha384(p))
		hmac_sha384_update(&m->sha384, len, data);
	else
		hmac_sha256_update(&m->sha256, len, data);
}

/* Writes the first len bytes of the MAC (len <= the digest size). */
static void mac_digest(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m, uint8_t *out,
    size_t len)
{
	if (is_sha384(p))
		hmac_sha384_digest(&m->sha384, len, out);
	else
		hmac_sha256_digest(&m->sha256, len, out);
}

/* RFC 8009 §3: KDF-HMAC-SHA2(key, label, context, k) = k-truncate(
 * HMAC(key, 00000001 || label || 0x00 || context || k)), k in bits.  One
 * HMAC block always suffices: k never exceeds the hash size here. */
static void kdf_hmac_sha2(const struct kssp_enctype_profile *p, const uint8_t *key,
    const uint8_t *label, size_t llen, const uint8_t *context, size_t ctxlen, uint8_t *out,
    size_t outlen)
{
	static const uint8_t counter[4] = { 0, 0, 0, 1 }, zero = 0;
	uint8_t bits[4];
	uint32_t k = (uint32_t)outlen * 8;
	union kssp_mac_ctx m;

	bits[0] = (uint8_t)(k >> 24);
	bits[1] = (uint8_t)(k >> 16);
	bits[2] = (uint8_t)(k >> 8);
	bits[3] = (uint8_t)k;
	mac_set_key(p, &m, key, p->key_bytes);
	mac_update(p, &m, counter, 4);
	mac_update(p, &m, label, llen);
	mac_update(p, &m, &zero, 1);
	mac_update(p, &m, context, ctxlen);
	mac_update(p, &m, bits, 4);
	mac_digest(p, &m, out, outlen);
	kssp_memzero(&m, sizeof(m));
}

static kssp_err sha2_derive(const struct kssp_enctype_profile *p, const uint8_t *key,
    const uint8_t *constant, size_t clen, uint8_t *out, size_t outlen)
{
	kdf_hmac_sha2(p, key, constant, clen, NULL, 0, out, outlen);
	return KSSP_OK;
}

/* RFC 8009 §4: saltp = enctype-name || 0x00 || salt; tkey = random-to-key(
 * PBKDF2-HMAC-SHA2(passphrase, saltp, iterations, keylength)); key =
 * KDF-HMAC-SHA2(tkey, "kerberos", keylength). */
static kssp_err sha2_s2k(const struct kssp_enctype_profile *p, const char *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *key)
{
	uint8_t tkey[32], *saltp;
	size_t saltplen;
	kssp_err e = kssp_prefixed_salt(p, salt, saltlen, &saltp, &saltplen);

	if (e)
		return e;
	if (is_sha384(p))
		pbkdf2_hmac_sha384(pwlen, (const uint8_t *)pw, iterations, saltplen, saltp,
		    p->key_bytes, tkey);
	else
		pbkdf2_hmac_sha256(pwlen, (const uint8_t *)pw, iterations, saltplen, saltp,
		    p->key_bytes, tkey);
	kssp_free(saltp);
	kdf_hmac_sha2(p, tkey, (const uint8_t *)"kerberos", 8, NULL, 0, key, p->key_bytes);
	kssp_memzero(tkey, sizeof(tkey));
	return KSSP_OK;
}

/* RFC 8009 §5: Ke is the key size, Ki and Kc the MAC truncation size. */
static kssp_err sha2_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    uint32_t usage, struct kssp_usage_keys *slot)
{
	uint8_t c[5], k[32];
	size_t h = p->trailer_bytes;

	kssp_usage_constant(usage, 0xAA, c);
	kdf_hmac_sha2(p, key, c, 5, NULL, 0, k, p->key_bytes);
	if (p->key_bytes == 16) {
		aes128_set_encrypt_key(&slot->ke.aes128.enc, k);
		aes128_invert_key(&slot->ke.aes128.dec, &slot->ke.aes128.enc);
	} else {
		aes256_set_encrypt_key(&slot->ke.aes256.enc, k);
		aes256_invert_key(&slot->ke.aes256.dec, &slot->ke.aes256.enc);
	}
	kssp_usage_constant(usage, 0x55, c);
	kdf_hmac_sha2(p, key, c, 5, NULL, 0, k, h);
	mac_set_key(p, &slot->ki, k, h);
	kssp_usage_constant(usage, 0x99, c);
	kdf_hmac_sha2(p, key, c, 5, NULL, 0, k, h);
	mac_set_key(p, &slot->kc, k, h);
	kssp_memzero(k, sizeof(k));
	return KSSP_OK;
}

static void sha2_cts(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
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

/* The MAC over the all-zero initial cipher state and the ciphertext. */
static void sha2_mac(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const uint8_t *c, size_t n, uint8_t *out)
{
	static const uint8_t iv[KSSP_BLOCK];
	union kssp_mac_ctx *m = &slot->ki;

	mac_update(p, m, iv, sizeof(iv));
	mac_update(p, m, c, n);
	mac_digest(p, m, out, p->trailer_bytes);
}

static void sha2_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_cts_cipher c;

	sha2_cts(p, slot, true, &c);
	kssp_cts_encrypt(&c, buf, n);
	sha2_mac(p, slot, buf, n, buf + n);
}

/* Encrypt-then-MAC: the MAC is checked before anything is decrypted. */
static kssp_err sha2_decrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_cts_cipher c;
	uint8_t mac[24];
	size_t body = n - p->trailer_bytes;

	sha2_mac(p, slot, buf, body, mac);
	if (!kssp_ct_equal(mac, buf + body, p->trailer_bytes))
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: integrity check failed", p->name);
	sha2_cts(p, slot, false, &c);
	kssp_cts_decrypt(&c, buf, body);
	return KSSP_OK;
}

static void sha2_checksum(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out)
{
	union kssp_mac_ctx *m = &slot->kc;
	size_t i;

	for (i = 0; i < nparts; i++)
		mac_update(p, m, parts[i].data, parts[i].len);
	mac_digest(p, m, out, p->cksum_bytes);
}

/* RFC 8009 §5: PRF = KDF-HMAC-SHA2(key, "prf", input, 256 or 384). */
static void sha2_prf(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
    size_t len, uint8_t *out)
{
	kdf_hmac_sha2(p, key, (const uint8_t *)"prf", 3, in, len, out, p->prf_bytes);
}

const struct kssp_crypto_ops kssp_aes_sha2_ops = {
	0, sha2_s2k, sha2_derive, sha2_setup_usage, sha2_encrypt, sha2_decrypt, sha2_checksum,
	sha2_prf,
};
