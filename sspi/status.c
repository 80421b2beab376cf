/*
 * sspi/status.c - kssp_err to SECURITY_STATUS, status names, and the
 * per-thread record of the last SSPI call.
 *
 * Microsoft documents no table from Kerberos error codes to SSPI statuses
 * ([MS-KILE] 2.2.1 only says a KDC may carry an NTSTATUS in e-data).  The
 * rows below follow, in order of authority: the associations Microsoft
 * documents (KRB_AP_ERR_SKEW -> SEC_E_TIME_SKEW, KB 278467), Windows'
 * observed behaviour (bad password -> SEC_E_LOGON_DENIED, unknown SPN ->
 * SEC_E_TARGET_UNKNOWN, KRB_AP_ERR_MODIFIED at the client ->
 * SEC_E_WRONG_PRINCIPAL, no KDC -> SEC_E_NO_AUTHENTICATING_AUTHORITY), and
 * otherwise the Kerberos-specific status whose winerror.h meaning names
 * the condition (SEC_E_KDC_UNKNOWN_ETYPE "the encryption type requested is
 * not supported by the KDC", SEC_E_NO_KERB_KEY, SEC_E_MUTUAL_AUTH_FAILED,
 * SEC_E_KDC_INVALID_REQUEST, SEC_E_UNSUPPORTED_PREAUTH, ...).
 */
#include "sspi/status_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kssp/kssp.h"

/* One status for every phase, or one per phase (logon, initiate, accept, message). */
#define ALL(code, st) { code, { st, st, st, st } }
#define BY(code, logon, init, acc, msg) { code, { logon, init, acc, msg } }

struct status_row {
	kssp_err code;
	SECURITY_STATUS status[KSSP_PHASE_COUNT];
};

