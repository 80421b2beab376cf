/* test/unit/check_kdc_locate.c - KDC address forms, config lookup, DNS SRV reply parsing. */
#include <check.h>
#include <string.h>

#include "base/err_int.h"
#include "base/hooks_int.h"
#include "kdc/config_int.h"
#include "kdc/locate_int.h"
#include "testutil.h"

START_TEST(locate_parses_every_address_form)
{
	static const struct {
		const char *text, *host;
		uint16_t port;
		enum kssp_kdc_proto proto;
	} ok[] = {
		{ "kdc.kssp.test", "kdc.kssp.test", 88, KSSP_KDC_PROTO_ANY },
		{ "127.0.0.1:7088", "127.0.0.1", 7088, KSSP_KDC_PROTO_ANY },
		{ "[::1]:750", "::1", 750, KSSP_KDC_PROTO_ANY },
		{ "[fe80::1]", "fe80::1", 88, KSSP_KDC_PROTO_ANY },
		{ "::1", "::1", 88, KSSP_KDC_PROTO_ANY },
		{ "tcp/kdc:1088", "kdc", 1088, KSSP_KDC_PROTO_TCP },
		{ "udp/[::1]:65535", "::1", 65535, KSSP_KDC_PROTO_UDP },
		{ "TCP/127.0.0.1", "127.0.0.1", 88, KSSP_KDC_PROTO_TCP },
	};
	static const char *const bad[] = {
		"", "tcp/", "[::1", "[::1]x", "host:", "host:0", "host:65536", "host:8x",
		"http://kdc/KdcProxy", "a b", "[]:88", "tcp/udp/host", "https://", "https:///p",
		"https://kdc:0/KdcProxy", "https://a b/", "https://kdc/a b",
	};
	/* KDC proxies as MIT's locate_kdc.c takes them: port 443, the path without its '/'. */
	static const struct {
		const char *text, *host, *path;
		uint16_t port;
	} proxies[] = {
		{ "https://kdc.kssp.test/KdcProxy", "kdc.kssp.test", "KdcProxy", 443 },
		{ "https://127.0.0.1:8443/KdcProxy", "127.0.0.1", "KdcProxy", 8443 },
		{ "HTTPS://[::1]:9443/a/b", "::1", "a/b", 9443 },
		{ "https://kdc", "kdc", "", 443 },
	};
	struct kssp_kdc_server s;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(kssp_locate_parse_server(ok[i].text, &s) == KSSP_OK, "%s", ok[i].text);
		ck_assert_str_eq(s.host, ok[i].host);
		ck_assert_uint_eq(s.port, ok[i].port);
		ck_assert_int_eq(s.proto, ok[i].proto);
	}
	for (i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++) {
		ck_assert_msg(kssp_locate_parse_server(proxies[i].text, &s) == KSSP_OK, "%s",
		    proxies[i].text);
		ck_assert_str_eq(s.host, proxies[i].host);
		ck_assert_str_eq(s.path, proxies[i].path);
		ck_assert_uint_eq(s.port, proxies[i].port);
		ck_assert_int_eq(s.proto, KSSP_KDC_PROTO_HTTPS);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(kssp_locate_parse_server(bad[i], &s) == KSSP_ERR_BAD_ENCODING,
		    "accepted '%s'", bad[i]);
		ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "KDC address"));
	}
}
END_TEST

static struct kssp_config *conf(const char *text)
{
	struct kssp_config *cfg;

	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", text, strlen(text)), KSSP_OK);
	return cfg;
}

START_TEST(locate_takes_config_kdcs_in_order_and_never_dns_when_off)
{
	struct kssp_config *cfg = conf(
	    "[libdefaults]\n dns_lookup_kdc = false\n"
	    "[realms]\n KSSP.TEST = {\n  kdc = udp/127.0.0.1:1\n  kdc = 127.0.0.2:2\n"
	    "  master_kdc = tcp/127.0.0.3\n }\n BAD.TEST = {\n kdc = [::1\n }\n");
	struct kssp_kdc_servers l;

	ck_assert_int_eq(kssp_locate_kdcs(cfg, NULL, "KSSP.TEST", false, &l), KSSP_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].host, "127.0.0.1");
	ck_assert_int_eq(l.v[0].proto, KSSP_KDC_PROTO_UDP);
	ck_assert_uint_eq(l.v[1].port, 2);
	ck_assert(!l.from_dns);
	ck_assert_int_eq(kssp_locate_kdcs(cfg, NULL, "KSSP.TEST", true, &l), KSSP_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].host, "127.0.0.3");
	ck_assert_int_eq(kssp_locate_kdcs(cfg, NULL, "OTHER.TEST", false, &l), KSSP_ERR_NO_KDC);
	ck_assert_str_eq(kssp_last_reason(), "no KDC known for realm OTHER.TEST");
	ck_assert(!l.from_dns);
	ck_assert_int_eq(kssp_locate_kdcs(cfg, NULL, "BAD.TEST", false, &l), KSSP_ERR_BAD_ENCODING);
	kssp_config_free(cfg);
}
END_TEST

/* A counter as the random source, so weighted order is reproducible. */
static kssp_err counter_random(void *arg, void *buf, size_t len)
{
	unsigned *ctr = arg;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i == 0 ? (*ctr)++ : 0);
	return KSSP_OK;
}

