/*
 * context/token.c - the token context, its entry points (each calls the
 * context's token family through its operations table), and the RFC 4121
 * §4.2 MIC and Wrap tokens; the RFC 4757 family is context/token_rc4.c.
 */
#include "context/token_int.h"

#include <string.h>

#include "base/base.h"

#define TOK_MIC 0x0404
#define TOK_WRAP 0x0504

static const struct kssp_token_ops cfx_ops;

/* ---- context ----------------------------------------------------------- */

kssp_err kssp_token_ctx_init(struct kssp_token_ctx *t, const struct kssp_key *key,
    const struct kssp_key *acceptor_subkey, bool initiator, uint32_t flags,
    uint64_t send_seq, uint64_t recv_seq, const struct kssp_hooks *hooks)
{
	kssp_err e;

	memset(t, 0, sizeof(*t));
	if (!key || key->enctype == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "token context: no protection key");
	e = kssp_crypto_key_copy(&t->key, key);
	if (!e && acceptor_subkey && acceptor_subkey->enctype != 0)
		e = kssp_crypto_key_copy(&t->acceptor_subkey, acceptor_subkey);
	if (e) {
		kssp_token_ctx_clear(t);
		return e;
	}
	t->initiator = initiator;
	t->flags = flags;
	t->hooks = hooks;
	t->ops = kssp_token_ctx_key(t)->enctype == KSSP_ENCTYPE_ARCFOUR_HMAC ?
	    &kssp_token_rc4_ops : &cfx_ops;
	if (t->ops->setup)
		t->ops->setup(t, kssp_token_ctx_key(t));
	t->send_seq = t->ops->wide_seq ? send_seq : send_seq & UINT32_MAX;
	kssp_seq_init(&t->recv, recv_seq, t->ops->wide_seq, (flags & KSSP_GSS_REPLAY) != 0,
	    (flags & KSSP_GSS_SEQUENCE) != 0);
	return KSSP_OK;
}

void kssp_token_ctx_clear(struct kssp_token_ctx *t)
{
	kssp_crypto_key_clear(&t->key);
	kssp_crypto_key_clear(&t->acceptor_subkey);
	kssp_free_secret(t->scratch, t->scratch_cap);
	kssp_free_secret(t->confounders, sizeof(*t->confounders));
	kssp_memzero(t, sizeof(*t));
}

kssp_err kssp_token_confounder(struct kssp_token_ctx *t, uint8_t *buf, size_t len)
{
	if (t->hooks && t->hooks->random)
		return kssp_hooks_random(t->hooks, buf, len);
	if (!t->confounders && !(t->confounders = kssp_calloc(1, sizeof(*t->confounders))))
		return kssp_fail(KSSP_ERR_NOMEM, "token: no memory for the confounder stream");
	return kssp_random_stream_draw(t->confounders, NULL, buf, len);
}

static bool have_acceptor_subkey(const struct kssp_token_ctx *t)
{
	return t->acceptor_subkey.enctype != 0;
}

const struct kssp_key *kssp_token_ctx_key(const struct kssp_token_ctx *t)
{
	return have_acceptor_subkey(t) ? &t->acceptor_subkey : &t->key;
}

static struct kssp_key *send_key(struct kssp_token_ctx *t)
{
	return have_acceptor_subkey(t) ? &t->acceptor_subkey : &t->key;
}

/* Makes t->scratch hold at least n bytes (grows only, zeroing the old). */
static kssp_err grow_scratch(struct kssp_token_ctx *t, size_t n)
{
	uint8_t *p;

	if (n <= t->scratch_cap)
		return KSSP_OK;
	p = kssp_malloc(n);
	if (!p)
		return kssp_fail(KSSP_ERR_NOMEM, "token: cannot allocate %zu scratch bytes", n);
	kssp_free_secret(t->scratch, t->scratch_cap);
	t->scratch = p;
	t->scratch_cap = n;
	return KSSP_OK;
}

/* ---- RFC 4121 header ----------------------------------------------------- */

/* The fields of a 16-byte RFC 4121 token header (§4.2.6). */
struct cfx_header {
	uint16_t tok_id;
	uint8_t flags;
	uint16_t ec, rrc;   /* Wrap only */
	uint64_t snd_seq;
};

