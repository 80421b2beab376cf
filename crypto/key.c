/*
 * crypto/key.c - keys, the derived-key cache and the operations every
 * profile shares: argument and length checks, then the profile's function.
 * Layout work (confounder placement, in-place moves) happens here once so
 * the profile files only do RFC arithmetic.
 */
#include <string.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

void kssp_usage_constant(uint32_t usage, uint8_t octet, uint8_t out[5])
{
	out[0] = (uint8_t)(usage >> 24);
	out[1] = (uint8_t)(usage >> 16);
	out[2] = (uint8_t)(usage >> 8);
	out[3] = (uint8_t)usage;
	out[4] = octet;
}

/* saltp = profile name || 0x00 || salt (RFC 8009 §4, RFC 6803 §3), in a
 * kssp_malloc'd buffer the caller frees. */
static kssp_err prefixed_salt(const struct kssp_enctype_profile *p, const uint8_t *salt,
    size_t saltlen, uint8_t **saltp, size_t *saltplen)
{
	size_t name_len = strlen(p->name);
	uint8_t *b;

	if (saltlen > SIZE_MAX - name_len - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "%s: salt too long", p->name);
	b = kssp_malloc(name_len + 1 + saltlen);
	if (!b)
		return kssp_fail(KSSP_ERR_NOMEM, "%s: no memory for the salt", p->name);
	memcpy(b, p->name, name_len);
	b[name_len] = 0;
	if (saltlen)
		memcpy(b + name_len + 1, salt, saltlen);
	*saltp = b;
	*saltplen = name_len + 1 + saltlen;
	return KSSP_OK;
}

kssp_err kssp_pbkdf2_string_to_key(const struct kssp_enctype_profile *p, kssp_pbkdf2_func *prf,
    bool name_prefix, const char *pw, size_t pwlen, const uint8_t *salt, size_t saltlen,
    uint32_t iterations, uint8_t *key)
{
	uint8_t tkey[KSSP_CRYPTO_MAX_KEY], *saltp = NULL;
	size_t saltplen = saltlen;
	kssp_err e;

	if (name_prefix) {
		e = prefixed_salt(p, salt, saltlen, &saltp, &saltplen);
		if (e)
			return e;
	}
	prf(pwlen, (const uint8_t *)pw, iterations, saltplen, saltp ? saltp : salt, p->key_bytes,
	    tkey);
	kssp_free(saltp);
	e = p->ops->derive(p, tkey, (const uint8_t *)"kerberos", 8, key, p->key_bytes);
	kssp_memzero(tkey, sizeof(tkey));
	return e;
}

/* ---- keys -------------------------------------------------------------- */

kssp_err kssp_crypto_key_init(struct kssp_key *key, int32_t enctype, const uint8_t *bytes,
    size_t len)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	memset(key, 0, sizeof(*key));
	if (e)
		return e;
	if (len != p->key_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s key must be %zu bytes, not %zu", p->name,
		    p->key_bytes, len);
	key->enctype = enctype;
	key->length = len;
	memcpy(key->contents, bytes, len);
	return KSSP_OK;
}

kssp_err kssp_crypto_key_copy(struct kssp_key *dst, const struct kssp_key *src)
{
	return kssp_crypto_key_init(dst, src->enctype, src->contents, src->length);
}

void kssp_crypto_key_drop_cache(struct kssp_key *key)
{
	size_t i;

	if (!key || !key->cache)
		return;
	for (i = 0; i < KSSP_KEY_CACHE_SLOTS; i++)
		if (key->cache->slot[i])
			kssp_free_secret(key->cache->slot[i], key->cache->slot[i]->size);
	kssp_free_secret(key->cache, sizeof(*key->cache));
	key->cache = NULL;
}

void kssp_crypto_key_clear(struct kssp_key *key)
{
	kssp_crypto_key_drop_cache(key);
	if (key)
		kssp_memzero(key, sizeof(*key));
}

