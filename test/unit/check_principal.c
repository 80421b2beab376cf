/* test/unit/check_principal.c - creds/principal: text form, Windows forms, services, salts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "creds/principal_int.h"
#include "memfault.h"

/* Parses text (realm default R.TEST) and unparses it back. */
static char *roundtrip(const char *text, unsigned flags)
{
	struct kssp_principal *p;
	char *out;

	ck_assert_int_eq(kssp_principal_parse(text, flags, "R.TEST", &p), KSSP_OK);
	ck_assert_int_eq(kssp_principal_unparse(p, 0, &out), KSSP_OK);
	kssp_principal_free(p);
	return out;
}

START_TEST(parse_components_and_realm)
{
	struct kssp_principal *p;

	ck_assert_int_eq(kssp_principal_parse("host/www.example.test@EXAMPLE.TEST", 0, NULL, &p),
	    KSSP_OK);
	ck_assert_uint_eq(p->n_name_string, 2);
	ck_assert_str_eq(p->name_string[0].data, "host");
	ck_assert_str_eq(p->name_string[1].data, "www.example.test");
	ck_assert_str_eq(p->realm.data, "EXAMPLE.TEST");
	ck_assert_int_eq(p->name_type, KSSP_NT_PRINCIPAL);
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse("user", 0, "DEF.TEST", &p), KSSP_OK);
	ck_assert_str_eq(p->realm.data, "DEF.TEST");
	ck_assert_uint_eq(p->n_name_string, 1);
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse("krbtgt/A.TEST@A.TEST", 0, NULL, &p), KSSP_OK);
	ck_assert_int_eq(p->name_type, KSSP_NT_SRV_INST);
	ck_assert(kssp_principal_is_tgs(p));
	ck_assert_str_eq(kssp_principal_tgs_realm(p)->data, "A.TEST");
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse("WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS", 0, NULL,
	    &p), KSSP_OK);
	ck_assert_int_eq(p->name_type, KSSP_NT_WELLKNOWN);
	kssp_principal_free(p);
}
END_TEST

START_TEST(escapes_round_trip)
{
	static const char *const texts[] = {
		"a\\/b@R.TEST", "a\\@b/c@R.TEST", "x\\\\y@R.TEST", "n\\nt\\tb\\bz\\0@R.TEST",
		"a//b@R.TEST", "user@RE\\@ALM",
	};
	struct kssp_principal *p;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *out = roundtrip(texts[i], 0);

		ck_assert_str_eq(out, texts[i]);
		kssp_free(out);
	}
	/* The escapes stand for the bytes they name, NUL included. */
	ck_assert_int_eq(kssp_principal_parse("n\\nt\\tb\\bz\\0q\\x", 0, "R", &p), KSSP_OK);
	ck_assert_uint_eq(p->name_string[0].length, 10);
	ck_assert(memcmp(p->name_string[0].data, "n\nt\tb\bz\0qx", 10) == 0);
	kssp_principal_free(p);
	/* Display form: no escapes. */
	ck_assert_int_eq(kssp_principal_parse("a\\/b@R", 0, NULL, &p), KSSP_OK);
	{
		char *out;

		ck_assert_int_eq(kssp_principal_unparse(p, KSSP_UNPARSE_DISPLAY |
		    KSSP_UNPARSE_NO_REALM, &out), KSSP_OK);
		ck_assert_str_eq(out, "a/b");
		kssp_free(out);
	}
	kssp_principal_free(p);
}
END_TEST

/*
 * Parse then unparse, compared with what MIT's krb5_parse_name_flags and
 * krb5_unparse_name (1.20, default realm DEF.TEST) made of the same text.
 * "E:" marks KRB5_PRINCIPAL_PARSE_ENTERPRISE; NULL: MIT refused the name.
 */
