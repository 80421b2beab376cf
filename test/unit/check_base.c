/* test/unit/check_base.c - the base layer: cursor, writer, memory, text, hooks, errors, locks. */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bytes_int.h"
#include "base/err_int.h"
#include "base/hooks_int.h"
#include "base/lock_int.h"
#include "base/mem_int.h"
#include "base/text_int.h"
#include "memfault.h"
#include "testutil.h"

static const uint8_t sample[9] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

START_TEST(cursor_reads_big_and_little_endian)
{
	struct kssp_cursor c;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	kssp_cursor_init(&c, sample, sizeof(sample));
	ck_assert_int_eq(kssp_cursor_read_u8(&c, &u8), KSSP_OK);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(kssp_cursor_read_be16(&c, &u16), KSSP_OK);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_int_eq(kssp_cursor_read_le16(&c, &u16), KSSP_OK);
	ck_assert_uint_eq(u16, 0x0504);
	ck_assert_int_eq(kssp_cursor_read_le32(&c, &u32), KSSP_OK);
	ck_assert_uint_eq(u32, 0x09080706);
	ck_assert(kssp_cursor_at_end(&c));

	kssp_cursor_init(&c, sample, sizeof(sample));
	ck_assert_int_eq(kssp_cursor_read_be64(&c, &u64), KSSP_OK);
	ck_assert_uint_eq(u64, 0x0102030405060708ull);
	ck_assert_int_eq(kssp_cursor_read_be32(&c, &u32), KSSP_ERR_TRUNCATED);
	ck_assert_uint_eq(kssp_cursor_remaining(&c), 1);
}
END_TEST

/* One kind of read, applied to a cursor; returns its status. */
typedef kssp_err (*read_fn)(struct kssp_cursor *c, size_t n);

static kssp_err do_u8(struct kssp_cursor *c, size_t n) { uint8_t v; (void)n; return kssp_cursor_read_u8(c, &v); }
static kssp_err do_be16(struct kssp_cursor *c, size_t n) { uint16_t v; (void)n; return kssp_cursor_read_be16(c, &v); }
static kssp_err do_be32(struct kssp_cursor *c, size_t n) { uint32_t v; (void)n; return kssp_cursor_read_be32(c, &v); }
static kssp_err do_be64(struct kssp_cursor *c, size_t n) { uint64_t v; (void)n; return kssp_cursor_read_be64(c, &v); }
static kssp_err do_le16(struct kssp_cursor *c, size_t n) { uint16_t v; (void)n; return kssp_cursor_read_le16(c, &v); }
static kssp_err do_le32(struct kssp_cursor *c, size_t n) { uint32_t v; (void)n; return kssp_cursor_read_le32(c, &v); }
static kssp_err do_bytes(struct kssp_cursor *c, size_t n) { uint8_t v[16]; return kssp_cursor_read_bytes(c, v, n); }
static kssp_err do_take(struct kssp_cursor *c, size_t n) { const uint8_t *p; return kssp_cursor_take(c, n, &p); }
static kssp_err do_skip(struct kssp_cursor *c, size_t n) { return kssp_cursor_skip(c, n); }
static kssp_err do_sub(struct kssp_cursor *c, size_t n) { struct kssp_cursor s; return kssp_cursor_sub(c, n, &s); }

static const struct {
	read_fn fn;
	size_t width; /* bytes it consumes; 0: takes n */
} reads[] = {
	{ do_u8, 1 }, { do_be16, 2 }, { do_be32, 4 }, { do_be64, 8 }, { do_le16, 2 },
	{ do_le32, 4 }, { do_bytes, 0 }, { do_take, 0 }, { do_skip, 0 }, { do_sub, 0 },
};

/*
 * Every read kind, at every position of every buffer length up to 9, with
 * every size up to 16: it succeeds exactly when the bytes are there, and a
 * failed read leaves the cursor unchanged but for its (sticky) status and
 * names the offset.
 */
