/*
 * test/unit/check_crypto.c - the crypto layer against the published
 * vectors: RFC 3961 A.1 n-fold, RFC 3962 B string-to-key and CTS, RFC 8009
 * A, RFC 6803 §10, and MIT's known-answer vectors for arcfour-hmac and the
 * checksums (values from ../shared/reference/test-vectors.md).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"
#include "testutil.h"

#define MAXBUF 256

static void assert_hex_eq(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[MAXBUF];
	size_t n = tu_hex(want_hex, want, sizeof(want));
	char gh[2 * MAXBUF + 1];
	size_t i;

	for (i = 0; i < len && i < MAXBUF; i++)
		snprintf(gh + 2 * i, 3, "%02x", got[i]);
	gh[2 * (len < MAXBUF ? len : MAXBUF)] = 0;
	ck_assert_msg(n == len && memcmp(got, want, n) == 0, "got %s want %s", gh, want_hex);
}

/* ---- RFC 3961 A.1 n-fold ---- */

static const struct { size_t bits; const char *in, *out; } nfold_vectors[] = {
	{ 64, "012345", "be072631276b1955" },
	{ 56, "password", "78a07b6caf85fa" },
	{ 64, "Rough Consensus, and Running Code", "bb6ed30870b7f0e0" },
	{ 168, "password", "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e" },
	{ 192, "MASSACHVSETTS INSTITVTE OF TECHNOLOGY",
	  "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b" },
	{ 168, "Q", "518a54a215a8452a518a54a215a8452a518a54a215" },
	{ 168, "ba", "fb25d531ae8974499f52fd92ea9857c4ba24cf297e" },
	{ 64, "kerberos", "6b65726265726f73" },
	{ 128, "kerberos", "6b65726265726f737b9b5b2b93132b93" },
	{ 168, "kerberos", "8372c236344e5f1550cd0747e15d62ca7a5a3bcea4" },
	{ 256, "kerberos", "6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4" },
};

START_TEST(nfold_rfc3961)
{
	uint8_t out[64];

	kssp_crypto_nfold((const uint8_t *)nfold_vectors[_i].in, strlen(nfold_vectors[_i].in), out,
	    nfold_vectors[_i].bits / 8);
	assert_hex_eq(out, nfold_vectors[_i].bits / 8, nfold_vectors[_i].out);
}
END_TEST

/* The key-derivation constants usage || 0x99/0xAA/0x55 (RFC 3961 §5.3),
 * whose n-folds are remembered: the first call fills the slot, the second
 * reads it, and both equal the n-fold computed afresh (values from an
 * independent implementation of RFC 3961 §5.1 checked on the vectors above). */
START_TEST(nfold_of_usage_constants_is_the_same_remembered)
{
	static const struct { const char *in, *out; } v[] = {
		{ "\x00\x00\x00\x02\x99", "a51f8fc7e2a5c80a69349a4d26405349" },
		{ "\x00\x00\x00\x0b\xaa", "fe54aa55a502522fbf5fafd7ea8175fa" },
		{ "\x00\x00\x00\x0b\x55", "ab80c060aaafaa2e6ab55aad55416b55" },
	};
	uint8_t out[16];
	size_t i;
	int round;

	for (round = 0; round < 2; round++)
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			memset(out, 0, sizeof(out));
			kssp_crypto_nfold((const uint8_t *)v[i].in, 5, out, sizeof(out));
			assert_hex_eq(out, sizeof(out), v[i].out);
		}
}
END_TEST

/* ---- string-to-key: RFC 3962 B (17, 18), MIT t_str2key (25, 26) ---- */

static const char *const x64 = "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
static const char *const x65 = "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";

static const struct {
	uint32_t iter;
	const char *pw, *salt_hex;
	const char *k17, *k18, *k25, *k26;
} s2k_vectors[] = {
	{ 1, "password", "415448454e412e4d49542e4544557261656275726e",
	  "42263c6e89f4fc28b8df68ee09799f15",
	  "fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161",
	  "57D0297298FFD9D35DE5A47FB4BDE24B",
	  "B9D6828B2056B7BE656D88A123B1FAC68214AC2B727ECF5F69AFE0C4DF2A6D2C" },
	{ 2, "password", "415448454e412e4d49542e4544557261656275726e",
	  "c651bf29e2300ac27fa469d693bdda13",
	  "a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff",
	  "73F1B53AA0F310F93B1DE8CCAA0CB152",
	  "83FC5866E5F8F4C6F38663C65C87549F342BC47ED394DC9D3CD4D163ADE375E3" },
	{ 1200, "password", "415448454e412e4d49542e4544557261656275726e",
	  "4c01cd46d632d01e6dbe230a01ed642a",
	  "55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a",
	  "8E571145452855575FD916E7B04487AA",
	  "77F421A6F25E138395E837E5D85D385B4C1BFD772E112CD9208CE72A530B15E6" },
	{ 5, "password", "1234567878563412",
	  "e9b23d52273747dd5c35cb55be619d8e",
	  "97a4e786be20d81a382d5ebc96d5909cabcdadc87ca48f574504159f16c36e31",
	  "00498FD916BFC1C2B1031C170801B381",
	  "11083A00BDFE6A41B2F19716D6202F0AFA94289AFE8B27A049BD28B1D76C389A" },
	{ 1200, NULL /* 64 X */, "706173732070687261736520657175616c7320626c6f636b2073697a65",
	  "59d1bb789a828b1aa54ef9c2883f69ed",
	  "89adee3608db8bc71f1bfbfe459486b05618b70cbae22092534e56c553ba4b34",
	  "8BF6C3EF709B981DBB585D086843BE05",
	  "119FE2A1CB0B1BE010B9067A73DB63ED4665B4E53A98D178035DCFE843A6B9B0" },
	{ 1200, "" /* 65 X */, "7061737320706872617365206578636565647320626c6f636b2073697a65",
	  "cb8005dc5f90179a7f02104c0018751d",
	  "d78c5c9cb872a8c9dad4697f0bb5b2d21496c82beb2caeda2112fceea057401b",
	  "5752AC8D6AD1CCFE8430B312871C2F74",
	  "614D5DFC0BA6D390B412B89AE4D5B088B612B316510994679DDB4383C7126DDF" },
	{ 50, "\xf0\x9d\x84\x9e", "4558414d504c452e434f4d7069616e697374",
	  "f149c1f2e154a73452d43e7fe62a56e5",
	  "4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e",
	  "CC75C7FD260F1C1658011FCC0D560616",
	  "163B768C6DB148B4EEC7163DF5AED70E206B68CEC078BC069ED68A7ED36B1ECC" },
};