START_TEST(parse_and_unparse_like_mit)
{
	static const struct {
		const char *text, *mit;
		int32_t name_type;
		size_t n;
	} cases[] = {
		{ "a", "a@DEF.TEST", 1, 1 },
		{ "a/b", "a/b@DEF.TEST", 1, 2 },
		{ "a@R", "a@R", 1, 1 },
		{ "a/b@R", "a/b@R", 1, 2 },
		{ "a\\/b@R", "a\\/b@R", 1, 1 },
		{ "a\\@b@R", "a\\@b@R", 1, 1 },
		{ "a@R@S", NULL, 0, 0 },
		{ "a@R/S", NULL, 0, 0 },
		{ "a\\", NULL, 0, 0 },
		{ "a\\nb\\tc\\bd\\0e@R", "a\\nb\\tc\\bd\\0e@R", 1, 1 },
		{ "a\\xb@R", "axb@R", 1, 1 },
		{ "@R", "@R", 1, 1 },
		{ "a//b@R", "a//b@R", 1, 3 },
		{ "/a@R", "/a@R", 1, 2 },
		{ "a/@R", "a/@R", 1, 2 },
		{ "krbtgt/R@R", "krbtgt/R@R", 2, 2 },
		{ "krbtgt/R", "krbtgt/R@DEF.TEST", 2, 2 },
		{ "WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS", "WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS", 11, 2 },
		{ "E:user@corp.com", "user\\@corp.com@DEF.TEST", 10, 1 },
		{ "E:user@corp.com@R", "user\\@corp.com@R", 10, 1 },
		{ "E:user\\@corp.com@R", "user\\@corp.com\\@R@DEF.TEST", 10, 1 },
		{ "E:a/b@c", "a\\/b\\@c@DEF.TEST", 10, 1 },
		{ "E:plain", "plain@DEF.TEST", 10, 1 },
		{ "a@", "a@", 1, 1 },
		{ "a@R\\/S", "a@R\\/S", 1, 1 },
		{ "a@R\\@S", "a@R\\@S", 1, 1 },
		{ "E:a@b@c@R", NULL, 0, 0 },
		{ "E:a@b@c\\@R", "a\\@b@c\\@R", 10, 1 },
		{ "E:a\\/b", "a\\/b@DEF.TEST", 10, 1 },
		{ "x\\\\y@R\\\\S", "x\\\\y@R\\\\S", 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *text = cases[i].text;
		unsigned flags = 0;
		struct kssp_principal *p;
		char *out;
		kssp_err e;

		if (strncmp(text, "E:", 2) == 0) {
			flags = KSSP_PARSE_ENTERPRISE;
			text += 2;
		}
		e = kssp_principal_parse(text, flags, "DEF.TEST", &p);
		if (!cases[i].mit) {
			ck_assert_msg(e != KSSP_OK, "%s: accepted, MIT refuses it", cases[i].text);
			continue;
		}
		ck_assert_msg(e == KSSP_OK, "%s: %s", cases[i].text, kssp_last_reason());
		ck_assert_int_eq(kssp_principal_unparse(p, 0, &out), KSSP_OK);
		ck_assert_str_eq(out, cases[i].mit);
		ck_assert_int_eq(p->name_type, cases[i].name_type);
		ck_assert_uint_eq(p->n_name_string, cases[i].n);
		kssp_free(out);
		kssp_principal_free(p);
	}
}
END_TEST

START_TEST(malformed_names_are_refused)
{
	struct kssp_principal *p = (struct kssp_principal *)1;
	char big[40 * 2 + 1];
	size_t i;

	ck_assert_int_eq(kssp_principal_parse("", 0, NULL, &p), KSSP_ERR_INVALID_ARG);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(kssp_principal_parse("user\\", 0, NULL, &p), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse("user@R@S", 0, NULL, &p), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse("user@R/S", 0, NULL, &p), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse("user", KSSP_PARSE_REQUIRE_REALM, NULL, &p),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse("user@R", KSSP_PARSE_NO_REALM, NULL, &p),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_str_ne(kssp_last_reason(), "");
	for (i = 0; i < 40; i++) {
		big[2 * i] = 'a';
		big[2 * i + 1] = '/';
	}
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(kssp_principal_parse(big, 0, NULL, &p), KSSP_ERR_LIMIT);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(enterprise_names_are_one_component)
{
	struct kssp_principal *p;
	char *out;

	ck_assert_int_eq(kssp_principal_parse("user@corp.example.com", KSSP_PARSE_ENTERPRISE,
	    "AD.TEST", &p), KSSP_OK);
	ck_assert_int_eq(p->name_type, KSSP_NT_ENTERPRISE);
	ck_assert_uint_eq(p->n_name_string, 1);
	ck_assert_str_eq(p->name_string[0].data, "user@corp.example.com");
	ck_assert_str_eq(p->realm.data, "AD.TEST");
	ck_assert_int_eq(kssp_principal_unparse(p, 0, &out), KSSP_OK);
	ck_assert_str_eq(out, "user\\@corp.example.com@AD.TEST");
	kssp_free(out);
	kssp_principal_free(p);

	/* Two '@': the second starts the realm; '/' is an ordinary character. */
	ck_assert_int_eq(kssp_principal_parse("a/b@corp.example.com@X.TEST",
	    KSSP_PARSE_ENTERPRISE, NULL, &p), KSSP_OK);
	ck_assert_uint_eq(p->n_name_string, 1);
	ck_assert_str_eq(p->name_string[0].data, "a/b@corp.example.com");
	ck_assert_str_eq(p->realm.data, "X.TEST");
	kssp_principal_free(p);

	/* As MIT: an escaped '@' does not count, so the unescaped one is the name's. */
	ck_assert_int_eq(kssp_principal_parse("user\\@corp.example.com@AD.TEST",
	    KSSP_PARSE_ENTERPRISE, "DEF.TEST", &p), KSSP_OK);
	ck_assert_str_eq(p->name_string[0].data, "user@corp.example.com@AD.TEST");
	ck_assert_str_eq(p->realm.data, "DEF.TEST");
	kssp_principal_free(p);
	ck_assert_int_eq(kssp_principal_parse("a@b@c@R", KSSP_PARSE_ENTERPRISE, NULL, &p),
	    KSSP_ERR_BAD_ENCODING);
}
END_TEST

START_TEST(windows_forms)
{
	struct kssp_principal *p;

	ck_assert_int_eq(kssp_principal_parse_windows("corp\\alice", NULL, false, &p), KSSP_OK);
	ck_assert_str_eq(p->name_string[0].data, "alice");
	ck_assert_str_eq(p->realm.data, "CORP");
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse_windows("alice@corp.example.com", NULL, false, &p),
	    KSSP_OK);
	ck_assert_str_eq(p->name_string[0].data, "alice");
	ck_assert_str_eq(p->realm.data, "CORP.EXAMPLE.COM");
	ck_assert_int_eq(p->name_type, KSSP_NT_PRINCIPAL);
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse_windows("alice@corp.example.com", "AD.TEST", true,
	    &p), KSSP_OK);
	ck_assert_int_eq(p->name_type, KSSP_NT_ENTERPRISE);
	ck_assert_str_eq(p->name_string[0].data, "alice@corp.example.com");
	ck_assert_str_eq(p->realm.data, "AD.TEST");
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse_windows("bob", "AD.TEST", false, &p), KSSP_OK);
	ck_assert_str_eq(p->realm.data, "AD.TEST");
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_parse_windows("\\bob", NULL, false, &p),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse_windows("corp\\", NULL, false, &p),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_parse_windows("bob@", NULL, false, &p),
	    KSSP_ERR_BAD_ENCODING);
}
END_TEST

