/*
 * creds/keytab_int.h - MIT's keytab file (the format of MIT's keytab.txt):
 * version 0x0502, read 0x0501 too.
 *
 *   keytab  ::= u16 version, then records until the end of the file
 *   record  ::= s32 size; size < 0 is a hole of -size bytes, 0 ends the list
 *   entry   ::= u16 count, data realm, data component[count],
 *               u32 name_type (not in 0x0501), u32 timestamp, u8 vno8,
 *               u16 keytype, data key, [u32 vno]
 *   data    ::= u16 length, bytes
 *
 * 0x0502 is big-endian; 0x0501 counts the realm in count, has no name
 * type and is in the writer's native order (little-endian on the machines
 * that wrote them).  The optional trailing 32-bit vno, when present and
 * non-zero, overrides the 8-bit one.
 *
 * A struct kssp_keytab is the whole file in memory.  Changes are made in
 * memory, read and written back under the file's fcntl write lock and in
 * place (kssp_keytab_lock, kssp_keytab_write_locked), as MIT's ktadd and
 * ktutil change it, mode 0600; kssp writes 0x0502 without holes.
 */
#ifndef KSSP_CREDS_KEYTAB_INT_H
#define KSSP_CREDS_KEYTAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/principal_int.h"

#define KSSP_KEYTAB_V1 0x0501
#define KSSP_KEYTAB_V2 0x0502

/* The most entries kssp keeps of one keytab, and the largest key. */
#define KSSP_KEYTAB_MAX_ENTRIES 65536
#define KSSP_KEYTAB_MAX_KEY 256

struct kssp_keytab_entry {
	struct kssp_principal *principal;
	uint32_t timestamp;  /* when the key was stored, seconds since 1970 */
	uint32_t vno;        /* the key version: the 32-bit one when present */
	int32_t keytype;     /* the enctype */
	uint8_t *key;        /* secret: zeroed when freed */
	size_t key_len;
};

struct kssp_keytab {
	uint16_t version;    /* as read; KSSP_KEYTAB_V2 for a new keytab */
	size_t n_entries;
	struct kssp_keytab_entry *entries;
};

/* An empty keytab (version 0x0502). */
void kssp_keytab_init(struct kssp_keytab *kt);

/* Frees every entry (keys zeroed) and leaves kt empty. */
void kssp_keytab_free(struct kssp_keytab *kt);

/*
 * The file a keytab name stands for: "FILE:path", "WRFILE:path" or a bare
 * path; NULL or "" means $KRB5_KTNAME, else /etc/krb5.keytab.  Other
 * types (MEMORY:, KDB:, ...) are KSSP_ERR_UNSUPPORTED.  *path is
 * kssp_malloc'd.
 */
kssp_err kssp_keytab_resolve(const char *name, char **path);

/* Parses a keytab held in memory into kt (initialised here). */
kssp_err kssp_keytab_parse(const uint8_t *data, size_t len, struct kssp_keytab *kt);

/* Appends the 0x0502 encoding of kt to w. */
kssp_err kssp_keytab_encode(const struct kssp_keytab *kt, struct kssp_writer *w);

/* Reads and parses a keytab file (a bare path). */
kssp_err kssp_keytab_read(const char *path, struct kssp_keytab *kt);

/*
 * Takes path's write lock (creating it 0600 when missing and create; else
 * a missing keytab is KSSP_ERR_NOT_FOUND) and reads it into kt through the
 * locked descriptor; kssp_creds_file_unlock(*fd) ends the change.  MIT's writers wait for the lock, so an entry they
 * append is neither lost nor duplicated by a change made meanwhile.
 */
kssp_err kssp_keytab_lock(const char *path, bool create, int *fd, struct kssp_keytab *kt);

/* Writes kt over the locked file fd (in place, fsync'd). */
kssp_err kssp_keytab_write_locked(int fd, const struct kssp_keytab *kt, const char *path);

/* Writes kt to path as a whole new file (kssp_creds_file_replace), mode 0600. */
kssp_err kssp_keytab_write(const struct kssp_keytab *kt, const char *path);

/*
 * The best key for principal: of the entries with the same name (the
 * realm compared too), keytype 0 meaning any enctype and vno 0 meaning
 * any version, the one with the highest vno; among equal vnos the later
 * entry in the file (MIT's rule: a later ktadd wins).  When principal's
 * realm is empty any realm matches.  KSSP_ERR_NOT_FOUND names what was
 * missing.
 */
kssp_err kssp_keytab_find(const struct kssp_keytab *kt, const struct kssp_principal *principal,
    int32_t keytype, uint32_t vno, const struct kssp_keytab_entry **out);

/* Adds a copy of the key as a new entry at the end. */
kssp_err kssp_keytab_add_key(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t keytype, const uint8_t *key, size_t key_len, uint32_t timestamp);

/*
 * Adds the key RFC 3961 string-to-key makes from password (UTF-8) for
 * enctype: with salt, or when salt is NULL the principal's default salt
 * (creds/principal_int.h, standard style), and the enctype's default
 * string-to-key parameters.
 */
kssp_err kssp_keytab_add_password(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t enctype, const char *password, size_t pwlen, const uint8_t *salt,
    size_t saltlen, uint32_t timestamp);

/* Adds a fresh random key of enctype from the hooks' random source. */
kssp_err kssp_keytab_add_random(struct kssp_keytab *kt, const struct kssp_hooks *hooks,
    const struct kssp_principal *principal, uint32_t vno, int32_t enctype, uint32_t timestamp);

/*
 * Removes the entries of principal (every vno when vno is 0, every
 * enctype when keytype is 0); *removed (may be NULL) counts them.
 * Removing nothing is KSSP_ERR_NOT_FOUND.
 */
kssp_err kssp_keytab_remove(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t keytype, size_t *removed);

/* The highest vno stored for principal, 0 when it has no entry. */
uint32_t kssp_keytab_max_vno(const struct kssp_keytab *kt, const struct kssp_principal *principal);

#endif
