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
	if (t->ops->setup && (e = t->ops->setup(t, kssp_token_ctx_key(t))) != KSSP_OK) {
		kssp_token_ctx_clear(t);
		return e;
	}
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
	kssp_free_secret(t->rc4_keys, sizeof(*t->rc4_keys));
	kssp_memzero(t, sizeof(*t));
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
	kssp_token_put_be16(p, (uint16_t)(v >> 48));
	kssp_token_put_be16(p + 2, (uint16_t)(v >> 32));
	kssp_token_put_be16(p + 4, (uint16_t)(v >> 16));
	kssp_token_put_be16(p + 6, (uint16_t)v);
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

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
	    (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | p[7];
}

/*
 * Reads a header through the cursor: its 16 bytes taken at once, then
 * their fixed fields.  The filler must be all 0xFF (RFC 4121 §4.2.6.1,
 * §4.2.6.2); an RFC 1964 token id (01 01, 02 01 or the GSS framing byte
 * 0x60) on an RFC 4121 context is rejected here.
 */
static kssp_err decode_header(struct kssp_cursor *c, uint16_t want, struct cfx_header *h)
{
	const uint8_t *b;
	size_t nfill = want == TOK_MIC ? 5 : 1, i;
	const char *what = want == TOK_MIC ? "MIC token" : "Wrap token";
	kssp_err e;

	if (kssp_cursor_remaining(c) < KSSP_TOKEN_CFX_HEADER)
		return kssp_fail(KSSP_ERR_TRUNCATED, "%s: %zu bytes, shorter than its 16-byte header",
		    what, kssp_cursor_remaining(c));
	e = kssp_cursor_take(c, KSSP_TOKEN_CFX_HEADER, &b);
	if (e)
		return e;
	h->tok_id = (uint16_t)(b[0] << 8 | b[1]);
	if (h->tok_id != want)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: TOK_ID %04x, expected %04x%s", what,
		    h->tok_id, want,
		    (h->tok_id >> 8) == 0x60 || (h->tok_id & 0xFF) == 0x01 ?
		    " (an RFC 1964 token on an RFC 4121 context)" : "");
	h->flags = b[2];
	for (i = 0; i < nfill && b[3 + i] == 0xFF; i++)
		;
	if (i < nfill)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: filler byte %zu is %02x, not ff", what,
		    i, b[3 + i]);
	h->ec = h->rrc = 0;
	if (want == TOK_WRAP) {
		h->ec = (uint16_t)(b[4] << 8 | b[5]);
		h->rrc = (uint16_t)(b[6] << 8 | b[7]);
	}
	h->snd_seq = get_be64(b + 8);
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

static kssp_err cfx_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(kssp_token_ctx_key(t)->enctype, &p);

	if (e)
		return e;
	if (!conf) {
		s->header = KSSP_TOKEN_CFX_HEADER;
		s->trailer = p->cksum_bytes;
		return KSSP_OK;
	}
	if (data_len > SIZE_MAX / 2)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap: %zu data bytes is too large", data_len);
	/* header | confounder | data | (EC 0) | encrypted header copy | MAC: the
	 * ciphertext is confounder, data and header copy, then the MAC. */
	s->header = KSSP_TOKEN_CFX_HEADER + p->confounder_bytes;
	s->trailer = KSSP_TOKEN_CFX_HEADER + p->trailer_bytes;
	return KSSP_OK;
}

/*
 * EC of a sealed split token (MS-KILE 3.4.5.4.1): a block of filler on
 * DCE-style contexts, 0 on the others.
 */
static uint16_t split_ec(const struct kssp_token_ctx *t)
{
	return (t->flags & KSSP_GSS_DCE_STYLE) ? KSSP_TOKEN_DCE_EC : 0;
}

