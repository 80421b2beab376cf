/*
 * context/pac_int.h - the Privilege Attribute Certificate (MS-PAC): parsed from
 * a ticket's authorization data and verified with the service key.
 *
 * kssp_pac_parse copies the PAC into the arena of its struct kssp_pac and
 * decodes every buffer type it knows from that copy; the decoded values
 * point into the copy, so a struct kssp_pac stands alone once parsed and
 * kssp_pac_free releases everything at once.  Unknown buffer types are kept
 * (type and byte range) and shown, never interpreted.
 *
 * Strings are UTF-16LE byte ranges as the PAC holds them (even lengths
 * only); kssp_pac_string_utf8 turns one into UTF-8.  Times are FILETIMEs:
 * 100-nanosecond intervals since 1601-01-01 UTC (MS-DTYP 2.3.3).
 *
 * Only the server signature can be verified by an acceptor: the KDC, ticket
 * and full signatures are keyed with the krbtgt key (MS-PAC 2.8.2-2.8.5).
 * They are parsed and kept, and stay "not verified".
 */
#ifndef KSSP_CONTEXT_PAC_INT_H
#define KSSP_CONTEXT_PAC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "creds/creds.h"
#include "crypto/crypto.h"

/* Authorization-data types carrying the PAC (MS-KILE 3.1.5.8, RFC 4120 §7.5.4). */
#define KSSP_AD_IF_RELEVANT 1
#define KSSP_AD_WIN2K_PAC 128

/* PAC_INFO_BUFFER ulType values, MS-PAC 2.4. */
enum {
	KSSP_PAC_LOGON_INFO = 1,
	KSSP_PAC_CREDENTIALS_INFO = 2,
	KSSP_PAC_SERVER_CHECKSUM = 6,
	KSSP_PAC_PRIVSVR_CHECKSUM = 7,
	KSSP_PAC_CLIENT_INFO = 10,
	KSSP_PAC_DELEGATION_INFO = 11,
	KSSP_PAC_UPN_DNS_INFO = 12,
	KSSP_PAC_CLIENT_CLAIMS = 13,
	KSSP_PAC_DEVICE_INFO = 14,
	KSSP_PAC_DEVICE_CLAIMS = 15,
	KSSP_PAC_TICKET_CHECKSUM = 16,
	KSSP_PAC_ATTRIBUTES_INFO = 17,
	KSSP_PAC_REQUESTOR = 18,
	KSSP_PAC_FULL_CHECKSUM = 19
};

/*
 * Bounds.  Windows caps a whole authentication token at MaxTokenSize, at
 * most 65535 bytes, and the PAC travels inside the ticket inside that token,
 * so no genuine PAC is larger.  (A user in 400 groups gives a PAC of about
 * 4 KB; AD's 1015-group limit about 10 KB.)  MS-PAC defines 14 buffer types
 * and each appears once; 64 entries leave room for types yet to come.
 */
#define KSSP_PAC_MAX_SIZE 65535u
#define KSSP_PAC_MAX_BUFFERS 64u
/* MS-DTYP 2.4.2: a SID has at most 15 sub-authorities. */
#define KSSP_PAC_SID_MAX_SUB 15
/* "S-255-" + a 48-bit authority (15 digits) + 15 x "-4294967295" + NUL. */
#define KSSP_PAC_SID_TEXT_MAX 192

/* UPN_DNS_INFO Flags, MS-PAC 2.10. */
#define KSSP_PAC_UPN_CONSTRUCTED 0x1u  /* U: no userPrincipalName attribute */
#define KSSP_PAC_UPN_EXTENDED 0x2u     /* S: SAM name and SID follow */

/* A UTF-16LE string inside the PAC (len even; data NULL when absent). */
struct kssp_pac_string {
	const uint8_t *data;
	size_t len;
};

/* RPC_SID, MS-DTYP 2.4.2.3. */
struct kssp_pac_sid {
	uint8_t revision;
	uint8_t sub_authority_count;
	uint8_t identifier_authority[6];
	uint32_t sub_authority[KSSP_PAC_SID_MAX_SUB];
};

/* GROUP_MEMBERSHIP, MS-PAC 2.2.2. */
struct kssp_pac_group {
	uint32_t relative_id;
	uint32_t attributes;
};

