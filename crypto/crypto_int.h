/*
 * crypto/crypto_int.h - what the crypto/ files share and nothing above sees:
 * the profile operations, the per-usage derived-key cache, CBC-CTS and the
 * KDF helpers.  Tests include it to reach the machinery directly.
 */
#ifndef KSSP_CRYPTO_CRYPTO_INT_H
#define KSSP_CRYPTO_CRYPTO_INT_H

#include <nettle/aes.h>
#include <nettle/camellia.h>
#include <nettle/cmac.h>
#include <nettle/hmac.h>
#include <nettle/nettle-meta.h>
#include <nettle/nettle-types.h>

#include "crypto/crypto.h"

#define KSSP_BLOCK ((size_t)16) /* AES and Camellia block size */

struct kssp_cmac_camellia128 CMAC128_CTX(struct camellia128_ctx);
struct kssp_cmac_camellia256 CMAC128_CTX(struct camellia256_ctx);

/* A block cipher in CBC mode: cbc() runs CBC over len (a multiple of 16)
 * bytes updating iv; block() runs the cipher on whole blocks (ECB). */
struct kssp_cts_cipher {
	const void *ctx;
	void (*cbc)(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
	nettle_cipher_func *block;
};

/* A keyed HMAC without its working state: Nettle's hmac_digest() takes the
 * outer and inner states apart from the one it works in, which lives on
 * the stack for one message (kssp_hmac_parts), a third less memory a key. */
struct kssp_hmac_sha1 { struct sha1_ctx outer, inner; };
struct kssp_hmac_sha256 { struct sha256_ctx outer, inner; };
struct kssp_hmac_sha384 { struct sha512_ctx outer, inner; };

/* Keys h (an outer/inner pair of hash's contexts) with key. */
void kssp_hmac_set_key(void *h, const struct nettle_hash *hash, const uint8_t *key, size_t len);
/* The first len bytes of the HMAC over the parts with h. */
void kssp_hmac_parts(const void *h, const struct nettle_hash *hash,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len);

/* The MAC contexts of the CBC-CTS families.  A slot holds only the member
 * its profile uses (the union is never allocated whole). */
union kssp_mac_ctx {
	struct kssp_hmac_sha1 sha1;
	struct kssp_hmac_sha256 sha256;
	struct kssp_hmac_sha384 sha384;
	struct kssp_cmac_camellia128 cmac128;
	struct kssp_cmac_camellia256 cmac256;
};

/* What a usage's slot is keyed for (RFC 3961 §5.3): encryption (Ke in the
 * encrypting direction and Ki), decryption (Ke in the decrypting direction
 * and Ki), or checksums (Kc).  A key nearly always uses a usage one way
 * only, so a slot expands Ke for the direction of its first use; the other
 * direction, should it come, keys a schedule on the stack from the slot's
 * Ke and still allocates nothing. */
enum kssp_usage_kind { KSSP_USE_ENCRYPT, KSSP_USE_DECRYPT, KSSP_USE_CHECKSUM };

/*
 * The derived keys of one key usage and kind, as ready-to-use Nettle
 * contexts in mem, which is sized by the profile (ops->slot_bytes): the
 * cipher schedule first, then the MAC (Ki or Kc); for RC4, K1.  HMAC
 * contexts are reusable because Nettle's digest re-keys the inner state.
 * cts and mac point into the slot, which is why slots are never copied.
 */
struct kssp_usage_keys {
	uint32_t usage;
	uint8_t kind;               /* enum kssp_usage_kind */
	size_t size;                /* bytes allocated, mem included */
	struct kssp_cts_cipher cts; /* Ke of a CBC-CTS family in the slot's direction */
	union kssp_mac_ctx *mac;    /* Ki or Kc of a CBC-CTS family */
	uint8_t ke[KSSP_CRYPTO_MAX_KEY]; /* Ke itself, for the other direction */
	_Alignas(16) uint8_t mem[];
};

/* The largest cipher schedule a CBC-CTS family keys (Camellia-256), and
 * the most a slot's mem holds (the schedule rounded to 16, then a MAC). */
#define KSSP_CIPHER_CTX_MAX sizeof(struct camellia256_ctx)
#define KSSP_SLOT_MEM_MAX (((KSSP_CIPHER_CTX_MAX + 15) & ~(size_t)15) + sizeof(union kssp_mac_ctx))

/* Each slot is allocated on its usage's first use: a context that only
 * seals holds the schedules of one usage per direction, not of four. */
struct kssp_key_cache {
	struct kssp_usage_keys *slot[KSSP_KEY_CACHE_SLOTS];
	unsigned next; /* slot replaced next when a new usage arrives */
};

struct kssp_cts_mac_ops;

/* What each profile family implements (crypto/aes_sha1.c, aes_sha2.c,
 * camellia.c, rc4.c).  Lengths are checked by the dispatcher (crypto/key.c)
 * before these run. */
struct kssp_crypto_ops {
	/* Where confounder || plaintext start in a ciphertext: 0, or 16 for
	 * RC4, whose checksum leads (RFC 4757 §5). */
	size_t body_offset;
	kssp_err (*string_to_key)(const struct kssp_enctype_profile *p, const char *pw,
	    size_t pwlen, const uint8_t *salt, size_t saltlen, uint32_t iterations,
	    uint8_t *key);
	kssp_err (*derive)(const struct kssp_enctype_profile *p, const uint8_t *key,
	    const uint8_t *constant, size_t clen, uint8_t *out, size_t outlen);
	/* Bytes of a slot's mem for kind. */
	size_t (*slot_bytes)(const struct kssp_enctype_profile *p, enum kssp_usage_kind kind);
	/* Fills slot (usage and kind set, mem zeroed) from the protocol key. */
	kssp_err (*setup_usage)(const struct kssp_enctype_profile *p, const uint8_t *key,
	    struct kssp_usage_keys *slot);
	/* buf holds confounder || plaintext (n bytes) and room for the trailer
	 * after it; encrypts in place and appends the trailer.  For RC4 the
	 * layout is checksum(16) || confounder || plaintext. */
	void (*encrypt)(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
	    uint8_t *buf, size_t n);
	/* buf holds the whole ciphertext (n bytes); decrypts in place, leaving
	 * confounder || plaintext where encrypt found them; KRB_AP_ERR_BAD_INTEGRITY
	 * on mismatch. */
	kssp_err (*decrypt)(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
	    uint8_t *buf, size_t n);
	/* Checksum with Kc of slot over the parts into out (cksum_bytes). */
	void (*checksum)(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
	    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out);
	void (*prf)(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
	    size_t len, uint8_t *out);
	/* The cipher and MAC of a CBC-CTS family (crypto/cts_mac.c), whose
	 * setup_usage, encrypt, decrypt and checksum are the kssp_cts_mac_*
	 * functions below; NULL for RC4. */
	const struct kssp_cts_mac_ops *cts_mac;
};

extern const struct kssp_crypto_ops kssp_aes_sha1_ops;
extern const struct kssp_crypto_ops kssp_aes_sha2_ops;
extern const struct kssp_crypto_ops kssp_camellia_ops;
extern const struct kssp_crypto_ops kssp_rc4_ops;

/* ---- CBC with ciphertext stealing, RFC 3962 §5 ------------------------- */

/* CBC-CTS with the last two blocks swapped, zero IV, in place over the
 * concatenation of the n parts (16 bytes or more in all, any split).  A
 * single block is plain CBC (RFC 3962 §5). */
void kssp_cts_encrypt_parts(const struct kssp_cts_cipher *c, const struct kssp_crypto_buf *parts,
    size_t n);
/* The inverse; c->cbc / c->block are the decryption functions. */
void kssp_cts_decrypt_parts(const struct kssp_cts_cipher *c, const struct kssp_crypto_buf *parts,
    size_t n);

/* Cipher adapters for kssp_cts_cipher (crypto/cts.c). */
void kssp_cbc_aes128_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_aes128_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_aes256_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_aes256_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_cam128_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_cam128_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_cam256_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_cbc_cam256_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_aes128_enc(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_aes128_dec(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_aes256_enc(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_aes256_dec(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_cam128(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);
void kssp_ecb_cam256(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src);

/* Ke as Nettle's AES (16- or 32-byte keys, RFC 3962 and RFC 8009): the
 * schedule of one direction in ctx, c on it. */
void kssp_cts_aes_set_key(const struct kssp_enctype_profile *p, bool decrypt, void *ctx,
    const uint8_t *key, struct kssp_cts_cipher *c);
/* The bytes of that schedule. */
size_t kssp_cts_aes_bytes(const struct kssp_enctype_profile *p);

/* ---- CBC-CTS enctypes with a MAC (crypto/cts_mac.c) --------------------- */

/* What the integrity MAC of an encryption covers. */
enum kssp_mac_covers {
	/* RFC 3961 §5.3 (RFC 3962, RFC 6803 §4): H(Ki, conf || plain), computed
	 * before encrypting and checked after decrypting. */
	KSSP_MAC_PLAINTEXT,
	/* RFC 8009 §5: H(Ki, IV || ciphertext) with the all-zero IV, computed
	 * after encrypting and checked before anything is decrypted. */
	KSSP_MAC_IV_CIPHERTEXT,
};

/*
 * What differs between aes-sha1, aes-sha2 and camellia: the cipher
 * (cipher_set_key keys ctx with Ke for one direction and fills c for
 * kssp_cts_encrypt_parts/decrypt_parts), the MAC (keyed from
 * Ki and Kc into a slot's union kssp_mac_ctx; mac() writes the first len
 * bytes of the MAC over parts in order, in one call so a message costs one
 * indirect call, and leaves the keyed context ready for the next message)
 * and what the MAC covers.  The profile's trailer_bytes is the MAC length
 * of an encryption, cksum_bytes that of a checksum.
 */
struct kssp_cts_mac_ops {
	void (*cipher_set_key)(const struct kssp_enctype_profile *p, bool decrypt, void *ctx,
	    const uint8_t *ke, struct kssp_cts_cipher *c);
	/* Bytes of the cipher schedule and of the MAC context. */
	size_t (*cipher_bytes)(const struct kssp_enctype_profile *p);
	size_t (*mac_bytes)(const struct kssp_enctype_profile *p);
	void (*mac_set_key)(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
	    const uint8_t *key, size_t len);
	void (*mac)(const struct kssp_enctype_profile *p, union kssp_mac_ctx *m,
	    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t len);
	enum kssp_mac_covers covers;
	/* Ki and Kc are trailer_bytes long (RFC 8009 §5), else key_bytes. */
	bool mac_key_is_trailer_sized;
};

/* The kssp_crypto_ops entries of a family with p->ops->cts_mac set; they
 * keep the contracts documented there.  Ke, Ki and Kc come from
 * p->ops->derive with the RFC 3961 §5.3 usage constants. */
size_t kssp_cts_mac_slot_bytes(const struct kssp_enctype_profile *p, enum kssp_usage_kind kind);
kssp_err kssp_cts_mac_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    struct kssp_usage_keys *slot);
void kssp_cts_mac_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n);
kssp_err kssp_cts_mac_decrypt(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, uint8_t *buf, size_t n);
/* The same over a message in parts with the trailer apart (the contracts of
 * kssp_crypto_encrypt_parts and kssp_crypto_decrypt_parts, parts 16 bytes
 * or more in all); signed_parts only for families with covers ==
 * KSSP_MAC_PLAINTEXT. */
void kssp_cts_mac_encrypt_parts(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, const struct kssp_crypto_buf *parts, size_t n,
    const struct kssp_crypto_iov *signed_parts, size_t nsigned, uint8_t *trailer);
kssp_err kssp_cts_mac_decrypt_parts(const struct kssp_enctype_profile *p,
    struct kssp_usage_keys *slot, const struct kssp_crypto_buf *parts, size_t n,
    const struct kssp_crypto_iov *signed_parts, size_t nsigned, const uint8_t *trailer);
void kssp_cts_mac_checksum(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out);

/* ---- shared helpers ---------------------------------------------------- */

/* RFC 3961 §5.3 well-known constant: usage (big-endian) || octet. */
void kssp_usage_constant(uint32_t usage, uint8_t octet, uint8_t out[5]);

/* Nettle's pbkdf2_hmac_sha1/sha256/sha384 share this shape. */
typedef void kssp_pbkdf2_func(size_t pwlen, const uint8_t *pw, unsigned iterations,
    size_t saltlen, const uint8_t *salt, size_t len, uint8_t *out);

/* The PBKDF2 string-to-key of RFC 3962 §4, RFC 8009 §4 and RFC 6803 §3:
 * tkey = PBKDF2(pw, salt, iterations, key_bytes), where the salt is
 * prefixed with profile name || 0x00 when name_prefix (RFC 8009, 6803);
 * key = p->ops->derive(tkey, "kerberos"). */
kssp_err kssp_pbkdf2_string_to_key(const struct kssp_enctype_profile *p, kssp_pbkdf2_func *prf,
    bool name_prefix, const char *pw, size_t pwlen, const uint8_t *salt, size_t saltlen,
    uint32_t iterations, uint8_t *key);

#endif
