/*
 * kdc/transport.c - the network transport: UDP and TCP to the KDCs of a
 * realm, with MIT's pass-and-wait schedule, failover and bounds.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "kdc/transport_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "kdc/kkdcp_int.h"
#include "kdc/locate_int.h"

#define MAX_PASS 3
#define MAX_ADDRS 64
#define UDP_REPLY_MAX 65536

enum { PROTO_UDP = 1, PROTO_TCP = 2, PROTO_HTTPS = 3 };

struct addr {
	struct sockaddr_storage sa;
	socklen_t sa_len;
	int proto;
	int fd;              /* UDP socket, kept open across passes; -1: none */
	bool dead;           /* refused or unusable: skip from now on */
	const struct kssp_kdc_server *srv; /* PROTO_HTTPS: the proxy's URL */
	char label[KSSP_KDC_HOST_MAX + 16];
};

struct send_state {
	const struct kssp_config *cfg;
	const struct kssp_hooks *h;
	const char *realm;
	const uint8_t *req;
	size_t req_len;
	struct addr a[MAX_ADDRS];
	size_t n;
	int64_t deadline_ms;
	bool too_big;        /* a UDP reply said KRB_ERR_RESPONSE_TOO_BIG */
	bool kpasswd;        /* RFC 3244 frames are the replies expected */
	char last[400];      /* why the last attempt failed, for the final reason */
};

int64_t kssp_transport_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(const struct send_state *s, int64_t cap)
{
	int64_t left = s->deadline_ms - kssp_transport_now_ms();

	if (left < 0)
		left = 0;
	return (int)(left < cap ? left : cap);
}

static const char *proto_name(int proto)
{
	return proto == PROTO_HTTPS ? "HTTPS" : proto == PROTO_TCP ? "TCP" : "UDP";
}

/* ---- a first look at a reply (RFC 4120 §5.9.1 KRB-ERROR) ------------- */

int kssp_transport_reply_type(const uint8_t *msg, size_t len, int32_t *error_code)
{
	struct kssp_cursor c;
	struct kssp_der_elem rep, seq, field, code;

	kssp_cursor_init(&c, msg, len);
	if (kssp_der_read_any(&c, &rep) || !kssp_cursor_at_end(&c) ||
	    rep.tag.cls != KSSP_DER_APPLICATION || !rep.tag.constructed)
		return 0;
	if (rep.tag.number == KSSP_KRB5_AS_REP || rep.tag.number == KSSP_KRB5_TGS_REP)
		return (int)rep.tag.number;
	if (rep.tag.number != KSSP_KRB5_ERROR || kssp_der_read_tag(&rep.content,
	    KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, "KRB-ERROR", &seq))
		return 0;
	*error_code = 0;
	/* error-code [6] Int32; the fields before it are skipped unread. */
	while (!kssp_der_read_any(&seq.content, &field))
		if (field.tag.cls == KSSP_DER_CONTEXT && field.tag.number == 6)
			return kssp_der_read_tag(&field.content, KSSP_DER_UNIVERSAL, false,
			    KSSP_DER_INTEGER, "error-code", &code) ||
			    kssp_der_get_int32(&code, "error-code", error_code) ? 0 : KSSP_KRB5_ERROR;
	return 0;
}

/* RFC 3244 §2: message length (the whole), version 1 or 0xFF80, AP-REP length. */
static bool is_kpasswd_frame(const uint8_t *msg, size_t len)
{
	struct kssp_cursor c;
	uint16_t total = 0, version = 0;

	kssp_cursor_init(&c, msg, len);
	return len >= 6 && !kssp_cursor_read_be16(&c, &total) && total == len &&
	    !kssp_cursor_read_be16(&c, &version) && (version == 1 || version == 0xff80);
}

/* ---- addresses ------------------------------------------------------- */

