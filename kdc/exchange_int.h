/*
 * kdc/exchange_int.h - internal to kdc/: the pieces the AS and TGS exchanges
 * share (names, nonces, KRB-ERROR handling, reply decryption and checks,
 * turning a verified reply into a credential).
 */
#ifndef KSSP_KDC_EXCHANGE_INT_H
#define KSSP_KDC_EXCHANGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "creds/creds.h"
#include "crypto/crypto.h"
#include "kdc/ctx_int.h"

/* KDCOptions bits (RFC 4120 §5.4.1): bit n is 1u << (31 - n). */
#define KDC_OPT(n) (1u << (31 - (n)))
#define KDC_OPT_FORWARDABLE KDC_OPT(1)
#define KDC_OPT_FORWARDED KDC_OPT(2)
#define KDC_OPT_PROXIABLE KDC_OPT(3)
#define KDC_OPT_RENEWABLE KDC_OPT(8)
#define KDC_OPT_CNAME_IN_ADDL_TKT KDC_OPT(14)
#define KDC_OPT_CANONICALIZE KDC_OPT(15)
#define KDC_OPT_ENC_TKT_IN_SKEY KDC_OPT(28)
#define KDC_OPT_RENEW KDC_OPT(30)

/* PA-DATA types (RFC 4120 §7.5.2, RFC 6806, MS-KILE, MS-SFU). */
#define PA_TGS_REQ 1
#define PA_ENC_TIMESTAMP 2
#define PA_PW_SALT 3
#define PA_ETYPE_INFO 11
#define PA_ETYPE_INFO2 19
#define PA_PAC_REQUEST 128
#define PA_FOR_USER 129
#define PA_S4U_X509_USER 130
/* MS-SFU §2.2.2 S4UUserID options: the reply's checksum is under key usage 27. */
#define KSSP_S4U_OPT_USE_REPLY_KEY_USAGE 0x20000000u
#define PA_FX_COOKIE 133           /* RFC 6113 §7.3 */
#define PA_FX_FAST 136
#define PA_FX_ERROR 137
#define PA_ENCRYPTED_CHALLENGE 138
#define PA_REQ_ENC_PA_REP 149
#define PA_PAC_OPTIONS 167

#define KDC_MAX_ETYPES 16

/* A PrincipalName pointing at p's strings (arrays from a). */
kssp_err kssp_kdc_name(struct kssp_arena *a, const struct kssp_principal *p,
    struct kssp_principal_name *out);

/* true when name and realm are p's components and realm (name type aside). */
bool kssp_kdc_name_is(const struct kssp_principal_name *name, const struct kssp_der_bytes *realm,
    const struct kssp_principal *p);

/* A principal (owned) from a PrincipalName and a realm. */
kssp_err kssp_kdc_principal(const struct kssp_principal_name *name,
    const struct kssp_der_bytes *realm, struct kssp_principal **out);

/* A fresh 31-bit nonce (MIT keeps nonces positive). */
/* krbtgt/TARGET@ISSUER (RFC 4120 §7.3): a TGT's server, cross-realm when they differ. */
kssp_err kssp_kdc_krbtgt(const char *target, const char *issuer, struct kssp_principal **out);

kssp_err kssp_kdc_nonce(const struct kssp_kdc_ctx *ctx, uint32_t *nonce);

/* true when etype is among list[0..n). */
bool kssp_kdc_etype_in(int32_t etype, const int32_t *list, size_t n);

/*
 * The message type of a reply (11, 13, 30), or a KSSP_ERR_BAD_ENCODING
 * failure naming what.
 */
kssp_err kssp_kdc_reply_type(const uint8_t *msg, size_t len, const char *what, int *type);

/*
 * Decodes a reply of type t (AS-REP, TGS-REP, AP-REP, KRB-PRIV) into out,
 * with reasons "WHAT: ...", and checks that the pvno it holds (pvno points
 * into out) is 5 (RFC 4120 §5.4.2, §5.5.2, §5.7.1).  The decoder has held
 * msg-type to the application tag already.
 */
kssp_err kssp_kdc_decode_reply(const struct kssp_asn1_type *t, const uint8_t *msg, size_t len,
    const char *what, struct kssp_arena *a, void *out, const int32_t *pvno);

/*
 * Decodes a KRB-ERROR into ctx->last_error and returns its code as the
 * failure, reason "WHAT: KDC answered NAME (N): e-text".  *err (may be
 * NULL) gets the decoded message, arrays in a.
 */
