/*
 * crypto/cts_mac.c - what the CBC-CTS enctypes share: Ke/Ki/Kc of a key
 * usage (RFC 3961 §5.3), CTS encryption in place with the integrity MAC
 * after it, the constant-time check on the way back, and the Kc checksum.
 * RFC 3962 (aes-sha1) and RFC 6803 (camellia) MAC the plaintext, RFC 8009
 * (aes-sha2) MACs IV || ciphertext; each family file supplies its cipher,
 * its MAC and which of the two it is (struct kssp_cts_mac_ops).
 *
 * The dispatcher (crypto/key.c) has placed confounder || plaintext and
 * checked the lengths; nothing here allocates.
 */
#include "base/base.h"
#include "crypto/crypto_int.h"

#define MAC_MAX 24 /* the longest trailer: HMAC-SHA384-192, RFC 8009 §5 */

/* DK(key, usage || octet), RFC 3961 §5.3, through the family's derive. */
static kssp_err derive_usage_key(const struct kssp_enctype_profile *p, const uint8_t *key,
    uint32_t usage, uint8_t octet, uint8_t *out, size_t len)
{
	uint8_t c[5];

	kssp_usage_constant(usage, octet, c);
	return p->ops->derive(p, key, c, sizeof(c), out, len);
}

kssp_err kssp_cts_mac_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    uint32_t usage, struct kssp_usage_keys *slot)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	size_t mac_key = ops->mac_key_is_trailer_sized ? p->trailer_bytes : p->key_bytes;
	uint8_t k[KSSP_CRYPTO_MAX_KEY];
	kssp_err e = derive_usage_key(p, key, usage, 0xAA, k, p->key_bytes);

	if (!e) {
		ops->cipher_set_key(p, slot, k);
		e = derive_usage_key(p, key, usage, 0x55, k, mac_key);
	}
	if (!e) {
		ops->mac_set_key(p, &slot->ki, k, mac_key);
		e = derive_usage_key(p, key, usage, 0x99, k, mac_key);
	}
	if (!e)
		ops->mac_set_key(p, &slot->kc, k, mac_key);
	kssp_memzero(k, sizeof(k));
	return e;
}

/* The first trailer_bytes of H(Ki, ...) over what the family's MAC covers:
 * data is the confounder || plaintext, or the ciphertext after the all-zero
 * IV (RFC 8009 §5). */
static inline void integrity_mac(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, const uint8_t *data, size_t n, uint8_t *out)
{
	static const uint8_t zero_iv[KSSP_BLOCK];
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	const struct kssp_crypto_iov parts[2] = { { zero_iv, sizeof(zero_iv) }, { data, n } };
	size_t first = ops->covers == KSSP_MAC_IV_CIPHERTEXT ? 0 : 1;

	ops->mac(p, &slot->ki, parts + first, 2 - first, out, p->trailer_bytes);
}

/* ciphertext = E(Ke, conf || plain) || MAC.  The trailer room after buf is
 * not touched by the encryption, so a plaintext MAC goes straight there. */
void kssp_cts_mac_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;

	if (ops->covers == KSSP_MAC_PLAINTEXT)
		integrity_mac(p, slot, buf, n, buf + n);
	kssp_cts_encrypt(&slot->cts_enc, buf, n);
	if (ops->covers == KSSP_MAC_IV_CIPHERTEXT)
		integrity_mac(p, slot, buf, n, buf + n);
}

/* A ciphertext MAC is checked before anything is decrypted (RFC 8009 §5),
 * a plaintext MAC after decrypting (RFC 3961 §5.3). */
kssp_err kssp_cts_mac_decrypt(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, uint8_t *buf, size_t n)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	uint8_t mac[MAC_MAX];
	size_t body;

	if (p->trailer_bytes > sizeof(mac) || n < p->trailer_bytes + KSSP_BLOCK)
		return kssp_fail(KSSP_ERR_INTERNAL, "%s: %zu bytes cannot be a ciphertext", p->name, n);
	body = n - p->trailer_bytes;
	if (ops->covers == KSSP_MAC_PLAINTEXT)
		kssp_cts_decrypt(&slot->cts_dec, buf, body);
	integrity_mac(p, slot, buf, body, mac);
	/* The MAC is no secret (it travels with the message), so mac is not
	 * zeroed; the plaintext left in buf on a mismatch is the caller's to
	 * wipe (crypto/key.c does). */
	if (!kssp_ct_equal(mac, buf + body, p->trailer_bytes))
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: integrity check failed", p->name);
	if (ops->covers == KSSP_MAC_IV_CIPHERTEXT)
		kssp_cts_decrypt(&slot->cts_dec, buf, body);
	return KSSP_OK;
}

/* RFC 3961 §5.3 (RFC 8009 §5, RFC 6803 §4): checksum = H(Kc, parts),
 * truncated to cksum_bytes. */
void kssp_cts_mac_checksum(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out)
{
	p->ops->cts_mac->mac(p, &slot->kc, parts, nparts, out, p->cksum_bytes);
}
