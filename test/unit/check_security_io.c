/*
 * test/unit/check_security_io.c - issue 11 item 3, I/O faults:
 *  - a disk that fills while a credential cache or keytab is rewritten:
 *    RLIMIT_FSIZE with SIGXFSZ ignored makes write(2) fail (EFBIG) past a
 *    chosen size, as ENOSPC would; the write fails with a clean error, the
 *    old file is intact byte for byte and no temporary file is left;
 *  - short reads and EINTR: a keytab read from a pipe that delivers one
 *    byte at a time while the reader is interrupted by signals (no
 *    SA_RESTART) comes out whole and parses;
 *  - a KDC that closes the TCP connection at every byte offset of its reply
 *    (the 4-byte length and the AS-REP of fixtures/security/kinit.rec):
 *    each is refused quickly with KSSP_ERR_NO_KDC, the whole reply is taken.
 * Check runs each test in its own process, so the limit dies with it.
 */
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/err.h"
#include "base/hooks.h"
#include "base/mem.h"
#include "creds/ccache.h"
#include "creds/file.h"
#include "creds/keytab.h"
#include "creds/principal.h"
#include "kdc/config.h"
#include "kdc/transport.h"
#include "testutil.h"

/* ---- a full disk -------------------------------------------------------- */

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	(void)fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Files in dir: the target and nothing else may remain. */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	(void)closedir(d);
	return n;
}

/* Writes at most limit bytes into any file from now on (this process only). */
static void limit_file_size(rlim_t limit)
{
	struct rlimit r;

	ck_assert(signal(SIGXFSZ, SIG_IGN) != SIG_ERR);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &r), 0);
	r.rlim_cur = limit;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &r), 0);
}