/* The trailer (and a sealed token's EC filler) rotates into the header. */
static kssp_err cfx_wrap_split_sizes(const struct kssp_token_ctx *t, bool conf,
    size_t data_len, struct kssp_wrap_sizes *s)
{
	kssp_err e = cfx_wrap_sizes(t, conf, data_len, s);

	if (!e) {
		s->header += s->trailer + (conf ? split_ec(t) : 0);
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

/* The most rotated bytes moved through the stack: an RRC of 16 + MAC
 * (28 for AES, 40 for aes256-sha384), plus a block of EC. */
#define ROTATE_ROOM 64

/*
 * Rotates p[0..n) left by r (undoes RRC, §4.2.5) in place, no allocation:
 * the few rotated bytes set aside and the body moved as one block, or for
 * a larger rotation three reversals.  The bytes are as sent (ciphertext,
 * or data sent in the clear): nothing to wipe.
 */
static void rotate_left(uint8_t *p, size_t n, size_t r)
{
	uint8_t room[ROTATE_ROOM];

	if (n == 0)
		return;
	if (r >= n)
		r %= n;
	if (r == 0)
		return;
	if (r <= sizeof(room)) {
		memcpy(room, p, r);
		memmove(p, p + r, n - r);
		memcpy(p + n - r, room, r);
		return;
	}
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
	e = kssp_hooks_random(t->hooks, conf, p->confounder_bytes);
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

/* Integrity only: checksum(segments in order | header with EC = RRC = 0),
 * RFC 4121 §4.2.4; MS-KILE 3.4.5.4.1 for sign-only segments. */
static kssp_err wrap_signed(struct kssp_token_ctx *t, uint8_t *hdr,
    const struct kssp_token_seg *segs, size_t n, uint8_t *cksum, size_t cap, uint16_t rrc)
{
	const struct kssp_enctype_profile *p;
	struct kssp_key *key = send_key(t);
	struct kssp_crypto_iov parts[KSSP_TOKEN_MAX_SEGS + 1];
	size_t clen, i;
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	if (cap < p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: checksum needs %zu bytes",
		    p->cksum_bytes);
	encode_wrap_header(hdr, send_flags(t, false), 0, 0, t->send_seq);
	for (i = 0; i < n; i++) {
		parts[i].data = segs[i].data;
		parts[i].len = segs[i].len;
	}
	parts[n].data = hdr;
	parts[n].len = KSSP_TOKEN_CFX_HEADER;
	e = kssp_crypto_checksum_iov(p->cksumtype, key, send_usage(t, true), parts, n + 1, cksum,
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
	if (!e) {
		struct kssp_token_seg seg = { buf + s.header, data_len, false };

		e = wrap_signed(t, buf, &seg, 1, buf + s.header + data_len, s.trailer, 0);
	}
	if (!e)
		*token_len = s.header + data_len + s.trailer;
	return e;
}

/*
 * A sealed token of segments in the parts crypto/ works on where they lie
 * (RFC 4121 §4.2.4 order): the confounder, the segments to encrypt, then
 * EC filler and header copy (tail).  With sign-only segments, mac (else
 * NULL) receives what the checksum covers (MS-KILE 3.4.5.4.1; MIT's
 * k5sealv3iov.c): the confounder, every segment in order, the tail.
 */
static size_t sealed_parts(uint8_t *conf, size_t nconf, const struct kssp_token_seg *segs,
    size_t n, uint8_t *tail, size_t ntail, struct kssp_crypto_buf *enc,
    struct kssp_crypto_iov *mac, size_t *nmac)
{
	size_t i, m = 0, k = 0;

	enc[m++] = (struct kssp_crypto_buf){ conf, nconf };
	for (i = 0; i < n; i++)
		if (!segs[i].sign_only && segs[i].len)
			enc[m++] = (struct kssp_crypto_buf){ segs[i].data, segs[i].len };
	enc[m++] = (struct kssp_crypto_buf){ tail, ntail };
	if (mac) {
		mac[k++] = (struct kssp_crypto_iov){ conf, nconf };
		for (i = 0; i < n; i++)
			if (segs[i].len)
				mac[k++] = (struct kssp_crypto_iov){ segs[i].data, segs[i].len };
		mac[k++] = (struct kssp_crypto_iov){ tail, ntail };
	}
	*nmac = k;
	return m;
}

/* Zeroes the encrypted segments (plaintext of a token that did not verify). */
static void wipe_segs(const struct kssp_token_seg *segs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!segs[i].sign_only)
			kssp_memzero(segs[i].data, segs[i].len);
}

/*
 * Sealed split layout (MS-KILE 3.4.5.4.1): header | the last EC + 16 +
 * MAC bytes of the ciphertext | encrypted confounder in the header buffer,
 * the encrypted data in the segments.  Each piece is encrypted where it
 * goes, the data without a copy.  RRC says 16 + MAC (28 for AES) and the
 * rotation is RRC + EC, as Windows sends and expects; with EC 0 both are
 * the RFC 4121 rotation.
 */
static kssp_err wrap_ex_sealed(struct kssp_token_ctx *t, uint8_t *header, size_t hcap,
    size_t *hlen, struct kssp_token_seg *segs, size_t n, bool sign_only)
{
	const struct kssp_enctype_profile *p;
	struct kssp_key *key = send_key(t);
	struct kssp_crypto_buf enc[KSSP_TOKEN_MAX_SEGS + 2];
	struct kssp_crypto_iov mac[KSSP_TOKEN_MAX_SEGS + 2];
	uint8_t flags = send_flags(t, true), *tail = header + KSSP_TOKEN_CFX_HEADER, *conf;
	uint16_t ec = split_ec(t);
	size_t tl, nenc, nmac = 0;
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	/* The header buffer: header | EC filler, header copy, MAC | confounder
	 * (what cfx_wrap_split_sizes says). */
	tl = (size_t)ec + KSSP_TOKEN_CFX_HEADER + p->trailer_bytes;
	if (hcap < KSSP_TOKEN_CFX_HEADER + tl + p->confounder_bytes)
		return kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: header needs %zu bytes, have %zu",
		    KSSP_TOKEN_CFX_HEADER + tl + p->confounder_bytes, hcap);
	conf = tail + tl;
	e = kssp_hooks_random(t->hooks, conf, p->confounder_bytes);
	if (e)
		return e;
	memset(tail, 0, ec);
	encode_wrap_header(tail + ec, flags, ec, 0, t->send_seq);
	nenc = sealed_parts(conf, p->confounder_bytes, segs, n, tail,
	    (size_t)ec + KSSP_TOKEN_CFX_HEADER, enc, sign_only ? mac : NULL, &nmac);
	e = kssp_crypto_encrypt_parts(key, send_usage(t, true), enc, nenc, sign_only ? mac : NULL,
	    nmac, tail + ec + KSSP_TOKEN_CFX_HEADER);
	if (e)
		return e;
	encode_wrap_header(header, flags, ec, (uint16_t)(tl - ec), t->send_seq);
	*hlen = KSSP_TOKEN_CFX_HEADER + tl + p->confounder_bytes;
	t->send_seq++;
	return KSSP_OK;
}

static kssp_err cfx_wrap_ex(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
    size_t *hlen, struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tcap,
    size_t *tlen)
{
	struct kssp_wrap_sizes s = { 0, 0 };
	size_t enc = 0;
	bool sign_only = false;
	kssp_err e = kssp_token_segs_check(segs, n, &enc, &sign_only);

	/* The trailer rotates into the header (RRC): no trailer buffer is used. */
	(void)trailer, (void)tcap;
	*tlen = 0;
	if (e)
		return e;
	if (conf)
		return wrap_ex_sealed(t, header, hcap, hlen, segs, n, sign_only);
	/* Integrity only: header | checksum (RRC = EC = its length) | data. */
	e = cfx_wrap_split_sizes(t, false, enc, &s);
	if (!e && hcap < s.header)
		e = kssp_fail(KSSP_ERR_BUFFER_TOO_SMALL, "Wrap: header needs %zu bytes, have %zu",
		    s.header, hcap);
	if (!e)
		e = wrap_signed(t, header, segs, n, header + KSSP_TOKEN_CFX_HEADER,
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

/*
 * Verifies an integrity-only token's checksum (EC bytes at cksum) over the
 * segments and the header with EC = RRC = 0 (RFC 4121 §4.2.4).
 */
static kssp_err verify_signed(struct kssp_key *key, uint32_t usage, const uint8_t *outer,
    const struct kssp_token_seg *segs, size_t n, const uint8_t *cksum, uint16_t ec)
{
	const struct kssp_enctype_profile *p;
	struct kssp_crypto_iov parts[KSSP_TOKEN_MAX_SEGS + 1];
	uint8_t hdr[KSSP_TOKEN_CFX_HEADER];
	size_t i;
	kssp_err e = kssp_crypto_profile_get(key->enctype, &p);

	if (e)
		return e;
	if (ec != p->cksum_bytes)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: EC %u is not the %zu-byte %s checksum", ec, p->cksum_bytes,
		    p->name);
	memcpy(hdr, outer, sizeof(hdr));
	memset(hdr + 4, 0, 4);
	for (i = 0; i < n; i++) {
		parts[i].data = segs[i].data;
		parts[i].len = segs[i].len;
	}
	parts[n].data = hdr;
	parts[n].len = sizeof(hdr);
	e = kssp_crypto_verify_checksum_iov(p->cksumtype, key, usage, parts, n + 1, cksum, ec);
	if (e)
		return e == KRB_AP_ERR_BAD_INTEGRITY ?
		    kssp_fail(e, "Wrap token: checksum does not match") : e;
	return KSSP_OK;
}

/* Verifies an integrity-only body (already un-rotated): data | checksum. */
static kssp_err open_signed(struct kssp_key *key, uint32_t usage, const uint8_t *outer,
    uint8_t *body, size_t blen, uint16_t ec, size_t *data_len)
{
	struct kssp_token_seg seg = { body, 0, false };
	kssp_err e;

	if (blen < ec)
		return kssp_fail(KSSP_ERR_TRUNCATED, "Wrap token: EC %u exceeds the %zu-byte body",
		    ec, blen);
	seg.len = blen - ec;
	e = verify_signed(key, usage, outer, &seg, 1, body + blen - ec, ec);
	if (!e)
		*data_len = blen - ec;
	return e;
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
/* x mod blen (blen > 0), dividing only when x is not already below it: a
 * division costs tens of cycles, and RRC and EC are at most blen. */
static size_t mod_len(size_t x, size_t blen)
{
	return x < blen ? x : x % blen;
}

static size_t rotations(const struct cfx_header *h, size_t blen, size_t rot[2])
{
	size_t n = 0;

	if (h->ec != 0 && h->rrc != 0 && blen > 0)
		rot[n++] = mod_len((size_t)h->rrc + h->ec, blen);
	rot[n++] = blen ? mod_len(h->rrc, blen) : 0;
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
	size_t i, left, run, dst = rot ? blen - rot : 0;

	/*
	 * Byte at logical position pos goes to (pos - rot) mod blen: each
	 * piece is at most two runs (split where the rotation wraps), copied
	 * whole rather than byte by byte.
	 */
	for (i = 0; i < 3; i++) {
		src = pc->p[i];
		for (left = pc->n[i]; left > 0; left -= run) {
			run = blen - dst < left ? blen - dst : left;
			memcpy(out + dst, src, run);
			src += run;
			dst += run;
			if (dst == blen)
				dst = 0;
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
	/* What follows the data in the scratch (filler, header copy) is no
	 * secret, and the crypto layer already wiped what follows that. */
	if (dlen)
		memcpy(data, t->scratch, dlen);
	kssp_memzero(t->scratch, dlen);
	*plain_len = dlen;
	if (conf)
		*conf = (h.flags & KSSP_TOKFLAG_SEALED) != 0;
	return kssp_seq_receive(&t->recv, h.snd_seq, seq_status);
}

/*
 * Whether the header buffer holds what MS-KILE 3.4.5.4.1 puts there, the
 * layout every sender of segments uses: sealed, header | EC filler,
 * header copy and MAC (a rotation of their length: RRC + EC as Windows
 * sends, or RRC alone as an RFC 4121 sender) | confounder; integrity
 * only, header | checksum (RRC = EC).
 */
static bool segments_layout(const struct kssp_enctype_profile *p, const struct cfx_header *h,
    size_t hlen)
{
	size_t tl = (size_t)h->ec + KSSP_TOKEN_CFX_HEADER + p->trailer_bytes;

	if (!(h->flags & KSSP_TOKFLAG_SEALED))
		return hlen == KSSP_TOKEN_CFX_HEADER + (size_t)h->ec && h->rrc == h->ec;
	return hlen - KSSP_TOKEN_CFX_HEADER == tl + p->confounder_bytes &&
	    (h->rrc == tl || h->rrc == tl - h->ec);
}

/* Room on the stack for the confounder, EC filler and header copy that
 * Windows sends (EC 16, MS-KILE 3.4.5.4.1); a larger EC uses the scratch. */
#define SEALED_COPY_ROOM 64

/*
 * Opens a sealed token of the RPC layout: the header buffer holds header |
 * rotated EC filler, header copy and MAC | confounder (MS-KILE 3.4.5.4.1).
 * Windows rotates by RRC + EC with RRC = 16 + MAC; an RFC 4121 sender
 * rotates by RRC; any other RRC is refused, as MIT refuses it.  The data
 * is decrypted where it lies; the confounder and the tail in a copy, so
 * that the caller's header buffer stays as it was sent.
 */
static kssp_err open_ex_sealed(struct kssp_token_ctx *t, struct kssp_key *key, uint32_t usage,
    const struct kssp_enctype_profile *p, const struct cfx_header *h, const uint8_t *header,
    size_t hlen, struct kssp_token_seg *segs, size_t n, bool sign_only)
{
	struct kssp_crypto_buf enc[KSSP_TOKEN_MAX_SEGS + 2];
	struct kssp_crypto_iov mac[KSSP_TOKEN_MAX_SEGS + 2];
	uint8_t room[SEALED_COPY_ROOM], *copy = room;
	size_t conf = p->confounder_bytes, ntail = (size_t)h->ec + KSSP_TOKEN_CFX_HEADER;
	size_t tl = ntail + p->trailer_bytes, nenc, nmac = 0;
	kssp_err e;

	if (hlen - KSSP_TOKEN_CFX_HEADER != tl + conf)
		return kssp_fail(hlen - KSSP_TOKEN_CFX_HEADER < tl + conf ? KSSP_ERR_TRUNCATED :
		    KSSP_ERR_BAD_ENCODING, "Wrap token: a %zu-byte header buffer; EC %u needs %zu",
		    hlen, h->ec, KSSP_TOKEN_CFX_HEADER + tl + conf);
	if (h->rrc != tl && h->rrc != tl - h->ec)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: RRC %u; the header buffer holds a rotation of %zu (RRC %zu, or %zu "
		    "with EC %u as Windows sends)", h->rrc, tl, tl, tl - h->ec, h->ec);
	if (conf + ntail > sizeof(room)) {
		if ((e = grow_scratch(t, conf + ntail)) != KSSP_OK)
			return e;
		copy = t->scratch;
	}
	memcpy(copy, header + KSSP_TOKEN_CFX_HEADER + tl, conf);
	memcpy(copy + conf, header + KSSP_TOKEN_CFX_HEADER, ntail);
	nenc = sealed_parts(copy, conf, segs, n, copy + conf, ntail, enc, sign_only ? mac : NULL,
	    &nmac);
	e = kssp_crypto_decrypt_parts(key, usage, enc, nenc, sign_only ? mac : NULL, nmac,
	    header + KSSP_TOKEN_CFX_HEADER + ntail);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		e = kssp_fail(e, "Wrap token: decryption integrity check failed");
	else if (!e && (e = check_inner_header(header, copy + conf + h->ec)) != KSSP_OK)
		wipe_segs(segs, n);
	kssp_memzero(copy, conf + ntail);
	return e;
}

static kssp_err cfx_unwrap_ex(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
    struct kssp_token_seg *segs, size_t n, uint8_t *trailer, size_t tlen, size_t *strip,
    bool *conf, unsigned *seq_status)
{
	const struct kssp_enctype_profile *p;
	struct kssp_cursor c;
	struct cfx_header h;
	struct kssp_key *key = NULL;
	uint32_t usage;
	size_t enc = 0, plain = 0;
	bool sign_only = false, split;
	kssp_err e = kssp_token_segs_check(segs, n, &enc, &sign_only);

	*strip = 0;
	if (e)
		return e;
	/* One data buffer (the split layout) may hold any rotation and a
	 * trailer buffer: cfx_unwrap_split gathers those; the layout of
	 * segments is opened where it lies. */
	split = n == 1 && !sign_only;
	if (split && tlen != 0)
		return cfx_unwrap_split(t, header, hlen, segs[0].data, segs[0].len, trailer, tlen,
		    &plain, conf, seq_status);
	if (tlen != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "Wrap token: %zu trailer bytes; an RFC 4121 token of segments has none", tlen);
	kssp_cursor_init(&c, header, hlen);
	e = decode_header(&c, TOK_WRAP, &h);
	if (!e)
		e = receive_key(t, h.flags, true, &key, &usage);
	if (!e)
		e = kssp_crypto_profile_get(key->enctype, &p);
	if (e)
		return e;
	if (split && !segments_layout(p, &h, hlen))
		return cfx_unwrap_split(t, header, hlen, segs[0].data, segs[0].len, trailer, tlen,
		    &plain, conf, seq_status);
	if (h.flags & KSSP_TOKFLAG_SEALED) {
		e = open_ex_sealed(t, key, usage, p, &h, header, hlen, segs, n, sign_only);
	} else if (hlen != KSSP_TOKEN_CFX_HEADER + (size_t)h.ec || h.rrc != h.ec) {
		e = kssp_fail(hlen < KSSP_TOKEN_CFX_HEADER + (size_t)h.ec ? KSSP_ERR_TRUNCATED :
		    KSSP_ERR_BAD_ENCODING, "Wrap token: a %zu-byte header buffer with EC %u and "
		    "RRC %u; the checksum must be rotated into it whole", hlen, h.ec, h.rrc);
	} else {
		e = verify_signed(key, usage, header, segs, n, header + KSSP_TOKEN_CFX_HEADER, h.ec);
	}
	if (e)
		return e;
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
	.wrap_ex = cfx_wrap_ex,
	.unwrap = cfx_unwrap,
	.unwrap_ex = cfx_unwrap_ex,
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
	struct kssp_token_seg seg = { data, data_len, false };

	return family(t)->wrap_ex(t, conf, header, hcap, hlen, &seg, 1, trailer, tcap, tlen);
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
	struct kssp_token_seg seg = { data, data_len, false };
	size_t strip = 0;
	kssp_err e = family(t)->unwrap_ex(t, header, hlen, &seg, 1, trailer, tlen, &strip, conf,
	    seq_status);

	if (!e)
		*plain_len = data_len - strip;
	return e;
}

kssp_err kssp_token_wrap_ex(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
    size_t *hlen, struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tcap,
    size_t *tlen)
{
	return family(t)->wrap_ex(t, conf, header, hcap, hlen, segs, nsegs, trailer, tcap, tlen);
}

kssp_err kssp_token_unwrap_ex(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
    struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tlen, size_t *strip,
    bool *conf, unsigned *seq_status)
{
	return family(t)->unwrap_ex(t, header, hlen, segs, nsegs, trailer, tlen, strip, conf,
	    seq_status);
}

kssp_err kssp_token_segs_check(const struct kssp_token_seg *segs, size_t n, size_t *enc,
    bool *sign_only)
{
	size_t i;

	*enc = 0;
	*sign_only = false;
	if (n == 0 || n > KSSP_TOKEN_MAX_SEGS)
		return kssp_fail(KSSP_ERR_LIMIT, "Wrap: %zu data buffers, 1 to %d", n,
		    KSSP_TOKEN_MAX_SEGS);
	for (i = 0; i < n; i++) {
		if (segs[i].sign_only) {
			*sign_only = true;
		} else if (segs[i].len > KSSP_TOKEN_MAX_DATA - *enc) {
			return kssp_fail(KSSP_ERR_LIMIT, "Wrap: more than %zu data bytes",
			    KSSP_TOKEN_MAX_DATA);
		} else {
			*enc += segs[i].len;
		}
		if (segs[i].len > KSSP_TOKEN_MAX_DATA)
			return kssp_fail(KSSP_ERR_LIMIT, "Wrap: a %zu-byte sign-only buffer",
			    segs[i].len);
	}
	return KSSP_OK;
}
