/* sspi/secbuf.c - SecBufferDesc validation and lookup. */
#include "sspi/secbuf_int.h"

#include <stddef.h>

#include "sspi/status_int.h"

/* The type of b without SECBUFFER_ATTRMASK bits. */
static ULONG secbuf_type(const SecBuffer *b)
{
	return b->BufferType & ~(ULONG)SECBUFFER_ATTRMASK;
}

SECURITY_STATUS kssp_secbuf_map(const SecBufferDesc *d, const char *fn, const char *which,
    struct kssp_secbuf_map *m)
{
	PSecBuffer b;
	ULONG i;

	m->token = m->padding = m->stream = NULL;
	m->ndata = 0;
	if (d->ulVersion != SECBUFFER_VERSION)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s ulVersion is %lu, not SECBUFFER_VERSION",
		    fn, which, (unsigned long)d->ulVersion);
	if (d->cBuffers > KSSP_SECBUF_MAX)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s has %lu buffers, more than %d",
		    fn, which, (unsigned long)d->cBuffers, KSSP_SECBUF_MAX);
	if (d->cBuffers != 0 && d->pBuffers == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: %s has %lu buffers but pBuffers is NULL",
		    fn, which, (unsigned long)d->cBuffers);
	for (i = 0; i < d->cBuffers; i++) {
		b = &d->pBuffers[i];
		if (b->pvBuffer == NULL && b->cbBuffer != 0)
			return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
			    "%s: %s buffer %lu has %lu bytes at a NULL pointer", fn, which,
			    (unsigned long)i, (unsigned long)b->cbBuffer);
		switch (secbuf_type(b)) {
		case SECBUFFER_DATA:
			m->data[m->ndata++] = b;
			break;
		case SECBUFFER_TOKEN:
			if (m->token == NULL)
				m->token = b;
			break;
		case SECBUFFER_PADDING:
			if (m->padding == NULL)
				m->padding = b;
			break;
		case SECBUFFER_STREAM:
			if (m->stream == NULL)
				m->stream = b;
			break;
		default:
			break;
		}
	}
	return SEC_E_OK;
}

SECURITY_STATUS kssp_secbuf_check(const SecBufferDesc *d, const char *fn, const char *which)
{
	struct kssp_secbuf_map m;

	return kssp_secbuf_map(d, fn, which, &m);
}

PSecBuffer kssp_secbuf_find(const SecBufferDesc *d, ULONG type)
{
	ULONG i;

	for (i = 0; i < d->cBuffers; i++)
		if (secbuf_type(&d->pBuffers[i]) == type)
			return &d->pBuffers[i];
	return NULL;
}
