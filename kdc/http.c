/*
 * kdc/http.c - one HTTP/1.0 GET over TCP or TLS, and the reader of HTTP
 * answers (RFC 9112) that it and the KDC proxy share.
 */
#include "kdc/http_int.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base.h"
#include "kdc/locate_int.h"
#include "kdc/transport_int.h"

/* The next line of an HTTP head, without its CRLF; fails past the head's end. */
static kssp_err http_line(struct kssp_cursor *c, const char **line, size_t *n)
{
	const uint8_t *start = NULL;
	size_t rest = kssp_cursor_remaining(c), i;

	if (kssp_cursor_take(c, 0, &start))
		return kssp_cursor_status(c);
	for (i = 0; i + 1 < rest; i++)
		if (start[i] == '\r' && start[i + 1] == '\n') {
			*line = (const char *)start;
			*n = i;
			return kssp_cursor_skip(c, i + 2);
		}
	return kssp_fail(KSSP_ERR_TRUNCATED, "HTTP answer ends inside its head");
}

static bool header_is(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n > k && strncasecmp(line, name, k) == 0 && line[k] == ':';
}

/* A decimal Content-Length, at most max; false when it is not one. */
static bool parse_length(const char *p, size_t n, size_t max, size_t *out)
{
	size_t v = 0, i = 0, digits = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++) {
		v = v * 10 + (size_t)(p[i] - '0');
		if (v > max)
			return false;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	*out = v;
	return digits > 0 && i == n;
}

kssp_err kssp_http_parse(const uint8_t *buf, size_t len, size_t max, unsigned *status,
    size_t *head_len, struct kssp_der_bytes *body)
{
	struct kssp_cursor c;
	const char *line = NULL;
	size_t n = 0, content_length = 0;
	bool have_length = false;
	kssp_err e;

	kssp_cursor_init(&c, buf, len);
	if ((e = http_line(&c, &line, &n)))
		return e;
	/* RFC 9112 §4: "HTTP/1.x NNN reason". */
	if (n < 12 || strncmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ' || line[12] != ' ' ||
	    line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' ||
	    line[11] < '0' || line[11] > '9')
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "not an HTTP/1.x answer");
	*status = (unsigned)((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
	for (;;) {
		*head_len = (size_t)((const uint8_t *)line + n - buf);
		if ((e = http_line(&c, &line, &n)))
			return e;
		if (n == 0)
			break;
		if (header_is(line, n, "Content-Length")) {
			if (have_length || !parse_length(line + 15, n - 15, max, &content_length))
				return kssp_fail(KSSP_ERR_BAD_ENCODING,
				    "HTTP answer: bad or repeated Content-Length");
			have_length = true;
		}
		/* RFC 9112 §6.1: an HTTP/1.0 request is never answered with a coding. */
		if (header_is(line, n, "Transfer-Encoding"))
			return kssp_fail(KSSP_ERR_UNSUPPORTED,
			    "HTTP answer: a Transfer-Encoding to an HTTP/1.0 request");
	}
	if (have_length && content_length != kssp_cursor_remaining(&c))
		return kssp_fail(KSSP_ERR_TRUNCATED,
		    "HTTP answer: body of %zu bytes where Content-Length says %zu",
		    kssp_cursor_remaining(&c), content_length);
	body->len = kssp_cursor_remaining(&c);
	return kssp_cursor_take(&c, body->len, &body->data);
}

/* A non-blocking TCP connection to srv's first address that answers. */
static kssp_err tcp_open(const struct kssp_kdc_server *srv, int64_t until, int *out)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8];
	int rc, err = ETIMEDOUT;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", srv->port);
	if ((rc = getaddrinfo(srv->host, port, &hints, &res)) != 0)
		return kssp_fail(KSSP_ERR_IO, "HTTP: %s: %s", srv->host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		socklen_t len = sizeof(err);

		if (fd < 0) {
			err = errno;
			continue;
		}
		err = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
		/* Non-blocking: wait for the connection, then read how it ended. */
		if (err == EINPROGRESS || err == EINTR) {
			if (kssp_transport_wait(fd, POLLOUT, until) <= 0)
				err = ETIMEDOUT;
			else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
				err = errno;
		}
		if (err == 0) {
			freeaddrinfo(res);
			*out = fd;
			return KSSP_OK;
		}
		close(fd);
	}
	freeaddrinfo(res);
	return kssp_fail(err == ETIMEDOUT ? KSSP_ERR_TIMEOUT : KSSP_ERR_IO,
	    "HTTP: cannot connect to %s:%u: %s", srv->host, srv->port, strerror(err));
}

static kssp_err tcp_write(int fd, const uint8_t *buf, size_t len, int64_t until)
{
	size_t done = 0;

	while (done < len) {
		ssize_t k = send(fd, buf + done, len - done, MSG_NOSIGNAL);

		if (k > 0)
			done += (size_t)k;
		else if (k < 0 && errno != EAGAIN && errno != EINTR)
			return kssp_fail(KSSP_ERR_IO, "HTTP: send: %s", strerror(errno));
		else if (kssp_transport_wait(fd, POLLOUT, until) <= 0)
			return kssp_fail(KSSP_ERR_TIMEOUT, "HTTP: send: no progress in time");
	}
	return KSSP_OK;
}

