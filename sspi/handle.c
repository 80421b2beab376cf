/*
 * sspi/handle.c - the handle registry: slots with generations under one
 * mutex held for a few instructions, objects counted by atomic references.
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

struct slot {
	struct kssp_sspi_object *obj; /* NULL when free */
	uint32_t generation;          /* never 0, never all ones */
	uint32_t next_free;           /* free-list link: slot index + 1, 0 = end */
};

/*
 * The registry: process-wide by necessity (a handle must be resolvable
 * anywhere).  Every SSPI call looks its handles up, so the lock is held
 * only to find, fill or empty a slot; references are taken and dropped
 * outside it.  Where the C library offers it (glibc) a thread finding it
 * taken spins briefly before sleeping: the holder is done within a few
 * instructions.  (A reader-writer lock, whose readers queue behind any
 * waiting writer, made threads sharing one credential sleep and wake in
 * the kernel several times more often.)
 */
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
static pthread_mutex_t registry_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
#else
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
#endif
static struct slot *slots;
static uint32_t slot_count;
static uint32_t free_head; /* index + 1 of the first free slot, 0 = none */
static uint32_t live_count;

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

/* Doubles the slot table (registry lock held). */
static kssp_err grow_slots(void)
{
	uint32_t want = slot_count ? slot_count * 2 : 64;
	struct slot *bigger;
	uint32_t i;

	if (slot_count >= KSSP_HANDLE_MAX)
		return kssp_fail(KSSP_ERR_NOMEM, "handle: %u handles are live, the most kssp keeps",
		    (unsigned)slot_count);
	if (want > KSSP_HANDLE_MAX)
		want = KSSP_HANDLE_MAX;
	bigger = kssp_calloc(want, sizeof(*bigger));
	if (bigger == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "handle: out of memory growing the registry");
	if (slot_count)
		memcpy(bigger, slots, slot_count * sizeof(*slots));
	for (i = slot_count; i < want; i++) {
		bigger[i].generation = 1;
		bigger[i].next_free = (i + 1 < want) ? i + 2 : free_head;
	}
	free_head = slot_count + 1;
	kssp_free(slots);
	slots = bigger;
	slot_count = want;
	return KSSP_OK;
}

kssp_err kssp_sspi_handle_register(struct kssp_sspi_object *obj, SecHandle *out)
{
	kssp_err e = KSSP_OK;
	uint32_t index;

	pthread_mutex_lock(&registry_lock);
	if (free_head == 0)
		e = grow_slots();
	if (e == KSSP_OK) {
		index = free_head - 1;
		free_head = slots[index].next_free;
		slots[index].next_free = 0;
		slots[index].obj = obj;
		obj->slot = index;
		atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
		live_count++;
		out->dwUpper = ((ULONG_PTR)obj->kind << SLOT_BITS) | (ULONG_PTR)(index + 1);
		out->dwLower = slots[index].generation;
	}
	pthread_mutex_unlock(&registry_lock);
	return e;
}

/* The slot h names if it is live and of kind, else NULL (registry lock held). */
static struct slot *find_slot(const SecHandle *h, enum kssp_handle_kind kind)
{
	ULONG_PTR n;
	struct slot *s;

	if (h == NULL || (h->dwUpper >> SLOT_BITS) != (ULONG_PTR)kind)
		return NULL;
	n = h->dwUpper & SLOT_MASK;
	if (n == 0 || n > slot_count)
		return NULL;
	s = &slots[n - 1];
	if (s->obj == NULL || (ULONG_PTR)s->generation != h->dwLower || s->obj->kind != kind)
		return NULL;
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
	struct slot *s;

	*obj = NULL;
	pthread_mutex_lock(&registry_lock);
	s = find_slot(h, kind);
	if (s != NULL) {
		/* The registry's own reference keeps obj alive while the lock is held. */
		atomic_fetch_add_explicit(&s->obj->refs, 1, memory_order_relaxed);
		*obj = s->obj;
	}
	pthread_mutex_unlock(&registry_lock);
	return *obj == NULL ? not_live(h, kind) : KSSP_OK;
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

kssp_err kssp_sspi_handle_free(const SecHandle *h, enum kssp_handle_kind kind)
{
	struct kssp_sspi_object *obj = NULL;
	struct slot *s;

	pthread_mutex_lock(&registry_lock);
	s = find_slot(h, kind);
	if (s != NULL) {
		obj = s->obj;
		s->obj = NULL;
		s->generation = next_generation(s->generation);
		s->next_free = free_head;
		free_head = obj->slot + 1;
		live_count--;
	}
	pthread_mutex_unlock(&registry_lock);
	if (obj == NULL)
		return not_live(h, kind);
	drop_reference(obj);
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
	uint32_t n;

	pthread_mutex_lock(&registry_lock);
	n = live_count;
	pthread_mutex_unlock(&registry_lock);
	return n;
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
