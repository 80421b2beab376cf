/*
 * crypto/camellia.c - camellia128-cts-cmac (25) and camellia256-cts-cmac
 * (26), RFC 6803: KDF-FEEDBACK-CMAC key derivation (§3, NIST SP 800-108
 * feedback mode), PBKDF2-HMAC-SHA1 string-to-key with the enctype-name
 * salt prefix, Camellia-CTS encryption and CMAC over the plaintext (§4).
 */
#include <string.h>

#include <nettle/pbkdf2.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

static bool is_256(const struct kssp_enctype_profile *p)
{
	return p->key_bytes == 32;
}

/* The CMAC key is as long as the cipher key (RFC 6803 §4), so len is
 * key_bytes and the profile decides. */
static void cmac_set_key(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const uint8_t *key, size_t len)
{
	(void)len;
	if (is_256(p))
		CMAC128_SET_KEY(&m->cmac256, camellia256_set_encrypt_key, camellia256_crypt, key);
	else
		CMAC128_SET_KEY(&m->cmac128, camellia128_set_encrypt_key, camellia128_crypt, key);
}

/* Writes the first len bytes (len <= 16) of the CMAC over the parts.
 * Nettle's digest resets the CMAC state, so the keyed context is reused. */
static void cmac_parts(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len)
{
	size_t i;

	if (is_256(p)) {
		for (i = 0; i < nparts; i++)
			CMAC128_UPDATE(&m->cmac256, camellia256_crypt, parts[i].len, parts[i].data);
		CMAC128_DIGEST(&m->cmac256, camellia256_crypt, len, out);
	} else {
		for (i = 0; i < nparts; i++)
			CMAC128_UPDATE(&m->cmac128, camellia128_crypt, parts[i].len, parts[i].data);
		CMAC128_DIGEST(&m->cmac128, camellia128_crypt, len, out);
	}
}

/* RFC 6803 §3: K(0) = 0^128, K(i) = CMAC(key, K(i-1) || i || constant ||
 * 0x00 || k); DR = the first k bits of K(1) || K(2) || ...; random-to-key
 * is the identity. */
static kssp_err cam_derive(const struct kssp_enctype_profile *p, const uint8_t *key,
    const uint8_t *constant, size_t clen, uint8_t *out, size_t outlen)
{
	static const uint8_t zero = 0;
	union kssp_mac_ctx m;
	uint8_t k[KSSP_BLOCK] = { 0 }, be[4], bits[4];
	uint32_t i, kbits = (uint32_t)outlen * 8;
	size_t done = 0;
	const struct kssp_crypto_iov parts[] = {
		{ k, KSSP_BLOCK }, { be, 4 }, { constant, clen }, { &zero, 1 }, { bits, 4 },
	};

	bits[0] = (uint8_t)(kbits >> 24);
	bits[1] = (uint8_t)(kbits >> 16);
	bits[2] = (uint8_t)(kbits >> 8);
	bits[3] = (uint8_t)kbits;
	cmac_set_key(p, &m, key, p->key_bytes);
	for (i = 1; done < outlen; i++) {
		size_t n = outlen - done < KSSP_BLOCK ? outlen - done : KSSP_BLOCK;

		be[0] = (uint8_t)(i >> 24);
		be[1] = (uint8_t)(i >> 16);
		be[2] = (uint8_t)(i >> 8);
		be[3] = (uint8_t)i;
		cmac_parts(p, &m, parts, 5, k, KSSP_BLOCK); /* K(i) replaces K(i-1) */
		memcpy(out + done, k, n);
		done += n;
	}
	kssp_memzero(&m, sizeof(m));
	kssp_memzero(k, sizeof(k));
	return KSSP_OK;
}

/* RFC 6803 §3: tkey = PBKDF2-HMAC-SHA1(passphrase, name || 0x00 || salt,
 * iterations), key = DK(tkey, "kerberos"). */
static kssp_err cam_s2k(const struct kssp_enctype_profile *p, const char *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *key)
{
	return kssp_pbkdf2_string_to_key(p, pbkdf2_hmac_sha1, true, pw, pwlen, salt, saltlen,
	    iterations, key);
}

/* Ke as Camellia: Nettle's one crypt function serves both directions, the
 * schedule decides. */
static void cam_set_key(const struct kssp_enctype_profile *p, bool dec, void *ctx,
    const uint8_t *key, struct kssp_cts_cipher *c)
{
	if (is_256(p)) {
		if (dec)
			camellia256_set_decrypt_key(ctx, key);
		else
			camellia256_set_encrypt_key(ctx, key);
		*c = (struct kssp_cts_cipher){ ctx,
			dec ? kssp_cbc_cam256_dec : kssp_cbc_cam256_enc, kssp_ecb_cam256 };
	} else {
		if (dec)
			camellia128_set_decrypt_key(ctx, key);
		else
			camellia128_set_encrypt_key(ctx, key);
		*c = (struct kssp_cts_cipher){ ctx,
			dec ? kssp_cbc_cam128_dec : kssp_cbc_cam128_enc, kssp_ecb_cam128 };
	}
}

static size_t cam_bytes(const struct kssp_enctype_profile *p)
{
	return is_256(p) ? sizeof(struct camellia256_ctx) : sizeof(struct camellia128_ctx);
}

static size_t cmac_bytes(const struct kssp_enctype_profile *p)
{
	return is_256(p) ? sizeof(struct kssp_cmac_camellia256) :
	    sizeof(struct kssp_cmac_camellia128);
}

/* RFC 6803 §4: ciphertext = E(Ke, conf || plain) || CMAC(Ki, conf || plain),
 * Ki and Kc as long as the key. */
static const struct kssp_cts_mac_ops camellia_mac = {
	cam_set_key, cam_bytes, cmac_bytes, cmac_set_key, cmac_parts, KSSP_MAC_PLAINTEXT, false,
};

/* RFC 6803 §5: PRF = CMAC(DK(key, "prf"), input). */
static void cam_prf(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
    size_t len, uint8_t *out)
{
	union kssp_mac_ctx m;
	uint8_t dk[32];
	const struct kssp_crypto_iov input = { in, len };

	cam_derive(p, key, (const uint8_t *)"prf", 3, dk, p->key_bytes);
	cmac_set_key(p, &m, dk, p->key_bytes);
	cmac_parts(p, &m, &input, 1, out, KSSP_BLOCK);
	kssp_memzero(dk, sizeof(dk));
	kssp_memzero(&m, sizeof(m));
}

const struct kssp_crypto_ops kssp_camellia_ops = {
	0, cam_s2k, cam_derive, kssp_cts_mac_slot_bytes, kssp_cts_mac_setup_usage, kssp_cts_mac_encrypt, kssp_cts_mac_decrypt,
	kssp_cts_mac_checksum, cam_prf, &camellia_mac,
};
