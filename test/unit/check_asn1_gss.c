/* test/unit/check_asn1_gss.c - RFC 2743 framing, krb5 token ids and SPNEGO on captured tokens. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/gss_int.h"
#include "asn1/krb5_int.h"
#include "asn1util.h"
#include "testutil.h"

START_TEST(krb5_tokens_frame_ap_req_and_ap_rep)
{
	static const struct { const char *file; uint16_t tok; const struct kssp_asn1_type *type; } cases[] = {
		{ "captures/gss-ap-req-deleg.der", KSSP_GSS_TOK_AP_REQ, &kssp_krb5_ap_req_type },
		{ "captures/gss-ap-rep.der", KSSP_GSS_TOK_AP_REP, &kssp_krb5_ap_rep_type },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t len, cut;
		uint8_t *buf = tu_read_fixture(cases[i].file, &len);
		struct kssp_gss_krb5_token t;
		struct kssp_writer w;
		struct kssp_arena a;
		struct kssp_cursor c;
		_Alignas(max_align_t) uint8_t msg[1024];

		ck_assert_int_eq(kssp_gss_decode_krb5(buf, len, &t), KSSP_OK);
		ck_assert_uint_eq(t.tok_id, cases[i].tok);
		ck_assert(kssp_gss_oid_equal(&t.mech, &kssp_gss_krb5_oid));
		kssp_arena_init(&a);
		kssp_cursor_init(&c, t.message.data, t.message.len);
		c.origin = t.message_offset;
		ck_assert_int_eq(kssp_asn1_decode_cursor(cases[i].type, &c, &a, msg), KSSP_OK);
		kssp_arena_free(&a);
		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_gss_encode_krb5(t.tok_id, t.message.data, t.message.len, &w), KSSP_OK);
		ck_assert_uint_eq(w.len, len);
		ck_assert_mem_eq(w.buf, buf, len);
		kssp_writer_free(&w);
		for (cut = 0; cut < len; cut++) {
			kssp_err e = kssp_gss_decode_krb5(buf, cut, &t);

			if (e == KSSP_OK) {
				/* The framing holds only if the cut fell in the Kerberos message. */
				kssp_cursor_init(&c, t.message.data, t.message.len);
				c.origin = t.message_offset;
				kssp_arena_init(&a);
				e = kssp_asn1_decode_cursor(cases[i].type, &c, &a, msg);
				kssp_arena_free(&a);
			}
			ck_assert_msg(e != KSSP_OK, "%s cut at %zu decoded", cases[i].file, cut);
			ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "at offset "));
		}
		free(buf);
	}
}
END_TEST

START_TEST(spnego_init_and_resp_round_trip)
{
	size_t len, cut;
	uint8_t *buf = tu_read_fixture("captures/spnego-init.der", &len);
	struct kssp_spnego_token t;
	struct kssp_gss_krb5_token k;
	struct kssp_arena a;
	struct kssp_writer w;

	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_spnego_decode(buf, len, &a, &t), KSSP_OK);
	ck_assert_int_eq(t.kind, KSSP_SPNEGO_INIT);
	ck_assert(t.framed);
	ck_assert_uint_ge(t.init.mech_types_len, 1);
	ck_assert(kssp_gss_oid_equal(&t.init.mech_types[0], &kssp_gss_krb5_oid));
	ck_assert_ptr_nonnull(t.init.mech_token.data);
	ck_assert_int_eq(kssp_gss_decode_krb5(t.init.mech_token.data, t.init.mech_token.len, &k), KSSP_OK);
	ck_assert_uint_eq(k.tok_id, KSSP_GSS_TOK_AP_REQ);
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_spnego_encode_init(&t.init, true, &w), KSSP_OK);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, buf, len);
	kssp_writer_free(&w);
	for (cut = 0; cut < len; cut++) {
		ck_assert_int_ne(kssp_spnego_decode(buf, cut, &a, &t), KSSP_OK);
		ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "at offset "));
	}
	free(buf);

	buf = tu_read_fixture("captures/spnego-resp.der", &len);
	ck_assert_int_eq(kssp_spnego_decode(buf, len, &a, &t), KSSP_OK);
	ck_assert_int_eq(t.kind, KSSP_SPNEGO_RESP);
	ck_assert(t.resp.has_neg_state);
	ck_assert_uint_eq(t.resp.neg_state, KSSP_SPNEGO_ACCEPT_COMPLETED);
	ck_assert(kssp_gss_oid_equal(&t.resp.supported_mech, &kssp_gss_krb5_oid));
	ck_assert_int_eq(kssp_gss_decode_krb5(t.resp.response_token.data, t.resp.response_token.len, &k),
	    KSSP_OK);
	ck_assert_uint_eq(k.tok_id, KSSP_GSS_TOK_AP_REP);
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_spnego_encode_resp(&t.resp, &w), KSSP_OK);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, buf, len);
	kssp_writer_free(&w);
	for (cut = 0; cut < len; cut++)
		ck_assert_int_ne(kssp_spnego_decode(buf, cut, &a, &t), KSSP_OK);
	free(buf);
	kssp_arena_free(&a);
}
END_TEST