static void check_s2k(int32_t etype, const char *pw, const uint8_t *salt, size_t saltlen,
    uint32_t iter, const char *want)
{
	uint8_t params[4] = { (uint8_t)(iter >> 24), (uint8_t)(iter >> 16), (uint8_t)(iter >> 8),
		(uint8_t)iter };
	struct kssp_key key;

	ck_assert_int_eq(kssp_crypto_string_to_key(etype, pw, strlen(pw), salt, saltlen, params, 4,
	    &key), KSSP_OK);
	assert_hex_eq(key.contents, key.length, want);
	kssp_crypto_key_clear(&key);
}

START_TEST(s2k_rfc3962_and_rfc6803)
{
	uint8_t salt[64];
	size_t saltlen;
	const char *pw = s2k_vectors[_i].pw;

	/* The test text says "pass phrase equals/exceeds block size". */
	saltlen = tu_hex(s2k_vectors[_i].salt_hex, salt, sizeof(salt));
	if (!pw)
		pw = x64;
	else if (!*pw)
		pw = x65;
	check_s2k(17, pw, salt, saltlen, s2k_vectors[_i].iter, s2k_vectors[_i].k17);
	check_s2k(18, pw, salt, saltlen, s2k_vectors[_i].iter, s2k_vectors[_i].k18);
	check_s2k(25, pw, salt, saltlen, s2k_vectors[_i].iter, s2k_vectors[_i].k25);
	check_s2k(26, pw, salt, saltlen, s2k_vectors[_i].iter, s2k_vectors[_i].k26);
}
END_TEST

START_TEST(s2k_rfc8009)
{
	uint8_t salt[64];
	size_t n = tu_hex("10DF9DD783E5BC8ACEA1730E74355F61415448454E412E4D49542E4544557261656275726E",
	    salt, sizeof(salt));

	check_s2k(19, "password", salt, n, 32768, "089BCA48B105EA6EA77CA5D2F39DC5E7");
	check_s2k(20, "password", salt, n, 32768,
	    "45BD806DBF6A833A9CFFC1C94589A222367A79BC21C413718906E9F578A78467");
}
END_TEST

START_TEST(s2k_default_iterations_and_cap)
{
	struct kssp_key a, b;
	static const uint8_t d4096[4] = { 0, 0, 0x10, 0 }, too_big[4] = { 0x01, 0, 0, 0 },
		zero[4] = { 0 }, three[3] = { 0, 0x10, 0 };

	ck_assert_int_eq(kssp_crypto_string_to_key(17, "pw", 2, (const uint8_t *)"S", 1, NULL, 0, &a),
	    KSSP_OK);
	ck_assert_int_eq(kssp_crypto_string_to_key(17, "pw", 2, (const uint8_t *)"S", 1, d4096, 4, &b),
	    KSSP_OK);
	ck_assert_mem_eq(a.contents, b.contents, 16);
	kssp_crypto_key_clear(&a);
	kssp_crypto_key_clear(&b);
	ck_assert_int_eq(kssp_crypto_string_to_key(18, "pw", 2, NULL, 0, too_big, 4, &a),
	    KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "iteration count 16777216"));
	ck_assert_int_eq(kssp_crypto_string_to_key(18, "pw", 2, NULL, 0, zero, 4, &a), KSSP_ERR_LIMIT);
	ck_assert_int_eq(kssp_crypto_string_to_key(19, "pw", 2, NULL, 0, three, 3, &a),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "pw", 2, NULL, 0, d4096, 4, &a),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(a.enctype, 0);
}
END_TEST

/* ---- RFC 4757 string-to-key (NT hash) ---- */

