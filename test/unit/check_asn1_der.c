/* test/unit/check_asn1_der.c - the strict DER core: each rejection of non-DER input, and the writer. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der_int.h"
#include "asn1/krb5_int.h"
#include "base/mem_int.h"
#include "testutil.h"

/* Decodes hex as the given type; returns the status and leaves the reason. */
static kssp_err decode_hex(const struct kssp_asn1_type *t, const char *hex)
{
	static uint8_t buf[4096];
	size_t n = tu_hex(hex, buf, sizeof(buf));
	struct kssp_arena a;
	union { struct kssp_kdc_req req; struct kssp_krb_error err; uint8_t raw[1024]; } out;
	kssp_err e;

	ck_assert_uint_le(t->size, sizeof(out));
	kssp_arena_init(&a);
	e = kssp_asn1_decode(t, buf, n, &a, &out);
	kssp_arena_free(&a);
	return e;
}

static void assert_rejected(const struct kssp_asn1_type *t, const char *hex, const char *reason_part)
{
	kssp_err e = decode_hex(t, hex);

	ck_assert_msg(e != KSSP_OK, "accepted: %s", hex);
	ck_assert_msg(strstr(kssp_last_reason(), "at offset ") != NULL, "no offset in '%s'",
	    kssp_last_reason());
	ck_assert_msg(strstr(kssp_last_reason(), reason_part) != NULL, "reason '%s' lacks '%s'",
	    kssp_last_reason(), reason_part);
}

/* EncryptionKey { keytype 17, keyvalue 01 02 } in strict DER. */
#define KEY_OK "300b a003020111 a1040402 0102"

START_TEST(accepts_minimal_der)
{
	ck_assert_int_eq(decode_hex(&kssp_krb5_encryption_key_type, KEY_OK), KSSP_OK);
}
END_TEST

START_TEST(rejects_each_malformation)
{
	const struct kssp_asn1_type *key = &kssp_krb5_encryption_key_type;
	const struct kssp_asn1_type *ts = &kssp_krb5_pa_enc_ts_enc_type;
	const struct kssp_asn1_type *ed = &kssp_krb5_encrypted_data_type;

	assert_rejected(key, "3080 a003020111 a1040402 0102 0000", "indefinite length");
	assert_rejected(key, "30810b a003020111 a1040402 0102", "non-minimal length");
	assert_rejected(key, "300c a003020111 a1040402 0102", "past the end");
	assert_rejected(key, KEY_OK "00", "trailing bytes");
	assert_rejected(key, "310b a003020111 a1040402 0102", "expected");
	assert_rejected(key, "3005 a003020111", "missing");
	assert_rejected(key, "300b a1040402 0102 a003020111", "missing");
	/* EncryptedData: kvno [1] OPTIONAL after cipher [2] is out of order. */
	assert_rejected(ed, "3010 a003020111 a2040402 0102 a103020101", "out-of-order");
	assert_rejected(key, "300c a00402020011 a1040402 0102", "non-minimal INTEGER");
	assert_rejected(key, "300f a00702050080000000 a1040402 0102", "outside Int32");
	/* GeneralizedTime: fraction, no Z, month 13, second 61 */
	assert_rejected(ts, "3015 a013181132303236313132333132303030302e315a", "YYYYMMDDHHMMSSZ");
	assert_rejected(ts, "3013 a011180f323032363131323331323030303030", "YYYYMMDDHHMMSSZ");
	assert_rejected(ts, "3013 a011180f32303236313332333132303030305a", "out of range");
	assert_rejected(ts, "3013 a011180f32303236313132333132303036315a", "out of range");
	/* KerberosFlags with unused bits 1 */
	assert_rejected(&kssp_krb5_pa_pac_options_type, "3009 a0070305 0180000000", "unused bits");
	assert_rejected(&kssp_krb5_pa_pac_request_type, "3005 a003010101", "BOOLEAN");
	/* AP-REP [APPLICATION 15] whose msg-type says 14. */
	assert_rejected(&kssp_krb5_ap_rep_type,
	    "6f1c 301a a003020105 a10302010e a20e300c a003020111 a2050403010203", "msg-type 14");
	ck_assert_int_eq(decode_hex(&kssp_krb5_ap_rep_type,
	    "6f1c 301a a003020105 a10302010f a20e300c a003020111 a2050403010203"), KSSP_OK);
}
END_TEST

