/*
 * test/unit/check_asn1_krb5.c - the Kerberos codecs: MIT's reference
 * encodings and real captured messages round-trip byte for byte, every
 * truncation fails with an offset, random values round-trip, and libtasn1
 * (against asn1/krb5.asn) re-encodes our DER identically.
 */
#include <check.h>
#include <libtasn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/mem_int.h"
#include "asn1util.h"
#include "memfault.h"
#include "testutil.h"

/* Largest C struct of any type, for stack buffers. */
#define VALUE_MAX 1024

/* Decodes buf as t, re-encodes it, requires the same bytes; then decode(encode) == value. */
static void assert_round_trip(const struct kssp_asn1_type *t, const uint8_t *buf, size_t len,
    const char *label)
{
	_Alignas(max_align_t) uint8_t v1[VALUE_MAX], v2[VALUE_MAX];
	struct kssp_arena a;
	struct kssp_writer w;
	kssp_err e;

	ck_assert_uint_le(t->size, VALUE_MAX);
	kssp_arena_init(&a);
	e = kssp_asn1_decode(t, buf, len, &a, v1);
	ck_assert_msg(e == KSSP_OK, "%s as %s: %s", label, t->name, kssp_last_reason());
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_asn1_encode(t, v1, &w), KSSP_OK);
	ck_assert_msg(w.len == len && memcmp(w.buf, buf, len) == 0, "%s: re-encoding differs", label);
	ck_assert_int_eq(kssp_asn1_decode(t, w.buf, w.len, &a, v2), KSSP_OK);
	ck_assert_msg(tu_asn1_equal(t, v1, v2), "%s: decode(encode(x)) != x", label);
	kssp_writer_free(&w);
	kssp_arena_free(&a);
}

/* Every proper prefix of buf must fail, naming an offset. */
static void assert_truncations_fail(const struct kssp_asn1_type *t, const uint8_t *buf, size_t len,
    const char *label)
{
	_Alignas(max_align_t) uint8_t v[VALUE_MAX];
	struct kssp_arena a;
	size_t cut;

	kssp_arena_init(&a);
	for (cut = 0; cut < len; cut++) {
		kssp_err e = kssp_asn1_decode(t, buf, cut, &a, v);

		ck_assert_msg(e != KSSP_OK, "%s cut at %zu decoded", label, cut);
		ck_assert_msg(strstr(kssp_last_reason(), "at offset ") != NULL, "%s cut at %zu: '%s'",
		    label, cut, kssp_last_reason());
	}
	kssp_arena_free(&a);
}

static const struct { const char *mit; const char *type; } mit_names[] = {
	{ "authenticator", "Authenticator" }, { "ticket", "Ticket" }, { "keyblock", "EncryptionKey" },
	{ "enc_tkt_part", "EncTicketPart" }, { "enc_kdc_rep_part", "EncTGSRepPart" },
	{ "as_rep", "AS-REP" }, { "tgs_rep", "TGS-REP" }, { "ap_req", "AP-REQ" }, { "ap_rep", "AP-REP" },
	{ "ap_rep_enc_part", "EncAPRepPart" }, { "as_req", "AS-REQ" }, { "tgs_req", "TGS-REQ" },
	{ "kdc_req_body", "KDC-REQ-BODY" }, { "safe", "KRB-SAFE" }, { "priv", "KRB-PRIV" },
	{ "enc_priv_part", "EncKrbPrivPart" }, { "cred", "KRB-CRED" }, { "enc_cred_part", "EncKrbCredPart" },
	{ "error", "KRB-ERROR" }, { "authorization_data", "AuthorizationData" },
	{ "padata_sequence", "METHOD-DATA" }, { "etype_info", "ETYPE-INFO" }, { "etype_info2", "ETYPE-INFO2" },
	{ "pa_enc_ts", "PA-ENC-TS-ENC" }, { "enc_data", "EncryptedData" },
	{ "pa_s4u_x509_user", "PA-S4U-X509-USER" }, { "ad_kdcissued", "AD-KDCIssued" },
};

static const struct kssp_asn1_type *type_of_mit_name(const char *line)
{
	char base[64];
	size_t n = strcspn(line + strlen("encode_krb5_"), "( :"), i;

	ck_assert_uint_lt(n, sizeof(base));
	memcpy(base, line + strlen("encode_krb5_"), n);
	base[n] = 0;
	for (i = 0; i < sizeof(mit_names) / sizeof(mit_names[0]); i++)
		if (strcmp(mit_names[i].mit, base) == 0)
			return kssp_krb5_type_by_name(mit_names[i].type);
	ck_abort_msg("no type for %s", base);
	return NULL;
}