static void add_addrs(struct send_state *s, const struct kssp_kdc_server *srv, int proto)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = proto == PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", srv->port);
	rc = getaddrinfo(srv->host, port, &hints, &res);
	if (rc != 0) {
		snprintf(s->last, sizeof(s->last), "%s: %s", srv->host, gai_strerror(rc));
		kssp_trace(s->h, "transport: cannot resolve %s: %s", srv->host, gai_strerror(rc));
		return;
	}
	for (ai = res; ai && s->n < MAX_ADDRS; ai = ai->ai_next) {
		struct addr *a = &s->a[s->n];
		char host[INET6_ADDRSTRLEN];

		if (ai->ai_addrlen > sizeof(a->sa))
			continue;
		memset(a, 0, sizeof(*a));
		memcpy(&a->sa, ai->ai_addr, ai->ai_addrlen);
		a->sa_len = ai->ai_addrlen;
		a->proto = proto;
		a->fd = -1;
		a->srv = srv;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), NULL, 0,
		    NI_NUMERICHOST) != 0)
			snprintf(host, sizeof(host), "?");
		snprintf(a->label, sizeof(a->label), ai->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		    host, srv->port);
		s->n++;
	}
	freeaddrinfo(res);
}

/*
 * Every server's preferred transport first, then every server's other one
 * (MIT k5_sendto); servers pinned to a transport keep it.  A KDC proxy has
 * only HTTPS, taken in the first part.
 */
static void build_addrs(struct send_state *s, const struct kssp_kdc_servers *l, bool prefer_tcp,
    bool tcp_only)
{
	int order[2] = { prefer_tcp ? PROTO_TCP : PROTO_UDP, prefer_tcp ? PROTO_UDP : PROTO_TCP };
	size_t part, i;

	for (part = 0; part < 2; part++) {
		if (tcp_only && order[part] == PROTO_UDP)
			continue;
		for (i = 0; i < l->n; i++) {
			int pinned = l->v[i].proto == KSSP_KDC_PROTO_TCP ? PROTO_TCP :
			    l->v[i].proto == KSSP_KDC_PROTO_UDP ? PROTO_UDP : 0;

			if (l->v[i].proto == KSSP_KDC_PROTO_HTTPS) {
				if (part == 0)
					add_addrs(s, &l->v[i], PROTO_HTTPS);
				continue;
			}
			if (pinned && pinned != order[part])
				continue;
			add_addrs(s, &l->v[i], order[part]);
		}
	}
}

static void close_all(struct send_state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->a[i].fd >= 0) {
			close(s->a[i].fd);
			s->a[i].fd = -1;
		}
}

static void attempt_failed(struct send_state *s, struct addr *a, const char *why)
{
	snprintf(s->last, sizeof(s->last), "%s %s: %s", a->label, proto_name(a->proto), why);
	kssp_trace(s->h, "transport: %s %s: %s", a->label, proto_name(a->proto), why);
}

/* A UDP address that failed for good: its socket closed, not asked again. */
static void udp_give_up(struct send_state *s, struct addr *a, const char *why)
{
	attempt_failed(s, a, why);
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	a->dead = true;
}

/*
 * Judges a reply: true to hand it up; false to keep waiting for another
 * KDC (garbage, KDC_ERR_SVC_UNAVAILABLE, or RESPONSE_TOO_BIG over UDP).
 */
static bool accept_reply(struct send_state *s, struct addr *a, const uint8_t *msg, size_t len)
{
	int32_t code = 0;
	int type = kssp_transport_reply_type(msg, len, &code);

	if (s->kpasswd && type == 0 && is_kpasswd_frame(msg, len)) {
		kssp_trace(s->h, "transport: %zu bytes from %s over %s: kpasswd reply", len, a->label,
		    proto_name(a->proto));
		return true;
	}
	if (type == 0) {
		attempt_failed(s, a, "reply is not a Kerberos message; ignored");
		return false;
	}
	if (type == KSSP_KRB5_ERROR) {
		kssp_trace(s->h, "transport: %zu bytes from %s over %s: KRB-ERROR %s (%d)", len,
		    a->label, proto_name(a->proto), kssp_err_name((kssp_err)code), (int)code);
		if (code == KRB_ERR_RESPONSE_TOO_BIG && a->proto == PROTO_UDP) {
			s->too_big = true;
			return false;
		}
		if (code == KDC_ERR_SVC_UNAVAILABLE) {
			attempt_failed(s, a, "KDC_ERR_SVC_UNAVAILABLE");
			a->dead = true;
			return false;
		}
		return true;
	}
	kssp_trace(s->h, "transport: %zu bytes from %s over %s: %s", len, a->label,
	    proto_name(a->proto), type == KSSP_KRB5_AS_REP ? "AS-REP" : "TGS-REP");
	return true;
}

