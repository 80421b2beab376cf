/*
 * test/unit/check_kdc_transport.c - the network transport against loopback
 * stand-ins (UDP/TCP choice, RESPONSE_TOO_BIG, failover, the wait bound,
 * hostile replies), the transport hook, and recorded conversations.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err_int.h"
#include "base/hooks_int.h"
#include "base/mem_int.h"
#include "kdc/config_int.h"
#include "kdc/transport_int.h"
#include "kdc_standin.h"

static const uint8_t request[] = { 0x6a, 0x03, 0x30, 0x01, 0x00 };

/* Collects trace lines so that tests can look for a step. */
struct trace_log {
	char text[16384];
	size_t len;
};

static void collect_trace(void *arg, const char *line)
{
	struct trace_log *t = arg;
	int n = snprintf(t->text + t->len, sizeof(t->text) - t->len, "%s\n", line);

	if (n > 0 && (size_t)n < sizeof(t->text) - t->len)
		t->len += (size_t)n;
}

static struct kssp_config *conf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct kssp_config *conf(const char *fmt, ...)
{
	char text[2048];
	struct kssp_config *cfg;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", text, strlen(text)), KSSP_OK);
	return cfg;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Sends request through cfg's KDCs; returns the status and frees the reply. */
static kssp_err send_req(struct kssp_config *cfg, struct trace_log *t, int flags,
    uint8_t *copy, size_t *copy_len)
{
	struct kssp_hooks h = { 0 };
	uint8_t *reply = NULL;
	size_t len = 0;
	kssp_err e;

	h.trace = collect_trace;
	h.trace_arg = t;
	e = kssp_transport_send(cfg, &h, "KSSP.TEST", request, sizeof(request), flags, &reply,
	    &len);
	if (!e) {
		ck_assert_uint_le(len, 64);
		if (copy) {
			memcpy(copy, reply, len);
			*copy_len = len;
		}
		kssp_free(reply);
	}
	return e;
}

#define LIBDEFAULTS "[libdefaults]\n dns_lookup_kdc = false\n request_timeout = %d\n"

START_TEST(transport_udp_exchange)
{
	struct standin kdc;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	uint8_t got[64];
	size_t got_len = 0;

	standin_start(&kdc, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 5, kdc.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, got, &got_len), KSSP_OK);
	standin_stop(&kdc);
	ck_assert_uint_eq(got_len, sizeof(standin_as_rep));
	ck_assert_mem_eq(got, standin_as_rep, got_len);
	ck_assert_int_eq(kdc.requests, 1);
	ck_assert_uint_eq(kdc.req_len, sizeof(request));
	ck_assert_mem_eq(kdc.req, request, sizeof(request));
	ck_assert_ptr_nonnull(strstr(t.text, "over UDP"));
	ck_assert_ptr_nonnull(strstr(t.text, ": AS-REP"));
	kssp_config_free(cfg);
}
END_TEST

/* Over udp_preference_limit the request goes over TCP, the UDP port unused. */
START_TEST(transport_prefers_tcp_over_the_udp_limit)
{
	struct standin tcp, udp;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;

	standin_start(&tcp, SI_TCP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	standin_start(&udp, SI_UDP_REPLY, tcp.port, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS " udp_preference_limit = 1\n"
	    "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 5, tcp.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_OK);
	ck_assert_int_eq(tcp.requests, 1);
	ck_assert_int_eq(udp.requests, 0);
	ck_assert_mem_eq(tcp.req, request, sizeof(request));
	ck_assert_ptr_nonnull(strstr(t.text, "over TCP"));
	ck_assert_ptr_null(strstr(t.text, "over UDP"));
	kssp_config_free(cfg);

	/* Within the limit: UDP only. */
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 5, tcp.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_OK);
	ck_assert_int_eq(tcp.requests, 1);
	ck_assert_int_eq(udp.requests, 1);
	/* The hook flag forces TCP. */
	ck_assert_int_eq(send_req(cfg, &t, KSSP_TRANSPORT_TCP_ONLY, NULL, NULL), KSSP_OK);
	ck_assert_int_eq(tcp.requests, 2);
	ck_assert_int_eq(udp.requests, 1);
	standin_stop(&tcp);
	standin_stop(&udp);
	kssp_config_free(cfg);
}
END_TEST

START_TEST(transport_retries_over_tcp_after_response_too_big)
{
	struct standin big, tcp;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	uint8_t got[64];
	size_t got_len = 0;

	standin_start(&big, SI_UDP_TOO_BIG, 0, NULL, 0);
	standin_start(&tcp, SI_TCP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = udp/127.0.0.1:%u\n"
	    "  kdc = tcp/127.0.0.1:%u\n }\n", 5, big.port, tcp.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, got, &got_len), KSSP_OK);
	standin_stop(&big);
	standin_stop(&tcp);
	ck_assert_mem_eq(got, standin_as_rep, sizeof(standin_as_rep));
	ck_assert_int_eq(big.requests, 1);
	ck_assert_int_eq(tcp.requests, 1);
	ck_assert_ptr_nonnull(strstr(t.text, "KRB_ERR_RESPONSE_TOO_BIG (52)"));
	ck_assert_ptr_nonnull(strstr(t.text, "retrying over TCP"));
	kssp_config_free(cfg);
}
END_TEST

