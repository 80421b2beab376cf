/*
 * creds/ccache_int.h - MIT's FILE credential cache (the format of MIT's
 * ccache_file_format.txt): version 4 written, versions 3 and 4 read.
 *
 *   file       ::= u16 version (0x0504 / 0x0503), header (v4 only),
 *                  principal default_principal, credential* (to the end)
 *   header     ::= u16 length, then tags: u16 tag, u16 length, value;
 *                  tag 1 is the KDC time offset (s32 seconds, s32 usec)
 *   principal  ::= u32 name_type, u32 count, data realm, data component[count]
 *   credential ::= principal client, principal server,
 *                  u16 keytype, [u16 enctype: v3 only], data key,
 *                  u32 authtime, starttime, endtime, renew_till,
 *                  u8 is_skey, u32 ticket_flags,
 *                  u32 count, (u16 addrtype, data)[count],
 *                  u32 count, (u16 ad_type, data)[count],
 *                  data ticket, data second_ticket
 *   data       ::= u32 length, bytes
 *
 * all big-endian.  MIT's configuration entries (X-CACHECONF: principals,
 * see creds/cred_int.h) are ordinary credentials here and survive every
 * rewrite, as do unknown header tags.
 *
 * A struct kssp_ccache is the whole cache in memory; changes are made in
 * memory and written back atomically (temp file, rename, 0600; not
 * fsync'd: a cache is rebuilt by the next kinit, as MIT's FILE cache is).
 * Readers that race a writer see the old or the new file, never a mix.
 */
#ifndef KSSP_CREDS_CCACHE_INT_H
#define KSSP_CREDS_CCACHE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/cred_int.h"
#include "creds/principal_int.h"

#define KSSP_CCACHE_V3 0x0503
#define KSSP_CCACHE_V4 0x0504

/* The most credentials kssp keeps of one cache. */
#define KSSP_CCACHE_MAX_CREDS 65536

struct kssp_ccache {
	uint16_t version;            /* as read; a new cache is 0x0504 */
	bool has_time_offset;        /* header tag 1 present */
	int32_t time_offset;         /* KDC time minus ours, seconds */
	int32_t usec_offset;
	struct kssp_cred_data header_other; /* other header tags, kept verbatim */
	struct kssp_principal *default_principal;
	size_t n_creds;
	struct kssp_cred *creds;
};

/* An empty cache with no default principal (version 0x0504). */
void kssp_ccache_init(struct kssp_ccache *cc);

/* Frees everything (session keys zeroed) and leaves cc empty. */
void kssp_ccache_free(struct kssp_ccache *cc);

/*
 * The file a cache name stands for: "FILE:path" or a bare path; NULL or ""
 * means $KRB5CCNAME, else /tmp/krb5cc_<uid>.  DIR:, KEYRING:, KCM:,
 * MEMORY:, API: and other types are KSSP_ERR_UNSUPPORTED ("cache type not
 * supported").  *path is kssp_malloc'd.
 */
kssp_err kssp_ccache_resolve(const char *name, char **path);

/* Parses a cache held in memory into cc (initialised here). */
kssp_err kssp_ccache_parse(const uint8_t *data, size_t len, struct kssp_ccache *cc);

/* Appends the version-4 encoding of cc to w.  Needs a default principal. */
kssp_err kssp_ccache_encode(const struct kssp_ccache *cc, struct kssp_writer *w);

/* Reads and parses a cache file (a bare path); a missing file is KSSP_ERR_NOT_FOUND. */
kssp_err kssp_ccache_read(const char *path, struct kssp_ccache *cc);

/*
 * Writes cc to path as a whole new cache (a kinit's), atomically, mode
 * 0600, through a symbolic link; only a regular file is replaced.
 */
kssp_err kssp_ccache_write(const struct kssp_ccache *cc, const char *path);

/*
 * Empties cc and makes principal its default principal, as kinit does to
 * a cache before storing the new TGT.  The time offset is forgotten.
 */
kssp_err kssp_ccache_reset(struct kssp_ccache *cc, const struct kssp_principal *principal);

/* Appends a copy of cred. */
kssp_err kssp_ccache_add(struct kssp_ccache *cc, const struct kssp_cred *cred);

/*
 * Stores a copy of cred in place of the credentials with the same client
 * and server (the first keeps its position, later duplicates go), or
 * appends it when there is none.
 */
kssp_err kssp_ccache_replace(struct kssp_ccache *cc, const struct kssp_cred *cred);

/*
 * Removes the (non-configuration) credentials for server; *removed (may be
 * NULL) counts them.  Removing nothing is KSSP_ERR_NOT_FOUND.
 */
kssp_err kssp_ccache_remove(struct kssp_ccache *cc, const struct kssp_principal *server,
    size_t *removed);

/*
 * The credential for server (and client, unless NULL) that expires last;
 * configuration entries are never returned.
 */
kssp_err kssp_ccache_find(const struct kssp_ccache *cc, const struct kssp_principal *client,
    const struct kssp_principal *server, const struct kssp_cred **out);

/*
 * MIT's configuration entries: the value stored under key ("fast_avail",
 * "pa_type", "refresh_time", "start_realm", ...) for principal, or for
 * the cache as a whole when principal is NULL.
 */
kssp_err kssp_ccache_get_config(const struct kssp_ccache *cc,
    const struct kssp_principal *principal, const char *key,
    const struct kssp_cred_data **value);

/* Sets (replacing) a configuration entry, as MIT's krb5_cc_set_config does. */
kssp_err kssp_ccache_set_config(struct kssp_ccache *cc, const struct kssp_principal *principal,
    const char *key, const void *value, size_t len);

/*
 * Read-modify-write of a cache file under its fcntl write lock (the lock
 * MIT's tools take too): reads path, replaces the credential for cred's
 * server (or appends it), writes it back in place.  Concurrent stores,
 * through this function or MIT's (which append under the same lock),
 * never lose one another's credentials.
 */
kssp_err kssp_ccache_store(const char *path, const struct kssp_cred *cred);

/* The same for creds[0..n), in order, in one locked read-modify-write. */
kssp_err kssp_ccache_store_all(const char *path, const struct kssp_cred *creds, size_t n);

/* Removes the cache file (kdestroy); a missing cache is KSSP_ERR_NOT_FOUND. */
kssp_err kssp_ccache_destroy(const char *path);

#endif
