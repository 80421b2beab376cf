/*
 * kdc/http_int.h - one HTTP/1.0 exchange (RFC 9112) over TCP or TLS, for
 * the KDC proxy and the public HTTP request of HTTP Negotiate (RFC 4559).
 *
 * The request is HTTP/1.0 so that the server answers with the body as it
 * is (no chunked transfer coding) and closes the connection after it.
 */
#ifndef KSSP_KDC_HTTP_INT_H
#define KSSP_KDC_HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "kdc/tls_int.h"

/* The largest HTTP answer read: 16 MiB. */
#define KSSP_HTTP_MAX ((size_t)16 << 20)

/*
 * Splits an HTTP/1.x answer (untrusted) of at most max bytes: the status
 * code, the head (status line and headers, head_len bytes from buf, its
 * last CRLF and the empty line not counted), then a body of
 * Content-Length bytes when the header is there, else the rest.
 */
kssp_err kssp_http_parse(const uint8_t *buf, size_t len, size_t max, unsigned *status,
    size_t *head_len, struct kssp_der_bytes *body);

struct kssp_http_answer {
	uint8_t *raw;                 /* the whole answer, kssp_malloc'd */
	size_t raw_len;
	unsigned status;
	size_t head_len;              /* the head at raw */
	struct kssp_der_bytes body;   /* inside raw */
	uint8_t end_point[KSSP_TLS_END_POINT_MAX]; /* https: RFC 5929 tls-server-end-point */
	size_t end_point_len;         /* 0 over plain HTTP */
};

/*
 * GET url ("http://host[:port]/path" or "https://..."), the request head
 * followed by headers (complete "Name: value\r\n" lines, may be NULL),
 * within timeout_ms.  https verifies the server against cafile (a PEM
 * file), else the system trust store.  Free out with kssp_http_answer_free.
 */
kssp_err kssp_http_fetch(const char *url, const char *cafile, const char *headers,
    int timeout_ms, struct kssp_http_answer *out);

void kssp_http_answer_free(struct kssp_http_answer *a);

#endif
