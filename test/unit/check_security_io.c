/*
 * test/unit/check_security_io.c - I/O faults:
 *  - a disk that fills while a credential cache or keytab is rewritten:
 *    RLIMIT_FSIZE with SIGXFSZ ignored makes write(2) fail (EFBIG) past a
 *    chosen size, as ENOSPC would; the write fails with a clean error, the
 *    old file is intact byte for byte and no temporary file is left;
 *  - short writes and EINTR (the iofault.h shim): a keytab and a cache
 *    written with write(2) moving at most 7 bytes and interrupted every
 *    third call come out byte-identical to a plain write;
 *  - a disk full at every byte offset of the new file (the shim's ENOSPC
 *    after k bytes, for every k), and a keytab fsync failing with EIO:
 *    each write fails, the old file stays byte for byte, no temporary left;
 *  - short reads and EINTR: a keytab read from a pipe that delivers one
 *    byte at a time while the reader is interrupted by signals (no
 *    SA_RESTART) comes out whole and parses;
 *  - a KDC that closes the TCP connection at every byte offset of its reply
 *    (the 4-byte length and the AS-REP of fixtures/security/kinit.rec):
 *    each is refused quickly with KSSP_ERR_NO_KDC, the whole reply is taken;
 *  - a KDC exchange over TCP with send, recv and poll interrupted and moving
 *    at most 5 bytes, and over UDP with send and recvfrom interrupted: the
 *    KDC gets the request whole and the reply is taken whole.
 * Check runs each test in its own process, so the limit dies with it.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/bytes_int.h"
#include "base/err_int.h"
#include "base/hooks_int.h"
#include "base/mem_int.h"
#include "creds/ccache_int.h"
#include "creds/file_int.h"
#include "creds/keytab_int.h"
#include "creds/principal_int.h"
#include "kdc/config_int.h"
#include "kdc/transport_int.h"
#include "iofault.h"
#include "kdc_standin.h"
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

/* path holds exactly want, and is the only file in dir (no temporary left). */
static void assert_only_file_is(const char *dir, const char *path, const uint8_t *want,
    size_t want_len)
{
	size_t len;
	uint8_t *now = slurp(path, &len);

	ck_assert_uint_eq(len, want_len);
	ck_assert_mem_eq(now, want, want_len);
	ck_assert_int_eq(count_files(dir), 1);
	free(now);
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
	uint8_t *before;
	size_t before_len, i;
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
	assert_only_file_is(dir, path, before, before_len);
	free(before);
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
	uint8_t *before;
	size_t before_len;
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
	assert_only_file_is(dir, path, before, before_len);
	free(before);
	kssp_ccache_free(&cc);
	kssp_ccache_free(&grown);
	remove_dir(dir, path);
}
END_TEST

/* ---- short writes, EINTR and a disk filling at every offset ------------- */

/* Both credential files go through one writer; these adapt the two types. */
typedef kssp_err (*write_fn)(const void *obj, const char *path);

static kssp_err write_keytab(const void *obj, const char *path)
{
	return kssp_keytab_write(obj, path);
}

static kssp_err write_ccache(const void *obj, const char *path)
{
	return kssp_ccache_write(obj, path);
}

/* A keytab of 40 entries, some 3 KB. */
static void big_keytab(struct kssp_keytab *kt)
{
	struct kssp_principal *p = NULL;
	uint32_t i;

	kssp_keytab_init(kt);
	ck_assert_int_eq(kssp_principal_parse("HTTP/server.kssp.test@KSSP.TEST", 0, NULL, &p),
	    KSSP_OK);
	for (i = 1; i <= 40; i++)
		ck_assert_int_eq(kssp_keytab_add_password(kt, p, i, i % 2 ? 17 : 18, "pw-more", 7,
		    NULL, 0, 1795469842), KSSP_OK);
	kssp_principal_free(p);
}

/* Writes obj with write(2) moving at most 7 bytes and every third call EINTR. */
static void check_interrupted_write(write_fn fn, const void *obj, const char *name)
{
	const struct iofault_plan plan = { .eintr_every = 3, .max_chunk = 7 };
	char dir[64], plain[96], faulty[96];
	struct iofault_counts n;
	uint8_t *want, *got;
	size_t want_len, got_len;
	kssp_err e;

	make_dir(dir, sizeof(dir));
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	snprintf(faulty, sizeof(faulty), "%s/faulty", dir);
	ck_assert_int_eq(fn(obj, plain), KSSP_OK);
	iofault_arm(&plan);
	e = fn(obj, faulty);
	n = iofault_disarm();
	ck_assert_msg(e == KSSP_OK, "%s: %s", name, kssp_last_reason());
	want = slurp(plain, &want_len);
	got = slurp(faulty, &got_len);
	ck_assert_uint_eq(got_len, want_len);
	ck_assert_mem_eq(got, want, want_len);
	/* The faults happened: the file needed many calls, a third of them refused. */
	ck_assert_uint_ge(n.short_moves, want_len / 7 - 1);
	ck_assert_uint_ge(n.eintr, n.calls / 3);
	ck_assert_int_eq(count_files(dir), 2);
	fprintf(stderr, "security: %s of %zu bytes written in %u calls, %u EINTR: whole\n", name,
	    want_len, n.calls, n.eintr);
	unlink(plain);
	free(want);
	free(got);
	remove_dir(dir, faulty);
}

