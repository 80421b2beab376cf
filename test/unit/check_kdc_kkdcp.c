/*
 * test/unit/check_kdc_kkdcp.c - the KDC proxy message (MS-KKDCP §2.2.2)
 * encoded and decoded, hostile proxy messages, and the HTTP answer split.
 */
#include <check.h>
#include <string.h>

#include "base/err_int.h"
#include "kdc/http_int.h"
#include "kdc/kkdcp_int.h"
#include "kdc/locate_int.h"

static const uint8_t request[] = { 0x6a, 0x03, 0x30, 0x01, 0x00 };

/* SEQUENCE { [0] OCTET STRING (len 5, request), [1] GeneralString "R" } */
static const uint8_t encoded[] = {
	0x30, 0x12,
	0xa0, 0x0b, 0x04, 0x09, 0x00, 0x00, 0x00, 0x05, 0x6a, 0x03, 0x30, 0x01, 0x00,
	0xa1, 0x03, 0x1b, 0x01, 'R',
};

START_TEST(kkdcp_encodes_the_framed_message_and_the_realm)
{
	struct kssp_writer w;
	struct kssp_der_bytes msg;

	kssp_writer_init_growable(&w, 0);
	kssp_kkdcp_encode("R", request, sizeof(request), &w);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_OK);
	ck_assert_uint_eq(w.len, sizeof(encoded));
	ck_assert_mem_eq(w.buf, encoded, sizeof(encoded));
	ck_assert_int_eq(kssp_kkdcp_decode(w.buf, w.len, &msg), KSSP_OK);
	ck_assert_uint_eq(msg.len, sizeof(request));
	ck_assert_mem_eq(msg.data, request, sizeof(request));
	kssp_writer_free(&w);
}
END_TEST

START_TEST(kkdcp_decodes_a_reply_with_or_without_the_optional_fields)
{
	static const uint8_t bare[] = {
		0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00,
	};
	static const uint8_t hint[] = {
		0x30, 0x17, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00,
		0xa1, 0x03, 0x1b, 0x01, 'R', 0xa2, 0x03, 0x02, 0x01, 0x10,
	};
	struct kssp_der_bytes msg;

	ck_assert_int_eq(kssp_kkdcp_decode(bare, sizeof(bare), &msg), KSSP_OK);
	ck_assert_mem_eq(msg.data, request, sizeof(request));
	ck_assert_int_eq(kssp_kkdcp_decode(hint, sizeof(hint), &msg), KSSP_OK);
	ck_assert_mem_eq(msg.data, request, sizeof(request));
}
END_TEST

START_TEST(kkdcp_rejects_hostile_proxy_messages)
{
	static const struct {
		const char *what;
		uint8_t b[24];
		size_t len;
	} bad[] = {
		{ "empty", { 0 }, 0 },
		{ "cut short", { 0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a }, 11 },
		{ "frame longer than the message",
		  { 0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 6, 0x6a, 0x03, 0x30, 0x01, 0x00 }, 15 },
		{ "frame shorter than the message",
		  { 0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 4, 0x6a, 0x03, 0x30, 0x01, 0x00 }, 15 },
		{ "zero-length frame", { 0x30, 0x08, 0xa0, 0x06, 0x04, 0x04, 0, 0, 0, 0 }, 10 },
		{ "frame without a length", { 0x30, 0x07, 0xa0, 0x05, 0x04, 0x03, 0, 0, 0 }, 9 },
		{ "huge frame length",
		  { 0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0xff, 0xff, 0xff, 0xff, 0x6a, 0x03, 0x30, 0x01,
		    0x00 }, 15 },
		{ "no kerb-message", { 0x30, 0x05, 0xa1, 0x03, 0x1b, 0x01, 'R' }, 7 },
		{ "kerb-message not an OCTET STRING",
		  { 0x30, 0x0d, 0xa0, 0x0b, 0x0c, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00 }, 15 },
		{ "trailing byte",
		  { 0x30, 0x0d, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00, 0 }, 16 },
		{ "unknown field",
		  { 0x30, 0x12, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00,
		    0xa3, 0x03, 0x02, 0x01, 0x00 }, 20 },
		{ "target-domain not a GeneralString",
		  { 0x30, 0x12, 0xa0, 0x0b, 0x04, 0x09, 0, 0, 0, 5, 0x6a, 0x03, 0x30, 0x01, 0x00,
		    0xa1, 0x03, 0x04, 0x01, 'R' }, 20 },
	};
	struct kssp_der_bytes msg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(kssp_kkdcp_decode(bad[i].b, bad[i].len, &msg) != KSSP_OK,
		    "accepted: %s", bad[i].what);
		ck_assert_msg(kssp_last_error() == KSSP_ERR_BAD_ENCODING ||
		    kssp_last_error() == KSSP_ERR_TRUNCATED, "%s: %s", bad[i].what, kssp_last_reason());
	}
}
END_TEST