static uint8_t send_flags(const struct kssp_token_ctx *t, bool sealed)
{
	uint8_t f = 0;

	if (!t->initiator)
		f |= KSSP_TOKFLAG_SENT_BY_ACCEPTOR;
	if (sealed)
		f |= KSSP_TOKFLAG_SEALED;
	if (have_acceptor_subkey(t))
		f |= KSSP_TOKFLAG_ACCEPTOR_SUBKEY;
	return f;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void encode_mic_header(uint8_t *h, uint8_t flags, uint64_t seq)
{
	kssp_token_put_be16(h, TOK_MIC);
	h[2] = flags;
	memset(h + 3, 0xFF, 5);
	put_be64(h + 8, seq);
}

static void encode_wrap_header(uint8_t *h, uint8_t flags, uint16_t ec, uint16_t rrc,
    uint64_t seq)
{
	kssp_token_put_be16(h, TOK_WRAP);
	h[2] = flags;
	h[3] = 0xFF;
	kssp_token_put_be16(h + 4, ec);
	kssp_token_put_be16(h + 6, rrc);
	put_be64(h + 8, seq);
}

/*
 * Reads a header through the cursor.  The filler must be all 0xFF
 * (RFC 4121 §4.2.6.1, §4.2.6.2); an RFC 1964 token id (01 01, 02 01 or the
 * GSS framing byte 0x60) on an RFC 4121 context is rejected here.
 */
static kssp_err decode_header(struct kssp_cursor *c, uint16_t want, struct cfx_header *h)
{
	uint8_t filler[5];
	size_t nfill = want == TOK_MIC ? 5 : 1, i;
	const char *what = want == TOK_MIC ? "MIC token" : "Wrap token";

	if (kssp_cursor_remaining(c) < KSSP_TOKEN_CFX_HEADER)
		return kssp_fail(KSSP_ERR_TRUNCATED, "%s: %zu bytes, shorter than its 16-byte header",
		    what, kssp_cursor_remaining(c));
	/* 16 bytes are there: no read below fails. */
	kssp_cursor_read_be16(c, &h->tok_id);
	if (h->tok_id != want)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: TOK_ID %04x, expected %04x%s", what,
		    h->tok_id, want,
		    (h->tok_id >> 8) == 0x60 || (h->tok_id & 0xFF) == 0x01 ?
		    " (an RFC 1964 token on an RFC 4121 context)" : "");
	kssp_cursor_read_u8(c, &h->flags);
	kssp_cursor_read_bytes(c, filler, nfill);
	for (i = 0; i < nfill; i++)
		if (filler[i] != 0xFF)
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: filler byte %zu is %02x, not ff",
			    what, i, filler[i]);
	h->ec = h->rrc = 0;
	if (want == TOK_WRAP) {
		kssp_cursor_read_be16(c, &h->ec);
		kssp_cursor_read_be16(c, &h->rrc);
	}
	kssp_cursor_read_be64(c, &h->snd_seq);
	return kssp_cursor_status(c);
}

/*
 * The key and usage for a received token, after checking that the peer
 * sent it (RFC 4121 §4.2.2 SentByAcceptor) and that it uses the key the
 * context has in force (§2: once the acceptor asserted a subkey, both
 * sides use it).
 */
static kssp_err receive_key(struct kssp_token_ctx *t, uint8_t flags, bool wrap,
    struct kssp_key **key, uint32_t *usage)
{
	bool from_acceptor = (flags & KSSP_TOKFLAG_SENT_BY_ACCEPTOR) != 0;
	bool acc_subkey = (flags & KSSP_TOKFLAG_ACCEPTOR_SUBKEY) != 0;

	if (from_acceptor != t->initiator)
		return kssp_fail(KRB_AP_ERR_BADDIRECTION,
		    "token: sent by the %s, which is this side of the context",
		    from_acceptor ? "acceptor" : "initiator");
	if (acc_subkey != have_acceptor_subkey(t))
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "token: AcceptorSubkey flag %s but the context %s an acceptor subkey",
		    acc_subkey ? "set" : "clear", have_acceptor_subkey(t) ? "has" : "has no");
	*key = acc_subkey ? &t->acceptor_subkey : &t->key;
	if (wrap)
		*usage = from_acceptor ? KSSP_KU_GSS_ACCEPTOR_SEAL : KSSP_KU_GSS_INITIATOR_SEAL;
	else
		*usage = from_acceptor ? KSSP_KU_GSS_ACCEPTOR_SIGN : KSSP_KU_GSS_INITIATOR_SIGN;
	return KSSP_OK;
}

