/*
 * context/token_int.h - what the RFC 4121 and RFC 4757 token code share
 * inside context/ (not for other layers).
 */
#ifndef KSSP_CONTEXT_TOKEN_INT_H
#define KSSP_CONTEXT_TOKEN_INT_H

#include "context/token.h"

/* Makes t->scratch hold at least n bytes (grows only, zeroing the old). */
kssp_err kssp_token_scratch(struct kssp_token_ctx *t, size_t n);

/* Records a verified sequence number, or fails as seq_status asks. */
kssp_err kssp_token_seq_finish(struct kssp_token_ctx *t, uint64_t seq, unsigned *seq_status);

/* RFC 4757 tokens (context/token_rc4.c). */
void kssp_token_rc4_setup(struct kssp_token_ctx *t);
kssp_err kssp_token_rc4_mic_len(size_t *len);
kssp_err kssp_token_rc4_wrap_sizes(size_t data_len, struct kssp_wrap_sizes *s);
kssp_err kssp_token_rc4_get_mic(struct kssp_token_ctx *t, const struct kssp_crypto_iov *msg,
    size_t nmsg, uint8_t *out, size_t cap, size_t *len);
kssp_err kssp_token_rc4_verify_mic(struct kssp_token_ctx *t,
    const struct kssp_crypto_iov *msg, size_t nmsg, const uint8_t *token, size_t len,
    unsigned *seq_status);
kssp_err kssp_token_rc4_wrap_split(struct kssp_token_ctx *t, bool conf, uint8_t *header,
    size_t hcap, size_t *hlen, uint8_t *data, size_t data_len, uint8_t *trailer,
    size_t tcap, size_t *tlen);
kssp_err kssp_token_rc4_unwrap_split(struct kssp_token_ctx *t, const uint8_t *header,
    size_t hlen, uint8_t *data, size_t data_len, uint8_t *trailer, size_t tlen,
    size_t *plain_len, bool *conf, unsigned *seq_status);
kssp_err kssp_token_rc4_unwrap(struct kssp_token_ctx *t, uint8_t *token, size_t len,
    size_t *data_off, size_t *data_len, bool *conf, unsigned *seq_status);

#endif