static void make_dir(char *dir, size_t cap)
{
	snprintf(dir, cap, "/tmp/kssp-secio.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(const char *dir, const char *file)
{
	unlink(file);
	ck_assert_int_eq(rmdir(dir), 0);
}

START_TEST(keytab_rewrite_on_a_full_disk_keeps_the_old_file)
{
	char dir[64], path[96];
	struct kssp_keytab kt;
	struct kssp_principal *p = NULL;
	uint8_t *before, *after;
	size_t before_len, after_len, i;
	kssp_err e;

	make_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/krb5.keytab", dir);
	kssp_keytab_init(&kt);
	ck_assert_int_eq(kssp_principal_parse("HTTP/server.kssp.test@KSSP.TEST", 0, NULL, &p),
	    KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_password(&kt, p, 1, 18, "pw-one", 6, NULL, 0, 1795469842), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_write(&kt, path), KSSP_OK);
	before = slurp(path, &before_len);
	/* The new keytab is far larger than the old one: it cannot fit. */
	for (i = 2; i < 40; i++)
		ck_assert_int_eq(kssp_keytab_add_password(&kt, p, (uint32_t)i, 17, "pw-more", 7, NULL,
		    0, 1795469842),
		    KSSP_OK);
	limit_file_size(before_len + 16);
	e = kssp_keytab_write(&kt, path);
	ck_assert_int_eq(e, KSSP_ERR_IO);
	after = slurp(path, &after_len);
	ck_assert_uint_eq(after_len, before_len);
	ck_assert_mem_eq(after, before, before_len);
	ck_assert_int_eq(count_files(dir), 1);
	free(before);
	free(after);
	kssp_principal_free(p);
	kssp_keytab_free(&kt);
	remove_dir(dir, path);
}
END_TEST

START_TEST(ccache_rewrite_on_a_full_disk_keeps_the_old_file)
{
	char dir[64], path[96];
	static const uint8_t long_value[512] = { 1 };
	struct kssp_ccache cc, grown;
	uint8_t *before, *after;
	size_t before_len, after_len;
	kssp_err e;

	make_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ccache", dir);
	kssp_ccache_init(&cc);
	kssp_ccache_init(&grown);
	ck_assert_int_eq(kssp_ccache_read(tu_fixture("creds/mit-v4.ccache"), &cc), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, path), KSSP_OK);
	before = slurp(path, &before_len);
	/* The same cache with a large config entry more: a bigger file. */
	ck_assert_int_eq(kssp_ccache_read(tu_fixture("creds/mit-v4.ccache"), &grown), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_set_config(&grown, NULL, "security-test", long_value,
	    sizeof(long_value)), KSSP_OK);
	limit_file_size(before_len + 8);
	e = kssp_ccache_write(&grown, path);
	ck_assert_msg(e == KSSP_ERR_IO, "write gave %d: %s", e, kssp_last_reason());
	after = slurp(path, &after_len);
	ck_assert_uint_eq(after_len, before_len);
	ck_assert_mem_eq(after, before, before_len);
	ck_assert_int_eq(count_files(dir), 1);
	free(before);
	free(after);
	kssp_ccache_free(&cc);
	kssp_ccache_free(&grown);
	remove_dir(dir, path);
}
END_TEST

/* ---- short reads and EINTR ---------------------------------------------- */

struct dribble {
	int fd;
	const uint8_t *data;
	size_t len;
	pthread_t reader;
	volatile int done;
	int signals;
};

static void on_signal(int sig)
{
	(void)sig;
}

/* Writes one byte at a time, interrupting the reader between bytes. */
static void *dribble_run(void *arg)
{
	struct dribble *d = arg;
	struct timespec pause = { 0, 20000 };
	size_t i;

	for (i = 0; i < d->len; i++) {
		ck_assert_int_eq(write(d->fd, d->data + i, 1), 1);
		if (i % 7 == 0 && !d->done) {
			nanosleep(&pause, NULL);
			if (pthread_kill(d->reader, SIGUSR1) == 0)
				d->signals++;
		}
	}
	close(d->fd);
	return NULL;
}

START_TEST(keytab_read_in_short_interrupted_reads)
{
	struct sigaction sa;
	struct dribble d;
	struct kssp_keytab kt;
	pthread_t writer;
	uint8_t *file, *got = NULL;
	size_t file_len, got_len = 0;
	int p[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read(2) returns EINTR */
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	file = slurp(tu_fixture("creds/mit-all.keytab"), &file_len);
	ck_assert_int_eq(pipe(p), 0);
	memset(&d, 0, sizeof(d));
	d.fd = p[1];
	d.data = file;
	d.len = file_len;
	d.reader = pthread_self();
	ck_assert_int_eq(pthread_create(&writer, NULL, dribble_run, &d), 0);
	ck_assert_int_eq(kssp_creds_file_read_fd(p[0], "pipe", &got, &got_len), KSSP_OK);
	d.done = 1;
	pthread_join(writer, NULL);
	close(p[0]);
	ck_assert_uint_eq(got_len, file_len);
	ck_assert_mem_eq(got, file, file_len);
	ck_assert_int_gt(d.signals, 10);
	kssp_keytab_init(&kt);
	ck_assert_int_eq(kssp_keytab_parse(got, got_len, &kt), KSSP_OK);
	ck_assert_uint_gt(kt.n_entries, 0);
	fprintf(stderr, "security: keytab of %zu bytes read one byte at a time, %d signals: whole\n",
	    file_len, d.signals);
	kssp_keytab_free(&kt);
	kssp_free_secret(got, got_len);
	free(file);
}
END_TEST

/* ---- a KDC that hangs up mid-reply -------------------------------------- */

struct cutter {
	int fd;
	uint16_t port;
	pthread_t thread;
	volatile int stop;
	const uint8_t *frame; /* the framed reply */
	size_t frame_len;
	volatile size_t cut;  /* bytes of it sent before closing */
	int served;
};

static void *cutter_run(void *arg)
{
	struct cutter *c = arg;

	while (!c->stop) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		uint8_t req[4096];
		int s;

		if (poll(&p, 1, 50) <= 0)
			continue;
		if ((s = accept(c->fd, NULL, NULL)) < 0)
			continue;
		/* The request: read what came (one write by the client). */
		(void)recv(s, req, sizeof(req), 0);
		if (c->cut > 0)
			(void)send(s, c->frame, c->cut, MSG_NOSIGNAL);
		close(s);
		c->served++;
	}
	return NULL;
}

static void cutter_start(struct cutter *c)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(c->fd, 0);
	ck_assert_int_eq(bind(c->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(c->fd, 16), 0);
	ck_assert_int_eq(getsockname(c->fd, (struct sockaddr *)&a, &alen), 0);
	c->port = ntohs(a.sin_port);
	ck_assert_int_eq(pthread_create(&c->thread, NULL, cutter_run, c), 0);
}

static void cutter_stop(struct cutter *c)
{
	c->stop = 1;
	pthread_join(c->thread, NULL);
	close(c->fd);
}

/* The AS-REP of the recorded kinit, and its request. */
static void recorded_as(uint8_t **req, size_t *req_len, uint8_t **rep, size_t *rep_len)
{
	size_t len;
	uint8_t *text = slurp(tu_fixture("security/kinit.rec"), &len);
	char *line, *save = NULL;

	text[len] = '\0';
	*req = *rep = NULL;
	for (line = strtok_r((char *)text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *hex = NULL;
		uint8_t **out = NULL;
		size_t *out_len = NULL;

		if (line[0] == '>' && *req == NULL) {
			hex = strchr(line + 2, ' ');
			out = req;
			out_len = req_len;
		} else if (line[0] == '<' && *rep == NULL) {
			hex = line + 1;
			out = rep;
			out_len = rep_len;
		}
		if (hex != NULL) {
			*out = malloc(strlen(hex) / 2 + 1);
			ck_assert_ptr_nonnull(*out);
			*out_len = tu_hex(hex, *out, strlen(hex) / 2 + 1);
		}
	}
	free(text);
	ck_assert_ptr_nonnull(*req);
	ck_assert_ptr_nonnull(*rep);
}

START_TEST(kdc_closing_at_every_offset_of_its_reply)
{
	struct cutter c;
	struct kssp_config *cfg;
	struct kssp_hooks h = { 0 };
	uint8_t *req, *rep, *frame, *got;
	size_t req_len, rep_len, got_len, cut, refused = 0;
	char text[256];
	struct timespec t0, t1;
	kssp_err e;

	recorded_as(&req, &req_len, &rep, &rep_len);
	frame = malloc(rep_len + 4);
	ck_assert_ptr_nonnull(frame);
	frame[0] = (uint8_t)(rep_len >> 24);
	frame[1] = (uint8_t)(rep_len >> 16);
	frame[2] = (uint8_t)(rep_len >> 8);
	frame[3] = (uint8_t)rep_len;
	memcpy(frame + 4, rep, rep_len);
	memset(&c, 0, sizeof(c));
	c.frame = frame;
	c.frame_len = rep_len + 4;
	cutter_start(&c);
	snprintf(text, sizeof(text), "[libdefaults]\n dns_lookup_kdc = false\n request_timeout = 5\n"
	    "[realms]\n KSSP.TEST = {\n  kdc = tcp/127.0.0.1:%u\n }\n", c.port);
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", text, strlen(text)), KSSP_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (cut = 0; cut <= c.frame_len; cut++) {
		c.cut = cut;
		got = NULL;
		e = kssp_transport_network(cfg, &h, "KSSP.TEST", req, req_len, 0, &got, &got_len);
		if (cut < c.frame_len) {
			ck_assert_msg(e == KSSP_ERR_NO_KDC, "cut at %zu of %zu: %d %s", cut,
			    c.frame_len, e, kssp_last_reason());
			ck_assert_ptr_null(got);
			refused++;
		} else {
			ck_assert_msg(e == KSSP_OK, "whole reply: %s", kssp_last_reason());
			ck_assert_uint_eq(got_len, rep_len);
			ck_assert_mem_eq(got, rep, rep_len);
			kssp_free(got);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cutter_stop(&c);
	ck_assert_uint_eq(refused, rep_len + 4);
	/* Refused at once: a hang-up is not waited out. */
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 20, "took %ld s", (long)(t1.tv_sec - t0.tv_sec));
	fprintf(stderr, "security: KDC hanging up at each of %zu offsets: every one refused, "
	    "%d connections, %ld s\n", rep_len + 4, c.served, (long)(t1.tv_sec - t0.tv_sec));
	kssp_config_free(cfg);
	free(frame);
	free(req);
	free(rep);
}
END_TEST

Suite *kssp_suite_security_io(void);
Suite *kssp_suite_security_io(void)
{
	Suite *s = suite_create("security_io");
	TCase *tc = tcase_create("faults");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, keytab_rewrite_on_a_full_disk_keeps_the_old_file);
	tcase_add_test(tc, ccache_rewrite_on_a_full_disk_keeps_the_old_file);
	tcase_add_test(tc, keytab_read_in_short_interrupted_reads);
	tcase_add_test(tc, kdc_closing_at_every_offset_of_its_reply);
	suite_add_tcase(s, tc);
	return s;
}