/* Everything the server sends until it closes the connection. */
static kssp_err tcp_read_all(int fd, struct kssp_writer *w, int64_t until)
{
	uint8_t buf[4096];

	for (;;) {
		ssize_t k = recv(fd, buf, sizeof(buf), 0);

		if (k == 0)
			return KSSP_OK;
		if (k > 0) {
			kssp_writer_put_bytes(w, buf, (size_t)k);
			if (kssp_writer_status(w))
				return kssp_fail(KSSP_ERR_LIMIT, "HTTP: the answer is larger than %zu bytes",
				    w->max);
		} else if (errno != EAGAIN && errno != EINTR) {
			return kssp_fail(KSSP_ERR_IO, "HTTP: receive: %s", strerror(errno));
		} else if (kssp_transport_wait(fd, POLLIN, until) <= 0) {
			return kssp_fail(KSSP_ERR_TIMEOUT, "HTTP: no answer in time");
		}
	}
}

/* "GET /path HTTP/1.0", Host, then the caller's header lines. */
static void get_request(const struct kssp_kdc_server *srv, const char *headers,
    struct kssp_writer *w)
{
	char head[KSSP_KDC_PATH_MAX + KSSP_KDC_HOST_MAX + 128];
	bool v6 = strchr(srv->host, ':') != NULL;
	int n = snprintf(head, sizeof(head),
	    "GET /%s HTTP/1.0\r\nHost: %s%s%s:%u\r\nUser-Agent: kssp\r\nAccept: */*\r\n",
	    srv->path, v6 ? "[" : "", srv->host, v6 ? "]" : "", srv->port);

	size_t hl = headers ? strlen(headers) : 0;

	/* Whole header lines only: an empty line would end the head early. */
	if (n < 0 || (size_t)n >= sizeof(head) || (hl > 0 && (hl < 2 ||
	    strcmp(headers + hl - 2, "\r\n") != 0 || strstr(headers, "\r\n\r\n") != NULL))) {
		w->err = w->err ? w->err : KSSP_ERR_INVALID_ARG;
		return;
	}
	kssp_writer_put_bytes(w, head, (size_t)n);
	kssp_writer_put_bytes(w, headers ? headers : "", hl);
	kssp_writer_put_bytes(w, "\r\n", 2);
}

/* The request sent and the answer read over fd, through TLS on https. */
static kssp_err exchange(const struct kssp_kdc_server *srv, int fd, const char *cafile,
    const struct kssp_writer *req, int64_t until, struct kssp_writer *in,
    struct kssp_http_answer *out)
{
	const char *anchors[1];
	char anchor[4096];
	struct kssp_tls *t = NULL;
	kssp_err e;

	if (srv->proto != KSSP_KDC_PROTO_HTTPS) {
		e = tcp_write(fd, req->buf, req->len, until);
		return e ? e : tcp_read_all(fd, in, until);
	}
	if (cafile != NULL && (size_t)snprintf(anchor, sizeof(anchor), "FILE:%s", cafile) >=
	    sizeof(anchor))
		return kssp_fail(KSSP_ERR_LIMIT, "HTTP: CA file name too long");
	anchors[0] = anchor;
	e = kssp_tls_open(fd, srv->host, anchors, cafile != NULL, until, &t);
	if (!e)
		e = kssp_tls_end_point(t, out->end_point, &out->end_point_len);
	if (!e)
		e = kssp_tls_write(t, req->buf, req->len, until);
	if (!e)
		e = kssp_tls_read_all(t, in, until);
	kssp_tls_close(t);
	return e;
}

kssp_err kssp_http_fetch(const char *url, const char *cafile, const char *headers,
    int timeout_ms, struct kssp_http_answer *out)
{
	int64_t until = kssp_transport_now_ms() + timeout_ms;
	struct kssp_kdc_server srv;
	struct kssp_writer req, in;
	int fd = -1;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	if (kssp_locate_parse_url(url, &srv))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "HTTP: '%s' is not an http:// or https:// URL with a host and a valid port", url);
	if (srv.proto == KSSP_KDC_PROTO_HTTPS && (e = kssp_tls_require()))
		return e;
	kssp_writer_init_growable(&req, 0);
	kssp_writer_init_growable(&in, KSSP_HTTP_MAX);
	get_request(&srv, headers, &req);
	if ((e = kssp_writer_status(&req)))
		e = kssp_fail(e, "HTTP: the request to %s cannot be built (a bad header?)", url);
	if (!e)
		e = tcp_open(&srv, until, &fd);
	if (!e)
		e = exchange(&srv, fd, cafile, &req, until, &in, out);
	if (fd >= 0)
		close(fd);
	if (!e)
		e = kssp_http_parse(in.buf, in.len, KSSP_HTTP_MAX, &out->status, &out->head_len,
		    &out->body);
	if (!e)
		e = kssp_writer_detach(&in, &out->raw, &out->raw_len);
	kssp_writer_free(&req);
	kssp_writer_free(&in);
	if (e)
		kssp_http_answer_free(out);
	return e;
}

void kssp_http_answer_free(struct kssp_http_answer *a)
{
	free(a->raw);
	memset(a, 0, sizeof(*a));
}
