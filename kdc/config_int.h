/*
 * kdc/config_int.h - krb5.conf in MIT's profile syntax, and the settings kssp
 * honours from it.
 *
 * The syntax (MIT krb5 "krb5.conf" documentation, profile library):
 *     # or ; at the start of a line begins a comment
 *     [section]            a top-level section; "[section]*" marks it final
 *     name = value         a relation; a value in "double quotes" may use
 *                          \n \t \b \\ \" escapes
 *     name = {             a subsection, closed by "}" ("}*": final)
 *     include FILE         the named file's sections, read in place
 *     includedir DIR       every file of DIR whose name is only letters,
 *                          digits, '-' and '_', or ends in ".conf"
 *
 * Several files (KRB5_CONFIG is a colon-separated list) are merged in
 * order: a single-valued lookup returns the first value found, a list
 * lookup returns every value in file order, and a section or subsection
 * marked final hides the same-named ones of later files.
 *
 * A file that does not exist is skipped (no file at all means defaults);
 * any other problem fails with KSSP_ERR_BAD_ENCODING and the reason
 * "FILE:LINE: what was wrong".  Unknown relations are kept and ignored.
 */
#ifndef KSSP_KDC_CONFIG_INT_H
#define KSSP_KDC_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

struct kssp_config;

/* Bounds that keep a hostile or looping configuration finite. */
#define KSSP_CONFIG_MAX_FILE   ((size_t)1 << 20) /* bytes per file */
#define KSSP_CONFIG_MAX_DEPTH  8                 /* include nesting */
#define KSSP_CONFIG_MAX_FILES  256               /* files one load reads in all */
#define KSSP_CONFIG_MAX_NEST   16                /* { } nesting */
#define KSSP_CONFIG_MAX_ETYPES 16                /* entries of an enctype list */

/* An empty configuration: every accessor returns its default. */
kssp_err kssp_config_new(struct kssp_config **out);

/*
 * Loads the configuration: path when not NULL (itself a colon-separated
 * list), else $KRB5_CONFIG, else /etc/krb5.conf.
 */
kssp_err kssp_config_load(const char *path, struct kssp_config **out);

/* Adds the files of a colon-separated list, in order. */
kssp_err kssp_config_add_files(struct kssp_config *cfg, const char *list);

/*
 * Adds one file's text, named name in error messages.  include and
 * includedir are resolved relative to the current directory (as MIT does:
 * the paths should be absolute).
 */
kssp_err kssp_config_add_text(struct kssp_config *cfg, const char *name,
    const char *text, size_t len);

void kssp_config_free(struct kssp_config *cfg);

/*
 * Generic lookups.  path is a NULL-terminated list of names, the first
 * being the section: { "realms", "KSSP.TEST", "kdc", NULL }.
 * kssp_config_get returns the first value, or NULL.  kssp_config_get_all
 * stores up to max values in out and returns how many there are in all.
 */
const char *kssp_config_get(const struct kssp_config *cfg, const char *const *path);
size_t kssp_config_get_all(const struct kssp_config *cfg, const char *const *path,
    const char **out, size_t max);

/*
 * The names of the subsections or relations directly under path, in file
 * order, duplicates removed.  Returns the count in all; stores up to max.
 */
size_t kssp_config_names(const struct kssp_config *cfg, const char *const *path,
    const char **out, size_t max);

/* Profile booleans: y, yes, true, t, 1, on / n, no, false, nil, 0, off. */
bool kssp_config_parse_bool(const char *text, bool *out);

/*
 * Profile durations: "N" seconds, "NdNhNmNs" (any subset, in that order),
 * "H:M" or "H:M:S", or "Nd" plus such a clock time.
 */
bool kssp_config_parse_duration(const char *text, int64_t *out);

/*
 * An enctype list ("aes256-cts aes128-sha2 -rc4 DEFAULT", commas or spaces,
 * names, families or numbers; unknown names ignored as MIT does) into out.
 * RC4 (23, 24) is dropped unless allow_rc4 is set.  Returns the count.
 */
size_t kssp_config_parse_enctypes(const char *text, bool allow_rc4, int32_t *out,
    size_t max);

/* The number of an enctype name ("aes256-cts-hmac-sha1-96" is 18), or 0. */
int32_t kssp_config_enctype_number(const char *name);

/* [libdefaults], with MIT's defaults. */
const char *kssp_config_default_realm(const struct kssp_config *cfg);   /* NULL if unset */
bool kssp_config_dns_lookup_kdc(const struct kssp_config *cfg);         /* true */
size_t kssp_config_udp_preference_limit(const struct kssp_config *cfg); /* 1465 */
bool kssp_config_kdc_timesync(const struct kssp_config *cfg);           /* true */
int64_t kssp_config_clockskew(const struct kssp_config *cfg);           /* 300 s */
/* Per-request bound on all KDC waits (MIT's request_timeout); 30 s when unset or 0. */
int64_t kssp_config_request_timeout(const struct kssp_config *cfg);
bool kssp_config_forwardable(const struct kssp_config *cfg);            /* false */
bool kssp_config_proxiable(const struct kssp_config *cfg);              /* false */
bool kssp_config_canonicalize(const struct kssp_config *cfg);           /* false */
/* kssp_require_fast: every AS exchange must be armored (RFC 6113). */
bool kssp_config_kssp_require_fast(const struct kssp_config *cfg);      /* false */
/*
 * Delegation only to services whose ticket is ok-as-delegate (MIT's
 * enforce_ok_as_delegate).  Default true, as Windows' Kerberos client
 * behaves (MIT's default is false); false delegates to any service.
 */
bool kssp_config_enforce_ok_as_delegate(const struct kssp_config *cfg); /* true */
int64_t kssp_config_ticket_lifetime(const struct kssp_config *cfg);     /* 86400 s */
int64_t kssp_config_renew_lifetime(const struct kssp_config *cfg);      /* 0 */

/*
 * default_tkt_enctypes, default_tgs_enctypes, permitted_enctypes: the
 * relation's list (MIT's default list when unset), filtered by
 * permitted_enctypes for the first two.  Returns the count stored in out.
 */
size_t kssp_config_tkt_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max);
size_t kssp_config_tgs_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max);
size_t kssp_config_permitted_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max);

/* [realms] REALM kdc and master_kdc values (returns the count in all). */
size_t kssp_config_realm_kdcs(const struct kssp_config *cfg, const char *realm,
    const char **out, size_t max);
size_t kssp_config_realm_master_kdcs(const struct kssp_config *cfg, const char *realm,
    const char **out, size_t max);

/*
 * [domain_realm]: the realm of host (exact name first, then ".domain"
 * entries from the most specific up), or NULL.
 */
const char *kssp_config_host_realm(const struct kssp_config *cfg, const char *host);

/*
 * [capaths] CLIENT SERVER: the intermediate realms from client's realm to
 * server's, in order ("." means direct and yields none).  Returns the count
 * in all, or (size_t)-1 when no capaths entry exists.
 */
size_t kssp_config_capath(const struct kssp_config *cfg, const char *client_realm,
    const char *server_realm, const char **out, size_t max);

#endif