START_TEST(rejects_deep_nesting)
{
	struct kssp_writer w;
	size_t marks[1000], i;
	struct kssp_arena a;
	struct kssp_encryption_key k;
	kssp_err e;

	kssp_writer_init_growable(&w, 0);
	for (i = 0; i < 1000; i++)
		marks[i] = kssp_der_begin(&w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	for (i = 1000; i-- > 0;)
		kssp_der_end(&w, marks[i]);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_OK);
	kssp_arena_init(&a);
	e = kssp_krb5_decode_encryption_key(w.buf, w.len, &a, &k);
	kssp_arena_free(&a);
	kssp_writer_free(&w);
	ck_assert_int_eq(e, KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "nesting deeper than 32 at offset"));
}
END_TEST

/* A PrincipalName whose name-string holds count empty KerberosStrings. */
static void principal_with_strings(struct kssp_writer *w, size_t count)
{
	static const struct kssp_der_bytes empty = { (const uint8_t *)"", 0 };
	size_t m0, m1, m2, i;

	kssp_writer_init_growable(w, 0);
	m0 = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	m1 = kssp_der_begin(w, KSSP_DER_CONTEXT, 0);
	kssp_der_put_int64(w, 1);
	kssp_der_end(w, m1);
	m1 = kssp_der_begin(w, KSSP_DER_CONTEXT, 1);
	m2 = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	for (i = 0; i < count; i++)
		kssp_der_put_kstring(w, &empty);
	kssp_der_end(w, m2);
	kssp_der_end(w, m1);
	kssp_der_end(w, m0);
	ck_assert_int_eq(kssp_writer_status(w), KSSP_OK);
}

START_TEST(rejects_huge_sequence_of)
{
	struct kssp_writer w;
	struct kssp_arena a;
	struct kssp_principal_name pn;

	kssp_arena_init(&a);
	/* 10^6 elements: 2 MB, over the message limit. */
	principal_with_strings(&w, 1000000);
	ck_assert_int_eq(kssp_krb5_decode_principal_name(w.buf, w.len, &a, &pn), KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "at offset"));
	/* The same header claiming them, the elements missing: past the end. */
	ck_assert_int_eq(kssp_krb5_decode_principal_name(w.buf, 64, &a, &pn), KSSP_ERR_TRUNCATED);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "past the end"));
	kssp_writer_free(&w);
	/* 4097 elements fit in 1 MiB: the element limit stops them; 4096 pass. */
	principal_with_strings(&w, KSSP_DER_MAX_ELEMENTS + 1);
	ck_assert_int_eq(kssp_krb5_decode_principal_name(w.buf, w.len, &a, &pn), KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "more than 4096 elements at offset"));
	kssp_writer_free(&w);
	principal_with_strings(&w, KSSP_DER_MAX_ELEMENTS);
	ck_assert_int_eq(kssp_krb5_decode_principal_name(w.buf, w.len, &a, &pn), KSSP_OK);
	ck_assert_uint_eq(pn.name_string_len, KSSP_DER_MAX_ELEMENTS);
	kssp_writer_free(&w);
	kssp_arena_free(&a);
}
END_TEST

START_TEST(writer_fixes_long_lengths)
{
	struct kssp_writer w;
	uint8_t content[300];
	size_t m;

	memset(content, 0x41, sizeof(content));
	kssp_writer_init_growable(&w, 0);
	m = kssp_der_begin(&w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	kssp_writer_put_bytes(&w, content, sizeof(content));
	kssp_der_end(&w, m);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_OK);
	ck_assert_uint_eq(w.len, 304);
	ck_assert_uint_eq(w.buf[0], 0x30);
	ck_assert_uint_eq(w.buf[1], 0x82);
	ck_assert_uint_eq(w.buf[2], 0x01);
	ck_assert_uint_eq(w.buf[3], 0x2c);
	ck_assert_uint_eq(w.buf[4], 0x41);
	kssp_writer_free(&w);
}
END_TEST

