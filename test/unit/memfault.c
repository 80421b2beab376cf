/* test/unit/memfault.c - the per-thread allocation shim (see memfault.h). */
#include "memfault.h"

#include <malloc.h>
#include <stdbool.h>

#include "base/mem_int.h"

/* Per-thread state: never shared, so no lock is needed. */
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

void *__wrap_kssp_malloc(size_t n)
{
	return alloc_should_fail() ? NULL : __real_kssp_malloc(n);
}

void *__wrap_kssp_calloc(size_t count, size_t size)
{
	return alloc_should_fail() ? NULL : __real_kssp_calloc(count, size);
}

void kssp_mem_observe_frees(kssp_free_observer *fn, void *arg)
{
	free_observer = fn;
	free_observer_arg = fn ? arg : NULL;
}

static void observe(void *p)
{
	if (p && free_observer)
		free_observer(free_observer_arg, p, malloc_usable_size(p));
}

void __wrap_kssp_free(void *p)
{
	observe(p);
	__real_kssp_free(p);
}

void __wrap_kssp_free_secret(void *p, size_t n)
{
	if (!p)
		return;
	kssp_memzero(p, n);
	observe(p);
	__real_kssp_free_secret(p, n);
}
