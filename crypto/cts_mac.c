/*
 * crypto/cts_mac.c - what the CBC-CTS enctypes share: Ke/Ki/Kc of a key
 * usage (RFC 3961 §5.3), CTS encryption in place with the integrity MAC
 * after it, the constant-time check on the way back, and the Kc checksum.
 * RFC 3962 (aes-sha1) and RFC 6803 (camellia) MAC the plaintext, RFC 8009
 * (aes-sha2) MACs IV || ciphertext; each family file supplies its cipher,
 * its MAC and which of the two it is (struct kssp_cts_mac_ops).
 *
 * The dispatcher (crypto/key.c) has placed confounder || plaintext (in
 * one buffer or several) and checked the lengths; nothing here allocates.
 */
#include <string.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

#define MAC_MAX 24 /* the longest trailer: HMAC-SHA384-192, RFC 8009 §5 */

/* Room for one working hash state of the CBC-CTS families' HMACs. */
union hash_state {
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	struct sha512_ctx sha512;
};

/* The outer and inner states sit in h in that order, as hash's contexts. */
void kssp_hmac_set_key(void *h, const struct nettle_hash *hash, const uint8_t *key, size_t len)
{
	union hash_state state;
	uint8_t *outer = h;

	hmac_set_key(outer, outer + hash->context_size, &state, hash, len, key);
	kssp_memzero(&state, sizeof(state));
}

/*
 * HMAC = H(Ko || H(Ki || parts)) from the keyed states, each copied by
 * value into one working state (RFC 2104 §2).  Unlike Nettle's
 * hmac_digest this does not copy the inner state back afterwards: a
 * finished digest leaves the working state re-initialised, holding no key,
 * so it needs no wiping.  Its buffer keeps the inner digest, a keyed value
 * that, like the MAC itself, reveals neither key nor message.
 */
void kssp_hmac_parts(const void *h, const struct nettle_hash *hash,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len)
{
	const uint8_t *outer = h, *inner = outer + hash->context_size;
	union hash_state state;
	uint8_t digest[SHA512_DIGEST_SIZE];
	size_t i;

	memcpy(&state, inner, hash->context_size);
	for (i = 0; i < nparts; i++)
		hash->update(&state, parts[i].len, parts[i].data);
	hash->digest(&state, hash->digest_size, digest);
	memcpy(&state, outer, hash->context_size);
	hash->update(&state, hash->digest_size, digest);
	hash->digest(&state, len, out);
}

/* DK(key, usage || octet), RFC 3961 §5.3, through the family's derive. */
static kssp_err derive_usage_key(const struct kssp_enctype_profile *p, const uint8_t *key,
    uint32_t usage, uint8_t octet, uint8_t *out, size_t len)
{
	uint8_t c[5];

	kssp_usage_constant(usage, octet, c);
	return p->ops->derive(p, key, c, sizeof(c), out, len);
}

/* The cipher schedule (rounded to 16 bytes) before the MAC, for encryption. */
static size_t mac_offset(const struct kssp_enctype_profile *p, enum kssp_usage_kind kind)
{
	if (kind == KSSP_USE_CHECKSUM)
		return 0;
	return (p->ops->cts_mac->cipher_bytes(p) + 15) & ~(size_t)15;
}

size_t kssp_cts_mac_slot_bytes(const struct kssp_enctype_profile *p, enum kssp_usage_kind kind)
{
	return mac_offset(p, kind) + p->ops->cts_mac->mac_bytes(p);
}

/* Ke (0xAA) and Ki (0x55) for encryption either way, Kc (0x99) for checksums. */
kssp_err kssp_cts_mac_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    struct kssp_usage_keys *slot)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	size_t mac_key = ops->mac_key_is_trailer_sized ? p->trailer_bytes : p->key_bytes;
	uint8_t k[KSSP_CRYPTO_MAX_KEY];
	kssp_err e = KSSP_OK;

	slot->mac = (union kssp_mac_ctx *)(void *)(slot->mem + mac_offset(p, slot->kind));
	if (slot->kind != KSSP_USE_CHECKSUM) {
		e = derive_usage_key(p, key, slot->usage, 0xAA, slot->ke, p->key_bytes);
		if (!e)
			ops->cipher_set_key(p, slot->kind == KSSP_USE_DECRYPT, slot->mem, slot->ke,
			    &slot->cts);
	}
	if (!e)
		e = derive_usage_key(p, key, slot->usage,
		    slot->kind == KSSP_USE_CHECKSUM ? 0x99 : 0x55, k, mac_key);
	if (!e)
		ops->mac_set_key(p, slot->mac, k, mac_key);
	kssp_memzero(k, sizeof(k));
	return e;
}

/* What the family's MAC covers of the parts, as the list its mac() reads:
 * confounder || plaintext, or the ciphertext after the all-zero IV
 * (RFC 8009 §5); the same bytes before and after they are encrypted. */
static size_t mac_list(const struct kssp_cts_mac_ops *ops, const struct kssp_crypto_buf *parts,
    size_t n, struct kssp_crypto_iov *list)
{
	static const uint8_t zero_iv[KSSP_BLOCK];
	size_t m = 0, i;

	if (ops->covers == KSSP_MAC_IV_CIPHERTEXT) {
		list[m].data = zero_iv;
		list[m++].len = sizeof(zero_iv);
	}
	for (i = 0; i < n; i++) {
		list[m].data = parts[i].data;
		list[m++].len = parts[i].len;
	}
	return m;
}

