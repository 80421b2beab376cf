/*
 * test/interop/freeport.c - prints a port of 127.0.0.1 that is free for
 * both UDP and TCP right now (a KDC listens on both).  The port is released
 * before the KDC binds it: a small race, acceptable for a test harness.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bind_loopback(int type, unsigned short port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		return -1;
	return ntohs(sin.sin_port);
}

int main(void)
{
	int attempt;

	for (attempt = 0; attempt < 100; attempt++) {
		int tcp = bind_loopback(SOCK_STREAM, 0), udp, port;

		if (tcp < 0)
			continue;
		port = port_of(tcp);
		udp = port > 0 ? bind_loopback(SOCK_DGRAM, (unsigned short)port) : -1;
		close(tcp);
		if (udp >= 0) {
			close(udp);
			printf("%d\n", port);
			return 0;
		}
	}
	fprintf(stderr, "freeport: no port free for both UDP and TCP\n");
	return 1;
}