/* ---- UDP ------------------------------------------------------------- */

static void udp_send(struct send_state *s, struct addr *a)
{
	ssize_t n;

	if (a->fd < 0) {
		a->fd = socket(a->sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		/* Connected: the kernel now drops datagrams from any other source. */
		if (a->fd < 0 || connect(a->fd, (struct sockaddr *)&a->sa, a->sa_len) != 0) {
			udp_give_up(s, a, strerror(errno));
			return;
		}
	}
	kssp_trace(s->h, "transport: sending %zu bytes to %s over UDP", s->req_len, a->label);
	snprintf(s->last, sizeof(s->last), "%s UDP: no reply", a->label);
	do
		n = send(a->fd, s->req, s->req_len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != s->req_len)
		udp_give_up(s, a, n < 0 ? strerror(errno) : "short send");
}

static bool same_address(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET) {
		const struct sockaddr_in *p = (const void *)x, *q = (const void *)y;

		return p->sin_port == q->sin_port && p->sin_addr.s_addr == q->sin_addr.s_addr;
	}
	if (x->ss_family == AF_INET6) {
		const struct sockaddr_in6 *p = (const void *)x, *q = (const void *)y;

		return p->sin6_port == q->sin6_port &&
		    memcmp(&p->sin6_addr, &q->sin6_addr, sizeof(p->sin6_addr)) == 0;
	}
	return false;
}

/* Reads one datagram from a; true with the reply when it is one to keep. */
static bool udp_receive(struct send_state *s, struct addr *a, uint8_t *buf, size_t *len)
{
	struct sockaddr_storage from = { 0 };
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(a->fd, buf, UDP_REPLY_MAX, MSG_TRUNC, (struct sockaddr *)&from,
	    &from_len);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			udp_give_up(s, a, strerror(errno));
		return false;
	}
	if (!same_address(&from, &a->sa)) {
		attempt_failed(s, a, "datagram from another address ignored");
		return false;
	}
	if (n == 0 || (size_t)n > UDP_REPLY_MAX) {
		attempt_failed(s, a, n == 0 ? "empty datagram ignored" : "datagram too large");
		return false;
	}
	*len = (size_t)n;
	return accept_reply(s, a, buf, *len);
}

/* Waits up to wait_ms on every open UDP socket; true with a reply. */
static bool udp_wait(struct send_state *s, int wait_ms, uint8_t *buf, size_t *len)
{
	int64_t until = kssp_transport_now_ms() + wait_ms;

	for (;;) {
		struct pollfd p[MAX_ADDRS];
		size_t idx[MAX_ADDRS], np = 0, i;
		int left = (int)(until - kssp_transport_now_ms()), rc;

		if (left > remaining_ms(s, left))
			left = remaining_ms(s, left);
		for (i = 0; i < s->n; i++)
			if (s->a[i].fd >= 0 && s->a[i].proto == PROTO_UDP) {
				p[np].fd = s->a[i].fd;
				p[np].events = POLLIN;
				p[np].revents = 0;
				idx[np++] = i;
			}
		if (np == 0) {
			if (left > 0)
				poll(NULL, 0, left);
			return false;
		}
		if (left <= 0)
			left = 0;
		rc = poll(p, np, left);
		if (rc < 0 && errno != EINTR)
			return false;
		for (i = 0; rc > 0 && i < np; i++)
			if (p[i].revents && udp_receive(s, &s->a[idx[i]], buf, len))
				return true;
		if (left == 0)
			return false;
	}
}

/* ---- TCP (RFC 4120 §7.2.2) ------------------------------------------- */

int kssp_transport_wait(int fd, short events, int64_t until)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		int64_t left = until - kssp_transport_now_ms();
		int rc;

		if (left <= 0)
			return 0;
		rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/* Writes or reads exactly n bytes before until; false with errno set. */
static bool tcp_io(int fd, uint8_t *buf, size_t n, bool writing, int64_t until, bool *eof)
{
	size_t done = 0;

	*eof = false;
	while (done < n) {
		ssize_t k;

		if (kssp_transport_wait(fd, writing ? POLLOUT : POLLIN, until) <= 0) {
			errno = ETIMEDOUT;
			return false;
		}
		k = writing ? send(fd, buf + done, n - done, MSG_NOSIGNAL)
		            : recv(fd, buf + done, n - done, 0);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0) {
			*eof = k == 0;
			return false;
		}
		done += (size_t)k;
	}
	return true;
}