static const struct status_row status_table[] = {
	ALL(KSSP_OK, SEC_E_OK),

	/* The client principal: a logon the KDC refuses is "logon denied". */
	ALL(KDC_ERR_NAME_EXP, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_C_OLD_MAST_KVNO, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_C_PRINCIPAL_UNKNOWN, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_NULL_KEY, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_POLICY, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_CLIENT_REVOKED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_CLIENT_NOTYET, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_KEY_EXPIRED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_PREAUTH_FAILED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_PREAUTH_REQUIRED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_PREAUTH_EXPIRED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, SEC_E_LOGON_DENIED),
	ALL(KDC_ERR_PADATA_TYPE_NOSUPP, SEC_E_UNSUPPORTED_PREAUTH),
	ALL(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, SEC_E_UNSUPPORTED_PREAUTH),

	/* The service principal. */
	ALL(KDC_ERR_SERVICE_EXP, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_S_OLD_MAST_KVNO, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_S_PRINCIPAL_UNKNOWN, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_PRINCIPAL_NOT_UNIQUE, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_SERVICE_REVOKED, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_SERVICE_NOTYET, SEC_E_TARGET_UNKNOWN),
	ALL(KDC_ERR_SERVER_NOMATCH, SEC_E_WRONG_PRINCIPAL),
	/* No fall back to user-to-user after a plain request: the caller asks ISC_REQ_USE_SESSION_KEY. */
	ALL(KDC_ERR_MUST_USE_USER2USER, SEC_E_UNSUPPORTED_FUNCTION),
	ALL(KRB_AP_ERR_USER_TO_USER_REQUIRED, SEC_E_UNSUPPORTED_FUNCTION),
	ALL(KRB_AP_ERR_NO_TGT, SEC_E_NO_TGT_REPLY),

	/* What the KDC could not do for the request. */
	ALL(KDC_ERR_BAD_PVNO, SEC_E_KDC_INVALID_REQUEST),
	ALL(KDC_ERR_CANNOT_POSTDATE, SEC_E_KDC_INVALID_REQUEST),
	ALL(KDC_ERR_NEVER_VALID, SEC_E_KDC_INVALID_REQUEST),
	ALL(KDC_ERR_BADOPTION, SEC_E_KDC_INVALID_REQUEST),
	ALL(KDC_ERR_ETYPE_NOSUPP, SEC_E_KDC_UNKNOWN_ETYPE),
	ALL(KDC_ERR_SUMTYPE_NOSUPP, SEC_E_CRYPTO_SYSTEM_INVALID),
	ALL(KDC_ERR_TRTYPE_NOSUPP, SEC_E_KDC_UNABLE_TO_REFER),
	ALL(KDC_ERR_PATH_NOT_ACCEPTED, SEC_E_KDC_UNABLE_TO_REFER),
	ALL(KRB_AP_PATH_NOT_ACCEPTED, SEC_E_KDC_UNABLE_TO_REFER),
	ALL(KDC_ERR_WRONG_REALM, SEC_E_KDC_UNABLE_TO_REFER),
	ALL(KDC_ERR_TGT_REVOKED, SEC_E_NO_CREDENTIALS),
	ALL(KDC_ERR_SVC_UNAVAILABLE, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	ALL(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, SEC_E_UNSUPPORTED_FUNCTION),
	ALL(KRB_ERR_RESPONSE_TOO_BIG, SEC_E_INTERNAL_ERROR),
	ALL(KRB_ERR_GENERIC, SEC_E_INTERNAL_ERROR),

	/*
	 * Integrity: a reply that does not decrypt is a wrong password at
	 * logon; a server that cannot decrypt our ticket (it answers
	 * KRB_AP_ERR_MODIFIED) has another key than the KDC's, so the target
	 * name named the wrong principal (Windows' observed status); an
	 * acceptor that cannot decrypt the client's ticket denies the logon;
	 * a message whose checksum fails was altered.  So does an acceptor
	 * whose ticket's PAC does not verify (KRB_AP_ERR_MODIFIED) or names
	 * another client (KRB_AP_ERR_BADMATCH below): MS-APDS 3.2.5.4 has the
	 * DC answer STATUS_LOGON_FAILURE, SEC_E_LOGON_DENIED, and the server
	 * fail the logon.  A PAC signed with an unkeyed checksum type is an
	 * inappropriate checksum in a token, as everywhere else.
	 */
	BY(KRB_AP_ERR_BAD_INTEGRITY, SEC_E_LOGON_DENIED, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_LOGON_DENIED, SEC_E_MESSAGE_ALTERED),
	BY(KRB_AP_ERR_MODIFIED, SEC_E_LOGON_DENIED, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_LOGON_DENIED, SEC_E_MESSAGE_ALTERED),
	BY(KRB_AP_ERR_INAPP_CKSUM, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED),
	BY(KRB_AP_ERR_BADDIRECTION, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED),

	/* Time. */
	ALL(KRB_AP_ERR_SKEW, SEC_E_TIME_SKEW),
	ALL(KRB_AP_ERR_TKT_NYV, SEC_E_TIME_SKEW),
	ALL(KRB_AP_ERR_TKT_EXPIRED, SEC_E_CONTEXT_EXPIRED),

	/* Replays and ordering: a token, or (per message) a sequence error. */
	BY(KRB_AP_ERR_REPEAT, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE),
	BY(KRB_AP_ERR_BADORDER, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE),
	BY(KRB_AP_ERR_BADSEQ, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE),

	/* The AP exchange. */
	ALL(KRB_AP_ERR_NOT_US, SEC_E_WRONG_PRINCIPAL),
	ALL(KRB_AP_ERR_BADMATCH, SEC_E_LOGON_DENIED),
	ALL(KRB_AP_ERR_BADADDR, SEC_E_LOGON_DENIED),
	ALL(KRB_AP_ERR_BADVERSION, SEC_E_INVALID_TOKEN),
	ALL(KRB_AP_ERR_MSG_TYPE, SEC_E_INVALID_TOKEN),
	ALL(KRB_ERR_FIELD_TOOLONG, SEC_E_INVALID_TOKEN),
	BY(KRB_AP_ERR_BADKEYVER, SEC_E_NO_KERB_KEY, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_NO_KERB_KEY, SEC_E_NO_KERB_KEY),
	BY(KRB_AP_ERR_NOKEY, SEC_E_NO_KERB_KEY, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_NO_KERB_KEY, SEC_E_NO_KERB_KEY),
	ALL(KRB_AP_ERR_MUT_FAIL, SEC_E_MUTUAL_AUTH_FAILED),
	ALL(KRB_AP_ERR_METHOD, SEC_E_UNSUPPORTED_FUNCTION),

	/* PKINIT (RFC 4556): kssp sends none, but a KDC may still answer so. */
	ALL(KDC_ERR_CLIENT_NOT_TRUSTED, SEC_E_ISSUING_CA_UNTRUSTED),
	ALL(KDC_ERR_KDC_NOT_TRUSTED, SEC_E_ISSUING_CA_UNTRUSTED_KDC),
	ALL(KDC_ERR_INVALID_SIG, SEC_E_PKINIT_CLIENT_FAILURE),
	ALL(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, SEC_E_PKINIT_CLIENT_FAILURE),
	ALL(KDC_ERR_CERTIFICATE_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),
	ALL(KDC_ERR_CANT_VERIFY_CERTIFICATE, SEC_E_PKINIT_CLIENT_FAILURE),
	ALL(KDC_ERR_INVALID_CERTIFICATE, SEC_E_PKINIT_CLIENT_FAILURE),
	ALL(KDC_ERR_REVOKED_CERTIFICATE, SEC_E_SMARTCARD_CERT_REVOKED),
	ALL(KDC_ERR_REVOCATION_STATUS_UNKNOWN, SEC_E_REVOCATION_OFFLINE_C),
	ALL(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, SEC_E_REVOCATION_OFFLINE_C),
	ALL(KDC_ERR_CLIENT_NAME_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),
	ALL(KDC_ERR_KDC_NAME_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),

	/* kssp's own conditions. */
	ALL(KSSP_ERR_NOMEM, SEC_E_INSUFFICIENT_MEMORY),
	ALL(KSSP_ERR_INVALID_ARG, SEC_E_INVALID_PARAMETER),
	/* Malformed input: a context token, or (per message) a wrap/MIC token. */
	ALL(KSSP_ERR_TRUNCATED, SEC_E_INVALID_TOKEN),
	ALL(KSSP_ERR_BAD_ENCODING, SEC_E_INVALID_TOKEN),
	ALL(KSSP_ERR_LIMIT, SEC_E_INVALID_TOKEN),
	ALL(KSSP_ERR_UNSUPPORTED, SEC_E_UNSUPPORTED_FUNCTION),
	ALL(KSSP_ERR_BUFFER_TOO_SMALL, SEC_E_BUFFER_TOO_SMALL),
	/* A missing cache, keytab, key or ticket: no usable credentials. */
	ALL(KSSP_ERR_NOT_FOUND, SEC_E_NO_CREDENTIALS),
	BY(KSSP_ERR_IO, SEC_E_NO_CREDENTIALS, SEC_E_NO_CREDENTIALS,
	    SEC_E_NO_CREDENTIALS, SEC_E_INTERNAL_ERROR),
	ALL(KSSP_ERR_NO_KDC, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	ALL(KSSP_ERR_TIMEOUT, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	ALL(KSSP_ERR_NO_CREDENTIALS, SEC_E_NO_CREDENTIALS),
	ALL(KSSP_ERR_INTERNAL, SEC_E_INTERNAL_ERROR),
	ALL(KSSP_ERR_BAD_BINDINGS, SEC_E_BAD_BINDINGS),
};

SECURITY_STATUS kssp_sspi_status(kssp_err code, enum kssp_sspi_phase phase)
{
	size_t i;

	if ((unsigned)phase >= KSSP_PHASE_COUNT)
		phase = KSSP_PHASE_INITIATE;
	for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		if (status_table[i].code == code)
			return status_table[i].status[phase];
	/* A code no row names is a condition kssp did not foresee. */
	return SEC_E_INTERNAL_ERROR;
}

/*
 * RFC 3244 result codes.  Microsoft documents no SECURITY_STATUS for them;
 * these follow what Windows' Kerberos client turns the codes into (an
 * authentication failure is a logon failure, SEC_E_LOGON_DENIED, as for a
 * wrong password) and otherwise the status whose winerror.h text names
 * the condition: a malformed request SEC_E_INVALID_TOKEN, a password the
 * policy refuses (soft error) SEC_E_INVALID_PARAMETER, a change the
 * account may not make SEC_E_NOT_OWNER, an unknown protocol version
 * SEC_E_UNSUPPORTED_FUNCTION, a ticket that is not initial
 * SEC_E_NO_CREDENTIALS, a hard error or an unknown code
 * SEC_E_INTERNAL_ERROR.
 */
SECURITY_STATUS kssp_sspi_kpasswd_status(int32_t code)
{
	static const SECURITY_STATUS by_code[] = {
		SEC_E_OK, SEC_E_INVALID_TOKEN, SEC_E_INTERNAL_ERROR, SEC_E_LOGON_DENIED,
		SEC_E_INVALID_PARAMETER, SEC_E_NOT_OWNER, SEC_E_UNSUPPORTED_FUNCTION,
		SEC_E_NO_CREDENTIALS,
	};

	return code >= 0 && code < (int32_t)(sizeof(by_code) / sizeof(by_code[0])) ?
	    by_code[code] : SEC_E_INTERNAL_ERROR;
}

/*
 * AD's NTSTATUS (MS-KILE §2.2.1 KERB-EXT-ERROR, carried up in the KDC's
 * error record) where it says more than the Kerberos code.  winerror.h
 * has no SECURITY_STATUS for an expired, must-change, locked-out,
 * disabled or restricted account: the SSPI status Microsoft documents for
 * a refused logon is SEC_E_LOGON_DENIED ("The logon failed",
 * InitializeSecurityContext (Kerberos)), so these keep it in every phase
 * (a TGS request of a locked-out account too), and the NTSTATUS name goes
 * into the reason.  Two have a status of their own in winerror.h, named
 * for the condition: clock skew at the DC (SEC_E_TIME_SKEW, KB 278467) and
 * a required smart card (SEC_E_SMARTCARD_LOGON_REQUIRED "Smart card logon
 * is required and was not used").  An authentication policy or silo that
 * refuses the logon (one requiring FAST armor, when the client sent none)
 * is STATUS_AUTHENTICATION_FIREWALL_FAILED with KDC_ERR_POLICY: a refused
 * logon too, SEC_E_LOGON_DENIED, the reason saying armor may be required
 * (kdc/as.c).  Values: MS-ERREF §2.3.1.
 */
static const struct {
	uint32_t ntstatus;
	SECURITY_STATUS status;
} ntstatus_table[] = {
	{ 0xC0000064, SEC_E_LOGON_DENIED },  /* STATUS_NO_SUCH_USER */
	{ 0xC000006A, SEC_E_LOGON_DENIED },  /* STATUS_WRONG_PASSWORD */
	{ 0xC000006D, SEC_E_LOGON_DENIED },  /* STATUS_LOGON_FAILURE */
	{ 0xC000006E, SEC_E_LOGON_DENIED },  /* STATUS_ACCOUNT_RESTRICTION */
	{ 0xC000006F, SEC_E_LOGON_DENIED },  /* STATUS_INVALID_LOGON_HOURS */
	{ 0xC0000070, SEC_E_LOGON_DENIED },  /* STATUS_INVALID_WORKSTATION */
	{ 0xC0000071, SEC_E_LOGON_DENIED },  /* STATUS_PASSWORD_EXPIRED */
	{ 0xC0000072, SEC_E_LOGON_DENIED },  /* STATUS_ACCOUNT_DISABLED */
	{ 0xC0000133, SEC_E_TIME_SKEW },     /* STATUS_TIME_DIFFERENCE_AT_DC */
	{ 0xC0000193, SEC_E_LOGON_DENIED },  /* STATUS_ACCOUNT_EXPIRED */
	{ 0xC0000224, SEC_E_LOGON_DENIED },  /* STATUS_PASSWORD_MUST_CHANGE */
	{ 0xC0000234, SEC_E_LOGON_DENIED },  /* STATUS_ACCOUNT_LOCKED_OUT */
	{ 0xC00002FA, SEC_E_SMARTCARD_LOGON_REQUIRED }, /* STATUS_SMARTCARD_LOGON_REQUIRED */
	{ 0xC0000413, SEC_E_LOGON_DENIED },  /* STATUS_AUTHENTICATION_FIREWALL_FAILED */
};

SECURITY_STATUS kssp_sspi_status_kdc(kssp_err code, uint32_t ntstatus,
    enum kssp_sspi_phase phase)
{
	size_t i;

	for (i = 0; code != KSSP_OK && i < sizeof(ntstatus_table) / sizeof(ntstatus_table[0]); i++)
		if (ntstatus_table[i].ntstatus == ntstatus)
			return ntstatus_table[i].status;
	return kssp_sspi_status(code, phase);
}

struct status_name {
	SECURITY_STATUS status;
	const char *name;
};

#define N(s) { s, #s }
static const struct status_name status_names[] = {
	N(SEC_E_OK),
	N(SEC_E_INSUFFICIENT_MEMORY),
	N(SEC_E_INVALID_HANDLE),
	N(SEC_E_UNSUPPORTED_FUNCTION),
	N(SEC_E_TARGET_UNKNOWN),
	N(SEC_E_INTERNAL_ERROR),
	N(SEC_E_SECPKG_NOT_FOUND),
	N(SEC_E_NOT_OWNER),
	N(SEC_E_CANNOT_INSTALL),
	N(SEC_E_INVALID_TOKEN),
	N(SEC_E_CANNOT_PACK),
	N(SEC_E_QOP_NOT_SUPPORTED),
	N(SEC_E_NO_IMPERSONATION),
	N(SEC_E_LOGON_DENIED),
	N(SEC_E_UNKNOWN_CREDENTIALS),
	N(SEC_E_NO_CREDENTIALS),
	N(SEC_E_MESSAGE_ALTERED),
	N(SEC_E_OUT_OF_SEQUENCE),
	N(SEC_E_NO_AUTHENTICATING_AUTHORITY),
	N(SEC_I_CONTINUE_NEEDED),
	N(SEC_I_COMPLETE_NEEDED),
	N(SEC_I_COMPLETE_AND_CONTINUE),
	N(SEC_I_LOCAL_LOGON),
	N(SEC_E_BAD_PKGID),
	N(SEC_I_GENERIC_EXTENSION_RECEIVED),
	N(SEC_E_CONTEXT_EXPIRED),
	N(SEC_I_CONTEXT_EXPIRED),
	N(SEC_E_INCOMPLETE_MESSAGE),
	N(SEC_E_INCOMPLETE_CREDENTIALS),
	N(SEC_I_INCOMPLETE_CREDENTIALS),
	N(SEC_E_BUFFER_TOO_SMALL),
	N(SEC_I_RENEGOTIATE),
	N(SEC_E_WRONG_PRINCIPAL),
	N(SEC_I_NO_LSA_CONTEXT),
	N(SEC_E_TIME_SKEW),
	N(SEC_E_UNTRUSTED_ROOT),
	N(SEC_E_ILLEGAL_MESSAGE),
	N(SEC_E_CERT_UNKNOWN),
	N(SEC_E_CERT_EXPIRED),
	N(SEC_E_ENCRYPT_FAILURE),
	N(SEC_E_DECRYPT_FAILURE),
	N(SEC_E_ALGORITHM_MISMATCH),
	N(SEC_E_SECURITY_QOS_FAILED),
	N(SEC_E_UNFINISHED_CONTEXT_DELETED),
	N(SEC_E_NO_TGT_REPLY),
	N(SEC_E_NO_IP_ADDRESSES),
	N(SEC_E_WRONG_CREDENTIAL_HANDLE),
	N(SEC_E_CRYPTO_SYSTEM_INVALID),
	N(SEC_E_MAX_REFERRALS_EXCEEDED),
	N(SEC_E_MUST_BE_KDC),
	N(SEC_E_STRONG_CRYPTO_NOT_SUPPORTED),
	N(SEC_E_TOO_MANY_PRINCIPALS),
	N(SEC_E_NO_PA_DATA),
	N(SEC_E_PKINIT_NAME_MISMATCH),
	N(SEC_E_SMARTCARD_LOGON_REQUIRED),
	N(SEC_E_SHUTDOWN_IN_PROGRESS),
	N(SEC_E_KDC_INVALID_REQUEST),
	N(SEC_E_KDC_UNABLE_TO_REFER),
	N(SEC_E_KDC_UNKNOWN_ETYPE),
	N(SEC_E_UNSUPPORTED_PREAUTH),
	N(SEC_E_DELEGATION_REQUIRED),
	N(SEC_E_BAD_BINDINGS),
	N(SEC_E_MULTIPLE_ACCOUNTS),
	N(SEC_E_NO_KERB_KEY),
	N(SEC_E_CERT_WRONG_USAGE),
	N(SEC_E_DOWNGRADE_DETECTED),
	N(SEC_E_SMARTCARD_CERT_REVOKED),
	N(SEC_E_ISSUING_CA_UNTRUSTED),
	N(SEC_E_REVOCATION_OFFLINE_C),
	N(SEC_E_PKINIT_CLIENT_FAILURE),
	N(SEC_E_SMARTCARD_CERT_EXPIRED),
	N(SEC_E_NO_S4U_PROT_SUPPORT),
	N(SEC_E_CROSSREALM_DELEGATION_FAILURE),
	N(SEC_E_REVOCATION_OFFLINE_KDC),
	N(SEC_E_ISSUING_CA_UNTRUSTED_KDC),
	N(SEC_E_KDC_CERT_EXPIRED),
	N(SEC_E_KDC_CERT_REVOKED),
	N(SEC_I_SIGNATURE_NEEDED),
	N(SEC_E_INVALID_PARAMETER),
	N(SEC_E_DELEGATION_POLICY),
	N(SEC_E_POLICY_NLTM_ONLY),
	N(SEC_I_NO_RENEGOTIATION),
	N(SEC_E_NO_CONTEXT),
	N(SEC_E_PKU2U_CERT_FAILURE),
	N(SEC_E_MUTUAL_AUTH_FAILED),
	N(SEC_I_MESSAGE_FRAGMENT),
	N(SEC_E_ONLY_HTTPS_ALLOWED),
	N(SEC_I_CONTINUE_NEEDED_MESSAGE_OK),
	N(SEC_E_APPLICATION_PROTOCOL_MISMATCH),
	N(SEC_I_ASYNC_CALL_PENDING),
	N(SEC_E_INVALID_UPN_NAME),
	N(SEC_E_EXT_BUFFER_TOO_SMALL),
	N(SEC_E_INSUFFICIENT_BUFFERS),
};

const char *kssp_status_name(SECURITY_STATUS status)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].status == status)
			return status_names[i].name;
	return "SEC_E_UNKNOWN";
}

