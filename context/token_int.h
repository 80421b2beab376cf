/*
 * context/token_int.h - per-message tokens of the krb5 GSS mechanism:
 * RFC 4121 §4.2 MIC (TOK_ID 04 04) and Wrap (05 04) tokens, and for
 * arcfour-hmac protection keys the RFC 4757 §7.2-7.3 tokens (01 01 MIC,
 * 02 01 Wrap, RFC 1964 layout with the encrypted sequence number).
 *
 * A struct kssp_token_ctx is the message-protection half of an established
 * context: the protection key(s), which side we are, the negotiated flags,
 * our next sequence number and the receive window.  The AP exchange
 * (context/ap_int.h) fills one in; tests and importers may fill one directly
 * with kssp_token_ctx_init().
 *
 * Buffers.  Tokens are built and opened in the caller's memory so that the
 * SSPI layer can map SecBuffers without copying the data:
 *   - contiguous (gss_wrap, SECBUFFER_STREAM): one buffer holding
 *     header | data | trailer.  The caller places the data at offset
 *     sizes.header and gets a token of sizes.header + len + sizes.trailer
 *     bytes, RRC 0 (what MIT, Heimdal and RFC 4121 produce by default).
 *   - split (Windows EncryptMessage with SECBUFFER_TOKEN + SECBUFFER_DATA
 *     [+ SECBUFFER_PADDING]): a header buffer, the data buffer protected in
 *     place, and a trailer buffer (only RFC 4757 tokens use one: their
 *     padding byte).  For RFC 4121 tokens the trailer is rotated into the
 *     header with RRC (MS-KILE 3.4.5.4.1), so header buffer followed by data
 *     buffer is exactly the token on the wire.
 * Incoming tokens: any RRC is accepted; a rotation of RRC + EC (what
 * Windows applies to sealed tokens) is accepted too.
 *
 * Sealed RFC 4121 tokens of the split and RPC layouts are encrypted and
 * decrypted where the data lies (kssp_crypto_encrypt_parts: the
 * confounder and header copy in the header buffer, the data in its
 * buffers); only the confounder and header copy of a received token are
 * copied (its header buffer is left as sent).  A received split token
 * with another rotation or a trailer buffer is gathered into a scratch
 * buffer owned by the context, which grows to the largest such token and
 * is reused.  Contiguous RFC 4121 tokens and all RFC 4757 tokens are
 * processed in place with no copy of the data.
 *
 * Errors (what sspi/ maps): a malformed token is KSSP_ERR_TRUNCATED or
 * KSSP_ERR_BAD_ENCODING (SEC_E_INVALID_TOKEN); a token from our own side is
 * KRB_AP_ERR_BADDIRECTION; a failed checksum or decryption, or an altered
 * header inside the ciphertext, is KRB_AP_ERR_BAD_INTEGRITY
 * (SEC_E_MESSAGE_ALTERED); sequence problems are KRB_AP_ERR_REPEAT and
 * KRB_AP_ERR_BADORDER (SEC_E_OUT_OF_SEQUENCE).  On any failure the caller's
 * data buffer holds no plaintext of a token that did not verify.
 */
#ifndef KSSP_CONTEXT_TOKEN_INT_H
#define KSSP_CONTEXT_TOKEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "context/seq_int.h"
#include "crypto/crypto.h"

/* GSS context flags (RFC 2744 values, RFC 4121 §4.1.1.1 checksum flags). */
#define KSSP_GSS_DELEG 0x01u
#define KSSP_GSS_MUTUAL 0x02u
#define KSSP_GSS_REPLAY 0x04u
#define KSSP_GSS_SEQUENCE 0x08u
#define KSSP_GSS_CONF 0x10u
#define KSSP_GSS_INTEG 0x20u
#define KSSP_GSS_DCE_STYLE 0x1000u   /* RFC 4757 §7.1, MS-KILE */
#define KSSP_GSS_IDENTIFY 0x2000u
#define KSSP_GSS_EXTENDED_ERROR 0x4000u

