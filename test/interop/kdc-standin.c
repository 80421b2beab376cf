/*
 * test/interop/kdc-standin.c - a misbehaving KDC on 127.0.0.1 for the
 * interop tests: `kdc-standin sink` reads UDP requests and never answers;
 * `kdc-standin too-big` answers every UDP request with a KRB-ERROR
 * KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 §7.2.1).  It prints its port, then
 * serves until killed, and exits on its own after 120 s at the latest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* KRB-ERROR { pvno 5, msg-type 30, stime, susec 0, error-code 52, realm, sname } */
static size_t too_big(uint8_t *out, size_t cap)
{
	static const uint8_t tail[] = {
		0xa5, 0x03, 0x02, 0x01, 0x00,                         /* susec 0 */
		0xa6, 0x03, 0x02, 0x01, 0x34,                         /* error-code 52 */
		0xa9, 0x0b, 0x1b, 0x09, 'K', 'S', 'S', 'P', '.', 'T', 'E', 'S', 'T',
		0xaa, 0x1e, 0x30, 0x1c, 0xa0, 0x03, 0x02, 0x01, 0x02, /* sname NT-SRV-INST */
		0xa1, 0x15, 0x30, 0x13, 0x1b, 0x06, 'k', 'r', 'b', 't', 'g', 't',
		0x1b, 0x09, 'K', 'S', 'S', 'P', '.', 'T', 'E', 'S', 'T',
	};
	uint8_t body[160];
	size_t n = 0;
	char t[16];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y%m%d%H%M%SZ", &tm);
	body[n++] = 0xa0; body[n++] = 3; body[n++] = 2; body[n++] = 1; body[n++] = 5;
	body[n++] = 0xa1; body[n++] = 3; body[n++] = 2; body[n++] = 1; body[n++] = 30;
	body[n++] = 0xa4; body[n++] = 17; body[n++] = 0x18; body[n++] = 15;
	memcpy(body + n, t, 15);
	n += 15;
	memcpy(body + n, tail, sizeof(tail));
	n += sizeof(tail);
	if (n + 4 > cap)
		return 0;
	out[0] = 0x7e; out[1] = (uint8_t)(n + 2); out[2] = 0x30; out[3] = (uint8_t)n;
	memcpy(out + 4, body, n);
	return n + 4;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), answer;
	time_t end = time(NULL) + 120;

	if (argc != 2 || (strcmp(argv[1], "sink") && strcmp(argv[1], "too-big"))) {
		fprintf(stderr, "usage: kdc-standin sink|too-big\n");
		return 2;
	}
	answer = strcmp(argv[1], "too-big") == 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("kdc-standin");
		return 1;
	}
	printf("%u\n", ntohs(sa.sin_port));
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t buf[4096], reply[256];
		size_t n;

		if (poll(&p, 1, 500) != 1)
			continue;
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) <= 0 || !answer)
			continue;
		n = too_big(reply, sizeof(reply));
		sendto(fd, reply, n, 0, (struct sockaddr *)&from, fl);
	}
	return 0;
}
