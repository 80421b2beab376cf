/* test/unit/check_kdc_config.c - krb5.conf parsing, merging and the honoured relations. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err_int.h"
#include "base/mem_int.h"
#include "creds/file_int.h"
#include "kdc/config_int.h"
#include "memfault.h"

static struct kssp_config *parse_ok(const char *text)
{
	struct kssp_config *cfg;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_msg(kssp_config_add_text(cfg, "t.conf", text, strlen(text)) == KSSP_OK,
	    "parse failed: %s", kssp_last_reason());
	return cfg;
}

static void parse_fails(const char *text, const char *reason)
{
	struct kssp_config *cfg;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", text, strlen(text)),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_str_eq(kssp_last_reason(), reason);
	kssp_config_free(cfg);
}

static const char sample[] =
    "# a comment\n"
    "; another\n"
    "[libdefaults]\n"
    "  default_realm = KSSP.TEST\n"
    "  dns_lookup_kdc = false\n"
    "  udp_preference_limit = 1\n"
    "  clockskew = 5m\n"
    "  ticket_lifetime = 10h 30m\n"
    "  renew_lifetime = 7d\n"
    "  forwardable = yes\n"
    "  default_tkt_enctypes = aes256-cts camellia128-cts-cmac rc4-hmac 19\n"
    "  quoted = \"a\\tb \\\"c\\\"\"\n"
    "  unknown_relation = whatever\n"
    "\n"
    "[realms]\n"
    "  KSSP.TEST = {\n"
    "    kdc = 127.0.0.1:8888\r\n"
    "    kdc = tcp/[::1]:88\n"
    "    master_kdc = 127.0.0.1:8888\n"
    "    nested = {\n"
    "      deep = 1\n"
    "    }\n"
    "  }\n"
    "[domain_realm]\n"
    "  .kssp.test = KSSP.TEST\n"
    "  special.kssp.test = OTHER.TEST\n"
    "[capaths]\n"
    "  A.TEST = {\n"
    "    C.TEST = B.TEST\n"
    "    C.TEST = B2.TEST\n"
    "    B.TEST = .\n"
    "  }\n";

START_TEST(config_parses_sections_relations_and_subsections)
{
	struct kssp_config *cfg = parse_ok(sample);
	const char *kdcs[4], *path[] = { "realms", "KSSP.TEST", "nested", "deep", NULL };
	const char *qpath[] = { "libdefaults", "quoted", NULL };
	const char *caps[4];

	ck_assert_str_eq(kssp_config_default_realm(cfg), "KSSP.TEST");
	ck_assert(!kssp_config_dns_lookup_kdc(cfg));
	ck_assert_uint_eq(kssp_config_udp_preference_limit(cfg), 1);
	ck_assert_int_eq(kssp_config_clockskew(cfg), 300);
	ck_assert_int_eq(kssp_config_ticket_lifetime(cfg), 10 * 3600 + 1800);
	ck_assert_int_eq(kssp_config_renew_lifetime(cfg), 7 * 86400);
	ck_assert(kssp_config_forwardable(cfg));
	ck_assert(!kssp_config_proxiable(cfg));
	ck_assert(kssp_config_kdc_timesync(cfg));
	ck_assert_int_eq(kssp_config_request_timeout(cfg), 30);
	ck_assert_uint_eq(kssp_config_realm_kdcs(cfg, "KSSP.TEST", kdcs, 4), 2);
	ck_assert_str_eq(kdcs[0], "127.0.0.1:8888");
	ck_assert_str_eq(kdcs[1], "tcp/[::1]:88");
	ck_assert_uint_eq(kssp_config_realm_master_kdcs(cfg, "KSSP.TEST", kdcs, 4), 1);
	ck_assert_uint_eq(kssp_config_realm_kdcs(cfg, "NONE.TEST", kdcs, 4), 0);
	ck_assert_str_eq(kssp_config_get(cfg, path), "1");
	ck_assert_str_eq(kssp_config_get(cfg, qpath), "a\tb \"c\"");
	ck_assert_str_eq(kssp_config_host_realm(cfg, "www.kssp.test"), "KSSP.TEST");
	ck_assert_str_eq(kssp_config_host_realm(cfg, "a.b.kssp.test"), "KSSP.TEST");
	ck_assert_str_eq(kssp_config_host_realm(cfg, "special.kssp.test"), "OTHER.TEST");
	ck_assert_ptr_null(kssp_config_host_realm(cfg, "example.org"));
	ck_assert_uint_eq(kssp_config_capath(cfg, "A.TEST", "C.TEST", caps, 4), 2);
	ck_assert_str_eq(caps[0], "B.TEST");
	ck_assert_str_eq(caps[1], "B2.TEST");
	ck_assert_uint_eq(kssp_config_capath(cfg, "A.TEST", "B.TEST", caps, 4), 0);
	ck_assert_uint_eq(kssp_config_capath(cfg, "A.TEST", "Z.TEST", caps, 4), (size_t)-1);
	kssp_config_free(cfg);
}
END_TEST

START_TEST(config_enctype_lists_honour_rc4_and_permitted)
{
	struct kssp_config *cfg = parse_ok(sample);
	int32_t e[KSSP_CONFIG_MAX_ETYPES];
	size_t n = kssp_config_tkt_enctypes(cfg, e, KSSP_CONFIG_MAX_ETYPES);

	/* rc4-hmac dropped: allow_rc4 is not set. */
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(e[0], 18);
	ck_assert_int_eq(e[1], 25);
	ck_assert_int_eq(e[2], 19);
	/* tgs list unset: MIT's default list. */
	n = kssp_config_tgs_enctypes(cfg, e, KSSP_CONFIG_MAX_ETYPES);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(e[0], 18);
	kssp_config_free(cfg);

	cfg = parse_ok("[libdefaults]\nallow_rc4 = true\n"
	    "default_tkt_enctypes = aes rc4 -aes128-sha2, 26\n"
	    "permitted_enctypes = DEFAULT rc4\n");
	n = kssp_config_tkt_enctypes(cfg, e, KSSP_CONFIG_MAX_ETYPES);
	/* 26 is not permitted, 19 removed. */
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(e[0], 18);
	ck_assert_int_eq(e[1], 17);
	ck_assert_int_eq(e[2], 20);
	ck_assert_int_eq(e[3], 23);
	kssp_config_free(cfg);
	ck_assert_int_eq(kssp_config_enctype_number("aes128-cts-hmac-sha256-128"), 19);
	ck_assert_int_eq(kssp_config_enctype_number("nonsense"), 0);
}
END_TEST