static int tcp_connect(struct send_state *s, struct addr *a, int64_t until)
{
	int fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), err = 0;
	socklen_t err_len = sizeof(err);

	if (fd < 0) {
		attempt_failed(s, a, strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&a->sa, a->sa_len) != 0) {
		/* POSIX connect(2): after EINTR the connection goes on being made. */
		/* NOLINTNEXTLINE(bugprone-branch-clone): each branch keeps the errno of its own failed call */
		if (errno != EINPROGRESS && errno != EINTR) {
			err = errno;
		} else if (kssp_transport_wait(fd, POLLOUT, until) <= 0) {
			err = ETIMEDOUT;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0) {
			err = errno;
		}
	}
	if (err) {
		attempt_failed(s, a, strerror(err));
		if (err != ETIMEDOUT)
			a->dead = true;
		close(fd);
		return -1;
	}
	return fd;
}

/* One TCP exchange with a, waiting at most wait_ms; true with a message (not yet judged). */
static bool tcp_exchange(struct send_state *s, struct addr *a, int wait_ms, uint8_t **msg,
    size_t *len)
{
	int64_t until = kssp_transport_now_ms() + remaining_ms(s, wait_ms);
	uint8_t hdr[4];
	uint32_t n;
	bool eof;
	int fd;

	kssp_trace(s->h, "transport: sending %zu bytes to %s over TCP", s->req_len, a->label);
	fd = tcp_connect(s, a, until);
	if (fd < 0)
		return false;
	hdr[0] = (uint8_t)(s->req_len >> 24);
	hdr[1] = (uint8_t)(s->req_len >> 16);
	hdr[2] = (uint8_t)(s->req_len >> 8);
	hdr[3] = (uint8_t)s->req_len;
	if (!tcp_io(fd, hdr, 4, true, until, &eof) ||
	    !tcp_io(fd, (uint8_t *)s->req, s->req_len, true, until, &eof)) {
		attempt_failed(s, a, strerror(errno));
		goto fail;
	}
	if (!tcp_io(fd, hdr, 4, false, until, &eof)) {
		attempt_failed(s, a, eof ? "connection closed before a reply" :
		    errno == ETIMEDOUT ? "no reply in time" : strerror(errno));
		/* A KDC that hung up is not asked again in a later pass (MIT resends on UDP only). */
		a->dead = a->dead || eof;
		goto fail;
	}
	n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	/* RFC 4120 §7.2.2: the high bit is reserved; MIT caps replies too. */
	if (n > KSSP_KDC_TCP_MAX || n == 0) {
		char why[96];

		snprintf(why, sizeof(why), "reply length %u %s; not read", n,
		    n ? "over the 1 MiB cap" : "is zero");
		attempt_failed(s, a, why);
		a->dead = true;
		goto fail;
	}
	*msg = kssp_malloc(n);
	if (!*msg) {
		attempt_failed(s, a, "out of memory");
		goto fail;
	}
	if (!tcp_io(fd, *msg, n, false, until, &eof)) {
		attempt_failed(s, a, eof ? "truncated TCP frame" :
		    errno == ETIMEDOUT ? "reply not complete in time" : strerror(errno));
		a->dead = a->dead || eof;
		kssp_free(*msg);
		*msg = NULL;
		goto fail;
	}
	close(fd);
	*len = n;
	return true;
fail:
	close(fd);
	return false;
}

/* ---- HTTPS to a KDC proxy (kdc/kkdcp_int.h) ---------------------------- */

/* One exchange through the proxy at a, waiting at most wait_ms; true with a message. */
static bool https_exchange(struct send_state *s, struct addr *a, int wait_ms, uint8_t **msg,
    size_t *len)
{
	int64_t until = kssp_transport_now_ms() + remaining_ms(s, wait_ms);
	int fd;
	kssp_err e;

	kssp_trace(s->h, "transport: sending %zu bytes to %s over HTTPS (KDC proxy /%s)",
	    s->req_len, a->label, a->srv->path);
	if (kssp_kkdcp_usable()) {
		attempt_failed(s, a, kssp_last_reason());
		a->dead = true;
		return false;
	}
	fd = tcp_connect(s, a, until);
	if (fd < 0)
		return false;
	e = kssp_kkdcp_exchange(s->cfg, fd, a->srv, s->realm, s->req, s->req_len, until, msg, len);
	close(fd);
	if (e) {
		attempt_failed(s, a, kssp_last_reason());
		/* Only a proxy that did not answer in time is asked again. */
		a->dead = e != KSSP_ERR_TIMEOUT;
	}
	return !e;
}

