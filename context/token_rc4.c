/*
 * context/token_rc4.c - the RFC 4757 §7.2-7.3 per-message tokens used when
 * the protection key is arcfour-hmac: RFC 1964 layout (MIC 01 01, Wrap
 * 02 01) inside the RFC 2743 §3.1 framing, HMAC-MD5 checksum (SGN_ALG
 * 11 00), RC4 sealing (SEAL_ALG 10 00) and the RC4-encrypted 32-bit
 * sequence number.
 *
 * Keys, all HMAC-MD5 (RFC 4757 §7.3), with T a 4-byte little-endian int:
 *   Ksign  = HMAC(Kss, "signaturekey\0"),  SGN_CKSUM = HMAC(Ksign, MD5(T || hdr || ...))
 *   Kseq   = HMAC(HMAC(Kss, T=0), SGN_CKSUM[0..8))
 *   Kcrypt = HMAC(HMAC(Kss XOR F0.., T=0), big-endian sequence number)
 */
#include <string.h>

#include "base/bytes.h"
#include "base/mem.h"
#include "context/token_int.h"

#define TOK_MIC 0x0101
#define TOK_WRAP 0x0201
#define SGN_ALG_HMAC_MD5 0x1100
#define SEAL_ALG_RC4 0x1000
#define SEAL_ALG_NONE 0xFFFF

#define MIC_BODY 24      /* TOK_ID .. SGN_CKSUM */
#define CKSUM_LEN 8
#define CONFOUNDER_LEN 8
#define PAD_LEN 1        /* RC4 is a stream cipher: always one byte of 01 */
#define MAX_PAD 8        /* RFC 1964 §1.2.2.3 padding is 1..8 bytes */

/* Message types T for the checksum (RFC 4757 §7.2, §7.3, MIT's choice). */
#define T_MIC 15
#define T_WRAP 13

/* The krb5 mechanism OID 1.2.840.113554.1.2.2 with its tag and length. */
static const uint8_t krb5_oid_tlv[11] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02
};

#define MAX_PARTS 16

/* ---- RFC 2743 §3.1 framing --------------------------------------------- */

/* Bytes of a DER length field for n. */
static size_t der_len_size(size_t n)
{
	size_t k = 1;

	if (n < 0x80)
		return 1;
	while (n) {
		k++;
		n >>= 8;
	}
	return k;
}

/* Writes 0x60, the length of inner bytes, and the mechanism OID; returns bytes. */
static size_t put_framing(uint8_t *p, size_t inner)
{
	size_t total = sizeof(krb5_oid_tlv) + inner, ls = der_len_size(total), i;

	p[0] = 0x60;
	if (ls == 1) {
		p[1] = (uint8_t)total;
	} else {
		p[1] = (uint8_t)(0x80 | (ls - 1));
		for (i = 0; i < ls - 1; i++)
			p[1 + ls - 1 - i] = (uint8_t)(total >> (8 * i));
	}
	memcpy(p + 1 + ls, krb5_oid_tlv, sizeof(krb5_oid_tlv));
	return 1 + ls + sizeof(krb5_oid_tlv);
}

static size_t framing_size(size_t inner)
{
	return 1 + der_len_size(sizeof(krb5_oid_tlv) + inner) + sizeof(krb5_oid_tlv);
}

/*
 * Reads the framing strictly (minimal definite length, krb5 OID) and checks
 * that its length covers exactly total bytes of the token; *body_len is
 * what follows the OID.
 */
