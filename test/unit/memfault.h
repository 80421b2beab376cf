/*
 * test/unit/memfault.h - allocation-failure injection and a release
 * observer for test programs.
 *
 * A test program is linked with
 *     -Wl,--wrap=kssp_malloc,--wrap=kssp_calloc,--wrap=kssp_free,--wrap=kssp_free_secret
 * (the Makefile's UNIT_WRAP), so every call the library makes to them goes
 * through test/unit/memfault.c, which passes them on to base/mem.c's.  The
 * shipped library carries none of this.  Both controls are per thread.
 */
#ifndef KSSP_TEST_MEMFAULT_H
#define KSSP_TEST_MEMFAULT_H

#include <stddef.h>

/*
 * After kssp_alloc_fail_after(n), this thread's n-th following allocation
 * (kssp_malloc or kssp_calloc, counting from 1) returns NULL;
 * kssp_alloc_fail_after(0) turns injection off.  Returns how many
 * allocations this thread made since the last call.
 */
size_t kssp_alloc_fail_after(size_t n);

/*
 * Release observer, for tests that show secrets are gone before memory goes
 * back to the C library: after kssp_mem_observe_frees(fn, arg) this thread
 * calls fn(arg, p, n) for every block kssp_free or kssp_free_secret releases,
 * just before it is released (after kssp_free_secret zeroed it), with n the
 * block's usable size as the allocator reports it (malloc_usable_size; under
 * AddressSanitizer exactly the size asked for).  fn(NULL) turns it off.
 */
typedef void kssp_free_observer(void *arg, const void *p, size_t n);
void kssp_mem_observe_frees(kssp_free_observer *fn, void *arg);

/* The wrappers the linker substitutes; the __real_ ones are base/mem.c's. */
void *__wrap_kssp_malloc(size_t n);
void *__wrap_kssp_calloc(size_t count, size_t size);
void __wrap_kssp_free(void *p);
void __wrap_kssp_free_secret(void *p, size_t n);
void *__real_kssp_malloc(size_t n);
void *__real_kssp_calloc(size_t count, size_t size);
void __real_kssp_free(void *p);
void __real_kssp_free_secret(void *p, size_t n);

#endif