START_TEST(credential_files_written_in_short_interrupted_writes)
{
	struct kssp_keytab kt;
	struct kssp_ccache cc;

	big_keytab(&kt);
	check_interrupted_write(write_keytab, &kt, "keytab");
	kssp_keytab_free(&kt);
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_read(tu_fixture("creds/mit-v4.ccache"), &cc), KSSP_OK);
	check_interrupted_write(write_ccache, &cc, "ccache");
	kssp_ccache_free(&cc);
}
END_TEST

/* old_obj on disk, then new_obj written onto it with the disk full after k
 * bytes, for every k short of the whole file: each fails, the old file stays
 * byte for byte and no temporary file remains.  Then the whole file fits. */
static void check_full_disk_at_every_offset(write_fn fn, const void *old_obj,
    const void *new_obj, const char *name)
{
	char dir[64], path[96], ref[96];
	uint8_t *old_bytes, *new_bytes;
	size_t old_len, new_len, k;
	kssp_err e;

	make_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	snprintf(ref, sizeof(ref), "%s/ref", dir);
	ck_assert_int_eq(fn(new_obj, ref), KSSP_OK);
	new_bytes = slurp(ref, &new_len);
	unlink(ref);
	ck_assert_int_eq(fn(old_obj, path), KSSP_OK);
	old_bytes = slurp(path, &old_len);
	for (k = 0; k <= new_len; k++) {
		const struct iofault_plan plan = { .budget_set = true, .budget = k,
			.budget_errno = ENOSPC, .max_chunk = k % 3 ? 0 : 64 };
		struct iofault_counts n;

		iofault_arm(&plan);
		e = fn(new_obj, path);
		n = iofault_disarm();
		if (k < new_len) {
			ck_assert_msg(e == KSSP_ERR_IO, "%s, full after %zu: %d", name, k, e);
			ck_assert_ptr_nonnull(strstr(kssp_last_reason(), strerror(ENOSPC)));
			ck_assert_uint_eq(n.failed, 1);
			assert_only_file_is(dir, path, old_bytes, old_len);
		} else {
			ck_assert_msg(e == KSSP_OK, "%s fits: %s", name, kssp_last_reason());
			assert_only_file_is(dir, path, new_bytes, new_len);
		}
	}
	fprintf(stderr, "security: %s: disk full at each of %zu offsets: old file kept\n", name,
	    new_len);
	free(old_bytes);
	free(new_bytes);
	remove_dir(dir, path);
}

START_TEST(credential_file_rewrite_full_at_every_offset)
{
	struct kssp_keytab small, big;
	struct kssp_ccache v3, v4;

	big_keytab(&big);
	kssp_keytab_init(&small);
	ck_assert_int_eq(kssp_keytab_read(tu_fixture("creds/mit-all.keytab"), &small), KSSP_OK);
	check_full_disk_at_every_offset(write_keytab, &small, &big, "keytab");
	kssp_ccache_init(&v3);
	kssp_ccache_init(&v4);
	ck_assert_int_eq(kssp_ccache_read(tu_fixture("creds/mit-v3.ccache"), &v3), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_read(tu_fixture("creds/mit-v4.ccache"), &v4), KSSP_OK);
	check_full_disk_at_every_offset(write_ccache, &v3, &v4, "ccache");
	kssp_ccache_free(&v3);
	kssp_ccache_free(&v4);
	kssp_keytab_free(&small);
	kssp_keytab_free(&big);
}
END_TEST