static uint32_t send_usage(const struct kssp_token_ctx *t, bool wrap)
{
	if (wrap)
		return t->initiator ? KSSP_KU_GSS_INITIATOR_SEAL : KSSP_KU_GSS_ACCEPTOR_SEAL;
	return t->initiator ? KSSP_KU_GSS_INITIATOR_SIGN : KSSP_KU_GSS_ACCEPTOR_SIGN;
}

/* ---- sizes ------------------------------------------------------------- */

static kssp_err cfx_mic_len(const struct kssp_token_ctx *t, size_t *len)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(kssp_token_ctx_key(t)->enctype, &p);

	if (!e)
		*len = KSSP_TOKEN_CFX_HEADER + p->cksum_bytes;
	return e;
}

/* Ciphertext length of a sealed token's plaintext: data, no filler, header. */
static kssp_err sealed_cipher_len(const struct kssp_token_ctx *t, size_t data_len, size_t *clen)
{
	if (data_len > SIZE_MAX / 2)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap: %zu data bytes is too large", data_len);
	return kssp_crypto_encrypt_len(kssp_token_ctx_key(t)->enctype,
	    data_len + KSSP_TOKEN_CFX_HEADER, clen);
}

static kssp_err cfx_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s)
{
	const struct kssp_enctype_profile *p;
	size_t clen;
	kssp_err e = kssp_crypto_profile_get(kssp_token_ctx_key(t)->enctype, &p);

	if (e)
		return e;
	if (!conf) {
		s->header = KSSP_TOKEN_CFX_HEADER;
		s->trailer = p->cksum_bytes;
		return KSSP_OK;
	}
	e = sealed_cipher_len(t, data_len, &clen);
	if (e)
		return e;
	/* header | confounder | data | (EC 0) | encrypted header copy | MAC */
	s->header = KSSP_TOKEN_CFX_HEADER + p->confounder_bytes;
	s->trailer = clen - p->confounder_bytes - data_len;
	return KSSP_OK;
}

/* The trailer rotates into the header (RRC = trailer length). */
static kssp_err cfx_wrap_split_sizes(const struct kssp_token_ctx *t, bool conf,
    size_t data_len, struct kssp_wrap_sizes *s)
{
	kssp_err e = cfx_wrap_sizes(t, conf, data_len, s);

	if (!e) {
		s->header += s->trailer;
		s->trailer = 0;
	}
	return e;
}

/* ---- MIC (RFC 4121 §4.2.6.1) ------------------------------------------- */

/* The message parts followed by the token header: what the checksum covers. */
#define MAX_MIC_PARTS 16

static kssp_err parts_with_header(const struct kssp_crypto_iov *msg, size_t nmsg,
    const uint8_t *hdr, struct kssp_crypto_iov *parts, size_t *nparts)
{
	if (nmsg > MAX_MIC_PARTS - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "MIC: %zu message parts, at most %d", nmsg,
		    MAX_MIC_PARTS - 1);
	if (nmsg)
		memcpy(parts, msg, nmsg * sizeof(*msg));
	parts[nmsg].data = hdr;
	parts[nmsg].len = KSSP_TOKEN_CFX_HEADER;
	*nparts = nmsg + 1;
	return KSSP_OK;
}

static kssp_err cfx_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len)
{
	const struct kssp_enctype_profile *p;
	struct kssp_crypto_iov parts[MAX_MIC_PARTS];
	struct kssp_key *key = send_key(t);
	size_t np = 0, clen;
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	if (cap < KSSP_TOKEN_CFX_HEADER + p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "MIC: needs %zu bytes, have %zu",
		    KSSP_TOKEN_CFX_HEADER + p->cksum_bytes, cap);
	encode_mic_header(out, send_flags(t, false), t->send_seq);
	e = parts_with_header(msg, nmsg, out, parts, &np);
	if (!e)
		e = kssp_crypto_checksum_iov(p->cksumtype, key, send_usage(t, false), parts, np,
		    out + KSSP_TOKEN_CFX_HEADER, cap - KSSP_TOKEN_CFX_HEADER, &clen);
	if (e)
		return e;
	*len = KSSP_TOKEN_CFX_HEADER + clen;
	t->send_seq++;
	return KSSP_OK;
}