static kssp_err read_framing(struct kssp_cursor *c, size_t total, size_t *body_len)
{
	uint8_t tag, b, nb, oid[sizeof(krb5_oid_tlv)];
	size_t len = 0, i, start;
	kssp_err e = kssp_cursor_read_u8(c, &tag);

	if (!e && tag != 0x60)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 token: starts with %02x, not the GSS framing tag 60", tag);
	if (!e)
		e = kssp_cursor_read_u8(c, &b);
	if (!e && b < 0x80) {
		len = b;
	} else if (!e) {
		nb = b & 0x7F;
		if (nb == 0 || nb > 4)
			return kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "RFC 4757 token: framing length of %u bytes", nb);
		for (i = 0; !e && i < nb; i++) {
			e = kssp_cursor_read_u8(c, &b);
			if (!e && i == 0 && b == 0)
				return kssp_fail(KSSP_ERR_BAD_ENCODING,
				    "RFC 4757 token: framing length not minimal");
			len = (len << 8) | b;
		}
		if (!e && len < 0x80)
			return kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "RFC 4757 token: framing length not minimal");
	}
	if (e)
		return e;
	start = kssp_cursor_offset(c);
	if (len != total - start)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 token: framing says %zu bytes, the token has %zu", len, total - start);
	e = kssp_cursor_read_bytes(c, oid, sizeof(oid));
	if (e)
		return e;
	if (memcmp(oid, krb5_oid_tlv, sizeof(oid)) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 token: mechanism is not krb5 (1.2.840.113554.1.2.2)");
	*body_len = len - sizeof(oid);
	return KSSP_OK;
}

/* ---- keys and checksums ------------------------------------------------ */

static void le32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

/* HMAC-MD5(k, one part). */
static void hmac_md5(const uint8_t *k, size_t klen, const uint8_t *data, size_t dlen,
    uint8_t out[16])
{
	struct kssp_crypto_iov part = { data, dlen };

	kssp_crypto_hmac_md5(k, klen, &part, 1, out);
}

/*
 * Kseq and Kcrypt are HMAC(HMAC(k, T=0), data) and Ksign HMAC(K,
 * "signaturekey"): the parts that depend on the key alone are computed
 * once, when the context is set up, not per token.
 */
static void rc4_setup(struct kssp_token_ctx *t, const struct kssp_key *k)
{
	static const char signaturekey[] = "signaturekey"; /* with its NUL: 13 bytes */
	uint8_t t0[4], klocal[KSSP_CRYPTO_MAX_KEY];
	size_t i;

	le32(t0, 0);
	hmac_md5(k->contents, k->length, (const uint8_t *)signaturekey, sizeof(signaturekey),
	    t->rc4_keys.ksign);
	hmac_md5(k->contents, k->length, t0, sizeof(t0), t->rc4_keys.kseq1);
	for (i = 0; i < k->length; i++)
		klocal[i] = k->contents[i] ^ 0xF0;
	hmac_md5(klocal, k->length, t0, sizeof(t0), t->rc4_keys.kcrypt1);
	kssp_memzero(klocal, sizeof(klocal));
}

static void seq_key(const struct kssp_token_ctx *t, const uint8_t cksum[CKSUM_LEN],
    uint8_t out[16])
{
	hmac_md5(t->rc4_keys.kseq1, 16, cksum, CKSUM_LEN, out);
}

static void crypt_key(const struct kssp_token_ctx *t, const uint8_t seq_be[4], uint8_t out[16])
{
	hmac_md5(t->rc4_keys.kcrypt1, 16, seq_be, 4, out);
}

/* SGN_CKSUM: the first 8 bytes of HMAC(Ksign, MD5(T || parts)) (RFC 4757 §4). */
static kssp_err sign(const struct kssp_token_ctx *t, uint32_t tval,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[CKSUM_LEN])
{
	struct kssp_crypto_iov all[MAX_PARTS + 1];
	uint8_t tbuf[4], digest[16], mac[16];

	if (nparts > MAX_PARTS)
		return kssp_fail(KSSP_ERR_LIMIT, "RFC 4757 token: %zu message parts, at most %d",
		    nparts, MAX_PARTS);
	le32(tbuf, tval);
	all[0].data = tbuf;
	all[0].len = 4;
	if (nparts)
		memcpy(all + 1, parts, nparts * sizeof(*parts));
	kssp_crypto_md5(all, nparts + 1, digest);
	hmac_md5(t->rc4_keys.ksign, 16, digest, sizeof(digest), mac);
	memcpy(out, mac, CKSUM_LEN);
	kssp_memzero(mac, sizeof(mac));
	return KSSP_OK;
}

/* The plain SND_SEQ: big-endian number, then 4 direction bytes (00 from the
 * initiator, FF from the acceptor, RFC 1964 §1.2.1.2). */
