/*
 * test/unit/check_context_pac.c - the PAC (MS-PAC): the fixtures of
 * fixtures/pac/ (buffers marshalled by Samba's NDR code, signed by MIT's
 * krb5_pac_sign: test/tools/mkpac.py and mkpac.c) decode and verify, and
 * every bound of the container, the NDR reader and the verifier holds.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"
#include "context/pac_int.h"
#include "creds/file_int.h"
#include "testutil.h"

#define AUTHTIME 1700000000
#define MAXPAC 4096

/* The keys of test/tools/mkpac.c: bytes counting up from first. */
static void make_key(struct kssp_key *k, int32_t enctype, size_t len, uint8_t first)
{
	uint8_t b[32];
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(first + i);
	ck_assert_int_eq(kssp_crypto_key_init(k, enctype, b, len), KSSP_OK);
}

static void aes_key(struct kssp_key *k)
{
	make_key(k, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, 0x01);
}

static void rc4_key(struct kssp_key *k)
{
	make_key(k, KSSP_ENCTYPE_ARCFOUR_HMAC, 16, 0x41);
}

static struct kssp_principal *princ(const char *name)
{
	struct kssp_principal *p = NULL;

	ck_assert_int_eq(kssp_principal_parse(name, 0, NULL, &p), KSSP_OK);
	return p;
}

static uint8_t *load(const char *rel, size_t *len)
{
	uint8_t *data = NULL;

	ck_assert_int_eq(kssp_creds_file_read(tu_fixture(rel), &data, len), KSSP_OK);
	return data;
}

static void ck_str(const struct kssp_pac_string *s, const char *want)
{
	char *got = NULL;

	ck_assert_int_eq(kssp_pac_string_utf8(s, &got), KSSP_OK);
	ck_assert_str_eq(got, want);
	kssp_free(got);
}

static void ck_sid(const struct kssp_pac_sid *sid, const char *want)
{
	char text[KSSP_PAC_SID_TEXT_MAX];

	ck_assert_ptr_nonnull(sid);
	kssp_pac_sid_text(sid, text);
	ck_assert_str_eq(text, want);
}

/* Parses data and runs the verifier against alice at AUTHTIME. */
static kssp_err verify_bytes(const uint8_t *data, size_t len, struct kssp_key *key,
    const char *client, int64_t authtime)
{
	struct kssp_principal *p = princ(client);
	struct kssp_pac pac;
	kssp_err e = kssp_pac_parse(data, len, &pac);

	if (!e)
		e = kssp_pac_verify(&pac, key, p, authtime);
	kssp_pac_free(&pac);
	kssp_principal_free(p);
	return e;
}

/* ---- a PAC builder for the bound tests ---------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

struct tbuf {
	uint32_t type;
	const uint8_t *data;
	size_t len;
};

/* PACTYPE with the buffers laid out in order, each at an 8-aligned offset. */
static size_t build(uint8_t *out, const struct tbuf *b, size_t n, size_t *offsets)
{
	size_t i, at = 8 + 16 * n;

	memset(out, 0, MAXPAC);
	put32(out, (uint32_t)n);
	for (i = 0; i < n; i++) {
		put32(out + 8 + 16 * i, b[i].type);
		put32(out + 12 + 16 * i, (uint32_t)b[i].len);
		put32(out + 16 + 16 * i, (uint32_t)at);
		memcpy(out + at, b[i].data, b[i].len);
		if (offsets)
			offsets[i] = at;
		at += (b[i].len + 7) / 8 * 8;
	}
	return at;
}

static size_t client_info(uint8_t *out, const char *ascii, int64_t authtime)
{
	uint64_t ft = kssp_pac_filetime_from_unix(authtime);
	size_t i, n = strlen(ascii);

	put32(out, (uint32_t)ft);
	put32(out + 4, (uint32_t)(ft >> 32));
	put16(out + 8, (uint16_t)(2 * n));
	for (i = 0; i < n; i++)
		put16(out + 10 + 2 * i, (uint8_t)ascii[i]);
	return 10 + 2 * n;
}

