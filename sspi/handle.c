/*
 * sspi/handle.c - the handle registry: slots with generations, looked up
 * without a lock, objects counted by atomic references.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "sspi/handle_int.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "kssp/kssp.h"
#include "sspi/status_int.h"
#include "sspi/utf16_int.h"

/*
 * A slot's state is one atomic word, so that a lookup takes no lock:
 * generation << 32 | pins << 1 | live.  A lookup pins the slot with a
 * compare-and-swap that also checks the generation and the live bit,
 * reads obj and takes its reference, and unpins.  Freeing a handle clears
 * the live bit (later lookups fail at once); whoever leaves the slot dead
 * with no pins (the freeing call, or the last lookup still inside)
 * returns it to the free list and drops the registry's reference.
 */
struct slot {
	_Atomic uint64_t word;
	struct kssp_sspi_object *obj; /* set before the slot goes live, read while pinned */
	uint32_t next_free;           /* free-list link: slot index + 1, 0 = end */
	/* obj's kind, set with obj: a lookup checks it here, off the cache
	 * line the object's reference count shares with other threads. */
	uint8_t kind;
};

#define LIVE ((uint64_t)1)
#define PIN ((uint64_t)2)
#define PINS(w) (((w) >> 1) & 0x7FFFFFFFu)
#define GENERATION(w) ((uint32_t)((w) >> 32))

/*
 * The slots: chunks that never move or go away once made, so a lookup can
 * read them while another thread registers (grows the table) under the
 * lock.  The first chunk is made on the first registration.
 */
#define CHUNK_SLOTS 256u
#define CHUNKS (KSSP_HANDLE_MAX / CHUNK_SLOTS)

/*
 * Free slots wait in stripes: lists with a lock each, on cache lines of
 * their own.  A thread takes slots from the stripe it was dealt on its
 * first call, and chunks are made for the stripe that needs them, so
 * threads making and deleting contexts at once (a server's workers)
 * share neither a lock nor a cache line for it.  Whichever thread frees a
 * slot, it returns to the stripe its chunk was made for: a thread that
 * only makes handles while others free them reuses its slots instead of
 * growing the table.  Where the C library offers it (glibc) a thread
 * finding a stripe taken spins briefly before sleeping: the holder is
 * done within a few instructions.
 */
#define STRIPES KSSP_STRIPES

#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
#define STRIPE_LOCK PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
#else
#define STRIPE_LOCK PTHREAD_MUTEX_INITIALIZER
#endif
#define STRIPE { STRIPE_LOCK, 0 }

struct stripe {
	_Alignas(KSSP_CACHE_LINE) pthread_mutex_t lock;
	uint32_t free_head; /* index + 1 of the first free slot, 0 = none */
};

static struct stripe stripes[STRIPES] = { STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE,
	STRIPE, STRIPE };

/* Growing the table, and taking from other stripes once it cannot grow;
 * taken before a stripe's lock, never after. */
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *chunks[CHUNKS];  /* written before slot_count covers them */
static _Atomic uint32_t slot_count;
static uint8_t chunk_home[CHUNKS];   /* the stripe each chunk's slots return to */

/*
 * dwUpper = kind << 24 | (index + 1): index + 1 so that a zeroed handle is
 * never slot 0; the kind keeps a context handle from passing as a
 * credential.  dwLower = the slot's generation.
 */
#define SLOT_BITS 24
#define SLOT_MASK (((ULONG_PTR)1 << SLOT_BITS) - 1)

static uint32_t next_generation(uint32_t g)
{
	g++;
	if (g == 0 || g == UINT32_MAX)
		g = 1;
	return g;
}

static struct slot *slot_at(uint32_t index)
{
	return &chunks[index / CHUNK_SLOTS][index % CHUNK_SLOTS];
}

kssp_err kssp_sspi_object_init(struct kssp_sspi_object *obj, enum kssp_handle_kind kind,
    void (*destroy)(struct kssp_sspi_object *obj))
{
	obj->kind = kind;
	atomic_init(&obj->refs, 1);
	obj->slot = 0;
	obj->destroy = destroy;
	obj->last_status = SEC_E_OK;
	obj->last_reason = NULL;
	if (pthread_mutex_init(&obj->lock, NULL) != 0)
		return kssp_fail(KSSP_ERR_NOMEM, "handle: cannot create a mutex");
	return KSSP_OK;
}

/* The calling thread's stripe (base/lock_int.h). */
static struct stripe *own(void)
{
	return &stripes[kssp_thread_stripe()];
}

