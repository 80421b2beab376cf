/*
 * test/unit/check_context_pac_accept.c - the acceptor and the PAC: a
 * ticket built here (the library's own encoders, the service key of
 * test/tools/mkpac.c) carrying fixtures/pac/aes256.pac is accepted and
 * its PAC kept; an altered signature, client info naming another client,
 * an unkeyed checksum, two PACs and a malformed PAC are refused with a
 * KRB-ERROR; a PAC in the authenticator is ignored; the application's
 * views (logon info in one context buffer, "DOMAIN\account").
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "context/ap_int.h"
#include "context/pac_int.h"
#include "creds/file_int.h"
#include "sspi/handle_int.h"
#include "sspi/pac_int.h"
#include "testutil.h"

#define AUTHTIME 1700000000
#define SERVICE "HTTP/web.ad.example.test@AD.EXAMPLE.TEST"

/* base's fixed clock and seeded random stream: a reproducible acceptor. */
static struct kssp_fixed_clock clock_at = { { AUTHTIME + 60, 0 } };
static struct kssp_seeded_random rnd;
static struct kssp_hooks hooks = { .clock = kssp_fixed_clock, .clock_arg = &clock_at,
	.random = kssp_seeded_random, .random_arg = &rnd };

/* test/tools/mkpac.c's AES key: bytes 01..20. */
static void service_key(struct kssp_key *k)
{
	uint8_t b[32];
	size_t i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(1 + i);
	ck_assert_int_eq(kssp_crypto_key_init(k, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, b, 32),
	    KSSP_OK);
}

static struct kssp_der_bytes bytes(const void *p, size_t n)
{
	return (struct kssp_der_bytes){ .data = p, .len = n };
}

/* AD-IF-RELEVANT holding n copies of the PAC (n 0: an empty list). */
static void if_relevant(const uint8_t *pac, size_t len, size_t n, struct kssp_writer *out)
{
	struct kssp_authdata el[2];
	struct kssp_authorization_data ad;
	size_t i;

	memset(el, 0, sizeof(el));
	for (i = 0; i < n; i++) {
		el[i].ad_type = KSSP_AD_WIN2K_PAC;
		el[i].ad_data = bytes(pac, len);
	}
	memset(&ad, 0, sizeof(ad));
	ad.elements = el;
	ad.elements_len = n;
	kssp_writer_init_growable(out, 0);
	ck_assert_int_eq(kssp_krb5_encode_ad_if_relevant(&ad, out), KSSP_OK);
}

struct token_spec {
	const char *client;       /* the ticket's cname */
	const uint8_t *pac;       /* in the ticket, or NULL */
	size_t pac_len;
	size_t copies;            /* of the PAC in the ticket's AD-IF-RELEVANT */
	const uint8_t *auth_pac;  /* in the authenticator, or NULL */
	size_t auth_pac_len;
};

static void seal(struct kssp_key *key, uint32_t usage, struct kssp_writer *plain,
    struct kssp_encrypted_data *ed, uint8_t **cipher)
{
	size_t clen = 0;

	ck_assert_int_eq(kssp_crypto_seal(&hooks, key, usage, plain->buf, plain->len, cipher,
	    &clen), KSSP_OK);
	memset(ed, 0, sizeof(*ed));
	ed->etype = key->enctype;
	ed->cipher = bytes(*cipher, clen);
	kssp_writer_free(plain);
}

