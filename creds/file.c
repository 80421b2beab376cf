/* creds/file.c - bounded reads and atomic replacement of keytab and cache files. */
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
	size_t n;

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
	n = strlen(p);
	*path = kssp_malloc(n + 1);
	if (!*path)
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", what);
	memcpy(*path, p, n + 1);
	return KSSP_OK;
}

kssp_err kssp_creds_file_read(const char *path, uint8_t **data, size_t *len)
{
	struct stat st;
	kssp_err e;
	int fd;

	*data = NULL;
	*len = 0;
	/* O_NONBLOCK and fstat first: a FIFO or device is no cache or keytab, and would block. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return io_fail("cannot open", path, errno);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		e = kssp_fail(KSSP_ERR_IO, "%s: not a regular file", path);
	else
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

kssp_err kssp_creds_file_replace_as(const char *path, const uint8_t *data, size_t len,
    bool durable)
{
	size_t plen = strlen(path);
	char *tmp = kssp_malloc(plen + 16);
	kssp_err e;
	int fd;

	if (!tmp)
		return kssp_fail(KSSP_ERR_NOMEM, "%s: out of memory", path);
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmpXXXXXX", 11);
	/* mkstemp creates the file 0600 (POSIX.1-2008), as a credential file must be. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = io_fail("cannot create a temporary file", path, errno);
		kssp_free(tmp);
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
	return e;
}

/* How often a lock is retried when the file keeps being replaced under it. */
#define LOCK_ATTEMPTS 100

kssp_err kssp_creds_file_lock(const char *path, int *fd)
{
	struct flock fl;
	struct stat held, now;
	int i;

	*fd = -1;
	for (i = 0; i < LOCK_ATTEMPTS; i++) {
		int f = open(path, O_RDWR | O_CLOEXEC);

		if (f < 0)
			return io_fail("cannot open", path, errno);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		while (fcntl(f, F_SETLKW, &fl) != 0) {
			if (errno != EINTR) {
				kssp_err e = io_fail("cannot lock", path, errno);

				close(f);
				return e;
			}
		}
		/* Still the file at path?  Else another writer renamed a new one in. */
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
