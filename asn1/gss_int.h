/*
 * asn1/gss_int.h - GSS-API token framing (RFC 2743 §3.1), the krb5 mechanism's
 * token identifiers (RFC 4121 §4.1) and SPNEGO (RFC 4178, with the negHints
 * form of MS-SPNG §2.2.1).
 *
 * Decoded tokens point into the input buffer; the SPNEGO mechTypes list
 * comes from the caller's arena.  OIDs are kept as their DER content octets.
 */
#ifndef KSSP_ASN1_GSS_INT_H
#define KSSP_ASN1_GSS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/arena_int.h"
#include "asn1/der_int.h"

/* Mechanism OIDs (content octets). */
extern const struct kssp_der_bytes kssp_gss_krb5_oid;     /* 1.2.840.113554.1.2.2 (RFC 1964) */
extern const struct kssp_der_bytes kssp_gss_mskrb5_oid;   /* 1.2.840.48018.1.2.2 (MS-KILE) */
/* 1.2.840.113554.1.2.2.3: krb5 user-to-user (draft-swift-win2k-krb-user2user-03 §3, MS-SPNG §3.1.5.2) */
extern const struct kssp_der_bytes kssp_gss_u2u_oid;
extern const struct kssp_der_bytes kssp_gss_spnego_oid;   /* 1.3.6.1.5.5.2 (RFC 4178) */

bool kssp_gss_oid_equal(const struct kssp_der_bytes *a, const struct kssp_der_bytes *b);

/* RFC 2743 §3.1 InitialContextToken: [APPLICATION 0] { thisMech OID, innerToken ANY }. */
struct kssp_gss_token {
	struct kssp_der_bytes mech;  /* OID content octets */
	struct kssp_der_bytes inner; /* everything after the OID */
	size_t mech_offset;          /* of the OID element in the token */
	size_t inner_offset;
};

kssp_err kssp_gss_decode_initial(const uint8_t *buf, size_t len, struct kssp_gss_token *out);

/* RFC 4121 §4.1 TOK_ID values of context-establishment tokens. */
#define KSSP_GSS_TOK_AP_REQ 0x0100
#define KSSP_GSS_TOK_AP_REP 0x0200
#define KSSP_GSS_TOK_ERROR 0x0300
/* draft-swift-win2k-krb-user2user-03 §4: KERB-TGT-REQUEST, KERB-TGT-REPLY */
#define KSSP_GSS_TOK_TGT_REQ 0x0400
#define KSSP_GSS_TOK_TGT_REP 0x0401

/*
 * A krb5 mechanism context token: framed with the krb5 (or Microsoft's krb5,
 * or the user-to-user) OID, then the two TOK_ID octets, then the Kerberos message.
 */
struct kssp_gss_krb5_token {
	struct kssp_der_bytes mech;
	uint16_t tok_id;
	struct kssp_der_bytes message;
	size_t message_offset; /* of the Kerberos message in the token */
};

kssp_err kssp_gss_decode_krb5(const uint8_t *buf, size_t len, struct kssp_gss_krb5_token *out);
kssp_err kssp_gss_encode_krb5(uint16_t tok_id, const uint8_t *msg, size_t len, struct kssp_writer *w);
/* The same framing under mech (the user-to-user OID for its tokens). */
kssp_err kssp_gss_encode_mech(const struct kssp_der_bytes *mech, uint16_t tok_id,
    const uint8_t *msg, size_t len, struct kssp_writer *w);

/* The framing alone, for inner_len bytes the caller places after it (the
 * RFC 4757 per-message tokens, whose Wrap data may be in another buffer). */
void kssp_gss_put_krb5_framing(struct kssp_writer *w, size_t inner_len);

/* RFC 4178 §4.2.2 negState */
enum kssp_spnego_neg_state {
	KSSP_SPNEGO_ACCEPT_COMPLETED = 0,
	KSSP_SPNEGO_ACCEPT_INCOMPLETE = 1,
	KSSP_SPNEGO_REJECT = 2,
	KSSP_SPNEGO_REQUEST_MIC = 3,
};

/* RFC 4178 §4.2.1 NegTokenInit; MS-SPNG NegTokenInit2 when has_neg_hints. */
struct kssp_spnego_init {
	struct kssp_der_bytes der;
	struct kssp_der_bytes *mech_types; /* OID content octets, most preferred first */
	size_t mech_types_len;
	bool has_req_flags;
	struct kssp_der_bytes req_flags;   /* ContextFlags BIT STRING content */
	struct kssp_der_bytes mech_token;  /* OPTIONAL: NULL when absent */
	bool has_neg_hints;
	struct kssp_der_bytes hint_name;   /* OPTIONAL */
	struct kssp_der_bytes hint_address; /* OPTIONAL */
	struct kssp_der_bytes mech_list_mic; /* OPTIONAL */
};

/* RFC 4178 §4.2.2 NegTokenResp */
struct kssp_spnego_resp {
	struct kssp_der_bytes der;
	bool has_neg_state;
	uint32_t neg_state;
	struct kssp_der_bytes supported_mech; /* OPTIONAL, OID content octets */
	struct kssp_der_bytes response_token; /* OPTIONAL */
	struct kssp_der_bytes mech_list_mic;  /* OPTIONAL */
};

enum kssp_spnego_kind { KSSP_SPNEGO_INIT = 0, KSSP_SPNEGO_RESP = 1 };

struct kssp_spnego_token {
	enum kssp_spnego_kind kind;
	bool framed; /* came inside an RFC 2743 InitialContextToken */
	struct kssp_spnego_init init;
	struct kssp_spnego_resp resp;
};

/*
 * Decodes a NegotiationToken: a GSS-framed negTokenInit (the first token),
 * or a bare [0] negTokenInit / [1] negTokenResp.
 */
kssp_err kssp_spnego_decode(const uint8_t *buf, size_t len, struct kssp_arena *arena,
    struct kssp_spnego_token *out);

/* Encodes negTokenInit, inside the RFC 2743 framing when framed. */
kssp_err kssp_spnego_encode_init(const struct kssp_spnego_init *in, bool framed, struct kssp_writer *w);
kssp_err kssp_spnego_encode_resp(const struct kssp_spnego_resp *in, struct kssp_writer *w);

#endif