START_TEST(s2k_rc4_nt_hash)
{
	struct kssp_key k;

	ck_assert_int_eq(kssp_crypto_string_to_key(23, "password", 8, NULL, 0, NULL, 0, &k), KSSP_OK);
	assert_hex_eq(k.contents, 16, "8846f7eaee8fb117ad06bdd830b7586c");
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "Password", 8, NULL, 0, NULL, 0, &k), KSSP_OK);
	assert_hex_eq(k.contents, 16, "a4f49c406510bdcab6824ee7c30fd852");
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "", 0, NULL, 0, NULL, 0, &k), KSSP_OK);
	assert_hex_eq(k.contents, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");
	/* Invalid UTF-8: a lone continuation byte, an overlong '/', a surrogate. */
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "a\x80", 2, NULL, 0, NULL, 0, &k),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "\xc0\xaf", 2, NULL, 0, NULL, 0, &k),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "\xed\xa0\x80", 3, NULL, 0, NULL, 0, &k),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_crypto_string_to_key(23, "\xe2\x82", 2, NULL, 0, NULL, 0, &k),
	    KSSP_ERR_BAD_ENCODING);
	kssp_crypto_key_clear(&k);
}
END_TEST

/* ---- RFC 3962 B: AES-128 CTS ---- */

static const struct { const char *in, *out; } cts_vectors[] = {
	{ "4920776f756c64206c696b652074686520", "c6353568f2bf8cb4d8a580362da7ff7f97" },
	{ "4920776f756c64206c696b65207468652047656e6572616c20476175277320",
	  "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5" },
	{ "4920776f756c64206c696b65207468652047656e6572616c2047617527732043",
	  "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584" },
	{ "4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c",
	  "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5" },
	{ "4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20",
	  "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8" },
	{ "4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20616e6420776f6e746f6e20736f75702e",
	  "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8" },
};

START_TEST(cts_rfc3962)
{
	struct aes128_ctx enc, dec;
	struct kssp_cts_cipher ce = { &enc, kssp_cbc_aes128_enc, kssp_ecb_aes128_enc };
	struct kssp_cts_cipher cd = { &dec, kssp_cbc_aes128_dec, kssp_ecb_aes128_dec };
	uint8_t key[16], buf[64], plain[64];
	struct kssp_crypto_buf part;
	size_t n;

	tu_hex("636869636b656e207465726979616b69", key, sizeof(key));
	aes128_set_encrypt_key(&enc, key);
	aes128_set_decrypt_key(&dec, key);
	n = tu_hex(cts_vectors[_i].in, plain, sizeof(plain));
	memcpy(buf, plain, n);
	part = (struct kssp_crypto_buf){ buf, n };
	kssp_cts_encrypt_parts(&ce, &part, 1);
	assert_hex_eq(buf, n, cts_vectors[_i].out);
	kssp_cts_decrypt_parts(&cd, &part, 1);
	ck_assert_mem_eq(buf, plain, n);
}
END_TEST

/* ---- known-answer encryptions: RFC 8009 A, RFC 6803 §10, MIT t_decrypt ---- */

