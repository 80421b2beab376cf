/*
 * crypto/crypto.h - the RFC 3961 framework: enctype profiles, keys,
 * string-to-key, encrypt/decrypt, checksums, PRF and KRB-FX-CF2.
 *
 * Supported enctypes (one table, crypto/profile.c):
 *   17 aes128-cts-hmac-sha1-96, 18 aes256-cts-hmac-sha1-96     (RFC 3962)
 *   19 aes128-cts-hmac-sha256-128, 20 aes256-cts-hmac-sha384-192 (RFC 8009)
 *   25 camellia128-cts-cmac, 26 camellia256-cts-cmac           (RFC 6803)
 *   23 arcfour-hmac                                            (RFC 4757)
 * Every other number (DES, DES3, 24 rc4-hmac-exp, unknown) fails with
 * KDC_ERR_ETYPE_NOSUPP and the reason "enctype N (name) not supported".
 *
 * Checksum types: 15 hmac-sha1-96-aes128, 16 hmac-sha1-96-aes256,
 * 19 hmac-sha256-128-aes128, 20 hmac-sha384-192-aes256, 17 cmac-camellia128,
 * 18 cmac-camellia256, -138 hmac-md5-arcfour (RFC 4757; also the PA-FOR-USER
 * checksum of MS-SFU, which keys it with a session key of any enctype).
 * Others fail with KDC_ERR_SUMTYPE_NOSUPP.
 *
 * Every primitive comes from Nettle.  Errors: integrity failures (too-short
 * ciphertext, checksum mismatch) are KRB_AP_ERR_BAD_INTEGRITY and leave no
 * plaintext in the caller's buffer; caller mistakes are KSSP_ERR_INVALID_ARG
 * or KSSP_ERR_BUFFER_TOO_SMALL.
 *
 * Keys and the derived-key cache.  A struct kssp_key holds the protocol key
 * and, once the key is first used to encrypt, decrypt or checksum, a
 * separately allocated cache of derived keys (Ke, Ki, Kc of RFC 3961 §5.3)
 * for the KSSP_KEY_CACHE_SLOTS most recent key usages, kept as Nettle
 * contexts whose key schedules are already expanded.  So per-message
 * protection neither derives nor allocates.  The one-shot forms of the AP
 * and KDC exchanges (kssp_crypto_open, kssp_crypto_seal and the
 * single-buffer kssp_crypto_checksum / kssp_crypto_verify_checksum) use a
 * cached usage when there is one, else derive on the stack and cache
 * nothing.  Consequences for callers:
 *   - always release a key with kssp_crypto_key_clear() (zeroes the key and
 *     the cache, frees the cache);
 *   - never copy a struct kssp_key with memcpy or '='; use
 *     kssp_crypto_key_copy(), which copies the key but not the cache;
 *   - a key is mutated by use (its cache), so one key is not used from two
 *     threads at once without the caller's lock.
 * A zero-initialised struct kssp_key is an empty key (enctype 0); clearing
 * it is harmless.  Functions that make a key (key_init, key_copy,
 * string_to_key, random_to_key, random_key, cf2) overwrite their output
 * without looking at it: pass an empty or uninitialised struct, or clear a
 * used one first, or its cache leaks.  On failure they leave it empty.
 *
 * Cipher state: every operation starts from the all-zero initial cipher
 * state (RFC 3961 §3); no caller of kssp (RFC 4120, RFC 4121) chains state.
 */
#ifndef KSSP_CRYPTO_CRYPTO_H
#define KSSP_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/arcfour.h>
#include <nettle/md5.h>

#include "base/base.h"

/* Enctype numbers (RFC 3961 §8, RFC 8009, RFC 6803, RFC 4757). */
#define KSSP_ENCTYPE_AES128_CTS_HMAC_SHA1_96 17
#define KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96 18
#define KSSP_ENCTYPE_AES128_CTS_HMAC_SHA256_128 19
#define KSSP_ENCTYPE_AES256_CTS_HMAC_SHA384_192 20
#define KSSP_ENCTYPE_ARCFOUR_HMAC 23
#define KSSP_ENCTYPE_CAMELLIA128_CTS_CMAC 25
#define KSSP_ENCTYPE_CAMELLIA256_CTS_CMAC 26