/* The stripe a slot returns to: the one its chunk was made for. */
static struct stripe *home(uint32_t index)
{
	return &stripes[chunk_home[index / CHUNK_SLOTS]];
}

/* Takes the first free slot of st into *index; false when it has none. */
static bool pop_free(struct stripe *st, uint32_t *index)
{
	bool found;

	pthread_mutex_lock(&st->lock);
	found = st->free_head != 0;
	if (found) {
		*index = st->free_head - 1;
		st->free_head = slot_at(*index)->next_free;
	}
	pthread_mutex_unlock(&st->lock);
	return found;
}

static void push_free(struct stripe *st, uint32_t index)
{
	pthread_mutex_lock(&st->lock);
	slot_at(index)->next_free = st->free_head;
	st->free_head = index + 1;
	pthread_mutex_unlock(&st->lock);
}

/* Makes a chunk for st (grow lock held): its first slot is the caller's,
 * the others join st's list. */
static kssp_err grow_slots(struct stripe *st, uint32_t *index)
{
	uint32_t count = atomic_load_explicit(&slot_count, memory_order_relaxed), i;
	struct slot *chunk = kssp_calloc(CHUNK_SLOTS, sizeof(*chunk));

	if (chunk == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "handle: out of memory growing the registry");
	for (i = 0; i < CHUNK_SLOTS; i++) {
		atomic_init(&chunk[i].word, (uint64_t)1 << 32);
		chunk[i].next_free = count + i + 2;
	}
	chunks[count / CHUNK_SLOTS] = chunk;
	chunk_home[count / CHUNK_SLOTS] = (uint8_t)(st - stripes);
	atomic_store_explicit(&slot_count, count + CHUNK_SLOTS, memory_order_release);
	*index = count;
	pthread_mutex_lock(&st->lock);
	chunk[CHUNK_SLOTS - 1].next_free = st->free_head;
	st->free_head = count + 2;
	pthread_mutex_unlock(&st->lock);
	return KSSP_OK;
}

/* A free slot: the thread's stripe's, else a new chunk's, else (the table
 * full) any stripe's. */
static kssp_err take_slot(uint32_t *index)
{
	struct stripe *st = own();
	kssp_err e = KSSP_OK;
	uint32_t i = 0;

	if (pop_free(st, index))
		return KSSP_OK;
	pthread_mutex_lock(&grow_lock);
	if (atomic_load_explicit(&slot_count, memory_order_relaxed) < KSSP_HANDLE_MAX)
		e = grow_slots(st, index);
	else {
		while (i < STRIPES && !pop_free(&stripes[i], index))
			i++;
		if (i == STRIPES)
			e = kssp_fail(KSSP_ERR_NOMEM, "handle: %u handles are live, the most kssp keeps",
			    (unsigned)KSSP_HANDLE_MAX);
	}
	pthread_mutex_unlock(&grow_lock);
	return e;
}

kssp_err kssp_sspi_handle_register(struct kssp_sspi_object *obj, SecHandle *out)
{
	struct slot *s;
	uint32_t index = 0;
	uint64_t w;
	kssp_err e = take_slot(&index);

	if (e != KSSP_OK)
		return e;
	s = slot_at(index);
	s->obj = obj;
	s->kind = (uint8_t)obj->kind;
	obj->slot = index;
	atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
	/* A free slot is neither live nor pinned: nothing else writes it. */
	w = atomic_load_explicit(&s->word, memory_order_relaxed);
	atomic_store_explicit(&s->word, w | LIVE, memory_order_release);
	out->dwUpper = ((ULONG_PTR)obj->kind << SLOT_BITS) | (ULONG_PTR)(index + 1);
	out->dwLower = GENERATION(w);
	return KSSP_OK;
}

static void destroy_object(struct kssp_sspi_object *obj)
{
	kssp_free(obj->last_reason);
	obj->last_reason = NULL;
	pthread_mutex_destroy(&obj->lock);
	obj->destroy(obj);
}

/* Drops one reference; the last one destroys obj. */
static void drop_reference(struct kssp_sspi_object *obj)
{
	/* acq_rel: the destroying thread sees every write of the others. */
	if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
		destroy_object(obj);
}

/* Returns the dead, unpinned slot s to its stripe with its next
 * generation, and drops the registry's reference to its object. */
static void release_slot(struct slot *s, uint64_t w)
{
	struct kssp_sspi_object *obj = s->obj;

	s->obj = NULL;
	atomic_store_explicit(&s->word, (uint64_t)next_generation(GENERATION(w)) << 32,
	    memory_order_relaxed);
	push_free(home(obj->slot), obj->slot);
	drop_reference(obj);
}

