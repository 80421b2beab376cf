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

#include "asn1/asn1.h"
#include "base/base.h"
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

#define MAX_PARTS (KSSP_TOKEN_MAX_SEGS + 3)
#define FRAMING_MIN 13   /* 60, a one-byte length, the 11-byte krb5 OID */
#define FRAMING_MAX 24

/* ---- RFC 2743 §3.1 framing (asn1/gss_int.h) -------------------------------- */

/* Writes the framing of a token with inner bytes after the OID; returns its length. */
static size_t put_framing(uint8_t *out, size_t cap, size_t inner)
{
	struct kssp_writer w;

	kssp_writer_init_fixed(&w, out, cap);
	kssp_gss_put_krb5_framing(&w, inner);
	return w.len;
}

static size_t framing_size(size_t inner)
{
	uint8_t f[FRAMING_MAX];

	return put_framing(f, sizeof(f), inner);
}

/*
 * Takes the framing a token of total bytes must begin with.  DER gives a
 * length one encoding, so comparing with the framing written for total
 * checks the tag, the minimal length and the krb5 OID at once.  Of the
 * framing lengths n, only one has a framing of n bytes for total - n.
 */
static kssp_err read_framing(struct kssp_cursor *c, size_t total)
{
	uint8_t want[FRAMING_MAX];
	const uint8_t *got;
	size_t n;
	kssp_err e;

	for (n = FRAMING_MIN; n < FRAMING_MAX; n++)
		if (total >= n && put_framing(want, sizeof(want), total - n) == n)
			break;
	if (n == FRAMING_MAX)
		return kssp_fail(KSSP_ERR_TRUNCATED, "RFC 4757 token: %zu bytes hold no framing",
		    total);
	e = kssp_cursor_take(c, n, &got);
	if (!e && memcmp(got, want, n) != 0)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 token: not the RFC 2743 framing of a %zu-byte krb5 token", total);
	return e;
}

/* ---- keys and checksums ------------------------------------------------ */

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
static kssp_err rc4_setup(struct kssp_token_ctx *t, const struct kssp_key *k)
{
	static const uint8_t t0[4];
	uint8_t klocal[KSSP_CRYPTO_MAX_KEY], step[16];
	struct kssp_rc4_keys *keys = kssp_malloc(sizeof(*keys));
	size_t i;

	if (!keys)
		return kssp_fail(KSSP_ERR_NOMEM, "token: no memory for the RFC 4757 keys");
	kssp_crypto_rc4_ksign(k->contents, k->length, step);
	kssp_crypto_hmac_md5_set_key(&keys->ksign, step, sizeof(step));
	hmac_md5(k->contents, k->length, t0, sizeof(t0), step);
	kssp_crypto_hmac_md5_set_key(&keys->kseq1, step, sizeof(step));
	for (i = 0; i < k->length; i++)
		klocal[i] = k->contents[i] ^ 0xF0;
	hmac_md5(klocal, k->length, t0, sizeof(t0), step);
	kssp_crypto_hmac_md5_set_key(&keys->kcrypt1, step, sizeof(step));
	kssp_memzero(klocal, sizeof(klocal));
	kssp_memzero(step, sizeof(step));
	t->rc4_keys = keys;
	return KSSP_OK;
}

/* SGN_CKSUM: the first 8 bytes of the §4 checksum over the 8 header bytes, then parts. */
static kssp_err sign(const struct kssp_token_ctx *t, uint32_t tval, const uint8_t *hdr,
    const struct kssp_crypto_iov *parts, size_t nparts, uint8_t out[CKSUM_LEN])
{
	struct kssp_crypto_iov all[MAX_PARTS];
	uint8_t mac[16];

	if (nparts > MAX_PARTS - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "RFC 4757 token: %zu message parts, at most %d",
		    nparts, MAX_PARTS - 1);
	all[0].data = hdr;
	all[0].len = 8;
	if (nparts)
		memcpy(all + 1, parts, nparts * sizeof(*parts));
	kssp_crypto_rc4_sign(&t->rc4_keys->ksign, tval, all, nparts + 1, mac);
	memcpy(out, mac, CKSUM_LEN);
	kssp_memzero(mac, sizeof(mac));
	return KSSP_OK;
}