/* The key's profile; a cleared or never-initialised key is an error. */
static kssp_err key_profile(const struct kssp_key *key, const struct kssp_enctype_profile **p)
{
	kssp_err e = kssp_crypto_profile_get(key->enctype, p);

	if (e)
		return e;
	if (key->length != (*p)->key_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s key has %zu bytes", (*p)->name, key->length);
	return KSSP_OK;
}

/* The key's cached slot for usage and kind (encryption either way shares
 * one), or NULL. */
static struct kssp_usage_keys *cached_slot(const struct kssp_key *key, uint32_t usage,
    enum kssp_usage_kind kind)
{
	size_t i;

	for (i = 0; key->cache && i < KSSP_KEY_CACHE_SLOTS; i++)
		if (key->cache->slot[i] && key->cache->slot[i]->usage == usage &&
		    (key->cache->slot[i]->kind == KSSP_USE_CHECKSUM) == (kind == KSSP_USE_CHECKSUM))
			return key->cache->slot[i];
	return NULL;
}

/* A slot built on the stack for one operation, wiped after it. */
struct one_shot {
	_Alignas(16) uint8_t bytes[sizeof(struct kssp_usage_keys) + KSSP_SLOT_MEM_MAX];
};

/*
 * The derived keys for usage and kind: a cache hit, else derived into a
 * slot of the profile's size in place of the one filled least recently.
 * Only a usage's first use for encryption (either way) or for checksums
 * allocates.  With tmp (an EncryptedData of the AP or KDC exchange, used
 * once), a miss derives into tmp instead and the key's cache is left alone.
 */
static kssp_err usage_keys(struct kssp_key *key, const struct kssp_enctype_profile *p,
    uint32_t usage, enum kssp_usage_kind kind, struct one_shot *tmp,
    struct kssp_usage_keys **out)
{
	struct kssp_key_cache *cache = key->cache;
	struct kssp_usage_keys *slot, **at;
	size_t size;
	kssp_err e;

	if ((*out = cached_slot(key, usage, kind)) != NULL)
		return KSSP_OK;
	size = sizeof(*slot) + p->ops->slot_bytes(p, kind);
	if (tmp) {
		slot = (struct kssp_usage_keys *)(void *)tmp->bytes;
		memset(slot, 0, size);
		slot->size = size;
		slot->usage = usage;
		slot->kind = (uint8_t)kind;
		*out = slot;
		return p->ops->setup_usage(p, key->contents, slot);
	}
	if (!cache) {
		cache = kssp_calloc(1, sizeof(*cache));
		if (!cache)
			return kssp_fail(KSSP_ERR_NOMEM, "no memory for the key schedule");
		key->cache = cache;
	}
	at = &cache->slot[cache->next];
	if (*at)
		kssp_free_secret(*at, (*at)->size);
	*at = slot = kssp_calloc(1, size);
	if (!slot)
		return kssp_fail(KSSP_ERR_NOMEM, "no memory for the key schedule");
	slot->size = size;
	slot->usage = usage;
	slot->kind = (uint8_t)kind;
	e = p->ops->setup_usage(p, key->contents, slot);
	if (e) {
		kssp_free_secret(slot, size);
		*at = NULL;
		return e;
	}
	cache->next = (cache->next + 1) % KSSP_KEY_CACHE_SLOTS;
	*out = slot;
	return KSSP_OK;
}

/* Reads the s2kparams iteration count (RFC 3962 §4: a 4-byte big-endian
 * integer), bounded because it comes from the network. */
static kssp_err s2k_iterations(const struct kssp_enctype_profile *p, const uint8_t *params,
    size_t plen, uint32_t *iterations)
{
	struct kssp_cursor c;

	if (p->default_iterations == 0) {
		if (plen != 0)
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s takes no s2kparams", p->name);
		*iterations = 0;
		return KSSP_OK;
	}
	if (!params || plen == 0) {
		*iterations = p->default_iterations;
		return KSSP_OK;
	}
	kssp_cursor_init(&c, params, plen);
	if (kssp_cursor_read_be32(&c, iterations) || !kssp_cursor_at_end(&c))
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: s2kparams must be 4 bytes, not %zu",
		    p->name, plen);
	if (*iterations == 0 || *iterations > KSSP_CRYPTO_S2K_ITER_MAX)
		return kssp_fail(KSSP_ERR_LIMIT, "%s: s2kparams iteration count %lu outside 1..%u",
		    p->name, (unsigned long)*iterations, KSSP_CRYPTO_S2K_ITER_MAX);
	return KSSP_OK;
}

