/*
 * test/unit/check_security.c - regression tests of issue 11 (docs/security.md)
 * that belong to no single layer's suite: findings of the static analysers
 * that were real, and bug classes of other Kerberos implementations.
 */
#include <check.h>
#include <string.h>

#include "base/err.h"
#include "context/ap.h"

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

Suite *kssp_suite_security(void);
Suite *kssp_suite_security(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("lint");

	tcase_add_test(tc, test_rcache_freed_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