/* A Wrap token's checksum covers header, confounder, every segment in
 * order (sign-only ones too, MS-KILE 3.4.5.4.1) and the padding. */
static kssp_err wrap_sign(const struct kssp_token_ctx *t, const uint8_t *hdr,
    const uint8_t *confounder, const struct kssp_token_seg *segs, size_t n,
    const uint8_t *trailer, size_t tlen, uint8_t out[CKSUM_LEN])
{
	struct kssp_crypto_iov parts[KSSP_TOKEN_MAX_SEGS + 2];
	size_t i;

	parts[0].data = confounder;
	parts[0].len = CONFOUNDER_LEN;
	for (i = 0; i < n; i++) {
		parts[i + 1].data = segs[i].data;
		parts[i + 1].len = segs[i].len;
	}
	parts[n + 1].data = trailer;
	parts[n + 1].len = tlen;
	return sign(t, T_WRAP, hdr, parts, n + 2, out);
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

/* SND_SEQ under RC4 keyed with Kseq = HMAC(Kseq1, SGN_CKSUM). */
static void crypt_seq(const struct kssp_token_ctx *t, const uint8_t cksum[CKSUM_LEN],
    const uint8_t in[8], uint8_t out[8])
{
	const struct kssp_crypto_iov part = { cksum, CKSUM_LEN };
	struct kssp_rc4 rc4;
	uint8_t k[16];

	kssp_crypto_hmac_md5_keyed(&t->rc4_keys->kseq1, &part, 1, k);
	kssp_crypto_rc4_init(&rc4, k, sizeof(k));
	kssp_crypto_rc4_crypt(&rc4, in, out, 8);
	kssp_crypto_rc4_clear(&rc4);
	kssp_memzero(k, sizeof(k));
}

/* One RC4 stream under Kcrypt = HMAC(Kcrypt1, SND_SEQ's number) over
 * confounder, the segments that are not sign-only, and padding, in place. */
static void crypt_body(const struct kssp_token_ctx *t, const uint8_t seq[8], uint8_t *confounder,
    struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tlen)
{
	const struct kssp_crypto_iov part = { seq, 4 };
	struct kssp_rc4 rc4;
	uint8_t k[16];
	size_t i;

	kssp_crypto_hmac_md5_keyed(&t->rc4_keys->kcrypt1, &part, 1, k);
	kssp_crypto_rc4_init(&rc4, k, sizeof(k));
	kssp_crypto_rc4_crypt(&rc4, confounder, confounder, CONFOUNDER_LEN);
	for (i = 0; i < n; i++)
		if (!segs[i].sign_only)
			kssp_crypto_rc4_crypt(&rc4, segs[i].data, segs[i].data, segs[i].len);
	kssp_crypto_rc4_crypt(&rc4, trailer, trailer, tlen);
	kssp_crypto_rc4_clear(&rc4);
	kssp_memzero(k, sizeof(k));
}

/* Zeroes the encrypted segments and padding (no unverified plaintext stays). */
static void wipe_body(struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!segs[i].sign_only)
			kssp_memzero(segs[i].data, segs[i].len);
	kssp_memzero(trailer, tlen);
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

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- sizes ------------------------------------------------------------- */

static kssp_err rc4_mic_len(const struct kssp_token_ctx *t, size_t *len)
{
	(void)t;
	*len = framing_size(MIC_BODY) + MIC_BODY;
	return KSSP_OK;
}

/*
 * The layouts: a whole token (contiguous, and the split layout of stream
 * contexts) frames header, encrypted data and one pad byte (RFC 4757
 * §7.3); the split layout of a DCE-style context frames the 32-byte header
 * alone and sends no padding (MS-KILE 3.4.5.4.1: for MS-RPCE the length
 * does not include the data; the RPC caller pads).
 */
static bool split_whole(const struct kssp_token_ctx *t)
{
	return (t->flags & KSSP_GSS_DCE_STYLE) == 0;
}

/* The bytes the framing covers for enc encrypted bytes. */
static size_t framed_len(bool whole, size_t enc)
{
	return KSSP_TOKEN_RC4_HEADER + (whole ? enc + PAD_LEN : 0);
}

static kssp_err layout_sizes(bool whole, size_t data_len, struct kssp_wrap_sizes *s)
{
	if (data_len > KSSP_TOKEN_MAX_DATA)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap: %zu data bytes is too large", data_len);
	s->header = framing_size(framed_len(whole, data_len)) + KSSP_TOKEN_RC4_HEADER;
	s->trailer = whole ? PAD_LEN : 0;
	return KSSP_OK;
}

/* Contiguous tokens: the padding is the trailer. */
static kssp_err rc4_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s)
{
	(void)t, (void)conf;
	return layout_sizes(true, data_len, s);
}