static kssp_err cfx_verify_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, const uint8_t *token, size_t len, unsigned *seq_status)
{
	const struct kssp_enctype_profile *p;
	struct kssp_crypto_iov parts[MAX_MIC_PARTS];
	struct kssp_cursor c;
	struct cfx_header h;
	struct kssp_key *key = NULL;
	const uint8_t *cksum;
	uint32_t usage;
	size_t np = 0, clen;
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = decode_header(&c, TOK_MIC, &h);
	if (!e)
		e = receive_key(t, h.flags, false, &key, &usage);
	if (!e)
		e = kssp_crypto_profile_get(key->enctype, &p);
	if (e)
		return e;
	clen = kssp_cursor_remaining(&c);
	if (clen != p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "MIC token: %zu checksum bytes, %s needs %zu", clen, p->name, p->cksum_bytes);
	e = kssp_cursor_take(&c, clen, &cksum);
	if (!e)
		e = parts_with_header(msg, nmsg, token, parts, &np);
	if (!e)
		e = kssp_crypto_verify_checksum_iov(p->cksumtype, key, usage, parts, np, cksum,
		    clen);
	if (e)
		return e == KRB_AP_ERR_BAD_INTEGRITY ?
		    kssp_fail(e, "MIC token: checksum does not match the message") : e;
	return kssp_seq_receive(&t->recv, h.snd_seq, seq_status);
}

/* ---- Wrap (RFC 4121 §4.2.6.2) ------------------------------------------ */

/* Reverses p[0..n). */
static void reverse(uint8_t *p, size_t n)
{
	size_t i;
	uint8_t x;

	for (i = 0; i < n / 2; i++) {
		x = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = x;
	}
}

/* Rotates p[0..n) left by r (undoes RRC, §4.2.5) in place, no allocation. */
static void rotate_left(uint8_t *p, size_t n, size_t r)
{
	if (n == 0)
		return;
	r %= n;
	if (r == 0)
		return;
	reverse(p, r);
	reverse(p + r, n - r);
	reverse(p, n);
}

/* Sealed: data | header copy (EC 0, RRC 0) encrypted in place behind the header. */
static kssp_err wrap_sealed(struct kssp_token_ctx *t, uint8_t *buf, size_t cap,
    size_t data_len, size_t *token_len)
{
	const struct kssp_enctype_profile *p;
	struct kssp_key *key = send_key(t);
	struct kssp_wrap_sizes s = { 0, 0 };
	uint8_t hdr[KSSP_TOKEN_CFX_HEADER], conf[KSSP_CRYPTO_MAX_CONFOUNDER];
	size_t clen;
	kssp_err e = cfx_wrap_sizes(t, true, data_len, &s);

	if (!e)
		e = kssp_crypto_profile_get(key->enctype, &p);
	if (e)
		return e;
	if (cap < s.header + data_len + s.trailer)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: needs %zu bytes, have %zu",
		    s.header + data_len + s.trailer, cap);
	encode_wrap_header(hdr, send_flags(t, true), 0, 0, t->send_seq);
	memcpy(buf + s.header + data_len, hdr, sizeof(hdr));
	/* The confounder goes in front of the data: out + confounder == in. */
	e = kssp_token_confounder(t, conf, p->confounder_bytes);
	if (!e)
		e = kssp_crypto_encrypt_with_confounder(key, send_usage(t, true), conf,
		    p->confounder_bytes, buf + s.header, data_len + KSSP_TOKEN_CFX_HEADER,
		    buf + KSSP_TOKEN_CFX_HEADER, cap - KSSP_TOKEN_CFX_HEADER, &clen);
	kssp_memzero(conf, sizeof(conf));
	if (e)
		return e;
	memcpy(buf, hdr, sizeof(hdr));
	*token_len = KSSP_TOKEN_CFX_HEADER + clen;
	t->send_seq++;
	return KSSP_OK;
}