/* RFC 4121 §4.2.2 token flags. */
#define KSSP_TOKFLAG_SENT_BY_ACCEPTOR 0x01u
#define KSSP_TOKFLAG_SEALED 0x02u
#define KSSP_TOKFLAG_ACCEPTOR_SUBKEY 0x04u

/* RFC 4121 token header length; RFC 4757 token body before the data. */
#define KSSP_TOKEN_CFX_HEADER 16
#define KSSP_TOKEN_RC4_HEADER 32

/* The most data one Wrap token carries (1 GiB); larger is KSSP_ERR_LIMIT. */
#define KSSP_TOKEN_MAX_DATA ((size_t)1 << 30)

/* RFC 4757 §7.2-7.3 keys that depend on the protection key only, derived
 * and keyed for HMAC-MD5 once: a token then hashes no key pads. */
struct kssp_rc4_keys {
	struct kssp_hmac_md5 ksign;   /* keyed with HMAC-MD5(K, "signaturekey\0") */
	struct kssp_hmac_md5 kseq1;   /* with HMAC-MD5(K, T = 0): Kseq's first step */
	struct kssp_hmac_md5 kcrypt1; /* with HMAC-MD5(K xor F0, T = 0): Kcrypt's */
};

struct kssp_token_ops; /* context/ private: one token family's operations */

struct kssp_token_ctx {
	const struct kssp_token_ops *ops; /* RFC 4121, or RFC 4757 for arcfour-hmac */
	struct kssp_key key;             /* initiator subkey, else session key */
	struct kssp_key acceptor_subkey; /* enctype 0: none asserted */
	bool initiator;                  /* we initiated the context */
	uint32_t flags;                  /* negotiated KSSP_GSS_* flags */
	uint64_t send_seq;               /* our next sequence number */
	struct kssp_seq_window recv;     /* the peer's numbers */
	const struct kssp_hooks *hooks;  /* confounders: the hook's, else the thread's stream */
	uint8_t *scratch;                /* received split tokens gathered, reused */
	size_t scratch_cap;
	struct kssp_rc4_keys *rc4_keys;  /* RFC 4757 tokens only: from the protection key */
};

/*
 * Sets up t.  key is the initiator subkey or, without one, the ticket
 * session key; acceptor_subkey is NULL unless the AP-REP asserted one
 * (RFC 4121 §2: then every token uses it).  The keys are copied.
 * send_seq / recv_seq are our and the peer's initial sequence numbers.
 * flags are the negotiated KSSP_GSS_* flags (REPLAY and SEQUENCE switch
 * the receive checks on).  hooks may be NULL (system random source); it
 * must outlive t.  RFC 4757 tokens are used when the protection key is
 * arcfour-hmac (enctype 23).
 */
kssp_err kssp_token_ctx_init(struct kssp_token_ctx *t, const struct kssp_key *key,
    const struct kssp_key *acceptor_subkey, bool initiator, uint32_t flags,
    uint64_t send_seq, uint64_t recv_seq, const struct kssp_hooks *hooks);

/* Zeroes and frees everything t holds; t may then be initialised again. */
void kssp_token_ctx_clear(struct kssp_token_ctx *t);

/* The key tokens are protected with (acceptor subkey when asserted). */
const struct kssp_key *kssp_token_ctx_key(const struct kssp_token_ctx *t);

/* ---- sizes ------------------------------------------------------------- */

struct kssp_wrap_sizes {
	size_t header;  /* bytes before the data */
	size_t trailer; /* bytes after the data */
};

/* Length of a MIC token. */
kssp_err kssp_token_mic_len(const struct kssp_token_ctx *t, size_t *len);

/* Header / trailer sizes of a contiguous Wrap token for data_len bytes. */
kssp_err kssp_token_wrap_sizes(const struct kssp_token_ctx *t, bool conf, size_t data_len,
    struct kssp_wrap_sizes *s);

