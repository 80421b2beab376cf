/*
 * crypto/rc4.c - arcfour-hmac (23), RFC 4757: the NT-hash string-to-key
 * (§3), HMAC-MD5 key derivation with the RFC 4757 message types (§4),
 * checksum || RC4(confounder || plaintext) encryption (§5), the
 * hmac-md5-arcfour checksum (-138, §4), and the primitives the GSS layer
 * needs for the RFC 4757 §7 tokens.
 */
#include <string.h>

#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

#define MD5_LEN 16

uint32_t kssp_crypto_rc4_usage(uint32_t usage)
{
	/*
	 * RFC 4757 §4: the AS-REP encrypted part uses type 8.  The RFC's table
	 * also maps 9 (TGS-REP part under the subkey) to 8, but that is what
	 * Windows 2000 did; MIT krb5 and current Windows use 9, and MIT's
	 * library is the reference the fixtures are checked against.  MIT also
	 * maps the GSS sign usage 23 to 13.
	 */
	if (usage == KSSP_KU_AS_REP_ENC_PART)
		return 8;
	if (usage == KSSP_KU_GSS_ACCEPTOR_SIGN)
		return 13;
	return usage;
}

void kssp_crypto_hmac_md5(const uint8_t *key, size_t keylen, const struct kssp_crypto_iov *parts,
    size_t nparts, uint8_t out[16])
{
	struct hmac_md5_ctx m;
	size_t i;

	hmac_md5_set_key(&m, keylen, key);
	for (i = 0; i < nparts; i++)
		hmac_md5_update(&m, parts[i].len, parts[i].data);
	hmac_md5_digest(&m, MD5_LEN, out);
	kssp_memzero(&m, sizeof(m));
}

void kssp_crypto_hmac_md5_set_key(struct kssp_hmac_md5 *h, const uint8_t *key, size_t keylen)
{
	kssp_hmac_set_key(h, &nettle_md5, key, keylen);
}

void kssp_crypto_hmac_md5_keyed(const struct kssp_hmac_md5 *h,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16])
{
	kssp_hmac_parts(h, &nettle_md5, parts, nparts, out, MD5_LEN);
}

void kssp_crypto_md5(const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16])
{
	struct md5_ctx h;
	size_t i;

	md5_init(&h);
	for (i = 0; i < nparts; i++)
		md5_update(&h, parts[i].len, parts[i].data);
	md5_digest(&h, MD5_LEN, out);
	kssp_memzero(&h, sizeof(h));
}

void kssp_crypto_rc4_init(struct kssp_rc4 *rc4, const uint8_t *key, size_t keylen)
{
	arcfour_set_key(&rc4->ctx, keylen, key);
}

void kssp_crypto_rc4_crypt(struct kssp_rc4 *rc4, const uint8_t *in, uint8_t *out, size_t len)
{
	arcfour_crypt(&rc4->ctx, len, out, in);
}

void kssp_crypto_rc4_clear(struct kssp_rc4 *rc4)
{
	kssp_memzero(rc4, sizeof(*rc4));
}

static void le32(uint32_t v, uint8_t out[4])
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

/* RFC 4757 §3: key = MD4(UTF-16LE(password)), streamed through MD4 so no
 * copy of the password is made. */
static kssp_err rc4_s2k(const struct kssp_enctype_profile *p, const char *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *key)
{
	struct kssp_cursor c;
	struct md4_ctx h;
	uint8_t u[4];
	kssp_err e = KSSP_OK;

	(void)p, (void)salt, (void)saltlen, (void)iterations;
	kssp_cursor_init(&c, pw, pwlen);
	md4_init(&h);
	while (!kssp_cursor_at_end(&c)) {
		uint32_t cp = 0;

		e = kssp_utf8_read(&c, &cp);
		if (e)
			break;
		if (cp < 0x10000) {
			u[0] = (uint8_t)cp, u[1] = (uint8_t)(cp >> 8);
			md4_update(&h, 2, u);
		} else {
			uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + (cp & 0x3FF);

			u[0] = (uint8_t)hi, u[1] = (uint8_t)(hi >> 8);
			u[2] = (uint8_t)lo, u[3] = (uint8_t)(lo >> 8);
			md4_update(&h, 4, u);
		}
	}
	if (!e)
		md4_digest(&h, MD4_DIGEST_SIZE, key);
	kssp_memzero(&h, sizeof(h));
	kssp_memzero(u, sizeof(u));
	return e;
}