/* Integrity only: data | checksum(data | header with EC = RRC = 0). */
static kssp_err wrap_signed(struct kssp_token_ctx *t, uint8_t *hdr, const uint8_t *data,
    size_t data_len, uint8_t *cksum, size_t cap, uint16_t rrc)
{
	const struct kssp_enctype_profile *p;
	struct kssp_key *key = send_key(t);
	struct kssp_crypto_iov parts[2];
	size_t clen;
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	if (cap < p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: checksum needs %zu bytes",
		    p->cksum_bytes);
	encode_wrap_header(hdr, send_flags(t, false), 0, 0, t->send_seq);
	parts[0].data = data;
	parts[0].len = data_len;
	parts[1].data = hdr;
	parts[1].len = KSSP_TOKEN_CFX_HEADER;
	e = kssp_crypto_checksum_iov(p->cksumtype, key, send_usage(t, true), parts, 2, cksum,
	    cap, &clen);
	if (e)
		return e;
	encode_wrap_header(hdr, send_flags(t, false), (uint16_t)clen, rrc, t->send_seq);
	t->send_seq++;
	return KSSP_OK;
}

static kssp_err cfx_wrap(struct kssp_token_ctx *t, bool conf, uint8_t *buf, size_t cap,
    size_t data_len, size_t *token_len)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	kssp_err e;

	if (conf)
		return wrap_sealed(t, buf, cap, data_len, token_len);
	e = cfx_wrap_sizes(t, false, data_len, &s);
	if (!e && cap < s.header + data_len + s.trailer)
		e = kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: needs %zu bytes, have %zu",
		    s.header + data_len + s.trailer, cap);
	if (!e)
		e = wrap_signed(t, buf, buf + s.header, data_len, buf + s.header + data_len,
		    s.trailer, 0);
	if (!e)
		*token_len = s.header + data_len + s.trailer;
	return e;
}

/*
 * Split sealing: the contiguous token is built in the scratch buffer, then
 * its rotated trailer and confounder go to the header buffer and the
 * encrypted data back to the data buffer (MS-KILE 3.4.5.4.1 layout, RRC =
 * trailer length, EC 0).
 */
static kssp_err wrap_split_sealed(struct kssp_token_ctx *t, uint8_t *header, size_t hcap,
    size_t *hlen, uint8_t *data, size_t data_len)
{
	const struct kssp_enctype_profile *p;
	struct kssp_wrap_sizes s = { 0, 0 };
	size_t total, tl, rrc;
	uint8_t *sc;
	kssp_err e = cfx_wrap_sizes(t, true, data_len, &s);

	if (!e)
		e = kssp_crypto_profile_get(kssp_token_ctx_key(t)->enctype, &p);
	if (e)
		return e;
	rrc = s.trailer;
	if (hcap < s.header + rrc)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: header needs %zu bytes, have %zu",
		    s.header + rrc, hcap);
	if (rrc > UINT16_MAX)
		return kssp_fail(KSSP_ERR_INTERNAL, "Wrap: trailer of %zu bytes", rrc);
	e = grow_scratch(t, s.header + data_len + s.trailer);
	if (e)
		return e;
	sc = t->scratch;
	if (data_len)
		memcpy(sc + s.header, data, data_len);
	e = wrap_sealed(t, sc, t->scratch_cap, data_len, &total);
	if (e)
		return e;
	tl = total - s.header - data_len;
	/* header | rotated trailer | encrypted confounder; then the data. */
	memcpy(header, sc, KSSP_TOKEN_CFX_HEADER);
	kssp_token_put_be16(header + 6, (uint16_t)tl);
	memcpy(header + KSSP_TOKEN_CFX_HEADER, sc + s.header + data_len, tl);
	memcpy(header + KSSP_TOKEN_CFX_HEADER + tl, sc + KSSP_TOKEN_CFX_HEADER,
	    p->confounder_bytes);
	if (data_len)
		memcpy(data, sc + s.header, data_len);
	kssp_memzero(sc, total);
	*hlen = KSSP_TOKEN_CFX_HEADER + tl + p->confounder_bytes;
	return KSSP_OK;
}

static kssp_err cfx_wrap_split(struct kssp_token_ctx *t, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer,
    size_t tcap, size_t *tlen)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	kssp_err e;

	/* The trailer rotates into the header (RRC): no trailer buffer is used. */
	(void)trailer, (void)tcap;
	*tlen = 0;
	if (conf)
		return wrap_split_sealed(t, header, hcap, hlen, data, data_len);
	/* Integrity only: header | checksum (RRC = its length) | data. */
	e = cfx_wrap_split_sizes(t, false, data_len, &s);
	if (!e && hcap < s.header)
		e = kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: header needs %zu bytes, have %zu",
		    s.header, hcap);
	if (!e)
		e = wrap_signed(t, header, data, data_len, header + KSSP_TOKEN_CFX_HEADER,
		    hcap - KSSP_TOKEN_CFX_HEADER, (uint16_t)(s.header - KSSP_TOKEN_CFX_HEADER));
	if (!e)
		*hlen = s.header;
	return e;
}