/* A keytab is written durably: an fsync failure (EIO) is a failed write. */
START_TEST(keytab_fsync_failure_keeps_the_old_file)
{
	const struct iofault_plan plan = { .fsync_errno = EIO };
	char dir[64], path[96];
	struct kssp_keytab small, big;
	uint8_t *before;
	size_t before_len;
	kssp_err e;

	make_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/krb5.keytab", dir);
	big_keytab(&big);
	kssp_keytab_init(&small);
	ck_assert_int_eq(kssp_keytab_read(tu_fixture("creds/mit-all.keytab"), &small), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_write(&small, path), KSSP_OK);
	before = slurp(path, &before_len);
	iofault_arm(&plan);
	e = kssp_keytab_write(&big, path);
	ck_assert_uint_eq(iofault_disarm().failed, 1);
	ck_assert_int_eq(e, KSSP_ERR_IO);
	ck_assert_ptr_nonnull(strstr(kssp_last_reason(), "fsync failed"));
	assert_only_file_is(dir, path, before, before_len);
	free(before);
	kssp_keytab_free(&small);
	kssp_keytab_free(&big);
	remove_dir(dir, path);
}
END_TEST

/* ---- short reads and EINTR ---------------------------------------------- */

struct dribble {
	int fd;
	const uint8_t *data;
	size_t len;
	pthread_t reader;
	atomic_int done;     /* set by the reader when it has the whole file */
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
	atomic_int stop;
	const uint8_t *frame; /* the framed reply */
	size_t frame_len;
	atomic_size_t cut;    /* bytes of it sent before closing */
	const uint8_t *req;   /* the request expected */
	size_t req_len;
	atomic_int served;
	atomic_int req_whole; /* connections that delivered exactly req */
};

/* Reads a framed request whole (the client may send it in pieces); true
 * when it is the one expected. */
static bool read_request(int s, const struct cutter *c)
{
	uint8_t buf[4096];
	size_t have = 0, need = 4;

	while (have < need) {
		ssize_t k = recv(s, buf + have, need - have, 0);

		if (k <= 0)
			return false;
		have += (size_t)k;
		if (have == 4 && need == 4) {
			need += (size_t)buf[0] << 24 | (size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3];
			if (need > sizeof(buf))
				return false;
		}
	}
	return need - 4 == c->req_len && memcmp(buf + 4, c->req, c->req_len) == 0;
}