/*
 * A PAC of client info, server and KDC signatures (type cksumtype, 12
 * bytes), the server signature computed by kssp as MS-PAC 2.8.1 says.
 */
static size_t signed_pac(uint8_t *out, const char *name, int64_t authtime, int32_t cksumtype,
    struct kssp_key *key)
{
	uint8_t ci[64], srv[16] = { 0 }, kdc[16] = { 0 }, sum[KSSP_CRYPTO_MAX_CKSUM];
	struct tbuf b[3] = { { KSSP_PAC_CLIENT_INFO, ci, 0 }, { KSSP_PAC_SERVER_CHECKSUM, srv, 16 },
		{ KSSP_PAC_PRIVSVR_CHECKSUM, kdc, 16 } };
	size_t off[3], len, sumlen = 0;

	b[0].len = client_info(ci, name, authtime);
	put32(srv, (uint32_t)cksumtype);
	put32(kdc, KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256);
	len = build(out, b, 3, off);
	if (kssp_crypto_checksum(cksumtype, key, 17, out, len, sum, sizeof(sum), &sumlen) ==
	    KSSP_OK)
		memcpy(out + off[1] + 4, sum, sumlen);
	return len;
}

static kssp_err parse_only(const uint8_t *data, size_t len)
{
	struct kssp_pac pac;
	kssp_err e = kssp_pac_parse(data, len, &pac);

	kssp_pac_free(&pac);
	return e;
}

/* ---- the fixtures ------------------------------------------------------- */

START_TEST(fixture_decodes)
{
	size_t len;
	uint8_t *data = load("pac/aes256.pac", &len);
	struct kssp_pac pac;
	const struct kssp_pac_logon_info *li;
	const struct kssp_pac_upn_dns_info *u;
	const struct kssp_pac_delegation_info *d;
	const struct kssp_pac_device_info *dev;

	ck_assert_int_eq(kssp_pac_parse(data, len, &pac), KSSP_OK);
	free(data);
	ck_assert_uint_eq(pac.n_buffers, 9);
	li = pac.logon_info;
	ck_assert_ptr_nonnull(li);
	ck_str(&li->effective_name, "alice");
	ck_str(&li->full_name, "Alice \xc3\x89mile Liddell");
	ck_str(&li->logon_server, "DC1");
	ck_str(&li->logon_domain_name, "KSSPAD");
	ck_assert_uint_eq(li->logon_time, 133000000000000000ull);
	ck_assert_uint_eq(li->password_must_change, 0x7fffffffffffffffull);
	ck_assert_uint_eq(li->logon_count, 7);
	ck_assert_uint_eq(li->bad_password_count, 1);
	ck_assert_uint_eq(li->user_id, 1105);
	ck_assert_uint_eq(li->primary_group_id, 513);
	ck_assert_uint_eq(li->group_count, 3);
	ck_assert_uint_eq(li->group_ids[2].relative_id, 1107);
	ck_assert_uint_eq(li->group_ids[2].attributes, 7);
	ck_assert_uint_eq(li->user_flags, 0x220);
	ck_assert_uint_eq(li->user_account_control, 0x10);
	ck_sid(li->logon_domain_id, "S-1-5-21-1111111111-2222222222-3333333333");
	ck_assert_uint_eq(li->sid_count, 2);
	ck_sid(li->extra_sids[0].sid, "S-1-18-1");
	ck_sid(li->extra_sids[1].sid, "S-1-5-21-1-2-3-4242");
	ck_assert_uint_eq(li->extra_sids[1].attributes, 0x20000007);
	ck_sid(li->resource_group_domain_sid, "S-1-5-21-1444444444-555555555-666666666");
	ck_assert_uint_eq(li->resource_group_count, 2);
	ck_assert_uint_eq(li->resource_group_ids[1].relative_id, 2002);

	u = pac.upn_dns_info;
	ck_assert_ptr_nonnull(u);
	ck_str(&u->upn, "alice@ad.example.test");
	ck_str(&u->dns_domain_name, "AD.EXAMPLE.TEST");
	ck_assert_uint_eq(u->flags, KSSP_PAC_UPN_EXTENDED);
	ck_str(&u->sam_name, "alice");
	ck_sid(u->sid, "S-1-5-21-1111111111-2222222222-3333333333-1105");

	d = pac.delegation_info;
	ck_assert_ptr_nonnull(d);
	ck_str(&d->s4u2proxy_target, "cifs/fs.ad.example.test");
	ck_assert_uint_eq(d->transited_list_size, 2);
	ck_str(&d->transited_services[1], "host/mid.ad.example.test@AD.EXAMPLE.TEST");

	ck_assert_ptr_nonnull(pac.attributes_info);
	ck_assert_uint_eq(pac.attributes_info->flags_length, 2);
	ck_assert_uint_eq(pac.attributes_info->flags, 1);
	ck_sid(pac.requestor, "S-1-5-21-1111111111-2222222222-3333333333-1105");

	dev = pac.device_info;
	ck_assert_ptr_nonnull(dev);
	ck_assert_uint_eq(dev->user_id, 1200);
	ck_assert_uint_eq(dev->account_group_count, 1);
	ck_assert_uint_eq(dev->account_group_ids[0].relative_id, 515);
	ck_sid(dev->extra_sids[0].sid, "S-1-18-1");
	ck_assert_uint_eq(dev->domain_group_count, 1);
	ck_sid(dev->domain_groups[0].domain_id, "S-1-5-21-1444444444-555555555-666666666");
	ck_assert_uint_eq(dev->domain_groups[0].group_ids[0].relative_id, 2001);

	ck_assert_ptr_nonnull(pac.client_info);
	ck_str(&pac.client_info->name, "alice");
	ck_assert_uint_eq(pac.client_info->client_id, kssp_pac_filetime_from_unix(AUTHTIME));
	ck_assert(pac.server_signature.present);
	ck_assert_int_eq(pac.server_signature.type, KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256);
	ck_assert_uint_eq(pac.server_signature.signature_len, 12);
	ck_assert(pac.kdc_signature.present);
	ck_assert(!pac.ticket_signature.present);
	ck_assert(!pac.server_signature_verified);
	kssp_pac_free(&pac);
}
END_TEST

