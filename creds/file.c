/* creds/file.c - bounded reads, locks and writes of keytab, cache and replay-cache files. */
/* F_OFD_SETLKW: open file description locks (Linux 3.15), as MIT's lock_file.c uses. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "creds/file_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

static kssp_err io_fail(const char *what, const char *path, int err)
{
	if (err == ENOENT)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "%s: %s: %s", path, what, strerror(err));
	return kssp_fail(KSSP_ERR_IO, "%s: %s: %s", path, what, strerror(err));
}

kssp_err kssp_creds_file_read_fd(int fd, const char *path, uint8_t **data, size_t *len)
{
	struct kssp_writer w;
	uint8_t chunk[8192];
	kssp_err e;

	*data = NULL;
	*len = 0;
	kssp_writer_init_growable(&w, KSSP_CREDS_FILE_MAX);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = io_fail("read failed", path, errno);
			kssp_writer_free(&w);
			return e;
		}
		if (n == 0)
			break;
		kssp_writer_put_bytes(&w, chunk, (size_t)n);
		if (kssp_writer_status(&w))
			break;
	}
	kssp_memzero(chunk, sizeof(chunk));
	e = kssp_writer_detach(&w, data, len);
	if (e == KSSP_ERR_LIMIT)
		return kssp_fail(e, "%s: larger than %zu bytes", path, KSSP_CREDS_FILE_MAX);
	if (e)
		return kssp_fail(e, "%s: cannot hold the file in memory", path);
	return KSSP_OK;
}

kssp_err kssp_creds_file_resolve(const char *name, const char *const *prefixes,
    const char *what, char **path)
{
	const char *colon = strchr(name, ':'), *p = name;

	*path = NULL;
	for (; *prefixes && p == name; prefixes++)
		if (strncmp(name, *prefixes, strlen(*prefixes)) == 0)
			p = name + strlen(*prefixes);
	/* "C:" is a drive letter, not a type. */
	if (p == name && name[0] != '/' && colon && colon > name + 1)
		return kssp_fail(KSSP_ERR_UNSUPPORTED, "%s '%s': %s type not supported", what,
		    name, what);
	if (!*p)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s '%s': no file name", what, name);
	if (!(*path = kssp_memdup(p, strlen(p) + 1)))
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", what);
	return KSSP_OK;
}

kssp_err kssp_creds_file_lock_fd(int fd, bool write, const char *path)
{
	struct flock fl;
	int cmd = F_SETLKW;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = write ? F_WRLCK : F_RDLCK;
	fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLKW
	cmd = F_OFD_SETLKW;
#endif
	for (;;) {
		if (fcntl(fd, cmd, &fl) == 0)
			return KSSP_OK;
		if (errno == EINTR)
			continue;
		/* A kernel without open file description locks (before Linux 3.15). */
		if (errno != EINVAL || cmd == F_SETLKW)
			return io_fail("cannot lock", path, errno);
		cmd = F_SETLKW;
	}
}

/*
 * Opens path (through a symbolic link, as MIT does) without blocking on a
 * FIFO, and refuses anything but a regular file: a cache or keytab name
 * such as /dev/stdout must not be written to.
 */
static kssp_err open_regular(const char *path, int flags, int *fd)
{
	struct stat st;
	int f = open(path, flags | O_CLOEXEC | O_NONBLOCK, S_IRUSR | S_IWUSR);

	*fd = -1;
	if (f < 0)
		return io_fail("cannot open", path, errno);
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return kssp_fail(KSSP_ERR_IO, "%s: not a regular file", path);
	}
	*fd = f;
	return KSSP_OK;
}

kssp_err kssp_creds_file_read(const char *path, uint8_t **data, size_t *len)
{
	kssp_err e;
	int fd;

	*data = NULL;
	*len = 0;
	/*
	 * A FIFO or device is no cache or keytab (and would block).  Read under
	 * a shared lock, as MIT's readers do, since writers change files in place.
	 */
	e = open_regular(path, O_RDONLY, &fd);
	if (e)
		return e;
	e = kssp_creds_file_lock_fd(fd, false, path);
	if (!e)
		e = kssp_creds_file_read_fd(fd, path, data, len);
	close(fd);
	return e;
}

static kssp_err write_all(int fd, const uint8_t *data, size_t len, const char *path)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_fail("write failed", path, errno);
		data += n;
		len -= (size_t)n;
	}
	return KSSP_OK;
}

/*
 * Makes the rename itself durable: fsync on the folder that holds path.
 * Best effort: some file systems refuse it, and the file is already whole.
 */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash) {
		dir = NULL;
	} else {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		dir = kssp_malloc(n + 1);
		if (!dir)
			return;
		memcpy(dir, path, n);
		dir[n] = 0;
	}
	fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	kssp_free(dir);
}

kssp_err kssp_creds_file_replace(const char *path, const uint8_t *data, size_t len)
{
	return kssp_creds_file_replace_as(path, data, len, true);
}

/*
 * Where a replacement goes: the file path names, through symbolic links as
 * MIT writes (the link stays, its target gets the new bytes), and only a
 * regular file or none (a device such as /dev/stdout is never replaced).
 * *real is kssp_malloc'd.
 */