kssp_err kssp_crypto_string_to_key(int32_t enctype, const char *password, size_t pwlen,
    const uint8_t *salt, size_t saltlen, const uint8_t *s2kparams, size_t plen,
    struct kssp_key *key)
{
	const struct kssp_enctype_profile *p;
	uint8_t k[KSSP_CRYPTO_MAX_KEY];
	uint32_t iterations;
	kssp_err e;

	memset(key, 0, sizeof(*key));
	e = kssp_crypto_profile_get(enctype, &p);
	if (!e)
		e = s2k_iterations(p, s2kparams, plen, &iterations);
	if (!e)
		e = p->ops->string_to_key(p, password, pwlen, salt, saltlen, iterations, k);
	if (!e)
		e = kssp_crypto_key_init(key, enctype, k, p->key_bytes);
	kssp_memzero(k, sizeof(k));
	return e;
}

/* RFC 3961 §6 (3962 §6, 8009 §5, 6803 §4, 4757): random-to-key is the
 * identity for every supported profile. */
kssp_err kssp_crypto_random_to_key(int32_t enctype, const uint8_t *seed, size_t len,
    struct kssp_key *key)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	memset(key, 0, sizeof(*key));
	if (e)
		return e;
	if (len != p->seed_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s random-to-key needs %zu bytes, not %zu",
		    p->name, p->seed_bytes, len);
	return kssp_crypto_key_init(key, enctype, seed, len);
}

kssp_err kssp_crypto_random_key(const struct kssp_hooks *hooks, int32_t enctype,
    struct kssp_key *key)
{
	const struct kssp_enctype_profile *p;
	uint8_t seed[KSSP_CRYPTO_MAX_KEY];
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	memset(key, 0, sizeof(*key));
	if (!e)
		e = kssp_hooks_random(hooks, seed, p->seed_bytes);
	if (!e)
		e = kssp_crypto_random_to_key(enctype, seed, p->seed_bytes, key);
	kssp_memzero(seed, sizeof(seed));
	return e;
}

kssp_err kssp_crypto_derive(const struct kssp_key *base, const uint8_t *constant, size_t clen,
    uint8_t *out, size_t outlen)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = key_profile(base, &p);
	bool sha2;

	if (e)
		return e;
	sha2 = p->ops == &kssp_aes_sha2_ops;
	if (outlen == 0 || outlen > KSSP_CRYPTO_MAX_KEY || (!sha2 && outlen != p->key_bytes) ||
	    (sha2 && outlen % 8 != 0))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s: cannot derive %zu bytes", p->name, outlen);
	return p->ops->derive(p, base->contents, constant, clen, out, outlen);
}

/* ---- encryption -------------------------------------------------------- */

static kssp_err sealed_len(const struct kssp_enctype_profile *p, size_t plain, size_t *out)
{
	if (plain > SIZE_MAX - p->confounder_bytes - p->trailer_bytes)
		return kssp_fail(KSSP_ERR_LIMIT, "%s: plaintext too long", p->name);
	*out = plain + p->confounder_bytes + p->trailer_bytes;
	return KSSP_OK;
}

static kssp_err opened_len(const struct kssp_enctype_profile *p, size_t cipher, size_t *out)
{
	if (cipher < p->confounder_bytes + p->trailer_bytes)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: ciphertext of %zu bytes is shorter "
		    "than the %zu-byte minimum", p->name, cipher,
		    p->confounder_bytes + p->trailer_bytes);
	*out = cipher - p->confounder_bytes - p->trailer_bytes;
	return KSSP_OK;
}

kssp_err kssp_crypto_encrypt_len(int32_t enctype, size_t plain_len, size_t *cipher_len)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	return e ? e : sealed_len(p, plain_len, cipher_len);
}

kssp_err kssp_crypto_decrypt_len(int32_t enctype, size_t cipher_len, size_t *plain_len)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	return e ? e : opened_len(p, cipher_len, plain_len);
}