/* An AP-REQ token for SERVICE as the spec says, session key = service key. */
static void make_token(const struct token_spec *t, uint8_t **tok, size_t *tlen)
{
	static const uint8_t gss_cksum[24] = { 16 };
	struct kssp_der_bytes cname[1] = { bytes(t->client, strlen(t->client)) };
	struct kssp_der_bytes sname[2] = { bytes("HTTP", 4), bytes("web.ad.example.test", 19) };
	struct kssp_der_bytes realm = bytes("AD.EXAMPLE.TEST", 15);
	struct kssp_authdata tkt_ad, auth_ad;
	struct kssp_enc_ticket_part part;
	struct kssp_authenticator auth;
	struct kssp_ap_req req;
	struct kssp_writer w, tw, aw, rw;
	struct kssp_key key;
	uint8_t *tcipher = NULL, *acipher = NULL;

	memset(&key, 0, sizeof(key));
	service_key(&key);
	memset(&part, 0, sizeof(part));
	part.flags = KSSP_TKT_FLG_PRE_AUTHENT;
	part.key.keytype = key.enctype;
	part.key.keyvalue = bytes(key.contents, key.length);
	part.cname.name_type = 1;
	part.cname.name_string = cname;
	part.cname.name_string_len = 1;
	part.crealm = realm;
	part.transited.contents = bytes("", 0);
	part.authtime = AUTHTIME;
	part.endtime = AUTHTIME + 36000;
	if (t->pac) {
		if_relevant(t->pac, t->pac_len, t->copies, &tw);
		tkt_ad = (struct kssp_authdata){ .ad_type = KSSP_AD_IF_RELEVANT,
			.ad_data = bytes(tw.buf, tw.len) };
		part.authorization_data = &tkt_ad;
		part.authorization_data_len = 1;
	}
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_ticket_part(&part, &w), KSSP_OK);
	if (t->pac)
		kssp_writer_free(&tw);
	memset(&req, 0, sizeof(req));
	seal(&key, KSSP_KU_TICKET, &w, &req.ticket.enc_part, &tcipher);
	req.ticket.enc_part.has_kvno = true;
	req.ticket.enc_part.kvno = 2;

	memset(&auth, 0, sizeof(auth));
	auth.authenticator_vno = 5;
	auth.crealm = realm;
	auth.cname = part.cname;
	auth.has_cksum = true;
	auth.cksum.cksumtype = KSSP_CKSUMTYPE_GSSAPI;
	auth.cksum.checksum = bytes(gss_cksum, sizeof(gss_cksum));
	auth.ctime = AUTHTIME + 60;
	if (t->auth_pac) {
		if_relevant(t->auth_pac, t->auth_pac_len, 1, &aw);
		auth_ad = (struct kssp_authdata){ .ad_type = KSSP_AD_IF_RELEVANT,
			.ad_data = bytes(aw.buf, aw.len) };
		auth.authorization_data = &auth_ad;
		auth.authorization_data_len = 1;
	}
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_authenticator(&auth, &w), KSSP_OK);
	if (t->auth_pac)
		kssp_writer_free(&aw);
	seal(&key, KSSP_KU_AP_REQ_AUTH, &w, &req.authenticator, &acipher);

	req.pvno = 5;
	req.msg_type = KSSP_KRB5_AP_REQ;
	req.ticket.tkt_vno = 5;
	req.ticket.realm = realm;
	req.ticket.sname.name_type = 2;
	req.ticket.sname.name_string = sname;
	req.ticket.sname.name_string_len = 2;
	kssp_writer_init_growable(&rw, 0);
	ck_assert_int_eq(kssp_krb5_encode_ap_req(&req, &rw), KSSP_OK);
	ck_assert_int_eq(kssp_ctx_frame(KSSP_TOK_AP_REQ, rw.buf, rw.len, tok, tlen), KSSP_OK);
	kssp_writer_free(&rw);
	kssp_free(tcipher);
	kssp_free(acipher);
	kssp_crypto_key_clear(&key);
}

static struct kssp_keytab keytab;
static uint8_t *fixture;
static size_t fixture_len;

static void setup(void)
{
	struct kssp_principal *svc = NULL;
	struct kssp_key key;

	memset(&key, 0, sizeof(key));
	service_key(&key);
	kssp_keytab_init(&keytab);
	ck_assert_int_eq(kssp_principal_parse(SERVICE, 0, NULL, &svc), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_key(&keytab, svc, 2, key.enctype, key.contents,
	    key.length, AUTHTIME), KSSP_OK);
	kssp_principal_free(svc);
	kssp_crypto_key_clear(&key);
	ck_assert_int_eq(kssp_creds_file_read(tu_fixture("pac/aes256.pac"), &fixture,
	    &fixture_len), KSSP_OK);
}

static void teardown(void)
{
	kssp_keytab_free(&keytab);
	free(fixture);
}

/* Accepts the spec's token; on failure checks the KRB-ERROR token's code. */
static kssp_err accept_spec(const struct token_spec *t, struct kssp_ctx *ctx)
{
	struct kssp_ctx_accept_params p = { .keytab = &keytab };
	uint8_t *tok = NULL, *reply = NULL;
	size_t tlen = 0, rlen = 0;
	kssp_err e;

	make_token(t, &tok, &tlen);
	kssp_ctx_init(ctx, &hooks);
	e = kssp_ctx_accept(ctx, &p, tok, tlen, &reply, &rlen);
	if (e) {
		struct kssp_krb_error err;
		struct kssp_arena arena;
		const uint8_t *inner;
		size_t ilen;
		uint16_t id;

		ck_assert_ptr_nonnull(reply);
		ck_assert_int_eq(kssp_ctx_unframe(reply, rlen, &id, &inner, &ilen), KSSP_OK);
		kssp_arena_init(&arena);
		ck_assert_int_eq(kssp_krb5_decode_krb_error(inner, ilen, &arena, &err), KSSP_OK);
		ck_assert_int_eq(err.error_code, e);
		kssp_arena_free(&arena);
		ck_assert_ptr_null(ctx->pac);
	}
	kssp_free(tok);
	kssp_free(reply);
	return e;
}

