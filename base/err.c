/* base/err.c - error names and the per-thread failure record. */
#include "base/err_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local struct kssp_failure last_failure = { KSSP_OK, KSSP_NO_OFFSET, "" };

/*
 * Formats first, then copies: a caller may pass kssp_last_reason() as an
 * argument to wrap the reason of a lower layer ("AS-REP: %s").
 */
static kssp_err record(kssp_err code, size_t offset, const char *fmt, va_list ap)
{
	char reason[KSSP_REASON_MAX];
	int n;

	n = vsnprintf(reason, sizeof(reason), fmt, ap);
	if (offset != KSSP_NO_OFFSET && n >= 0 && (size_t)n < sizeof(reason))
		snprintf(reason + n, sizeof(reason) - (size_t)n, " at offset %zu", offset);
	last_failure.code = code;
	last_failure.offset = offset;
	memcpy(last_failure.reason, reason, sizeof(reason));
	return code;
}

/* In parentheses: the analysers' macros (err.h) must not expand here. */
kssp_err (kssp_fail)(kssp_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(code, KSSP_NO_OFFSET, fmt, ap);
	va_end(ap);
	return code;
}

kssp_err (kssp_fail_at)(kssp_err code, size_t offset, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(code, offset, fmt, ap);
	va_end(ap);
	return code;
}

kssp_err kssp_vfail_at(kssp_err code, size_t offset, const char *fmt, va_list ap)
{
	return record(code, offset, fmt, ap);
}

kssp_err kssp_fail_recode(kssp_err code)
{
	return last_failure.code = code;
}

kssp_err kssp_last_error(void)
{
	return last_failure.code;
}

const char *kssp_last_reason(void)
{
	return last_failure.reason;
}

size_t kssp_last_offset(void)
{
	return last_failure.offset;
}

void kssp_failure_save(struct kssp_failure *f)
{
	*f = last_failure;
}

void kssp_failure_restore(const struct kssp_failure *f)
{
	last_failure = *f;
}

void kssp_clear_failure(void)
{
	last_failure.code = KSSP_OK;
	last_failure.offset = KSSP_NO_OFFSET;
	last_failure.reason[0] = '\0';
}

struct err_entry {
	kssp_err code;
	const char *name;
	const char *text;
};