/* Checksum type numbers. */
#define KSSP_CKSUMTYPE_HMAC_SHA1_96_AES128 15
#define KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256 16
#define KSSP_CKSUMTYPE_CMAC_CAMELLIA128 17
#define KSSP_CKSUMTYPE_CMAC_CAMELLIA256 18
#define KSSP_CKSUMTYPE_HMAC_SHA256_128_AES128 19
#define KSSP_CKSUMTYPE_HMAC_SHA384_192_AES256 20
#define KSSP_CKSUMTYPE_HMAC_MD5_ARCFOUR (-138)

/* Key usages, the one list (RFC 4120 §7.5.1 unless noted); RFC 6113's go here too. */
enum kssp_key_usage {
	KSSP_KU_PA_ENC_TIMESTAMP = 1,         /* AS-REQ padata, client key */
	KSSP_KU_TICKET = 2,                   /* Ticket enc-part, service key */
	KSSP_KU_AS_REP_ENC_PART = 3,          /* client key */
	KSSP_KU_TGS_REQ_AD_SESSION = 4,
	KSSP_KU_TGS_REQ_AD_SUBKEY = 5,
	KSSP_KU_TGS_REQ_AUTH_CKSUM = 6,       /* PA-TGS-REQ authenticator checksum */
	KSSP_KU_TGS_REQ_AUTH = 7,             /* PA-TGS-REQ authenticator */
	KSSP_KU_TGS_REP_ENC_PART_SESSION = 8,
	KSSP_KU_TGS_REP_ENC_PART_SUBKEY = 9,
	KSSP_KU_AP_REQ_AUTH_CKSUM = 10,
	KSSP_KU_AP_REQ_AUTH = 11,             /* AP-REQ authenticator */
	KSSP_KU_AP_REP_ENC_PART = 12,
	KSSP_KU_KRB_PRIV_ENC_PART = 13,
	KSSP_KU_KRB_CRED_ENC_PART = 14,
	KSSP_KU_KRB_SAFE_CKSUM = 15,
	KSSP_KU_PA_FOR_USER = 17,             /* MS-SFU 2.2.1 checksum */
	KSSP_KU_PAC_SIGNATURE = 17,           /* MS-PAC 2.8 KERB_NON_KERB_CKSUM_SALT */
	KSSP_KU_AD_KDC_ISSUED_CKSUM = 19,
	KSSP_KU_GSS_ACCEPTOR_SEAL = 22,       /* RFC 4121 §2 */
	KSSP_KU_GSS_ACCEPTOR_SIGN = 23,
	KSSP_KU_GSS_INITIATOR_SEAL = 24,
	KSSP_KU_GSS_INITIATOR_SIGN = 25,
	KSSP_KU_PA_S4U_X509_USER_REQUEST = 26, /* MS-SFU 2.2.2 checksum */
	KSSP_KU_PA_S4U_X509_USER_REPLY = 27,
	KSSP_KU_FAST_REQ_CHKSUM = 50,         /* RFC 6113 §5.4.2 req-checksum, armor key */
	KSSP_KU_FAST_ENC = 51,                /* KrbFastArmoredReq enc-fast-req */
	KSSP_KU_FAST_REP = 52,                /* KrbFastArmoredRep enc-fast-rep */
	KSSP_KU_FAST_FINISHED = 53,           /* KrbFastFinished ticket-checksum */
	KSSP_KU_ENC_CHALLENGE_CLIENT = 54,    /* RFC 6113 §5.4.6 */
	KSSP_KU_ENC_CHALLENGE_KDC = 55,
	KSSP_KU_AS_REQ = 56                   /* RFC 6806 §11 PA-REQ-ENC-PA-REP checksum */
};

/* Bounds over every supported profile. */
#define KSSP_CRYPTO_MAX_KEY 32      /* protocol key bytes */
#define KSSP_CRYPTO_MAX_CKSUM 24    /* checksum bytes */
#define KSSP_CRYPTO_MAX_PRF 48      /* PRF output bytes */
#define KSSP_CRYPTO_MAX_CONFOUNDER 16

/*
 * The largest PBKDF2 iteration count accepted from s2kparams.  s2kparams
 * arrive from the network (ETYPE-INFO2), so an unbounded count would let
 * a KDC or an attacker in the path make the client spin.  The cap is MIT's
 * (src/lib/crypto/krb/s2k_pbkdf2.c rejects counts of 2^24 and above):
 * 16777215 iterations, a few seconds of PBKDF2-HMAC-SHA1 at worst.
 * Larger counts, and 0, fail with KSSP_ERR_LIMIT and a reason naming the
 * count; s2kparams of any length but 4 fail with KSSP_ERR_BAD_ENCODING.
 */
