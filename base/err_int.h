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

typedef enum kssp_err {
	KSSP_OK = 0,

	/* RFC 4120 §7.5.9 */
	KDC_ERR_NAME_EXP = 1,
	KDC_ERR_SERVICE_EXP = 2,
	KDC_ERR_BAD_PVNO = 3,
	KDC_ERR_C_OLD_MAST_KVNO = 4,
	KDC_ERR_S_OLD_MAST_KVNO = 5,
	KDC_ERR_C_PRINCIPAL_UNKNOWN = 6,
	KDC_ERR_S_PRINCIPAL_UNKNOWN = 7,
	KDC_ERR_PRINCIPAL_NOT_UNIQUE = 8,
	KDC_ERR_NULL_KEY = 9,
	KDC_ERR_CANNOT_POSTDATE = 10,
	KDC_ERR_NEVER_VALID = 11,
	KDC_ERR_POLICY = 12,
	KDC_ERR_BADOPTION = 13,
	KDC_ERR_ETYPE_NOSUPP = 14,
	KDC_ERR_SUMTYPE_NOSUPP = 15,
	KDC_ERR_PADATA_TYPE_NOSUPP = 16,
	KDC_ERR_TRTYPE_NOSUPP = 17,
	KDC_ERR_CLIENT_REVOKED = 18,
	KDC_ERR_SERVICE_REVOKED = 19,
	KDC_ERR_TGT_REVOKED = 20,
	KDC_ERR_CLIENT_NOTYET = 21,
	KDC_ERR_SERVICE_NOTYET = 22,
	KDC_ERR_KEY_EXPIRED = 23,
	KDC_ERR_PREAUTH_FAILED = 24,
	KDC_ERR_PREAUTH_REQUIRED = 25,
	KDC_ERR_SERVER_NOMATCH = 26,
	KDC_ERR_MUST_USE_USER2USER = 27,
	KDC_ERR_PATH_NOT_ACCEPTED = 28,
	KDC_ERR_SVC_UNAVAILABLE = 29,
	KRB_AP_ERR_BAD_INTEGRITY = 31,
	KRB_AP_ERR_TKT_EXPIRED = 32,
	KRB_AP_ERR_TKT_NYV = 33,
	KRB_AP_ERR_REPEAT = 34,
	KRB_AP_ERR_NOT_US = 35,
	KRB_AP_ERR_BADMATCH = 36,
	KRB_AP_ERR_SKEW = 37,
	KRB_AP_ERR_BADADDR = 38,
	KRB_AP_ERR_BADVERSION = 39,
	KRB_AP_ERR_MSG_TYPE = 40,
	KRB_AP_ERR_MODIFIED = 41,
	KRB_AP_ERR_BADORDER = 42,
	KRB_AP_ERR_BADKEYVER = 44,
	KRB_AP_ERR_NOKEY = 45,
	KRB_AP_ERR_MUT_FAIL = 46,
	KRB_AP_ERR_BADDIRECTION = 47,
	KRB_AP_ERR_METHOD = 48,
	KRB_AP_ERR_BADSEQ = 49,
	KRB_AP_ERR_INAPP_CKSUM = 50,
	KRB_AP_PATH_NOT_ACCEPTED = 51,
	KRB_ERR_RESPONSE_TOO_BIG = 52,
	KRB_ERR_GENERIC = 60,
	KRB_ERR_FIELD_TOOLONG = 61,
	/* RFC 4556 (PKINIT) and RFC 6113 (FAST), as MIT numbers them */
	KDC_ERR_CLIENT_NOT_TRUSTED = 62,
	KDC_ERR_KDC_NOT_TRUSTED = 63,
	KDC_ERR_INVALID_SIG = 64,
	KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED = 65,
	KDC_ERR_CERTIFICATE_MISMATCH = 66,
	KRB_AP_ERR_NO_TGT = 67,
	KDC_ERR_WRONG_REALM = 68,
	KRB_AP_ERR_USER_TO_USER_REQUIRED = 69,
	KDC_ERR_CANT_VERIFY_CERTIFICATE = 70,
	KDC_ERR_INVALID_CERTIFICATE = 71,
	KDC_ERR_REVOKED_CERTIFICATE = 72,
	KDC_ERR_REVOCATION_STATUS_UNKNOWN = 73,
	KDC_ERR_REVOCATION_STATUS_UNAVAILABLE = 74,
	KDC_ERR_CLIENT_NAME_MISMATCH = 75,
	KDC_ERR_KDC_NAME_MISMATCH = 76,
	KDC_ERR_PREAUTH_EXPIRED = 90,
	KDC_ERR_MORE_PREAUTH_DATA_REQUIRED = 91,
	KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET = 92,
	KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS = 93,

	/* kssp's own conditions */
	KSSP_ERR_OWN_BASE = 1000,
	KSSP_ERR_NOMEM = KSSP_ERR_OWN_BASE, /* allocation failed */
	KSSP_ERR_INVALID_ARG,         /* caller passed something unusable */
	KSSP_ERR_TRUNCATED,           /* input ends before a field does */
	KSSP_ERR_BAD_ENCODING,        /* input is not the format it claims */
	KSSP_ERR_LIMIT,               /* a size, depth or count bound was hit */
	KSSP_ERR_UNSUPPORTED,         /* a valid feature kssp does not build */
	KSSP_ERR_BUFFER_TOO_SMALL,    /* caller's output buffer is too small */
	KSSP_ERR_NOT_FOUND,           /* no such entry, key, principal, file */
	KSSP_ERR_IO,                  /* a file or socket operation failed */
	KSSP_ERR_NO_KDC,              /* no KDC of the realm could be reached */
	KSSP_ERR_TIMEOUT,             /* the overall time bound ran out */
	KSSP_ERR_NO_CREDENTIALS,      /* no usable ticket or key */
	KSSP_ERR_INTERNAL,            /* an invariant of kssp's own broke */
	KSSP_ERR_BAD_BINDINGS,        /* the peer's channel bindings differ from ours */
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
