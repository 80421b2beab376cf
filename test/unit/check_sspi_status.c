/*
 * test/unit/check_sspi_status.c - the kssp_err -> SECURITY_STATUS table,
 * row by row and phase by phase, and kssp_status_name().
 */
#include <check.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/err_int.h"
#include "kssp/kssp.h"
#include "sspi/status_int.h"

struct expect {
	kssp_err code;
	SECURITY_STATUS logon, initiate, accept, message;
};

/* Same status in every phase. */
#define A(c, s) { c, s, s, s, s }

/*
 * The expected mapping, written from reference/sspi-facts.md
 * §8 (documented: SKEW -> TIME_SKEW; observed on Windows: PREAUTH_FAILED ->
 * LOGON_DENIED, S_PRINCIPAL_UNKNOWN -> TARGET_UNKNOWN, MODIFIED at the
 * initiator -> WRONG_PRINCIPAL, no KDC -> NO_AUTHENTICATING_AUTHORITY).
 */
static const struct expect expected[] = {
	A(KSSP_OK, SEC_E_OK),
	A(KDC_ERR_NAME_EXP, SEC_E_LOGON_DENIED),
	A(KDC_ERR_SERVICE_EXP, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_BAD_PVNO, SEC_E_KDC_INVALID_REQUEST),
	A(KDC_ERR_C_OLD_MAST_KVNO, SEC_E_LOGON_DENIED),
	A(KDC_ERR_S_OLD_MAST_KVNO, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_C_PRINCIPAL_UNKNOWN, SEC_E_LOGON_DENIED),
	A(KDC_ERR_S_PRINCIPAL_UNKNOWN, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_PRINCIPAL_NOT_UNIQUE, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_NULL_KEY, SEC_E_LOGON_DENIED),
	A(KDC_ERR_CANNOT_POSTDATE, SEC_E_KDC_INVALID_REQUEST),
	A(KDC_ERR_NEVER_VALID, SEC_E_KDC_INVALID_REQUEST),
	A(KDC_ERR_POLICY, SEC_E_LOGON_DENIED),
	A(KDC_ERR_BADOPTION, SEC_E_KDC_INVALID_REQUEST),
	A(KDC_ERR_ETYPE_NOSUPP, SEC_E_KDC_UNKNOWN_ETYPE),
	A(KDC_ERR_SUMTYPE_NOSUPP, SEC_E_CRYPTO_SYSTEM_INVALID),
	A(KDC_ERR_PADATA_TYPE_NOSUPP, SEC_E_UNSUPPORTED_PREAUTH),
	A(KDC_ERR_TRTYPE_NOSUPP, SEC_E_KDC_UNABLE_TO_REFER),
	A(KDC_ERR_CLIENT_REVOKED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_SERVICE_REVOKED, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_TGT_REVOKED, SEC_E_NO_CREDENTIALS),
	A(KDC_ERR_CLIENT_NOTYET, SEC_E_LOGON_DENIED),
	A(KDC_ERR_SERVICE_NOTYET, SEC_E_TARGET_UNKNOWN),
	A(KDC_ERR_KEY_EXPIRED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_PREAUTH_FAILED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_PREAUTH_REQUIRED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_SERVER_NOMATCH, SEC_E_WRONG_PRINCIPAL),
	A(KDC_ERR_MUST_USE_USER2USER, SEC_E_UNSUPPORTED_FUNCTION),
	A(KDC_ERR_PATH_NOT_ACCEPTED, SEC_E_KDC_UNABLE_TO_REFER),
	A(KDC_ERR_SVC_UNAVAILABLE, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	{ KRB_AP_ERR_BAD_INTEGRITY, SEC_E_LOGON_DENIED, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_LOGON_DENIED, SEC_E_MESSAGE_ALTERED },
	A(KRB_AP_ERR_TKT_EXPIRED, SEC_E_CONTEXT_EXPIRED),
	A(KRB_AP_ERR_TKT_NYV, SEC_E_TIME_SKEW),
	{ KRB_AP_ERR_REPEAT, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE },
	A(KRB_AP_ERR_NOT_US, SEC_E_WRONG_PRINCIPAL),
	A(KRB_AP_ERR_BADMATCH, SEC_E_LOGON_DENIED),
	A(KRB_AP_ERR_SKEW, SEC_E_TIME_SKEW),
	A(KRB_AP_ERR_BADADDR, SEC_E_LOGON_DENIED),
	A(KRB_AP_ERR_BADVERSION, SEC_E_INVALID_TOKEN),
	A(KRB_AP_ERR_MSG_TYPE, SEC_E_INVALID_TOKEN),
	{ KRB_AP_ERR_MODIFIED, SEC_E_LOGON_DENIED, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_LOGON_DENIED, SEC_E_MESSAGE_ALTERED },
	{ KRB_AP_ERR_BADORDER, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE },
	{ KRB_AP_ERR_BADKEYVER, SEC_E_NO_KERB_KEY, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_NO_KERB_KEY, SEC_E_NO_KERB_KEY },
	{ KRB_AP_ERR_NOKEY, SEC_E_NO_KERB_KEY, SEC_E_WRONG_PRINCIPAL,
	    SEC_E_NO_KERB_KEY, SEC_E_NO_KERB_KEY },
	A(KRB_AP_ERR_MUT_FAIL, SEC_E_MUTUAL_AUTH_FAILED),
	{ KRB_AP_ERR_BADDIRECTION, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED },
	A(KRB_AP_ERR_METHOD, SEC_E_UNSUPPORTED_FUNCTION),
	{ KRB_AP_ERR_BADSEQ, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_OUT_OF_SEQUENCE },
	{ KRB_AP_ERR_INAPP_CKSUM, SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN,
	    SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED },
	A(KRB_AP_PATH_NOT_ACCEPTED, SEC_E_KDC_UNABLE_TO_REFER),
	A(KRB_ERR_RESPONSE_TOO_BIG, SEC_E_INTERNAL_ERROR),
	A(KRB_ERR_GENERIC, SEC_E_INTERNAL_ERROR),
	A(KRB_ERR_FIELD_TOOLONG, SEC_E_INVALID_TOKEN),
	A(KDC_ERR_CLIENT_NOT_TRUSTED, SEC_E_ISSUING_CA_UNTRUSTED),
	A(KDC_ERR_KDC_NOT_TRUSTED, SEC_E_ISSUING_CA_UNTRUSTED_KDC),
	A(KDC_ERR_INVALID_SIG, SEC_E_PKINIT_CLIENT_FAILURE),
	A(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, SEC_E_PKINIT_CLIENT_FAILURE),
	A(KDC_ERR_CERTIFICATE_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),
	A(KRB_AP_ERR_NO_TGT, SEC_E_NO_TGT_REPLY),
	A(KDC_ERR_WRONG_REALM, SEC_E_KDC_UNABLE_TO_REFER),
	A(KRB_AP_ERR_USER_TO_USER_REQUIRED, SEC_E_UNSUPPORTED_FUNCTION),
	A(KDC_ERR_CANT_VERIFY_CERTIFICATE, SEC_E_PKINIT_CLIENT_FAILURE),
	A(KDC_ERR_INVALID_CERTIFICATE, SEC_E_PKINIT_CLIENT_FAILURE),
	A(KDC_ERR_REVOKED_CERTIFICATE, SEC_E_SMARTCARD_CERT_REVOKED),
	A(KDC_ERR_REVOCATION_STATUS_UNKNOWN, SEC_E_REVOCATION_OFFLINE_C),
	A(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, SEC_E_REVOCATION_OFFLINE_C),
	A(KDC_ERR_CLIENT_NAME_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),
	A(KDC_ERR_KDC_NAME_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH),
	A(KDC_ERR_PREAUTH_EXPIRED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, SEC_E_LOGON_DENIED),
	A(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, SEC_E_UNSUPPORTED_PREAUTH),
	A(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, SEC_E_UNSUPPORTED_FUNCTION),
	A(KSSP_ERR_NOMEM, SEC_E_INSUFFICIENT_MEMORY),
	A(KSSP_ERR_INVALID_ARG, SEC_E_INVALID_PARAMETER),
	A(KSSP_ERR_TRUNCATED, SEC_E_INVALID_TOKEN),
	A(KSSP_ERR_BAD_ENCODING, SEC_E_INVALID_TOKEN),
	A(KSSP_ERR_LIMIT, SEC_E_INVALID_TOKEN),
	A(KSSP_ERR_UNSUPPORTED, SEC_E_UNSUPPORTED_FUNCTION),
	A(KSSP_ERR_BUFFER_TOO_SMALL, SEC_E_BUFFER_TOO_SMALL),
	A(KSSP_ERR_NOT_FOUND, SEC_E_NO_CREDENTIALS),
	{ KSSP_ERR_IO, SEC_E_NO_CREDENTIALS, SEC_E_NO_CREDENTIALS, SEC_E_NO_CREDENTIALS,
	    SEC_E_INTERNAL_ERROR },
	A(KSSP_ERR_NO_KDC, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	A(KSSP_ERR_TIMEOUT, SEC_E_NO_AUTHENTICATING_AUTHORITY),
	A(KSSP_ERR_NO_CREDENTIALS, SEC_E_NO_CREDENTIALS),
	A(KSSP_ERR_INTERNAL, SEC_E_INTERNAL_ERROR),
	A(KSSP_ERR_BAD_BINDINGS, SEC_E_BAD_BINDINGS),
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

START_TEST(each_row_maps_as_windows_does)
{
	const struct expect *x = &expected[_i];

	ck_assert_msg(kssp_sspi_status(x->code, KSSP_PHASE_LOGON) == x->logon,
	    "%s at logon: %s", kssp_err_name(x->code),
	    kssp_status_name(kssp_sspi_status(x->code, KSSP_PHASE_LOGON)));
	ck_assert_msg(kssp_sspi_status(x->code, KSSP_PHASE_INITIATE) == x->initiate,
	    "%s at initiate: %s", kssp_err_name(x->code),
	    kssp_status_name(kssp_sspi_status(x->code, KSSP_PHASE_INITIATE)));
	ck_assert_msg(kssp_sspi_status(x->code, KSSP_PHASE_ACCEPT) == x->accept,
	    "%s at accept: %s", kssp_err_name(x->code),
	    kssp_status_name(kssp_sspi_status(x->code, KSSP_PHASE_ACCEPT)));
	ck_assert_msg(kssp_sspi_status(x->code, KSSP_PHASE_MESSAGE) == x->message,
	    "%s per message: %s", kssp_err_name(x->code),
	    kssp_status_name(kssp_sspi_status(x->code, KSSP_PHASE_MESSAGE)));
}
END_TEST

/* Every code base/err_int.h names has a row above, so no code maps by accident. */
START_TEST(every_named_code_has_an_expected_row)
{
	int code;
	size_t i;
	int found;

	for (code = 0; code < KSSP_ERR_OWN_END; code++) {
		if (strcmp(kssp_err_name((kssp_err)code), "KSSP_ERR_UNKNOWN") == 0)
			continue;
		found = 0;
		for (i = 0; i < N_EXPECTED; i++)
			found |= expected[i].code == (kssp_err)code;
		ck_assert_msg(found, "%s (%d) has no expected status", kssp_err_name((kssp_err)code), code);
	}
}
END_TEST

START_TEST(unknown_codes_are_internal_errors)
{
	ck_assert_int_eq(kssp_sspi_status((kssp_err)30, KSSP_PHASE_INITIATE), SEC_E_INTERNAL_ERROR);
	ck_assert_int_eq(kssp_sspi_status((kssp_err)5000, KSSP_PHASE_ACCEPT), SEC_E_INTERNAL_ERROR);
	ck_assert_int_eq(kssp_sspi_status(KSSP_ERR_NOMEM, (enum kssp_sspi_phase)99),
	    SEC_E_INSUFFICIENT_MEMORY);
}
END_TEST

/* AD's NTSTATUS (MS-KILE §2.2.1) decides where it has a row; else the Kerberos code. */
START_TEST(ntstatus_maps_before_the_kerberos_code)
{
	/* A must-change password refused as KDC_ERR_KEY_EXPIRED, in every phase. */
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_KEY_EXPIRED, 0xC0000224, KSSP_PHASE_INITIATE),
	    SEC_E_LOGON_DENIED);
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_CLIENT_REVOKED, 0xC0000234, KSSP_PHASE_LOGON),
	    SEC_E_LOGON_DENIED);
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_POLICY, 0xC0000072, KSSP_PHASE_ACCEPT),
	    SEC_E_LOGON_DENIED);
	ck_assert_int_eq(kssp_sspi_status_kdc(KRB_ERR_GENERIC, 0xC0000133, KSSP_PHASE_LOGON),
	    SEC_E_TIME_SKEW);
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_POLICY, 0xC00002FA, KSSP_PHASE_LOGON),
	    SEC_E_SMARTCARD_LOGON_REQUIRED);
	/* An authentication policy or silo (one requiring FAST armor) refusing: a refused logon. */
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_POLICY, 0xC0000413, KSSP_PHASE_INITIATE),
	    SEC_E_LOGON_DENIED);
	ck_assert_str_eq(kssp_krb5_ntstatus_name(0xC0000413), "STATUS_AUTHENTICATION_FIREWALL_FAILED");
	/* No NTSTATUS, or one without a row: the Kerberos code's status. */
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_S_PRINCIPAL_UNKNOWN, 0, KSSP_PHASE_INITIATE),
	    SEC_E_TARGET_UNKNOWN);
	ck_assert_int_eq(kssp_sspi_status_kdc(KDC_ERR_ETYPE_NOSUPP, 0xC0000001, KSSP_PHASE_INITIATE),
	    SEC_E_KDC_UNKNOWN_ETYPE);
	ck_assert_int_eq(kssp_sspi_status_kdc(KSSP_OK, 0xC0000234, KSSP_PHASE_LOGON), SEC_E_OK);
}
END_TEST

