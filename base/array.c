/*
 * base/array.c - growing a heap array and copying bytes (base/mem_int.h).
 * Apart from base/mem.c, so that their allocations go through the
 * linker-visible kssp_malloc, kssp_calloc and kssp_free_secret like every
 * other caller's.
 */
#include "base/mem_int.h"

#include <string.h>

void *kssp_memdup(const void *p, size_t n)
{
	void *copy = kssp_malloc(n);

	if (copy && n)
		memcpy(copy, p, n);
	return copy;
}

kssp_err kssp_array_reserve(void *array, size_t n, size_t *cap, size_t elem, size_t max,
    const char *what)
{
	size_t ncap;
	void *old, *bigger;

	if (n < *cap)
		return KSSP_OK;
	if (n >= max)
		return kssp_fail(KSSP_ERR_LIMIT, "%s: more than %zu", what, max);
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > max)
		ncap = max;
	bigger = kssp_calloc(ncap, elem);
	if (!bigger)
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", what);
	memcpy(&old, array, sizeof(old));
	if (n)
		memcpy(bigger, old, n * elem);
	kssp_free_secret(old, *cap * elem);
	memcpy(array, &bigger, sizeof(bigger));
	*cap = ncap;
	return KSSP_OK;
}
