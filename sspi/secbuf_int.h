/*
 * sspi/secbuf_int.h - checking and finding SecBuffers in a SecBufferDesc.
 *
 * A SecBufferDesc comes from the caller: its version, count and every
 * buffer's pointer/length pair are checked before any buffer is touched.
 */
#ifndef KSSP_SSPI_SECBUF_INT_H
#define KSSP_SSPI_SECBUF_INT_H

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

/* The type of b without SECBUFFER_ATTRMASK bits. */
ULONG kssp_secbuf_type(const SecBuffer *b);

#endif