static void plain_seq(uint8_t out[8], uint32_t seq, bool from_initiator)
{
	out[0] = (uint8_t)(seq >> 24);
	out[1] = (uint8_t)(seq >> 16);
	out[2] = (uint8_t)(seq >> 8);
	out[3] = (uint8_t)seq;
	memset(out + 4, from_initiator ? 0x00 : 0xFF, 4);
}

static void crypt_seq(const struct kssp_token_ctx *t, const uint8_t cksum[CKSUM_LEN],
    const uint8_t in[8], uint8_t out[8])
{
	struct kssp_rc4 rc4;
	uint8_t k[16];

	seq_key(t, cksum, k);
	kssp_crypto_rc4_init(&rc4, k, sizeof(k));
	kssp_crypto_rc4_crypt(&rc4, in, out, 8);
	kssp_crypto_rc4_clear(&rc4);
	kssp_memzero(k, sizeof(k));
}

/*
 * Decrypts SND_SEQ and checks its direction bytes name the peer; *seq is
 * the 32-bit number.
 */
static kssp_err open_seq(const struct kssp_token_ctx *t, const uint8_t *enc,
    const uint8_t cksum[CKSUM_LEN], uint32_t *seq)
{
	uint8_t plain[8], want[4];

	crypt_seq(t, cksum, enc, plain);
	memset(want, t->initiator ? 0xFF : 0x00, 4);
	if (memcmp(plain + 4, want, 4) != 0)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 token: sequence number direction bytes do not name the peer");
	*seq = (uint32_t)plain[0] << 24 | (uint32_t)plain[1] << 16 | (uint32_t)plain[2] << 8 |
	    plain[3];
	return KSSP_OK;
}

/* ---- sizes ------------------------------------------------------------- */

static kssp_err rc4_mic_len(const struct kssp_token_ctx *t, size_t *len)
{
	(void)t;
	*len = framing_size(MIC_BODY) + MIC_BODY;
	return KSSP_OK;
}

/* The same for contiguous and split tokens: the padding is the trailer. */
static kssp_err rc4_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s)
{
	size_t inner;

	(void)t, (void)conf;
	if (data_len > KSSP_TOKEN_MAX_DATA)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap: %zu data bytes is too large", data_len);
	inner = KSSP_TOKEN_RC4_HEADER + data_len + PAD_LEN;
	s->header = framing_size(inner) + KSSP_TOKEN_RC4_HEADER;
	s->trailer = PAD_LEN;
	return KSSP_OK;
}

/* ---- MIC (RFC 4757 §7.2) ----------------------------------------------- */

static kssp_err rc4_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len)
{
	struct kssp_crypto_iov parts[MAX_PARTS];
	uint8_t *b, seq[8];
	size_t need, off;
	kssp_err e;

	rc4_mic_len(t, &need);
	if (cap < need)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "MIC: needs %zu bytes, have %zu", need,
		    cap);
	if (nmsg > MAX_PARTS - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "MIC: %zu message parts", nmsg);
	off = put_framing(out, MIC_BODY);
	b = out + off;
	kssp_token_put_be16(b, TOK_MIC);
	kssp_token_put_be16(b + 2, SGN_ALG_HMAC_MD5);
	memset(b + 4, 0xFF, 4);
	parts[0].data = b;
	parts[0].len = 8;
	if (nmsg)
		memcpy(parts + 1, msg, nmsg * sizeof(*msg));
	e = sign(t, T_MIC, parts, nmsg + 1, b + 16);
	if (e)
		return e;
	plain_seq(seq, (uint32_t)t->send_seq, t->initiator);
	crypt_seq(t, b + 16, seq, b + 8);
	*len = need;
	t->send_seq = (t->send_seq + 1) & UINT32_MAX;
	return KSSP_OK;
}

