/*
 * asn1/krb5_int.h - the Kerberos V5 messages of RFC 4120 §5 and the PA/AD
 * payloads of RFC 4120, MS-KILE and MS-SFU, as C structs with a decoder and
 * an encoder for each.
 *
 * Members carry the RFC's field names (cname, crealm, enc_part).  See
 * asn1/codec_int.h for the shared conventions: `der` (the raw TLV a decoded
 * value came from), NULL data for absent OPTIONAL strings and SEQUENCE OFs,
 * has_<field> for other OPTIONAL fields, <field>_len for SEQUENCE OF counts.
 *
 * Decoding points into the input and takes SEQUENCE OF arrays from one
 * arena per message:
 *
 *     struct kssp_arena a;
 *     struct kssp_kdc_rep rep;
 *     kssp_arena_init(&a);
 *     e = kssp_krb5_decode_as_rep(buf, len, &a, &rep);
 *     ... rep.enc_part.cipher, rep.ticket.der (the Ticket's own bytes) ...
 *     kssp_arena_free(&a);
 *
 * Encoding appends to a writer: kssp_krb5_encode_as_req(&req, &w).
 */
#ifndef KSSP_ASN1_KRB5_INT_H
#define KSSP_ASN1_KRB5_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/arena_int.h"
#include "asn1/codec_int.h"
#include "asn1/der_int.h"

#define KSSP_KRB5_PVNO 5

/* msg-type values, RFC 4120 §5 (the application tag numbers). */
enum kssp_krb5_msg_type {
	KSSP_KRB5_AS_REQ = 10,
	KSSP_KRB5_AS_REP = 11,
	KSSP_KRB5_TGS_REQ = 12,
	KSSP_KRB5_TGS_REP = 13,
	KSSP_KRB5_AP_REQ = 14,
	KSSP_KRB5_AP_REP = 15,
	KSSP_KRB5_TGT_REQ = 16, /* user-to-user (RFC 4120 §7.5.7) */
	KSSP_KRB5_TGT_REP = 17,
	KSSP_KRB5_SAFE = 20,
	KSSP_KRB5_PRIV = 21,
	KSSP_KRB5_CRED = 22,
	KSSP_KRB5_ERROR = 30,
};

/* PrincipalName, RFC 4120 §5.2.2 */
struct kssp_principal_name {
	struct kssp_der_bytes der;
	int32_t name_type;
	struct kssp_der_bytes *name_string; /* KerberosStrings */
	size_t name_string_len;
};

/* HostAddress, §5.2.5 */
struct kssp_host_address {
	struct kssp_der_bytes der;
	int32_t addr_type;
	struct kssp_der_bytes address;
};

/* One element of AuthorizationData, §5.2.6 */
struct kssp_authdata {
	struct kssp_der_bytes der;
	int32_t ad_type;
	struct kssp_der_bytes ad_data;
};

/* AuthorizationData and AD-IF-RELEVANT (§5.2.6.1) as a value of their own */
struct kssp_authorization_data {
	struct kssp_der_bytes der;
	struct kssp_authdata *elements;
	size_t elements_len;
};

/* PA-DATA, §5.2.7 */
struct kssp_pa_data {
	struct kssp_der_bytes der;
	int32_t padata_type;
	struct kssp_der_bytes padata_value;
};

/* METHOD-DATA, §5.9.1 (KRB-ERROR e-data) */
struct kssp_method_data {
	struct kssp_der_bytes der;
	struct kssp_pa_data *padata;
	size_t padata_len;
};

/* One element of TYPED-DATA, §5.9.1 */
struct kssp_typed_data_entry {
	struct kssp_der_bytes der;
	int32_t data_type;
	struct kssp_der_bytes data_value; /* OPTIONAL */
};

struct kssp_typed_data {
	struct kssp_der_bytes der;
	struct kssp_typed_data_entry *entries;
	size_t entries_len;
};

/* EncryptedData, §5.2.9 */
struct kssp_encrypted_data {
	struct kssp_der_bytes der;
	int32_t etype;
	bool has_kvno;
	uint32_t kvno;
	struct kssp_der_bytes cipher;
};