#define E(c, t) { c, #c, t }
static const struct err_entry err_table[] = {
	E(KSSP_OK, "success"),
	E(KDC_ERR_NAME_EXP, "client's entry in database has expired"),
	E(KDC_ERR_SERVICE_EXP, "server's entry in database has expired"),
	E(KDC_ERR_BAD_PVNO, "requested protocol version not supported"),
	E(KDC_ERR_C_OLD_MAST_KVNO, "client's key encrypted in old master key"),
	E(KDC_ERR_S_OLD_MAST_KVNO, "server's key encrypted in old master key"),
	E(KDC_ERR_C_PRINCIPAL_UNKNOWN, "client not found in Kerberos database"),
	E(KDC_ERR_S_PRINCIPAL_UNKNOWN, "server not found in Kerberos database"),
	E(KDC_ERR_PRINCIPAL_NOT_UNIQUE, "multiple principal entries in database"),
	E(KDC_ERR_NULL_KEY, "the client or server has a null key"),
	E(KDC_ERR_CANNOT_POSTDATE, "ticket not eligible for postdating"),
	E(KDC_ERR_NEVER_VALID, "requested start time is later than end time"),
	E(KDC_ERR_POLICY, "KDC policy rejects request"),
	E(KDC_ERR_BADOPTION, "KDC cannot accommodate requested option"),
	E(KDC_ERR_ETYPE_NOSUPP, "KDC has no support for encryption type"),
	E(KDC_ERR_SUMTYPE_NOSUPP, "KDC has no support for checksum type"),
	E(KDC_ERR_PADATA_TYPE_NOSUPP, "KDC has no support for padata type"),
	E(KDC_ERR_TRTYPE_NOSUPP, "KDC has no support for transited type"),
	E(KDC_ERR_CLIENT_REVOKED, "client's credentials have been revoked"),
	E(KDC_ERR_SERVICE_REVOKED, "credentials for server have been revoked"),
	E(KDC_ERR_TGT_REVOKED, "TGT has been revoked"),
	E(KDC_ERR_CLIENT_NOTYET, "client not yet valid"),
	E(KDC_ERR_SERVICE_NOTYET, "server not yet valid"),
	E(KDC_ERR_KEY_EXPIRED, "password has expired"),
	E(KDC_ERR_PREAUTH_FAILED, "pre-authentication information was invalid"),
	E(KDC_ERR_PREAUTH_REQUIRED, "additional pre-authentication required"),
	E(KDC_ERR_SERVER_NOMATCH, "requested server and ticket don't match"),
	E(KDC_ERR_MUST_USE_USER2USER, "server principal valid for user2user only"),
	E(KDC_ERR_PATH_NOT_ACCEPTED, "KDC policy rejects transited path"),
	E(KDC_ERR_SVC_UNAVAILABLE, "a service is not available"),
	E(KRB_AP_ERR_BAD_INTEGRITY, "integrity check on decrypted field failed"),
	E(KRB_AP_ERR_TKT_EXPIRED, "ticket expired"),
	E(KRB_AP_ERR_TKT_NYV, "ticket not yet valid"),
	E(KRB_AP_ERR_REPEAT, "request is a replay"),
	E(KRB_AP_ERR_NOT_US, "the ticket isn't for us"),
	E(KRB_AP_ERR_BADMATCH, "ticket and authenticator don't match"),
	E(KRB_AP_ERR_SKEW, "clock skew too great"),
	E(KRB_AP_ERR_BADADDR, "incorrect net address"),
	E(KRB_AP_ERR_BADVERSION, "protocol version mismatch"),
	E(KRB_AP_ERR_MSG_TYPE, "invalid msg type"),
	E(KRB_AP_ERR_MODIFIED, "message stream modified"),
	E(KRB_AP_ERR_BADORDER, "message out of order"),
	E(KRB_AP_ERR_BADKEYVER, "specified version of key is not available"),
	E(KRB_AP_ERR_NOKEY, "service key not available"),
	E(KRB_AP_ERR_MUT_FAIL, "mutual authentication failed"),
	E(KRB_AP_ERR_BADDIRECTION, "incorrect message direction"),
	E(KRB_AP_ERR_METHOD, "alternative authentication method required"),
	E(KRB_AP_ERR_BADSEQ, "incorrect sequence number in message"),
	E(KRB_AP_ERR_INAPP_CKSUM, "inappropriate type of checksum in message"),
	E(KRB_AP_PATH_NOT_ACCEPTED, "policy rejects transited path"),
	E(KRB_ERR_RESPONSE_TOO_BIG, "response too big for UDP, retry with TCP"),
	E(KRB_ERR_GENERIC, "generic error"),
	E(KRB_ERR_FIELD_TOOLONG, "field is too long for this implementation"),
	E(KDC_ERR_CLIENT_NOT_TRUSTED, "client not trusted"),
	E(KDC_ERR_KDC_NOT_TRUSTED, "KDC not trusted"),
	E(KDC_ERR_INVALID_SIG, "invalid signature"),
	E(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, "key parameters not accepted"),
	E(KDC_ERR_CERTIFICATE_MISMATCH, "certificate mismatch"),
	E(KRB_AP_ERR_NO_TGT, "no ticket granting ticket"),
	E(KDC_ERR_WRONG_REALM, "realm not local to KDC"),
	E(KRB_AP_ERR_USER_TO_USER_REQUIRED, "user to user authentication required"),
	E(KDC_ERR_CANT_VERIFY_CERTIFICATE, "can't verify certificate"),
	E(KDC_ERR_INVALID_CERTIFICATE, "invalid certificate"),
	E(KDC_ERR_REVOKED_CERTIFICATE, "revoked certificate"),
	E(KDC_ERR_REVOCATION_STATUS_UNKNOWN, "revocation status unknown"),
	E(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, "revocation status unavailable"),
	E(KDC_ERR_CLIENT_NAME_MISMATCH, "client name mismatch"),
	E(KDC_ERR_KDC_NAME_MISMATCH, "KDC name mismatch"),
	E(KDC_ERR_PREAUTH_EXPIRED, "pre-authentication data expired"),
	E(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, "more pre-authentication data required"),
	E(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, "bad pre-authentication set"),
	E(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, "unknown critical FAST options"),
	E(KSSP_ERR_NOMEM, "out of memory"),
	E(KSSP_ERR_INVALID_ARG, "invalid argument"),
	E(KSSP_ERR_TRUNCATED, "input truncated"),
	E(KSSP_ERR_BAD_ENCODING, "malformed input"),
	E(KSSP_ERR_LIMIT, "size, depth or count limit exceeded"),
	E(KSSP_ERR_UNSUPPORTED, "not supported"),
	E(KSSP_ERR_BUFFER_TOO_SMALL, "output buffer too small"),
	E(KSSP_ERR_NOT_FOUND, "not found"),
	E(KSSP_ERR_IO, "I/O error"),
	E(KSSP_ERR_NO_KDC, "cannot contact any KDC"),
	E(KSSP_ERR_TIMEOUT, "timed out"),
	E(KSSP_ERR_NO_CREDENTIALS, "no usable credentials"),
	E(KSSP_ERR_INTERNAL, "internal error"),
	E(KSSP_ERR_BAD_BINDINGS, "channel bindings differ"),
};
#undef E

static const struct err_entry *err_lookup(kssp_err code)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return &err_table[i];
	return NULL;
}

const char *kssp_err_name(kssp_err code)
{
	const struct err_entry *e = err_lookup(code);

	return e ? e->name : "KSSP_ERR_UNKNOWN";
}

const char *kssp_err_text(kssp_err code)
{
	const struct err_entry *e = err_lookup(code);

	return e ? e->text : "unknown error";
}