START_TEST(fixtures_verify)
{
	static const char *const files[] = { "pac/aes256.pac", "pac/rc4.pac",
		"pac/mit-minimal.pac" };
	struct kssp_principal *alice = princ("alice@AD.EXAMPLE.TEST");
	struct kssp_key aes = { 0 }, rc4 = { 0 };
	size_t i;

	aes_key(&aes);
	rc4_key(&rc4);
	for (i = 0; i < 3; i++) {
		size_t len;
		uint8_t *data = load(files[i], &len);
		struct kssp_pac pac;

		ck_assert_int_eq(kssp_pac_parse(data, len, &pac), KSSP_OK);
		ck_assert_int_eq(kssp_pac_verify(&pac, i == 1 ? &rc4 : &aes, alice, AUTHTIME),
		    KSSP_OK);
		ck_assert(pac.server_signature_verified);
		ck_assert_int_eq(pac.server_signature.type, i == 1 ?
		    KSSP_CKSUMTYPE_HMAC_MD5_ARCFOUR : KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256);
		kssp_pac_free(&pac);
		free(data);
	}
	kssp_crypto_key_clear(&aes);
	kssp_crypto_key_clear(&rc4);
	kssp_principal_free(alice);
}
END_TEST

START_TEST(altered_pac_is_refused)
{
	struct kssp_key aes = { 0 }, other = { 0 };
	size_t len, sig, name;
	uint8_t *data = load("pac/aes256.pac", &len);
	struct kssp_pac pac;

	aes_key(&aes);
	make_key(&other, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, 0x02);
	ck_assert_int_eq(kssp_pac_parse(data, len, &pac), KSSP_OK);
	sig = pac.server_signature.offset + 4;
	name = (size_t)(pac.logon_info->effective_name.data - pac.data);
	kssp_pac_free(&pac);

	ck_assert_int_eq(verify_bytes(data, len, &other, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	data[sig] ^= 1; /* the server signature */
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	data[sig] ^= 1;
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME), KSSP_OK);
	data[name] = 'm'; /* "alice" becomes "mlice" in KERB_VALIDATION_INFO */
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	kssp_crypto_key_clear(&aes);
	kssp_crypto_key_clear(&other);
	free(data);
}
END_TEST