#define KSSP_CRYPTO_S2K_ITER_MAX 16777215u

/* How many key usages' derived keys a key caches. */
#define KSSP_KEY_CACHE_SLOTS 4

struct kssp_key_cache; /* crypto/ private: derived keys per usage */

struct kssp_key {
	int32_t enctype;                         /* 0: no key */
	size_t length;                           /* bytes in contents */
	uint8_t contents[KSSP_CRYPTO_MAX_KEY];   /* the protocol key */
	struct kssp_key_cache *cache;            /* NULL until first use */
};

struct kssp_crypto_ops; /* crypto/ private: the profile's functions */

/* One enctype profile; read-only data from the table. */
struct kssp_enctype_profile {
	int32_t enctype;
	const char *name;            /* MIT's canonical name */
	const char *const *aliases;  /* MIT's other names, NULL-terminated */
	size_t key_bytes;            /* protocol key length */
	size_t seed_bytes;           /* random-to-key input length */
	size_t block_size;           /* cipher block (1 for RC4) */
	size_t confounder_bytes;     /* random prefix of each plaintext */
	size_t trailer_bytes;        /* integrity bytes added by encrypt */
	int32_t cksumtype;           /* the enctype's required checksum type */
	size_t cksum_bytes;          /* length of that checksum */
	size_t prf_bytes;            /* PRF output length */
	uint32_t default_iterations; /* string-to-key default (0: no s2kparams) */
	const struct kssp_crypto_ops *ops;
};

/* One checksum type. */
struct kssp_cksum_profile {
	int32_t cksumtype;
	const char *name;
	const char *const *aliases;
	int32_t enctype;     /* the key's enctype it needs; 0: any key (hmac-md5) */
	size_t cksum_bytes;
};

/* A part of a message processed as one (checksum over header || data). */
struct kssp_crypto_iov {
	const uint8_t *data;
	size_t len;
};

/* A part of a message encrypted or decrypted where it lies. */
struct kssp_crypto_buf {
	uint8_t *data;
	size_t len;
};

/* ---- profiles and names ------------------------------------------------ */

/* The supported profile for enctype, or NULL. */
const struct kssp_enctype_profile *kssp_crypto_profile(int32_t enctype);

/* Like kssp_crypto_profile, but fails with KDC_ERR_ETYPE_NOSUPP and a reason. */
kssp_err kssp_crypto_profile_get(int32_t enctype, const struct kssp_enctype_profile **p);

const struct kssp_cksum_profile *kssp_crypto_cksum_profile(int32_t cksumtype);
kssp_err kssp_crypto_cksum_profile_get(int32_t cksumtype, const struct kssp_cksum_profile **p);

/* The supported profiles in table order, for listing; *count is set. */
const struct kssp_enctype_profile *kssp_crypto_profiles(size_t *count);
const struct kssp_cksum_profile *kssp_crypto_cksum_profiles(size_t *count);

/*
 * Enctype from a number ("18") or one of MIT's names or aliases
 * ("aes256-cts-hmac-sha1-96", "aes256-cts"), case-insensitive.  Known but
 * unsupported names (des3-cbc-sha1, ...) give KDC_ERR_ETYPE_NOSUPP; unknown
 * text KSSP_ERR_NOT_FOUND.
 */
kssp_err kssp_crypto_enctype_from_name(const char *name, int32_t *enctype);
kssp_err kssp_crypto_cksumtype_from_name(const char *name, int32_t *cksumtype);

/* Canonical name of an enctype or checksum type, known unsupported ones
 * included ("des3-cbc-sha1"); NULL when the number is unknown. */
const char *kssp_crypto_enctype_name(int32_t enctype);
const char *kssp_crypto_cksumtype_name(int32_t cksumtype);

/* Sizes, all failing with KDC_ERR_ETYPE_NOSUPP for an unsupported enctype. */
kssp_err kssp_crypto_key_bytes(int32_t enctype, size_t *len);
kssp_err kssp_crypto_checksum_bytes(int32_t cksumtype, size_t *len);
/* The enctype's required checksum type (RFC 3961 §4; RFC 4121 MIC/Wrap). */
kssp_err kssp_crypto_enctype_cksumtype(int32_t enctype, int32_t *cksumtype);

/* ---- keys -------------------------------------------------------------- */

/* Makes key from len protocol-key bytes; len must be the enctype's key size. */
kssp_err kssp_crypto_key_init(struct kssp_key *key, int32_t enctype, const uint8_t *bytes,
    size_t len);