/* EncryptionKey, §5.2.9 */
struct kssp_encryption_key {
	struct kssp_der_bytes der;
	int32_t keytype;
	struct kssp_der_bytes keyvalue;
};

/* Checksum, §5.2.9 */
struct kssp_checksum {
	struct kssp_der_bytes der;
	int32_t cksumtype;
	struct kssp_der_bytes checksum;
};

/* Ticket [APPLICATION 1], §5.3 */
struct kssp_ticket {
	struct kssp_der_bytes der;
	int32_t tkt_vno;
	struct kssp_der_bytes realm;
	struct kssp_principal_name sname;
	struct kssp_encrypted_data enc_part;
};

/* TransitedEncoding, §5.3 */
struct kssp_transited_encoding {
	struct kssp_der_bytes der;
	int32_t tr_type;
	struct kssp_der_bytes contents;
};

/* EncTicketPart [APPLICATION 3], §5.3 */
struct kssp_enc_ticket_part {
	struct kssp_der_bytes der;
	uint32_t flags; /* TicketFlags */
	struct kssp_encryption_key key;
	struct kssp_der_bytes crealm;
	struct kssp_principal_name cname;
	struct kssp_transited_encoding transited;
	int64_t authtime;
	bool has_starttime;
	int64_t starttime;
	int64_t endtime;
	bool has_renew_till;
	int64_t renew_till;
	struct kssp_host_address *caddr;
	size_t caddr_len;
	struct kssp_authdata *authorization_data;
	size_t authorization_data_len;
};

/* KDC-REQ-BODY, §5.4.1 */
struct kssp_kdc_req_body {
	struct kssp_der_bytes der; /* the bytes the TGS authenticator checksum covers */
	uint32_t kdc_options;
	bool has_cname;
	struct kssp_principal_name cname;
	struct kssp_der_bytes realm;
	bool has_sname;
	struct kssp_principal_name sname;
	bool has_from;
	int64_t from;
	int64_t till;
	bool has_rtime;
	int64_t rtime;
	uint32_t nonce;
	int32_t *etype;
	size_t etype_len;
	struct kssp_host_address *addresses;
	size_t addresses_len;
	bool has_enc_authorization_data;
	struct kssp_encrypted_data enc_authorization_data;
	struct kssp_ticket *additional_tickets;
	size_t additional_tickets_len;
};

/* KDC-REQ: AS-REQ [APPLICATION 10], TGS-REQ [APPLICATION 12], §5.4.1 */
struct kssp_kdc_req {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_pa_data *padata;
	size_t padata_len;
	struct kssp_kdc_req_body req_body;
};

/* KDC-REP: AS-REP [APPLICATION 11], TGS-REP [APPLICATION 13], §5.4.2 */
struct kssp_kdc_rep {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_pa_data *padata;
	size_t padata_len;
	struct kssp_der_bytes crealm;
	struct kssp_principal_name cname;
	struct kssp_ticket ticket;
	struct kssp_encrypted_data enc_part;
};

/* LastReq element, §5.4.2 */
struct kssp_last_req {
	struct kssp_der_bytes der;
	int32_t lr_type;
	int64_t lr_value;
};

/*
 * EncKDCRepPart: EncASRepPart [APPLICATION 25], EncTGSRepPart [APPLICATION
 * 26], §5.4.2; encrypted-pa-data [12] from RFC 6806 §11.
 */
struct kssp_enc_kdc_rep_part {
	struct kssp_der_bytes der;
	struct kssp_encryption_key key;
	struct kssp_last_req *last_req;
	size_t last_req_len;
	uint32_t nonce;
	bool has_key_expiration;
	int64_t key_expiration;
	uint32_t flags; /* TicketFlags */
	int64_t authtime;
	bool has_starttime;
	int64_t starttime;
	int64_t endtime;
	bool has_renew_till;
	int64_t renew_till;
	struct kssp_der_bytes srealm;
	struct kssp_principal_name sname;
	struct kssp_host_address *caddr;
	size_t caddr_len;
	struct kssp_pa_data *encrypted_pa_data;
	size_t encrypted_pa_data_len;
};