START_TEST(client_info_must_name_the_client)
{
	struct kssp_key aes = { 0 };
	size_t len;
	uint8_t *data = load("pac/aes256.pac", &len);
	uint8_t pac[MAXPAC];
	size_t n;

	aes_key(&aes);
	ck_assert_int_eq(verify_bytes(data, len, &aes, "bob@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_BADMATCH);
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME + 1),
	    KRB_AP_ERR_BADMATCH);
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice/admin@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_BADMATCH);
	/* Signed correctly, yet issued to another client. */
	n = signed_pac(pac, "mallory", AUTHTIME, KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256, &aes);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "mallory@AD.EXAMPLE.TEST", AUTHTIME), KSSP_OK);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_BADMATCH);
	kssp_crypto_key_clear(&aes);
	free(data);
}
END_TEST

START_TEST(unkeyed_checksum_is_a_forgery)
{
	struct kssp_key aes = { 0 }, rc4 = { 0 };
	uint8_t pac[MAXPAC];
	size_t n, len;
	uint8_t *data = load("pac/aes256.pac", &len);
	struct kssp_pac parsed;

	aes_key(&aes);
	rc4_key(&rc4);
	/* rsa-md5 (7): anyone can compute it. */
	n = signed_pac(pac, "alice", AUTHTIME, 7, &aes);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_INAPP_CKSUM);
	/* A keyed type of another key than the service key's. */
	ck_assert_int_eq(verify_bytes(data, len, &rc4, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_INAPP_CKSUM);
	ck_assert_int_eq(kssp_pac_parse(data, len, &parsed), KSSP_OK);
	put32(data + parsed.server_signature.offset, 0x8003); /* not a checksum type at all */
	kssp_pac_free(&parsed);
	ck_assert_int_eq(verify_bytes(data, len, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_INAPP_CKSUM);
	kssp_crypto_key_clear(&aes);
	kssp_crypto_key_clear(&rc4);
	free(data);
}
END_TEST

START_TEST(mandatory_buffers)
{
	struct kssp_key aes = { 0 };
	uint8_t pac[MAXPAC], ci[64], sig[16] = { 0 };
	struct tbuf only_ci[1] = { { KSSP_PAC_CLIENT_INFO, ci, 0 } };
	struct tbuf no_kdc[2] = { { KSSP_PAC_CLIENT_INFO, ci, 0 },
		{ KSSP_PAC_SERVER_CHECKSUM, sig, 16 } };
	struct tbuf no_ci[2] = { { KSSP_PAC_SERVER_CHECKSUM, sig, 16 },
		{ KSSP_PAC_PRIVSVR_CHECKSUM, sig, 16 } };
	uint8_t sum[KSSP_CRYPTO_MAX_CKSUM];
	size_t n, off[2], sumlen = 0;

	aes_key(&aes);
	put32(sig, KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256);
	only_ci[0].len = no_kdc[0].len = client_info(ci, "alice", AUTHTIME);
	n = build(pac, only_ci, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	n = build(pac, no_kdc, 2, NULL);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	/* Correctly signed, but no PAC_CLIENT_INFO. */
	n = build(pac, no_ci, 2, off);
	ck_assert_int_eq(kssp_crypto_checksum(KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256, &aes, 17, pac, n,
	    sum, sizeof(sum), &sumlen), KSSP_OK);
	memcpy(pac + off[0] + 4, sum, sumlen);
	ck_assert_int_eq(verify_bytes(pac, n, &aes, "alice@AD.EXAMPLE.TEST", AUTHTIME),
	    KRB_AP_ERR_MODIFIED);
	kssp_crypto_key_clear(&aes);
}
END_TEST

/* ---- container bounds --------------------------------------------------- */

START_TEST(container_bounds)
{
	uint8_t pac[MAXPAC], ci[64];
	struct tbuf two[2] = { { KSSP_PAC_CLIENT_INFO, ci, 0 }, { KSSP_PAC_CLIENT_INFO, ci, 0 } };
	struct tbuf unknown[2] = { { 0x1000, ci, 8 }, { 0x1000, ci, 8 } };
	size_t n;
	uint8_t *big;

	two[0].len = two[1].len = client_info(ci, "alice", AUTHTIME);
	n = build(pac, two, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);
	ck_assert_int_eq(parse_only(pac, 4), KSSP_ERR_TRUNCATED);

	/* offset + size past 2^32 */
	put32(pac + 16, 0xfffffff8);
	put32(pac + 12, 0x10);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_TRUNCATED);
	n = build(pac, two, 1, NULL);
	put32(pac + 12, 0xffffffff);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_TRUNCATED);
	n = build(pac, two, 1, NULL);
	put32(pac + 20, 1); /* the offset's high half */
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_TRUNCATED);

	/* counts of 2^31 and just past the bound */
	n = build(pac, two, 1, NULL);
	put32(pac, 0x80000000u);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_LIMIT);
	put32(pac, KSSP_PAC_MAX_BUFFERS + 1);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_LIMIT);
	put32(pac, 2); /* more entries than the bytes hold */
	ck_assert_int_ne(parse_only(pac, 24), KSSP_OK);

	n = build(pac, two, 1, NULL);
	put32(pac + 4, 1); /* Version */
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	n = build(pac, two, 1, NULL);
	put32(pac + 16, 28); /* not 8-aligned */
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	put32(pac + 16, 16); /* inside the PAC_INFO_BUFFER array */
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);

	/* duplicates of a known type, not of an unknown one */
	n = build(pac, two, 2, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	n = build(pac, unknown, 2, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);
	/* overlapping: the second buffer moved onto the first */
	put32(pac + 32, 40);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	put32(pac + 32, 48); /* touching is fine */
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);

	big = calloc(1, KSSP_PAC_MAX_SIZE + 1);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(parse_only(big, KSSP_PAC_MAX_SIZE + 1), KSSP_ERR_LIMIT);
	ck_assert_int_eq(parse_only(big, KSSP_PAC_MAX_SIZE), KSSP_OK); /* zero buffers */
	free(big);
}
END_TEST