static kssp_err rc4_wrap_split_sizes(const struct kssp_token_ctx *t, bool conf,
    size_t data_len, struct kssp_wrap_sizes *s)
{
	(void)conf;
	return layout_sizes(split_whole(t), data_len, s);
}

/* ---- MIC (RFC 4757 §7.2) ----------------------------------------------- */

static kssp_err rc4_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t *b, seq[8];
	size_t need;
	kssp_err e;

	rc4_mic_len(t, &need);
	if (cap < need)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "MIC: needs %zu bytes, have %zu", need,
		    cap);
	b = out + put_framing(out, cap, MIC_BODY);
	kssp_token_put_be16(b, TOK_MIC);
	kssp_token_put_be16(b + 2, SGN_ALG_HMAC_MD5);
	memset(b + 4, 0xFF, 4);
	e = sign(t, T_MIC, b, msg, nmsg, b + 16);
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
	struct kssp_cursor c;
	const uint8_t *b;
	uint8_t mac[CKSUM_LEN];
	uint32_t seq;
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = read_framing(&c, len);
	if (!e && kssp_cursor_remaining(&c) != MIC_BODY)
		e = kssp_fail(kssp_cursor_remaining(&c) < MIC_BODY ? KSSP_ERR_TRUNCATED :
		    KSSP_ERR_BAD_ENCODING, "RFC 4757 MIC token: %zu bytes after the framing, "
		    "expected %d", kssp_cursor_remaining(&c), MIC_BODY);
	if (!e)
		e = kssp_cursor_take(&c, MIC_BODY, &b);
	if (e)
		return e;
	if (be16(b) != TOK_MIC || be16(b + 2) != SGN_ALG_HMAC_MD5 || be16(b + 4) != 0xFFFF ||
	    be16(b + 6) != 0xFFFF)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 MIC token: header %04x %04x %04x %04x, expected 0101 1100 ffff ffff",
		    be16(b), be16(b + 2), be16(b + 4), be16(b + 6));
	e = sign(t, T_MIC, b, msg, nmsg, mac);
	if (!e && !kssp_ct_equal(mac, b + 16, CKSUM_LEN))
		e = kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 MIC token: checksum does not match the message");
	if (!e)
		e = open_seq(t, b + 8, b + 16, &seq);
	return e ? e : kssp_seq_receive(&t->recv, seq, seq_status);
}

/* ---- Wrap (RFC 4757 §7.3) ---------------------------------------------- */

