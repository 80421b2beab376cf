/*
 * base/err_int.h - the one internal error type and the failure-reason recorder.
 *
 * kssp_err is 0 on success.  Values 1..127 are the RFC 4120 §7.5.9 error
 * codes (plus the later RFCs' additions) kept as their numbers, so that a
 * KRB-ERROR's error-code travels unchanged up to sspi/, which maps it to a
 * SECURITY_STATUS exactly once.  kssp's own conditions start at
 * KSSP_ERR_OWN_BASE and never collide with a protocol number.
 *
 * Every failure also records a one-line reason ("AS-REP: nonce mismatch")
 * through kssp_fail().  The record is per thread (like errno, like s2n's
 * s2n_errno): it is never shared between threads, so it needs no lock and
 * is not global mutable state in the sense that matters.  Callers that keep
 * a handle (sspi/) copy the reason into the handle when a call fails.
 */
#ifndef KSSP_BASE_ERR_INT_H
#define KSSP_BASE_ERR_INT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Every code once: its name, its number and a short English text (RFC 4120
 * §7.5.9's for the protocol's codes).  It makes the enum below and the
 * table of names and texts in base/err.c.
 */
#define KSSP_ERR_LIST(X)                                                                                \
	/* RFC 4120 §7.5.9 */                                                                           \
	X(KDC_ERR_NAME_EXP, 1, "client's entry in database has expired")                                \
	X(KDC_ERR_SERVICE_EXP, 2, "server's entry in database has expired")                             \
	X(KDC_ERR_BAD_PVNO, 3, "requested protocol version not supported")                              \
	X(KDC_ERR_C_OLD_MAST_KVNO, 4, "client's key encrypted in old master key")                       \
	X(KDC_ERR_S_OLD_MAST_KVNO, 5, "server's key encrypted in old master key")                       \
	X(KDC_ERR_C_PRINCIPAL_UNKNOWN, 6, "client not found in Kerberos database")                      \
	X(KDC_ERR_S_PRINCIPAL_UNKNOWN, 7, "server not found in Kerberos database")                      \
	X(KDC_ERR_PRINCIPAL_NOT_UNIQUE, 8, "multiple principal entries in database")                    \
	X(KDC_ERR_NULL_KEY, 9, "the client or server has a null key")                                   \
	X(KDC_ERR_CANNOT_POSTDATE, 10, "ticket not eligible for postdating")                            \
	X(KDC_ERR_NEVER_VALID, 11, "requested start time is later than end time")                       \
	X(KDC_ERR_POLICY, 12, "KDC policy rejects request")                                             \
	X(KDC_ERR_BADOPTION, 13, "KDC cannot accommodate requested option")                             \
	X(KDC_ERR_ETYPE_NOSUPP, 14, "KDC has no support for encryption type")                           \
	X(KDC_ERR_SUMTYPE_NOSUPP, 15, "KDC has no support for checksum type")                           \
	X(KDC_ERR_PADATA_TYPE_NOSUPP, 16, "KDC has no support for padata type")                         \
	X(KDC_ERR_TRTYPE_NOSUPP, 17, "KDC has no support for transited type")                           \
	X(KDC_ERR_CLIENT_REVOKED, 18, "client's credentials have been revoked")                         \
	X(KDC_ERR_SERVICE_REVOKED, 19, "credentials for server have been revoked")                      \
	X(KDC_ERR_TGT_REVOKED, 20, "TGT has been revoked")                                              \
	X(KDC_ERR_CLIENT_NOTYET, 21, "client not yet valid")                                            \
	X(KDC_ERR_SERVICE_NOTYET, 22, "server not yet valid")                                           \
	X(KDC_ERR_KEY_EXPIRED, 23, "password has expired")                                              \
	X(KDC_ERR_PREAUTH_FAILED, 24, "pre-authentication information was invalid")                     \
	X(KDC_ERR_PREAUTH_REQUIRED, 25, "additional pre-authentication required")                       \
	X(KDC_ERR_SERVER_NOMATCH, 26, "requested server and ticket don't match")                        \
	X(KDC_ERR_MUST_USE_USER2USER, 27, "server principal valid for user2user only")                  \
	X(KDC_ERR_PATH_NOT_ACCEPTED, 28, "KDC policy rejects transited path")                           \
	X(KDC_ERR_SVC_UNAVAILABLE, 29, "a service is not available")                                    \
	X(KRB_AP_ERR_BAD_INTEGRITY, 31, "integrity check on decrypted field failed")                    \
	X(KRB_AP_ERR_TKT_EXPIRED, 32, "ticket expired")                                                 \
	X(KRB_AP_ERR_TKT_NYV, 33, "ticket not yet valid")                                               \
	X(KRB_AP_ERR_REPEAT, 34, "request is a replay")                                                 \
	X(KRB_AP_ERR_NOT_US, 35, "the ticket isn't for us")                                             \
	X(KRB_AP_ERR_BADMATCH, 36, "ticket and authenticator don't match")                              \
	X(KRB_AP_ERR_SKEW, 37, "clock skew too great")                                                  \
	X(KRB_AP_ERR_BADADDR, 38, "incorrect net address")                                              \
	X(KRB_AP_ERR_BADVERSION, 39, "protocol version mismatch")                                       \
	X(KRB_AP_ERR_MSG_TYPE, 40, "invalid msg type")                                                  \
	X(KRB_AP_ERR_MODIFIED, 41, "message stream modified")                                           \
	X(KRB_AP_ERR_BADORDER, 42, "message out of order")                                              \
	X(KRB_AP_ERR_BADKEYVER, 44, "specified version of key is not available")                        \
	X(KRB_AP_ERR_NOKEY, 45, "service key not available")                                            \
	X(KRB_AP_ERR_MUT_FAIL, 46, "mutual authentication failed")                                      \
	X(KRB_AP_ERR_BADDIRECTION, 47, "incorrect message direction")                                   \
	X(KRB_AP_ERR_METHOD, 48, "alternative authentication method required")                          \
	X(KRB_AP_ERR_BADSEQ, 49, "incorrect sequence number in message")                                \
	X(KRB_AP_ERR_INAPP_CKSUM, 50, "inappropriate type of checksum in message")                      \
	X(KRB_AP_PATH_NOT_ACCEPTED, 51, "policy rejects transited path")                                \
	X(KRB_ERR_RESPONSE_TOO_BIG, 52, "response too big for UDP, retry with TCP")                     \
	X(KRB_ERR_GENERIC, 60, "generic error")                                                         \
	X(KRB_ERR_FIELD_TOOLONG, 61, "field is too long for this implementation")                       \
	/* RFC 4556 (PKINIT) and RFC 6113 (FAST), as MIT numbers them */                                \
	X(KDC_ERR_CLIENT_NOT_TRUSTED, 62, "client not trusted")                                         \
	X(KDC_ERR_KDC_NOT_TRUSTED, 63, "KDC not trusted")                                               \
	X(KDC_ERR_INVALID_SIG, 64, "invalid signature")                                                 \
	X(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, 65, "key parameters not accepted")                    \
	X(KDC_ERR_CERTIFICATE_MISMATCH, 66, "certificate mismatch")                                     \
	X(KRB_AP_ERR_NO_TGT, 67, "no ticket granting ticket")                                           \
	X(KDC_ERR_WRONG_REALM, 68, "realm not local to KDC")                                            \
	X(KRB_AP_ERR_USER_TO_USER_REQUIRED, 69, "user to user authentication required")                 \
	X(KDC_ERR_CANT_VERIFY_CERTIFICATE, 70, "can't verify certificate")                              \
	X(KDC_ERR_INVALID_CERTIFICATE, 71, "invalid certificate")                                       \
	X(KDC_ERR_REVOKED_CERTIFICATE, 72, "revoked certificate")                                       \
	X(KDC_ERR_REVOCATION_STATUS_UNKNOWN, 73, "revocation status unknown")                           \
	X(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, 74, "revocation status unavailable")                   \
	X(KDC_ERR_CLIENT_NAME_MISMATCH, 75, "client name mismatch")                                     \
	X(KDC_ERR_KDC_NAME_MISMATCH, 76, "KDC name mismatch")                                           \
	X(KDC_ERR_PREAUTH_EXPIRED, 90, "pre-authentication data expired")                               \
	X(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, 91, "more pre-authentication data required")              \
	X(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, 92, "bad pre-authentication set")                     \
	X(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, 93, "unknown critical FAST options")                   \
	/* kssp's own conditions, from KSSP_ERR_OWN_BASE */                                             \
	X(KSSP_ERR_NOMEM, 1000, "out of memory")                                                        \
	X(KSSP_ERR_INVALID_ARG, 1001, "invalid argument") /* caller passed something unusable */        \
	X(KSSP_ERR_TRUNCATED, 1002, "input truncated") /* input ends before a field does */             \
	X(KSSP_ERR_BAD_ENCODING, 1003, "malformed input") /* input is not the format it claims */       \
	X(KSSP_ERR_LIMIT, 1004, "size, depth or count limit exceeded")                                  \
	X(KSSP_ERR_UNSUPPORTED, 1005, "not supported") /* a valid feature kssp does not build */        \
	X(KSSP_ERR_BUFFER_TOO_SMALL, 1006, "output buffer too small")                                   \
	X(KSSP_ERR_NOT_FOUND, 1007, "not found") /* no such entry, key, principal, file */              \
	X(KSSP_ERR_IO, 1008, "I/O error") /* a file or socket operation failed */                       \
	X(KSSP_ERR_NO_KDC, 1009, "cannot contact any KDC") /* no KDC of the realm could be reached */   \
	X(KSSP_ERR_TIMEOUT, 1010, "timed out") /* the overall time bound ran out */                     \
	X(KSSP_ERR_NO_CREDENTIALS, 1011, "no usable credentials") /* no usable ticket or key */         \
	X(KSSP_ERR_INTERNAL, 1012, "internal error") /* an invariant of kssp's own broke */             \
	X(KSSP_ERR_BAD_BINDINGS, 1013, "channel bindings differ") /* the peer's differ from ours */