START_TEST(plain_buffer_bounds)
{
	uint8_t pac[MAXPAC], b[128];
	struct tbuf one[1] = { { KSSP_PAC_CLIENT_INFO, b, 0 } };
	size_t n;

	one[0].len = client_info(b, "alice", AUTHTIME);
	put16(b + 8, 9); /* odd name length */
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	put16(b + 8, 12); /* longer than the buffer */
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_TRUNCATED);

	/* UPN_DNS_INFO: a field past the buffer, an odd length, the S flag's SID */
	memset(b, 0, sizeof(b));
	one[0].type = KSSP_PAC_UPN_DNS_INFO;
	one[0].len = 24;
	put16(b, 4);
	put16(b + 2, 22);
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_TRUNCATED);
	put16(b, 3);
	put16(b + 2, 12);
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	put16(b, 0);
	put32(b + 8, KSSP_PAC_UPN_EXTENDED); /* S flag, but no SID */
	n = build(pac, one, 1, NULL);
	ck_assert_int_ne(parse_only(pac, n), KSSP_OK);

	/* PAC_REQUESTOR: a SID of 16 sub-authorities, a SID shorter than it says */
	memset(b, 0, sizeof(b));
	one[0].type = KSSP_PAC_REQUESTOR;
	b[0] = 1;
	b[1] = 16;
	one[0].len = 8 + 64;
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	b[1] = 2;
	one[0].len = 12;
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	one[0].len = 16;
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);

	/* PAC_ATTRIBUTES_INFO: FlagsLength of 2^32-1 bits in 8 bytes */
	one[0].type = KSSP_PAC_ATTRIBUTES_INFO;
	put32(b, 0xffffffff);
	one[0].len = 8;
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);

	/* a signature whose length does not fit its type */
	one[0].type = KSSP_PAC_SERVER_CHECKSUM;
	put32(b, KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256);
	one[0].len = 4 + 11;
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_ERR_BAD_ENCODING);
	one[0].len = 4 + 12 + 2; /* with an RODCIdentifier */
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n), KSSP_OK);
}
END_TEST