/* Copies src's enctype and bytes into a fresh dst (no cache shared). */
kssp_err kssp_crypto_key_copy(struct kssp_key *dst, const struct kssp_key *src);

/* Zeroes the key and its cache, frees the cache; leaves an empty key. */
void kssp_crypto_key_clear(struct kssp_key *key);

/*
 * Zeroes and frees the key's derived-key cache but keeps the key: for a
 * key whose usages are done with (a session key once the context is
 * established), so that it holds its 56 bytes, not the schedules.  A later
 * use derives again.
 */
void kssp_crypto_key_drop_cache(struct kssp_key *key);

/*
 * RFC 3961 string-to-key.  password is UTF-8 (for arcfour-hmac it is turned
 * into UTF-16LE and hashed with MD4, RFC 4757 §3; salt and s2kparams must be
 * empty there).  s2kparams NULL / plen 0 means the profile's default; for
 * AES and Camellia they are the 4-byte big-endian PBKDF2 iteration count,
 * bounded by KSSP_CRYPTO_S2K_ITER_MAX.
 */
kssp_err kssp_crypto_string_to_key(int32_t enctype, const char *password, size_t pwlen,
    const uint8_t *salt, size_t saltlen, const uint8_t *s2kparams, size_t plen,
    struct kssp_key *key);

/* RFC 3961 random-to-key: seed must be the profile's seed_bytes long. */
kssp_err kssp_crypto_random_to_key(int32_t enctype, const uint8_t *seed, size_t len,
    struct kssp_key *key);

/* A fresh random key, from the hooks' random source. */
kssp_err kssp_crypto_random_key(const struct kssp_hooks *hooks, int32_t enctype,
    struct kssp_key *key);

/*
 * The profile's key derivation: DK(base, constant) of RFC 3961 §5.1 for
 * 17/18, KDF-HMAC-SHA2(base, constant, 8*outlen) of RFC 8009 §3 for 19/20,
 * KDF-FEEDBACK-CMAC of RFC 6803 §3 for 25/26.  outlen: 16 or 32 for
 * 17/18/25/26 (must equal the key size), 16, 24 or 32 for 19/20.  Not
 * defined for arcfour-hmac (KDC_ERR_ETYPE_NOSUPP).
 */
kssp_err kssp_crypto_derive(const struct kssp_key *base, const uint8_t *constant, size_t clen,
    uint8_t *out, size_t outlen);

/* ---- encryption -------------------------------------------------------- */

/* Ciphertext length for plain_len plaintext bytes (exact for every profile). */
kssp_err kssp_crypto_encrypt_len(int32_t enctype, size_t plain_len, size_t *cipher_len);

/* Plaintext length a cipher_len ciphertext decrypts to; KRB_AP_ERR_BAD_INTEGRITY
 * when cipher_len is shorter than any valid ciphertext. */
kssp_err kssp_crypto_decrypt_len(int32_t enctype, size_t cipher_len, size_t *plain_len);

/*
 * Encrypts len bytes at in for key usage (RFC 3961 §5.3 / RFC 8009 §5 /
 * RFC 6803 §4 / RFC 4757 §5) into out (capacity outcap), setting *outlen.
 * The confounder comes from hooks' random source.  in and out may overlap
 * in any way (in place included); the hot case out + confounder_bytes == in
 * costs no copy.
 */
kssp_err kssp_crypto_encrypt(const struct kssp_hooks *hooks, struct kssp_key *key,
    uint32_t usage, const uint8_t *in, size_t len, uint8_t *out, size_t outcap,
    size_t *outlen);

/* The same with the caller's confounder (confounder_bytes long): for tests and
 * known-answer vectors; production code uses kssp_crypto_encrypt. */
kssp_err kssp_crypto_encrypt_with_confounder(struct kssp_key *key, uint32_t usage,
    const uint8_t *confounder, size_t conflen, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, size_t *outlen);

/*
 * Decrypts and verifies len bytes at in into out (in place allowed: out ==
 * in; other overlaps too).  The work happens in out, so outcap must be at
 * least len even though the plaintext is shorter; on success *outlen is
 * the plaintext length (kssp_crypto_decrypt_len) and out[*outlen..len) is
 * zeroed.  Integrity failure (including a ciphertext too short to be one):
 * KRB_AP_ERR_BAD_INTEGRITY, and the first min(outcap, len) bytes of out
 * are zeroed, so no unverified plaintext is ever left behind.
 */