START_TEST(integers_encode_minimally)
{
	static const struct { int64_t v; const char *hex; } cases[] = {
		{ 0, "020100" }, { 127, "02017f" }, { 128, "02020080" }, { -1, "0201ff" },
		{ -128, "020180" }, { -129, "0202ff7f" }, { 4294967295LL, "020500ffffffff" },
		{ INT64_MIN, "02088000000000000000" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t want[16], got[16];
		size_t n = tu_hex(cases[i].hex, want, sizeof(want));
		struct kssp_writer w;
		struct kssp_cursor c;
		struct kssp_der_elem e;
		int64_t back;

		kssp_writer_init_fixed(&w, got, sizeof(got));
		kssp_der_put_int64(&w, cases[i].v);
		ck_assert_uint_eq(w.len, n);
		ck_assert_mem_eq(got, want, n);
		kssp_cursor_init(&c, got, n);
		ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
		ck_assert_int_eq(kssp_der_get_int64(&e, "x", &back), KSSP_OK);
		ck_assert(back == cases[i].v);
	}
}
END_TEST

/* RFC 4120 seq-number is UInt32, but Windows sends it as a signed Int32. */
START_TEST(sequence_numbers_accept_negative_int32)
{
	static const struct { const char *hex; kssp_err want; uint32_t v; } cases[] = {
		{ "020100", KSSP_OK, 0 },
		{ "020500ffffffff", KSSP_OK, 0xffffffffu },
		{ "0201ff", KSSP_OK, 0xffffffffu },            /* -1 */
		{ "020480000001", KSSP_OK, 0x80000001u },      /* -2147483647 */
		{ "020480000000", KSSP_OK, 0x80000000u },      /* INT32_MIN */
		{ "0205ff7fffffff", KSSP_ERR_BAD_ENCODING, 0 }, /* INT32_MIN - 1 */
		{ "02050100000000", KSSP_ERR_BAD_ENCODING, 0 }, /* 2^32 */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t der[16];
		size_t n = tu_hex(cases[i].hex, der, sizeof(der));
		struct kssp_cursor c;
		struct kssp_der_elem e;
		uint32_t v = 0;

		kssp_cursor_init(&c, der, n);
		ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
		ck_assert_int_eq(kssp_der_get_seqnum(&e, "seq-number", &v), cases[i].want);
		if (cases[i].want == KSSP_OK)
			ck_assert_uint_eq(v, cases[i].v);
	}
}
END_TEST

START_TEST(times_round_trip)
{
	static const char *const times[] = { "19700101000000Z", "20261123120000Z", "20000229235959Z",
		"99991231235959Z", "00000101000000Z", "19691231235959Z" };
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		uint8_t buf[32];
		struct kssp_cursor c;
		struct kssp_der_elem e;
		int64_t t;
		char back[16];

		buf[0] = 0x18, buf[1] = 15;
		memcpy(buf + 2, times[i], 15);
		kssp_cursor_init(&c, buf, 17);
		ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
		ck_assert_int_eq(kssp_der_get_time(&e, "t", &t), KSSP_OK);
		kssp_der_format_time(t, back);
		ck_assert_str_eq(back, times[i]);
	}
}
END_TEST


START_TEST(reads_high_tag_numbers)
{
	uint8_t buf[16];
	size_t n = tu_hex("7f64 03 020105", buf, sizeof(buf));
	struct kssp_cursor c;
	struct kssp_der_elem e;
	struct kssp_writer w;
	uint8_t out[16];

	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
	ck_assert_uint_eq(e.tag.cls, KSSP_DER_APPLICATION);
	ck_assert(e.tag.constructed);
	ck_assert_uint_eq(e.tag.number, 100);
	ck_assert_uint_eq(e.der.len, n);
	/* The writer produces the same identifier octets. */
	kssp_writer_init_fixed(&w, out, sizeof(out));
	kssp_der_put_tag(&w, KSSP_DER_APPLICATION | KSSP_DER_CONSTRUCTED, 100);
	ck_assert_uint_eq(w.len, 2);
	ck_assert_mem_eq(out, buf, 2);
	/* Non-minimal high tag (leading 0x80) and a low number in high form are refused. */
	n = tu_hex("7f8064 03 020105", buf, sizeof(buf));
	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_ERR_BAD_ENCODING);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "at offset 0"));
	n = tu_hex("7f1e 03 020105", buf, sizeof(buf));
	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_ERR_BAD_ENCODING);
}
END_TEST