typedef enum kssp_err {
	KSSP_OK = 0,
	KSSP_ERR_OWN_BASE = 1000,
#define KSSP_ERR_ENUM(code, number, text) code = number,
	KSSP_ERR_LIST(KSSP_ERR_ENUM)
#undef KSSP_ERR_ENUM
	KSSP_ERR_OWN_END
} kssp_err;

/* Longest reason kept, including the terminating NUL; longer ones are cut. */
#define KSSP_REASON_MAX 256

/*
 * Records code and a printf-style one-line reason as this thread's last
 * failure and returns code, so that a failing path reads
 *     return kssp_fail(KSSP_ERR_TRUNCATED, "AP-REQ: ticket cut short");
 * code must not be KSSP_OK.
 */
kssp_err kssp_fail(kssp_err code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kssp_last_offset() when the last failure names no place in an input. */
#define KSSP_NO_OFFSET ((size_t)-1)

/* The same at a place in an input: the reason ends " at offset N", kssp_last_offset() is N. */
kssp_err kssp_fail_at(kssp_err code, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
kssp_err kssp_vfail_at(kssp_err code, size_t offset, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * Static analysers (make lint, which defines KSSP_STATIC_ANALYSIS) look at one
 * file at a time and cannot see that kssp_fail returns its code; they would
 * follow "failed yet returned KSSP_OK" paths that cannot happen.  This spells
 * the contract out for them.  Under analysis only: it names code twice, and
 * every caller passes a code without side effects.
 */
#ifdef KSSP_STATIC_ANALYSIS
static inline kssp_err kssp_fail_returns(kssp_err code, kssp_err recorded)
{
	(void)recorded;
	return code;
}
#define kssp_fail(code, ...) kssp_fail_returns((code), kssp_fail((code), __VA_ARGS__))
#define kssp_fail_at(code, ...) kssp_fail_returns((code), kssp_fail_at((code), __VA_ARGS__))
#endif

/* Gives this thread's last failure the code code, keeping its reason and offset; returns code. */
kssp_err kssp_fail_recode(kssp_err code);

/* This thread's last recorded failure code and reason ("" when none). */
kssp_err kssp_last_error(void);
const char *kssp_last_reason(void);

/* The offset the last failure names, or KSSP_NO_OFFSET. */
size_t kssp_last_offset(void);

/* This thread's failure record, set aside while other attempts run and put back after. */
struct kssp_failure {
	kssp_err code;
	size_t offset;
	char reason[KSSP_REASON_MAX];
};
void kssp_failure_save(struct kssp_failure *f);
void kssp_failure_restore(const struct kssp_failure *f);

/* Forgets this thread's last failure. */
void kssp_clear_failure(void);

/*
 * The symbolic name of a code ("KDC_ERR_PREAUTH_FAILED", "KSSP_ERR_NOMEM");
 * never NULL: unknown values give "KSSP_ERR_UNKNOWN".
 */
const char *kssp_err_name(kssp_err code);

/* A short English description of a code, for messages; never NULL. */
const char *kssp_err_text(kssp_err code);

#endif