/* ---- NDR bounds --------------------------------------------------------- */

/*
 * A KERB_VALIDATION_INFO buffer: the MS-RPCE 2.2.6 headers, the top-level
 * referent, the 216-byte fixed part (zero but for what a test sets, via
 * the offsets below) and tail, the deferred data.
 */
#define LI_FIXED 216
#define LI_NAME 48         /* EffectiveName: Length, MaximumLength, pointer */
#define LI_GROUP_COUNT 108 /* GroupCount, then the GroupIds pointer */
#define LI_SID_COUNT 196   /* SidCount, then the ExtraSids pointer */

static size_t logon_info(uint8_t *out, const uint8_t *fixed, const uint8_t *tail, size_t tlen)
{
	size_t len = 20 + LI_FIXED + tlen;

	memcpy(out, "\x01\x10\x08\x00\xcc\xcc\xcc\xcc", 8);
	put32(out + 8, (uint32_t)(len - 16));
	put32(out + 12, 0);
	put32(out + 16, 0x20000);
	memcpy(out + 20, fixed, LI_FIXED);
	memcpy(out + 20 + LI_FIXED, tail, tlen);
	return len;
}

static kssp_err parse_logon(const uint8_t *fixed, const uint8_t *tail, size_t tlen)
{
	uint8_t li[1024], pac[MAXPAC];
	struct tbuf one[1] = { { KSSP_PAC_LOGON_INFO, li, 0 } };

	one[0].len = logon_info(li, fixed, tail, tlen);
	return parse_only(pac, build(pac, one, 1, NULL));
}