/* KERB_SID_AND_ATTRIBUTES, MS-PAC 2.2.1. */
struct kssp_pac_sid_attr {
	struct kssp_pac_sid *sid; /* never NULL once parsed */
	uint32_t attributes;
};

/* DOMAIN_GROUP_MEMBERSHIP, MS-PAC 2.2.3. */
struct kssp_pac_domain_group {
	struct kssp_pac_sid *domain_id;
	uint32_t group_count;
	struct kssp_pac_group *group_ids;
};

/* KERB_VALIDATION_INFO, MS-PAC 2.5 (the fields an acceptor uses). */
struct kssp_pac_logon_info {
	uint64_t logon_time;
	uint64_t logoff_time;
	uint64_t kickoff_time;
	uint64_t password_last_set;
	uint64_t password_can_change;
	uint64_t password_must_change;
	struct kssp_pac_string effective_name;
	struct kssp_pac_string full_name;
	struct kssp_pac_string logon_script;
	struct kssp_pac_string profile_path;
	struct kssp_pac_string home_directory;
	struct kssp_pac_string home_directory_drive;
	uint16_t logon_count;
	uint16_t bad_password_count;
	uint32_t user_id;
	uint32_t primary_group_id;
	uint32_t group_count;
	struct kssp_pac_group *group_ids;
	uint32_t user_flags;
	struct kssp_pac_string logon_server;
	struct kssp_pac_string logon_domain_name;
	struct kssp_pac_sid *logon_domain_id;
	uint32_t user_account_control;
	uint32_t sid_count;
	struct kssp_pac_sid_attr *extra_sids;
	struct kssp_pac_sid *resource_group_domain_sid; /* NULL when absent */
	uint32_t resource_group_count;
	struct kssp_pac_group *resource_group_ids;
};

/* PAC_CLIENT_INFO, MS-PAC 2.7. */
struct kssp_pac_client_info {
	uint64_t client_id; /* the ticket's authtime as a FILETIME */
	struct kssp_pac_string name;
};

/* UPN_DNS_INFO, MS-PAC 2.10. */
struct kssp_pac_upn_dns_info {
	uint32_t flags;
	struct kssp_pac_string upn;
	struct kssp_pac_string dns_domain_name;
	struct kssp_pac_string sam_name;  /* with KSSP_PAC_UPN_EXTENDED */
	struct kssp_pac_sid *sid;         /* with KSSP_PAC_UPN_EXTENDED, else NULL */
};

/* S4U_DELEGATION_INFO, MS-PAC 2.9. */
struct kssp_pac_delegation_info {
	struct kssp_pac_string s4u2proxy_target;
	uint32_t transited_list_size;
	struct kssp_pac_string *transited_services;
};

/* PAC_DEVICE_INFO, MS-PAC 2.12. */
struct kssp_pac_device_info {
	uint32_t user_id;
	uint32_t primary_group_id;
	struct kssp_pac_sid *account_domain_id;
	uint32_t account_group_count;
	struct kssp_pac_group *account_group_ids;
	uint32_t sid_count;
	struct kssp_pac_sid_attr *extra_sids;
	uint32_t domain_group_count;
	struct kssp_pac_domain_group *domain_groups;
};

/* PAC_ATTRIBUTES_INFO, MS-PAC 2.14: FlagsLength bits, first word kept. */
struct kssp_pac_attributes_info {
	uint32_t flags_length;
	uint32_t flags;
};

/* PAC_SIGNATURE_DATA, MS-PAC 2.8. */
struct kssp_pac_signature {
	bool present;
	int32_t type;               /* a checksum type number */
	const uint8_t *signature;   /* into the PAC */
	size_t signature_len;
	bool has_rodc_identifier;
	uint16_t rodc_identifier;
	size_t offset;              /* of the buffer within the PAC */
	size_t size;                /* of the buffer */
};

/* One PAC_INFO_BUFFER, MS-PAC 2.4, known type or not. */
struct kssp_pac_buffer {
	uint32_t type;
	size_t offset;
	size_t size;
	const uint8_t *data; /* into the PAC */
};