/* Encryption with the usage's cached keys, or with tmp (see usage_keys). */
static kssp_err encrypt_with(struct kssp_key *key, struct one_shot *tmp, uint32_t usage,
    const uint8_t *confounder, size_t conflen, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	const struct kssp_enctype_profile *p;
	struct kssp_usage_keys *slot;
	size_t total = 0, body;
	kssp_err e = key_profile(key, &p);

	if (e)
		return e;
	if (conflen != p->confounder_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s confounder must be %zu bytes", p->name,
		    p->confounder_bytes);
	e = sealed_len(p, len, &total);
	if (e)
		return e;
	if (outcap < total)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "%s: ciphertext needs %zu bytes, have %zu",
		    p->name, total, outcap);
	e = usage_keys(key, p, usage, KSSP_USE_ENCRYPT, tmp, &slot);
	if (e)
		return e;
	/* Lay out confounder || plaintext at the body; memmove copes with any
	 * overlap and costs nothing when the caller already placed it. */
	body = p->ops->body_offset;
	if (out + body + conflen != in && len)
		memmove(out + body + conflen, in, len);
	memcpy(out + body, confounder, conflen);
	p->ops->encrypt(p, slot, out, conflen + len);
	*outlen = total;
	return KSSP_OK;
}

kssp_err kssp_crypto_encrypt_with_confounder(struct kssp_key *key, uint32_t usage,
    const uint8_t *confounder, size_t conflen, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	return encrypt_with(key, NULL, usage, confounder, conflen, in, len, out, outcap, outlen);
}

static kssp_err encrypt_random(const struct kssp_hooks *hooks, struct kssp_key *key,
    struct one_shot *tmp, uint32_t usage, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	const struct kssp_enctype_profile *p;
	uint8_t conf[KSSP_CRYPTO_MAX_CONFOUNDER];
	kssp_err e = key_profile(key, &p);

	if (!e)
		e = kssp_hooks_random(hooks, conf, p->confounder_bytes);
	if (!e)
		e = encrypt_with(key, tmp, usage, conf, p->confounder_bytes, in, len, out, outcap,
		    outlen);
	kssp_memzero(conf, sizeof(conf));
	return e;
}

kssp_err kssp_crypto_encrypt(const struct kssp_hooks *hooks, struct kssp_key *key,
    uint32_t usage, const uint8_t *in, size_t len, uint8_t *out, size_t outcap,
    size_t *outlen)
{
	return encrypt_random(hooks, key, NULL, usage, in, len, out, outcap, outlen);
}

/* Decryption with the usage's cached keys, or with tmp (see usage_keys). */
static kssp_err decrypt_with(struct kssp_key *key, struct one_shot *tmp, uint32_t usage,
    const uint8_t *in, size_t len, uint8_t *out, size_t outcap, size_t *outlen)
{
	const struct kssp_enctype_profile *p;
	struct kssp_usage_keys *slot;
	size_t plain = 0, skip;
	kssp_err e = key_profile(key, &p);

	if (e)
		return e;
	e = opened_len(p, len, &plain);
	if (e) {
		kssp_memzero(out, len < outcap ? len : outcap);
		return e;
	}
	/* The whole ciphertext is worked on in out, so out must hold it. */
	if (outcap < len)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "%s: decrypting %zu bytes needs that much "
		    "room, have %zu", p->name, len, outcap);
	e = usage_keys(key, p, usage, KSSP_USE_DECRYPT, tmp, &slot);
	if (e)
		return e;
	if (out != in)
		memmove(out, in, len);
	e = p->ops->decrypt(p, slot, out, len);
	if (e) {
		kssp_memzero(out, len);
		return e;
	}
	skip = p->ops->body_offset + p->confounder_bytes;
	memmove(out, out + skip, plain);
	kssp_memzero(out + plain, len - plain);
	*outlen = plain;
	return KSSP_OK;
}

kssp_err kssp_crypto_decrypt(struct kssp_key *key, uint32_t usage, const uint8_t *in,
    size_t len, uint8_t *out, size_t outcap, size_t *outlen)
{
	return decrypt_with(key, NULL, usage, in, len, out, outcap, outlen);
}

/* ---- messages in parts (RFC 4121 split and RPC layouts) ----------------- */