/* AP-REQ [APPLICATION 14], §5.5.1 */
struct kssp_ap_req {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	uint32_t ap_options;
	struct kssp_ticket ticket;
	struct kssp_encrypted_data authenticator;
};

/* Authenticator [APPLICATION 2], §5.5.1 */
struct kssp_authenticator {
	struct kssp_der_bytes der;
	int32_t authenticator_vno;
	struct kssp_der_bytes crealm;
	struct kssp_principal_name cname;
	bool has_cksum;
	struct kssp_checksum cksum;
	int32_t cusec;
	int64_t ctime;
	bool has_subkey;
	struct kssp_encryption_key subkey;
	bool has_seq_number;
	uint32_t seq_number;
	struct kssp_authdata *authorization_data;
	size_t authorization_data_len;
};

/* AP-REP [APPLICATION 15], §5.5.2 */
struct kssp_ap_rep {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_encrypted_data enc_part;
};

/* EncAPRepPart [APPLICATION 27], §5.5.2 */
struct kssp_enc_ap_rep_part {
	struct kssp_der_bytes der;
	int64_t ctime;
	int32_t cusec;
	bool has_subkey;
	struct kssp_encryption_key subkey;
	bool has_seq_number;
	uint32_t seq_number;
};

/* KRB-SAFE-BODY, §5.6.1; also the shape of EncKrbPrivPart [APPLICATION 28], §5.7.1 */
struct kssp_krb_safe_body {
	struct kssp_der_bytes der;
	struct kssp_der_bytes user_data;
	bool has_timestamp;
	int64_t timestamp;
	bool has_usec;
	int32_t usec;
	bool has_seq_number;
	uint32_t seq_number;
	struct kssp_host_address s_address;
	bool has_r_address;
	struct kssp_host_address r_address;
};

/* KRB-SAFE [APPLICATION 20], §5.6.1 */
struct kssp_krb_safe {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_krb_safe_body safe_body;
	struct kssp_checksum cksum;
};

/* KRB-PRIV [APPLICATION 21], §5.7.1 */
struct kssp_krb_priv {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_encrypted_data enc_part;
};

/* KRB-CRED [APPLICATION 22], §5.8.1 */
struct kssp_krb_cred {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_ticket *tickets;
	size_t tickets_len;
	struct kssp_encrypted_data enc_part;
};

/* KrbCredInfo, §5.8.1 */
struct kssp_krb_cred_info {
	struct kssp_der_bytes der;
	struct kssp_encryption_key key;
	struct kssp_der_bytes prealm;
	bool has_pname;
	struct kssp_principal_name pname;
	bool has_flags;
	uint32_t flags;
	bool has_authtime;
	int64_t authtime;
	bool has_starttime;
	int64_t starttime;
	bool has_endtime;
	int64_t endtime;
	bool has_renew_till;
	int64_t renew_till;
	struct kssp_der_bytes srealm;
	bool has_sname;
	struct kssp_principal_name sname;
	struct kssp_host_address *caddr;
	size_t caddr_len;
};

/* EncKrbCredPart [APPLICATION 29], §5.8.1 */
struct kssp_enc_krb_cred_part {
	struct kssp_der_bytes der;
	struct kssp_krb_cred_info *ticket_info;
	size_t ticket_info_len;
	bool has_nonce;
	uint32_t nonce;
	bool has_timestamp;
	int64_t timestamp;
	bool has_usec;
	int32_t usec;
	bool has_s_address;
	struct kssp_host_address s_address;
	bool has_r_address;
	struct kssp_host_address r_address;
};

/* KRB-ERROR [APPLICATION 30], §5.9.1 */
struct kssp_krb_error {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	bool has_ctime;
	int64_t ctime;
	bool has_cusec;
	int32_t cusec;
	int64_t stime;
	int32_t susec;
	int32_t error_code;
	struct kssp_der_bytes crealm;
	bool has_cname;
	struct kssp_principal_name cname;
	struct kssp_der_bytes realm;
	struct kssp_principal_name sname;
	struct kssp_der_bytes e_text;
	struct kssp_der_bytes e_data; /* METHOD-DATA or TYPED-DATA, see below */
};