struct kssp_pac {
	const uint8_t *data; /* the whole PAC (the arena's copy) */
	size_t len;
	uint32_t version;
	size_t n_buffers;
	struct kssp_pac_buffer *buffers; /* in the PAC's order */
	/* Decoded buffers; NULL when the PAC has none of that type. */
	struct kssp_pac_logon_info *logon_info;
	struct kssp_pac_client_info *client_info;
	struct kssp_pac_upn_dns_info *upn_dns_info;
	struct kssp_pac_delegation_info *delegation_info;
	struct kssp_pac_device_info *device_info;
	struct kssp_pac_attributes_info *attributes_info;
	struct kssp_pac_sid *requestor;
	/* Claims (13, 15) are kept raw: MS-ADTS 2.2.18 decoding is not built. */
	const struct kssp_pac_buffer *client_claims;
	const struct kssp_pac_buffer *device_claims;
	struct kssp_pac_signature server_signature;
	struct kssp_pac_signature kdc_signature;    /* never verified here */
	struct kssp_pac_signature ticket_signature; /* never verified here */
	struct kssp_pac_signature full_signature;   /* never verified here */
	bool server_signature_verified;             /* set by kssp_pac_verify */
	struct kssp_arena arena;
};

/*
 * Parses len bytes of a PAC (the ad-data of AD-WIN2K-PAC) into *pac, which
 * must be freed with kssp_pac_free whatever the result.  Malformed input is
 * KSSP_ERR_BAD_ENCODING or KSSP_ERR_TRUNCATED, a bound KSSP_ERR_LIMIT, each
 * with a reason naming the buffer and field.
 */
kssp_err kssp_pac_parse(const uint8_t *data, size_t len, struct kssp_pac *pac);

void kssp_pac_free(struct kssp_pac *pac);

/*
 * The acceptor's checks of MS-PAC 2.8.1 and 2.7, in this order:
 *  - the server signature and the KDC signature are present (else
 *    KRB_AP_ERR_MODIFIED);
 *  - the server signature's type is the checksum type of service_key's
 *    enctype, and keyed (else KRB_AP_ERR_INAPP_CKSUM: an unkeyed checksum
 *    anyone can compute is a forgery);
 *  - it verifies, computed over the PAC with the server and KDC signatures
 *    zeroed, key usage 17 (else KRB_AP_ERR_MODIFIED);
 *  - PAC_CLIENT_INFO is present, its ClientId is authtime (seconds since
 *    1970) and its name is client's, realm left out (else
 *    KRB_AP_ERR_BADMATCH).
 * On success pac->server_signature_verified is set.
 */
kssp_err kssp_pac_verify(struct kssp_pac *pac, struct kssp_key *service_key,
    const struct kssp_principal *client, int64_t authtime);

/*
 * The one PAC of a ticket's decrypted authorization-data (RFC 4120 §5.3):
 * AD-WIN2K-PAC inside AD-IF-RELEVANT (MS-KILE 3.1.5.8), or at the top level
 * (counted too, so that a second PAC cannot hide beside the first).  Sets *pac / *len
 * (pointing into the authorization data), or fails with KSSP_ERR_NOT_FOUND
 * when there is none and KRB_AP_ERR_MODIFIED when there are two or more.
 * arena holds the decoded AD-IF-RELEVANT containers.
 */
kssp_err kssp_pac_find(const struct kssp_authdata *ad, size_t n_ad, struct kssp_arena *arena,
    const uint8_t **pac, size_t *len);

/*
 * s as UTF-8 in a kssp_malloc'd NUL-terminated string.  An unpaired
 * surrogate or a NUL character is KSSP_ERR_BAD_ENCODING.
 */
kssp_err kssp_pac_string_utf8(const struct kssp_pac_string *s, char **out);

/* "S-1-5-21-...", MS-DTYP 2.4.2.1, into buf. */
void kssp_pac_sid_text(const struct kssp_pac_sid *sid, char buf[KSSP_PAC_SID_TEXT_MAX]);

/* Seconds since 1970 as a FILETIME (MS-DTYP 2.3.3); 0 before 1601. */
uint64_t kssp_pac_filetime_from_unix(int64_t t);

#endif