/* The first KDC never answers: the second is asked after about a second. */
START_TEST(transport_fails_over_from_a_sink)
{
	struct standin sink, good;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	struct timespec t0;
	double took;

	standin_start(&sink, SI_UDP_SINK, 0, NULL, 0);
	standin_start(&good, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n"
	    "  kdc = 127.0.0.1:%u\n }\n", 10, sink.port, good.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_OK);
	took = seconds_since(&t0);
	standin_stop(&sink);
	standin_stop(&good);
	ck_assert_int_eq(sink.requests, 1);
	ck_assert_int_eq(good.requests, 1);
	ck_assert_msg(took > 0.9 && took < 2.0, "failover took %.2f s", took);
	kssp_config_free(cfg);
}
END_TEST

/* All KDCs dead: "cannot contact any KDC" once request_timeout has passed. */
START_TEST(transport_gives_up_at_the_bound)
{
	struct standin a, b;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	struct timespec t0;
	double took;

	standin_start(&a, SI_UDP_SINK, 0, NULL, 0);
	standin_start(&b, SI_UDP_SINK, 0, NULL, 0);
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n"
	    "  kdc = 127.0.0.1:%u\n }\n", 3, a.port, b.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_ERR_NO_KDC);
	took = seconds_since(&t0);
	standin_stop(&a);
	standin_stop(&b);
	ck_assert_msg(took > 2.9 && took < 3.5, "gave up after %.2f s", took);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "cannot contact any KDC for realm KSSP.TEST"));
	/* Pass 1: a 1 s, b 1 s, then both watched; the bound ends it there. */
	ck_assert_int_eq(a.requests, 1);
	ck_assert_int_eq(b.requests, 1);
	kssp_config_free(cfg);
}
END_TEST

/* A closed port refuses at once: no waiting, the next KDC is asked. */
START_TEST(transport_skips_refusing_kdcs_quickly)
{
	struct standin closed, good;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	struct timespec t0;
	uint16_t port;

	standin_start(&closed, SI_UDP_SINK, 0, NULL, 0);
	port = closed.port;
	standin_stop(&closed);
	standin_start(&good, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS " udp_preference_limit = 1\n[realms]\n KSSP.TEST = {\n"
	    "  kdc = tcp/127.0.0.1:%u\n  kdc = udp/127.0.0.1:%u\n }\n", 5, port, good.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_OK);
	ck_assert(seconds_since(&t0) < 0.5);
	standin_stop(&good);
	ck_assert_ptr_nonnull(strstr(t.text, "Connection refused"));
	kssp_config_free(cfg);

	/* Nothing but refusals: fails without waiting for the bound. */
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 5, port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(send_req(cfg, &t, KSSP_TRANSPORT_TCP_ONLY, NULL, NULL), KSSP_ERR_NO_KDC);
	ck_assert(seconds_since(&t0) < 0.5);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "Connection refused"));
	kssp_config_free(cfg);
}
END_TEST