kssp_err kssp_crypto_decrypt(struct kssp_key *key, uint32_t usage, const uint8_t *in,
    size_t len, uint8_t *out, size_t outcap, size_t *outlen);

/*
 * Encryption in place over a message in several buffers (the split and
 * RPC layouts of RFC 4121 Wrap tokens, MS-KILE 3.4.5.4.1): the
 * concatenation of the parts is confounder || plaintext, the caller
 * having put confounder_bytes of fresh random bytes (kssp_hooks_random)
 * first; it becomes the ciphertext where it lies, and the trailer_bytes of
 * the integrity MAC go to trailer.  The result is what kssp_crypto_encrypt
 * makes of the same bytes in one buffer.  signed_parts, when not NULL,
 * lists in order what the MAC covers instead of the encrypted bytes, the
 * parts' own bytes included where they lie: the sign-only buffers of
 * GSS_WrapEx (MS-KILE 3.4.5.4.1: the checksum's plaintext is every buffer
 * in order, the encryption's only those to be encrypted; MIT's
 * KRB5_CRYPTO_TYPE_SIGN_ONLY), defined for the profiles whose MAC covers
 * the plaintext (RFC 3962 aes-sha1, RFC 6803 camellia; others give
 * KDC_ERR_ETYPE_NOSUPP).  The CBC-CTS profiles only (not arcfour-hmac);
 * at most KSSP_CRYPTO_MAX_PARTS parts either way.
 */
#define KSSP_CRYPTO_MAX_PARTS 40
kssp_err kssp_crypto_encrypt_parts(struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_buf *parts, size_t nparts, const struct kssp_crypto_iov *signed_parts,
    size_t nsigned, uint8_t *trailer);

/* The reverse, in place: the parts hold the ciphertext, trailer its MAC.
 * On success they hold confounder || plaintext; on failure
 * (KRB_AP_ERR_BAD_INTEGRITY) every part is zeroed. */
kssp_err kssp_crypto_decrypt_parts(struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_buf *parts, size_t nparts, const struct kssp_crypto_iov *signed_parts,
    size_t nsigned, const uint8_t *trailer);

/* ---- EncryptedData (RFC 4120 §5.2.9) ------------------------------------ */

/*
 * Opens an EncryptedData from its etype field and cipher bytes (crypto/
 * knows no ASN.1) under key and usage into *plain (kssp_malloc'd,
 * *plain_len bytes; free with kssp_free_secret); what names the part in
 * the reason.  The one answer to an enctype mismatch (etype is not
 * key->enctype) is KDC_ERR_ETYPE_NOSUPP, before any work: MIT's
 * krb5_c_decrypt refuses it first too, with KRB5_BAD_ENCTYPE, which has no
 * RFC 4120 number, and ETYPE_NOSUPP is what crypto/ gives for any enctype
 * a key cannot process.  Choosing the key (by kvno and enctype: BADKEYVER,
 * NOKEY as in MIT's krb5_rd_req) is the caller's.  A ciphertext that does
 * not verify is KRB_AP_ERR_BAD_INTEGRITY ("WHAT: does not decrypt under
 * key usage N").  On failure *plain is NULL.
 */
kssp_err kssp_crypto_open(struct kssp_key *key, uint32_t usage, int32_t etype,
    const uint8_t *cipher, size_t len, const char *what, uint8_t **plain, size_t *plain_len);

/* The reverse: *cipher (kssp_malloc'd) for an EncryptedData whose etype is
 * key->enctype; a long-term key's kvno is the caller's to set. */
kssp_err kssp_crypto_seal(const struct kssp_hooks *hooks, struct kssp_key *key, uint32_t usage,
    const uint8_t *plain, size_t len, uint8_t **cipher, size_t *cipher_len);

/* ---- checksums --------------------------------------------------------- */

/*
 * Keyed checksum of cksumtype over the concatenation of the parts, with key
 * usage (RFC 3961 §5.3 Kc; RFC 4757 §4 for hmac-md5-arcfour).  The key's
 * enctype must be the checksum type's (any key for hmac-md5-arcfour).
 * out must hold the checksum size; *outlen is set.
 */
kssp_err kssp_crypto_checksum_iov(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t outcap,
    size_t *outlen);

kssp_err kssp_crypto_checksum(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const uint8_t *data, size_t len, uint8_t *out, size_t outcap, size_t *outlen);

/* Recomputes and compares in constant time; a wrong length or value is
 * KRB_AP_ERR_BAD_INTEGRITY. */