START_TEST(host_based_services)
{
	static const struct kssp_domain_realm map[] = {
		{ ".example.test", "EXAMPLE.TEST" },
		{ ".sub.example.test", "SUB.TEST" },
		{ "odd.example.test", "ODD.TEST" },
	};
	struct kssp_principal *p;

	ck_assert_int_eq(kssp_principal_host_service("HTTP@Web.Example.Test", "EXAMPLE.TEST", &p),
	    KSSP_OK);
	ck_assert_int_eq(p->name_type, KSSP_NT_SRV_HST);
	ck_assert_str_eq(p->name_string[0].data, "HTTP");
	ck_assert_str_eq(p->name_string[1].data, "web.example.test");
	ck_assert_str_eq(p->realm.data, "EXAMPLE.TEST");
	kssp_principal_free(p);

	ck_assert_int_eq(kssp_principal_host_service("host/h.example.test", NULL, &p), KSSP_OK);
	ck_assert_uint_eq(p->realm.length, 0);
	kssp_principal_free(p);
	ck_assert_int_eq(kssp_principal_host_service("HTTP", NULL, &p), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_principal_host_service("@host", NULL, &p), KSSP_ERR_BAD_ENCODING);

	ck_assert_str_eq(kssp_principal_host_realm("www.example.test", map, 3), "EXAMPLE.TEST");
	ck_assert_str_eq(kssp_principal_host_realm("a.sub.example.test", map, 3), "SUB.TEST");
	ck_assert_str_eq(kssp_principal_host_realm("ODD.example.test", map, 3), "ODD.TEST");
	ck_assert_str_eq(kssp_principal_host_realm("example.test", map, 3), "EXAMPLE.TEST");
	ck_assert_ptr_null(kssp_principal_host_realm("www.other.test", map, 3));
	ck_assert_ptr_null(kssp_principal_host_realm("badexample.test", map, 3));
}
END_TEST

static void check_salt(const char *text, unsigned flags, enum kssp_salt_style style,
    const char *want)
{
	struct kssp_principal *p;
	struct kssp_writer w;

	ck_assert_int_eq(kssp_principal_parse(text, flags, "AD.EXAMPLE.TEST", &p), KSSP_OK);
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_principal_salt(p, style, &w), KSSP_OK);
	ck_assert_uint_eq(w.len, strlen(want));
	ck_assert(memcmp(w.buf, want, w.len) == 0);
	kssp_writer_free(&w);
	kssp_principal_free(p);
}