START_TEST(verified_pac_is_kept)
{
	struct token_spec t = { "alice", fixture, fixture_len, 1, NULL, 0 };
	struct kssp_ctx ctx;
	struct kssp_pac pac;
	char *name = NULL;

	ck_assert_msg(accept_spec(&t, &ctx) == KSSP_OK, "%s", kssp_last_reason());
	ck_assert_ptr_nonnull(ctx.pac);
	ck_assert_int_eq(kssp_ctx_pac(&ctx, &pac), KSSP_OK);
	ck_assert(pac.server_signature_verified);
	ck_assert_uint_eq(pac.len, fixture_len);
	ck_assert_int_eq(kssp_sspi_pac_windows_name(&pac, &name), KSSP_OK);
	ck_assert_str_eq(name, "KSSPAD\\alice");
	kssp_free(name);
	kssp_pac_free(&pac);
	kssp_ctx_clear(&ctx);
	ck_assert_ptr_null(ctx.pac);
}
END_TEST

START_TEST(no_pac_is_as_before)
{
	struct token_spec t = { "alice", NULL, 0, 0, NULL, 0 };
	struct kssp_ctx ctx;
	char *name = NULL;

	ck_assert_int_eq(accept_spec(&t, &ctx), KSSP_OK);
	ck_assert_ptr_null(ctx.pac);
	ck_assert_int_eq(kssp_sspi_pac_windows_name(NULL, &name), KSSP_ERR_NOT_FOUND);
	kssp_ctx_clear(&ctx);
}
END_TEST

START_TEST(altered_signature_is_refused)
{
	struct token_spec t = { "alice", NULL, 0, 1, NULL, 0 };
	struct kssp_pac pac;
	struct kssp_ctx ctx;
	uint8_t *copy = malloc(fixture_len);

	ck_assert_int_eq(kssp_pac_parse(fixture, fixture_len, &pac), KSSP_OK);
	memcpy(copy, fixture, fixture_len);
	copy[pac.server_signature.offset + 4] ^= 1;
	t.pac = copy;
	t.pac_len = fixture_len;
	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_MODIFIED);
	/* The signature intact, the account renamed ("alice" to "mlice"). */
	copy[pac.server_signature.offset + 4] ^= 1;
	copy[(size_t)(pac.logon_info->effective_name.data - pac.data)] = 'm';
	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_MODIFIED);
	kssp_pac_free(&pac);
	free(copy);
}
END_TEST

START_TEST(client_info_naming_another_client_is_refused)
{
	struct token_spec t = { "bob", fixture, fixture_len, 1, NULL, 0 };
	struct kssp_ctx ctx;

	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_BADMATCH);
}
END_TEST

START_TEST(unkeyed_checksum_is_refused)
{
	struct token_spec t = { "alice", NULL, 0, 1, NULL, 0 };
	struct kssp_pac pac;
	struct kssp_ctx ctx;
	uint8_t *copy = malloc(fixture_len);

	ck_assert_int_eq(kssp_pac_parse(fixture, fixture_len, &pac), KSSP_OK);
	memcpy(copy, fixture, fixture_len);
	copy[pac.server_signature.offset] = 7; /* rsa-md5: anyone can compute it */
	kssp_pac_free(&pac);
	t.pac = copy;
	t.pac_len = fixture_len;
	/* MS-APDS 3.2.5.4: refused as any PAC that does not verify. */
	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_MODIFIED);
	free(copy);
}
END_TEST

START_TEST(two_pacs_are_refused)
{
	struct token_spec t = { "alice", fixture, fixture_len, 2, NULL, 0 };
	struct kssp_ctx ctx;

	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_MODIFIED);
}
END_TEST

START_TEST(malformed_pac_is_refused)
{
	struct token_spec t = { "alice", fixture, 20, 1, NULL, 0 };
	struct kssp_ctx ctx;

	ck_assert_int_eq(accept_spec(&t, &ctx), KRB_AP_ERR_MODIFIED);
}
END_TEST