/* Random bytes over UDP are not a reply: ignored, the next KDC answers. */
START_TEST(transport_ignores_random_udp_bytes)
{
	struct standin junk, good;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	uint8_t got[64];
	size_t got_len = 0;

	standin_start(&junk, SI_UDP_RANDOM, 0, NULL, 0);
	standin_start(&good, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n"
	    "  kdc = 127.0.0.1:%u\n }\n", 5, junk.port, good.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, got, &got_len), KSSP_OK);
	ck_assert_mem_eq(got, standin_as_rep, sizeof(standin_as_rep));
	ck_assert_ptr_nonnull(strstr(t.text, "not a Kerberos message"));
	kssp_config_free(cfg);

	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 2, junk.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_ERR_NO_KDC);
	standin_stop(&junk);
	standin_stop(&good);
	kssp_config_free(cfg);
}
END_TEST

/* A reply sent from another port than the one asked is never taken. */
START_TEST(transport_accepts_udp_only_from_the_address_asked)
{
	struct standin spoof;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;

	standin_start(&spoof, SI_UDP_OTHER_PORT, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n }\n", 2,
	    spoof.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_ERR_NO_KDC);
	standin_stop(&spoof);
	ck_assert_int_ge(spoof.requests, 1);
	ck_assert_ptr_null(strstr(t.text, "AS-REP"));
	kssp_config_free(cfg);
}
END_TEST

/* One hostile TCP stand-in: the exchange fails within the bound, naming why. */
static void hostile_tcp(enum standin_kind kind, const char *why, double max_seconds)
{
	struct standin s;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;
	struct timespec t0;
	double took;

	standin_start(&s, kind, 0, NULL, 0);
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = tcp/127.0.0.1:%u\n }\n", 2,
	    s.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_ERR_NO_KDC);
	took = seconds_since(&t0);
	standin_stop(&s);
	ck_assert_msg(took < max_seconds, "took %.2f s", took);
	ck_assert_msg(strstr(t.text, why) != NULL, "no '%s' in trace:\n%s", why, t.text);
	kssp_config_free(cfg);
}

START_TEST(transport_rejects_a_truncated_tcp_frame)
{
	hostile_tcp(SI_TCP_TRUNCATED, "truncated TCP frame", 2.5);
}
END_TEST

START_TEST(transport_rejects_a_4gib_length_unread)
{
	hostile_tcp(SI_TCP_HUGE_LENGTH, "reply length 4294967295 over the 1 MiB cap; not read", 0.5);
}
END_TEST

START_TEST(transport_bounds_an_endless_slow_stream)
{
	hostile_tcp(SI_TCP_DRIBBLE, "reply not complete in time", 2.5);
}
END_TEST

START_TEST(transport_stops_reading_a_flood_at_its_length)
{
	hostile_tcp(SI_TCP_FLOOD, "not a Kerberos message", 2.5);
}
END_TEST