START_TEST(mit_reference_encodings_round_trip)
{
	FILE *f = fopen(tu_fixture("asn1/mit-reference.txt"), "r");
	char line[8192];
	uint8_t buf[4096];
	int count = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		const struct kssp_asn1_type *t;
		char *hex;
		size_t n;

		if (strncmp(line, "encode_krb5_", 12) != 0)
			continue;
		t = type_of_mit_name(line);
		ck_assert_ptr_nonnull(t);
		hex = strstr(line, ": ");
		ck_assert_ptr_nonnull(hex);
		n = tu_hex(hex + 2, buf, sizeof(buf));
		line[hex - line] = 0;
		assert_round_trip(t, buf, n, line);
		assert_truncations_fail(t, buf, n, line);
		count++;
	}
	fclose(f);
	ck_assert_int_ge(count, 38);
}
END_TEST

static const struct { const char *file; const char *type; } captures[] = {
	{ "captures/as-req-nopreauth.der", "AS-REQ" },
	{ "captures/krb-error-preauth-required.der", "KRB-ERROR" },
	{ "captures/as-req.der", "AS-REQ" },
	{ "captures/as-rep.der", "AS-REP" },
	{ "captures/tgs-req.der", "TGS-REQ" },
	{ "captures/tgs-rep.der", "TGS-REP" },
	{ "captures/tgs-req-forwardable.der", "TGS-REQ" },
	{ "captures/tgs-rep-forwardable.der", "TGS-REP" },
	{ "captures/ap-req.der", "AP-REQ" },
	{ "captures/ap-rep.der", "AP-REP" },
	{ "captures/krb-cred.der", "KRB-CRED" },
	{ "captures/as-req-fast.der", "AS-REQ" },
	{ "captures/krb-error-fast.der", "KRB-ERROR" },
	{ "captures/as-req-fast-challenge.der", "AS-REQ" },
	{ "captures/as-rep-fast.der", "AS-REP" },
};

START_TEST(captured_messages_round_trip)
{
	size_t len;
	uint8_t *buf = tu_read_fixture(captures[_i].file, &len);
	const struct kssp_asn1_type *t = kssp_krb5_type_by_name(captures[_i].type);

	ck_assert_ptr_nonnull(t);
	assert_round_trip(t, buf, len, captures[_i].file);
	assert_truncations_fail(t, buf, len, captures[_i].file);
	free(buf);
}
END_TEST