START_TEST(cursor_out_of_bounds_reads_fail_and_leave_cursor_unchanged)
{
	size_t r, len, pos, n;

	for (r = 0; r < sizeof(reads) / sizeof(reads[0]); r++)
		for (len = 0; len <= sizeof(sample); len++)
			for (pos = 0; pos <= len; pos++)
				for (n = 0; n <= 16; n++) {
					struct kssp_cursor c, before;
					size_t want = reads[r].width ? reads[r].width : n;
					kssp_err e;

					kssp_cursor_init(&c, sample, len);
					c.pos = pos;
					c.origin = 100;
					before = c;
					kssp_clear_failure();
					e = reads[r].fn(&c, n);
					if (want <= len - pos) {
						ck_assert_int_eq(e, KSSP_OK);
						ck_assert_uint_eq(c.pos, pos + want);
					} else {
						char at[32];

						ck_assert_int_eq(e, KSSP_ERR_TRUNCATED);
						before.err = KSSP_ERR_TRUNCATED;
						ck_assert_mem_eq(&c, &before, sizeof(c));
						ck_assert_int_eq(kssp_last_error(), KSSP_ERR_TRUNCATED);
						snprintf(at, sizeof(at), "offset %zu", 100 + pos);
						ck_assert_msg(strstr(kssp_last_reason(), at) != NULL,
						    "reason '%s' does not name %s", kssp_last_reason(), at);
					}
					if (reads[r].width)
						break; /* n does not matter to fixed-width reads */
				}
}
END_TEST

START_TEST(cursor_peek_does_not_advance)
{
	struct kssp_cursor c;
	uint8_t v = 0;

	kssp_cursor_init(&c, sample, 1);
	ck_assert_int_eq(kssp_cursor_peek_u8(&c, &v), KSSP_OK);
	ck_assert_uint_eq(v, 1);
	ck_assert_uint_eq(c.pos, 0);
	kssp_cursor_init(&c, NULL, 0);
	ck_assert_int_eq(kssp_cursor_peek_u8(&c, &v), KSSP_ERR_TRUNCATED);
}
END_TEST

START_TEST(cursor_sub_confines_and_keeps_absolute_offsets)
{
	struct kssp_cursor c, sub, inner;
	uint32_t v;

	kssp_cursor_init(&c, sample, sizeof(sample));
	ck_assert_int_eq(kssp_cursor_skip(&c, 2), KSSP_OK);
	ck_assert_int_eq(kssp_cursor_sub(&c, 5, &sub), KSSP_OK);
	ck_assert_uint_eq(kssp_cursor_offset(&c), 7);
	ck_assert_uint_eq(kssp_cursor_offset(&sub), 2);
	ck_assert_int_eq(kssp_cursor_sub(&sub, 1, &inner), KSSP_OK);
	ck_assert_uint_eq(kssp_cursor_offset(&inner), 2);
	ck_assert_int_eq(kssp_cursor_read_be32(&sub, &v), KSSP_OK);
	ck_assert_uint_eq(v, 0x04050607);
	ck_assert_int_eq(kssp_cursor_expect_end(&sub, "x"), KSSP_OK);
	/* The sub-cursor cannot read the parent's bytes beyond its length. */
	ck_assert_int_eq(kssp_cursor_read_u8(&sub, (uint8_t *)&v), KSSP_ERR_TRUNCATED);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "offset 7"));
	ck_assert_int_eq(kssp_cursor_expect_end(&c, "thing"), KSSP_ERR_BAD_ENCODING);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "thing: 2 trailing bytes at offset 7"));
}
END_TEST

/* After a failed read every read fails with the first error and gives zeros; the reason is the first one. */
START_TEST(cursor_failure_is_sticky)
{
	struct kssp_cursor c;
	const uint8_t *p = sample;
	uint8_t b[2] = { 9, 9 };
	uint32_t v = 7;

	kssp_cursor_init(&c, sample, 3);
	kssp_clear_failure();
	ck_assert_int_eq(kssp_cursor_read_be32(&c, &v), KSSP_ERR_TRUNCATED);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(kssp_last_offset(), 0);
	/* Two bytes are there, yet the read fails: the cursor failed before. */
	ck_assert_int_eq(kssp_cursor_read_bytes(&c, b, 2), KSSP_ERR_TRUNCATED);
	ck_assert_uint_eq(b[0], 0);
	ck_assert_int_eq(kssp_cursor_take(&c, 0, &p), KSSP_ERR_TRUNCATED);
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(c.pos, 0);
	/* A later verdict of the parser does not replace the first failure or its reason. */
	ck_assert_int_eq(kssp_cursor_fail(&c, KSSP_ERR_LIMIT, 2, "later"), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_cursor_status(&c), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_cursor_expect_end(&c, "x"), KSSP_ERR_TRUNCATED);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "need 4 bytes"));
	ck_assert_ptr_null(strstr(kssp_last_reason(), "later"));
	/* The parser's own verdict is a failure like a short read. */
	kssp_cursor_init(&c, sample, 3);
	ck_assert_int_eq(kssp_cursor_fail(&c, KSSP_ERR_LIMIT, 2, "tag %d", 5), KSSP_ERR_LIMIT);
	ck_assert_str_eq(kssp_last_reason(), "tag 5 at offset 2");
	ck_assert_uint_eq(kssp_last_offset(), 2);
	ck_assert_int_eq(kssp_cursor_read_u8(&c, b), KSSP_ERR_LIMIT);
	/* A failure without a place names none. */
	kssp_fail(KSSP_ERR_IO, "read error");
	ck_assert_uint_eq(kssp_last_offset(), KSSP_NO_OFFSET);
}
END_TEST

