/*
 * creds/rcache_int.h - MIT's shared replay cache file (type "file2", MIT
 * src/lib/krb5/rcache/rc_file2.c), so that acceptors in several
 * processes, kssp's and MIT's, refuse at once an authenticator any of
 * them took (RFC 4120 §3.2.3).
 *
 * The file: a 16-byte SipHash-2-4 seed, then hash tables of 16-byte
 * records (a 12-byte tag, the 32-bit big-endian time it was stored; time
 * 0 is an empty record).  The first table holds 1023 records, the second
 * 2048, each later one twice the one before, back to back.  Each
 * check-and-store runs with the whole file write-locked (fcntl), as MIT's
 * does, so that any mix of kssp and MIT acceptors sees every entry.
 */
#ifndef KSSP_CREDS_RCACHE_INT_H
#define KSSP_CREDS_RCACHE_INT_H

#include <stdint.h>

#include "base/base.h"

#define KSSP_RCFILE_TAG_LEN 12

enum kssp_rcname_kind {
	KSSP_RCNAME_MEMORY = 0, /* no file named: the acceptor's in-memory cache */
	KSSP_RCNAME_NONE,       /* "none:": no replay detection */
	KSSP_RCNAME_FILE,       /* "file2:PATH" or a bare path */
	KSSP_RCNAME_DFL         /* "dfl:": file2 at MIT's per-user default path */
};

struct kssp_rcname {
	enum kssp_rcname_kind kind;
	char *path; /* FILE and DFL: kssp_malloc'd */
};

/*
 * What a replay cache name stands for, as MIT's k5_rc_resolve and
 * k5_rc_default (rc_base.c) read it: "file2:PATH", "dfl:" (file2 in
 * $KRB5RCACHEDIR, else $TMPDIR, else /var/tmp, named krb5_EUID.rcache2),
 * "none:"; kssp also takes a bare path as "file2:".  name NULL: the
 * environment's KRB5RCACHENAME, else KRB5RCACHETYPE ("TYPE:"), else
 * KSSP_RCNAME_MEMORY.  Other types are KSSP_ERR_UNSUPPORTED.
 */
kssp_err kssp_rcname_resolve(const char *name, struct kssp_rcname *out);
void kssp_rcname_free(struct kssp_rcname *rc);

/*
 * The tag MIT keeps for an authenticator (k5_rc_tag_from_ciphertext): the
 * enctype's checksum, the last bytes of the sealed authenticator, cut or
 * zero-padded to 12 bytes.
 */
kssp_err kssp_rcfile_tag(int32_t enctype, const uint8_t *cipher, size_t len,
    uint8_t tag[KSSP_RCFILE_TAG_LEN]);

/*
 * Checks tag against the file rc names and stores it, under the file's
 * write lock: KRB_AP_ERR_REPEAT when the file holds it already.  now is
 * the acceptor's time; records older than now - skew are reused.  A new
 * file's seed comes from hooks' random source.  A file that cannot be
 * opened, locked, read or written, or that is not one MIT's code writes,
 * is KSSP_ERR_IO with a reason naming it; it is left as it is.
 */
kssp_err kssp_rcfile_store(const struct kssp_rcname *rc, const uint8_t tag[KSSP_RCFILE_TAG_LEN],
    uint32_t now, uint32_t skew, const struct kssp_hooks *hooks);

/* The same on a file already open read-write and locked (fuzzing, tests). */
kssp_err kssp_rcfile_store_fd(int fd, const char *path, const uint8_t tag[KSSP_RCFILE_TAG_LEN],
    uint32_t now, uint32_t skew, const struct kssp_hooks *hooks);

#endif