static const struct {
	int32_t etype;
	uint32_t usage;
	const char *key, *plain, *conf, *cipher;
} enc_vectors[] = {
	/* RFC 8009 Appendix A */
	{ 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "", "7E5895EAF2672435BAD817F545A37148",
	  "EF85FB890BB8472F4DAB20394DCA781DAD877EDA39D50C870C0D5A0A8E48C718" },
	{ 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405", "7BCA285E2FD4130FB55B1A5C83BC5B24",
	  "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6877CE99E247E52D16ED4421DFDF8976C" },
	{ 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405060708090A0B0C0D0E0F",
	  "56AB21713FF62C0A1457200F6FA9948F",
	  "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C1008E8FC295FB4852E7D83E1E7C48C37EEBE6B0D3" },
	{ 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405060708090A0B0C0D0E0F1011121314",
	  "A7A4E29A4728CE10664FB64E49AD3FAC",
	  "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31C813BCE1E6D072C186B39A413C2F92CA9B8334A287FFCBFC" },
	{ 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "",
	  "F764E9FA15C276478B2C7D0C4E5F58E4",
	  "41F53FA5BFE7026D91FAF9BE959195A058707273A96A40F0A01960621AC612748B9BBFBE7EB4CE3C" },
	{ 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "000102030405",
	  "B80D3251C1F6471494256FFE712D0B9A",
	  "4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9F559C7F664F69EAB7B6092237526EA0D1F61CB20D69D10F2" },
	{ 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52",
	  "000102030405060708090A0B0C0D0E0F", "53BF8A0D105265D4E276428624CE5E63",
	  "BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA92027764F68CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266" },
	{ 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52",
	  "000102030405060708090A0B0C0D0E0F1011121314", "763E65367E864F02F55153C7E3B58AF1",
	  "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62" },
	/* RFC 6803 §10 */
	{ 25, 0, "1DC46A8D763F4F93742BCBA3387576C3", "", "B69822A19A6B09C0EBC8557D1F1B6C0A",
	  "C466F1871069921EDB7C6FDE244A52DB0BA10EDC197BDB8006658CA3CCCE6EB8" },
	{ 25, 1, "5027BC231D0F3A9D23333F1CA6FDBE7C", "31", "6F2FC3C2A166FD8898967A83DE9596D9",
	  "842D21FD950311C0DD464A3F4BE8D6DA88A56D559C9B47D3F9A85067AF661559B8" },
	{ 25, 2, "A1BB61E805F9BA6DDE8FDBDDC05CDEA0", "392062797465737373", "A5B4A71E077AEEF93C8763C18FDB1F10",
	  "619FF072E36286FF0A28DEB3A352EC0D0EDF5C5160D663C901758CCF9D1ED33D71DB8F23AABF8348A0" },
	{ 25, 3, "2CA27A5FAF5532244506434E1CEF6676", "31332062797465732062797465",
	  "19FEE40D810C524B5B22F01874C693DA",
	  "B8ECA3167AE6315512E59F98A7C500205E5F63FF3BB389AF1C41A21D640D8615C9ED3FBEB05AB6ACB67689B5EA" },
	{ 25, 4, "7824F8C16F83FF354C6BF7515B973F43",
	  "333020627974657320627974657320627974657320627974657320627974",
	  "CA7A7AB4BE192DABD603506DB19C39E2",
	  "A26A3905A4FFD5816B7B1E27380D08090C8EC1F304496E1ABDCD2BDCD1DFFC660989E117A713DDBB57A4146C1587CBA4356665591D2240282F5842B105A5" },
	{ 26, 0, "B61C86CC4E5D2757545AD423399FB7031ECAB913CBB900BD7A3C6DD8BF92015B", "",
	  "3CBBD2B45917941067F96599BB98926C",
	  "03886D03310B47A6D8F06D7B94D1DD837ECCE315EF652AFF620859D94A259266" },
	{ 26, 1, "1B97FE0A190E2021EB30753E1B6E1E77B0754B1D684610355864104963463833", "31",
	  "DEF487FCEBE6DE6346D4DA4521BBA2D2",
	  "2C9C1570133C99BF6A34BC1B0212002FD194338749DB4135497A347CFCD9D18A12" },
	{ 26, 2, "32164C5B434D1D1538E4CFD9BE8040FE8C4AC7ACC4B93D3314D2133668147A05", "392062797465737373",
	  "AD4FF904D34E555384B14100FC465F88",
	  "9C6DE75F812DE7ED0D28B2963557A115640998275B0AF5152709913FF52A2A9C8E63B872F92E64C839" },
	{ 26, 3, "B038B132CD8E06612267FAB7170066D88AECCBA0B744BFC60DC89BCA182D0715",
	  "31332062797465732062797465", "CF9BCA6DF1144E0C0AF9B8F34C90D514",
	  "EEEC85A9813CDC536772AB9B42DEFC5706F726E975DDE05A87EB5406EA324CA185C9986B42AABE794B84821BEE" },
	{ 26, 4, "CCFCD349BF4C6677E86E4B02B8EAB924A546AC731CF9BF6989B996E7D6BFBBA7",
	  "333020627974657320627974657320627974657320627974657320627974", "644DEF38DA35007275878D216855E228",
	  "0E44680985855F2D1F1812529CA83BFD8E349DE6FD9ADA0BAAA048D68E265FEBF34AD1255A344999AD37146887A6C6845731AC7F46376A0504CD06571474" },
	/* MIT t_decrypt.c, RFC 3961/3962 profile */
	{ 17, 0, "5A5C0F0BA54F3828B2195E66CA24A289", "", "814FC74E38526A9C5922C0EE1677E36D",
	  "49FF8E11C173D9583A3254FBE7B1F1DF36C538E8416784A1672E6676" },
	{ 17, 1, "98450E3F3BAA13F5C99BEB936981B06F", "31", "AD7323404BE6A6050419AFEEA869E71D",
	  "F86742F537B35DC2174A4DBAA920FAF9042090B065E1EBB1CAD9A65394" },
	{ 17, 2, "9062430C8CDA3388922E6D6A509F5B7A", "392062797465737373", "94B491F481485B9A0678CD3C4EA386AD",
	  "68FB9679601F45C78857B2BF820FD6E53ECA8D42FD4B1D7024A09205ABB7CD2EC26C355D2F" },
	{ 17, 3, "033EE6502C54FD23E27791E987983827", "31332062797465732062797465",
	  "0F3CD5BCA51793D06CF4CBF968FF4C09",
	  "EC366D0327A933BF49330E650E49BC6B974637FE80BF532FE51795B4809718E6194724DB948D1FD637" },
	{ 17, 4, "DCEEB70B3DE76562E689226C76429148",
	  "333020627974657320627974657320627974657320627974657320627974", "BD251A0C5C1DA48D996E66536ED9D8B8",
	  "C96081032D5D8EEB7E32B4089F789D0FAA481DEA74C0F97CBF3146DDFCF8E800156ECB532FC203E30FF600B63B350939FECE510F02D7FF1E7BAC" },
	{ 18, 0, "17F275F2954F2ED1F90C377BA7F4D6A369AA0136E0BF0C927AD6133C693759A9", "",
	  "31F0AE6CF52F6D4546A726FFF28CFC2A",
	  "E5094C55EE7B38262E2B044280B069379A95BF95BD8376FB3281B435" },
	{ 18, 1, "B9477E1FF0329C0050E20CE6C72D2DFF27E8FE541AB0954429A9CB5B4F7B1E2A", "31",
	  "F0AD2BFA4F8793778C7C696984F26CDF",
	  "406150B97AEB76D43B36B62CC1ECDFBE6F40E95755E0BEB5C27825F3A4" },
	{ 18, 2, "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7", "392062797465737373",
	  "99201E21F348A16C5A0B13A70E7CE5B2",
	  "09957AA25FCAF88F7B39E4406E633012D5FEA21853F6478DA7065CAEF41FD454A40824EEC5" },
	{ 18, 3, "E5A72BE9B7926C1225BAFEF9C1872E7BA4CDB2B17893D84ABD90ACDD8764D966",
	  "31332062797465732062797465", "303C559DCA743B6A2E4482ADF2C4A86C",
	  "D8F1AAFEEC84587CC3E700A774E56651A6D693E174EC4473B5E6D96F80297A653FB818AD893E719F96" },
	{ 18, 4, "F1C795E9248A09338D82C3F8D5B567040B0110736845041347235B1404231398",
	  "333020627974657320627974657320627974657320627974657320627974", "E45CA518B42E266AD98E165E706FFB60",
	  "D1137A4D634CFECE924DBC3BF6790648BD5CFF7DE0E7B99460211D0DAEF3D79A295C688858F3B34B9CBD6EEBAE81DAF6B734D4D498B6714F1C1D" },
	/* MIT t_decrypt.c, RFC 4757 */
	{ 23, 0, "F81FEC39255F5784E850C4377C88BD85", "", "7BB7A0E7824E618C",
	  "02C1EB15586144122EC717763DD348BF00434DDC6585954C" },
	{ 23, 1, "67D1300D281223867F9647FF48721273", "31", "C68C6978D6FDDE2A",
	  "6156E0CC04E0A0874F9FDA008F498A7ADBBC80B70B14DDDBC0" },
	{ 23, 2, "3E40AB6093695281B3AC1A9304224D98", "392062797465737373", "2E449B546F075CFD",
	  "0F9AD121D99D4A09448E4F1F718C4F5CBE6096262C66F29DF232A87C9F98755D55" },
	{ 23, 3, "4BA2FBF0379FAED87A254D3B353D5A7E", "31332062797465732062797465", "A707304844AA0120",
	  "612C57568B17A70352BAE8CF26FB9459A6F3353CD35FD439DB3107CBEC765D326DFC04C1DD" },
	{ 23, 4, "68F263DB3FCE15D031C9EAB02D67107A",
	  "333020627974657320627974657320627974657320627974657320627974", "37245E73A45FBF72",
	  "95F9047C3AD75891C2E9B04B16566DC8B6EB9CE4231AFB2542EF87A7B5A0F260A99F0460508DE0CECC632D07C354124E46C5D2234EB8" },
};