START_TEST(status_names)
{
	ck_assert_str_eq(kssp_status_name(SEC_E_OK), "SEC_E_OK");
	ck_assert_str_eq(kssp_status_name(SEC_E_LOGON_DENIED), "SEC_E_LOGON_DENIED");
	ck_assert_str_eq(kssp_status_name((SECURITY_STATUS)0x8009030C), "SEC_E_LOGON_DENIED");
	ck_assert_str_eq(kssp_status_name(SEC_I_CONTINUE_NEEDED), "SEC_I_CONTINUE_NEEDED");
	ck_assert_str_eq(kssp_status_name(SEC_E_NO_AUTHENTICATING_AUTHORITY),
	    "SEC_E_NO_AUTHENTICATING_AUTHORITY");
	ck_assert_str_eq(kssp_status_name(SEC_E_INSUFFICIENT_BUFFERS), "SEC_E_INSUFFICIENT_BUFFERS");
	/* Aliases give the first name winerror.h defines for the value. */
	ck_assert_str_eq(kssp_status_name(SEC_E_NO_SPM), "SEC_E_INTERNAL_ERROR");
	ck_assert_str_eq(kssp_status_name(SEC_E_NOT_SUPPORTED), "SEC_E_UNSUPPORTED_FUNCTION");
	/* Same low bits, different severity: distinct names. */
	ck_assert_str_eq(kssp_status_name(SEC_I_CONTEXT_EXPIRED), "SEC_I_CONTEXT_EXPIRED");
	ck_assert_str_eq(kssp_status_name(SEC_E_CONTEXT_EXPIRED), "SEC_E_CONTEXT_EXPIRED");
	ck_assert_str_eq(kssp_status_name((SECURITY_STATUS)0x80090344), "SEC_E_UNKNOWN");
	ck_assert_str_eq(kssp_status_name(-1), "SEC_E_UNKNOWN");
}
END_TEST