static kssp_err rc4_derive(const struct kssp_enctype_profile *p, const uint8_t *key,
    const uint8_t *constant, size_t clen, uint8_t *out, size_t outlen)
{
	(void)key, (void)constant, (void)clen, (void)out, (void)outlen;
	return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "%s has no RFC 3961 key derivation", p->name);
}

/* A slot holds K1, whatever it is used for. */
static size_t rc4_slot_bytes(const struct kssp_enctype_profile *p, enum kssp_usage_kind kind)
{
	(void)p, (void)kind;
	return MD5_LEN;
}

/* RFC 4757 §5: K1 = HMAC-MD5(key, T) with T little-endian. */
static kssp_err rc4_setup_usage(const struct kssp_enctype_profile *p, const uint8_t *key,
    struct kssp_usage_keys *slot)
{
	uint8_t t[4];
	struct kssp_crypto_iov part = { t, 4 };

	le32(kssp_crypto_rc4_usage(slot->usage), t);
	kssp_crypto_hmac_md5(key, p->key_bytes, &part, 1, slot->mem);
	return KSSP_OK;
}

/* K3 = HMAC-MD5(K1, checksum); then RC4(K3) over the body, in place. */
static void rc4_body(const struct kssp_usage_keys *slot, const uint8_t cksum[16], uint8_t *body,
    size_t n)
{
	struct kssp_crypto_iov part = { cksum, MD5_LEN };
	uint8_t k3[MD5_LEN];
	struct kssp_rc4 rc4;

	kssp_crypto_hmac_md5(slot->mem, MD5_LEN, &part, 1, k3);
	kssp_crypto_rc4_init(&rc4, k3, sizeof(k3));
	kssp_crypto_rc4_crypt(&rc4, body, body, n);
	kssp_crypto_rc4_clear(&rc4);
	kssp_memzero(k3, sizeof(k3));
}

/* buf = checksum(16) || confounder || plaintext; n counts the last two. */
static void rc4_encrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_crypto_iov part = { buf + MD5_LEN, n };

	(void)p;
	kssp_crypto_hmac_md5(slot->mem, MD5_LEN, &part, 1, buf);
	rc4_body(slot, buf, buf + MD5_LEN, n);
}

static kssp_err rc4_decrypt(const struct kssp_enctype_profile *p, struct kssp_usage_keys *slot,
    uint8_t *buf, size_t n)
{
	struct kssp_crypto_iov part = { buf + MD5_LEN, n - MD5_LEN };
	uint8_t mac[MD5_LEN];

	rc4_body(slot, buf, buf + MD5_LEN, n - MD5_LEN);
	kssp_crypto_hmac_md5(slot->mem, MD5_LEN, &part, 1, mac);
	if (!kssp_ct_equal(mac, buf, MD5_LEN))
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "%s: integrity check failed", p->name);
	return KSSP_OK;
}

void kssp_crypto_rc4_ksign(const uint8_t *key, size_t keylen, uint8_t ksign[16])
{
	static const uint8_t label[] = "signaturekey"; /* 13 bytes with the NUL */
	const struct kssp_crypto_iov part = { label, sizeof(label) };

	kssp_crypto_hmac_md5(key, keylen, &part, 1, ksign);
}

void kssp_crypto_rc4_sign(const struct kssp_hmac_md5 *ksign, uint32_t t,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[16])
{
	uint8_t tb[4], digest[MD5_LEN];
	const struct kssp_crypto_iov part = { digest, MD5_LEN };
	struct md5_ctx h;
	size_t i;

	le32(t, tb);
	md5_init(&h);
	md5_update(&h, 4, tb);
	for (i = 0; i < nparts; i++)
		md5_update(&h, parts[i].len, parts[i].data);
	md5_digest(&h, MD5_LEN, digest);
	kssp_crypto_hmac_md5_keyed(ksign, &part, 1, out);
}

/* No PRF is defined by RFC 4757; MIT and Heimdal both use HMAC-SHA1(key,
 * input), so kssp does the same for interoperable KRB-FX-CF2. */
static void rc4_prf(const struct kssp_enctype_profile *p, const uint8_t *key, const uint8_t *in,
    size_t len, uint8_t *out)
{
	struct hmac_sha1_ctx m;

	hmac_sha1_set_key(&m, p->key_bytes, key);
	hmac_sha1_update(&m, len, in);
	hmac_sha1_digest(&m, SHA1_DIGEST_SIZE, out);
	kssp_memzero(&m, sizeof(m));
}

const struct kssp_crypto_ops kssp_rc4_ops = {
	MD5_LEN, rc4_s2k, rc4_derive, rc4_slot_bytes, rc4_setup_usage, rc4_encrypt, rc4_decrypt, NULL, rc4_prf,
	NULL,
};