static kssp_err seal_token(struct kssp_token_ctx *t, bool whole, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, struct kssp_token_seg *segs, size_t n, uint8_t *trailer,
    size_t tcap, size_t *tlen)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	uint8_t *b, seq[8];
	size_t enc = 0;
	bool sign_only = false;
	kssp_err e = kssp_token_segs_check(segs, n, &enc, &sign_only);

	if (!e)
		e = layout_sizes(whole, enc, &s);
	if (e)
		return e;
	if (hcap < s.header || tcap < s.trailer)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL,
		    "Wrap: header needs %zu bytes (have %zu), trailer %zu (have %zu)", s.header,
		    hcap, s.trailer, tcap);
	b = header + put_framing(header, hcap, framed_len(whole, enc));
	kssp_token_put_be16(b, TOK_WRAP);
	kssp_token_put_be16(b + 2, SGN_ALG_HMAC_MD5);
	kssp_token_put_be16(b + 4, conf ? SEAL_ALG_RC4 : SEAL_ALG_NONE);
	kssp_token_put_be16(b + 6, 0xFFFF);
	e = kssp_hooks_random(t->hooks, b + 24, CONFOUNDER_LEN);
	if (s.trailer)
		trailer[0] = PAD_LEN;
	if (!e)
		e = wrap_sign(t, b, b + 24, segs, n, trailer, s.trailer, b + 16);
	if (e)
		return e;
	plain_seq(seq, (uint32_t)t->send_seq, t->initiator);
	if (conf)
		crypt_body(t, seq, b + 24, segs, n, trailer, s.trailer);
	crypt_seq(t, b + 16, seq, b + 8);
	*hlen = s.header;
	*tlen = s.trailer;
	t->send_seq = (t->send_seq + 1) & UINT32_MAX;
	return KSSP_OK;
}

static kssp_err rc4_wrap_ex(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
    size_t *hlen, struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tcap,
    size_t *tlen)
{
	return seal_token(t, split_whole(t), conf, header, hcap, hlen, segs, n, trailer, tcap,
	    tlen);
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
	if (!e) {
		struct kssp_token_seg seg = { buf + s.header, data_len, false };

		e = seal_token(t, true, conf, buf, s.header, &hl, &seg, 1,
		    buf + s.header + data_len, s.trailer, &tl);
	}
	if (!e)
		*token_len = hl + data_len + tl;
	return e;
}

/* The RFC 1964 Wrap header after the framing: algorithms and filler. */
static kssp_err check_wrap_header(const uint8_t *b, bool *sealed)
{
	uint16_t id = be16(b), sgn = be16(b + 2), seal = be16(b + 4), filler = be16(b + 6);

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

/* The last segment that is not sign-only (the padding ends it when no
 * trailer buffer holds it), else NULL. */
static struct kssp_token_seg *last_encrypted(struct kssp_token_seg *segs, size_t n)
{
	while (n > 0 && segs[n - 1].sign_only)
		n--;
	return n ? &segs[n - 1] : NULL;
}

/*
 * The body of the header is KSSP_TOKEN_RC4_HEADER bytes at b (after the
 * framing, already checked to cover what whole says).  A whole token's
 * padding is checked and *strip set to the pad bytes at the end of the
 * last encrypted segment; a DCE-style token has none.
 */
static kssp_err open_token(struct kssp_token_ctx *t, bool whole, const uint8_t *b,
    struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tlen, size_t *strip,
    bool *conf, unsigned *seq_status)
{
	struct kssp_token_seg *last = last_encrypted(segs, n);
	uint8_t confounder[CONFOUNDER_LEN], mac[CKSUM_LEN], seqb[8];
	size_t plain = 0;
	uint32_t seq;
	bool sealed = false;
	kssp_err e = check_wrap_header(b, &sealed);

	*strip = 0;
	if (!e)
		e = open_seq(t, b + 8, b + 16, &seq);
	if (e)
		return e;
	memcpy(confounder, b + 24, CONFOUNDER_LEN);
	if (sealed) {
		plain_seq(seqb, seq, !t->initiator);
		crypt_body(t, seqb, confounder, segs, n, trailer, tlen);
	}
	e = wrap_sign(t, b, confounder, segs, n, trailer, tlen, mac);
	if (!e && !kssp_ct_equal(mac, b + 16, CKSUM_LEN))
		e = kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "RFC 4757 Wrap token: checksum does not match");
	if (!e && whole) {
		e = strip_padding(last ? last->data : NULL, last ? last->len : 0, trailer, tlen,
		    &plain);
		if (!e)
			*strip = (last ? last->len : 0) - plain;
	}
	kssp_memzero(confounder, sizeof(confounder));
	if (e) {
		/* No plaintext of a token that did not verify stays behind. */
		if (sealed)
			wipe_body(segs, n, trailer, tlen);
		return e;
	}
	if (conf)
		*conf = sealed;
	return kssp_seq_receive(&t->recv, seq, seq_status);
}