START_TEST(encrypt_known_answers)
{
	struct kssp_key key;
	uint8_t kb[32], plain[MAXBUF], conf[16], want[MAXBUF], out[MAXBUF], back[MAXBUF];
	size_t kl, pl, cl, wl, ol, bl;

	kl = tu_hex(enc_vectors[_i].key, kb, sizeof(kb));
	pl = tu_hex(enc_vectors[_i].plain, plain, sizeof(plain));
	cl = tu_hex(enc_vectors[_i].conf, conf, sizeof(conf));
	wl = tu_hex(enc_vectors[_i].cipher, want, sizeof(want));
	ck_assert_int_eq(kssp_crypto_key_init(&key, enc_vectors[_i].etype, kb, kl), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_encrypt_with_confounder(&key, enc_vectors[_i].usage, conf, cl,
	    plain, pl, out, sizeof(out), &ol), KSSP_OK);
	assert_hex_eq(out, ol, enc_vectors[_i].cipher);
	ck_assert_int_eq(kssp_crypto_decrypt(&key, enc_vectors[_i].usage, want, wl, back, sizeof(back),
	    &bl), KSSP_OK);
	ck_assert_uint_eq(bl, pl);
	ck_assert_mem_eq(back, plain, pl);
	/* in place: the ciphertext buffer becomes the plaintext */
	ck_assert_int_eq(kssp_crypto_decrypt(&key, enc_vectors[_i].usage, want, wl, want, wl, &bl),
	    KSSP_OK);
	ck_assert_mem_eq(want, plain, pl);
	kssp_crypto_key_clear(&key);
	ck_assert_int_eq(key.enctype, 0);
	ck_assert_ptr_null(key.cache);
}
END_TEST

/* ---- a message in parts: the same as in one buffer ---- */

#define PARTS_MAX_PLAIN (16 + 64)
#define PARTS_GAP 8 /* canary bytes between the parts, which never touch */

/*
 * The parts of confounder || message p (n bytes), cut at the offsets cuts
 * (ascending, within n), each copied into pool apart from its
 * neighbours, canaries between.
 */
static size_t make_parts(const uint8_t *p, size_t n, const size_t *cuts, size_t ncuts,
    uint8_t *pool, struct kssp_crypto_buf *parts)
{
	size_t i, at = 0, from = 0, np = 0;

	memset(pool, 0xA5, (ncuts + 1) * (PARTS_MAX_PLAIN + PARTS_GAP) + PARTS_GAP);
	for (i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : n;

		at += PARTS_GAP;
		parts[np].data = pool + at;
		parts[np].len = to - from;
		memcpy(pool + at, p + from, to - from);
		at += to - from;
		from = to;
		np++;
	}
	return np;
}

