/*
 * test/load/sspiload.c - `make load`: ACCEPTORS server processes
 * share one listening socket on 127.0.0.1 and serve CLIENTS concurrent
 * client threads, each of which repeats a full exchange over its own TCP
 * connection: ISC, ASC, ISC (mutual authentication), EncryptMessage on the
 * client, DecryptMessage on the server, an acknowledgement.  Bounded in time
 * (SECONDS) and in count (MAXLOOPS in all).  Public API only
 * (<kssp/sspi.h>, <kssp/kssp.h>); offline: the client's cache holds the
 * service ticket, the server has the service's keytab, both take the clock
 * NOW from the Clock hook so the recorded ticket stays valid.
 *
 * Usage: sspiload CCACHE KEYTAB KRB5CONF NOW ACCEPTORS CLIENTS SECONDS MAXLOOPS
 * Prints one line per acceptor (exchanges served, errors, RSS after its
 * first exchange and at the end) and a total; exits 0 when no exchange
 * failed, every acceptor exited cleanly and no acceptor's RSS grew by more
 * than 2 MiB after its first 1,000 exchanges (not checked under ASan, whose
 * LeakSanitizer checks every process at exit instead).
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN_MAX 12288
#define RSS_GROWTH_MAX (2L << 20)

static const char *ccache, *keytab, *krb5conf;
static int64_t fixed_now;
static char target[] = "HTTP/server.kssp.test";
static const char message[] = "sspiload: a sealed message";

static int clock_hook(void *arg, int64_t *sec, int32_t *usec)
{
	(void)arg;
	*sec = fixed_now;
	*usec = 0;
	return 0;
}

static int refuse_kdc(void *arg, const char *realm, const uint8_t *req, size_t len, int tcp,
    uint8_t **reply, size_t *reply_len)
{
	(void)arg, (void)realm, (void)req, (void)len, (void)tcp, (void)reply, (void)reply_len;
	return -1;
}

static int acquire(ULONG use, CredHandle *h)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Krb5Conf = krb5conf;
	ad.Clock = clock_hook;
	ad.Transport = refuse_kdc;
	if (use == SECPKG_CRED_OUTBOUND)
		ad.Ccache = ccache;
	else
		ad.Keytab = keytab;
	return AcquireCredentialsHandleA(NULL, "Kerberos", use, NULL, &ad, NULL, NULL, h, NULL) ==
	    SEC_E_OK ? 0 : -1;
}

/* ---- framing: a 4-byte big-endian length, then the bytes ---- */

static int io_all(int fd, void *buf, size_t n, int writing)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = writing ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_frame(int fd, const void *buf, uint32_t n)
{
	uint8_t h[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };

	return io_all(fd, h, 4, 1) || io_all(fd, (void *)buf, n, 1) ? -1 : 0;
}

static int recv_frame(int fd, void *buf, uint32_t cap, uint32_t *n)
{
	uint8_t h[4];

	if (io_all(fd, h, 4, 0))
		return -1;
	*n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	return *n > cap ? -1 : io_all(fd, buf, *n, 0);
}

/* ---- the acceptor processes ---- */

static long rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	(void)fclose(f);
	return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

static CredHandle server_cred;
static atomic_long served, server_errors;
static atomic_long rss_at_1000;