/* ---- Unwrap ------------------------------------------------------------ */

/*
 * Checks the decrypted copy of the header against the one sent in the
 * clear (RFC 4121 §4.2.4): everything but RRC must match, EC included
 * (CVE-2024-37370: an EC changed in the clear must not be believed).
 */
static kssp_err check_inner_header(const uint8_t *outer, const uint8_t *inner)
{
	if (memcmp(outer, inner, 6) != 0 || memcmp(outer + 8, inner + 8, 8) != 0)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "Wrap token: encrypted header copy differs from the header (EC, flags or "
		    "sequence number altered)");
	return KSSP_OK;
}

/*
 * Opens a sealed token's ciphertext (already un-rotated) in place.  On
 * success the data is body[0 .. *data_len).
 */
static kssp_err open_sealed(struct kssp_key *key, uint32_t usage, const uint8_t *outer,
    uint16_t ec, uint8_t *body, size_t blen, size_t *data_len)
{
	size_t plen;
	kssp_err e = kssp_crypto_decrypt(key, usage, body, blen, body, blen, &plen);

	if (e)
		return e == KRB_AP_ERR_BAD_INTEGRITY ?
		    kssp_fail(e, "Wrap token: decryption integrity check failed") : e;
	if (plen < (size_t)ec + KSSP_TOKEN_CFX_HEADER) {
		kssp_memzero(body, plen);
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "Wrap token: %zu plaintext bytes cannot hold EC %u and the header copy",
		    plen, ec);
	}
	e = check_inner_header(outer, body + plen - KSSP_TOKEN_CFX_HEADER);
	if (e) {
		kssp_memzero(body, plen);
		return e;
	}
	*data_len = plen - ec - KSSP_TOKEN_CFX_HEADER;
	return KSSP_OK;
}

/* Verifies an integrity-only body (already un-rotated): data | checksum. */
static kssp_err open_signed(struct kssp_key *key, uint32_t usage, const uint8_t *outer,
    const uint8_t *body, size_t blen, uint16_t ec, size_t *data_len)
{
	const struct kssp_enctype_profile *p;
	struct kssp_crypto_iov parts[2];
	uint8_t hdr[KSSP_TOKEN_CFX_HEADER];
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	if (ec != p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: EC %u is not the %zu-byte %s checksum", ec, p->cksum_bytes,
		    p->name);
	if (blen < ec)
		return kssp_fail(KSSP_ERR_TRUNCATED, "Wrap token: EC %u exceeds the %zu-byte body",
		    ec, blen);
	memcpy(hdr, outer, sizeof(hdr));
	memset(hdr + 4, 0, 4);
	parts[0].data = body;
	parts[0].len = blen - ec;
	parts[1].data = hdr;
	parts[1].len = sizeof(hdr);
	e = kssp_crypto_verify_checksum_iov(p->cksumtype, key, usage, parts, 2, body + blen - ec,
	    ec);
	if (e)
		return e == KRB_AP_ERR_BAD_INTEGRITY ?
		    kssp_fail(e, "Wrap token: checksum does not match") : e;
	*data_len = blen - ec;
	return KSSP_OK;
}

/* The header fields that bound the body (the CVE-2024-37371 class). */
static kssp_err check_body_bounds(const struct cfx_header *h, size_t blen)
{
	if (h->ec > blen)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: EC %u is larger than the %zu-byte body", h->ec, blen);
	if (h->rrc > blen)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: RRC %u is larger than the %zu-byte body", h->rrc, blen);
	return KSSP_OK;
}

/*
 * The rotations to try: RRC, and with a nonzero EC first RRC + EC, which
 * Windows applies (MS-KILE 3.4.5.4.1).  A wrong guess costs one failed
 * integrity check, never a wrong plaintext.
 */