/* Ke one way: the slot's schedule, or one keyed into tmp from the slot's Ke
 * when the slot was set up for the other direction. */
static const struct kssp_cts_cipher *cipher(const struct kssp_enctype_profile *p,
    const struct kssp_usage_keys *slot, bool decrypt, void *tmp, struct kssp_cts_cipher *c)
{
	if ((slot->kind == KSSP_USE_DECRYPT) == decrypt)
		return &slot->cts;
	p->ops->cts_mac->cipher_set_key(p, decrypt, tmp, slot->ke, c);
	return c;
}

/* The first trailer_bytes of H(Ki, ...) over the caller's signed parts
 * when given (the sign-only layout), else over the family's list. */
static void integrity_mac(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *signed_parts, size_t nsigned,
    const struct kssp_crypto_iov *list, size_t nlist, uint8_t *out)
{
	if (signed_parts)
		p->ops->cts_mac->mac(p, slot->mac, signed_parts, nsigned, out, p->trailer_bytes);
	else
		p->ops->cts_mac->mac(p, slot->mac, list, nlist, out, p->trailer_bytes);
}

/* E(Ke, conf || plain) where the parts lie, the MAC into trailer: of the
 * plaintext before encrypting (RFC 3961 §5.3), of IV || ciphertext after
 * (RFC 8009 §5).  The data is read once by each. */
void kssp_cts_mac_encrypt_parts(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, const struct kssp_crypto_buf *parts, size_t n,
    const struct kssp_crypto_iov *signed_parts, size_t nsigned, uint8_t *trailer)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	_Alignas(16) uint8_t tmp[KSSP_CIPHER_CTX_MAX];
	struct kssp_crypto_iov list[KSSP_CRYPTO_MAX_PARTS + 1];
	struct kssp_cts_cipher c;
	size_t nlist = mac_list(ops, parts, n, list);

	if (ops->covers == KSSP_MAC_PLAINTEXT)
		integrity_mac(p, slot, signed_parts, nsigned, list, nlist, trailer);
	kssp_cts_encrypt_parts(cipher(p, slot, false, tmp, &c), parts, n);
	if (ops->covers == KSSP_MAC_IV_CIPHERTEXT)
		integrity_mac(p, slot, NULL, 0, list, nlist, trailer);
	if (slot->kind == KSSP_USE_DECRYPT)
		kssp_memzero(tmp, sizeof(tmp));
}

void kssp_cts_mac_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_crypto_buf part = { buf, n };

	kssp_cts_mac_encrypt_parts(p, slot, &part, 1, NULL, 0, buf + n);
}

/* A ciphertext MAC is checked before anything is decrypted (RFC 8009 §5),
 * a plaintext MAC after decrypting (RFC 3961 §5.3). */
kssp_err kssp_cts_mac_decrypt_parts(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, const struct kssp_crypto_buf *parts, size_t n,
    const struct kssp_crypto_iov *signed_parts, size_t nsigned, const uint8_t *trailer)
{
	const struct kssp_cts_mac_ops *ops = p->ops->cts_mac;
	_Alignas(16) uint8_t tmp[KSSP_CIPHER_CTX_MAX];
	struct kssp_crypto_iov list[KSSP_CRYPTO_MAX_PARTS + 1];
	const struct kssp_cts_cipher *ke;
	struct kssp_cts_cipher c;
	uint8_t mac[MAC_MAX];
	size_t nlist = mac_list(ops, parts, n, list);
	kssp_err e = KSSP_OK;

	if (p->trailer_bytes > sizeof(mac))
		return kssp_fail(KSSP_ERR_INTERNAL, "%s: a %zu-byte MAC", p->name, p->trailer_bytes);
	ke = cipher(p, slot, true, tmp, &c);
	if (ops->covers == KSSP_MAC_PLAINTEXT) {
		kssp_cts_decrypt_parts(ke, parts, n);
		integrity_mac(p, slot, signed_parts, nsigned, list, nlist, mac);
	} else {
		integrity_mac(p, slot, NULL, 0, list, nlist, mac);
	}
	/* The MAC is no secret (it travels with the message), so mac is not
	 * zeroed; the plaintext left in the parts on a mismatch is the
	 * caller's to wipe (crypto/key.c does). */
	if (!kssp_ct_equal(mac, trailer, p->trailer_bytes))
		e = kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: integrity check failed", p->name);
	else if (ops->covers == KSSP_MAC_IV_CIPHERTEXT)
		kssp_cts_decrypt_parts(ke, parts, n);
	if (slot->kind != KSSP_USE_DECRYPT)
		kssp_memzero(tmp, sizeof(tmp));
	return e;
}

kssp_err kssp_cts_mac_decrypt(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, uint8_t *buf, size_t n)
{
	struct kssp_crypto_buf part = { buf, n - p->trailer_bytes };

	if (n < p->trailer_bytes + KSSP_BLOCK)
		return kssp_fail(KSSP_ERR_INTERNAL, "%s: %zu bytes cannot be a ciphertext", p->name, n);
	return kssp_cts_mac_decrypt_parts(p, slot, &part, 1, NULL, 0, buf + part.len);
}

/* RFC 3961 §5.3 (RFC 8009 §5, RFC 6803 §4): checksum = H(Kc, parts),
 * truncated to cksum_bytes. */
void kssp_cts_mac_checksum(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out)
{
	p->ops->cts_mac->mac(p, slot->mac, parts, nparts, out, p->cksum_bytes);
}
