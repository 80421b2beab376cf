/*
 * context/seq_int.h - the receive-side sequence window of a GSS context
 * (RFC 4121 §4.2.6.2 via RFC 2743 §1.2.3; RFC 1964 §1.2.1.2 for RC4).
 *
 * A context that negotiated replay detection (GSS_C_REPLAY_FLAG) must spot
 * a token seen before; one that negotiated sequencing (GSS_C_SEQUENCE_FLAG)
 * must also spot tokens that arrive out of order or after a gap.  The
 * window remembers the next expected number and which of the
 * KSSP_SEQ_WINDOW numbers below it were seen.  Numbers are 64 bits wide for
 * RFC 4121 tokens and 32 bits wide (wrapping) for RFC 4757 tokens.
 *
 * kssp_seq_check() only classifies; the caller records a number with
 * kssp_seq_accept() after the token's integrity check passed, so a forged
 * token can never move the window.
 */
#ifndef KSSP_CONTEXT_SEQ_INT_H
#define KSSP_CONTEXT_SEQ_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

/* How many numbers below the next expected one are remembered. */
#define KSSP_SEQ_WINDOW 64

/* Classification bits (the GSS supplementary status codes of RFC 2743). */
enum kssp_seq_status {
	KSSP_SEQ_OK = 0,
	KSSP_SEQ_DUPLICATE = 1, /* seen before (GSS_S_DUPLICATE_TOKEN) */
	KSSP_SEQ_OLD = 2,       /* too old to tell (GSS_S_OLD_TOKEN) */
	KSSP_SEQ_UNSEQ = 4,     /* older than one already seen (GSS_S_UNSEQ_TOKEN) */
	KSSP_SEQ_GAP = 8        /* newer than expected, some skipped (GSS_S_GAP_TOKEN) */
};

struct kssp_seq_window {
	uint64_t next;     /* the number expected next */
	uint64_t seen;     /* bit i: number next-1-i was seen */
	uint64_t mask;     /* UINT64_MAX or UINT32_MAX: the numbers' width */
	bool do_replay;    /* report duplicates and old tokens */
	bool do_sequence;  /* also report out-of-order and gaps */
};

/* Starts the window at the peer's initial number. */
void kssp_seq_init(struct kssp_seq_window *w, uint64_t initial, bool wide, bool do_replay,
    bool do_sequence);

/*
 * Classifies seq against the window without changing it.  Returns the
 * kssp_seq_status bits the negotiated flags ask to report (always
 * KSSP_SEQ_OK when neither replay nor sequence detection was negotiated).
 */
unsigned kssp_seq_check(const struct kssp_seq_window *w, uint64_t seq);

/* Records seq as received (after its token was verified). */
void kssp_seq_accept(struct kssp_seq_window *w, uint64_t seq);

/* Checks and records a verified token's number: the status bits go to
 * *seq_status, or without one a reported status is kssp_seq_status_err's. */
kssp_err kssp_seq_receive(struct kssp_seq_window *w, uint64_t seq, unsigned *seq_status);

/*
 * The error for a status: KRB_AP_ERR_REPEAT for duplicates and old tokens,
 * KRB_AP_ERR_BADORDER for out-of-order tokens and gaps, with a reason
 * naming seq; KSSP_OK for KSSP_SEQ_OK.
 */
kssp_err kssp_seq_status_err(unsigned status, uint64_t seq);

#endif
