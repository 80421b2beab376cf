/* context/token_int.h - the token families' operations (not for other layers). */
#ifndef KSSP_CONTEXT_TOKEN_INT_H
#define KSSP_CONTEXT_TOKEN_INT_H

#include "context/token.h"

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
	void (*setup)(struct kssp_token_ctx *t, const struct kssp_key *key);
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
	kssp_err (*wrap_split)(struct kssp_token_ctx *t, bool conf, uint8_t *header, size_t hcap,
	    size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tcap,
	    size_t *tlen);
	kssp_err (*unwrap)(struct kssp_token_ctx *t, uint8_t *token, size_t len,
	    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status);
	kssp_err (*unwrap_split)(struct kssp_token_ctx *t, const uint8_t *header, size_t hlen,
	    uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen, size_t *plain_len,
	    bool *conf, unsigned *seq_status);
};

/* RFC 4757 §7.2-7.3 tokens, for arcfour-hmac protection keys. */
extern const struct kssp_token_ops kssp_token_rc4_ops;

#endif