/* PA-ENC-TS-ENC, §5.2.7.2 */
struct kssp_pa_enc_ts_enc {
	struct kssp_der_bytes der;
	int64_t patimestamp;
	bool has_pausec;
	int32_t pausec;
};

/* ETYPE-INFO-ENTRY, §5.2.7.4 */
struct kssp_etype_info_entry {
	struct kssp_der_bytes der;
	int32_t etype;
	struct kssp_der_bytes salt; /* OCTET STRING, OPTIONAL */
};

struct kssp_etype_info {
	struct kssp_der_bytes der;
	struct kssp_etype_info_entry *entries;
	size_t entries_len;
};

/* EtypeList, RFC 4537 §3: the initiator's enctypes in AD-ETYPE-NEGOTIATION, most preferred first */
struct kssp_etype_list {
	struct kssp_der_bytes der;
	int32_t *etypes;
	size_t etypes_len;
};

/* ETYPE-INFO2-ENTRY, §5.2.7.5 */
struct kssp_etype_info2_entry {
	struct kssp_der_bytes der;
	int32_t etype;
	struct kssp_der_bytes salt;      /* KerberosString, OPTIONAL */
	struct kssp_der_bytes s2kparams; /* OCTET STRING, OPTIONAL */
};

struct kssp_etype_info2 {
	struct kssp_der_bytes der;
	struct kssp_etype_info2_entry *entries;
	size_t entries_len;
};

/* KERB-PA-PAC-REQUEST, MS-KILE §2.2.3 */
struct kssp_pa_pac_request {
	struct kssp_der_bytes der;
	bool include_pac;
};

/* PA-FOR-USER, MS-SFU §2.2.1 (ASN.1 names userName, userRealm, cksum, auth-package) */
struct kssp_pa_for_user {
	struct kssp_der_bytes der;
	struct kssp_principal_name user_name;
	struct kssp_der_bytes user_realm;
	struct kssp_checksum cksum;
	struct kssp_der_bytes auth_package;
};

/* S4UUserID, MS-SFU §2.2.2 */
struct kssp_s4u_user_id {
	struct kssp_der_bytes der;
	uint32_t nonce;
	bool has_cname;
	struct kssp_principal_name cname;
	struct kssp_der_bytes crealm;
	struct kssp_der_bytes subject_certificate; /* OPTIONAL */
	bool has_options;
	uint32_t options;
};

/* PA-S4U-X509-USER, MS-SFU §2.2.2 */
struct kssp_pa_s4u_x509_user {
	struct kssp_der_bytes der;
	struct kssp_s4u_user_id user_id;
	struct kssp_checksum checksum;
};

/* PA-PAC-OPTIONS, MS-KILE §2.2.10 */
struct kssp_pa_pac_options {
	struct kssp_der_bytes der;
	uint32_t options; /* claims(0), branch-aware(1), forward-to-full-dc(2), resource-based-constrained-delegation(3) */
};

/* AD-KDCIssued, RFC 4120 §5.2.6.2 */
struct kssp_ad_kdc_issued {
	struct kssp_der_bytes der;
	struct kssp_checksum ad_checksum;
	struct kssp_der_bytes i_realm; /* OPTIONAL */
	bool has_i_sname;
	struct kssp_principal_name i_sname;
	struct kssp_authdata *elements;
	size_t elements_len;
};

/* KERB-AD-RESTRICTION-ENTRY, MS-KILE §2.2.6 */
struct kssp_ad_restriction_entry {
	struct kssp_der_bytes der;
	int32_t restriction_type;
	struct kssp_der_bytes restriction;
};

/* ChangePasswdData, RFC 3244 §2: the new password, and whose (absent: the ticket's client). */
struct kssp_change_passwd_data {
	struct kssp_der_bytes der;
	struct kssp_der_bytes newpasswd;
	bool has_targname;
	struct kssp_principal_name targname;
	struct kssp_der_bytes targrealm; /* OPTIONAL */
};

