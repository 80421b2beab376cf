/*
 * asn1/arena_int.h - the one allocation pool of a decoded message.
 *
 * Decoded messages point into their input; only the arrays of SEQUENCE OF
 * fields need memory of their own.  They come from an arena: a short chain
 * of blocks, each obtained with one kssp_malloc, all freed (and zeroed, since
 * decoded plaintext parts may hold keys) by one kssp_arena_free.
 */
#ifndef KSSP_ASN1_ARENA_INT_H
#define KSSP_ASN1_ARENA_INT_H

#include <stddef.h>

#include "base/base.h"

/* Size of the arena's first block; later blocks double. */
#define KSSP_ARENA_BLOCK 2048

struct kssp_arena_block;

struct kssp_arena {
	struct kssp_arena_block *head; /* newest block first */
	size_t allocations;            /* blocks obtained so far */
};

void kssp_arena_init(struct kssp_arena *a);

/* n zeroed bytes, aligned for any member type; NULL (reason recorded) when out of memory. */
void *kssp_arena_alloc(struct kssp_arena *a, size_t n);

/* Zeroes and frees every block; the arena may be used again after. */
void kssp_arena_free(struct kssp_arena *a);

#endif