/* The profile and cached keys for a message in parts: the CBC-CTS families
 * (RFC 4757 tokens encrypt one buffer), a MAC over signed parts only where
 * it covers the plaintext, the confounder at least. */
static kssp_err parts_keys(struct kssp_key *key, uint32_t usage, enum kssp_usage_kind kind,
    const struct kssp_crypto_buf *parts, size_t nparts, bool sign_only,
    const struct kssp_enctype_profile **p, struct kssp_usage_keys **slot)
{
	size_t i, total = 0;
	kssp_err e = key_profile(key, p);

	if (e)
		return e;
	if (!(*p)->ops->cts_mac)
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "%s: no encryption of a message in parts",
		    (*p)->name);
	if (sign_only && (*p)->ops->cts_mac->covers != KSSP_MAC_PLAINTEXT)
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP,
		    "%s: sign-only data in an encryption is defined only where the MAC covers the "
		    "plaintext (RFC 3962, RFC 6803)", (*p)->name);
	if (nparts > KSSP_CRYPTO_MAX_PARTS)
		return kssp_fail(KSSP_ERR_LIMIT, "encryption: %zu parts, at most %d", nparts,
		    KSSP_CRYPTO_MAX_PARTS);
	for (i = 0; i < nparts; i++) {
		if (parts[i].len > SIZE_MAX - total)
			return kssp_fail(KSSP_ERR_LIMIT, "encryption: parts too long");
		total += parts[i].len;
	}
	if (total < (*p)->confounder_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s: %zu bytes in parts cannot hold the "
		    "%zu-byte confounder", (*p)->name, total, (*p)->confounder_bytes);
	return usage_keys(key, *p, usage, kind, NULL, slot);
}

kssp_err kssp_crypto_encrypt_parts(struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_buf *parts, size_t nparts, const struct kssp_crypto_iov *signed_parts,
    size_t nsigned, uint8_t *trailer)
{
	const struct kssp_enctype_profile *p;
	struct kssp_usage_keys *slot;
	kssp_err e = parts_keys(key, usage, KSSP_USE_ENCRYPT, parts, nparts, signed_parts != NULL,
	    &p, &slot);

	if (!e)
		kssp_cts_mac_encrypt_parts(p, slot, parts, nparts, signed_parts, nsigned, trailer);
	return e;
}

kssp_err kssp_crypto_decrypt_parts(struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_buf *parts, size_t nparts, const struct kssp_crypto_iov *signed_parts,
    size_t nsigned, const uint8_t *trailer)
{
	const struct kssp_enctype_profile *p;
	struct kssp_usage_keys *slot;
	size_t i;
	kssp_err e = parts_keys(key, usage, KSSP_USE_DECRYPT, parts, nparts, signed_parts != NULL,
	    &p, &slot);

	if (!e)
		e = kssp_cts_mac_decrypt_parts(p, slot, parts, nparts, signed_parts, nsigned, trailer);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		for (i = 0; i < nparts; i++)
			kssp_memzero(parts[i].data, parts[i].len);
	return e;
}

/* ---- EncryptedData ------------------------------------------------------ */

/* An EncryptedData of the AP or KDC exchange is opened or sealed once per
 * key and usage: its derived keys live on the stack for that one use, and
 * no schedule is cached (or allocated) for the rest of the key's life. */

kssp_err kssp_crypto_open(struct kssp_key *key, uint32_t usage, int32_t etype,
    const uint8_t *cipher, size_t len, const char *what, uint8_t **plain, size_t *plain_len)
{
	struct one_shot tmp;
	size_t cap = len ? len : 1;
	uint8_t *buf;
	kssp_err e;

	*plain = NULL;
	if (etype != key->enctype)
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP,
		    "%s: encrypted with enctype %d, the key is %d", what, (int)etype,
		    (int)key->enctype);
	if (!(buf = kssp_malloc(cap)))
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", what);
	e = decrypt_with(key, &tmp, usage, cipher, len, buf, cap, plain_len);
	kssp_memzero(&tmp, sizeof(tmp));
	if (e) {
		kssp_free_secret(buf, cap);
		return e != KRB_AP_ERR_BAD_INTEGRITY ? e : kssp_fail(e,
		    "%s: does not decrypt under key usage %u (integrity check failed)", what,
		    usage);
	}
	*plain = buf;
	return KSSP_OK;
}

