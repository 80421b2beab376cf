/*
 * creds/file_int.h - the file handling keytabs and caches share: a bounded
 * whole-file read and the atomic replace (temp file in the same folder,
 * fsync, rename, mode 0600), so that a reader never sees half a file and a
 * failed write leaves the old file as it was.
 */
#ifndef KSSP_CREDS_FILE_INT_H
#define KSSP_CREDS_FILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* Largest keytab or cache kssp reads: 16 MiB. */
#define KSSP_CREDS_FILE_MAX ((size_t)16 << 20)

/*
 * Reads the whole of path into a kssp_malloc'd buffer, under a shared
 * fcntl lock.  A missing file is KSSP_ERR_NOT_FOUND, a larger one than
 * KSSP_CREDS_FILE_MAX KSSP_ERR_LIMIT, anything but a regular file
 * KSSP_ERR_IO (a FIFO is refused without blocking).
 */
kssp_err kssp_creds_file_read(const char *path, uint8_t **data, size_t *len);

/*
 * The same from an open descriptor (from its current position): a file
 * read under kssp_creds_file_lock must be read through the locked
 * descriptor, since closing any other descriptor of the file would drop
 * the lock (POSIX fcntl semantics).
 */
kssp_err kssp_creds_file_read_fd(int fd, const char *path, uint8_t **data, size_t *len);

/*
 * Replaces path with data atomically (temp file, rename), mode 0600: for a
 * whole new file (a kinit's cache, a keytab written whole).  Written
 * through a symbolic link to its target; anything but a regular file
 * there is refused.
 */
kssp_err kssp_creds_file_replace(const char *path, const uint8_t *data, size_t len);

/*
 * The same, durable only when asked: without durable the temp file and
 * the folder are not fsync'd (readers still see the old or the new file,
 * never half of one; a crash may lose the update).  For credential
 * caches, which a kinit rebuilds, as MIT's FILE cache does; each fsync
 * costs milliseconds of a logon's wall time.
 */
kssp_err kssp_creds_file_replace_as(const char *path, const uint8_t *data, size_t len,
    bool durable);

/*
 * Takes the write lock (fcntl on the whole file, as MIT's keytab and FILE
 * cache code do) on the file now at path, created 0600 when create and
 * missing, and returns its descriptor; kssp_creds_file_unlock releases it.
 * Caches and keytabs are changed in place under this lock, as MIT changes
 * them, so that kssp and MIT writers in any mix lose nothing: a file
 * renamed over would detach what a waiting MIT writer then appends.  Only
 * a regular file is taken (through a symbolic link, as MIT follows it).
 */
kssp_err kssp_creds_file_lock(const char *path, bool create, int *fd);

/*
 * Locks the whole of fd for writing or reading, waiting for other holders,
 * as MIT's krb5_lock_file: an open file description lock where the kernel
 * has them (threads of one process exclude each other too), else a
 * process lock; the two kinds conflict with each other.
 */
kssp_err kssp_creds_file_lock_fd(int fd, bool write, const char *path);
void kssp_creds_file_unlock(int fd);

/*
 * Makes the locked file fd hold exactly data, in place: what only grows
 * is appended, anything else written from the start and truncated
 * (fsync'd when durable).  On a failure (a full disk) an append is
 * truncated away and a rewrite's old bytes are written back.  Not atomic
 * against a crash in the middle, as MIT's own writers of the same formats
 * are not.
 */
kssp_err kssp_creds_file_rewrite(int fd, const char *path, const uint8_t *data, size_t len,
    bool durable);

/*
 * The file a keytab or cache name stands for: the rest after one of
 * prefixes (a NULL-ended list, "FILE:" first) or a bare path.  Any other
 * "TYPE:" is KSSP_ERR_UNSUPPORTED ("<what> type not supported").  *path
 * is kssp_malloc'd.
 */
kssp_err kssp_creds_file_resolve(const char *name, const char *const *prefixes,
    const char *what, char **path);

/* Removes path; a missing file is KSSP_ERR_NOT_FOUND. */
kssp_err kssp_creds_file_remove(const char *path);

#endif