/* A peek that finds nothing is an answer: the cursor stays good and no reason is recorded. */
START_TEST(cursor_peek_records_nothing)
{
	struct kssp_cursor c;
	uint8_t v = 5;

	kssp_cursor_init(&c, sample, 0);
	kssp_clear_failure();
	ck_assert_int_eq(kssp_cursor_peek_u8(&c, &v), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_last_error(), KSSP_OK);
	ck_assert_str_eq(kssp_last_reason(), "");
	ck_assert_int_eq(kssp_cursor_status(&c), KSSP_OK);
	ck_assert_int_eq(kssp_cursor_expect_end(&c, "x"), KSSP_OK);
}
END_TEST

/* A sub-cursor's failure stays in it until joined; a sub-cursor of a failed cursor is failed. */
START_TEST(cursor_sub_failure_reaches_parent_when_joined)
{
	struct kssp_cursor c, sub, again;
	uint32_t v;

	kssp_cursor_init(&c, sample, sizeof(sample));
	ck_assert_int_eq(kssp_cursor_sub(&c, 2, &sub), KSSP_OK);
	ck_assert_int_eq(kssp_cursor_read_be32(&sub, &v), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_cursor_status(&c), KSSP_OK);
	ck_assert_int_eq(kssp_cursor_join(&c, &sub), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_cursor_read_u8(&c, (uint8_t *)&v), KSSP_ERR_TRUNCATED);
	ck_assert_int_eq(kssp_cursor_sub(&c, 1, &again), KSSP_ERR_TRUNCATED);
	ck_assert_uint_eq(kssp_cursor_remaining(&again), 0);
	ck_assert_int_eq(kssp_cursor_status(&again), KSSP_ERR_TRUNCATED);
	/* Joining a good sub-cursor changes nothing. */
	kssp_cursor_init(&c, sample, sizeof(sample));
	ck_assert_int_eq(kssp_cursor_sub(&c, 2, &sub), KSSP_OK);
	ck_assert_int_eq(kssp_cursor_join(&c, &sub), KSSP_OK);
}
END_TEST

START_TEST(writer_fixed_overflow_is_sticky)
{
	uint8_t buf[6];
	struct kssp_writer w;

	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	kssp_writer_put_be32(&w, 0xa1b2c3d4);
	kssp_writer_put_le16(&w, 0x0201);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_OK);
	ck_assert_mem_eq(buf, "\xa1\xb2\xc3\xd4\x01\x02", 6);
	kssp_writer_put_u8(&w, 9);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_ERR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(w.len, 6);
	kssp_writer_put_bytes(&w, "", 0);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_ERR_BUFFER_TOO_SMALL);
	ck_assert_ptr_null(kssp_writer_reserve(&w, 0));
}
END_TEST

START_TEST(writer_growable_grows_and_detaches)
{
	struct kssp_writer w;
	uint8_t *out;
	size_t len, i;

	kssp_writer_init_growable(&w, 0);
	for (i = 0; i < 10000; i++)
		kssp_writer_put_be64(&w, i);
	ck_assert_int_eq(kssp_writer_detach(&w, &out, &len), KSSP_OK);
	ck_assert_uint_eq(len, 80000);
	ck_assert_uint_eq(out[79999], (uint8_t)9999);
	ck_assert_uint_eq(out[79998], (uint8_t)(9999 >> 8));
	kssp_free(out);
	ck_assert_uint_eq(w.len, 0);
	kssp_writer_free(&w);
}
END_TEST

