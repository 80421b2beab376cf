/* test/unit/check_context_seq.c - the receive sequence window (RFC 4121 §4.2.6.2). */
#include <check.h>
#include <stdint.h>

#include "context/seq_int.h"

/* Checks then accepts seq, as a token's verification does; returns the status. */
static unsigned deliver(struct kssp_seq_window *w, uint64_t seq)
{
	unsigned st = kssp_seq_check(w, seq);

	if (!(st & (KSSP_SEQ_DUPLICATE | KSSP_SEQ_OLD)))
		kssp_seq_accept(w, seq);
	return st;
}

START_TEST(in_order_is_ok)
{
	struct kssp_seq_window w;
	uint64_t i;

	kssp_seq_init(&w, 1000, true, true, true);
	for (i = 1000; i < 1200; i++)
		ck_assert_uint_eq(deliver(&w, i), KSSP_SEQ_OK);
	ck_assert_uint_eq(w.next, 1200);
}
END_TEST

START_TEST(duplicate_is_reported_with_replay_flag)
{
	struct kssp_seq_window w;

	kssp_seq_init(&w, 5, true, true, false);
	ck_assert_uint_eq(deliver(&w, 5), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 6), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 5), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(deliver(&w, 6), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(deliver(&w, 7), KSSP_SEQ_OK);
	ck_assert_int_eq(kssp_seq_status_err(KSSP_SEQ_DUPLICATE, 5), KRB_AP_ERR_REPEAT);
}
END_TEST

START_TEST(gap_and_unseq_need_sequence_flag)
{
	struct kssp_seq_window w;

	/* Replay detection only: a gap and a late token are fine, a repeat is not. */
	kssp_seq_init(&w, 0, true, true, false);
	ck_assert_uint_eq(deliver(&w, 3), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 1), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 1), KSSP_SEQ_DUPLICATE);

	kssp_seq_init(&w, 0, true, true, true);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 3), KSSP_SEQ_GAP);
	ck_assert_uint_eq(deliver(&w, 1), KSSP_SEQ_UNSEQ);
	ck_assert_uint_eq(deliver(&w, 2), KSSP_SEQ_UNSEQ);
	ck_assert_uint_eq(deliver(&w, 2), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(deliver(&w, 4), KSSP_SEQ_OK);
	ck_assert_int_eq(kssp_seq_status_err(KSSP_SEQ_GAP, 3), KRB_AP_ERR_BADORDER);
	ck_assert_int_eq(kssp_seq_status_err(KSSP_SEQ_UNSEQ, 1), KRB_AP_ERR_BADORDER);
}
END_TEST

START_TEST(old_beyond_window)
{
	struct kssp_seq_window w;

	kssp_seq_init(&w, 0, true, true, true);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 200), KSSP_SEQ_GAP);
	/* The window holds the 64 numbers 137..200 below next = 201. */
	ck_assert_uint_eq(kssp_seq_check(&w, 137), KSSP_SEQ_UNSEQ);
	ck_assert_uint_eq(kssp_seq_check(&w, 136), KSSP_SEQ_OLD);
	ck_assert_uint_eq(kssp_seq_check(&w, 1), KSSP_SEQ_OLD);
	ck_assert_int_eq(kssp_seq_status_err(KSSP_SEQ_OLD, 1), KRB_AP_ERR_REPEAT);
	/* Nothing is reported when neither flag was negotiated. */
	kssp_seq_init(&w, 0, true, false, false);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 500), KSSP_SEQ_OK);
}
END_TEST

START_TEST(window_slides_without_losing_marks)
{
	struct kssp_seq_window w;
	uint64_t i;

	kssp_seq_init(&w, 0, true, true, true);
	for (i = 0; i < 100; i += 2)
		deliver(&w, i);
	/* Odd numbers within the last 64 are late but new; evens repeat. */
	ck_assert_uint_eq(kssp_seq_check(&w, 97), KSSP_SEQ_UNSEQ);
	ck_assert_uint_eq(kssp_seq_check(&w, 98), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(kssp_seq_check(&w, 40), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(kssp_seq_check(&w, 34), KSSP_SEQ_OLD);
	ck_assert_uint_eq(kssp_seq_check(&w, 99), KSSP_SEQ_OK);
}
END_TEST

START_TEST(wraps_at_32_and_64_bits)
{
	struct kssp_seq_window w;

	/* RFC 4757 numbers are 32 bits: 0xffffffff is followed by 0. */
	kssp_seq_init(&w, 0xFFFFFFFEu, false, true, true);
	ck_assert_uint_eq(deliver(&w, 0xFFFFFFFEu), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 0xFFFFFFFFu), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 0xFFFFFFFFu), KSSP_SEQ_DUPLICATE);
	ck_assert_uint_eq(deliver(&w, 1), KSSP_SEQ_OK);

	kssp_seq_init(&w, UINT64_MAX, true, true, true);
	ck_assert_uint_eq(deliver(&w, UINT64_MAX), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, 0), KSSP_SEQ_OK);
	ck_assert_uint_eq(deliver(&w, UINT64_MAX), KSSP_SEQ_DUPLICATE);
	/* A 64-bit context does not confuse 2^32 with 0. */
	ck_assert_uint_eq(kssp_seq_check(&w, (uint64_t)1 << 32), KSSP_SEQ_GAP);
}
END_TEST

Suite *kssp_suite_context_seq(void);
Suite *kssp_suite_context_seq(void)
{
	Suite *s = suite_create("context_seq");
	TCase *tc = tcase_create("window");

	tcase_add_test(tc, in_order_is_ok);
	tcase_add_test(tc, duplicate_is_reported_with_replay_flag);
	tcase_add_test(tc, gap_and_unseq_need_sequence_flag);
	tcase_add_test(tc, old_beyond_window);
	tcase_add_test(tc, window_slides_without_losing_marks);
	tcase_add_test(tc, wraps_at_32_and_64_bits);
	suite_add_tcase(s, tc);
	return s;
}