/*
 * _kerberos._udp.KSSP.TEST SRV: answers (priority, weight, port, target)
 * (10, 0, 88, kdc2.kssp.test), (5, 0, 750, kdc1.kssp.test via a pointer
 * to the question), (20, 0, 88, ".") and an A record that is skipped.
 */
static const char srv_reply[] =
    "1234 8180 0001 0004 0000 0000"
    /* question at 12: _kerberos._udp.KSSP.TEST SRV IN */
    "095f6b65726265726f73 045f756470 044b535350 0454455354 00 0021 0001"
    /* answer 1: name = pointer to 12 */
    "c00c 0021 0001 00000e10 0016 000a 0000 0058"
    "046b646332 046b737370 0474657374 00"
    /* answer 2: target kdc1 + pointer to "kssp.test" of answer 1 (offset 65) */
    "c00c 0021 0001 00000e10 000d 0005 0000 02ee 046b646331 c041"
    /* answer 3: "." target */
    "c00c 0021 0001 00000e10 0007 0014 0000 0058 00"
    /* answer 4: an A record */
    "c00c 0001 0001 00000e10 0004 7f000001";

START_TEST(locate_orders_srv_answers_by_priority)
{
	uint8_t msg[512];
	size_t len = tu_hex(srv_reply, msg, sizeof(msg));
	struct kssp_kdc_servers l;
	unsigned ctr = 0;
	struct kssp_hooks h = { 0 };

	h.random = counter_random;
	h.random_arg = &ctr;
	memset(&l, 0, sizeof(l));
	ck_assert_msg(kssp_locate_parse_srv_reply(msg, len, KSSP_KDC_PROTO_UDP, &h, &l) == KSSP_OK,
	    "%s", kssp_last_reason());
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].host, "kdc1.kssp.test");
	ck_assert_uint_eq(l.v[0].port, 750);
	ck_assert_str_eq(l.v[1].host, "kdc2.kssp.test");
	ck_assert_int_eq(l.v[1].proto, KSSP_KDC_PROTO_UDP);
}
END_TEST

/* Equal priorities: the record with the larger weight wins most draws. */
START_TEST(locate_srv_weights_pick_in_proportion)
{
	static const char two[] =
	    "0001 8180 0000 0002 0000 0000"
	    "01 61 00 0021 0001 00000000 0009 0001 0001 0001 01 61 00"
	    "01 62 00 0021 0001 00000000 0009 0001 0063 0002 01 62 00";
	uint8_t msg[128];
	size_t len = tu_hex(two, msg, sizeof(msg));
	unsigned ctr = 0, heavy_first = 0, run;
	struct kssp_hooks h = { 0 };

	h.random = counter_random;
	h.random_arg = &ctr;
	for (run = 0; run < 50; run++) {
		struct kssp_kdc_servers l;

		memset(&l, 0, sizeof(l));
		ck_assert_int_eq(kssp_locate_parse_srv_reply(msg, len, KSSP_KDC_PROTO_TCP, &h, &l),
		    KSSP_OK);
		ck_assert_uint_eq(l.n, 2);
		heavy_first += strcmp(l.v[0].host, "b") == 0;
	}
	/*
	 * 50 runs (two draws each); the first pick draws r = 0, 2, ..., 98 out
	 * of 0..100: only r <= 1 (weight 1 of 100) picks "a".
	 */
	ck_assert_uint_eq(heavy_first, 49);
}
END_TEST

START_TEST(locate_rejects_hostile_dns_replies)
{
	static const char *const bad[] = {
		/* header cut short */
		"1234 8180 0001",
		/* rcode NXDOMAIN */
		"1234 8183 0000 0000 0000 0000",
		/* a compression pointer to itself */
		"1234 8180 0000 0001 0000 0000 c00c 0021 0001 00000000 0000",
		/* a pointer forward */
		"1234 8180 0000 0001 0000 0000 c0ff 0021 0001 00000000 0000",
		/* rdlength past the end */
		"1234 8180 0000 0001 0000 0000 00 0021 0001 00000000 00ff 0001",
		/* SRV rdata with trailing bytes */
		"1234 8180 0000 0001 0000 0000 00 0021 0001 00000000 0008 0001 0001 0058 00 ff",
		/* a label running past the end */
		"1234 8180 0000 0001 0000 0000 3f 6161",
		/* reserved label type */
		"1234 8180 0000 0001 0000 0000 40",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t msg[128];
		size_t len = tu_hex(bad[i], msg, sizeof(msg));
		struct kssp_kdc_servers l;

		memset(&l, 0, sizeof(l));
		ck_assert_msg(kssp_locate_parse_srv_reply(msg, len, KSSP_KDC_PROTO_UDP, NULL, &l) !=
		    KSSP_OK, "accepted reply %zu", i);
		ck_assert_uint_eq(l.n, 0);
		ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "DNS"));
	}
}
END_TEST

Suite *kssp_suite_kdc_locate(void);
Suite *kssp_suite_kdc_locate(void)
{
	Suite *s = suite_create("kdc_locate");
	TCase *tc = tcase_create("locate");

	tcase_add_test(tc, locate_parses_every_address_form);
	tcase_add_test(tc, locate_takes_config_kdcs_in_order_and_never_dns_when_off);
	tcase_add_test(tc, locate_orders_srv_answers_by_priority);
	tcase_add_test(tc, locate_srv_weights_pick_in_proportion);
	tcase_add_test(tc, locate_rejects_hostile_dns_replies);
	suite_add_tcase(s, tc);
	return s;
}