static void gather(const struct kssp_crypto_buf *parts, size_t np, uint8_t *out)
{
	size_t i;

	for (i = 0; i < np; i++) {
		memcpy(out, parts[i].data, parts[i].len);
		out += parts[i].len;
	}
}

/* Encrypting in the parts gives kssp_crypto_encrypt's one-buffer
 * ciphertext and MAC, decrypting gives the plaintext back, a changed MAC
 * fails and leaves every part zeroed; the canaries stay. */
static void check_split(struct kssp_key *key, const uint8_t *plain, size_t n, const size_t *cuts,
    size_t ncuts, const uint8_t *one, size_t trailer)
{
	uint8_t pool[(PARTS_MAX_PLAIN + 2) * (PARTS_MAX_PLAIN + PARTS_GAP) + PARTS_GAP];
	uint8_t got[PARTS_MAX_PLAIN], mac[KSSP_CRYPTO_MAX_CKSUM], zero[PARTS_MAX_PLAIN] = { 0 };
	struct kssp_crypto_buf parts[PARTS_MAX_PLAIN + 2];
	size_t np = make_parts(plain, n, cuts, ncuts, pool, parts), i;

	ck_assert_int_eq(kssp_crypto_encrypt_parts(key, 22, parts, np, NULL, 0, mac), KSSP_OK);
	gather(parts, np, got);
	ck_assert_msg(memcmp(got, one, n) == 0 && memcmp(mac, one + n, trailer) == 0,
	    "enctype %d, %zu bytes in %zu parts: not the one-buffer ciphertext", (int)key->enctype,
	    n, np);
	ck_assert_int_eq(kssp_crypto_decrypt_parts(key, 22, parts, np, NULL, 0, mac), KSSP_OK);
	gather(parts, np, got);
	ck_assert_msg(memcmp(got, plain, n) == 0, "enctype %d, %zu bytes in %zu parts: not the "
	    "plaintext back", (int)key->enctype, n, np);
	ck_assert_int_eq(kssp_crypto_encrypt_parts(key, 22, parts, np, NULL, 0, mac), KSSP_OK);
	mac[0] ^= 1;
	ck_assert_int_eq(kssp_crypto_decrypt_parts(key, 22, parts, np, NULL, 0, mac),
	    KRB_AP_ERR_BAD_INTEGRITY);
	gather(parts, np, got);
	ck_assert_mem_eq(got, zero, n);
	for (i = 0; i < np; i++)
		ck_assert_uint_eq(parts[i].data[-1], 0xA5);
	ck_assert_uint_eq(parts[np - 1].data[parts[np - 1].len], 0xA5);
}

/* Every CBC-CTS enctype, messages of 0 to 64 bytes after the confounder,
 * cut in two at every offset, in three around the confounder, and into
 * pieces of 2, 5 and 16 bytes. */
START_TEST(encrypt_parts_as_one_buffer)
{
	static const int32_t etypes[] = { 17, 18, 19, 20, 25, 26 };
	static const size_t lens[] = { 0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 64 };
	static const size_t pieces[] = { 2, 5, 16 }; /* at most KSSP_CRYPTO_MAX_PARTS */
	struct kssp_key key;
	uint8_t kb[32], plain[PARTS_MAX_PLAIN], one[PARTS_MAX_PLAIN + 32];
	size_t cuts[PARTS_MAX_PLAIN], li, k, j, n, ol, ncuts;

	for (k = 0; k < sizeof(kb); k++)
		kb[k] = (uint8_t)(0x30 + 7 * k);
	ck_assert_int_eq(kssp_crypto_key_init(&key, etypes[_i], kb,
	    kssp_crypto_profile(etypes[_i])->key_bytes), KSSP_OK);
	for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		n = 16 + lens[li];
		for (k = 0; k < n; k++)
			plain[k] = (uint8_t)(0x11 * k + lens[li]);
		ck_assert_int_eq(kssp_crypto_encrypt_with_confounder(&key, 22, plain, 16, plain + 16,
		    lens[li], one, sizeof(one), &ol), KSSP_OK);
		check_split(&key, plain, n, NULL, 0, one, ol - n);
		for (k = 1; k < n; k++)
			check_split(&key, plain, n, &k, 1, one, ol - n);
		for (k = 0; k + 16 <= n; k++) {
			size_t three[2] = { 16, 16 + k };

			check_split(&key, plain, n, three, 2, one, ol - n);
		}
		for (j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
			for (ncuts = 0, k = pieces[j]; k < n; k += pieces[j])
				cuts[ncuts++] = k;
			check_split(&key, plain, n, cuts, ncuts, one, ol - n);
		}
	}
	kssp_crypto_key_clear(&key);
}
END_TEST

/* ---- derived keys: RFC 8009 A and MIT t_derive for Camellia ---- */