START_TEST(reads_big_integers_and_oids)
{
	uint8_t buf[32];
	size_t n = tu_hex("0211 00 ffeeddccbbaa99887766554433221100", buf, sizeof(buf));
	struct kssp_cursor c;
	struct kssp_der_elem e;
	struct kssp_der_bytes b;
	int64_t v;
	char dotted[64];

	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
	ck_assert_int_eq(kssp_der_get_integer_bytes(&e, "big", &b), KSSP_OK);
	ck_assert_uint_eq(b.len, 17);
	ck_assert_int_eq(kssp_der_get_int64(&e, "big", &v), KSSP_ERR_LIMIT);
	n = tu_hex("0609 2a864886f712010202", buf, sizeof(buf));
	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
	ck_assert_int_eq(kssp_der_get_oid(&e, "oid", &b), KSSP_OK);
	ck_assert(kssp_der_format_oid(&b, dotted, sizeof(dotted)));
	ck_assert_str_eq(dotted, "1.2.840.113554.1.2.2");
	/* A subidentifier with a leading 0x80 and one left unfinished. */
	n = tu_hex("0603 2a8001", buf, sizeof(buf));
	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
	ck_assert_int_eq(kssp_der_get_oid(&e, "oid", &b), KSSP_ERR_BAD_ENCODING);
	n = tu_hex("0602 2a86", buf, sizeof(buf));
	kssp_cursor_init(&c, buf, n);
	ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
	ck_assert_int_eq(kssp_der_get_oid(&e, "oid", &b), KSSP_ERR_BAD_ENCODING);
}
END_TEST

START_TEST(checks_utf8_strings)
{
	static const struct { const char *hex; bool ok; } cases[] = {
		{ "0c03616263", true }, { "0c02c3a9", true }, { "0c03e282ac", true },
		{ "0c04f09f9880", true }, { "0c02c0af", false }, { "0c03eda080", false },
		{ "0c04f4908080", false }, { "0c01ff", false }, { "0c02e282", false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[16];
		size_t n = tu_hex(cases[i].hex, buf, sizeof(buf));
		struct kssp_cursor c;
		struct kssp_der_elem e;
		struct kssp_der_bytes b;
		kssp_err err;

		kssp_cursor_init(&c, buf, n);
		ck_assert_int_eq(kssp_der_read_any(&c, &e), KSSP_OK);
		err = kssp_der_get_utf8(&e, "utf8", &b);
		ck_assert_msg((err == KSSP_OK) == cases[i].ok, "%s", cases[i].hex);
		if (err)
			ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "malformed UTF-8 at offset 2"));
	}
}
END_TEST

START_TEST(skips_unknown_fields_only_where_extensible)
{
	/* S4UUserID (MS-SFU: "...") with an unknown [5] after its fields: accepted. */
	ck_assert_int_eq(decode_hex(&kssp_krb5_s4u_user_id_type,
	    "3019 a003020101 a20b1b094b5353502e54455354 a5050403010203"), KSSP_OK);
	/* EncryptionKey has no extension marker: the same trailing [5] is refused. */
	assert_rejected(&kssp_krb5_encryption_key_type, "3012 a003020111 a1040402 0102 a5050403010203",
	    "unexpected");
}
END_TEST

Suite *kssp_suite_asn1_der(void);
Suite *kssp_suite_asn1_der(void)
{
	Suite *s = suite_create("asn1_der");
	TCase *tc = tcase_create("der");

	tcase_add_test(tc, accepts_minimal_der);
	tcase_add_test(tc, rejects_each_malformation);
	tcase_add_test(tc, rejects_deep_nesting);
	tcase_add_test(tc, sequence_numbers_accept_negative_int32);
	tcase_add_test(tc, rejects_huge_sequence_of);
	tcase_add_test(tc, writer_fixes_long_lengths);
	tcase_add_test(tc, integers_encode_minimally);
	tcase_add_test(tc, times_round_trip);
	tcase_add_test(tc, reads_high_tag_numbers);
	tcase_add_test(tc, reads_big_integers_and_oids);
	tcase_add_test(tc, skips_unknown_fields_only_where_extensible);
	tcase_add_test(tc, checks_utf8_strings);
	suite_add_tcase(s, tc);
	return s;
}