START_TEST(config_values_parse)
{
	int64_t d;
	bool b;

	ck_assert(kssp_config_parse_duration("3600", &d) && d == 3600);
	ck_assert(kssp_config_parse_duration("1d", &d) && d == 86400);
	ck_assert(kssp_config_parse_duration("1h30m", &d) && d == 5400);
	ck_assert(kssp_config_parse_duration("2d 1h", &d) && d == 2 * 86400 + 3600);
	ck_assert(kssp_config_parse_duration("10:00", &d) && d == 36000);
	ck_assert(kssp_config_parse_duration("1:02:03", &d) && d == 3723);
	ck_assert(kssp_config_parse_duration("1d 1:00:00", &d) && d == 90000);
	ck_assert(!kssp_config_parse_duration("", &d));
	ck_assert(!kssp_config_parse_duration("1h 5d", &d));
	ck_assert(!kssp_config_parse_duration("5x", &d));
	ck_assert(!kssp_config_parse_duration("99999999999", &d));
	ck_assert(!kssp_config_parse_duration("1:99", &d));
	ck_assert(kssp_config_parse_bool("YES", &b) && b);
	ck_assert(kssp_config_parse_bool("off", &b) && !b);
	ck_assert(!kssp_config_parse_bool("maybe", &b));
}
END_TEST

START_TEST(config_syntax_errors_name_file_and_line)
{
	parse_fails("kdc = x\n", "t.conf:1: relation outside any [section]");
	parse_fails("[libdefaults\n", "t.conf:1: missing ']' in section header");
	parse_fails("[]\n", "t.conf:1: empty section name");
	parse_fails("[a] junk\n", "t.conf:1: text after section header");
	parse_fails("[a]\n\nnovalue\n", "t.conf:3: expected 'name = value'");
	parse_fails("[a]\n = v\n", "t.conf:2: relation without a name");
	parse_fails("[a]\n}\n", "t.conf:2: '}' without a matching '{'");
	parse_fails("[a]\nx = {\n y = 1\n", "t.conf:3: missing '}' at end of file");
	parse_fails("[a]\nx = {\n[b]\n}\n", "t.conf:3: section header inside { }");
	parse_fails("[a]\nx = \"abc\n", "t.conf:2: missing closing '\"'");
	parse_fails("[a]\nx = \"a\\q\"\n", "t.conf:2: unknown escape in quoted value");
	parse_fails("[a]\nx = { \n", "t.conf:2: missing '}' at end of file");
}
END_TEST

START_TEST(config_nesting_is_bounded)
{
	char text[2048];
	size_t i, n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "[a]\n");
	for (i = 0; i < KSSP_CONFIG_MAX_NEST + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "x = {\n");
	parse_fails(text, "t.conf:18: { } nested too deeply");
}
END_TEST