static const struct { int32_t etype; const char *base, *kc, *ke, *ki; } derive_vectors[] = {
	{ 19, "3705D96080C17728A0E800EAB6E0D23C", "B31A018A48F54776F403E9A396325DC3",
	  "9B197DD1E8C5609D6E67C3E37C62C72E", "9FDA0E56AB2D85E1569A688696C26A6C" },
	{ 20, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52",
	  "EF5718BE86CC84963D8BBB5031E9F5C4BA41F28FAF69E73D",
	  "56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E5C7E49",
	  "69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F" },
	{ 25, "57D0297298FFD9D35DE5A47FB4BDE24B", "D155775A209D05F02B38D42A389E5A56",
	  "64DF83F85A532F17577D8C37035796AB", "3E4FBDF30FB8259C425CB6C96F1F4635" },
	{ 26, "B9D6828B2056B7BE656D88A123B1FAC68214AC2B727ECF5F69AFE0C4DF2A6D2C",
	  "E467F9A9552BC7D3155A6220AF9C19220EEED4FF78B0D1E6A1544991461A9E50",
	  "412AEFC362A7285FC3966C6A5181E7605AE675235B6D549FBFC9AB6630A4C604",
	  "FA624FA0E523993FA388AEFDC67E67EBCD8C08E8A0246B1D73B0D1DD9FC582B0" },
};

START_TEST(derive_known_answers)
{
	struct kssp_key key;
	uint8_t kb[32], c[5], out[32], want[32];
	const char *hex[3] = { derive_vectors[_i].kc, derive_vectors[_i].ke, derive_vectors[_i].ki };
	static const uint8_t octet[3] = { 0x99, 0xAA, 0x55 };
	size_t kl = tu_hex(derive_vectors[_i].base, kb, sizeof(kb));
	int j;

	ck_assert_int_eq(kssp_crypto_key_init(&key, derive_vectors[_i].etype, kb, kl), KSSP_OK);
	for (j = 0; j < 3; j++) {
		size_t wl = tu_hex(hex[j], want, sizeof(want));

		kssp_usage_constant(2, octet[j], c);
		ck_assert_int_eq(kssp_crypto_derive(&key, c, 5, out, wl), KSSP_OK);
		assert_hex_eq(out, wl, hex[j]);
	}
	kssp_crypto_key_clear(&key);
}
END_TEST

/* ---- checksums: RFC 8009 A, RFC 6803 §10, MIT t_cksums ---- */

static const struct {
	int32_t cksumtype, etype;
	uint32_t usage;
	const char *key, *msg, *want;
} cksum_vectors[] = {
	{ 19, 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"
	  "\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14", "D78367186643D67B411CBA9139FC1DEE" },
	{ 20, 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52",
	  "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14",
	  "45EE791567EEFCA37F4AC1E0222DE80D43C3BFA06699672A" },
	{ 17, 25, 7, "1DC46A8D763F4F93742BCBA3387576C3", "abcdefghijk", "1178E6C5C47A8C1AE0C4B9C7D4EB7B6B" },
	{ 17, 25, 8, "5027BC231D0F3A9D23333F1CA6FDBE7C", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	  "D1B34F7004A731F23A0C00BF6C3F753A" },
	{ 18, 26, 9, "B61C86CC4E5D2757545AD423399FB7031ECAB913CBB900BD7A3C6DD8BF92015B", "123456789",
	  "87A12CFD2B96214810F01C826E7744B1" },
	{ 18, 26, 10, "32164C5B434D1D1538E4CFD9BE8040FE8C4AC7ACC4B93D3314D2133668147A05",
	  "!@#$%^&*()!@#$%^&*()!@#$%^&*()", "3FA0B42355E52B189187294AA252AB64" },
	{ 15, 17, 3, "9062430C8CDA3388922E6D6A509F5B7A", "eight nine ten eleven twelve thirteen",
	  "01A4B088D45628F6946614E3" },
	{ 16, 18, 4, "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7", "fourteen",
	  "E08739E3279E2903EC8E3836" },
	{ -138, 23, 6, "F7D3A155AF5E238A0B7A871A96BA2AB2", "seventeen eighteen nineteen twenty",
	  "EB38CC97E2230F59DA4117DC5859D7EC" },
};

START_TEST(checksum_known_answers)
{
	struct kssp_key key;
	uint8_t kb[32], out[32], want[32];
	size_t kl = tu_hex(cksum_vectors[_i].key, kb, sizeof(kb)), ol, wl, ml;
	const char *msg = cksum_vectors[_i].msg;

	/* The RFC 8009 message starts with a NUL: its length is fixed. */
	ml = cksum_vectors[_i].cksumtype == 19 || cksum_vectors[_i].cksumtype == 20 ? 21 : strlen(msg);
	ck_assert_int_eq(kssp_crypto_key_init(&key, cksum_vectors[_i].etype, kb, kl), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_checksum(cksum_vectors[_i].cksumtype, &key,
	    cksum_vectors[_i].usage, (const uint8_t *)msg, ml, out, sizeof(out), &ol), KSSP_OK);
	assert_hex_eq(out, ol, cksum_vectors[_i].want);
	wl = tu_hex(cksum_vectors[_i].want, want, sizeof(want));
	ck_assert_int_eq(kssp_crypto_verify_checksum(cksum_vectors[_i].cksumtype, &key,
	    cksum_vectors[_i].usage, (const uint8_t *)msg, ml, want, wl), KSSP_OK);
	/* again, from the cache */
	ck_assert_int_eq(kssp_crypto_verify_checksum(cksum_vectors[_i].cksumtype, &key,
	    cksum_vectors[_i].usage, (const uint8_t *)msg, ml, want, wl), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_verify_checksum(cksum_vectors[_i].cksumtype, &key,
	    cksum_vectors[_i].usage, (const uint8_t *)msg, ml, want, wl - 1), KRB_AP_ERR_BAD_INTEGRITY);
	kssp_crypto_key_clear(&key);
}
END_TEST