START_TEST(transport_master_flag_asks_master_kdc_only)
{
	struct standin replica, master;
	struct trace_log t = { .len = 0 };
	struct kssp_config *cfg;

	standin_start(&replica, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	standin_start(&master, SI_UDP_REPLY, 0, standin_as_rep, sizeof(standin_as_rep));
	cfg = conf(LIBDEFAULTS "[realms]\n KSSP.TEST = {\n  kdc = 127.0.0.1:%u\n"
	    "  master_kdc = 127.0.0.1:%u\n }\n", 5, replica.port, master.port);
	ck_assert_int_eq(send_req(cfg, &t, 0, NULL, NULL), KSSP_OK);
	ck_assert_int_eq(send_req(cfg, &t, KSSP_TRANSPORT_MASTER, NULL, NULL), KSSP_OK);
	standin_stop(&replica);
	standin_stop(&master);
	ck_assert_int_eq(replica.requests, 1);
	ck_assert_int_eq(master.requests, 1);
	kssp_config_free(cfg);
}
END_TEST

START_TEST(transport_reply_type_first_look)
{
	static const uint8_t tgs_rep[] = { 0x6d, 0x00 };
	static const uint8_t trailing[] = { 0x6b, 0x00, 0x00 };
	static const uint8_t long_len[] = { 0x6b, 0x85, 0, 0, 0, 0, 0 };
	static const uint8_t err_no_code[] = { 0x7e, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x05 };
	int32_t code = 0;

	ck_assert_int_eq(kssp_transport_reply_type(standin_as_rep, sizeof(standin_as_rep), &code), 11);
	ck_assert_int_eq(kssp_transport_reply_type(tgs_rep, sizeof(tgs_rep), &code), 13);
	ck_assert_int_eq(kssp_transport_reply_type(standin_too_big, sizeof(standin_too_big), &code), 30);
	ck_assert_int_eq(code, 52);
	ck_assert_int_eq(kssp_transport_reply_type(trailing, sizeof(trailing), &code), 0);
	ck_assert_int_eq(kssp_transport_reply_type(long_len, sizeof(long_len), &code), 0);
	ck_assert_int_eq(kssp_transport_reply_type(err_no_code, sizeof(err_no_code), &code), 0);
	ck_assert_int_eq(kssp_transport_reply_type(request, 0, &code), 0);
}
END_TEST

/* A test hook standing in for a transport: answers with its argument. */
struct fake_kdc {
	int calls;
	int last_flags;
	char realm[32];
};

static kssp_err fake_transport(void *arg, const char *realm, const uint8_t *req, size_t req_len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	struct fake_kdc *f = arg;

	f->calls++;
	f->last_flags = flags;
	snprintf(f->realm, sizeof(f->realm), "%s", realm);
	*reply = kssp_malloc(req_len + 1);
	if (!*reply)
		return KSSP_ERR_NOMEM;
	(*reply)[0] = 0x6b;
	memcpy(*reply + 1, req, req_len);
	*reply_len = req_len + 1;
	return KSSP_OK;
}

START_TEST(transport_hook_replaces_the_network)
{
	struct fake_kdc f = { 0, 0, "" };
	struct kssp_hooks h = { 0 };
	uint8_t *reply;
	size_t len;

	h.transport = fake_transport;
	h.transport_arg = &f;
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "R.TEST", request, sizeof(request),
	    KSSP_TRANSPORT_TCP_ONLY, &reply, &len), KSSP_OK);
	ck_assert_int_eq(f.calls, 1);
	ck_assert_int_eq(f.last_flags, KSSP_TRANSPORT_TCP_ONLY);
	ck_assert_str_eq(f.realm, "R.TEST");
	ck_assert_uint_eq(len, sizeof(request) + 1);
	kssp_free(reply);
}
END_TEST

START_TEST(transport_records_and_replays_byte_for_byte)
{
	static const uint8_t req2[] = { 0x6c, 0x01, 0x00 };
	struct fake_kdc f = { 0, 0, "" };
	struct kssp_hooks inner = { 0 }, h = { 0 };
	struct kssp_recording *r;
	struct kssp_recording *rec;
	char path[] = "/tmp/kssp-rec-XXXXXX";
	uint8_t *reply, *reply2;
	size_t len, len2;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	inner.transport = fake_transport;
	inner.transport_arg = &f;
	ck_assert_int_eq(kssp_recording_new(NULL, &inner, &r), KSSP_OK);
	ck_assert_int_eq(kssp_recording_add_meta(r, "clock", "1795000000 0"),
	    KSSP_OK);
	h.transport = kssp_recording_transport;
	h.transport_arg = r;
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "A.TEST", request, sizeof(request), 0,
	    &reply, &len), KSSP_OK);
	kssp_free(reply);
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "B.TEST", req2, sizeof(req2), 0,
	    &reply, &len), KSSP_OK);
	ck_assert_int_eq(kssp_recording_save(r, path), KSSP_OK);
	kssp_recording_free(r);

	ck_assert_int_eq(kssp_recording_load(path, &rec), KSSP_OK);
	ck_assert_uint_eq(kssp_recording_count(rec), 2);
	ck_assert_str_eq(kssp_recording_meta(rec, "clock"), "1795000000 0");
	ck_assert_ptr_null(kssp_recording_meta(rec, "seed"));
	h.transport = kssp_recording_transport;
	h.transport_arg = rec;
	/* A request that differs is refused, naming where. */
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "A.TEST", req2, sizeof(req2), 0, &reply2,
	    &len2), KSSP_ERR_BAD_ENCODING);
	ck_assert_str_eq(kssp_last_reason(),
	    "replay: request 1 differs from the recording at byte 0 (3 vs 5 bytes)");
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "B.TEST", request, sizeof(request), 0,
	    &reply2, &len2), KSSP_ERR_BAD_ENCODING);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "goes to realm B.TEST"));
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "A.TEST", request, sizeof(request), 0,
	    &reply2, &len2), KSSP_OK);
	kssp_free(reply2);
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "B.TEST", req2, sizeof(req2), 0, &reply2,
	    &len2), KSSP_OK);
	ck_assert_uint_eq(len2, len);
	ck_assert_mem_eq(reply2, reply, len);
	kssp_free(reply2);
	kssp_free(reply);
	ck_assert_uint_eq(kssp_recording_served(rec), 2);
	ck_assert_int_eq(kssp_transport_send(NULL, &h, "A.TEST", request, sizeof(request), 0,
	    &reply2, &len2), KSSP_ERR_NO_KDC);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "beyond the 2 recorded"));
	kssp_recording_free(rec);
	ck_assert_int_eq(f.calls, 2);
	unlink(path);
}
END_TEST

