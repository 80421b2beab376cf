/*
 * sspi/spnego_int.h - the Negotiate package: SPNEGO (RFC 4178) around the
 * Kerberos mechanism, as Windows' Negotiate does when Kerberos is
 * available.
 *
 * The initiator offers the Microsoft krb5 OID 1.2.840.48018.1.2.2 and the
 * standard 1.2.840.113554.1.2.2 (in Windows' order) with an optimistic
 * krb5 token; the acceptor takes either when it is the first offered.
 * mechListMIC (RFC 4178 §5): a MIC the peer sends over the DER of the
 * initiator's MechTypeList is verified, and answered with ours.
 */
#ifndef KSSP_SSPI_SPNEGO_INT_H
#define KSSP_SSPI_SPNEGO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "context/context.h"

/* NegTokenInit (GSS-framed) offering krb5 with krb5_token as mechToken. */
kssp_err kssp_spnego_wrap_init(const uint8_t *krb5_token, size_t len, uint8_t **out,
    size_t *out_len);

/*
 * The acceptor's answer: negState accept-completed (or reject when
 * reject), supportedMech mech (OID content octets), responseToken when
 * not NULL, mechListMIC when not NULL.
 */
kssp_err kssp_spnego_wrap_resp(bool reject, const uint8_t *mech, size_t mech_len,
    const uint8_t *response, size_t response_len, const uint8_t *mic, size_t mic_len,
    uint8_t **out, size_t *out_len);

/* What the acceptor takes from a NegTokenInit. */
struct kssp_spnego_offer {
	uint8_t mech[16];        /* the chosen OID's content octets */
	size_t mech_len;
	const uint8_t *token;    /* the optimistic krb5 token, inside the input */
	size_t token_len;
	uint8_t *mech_list;      /* DER of the MechTypeList, kssp_malloc'd (for the MIC) */
	size_t mech_list_len;
};

/*
 * Reads a NegTokenInit whose first mechanism is krb5 (either OID) and
 * which carries its token.  Anything else is KSSP_ERR_UNSUPPORTED (no other
 * mechanism is built) or a decoding error.
 */
kssp_err kssp_spnego_read_init(const uint8_t *buf, size_t len, struct kssp_spnego_offer *o);
void kssp_spnego_offer_free(struct kssp_spnego_offer *o);

/* What the initiator takes from a NegTokenResp. */
struct kssp_spnego_answer {
	uint32_t neg_state;      /* KSSP_SPNEGO_* (accept-completed when absent) */
	const uint8_t *token;    /* responseToken or NULL */
	size_t token_len;
	const uint8_t *mic;      /* mechListMIC or NULL */
	size_t mic_len;
};

kssp_err kssp_spnego_read_resp(const uint8_t *buf, size_t len, struct kssp_spnego_answer *a);

/* DER of the MechTypeList the initiator sends, kssp_malloc'd. */
kssp_err kssp_spnego_initiator_mech_list(uint8_t **out, size_t *out_len);

/* NegTokenResp carrying only mechListMIC (the initiator's last token). */
kssp_err kssp_spnego_wrap_mic(const uint8_t *mic, size_t mic_len, uint8_t **out, size_t *out_len);

/* A MIC over list with t, kssp_malloc'd; and its verification. */
kssp_err kssp_spnego_make_mic(struct kssp_token_ctx *t, const uint8_t *list, size_t len,
    uint8_t **mic, size_t *mic_len);
kssp_err kssp_spnego_check_mic(struct kssp_token_ctx *t, const uint8_t *list, size_t len,
    const uint8_t *mic, size_t mic_len);

#endif