static void *cutter_run(void *arg)
{
	struct cutter *c = arg;

	while (!c->stop) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		int s;

		if (poll(&p, 1, 50) <= 0)
			continue;
		if ((s = accept(c->fd, NULL, NULL)) < 0)
			continue;
		size_t cut;

		if (read_request(s, c))
			c->req_whole++;
		cut = c->cut;
		if (cut > 0)
			(void)send(s, c->frame, cut, MSG_NOSIGNAL);
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

/* The recorded AS exchange served by a cutter; a config naming it over TCP. */
struct hangup {
	struct cutter c;
	struct kssp_config *cfg;
	uint8_t *req, *rep, *frame;
	size_t req_len, rep_len;
};

static void hangup_start(struct hangup *t)
{
	char text[256];

	memset(t, 0, sizeof(*t));
	recorded_as(&t->req, &t->req_len, &t->rep, &t->rep_len);
	t->frame = malloc(t->rep_len + 4);
	ck_assert_ptr_nonnull(t->frame);
	t->frame[0] = (uint8_t)(t->rep_len >> 24);
	t->frame[1] = (uint8_t)(t->rep_len >> 16);
	t->frame[2] = (uint8_t)(t->rep_len >> 8);
	t->frame[3] = (uint8_t)t->rep_len;
	memcpy(t->frame + 4, t->rep, t->rep_len);
	t->c.frame = t->frame;
	t->c.frame_len = t->rep_len + 4;
	t->c.cut = t->c.frame_len;
	t->c.req = t->req;
	t->c.req_len = t->req_len;
	cutter_start(&t->c);
	snprintf(text, sizeof(text), "[libdefaults]\n dns_lookup_kdc = false\n request_timeout = 5\n"
	    "[realms]\n KSSP.TEST = {\n  kdc = tcp/127.0.0.1:%u\n }\n", t->c.port);
	ck_assert_int_eq(kssp_config_new(&t->cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(t->cfg, "t.conf", text, strlen(text)), KSSP_OK);
}

static void hangup_stop(struct hangup *t)
{
	cutter_stop(&t->c);
	kssp_config_free(t->cfg);
	free(t->frame);
	free(t->req);
	free(t->rep);
}

/* One exchange; the reply must be the recorded one. */
static void exchange_whole(struct hangup *t)
{
	struct kssp_hooks h = { 0 };
	uint8_t *got = NULL;
	size_t got_len;
	kssp_err e;

	e = kssp_transport_network(t->cfg, &h, "KSSP.TEST", t->req, t->req_len, 0, &got, &got_len);
	ck_assert_msg(e == KSSP_OK, "whole reply: %s", kssp_last_reason());
	ck_assert_uint_eq(got_len, t->rep_len);
	ck_assert_mem_eq(got, t->rep, t->rep_len);
	kssp_free(got);
}

START_TEST(kdc_closing_at_every_offset_of_its_reply)
{
	struct hangup t;
	struct kssp_hooks h = { 0 };
	uint8_t *got;
	size_t got_len, cut, refused = 0;
	struct timespec t0, t1;
	kssp_err e;

	hangup_start(&t);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (cut = 0; cut < t.c.frame_len; cut++) {
		t.c.cut = cut;
		got = NULL;
		e = kssp_transport_network(t.cfg, &h, "KSSP.TEST", t.req, t.req_len, 0, &got,
		    &got_len);
		ck_assert_msg(e == KSSP_ERR_NO_KDC, "cut at %zu of %zu: %d %s", cut, t.c.frame_len, e,
		    kssp_last_reason());
		ck_assert_ptr_null(got);
		refused++;
	}
	t.c.cut = t.c.frame_len;
	exchange_whole(&t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(refused, t.rep_len + 4);
	/* Refused at once: a hang-up is not waited out. */
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 20, "took %ld s", (long)(t1.tv_sec - t0.tv_sec));
	fprintf(stderr, "security: KDC hanging up at each of %zu offsets: every one refused, "
	    "%d connections, %ld s\n", t.rep_len + 4, t.c.served, (long)(t1.tv_sec - t0.tv_sec));
	hangup_stop(&t);
}
END_TEST

/* send, recv and poll interrupted (EINTR) every third call and moving at most
 * 5 bytes: the request still reaches the KDC whole and the reply is read whole. */
START_TEST(kdc_exchange_in_short_interrupted_tcp_io)
{
	const struct iofault_plan plan = { .eintr_every = 3, .max_chunk = 5 };
	struct iofault_counts n;
	struct hangup t;

	hangup_start(&t);
	iofault_arm(&plan);
	exchange_whole(&t);
	n = iofault_disarm();
	ck_assert_int_eq(t.c.req_whole, 1);
	ck_assert_uint_ge(n.short_moves, (t.req_len + t.rep_len) / 5 - 2);
	ck_assert_uint_ge(n.eintr, n.calls / 3);
	fprintf(stderr, "security: TCP exchange of %zu + %zu bytes in %u calls, %u EINTR: whole\n",
	    t.req_len, t.rep_len, n.calls, n.eintr);
	hangup_stop(&t);
}
END_TEST

/* Over UDP: send and recvfrom interrupted (the first call, then every third). */
START_TEST(kdc_exchange_over_udp_interrupted)
{
	const struct iofault_plan plan = { .eintr_every = 3 };
	struct iofault_counts n;
	struct standin si;
	struct kssp_config *cfg;
	struct kssp_hooks h = { 0 };
	uint8_t *req, *rep, *got = NULL;
	size_t req_len, rep_len, got_len;
	char text[256];
	kssp_err e;

	recorded_as(&req, &req_len, &rep, &rep_len);
	standin_start(&si, SI_UDP_REPLY, 0, rep, rep_len);
	snprintf(text, sizeof(text), "[libdefaults]\n dns_lookup_kdc = false\n request_timeout = 5\n"
	    "[realms]\n KSSP.TEST = {\n  kdc = udp/127.0.0.1:%u\n }\n", si.port);
	ck_assert_int_eq(kssp_config_new(&cfg), KSSP_OK);
	ck_assert_int_eq(kssp_config_add_text(cfg, "t.conf", text, strlen(text)), KSSP_OK);
	iofault_arm(&plan);
	e = kssp_transport_network(cfg, &h, "KSSP.TEST", req, req_len, 0, &got, &got_len);
	n = iofault_disarm();
	ck_assert_msg(e == KSSP_OK, "UDP exchange: %s", kssp_last_reason());
	ck_assert_uint_eq(got_len, rep_len);
	ck_assert_mem_eq(got, rep, rep_len);
	ck_assert_uint_ge(n.eintr, 2);
	standin_stop(&si); /* joined: what it saw can be read */
	ck_assert_int_eq(si.requests, 1);
	ck_assert_uint_eq(si.req_len, req_len);
	ck_assert_mem_eq(si.req, req, req_len);
	kssp_free(got);
	kssp_config_free(cfg);
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
	tcase_add_test(tc, credential_files_written_in_short_interrupted_writes);
	tcase_add_test(tc, credential_file_rewrite_full_at_every_offset);
	tcase_add_test(tc, keytab_fsync_failure_keeps_the_old_file);
	tcase_add_test(tc, keytab_read_in_short_interrupted_reads);
	tcase_add_test(tc, kdc_closing_at_every_offset_of_its_reply);
	tcase_add_test(tc, kdc_exchange_in_short_interrupted_tcp_io);
	tcase_add_test(tc, kdc_exchange_over_udp_interrupted);
	suite_add_tcase(s, tc);
	return s;
}
