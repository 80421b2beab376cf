/*
 * sspi/target_int.h - InitializeSecurityContext's pszTargetName, as a
 * Kerberos principal.
 *
 *   "HTTP/host.example.com"        SPN, the realm found later (referrals)
 *   "HTTP/host.example.com@REALM"  SPN in a named realm
 *   "HTTP@host.example.com"        GSS host-based service (RFC 2743 §4.1):
 *                                  a service word (letters of either case,
 *                                  digits, '-') "@" a lower-case dotted host
 *   "alice@EXAMPLE.COM", "alice"   a user principal; user-to-user
 *   "svc.web@upn.example.com"      a UPN: the caller makes it an enterprise
 *                                  name when its suffix is no known realm
 *
 * SPNs use KRB_NT_SRV_INST as Windows' client does ([MS-KILE] 3.1.5.11);
 * host-based names KRB_NT_SRV_HST (RFC 4120 §6.2).
 */
#ifndef KSSP_SSPI_TARGET_INT_H
#define KSSP_SSPI_TARGET_INT_H

#include <stddef.h>

#include "base/base.h"
#include "creds/creds.h"

struct kssp_sspi_target {
	char *service;  /* "HTTP", or the user name of a UPN */
	char *host;     /* "host.example.com", NULL for a UPN */
	char *realm;    /* NULL: not named */
	int name_type;  /* KSSP_NT_* */
};

/* Parses name (UTF-8); KSSP_ERR_INVALID_ARG with a reason when it is not a target. */
kssp_err kssp_sspi_target_parse(const char *name, struct kssp_sspi_target *t);

void kssp_sspi_target_free(struct kssp_sspi_target *t);

/*
 * The principal t names.  Without a realm in the name the realm is
 * host_realm (the host's [domain_realm] mapping), else default_realm;
 * either may be NULL.
 */
kssp_err kssp_sspi_target_principal(const struct kssp_sspi_target *t, const char *host_realm,
    const char *default_realm, struct kssp_principal **out);

#endif