kssp_err kssp_kdc_krb_error(struct kssp_kdc_ctx *ctx, const uint8_t *msg, size_t len,
    const char *what, struct kssp_arena *a, struct kssp_krb_error *err);

/*
 * Decrypts a reply's enc-part with key and usage into *plain
 * (kssp_malloc'd; the caller frees it with kssp_free_secret) and decodes
 * EncASRepPart / EncTGSRepPart from it.
 */
kssp_err kssp_kdc_open_enc_part(struct kssp_key *key, uint32_t usage,
    const struct kssp_encrypted_data *enc, struct kssp_arena *a, uint8_t **plain,
    size_t *plain_len, struct kssp_enc_kdc_rep_part *out);

/* What a reply's enc-part must agree with. */
struct kssp_kdc_expect {
	uint32_t nonce;
	const struct kssp_principal *server; /* NULL: checked by the caller */
	int64_t till;
	int64_t rtime;       /* 0: renewable not asked */
	int64_t now;         /* KDC time when the request was made */
	int64_t skew;
	bool check_skew;
};

/*
 * The checks every KDC reply passes (RFC 4120 §3.1.5, §3.3.4): nonce,
 * server name in the enc-part and the ticket, times, session key.
 */
kssp_err kssp_kdc_check_reply(const struct kssp_kdc_rep *rep,
    const struct kssp_enc_kdc_rep_part *enc, const struct kssp_kdc_expect *x,
    const char *what);

/* A credential from a verified reply; client is copied. */
kssp_err kssp_kdc_make_cred(const struct kssp_principal *client, const struct kssp_kdc_rep *rep,
    const struct kssp_enc_kdc_rep_part *enc, struct kssp_cred *out);

/*
 * An AP-REQ (RFC 4120 §5.5.1) presenting cred: an authenticator sealed
 * with session under usage, carrying subkey, cksum when not NULL and
 * seq_number when has_seq_number.  PA-TGS-REQ (usage 7, a checksum over
 * the request body) and the kpasswd request (usage 11, a sequence number,
 * RFC 3244 §2) are the two callers.  *out is arena-owned.
 */
struct kssp_kdc_ap_req {
	const struct kssp_cred *cred;
	struct kssp_key *session;
	const struct kssp_key *subkey;
	const struct kssp_checksum *cksum;
	bool has_seq_number;
	uint32_t seq_number;
	uint32_t usage;
};
kssp_err kssp_kdc_encode_ap_req(struct kssp_kdc_ctx *ctx, const struct kssp_kdc_ap_req *in,
    struct kssp_arena *a, struct kssp_der_bytes *out);

/* Copies w's bytes (or its failure) into the arena: values nested in a request. */
kssp_err kssp_kdc_in_arena(struct kssp_arena *a, const struct kssp_writer *w,
    struct kssp_der_bytes *out);

/* PA-DATA of padata_type whose value is the DER of value (type t), in the arena. */
kssp_err kssp_kdc_encode_pa(struct kssp_arena *a, int32_t padata_type,
    const struct kssp_asn1_type *t, const void *value, struct kssp_pa_data *pa);

/* An EncryptedData (RFC 4120 §5.2.9) of plain sealed with key under usage; cipher in the arena. */
kssp_err kssp_kdc_seal(const struct kssp_hooks *h, struct kssp_key *key, uint32_t usage,
    const uint8_t *plain, size_t len, struct kssp_arena *a, struct kssp_encrypted_data *out);

/*
 * A Checksum of cksumtype (0: the key's mandatory type, RFC 3961 §4) over
 * data with key under usage; its bytes in the arena.
 */
kssp_err kssp_kdc_checksum(struct kssp_arena *a, int32_t cksumtype, struct kssp_key *key,
    uint32_t usage, const uint8_t *data, size_t len, struct kssp_checksum *out);

/*
 * PA-DATA of padata_type holding an EncryptedData of a PA-ENC-TS-ENC (now,
 * in KDC time) sealed with key under usage: PA-ENC-TIMESTAMP (usage 1), or
 * FAST's encrypted challenge (usage 54, the challenge key).  Arena memory.
 */
kssp_err kssp_kdc_enc_timestamp(struct kssp_kdc_ctx *ctx, struct kssp_key *key, uint32_t usage,
    int32_t padata_type, struct kssp_arena *a, struct kssp_pa_data *pa);

/* The key of a credential's session. */
kssp_err kssp_kdc_cred_key(const struct kssp_cred *c, struct kssp_key *key);

#endif