/*
 * Header / trailer buffer sizes of a split-layout Wrap token.  An RFC 4757
 * header grows with data_len (its RFC 2743 §3.1 framing holds the token's
 * DER length); KSSP_TOKEN_MAX_DATA gives the largest any message needs.
 */
kssp_err kssp_token_wrap_split_sizes(const struct kssp_token_ctx *t, bool conf,
    size_t data_len, struct kssp_wrap_sizes *s);

/* ---- MIC --------------------------------------------------------------- */

/*
 * Makes a MIC token over the concatenation of the message parts into out
 * (capacity cap, kssp_token_mic_len() bytes needed); *len is set.
 */
kssp_err kssp_token_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len);

/*
 * Verifies a MIC token over the message parts.  *seq_status (may be NULL)
 * receives the kssp_seq_status bits; with seq_status NULL a reported
 * status is an error (kssp_seq_status_err).
 */
kssp_err kssp_token_verify_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, const uint8_t *token, size_t len, unsigned *seq_status);

/* ---- Wrap -------------------------------------------------------------- */

/*
 * Contiguous Wrap in place: buf holds data_len bytes of data at offset
 * kssp_token_wrap_sizes().header and has room for the trailer; on success
 * buf[0 .. *token_len) is the token (RRC 0).  conf asks for encryption.
 */
kssp_err kssp_token_wrap(struct kssp_token_ctx *t, bool conf, uint8_t *buf, size_t cap,
    size_t data_len, size_t *token_len);

/*
 * Split Wrap: header (hcap bytes) and trailer (tcap bytes) receive the
 * token's parts, data is protected in place.  *hlen / *tlen are set to the
 * bytes used (kssp_token_wrap_split_sizes()).
 */
kssp_err kssp_token_wrap_split(struct kssp_token_ctx *t, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer,
    size_t tcap, size_t *tlen);

/*
 * Contiguous Unwrap in place: on success the plaintext is
 * token[*data_off .. *data_off + *data_len); *conf tells whether it was
 * encrypted (may be NULL).  seq_status as for kssp_token_verify_mic.
 */
kssp_err kssp_token_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status);

/*
 * Split Unwrap: the token is header | data | trailer (trailer may be
 * empty).  On success data[0 .. *plain_len) holds the plaintext.  For
 * RFC 4121 tokens the plaintext must fill the data buffer exactly; for
 * RFC 4757 tokens the padding may end the data buffer or be the trailer.
 */
kssp_err kssp_token_unwrap_split(struct kssp_token_ctx *t, const uint8_t *header,
    size_t hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen,
    size_t *plain_len, bool *conf, unsigned *seq_status);

/* ---- RPC layouts (GSS_WrapEx / GSS_UnwrapEx, MS-KILE 3.4.5.4) ----------- */

/*
 * One buffer of a multi-buffer message, in the caller's order: encrypted
 * in place (sealed tokens) and signed, or with sign_only (Windows'
 * SECBUFFER_READONLY[_WITH_CHECKSUM], GSS_IOV_BUFFER_TYPE_SIGN_ONLY)
 * signed but never changed.  The checksum covers every segment in order,
 * the encryption the others only (MS-KILE 3.4.5.4.1).
 */
struct kssp_token_seg {
	uint8_t *data;
	size_t len;
	bool sign_only;
};

#define KSSP_TOKEN_MAX_SEGS 16

/*
 * The EC a sealed RFC 4121 token of a DCE-style context carries in the
 * split layouts: one block of filler (MS-KILE 3.4.5.4.1: "EC must not be
 * zero ... 1 block - 16 bytes").  Other contexts send EC 0, as Windows'
 * stream callers and RFC 4121 implementations do.
 */
#define KSSP_TOKEN_DCE_EC 16