static void serve_one(int fd)
{
	uint8_t in[TOKEN_MAX], out[TOKEN_MAX], data[sizeof(message)];
	uint32_t n, m;
	CtxtHandle ctx;
	SecBuffer ib, ob, mb[2];
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
	ULONG attr, qop;
	int ok = 0, have = 0;

	if (recv_frame(fd, in, sizeof(in), &n))
		goto done;
	ib = (SecBuffer){ n, SECBUFFER_TOKEN, in };
	ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
	if (AcceptSecurityContext(&server_cred, NULL, &id, 0, SECURITY_NATIVE_DREP, &ctx, &od,
	    &attr, NULL) != SEC_E_OK)
		goto done;
	have = 1;
	if (send_frame(fd, out, ob.cbBuffer) || recv_frame(fd, in, sizeof(in), &n) ||
	    recv_frame(fd, data, sizeof(data), &m) || m != sizeof(data))
		goto done;
	mb[0] = (SecBuffer){ n, SECBUFFER_TOKEN, in };
	mb[1] = (SecBuffer){ m, SECBUFFER_DATA, data };
	if (DecryptMessage(&ctx, &md, 0, &qop) != SEC_E_OK ||
	    memcmp(mb[1].pvBuffer, message, sizeof(message)) != 0)
		goto done;
	ok = send_frame(fd, "ok", 2) == 0;
done:
	if (have)
		DeleteSecurityContext(&ctx);
	close(fd);
	if (ok) {
		if (atomic_fetch_add(&served, 1) + 1 == 1000)
			atomic_store(&rss_at_1000, rss_bytes());
	} else {
		atomic_fetch_add(&server_errors, 1);
	}
}