/*
 * KERB-TGT-REQUEST and KERB-TGT-REPLY, the user-to-user GSS tokens of
 * draft-swift-win2k-krb-user2user-03 §4 (TOK_IDs 04 00 and 04 01): the
 * initiator asks the acceptor for its TGT, naming the server it means.
 */
struct kssp_kerb_tgt_request {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	bool has_server_name;
	struct kssp_principal_name server_name;
	struct kssp_der_bytes realm; /* OPTIONAL */
};

struct kssp_kerb_tgt_reply {
	struct kssp_der_bytes der;
	int32_t pvno;
	int32_t msg_type;
	struct kssp_ticket ticket;
};

/* KERB-ERROR-DATA, MS-KILE §2.2.2: AD's KRB-ERROR e-data */
struct kssp_kerb_error_data {
	struct kssp_der_bytes der;
	int32_t data_type;              /* 3: KERB_ERR_TYPE_EXTENDED */
	struct kssp_der_bytes data_value; /* OPTIONAL */
};

#define KSSP_KERB_ERR_TYPE_EXTENDED 3

/* RFC 6113 §5.4.1: the one armor type, an AP-REQ for the armor TGT. */
#define KSSP_FX_FAST_ARMOR_AP_REQUEST 1

/* KrbFastArmor, RFC 6113 §5.4.1 */
struct kssp_krb_fast_armor {
	struct kssp_der_bytes der;
	int32_t armor_type;
	struct kssp_der_bytes armor_value;
};

/* KrbFastArmoredReq, RFC 6113 §5.4.2; also PA-FX-FAST-REQUEST's armored-data [0] */
struct kssp_krb_fast_armored_req {
	struct kssp_der_bytes der;
	bool has_armor;
	struct kssp_krb_fast_armor armor;
	struct kssp_checksum req_checksum;
	struct kssp_encrypted_data enc_fast_req; /* KrbFastReq */
};

/* KrbFastReq, RFC 6113 §5.4.2 */
struct kssp_krb_fast_req {
	struct kssp_der_bytes der;
	uint32_t fast_options; /* FastOptions: hide-client-names(1), kdc-follow-referrals(16) */
	struct kssp_pa_data *padata;
	size_t padata_len;
	struct kssp_kdc_req_body req_body;
};

/* KrbFastArmoredRep, RFC 6113 §5.4.3; also PA-FX-FAST-REPLY's armored-data [0] */
struct kssp_krb_fast_armored_rep {
	struct kssp_der_bytes der;
	struct kssp_encrypted_data enc_fast_rep; /* KrbFastResponse */
};

/* KrbFastFinished, RFC 6113 §5.4.3 */
struct kssp_krb_fast_finished {
	struct kssp_der_bytes der;
	int64_t timestamp;
	int32_t usec;
	struct kssp_der_bytes crealm;
	struct kssp_principal_name cname;
	struct kssp_checksum ticket_checksum;
};

/* KrbFastResponse, RFC 6113 §5.4.3 */
struct kssp_krb_fast_response {
	struct kssp_der_bytes der;
	struct kssp_pa_data *padata;
	size_t padata_len;
	bool has_strengthen_key;
	struct kssp_encryption_key strengthen_key;
	bool has_finished;
	struct kssp_krb_fast_finished finished;
	uint32_t nonce;
};

/* KERB-EXT-ERROR, MS-KILE §2.2.1: not ASN.1 but three little-endian ULONGs. */
struct kssp_kerb_ext_error {
	uint32_t status;   /* an NTSTATUS (MS-ERREF §2.3) */
	uint32_t reserved;
	uint32_t flags;
};

/* Every descriptor, in KSSP_KRB5_TYPES's order, for tests, the fuzzers and `kssp decode`. */
extern const struct kssp_asn1_type *const kssp_krb5_all_types[];
extern const size_t kssp_krb5_n_types;