START_TEST(salts)
{
	/* RFC 3962 §B's principal: realm then components. */
	check_salt("raeburn@ATHENA.MIT.EDU", 0, KSSP_SALT_STANDARD, "ATHENA.MIT.EDUraeburn");
	check_salt("host/h.example.test@R.TEST", 0, KSSP_SALT_STANDARD, "R.TESThosth.example.test");
	check_salt("WS01$", 0, KSSP_SALT_WINDOWS, "AD.EXAMPLE.TESThostws01.ad.example.test");
	check_salt("WS01$", 0, KSSP_SALT_STANDARD, "AD.EXAMPLE.TESTWS01$");
	check_salt("alice@corp.example.com", KSSP_PARSE_ENTERPRISE, KSSP_SALT_WINDOWS,
	    "AD.EXAMPLE.TESTalice");
	check_salt("alice@corp.example.com", KSSP_PARSE_ENTERPRISE, KSSP_SALT_STANDARD,
	    "AD.EXAMPLE.TESTalice@corp.example.com");
	check_salt("Alice", 0, KSSP_SALT_WINDOWS, "AD.EXAMPLE.TESTAlice");
}
END_TEST

START_TEST(compare_and_copy)
{
	struct kssp_principal *a, *b, *c;
	const char *comps[] = { "svc", "h" };

	ck_assert_int_eq(kssp_principal_parse("svc/h@R", 0, NULL, &a), KSSP_OK);
	ck_assert_int_eq(kssp_principal_build(&b, KSSP_NT_SRV_HST, "R", 2, comps), KSSP_OK);
	ck_assert(kssp_principal_equal(a, b));
	ck_assert_int_eq(kssp_principal_copy(a, &c), KSSP_OK);
	ck_assert(kssp_principal_equal(a, c));
	kssp_principal_free(c);
	ck_assert_int_eq(kssp_principal_build(&c, KSSP_NT_SRV_HST, "S", 2, comps), KSSP_OK);
	ck_assert(!kssp_principal_equal(a, c));
	ck_assert(kssp_principal_equal_no_realm(a, c));
	ck_assert(kssp_principal_realm_is(c, "S"));
	ck_assert(!kssp_principal_realm_is(c, "SS"));
	kssp_principal_free(a);
	kssp_principal_free(b);
	kssp_principal_free(c);
}
END_TEST

/* Every allocation of a parse, failed in turn: an error, never a crash or leak. */
START_TEST(parse_survives_allocation_failure)
{
	size_t n;

	for (n = 1; n < 16; n++) {
		struct kssp_principal *p;
		kssp_err e;

		kssp_alloc_fail_after(n);
		e = kssp_principal_parse("a/b/c@R", 0, NULL, &p);
		kssp_alloc_fail_after(0);
		if (e == KSSP_OK) {
			kssp_principal_free(p);
			break;
		}
		ck_assert_int_eq(e, KSSP_ERR_NOMEM);
		ck_assert_ptr_null(p);
	}
	ck_assert_uint_lt(n, 16);
}
END_TEST

/* A principal is one block: a copy, whatever its parts, is one allocation. */
START_TEST(a_principal_is_one_allocation)
{
	struct kssp_principal *a, *b;
	const char *comps[] = { "svc", "host.example", "extra" };

	ck_assert_int_eq(kssp_principal_build(&a, KSSP_NT_SRV_HST, "EXAMPLE.COM", 3, comps),
	    KSSP_OK);
	kssp_alloc_fail_after(0);
	ck_assert_int_eq(kssp_principal_copy(a, &b), KSSP_OK);
	ck_assert_uint_eq(kssp_alloc_fail_after(0), 1);
	ck_assert(kssp_principal_equal(a, b));
	ck_assert_uint_eq(b->n_name_string, 3);
	ck_assert_str_eq(b->name_string[1].data, "host.example");
	ck_assert_str_eq(b->name_string[2].data, "extra");
	ck_assert_str_eq(b->realm.data, "EXAMPLE.COM");
	kssp_principal_free(a);
	kssp_principal_free(b);
}
END_TEST

Suite *kssp_suite_principal(void);
Suite *kssp_suite_principal(void)
{
	Suite *s = suite_create("principal");
	TCase *t = tcase_create("principal");

	tcase_add_test(t, parse_components_and_realm);
	tcase_add_test(t, a_principal_is_one_allocation);
	tcase_add_test(t, escapes_round_trip);
	tcase_add_test(t, parse_and_unparse_like_mit);
	tcase_add_test(t, malformed_names_are_refused);
	tcase_add_test(t, enterprise_names_are_one_component);
	tcase_add_test(t, windows_forms);
	tcase_add_test(t, host_based_services);
	tcase_add_test(t, salts);
	tcase_add_test(t, compare_and_copy);
	tcase_add_test(t, parse_survives_allocation_failure);
	suite_add_tcase(s, t);
	return s;
}
