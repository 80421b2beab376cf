/*
 * kdc/fast_int.h - FAST armoring (RFC 6113) of the AS and TGS exchanges.
 *
 * An armored request carries its real padata and body inside an encrypted
 * KrbFastReq (key usage 51) keyed by the armor key; outside, the same body
 * and PA-FX-FAST with a checksum (usage 50) over what the KDC must find
 * unchanged: the encoded KDC-REQ-BODY of an AS-REQ, the AP-REQ of a
 * TGS-REQ's PA-TGS-REQ (RFC 6113 §5.4.2).  The armor key is
 *   - explicit armor (the AS exchange): an AP-REQ for an armor TGT (a
 *     machine account's) with a fresh subkey, and
 *     KRB-FX-CF2(subkey, TGT session key, "subkeyarmor", "ticketarmor");
 *   - implicit armor (the TGS exchange): the same CF2 of the TGS-REQ's
 *     own subkey and its TGT's session key (§5.4.1.1).
 *
 * What comes back is believed only through the armor: a reply's or an
 * error's PA-FX-FAST is decrypted (usage 52) and its nonce must be the
 * request's; an error's real KRB-ERROR is the PA-FX-ERROR inside, and an
 * error without a PA-FX-FAST that opens is refused (an attacker's
 * unarmored KRB-ERROR could otherwise steer the exchange: a weaker
 * enctype, another salt, a clock, a realm).  A reply must carry
 * KrbFastFinished whose ticket checksum (usage 53) covers the Ticket
 * received; its client, authenticated, replaces the reply's.  The reply
 * key is then KRB-FX-CF2(strengthen-key, reply key, "strengthenkey",
 * "replykey") when the KDC sent a strengthen key (§5.4.3).
 *
 * The encrypted challenge (§5.4.6) proves the client key both ways:
 * PA-ENCRYPTED-CHALLENGE holds a PA-ENC-TS-ENC encrypted (usage 54) with
 * KRB-FX-CF2(armor key, client key, "clientchallengearmor",
 * "challengelongterm"); the KDC's answer in the reply, with
 * "kdcchallengearmor" and usage 55, must decrypt.
 *
 * Anonymous PKINIT armor (RFC 6113 §5.4.1.1 with RFC 8062) is not built.
 */
#ifndef KSSP_KDC_FAST_INT_H
#define KSSP_KDC_FAST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "creds/creds.h"
#include "crypto/crypto.h"
#include "kdc/ctx_int.h"

/* MIT's cache configuration key: the KDC of a realm offered FAST. */
#define KSSP_FAST_AVAIL_KEY "fast_avail"

struct kssp_fast {
	struct kssp_key armor_key;  /* enctype 0: not armoring */
	uint8_t *armor;             /* explicit armor: the AP-REQ (kssp_malloc'd), else NULL */
	size_t armor_len;
	uint8_t *cookie;            /* the KDC's last PA-FX-COOKIE, sent back (RFC 6113 §5.2) */
	size_t cookie_len;
	uint32_t nonce;             /* of the request armored last */
	uint8_t *plain;             /* the KrbFastResponse opened last (a secret) */
	size_t plain_len;
};

/* true when f armors the requests it wraps. */
bool kssp_fast_active(const struct kssp_fast *f);

/* Zeroes and frees what f holds; f is then inactive. */
void kssp_fast_free(struct kssp_fast *f);

/* Explicit armor from armor_tgt (a TGT of the realm asked). */
kssp_err kssp_fast_armor_explicit(struct kssp_kdc_ctx *ctx, const struct kssp_cred *armor_tgt,
    struct kssp_fast *f);

/* Implicit armor of a TGS-REQ from its subkey and the TGT's session key. */
kssp_err kssp_fast_armor_implicit(const struct kssp_key *subkey, const struct kssp_key *session,
    struct kssp_fast *f);

/*
 * Appends to w the armored form of req: its padata (with the cookie held)
 * and body inside KrbFastReq; outside, outer_pa[0..n_outer) (PA-TGS-REQ)
 * then PA-FX-FAST, and req's body.  checksummed NULL: the encoded body.
 */
kssp_err kssp_fast_wrap(struct kssp_kdc_ctx *ctx, struct kssp_fast *f,
    const struct kssp_kdc_req *req, const struct kssp_pa_data *outer_pa, size_t n_outer,
    const uint8_t *checksummed, size_t checksummed_len, struct kssp_writer *w);

/*
 * A KRB-ERROR answering an armored request: its e-data's PA-FX-FAST
 * opened, *inner the DER of the PA-FX-ERROR's KRB-ERROR and *resp the
 * response (its padata the method data; both valid until f is next used).
 * The cookie is kept.  An error that is not so armored is refused with
 * KRB_AP_ERR_MODIFIED, naming the code it claimed.
 */
kssp_err kssp_fast_open_error(struct kssp_fast *f, const struct kssp_krb_error *outer,
    struct kssp_arena *a, struct kssp_krb_fast_response *resp, struct kssp_der_bytes *inner);

/*
 * A KDC-REP answering an armored request: its PA-FX-FAST opened into
 * *resp, KrbFastFinished required and its ticket checksum checked; rep's
 * cname and crealm become KrbFastFinished's (valid until f is next used).
 */
kssp_err kssp_fast_open_reply(struct kssp_fast *f, struct kssp_kdc_rep *rep,
    struct kssp_arena *a, struct kssp_krb_fast_response *resp);

/* *out: key strengthened by resp's strengthen-key (a copy of key when none). */
kssp_err kssp_fast_reply_key(const struct kssp_krb_fast_response *resp,
    const struct kssp_key *key, struct kssp_key *out);

/* PA-ENCRYPTED-CHALLENGE for the client key, into pa (arena memory). */
kssp_err kssp_fast_client_challenge(struct kssp_kdc_ctx *ctx, const struct kssp_fast *f,
    const struct kssp_key *client_key, struct kssp_arena *a, struct kssp_pa_data *pa);

/* The KDC's PA-ENCRYPTED-CHALLENGE among pa[0..n) decrypts under its key; required. */
kssp_err kssp_fast_check_kdc_challenge(const struct kssp_fast *f,
    const struct kssp_key *client_key, const struct kssp_pa_data *pa, size_t n,
    struct kssp_arena *a);

/* ---- the armor credential -------------------------------------------- */

/* Where an armor TGT comes from (all borrowed; both NULL: no armor). */
struct kssp_fast_source {
	const char *ccache;     /* MIT's kinit -T: a cache holding a TGT of the realm */
	const char *keytab;     /* else a machine account's keytab, logged on (AS) */
	const char *principal;  /* its principal; NULL: the keytab's HOST$, else its first */
};

/*
 * An armor TGT for realm into *out from src; *fast_avail is set when the
 * armor cache records that realm's KDC offered FAST (MIT's fast_avail,
 * which makes FAST required, as MIT's kinit -T does).
 */
kssp_err kssp_fast_armor_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_fast_source *src,
    const char *realm, struct kssp_cred *out, bool *fast_avail);

/* MIT's fast_avail entry for realm's krbtgt in cc. */
bool kssp_fast_avail(const struct kssp_ccache *cc, const char *realm);

/* Records fast_avail for the TGT's server in cc, as MIT's kinit does. */
kssp_err kssp_fast_set_avail(struct kssp_ccache *cc, const struct kssp_cred *tgt);

/* true when pa[0..n) holds padata of type. */
bool kssp_fast_has_pa(const struct kssp_pa_data *pa, size_t n, int32_t type);

#endif