static kssp_err replace_target(const char *path, char **real)
{
	char link[4096], *next;
	struct stat st;
	size_t dir_len;
	ssize_t n;
	int hops;

	if (!(*real = kssp_memdup(path, strlen(path) + 1)))
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", path);
	/* Each link read in turn, a dangling one too (its target is created, as by open). */
	for (hops = 0; lstat(*real, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		n = hops < 8 ? readlink(*real, link, sizeof(link) - 1) : -1;
		if (n < 0) {
			kssp_free(*real);
			*real = NULL;
			return hops < 8 ? io_fail("cannot follow the link", path, errno)
					: kssp_fail(KSSP_ERR_IO, "%s: more than 8 links", path);
		}
		link[n] = '\0';
		dir_len = link[0] == '/' || !strrchr(*real, '/') ? 0
				: (size_t)(strrchr(*real, '/') - *real) + 1;
		if (!(next = kssp_malloc(dir_len + (size_t)n + 1))) {
			kssp_free(*real);
			*real = NULL;
			return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", path);
		}
		memcpy(next, *real, dir_len);
		memcpy(next + dir_len, link, (size_t)n + 1);
		kssp_free(*real);
		*real = next;
	}
	if (stat(*real, &st) == 0 && !S_ISREG(st.st_mode)) {
		kssp_free(*real);
		*real = NULL;
		return kssp_fail(KSSP_ERR_IO, "%s: not a regular file", path);
	}
	return KSSP_OK;
}

kssp_err kssp_creds_file_replace_as(const char *name, const uint8_t *data, size_t len,
    bool durable)
{
	char *path, *tmp;
	size_t plen;
	kssp_err e = replace_target(name, &path);
	int fd;

	if (e)
		return e;
	plen = strlen(path);
	tmp = kssp_malloc(plen + 16);
	if (!tmp) {
		kssp_free(path);
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", name);
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmpXXXXXX", 11);
	/* mkstemp creates the file 0600 (POSIX.1-2008), as a credential file must be. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = io_fail("cannot create a temporary file", path, errno);
		kssp_free(tmp);
		kssp_free(path);
		return e;
	}
	e = write_all(fd, data, len, tmp);
	if (!e && fchmod(fd, S_IRUSR | S_IWUSR) != 0)
		e = io_fail("chmod failed", tmp, errno);
	if (!e && durable && fsync(fd) != 0)
		e = io_fail("fsync failed", tmp, errno);
	if (close(fd) != 0 && !e)
		e = io_fail("close failed", tmp, errno);
	if (!e && rename(tmp, path) != 0)
		e = io_fail("rename failed", path, errno);
	if (e)
		unlink(tmp);
	else if (durable)
		sync_folder(path);
	kssp_free(tmp);
	kssp_free(path);
	return e;
}

/* How often a lock is retried when the file keeps being replaced under it. */
#define LOCK_ATTEMPTS 100

kssp_err kssp_creds_file_lock(const char *path, bool create, int *fd)
{
	struct stat held, now;
	int i;

	*fd = -1;
	for (i = 0; i < LOCK_ATTEMPTS; i++) {
		int f;
		kssp_err e = open_regular(path, O_RDWR | (create ? O_CREAT : 0), &f);

		if (!e)
			e = kssp_creds_file_lock_fd(f, true, path);
		if (e) {
			if (f >= 0)
				close(f);
			return e;
		}
		/* Still the file at path?  Else it was removed or replaced meanwhile. */
		if (fstat(f, &held) == 0 && stat(path, &now) == 0 && held.st_ino == now.st_ino &&
		    held.st_dev == now.st_dev) {
			*fd = f;
			return KSSP_OK;
		}
		close(f);
	}
	return kssp_fail(KSSP_ERR_IO, "%s: replaced %d times while waiting for its lock", path,
	    LOCK_ATTEMPTS);
}

/* Writes data at offset at through write(2) (short writes and EINTR handled). */
static kssp_err write_at(int fd, off_t at, const uint8_t *data, size_t len, const char *path)
{
	if (lseek(fd, at, SEEK_SET) != at)
		return io_fail("seek failed", path, errno);
	return write_all(fd, data, len, path);
}

static kssp_err rewrite_from(int fd, const char *path, const uint8_t *old, size_t old_len,
    const uint8_t *data, size_t len, bool durable)
{
	bool append = len >= old_len && (old_len == 0 || memcmp(old, data, old_len) == 0);
	kssp_err e;

	/* What only grows is appended, as MIT's writers add entries. */
	if (append)
		e = write_at(fd, (off_t)old_len, data + old_len, len - old_len, path);
	else
		e = write_at(fd, 0, data, len, path);
	if (!e && ftruncate(fd, (off_t)len) != 0)
		e = io_fail("truncate failed", path, errno);
	if (!e && durable && fsync(fd) != 0)
		e = io_fail("fsync failed", path, errno);
	if (!e)
		return KSSP_OK;
	/* Put the old bytes back: an append is undone by the truncation alone. */
	if (!append)
		(void)write_at(fd, 0, old, old_len, path);
	(void)ftruncate(fd, (off_t)old_len);
	return e;
}

kssp_err kssp_creds_file_rewrite(int fd, const char *path, const uint8_t *data, size_t len,
    bool durable)
{
	uint8_t *old = NULL;
	size_t old_len = 0;
	kssp_err e;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return io_fail("seek failed", path, errno);
	if ((e = kssp_creds_file_read_fd(fd, path, &old, &old_len)))
		return e;
	e = rewrite_from(fd, path, old, old_len, data, len, durable);
	kssp_free_secret(old, old_len);
	return e;
}

void kssp_creds_file_unlock(int fd)
{
	/* Closing drops every fcntl lock this process holds on the file. */
	if (fd >= 0)
		close(fd);
}

kssp_err kssp_creds_file_remove(const char *path)
{
	if (unlink(path) != 0)
		return io_fail("cannot remove", path, errno);
	return KSSP_OK;
}
