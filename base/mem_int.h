/*
 * base/mem_int.h - allocation, secure zeroing and constant-time comparison.
 *
 * All of kssp allocates through kssp_malloc / kssp_calloc / kssp_free so
 * that secret-bearing memory is zeroed on its way out, and so that the test
 * build can wrap these functions at link time to make any chosen
 * allocation fail and to watch each block released (test/unit/memfault.h).
 */
#ifndef KSSP_BASE_MEM_INT_H
#define KSSP_BASE_MEM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err_int.h"

void *kssp_malloc(size_t n);
void *kssp_calloc(size_t count, size_t size);
void kssp_free(void *p);

/* A kssp_malloc'd copy of the n bytes at p (n may be 0), or NULL without memory. */
void *kssp_memdup(const void *p, size_t n);

/*
 * Makes room for one more element in a heap array, which holds n elements
 * of elem bytes and has room for *cap: when full, it is moved to a block
 * twice as large (8 elements at first), never more than max elements.
 * Fails with KSSP_ERR_LIMIT ("WHAT: more than MAX") or KSSP_ERR_NOMEM and
 * leaves the array as it was.  The old block is zeroed before it is freed,
 * since elements may hold keys.  array is the address of the caller's
 * element pointer, of whatever element type (&set->creds): the pointer is
 * read and written through memcpy, as object pointers of every type share
 * void *'s representation on the platforms kssp builds for.
 */
kssp_err kssp_array_reserve(void *array, size_t n, size_t *cap, size_t elem, size_t max,
    const char *what);

/* Zeroes n bytes at p, then frees p.  p may be NULL. */
void kssp_free_secret(void *p, size_t n);

/* Zeroes n bytes in a way the compiler may not remove as a dead store. */
void kssp_memzero(void *p, size_t n);

/*
 * true when a and b hold the same n bytes.  Runs in time that depends only
 * on n, never on where the buffers differ: for MACs and checksums.
 */
bool kssp_ct_equal(const void *a, const void *b, size_t n);

#endif