START_TEST(captured_messages_carry_their_fields)
{
	size_t len;
	uint8_t *buf = tu_read_fixture("captures/as-rep.der", &len);
	struct kssp_arena a;
	struct kssp_kdc_rep rep;
	struct kssp_kdc_req req;
	struct kssp_krb_error err;
	struct kssp_method_data md;
	struct kssp_typed_data td;
	enum kssp_krb5_e_data_kind kind;
	size_t allocations;

	kssp_arena_init(&a);
	kssp_alloc_fail_after(0);
	ck_assert_int_eq(kssp_krb5_decode_as_rep(buf, len, &a, &rep), KSSP_OK);
	allocations = kssp_alloc_fail_after(0);
	/* One arena block holds every SEQUENCE OF of a typical AS-REP. */
	ck_assert_uint_eq(allocations, 1);
	ck_assert_int_eq(rep.pvno, 5);
	ck_assert_int_eq(rep.msg_type, KSSP_KRB5_AS_REP);
	ck_assert_uint_eq(rep.crealm.len, 9);
	ck_assert_mem_eq(rep.crealm.data, "KSSP.TEST", 9);
	ck_assert_uint_eq(rep.cname.name_string_len, 1);
	ck_assert_mem_eq(rep.cname.name_string[0].data, "user", 4);
	ck_assert_uint_eq(rep.ticket.sname.name_string_len, 2);
	ck_assert_mem_eq(rep.ticket.sname.name_string[0].data, "krbtgt", 6);
	/* The raw Ticket bytes are a complete Ticket. */
	ck_assert_uint_eq(rep.ticket.der.data[0], 0x61);
	ck_assert_int_eq(rep.enc_part.etype, 18);
	kssp_arena_free(&a);
	free(buf);

	buf = tu_read_fixture("captures/tgs-req.der", &len);
	ck_assert_int_eq(kssp_krb5_decode_tgs_req(buf, len, &a, &req), KSSP_OK);
	/* req-body's raw bytes re-encode identically: what the authenticator checksum covers. */
	{
		struct kssp_writer w;

		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_krb5_encode_kdc_req_body(&req.req_body, &w), KSSP_OK);
		ck_assert_uint_eq(w.len, req.req_body.der.len);
		ck_assert_mem_eq(w.buf, req.req_body.der.data, w.len);
		kssp_writer_free(&w);
	}
	ck_assert_uint_ge(req.padata_len, 1);
	ck_assert_int_eq(req.padata[0].padata_type, 1); /* PA-TGS-REQ */
	kssp_arena_free(&a);
	free(buf);

	buf = tu_read_fixture("captures/krb-cred.der", &len);
	{
		struct kssp_krb_cred cred;
		struct kssp_enc_krb_cred_part part;

		ck_assert_int_eq(kssp_krb5_decode_krb_cred(buf, len, &a, &cred), KSSP_OK);
		ck_assert_uint_eq(cred.tickets_len, 1);
		ck_assert_mem_eq(cred.tickets[0].sname.name_string[0].data, "host", 4);
		/* MIT leaves the part unencrypted (etype 0) when the auth context has no key. */
		ck_assert_int_eq(cred.enc_part.etype, 0);
		ck_assert_int_eq(kssp_krb5_decode_enc_krb_cred_part(cred.enc_part.cipher.data,
		    cred.enc_part.cipher.len, &a, &part), KSSP_OK);
		ck_assert_uint_eq(part.ticket_info_len, 1);
		ck_assert_int_eq(part.ticket_info[0].key.keytype, 18);
		ck_assert_uint_eq(part.ticket_info[0].key.keyvalue.len, 32);
		ck_assert(part.ticket_info[0].has_flags);
		assert_round_trip(&kssp_krb5_enc_krb_cred_part_type, cred.enc_part.cipher.data,
		    cred.enc_part.cipher.len, "krb-cred enc-part");
		kssp_arena_free(&a);
	}
	free(buf);

	buf = tu_read_fixture("captures/krb-error-preauth-required.der", &len);
	ck_assert_int_eq(kssp_krb5_decode_krb_error(buf, len, &a, &err), KSSP_OK);
	ck_assert_int_eq(err.error_code, KDC_ERR_PREAUTH_REQUIRED);
	ck_assert_ptr_nonnull(err.e_data.data);
	ck_assert_int_eq(kssp_krb5_decode_e_data(&err.e_data, &a, &md, &td, &kind), KSSP_OK);
	ck_assert_int_eq(kind, KSSP_KRB5_E_DATA_METHOD);
	ck_assert_uint_ge(md.padata_len, 1);
	kssp_arena_free(&a);
	free(buf);
}
END_TEST

#define RANDOM_ROUNDS 1000

START_TEST(random_values_round_trip)
{
	const struct kssp_asn1_type *t = kssp_krb5_all_types[_i];
	struct tu_rng r = { 0x9e3779b97f4a7c15ULL + (uint64_t)_i };
	_Alignas(max_align_t) uint8_t v1[VALUE_MAX], v2[VALUE_MAX];
	int round;

	for (round = 0; round < RANDOM_ROUNDS; round++) {
		struct kssp_arena a;
		struct kssp_writer w;

		kssp_arena_init(&a);
		tu_asn1_random(t, &r, &a, v1);
		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_asn1_encode(t, v1, &w), KSSP_OK);
		ck_assert_msg(kssp_asn1_decode(t, w.buf, w.len, &a, v2) == KSSP_OK, "%s round %d: %s",
		    t->name, round, kssp_last_reason());
		ck_assert_msg(tu_asn1_equal(t, v1, v2), "%s round %d differs", t->name, round);
		kssp_writer_free(&w);
		kssp_arena_free(&a);
	}
}
END_TEST

static asn1_node krb5_definitions(void)
{
	static asn1_node defs;
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
	char path[4096];

	if (defs)
		return defs;
	snprintf(path, sizeof(path), "%s/../asn1/krb5.asn", tu_fixture(""));
	ck_assert_msg(asn1_parser2tree(path, &defs, err) == ASN1_SUCCESS, "krb5.asn: %s", err);
	return defs;
}

