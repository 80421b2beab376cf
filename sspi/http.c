/*
 * sspi/http.c - kssp_http_get: one HTTP(S) GET through kdc/ (the only
 * layer with sockets and TLS), handed out in the public API's types so
 * that HTTP Negotiate (RFC 4559) needs nothing but the public headers.
 */
#include <stdint.h>
#include <string.h>

#include "base/base.h"
#include "kdc/kdc.h"
#include "sspi/sspi.h"

/* Enough for a slow server on loopback or a LAN; the call has no time argument. */
#define HTTP_TIMEOUT_MS 30000

/* The answer's parts copied into the response: the head as a string, the body. */
static kssp_err fill(const struct kssp_http_answer *a, PKSSP_HTTP_RESPONSE r)
{
	if (a->head_len > UINT32_MAX - 1 || a->body.len > UINT32_MAX ||
	    a->end_point_len > sizeof(r->EndPoint))
		return kssp_fail(KSSP_ERR_LIMIT, "HTTP: the answer is too large");
	r->Head = kssp_malloc(a->head_len + 1);
	r->Body = kssp_malloc(a->body.len + 1);
	if (r->Head == NULL || r->Body == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "HTTP: out of memory");
	memcpy(r->Head, a->raw, a->head_len);
	r->Head[a->head_len] = '\0';
	if (a->body.len > 0)
		memcpy(r->Body, a->body.data, a->body.len);
	r->BodyLength = (ULONG)a->body.len;
	r->Status = a->status;
	memcpy(r->EndPoint, a->end_point, a->end_point_len);
	r->EndPointLength = (ULONG)a->end_point_len;
	return KSSP_OK;
}

SECURITY_STATUS kssp_http_get(const char *pszUrl, const char *pszCaFile,
    const char *pszHeaders, PKSSP_HTTP_RESPONSE pResponse)
{
	struct kssp_http_answer a;
	kssp_err e;

	if (pResponse == NULL || pszUrl == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "kssp_http_get: no URL or response");
	memset(pResponse, 0, sizeof(*pResponse));
	e = kssp_http_fetch(pszUrl, pszCaFile, pszHeaders, HTTP_TIMEOUT_MS, &a);
	if (!e) {
		e = fill(&a, pResponse);
		kssp_http_answer_free(&a);
	}
	if (e)
		kssp_http_response_free(pResponse);
	return kssp_sspi_result_of(e, e == KSSP_ERR_UNSUPPORTED ? SEC_E_UNSUPPORTED_FUNCTION :
	    e == KSSP_ERR_INVALID_ARG ? SEC_E_INVALID_PARAMETER : SEC_E_INTERNAL_ERROR);
}

void kssp_http_response_free(PKSSP_HTTP_RESPONSE pResponse)
{
	if (pResponse == NULL)
		return;
	kssp_free(pResponse->Head);
	kssp_free(pResponse->Body);
	memset(pResponse, 0, sizeof(*pResponse));
}
