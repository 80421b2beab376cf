/*
 * test/unit/check_kdc_kpasswd.c - the kpasswd reply (RFC 3244 §2) read by
 * kdc/kpasswd: a success, a refusal with AD's policy blob, a KRB-ERROR
 * carrying the result, and malformed replies (every truncation, a wrong
 * length field or version, a sequence number out of order) refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/mem_int.h"
#include "kdc/kpasswd_int.h"

#define SEQ 4242

struct keys {
	struct kssp_key session, subkey;
};

static void make_keys(struct keys *k)
{
	uint8_t a[32], b[32];

	memset(a, 0x11, sizeof(a));
	memset(b, 0x22, sizeof(b));
	ck_assert_int_eq(kssp_crypto_key_init(&k->session, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, a,
	    32), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_key_init(&k->subkey, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, b,
	    32), KSSP_OK);
}

static void free_keys(struct keys *k)
{
	kssp_crypto_key_clear(&k->session);
	kssp_crypto_key_clear(&k->subkey);
}

/* Seals plain under key and usage as an EncryptedData. */
static void seal(struct kssp_key *key, uint32_t usage, const struct kssp_writer *plain,
    struct kssp_encrypted_data *out, uint8_t **cipher)
{
	size_t len = 0;

	ck_assert_int_eq(kssp_crypto_seal(NULL, key, usage, plain->buf, plain->len, cipher, &len),
	    KSSP_OK);
	memset(out, 0, sizeof(*out));
	out->etype = key->enctype;
	out->cipher.data = *cipher;
	out->cipher.len = len;
}

/* A reply frame: the AP-REP (sequence number ap_seq) and a KRB-PRIV (priv_seq) holding result. */
static void make_reply(struct keys *k, uint16_t version, uint32_t ap_seq, uint32_t priv_seq,
    const uint8_t *result, size_t result_len, struct kssp_writer *out)
{
	struct kssp_enc_ap_rep_part ep;
	struct kssp_ap_rep rep;
	struct kssp_krb_safe_body part;
	struct kssp_krb_priv priv;
	struct kssp_writer w1, w2, w3, w4;
	uint8_t *c1 = NULL, *c2 = NULL, addr[4] = { 127, 0, 0, 1 };

	memset(&ep, 0, sizeof(ep));
	ep.ctime = 1700000000;
	ep.has_seq_number = true;
	ep.seq_number = ap_seq;
	kssp_writer_init_growable(&w1, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_ap_rep_part(&ep, &w1), KSSP_OK);
	memset(&rep, 0, sizeof(rep));
	rep.pvno = 5;
	rep.msg_type = KSSP_KRB5_AP_REP;
	seal(&k->session, KSSP_KU_AP_REP_ENC_PART, &w1, &rep.enc_part, &c1);
	kssp_writer_init_growable(&w2, 0);
	ck_assert_int_eq(kssp_krb5_encode_ap_rep(&rep, &w2), KSSP_OK);

	memset(&part, 0, sizeof(part));
	part.user_data.data = result;
	part.user_data.len = result_len;
	part.has_seq_number = true;
	part.seq_number = priv_seq;
	part.s_address.addr_type = 2;
	part.s_address.address.data = addr;
	part.s_address.address.len = 4;
	kssp_writer_init_growable(&w3, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_krb_priv_part(&part, &w3), KSSP_OK);
	memset(&priv, 0, sizeof(priv));
	priv.pvno = 5;
	priv.msg_type = KSSP_KRB5_PRIV;
	seal(&k->subkey, KSSP_KU_KRB_PRIV_ENC_PART, &w3, &priv.enc_part, &c2);
	kssp_writer_init_growable(&w4, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_priv(&priv, &w4), KSSP_OK);

	kssp_writer_init_growable(out, 0);
	kssp_writer_put_be16(out, (uint16_t)(6 + w2.len + w4.len));
	kssp_writer_put_be16(out, version);
	kssp_writer_put_be16(out, (uint16_t)w2.len);
	kssp_writer_put_bytes(out, w2.buf, w2.len);
	kssp_writer_put_bytes(out, w4.buf, w4.len);
	ck_assert_int_eq(kssp_writer_status(out), KSSP_OK);
	kssp_writer_free(&w1);
	kssp_writer_free(&w2);
	kssp_writer_free(&w3);
	kssp_writer_free(&w4);
	kssp_free(c1);
	kssp_free(c2);
}

static kssp_err read_reply(struct keys *k, const uint8_t *msg, size_t len,
    struct kssp_kpasswd_result *res)
{
	struct kssp_config *cfg = NULL;
	struct kssp_kdc_ctx ctx;
	kssp_err e;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	kssp_kdc_ctx_init(&ctx, cfg, NULL);
	e = kssp_kpasswd_read_reply(&ctx, msg, len, &k->session, &k->subkey, res);
	kssp_kdc_ctx_free(&ctx);
	kssp_config_free(cfg);
	return e;
}

START_TEST(success_is_read)
{
	static const uint8_t ok[] = { 0, 0 };
	struct kssp_kpasswd_result res;
	struct kssp_writer w;
	struct keys k;

	make_keys(&k);
	make_reply(&k, 1, SEQ, SEQ, ok, sizeof(ok), &w);
	ck_assert_int_eq(read_reply(&k, w.buf, w.len, &res), KSSP_OK);
	ck_assert_int_eq(res.code, 0);
	kssp_writer_free(&w);
	free_keys(&k);
}
END_TEST