static kssp_err rc4_verify_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, const uint8_t *token, size_t len, unsigned *seq_status)
{
	struct kssp_crypto_iov parts[MAX_PARTS];
	struct kssp_cursor c;
	const uint8_t *b;
	uint8_t mac[CKSUM_LEN];
	uint16_t id, sgn, seal, filler;
	uint32_t seq;
	size_t body;
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = read_framing(&c, len, &body);
	if (!e && body != MIC_BODY)
		e = kssp_fail(body < MIC_BODY ? KSSP_ERR_TRUNCATED : KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 MIC token: %zu bytes after the framing, expected %d", body, MIC_BODY);
	if (!e)
		e = kssp_cursor_take(&c, MIC_BODY, &b);
	if (e)
		return e;
	id = (uint16_t)(b[0] << 8 | b[1]);
	sgn = (uint16_t)(b[2] << 8 | b[3]);
	seal = (uint16_t)(b[4] << 8 | b[5]);
	filler = (uint16_t)(b[6] << 8 | b[7]);
	if (id != TOK_MIC || sgn != SGN_ALG_HMAC_MD5 || seal != 0xFFFF || filler != 0xFFFF)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 MIC token: header %04x %04x %04x %04x, expected 0101 1100 ffff ffff",
		    id, sgn, seal, filler);
	if (nmsg > MAX_PARTS - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "MIC: %zu message parts", nmsg);
	parts[0].data = b;
	parts[0].len = 8;
	if (nmsg)
		memcpy(parts + 1, msg, nmsg * sizeof(*msg));
	e = sign(t, T_MIC, parts, nmsg + 1, mac);
	if (e)
		return e;
	if (!kssp_ct_equal(mac, b + 16, CKSUM_LEN))
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 MIC token: checksum does not match the message");
	e = open_seq(t, b + 8, b + 16, &seq);
	if (e)
		return e;
	return kssp_seq_receive(&t->recv, seq, seq_status);
}

/* ---- Wrap (RFC 4757 §7.3) ---------------------------------------------- */

static kssp_err rc4_wrap_split(struct kssp_token_ctx *t, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer,
    size_t tcap, size_t *tlen)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	struct kssp_crypto_iov parts[4];
	struct kssp_rc4 rc4;
	uint8_t *b, seq[8], k[16];
	size_t off;
	kssp_err e = rc4_wrap_sizes(t, conf, data_len, &s);

	if (e)
		return e;
	if (hcap < s.header || tcap < s.trailer)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL,
		    "Wrap: header needs %zu bytes (have %zu), trailer %zu (have %zu)", s.header,
		    hcap, s.trailer, tcap);
	off = put_framing(header, KSSP_TOKEN_RC4_HEADER + data_len + PAD_LEN);
	b = header + off;
	kssp_token_put_be16(b, TOK_WRAP);
	kssp_token_put_be16(b + 2, SGN_ALG_HMAC_MD5);
	kssp_token_put_be16(b + 4, conf ? SEAL_ALG_RC4 : SEAL_ALG_NONE);
	kssp_token_put_be16(b + 6, 0xFFFF);
	e = kssp_hooks_random(t->hooks, b + 24, CONFOUNDER_LEN);
	if (e)
		return e;
	trailer[0] = PAD_LEN;
	parts[0].data = b;
	parts[0].len = 8;
	parts[1].data = b + 24;
	parts[1].len = CONFOUNDER_LEN;
	parts[2].data = data;
	parts[2].len = data_len;
	parts[3].data = trailer;
	parts[3].len = PAD_LEN;
	e = sign(t, T_WRAP, parts, 4, b + 16);
	if (e)
		return e;
	plain_seq(seq, (uint32_t)t->send_seq, t->initiator);
	if (conf) {
		/* One RC4 stream over confounder, data and padding. */
		crypt_key(t, seq, k);
		kssp_crypto_rc4_init(&rc4, k, sizeof(k));
		kssp_crypto_rc4_crypt(&rc4, b + 24, b + 24, CONFOUNDER_LEN);
		kssp_crypto_rc4_crypt(&rc4, data, data, data_len);
		kssp_crypto_rc4_crypt(&rc4, trailer, trailer, PAD_LEN);
		kssp_crypto_rc4_clear(&rc4);
		kssp_memzero(k, sizeof(k));
	}
	crypt_seq(t, b + 16, seq, b + 8);
	*hlen = s.header;
	*tlen = PAD_LEN;
	t->send_seq = (t->send_seq + 1) & UINT32_MAX;
	return KSSP_OK;
}

