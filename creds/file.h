/*
 * creds/file.h - the file handling keytabs and caches share: a bounded
 * whole-file read and the atomic replace (temp file in the same folder,
 * fsync, rename, mode 0600), so that a reader never sees half a file and a
 * failed write leaves the old file as it was.
 */
#ifndef KSSP_CREDS_FILE_H
#define KSSP_CREDS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Largest keytab or cache kssp reads: 16 MiB. */
#define KSSP_CREDS_FILE_MAX ((size_t)16 << 20)

/*
 * Reads the whole of path into a kssp_malloc'd buffer.  A missing file is
 * KSSP_ERR_NOT_FOUND, a larger one than KSSP_CREDS_FILE_MAX KSSP_ERR_LIMIT.
 */
kssp_err kssp_creds_file_read(const char *path, uint8_t **data, size_t *len);

/* Replaces path with data atomically, mode 0600. */
kssp_err kssp_creds_file_replace(const char *path, const uint8_t *data, size_t len);

/* Removes path; a missing file is KSSP_ERR_NOT_FOUND. */
kssp_err kssp_creds_file_remove(const char *path);

#endif
