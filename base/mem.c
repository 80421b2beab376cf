/*
 * base/mem.c - allocation wrappers, secure zeroing, constant-time compare.
 * kssp_malloc, kssp_calloc, kssp_free and kssp_free_secret are the only
 * calls into the C library's allocator; nothing in this file calls them,
 * so a test build can wrap all four at link time (test/unit/memfault.c).
 */
#include "base/mem_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *kssp_malloc(size_t n)
{
	return malloc(n ? n : 1);
}

void *kssp_calloc(size_t count, size_t size)
{
	return calloc(count ? count : 1, size ? size : 1);
}

void kssp_free(void *p)
{
	free(p);
}

void kssp_free_secret(void *p, size_t n)
{
	if (!p)
		return;
	kssp_memzero(p, n);
	free(p);
}

/*
 * A store through a volatile function pointer: the compiler cannot prove
 * which function runs, so it cannot drop the call as a dead store.
 */
static void *(*const volatile memset_v)(void *, int, size_t) = memset;

void kssp_memzero(void *p, size_t n)
{
	if (p && n)
		memset_v(p, 0, n);
}

/* Eight bytes a step (a MAC is 12 to 24 bytes), every byte read whatever
 * the earlier ones were; acc is volatile so that no early exit is made of
 * the loop. */
bool kssp_ct_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	volatile uint64_t acc = 0;
	uint64_t u, v;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		acc |= u ^ v;
	}
	for (; i < n; i++)
		acc |= (uint64_t)(x[i] ^ y[i]);
	return acc == 0;
}
