/*
 * kdc/as_int.h - the AS exchange (RFC 4120 §3.1): a TGT (or an initial ticket
 * for another service) from a password or a keytab.
 *
 * The request carries a fresh nonce, the configured enctypes in order,
 * PA-PAC-REQUEST and PA-REQ-ENC-PA-REP, and the forwardable / proxiable /
 * renewable options.  On KDC_ERR_PREAUTH_REQUIRED the salt and s2kparams
 * come from PA-ETYPE-INFO2 (PA-ETYPE-INFO, PA-PW-SALT as fallbacks) and
 * PA-ENC-TIMESTAMP is sent once; on KRB_AP_ERR_SKEW with kdc_timesync the
 * KDC's time from the error is adopted and the request sent once more; on
 * KDC_ERR_PREAUTH_FAILED with a master_kdc configured the master is asked
 * once.  What the unauthenticated KRB-ERROR says (enctype, salt, time) is
 * a hint: bounded, traced, never an enctype outside the request.
 *
 * Names (RFC 6806): an NT-ENTERPRISE client is always canonicalized; with
 * canonicalize, KDC_ERR_WRONG_REALM naming a client realm sends the
 * request there (twice at most, §7); a realm no KDC is known for (a
 * NetBIOS domain) is asked of the default realm's KDC, canonicalizing.
 *
 * The reply is believed only after it is verified: msg-type, the enc-part
 * enctype one that was asked for, decryption under key usage 3, the nonce,
 * the client name (a different, canonical one only when canonicalize was
 * asked and the KDC authenticated it, RFC 6806 §11), the server the krbtgt
 * of the realm asked, or of that canonical client's realm (its name in the
 * enc-part and in the ticket), the times
 * within the request and the clock skew, and PA-REQ-ENC-PA-REP's checksum
 * over the request when the KDC sets enc-pa-rep.  Everything stored in the
 * credential comes from the decrypted enc-part.
 *
 * Under FAST (o->armor) the request is armored, errors and the reply are
 * believed only through the armor (kdc/fast_int.h), the key is proven by
 * the encrypted challenge when the KDC offers it (else PA-ENC-TIMESTAMP
 * travels inside the armor), and the reply key is strengthened.  The
 * context's fast_avail is set by an armored reply.  (MIT's kinit also
 * records fast_avail when an unarmored reply lists PA-FX-FAST in its
 * encrypted padata; kssp records it only once armor was used, so that an
 * unarmored logon leaves later TGS exchanges unarmored, as before.)
 */
#ifndef KSSP_KDC_AS_INT_H
#define KSSP_KDC_AS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/creds.h"
#include "kdc/ctx_int.h"

struct kssp_as_opts {
	const struct kssp_principal *client; /* with its realm */
	/* The client key: from password (UTF-8) when not NULL, else from keytab. */
	const char *password;
	size_t password_len;
	const struct kssp_keytab *keytab;
	const struct kssp_principal *server; /* NULL: krbtgt/REALM@REALM */
	const int32_t *etypes;   /* NULL: default_tkt_enctypes */
	size_t n_etypes;
	int64_t lifetime;        /* seconds; 0: ticket_lifetime */
	int64_t renew_lifetime;  /* seconds; 0: renew_lifetime; < 0: not renewable */
	int forwardable;         /* -1: the config's forwardable; 0 / 1 */
	int proxiable;           /* -1: the config's proxiable; 0 / 1 */
	int canonicalize;        /* -1: the config's canonicalize; 0 / 1 */
	/*
	 * FAST (RFC 6113, kdc/fast_int.h): with an armor TGT of the realm the
	 * exchange is armored, with encrypted challenge as pre-authentication;
	 * require_fast without one fails before anything is sent.
	 */
	const struct kssp_cred *armor;
	bool require_fast;
};

/* Fills o with "use the configuration" values (-1, 0, NULL). */
void kssp_as_opts_init(struct kssp_as_opts *o);

/*
 * Runs the AS exchange; on success *out (overwritten, not freed first)
 * holds the ticket, its session key, times and flags.  Failures: the
 * KRB-ERROR code (KDC_ERR_PREAUTH_FAILED, KDC_ERR_C_PRINCIPAL_UNKNOWN,
 * KRB_AP_ERR_SKEW, ...), KSSP_ERR_NO_KDC, or a verification failure
 * (KRB_AP_ERR_MODIFIED, KRB_AP_ERR_BAD_INTEGRITY, KDC_ERR_ETYPE_NOSUPP ...),
 * each with a reason.
 */
kssp_err kssp_as_get_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_as_opts *o,
    struct kssp_cred *out);

#endif
