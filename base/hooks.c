/*
 * base/hooks.c - default clock and random source, the deterministic ones
 * of recordings, trace formatting.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "base/hooks_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/sha2.h>

#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "base/text_int.h"

kssp_err kssp_system_clock(void *arg, struct kssp_time *now)
{
	struct timespec ts;

	(void)arg;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return kssp_fail(KSSP_ERR_IO, "clock_gettime: %s", strerror(errno));
	now->sec = ts.tv_sec;
	now->usec = (int32_t)(ts.tv_nsec / 1000);
	return KSSP_OK;
}

kssp_err kssp_system_random(void *arg, void *buf, size_t len)
{
	unsigned char *p = buf;

	(void)arg;
	while (len > 0) {
		/* getrandom returns at most 32 MiB per call and may be interrupted. */
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return kssp_fail(KSSP_ERR_IO, "getrandom: %s", strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return KSSP_OK;
}

kssp_err kssp_hooks_now(const struct kssp_hooks *h, struct kssp_time *now)
{
	if (h && h->clock)
		return h->clock(h->clock_arg, now);
	return kssp_system_clock(NULL, now);
}

kssp_err kssp_hooks_now_coarse(const struct kssp_hooks *h, struct kssp_time *now)
{
	struct timespec ts;

	if (h && h->clock)
		return h->clock(h->clock_arg, now);
	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0)
		return kssp_system_clock(NULL, now);
	now->sec = ts.tv_sec;
	now->usec = (int32_t)(ts.tv_nsec / 1000);
	return KSSP_OK;
}

/*
 * Without a hook, bytes come from this thread's AES-CTR stream (keyed
 * from getrandom(2) on the thread's first draw): a handshake draws a
 * subkey, a sequence number and confounders, and a system call for each
 * cost more than the rest of an InitializeSecurityContext leg.  A forked
 * child copies its parent's stream, so pthread_atfork counts forks and a
 * stream that sees a new count reseeds before it is used.
 */
static atomic_uint forks_seen;
static pthread_once_t fork_watch = PTHREAD_ONCE_INIT;

static void count_fork(void)
{
	atomic_fetch_add_explicit(&forks_seen, 1, memory_order_relaxed);
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, count_fork);
}

static _Thread_local struct {
	struct kssp_random_stream s;
	unsigned forks;
} thread_random;

kssp_err kssp_hooks_random(const struct kssp_hooks *h, void *buf, size_t len)
{
	unsigned forks;

	if (h && h->random)
		return h->random(h->random_arg, buf, len);
	pthread_once(&fork_watch, watch_forks);
	forks = atomic_load_explicit(&forks_seen, memory_order_relaxed);
	if (thread_random.forks != forks) {
		kssp_memzero(&thread_random.s, sizeof(thread_random.s));
		thread_random.forks = forks;
	}
	return kssp_random_stream_draw(&thread_random.s, NULL, buf, len);
}

kssp_err kssp_random_stream_draw(struct kssp_random_stream *s, const struct kssp_hooks *h,
    void *buf, size_t len)
{
	uint8_t batch[sizeof(s->key) + sizeof(s->pool)];
	uint8_t *out = buf;
	struct aes256_ctx c;
	size_t i;
	kssp_err e;

	if (h && h->random)
		return h->random(h->random_arg, buf, len);
	if (!s->seeded) {
		e = kssp_system_random(NULL, s->key, sizeof(s->key));
		if (e)
			return e;
		s->seeded = 1;
	}
	while (len > 0) {
		uint8_t *from = s->pool + sizeof(s->pool) - s->pooled;
		size_t n = len < s->pooled ? len : s->pooled;

		if (n == 0) {
			/* Counter blocks 0 to 31 (big-endian, the count in the last byte) under the key. */
			memset(batch, 0, sizeof(batch));
			for (i = 0; i < sizeof(batch) / AES_BLOCK_SIZE; i++)
				batch[i * AES_BLOCK_SIZE + AES_BLOCK_SIZE - 1] = (uint8_t)i;
			aes256_set_encrypt_key(&c, s->key);
			aes256_encrypt(&c, sizeof(batch), batch, batch);
			memcpy(s->key, batch, sizeof(s->key));
			memcpy(s->pool, batch + sizeof(s->key), sizeof(s->pool));
			s->pooled = sizeof(s->pool);
			kssp_memzero(batch, sizeof(batch));
			kssp_memzero(&c, sizeof(c));
			continue;
		}
		memcpy(out, from, n);
		kssp_memzero(from, n);
		s->pooled = (uint16_t)(s->pooled - n);
		out += n;
		len -= n;
	}
	return KSSP_OK;
}

void kssp_trace(const struct kssp_hooks *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!h || !h->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->trace(h->trace_arg, line);
}

kssp_err kssp_fixed_clock(void *arg, struct kssp_time *now)
{
	const struct kssp_fixed_clock *c = arg;

	*now = c->t;
	return KSSP_OK;
}

kssp_err kssp_seeded_random_init(struct kssp_seeded_random *r, const char *hex)
{
	struct kssp_writer w;

	memset(r, 0, sizeof(*r));
	kssp_writer_init_fixed(&w, r->seed, sizeof(r->seed));
	if (kssp_hex_decode(&w, hex, strlen(hex)) != KSSP_OK)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "random seed: not hex of at most 32 bytes");
	return KSSP_OK;
}

kssp_err kssp_seeded_random(void *arg, void *buf, size_t len)
{
	struct kssp_seeded_random *r = arg;
	uint8_t *out = buf;

	while (len > 0) {
		struct sha256_ctx h;
		uint8_t block[SHA256_DIGEST_SIZE], ctr[8];
		size_t n = len < sizeof(block) ? len : sizeof(block), i;

		for (i = 0; i < 8; i++)
			ctr[i] = (uint8_t)(r->counter >> (56 - 8 * i));
		r->counter++;
		sha256_init(&h);
		sha256_update(&h, sizeof(r->seed), r->seed);
		sha256_update(&h, sizeof(ctr), ctr);
		sha256_digest(&h, sizeof(block), block);
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	return KSSP_OK;
}