/* ---- the schedule ---------------------------------------------------- */

static bool any_alive(const struct send_state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->a[i].dead)
			return true;
	return false;
}

/* Per-attempt wait in pass p: 1 s, 2 s, 4 s (MIT sendto_kdc). */
static int attempt_wait_ms(int pass)
{
	return 1000 << pass;
}

static kssp_err run_passes(struct send_state *s, uint8_t **reply, size_t *reply_len)
{
	uint8_t *buf = kssp_malloc(UDP_REPLY_MAX);
	size_t len = 0, i;
	int pass;
	kssp_err e;

	if (!buf)
		return kssp_fail(KSSP_ERR_NOMEM, "transport: out of memory");
	for (pass = 0; pass < MAX_PASS && remaining_ms(s, 1) > 0 && !s->too_big &&
	     any_alive(s); pass++) {
		for (i = 0; i < s->n && remaining_ms(s, 1) > 0 && !s->too_big; i++) {
			struct addr *a = &s->a[i];

			if (a->dead)
				continue;
			if (a->proto != PROTO_UDP) {
				uint8_t *msg = NULL;

				if ((a->proto == PROTO_TCP ? tcp_exchange(s, a, attempt_wait_ms(pass), &msg, &len) :
				    https_exchange(s, a, attempt_wait_ms(pass), &msg, &len)) &&
				    accept_reply(s, a, msg, len)) {
					kssp_free_secret(buf, UDP_REPLY_MAX);
					*reply = msg;
					*reply_len = len;
					return KSSP_OK;
				}
				kssp_free(msg);
				continue;
			}
			udp_send(s, a);
			if (udp_wait(s, remaining_ms(s, attempt_wait_ms(pass)), buf, &len))
				goto got_udp;
		}
		/* Every address had its turn: listen to all of them a while longer. */
		if (!s->too_big && any_alive(s) && udp_wait(s, remaining_ms(s, 2000 << pass), buf, &len))
			goto got_udp;
	}
	kssp_free_secret(buf, UDP_REPLY_MAX);
	return KSSP_ERR_NO_KDC;
got_udp:
	*reply_len = len;
	*reply = kssp_memdup(buf, len);
	e = *reply ? KSSP_OK : kssp_fail(KSSP_ERR_NOMEM, "transport: out of memory");
	kssp_free_secret(buf, UDP_REPLY_MAX);
	return e;
}

static kssp_err send_once(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, const uint8_t *req, size_t req_len, int flags, bool *too_big,
    uint8_t **reply, size_t *reply_len)
{
	struct kssp_kdc_servers *l = kssp_calloc(1, sizeof(*l));
	struct send_state *s = kssp_calloc(1, sizeof(*s));
	size_t limit = kssp_config_udp_preference_limit(cfg);
	bool tcp_only = flags & KSSP_TRANSPORT_TCP_ONLY;
	kssp_err e;

	if (!l || !s) {
		kssp_free(l);
		kssp_free(s);
		return kssp_fail(KSSP_ERR_NOMEM, "transport: out of memory");
	}
	e = flags & KSSP_TRANSPORT_KPASSWD ? kssp_locate_kpasswd(cfg, h, realm, l) :
	    kssp_locate_kdcs(cfg, h, realm, flags & KSSP_TRANSPORT_MASTER, l);
	if (e)
		goto out;
	s->kpasswd = flags & KSSP_TRANSPORT_KPASSWD;
	s->cfg = cfg;
	s->h = h;
	s->realm = realm;
	s->req = req;
	s->req_len = req_len;
	s->deadline_ms = kssp_transport_now_ms() + kssp_config_request_timeout(cfg) * 1000;
	snprintf(s->last, sizeof(s->last), "no address for any KDC");
	build_addrs(s, l, tcp_only || req_len > limit, tcp_only);
	kssp_trace(h, "transport: realm %s: %zu bytes, %zu address(es), %s preferred, bound %lld s",
	    realm, req_len, s->n, tcp_only || req_len > limit ? "TCP" : "UDP",
	    (long long)kssp_config_request_timeout(cfg));
	e = run_passes(s, reply, reply_len);
	close_all(s);
	*too_big = s->too_big;
	if (e == KSSP_ERR_NO_KDC && !s->too_big)
		e = kssp_fail(KSSP_ERR_NO_KDC, "cannot contact any KDC for realm %s (%s)", realm,
		    s->last);
out:
	kssp_free(l);
	kssp_free(s);
	return e;
}

