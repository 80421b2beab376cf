/* test/unit/kdc_standin.c - loopback KDC stand-ins, well-behaved and hostile. */
#define _GNU_SOURCE
#include "kdc_standin.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const uint8_t standin_as_rep[4] = { 0x6b, 0x02, 0x30, 0x00 };
const uint8_t standin_too_big[19] = {
	0x7e, 0x11, 0x30, 0x0f,
	0xa0, 0x03, 0x02, 0x01, 0x05,  /* pvno 5 */
	0xa1, 0x03, 0x02, 0x01, 0x1e,  /* msg-type 30 */
	0xa6, 0x03, 0x02, 0x01, 0x34,  /* error-code 52 */
};

static bool is_tcp(enum standin_kind k)
{
	return k >= SI_TCP_REPLY;
}

/* Waits up to 50 ms for fd; the stand-in loops re-check stop between waits. */
static bool readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 50) == 1;
}

static void udp_loop(struct standin *s)
{
	while (!s->stop) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t buf[STANDIN_REQ_MAX], junk[64];
		ssize_t n;
		size_t i;
		int other;

		if (!readable(s->fd))
			continue;
		n = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		memcpy(s->req, buf, (size_t)n);
		s->req_len = (size_t)n;
		s->requests++;
		switch (s->kind) {
		case SI_UDP_REPLY:
			sendto(s->fd, s->reply, s->reply_len, 0, (struct sockaddr *)&from, fl);
			break;
		case SI_UDP_RANDOM:
			for (i = 0; i < sizeof(junk); i++)
				junk[i] = (uint8_t)rand();
			sendto(s->fd, junk, sizeof(junk), 0, (struct sockaddr *)&from, fl);
			break;
		case SI_UDP_OTHER_PORT:
			other = socket(AF_INET, SOCK_DGRAM, 0);
			sendto(other, s->reply, s->reply_len, 0, (struct sockaddr *)&from, fl);
			close(other);
			break;
		case SI_UDP_TOO_BIG:
			sendto(s->fd, standin_too_big, sizeof(standin_too_big), 0,
			    (struct sockaddr *)&from, fl);
			break;
		default:
			break;
		}
	}
}

static bool read_full(int fd, uint8_t *buf, size_t n, atomic_bool *stop)
{
	size_t got = 0;

	while (got < n && !*stop) {
		ssize_t k;

		if (!readable(fd))
			continue;
		k = recv(fd, buf + got, n - got, 0);
		if (k <= 0)
			return false;
		got += (size_t)k;
	}
	return got == n;
}

static void send_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t k = send(fd, b, n, MSG_NOSIGNAL);

		if (k <= 0)
			return;
		b += k;
		n -= (size_t)k;
	}
}

static void send_len(int fd, uint32_t n)
{
	uint8_t h[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };

	send_all(fd, h, 4);
}

static void tcp_serve(struct standin *s, int c)
{
	uint8_t h[4], zeros[4096];
	uint32_t n;

	if (!read_full(c, h, 4, &s->stop))
		return;
	n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	if (n > STANDIN_REQ_MAX || !read_full(c, s->req, n, &s->stop))
		return;
	s->req_len = n;
	s->requests++;
	memset(zeros, 0, sizeof(zeros));
	switch (s->kind) {
	case SI_TCP_REPLY:
		send_len(c, (uint32_t)s->reply_len);
		send_all(c, s->reply, s->reply_len);
		break;
	case SI_TCP_TRUNCATED:
		send_len(c, 100);
		send_all(c, zeros, 10);
		break;
	case SI_TCP_HUGE_LENGTH:
		send_len(c, 0xffffffffu);
		while (!s->stop && recv(c, zeros, sizeof(zeros), MSG_DONTWAIT) != 0)
			usleep(20000);
		break;
	case SI_TCP_DRIBBLE:
		send_len(c, 65536);
		while (!s->stop && send(c, zeros, 1, MSG_NOSIGNAL) == 1)
			usleep(20000);
		break;
	case SI_TCP_FLOOD:
		send_len(c, 1u << 20);
		while (!s->stop && send(c, zeros, sizeof(zeros), MSG_NOSIGNAL) > 0)
			;
		break;
	default:
		break;
	}
}

static void tcp_loop(struct standin *s)
{
	while (!s->stop) {
		int c;

		if (!readable(s->fd))
			continue;
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		/* A send timeout keeps the flood from blocking past stop. */
		{
			struct timeval tv = { 0, 100000 };

			setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		}
		tcp_serve(s, c);
		close(c);
	}
}

static void *run(void *arg)
{
	struct standin *s = arg;

	if (is_tcp(s->kind))
		tcp_loop(s);
	else
		udp_loop(s);
	return NULL;
}

void standin_start(struct standin *s, enum standin_kind kind, uint16_t port,
    const uint8_t *reply, size_t reply_len)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->reply = reply;
	s->reply_len = reply_len;
	s->fd = socket(AF_INET, is_tcp(kind) ? SOCK_STREAM : SOCK_DGRAM, 0);
	ck_assert_int_ge(s->fd, 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	ck_assert_msg(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind: %s",
	    strerror(errno));
	if (is_tcp(kind))
		ck_assert_int_eq(listen(s->fd, 8), 0);
	ck_assert_int_eq(getsockname(s->fd, (struct sockaddr *)&sa, &len), 0);
	s->port = ntohs(sa.sin_port);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, run, s), 0);
}

void standin_stop(struct standin *s)
{
	s->stop = true;
	pthread_join(s->thread, NULL);
	close(s->fd);
}