kssp_err kssp_crypto_verify_checksum_iov(int32_t cksumtype, struct kssp_key *key,
    uint32_t usage, const struct kssp_crypto_iov *parts, size_t nparts, const uint8_t *cksum,
    size_t cksumlen);

kssp_err kssp_crypto_verify_checksum(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const uint8_t *data, size_t len, const uint8_t *cksum, size_t cksumlen);

/* ---- PRF and KRB-FX-CF2 ------------------------------------------------ */

/*
 * The profile's pseudo-random function (RFC 3962 §6 / RFC 8009 §5 /
 * RFC 6803 §5 / for arcfour-hmac HMAC-SHA1 as MIT and Heimdal compute it).
 * out receives prf_bytes (16, 16, 32, 48, 16, 16, 20 for 17, 18, 19, 20,
 * 25, 26, 23).
 */
kssp_err kssp_crypto_prf(const struct kssp_key *key, const uint8_t *in, size_t len,
    uint8_t *out, size_t outcap, size_t *outlen);

/* RFC 6113 §5.1: KRB-FX-CF2(k1, k2, pepper1, pepper2), of k1's enctype. */
kssp_err kssp_crypto_cf2(const struct kssp_key *k1, const struct kssp_key *k2,
    const uint8_t *pepper1, size_t p1len, const uint8_t *pepper2, size_t p2len,
    struct kssp_key *out);

/* ---- RFC 4757 pieces for the GSS layer (RFC 4757 §7.2, §7.3) ----------- */

/* RFC 4757 §4: the message type T that RC4-HMAC uses for an RFC 4120 usage,
 * as MIT krb5 and Windows compute it: 3 maps to 8, 23 to 13, others are
 * unchanged (9 stays 9, unlike the RFC's table; see crypto/rc4.c). */
uint32_t kssp_crypto_rc4_usage(uint32_t usage);

/* HMAC-MD5(key, part1 || part2 || ...). */
void kssp_crypto_hmac_md5(const uint8_t *key, size_t keylen, const struct kssp_crypto_iov *parts,
    size_t nparts, uint8_t out[16]);

/* An HMAC-MD5 key with its pads already hashed: the RFC 4757 §7.3 keys
 * that stay fixed for a context are keyed once, not once a token.  Clear
 * it (kssp_memzero) after use. */
struct kssp_hmac_md5 {
	struct md5_ctx outer, inner;
};

void kssp_crypto_hmac_md5_set_key(struct kssp_hmac_md5 *h, const uint8_t *key, size_t keylen);
/* HMAC-MD5 with h over part1 || part2 || ... */
void kssp_crypto_hmac_md5_keyed(const struct kssp_hmac_md5 *h,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16]);

/*
 * RFC 4757 §4: Ksign = HMAC-MD5(key, "signaturekey\0"), and the checksum
 * HMAC-MD5(Ksign, MD5(T || part1 || ...)) with the message type T as given
 * (not mapped), little-endian.  Any key works (MS-SFU keys hmac-md5-arcfour
 * with a session key of any enctype); the §7 tokens derive Ksign once.
 */
void kssp_crypto_rc4_ksign(const uint8_t *key, size_t keylen, uint8_t ksign[16]);
void kssp_crypto_rc4_sign(const struct kssp_hmac_md5 *ksign, uint32_t t,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16]);

/* MD5(part1 || part2 || ...). */
void kssp_crypto_md5(const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16]);

/*
 * SHA-256, SHA-384 or SHA-512 (bits) of in, bits / 8 bytes into out;
 * KSSP_ERR_UNSUPPORTED for any other size.
 */
kssp_err kssp_crypto_sha2(unsigned bits, const uint8_t *in, size_t len, uint8_t *out);

/* An RC4 keystream position; in a struct so confounder and data continue
 * one stream (RFC 4757 §7.3).  Clear it after use. */
struct kssp_rc4 {
	struct arcfour_ctx ctx;
};

void kssp_crypto_rc4_init(struct kssp_rc4 *rc4, const uint8_t *key, size_t keylen);
/* XORs len bytes of keystream into in -> out (out == in allowed). */
void kssp_crypto_rc4_crypt(struct kssp_rc4 *rc4, const uint8_t *in, uint8_t *out, size_t len);
void kssp_crypto_rc4_clear(struct kssp_rc4 *rc4);

/* ---- machinery, exposed for tests and the CLI -------------------------- */

/* RFC 3961 §5.1 n-fold of in to outlen bytes. */
void kssp_crypto_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen);

#endif