/* ---- PRF: RFC 8009 A ---- */

START_TEST(prf_rfc8009)
{
	struct kssp_key key;
	uint8_t kb[32], out[64];
	size_t n;

	tu_hex("3705D96080C17728A0E800EAB6E0D23C", kb, sizeof(kb));
	ck_assert_int_eq(kssp_crypto_key_init(&key, 19, kb, 16), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_prf(&key, (const uint8_t *)"test", 4, out, sizeof(out), &n), KSSP_OK);
	assert_hex_eq(out, n, "9D188616F63852FE86915BB840B4A886FF3E6BB0F819B49B893393D393854295");
	tu_hex("6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", kb, sizeof(kb));
	ck_assert_int_eq(kssp_crypto_key_init(&key, 20, kb, 32), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_prf(&key, (const uint8_t *)"test", 4, out, sizeof(out), &n), KSSP_OK);
	assert_hex_eq(out, n, "9801F69A368C2BF675E59521E177D9A07F67EFE1CFDE8D3C8D6F6A0256E3B17D"
	    "B3C1B62AD1B8553360D17367EB1514D2");
	kssp_crypto_key_clear(&key);
}
END_TEST

/* ---- KRB-FX-CF2: MIT's t_cf2 (keys string-to-key("keyN", salt "keyN"),
 * peppers "a" and "b"); 17, 18 and 23 are t_cf2.expected, 19 and 20 were
 * produced by MIT's krb5_c_fx_cf2_simple with the same inputs. ---- */

static const struct {
	int32_t enctype;
	const char *want;
} cf2_vectors[] = {
	{ 17, "97df97e4b798b29eb31ed7280287a92a" },
	{ 18, "4d6ca4e629785c1f01baf55e2e548566b9617ae3a96868c337cb93b5e72b1c7b" },
	{ 19, "edd02a39d2dbde31611c16e610be062c" },
	{ 20, "67f6ea530aea85a37dcbb23349ea52dcc61ca8493ff557252327fd8304341584" },
	{ 23, "24d7f6b6bae4e5c00d2082c5ebab3672" },
};

START_TEST(cf2_mit_t_cf2)
{
	struct kssp_key k1, k2, out;
	int32_t et = cf2_vectors[_i].enctype;

	ck_assert_int_eq(kssp_crypto_string_to_key(et, "key1", 4, (const uint8_t *)"key1", 4, NULL,
	    0, &k1), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_string_to_key(et, "key2", 4, (const uint8_t *)"key2", 4, NULL,
	    0, &k2), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_cf2(&k1, &k2, (const uint8_t *)"a", 1, (const uint8_t *)"b", 1,
	    &out), KSSP_OK);
	ck_assert_int_eq(out.enctype, et);
	assert_hex_eq(out.contents, out.length, cf2_vectors[_i].want);
	kssp_crypto_key_clear(&out);
	kssp_crypto_key_clear(&k1);
	kssp_crypto_key_clear(&k2);
}
END_TEST

Suite *kssp_suite_crypto(void);
Suite *kssp_suite_crypto(void)
{
	Suite *s = suite_create("crypto");
	TCase *t = tcase_create("vectors");

	tcase_add_loop_test(t, nfold_rfc3961, 0, sizeof(nfold_vectors) / sizeof(nfold_vectors[0]));
	tcase_add_test(t, nfold_of_usage_constants_is_the_same_remembered);
	tcase_add_loop_test(t, s2k_rfc3962_and_rfc6803, 0, sizeof(s2k_vectors) / sizeof(s2k_vectors[0]));
	tcase_add_test(t, s2k_rfc8009);
	tcase_add_test(t, s2k_default_iterations_and_cap);
	tcase_add_test(t, s2k_rc4_nt_hash);
	tcase_add_loop_test(t, cts_rfc3962, 0, sizeof(cts_vectors) / sizeof(cts_vectors[0]));
	tcase_add_loop_test(t, encrypt_known_answers, 0, sizeof(enc_vectors) / sizeof(enc_vectors[0]));
	tcase_add_loop_test(t, encrypt_parts_as_one_buffer, 0, 6);
	tcase_add_loop_test(t, derive_known_answers, 0, sizeof(derive_vectors) / sizeof(derive_vectors[0]));
	tcase_add_loop_test(t, checksum_known_answers, 0, sizeof(cksum_vectors) / sizeof(cksum_vectors[0]));
	tcase_add_test(t, prf_rfc8009);
	tcase_add_loop_test(t, cf2_mit_t_cf2, 0, sizeof(cf2_vectors) / sizeof(cf2_vectors[0]));
	suite_add_tcase(s, t);
	return s;
}
