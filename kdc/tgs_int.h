/*
 * kdc/tgs_int.h - the TGS exchange (RFC 4120 §3.3): service tickets from a
 * TGT, across realms, renewals, S4U2Self and S4U2Proxy (MS-SFU).
 *
 * Each request carries PA-TGS-REQ: an AP-REQ with the TGT and an
 * authenticator (key usage 7) holding a fresh subkey and a checksum over
 * the encoded KDC-REQ-BODY (key usage 6).  The reply's enc-part is
 * decrypted with the subkey (usage 9) or, failing that, the session key
 * (usage 8), and verified as in the AS exchange: nonce, client, server,
 * times.  With opts.fast the requests are armored (FAST, RFC 6113).
 *
 * Realms: a server in another realm is reached through [capaths], else
 * directly (krbtgt/SERVER@CLIENT), with referrals followed in either case:
 * with canonicalize set a KDC may answer with krbtgt/OTHER@REALM, which is
 * followed (RFC 6806 §8) up to KSSP_TGS_MAX_HOPS, a realm seen twice being
 * a loop.  A server with an empty realm goes to the client's realm first.
 */
#ifndef KSSP_KDC_TGS_INT_H
#define KSSP_KDC_TGS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/creds.h"
#include "kdc/ctx_int.h"

#define KSSP_TGS_MAX_HOPS 10

struct kssp_tgs_opts {
	const struct kssp_principal *server; /* the service; empty realm: referral */
	const int32_t *etypes;   /* NULL: default_tgs_enctypes */
	size_t n_etypes;
	int canonicalize;        /* -1: yes (as MIT asks, to allow referrals); 0 / 1 */
	int forwardable;         /* -1: when the TGT is forwardable; 0 / 1 */
	/*
	 * S4U2Self (MS-SFU §3.1.5.1.1): a ticket to the TGT's own client
	 * (opts.server is ignored) on behalf of this user.
	 */
	const struct kssp_principal *impersonate;
	/*
	 * S4U2Proxy (MS-SFU §3.1.5.2.1): a ticket to server on behalf of the
	 * client of this evidence ticket (an S4U2Self ticket, or a service
	 * ticket received from the user), with PA-PAC-OPTIONS asking for
	 * resource-based delegation too (MS-KILE §2.2.10): a ticket that is not
	 * forwardable is evidence only for resource-based delegation.
	 */
	const struct kssp_cred *evidence;
	/*
	 * FAST (RFC 6113 §5.4.1.1): armor each request implicitly with its
	 * subkey and the TGT's session key; the reply and errors are then
	 * believed only through the armor (kdc/fast_int.h).
	 */
	bool fast;
	/*
	 * User-to-user (RFC 4120 §3.3.3, §5.4.1 ENC-TKT-IN-SKEY): a ticket
	 * sealed in the session key of this TGT (its DER; the server's, from
	 * its KERB-TGT-REPLY), not in the server's long-term key.
	 */
	const struct kssp_cred_data *second_ticket;
};

void kssp_tgs_opts_init(struct kssp_tgs_opts *o);

/*
 * A service ticket for o->server using tgt (a TGT of the client's realm).
 * Cross-realm TGTs obtained on the way are stored in path when not NULL.
 */
kssp_err kssp_tgs_get_ticket(struct kssp_kdc_ctx *ctx, const struct kssp_cred *tgt,
    const struct kssp_tgs_opts *o, struct kssp_credset *path, struct kssp_cred *out);

/*
 * A forwarded TGT (RFC 4120 §2.6, §3.3): krbtgt/REALM asked again with the
 * FORWARDED and FORWARDABLE options from tgt, which must be forwardable.
 * No addresses are sent, so the new TGT is usable from any host: what the
 * 0x8003 checksum's KRB-CRED carries to a service (RFC 4121 §4.1.1).
 */
kssp_err kssp_tgs_forward_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_cred *tgt,
    struct kssp_cred *out);

/* Renews cred (RENEW option, RFC 4120 §3.3.3) at the KDC of its server's realm. */
kssp_err kssp_tgs_renew(struct kssp_kdc_ctx *ctx, const struct kssp_cred *cred,
    struct kssp_cred *out);

#endif
