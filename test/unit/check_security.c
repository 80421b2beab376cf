/*
 * test/unit/check_security.c - regression tests (docs/security.md) that
 * belong to no single layer's suite: findings of the static analysers
 * that were real, and bug classes of other Kerberos implementations.
 */
#include <check.h>
#include <string.h>

#include "base/err_int.h"
#include "context/ap_int.h"
#include "crypto/crypto.h"

/*
 * clang-tidy (make lint): a replay cache used after kssp_rcache_free (or never
 * initialised) divided by its capacity, zero.  It is now refused.
 */
START_TEST(test_rcache_freed_is_refused)
{
	struct kssp_rcache rc;
	uint8_t tag[16];

	memset(tag, 0x5a, sizeof(tag));
	ck_assert_int_eq(kssp_rcache_init(&rc, 4), KSSP_OK);
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 100, 200), KSSP_OK);
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 100, 200), KRB_AP_ERR_REPEAT);
	kssp_rcache_free(&rc);
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 100, 200), KSSP_ERR_INVALID_ARG);
	memset(&rc, 0, sizeof(rc));
	ck_assert_int_eq(kssp_rcache_check_and_store(&rc, tag, 100, 200), KSSP_ERR_INVALID_ARG);
}
END_TEST

/*
 * CVE-2018-16860 (Heimdal, Samba): an unkeyed checksum (CRC32, RSA-MD4,
 * RSA-MD5, SHA-1) was taken where a keyed one is required (PA-FOR-USER).
 * kssp verifies every checksum with a key; the unkeyed types are refused
 * for every enctype and every checksum length offered.
 */
START_TEST(cve_2018_16860_unkeyed_checksums_refused)
{
	static const int32_t unkeyed[] = { 1, 2, 3, 7, 9, 14 };
	static const int32_t enctypes[] = { 17, 18, 19, 20, 23, 25, 26 };
	static const uint8_t data[] = "PA-FOR-USER S4UByteArray";
	uint8_t cksum[24];
	struct kssp_key key;
	size_t i, j;
	kssp_err e;

	memset(cksum, 0, sizeof(cksum));
	for (j = 0; j < sizeof(enctypes) / sizeof(enctypes[0]); j++) {
		ck_assert_int_eq(kssp_crypto_string_to_key(enctypes[j], "pw", 2,
		    enctypes[j] == 23 ? NULL : (const uint8_t *)"SALT", enctypes[j] == 23 ? 0 : 4,
		    NULL, 0, &key), KSSP_OK);
		for (i = 0; i < sizeof(unkeyed) / sizeof(unkeyed[0]); i++) {
			size_t n;

			for (n = 0; n <= 20; n += 4) {
				e = kssp_crypto_verify_checksum(unkeyed[i], &key,
				    KSSP_KU_PA_FOR_USER, data, sizeof(data), cksum, n);
				ck_assert_msg(e == KDC_ERR_SUMTYPE_NOSUPP || e == KRB_AP_ERR_INAPP_CKSUM,
				    "cksumtype %d with enctype %d: %d", (int)unkeyed[i], (int)enctypes[j],
				    (int)e);
			}
		}
		kssp_crypto_key_clear(&key);
	}
}
END_TEST

Suite *kssp_suite_security(void);
Suite *kssp_suite_security(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("lint");

	tcase_add_test(tc, test_rcache_freed_is_refused);
	tcase_add_test(tc, cve_2018_16860_unkeyed_checksums_refused);
	suite_add_tcase(s, tc);
	return s;
}
