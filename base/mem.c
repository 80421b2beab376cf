/* base/mem.c - allocation wrappers, secure zeroing, constant-time compare. */
#include "base/mem.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Per-thread injection state: never shared, so no lock is needed. */
static _Thread_local size_t alloc_count;
static _Thread_local size_t alloc_fail_at;
static _Thread_local kssp_free_observer *free_observer;
static _Thread_local void *free_observer_arg;

size_t kssp_alloc_fail_after(size_t n)
{
	size_t made = alloc_count;

	alloc_count = 0;
	alloc_fail_at = n;
	return made;
}

static bool alloc_should_fail(void)
{
	alloc_count++;
	return alloc_fail_at != 0 && alloc_count == alloc_fail_at;
}

void *kssp_malloc(size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *kssp_calloc(size_t count, size_t size)
{
	if (alloc_should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void kssp_mem_observe_frees(kssp_free_observer *fn, void *arg)
{
	free_observer = fn;
	free_observer_arg = fn ? arg : NULL;
}

/* The one place a block goes back to the C library. */
static void release(void *p)
{
	if (p && free_observer)
		free_observer(free_observer_arg, p, malloc_usable_size(p));
	free(p);
}

void kssp_free(void *p)
{
	release(p);
}

kssp_err kssp_array_reserve(void **array, size_t n, size_t *cap, size_t elem, size_t max,
    const char *what)
{
	size_t ncap;
	void *bigger;

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
	if (n)
		memcpy(bigger, *array, n * elem);
	kssp_free_secret(*array, *cap * elem);
	*array = bigger;
	*cap = ncap;
	return KSSP_OK;
}

void kssp_free_secret(void *p, size_t n)
{
	if (!p)
		return;
	kssp_memzero(p, n);
	release(p);
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

bool kssp_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= (uint8_t)(x[i] ^ y[i]);
	return acc == 0;
}
