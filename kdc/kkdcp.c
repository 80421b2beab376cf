/*
 * kdc/kkdcp.c - the KDC proxy transport: KDC-PROXY-MESSAGE (MS-KKDCP
 * §2.2.2) in an HTTP POST over TLS (kdc/tls_int.h).
 */
#include "kdc/kkdcp_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "kdc/http_int.h"
#include "kdc/tls_int.h"

#define MAX_ANCHORS 16

void kssp_kkdcp_encode(const char *realm, const uint8_t *req, size_t req_len,
    struct kssp_writer *w)
{
	struct kssp_der_bytes realm_bytes = { (const uint8_t *)realm, strlen(realm) };
	size_t seq, field, octets;

	seq = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	field = kssp_der_begin(w, KSSP_DER_CONTEXT, 0);
	/* kerb-message: the TCP framing of RFC 4120 §7.2.2 inside the OCTET STRING. */
	kssp_der_put_tag(w, KSSP_DER_UNIVERSAL, KSSP_DER_OCTET_STRING);
	octets = req_len > SIZE_MAX - 4 ? SIZE_MAX : req_len + 4;
	kssp_der_put_length(w, octets);
	kssp_writer_put_be32(w, (uint32_t)req_len);
	kssp_writer_put_bytes(w, req, req_len);
	kssp_der_end(w, field);
	/* target-domain: the realm the message is for (MS-KKDCP §3.1.5.1). */
	field = kssp_der_begin(w, KSSP_DER_CONTEXT, 1);
	kssp_der_put_kstring(w, &realm_bytes);
	kssp_der_end(w, field);
	kssp_der_end(w, seq);
}

/* The optional field [number] of KDC-PROXY-MESSAGE, when it is next: its one value. */
static kssp_err optional_field(struct kssp_cursor *seq, uint32_t number, uint32_t type,
    const char *what, struct kssp_der_elem *value)
{
	struct kssp_der_elem field;
	kssp_err e;

	value->der.data = NULL;
	if (!kssp_der_next_is(seq, KSSP_DER_CONTEXT, true, number))
		return KSSP_OK;
	if ((e = kssp_der_read_tag(seq, KSSP_DER_CONTEXT, true, number, what, &field)) ||
	    (e = kssp_der_read_tag(&field.content, KSSP_DER_UNIVERSAL, false, type, what, value)))
		return e;
	return kssp_cursor_expect_end(&field.content, what);
}

kssp_err kssp_kkdcp_decode(const uint8_t *buf, size_t len, struct kssp_der_bytes *msg)
{
	struct kssp_cursor c, framed;
	struct kssp_der_elem seq, value;
	struct kssp_der_bytes kerb;
	uint32_t n = 0;
	int32_t hint;
	kssp_err e;

	msg->data = NULL;
	msg->len = 0;
	kssp_cursor_init(&c, buf, len);
	if ((e = kssp_der_read_tag(&c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE,
	    "KDC-PROXY-MESSAGE", &seq)) || (e = kssp_cursor_expect_end(&c, "KDC-PROXY-MESSAGE")))
		return e;
	/* kerb-message is required; the other two are optional, and a reply need not carry them. */
	if (!kssp_der_next_is(&seq.content, KSSP_DER_CONTEXT, true, 0))
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "KDC-PROXY-MESSAGE: no kerb-message");
	if ((e = optional_field(&seq.content, 0, KSSP_DER_OCTET_STRING, "kerb-message", &value)) ||
	    (e = kssp_der_get_bytes(&value, "kerb-message", &kerb)) ||
	    (e = optional_field(&seq.content, 1, KSSP_DER_GENERAL_STRING, "target-domain", &value)) ||
	    (e = optional_field(&seq.content, 2, KSSP_DER_INTEGER, "dclocator-hint", &value)) ||
	    (value.der.data && (e = kssp_der_get_int32(&value, "dclocator-hint", &hint))) ||
	    (e = kssp_cursor_expect_end(&seq.content, "KDC-PROXY-MESSAGE")))
		return e;
	kssp_cursor_init(&framed, kerb.data, kerb.len);
	if (kssp_cursor_read_be32(&framed, &n) || n == 0 || n != kssp_cursor_remaining(&framed))
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "KDC-PROXY-MESSAGE: kerb-message of %zu bytes does not hold its framed length",
		    kerb.len);
	msg->data = kerb.data + 4;
	msg->len = n;
	return KSSP_OK;
}