static void unpin(struct slot *s)
{
	uint64_t w = atomic_fetch_sub_explicit(&s->word, PIN, memory_order_acq_rel);

	if (!(w & LIVE) && PINS(w) == 1)
		release_slot(s, w - PIN);
}

/* The slot h names pinned, if it is live and of kind, else NULL. */
static struct slot *pin_slot(const SecHandle *h, enum kssp_handle_kind kind)
{
	ULONG_PTR n;
	struct slot *s;
	uint64_t w;

	if (h == NULL || (h->dwUpper >> SLOT_BITS) != (ULONG_PTR)kind)
		return NULL;
	n = h->dwUpper & SLOT_MASK;
	if (n == 0 || n > atomic_load_explicit(&slot_count, memory_order_acquire))
		return NULL;
	s = slot_at((uint32_t)(n - 1));
	w = atomic_load_explicit(&s->word, memory_order_relaxed);
	do {
		if (!(w & LIVE) || (uint64_t)GENERATION(w) != (uint64_t)h->dwLower)
			return NULL;
	} while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w + PIN,
	    memory_order_acquire, memory_order_relaxed));
	if (s->kind != (uint8_t)kind) {
		unpin(s);
		return NULL;
	}
	return s;
}

/* The failure of h, which names no live object of kind. */
static kssp_err not_live(const SecHandle *h, enum kssp_handle_kind kind)
{
	const char *what = kind == KSSP_HANDLE_CREDENTIAL ? "credential" : "context";

	if (h == NULL)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "%s handle: NULL", what);
	return kssp_fail(KSSP_ERR_NOT_FOUND,
	    "%s handle {0x%llx, 0x%llx}: not a live handle (freed, zeroed or never issued)", what,
	    (unsigned long long)h->dwLower, (unsigned long long)h->dwUpper);
}

kssp_err kssp_sspi_handle_get(const SecHandle *h, enum kssp_handle_kind kind,
    struct kssp_sspi_object **obj)
{
	struct slot *s = pin_slot(h, kind);

	*obj = NULL;
	if (s == NULL)
		return not_live(h, kind);
	/* The pin keeps the registry's reference, hence obj, alive meanwhile. */
	atomic_fetch_add_explicit(&s->obj->refs, 1, memory_order_relaxed);
	*obj = s->obj;
	unpin(s);
	return KSSP_OK;
}

kssp_err kssp_sspi_handle_enter(const SecHandle *h, enum kssp_handle_kind kind,
    struct kssp_sspi_object **obj)
{
	struct slot *s = pin_slot(h, kind);

	*obj = s != NULL ? s->obj : NULL;
	return s != NULL ? KSSP_OK : not_live(h, kind);
}

void kssp_sspi_handle_pin_more(struct kssp_sspi_object *obj)
{
	/* The caller's pin keeps the slot obj's: no check, no compare-and-swap. */
	atomic_fetch_add_explicit(&slot_at(obj->slot)->word, PIN, memory_order_relaxed);
}

void kssp_sspi_handle_leave(struct kssp_sspi_object *obj)
{
	/* obj->slot is obj's while the pin holds the slot. */
	unpin(slot_at(obj->slot));
}

kssp_err kssp_sspi_handle_free(const SecHandle *h, enum kssp_handle_kind kind)
{
	struct slot *s = pin_slot(h, kind);
	uint64_t w;

	if (s == NULL)
		return not_live(h, kind);
	/* Pinned, the generation cannot change: only the live bit can go. */
	w = atomic_load_explicit(&s->word, memory_order_relaxed);
	do {
		if (!(w & LIVE)) {
			unpin(s);
			return not_live(h, kind);
		}
	} while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w & ~LIVE,
	    memory_order_acq_rel, memory_order_relaxed));
	unpin(s);
	return KSSP_OK;
}

