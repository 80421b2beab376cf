/*
 * sspi/secbuf_int.h - checking and finding SecBuffers in a SecBufferDesc.
 *
 * A SecBufferDesc comes from the caller: its version, count and every
 * buffer's pointer/length pair are checked before any buffer is touched.
 */
#ifndef KSSP_SSPI_SECBUF_INT_H
#define KSSP_SSPI_SECBUF_INT_H

#include <stddef.h>

#include "kssp/sspi.h"

/* Most buffers kssp reads in one descriptor. */
#define KSSP_SECBUF_MAX 64

/*
 * SEC_E_OK when d is a well-formed descriptor (version SECBUFFER_VERSION,
 * at most KSSP_SECBUF_MAX buffers, no NULL pointer with a non-zero
 * length); otherwise records why (naming fn and which) and returns
 * SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS kssp_secbuf_check(const SecBufferDesc *d, const char *fn, const char *which);

/* The first buffer of type (attribute bits ignored), else NULL. */
PSecBuffer kssp_secbuf_find(const SecBufferDesc *d, ULONG type);

/* A descriptor's buffers by type (attribute bits ignored), in order. */
struct kssp_secbuf_map {
	PSecBuffer token, padding, stream;  /* the first of each type, or NULL */
	PSecBuffer data[KSSP_SECBUF_MAX];   /* every SECBUFFER_DATA buffer */
	size_t ndata;
};

/*
 * kssp_secbuf_check and the map of d in the same pass over its buffers:
 * the per-message calls look at each buffer once.
 */
SECURITY_STATUS kssp_secbuf_map(const SecBufferDesc *d, const char *fn, const char *which,
    struct kssp_secbuf_map *m);

#endif