kssp_err kssp_kkdcp_http_body(const uint8_t *buf, size_t len, struct kssp_der_bytes *body)
{
	unsigned status = 0;
	size_t head_len = 0;
	kssp_err e = kssp_http_parse(buf, len, KSSP_KKDCP_HTTP_MAX, &status, &head_len, body);
	const uint8_t *cr;
	size_t line;

	if (e || status == 200)
		return e;
	/* The status line: "HTTP/1.x " then the code and reason (kssp_http_parse checked it). */
	cr = memchr(buf, '\r', head_len);
	line = cr ? (size_t)(cr - buf) : head_len;
	return kssp_fail(KSSP_ERR_IO, "KDC proxy answered HTTP %.*s",
	    (int)(line - 9 > 64 ? 64 : line - 9), (const char *)buf + 9);
}

/* "POST /path HTTP/1.0" and MIT's headers (sendto_kdc.c), then the message. */
static void http_request(const struct kssp_kdc_server *srv, const uint8_t *body,
    size_t body_len, struct kssp_writer *w)
{
	char head[KSSP_KDC_PATH_MAX + KSSP_KDC_HOST_MAX + 256];
	bool v6 = strchr(srv->host, ':') != NULL;
	int n = snprintf(head, sizeof(head),
	    "POST /%s HTTP/1.0\r\nHost: %s%s%s:%u\r\nCache-Control: no-cache\r\n"
	    "Pragma: no-cache\r\nUser-Agent: kerberos/1.0\r\n"
	    "Content-type: application/kerberos\r\nContent-Length: %zu\r\n\r\n",
	    srv->path, v6 ? "[" : "", srv->host, v6 ? "]" : "", srv->port, body_len);

	if (n < 0 || (size_t)n >= sizeof(head)) {
		w->err = w->err ? w->err : KSSP_ERR_LIMIT;
		return;
	}
	kssp_writer_put_bytes(w, head, (size_t)n);
	kssp_writer_put_bytes(w, body, body_len);
}

/* The answer read whole, then unwrapped: HTTP, KDC-PROXY-MESSAGE, framing. */
static kssp_err read_reply(struct kssp_tls *t, int64_t until, uint8_t **reply,
    size_t *reply_len)
{
	struct kssp_writer in;
	struct kssp_der_bytes body = { NULL, 0 }, msg = { NULL, 0 };
	kssp_err e;

	kssp_writer_init_growable(&in, KSSP_KKDCP_HTTP_MAX);
	e = kssp_tls_read_all(t, &in, until);
	if (!e)
		e = kssp_kkdcp_http_body(in.buf, in.len, &body);
	if (!e)
		e = kssp_kkdcp_decode(body.data, body.len, &msg);
	if (!e && !(*reply = kssp_memdup(msg.data, msg.len)))
		e = kssp_fail(KSSP_ERR_NOMEM, "KDC proxy: out of memory");
	if (!e)
		*reply_len = msg.len;
	kssp_writer_free(&in);
	return e;
}

kssp_err kssp_kkdcp_usable(void)
{
	return kssp_tls_require();
}

kssp_err kssp_kkdcp_exchange(const struct kssp_config *cfg, int fd,
    const struct kssp_kdc_server *srv, const char *realm, const uint8_t *req, size_t req_len,
    int64_t until, uint8_t **reply, size_t *reply_len)
{
	const char *path[] = { "realms", realm, "http_anchors", NULL };
	const char *anchors[MAX_ANCHORS];
	size_t n_anchors = kssp_config_get_all(cfg, path, anchors, MAX_ANCHORS);
	struct kssp_writer body, out;
	struct kssp_tls *t = NULL;
	kssp_err e;

	if (n_anchors > MAX_ANCHORS)
		n_anchors = MAX_ANCHORS;
	kssp_writer_init_growable(&body, KSSP_KKDCP_HTTP_MAX);
	kssp_writer_init_growable(&out, KSSP_KKDCP_HTTP_MAX);
	kssp_kkdcp_encode(realm, req, req_len, &body);
	if (!kssp_writer_status(&body))
		http_request(srv, body.buf, body.len, &out);
	e = kssp_writer_status(&body) ? kssp_writer_status(&body) : kssp_writer_status(&out);
	if (e)
		e = kssp_fail(e, "KDC proxy: request of %zu bytes cannot be built", req_len);
	if (!e)
		e = kssp_tls_open(fd, srv->host, anchors, n_anchors, until, &t);
	if (!e)
		e = kssp_tls_write(t, out.buf, out.len, until);
	if (!e)
		e = read_reply(t, until, reply, reply_len);
	kssp_tls_close(t);
	kssp_writer_free(&body);
	kssp_writer_free(&out);
	return e;
}