/* The descriptor whose ASN.1 name is name ("AS-REP"), or NULL. */
const struct kssp_asn1_type *kssp_krb5_type_by_name(const char *name);

/* The message type an application tag introduces (1 Ticket .. 30 KRB-ERROR), or NULL. */
const struct kssp_asn1_type *kssp_krb5_type_by_app_tag(uint32_t tag);

/* Names of the bits of TicketFlags, KDCOptions and APOptions (RFC 4120 §5.3, §5.4.1, §5.5.1). */
extern const char *const kssp_krb5_ticket_flag_names[32];
extern const char *const kssp_krb5_kdc_option_names[32];
extern const char *const kssp_krb5_ap_option_names[32];

/*
 * Every type of RFC 4120 §5 and the PA/AD payloads, as (name, C struct):
 * its descriptor kssp_krb5_NAME_type (asn1/krb5.c) and, through the macro
 * below, kssp_krb5_decode_NAME / kssp_krb5_encode_NAME.
 */
#define KSSP_KRB5_TYPES(X)                                                                      \
	X(principal_name, struct kssp_principal_name)                                           \
	X(host_address, struct kssp_host_address)                                               \
	X(authdata, struct kssp_authdata)                                                       \
	X(authorization_data, struct kssp_authorization_data)                                   \
	X(ad_if_relevant, struct kssp_authorization_data)                                       \
	X(pa_data, struct kssp_pa_data)                                                         \
	X(method_data, struct kssp_method_data)                                                 \
	X(typed_data_entry, struct kssp_typed_data_entry)                                       \
	X(typed_data, struct kssp_typed_data)                                                   \
	X(encrypted_data, struct kssp_encrypted_data)                                           \
	X(encryption_key, struct kssp_encryption_key)                                           \
	X(checksum, struct kssp_checksum)                                                       \
	X(ticket, struct kssp_ticket)                                                           \
	X(transited_encoding, struct kssp_transited_encoding)                                   \
	X(enc_ticket_part, struct kssp_enc_ticket_part)                                         \
	X(kdc_req_body, struct kssp_kdc_req_body)                                               \
	X(as_req, struct kssp_kdc_req)                                                          \
	X(tgs_req, struct kssp_kdc_req)                                                         \
	X(as_rep, struct kssp_kdc_rep)                                                          \
	X(tgs_rep, struct kssp_kdc_rep)                                                         \
	X(last_req, struct kssp_last_req)                                                       \
	X(enc_as_rep_part, struct kssp_enc_kdc_rep_part)                                        \
	X(enc_tgs_rep_part, struct kssp_enc_kdc_rep_part)                                       \
	X(ap_req, struct kssp_ap_req)                                                           \
	X(authenticator, struct kssp_authenticator)                                             \
	X(ap_rep, struct kssp_ap_rep)                                                           \
	X(enc_ap_rep_part, struct kssp_enc_ap_rep_part)                                         \
	X(krb_safe_body, struct kssp_krb_safe_body)                                             \
	X(krb_safe, struct kssp_krb_safe)                                                       \
	X(krb_priv, struct kssp_krb_priv)                                                       \
	X(enc_krb_priv_part, struct kssp_krb_safe_body)                                         \
	X(krb_cred, struct kssp_krb_cred)                                                       \
	X(krb_cred_info, struct kssp_krb_cred_info)                                             \
	X(enc_krb_cred_part, struct kssp_enc_krb_cred_part)                                     \
	X(krb_error, struct kssp_krb_error)                                                     \
	X(pa_enc_ts_enc, struct kssp_pa_enc_ts_enc)                                             \
	X(etype_info_entry, struct kssp_etype_info_entry)                                       \
	X(etype_info, struct kssp_etype_info)                                                   \
	X(etype_info2_entry, struct kssp_etype_info2_entry)                                     \
	X(etype_info2, struct kssp_etype_info2)                                                 \
	X(etype_list, struct kssp_etype_list)                                                   \
	X(pa_pac_request, struct kssp_pa_pac_request)                                           \
	X(pa_for_user, struct kssp_pa_for_user)                                                 \
	X(s4u_user_id, struct kssp_s4u_user_id)                                                 \
	X(pa_s4u_x509_user, struct kssp_pa_s4u_x509_user)                                       \
	X(pa_pac_options, struct kssp_pa_pac_options)                                           \
	X(ad_kdc_issued, struct kssp_ad_kdc_issued)                                             \
	X(ad_restriction_entry, struct kssp_ad_restriction_entry)                               \
	X(change_passwd_data, struct kssp_change_passwd_data)                                   \
	X(kerb_error_data, struct kssp_kerb_error_data)                                         \
	X(krb_fast_armor, struct kssp_krb_fast_armor)                                           \
	X(krb_fast_armored_req, struct kssp_krb_fast_armored_req)                               \
	X(pa_fx_fast_request, struct kssp_krb_fast_armored_req)                                 \
	X(krb_fast_req, struct kssp_krb_fast_req)                                               \
	X(krb_fast_armored_rep, struct kssp_krb_fast_armored_rep)                               \
	X(pa_fx_fast_reply, struct kssp_krb_fast_armored_rep)                                   \
	X(krb_fast_finished, struct kssp_krb_fast_finished)                                     \
	X(krb_fast_response, struct kssp_krb_fast_response)                                     \
	X(encrypted_challenge, struct kssp_encrypted_data)                                      \
	X(kerb_tgt_request, struct kssp_kerb_tgt_request)                                       \
	X(kerb_tgt_reply, struct kssp_kerb_tgt_reply)