/*
 * Wrap of segments: the header buffer receives the token (for RFC 4121:
 * header | rotated EC filler, header copy and MAC | confounder, RRC 28 and
 * a rotation of RRC + EC as Windows applies, MS-KILE 3.4.5.4.1; for
 * RFC 4757: the framed 32-byte header, whose framing on DCE-style contexts
 * covers the header only, MS-KILE 3.4.5.4.1 for MS-RPCE), the segments
 * are protected in place, and an RFC 4757 token of a stream context puts
 * its pad byte in trailer (*tlen; DCE callers pad the data themselves).
 * kssp_token_wrap_split_sizes() gives the header size for the encrypted
 * bytes.  Sign-only segments in a sealed RFC 4121 token need an enctype
 * whose MAC covers the plaintext (17, 18, 25, 26).
 */
kssp_err kssp_token_wrap_ex(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
    size_t *hlen, struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tcap,
    size_t *tlen);

/*
 * Unwrap of segments, the token's header in header and its encrypted
 * bytes in the segments (and an RFC 4757 pad in trailer or at the end of
 * the last encrypted segment: *strip is how many bytes of that segment
 * are padding).  A single segment without sign-only ones is the split
 * layout of kssp_token_unwrap_split (any RRC).  With several segments an
 * RFC 4121 token must have Windows' rotation (RRC + EC or RRC equal to
 * the rotated bytes in the header buffer, MS-KILE 3.4.5.4.1).
 */
kssp_err kssp_token_unwrap_ex(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
    struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tlen, size_t *strip,
    bool *conf, unsigned *seq_status);

/* The layer's own part: the token families' operations (not for other layers). */

/*
 * Checks the segments (at most KSSP_TOKEN_MAX_SEGS, at most
 * KSSP_TOKEN_MAX_DATA bytes encrypted); *enc is the encrypted bytes,
 * *sign_only whether any segment is sign-only.
 */
kssp_err kssp_token_segs_check(const struct kssp_token_seg *segs, size_t n, size_t *enc,
    bool *sign_only);

/* Both families' headers are big-endian (RFC 4121 §4.2.6, RFC 1964 §1.2). */
static inline void kssp_token_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * One token family (RFC 4121 in context/token.c, RFC 4757 in token_rc4.c),
 * chosen at setup from the protection key's enctype as crypto/ chooses a
 * profile.  Each operation has the contract of the entry point of its name.
 */
struct kssp_token_ops {
	bool wide_seq; /* 64-bit sequence numbers; else 32 (RFC 1964 §1.2.1.2) */
	/* Derives what depends on the protection key alone; NULL: nothing. */
	kssp_err (*setup)(struct kssp_token_ctx *t, const struct kssp_key *key);
	kssp_err (*mic_len)(const struct kssp_token_ctx *t, size_t *len);
	kssp_err (*wrap_sizes)(const struct kssp_token_ctx *t, bool conf, size_t data_len,
	    struct kssp_wrap_sizes *s);
	kssp_err (*wrap_split_sizes)(const struct kssp_token_ctx *t, bool conf, size_t data_len,
	    struct kssp_wrap_sizes *s);
	kssp_err (*get_mic)(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
	    size_t nmsg, uint8_t *out, size_t cap, size_t *len);
	kssp_err (*verify_mic)(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
	    size_t nmsg, const uint8_t *token, size_t len, unsigned *seq_status);
	kssp_err (*wrap)(struct kssp_token_ctx *t, bool conf, uint8_t *buf, size_t cap,
	    size_t data_len, size_t *token_len);
	kssp_err (*wrap_ex)(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
	    size_t *hlen, struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tcap,
	    size_t *tlen);
	kssp_err (*unwrap)(struct kssp_token_ctx *t, uint8_t *token, size_t len,
	    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status);
	kssp_err (*unwrap_ex)(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
	    struct kssp_token_seg *segs, size_t nsegs, uint8_t *trailer, size_t tlen, size_t *strip,
	    bool *conf, unsigned *seq_status);
};

/* RFC 4757 §7.2-7.3 tokens, for arcfour-hmac protection keys. */
extern const struct kssp_token_ops kssp_token_rc4_ops;

#endif