/* Writes text to dir/name and returns the path in a static buffer. */
static const char *write_file(const char *dir, const char *name, const char *text)
{
	static char path[4][512];
	static int slot;
	char *p = path[slot++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static char *make_dir(void)
{
	static char tmpl[64];

	strcpy(tmpl, "/tmp/kssp-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	return tmpl;
}

static void remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(config_files_merge_in_order_with_final_and_includes)
{
	char *dir = make_dir(), list[2048], sub[600], text[3000];
	struct kssp_config *cfg;
	const char *kdcs[8];

	snprintf(sub, sizeof(sub), "%s/conf.d", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	write_file(sub, "10-extra.conf", "[libdefaults]\n extra = from-dir\n");
	write_file(sub, "20_more", "[libdefaults]\n more = yes\n");
	write_file(sub, "skip.me~", "[libdefaults]\n skipped = yes\n");
	write_file(dir, "inc.conf", "[realms]\n R = {\n  kdc = included:88\n }\n");
	snprintf(text, sizeof(text),
	    "[libdefaults]\n default_realm = FIRST\n include %s/inc.conf\n"
	    "includedir %s\n after_include = ok\n[realms]\n R = {\n  kdc = first:88\n }*\n",
	    dir, sub);
	snprintf(list, sizeof(list), "%s:%s/missing.conf:%s", write_file(dir, "a.conf", text), dir,
	    write_file(dir, "b.conf",
	        "[libdefaults]\n default_realm = SECOND\n second_only = 2\n"
	        "[realms]\n R = {\n  kdc = second:88\n }\n Q = {\n kdc = q:88\n}\n"));
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_OK);
	{
		const char *p1[] = { "libdefaults", "extra", NULL };
		const char *p2[] = { "libdefaults", "more", NULL };
		const char *p3[] = { "libdefaults", "skipped", NULL };
		const char *p4[] = { "libdefaults", "second_only", NULL };
		const char *p5[] = { "libdefaults", "after_include", NULL };
		const char *p6[] = { "realms", NULL };
		const char *names[8];

		ck_assert_str_eq(kssp_config_default_realm(cfg), "FIRST");
		ck_assert_str_eq(kssp_config_get(cfg, p1), "from-dir");
		ck_assert_str_eq(kssp_config_get(cfg, p2), "yes");
		ck_assert_ptr_null(kssp_config_get(cfg, p3));
		ck_assert_str_eq(kssp_config_get(cfg, p4), "2");
		ck_assert_str_eq(kssp_config_get(cfg, p5), "ok");
		ck_assert_uint_eq(kssp_config_names(cfg, p6, names, 8), 2);
		ck_assert_str_eq(names[0], "R");
		ck_assert_str_eq(names[1], "Q");
	}
	/* included first, then a.conf's own; the final '}*' hides b.conf's. */
	ck_assert_uint_eq(kssp_config_realm_kdcs(cfg, "R", kdcs, 8), 2);
	ck_assert_str_eq(kdcs[0], "included:88");
	ck_assert_str_eq(kdcs[1], "first:88");
	ck_assert_uint_eq(kssp_config_realm_kdcs(cfg, "Q", kdcs, 8), 1);
	kssp_config_free(cfg);

	/* KRB5_CONFIG is used when no path is given. */
	setenv("KRB5_CONFIG", list, 1);
	ck_assert_int_eq(kssp_config_load(NULL, &cfg), KSSP_OK);
	ck_assert_str_eq(kssp_config_default_realm(cfg), "FIRST");
	kssp_config_free(cfg);
	unsetenv("KRB5_CONFIG");

	/* No file at all: defaults. */
	snprintf(list, sizeof(list), "%s/none.conf", dir);
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_OK);
	ck_assert_ptr_null(kssp_config_default_realm(cfg));
	ck_assert(kssp_config_dns_lookup_kdc(cfg));
	ck_assert_uint_eq(kssp_config_udp_preference_limit(cfg), 1465);
	kssp_config_free(cfg);

	/* A missing include is an error naming the including line. */
	snprintf(text, sizeof(text), "[a]\ninclude %s/nothere.conf\n", dir);
	snprintf(list, sizeof(list), "%s", write_file(dir, "bad.conf", text));
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_ERR_IO);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "bad.conf:2: include "));

	/* A file including itself stops at the depth bound. */
	snprintf(list, sizeof(list), "%s/self.conf", dir);
	snprintf(text, sizeof(text), "[a]\ninclude %s\n", list);
	write_file(dir, "self.conf", text);
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "nested more than 8 deep"));

	/* A directory (or device, FIFO) is not read as a configuration. */
	snprintf(text, sizeof(text), "[a]\ninclude %s\n", dir);
	snprintf(list, sizeof(list), "%s", write_file(dir, "dir.conf", text));
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_ERR_IO);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "dir.conf:2: include "));
	ck_assert_int_eq(kssp_config_load("/dev/null", &cfg), KSSP_ERR_IO);
	ck_assert_str_eq(kssp_last_reason(), "/dev/null: not a regular file");

	/* A syntax error in a file names that file. */
	snprintf(list, sizeof(list), "%s", write_file(dir, "syn.conf", "[a]\n\nbroken\n"));
	ck_assert_int_eq(kssp_config_load(list, &cfg), KSSP_ERR_BAD_ENCODING);
	snprintf(text, sizeof(text), "%s:3: expected 'name = value'", list);
	ck_assert_str_eq(kssp_last_reason(), text);
	remove_tree(dir);
}
END_TEST

