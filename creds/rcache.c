/*
 * creds/rcache.c - MIT's file2 replay cache (creds/rcache_int.h): names,
 * the authenticator's tag, and the locked check-and-store.  Layout and
 * order of operations follow MIT src/lib/krb5/rcache/rc_file2.c (store,
 * next_table), rc_dfl.c (the default path) and rc_base.c (names, tag).
 */
#include "creds/rcache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds/file_int.h"
#include "crypto/crypto.h"

#define SEED_LEN 16
#define RECORD_LEN (KSSP_RCFILE_TAG_LEN + 4)
#define FIRST_TABLE_RECORDS 1023
/* MIT's MAX_SIZE: no table may end beyond it. */
#define FILE_MAX INT32_MAX

/* ---- names --------------------------------------------------------------- */

static kssp_err copy_path(const char *p, struct kssp_rcname *out)
{
	size_t n = strlen(p);

	if (n == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "replay cache: no file name");
	if (!(out->path = kssp_memdup(p, n + 1)))
		return kssp_fail(KSSP_ERR_NOMEM, "replay cache: out of memory");
	return KSSP_OK;
}

/* rc_dfl.c open_file: the per-user file in a shared temporary folder. */
static kssp_err dfl_path(struct kssp_rcname *out)
{
	const char *dir = getenv("KRB5RCACHEDIR");
	char path[4096];
	int n;

	if (dir == NULL)
		dir = getenv("TMPDIR");
	if (dir == NULL)
		dir = "/var/tmp";
	n = snprintf(path, sizeof(path), "%s/krb5_%lu.rcache2", dir, (unsigned long)geteuid());
	if (n < 0 || (size_t)n >= sizeof(path))
		return kssp_fail(KSSP_ERR_LIMIT, "replay cache: folder name too long");
	return copy_path(path, out);
}

static kssp_err resolve_typed(const char *name, size_t typelen, struct kssp_rcname *out)
{
	const char *rest = name + typelen + 1;

	if (typelen == 4 && strncmp(name, "none", 4) == 0) {
		out->kind = KSSP_RCNAME_NONE;
		return KSSP_OK;
	}
	if (typelen == 3 && strncmp(name, "dfl", 3) == 0) {
		out->kind = KSSP_RCNAME_DFL;
		return dfl_path(out);
	}
	if (typelen == 5 && strncmp(name, "file2", 5) == 0) {
		out->kind = KSSP_RCNAME_FILE;
		return copy_path(rest, out);
	}
	return kssp_fail(KSSP_ERR_UNSUPPORTED, "replay cache '%s': type %.*s not supported "
	    "(dfl:, file2:PATH, none: or a path)", name, (int)typelen, name);
}

kssp_err kssp_rcname_resolve(const char *name, struct kssp_rcname *out)
{
	const char *colon;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	if (name == NULL && (name = getenv("KRB5RCACHENAME")) == NULL) {
		const char *type = getenv("KRB5RCACHETYPE");

		if (type == NULL)
			return KSSP_OK; /* in memory */
		colon = type + strlen(type);
		return resolve_typed(type, (size_t)(colon - type), out);
	}
	colon = strchr(name, ':');
	/* kssp's own form: a path ("/x:y" and "./x" included). */
	if (colon == NULL || name[0] == '/' || name[0] == '.') {
		out->kind = KSSP_RCNAME_FILE;
		return copy_path(name, out);
	}
	e = resolve_typed(name, (size_t)(colon - name), out);
	if (e)
		kssp_rcname_free(out);
	return e;
}

void kssp_rcname_free(struct kssp_rcname *rc)
{
	kssp_free(rc->path);
	memset(rc, 0, sizeof(*rc));
}

/* ---- the tag ------------------------------------------------------------- */

kssp_err kssp_rcfile_tag(int32_t enctype, const uint8_t *cipher, size_t len,
    uint8_t tag[KSSP_RCFILE_TAG_LEN])
{
	const struct kssp_enctype_profile *p = kssp_crypto_profile(enctype);
	size_t n;

	/* MIT's krb5_c_crypto_length(CHECKSUM) is the profile's checksum size. */
	if (p == NULL || len < p->cksum_bytes)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "replay cache: no checksum in the authenticator");
	n = p->cksum_bytes < KSSP_RCFILE_TAG_LEN ? p->cksum_bytes : KSSP_RCFILE_TAG_LEN;
	memset(tag, 0, KSSP_RCFILE_TAG_LEN);
	memcpy(tag, cipher + len - p->cksum_bytes, n);
	return KSSP_OK;
}