void kssp_sspi_object_get(struct kssp_sspi_object *obj)
{
	/* The caller holds a reference: obj cannot go meanwhile. */
	atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

void kssp_sspi_object_put(struct kssp_sspi_object *obj)
{
	if (obj != NULL)
		drop_reference(obj);
}

void kssp_sspi_object_lock(struct kssp_sspi_object *obj)
{
	pthread_mutex_lock(&obj->lock);
}

void kssp_sspi_object_unlock(struct kssp_sspi_object *obj)
{
	pthread_mutex_unlock(&obj->lock);
}

void kssp_sspi_object_note(struct kssp_sspi_object *obj, SECURITY_STATUS status)
{
	if (status >= 0)
		return;
	obj->last_status = status;
	/*
	 * Room for the reason is taken on the first failure only: a handle
	 * that never fails (most contexts) carries a pointer, not 256 bytes.
	 * Without memory the status is kept and the reason reads "".
	 */
	if (obj->last_reason == NULL)
		obj->last_reason = kssp_malloc(KSSP_REASON_MAX);
	if (obj->last_reason != NULL)
		snprintf(obj->last_reason, KSSP_REASON_MAX, "%s", kssp_status_reason());
}

SECURITY_STATUS kssp_sspi_object_last_error(const struct kssp_sspi_object *obj,
    PKSSP_LAST_ERROR out)
{
	void *copy;
	SECURITY_STATUS st = kssp_sspi_buffer_string(obj->last_reason ? obj->last_reason : "", 0,
	    &copy);

	if (st == SEC_E_OK) {
		out->Status = obj->last_status;
		out->Reason = copy;
	}
	return st;
}

uint32_t kssp_sspi_handle_count(void)
{
	uint32_t n = atomic_load_explicit(&slot_count, memory_order_acquire), i, live = 0;

	/* Counted when asked (tests ask), not kept: a shared counter would be
	 * one more cache line every registration and free of every thread writes. */
	for (i = 0; i < n; i++)
		live += (uint32_t)(atomic_load_explicit(&slot_at(i)->word, memory_order_relaxed) & LIVE);
	return live;
}

/* A context buffer's bookkeeping, just before the bytes the caller sees. */
struct cbuf {
	struct cbuf *prev, *next;
	size_t size;
	max_align_t align[]; /* the caller's bytes start here, suitably aligned */
};

/* Its own mutex: handing out a buffer does not wait for handle lookups. */
static pthread_mutex_t cbuf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cbuf *cbuf_head; /* guarded by cbuf_lock */
static size_t cbuf_count;

void *kssp_sspi_buffer_alloc(size_t n)
{
	struct cbuf *b;

	if (n > ((size_t)1 << 30)) {
		kssp_fail(KSSP_ERR_NOMEM, "context buffer: %zu bytes is more than kssp hands out", n);
		return NULL;
	}
	b = kssp_calloc(1, sizeof(*b) + n);
	if (b == NULL) {
		kssp_fail(KSSP_ERR_NOMEM, "context buffer: out of memory for %zu bytes", n);
		return NULL;
	}
	b->size = n;
	pthread_mutex_lock(&cbuf_lock);
	b->next = cbuf_head;
	if (cbuf_head != NULL)
		cbuf_head->prev = b;
	cbuf_head = b;
	cbuf_count++;
	pthread_mutex_unlock(&cbuf_lock);
	return b->align;
}

SECURITY_STATUS kssp_sspi_buffer_string(const char *text, int wide, void **out)
{
	uint16_t *w;
	kssp_err e;

	*out = NULL;
	if (wide) {
		e = kssp_utf8_to_utf16(text, strlen(text), kssp_sspi_buffer_alloc, &w, NULL);
		if (e != KSSP_OK)
			return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_MESSAGE));
		*out = w;
		return SEC_E_OK;
	}
	if ((*out = kssp_sspi_buffer_alloc(strlen(text) + 1)) == NULL)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	memcpy(*out, text, strlen(text) + 1);
	return SEC_E_OK;
}

kssp_err kssp_sspi_buffer_free(void *p)
{
	struct cbuf *b;

	pthread_mutex_lock(&cbuf_lock);
	for (b = cbuf_head; b != NULL; b = b->next)
		if ((void *)b->align == p)
			break;
	if (b != NULL) {
		if (b->prev != NULL)
			b->prev->next = b->next;
		else
			cbuf_head = b->next;
		if (b->next != NULL)
			b->next->prev = b->prev;
		cbuf_count--;
	}
	pthread_mutex_unlock(&cbuf_lock);
	if (b == NULL)
		return kssp_fail(KSSP_ERR_NOT_FOUND,
		    "FreeContextBuffer: %p was not returned by kssp, or was freed already", p);
	kssp_free_secret(b, sizeof(*b) + b->size);
	return KSSP_OK;
}

size_t kssp_sspi_buffer_count(void)
{
	size_t n;

	pthread_mutex_lock(&cbuf_lock);
	n = cbuf_count;
	pthread_mutex_unlock(&cbuf_lock);
	return n;
}