START_TEST(transport_recording_rejects_malformed_files)
{
	static const struct { const char *text, *reason; } bad[] = {
		{ "> R 6a00\n", "recording:1: last request has no reply" },
		{ "< 6b00\n", "recording:1: reply without a request" },
		{ "> R 6a00\n< 6b00\n< 6b00\n", "recording:3: reply without a request" },
		{ "> R 6a00\n> R 6a00\n", "recording:2: request without a reply before it" },
		{ "> R zz\n< 00\n", "recording:1: message is not hex, or empty" },
		{ "> R\n", "recording:1: expected '> REALM HEX'" },
		{ "x\n", "recording:1: expected '@', '>', '<', 'C', 'S' or 'M' and a space" },
		{ "@ k\n", "recording:1: bad metadata line" },
	};
	struct kssp_recording *rec;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(kssp_recording_parse(bad[i].text, strlen(bad[i].text), &rec),
		    KSSP_ERR_BAD_ENCODING);
		ck_assert_ptr_null(rec);
		ck_assert_str_eq(kssp_last_reason(), bad[i].reason);
	}
	ck_assert_int_eq(kssp_recording_parse("# only a comment\n\n", 18, &rec), KSSP_OK);
	ck_assert_uint_eq(kssp_recording_count(rec), 0);
	kssp_recording_free(rec);
}
END_TEST

Suite *kssp_suite_kdc_transport(void);
Suite *kssp_suite_kdc_transport(void)
{
	Suite *s = suite_create("kdc_transport");
	TCase *tc = tcase_create("transport");

	/* The slowest case waits out a 3 s bound. */
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, transport_udp_exchange);
	tcase_add_test(tc, transport_prefers_tcp_over_the_udp_limit);
	tcase_add_test(tc, transport_retries_over_tcp_after_response_too_big);
	tcase_add_test(tc, transport_fails_over_from_a_sink);
	tcase_add_test(tc, transport_gives_up_at_the_bound);
	tcase_add_test(tc, transport_skips_refusing_kdcs_quickly);
	tcase_add_test(tc, transport_ignores_random_udp_bytes);
	tcase_add_test(tc, transport_accepts_udp_only_from_the_address_asked);
	tcase_add_test(tc, transport_rejects_a_truncated_tcp_frame);
	tcase_add_test(tc, transport_rejects_a_4gib_length_unread);
	tcase_add_test(tc, transport_bounds_an_endless_slow_stream);
	tcase_add_test(tc, transport_stops_reading_a_flood_at_its_length);
	tcase_add_test(tc, transport_master_flag_asks_master_kdc_only);
	tcase_add_test(tc, transport_reply_type_first_look);
	tcase_add_test(tc, transport_hook_replaces_the_network);
	tcase_add_test(tc, transport_records_and_replays_byte_for_byte);
	tcase_add_test(tc, transport_recording_rejects_malformed_files);
	suite_add_tcase(s, tc);
	return s;
}