/* This thread's last SSPI result; per thread, like GetLastError(). */
struct sspi_record {
	SECURITY_STATUS status;
	kssp_err code; /* the layers' error behind a failure, KSSP_OK if none */
	char reason[KSSP_REASON_MAX];
};

static _Thread_local struct sspi_record last_record;

/* The analysers' macros (status.h) must not expand in the definitions. */
#ifdef KSSP_STATIC_ANALYSIS
#undef kssp_sspi_result
#undef kssp_sspi_fail
#endif

SECURITY_STATUS kssp_sspi_result(SECURITY_STATUS status)
{
	const char *why;

	last_record.status = status;
	last_record.code = KSSP_OK;
	if (status >= 0) {
		last_record.reason[0] = '\0';
		return status;
	}
	last_record.code = kssp_last_error();
	why = last_record.code != KSSP_OK ? kssp_last_reason() : "";
	if (why[0] == '\0')
		why = kssp_status_name(status);
	snprintf(last_record.reason, sizeof(last_record.reason), "%s", why);
	return status;
}

SECURITY_STATUS kssp_sspi_result_of(kssp_err e, SECURITY_STATUS failed)
{
	if (e == KSSP_OK)
		return SEC_E_OK;
	return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY : failed);
}

SECURITY_STATUS kssp_sspi_fail(SECURITY_STATUS status, const char *fmt, ...)
{
	va_list ap;

	last_record.status = status;
	last_record.code = KSSP_OK;
	va_start(ap, fmt);
	vsnprintf(last_record.reason, sizeof(last_record.reason), fmt, ap);
	va_end(ap);
	return status;
}

SECURITY_STATUS kssp_sspi_last_status(void)
{
	return last_record.status;
}

const char *kssp_status_reason(void)
{
	return last_record.reason;
}

const char *kssp_status_error(int32_t *Code)
{
	if (Code != NULL)
		*Code = (int32_t)last_record.code;
	return last_record.code != KSSP_OK ? kssp_err_name(last_record.code) : "";
}