START_TEST(writer_reserves_zero_bytes_without_a_buffer)
{
	struct kssp_writer w;
	uint8_t *out = NULL;
	size_t len = 1;

	kssp_writer_init_growable(&w, 0);
	ck_assert_ptr_nonnull(kssp_writer_reserve(&w, 0));
	kssp_writer_put_bytes(&w, "", 0);
	ck_assert_int_eq(kssp_writer_detach(&w, &out, &len), KSSP_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, 0);
	kssp_free(out);
	kssp_writer_init_fixed(&w, NULL, 0);
	ck_assert_ptr_nonnull(kssp_writer_reserve(&w, 0));
	ck_assert_ptr_null(kssp_writer_reserve(&w, 1));
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_ERR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(writer_growable_respects_its_limit)
{
	struct kssp_writer w;
	uint8_t *out = NULL;
	size_t len = 0;

	kssp_writer_init_growable(&w, 100);
	kssp_writer_reserve(&w, 100);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_OK);
	kssp_writer_put_u8(&w, 0);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_ERR_LIMIT);
	ck_assert_int_eq(kssp_writer_detach(&w, &out, &len), KSSP_ERR_LIMIT);
	ck_assert_ptr_null(out);
	ck_assert_ptr_null(w.buf);
}
END_TEST

START_TEST(writer_detach_refuses_fixed_buffers)
{
	uint8_t buf[4], *out = NULL;
	size_t len;
	struct kssp_writer w;

	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	kssp_writer_put_u8(&w, 0x55);
	ck_assert_int_eq(kssp_writer_detach(&w, &out, &len), KSSP_ERR_INVALID_ARG);
	ck_assert_uint_eq(buf[0], 0); /* freeing a fixed writer zeroes what it wrote */
}
END_TEST

START_TEST(allocation_failure_injection)
{
	struct kssp_writer w;
	void *p;

	kssp_alloc_fail_after(2);
	p = kssp_malloc(8);
	ck_assert_ptr_nonnull(p);
	kssp_free(p);
	kssp_writer_init_growable(&w, 0);
	kssp_writer_put_u8(&w, 1);
	ck_assert_int_eq(kssp_writer_status(&w), KSSP_ERR_NOMEM);
	ck_assert_uint_eq(kssp_alloc_fail_after(0), 2);
	p = kssp_calloc(4, 4);
	ck_assert_ptr_nonnull(p);
	kssp_free(p);
	kssp_writer_free(&w);
}
END_TEST

START_TEST(array_reserve_doubles_up_to_its_limit)
{
	void *arr = NULL;
	uint32_t *v;
	size_t n, cap = 0;

	for (n = 0; n < 20; n++) {
		ck_assert_int_eq(kssp_array_reserve(&arr, n, &cap, sizeof(uint32_t), 20, "things"),
		    KSSP_OK);
		ck_assert_uint_gt(cap, n);
		v = arr;
		v[n] = (uint32_t)n;
	}
	ck_assert_uint_eq(cap, 20); /* 8, 16, then capped at the limit */
	ck_assert_int_eq(kssp_array_reserve(&arr, 20, &cap, sizeof(uint32_t), 20, "things"),
	    KSSP_ERR_LIMIT);
	ck_assert_str_eq(kssp_last_reason(), "things: more than 20");
	v = arr;
	ck_assert_uint_eq(v[19], 19);
	/* A failed allocation leaves the array as it was. */
	cap = 16;
	kssp_alloc_fail_after(1);
	ck_assert_int_eq(kssp_array_reserve(&arr, 16, &cap, sizeof(uint32_t), 100, "things"),
	    KSSP_ERR_NOMEM);
	kssp_alloc_fail_after(0);
	ck_assert_uint_eq(cap, 16);
	ck_assert_ptr_eq(arr, v);
	ck_assert_uint_eq(v[15], 15);
	kssp_free(arr);
}
END_TEST

START_TEST(memzero_and_constant_time_compare)
{
	uint8_t a[32], b[32];
	size_t i;

	memset(a, 0xa5, sizeof(a));
	kssp_memzero(a, sizeof(a));
	for (i = 0; i < sizeof(a); i++)
		ck_assert_uint_eq(a[i], 0);
	kssp_memzero(NULL, 5);
	memset(b, 0, sizeof(b));
	ck_assert(kssp_ct_equal(a, b, sizeof(a)));
	for (i = 0; i < sizeof(a); i++) {
		b[i] = 0x80;
		ck_assert(!kssp_ct_equal(a, b, sizeof(a)));
		b[i] = 0;
	}
	ck_assert(kssp_ct_equal(a, b, 0));
}
END_TEST

