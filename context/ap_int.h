/*
 * context/ap_int.h - helpers the initiator, acceptor and export code of
 * context/ share (not for other layers).
 */
#ifndef KSSP_CONTEXT_AP_INT_H
#define KSSP_CONTEXT_AP_INT_H

#include "asn1/krb5.h"
#include "context/ap.h"

/* APOptions mutual-required (RFC 4120 §5.5.1 bit 2; bit 0 is the top bit). */
#define KSSP_AP_OPT_USE_SESSION_KEY (1u << 30)
#define KSSP_AP_OPT_MUTUAL_REQUIRED (1u << 29)

/* Flags a context may carry, and those always granted (MIT's choice). */
#define KSSP_CTX_KNOWN_FLAGS (KSSP_GSS_DELEG | KSSP_GSS_MUTUAL | KSSP_GSS_REPLAY | \
	KSSP_GSS_SEQUENCE | KSSP_GSS_CONF | KSSP_GSS_INTEG | KSSP_GSS_DCE_STYLE | \
	KSSP_GSS_IDENTIFY | KSSP_GSS_EXTENDED_ERROR)
#define KSSP_CTX_ALWAYS_FLAGS (KSSP_GSS_CONF | KSSP_GSS_INTEG)

/* A PrincipalName and realm pointing at p's strings (comps has room for
 * KSSP_PRINCIPAL_MAX_COMPONENTS). */
void kssp_ctx_principal_to_asn1(const struct kssp_principal *p, struct kssp_der_bytes *comps,
    struct kssp_principal_name *pn, struct kssp_der_bytes *realm);

/* A principal owning copies of a decoded PrincipalName and realm. */
kssp_err kssp_ctx_principal_from_asn1(const struct kssp_principal_name *pn,
    const struct kssp_der_bytes *realm, struct kssp_principal **out);

/* A key from a decoded EncryptionKey. */
kssp_err kssp_ctx_key_from_asn1(const struct kssp_encryption_key *ek, struct kssp_key *key);

/* Seals plain into ed (kssp_crypto_seal; the cipher, kssp_malloc'd, is *cipher). */
kssp_err kssp_ctx_encrypt(const struct kssp_hooks *hooks, struct kssp_key *key,
    uint32_t usage, const uint8_t *plain, size_t len, struct kssp_encrypted_data *ed,
    uint8_t **cipher);

/* Sets up ctx->tokens from the context's keys and numbers, marks it established. */
kssp_err kssp_ctx_establish(struct kssp_ctx *ctx);

/*
 * Traces "context: <what>" with the unparsed names of a and b in place of
 * the two %s of what (unparsed only when a trace hook is set; "" for a NULL
 * name, "?" for one that cannot be unparsed).  Never given a key.
 */
void kssp_ctx_trace_names(const struct kssp_ctx *ctx, const char *what,
    const struct kssp_principal *a, const struct kssp_principal *b);

/* The current time from the hooks plus offset. */
kssp_err kssp_ctx_now(const struct kssp_ctx *ctx, int64_t offset, struct kssp_time *now);

#endif
