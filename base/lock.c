/*
 * base/lock.c - thread stripes and the reader-writer lock whose readers
 * share no cache line (base/lock_int.h).
 */
#include "base/lock_int.h"

#include <sched.h>

#define PER_LINE (KSSP_CACHE_LINE / sizeof(atomic_uint))

static atomic_uint stripes_dealt;
static _Thread_local unsigned own_stripe; /* stripe + 1; 0 = not dealt yet */

unsigned kssp_thread_stripe(void)
{
	if (own_stripe == 0)
		own_stripe = atomic_fetch_add_explicit(&stripes_dealt, 1, memory_order_relaxed) %
		    KSSP_STRIPES + 1;
	return own_stripe - 1;
}

static atomic_uint *readers(struct kssp_brlock *l, unsigned stripe)
{
	return &l->room[l->first + stripe * PER_LINE];
}

kssp_err kssp_brlock_init(struct kssp_brlock *l)
{
	uintptr_t at = (uintptr_t)l->room;
	unsigned i;

	if (pthread_mutex_init(&l->writer, NULL) != 0)
		return kssp_fail(KSSP_ERR_NOMEM, "lock: cannot create a mutex");
	atomic_init(&l->writing, 0);
	for (i = 0; i < sizeof(l->room) / sizeof(l->room[0]); i++)
		atomic_init(&l->room[i], 0);
	/* room is aligned for atomic_uint, so the distance to the next line
	 * boundary is a whole number of counts. */
	l->first = (unsigned)(((KSSP_CACHE_LINE - at % KSSP_CACHE_LINE) % KSSP_CACHE_LINE) /
	    sizeof(atomic_uint));
	return KSSP_OK;
}

void kssp_brlock_destroy(struct kssp_brlock *l)
{
	pthread_mutex_destroy(&l->writer);
}

/*
 * The reader raises its count, then looks for a writer; the writer raises
 * its flag, then looks for readers.  Both in one sequentially consistent
 * order, so at least one of them sees the other: a reader that sees no
 * writer is counted before the writer looks, and a writer that sees no
 * reader has its flag up before any later reader looks.
 */
unsigned kssp_brlock_read_lock(struct kssp_brlock *l)
{
	unsigned stripe = kssp_thread_stripe();
	atomic_uint *n = readers(l, stripe);

	for (;;) {
		atomic_fetch_add_explicit(n, 1, memory_order_seq_cst);
		if (atomic_load_explicit(&l->writing, memory_order_seq_cst) == 0)
			return stripe;
		/* A writer is in or on its way: step out and wait it through. */
		atomic_fetch_sub_explicit(n, 1, memory_order_release);
		pthread_mutex_lock(&l->writer);
		pthread_mutex_unlock(&l->writer);
	}
}

void kssp_brlock_read_unlock(struct kssp_brlock *l, unsigned stripe)
{
	/* release: the reader's reads come before a writer that sees it gone. */
	atomic_fetch_sub_explicit(readers(l, stripe), 1, memory_order_release);
}

void kssp_brlock_write_lock(struct kssp_brlock *l)
{
	unsigned i;

	pthread_mutex_lock(&l->writer);
	atomic_store_explicit(&l->writing, 1, memory_order_seq_cst);
	for (i = 0; i < KSSP_STRIPES; i++)
		while (atomic_load_explicit(readers(l, i), memory_order_seq_cst) != 0)
			sched_yield();
}

void kssp_brlock_write_unlock(struct kssp_brlock *l)
{
	/* release: readers that see the flag down see what the writer wrote. */
	atomic_store_explicit(&l->writing, 0, memory_order_release);
	pthread_mutex_unlock(&l->writer);
}