static void check_b64(const char *plain, const char *encoded)
{
	uint8_t buf[64];
	struct kssp_writer w;

	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	kssp_base64_encode(&w, (const uint8_t *)plain, strlen(plain));
	ck_assert_uint_eq(w.len, strlen(encoded));
	ck_assert_mem_eq(buf, encoded, w.len);
	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(kssp_base64_decode(&w, encoded, strlen(encoded)), KSSP_OK);
	ck_assert_uint_eq(w.len, strlen(plain));
	ck_assert_mem_eq(buf, plain, w.len);
}

/* RFC 4648 §10 */
START_TEST(base64_rfc4648_vectors)
{
	check_b64("", "");
	check_b64("f", "Zg==");
	check_b64("fo", "Zm8=");
	check_b64("foo", "Zm9v");
	check_b64("foob", "Zm9vYg==");
	check_b64("fooba", "Zm9vYmE=");
	check_b64("foobar", "Zm9vYmFy");
}
END_TEST

START_TEST(base64_and_hex_reject_garbage)
{
	uint8_t buf[64];
	struct kssp_writer w;
	static const char *const bad_b64[] = { "Zm9v!", "Z", "Zm9=v", "Zh==", "Zg===" };
	static const char *const bad_hex[] = { "abc", "zz", "0x00" };
	size_t i;

	for (i = 0; i < sizeof(bad_b64) / sizeof(bad_b64[0]); i++) {
		kssp_writer_init_fixed(&w, buf, sizeof(buf));
		ck_assert_int_eq(kssp_base64_decode(&w, bad_b64[i], strlen(bad_b64[i])),
		    KSSP_ERR_BAD_ENCODING);
	}
	for (i = 0; i < sizeof(bad_hex) / sizeof(bad_hex[0]); i++) {
		kssp_writer_init_fixed(&w, buf, sizeof(buf));
		ck_assert_int_eq(kssp_hex_decode(&w, bad_hex[i], strlen(bad_hex[i])),
		    KSSP_ERR_BAD_ENCODING);
	}
	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(kssp_hex_decode(&w, "DE ad\nbE ef", 11), KSSP_OK);
	ck_assert_mem_eq(buf, "\xde\xad\xbe\xef", 4);
	kssp_writer_init_fixed(&w, buf, sizeof(buf));
	kssp_hex_encode(&w, (const uint8_t *)"\x00\xff\x10", 3);
	ck_assert_mem_eq(buf, "00ff10", 6);
}
END_TEST

START_TEST(error_names_and_reasons)
{
	ck_assert_str_eq(kssp_err_name(KDC_ERR_PREAUTH_FAILED), "KDC_ERR_PREAUTH_FAILED");
	ck_assert_int_eq(KDC_ERR_PREAUTH_FAILED, 24); /* RFC 4120 §7.5.9 number kept */
	ck_assert_int_eq(KRB_AP_ERR_SKEW, 37);
	ck_assert_int_eq(KRB_ERR_RESPONSE_TOO_BIG, 52);
	ck_assert_str_eq(kssp_err_name(KSSP_ERR_NOMEM), "KSSP_ERR_NOMEM");
	ck_assert_str_eq(kssp_err_name((kssp_err)12345), "KSSP_ERR_UNKNOWN");
	ck_assert_str_eq(kssp_err_text(KRB_AP_ERR_SKEW), "clock skew too great");
	ck_assert_int_eq(kssp_fail(KRB_AP_ERR_MODIFIED, "AP-REQ: %s", "bad"), KRB_AP_ERR_MODIFIED);
	ck_assert_int_eq(kssp_last_error(), KRB_AP_ERR_MODIFIED);
	ck_assert_str_eq(kssp_last_reason(), "AP-REQ: bad");
	/* A reason may wrap the previous one. */
	kssp_fail(KRB_AP_ERR_MODIFIED, "outer: %s", kssp_last_reason());
	ck_assert_str_eq(kssp_last_reason(), "outer: AP-REQ: bad");
	kssp_clear_failure();
	ck_assert_int_eq(kssp_last_error(), KSSP_OK);
	ck_assert_str_eq(kssp_last_reason(), "");
}
END_TEST

START_TEST(every_error_code_has_a_distinct_name)
{
	int a, b;

	for (a = 0; a < KSSP_ERR_OWN_END; a++) {
		const char *na = kssp_err_name((kssp_err)a);

		if (strcmp(na, "KSSP_ERR_UNKNOWN") == 0)
			continue;
		for (b = a + 1; b < KSSP_ERR_OWN_END; b++)
			ck_assert_str_ne(na, kssp_err_name((kssp_err)b));
	}
}
END_TEST