/* Contiguous: the split layout with header, data and trailer adjacent in buf. */
static kssp_err rc4_wrap(struct kssp_token_ctx *t, bool conf, uint8_t *buf, size_t cap,
    size_t data_len, size_t *token_len)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	size_t hl, tl;
	kssp_err e = rc4_wrap_sizes(t, conf, data_len, &s);

	if (!e && cap < s.header + data_len + s.trailer)
		e = kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: needs %zu bytes, have %zu",
		    s.header + data_len + s.trailer, cap);
	if (!e)
		e = rc4_wrap_split(t, conf, buf, s.header, &hl, buf + s.header, data_len,
		    buf + s.header + data_len, s.trailer, &tl);
	if (!e)
		*token_len = hl + data_len + tl;
	return e;
}

/* The RFC 1964 Wrap header after the framing: algorithms and filler. */
static kssp_err check_wrap_header(const uint8_t *b, bool *sealed)
{
	uint16_t id = (uint16_t)(b[0] << 8 | b[1]), sgn = (uint16_t)(b[2] << 8 | b[3]);
	uint16_t seal = (uint16_t)(b[4] << 8 | b[5]), filler = (uint16_t)(b[6] << 8 | b[7]);

	if (id != TOK_WRAP)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "RFC 4757 Wrap token: TOK_ID %04x", id);
	if (sgn != SGN_ALG_HMAC_MD5)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: SGN_ALG %04x is not HMAC-MD5 (1100)", sgn);
	if (seal != SEAL_ALG_RC4 && seal != SEAL_ALG_NONE)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: SEAL_ALG %04x is neither RC4 (1000) nor none (ffff)", seal);
	if (filler != 0xFFFF)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "RFC 4757 Wrap token: filler %04x", filler);
	*sealed = seal == SEAL_ALG_RC4;
	return KSSP_OK;
}

/* Reads the pad count from the end of data | trailer and checks every pad byte. */
static kssp_err strip_padding(const uint8_t *data, size_t dlen, const uint8_t *trailer,
    size_t tlen, size_t *plain_len)
{
	size_t total = dlen + tlen, i;
	uint8_t pad, b;

	if (total == 0)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY, "RFC 4757 Wrap token: no padding");
	pad = tlen ? trailer[tlen - 1] : data[dlen - 1];
	if (pad < 1 || pad > MAX_PAD || pad > total)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 Wrap token: padding of %u bytes in %zu bytes of data", pad, total);
	for (i = total - pad; i < total; i++) {
		b = i < dlen ? data[i] : trailer[i - dlen];
		if (b != pad)
			return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
			    "RFC 4757 Wrap token: padding bytes differ");
	}
	if (total - pad > dlen)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: the trailer holds data, not only padding");
	*plain_len = total - pad;
	return KSSP_OK;
}

/*
 * The body of the header is KSSP_TOKEN_RC4_HEADER bytes at b (after the
 * framing, already checked to cover header, data and trailer).
 */