static size_t rotations(const struct cfx_header *h, size_t blen, size_t rot[2])
{
	size_t n = 0;

	if (h->ec != 0 && h->rrc != 0 && blen > 0)
		rot[n++] = ((size_t)h->rrc + h->ec) % blen;
	rot[n++] = blen ? h->rrc % blen : 0;
	return n;
}

/*
 * Un-rotates and opens a body gathered from up to three pieces into the
 * scratch buffer; the plaintext is left at scratch[0 .. *data_len).
 */
struct pieces {
	const uint8_t *p[3];
	size_t n[3];
};

static void gather_rotated(const struct pieces *pc, size_t blen, size_t rot, uint8_t *out)
{
	const uint8_t *src;
	size_t i, left, run, pos = 0, dst;

	/*
	 * Byte at logical position pos goes to (pos - rot) mod blen: each
	 * piece is at most two runs (split where the rotation wraps), copied
	 * whole rather than byte by byte with a division each.
	 */
	for (i = 0; i < 3; i++) {
		src = pc->p[i];
		for (left = pc->n[i]; left > 0; left -= run) {
			dst = (pos + blen - rot) % blen;
			run = blen - dst < left ? blen - dst : left;
			memcpy(out + dst, src, run);
			src += run;
			pos += run;
		}
	}
}

static kssp_err open_pieces(struct kssp_token_ctx *t, const struct cfx_header *h,
    const uint8_t *outer, const struct pieces *pc, size_t blen, size_t *data_len)
{
	struct kssp_key *key;
	uint32_t usage;
	size_t rot[2], nrot, i;
	kssp_err e = receive_key(t, h->flags, true, &key, &usage);

	if (!e)
		e = check_body_bounds(h, blen);
	if (!e)
		e = grow_scratch(t, blen ? blen : 1);
	if (e)
		return e;
	nrot = rotations(h, blen, rot);
	for (i = 0; i < nrot; i++) {
		if (blen)
			gather_rotated(pc, blen, rot[i], t->scratch);
		if (h->flags & KSSP_TOKFLAG_SEALED)
			e = open_sealed(key, usage, outer, h->ec, t->scratch, blen, data_len);
		else
			e = open_signed(key, usage, outer, t->scratch, blen, h->ec, data_len);
		if (e != KRB_AP_ERR_BAD_INTEGRITY)
			break;
	}
	return e;
}

static kssp_err cfx_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status)
{
	struct kssp_cursor c;
	struct cfx_header h;
	struct kssp_key *key;
	struct pieces pc;
	uint32_t usage;
	uint8_t outer[KSSP_TOKEN_CFX_HEADER];
	size_t blen, dlen, rot[2];
	kssp_err e;

	kssp_cursor_init(&c, token, len);
	e = decode_header(&c, TOK_WRAP, &h);
	if (!e)
		e = receive_key(t, h.flags, true, &key, &usage);
	if (e)
		return e;
	memcpy(outer, token, sizeof(outer));
	blen = len - KSSP_TOKEN_CFX_HEADER;
	e = check_body_bounds(&h, blen);
	if (e)
		return e;
	if (rotations(&h, blen, rot) == 1) {
		/* One candidate rotation: undo it in place, open in place. */
		rotate_left(token + KSSP_TOKEN_CFX_HEADER, blen, rot[0]);
		if (h.flags & KSSP_TOKFLAG_SEALED)
			e = open_sealed(key, usage, outer, h.ec, token + KSSP_TOKEN_CFX_HEADER, blen,
			    &dlen);
		else
			e = open_signed(key, usage, outer, token + KSSP_TOKEN_CFX_HEADER, blen, h.ec,
			    &dlen);
	} else {
		pc.p[0] = token + KSSP_TOKEN_CFX_HEADER;
		pc.n[0] = blen;
		pc.n[1] = pc.n[2] = 0;
		pc.p[1] = pc.p[2] = NULL;
		e = open_pieces(t, &h, outer, &pc, blen, &dlen);
		if (!e) {
			memcpy(token + KSSP_TOKEN_CFX_HEADER, t->scratch, dlen);
			kssp_memzero(t->scratch, blen);
		}
	}
	if (e)
		return e;
	*data_off = KSSP_TOKEN_CFX_HEADER;
	*data_len = dlen;
	if (conf)
		*conf = (h.flags & KSSP_TOKFLAG_SEALED) != 0;
	return kssp_seq_receive(&t->recv, h.snd_seq, seq_status);
}