START_TEST(ndr_bounds)
{
	uint8_t fixed[LI_FIXED] = { 0 }, tail[128] = { 0 };
	uint8_t li[1024], pac[MAXPAC];
	struct tbuf one[1] = { { KSSP_PAC_LOGON_INFO, li, 0 } };
	size_t n;

	ck_assert_int_eq(parse_logon(fixed, tail, 0), KSSP_OK);

	/* the headers: version, endianness, an object longer than the buffer, NULL top */
	one[0].len = logon_info(li, fixed, tail, 0);
	li[0] = 2;
	ck_assert_int_eq(parse_only(pac, build(pac, one, 1, NULL)), KSSP_ERR_BAD_ENCODING);
	li[0] = 1;
	li[1] = 0x00; /* big-endian */
	ck_assert_int_eq(parse_only(pac, build(pac, one, 1, NULL)), KSSP_ERR_BAD_ENCODING);
	li[1] = 0x10;
	put32(li + 8, 0x7ffffff0);
	ck_assert_int_eq(parse_only(pac, build(pac, one, 1, NULL)), KSSP_ERR_TRUNCATED);
	put32(li + 8, (uint32_t)(one[0].len - 16));
	put32(li + 16, 0);
	ck_assert_int_eq(parse_only(pac, build(pac, one, 1, NULL)), KSSP_ERR_BAD_ENCODING);
	n = build(pac, one, 1, NULL);
	ck_assert_int_eq(parse_only(pac, n - 8), KSSP_ERR_TRUNCATED);

	/* GroupCount 2^31: the conformance must agree, and the bytes must hold it */
	put32(fixed + LI_GROUP_COUNT, 0x80000000u);
	put32(fixed + LI_GROUP_COUNT + 4, 0x20004);
	put32(tail, 3);
	ck_assert_int_eq(parse_logon(fixed, tail, 4 + 24), KSSP_ERR_BAD_ENCODING);
	put32(tail, 0x80000000u);
	ck_assert_int_eq(parse_logon(fixed, tail, 4 + 24), KSSP_ERR_TRUNCATED);
	put32(fixed + LI_GROUP_COUNT, 3);
	put32(tail, 3);
	ck_assert_int_eq(parse_logon(fixed, tail, 4 + 24), KSSP_OK);
	ck_assert_int_eq(parse_logon(fixed, tail, 4 + 23), KSSP_ERR_TRUNCATED);
	put32(fixed + LI_GROUP_COUNT + 4, 0); /* a count with a NULL pointer */
	ck_assert_int_eq(parse_logon(fixed, tail, 4 + 24), KSSP_ERR_BAD_ENCODING);
	memset(fixed, 0, sizeof(fixed));

	/* ExtraSids: a NULL SID, a SID of 16 sub-authorities, a SID past the end */
	put32(fixed + LI_SID_COUNT, 1);
	put32(fixed + LI_SID_COUNT + 4, 0x20008);
	put32(tail, 1);       /* conformance */
	put32(tail + 4, 0);   /* the element's SID pointer */
	put32(tail + 8, 7);   /* attributes */
	ck_assert_int_eq(parse_logon(fixed, tail, 12), KSSP_ERR_BAD_ENCODING);
	put32(tail + 4, 0x2000c);
	put32(tail + 12, 16); /* the SID's conformance */
	ck_assert_int_eq(parse_logon(fixed, tail, 16 + 8 + 64), KSSP_ERR_BAD_ENCODING);
	put32(tail + 12, 1);
	tail[16] = 1;
	tail[17] = 1;
	ck_assert_int_eq(parse_logon(fixed, tail, 16 + 12), KSSP_OK);
	ck_assert_int_eq(parse_logon(fixed, tail, 16 + 11), KSSP_ERR_TRUNCATED);
	tail[17] = 2; /* sub-authority count disagrees with the conformance */
	ck_assert_int_eq(parse_logon(fixed, tail, 16 + 16), KSSP_ERR_BAD_ENCODING);
	memset(fixed, 0, sizeof(fixed));
	memset(tail, 0, sizeof(tail));

	/* EffectiveName: odd length, longer than its maximum, counts that disagree */
	put16(fixed + LI_NAME, 9);
	put16(fixed + LI_NAME + 2, 10);
	put32(fixed + LI_NAME + 4, 0x20000);
	ck_assert_int_eq(parse_logon(fixed, tail, 0), KSSP_ERR_BAD_ENCODING);
	put16(fixed + LI_NAME, 12);
	ck_assert_int_eq(parse_logon(fixed, tail, 0), KSSP_ERR_BAD_ENCODING);
	put16(fixed + LI_NAME, 8);
	put32(tail, 5);
	put32(tail + 4, 0);
	put32(tail + 8, 4);
	ck_assert_int_eq(parse_logon(fixed, tail, 12 + 8), KSSP_OK);
	ck_assert_int_eq(parse_logon(fixed, tail, 12 + 6), KSSP_ERR_TRUNCATED);
	put32(tail + 8, 5); /* actual count beyond Length */
	ck_assert_int_eq(parse_logon(fixed, tail, 12 + 10), KSSP_ERR_BAD_ENCODING);
	put32(tail + 8, 4);
	put32(tail + 4, 1); /* a non-zero offset */
	ck_assert_int_eq(parse_logon(fixed, tail, 12 + 8), KSSP_ERR_BAD_ENCODING);
	put32(tail + 4, 0);
	put32(tail, 0x7fffffff); /* a maximum count not the header's */
	ck_assert_int_eq(parse_logon(fixed, tail, 12 + 8), KSSP_ERR_BAD_ENCODING);
	put32(fixed + LI_NAME + 4, 0); /* characters but a NULL pointer */
	ck_assert_int_eq(parse_logon(fixed, tail, 0), KSSP_ERR_BAD_ENCODING);
}
END_TEST

