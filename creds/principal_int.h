/*
 * creds/principal_int.h - Kerberos principal names: the text form, name types,
 * the Windows spellings, host-based service names and default salts.
 *
 * A principal is a realm plus a PrincipalName (RFC 4120 §5.2.2): a name
 * type and a sequence of components.  The text form is the one of RFC 1964
 * §2.1.1 as MIT extends it: components separated by '/', the realm after
 * the first unescaped '@', and a backslash escaping '/', '@', '\\' and the
 * control characters written \n, \t, \b and \0.
 *
 * Every principal owns its memory, one kssp_malloc'd block holding the
 * structure, the component table and the strings (never changed in place
 * but by case); every string is also NUL-terminated for convenience, but
 * the length is what counts: a component may hold a NUL byte.
 */
#ifndef KSSP_CREDS_PRINCIPAL_INT_H
#define KSSP_CREDS_PRINCIPAL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* Name types, RFC 4120 §6.2 and RFC 6111 (well-known). */
enum {
	KSSP_NT_UNKNOWN = 0,
	KSSP_NT_PRINCIPAL = 1,
	KSSP_NT_SRV_INST = 2,
	KSSP_NT_SRV_HST = 3,
	KSSP_NT_SRV_XHST = 4,
	KSSP_NT_UID = 5,
	KSSP_NT_X500_PRINCIPAL = 6,
	KSSP_NT_SMTP_NAME = 7,
	KSSP_NT_ENTERPRISE = 10,
	KSSP_NT_WELLKNOWN = 11
};

/* Bounds on what a principal may hold: parsers reject anything larger. */
#define KSSP_PRINCIPAL_MAX_COMPONENTS 32
#define KSSP_PRINCIPAL_MAX_STRING 4096

/* A counted string owned by its principal (data[length] is always 0). */
struct kssp_pstring {
	char *data;
	size_t length;
};

struct kssp_principal {
	int32_t name_type;
	size_t n_name_string;              /* number of components */
	struct kssp_pstring realm;
	struct kssp_pstring name_string[]; /* the components */
};

/*
 * Builds a principal from counted components.  Any of the strings may be
 * empty; the realm may be empty (the referral realm, RFC 6806 §7).
 */
kssp_err kssp_principal_new(struct kssp_principal **out, int32_t name_type,
    const char *realm, size_t realm_len, const struct kssp_pstring *components,
    size_t n_components);

/* Builds a principal from NUL-terminated components; n may be 0. */
kssp_err kssp_principal_build(struct kssp_principal **out, int32_t name_type,
    const char *realm, size_t n, const char *const *components);

kssp_err kssp_principal_copy(const struct kssp_principal *in, struct kssp_principal **out);

/* Frees p and everything it owns; p may be NULL. */
void kssp_principal_free(struct kssp_principal *p);

/* Flags for kssp_principal_parse. */
enum {
	/* a name without '@' is an error instead of taking default_realm */
	KSSP_PARSE_REQUIRE_REALM = 1 << 0,
	/* a name with '@REALM' is an error; the realm is default_realm */
	KSSP_PARSE_NO_REALM = 1 << 1,
	/*
	 * RFC 6806 §5: the name is one component, name type NT-ENTERPRISE.
	 * As in MIT, '/' is an ordinary character, the first unescaped '@'
	 * is the name's and a second one starts the realm:
	 * "user@corp.example.com" (default realm), "user@corp.example.com@REALM".
	 */
	KSSP_PARSE_ENTERPRISE = 1 << 2
};

/*
 * Parses the text form.  The name type is NT-PRINCIPAL, NT-SRV-INST for
 * "krbtgt/..." names, or NT-ENTERPRISE with KSSP_PARSE_ENTERPRISE.
 * default_realm (may be NULL) is used when the text names none; without
 * either, the realm is empty.
 */
kssp_err kssp_principal_parse(const char *text, unsigned flags, const char *default_realm,
    struct kssp_principal **out);

/* Flags for kssp_principal_unparse. */
enum {
	KSSP_UNPARSE_NO_REALM = 1 << 0, /* leave out "@REALM" */
	KSSP_UNPARSE_DISPLAY = 1 << 1   /* no escapes: for people, not for parsing */
};

/* The text form in a kssp_malloc'd NUL-terminated string. */
kssp_err kssp_principal_unparse(const struct kssp_principal *p, unsigned flags, char **out);

/*
 * The Windows spellings (MS-KILE §3.1.5.1): "DOMAIN\user" (the NetBIOS
 * domain taken as the realm, upper-cased) and the user principal name
 * "user@dns.domain" (realm: the DNS domain upper-cased), or with
 * as_enterprise the UPN as a single NT-ENTERPRISE component whose realm is
 * default_realm.  A name with neither form takes default_realm.
 */
kssp_err kssp_principal_parse_windows(const char *text, const char *default_realm,
    bool as_enterprise, struct kssp_principal **out);

/*
 * A host-based service name "service@host" (RFC 2743 §4.1,
 * GSS_C_NT_HOSTBASED_SERVICE) or "service/host" becomes
 * service/host@realm, NT-SRV-HST, the host lower-cased.  realm NULL or ""
 * leaves the realm empty: the referral realm the KDC resolves (RFC 6806).
 */
kssp_err kssp_principal_host_service(const char *text, const char *realm,
    struct kssp_principal **out);

/* One [domain_realm] line of krb5.conf: ".example.com" or "host.example.com". */
struct kssp_domain_realm {
	const char *domain;
	const char *realm;
};

/*
 * The realm for host from a [domain_realm] table, as MIT applies it: an
 * exact host entry first, then the longest ".domain" suffix.  NULL when
 * nothing matches (the caller then uses the referral realm).
 */
const char *kssp_principal_host_realm(const char *host, const struct kssp_domain_realm *map,
    size_t n);

/* Salt rules for kssp_principal_salt. */
enum kssp_salt_style {
	/* RFC 4120 §4: realm followed by every component, no separators */
	KSSP_SALT_STANDARD = 0,
	/*
	 * Active Directory (MS-KILE §3.1.5.2): for a computer account
	 * "NAME$" the salt is REALM "host" lower(NAME) "." lower(realm); for
	 * an enterprise name "user@suffix" it is REALM "user".  Otherwise the
	 * standard rule.  A salt from the KDC's ETYPE-INFO2 always wins.
	 */
	KSSP_SALT_WINDOWS = 1
};

/* Appends the default salt of p to w. */
kssp_err kssp_principal_salt(const struct kssp_principal *p, enum kssp_salt_style style,
    struct kssp_writer *w);

/* Same realm, same components (the name type is not compared, RFC 4120 §6.2). */
bool kssp_principal_equal(const struct kssp_principal *a, const struct kssp_principal *b);

/* Same components, realms ignored. */
bool kssp_principal_equal_no_realm(const struct kssp_principal *a,
    const struct kssp_principal *b);

/* Compares realm with a NUL-terminated string. */
bool kssp_principal_realm_is(const struct kssp_principal *p, const char *realm);

/* true for krbtgt/ANY@ANY (a ticket-granting service name, RFC 4120 §7.3). */
bool kssp_principal_is_tgs(const struct kssp_principal *p);

/* The realm a TGS name issues tickets for: the second component of krbtgt/R. */
const struct kssp_pstring *kssp_principal_tgs_realm(const struct kssp_principal *p);

#endif
