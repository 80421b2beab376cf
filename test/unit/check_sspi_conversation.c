/*
 * test/unit/check_sspi_conversation.c - recorded conversations through the
 * public API (<kssp/kssp.h>): a recorded token comes out again byte for
 * byte with the recording's clock and seed bound to KSSP_AUTH_DATA; a
 * changed token is refused with its line named; steps left unused fail the
 * end; a recording made through the API reads back; missing metadata and
 * misuse are refused.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "testutil.h"

static void copy_fixture(const char *relpath, const char *dst)
{
	FILE *in = fopen(tu_fixture(relpath), "rb"), *out = fopen(dst, "wb");
	char buf[4096];
	size_t n;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

static KSSP_CONVERSATION *replay(const char *relpath)
{
	KSSP_CONVERSATION *conv = NULL;

	ck_assert_int_eq(kssp_conversation_replay(tu_fixture(relpath), &conv), SEC_E_OK);
	return conv;
}

START_TEST(a_recorded_token_replays_through_the_public_api)
{
	char cc[] = "/tmp/kssp-conv-cc-XXXXXX", conf[PATH_MAX];
	KSSP_CONVERSATION *conv = replay("token/krb5.rec");
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	ULONG attr = 0;
	SECURITY_STATUS st;
	int fd = mkstemp(cc);

	ck_assert_int_ge(fd, 0);
	close(fd);
	copy_fixture("token/krb5.ccache", cc);
	snprintf(conf, sizeof(conf), "%s", tu_fixture("token/krb5.conf"));
	ck_assert_str_eq(kssp_conversation_meta(conv, "kind"), "token");
	ck_assert_str_eq(kssp_conversation_step(conv), "");
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Ccache = cc;
	ad.Krb5Conf = conf;
	ck_assert_int_eq(kssp_conversation_hooks(conv, "seed", &ad), SEC_E_OK);
	ck_assert_ptr_nonnull(ad.Clock);
	ck_assert_ptr_nonnull(ad.Random);
	ck_assert_ptr_nonnull(ad.Transport);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
	    &ad, NULL, NULL, &cred, NULL), SEC_E_OK);
	st = InitializeSecurityContextA(&cred, NULL, "HTTP/server.kssp.test",
	    0x1000c | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr,
	    NULL);
	ck_assert_msg(st == SEC_E_OK, "%s: %s", kssp_status_name(st), kssp_status_reason());
	/* The seeded stream and fixed clock give the recorded bytes again. */
	ck_assert_int_eq(kssp_conversation_token(conv, 'C', out.pvBuffer, out.cbBuffer), SEC_E_OK);
	ck_assert_int_eq(kssp_conversation_end(conv, NULL), SEC_E_OK);
	DeleteSecurityContext(&ctx);
	FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
	kssp_conversation_free(conv);
	unlink(cc);
}
END_TEST

START_TEST(a_changed_token_and_unused_steps_are_refused)
{
	KSSP_CONVERSATION *conv = replay("token/krb5.rec");
	uint8_t tok[4] = { 0x60, 0x01, 0x02, 0x03 };
	KSSP_AUTH_DATA ad;

	ck_assert_int_eq(kssp_conversation_end(conv, NULL), SEC_E_INTERNAL_ERROR);
	ck_assert_str_eq(kssp_status_reason(),
	    "the end: 0 of 0 KDC exchanges and 0 of 1 tokens used");
	ck_assert_int_eq(kssp_conversation_token(conv, 'C', tok, sizeof(tok)),
	    SEC_E_MESSAGE_ALTERED);
	ck_assert_ptr_nonnull(strstr(kssp_status_reason(),
	    "initiator's context token (token 1, line 10) differs from the recording at byte 1"));
	ck_assert_int_eq(kssp_conversation_token(conv, 'S', tok, sizeof(tok)),
	    SEC_E_MESSAGE_ALTERED);
	ck_assert_str_eq(kssp_status_reason(),
	    "acceptor's context token 2: the recording has no more tokens");
	ck_assert_int_eq(kssp_conversation_token(conv, 'X', tok, sizeof(tok)),
	    SEC_E_INVALID_PARAMETER);
	/* Replaying: nothing is written; a seed the file lacks is refused. */
	ck_assert_int_eq(kssp_conversation_set_meta(conv, "kind", "demo"), SEC_E_INVALID_PARAMETER);
	memset(&ad, 0, sizeof(ad));
	ck_assert_int_eq(kssp_conversation_hooks(conv, "acceptor-seed", &ad),
	    SEC_E_INVALID_PARAMETER);
	ck_assert_str_eq(kssp_status_reason(), "the recording has no '@ acceptor-seed' line");
	ck_assert_ptr_null(ad.Transport);
	kssp_conversation_free(conv);
	ck_assert_int_ne(kssp_conversation_replay("/nonexistent/kssp.rec", &conv), SEC_E_OK);
	ck_assert_ptr_null(conv);
}
END_TEST

START_TEST(a_recording_made_through_the_api_reads_back)
{
	static const uint8_t tok[] = { 0x60, 0x05, 0x06 }, other[] = { 0x60, 0x05, 0x07 };
	char path[] = "/tmp/kssp-conv-rec-XXXXXX", conf[PATH_MAX];
	KSSP_CONVERSATION *conv = NULL;
	KSSP_AUTH_DATA ad;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(conf, sizeof(conf), "%s", tu_fixture("token/krb5.conf"));
	ck_assert_int_eq(kssp_conversation_record(conf, &conv), SEC_E_OK);
	memset(&ad, 0, sizeof(ad));
	ck_assert_int_eq(kssp_conversation_hooks(conv, "seed", &ad), SEC_E_INVALID_PARAMETER);
	ck_assert_str_eq(kssp_status_reason(), "the recording has no '@ clock' line");
	ck_assert_int_eq(kssp_conversation_set_meta(conv, "clock", "1795474177"), SEC_E_OK);
	ck_assert_int_eq(kssp_conversation_set_meta(conv, "seed", "00ff"), SEC_E_OK);
	ck_assert_int_eq(kssp_conversation_set_meta(conv, "bad key", "x"), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_conversation_hooks(conv, "seed", &ad), SEC_E_OK);
	ck_assert_int_eq(kssp_conversation_token(conv, 'M', tok, sizeof(tok)), SEC_E_OK);
	ck_assert_int_eq(kssp_conversation_end(conv, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_conversation_end(conv, path), SEC_E_OK);
	kssp_conversation_free(conv);

	ck_assert_int_eq(kssp_conversation_replay(path, &conv), SEC_E_OK);
	unlink(path);
	ck_assert_str_eq(kssp_conversation_meta(conv, "clock"), "1795474177");
	ck_assert_str_eq(kssp_conversation_meta(conv, "seed"), "00ff");
	ck_assert_ptr_null(kssp_conversation_meta(conv, "kind"));
	ck_assert_int_eq(kssp_conversation_token(conv, 'M', other, sizeof(other)),
	    SEC_E_MESSAGE_ALTERED);
	kssp_conversation_free(conv);
}
END_TEST

Suite *kssp_suite_sspi_conversation(void);
Suite *kssp_suite_sspi_conversation(void)
{
	Suite *s = suite_create("sspi_conversation");
	TCase *tc = tcase_create("conversation");

	tcase_add_test(tc, a_recorded_token_replays_through_the_public_api);
	tcase_add_test(tc, a_changed_token_and_unused_steps_are_refused);
	tcase_add_test(tc, a_recording_made_through_the_api_reads_back);
	suite_add_tcase(s, tc);
	return s;
}