static kssp_err cfx_unwrap_split(struct kssp_token_ctx *t, const uint8_t *header,
    size_t hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen,
    size_t *plain_len, bool *conf, unsigned *seq_status)
{
	struct kssp_cursor c;
	struct cfx_header h;
	struct pieces pc;
	size_t blen, dlen;
	kssp_err e;

	kssp_cursor_init(&c, header, hlen);
	e = decode_header(&c, TOK_WRAP, &h);
	if (e)
		return e;
	blen = hlen - KSSP_TOKEN_CFX_HEADER;
	if (data_len > SIZE_MAX - blen - tlen)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap token: buffers too large");
	blen += data_len + tlen;
	pc.p[0] = header + KSSP_TOKEN_CFX_HEADER;
	pc.n[0] = hlen - KSSP_TOKEN_CFX_HEADER;
	pc.p[1] = data;
	pc.n[1] = data_len;
	pc.p[2] = trailer;
	pc.n[2] = tlen;
	e = open_pieces(t, &h, header, &pc, blen, &dlen);
	if (e)
		return e;
	if (dlen != data_len) {
		kssp_memzero(t->scratch, blen);
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: %zu plaintext bytes do not fill the %zu-byte data buffer", dlen,
		    data_len);
	}
	if (dlen)
		memcpy(data, t->scratch, dlen);
	kssp_memzero(t->scratch, blen);
	*plain_len = dlen;
	if (conf)
		*conf = (h.flags & KSSP_TOKFLAG_SEALED) != 0;
	return kssp_seq_receive(&t->recv, h.snd_seq, seq_status);
}

static const struct kssp_token_ops cfx_ops = {
	.wide_seq = true,
	.mic_len = cfx_mic_len,
	.wrap_sizes = cfx_wrap_sizes,
	.wrap_split_sizes = cfx_wrap_split_sizes,
	.get_mic = cfx_get_mic,
	.verify_mic = cfx_verify_mic,
	.wrap = cfx_wrap,
	.wrap_split = cfx_wrap_split,
	.unwrap = cfx_unwrap,
	.unwrap_split = cfx_unwrap_split,
};

/* ---- the entry points: the context's token family ------------------------- */

/* A context never set up (or cleared) has no family: RFC 4121 code then
 * refuses its empty key (KDC_ERR_ETYPE_NOSUPP) instead of a NULL call. */
static const struct kssp_token_ops *family(const struct kssp_token_ctx *t)
{
	return t->ops ? t->ops : &cfx_ops;
}

kssp_err kssp_token_mic_len(const struct kssp_token_ctx *t, size_t *len)
{
	return family(t)->mic_len(t, len);
}

kssp_err kssp_token_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s)
{
	return family(t)->wrap_sizes(t, conf, data_len, s);
}

kssp_err kssp_token_wrap_split_sizes(const struct kssp_token_ctx *t, bool conf,
    size_t data_len, struct kssp_wrap_sizes *s)
{
	return family(t)->wrap_split_sizes(t, conf, data_len, s);
}

kssp_err kssp_token_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len)
{
	return family(t)->get_mic(t, msg, nmsg, out, cap, len);
}

kssp_err kssp_token_verify_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, const uint8_t *token, size_t len, unsigned *seq_status)
{
	return family(t)->verify_mic(t, msg, nmsg, token, len, seq_status);
}

kssp_err kssp_token_wrap(struct kssp_token_ctx *t, bool conf, uint8_t *buf, size_t cap,
    size_t data_len, size_t *token_len)
{
	return family(t)->wrap(t, conf, buf, cap, data_len, token_len);
}

kssp_err kssp_token_wrap_split(struct kssp_token_ctx *t, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer,
    size_t tcap, size_t *tlen)
{
	return family(t)->wrap_split(t, conf, header, hcap, hlen, data, data_len, trailer, tcap,
	    tlen);
}

kssp_err kssp_token_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status)
{
	return family(t)->unwrap(t, token, len, data_off, data_len, conf, seq_status);
}

kssp_err kssp_token_unwrap_split(struct kssp_token_ctx *t, const uint8_t *header,
    size_t hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen,
    size_t *plain_len, bool *conf, unsigned *seq_status)
{
	return family(t)->unwrap_split(t, header, hlen, data, data_len, trailer, tlen, plain_len,
	    conf, seq_status);
}
