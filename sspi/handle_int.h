/*
 * sspi/handle_int.h - the validated handle registry behind CredHandle and
 * CtxtHandle.
 *
 * A SecHandle never holds a pointer.  dwUpper carries a kind tag and a slot
 * number, dwLower the slot's generation, which changes every time the slot
 * is freed.  A zeroed, invalidated (all ones), forged or stale handle
 * therefore fails the lookup with SEC_E_INVALID_HANDLE instead of being
 * followed.  The registry is the only process-wide mutable state of kssp;
 * a lookup takes no lock (an atomic compare-and-swap on the slot), and
 * the free slots wait in per-thread stripes with a mutex each.  Each
 * object has its own mutex so that two threads using one context at once
 * (the caller's error) cannot corrupt it.
 *
 * Objects are reference counted (atomically): a lookup takes a reference,
 * so a handle freed by another thread while a call is running stays valid
 * memory until that call releases it.
 */
#ifndef KSSP_SSPI_HANDLE_INT_H
#define KSSP_SSPI_HANDLE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "kssp/kssp.h"

enum kssp_handle_kind {
	KSSP_HANDLE_CREDENTIAL = 0x43, /* 'C' */
	KSSP_HANDLE_CONTEXT = 0x58,    /* 'X' */
};

/* The first member of every object the registry holds. */
struct kssp_sspi_object {
	enum kssp_handle_kind kind;
	pthread_mutex_t lock;      /* serialises calls on this object */
	atomic_uint refs;          /* references: the registry's and the lookups' */
	uint32_t slot;             /* registry slot, while registered */
	void (*destroy)(struct kssp_sspi_object *obj); /* frees the whole object */
	/* The last failure on this handle, for SECPKG_ATTR_KSSP_LAST_ERROR. */
	SECURITY_STATUS last_status;
	char *last_reason;         /* kssp_malloc'd on the first failure; NULL: "" */
};

/* Most live handles at once; beyond it registration fails (no memory). */
#define KSSP_HANDLE_MAX ((uint32_t)1 << 20)

/*
 * Prepares obj (already allocated by its owner) with one reference owned
 * by the caller.  destroy runs when the last reference goes.
 */
kssp_err kssp_sspi_object_init(struct kssp_sspi_object *obj, enum kssp_handle_kind kind,
    void (*destroy)(struct kssp_sspi_object *obj));

/*
 * Registers obj and writes its handle to *out.  The registry takes its own
 * reference (dropped by kssp_sspi_handle_free).
 */
kssp_err kssp_sspi_handle_register(struct kssp_sspi_object *obj, SecHandle *out);

/*
 * Looks h up: on success *obj holds a new reference the caller drops with
 * kssp_sspi_object_put.  NULL, unknown, stale or wrong-kind handles give
 * KSSP_ERR_NOT_FOUND with a reason.
 */
kssp_err kssp_sspi_handle_get(const SecHandle *h, enum kssp_handle_kind kind,
    struct kssp_sspi_object **obj);

/*
 * The same for the span of one call, cheaper: h's slot stays pinned (the
 * registry's reference then keeps obj alive) until
 * kssp_sspi_handle_leave(obj), which the call makes before it returns.
 */
kssp_err kssp_sspi_handle_enter(const SecHandle *h, enum kssp_handle_kind kind,
    struct kssp_sspi_object **obj);
void kssp_sspi_handle_leave(struct kssp_sspi_object *obj);

/*
 * One more pin on the slot of obj, which the caller has entered: it keeps
 * obj alive as a reference does, past the handle's freeing, until its own
 * kssp_sspi_handle_leave.  What a context holds of its credential: threads
 * sharing the credential then write only the slot's word, which entering
 * wrote already, and not the object's reference count beside the fields
 * they read.
 */
void kssp_sspi_handle_pin_more(struct kssp_sspi_object *obj);

/*
 * Unregisters h (later lookups fail) and drops the registry's reference.
 * KSSP_ERR_NOT_FOUND when h is not a live handle of kind.
 */
kssp_err kssp_sspi_handle_free(const SecHandle *h, enum kssp_handle_kind kind);

void kssp_sspi_object_get(struct kssp_sspi_object *obj);
void kssp_sspi_object_put(struct kssp_sspi_object *obj);

/* Locks / unlocks obj's own mutex. */
void kssp_sspi_object_lock(struct kssp_sspi_object *obj);
void kssp_sspi_object_unlock(struct kssp_sspi_object *obj);

/* Copies this thread's last SSPI failure into obj (call with obj locked). */
void kssp_sspi_object_note(struct kssp_sspi_object *obj, SECURITY_STATUS status);

/* SECPKG_ATTR_KSSP_LAST_ERROR: obj's (locked) last failure, the reason in a context buffer. */
SECURITY_STATUS kssp_sspi_object_last_error(const struct kssp_sspi_object *obj,
    PKSSP_LAST_ERROR out);

/* Number of live handles, for tests: counted over the whole table. */
uint32_t kssp_sspi_handle_count(void);

/*
 * Context buffers: memory the package hands to the caller (ALLOCATE_MEMORY
 * tokens, SecPkgInfo, attribute strings, session keys), released with
 * FreeContextBuffer.  Each is recorded under a mutex of its own so that
 * FreeContextBuffer can refuse a pointer kssp did not hand out (or already
 * took back) without touching its memory; every buffer is zeroed when
 * freed, since some carry keys.
 */

/* n zeroed bytes, or NULL (with a recorded reason). */
void *kssp_sspi_buffer_alloc(size_t n);

/* A copy of text in a context buffer, UTF-8 or (wide) UTF-16, in *out (NULL on failure). */
SECURITY_STATUS kssp_sspi_buffer_string(const char *text, int wide, void **out);

/* Zeroes and frees p; KSSP_ERR_NOT_FOUND when kssp did not hand p out. */
kssp_err kssp_sspi_buffer_free(void *p);

/* Number of outstanding context buffers, for tests. */
size_t kssp_sspi_buffer_count(void);

#endif
