/* asn1/arena.c - the block pool behind decoded SEQUENCE OF arrays. */
#include "asn1/arena_int.h"

#include <stdalign.h>
#include <stdint.h>

#include "base/base.h"

struct kssp_arena_block {
	struct kssp_arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN (alignof(max_align_t))

void kssp_arena_init(struct kssp_arena *a)
{
	a->head = NULL;
	a->allocations = 0;
}

static struct kssp_arena_block *arena_grow(struct kssp_arena *a, size_t n)
{
	size_t size = a->head ? a->head->size * 2 : KSSP_ARENA_BLOCK;
	struct kssp_arena_block *b;

	while (size < n)
		size *= 2;
	b = kssp_calloc(1, sizeof(*b) + size);
	if (!b) {
		kssp_fail(KSSP_ERR_NOMEM, "arena: cannot allocate %zu bytes", size);
		return NULL;
	}
	b->size = size;
	b->next = a->head;
	a->head = b;
	a->allocations++;
	return b;
}

void *kssp_arena_alloc(struct kssp_arena *a, size_t n)
{
	struct kssp_arena_block *b = a->head;
	size_t need;
	void *p;

	if (n > SIZE_MAX / 4) {
		kssp_fail(KSSP_ERR_LIMIT, "arena: %zu bytes asked", n);
		return NULL;
	}
	need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	if (need == 0)
		need = ARENA_ALIGN;
	if (!b || b->size - b->used < need) {
		b = arena_grow(a, need);
		if (!b)
			return NULL;
	}
	p = b->data + b->used;
	b->used += need;
	return p;
}

void kssp_arena_free(struct kssp_arena *a)
{
	struct kssp_arena_block *b = a->head;

	while (b) {
		struct kssp_arena_block *next = b->next;

		kssp_free_secret(b, sizeof(*b) + b->size);
		b = next;
	}
	kssp_arena_init(a);
}