static kssp_err open_wrap(struct kssp_token_ctx *t, const uint8_t *b, uint8_t *data,
    size_t dlen, uint8_t *trailer, size_t tlen, size_t *plain_len, bool *conf,
    unsigned *seq_status)
{
	struct kssp_crypto_iov parts[4];
	struct kssp_rc4 rc4;
	uint8_t confounder[CONFOUNDER_LEN], mac[CKSUM_LEN], k[16], seqb[8];
	uint32_t seq;
	bool sealed = false;
	kssp_err e = check_wrap_header(b, &sealed);

	if (!e)
		e = open_seq(t, b + 8, b + 16, &seq);
	if (e)
		return e;
	memcpy(confounder, b + 24, CONFOUNDER_LEN);
	if (sealed) {
		plain_seq(seqb, seq, !t->initiator); /* Kcrypt takes its first 4 bytes */
		crypt_key(t, seqb, k);
		kssp_crypto_rc4_init(&rc4, k, sizeof(k));
		kssp_crypto_rc4_crypt(&rc4, confounder, confounder, CONFOUNDER_LEN);
		kssp_crypto_rc4_crypt(&rc4, data, data, dlen);
		kssp_crypto_rc4_crypt(&rc4, trailer, trailer, tlen);
		kssp_crypto_rc4_clear(&rc4);
		kssp_memzero(k, sizeof(k));
	}
	parts[0].data = b;
	parts[0].len = 8;
	parts[1].data = confounder;
	parts[1].len = CONFOUNDER_LEN;
	parts[2].data = data;
	parts[2].len = dlen;
	parts[3].data = trailer;
	parts[3].len = tlen;
	e = sign(t, T_WRAP, parts, 4, mac);
	if (!e && !kssp_ct_equal(mac, b + 16, CKSUM_LEN))
		e = kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 Wrap token: checksum does not match");
	if (!e)
		e = strip_padding(data, dlen, trailer, tlen, plain_len);
	kssp_memzero(confounder, sizeof(confounder));
	if (e) {
		/* No plaintext of a token that did not verify stays behind. */
		if (sealed) {
			kssp_memzero(data, dlen);
			kssp_memzero(trailer, tlen);
		}
		return e;
	}
	if (conf)
		*conf = sealed;
	return kssp_seq_receive(&t->recv, seq, seq_status);
}

static kssp_err rc4_unwrap_split(struct kssp_token_ctx *t, const uint8_t *header,
    size_t hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen,
    size_t *plain_len, bool *conf, unsigned *seq_status)
{
	struct kssp_cursor c;
	const uint8_t *b;
	size_t body, total;
	kssp_err e;

	if (data_len > SIZE_MAX / 4 || tlen > SIZE_MAX / 4 || hlen > SIZE_MAX / 4)
		return kssp_fail(KSSP_ERR_LIMIT, "RFC 4757 Wrap token: buffers too large");
	total = hlen + data_len + tlen;
	/* The framing's length must cover header, data and trailer together. */
	kssp_cursor_init(&c, header, hlen);
	e = read_framing(&c, total, &body);
	if (!e && kssp_cursor_remaining(&c) != KSSP_TOKEN_RC4_HEADER)
		e = kssp_fail(kssp_cursor_remaining(&c) < KSSP_TOKEN_RC4_HEADER ?
		    KSSP_ERR_TRUNCATED : KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: %zu header bytes after the framing, expected %d",
		    kssp_cursor_remaining(&c), KSSP_TOKEN_RC4_HEADER);
	if (!e)
		e = kssp_cursor_take(&c, KSSP_TOKEN_RC4_HEADER, &b);
	if (e)
		return e;
	return open_wrap(t, b, data, data_len, trailer, tlen, plain_len, conf, seq_status);
}

static kssp_err rc4_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status)
{
	struct kssp_cursor c;
	const uint8_t *b;
	size_t body, off;
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = read_framing(&c, len, &body);
	if (!e && body < KSSP_TOKEN_RC4_HEADER)
		e = kssp_fail(KSSP_ERR_TRUNCATED,
		    "RFC 4757 Wrap token: %zu bytes after the framing, shorter than the %d-byte "
		    "header", body, KSSP_TOKEN_RC4_HEADER);
	if (!e)
		e = kssp_cursor_take(&c, KSSP_TOKEN_RC4_HEADER, &b);
	if (e)
		return e;
	off = kssp_cursor_offset(&c);
	e = open_wrap(t, b, token + off, len - off, NULL, 0, data_len, conf, seq_status);
	if (!e)
		*data_off = off;
	return e;
}

const struct kssp_token_ops kssp_token_rc4_ops = {
	.setup = rc4_setup,
	.mic_len = rc4_mic_len,
	.wrap_sizes = rc4_wrap_sizes,
	.wrap_split_sizes = rc4_wrap_sizes,
	.get_mic = rc4_get_mic,
	.verify_mic = rc4_verify_mic,
	.wrap = rc4_wrap,
	.wrap_split = rc4_wrap_split,
	.unwrap = rc4_unwrap,
	.unwrap_split = rc4_unwrap_split,
};
