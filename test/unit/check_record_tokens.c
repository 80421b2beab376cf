/*
 * test/unit/check_record_tokens.c - the token lines of a recorded
 * conversation (kdc/transport_int.h): 'C', 'S' and 'M' lines keep their kind,
 * bytes and line number in file order next to the KDC exchanges; the
 * recorder writes them back in the same form; bad token lines are refused
 * with the line named; and a request that differs from the recording is
 * refused before its reply is served.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err_int.h"
#include "base/mem_int.h"
#include "kdc/transport_int.h"

static const char conversation[] =
	"# a conversation\n"
	"@ kind demo\n"
	"> A.TEST 0a0b\n"
	"< 6b01\n"
	"C 6001\n"
	"S 6002ff\n"
	"M 050406\n";

START_TEST(token_lines_in_order)
{
	struct kssp_recording *rec;
	const uint8_t *data;
	size_t len;
	unsigned line;
	char kind;

	ck_assert_int_eq(kssp_recording_parse(conversation, strlen(conversation), &rec), KSSP_OK);
	ck_assert_uint_eq(kssp_recording_count(rec), 1);
	ck_assert_uint_eq(kssp_recording_reply_line(rec, 0), 4);
	ck_assert_uint_eq(kssp_recording_reply_line(rec, 1), 0);
	ck_assert_uint_eq(kssp_recording_token_count(rec), 3);
	ck_assert_int_eq(kssp_recording_token(rec, 0, &kind, &data, &len, &line), KSSP_OK);
	ck_assert(kind == 'C' && len == 2 && data[0] == 0x60 && data[1] == 0x01 && line == 5);
	ck_assert_int_eq(kssp_recording_token(rec, 1, &kind, &data, &len, &line), KSSP_OK);
	ck_assert(kind == 'S' && len == 3 && data[2] == 0xff && line == 6);
	ck_assert_int_eq(kssp_recording_token(rec, 2, &kind, &data, &len, &line), KSSP_OK);
	ck_assert(kind == 'M' && len == 3 && line == 7);
	ck_assert_int_eq(kssp_recording_token(rec, 3, &kind, &data, &len, &line), KSSP_ERR_NOT_FOUND);
	ck_assert_str_eq(kssp_recording_meta(rec, "kind"), "demo");
	kssp_recording_free(rec);
}
END_TEST

START_TEST(bad_token_lines_refused)
{
	static const struct {
		const char *text, *reason;
	} bad[] = {
		{ "C\n", "recording:1: expected '@', '>', '<', 'C', 'S' or 'M' and a space" },
		{ "M zz\n", "recording:1: message is not hex, or empty" },
		{ "@ a b\nS 0g\n", "recording:2: message is not hex, or empty" },
		{ "X 00\n", "recording:1: expected '@', '>', '<', 'C', 'S' or 'M' and a space" },
	};
	struct kssp_recording *rec;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_ne(kssp_recording_parse(bad[i].text, strlen(bad[i].text), &rec), KSSP_OK);
		ck_assert_str_eq(kssp_last_reason(), bad[i].reason);
	}
}
END_TEST

/* A transport that answers every request with one fixed reply. */
static kssp_err echo_transport(void *arg, const char *realm, const uint8_t *req, size_t req_len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	(void)arg; (void)realm; (void)req; (void)req_len; (void)flags;
	*reply = kssp_malloc(2);
	if (!*reply)
		return KSSP_ERR_NOMEM;
	(*reply)[0] = 0x6b;
	(*reply)[1] = 0x00;
	*reply_len = 2;
	return KSSP_OK;
}

START_TEST(recorder_writes_tokens_back)
{
	static const uint8_t req[] = { 0x6a, 0x01 }, tok[] = { 0x60, 0x05, 0x06 };
	char path[] = "/tmp/kssp-rectok-XXXXXX";
	struct kssp_hooks inner, h;
	struct kssp_recording *r;
	struct kssp_recording *rec;
	const uint8_t *data;
	uint8_t *reply, bad[] = { 0x6a, 0x02 };
	size_t len;
	unsigned line;
	char kind;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	memset(&inner, 0, sizeof(inner));
	memset(&h, 0, sizeof(h));
	inner.transport = echo_transport;
	ck_assert_int_eq(kssp_recording_new(NULL, &inner, &r), KSSP_OK);
	h.transport = kssp_recording_transport;
	h.transport_arg = r;
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "A.TEST", req, sizeof(req), 0, &reply,
	    &len), KSSP_OK);
	kssp_free(reply);
	ck_assert_int_eq(kssp_recording_add_token(r, 'C', tok, sizeof(tok)),
	    KSSP_OK);
	ck_assert_int_eq(kssp_recording_add_token(r, 'X', tok, sizeof(tok)),
	    KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_recording_add_token(r, 'S', tok, 0),
	    KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_recording_save(r, path), KSSP_OK);
	kssp_recording_free(r);

	ck_assert_int_eq(kssp_recording_load(path, &rec), KSSP_OK);
	unlink(path);
	ck_assert_uint_eq(kssp_recording_token_count(rec), 1);
	ck_assert_int_eq(kssp_recording_token(rec, 0, &kind, &data, &len, &line), KSSP_OK);
	ck_assert(kind == 'C' && len == sizeof(tok) && memcmp(data, tok, len) == 0 && line == 4);
	/* One byte changed in the request: refused, nothing served. */
	h.transport = kssp_recording_transport;
	h.transport_arg = rec;
	ck_assert_int_ne(kssp_transport_send(NULL, &h, "A.TEST", bad, sizeof(bad), 0, &reply,
	    &len), KSSP_OK);
	ck_assert_uint_eq(kssp_recording_served(rec), 0);
	kssp_recording_free(rec);
}
END_TEST

Suite *kssp_suite_record_tokens(void);
Suite *kssp_suite_record_tokens(void)
{
	Suite *s = suite_create("record_tokens");
	TCase *tc = tcase_create("tokens");

	tcase_add_test(tc, token_lines_in_order);
	tcase_add_test(tc, bad_token_lines_refused);
	tcase_add_test(tc, recorder_writes_tokens_back);
	suite_add_tcase(s, tc);
	return s;
}