/* The local address a connected UDP socket to a gets (no datagram is sent). */
static bool source_of(const struct addr *a, struct kssp_transport_source *out)
{
	struct sockaddr_storage local = { 0 };
	socklen_t len = sizeof(local);
	int fd = socket(a->sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok = fd >= 0 && connect(fd, (const struct sockaddr *)&a->sa, a->sa_len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&local, &len) == 0;

	if (fd >= 0)
		close(fd);
	/* RFC 4120 §7.5.3 address types: 2 IPv4, 24 IPv6. */
	if (ok && local.ss_family == AF_INET) {
		out->addr_type = 2;
		out->len = 4;
		memcpy(out->addr, &((const struct sockaddr_in *)(const void *)&local)->sin_addr, 4);
	} else if (ok && local.ss_family == AF_INET6) {
		out->addr_type = 24;
		out->len = 16;
		memcpy(out->addr, &((const struct sockaddr_in6 *)(const void *)&local)->sin6_addr, 16);
	} else {
		ok = false;
	}
	return ok;
}

kssp_err kssp_transport_source_address(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, int flags, struct kssp_transport_source *out)
{
	struct kssp_kdc_servers *l = kssp_calloc(1, sizeof(*l));
	struct send_state *s = kssp_calloc(1, sizeof(*s));
	kssp_err e = l && s ? KSSP_OK : kssp_fail(KSSP_ERR_NOMEM, "transport: out of memory");
	size_t i;

	if (!e)
		e = flags & KSSP_TRANSPORT_KPASSWD ? kssp_locate_kpasswd(cfg, h, realm, l) :
		    kssp_locate_kdcs(cfg, h, realm, flags & KSSP_TRANSPORT_MASTER, l);
	if (!e) {
		s->h = h;
		build_addrs(s, l, false, false);
		e = kssp_fail(KSSP_ERR_NO_KDC, "no local address towards a server of realm %s", realm);
		for (i = 0; i < s->n; i++)
			if (source_of(&s->a[i], out)) {
				e = KSSP_OK;
				break;
			}
	}
	kssp_free(l);
	kssp_free(s);
	return e;
}

kssp_err kssp_transport_network(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, const uint8_t *req, size_t req_len, int flags,
    uint8_t **reply, size_t *reply_len)
{
	bool too_big = false;
	kssp_err e;

	if (req_len == 0 || req_len > KSSP_KDC_MSG_MAX)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "transport: request of %zu bytes", req_len);
	e = send_once(cfg, h, realm, req, req_len, flags, &too_big, reply, reply_len);
	if (e == KSSP_ERR_NO_KDC && too_big) {
		/* RFC 4120 §7.2.1: KRB_ERR_RESPONSE_TOO_BIG means "use TCP". */
		kssp_trace(h, "transport: KRB_ERR_RESPONSE_TOO_BIG over UDP; retrying over TCP");
		e = send_once(cfg, h, realm, req, req_len, flags | KSSP_TRANSPORT_TCP_ONLY,
		    &too_big, reply, reply_len);
	}
	return e;
}

kssp_err kssp_transport_send(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, const uint8_t *req, size_t req_len, int flags,
    uint8_t **reply, size_t *reply_len)
{
	kssp_err e;

	if (h && h->transport) {
		e = h->transport(h->transport_arg, realm, req, req_len, flags, reply, reply_len);
		if (!e && (*reply_len == 0 || *reply_len > KSSP_KDC_MSG_MAX)) {
			kssp_free(*reply);
			*reply = NULL;
			return kssp_fail(KSSP_ERR_LIMIT, "transport hook: reply of %zu bytes",
			    *reply_len);
		}
		return e;
	}
	return kssp_transport_network(cfg, h, realm, req, req_len, flags, reply, reply_len);
}