static kssp_err fixed_clock(void *arg, struct kssp_time *now)
{
	now->sec = *(int64_t *)arg;
	now->usec = 42;
	return KSSP_OK;
}

static kssp_err counting_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf, *next = arg;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (*next)++;
	return KSSP_OK;
}

static void collect_trace(void *arg, const char *line)
{
	strncat(arg, line, 63);
}

START_TEST(hooks_replace_clock_random_and_trace)
{
	int64_t t = 1795435200; /* 2026-11-23 12:00:00 UTC */
	uint8_t next = 7, buf[3];
	char traced[64] = "";
	struct kssp_hooks h = { 0 };
	struct kssp_time now;

	h.clock = fixed_clock;
	h.clock_arg = &t;
	h.random = counting_random;
	h.random_arg = &next;
	h.trace = collect_trace;
	h.trace_arg = traced;
	ck_assert_int_eq(kssp_hooks_now(&h, &now), KSSP_OK);
	ck_assert_int_eq(now.sec, t);
	ck_assert_int_eq(now.usec, 42);
	memset(&now, 0, sizeof(now));
	ck_assert_int_eq(kssp_hooks_now_coarse(&h, &now), KSSP_OK);
	ck_assert_int_eq(now.sec, t);
	ck_assert_int_eq(now.usec, 42);
	ck_assert_int_eq(kssp_hooks_random(&h, buf, 3), KSSP_OK);
	ck_assert_mem_eq(buf, "\x07\x08\x09", 3);
	kssp_trace(&h, "kdc %s over %s", "127.0.0.1:88", "udp");
	ck_assert_str_eq(traced, "kdc 127.0.0.1:88 over udp");
}
END_TEST

START_TEST(system_clock_and_random_work)
{
	struct kssp_time now, coarse;
	uint8_t a[32] = { 0 }, zero[32] = { 0 };

	ck_assert_int_eq(kssp_hooks_now(NULL, &now), KSSP_OK);
	ck_assert_int_gt(now.sec, 1700000000);
	ck_assert_int_lt(now.usec, 1000000);
	ck_assert_int_eq(kssp_hooks_random(NULL, a, sizeof(a)), KSSP_OK);
	ck_assert(!kssp_ct_equal(a, zero, sizeof(a)));
	/* the coarse clock of expiry checks: the last tick, never a second off */
	ck_assert_int_eq(kssp_hooks_now_coarse(NULL, &coarse), KSSP_OK);
	ck_assert_int_le(coarse.sec, now.sec + 1);
	ck_assert_int_ge(coarse.sec, now.sec - 1);
	kssp_trace(NULL, "no sink: nothing happens");
}
END_TEST

static void *draw_in_thread(void *out)
{
	return kssp_hooks_random(NULL, out, 32) == KSSP_OK ? out : NULL;
}

/* Without a hook, a thread draws from its own generator; a forked child
 * reseeds, so parent and child never hand out the same bytes. */
