/*
 * base/hooks_int.h - the injectable clock, random source, KDC transport and
 * trace sink.
 *
 * kssp has no global configuration: a struct kssp_hooks travels with the
 * credential handle that owns an operation.  Tests and replays fill it to
 * make every run deterministic; a zeroed struct means "the system's": the
 * real-time clock, getrandom(2) through a per-thread generator, the network
 * transport of kdc/, no trace.
 * The fixed clock and seeded random stream of recordings live here too.
 */
#ifndef KSSP_BASE_HOOKS_INT_H
#define KSSP_BASE_HOOKS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err_int.h"

/* A moment as Kerberos carries it: seconds since 1970 UTC, microseconds. */
struct kssp_time {
	int64_t sec;
	int32_t usec;
};

/* Returns the current time. */
typedef kssp_err (*kssp_clock_fn)(void *arg, struct kssp_time *now);

/* Fills buf with len unpredictable bytes. */
typedef kssp_err (*kssp_random_fn)(void *arg, void *buf, size_t len);

/* Receives one finished trace line, without a newline.  Never a secret. */
typedef void (*kssp_trace_fn)(void *arg, const char *line);

/* Flags of a transport call. */
#define KSSP_TRANSPORT_TCP_ONLY 0x1 /* stream only (after KRB_ERR_RESPONSE_TOO_BIG) */
#define KSSP_TRANSPORT_MASTER   0x2 /* the realm's master KDC only (master_kdc) */
#define KSSP_TRANSPORT_KPASSWD  0x4 /* the realm's kpasswd servers (RFC 3244) */

/*
 * Sends one encoded KDC request for realm and returns the reply in a
 * kssp_malloc'd buffer the caller frees.  kdc/ supplies the network
 * implementation and the recorded one; tests supply their own.  flags is
 * a set of KSSP_TRANSPORT_* bits (the value 1 keeps its old meaning,
 * "TCP only").
 */
typedef kssp_err (*kssp_transport_fn)(void *arg, const char *realm,
    const uint8_t *req, size_t req_len, int flags,
    uint8_t **reply, size_t *reply_len);

struct kssp_hooks {
	kssp_clock_fn clock;
	void *clock_arg;
	kssp_random_fn random;
	void *random_arg;
	kssp_transport_fn transport;
	void *transport_arg;
	kssp_trace_fn trace;
	void *trace_arg;
};

/* The time from the hook, else from the system's real-time clock. */
kssp_err kssp_hooks_now(const struct kssp_hooks *h, struct kssp_time *now);

/*
 * The same, from the kernel's last tick (CLOCK_REALTIME_COARSE: a few
 * milliseconds behind at most, read without a timer access) when there is
 * no hook: for the expiry check every message call makes, where the
 * precise clock was a fifth of a 64-byte MakeSignature + VerifySignature.
 */
kssp_err kssp_hooks_now_coarse(const struct kssp_hooks *h, struct kssp_time *now);

/* Random bytes from the hook, else from the calling thread's AES-256-CTR
 * stream (below), keyed from getrandom(2) and reseeded after a fork. */
kssp_err kssp_hooks_random(const struct kssp_hooks *h, void *buf, size_t len);

/* Formats one trace line and hands it to the sink; nothing when none is set. */
void kssp_trace(const struct kssp_hooks *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The system sources on their own, for code that has no hooks to hand. */
kssp_err kssp_system_clock(void *arg, struct kssp_time *now);
kssp_err kssp_system_random(void *arg, void *buf, size_t len);

/*
 * A random stream: bytes come from the hook when one is set, so
 * recordings replay exactly; otherwise from an AES-256 generator in
 * counter mode keyed with 32 bytes of getrandom(2) on first use ("fast
 * key erasure", as OpenBSD's arc4random does with ChaCha20): counter
 * blocks 0 to 31 under the key give the next key (their first 32 bytes)
 * and 480 bytes of output, kept in pool and wiped as they are handed out,
 * so a key or pool read from memory later does not give away bytes
 * already drawn.  AES rather than ChaCha20 for the instructions x86-64
 * and ARMv8 have for it, which Nettle uses: 512 bytes in about 0.2 us
 * here against 1.7 us.  One batch serves thirty 16-byte confounders.
 * kssp_hooks_random keeps one per thread.
 */
struct kssp_random_stream {
	uint8_t key[32];
	uint8_t pool[480]; /* the last `pooled` bytes are unused output */
	uint16_t pooled;
	uint8_t seeded;
};
kssp_err kssp_random_stream_draw(struct kssp_random_stream *s, const struct kssp_hooks *h,
    void *buf, size_t len);

/*
 * Deterministic sources for recording and replaying a conversation: a
 * clock that always says the same time, and a random stream that is
 * SHA-256(seed || 64-bit big-endian counter), block after block.  Only for
 * reproducing a recorded conversation; never for real use (the stream is
 * predictable by design).
 */
struct kssp_fixed_clock {
	struct kssp_time t;
};
kssp_err kssp_fixed_clock(void *arg, struct kssp_time *now);

struct kssp_seeded_random {
	uint8_t seed[32];
	uint64_t counter;
};
/* Seeds from hex text (up to 64 digits); KSSP_ERR_BAD_ENCODING otherwise. */
kssp_err kssp_seeded_random_init(struct kssp_seeded_random *r, const char *hex);
kssp_err kssp_seeded_random(void *arg, void *buf, size_t len);

#endif