kssp_err kssp_crypto_seal(const struct kssp_hooks *hooks, struct kssp_key *key, uint32_t usage,
    const uint8_t *plain, size_t len, uint8_t **cipher, size_t *cipher_len)
{
	struct one_shot tmp;
	size_t n;
	uint8_t *buf;
	kssp_err e = kssp_crypto_encrypt_len(key->enctype, len, &n);

	*cipher = NULL;
	if (e)
		return e;
	if (!(buf = kssp_malloc(n)))
		return kssp_fail(KSSP_ERR_NOMEM, "encrypt: out of memory");
	e = encrypt_random(hooks, key, &tmp, usage, plain, len, buf, n, cipher_len);
	kssp_memzero(&tmp, sizeof(tmp));
	if (e) {
		kssp_free(buf);
		return e;
	}
	*cipher = buf;
	return KSSP_OK;
}

/* ---- checksums --------------------------------------------------------- */

/* A checksum with the usage's cached Kc, or with tmp (see usage_keys). */
static kssp_err checksum_with(int32_t cksumtype, struct kssp_key *key, struct one_shot *tmp,
    uint32_t usage, const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	const struct kssp_cksum_profile *cp;
	const struct kssp_enctype_profile *p;
	struct kssp_usage_keys *slot;
	kssp_err e = kssp_crypto_cksum_profile_get(cksumtype, &cp);

	if (e)
		return e;
	if (outcap < cp->cksum_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "%s: checksum needs %zu bytes", cp->name,
		    cp->cksum_bytes);
	if (cp->enctype == 0) {
		uint8_t ksign[16];
		struct kssp_hmac_md5 h;

		if (key->length == 0 || key->length > KSSP_CRYPTO_MAX_KEY)
			return kssp_fail(KSSP_ERR_INVALID_ARG, "%s: no key", cp->name);
		kssp_crypto_rc4_ksign(key->contents, key->length, ksign);
		kssp_crypto_hmac_md5_set_key(&h, ksign, sizeof(ksign));
		kssp_crypto_rc4_sign(&h, kssp_crypto_rc4_usage(usage), parts, nparts, out);
		kssp_memzero(ksign, sizeof(ksign));
		kssp_memzero(&h, sizeof(h));
		*outlen = cp->cksum_bytes;
		return KSSP_OK;
	}
	if (key->enctype != cp->enctype)
		return kssp_fail(KRB_AP_ERR_INAPP_CKSUM, "%s needs a %s key, not enctype %d",
		    cp->name, kssp_crypto_enctype_name(cp->enctype), (int)key->enctype);
	e = key_profile(key, &p);
	if (!e)
		e = usage_keys(key, p, usage, KSSP_USE_CHECKSUM, tmp, &slot);
	if (!e)
		p->ops->checksum(p, slot, parts, nparts, out);
	if (tmp)
		kssp_memzero(tmp, sizeof(*tmp));
	if (e)
		return e;
	*outlen = cp->cksum_bytes;
	return KSSP_OK;
}

kssp_err kssp_crypto_checksum_iov(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t *out, size_t outcap,
    size_t *outlen)
{
	return checksum_with(cksumtype, key, NULL, usage, parts, nparts, out, outcap, outlen);
}

/* A single-buffer checksum is a message of the AP or KDC exchange (PAC,
 * TGS-REQ, AS-REQ), made or checked once: see kssp_crypto_open. */
kssp_err kssp_crypto_checksum(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const uint8_t *data, size_t len, uint8_t *out, size_t outcap, size_t *outlen)
{
	struct kssp_crypto_iov part = { data, len };
	struct one_shot tmp;

	return checksum_with(cksumtype, key, &tmp, usage, &part, 1, out, outcap, outlen);
}