static void *serve_thread(void *arg)
{
	serve_one((int)(intptr_t)arg);
	return NULL;
}

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Serves connections, a thread each, until SIGTERM; reports on stdout. */
static int acceptor(int lfd, int index)
{
	struct sigaction sa;
	pthread_attr_t at;
	long end_rss;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term; /* no SA_RESTART: accept(2) returns on SIGTERM */
	sigaction(SIGTERM, &sa, NULL);
	if (acquire(SECPKG_CRED_INBOUND, &server_cred))
		return 1;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	/* Non-blocking: the processes share the socket, and SIGTERM may reach any thread. */
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	while (!stopping) {
		struct pollfd p = { lfd, POLLIN, 0 };
		pthread_t t;
		int fd;

		if (poll(&p, 1, 100) <= 0 || (fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		if (pthread_create(&t, &at, serve_thread, (void *)(intptr_t)fd) != 0) {
			close(fd);
			atomic_fetch_add(&server_errors, 1);
		}
	}
	sleep(1); /* let threads still serving finish */
	end_rss = rss_bytes();
	printf("acceptor %d: %ld exchanges, %ld errors, RSS %ld KiB after 1000, %ld KiB at the end\n",
	    index, atomic_load(&served), atomic_load(&server_errors), atomic_load(&rss_at_1000) / 1024,
	    end_rss / 1024);
	fflush(stdout);
	FreeCredentialsHandle(&server_cred);
	if (atomic_load(&server_errors) != 0)
		return 1;
#if !defined(__SANITIZE_ADDRESS__)
	/* (Under AddressSanitizer its quarantine keeps freed blocks: RSS says nothing.) */
	if (atomic_load(&served) >= 2000 && end_rss - atomic_load(&rss_at_1000) > RSS_GROWTH_MAX)
		return 2;
#endif
	return 0;
}

/* ---- the client threads ---- */

static CredHandle client_cred;
static uint16_t port;
static struct timespec deadline;
static atomic_long loops_left, client_ok, client_errors;

static int past_deadline(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline.tv_sec ||
	    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

static int connect_loopback(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int client_once(void)
{
	uint8_t t1[TOKEN_MAX], t2[TOKEN_MAX], tok[128], data[sizeof(message)], ack[2];
	uint32_t n;
	CtxtHandle ctx;
	SecBuffer ib, ob, mb[2];
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
	SecPkgContext_Sizes sz;
	ULONG attr, req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY;
	int ok = 0, have = 0, fd = connect_loopback();

	if (fd < 0)
		return -1;
	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	if (InitializeSecurityContextA(&client_cred, NULL, target, req, 0, SECURITY_NATIVE_DREP,
	    NULL, 0, &ctx, &od, &attr, NULL) != SEC_I_CONTINUE_NEEDED)
		goto done;
	have = 1;
	if (send_frame(fd, t1, ob.cbBuffer) || recv_frame(fd, t2, sizeof(t2), &n))
		goto done;
	ib = (SecBuffer){ n, SECBUFFER_TOKEN, t2 };
	ob = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
	if (InitializeSecurityContextA(&client_cred, &ctx, target, req, 0, SECURITY_NATIVE_DREP,
	    &id, 0, &ctx, &od, &attr, NULL) != SEC_E_OK ||
	    QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sz) != SEC_E_OK ||
	    sz.cbSecurityTrailer > sizeof(tok))
		goto done;
	memcpy(data, message, sizeof(message));
	mb[0] = (SecBuffer){ sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok };
	mb[1] = (SecBuffer){ sizeof(data), SECBUFFER_DATA, data };
	if (EncryptMessage(&ctx, 0, &md, 0) != SEC_E_OK ||
	    send_frame(fd, tok, mb[0].cbBuffer) || send_frame(fd, data, sizeof(data)) ||
	    recv_frame(fd, ack, sizeof(ack), &n) || n != 2)
		goto done;
	ok = 1;
done:
	if (have)
		DeleteSecurityContext(&ctx);
	close(fd);
	return ok ? 0 : -1;
}

static void *client_thread(void *arg)
{
	(void)arg;
	while (!past_deadline() && atomic_fetch_sub(&loops_left, 1) > 0) {
		if (client_once() == 0)
			atomic_fetch_add(&client_ok, 1);
		else
			atomic_fetch_add(&client_errors, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int lfd, acceptors, clients, seconds, i, status, bad = 0;
	pid_t *pids;
	pthread_t *threads;
	struct timespec t0, t1;
	double took;

	if (argc != 9) {
		fprintf(stderr, "usage: sspiload CCACHE KEYTAB KRB5CONF NOW ACCEPTORS CLIENTS "
		    "SECONDS MAXLOOPS\n");
		return 2;
	}
	ccache = argv[1];
	keytab = argv[2];
	krb5conf = argv[3];
	fixed_now = atoll(argv[4]);
	acceptors = atoi(argv[5]);
	clients = atoi(argv[6]);
	seconds = atoi(argv[7]);
	atomic_store(&loops_left, atol(argv[8]));
	if (acceptors < 1 || clients < 1 || seconds < 1)
		return 2;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 256) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
		perror("sspiload: listen");
		return 1;
	}
	port = ntohs(a.sin_port);
	fflush(stdout);
	pids = calloc((size_t)acceptors, sizeof(*pids));
	threads = calloc((size_t)clients, sizeof(*threads));
	if (pids == NULL || threads == NULL)
		return 1;
	for (i = 0; i < acceptors; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int rc = acceptor(lfd, i);

			free(pids);
			free(threads);
			exit(rc); /* exit, not _exit: LeakSanitizer checks at exit */
		}
		if (pids[i] < 0) {
			perror("sspiload: fork");
			return 1;
		}
	}
	if (acquire(SECPKG_CRED_OUTBOUND, &client_cred)) {
		fprintf(stderr, "sspiload: client credential: %s\n", kssp_status_reason());
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	deadline = t0;
	deadline.tv_sec += seconds;
	for (i = 0; i < clients; i++)
		if (pthread_create(&threads[i], NULL, client_thread, NULL) != 0)
			return 1;
	for (i = 0; i < clients; i++)
		pthread_join(threads[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	FreeCredentialsHandle(&client_cred);
	for (i = 0; i < acceptors; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < acceptors; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			printf("acceptor %d: exit status %d\n", i, WIFEXITED(status) ?
			    WEXITSTATUS(status) : -1);
			bad = 1;
		}
	}
	close(lfd);
	printf("sspiload: %d acceptors, %d clients, %.1f s: %ld exchanges (%.0f/s), %ld errors\n",
	    acceptors, clients, took, atomic_load(&client_ok), (double)atomic_load(&client_ok) / took,
	    atomic_load(&client_errors));
	free(pids);
	free(threads);
	return bad || atomic_load(&client_errors) != 0 ? 1 : 0;
}