START_TEST(libtasn1_reencodes_identically)
{
	const struct kssp_asn1_type *t = kssp_krb5_all_types[_i];
	struct tu_rng r = { 0x243f6a8885a308d3ULL + (uint64_t)_i };
	_Alignas(max_align_t) uint8_t v[VALUE_MAX];
	char name[128], err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	static uint8_t theirs[1 << 20];
	int round;

	snprintf(name, sizeof(name), "KerberosV5.%s", t->name);
	for (round = 0; round < RANDOM_ROUNDS; round++) {
		struct kssp_arena a;
		struct kssp_writer w;
		asn1_node node = NULL;
		int len = sizeof(theirs), rc;

		kssp_arena_init(&a);
		tu_asn1_random(t, &r, &a, v);
		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_asn1_encode(t, v, &w), KSSP_OK);
		ck_assert_msg(asn1_create_element(krb5_definitions(), name, &node) == ASN1_SUCCESS,
		    "no %s in krb5.asn", name);
		rc = asn1_der_decoding(&node, w.buf, (int)w.len, err);
		ck_assert_msg(rc == ASN1_SUCCESS, "%s round %d: libtasn1 rejects ours: %s", t->name,
		    round, err);
		rc = asn1_der_coding(node, "", theirs, &len, err);
		ck_assert_msg(rc == ASN1_SUCCESS, "%s: libtasn1 cannot re-encode: %s", t->name, err);
		ck_assert_msg((size_t)len == w.len && memcmp(theirs, w.buf, w.len) == 0,
		    "%s round %d: libtasn1's DER differs", t->name, round);
		asn1_delete_structure(&node);
		kssp_writer_free(&w);
		kssp_arena_free(&a);
	}
}
END_TEST


START_TEST(enc_tgs_rep_part_accepts_as_tag)
{
	/* MIT's EncTGSRepPart [26] reference encoding, and the same content under [25]. */
	FILE *f = fopen(tu_fixture("asn1/mit-reference.txt"), "r");
	char line[8192];
	uint8_t buf[4096];
	size_t n = 0;
	struct kssp_arena a;
	struct kssp_enc_kdc_rep_part part;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "encode_krb5_enc_kdc_rep_part: ", 30) == 0)
			n = tu_hex(line + 30, buf, sizeof(buf));
	fclose(f);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(buf[0], 0x7a);
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_enc_tgs_rep_part(buf, n, &a, &part), KSSP_OK);
	ck_assert_int_ne(kssp_krb5_decode_enc_as_rep_part(buf, n, &a, &part), KSSP_OK);
	buf[0] = 0x79; /* [APPLICATION 25] */
	ck_assert_int_eq(kssp_krb5_decode_enc_as_rep_part(buf, n, &a, &part), KSSP_OK);
	ck_assert_int_eq(kssp_krb5_decode_enc_tgs_rep_part(buf, n, &a, &part), KSSP_OK);
	ck_assert_uint_eq(part.nonce, 42);
	kssp_arena_free(&a);
}
END_TEST

START_TEST(nonces_accept_negative_int32)
{
	/*
	 * Heimdal declares the nonce signed: its KDC-REQ-BODY carries values of
	 * 2^31 and above as negative INTEGERs.  They read as their two's
	 * complement, as seq-number does; the encoding stays unsigned.
	 */
	FILE *f = fopen(tu_fixture("asn1/mit-reference.txt"), "r");
	static const char name[] = "encode_krb5_kdc_req_body(optionals NULL except server): ";
	char line[8192];
	uint8_t buf[4096];
	size_t n = 0, i, at = 0;
	struct kssp_arena a;
	struct kssp_kdc_req_body body;
	struct kssp_writer w;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, sizeof(name) - 1) == 0)
			n = tu_hex(line + sizeof(name) - 1, buf, sizeof(buf));
	fclose(f);
	for (i = 0; i + 5 <= n && !at; i++)
		if (memcmp(buf + i, "\xa7\x03\x02\x01\x2a", 5) == 0)
			at = i + 4;
	ck_assert_uint_gt(at, 0);
	buf[at] = 0xd6; /* nonce [7] INTEGER -42 */
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_kdc_req_body(buf, n, &a, &body), KSSP_OK);
	ck_assert_uint_eq(body.nonce, 0xffffffd6u);
	kssp_writer_init_growable(&w, 4096);
	ck_assert_int_eq(kssp_krb5_encode_kdc_req_body(&body, &w), KSSP_OK);
	/* Unsigned: 02 05 00 ff ff ff d6, four octets longer than the signed form. */
	ck_assert_uint_eq(w.len, n + 4);
	kssp_writer_free(&w);
	kssp_arena_free(&a);
}
END_TEST

