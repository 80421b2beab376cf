/*
 * crypto/aes_sha2.c - aes128-cts-hmac-sha256-128 (19) and
 * aes256-cts-hmac-sha384-192 (20), RFC 8009: KDF-HMAC-SHA2 key
 * derivation (§3), PBKDF2-HMAC-SHA2 string-to-key with the enctype-name
 * salt prefix (§4), AES-CTS then HMAC over IV || ciphertext (§5).
 */
#include <string.h>

#include <nettle/pbkdf2.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

static bool is_sha384(const struct kssp_enctype_profile *p)
{
	return p->enctype == KSSP_ENCTYPE_AES256_CTS_HMAC_SHA384_192;
}

static void mac_set_key(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const uint8_t *key, size_t len)
{
	if (is_sha384(p))
		kssp_hmac_set_key(&m->sha384, &nettle_sha384, key, len);
	else
		kssp_hmac_set_key(&m->sha256, &nettle_sha256, key, len);
}

/* Writes the first len bytes (len <= the digest size) of the MAC over the
 * parts. */
static void mac_parts(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len)
{
	if (is_sha384(p))
		kssp_hmac_parts(&m->sha384, &nettle_sha384, parts, nparts, out, len);
	else
		kssp_hmac_parts(&m->sha256, &nettle_sha256, parts, nparts, out, len);
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
	const struct kssp_crypto_iov parts[] = {
		{ counter, 4 }, { label, llen }, { &zero, 1 }, { context, ctxlen }, { bits, 4 },
	};

	bits[0] = (uint8_t)(k >> 24);
	bits[1] = (uint8_t)(k >> 16);
	bits[2] = (uint8_t)(k >> 8);
	bits[3] = (uint8_t)k;
	mac_set_key(p, &m, key, p->key_bytes);
	mac_parts(p, &m, parts, 5, out, outlen);
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
	return kssp_pbkdf2_string_to_key(p, is_sha384(p) ? pbkdf2_hmac_sha384 : pbkdf2_hmac_sha256,
	    true, pw, pwlen, salt, saltlen, iterations, key);
}

/* RFC 8009 §5: Ki and Kc are as long as the MAC truncation; the MAC covers
 * the all-zero initial cipher state and the ciphertext. */
static size_t mac_bytes(const struct kssp_enctype_profile *p)
{
	return is_sha384(p) ? sizeof(struct kssp_hmac_sha384) : sizeof(struct kssp_hmac_sha256);
}

static const struct kssp_cts_mac_ops aes_sha2_mac = {
	kssp_cts_aes_set_key, kssp_cts_aes_bytes, mac_bytes, mac_set_key, mac_parts,
	KSSP_MAC_IV_CIPHERTEXT, true,
};

/* RFC 8009 §5: PRF = KDF-HMAC-SHA2(key, "prf", input, 256 or 384). */
static void sha2_prf(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
    size_t len, uint8_t *out)
{
	kdf_hmac_sha2(p, key, (const uint8_t *)"prf", 3, in, len, out, p->prf_bytes);
}

const struct kssp_crypto_ops kssp_aes_sha2_ops = {
	0, sha2_s2k, sha2_derive, kssp_cts_mac_slot_bytes, kssp_cts_mac_setup_usage, kssp_cts_mac_encrypt,
	kssp_cts_mac_decrypt, kssp_cts_mac_checksum, sha2_prf, &aes_sha2_mac,
};

kssp_err kssp_crypto_sha2(unsigned bits, const uint8_t *in, size_t len, uint8_t *out)
{
	const struct nettle_hash *h = bits == 256 ? &nettle_sha256 : bits == 384 ? &nettle_sha384 :
	    bits == 512 ? &nettle_sha512 : NULL;
	struct sha512_ctx ctx; /* the largest of the three contexts */

	if (h == NULL)
		return kssp_fail(KSSP_ERR_UNSUPPORTED, "SHA-%u: not a SHA-2 size kssp computes", bits);
	h->init(&ctx);
	h->update(&ctx, len, in);
	h->digest(&ctx, h->digest_size, out);
	kssp_memzero(&ctx, sizeof(ctx));
	return KSSP_OK;
}