/*
 * A FIFO (or device) as the configuration, inside an includedir, or as a
 * cache blocks a reader that opens it before looking: each must be refused
 * or skipped at once (the test would hang otherwise).
 */
START_TEST(config_and_cache_fifos_do_not_block)
{
	char *dir = make_dir(), sub[600], fifo[600], conf[600], text[1400];
	struct kssp_config *cfg;
	uint8_t *data = NULL;
	size_t len = 0;
	const char *p1[] = { "libdefaults", "after", NULL };

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(kssp_config_load(fifo, &cfg), KSSP_ERR_IO);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "not a regular file"));
	ck_assert_int_eq(kssp_creds_file_read(fifo, &data, &len), KSSP_ERR_IO);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "not a regular file"));
	/* In an includedir, MIT's way: only regular files are read. */
	snprintf(sub, sizeof(sub), "%s/conf.d", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(fifo, sizeof(fifo), "%s/conf.d/10-fifo.conf", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	write_file(sub, "20-real.conf", "[libdefaults]\n after = yes\n");
	snprintf(text, sizeof(text), "[libdefaults]\n includedir %s\n", sub);
	snprintf(conf, sizeof(conf), "%s", write_file(dir, "main.conf", text));
	ck_assert_int_eq(kssp_config_load(conf, &cfg), KSSP_OK);
	ck_assert_str_eq(kssp_config_get(cfg, p1), "yes");
	kssp_config_free(cfg);
	remove_tree(dir);
}
END_TEST

/*
 * Six levels of files, each including the next 40 times, stay within the
 * depth limit and would still read 40^6 files: the number of files one
 * configuration reads is bounded, with a clear error.
 */
START_TEST(config_include_fan_out_is_bounded)
{
	char *dir = make_dir(), name[64], text[8192], first[600];
	struct kssp_config *cfg;
	int level, i;
	size_t n;

	for (level = 6; level >= 0; level--) {
		n = (size_t)snprintf(text, sizeof(text), "[libdefaults]\n x%d = 1\n", level);
		for (i = 0; level < 6 && i < 40; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "include %s/l%d.conf\n", dir,
			    level + 1);
		snprintf(name, sizeof(name), "l%d.conf", level);
		write_file(dir, name, text);
	}
	snprintf(first, sizeof(first), "%s/l0.conf", dir);
	ck_assert_int_eq(kssp_config_load(first, &cfg), KSSP_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "files"));
	remove_tree(dir);
}
END_TEST

START_TEST(config_allocation_failures_are_reported)
{
	size_t i, made;

	kssp_alloc_fail_after(0);
	for (i = 1;; i++) {
		struct kssp_config *cfg = NULL;
		kssp_err e;

		kssp_alloc_fail_after(i);
		e = kssp_config_new(&cfg);
		if (!e)
			e = kssp_config_add_text(cfg, "t.conf", sample, strlen(sample));
		made = kssp_alloc_fail_after(0);
		kssp_config_free(cfg);
		if (!e)
			break;
		ck_assert_int_eq(e, KSSP_ERR_NOMEM);
		ck_assert_uint_ge(made, i);
	}
	ck_assert_uint_gt(i, 10);
}
END_TEST

Suite *kssp_suite_kdc_config(void);
Suite *kssp_suite_kdc_config(void)
{
	Suite *s = suite_create("kdc_config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, config_parses_sections_relations_and_subsections);
	tcase_add_test(tc, config_enctype_lists_honour_rc4_and_permitted);
	tcase_add_test(tc, config_values_parse);
	tcase_add_test(tc, config_syntax_errors_name_file_and_line);
	tcase_add_test(tc, config_nesting_is_bounded);
	tcase_add_test(tc, config_files_merge_in_order_with_final_and_includes);
	tcase_add_test(tc, config_and_cache_fifos_do_not_block);
	tcase_add_test(tc, config_include_fan_out_is_bounded);
	tcase_add_test(tc, config_allocation_failures_are_reported);
	suite_add_tcase(s, tc);
	return s;
}
