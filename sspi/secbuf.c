/* sspi/secbuf.c - SecBufferDesc validation and lookup. */
#include "sspi/secbuf_int.h"

#include <stddef.h>

#include "sspi/status_int.h"

SECURITY_STATUS kssp_secbuf_check(const SecBufferDesc *d, const char *fn, const char *which)
{
	ULONG i;

	if (d->ulVersion != SECBUFFER_VERSION)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s ulVersion is %lu, not SECBUFFER_VERSION",
		    fn, which, (unsigned long)d->ulVersion);
	if (d->cBuffers > KSSP_SECBUF_MAX)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s has %lu buffers, more than %d",
		    fn, which, (unsigned long)d->cBuffers, KSSP_SECBUF_MAX);
	if (d->cBuffers != 0 && d->pBuffers == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s has %lu buffers but pBuffers is NULL",
		    fn, which, (unsigned long)d->cBuffers);
	for (i = 0; i < d->cBuffers; i++)
		if (d->pBuffers[i].pvBuffer == NULL && d->pBuffers[i].cbBuffer != 0)
			return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
			    "%s: %s buffer %lu has %lu bytes at a NULL pointer", fn, which,
			    (unsigned long)i, (unsigned long)d->pBuffers[i].cbBuffer);
	return SEC_E_OK;
}

ULONG kssp_secbuf_type(const SecBuffer *b)
{
	return b->BufferType & ~(ULONG)SECBUFFER_ATTRMASK;
}

PSecBuffer kssp_secbuf_find(const SecBufferDesc *d, ULONG type)
{
	ULONG i;

	for (i = 0; i < d->cBuffers; i++)
		if (kssp_secbuf_type(&d->pBuffers[i]) == type)
			return &d->pBuffers[i];
	return NULL;
}