START_TEST(system_random_differs_after_fork_and_between_threads)
{
	uint8_t parent[32], child[32], other[32];
	int fds[2];
	pid_t pid;
	pthread_t t;

	ck_assert_int_eq(kssp_hooks_random(NULL, parent, 1), KSSP_OK); /* seeded before the fork */
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int ok = kssp_hooks_random(NULL, child, sizeof(child)) == KSSP_OK &&
		    write(fds[1], child, sizeof(child)) == (ssize_t)sizeof(child);
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(kssp_hooks_random(NULL, parent, sizeof(parent)), KSSP_OK);
	ck_assert_int_eq(read(fds[0], child, sizeof(child)), (ssize_t)sizeof(child));
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	close(fds[0]);
	close(fds[1]);
	ck_assert(!kssp_ct_equal(parent, child, sizeof(parent)));

	ck_assert_int_eq(pthread_create(&t, NULL, draw_in_thread, other), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert(!kssp_ct_equal(parent, other, sizeof(parent)));
}
END_TEST

/* The random stream: the hook's bytes when one is set (so recordings
 * replay), else ChaCha20 with fast key erasure from one seed. */
START_TEST(random_stream_uses_the_hook_else_aes_ctr_with_key_erasure)
{
	/* AES-256 under the all-zero key of counter blocks 0 to 3 (block 0 is
	 * the known zero-key, zero-block answer dc95c078...; all four checked
	 * against OpenSSL). */
	static const uint8_t block0[64] = {
		0xdc, 0x95, 0xc0, 0x78, 0xa2, 0x40, 0x89, 0x89, 0xad, 0x48, 0xa2, 0x14, 0x92, 0x84,
		0x20, 0x87, 0x53, 0x0f, 0x8a, 0xfb, 0xc7, 0x45, 0x36, 0xb9, 0xa9, 0x63, 0xb4, 0xf1,
		0xc4, 0xcb, 0x73, 0x8b, 0xce, 0xa7, 0x40, 0x3d, 0x4d, 0x60, 0x6b, 0x6e, 0x07, 0x4e,
		0xc5, 0xd3, 0xba, 0xf3, 0x9d, 0x18, 0x72, 0x60, 0x03, 0xca, 0x37, 0xa6, 0x2a, 0x74,
		0xd1, 0xa2, 0xf5, 0x8e, 0x75, 0x06, 0x35, 0x8e,
	};
	static const uint8_t zero32[32];
	struct kssp_random_stream s;
	struct kssp_hooks h = { 0 };
	uint8_t next = 7, buf[100], again[100];

	memset(&s, 0, sizeof(s));
	h.random = counting_random;
	h.random_arg = &next;
	ck_assert_int_eq(kssp_random_stream_draw(&s, &h, buf, 3), KSSP_OK);
	ck_assert_mem_eq(buf, "\x07\x08\x09", 3);
	ck_assert(!s.seeded);

	s.seeded = 1;
	ck_assert_int_eq(kssp_random_stream_draw(&s, NULL, buf, 16), KSSP_OK);
	ck_assert_mem_eq(buf, block0 + 32, 16);
	ck_assert_mem_eq(s.key, block0, 32);
	/* the output after it is the next draw; what was handed out is wiped */
	ck_assert_int_eq(kssp_random_stream_draw(&s, NULL, buf, 16), KSSP_OK);
	ck_assert_mem_eq(buf, block0 + 48, 16);
	ck_assert_mem_eq(s.key, block0, 32);
	ck_assert_int_eq(s.pooled, sizeof(s.pool) - 32);
	ck_assert_mem_eq(s.pool, zero32, 32);

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(kssp_random_stream_draw(&s, NULL, buf, sizeof(buf)), KSSP_OK);
	ck_assert(s.seeded);
	ck_assert_int_eq(kssp_random_stream_draw(&s, NULL, again, sizeof(again)), KSSP_OK);
	ck_assert(!kssp_ct_equal(buf, again, sizeof(buf)));
}
END_TEST

/* ---- locks ---- */

static void *stripe_of_thread(void *arg)
{
	unsigned *out = arg;

	out[0] = kssp_thread_stripe();
	out[1] = kssp_thread_stripe();
	return NULL;
}

/* A thread keeps its stripe; the next thread made gets the next one. */
START_TEST(threads_are_dealt_stripes_in_turn)
{
	unsigned a[2], b[2];
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, stripe_of_thread, a), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, stripe_of_thread, b), 0);
	pthread_join(t, NULL);
	ck_assert_uint_eq(a[0], a[1]);
	ck_assert_uint_lt(a[0], KSSP_STRIPES);
	ck_assert_uint_eq(b[0], (a[0] + 1) % KSSP_STRIPES);
}
END_TEST

/* Two values a writer keeps equal; readers must never see them apart. */
struct guarded {
	struct kssp_brlock lock;
	long a, b;
	atomic_int stop;
	int torn, reads;
};

static void *read_guarded(void *arg)
{
	struct guarded *g = arg;
	unsigned stripe;
	int seen = 0, torn = 0;

	while (!atomic_load(&g->stop) || seen < 300) {
		stripe = kssp_brlock_read_lock(&g->lock);
		if (g->a != g->b)
			torn++;
		kssp_brlock_read_unlock(&g->lock, stripe);
		seen++;
	}
	kssp_brlock_write_lock(&g->lock);
	g->torn += torn;
	g->reads += seen;
	kssp_brlock_write_unlock(&g->lock);
	return NULL;
}

static void *write_guarded(void *arg)
{
	struct guarded *g = arg;

	kssp_brlock_write_lock(&g->lock);
	g->a = 1;
	kssp_brlock_write_unlock(&g->lock);
	return NULL;
}

