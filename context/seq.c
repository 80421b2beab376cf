/* context/seq.c - receive sequence window (RFC 2743 §1.2.3, RFC 4121 §4.2.6.2). */
#include "context/seq_int.h"

void kssp_seq_init(struct kssp_seq_window *w, uint64_t initial, bool wide, bool do_replay,
    bool do_sequence)
{
	w->mask = wide ? UINT64_MAX : UINT32_MAX;
	w->next = initial & w->mask;
	w->seen = 0;
	w->do_replay = do_replay;
	w->do_sequence = do_sequence;
}

/* Distance from a to b going forward, in the window's modular arithmetic. */
static uint64_t forward(const struct kssp_seq_window *w, uint64_t a, uint64_t b)
{
	return (b - a) & w->mask;
}

/* Numbers at most half the space ahead of next count as "ahead". */
static bool is_ahead(const struct kssp_seq_window *w, uint64_t seq)
{
	return forward(w, w->next, seq) <= (w->mask >> 1);
}

unsigned kssp_seq_check(const struct kssp_seq_window *w, uint64_t seq)
{
	uint64_t behind;

	if (!w->do_replay && !w->do_sequence)
		return KSSP_SEQ_OK;
	seq &= w->mask;
	if (is_ahead(w, seq))
		return seq == w->next || !w->do_sequence ? KSSP_SEQ_OK : KSSP_SEQ_GAP;
	behind = forward(w, seq, w->next); /* 1 for next-1 */
	if (behind > KSSP_SEQ_WINDOW)
		return KSSP_SEQ_OLD;
	if (w->seen & ((uint64_t)1 << (behind - 1)))
		return KSSP_SEQ_DUPLICATE;
	return w->do_sequence ? KSSP_SEQ_UNSEQ : KSSP_SEQ_OK;
}

void kssp_seq_accept(struct kssp_seq_window *w, uint64_t seq)
{
	uint64_t d, behind;

	seq &= w->mask;
	if (is_ahead(w, seq)) {
		/* Shift the seen map so that bit 0 is seq, then move next past it. */
		d = forward(w, w->next, seq) + 1;
		w->seen = d >= KSSP_SEQ_WINDOW ? 0 : w->seen << d;
		w->seen |= 1;
		w->next = (seq + 1) & w->mask;
		return;
	}
	behind = forward(w, seq, w->next);
	if (behind <= KSSP_SEQ_WINDOW)
		w->seen |= (uint64_t)1 << (behind - 1);
}

kssp_err kssp_seq_receive(struct kssp_seq_window *w, uint64_t seq, unsigned *seq_status)
{
	unsigned st = kssp_seq_check(w, seq);

	/* A duplicate is never recorded again; everything else moves the window. */
	if (!(st & (KSSP_SEQ_DUPLICATE | KSSP_SEQ_OLD)))
		kssp_seq_accept(w, seq);
	if (seq_status) {
		*seq_status = st;
		return KSSP_OK;
	}
	return kssp_seq_status_err(st, seq);
}

kssp_err kssp_seq_status_err(unsigned status, uint64_t seq)
{
	if (status & KSSP_SEQ_DUPLICATE)
		return kssp_fail(KRB_AP_ERR_REPEAT, "token sequence number %llu seen before",
		    (unsigned long long)seq);
	if (status & KSSP_SEQ_OLD)
		return kssp_fail(KRB_AP_ERR_REPEAT,
		    "token sequence number %llu is older than the replay window",
		    (unsigned long long)seq);
	if (status & KSSP_SEQ_UNSEQ)
		return kssp_fail(KRB_AP_ERR_BADORDER,
		    "token sequence number %llu arrived out of order", (unsigned long long)seq);
	if (status & KSSP_SEQ_GAP)
		return kssp_fail(KRB_AP_ERR_BADORDER,
		    "token sequence number %llu follows a gap", (unsigned long long)seq);
	return KSSP_OK;
}