START_TEST(result_records_reason_per_thread)
{
	kssp_clear_failure();
	ck_assert_int_eq(kssp_sspi_result(SEC_E_OK), SEC_E_OK);
	ck_assert_str_eq(kssp_status_reason(), "");
	kssp_fail(KDC_ERR_PREAUTH_FAILED, "AS-REP from 127.0.0.1: preauthentication failed");
	ck_assert_int_eq(kssp_sspi_result(SEC_E_LOGON_DENIED), SEC_E_LOGON_DENIED);
	ck_assert_str_eq(kssp_status_reason(), "AS-REP from 127.0.0.1: preauthentication failed");
	ck_assert_int_eq(kssp_sspi_last_status(), SEC_E_LOGON_DENIED);
	kssp_clear_failure();
	kssp_sspi_result(SEC_E_INVALID_HANDLE);
	ck_assert_str_eq(kssp_status_reason(), "SEC_E_INVALID_HANDLE");
	kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "x %d", 5);
	ck_assert_str_eq(kssp_status_reason(), "x 5");
	kssp_sspi_result(SEC_I_CONTINUE_NEEDED);
	ck_assert_str_eq(kssp_status_reason(), "");
}
END_TEST

Suite *kssp_suite_sspi_status(void);
Suite *kssp_suite_sspi_status(void)
{
	Suite *s = suite_create("sspi_status");
	TCase *tc = tcase_create("status");

	tcase_add_loop_test(tc, each_row_maps_as_windows_does, 0, (int)N_EXPECTED);
	tcase_add_test(tc, every_named_code_has_an_expected_row);
	tcase_add_test(tc, unknown_codes_are_internal_errors);
	tcase_add_test(tc, ntstatus_maps_before_the_kerberos_code);
	tcase_add_test(tc, status_names);
	tcase_add_test(tc, result_records_reason_per_thread);
	suite_add_tcase(s, tc);
	return s;
}