START_TEST(ad_policy_blob_in_words)
{
	/* Soft error; 0x0000, min length 7, history 24, complex, max age 42 days, min age 1 day. */
	static const uint8_t blob[] = {
		0, 4, 0, 0, 0, 0, 0, 7, 0, 0, 0, 24, 0, 0, 0, 1,
		0xff, 0xff, 0xde, 0xff, 0x0a, 0xa6, 0x80, 0x00, /* -42 days in 100 ns */
		0xff, 0xff, 0xff, 0x36, 0xd5, 0x96, 0x40, 0x00, /* -1 day */
	};
	struct kssp_kpasswd_result res;
	struct kssp_writer w;
	struct keys k;

	make_keys(&k);
	make_reply(&k, 0xff80, SEQ, SEQ, blob, sizeof(blob), &w);
	ck_assert_int_eq(read_reply(&k, w.buf, w.len, &res), KDC_ERR_POLICY);
	ck_assert_int_eq(res.code, KSSP_KPASSWD_SOFTERROR);
	ck_assert_msg(strstr(res.text, "minimum length 7, history 24, complexity required") != NULL,
	    "%s", res.text);
	ck_assert_msg(strstr(res.text, "minimum age 1 day(s), maximum age 42 day(s)") != NULL, "%s",
	    res.text);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "SOFTERROR (4)"));
	kssp_writer_free(&w);
	free_keys(&k);
}
END_TEST

START_TEST(krb_error_carries_the_result)
{
	static const uint8_t e_data[] = { 0, 3, 'n', 'o' };
	struct kssp_krb_error err;
	struct kssp_kpasswd_result res;
	struct kssp_writer e, w;
	struct keys k;

	make_keys(&k);
	memset(&err, 0, sizeof(err));
	err.pvno = 5;
	err.msg_type = KSSP_KRB5_ERROR;
	err.stime = 1700000000;
	err.error_code = KRB_AP_ERR_MODIFIED;
	err.realm.data = (const uint8_t *)"R";
	err.realm.len = 1;
	err.sname.name_type = 2;
	err.e_data.data = e_data;
	err.e_data.len = sizeof(e_data);
	kssp_writer_init_growable(&e, 0);
	ck_assert_int_eq(kssp_krb5_encode_krb_error(&err, &e), KSSP_OK);
	kssp_writer_init_growable(&w, 0);
	kssp_writer_put_be16(&w, (uint16_t)(6 + e.len));
	kssp_writer_put_be16(&w, 1);
	kssp_writer_put_be16(&w, 0);
	kssp_writer_put_bytes(&w, e.buf, e.len);
	ck_assert_int_eq(read_reply(&k, w.buf, w.len, &res), KDC_ERR_POLICY);
	ck_assert_int_eq(res.code, KSSP_KPASSWD_AUTHERROR);
	ck_assert_str_eq(res.text, "no");
	kssp_writer_free(&e);
	kssp_writer_free(&w);
	free_keys(&k);
}
END_TEST

START_TEST(malformed_replies_refused)
{
	static const uint8_t ok[] = { 0, 0 };
	struct kssp_kpasswd_result res;
	struct kssp_writer w;
	struct keys k;
	uint8_t *copy;
	size_t n;

	make_keys(&k);
	make_reply(&k, 1, SEQ, SEQ, ok, sizeof(ok), &w);
	copy = malloc(w.len);
	ck_assert_ptr_nonnull(copy);
	/* Every truncation, its length field fixed up or not. */
	for (n = 0; n < w.len; n++) {
		memcpy(copy, w.buf, n);
		ck_assert_int_ne(read_reply(&k, copy, n, &res), KSSP_OK);
		if (n >= 2) {
			copy[0] = (uint8_t)(n >> 8);
			copy[1] = (uint8_t)n;
			ck_assert_int_ne(read_reply(&k, copy, n, &res), KSSP_OK);
		}
	}
	/* Every single-byte corruption fails or is a different, authenticated reading. */
	for (n = 0; n < w.len; n++) {
		memcpy(copy, w.buf, w.len);
		copy[n] ^= 0x5a;
		ck_assert_int_ne(read_reply(&k, copy, w.len, &res), KSSP_OK);
	}
	memcpy(copy, w.buf, w.len);
	copy[3] = 2; /* version 2 */
	ck_assert_int_eq(read_reply(&k, copy, w.len, &res), KSSP_ERR_BAD_ENCODING);
	free(copy);
	kssp_writer_free(&w);
	make_reply(&k, 1, SEQ, SEQ + 1, ok, sizeof(ok), &w);
	ck_assert_int_eq(read_reply(&k, w.buf, w.len, &res), KRB_AP_ERR_BADORDER);
	kssp_writer_free(&w);
	free_keys(&k);
}
END_TEST

Suite *kssp_suite_kdc_kpasswd(void);
Suite *kssp_suite_kdc_kpasswd(void)
{
	Suite *s = suite_create("kdc_kpasswd");
	TCase *tc = tcase_create("reply");

	tcase_add_test(tc, success_is_read);
	tcase_add_test(tc, ad_policy_blob_in_words);
	tcase_add_test(tc, krb_error_carries_the_result);
	tcase_add_test(tc, malformed_replies_refused);
	suite_add_tcase(s, tc);
	return s;
}