START_TEST(pac_in_authenticator_is_ignored)
{
	/* A PAC the client wrote: well formed, but signed for "mallory" and
	 * with a broken signature.  Only the ticket's PAC counts. */
	struct token_spec t = { "alice", NULL, 0, 0, NULL, 0 };
	struct kssp_ctx ctx;
	uint8_t *copy = malloc(fixture_len);

	memcpy(copy, fixture, fixture_len);
	copy[fixture_len - 1] ^= 0xff;
	t.auth_pac = copy;
	t.auth_pac_len = fixture_len;
	ck_assert_int_eq(accept_spec(&t, &ctx), KSSP_OK);
	ck_assert_ptr_null(ctx.pac);
	kssp_ctx_clear(&ctx);
	/* ... and beside the ticket's own, it is not a second PAC. */
	t.pac = fixture;
	t.pac_len = fixture_len;
	t.copies = 1;
	ck_assert_int_eq(accept_spec(&t, &ctx), KSSP_OK);
	ck_assert_ptr_nonnull(ctx.pac);
	kssp_ctx_clear(&ctx);
	free(copy);
}
END_TEST

START_TEST(logon_info_in_one_buffer)
{
	struct kssp_pac pac;
	PKSSP_LOGON_INFO li = NULL;
	KSSP_PAC raw;
	size_t before = kssp_sspi_buffer_count();

	ck_assert_int_eq(kssp_pac_parse(fixture, fixture_len, &pac), KSSP_OK);
	pac.server_signature_verified = true;
	ck_assert_int_eq(kssp_sspi_pac_logon_info(&pac, &li), SEC_E_OK);
	ck_assert_str_eq(li->AccountName, "alice");
	ck_assert_str_eq(li->LogonDomainName, "KSSPAD");
	ck_assert_str_eq(li->UserSid, "S-1-5-21-1111111111-2222222222-3333333333-1105");
	ck_assert_str_eq(li->PrimaryGroupSid, "S-1-5-21-1111111111-2222222222-3333333333-513");
	ck_assert_uint_eq(li->GroupCount, 3);
	ck_assert_str_eq(li->Groups[2].Sid, "S-1-5-21-1111111111-2222222222-3333333333-1107");
	ck_assert_uint_eq(li->Groups[2].Attributes, 7);
	ck_assert_uint_eq(li->ExtraSidCount, 2);
	ck_assert_str_eq(li->ExtraSids[1].Sid, "S-1-5-21-1-2-3-4242");
	ck_assert_uint_eq(li->ExtraSids[1].Attributes, 0x20000007);
	ck_assert_uint_eq(li->ResourceGroupCount, 2);
	ck_assert_str_eq(li->ResourceGroups[1].Sid, "S-1-5-21-1444444444-555555555-666666666-2002");
	ck_assert_str_eq(li->Upn, "alice@ad.example.test");
	ck_assert_str_eq(li->DnsDomainName, "AD.EXAMPLE.TEST");
	ck_assert_uint_eq(li->LogonTime, 133000000000000000ull);
	ck_assert_uint_eq(li->UserFlags, 0x220);
	ck_assert_uint_eq(li->TransitedServiceCount, 2);
	ck_assert_str_eq(li->TransitedServices[1], "host/mid.ad.example.test@AD.EXAMPLE.TEST");
	ck_assert_uint_eq(kssp_sspi_buffer_count(), before + 1);
	ck_assert_int_eq(FreeContextBuffer(li), SEC_E_OK);
	ck_assert_int_eq(kssp_sspi_pac_raw(&pac, &raw), SEC_E_OK);
	ck_assert_uint_eq(raw.PacLength, fixture_len);
	ck_assert_mem_eq(raw.Pac, fixture, fixture_len);
	ck_assert_uint_eq(raw.Flags, KSSP_PAC_SERVER_SIGNATURE_VERIFIED |
	    KSSP_PAC_KDC_SIGNATURE_PRESENT);
	ck_assert_int_eq(FreeContextBuffer(raw.Pac), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_buffer_count(), before);
	ck_assert_int_eq(kssp_sspi_pac_logon_info(NULL, &li), SEC_E_UNSUPPORTED_FUNCTION);
	kssp_pac_free(&pac);
}
END_TEST

Suite *kssp_suite_context_pac_accept(void);

Suite *kssp_suite_context_pac_accept(void)
{
	Suite *s = suite_create("context_pac_accept");
	TCase *t = tcase_create("accept");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, verified_pac_is_kept);
	tcase_add_test(t, no_pac_is_as_before);
	tcase_add_test(t, altered_signature_is_refused);
	tcase_add_test(t, client_info_naming_another_client_is_refused);
	tcase_add_test(t, unkeyed_checksum_is_refused);
	tcase_add_test(t, two_pacs_are_refused);
	tcase_add_test(t, malformed_pac_is_refused);
	tcase_add_test(t, pac_in_authenticator_is_ignored);
	tcase_add_test(t, logon_info_in_one_buffer);
	suite_add_tcase(s, t);
	return s;
}