static kssp_err verify_with(int32_t cksumtype, struct kssp_key *key, struct one_shot *tmp,
    uint32_t usage, const struct kssp_crypto_iov *parts, size_t nparts, const uint8_t *cksum,
    size_t cksumlen)
{
	uint8_t mine[KSSP_CRYPTO_MAX_CKSUM];
	size_t len;
	kssp_err e = checksum_with(cksumtype, key, tmp, usage, parts, nparts, mine, sizeof(mine),
	    &len);

	if (e)
		return e;
	if (cksumlen != len || !kssp_ct_equal(mine, cksum, len))
		e = kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s checksum does not verify",
		    kssp_crypto_cksumtype_name(cksumtype));
	kssp_memzero(mine, sizeof(mine));
	return e;
}

kssp_err kssp_crypto_verify_checksum_iov(int32_t cksumtype, struct kssp_key *key,
    uint32_t usage, const struct kssp_crypto_iov *parts, size_t nparts, const uint8_t *cksum,
    size_t cksumlen)
{
	return verify_with(cksumtype, key, NULL, usage, parts, nparts, cksum, cksumlen);
}

kssp_err kssp_crypto_verify_checksum(int32_t cksumtype, struct kssp_key *key, uint32_t usage,
    const uint8_t *data, size_t len, const uint8_t *cksum, size_t cksumlen)
{
	struct kssp_crypto_iov part = { data, len };
	struct one_shot tmp;

	return verify_with(cksumtype, key, &tmp, usage, &part, 1, cksum, cksumlen);
}

/* ---- PRF and KRB-FX-CF2 ------------------------------------------------ */

kssp_err kssp_crypto_prf(const struct kssp_key *key, const uint8_t *in, size_t len,
    uint8_t *out, size_t outcap, size_t *outlen)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = key_profile(key, &p);

	if (e)
		return e;
	if (outcap < p->prf_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "%s: PRF output needs %zu bytes", p->name,
		    p->prf_bytes);
	p->ops->prf(p, key->contents, in, len, out);
	*outlen = p->prf_bytes;
	return KSSP_OK;
}

/* RFC 6113 §5.1: PRF+(key, pepper) = PRF(key, 1 || pepper) ||
 * PRF(key, 2 || pepper) || ..., cut to len bytes. */
static kssp_err prf_plus(const struct kssp_key *key, const uint8_t *pepper, size_t plen,
    uint8_t *out, size_t len)
{
	uint8_t block[KSSP_CRYPTO_MAX_PRF], *input;
	size_t done = 0, n;
	unsigned counter;
	kssp_err e = KSSP_OK;

	if (plen > SIZE_MAX - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "KRB-FX-CF2: pepper too long");
	input = kssp_malloc(plen + 1);
	if (!input)
		return kssp_fail(KSSP_ERR_NOMEM, "KRB-FX-CF2: no memory");
	if (plen)
		memcpy(input + 1, pepper, plen);
	for (counter = 1; done < len && !e; counter++) {
		input[0] = (uint8_t)counter;
		e = kssp_crypto_prf(key, input, plen + 1, block, sizeof(block), &n);
		if (!e) {
			if (n > len - done)
				n = len - done;
			memcpy(out + done, block, n);
			done += n;
		}
	}
	kssp_free(input);
	kssp_memzero(block, sizeof(block));
	return e;
}

kssp_err kssp_crypto_cf2(const struct kssp_key *k1, const struct kssp_key *k2,
    const uint8_t *pepper1, size_t p1len, const uint8_t *pepper2, size_t p2len,
    struct kssp_key *out)
{
	const struct kssp_enctype_profile *p;
	/* Zeroed up front: gcc -fanalyzer cannot follow prf_plus filling all of seed_bytes. */
	uint8_t a[KSSP_CRYPTO_MAX_KEY] = { 0 }, b[KSSP_CRYPTO_MAX_KEY] = { 0 };
	size_t i;
	kssp_err e = key_profile(k1, &p);

	memset(out, 0, sizeof(*out));
	if (!e)
		e = prf_plus(k1, pepper1, p1len, a, p->seed_bytes);
	if (!e)
		e = prf_plus(k2, pepper2, p2len, b, p->seed_bytes);
	if (!e) {
		for (i = 0; i < p->seed_bytes; i++)
			a[i] ^= b[i];
		e = kssp_crypto_random_to_key(k1->enctype, a, p->seed_bytes, out);
	}
	kssp_memzero(a, sizeof(a));
	kssp_memzero(b, sizeof(b));
	return e;
}
