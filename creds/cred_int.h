/*
 * creds/cred_int.h - one credential as a cache holds it: a ticket with its
 * session key and the times and flags the KDC reported (RFC 4120 §5.4.2,
 * EncKDCRepPart), in the shape of MIT's FILE cache record.
 *
 * The ticket is kept as its DER bytes: creds/ stores and returns tickets,
 * it does not interpret them.  A struct kssp_cred owns everything it points
 * to; kssp_cred_clear frees it (the key zeroed first).
 */
#ifndef KSSP_CREDS_CRED_INT_H
#define KSSP_CREDS_CRED_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/principal_int.h"

/* A counted byte string owned by its credential. */
struct kssp_cred_data {
	uint8_t *data;
	size_t length;
};

/* A HostAddress or an AuthorizationData element (RFC 4120 §5.2.5, §5.2.6). */
struct kssp_cred_typed_data {
	int32_t type;  /* addr-type or ad-type */
	struct kssp_cred_data value;
};

/* TicketFlags bits (RFC 4120 §5.3), as numbers in host order: bit 0 is 1u << 31. */
enum {
	KSSP_TKT_FLG_FORWARDABLE = 1u << 30,
	KSSP_TKT_FLG_FORWARDED = 1u << 29,
	KSSP_TKT_FLG_PROXIABLE = 1u << 28,
	KSSP_TKT_FLG_PROXY = 1u << 27,
	KSSP_TKT_FLG_MAY_POSTDATE = 1u << 26,
	KSSP_TKT_FLG_POSTDATED = 1u << 25,
	KSSP_TKT_FLG_INVALID = 1u << 24,
	KSSP_TKT_FLG_RENEWABLE = 1u << 23,
	KSSP_TKT_FLG_INITIAL = 1u << 22,
	KSSP_TKT_FLG_PRE_AUTHENT = 1u << 21,
	KSSP_TKT_FLG_HW_AUTHENT = 1u << 20,
	KSSP_TKT_FLG_TRANSIT_POLICY_CHECKED = 1u << 19,
	KSSP_TKT_FLG_OK_AS_DELEGATE = 1u << 18,
	KSSP_TKT_FLG_ENC_PA_REP = 1u << 16,
	KSSP_TKT_FLG_ANONYMOUS = 1u << 15
};

/* Limits a credential read from a file may reach. */
#define KSSP_CRED_MAX_LIST 64                   /* addresses, authdata elements */
#define KSSP_CRED_MAX_DATA ((size_t)1 << 20)    /* one ticket or blob */

struct kssp_cred {
	struct kssp_principal *client;
	struct kssp_principal *server;
	int32_t keytype;              /* the session key's enctype */
	struct kssp_cred_data keyvalue; /* secret: zeroed when freed */
	/* KerberosTime as seconds since 1970 (unsigned 32-bit in MIT's file) */
	int64_t authtime, starttime, endtime, renew_till;
	bool is_skey;                 /* issued for user-to-user */
	uint32_t ticket_flags;
	size_t n_addresses;
	struct kssp_cred_typed_data *addresses;
	size_t n_authdata;
	struct kssp_cred_typed_data *authdata;
	struct kssp_cred_data ticket;        /* the Ticket's DER */
	struct kssp_cred_data second_ticket; /* for user-to-user, else empty */
};

/* Frees what c owns (zeroing the key) and zeroes c; c itself is not freed. */
void kssp_cred_clear(struct kssp_cred *c);

/* A deep copy of in into *out (which is overwritten, not freed). */
kssp_err kssp_cred_copy(const struct kssp_cred *in, struct kssp_cred *out);

/* Sets a counted string to a copy of data (freeing what it held). */
kssp_err kssp_cred_data_set(struct kssp_cred_data *d, const void *data, size_t len);

/*
 * MIT keeps cache configuration as pseudo-credentials whose server is
 * krb5_ccache_conf_data/KEY[/PRINCIPAL]@X-CACHECONF: (fast_avail, pa_type,
 * refresh_time, start_realm, ...); the value is in the ticket field.
 */
#define KSSP_CACHECONF_REALM "X-CACHECONF:"
#define KSSP_CACHECONF_NAME "krb5_ccache_conf_data"

bool kssp_cred_is_config(const struct kssp_cred *c);

/* The flags as MIT's klist letters ("FRIA"), into buf of at least 17 bytes. */
void kssp_cred_flags_string(uint32_t flags, char *buf, size_t cap);

#endif