/* ---- SipHash-2-4 ----------------------------------------------------------- */

/*
 * The table index MIT uses (k5_siphash24, util/support/hashtab.c; Aumasson
 * and Bernstein, "SipHash: a fast short-input PRF", 2012).  Written here
 * because the Nettle kssp builds against (3.8) has no SipHash; it keys a
 * table index, it protects no secret.
 */
static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[2] += v[3];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] = rotl(v[0], 32);
	v[2] += v[1];
	v[0] += v[3];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] = rotl(v[2], 32);
}

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 7; i >= 0; i--)
		x = (x << 8) | p[i];
	return x;
}

static void sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

static uint64_t siphash24(const uint8_t *data, size_t len, const uint8_t key[16])
{
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL };
	uint8_t last[8] = { 0 };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		sip_block(v, load_le64(data + i));
	memcpy(last, data + i, len - i);
	last[7] = (uint8_t)len;
	sip_block(v, load_le64(last));
	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* ---- the file ------------------------------------------------------------ */

struct record {
	uint8_t tag[KSSP_RCFILE_TAG_LEN];
	uint32_t stamp; /* 0: empty */
};

static kssp_err rc_fail(const char *path, const char *what)
{
	return kssp_fail(KSSP_ERR_IO, "replay cache file %s: %s (left as it is)", path, what);
}

static kssp_err rc_errno(const char *path, const char *what)
{
	return kssp_fail(KSSP_ERR_IO, "replay cache file %s: %s: %s", path, what, strerror(errno));
}

/* rc_file2.c next_table: 1023 records at 16, then 2048, then doubling. */
static bool next_table(int64_t *offset, int64_t *nrecords)
{
	if (*offset < 0) {
		*offset = SEED_LEN;
		*nrecords = FIRST_TABLE_RECORDS;
	} else {
		*offset += *nrecords * RECORD_LEN;
		*nrecords = *offset == SEED_LEN + FIRST_TABLE_RECORDS * RECORD_LEN ?
		    (int64_t)(FIRST_TABLE_RECORDS + 1) * 2 : *nrecords * 2;
	}
	return *nrecords <= FILE_MAX / RECORD_LEN && *offset <= FILE_MAX - *nrecords * RECORD_LEN;
}

/* The two records at offset (fewer at the end of the file), through a cursor. */
static kssp_err read_pair(int fd, const char *path, int64_t offset, struct record r[2], int *n)
{
	uint8_t buf[2 * RECORD_LEN];
	struct kssp_cursor c;
	ssize_t got;

	do
		got = pread(fd, buf, sizeof(buf), (off_t)offset);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return rc_errno(path, "read failed");
	kssp_cursor_init(&c, buf, (size_t)got);
	for (*n = 0; *n < 2 && kssp_cursor_remaining(&c) >= RECORD_LEN; (*n)++) {
		kssp_cursor_read_bytes(&c, r[*n].tag, KSSP_RCFILE_TAG_LEN);
		kssp_cursor_read_be32(&c, &r[*n].stamp);
	}
	return kssp_cursor_status(&c);
}