START_TEST(spnego_neg_hints_form)
{
	static const char hint[] = "not_defined_in_RFC4178@please_ignore";
	struct kssp_der_bytes mechs[2] = { kssp_gss_mskrb5_oid, kssp_gss_krb5_oid };
	struct kssp_spnego_init in;
	struct kssp_spnego_token out;
	struct kssp_arena a;
	struct kssp_writer w;
	static const uint8_t mic[4] = { 1, 2, 3, 4 };

	memset(&in, 0, sizeof(in));
	in.mech_types = mechs;
	in.mech_types_len = 2;
	in.has_neg_hints = true;
	in.hint_name.data = (const uint8_t *)hint;
	in.hint_name.len = strlen(hint);
	in.mech_list_mic.data = mic;
	in.mech_list_mic.len = sizeof(mic);
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_spnego_encode_init(&in, true, &w), KSSP_OK);
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_spnego_decode(w.buf, w.len, &a, &out), KSSP_OK);
	ck_assert(out.init.has_neg_hints);
	ck_assert_uint_eq(out.init.hint_name.len, strlen(hint));
	ck_assert_mem_eq(out.init.hint_name.data, hint, strlen(hint));
	ck_assert_ptr_null(out.init.hint_address.data);
	ck_assert_uint_eq(out.init.mech_list_mic.len, 4);
	ck_assert_uint_eq(out.init.mech_types_len, 2);
	ck_assert(kssp_gss_oid_equal(&out.init.mech_types[0], &kssp_gss_mskrb5_oid));
	ck_assert_ptr_null(out.init.mech_token.data);
	kssp_arena_free(&a);
	kssp_writer_free(&w);
}
END_TEST

START_TEST(rejects_other_mechanisms)
{
	size_t len;
	uint8_t *buf = tu_read_fixture("captures/spnego-init.der", &len);
	struct kssp_gss_krb5_token k;

	/* An SPNEGO-framed token is not a krb5 token. */
	ck_assert_int_eq(kssp_gss_decode_krb5(buf, len, &k), KSSP_ERR_BAD_ENCODING);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "not the krb5 mechanism at offset 4"));
	free(buf);
}
END_TEST

Suite *kssp_suite_asn1_gss(void);
Suite *kssp_suite_asn1_gss(void)
{
	Suite *s = suite_create("asn1_gss");
	TCase *tc = tcase_create("gss");

	tcase_add_test(tc, krb5_tokens_frame_ap_req_and_ap_rep);
	tcase_add_test(tc, spnego_init_and_resp_round_trip);
	tcase_add_test(tc, spnego_neg_hints_form);
	tcase_add_test(tc, rejects_other_mechanisms);
	suite_add_tcase(s, tc);
	return s;
}