static kssp_err body_of(const char *answer, struct kssp_der_bytes *body)
{
	return kssp_kkdcp_http_body((const uint8_t *)answer, strlen(answer), body);
}

START_TEST(kkdcp_takes_the_body_of_a_200_answer_only)
{
	struct kssp_der_bytes body;

	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Type: application/kerberos\r\n"
	    "Content-Length: 3\r\n\r\nabc", &body), KSSP_OK);
	ck_assert_uint_eq(body.len, 3);
	ck_assert_mem_eq(body.data, "abc", 3);
	ck_assert_int_eq(body_of("HTTP/1.0 200 OK\r\n\r\nabcd", &body), KSSP_OK);
	ck_assert_uint_eq(body.len, 4);
	ck_assert_int_eq(body_of("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", &body),
	    KSSP_ERR_IO);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "HTTP 400 Bad Request"));
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabc", &body),
	    KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabc", &body),
	    KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", &body),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
	    &body), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
	    &body), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(body_of("HTTP/1.1 200 OK\r\nServer: x\r\n", &body), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(body_of("SSH-2.0-OpenSSH\r\n\r\n", &body), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(body_of("", &body), KSSP_ERR_TRUNCATED);
}
END_TEST

START_TEST(http_parse_gives_any_status_the_head_and_the_body)
{
	static const char a401[] = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\n"
	    "Content-Length: 2\r\n\r\nno";
	struct kssp_der_bytes body;
	unsigned status = 0;
	size_t head = 0;

	ck_assert_int_eq(kssp_http_parse((const uint8_t *)a401, strlen(a401), 100, &status, &head,
	    &body), KSSP_OK);
	ck_assert_uint_eq(status, 401);
	/* The head ends before the CRLF of its last header line. */
	ck_assert_uint_eq(head, strlen(a401) - strlen("\r\n\r\nno"));
	ck_assert_uint_eq(body.len, 2);
	ck_assert_mem_eq(body.data, "no", 2);
	/* A status that is not three digits, a Length above the bound, a coding. */
	ck_assert_int_eq(kssp_http_parse((const uint8_t *)"HTTP/1.1 4x1 No\r\n\r\n", 19, 100,
	    &status, &head, &body), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_http_parse((const uint8_t *)"HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n",
	    42, 100, &status, &head, &body), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_http_parse((const uint8_t *)"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	    48, 100, &status, &head, &body), KSSP_ERR_UNSUPPORTED);
}
END_TEST

START_TEST(http_urls_name_scheme_host_port_and_path)
{
	struct kssp_kdc_server srv;

	ck_assert_int_eq(kssp_locate_parse_url("http://web.example.test/a/b", &srv), KSSP_OK);
	ck_assert_int_eq(srv.proto, KSSP_KDC_PROTO_TCP);
	ck_assert_uint_eq(srv.port, 80);
	ck_assert_str_eq(srv.host, "web.example.test");
	ck_assert_str_eq(srv.path, "a/b");
	ck_assert_int_eq(kssp_locate_parse_url("HTTPS://[::1]:8443", &srv), KSSP_OK);
	ck_assert_int_eq(srv.proto, KSSP_KDC_PROTO_HTTPS);
	ck_assert_uint_eq(srv.port, 8443);
	ck_assert_str_eq(srv.host, "::1");
	ck_assert_str_eq(srv.path, "");
	ck_assert_int_ne(kssp_locate_parse_url("ftp://web/", &srv), KSSP_OK);
	ck_assert_int_ne(kssp_locate_parse_url("http://web:0/", &srv), KSSP_OK);
	ck_assert_int_ne(kssp_locate_parse_url("http:///x", &srv), KSSP_OK);
}
END_TEST

Suite *kssp_suite_kdc_kkdcp(void);
Suite *kssp_suite_kdc_kkdcp(void)
{
	Suite *s = suite_create("kdc_kkdcp");
	TCase *tc = tcase_create("kkdcp");

	tcase_add_test(tc, kkdcp_encodes_the_framed_message_and_the_realm);
	tcase_add_test(tc, kkdcp_decodes_a_reply_with_or_without_the_optional_fields);
	tcase_add_test(tc, kkdcp_rejects_hostile_proxy_messages);
	tcase_add_test(tc, kkdcp_takes_the_body_of_a_200_answer_only);
	tcase_add_test(tc, http_parse_gives_any_status_the_head_and_the_body);
	tcase_add_test(tc, http_urls_name_scheme_host_port_and_path);
	suite_add_tcase(s, tc);
	return s;
}