static kssp_err rc4_unwrap_ex(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
    struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tlen, size_t *strip,
    bool *conf, unsigned *seq_status)
{
	struct kssp_cursor c;
	const uint8_t *b;
	size_t total, enc = 0;
	bool sign_only = false, whole = split_whole(t);
	kssp_err e = kssp_token_segs_check(segs, n, &enc, &sign_only);

	*strip = 0;
	if (e)
		return e;
	if (tlen > SIZE_MAX / 4 || hlen > SIZE_MAX / 4)
		return kssp_fail(KSSP_ERR_LIMIT, "RFC 4757 Wrap token: buffers too large");
	if (!whole && tlen != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: %zu padding bytes on a DCE-style context, which has none",
		    tlen);
	/* The framing's length covers header, encrypted data and trailer
	 * (stream contexts) or the header alone (DCE style). */
	total = whole ? hlen + enc + tlen : hlen;
	kssp_cursor_init(&c, header, hlen);
	e = read_framing(&c, total);
	if (!e && kssp_cursor_remaining(&c) != KSSP_TOKEN_RC4_HEADER)
		e = kssp_fail(kssp_cursor_remaining(&c) < KSSP_TOKEN_RC4_HEADER ?
		    KSSP_ERR_TRUNCATED : KSSP_ERR_BAD_ENCODING,
		    "RFC 4757 Wrap token: %zu header bytes after the framing, expected %d",
		    kssp_cursor_remaining(&c), KSSP_TOKEN_RC4_HEADER);
	if (!e)
		e = kssp_cursor_take(&c, KSSP_TOKEN_RC4_HEADER, &b);
	if (e)
		return e;
	return open_token(t, whole, b, segs, n, trailer, tlen, strip, conf, seq_status);
}

static kssp_err rc4_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status)
{
	struct kssp_token_seg seg = { NULL, 0, false };
	struct kssp_cursor c;
	const uint8_t *b;
	size_t off, strip = 0;
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = read_framing(&c, len);
	if (!e && kssp_cursor_remaining(&c) < KSSP_TOKEN_RC4_HEADER)
		e = kssp_fail(KSSP_ERR_TRUNCATED,
		    "RFC 4757 Wrap token: %zu bytes after the framing, shorter than the %d-byte "
		    "header", kssp_cursor_remaining(&c), KSSP_TOKEN_RC4_HEADER);
	if (!e)
		e = kssp_cursor_take(&c, KSSP_TOKEN_RC4_HEADER, &b);
	if (e)
		return e;
	off = kssp_cursor_offset(&c);
	seg.data = token + off;
	seg.len = len - off;
	e = open_token(t, true, b, &seg, 1, NULL, 0, &strip, conf, seq_status);
	if (!e) {
		*data_off = off;
		*data_len = seg.len - strip;
	}
	return e;
}

const struct kssp_token_ops kssp_token_rc4_ops = {
	.setup = rc4_setup,
	.mic_len = rc4_mic_len,
	.wrap_sizes = rc4_wrap_sizes,
	.wrap_split_sizes = rc4_wrap_split_sizes,
	.get_mic = rc4_get_mic,
	.verify_mic = rc4_verify_mic,
	.wrap = rc4_wrap,
	.wrap_ex = rc4_wrap_ex,
	.unwrap = rc4_unwrap,
	.unwrap_ex = rc4_unwrap_ex,
};
