/*
 * kdc/kpasswd_int.h - changing and setting a password over the kpasswd
 * protocol (RFC 3244; MIT's and Active Directory's port 464).
 *
 * As MIT's kpasswd does it: an initial ticket for kadmin/changepw from an
 * AS exchange with the old password, then one request to the realm's
 * kpasswd server (UDP, else TCP; kdc/locate_int.h says which servers):
 *
 *   length (2) | version (2) | AP-REQ length (2) | AP-REQ | KRB-PRIV
 *
 * The AP-REQ's authenticator carries a fresh subkey and a sequence
 * number; the KRB-PRIV (RFC 4120 §5.7, sealed with the subkey under key
 * usage 13) carries the new password (version 1, a change of the client's
 * own password) or a ChangePasswdData naming the target (version 0xFF80,
 * a set).  The reply has the same frame with an AP-REP and a KRB-PRIV
 * holding the result code (2 bytes) and the result string, or no AP-REP
 * and a KRB-ERROR whose e-data holds them.
 */
#ifndef KSSP_KDC_KPASSWD_INT_H
#define KSSP_KDC_KPASSWD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/creds.h"
#include "crypto/crypto.h"
#include "kdc/ctx_int.h"

/* RFC 3244 §2 result codes. */
enum kssp_kpasswd_code {
	KSSP_KPASSWD_SUCCESS = 0,
	KSSP_KPASSWD_MALFORMED = 1,
	KSSP_KPASSWD_HARDERROR = 2,
	KSSP_KPASSWD_AUTHERROR = 3,
	KSSP_KPASSWD_SOFTERROR = 4,
	KSSP_KPASSWD_ACCESSDENIED = 5,
	KSSP_KPASSWD_BAD_VERSION = 6,
	KSSP_KPASSWD_INITIAL_FLAG_NEEDED = 7,
};

struct kssp_kpasswd_opts {
	const struct kssp_principal *client; /* with its realm */
	const char *old_password;            /* UTF-8 */
	size_t old_password_len;
	const char *new_password;            /* UTF-8 */
	size_t new_password_len;
	const struct kssp_principal *target; /* NULL: the client's own (change) */
};

struct kssp_kpasswd_result {
	int32_t code;       /* -1: the server gave no result */
	char text[512];     /* the result string, printable, possibly cut */
};

/*
 * Changes (or, with o->target, sets) a password.  KSSP_OK when the server
 * answered result code 0.  A refusal is KDC_ERR_POLICY with the result in
 * *res and the reason "kpasswd: NAME (N): text"; a failure before the
 * server answered (a wrong old password: KDC_ERR_PREAUTH_FAILED from the
 * AS exchange) leaves res->code -1.
 */
kssp_err kssp_kpasswd_change(struct kssp_kdc_ctx *ctx, const struct kssp_kpasswd_opts *o,
    struct kssp_kpasswd_result *res);

/*
 * Reads a kpasswd reply (untrusted) into *res: the AP-REP opened with
 * session (key usage 12), the KRB-PRIV with the AP-REP's subkey, else
 * subkey (usage 13), its sequence number the AP-REP's when both carry one.
 * The policy blob Active Directory (and Samba) put in a refusal's result
 * string, 30 bytes: 0x0000, then minimum length, history length and
 * properties (32 bits each), maximum and minimum age (64 bits, 100 ns
 * units), all big-endian, as MIT's krb5_chpw_message reads it, is put
 * into words.
 */
kssp_err kssp_kpasswd_read_reply(struct kssp_kdc_ctx *ctx, const uint8_t *msg, size_t len,
    struct kssp_key *session, struct kssp_key *subkey, struct kssp_kpasswd_result *res);

#endif