START_TEST(utf16_to_utf8)
{
	static const uint8_t pair[] = { 0x41, 0, 0x3d, 0xd8, 0x00, 0xde, 0xe9, 0 };
	static const uint8_t lone[] = { 0x41, 0, 0x3d, 0xd8, 0x41, 0 };
	static const uint8_t low[] = { 0x00, 0xdc };
	static const uint8_t nul[] = { 0x41, 0, 0, 0 };
	struct kssp_pac_string s = { pair, sizeof(pair) };
	char *out = NULL;

	ck_str(&s, "A\xf0\x9f\x98\x80\xc3\xa9");
	s.data = lone;
	s.len = sizeof(lone);
	ck_assert_int_eq(kssp_pac_string_utf8(&s, &out), KSSP_ERR_BAD_ENCODING);
	s.data = low;
	s.len = sizeof(low);
	ck_assert_int_eq(kssp_pac_string_utf8(&s, &out), KSSP_ERR_BAD_ENCODING);
	s.data = nul;
	s.len = sizeof(nul);
	ck_assert_int_eq(kssp_pac_string_utf8(&s, &out), KSSP_ERR_BAD_ENCODING);
	ck_assert_ptr_null(out);
	s.data = NULL;
	s.len = 0;
	ck_str(&s, "");
}
END_TEST

START_TEST(find_the_one_pac)
{
	/* AD-IF-RELEVANT { AD-WIN2K-PAC "PAC!" } */
	static const uint8_t relevant[] = { 0x30, 0x11, 0x30, 0x0f, 0xa0, 0x04, 0x02, 0x02, 0x00,
		0x80, 0xa1, 0x07, 0x04, 0x05, 'P', 'A', 'C', '!', '!' };
	struct kssp_authdata ad[3];
	struct kssp_arena arena;
	const uint8_t *pac = NULL;
	size_t len = 0;

	memset(ad, 0, sizeof(ad));
	ad[0].ad_type = KSSP_AD_IF_RELEVANT;
	ad[0].ad_data.data = relevant;
	ad[0].ad_data.len = sizeof(relevant);
	ad[1].ad_type = 5; /* something else */
	ad[1].ad_data.data = relevant;
	ad[1].ad_data.len = 1;
	ad[2] = ad[0];
	kssp_arena_init(&arena);
	ck_assert_int_eq(kssp_pac_find(ad, 2, &arena, &pac, &len), KSSP_OK);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(pac, "PAC!!", 5), 0);
	ck_assert_int_eq(kssp_pac_find(ad, 3, &arena, &pac, &len), KRB_AP_ERR_MODIFIED);
	ck_assert_int_eq(kssp_pac_find(ad + 1, 1, &arena, &pac, &len), KSSP_ERR_NOT_FOUND);
	kssp_arena_free(&arena);
}
END_TEST

Suite *kssp_suite_context_pac(void);

Suite *kssp_suite_context_pac(void)
{
	Suite *s = suite_create("context_pac");
	TCase *t = tcase_create("pac");

	tcase_add_test(t, fixture_decodes);
	tcase_add_test(t, fixtures_verify);
	tcase_add_test(t, altered_pac_is_refused);
	tcase_add_test(t, client_info_must_name_the_client);
	tcase_add_test(t, unkeyed_checksum_is_a_forgery);
	tcase_add_test(t, mandatory_buffers);
	tcase_add_test(t, container_bounds);
	tcase_add_test(t, plain_buffer_bounds);
	tcase_add_test(t, ndr_bounds);
	tcase_add_test(t, utf16_to_utf8);
	tcase_add_test(t, find_the_one_pac);
	suite_add_tcase(s, t);
	return s;
}
