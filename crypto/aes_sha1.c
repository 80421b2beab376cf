/*
 * crypto/aes_sha1.c - aes128-cts-hmac-sha1-96 (17) and
 * aes256-cts-hmac-sha1-96 (18), RFC 3962 on the RFC 3961 simplified
 * profile: DK by n-fold and AES feedback (RFC 3961 §5.1), AES-CTS
 * encryption, HMAC-SHA1-96 over the plaintext (RFC 3961 §5.3).
 */
#include <string.h>

#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

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
	return kssp_pbkdf2_string_to_key(p, pbkdf2_hmac_sha1, false, pw, pwlen, salt, saltlen,
	    iterations, key);
}

/* RFC 3961 §5.3 with RFC 3962 §6: HMAC-SHA1 keyed with the whole derived
 * key, truncated to 96 bits by the profile's trailer and checksum sizes. */
static void mac_set_key(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const uint8_t *key, size_t len)
{
	(void)p;
	kssp_hmac_set_key(&m->sha1, &nettle_sha1, key, len);
}

static void mac_parts(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len)
{
	(void)p;
	kssp_hmac_parts(&m->sha1, &nettle_sha1, parts, nparts, out, len);
}

/* RFC 3961 §5.3: ciphertext = E(Ke, conf || plain) || H(Ki, conf || plain). */
static size_t mac_bytes(const struct kssp_enctype_profile *p)
{
	(void)p;
	return sizeof(struct kssp_hmac_sha1);
}

static const struct kssp_cts_mac_ops aes_sha1_mac = {
	kssp_cts_aes_set_key, kssp_cts_aes_bytes, mac_bytes, mac_set_key, mac_parts,
	KSSP_MAC_PLAINTEXT, false,
};

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
	0, aes_s2k, aes_dk, kssp_cts_mac_slot_bytes, kssp_cts_mac_setup_usage, kssp_cts_mac_encrypt, kssp_cts_mac_decrypt,
	kssp_cts_mac_checksum, aes_prf, &aes_sha1_mac,
};