/* A type's descriptor and its typed entry points: decode / encode one value. */
#define KSSP_KRB5_CODEC(fn, ctype)                                                        \
	extern const struct kssp_asn1_type kssp_krb5_##fn##_type;                            \
	static inline kssp_err kssp_krb5_decode_##fn(const uint8_t *der, size_t len,         \
	    struct kssp_arena *arena, ctype *out)                                             \
	{                                                                                     \
		return kssp_asn1_decode(&kssp_krb5_##fn##_type, der, len, arena, out);       \
	}                                                                                     \
	static inline kssp_err kssp_krb5_encode_##fn(const ctype *in, struct kssp_writer *w) \
	{                                                                                     \
		return kssp_asn1_encode(&kssp_krb5_##fn##_type, in, w);                      \
	}

KSSP_KRB5_TYPES(KSSP_KRB5_CODEC)

#undef KSSP_KRB5_CODEC

/*
 * KRB-ERROR e-data (§5.9.1): METHOD-DATA when the first element of the
 * SEQUENCE OF is a PA-DATA ([1] padata-type first), TYPED-DATA otherwise
 * ([0] data-type).  Returns which one it decoded into *md or *td.
 */
enum kssp_krb5_e_data_kind { KSSP_KRB5_E_DATA_METHOD = 1, KSSP_KRB5_E_DATA_TYPED = 2 };
kssp_err kssp_krb5_decode_e_data(const struct kssp_der_bytes *e_data, struct kssp_arena *arena,
    struct kssp_method_data *md, struct kssp_typed_data *td, enum kssp_krb5_e_data_kind *kind);

/* KERB-EXT-ERROR from its 12 bytes (exactly). */
kssp_err kssp_krb5_decode_kerb_ext_error(const struct kssp_der_bytes *b,
    struct kssp_kerb_ext_error *out);

/*
 * The NTSTATUS an AD KDC put in a KRB-ERROR's e-data (KERB-ERROR-DATA of
 * type KERB_ERR_TYPE_EXTENDED), or 0 when e-data holds none (a failure
 * reason may then be recorded: e-data is often METHOD-DATA instead).
 */
uint32_t kssp_krb5_e_data_ntstatus(const struct kssp_der_bytes *e_data);

/* "STATUS_ACCOUNT_DISABLED" for the NTSTATUS values of logon failures, else NULL. */
const char *kssp_krb5_ntstatus_name(uint32_t status);

/* true for krbtgt/ANY, a ticket-granting service's name (RFC 4120 §7.3). */
bool kssp_krb5_name_is_tgs(const struct kssp_principal_name *n);

#endif