START_TEST(e_data_typed_form)
{
	struct kssp_typed_data_entry entries[2];
	struct kssp_typed_data td = { { NULL, 0 }, entries, 2 }, back;
	struct kssp_method_data md;
	struct kssp_der_bytes e_data;
	enum kssp_krb5_e_data_kind kind;
	struct kssp_arena a;
	struct kssp_writer w;
	static const uint8_t value[3] = { 1, 2, 3 };

	memset(entries, 0, sizeof(entries));
	entries[0].data_type = 1; /* TD-... values are opaque here */
	entries[0].data_value.data = value;
	entries[0].data_value.len = sizeof(value);
	entries[1].data_type = 2; /* no data-value */
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_typed_data(&td, &w), KSSP_OK);
	e_data.data = w.buf;
	e_data.len = w.len;
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_e_data(&e_data, &a, &md, &back, &kind), KSSP_OK);
	ck_assert_int_eq(kind, KSSP_KRB5_E_DATA_TYPED);
	ck_assert_uint_eq(back.entries_len, 2);
	ck_assert(tu_asn1_equal(&kssp_krb5_typed_data_type, &td, &back));
	ck_assert_ptr_null(back.entries[1].data_value.data);
	kssp_arena_free(&a);
	kssp_writer_free(&w);
}
END_TEST

/* Samba's KRB-ERROR e-data for a locked-out account (MS-KILE §2.2.1, §2.2.2). */
START_TEST(kerb_error_data_carries_ntstatus)
{
	static const uint8_t locked[] = {
		0x30, 0x15, 0xa1, 0x03, 0x02, 0x01, 0x03, 0xa2, 0x0e, 0x04, 0x0c,
		0x34, 0x02, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	};
	static const uint8_t method[] = { 0x30, 0x0d, 0x30, 0x0b, 0xa1, 0x03, 0x02, 0x01, 0x13,
		0xa2, 0x04, 0x04, 0x02, 0x30, 0x00 };
	struct kssp_der_bytes e_data = { locked, sizeof(locked) }, md = { method, sizeof(method) };
	struct kssp_der_bytes cut = { locked + 11, 11 };
	struct kssp_kerb_error_data ked;
	struct kssp_kerb_ext_error ext;
	struct kssp_arena a;
	struct kssp_writer w;

	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_kerb_error_data(locked, sizeof(locked), &a, &ked), KSSP_OK);
	ck_assert_int_eq(ked.data_type, KSSP_KERB_ERR_TYPE_EXTENDED);
	ck_assert_uint_eq(ked.data_value.len, 12);
	ck_assert_int_eq(kssp_krb5_decode_kerb_ext_error(&ked.data_value, &ext), KSSP_OK);
	ck_assert_uint_eq(ext.status, 0xC0000234);
	ck_assert_uint_eq(ext.reserved, 0);
	ck_assert_uint_eq(ext.flags, 1);
	ck_assert_str_eq(kssp_krb5_ntstatus_name(ext.status), "STATUS_ACCOUNT_LOCKED_OUT");
	ck_assert_ptr_null(kssp_krb5_ntstatus_name(0xC0000001));
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_kerb_error_data(&ked, &w), KSSP_OK);
	ck_assert_uint_eq(w.len, sizeof(locked));
	ck_assert_mem_eq(w.buf, locked, sizeof(locked));
	kssp_writer_free(&w);
	/* The NTSTATUS of e-data: AD's, none in METHOD-DATA, none in a cut KERB-EXT-ERROR. */
	ck_assert_uint_eq(kssp_krb5_e_data_ntstatus(&e_data), 0xC0000234);
	ck_assert_uint_eq(kssp_krb5_e_data_ntstatus(&md), 0);
	ck_assert_int_ne(kssp_krb5_decode_kerb_ext_error(&cut, &ext), KSSP_OK);
	kssp_arena_free(&a);
}
END_TEST

Suite *kssp_suite_asn1_krb5(void);
Suite *kssp_suite_asn1_krb5(void)
{
	Suite *s = suite_create("asn1_krb5");
	TCase *tc = tcase_create("krb5");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mit_reference_encodings_round_trip);
	tcase_add_loop_test(tc, captured_messages_round_trip, 0, sizeof(captures) / sizeof(captures[0]));
	tcase_add_test(tc, captured_messages_carry_their_fields);
	tcase_add_test(tc, enc_tgs_rep_part_accepts_as_tag);
	tcase_add_test(tc, nonces_accept_negative_int32);
	tcase_add_test(tc, e_data_typed_form);
	tcase_add_test(tc, kerb_error_data_carries_ntstatus);
	tcase_add_loop_test(tc, random_values_round_trip, 0, (int)kssp_krb5_n_types);
	tcase_add_loop_test(tc, libtasn1_reencodes_identically, 0, (int)kssp_krb5_n_types);
	suite_add_tcase(s, tc);
	return s;
}