static kssp_err write_at(int fd, const char *path, int64_t offset, const uint8_t *data, size_t len)
{
	ssize_t n;

	do
		n = pwrite(fd, data, len, (off_t)offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rc_errno(path, "write failed");
	if ((size_t)n != len)
		return rc_fail(path, "short write");
	return KSSP_OK;
}

static bool live(const struct record *r)
{
	return r->stamp != 0;
}

/* rc_file2.c expired(): now after stamp + skew, in 32-bit wrapping time. */
static bool expired(const struct record *r, uint32_t now, uint32_t skew)
{
	return (int32_t)(now - (r->stamp + skew)) > 0;
}

/* The seed, made and written when the file is new; the file's size checked. */
static kssp_err read_seed(int fd, const char *path, const struct kssp_hooks *hooks,
    uint8_t seed[SEED_LEN])
{
	struct stat st;
	kssp_err e;
	ssize_t n;

	if (fstat(fd, &st) != 0)
		return rc_errno(path, "stat failed");
	if (!S_ISREG(st.st_mode))
		return rc_fail(path, "not a regular file");
	if (st.st_size == 0) {
		e = kssp_hooks_random(hooks, seed, SEED_LEN);
		return e ? e : write_at(fd, path, 0, seed, SEED_LEN);
	}
	/* MIT writes the seed whole, then whole records at 16 + 16 k. */
	if (st.st_size < SEED_LEN || (st.st_size - SEED_LEN) % RECORD_LEN != 0 ||
	    st.st_size > FILE_MAX)
		return rc_fail(path, "its size is not a 16-byte seed and whole 16-byte records");
	do
		n = pread(fd, seed, SEED_LEN, 0);
	while (n < 0 && errno == EINTR);
	if (n != SEED_LEN)
		return rc_errno(path, "cannot read its seed");
	return KSSP_OK;
}

kssp_err kssp_rcfile_store_fd(int fd, const char *path, const uint8_t tag[KSSP_RCFILE_TAG_LEN],
    uint32_t now, uint32_t skew, const struct kssp_hooks *hooks)
{
	int64_t table = -1, nrecords = 0, avail = -1, at;
	uint8_t seed[SEED_LEN], rec[RECORD_LEN];
	struct kssp_writer w;
	struct record r[2];
	kssp_err e = read_seed(fd, path, hooks, seed);
	int n = 0;

	while (!e) {
		if (!next_table(&table, &nrecords))
			return rc_fail(path, "full");
		at = table + (int64_t)(siphash24(tag, KSSP_RCFILE_TAG_LEN, seed) % (uint64_t)nrecords) *
		    RECORD_LEN;
		if ((e = read_pair(fd, path, at, r, &n)) != KSSP_OK)
			return e;
		/* A tag present is a replay, expired or not (as MIT's store()). */
		if ((n >= 1 && live(&r[0]) && memcmp(r[0].tag, tag, KSSP_RCFILE_TAG_LEN) == 0) ||
		    (n == 2 && live(&r[1]) && memcmp(r[1].tag, tag, KSSP_RCFILE_TAG_LEN) == 0))
			return kssp_fail(KRB_AP_ERR_REPEAT,
			    "AP-REQ: authenticator seen before (replay cache file %s)", path);
		if (avail < 0 && (n == 0 || !live(&r[0]) || expired(&r[0], now, skew)))
			avail = at;
		else if (avail < 0 && (n == 1 || !live(&r[1]) || expired(&r[1], now, skew)))
			avail = at + RECORD_LEN;
		/* An empty record ends the probe: the tag would have been stored there. */
		if (n < 2 || !live(&r[0]) || !live(&r[1])) {
			kssp_writer_init_fixed(&w, rec, sizeof(rec));
			kssp_writer_put_bytes(&w, tag, KSSP_RCFILE_TAG_LEN);
			kssp_writer_put_be32(&w, now ? now : 1); /* 0 would read as empty */
			return write_at(fd, path, avail, rec, sizeof(rec));
		}
		seed[0]++; /* each table hashed with its own seed */
	}
	return e;
}

/* rc_dfl.c: the default file sits in a shared folder: no links, ours only. */
static kssp_err open_file(const struct kssp_rcname *rc, int *fd)
{
	int flags = O_CREAT | O_RDWR | O_CLOEXEC | O_NONBLOCK;
	struct stat st;

	if (rc->kind == KSSP_RCNAME_DFL)
		flags |= O_NOFOLLOW;
	*fd = open(rc->path, flags, 0600);
	if (*fd < 0)
		return rc_errno(rc->path, "cannot open");
	if (rc->kind == KSSP_RCNAME_DFL && (fstat(*fd, &st) != 0 || st.st_uid != geteuid())) {
		close(*fd);
		*fd = -1;
		return rc_fail(rc->path, "not owned by this user");
	}
	return KSSP_OK;
}

kssp_err kssp_rcfile_store(const struct kssp_rcname *rc, const uint8_t tag[KSSP_RCFILE_TAG_LEN],
    uint32_t now, uint32_t skew, const struct kssp_hooks *hooks)
{
	kssp_err e;
	int fd;

	if (rc->kind != KSSP_RCNAME_FILE && rc->kind != KSSP_RCNAME_DFL)
		return KSSP_OK;
	if ((e = open_file(rc, &fd)) != KSSP_OK)
		return e;
	e = kssp_creds_file_lock_fd(fd, true, rc->path);
	if (!e)
		e = kssp_rcfile_store_fd(fd, rc->path, tag, now, skew, hooks);
	/* Closing the only descriptor releases the lock of either kind. */
	close(fd);
	return e;
}