/*
 * Readers on several stripes and a writer that keeps a == b only between
 * its lock and unlock; the reader counts are each on a cache line of
 * their own whatever the lock's address.
 */
START_TEST(brlock_readers_never_see_a_writer_half_done)
{
	static struct guarded g;
	pthread_t r[3], w;
	uintptr_t line;
	unsigned i;
	int k;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(kssp_brlock_init(&g.lock), KSSP_OK);
	line = (uintptr_t)&g.lock.room[g.lock.first];
	ck_assert_uint_eq(line % KSSP_CACHE_LINE, 0);
	ck_assert_uint_le(line + KSSP_STRIPES * KSSP_CACHE_LINE,
	    (uintptr_t)&g.lock.room[sizeof(g.lock.room) / sizeof(g.lock.room[0])]);
	for (k = 0; k < 3; k++)
		ck_assert_int_eq(pthread_create(&r[k], NULL, read_guarded, &g), 0);
	for (i = 0; i < 100; i++) {
		kssp_brlock_write_lock(&g.lock);
		g.a++;
		sched_yield();
		g.b++;
		kssp_brlock_write_unlock(&g.lock);
	}
	atomic_store(&g.stop, 1);
	for (k = 0; k < 3; k++)
		pthread_join(r[k], NULL);
	ck_assert_int_eq(g.torn, 0);
	ck_assert_int_ge(g.reads, 900);
	ck_assert_int_eq(g.a, 100);

	/* A writer waits for the reader inside. */
	g.a = g.b = 0;
	i = kssp_brlock_read_lock(&g.lock);
	ck_assert_int_eq(pthread_create(&w, NULL, write_guarded, &g), 0);
	usleep(20000);
	ck_assert_int_eq(g.a, 0);
	kssp_brlock_read_unlock(&g.lock, i);
	pthread_join(w, NULL);
	ck_assert_int_eq(g.a, 1);
	kssp_brlock_destroy(&g.lock);
}
END_TEST

Suite *kssp_suite_base(void);
Suite *kssp_suite_base(void)
{
	Suite *s = suite_create("base");
	TCase *c = tcase_create("cursor");

	tcase_add_test(c, cursor_reads_big_and_little_endian);
	tcase_add_test(c, cursor_out_of_bounds_reads_fail_and_leave_cursor_unchanged);
	tcase_add_test(c, cursor_peek_does_not_advance);
	tcase_add_test(c, cursor_sub_confines_and_keeps_absolute_offsets);
	tcase_add_test(c, cursor_failure_is_sticky);
	tcase_add_test(c, cursor_peek_records_nothing);
	tcase_add_test(c, cursor_sub_failure_reaches_parent_when_joined);
	suite_add_tcase(s, c);
	c = tcase_create("writer");
	tcase_add_test(c, writer_fixed_overflow_is_sticky);
	tcase_add_test(c, writer_growable_grows_and_detaches);
	tcase_add_test(c, writer_reserves_zero_bytes_without_a_buffer);
	tcase_add_test(c, writer_growable_respects_its_limit);
	tcase_add_test(c, writer_detach_refuses_fixed_buffers);
	suite_add_tcase(s, c);
	c = tcase_create("mem");
	tcase_add_test(c, allocation_failure_injection);
	tcase_add_test(c, array_reserve_doubles_up_to_its_limit);
	tcase_add_test(c, memzero_and_constant_time_compare);
	suite_add_tcase(s, c);
	c = tcase_create("text");
	tcase_add_test(c, base64_rfc4648_vectors);
	tcase_add_test(c, base64_and_hex_reject_garbage);
	suite_add_tcase(s, c);
	c = tcase_create("err");
	tcase_add_test(c, error_names_and_reasons);
	tcase_add_test(c, every_error_code_has_a_distinct_name);
	suite_add_tcase(s, c);
	c = tcase_create("hooks");
	tcase_add_test(c, hooks_replace_clock_random_and_trace);
	tcase_add_test(c, system_clock_and_random_work);
	tcase_add_test(c, system_random_differs_after_fork_and_between_threads);
	tcase_add_test(c, random_stream_uses_the_hook_else_aes_ctr_with_key_erasure);
	suite_add_tcase(s, c);
	c = tcase_create("locks");
	tcase_add_test(c, threads_are_dealt_stripes_in_turn);
	tcase_add_test(c, brlock_readers_never_see_a_writer_half_done);
	suite_add_tcase(s, c);
	return s;
}
