/*
 * base/lock_int.h - what threads of a server share without fighting over
 * cache lines: each thread's stripe number, and a reader-writer lock whose
 * readers write only their own stripe's cache line.
 *
 * A reader of pthread_rwlock_t writes the lock's one word, so two threads
 * reading under it side by side still pass that cache line back and forth
 * on every lock and unlock.  kssp_brlock gives each stripe its own reader
 * count on a cache line of its own; a reader writes its stripe's count and
 * reads the writer flag, which stays in every reader's cache until a
 * writer comes.  Writers are rare (a credential that got new tickets) and
 * pay for it: they wait until every stripe has no reader in.
 */
#ifndef KSSP_BASE_LOCK_INT_H
#define KSSP_BASE_LOCK_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "base/err_int.h"

#define KSSP_STRIPES 8u
#define KSSP_CACHE_LINE 64u

/*
 * The calling thread's stripe, 0 .. KSSP_STRIPES - 1: dealt in turn on a
 * thread's first call and then the same for the thread's life, so that
 * the first KSSP_STRIPES threads each have one of their own.
 */
unsigned kssp_thread_stripe(void);

struct kssp_brlock {
	pthread_mutex_t writer;  /* held by the writer; readers meeting one wait on it */
	atomic_uint writing;     /* a writer is in or waiting for readers to leave */
	unsigned first;          /* index in room of stripe 0's count */
	/* One reader count per stripe, each at the start of its own cache line
	 * (the struct itself may sit anywhere: the first line boundary inside
	 * this array is found when the lock is made).  What follows the lock
	 * shares no line with a count: the array ends past the last one's. */
	atomic_uint room[(KSSP_STRIPES + 1) * (KSSP_CACHE_LINE / sizeof(atomic_uint))];
};

kssp_err kssp_brlock_init(struct kssp_brlock *l);
void kssp_brlock_destroy(struct kssp_brlock *l);

/* Shared: returns the stripe to hand back to kssp_brlock_read_unlock. */
unsigned kssp_brlock_read_lock(struct kssp_brlock *l);
void kssp_brlock_read_unlock(struct kssp_brlock *l, unsigned stripe);

/* Exclusive: waits for the readers in to leave; new readers wait for it. */
void kssp_brlock_write_lock(struct kssp_brlock *l);
void kssp_brlock_write_unlock(struct kssp_brlock *l);

#endif
