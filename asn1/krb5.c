/*
 * asn1/krb5.c - the type tables of RFC 4120 §5 (and of the PA/AD payloads
 * of RFC 4120, MS-KILE and MS-SFU) that asn1/codec.c walks.  Each table
 * lists a SEQUENCE's fields in the order and with the tags of the RFC's
 * ASN.1 module (RFC 4120 Appendix A); asn1/krb5.asn says the same in
 * libtasn1's syntax for the cross-check tests.
 */
#include "asn1/krb5_int.h"

#include <string.h>

#define K_INT KSSP_ASN1_INT32
#define K_UINT KSSP_ASN1_UINT32
#define K_SEQNUM KSSP_ASN1_SEQNUM
#define K_BOOL KSSP_ASN1_BOOL
#define K_OCT KSSP_ASN1_OCTETS
#define K_STR KSSP_ASN1_KSTRING
#define K_TIME KSSP_ASN1_TIME
#define K_FLAGS KSSP_ASN1_FLAGS
#define K_SEQ KSSP_ASN1_STRUCT
#define OPT KSSP_ASN1_OPTIONAL
#define SEQOF KSSP_ASN1_SEQOF
#define NO_AUX KSSP_ASN1_NO_AUX

/* A mandatory field, or an OPTIONAL string that is absent when NULL. */
#define FIELD(T, name, tag, kind, m) { name, tag, kind, 0, offsetof(T, m), NO_AUX, NULL, NULL }
#define OPT_STR(T, name, tag, kind, m) { name, tag, kind, OPT, offsetof(T, m), NO_AUX, NULL, NULL }
/* An OPTIONAL scalar with its has_<m> flag. */
#define OPT_FIELD(T, name, tag, kind, m) \
	{ name, tag, kind, OPT, offsetof(T, m), offsetof(T, has_##m), NULL, NULL }
#define STRUCT(T, name, tag, type, m) { name, tag, K_SEQ, 0, offsetof(T, m), NO_AUX, &(type), NULL }
#define OPT_STRUCT(T, name, tag, type, m) \
	{ name, tag, K_SEQ, OPT, offsetof(T, m), offsetof(T, has_##m), &(type), NULL }
#define LIST(T, name, tag, kind, type, m) \
	{ name, tag, kind, SEQOF, offsetof(T, m), offsetof(T, m##_len), (type), NULL }
#define OPT_LIST(T, name, tag, kind, type, m) \
	{ name, tag, kind, SEQOF | OPT, offsetof(T, m), offsetof(T, m##_len), (type), NULL }
#define FLAGS(T, name, tag, m, bits) { name, tag, K_FLAGS, 0, offsetof(T, m), NO_AUX, NULL, bits }
#define OPT_FLAGS(T, name, tag, m, bits) \
	{ name, tag, K_FLAGS, OPT, offsetof(T, m), offsetof(T, has_##m), NULL, bits }

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* A plain SEQUENCE, an [APPLICATION n] SEQUENCE, a SEQUENCE OF. */
#define SEQ_TYPE(var, name, T, fields) \
	const struct kssp_asn1_type var = { name, 0, 0, 0, false, false, sizeof(T), fields, N(fields) }
#define APP_TYPE(var, name, n, T, fields) \
	const struct kssp_asn1_type var = { name, KSSP_DER_APPLICATION, n, n, false, false, \
		sizeof(T), fields, N(fields) }
#define LIST_TYPE(var, name, T, fields) \
	const struct kssp_asn1_type var = { name, 0, 0, 0, true, false, sizeof(T), fields, 1 }

/* RFC 4120 §5.3 TicketFlags; 15 enc-pa-rep (RFC 6806), 16 anonymous (RFC 8062). */
const char *const kssp_krb5_ticket_flag_names[32] = {
	"reserved", "forwardable", "forwarded", "proxiable", "proxy", "may-postdate", "postdated",
	"invalid", "renewable", "initial", "pre-authent", "hw-authent", "transited-policy-checked",
	"ok-as-delegate", NULL, "enc-pa-rep", "anonymous",
};

/* RFC 4120 §5.4.1 KDCOptions; 14 cname-in-addl-tkt (MS-SFU), 15 canonicalize, 16 request-anonymous. */
const char *const kssp_krb5_kdc_option_names[32] = {
	"reserved", "forwardable", "forwarded", "proxiable", "proxy", "allow-postdate", "postdated",
	NULL, "renewable", NULL, NULL, "opt-hardware-auth", NULL, NULL, "cname-in-addl-tkt",
	"canonicalize", "request-anonymous",
	[26] = "disable-transited-check", [27] = "renewable-ok", [28] = "enc-tkt-in-skey",
	[30] = "renew", [31] = "validate",
};

/* RFC 4120 §5.5.1 APOptions. */
const char *const kssp_krb5_ap_option_names[32] = { "reserved", "use-session-key", "mutual-required" };

/* §5.2.2 */
static const struct kssp_asn1_field principal_name_fields[] = {
	FIELD(struct kssp_principal_name, "name-type", 0, K_INT, name_type),
	LIST(struct kssp_principal_name, "name-string", 1, K_STR, NULL, name_string),
};
SEQ_TYPE(kssp_krb5_principal_name_type, "PrincipalName", struct kssp_principal_name, principal_name_fields);

/* §5.2.5 */
static const struct kssp_asn1_field host_address_fields[] = {
	FIELD(struct kssp_host_address, "addr-type", 0, K_INT, addr_type),
	FIELD(struct kssp_host_address, "address", 1, K_OCT, address),
};
SEQ_TYPE(kssp_krb5_host_address_type, "HostAddress", struct kssp_host_address, host_address_fields);

/* §5.2.6 */
static const struct kssp_asn1_field authdata_fields[] = {
	FIELD(struct kssp_authdata, "ad-type", 0, K_INT, ad_type),
	FIELD(struct kssp_authdata, "ad-data", 1, K_OCT, ad_data),
};
SEQ_TYPE(kssp_krb5_authdata_type, "AuthorizationData-entry", struct kssp_authdata, authdata_fields);

static const struct kssp_asn1_field authorization_data_fields[] = {
	LIST(struct kssp_authorization_data, "elements", KSSP_ASN1_NO_TAG, K_SEQ,
	    &kssp_krb5_authdata_type, elements),
};
LIST_TYPE(kssp_krb5_authorization_data_type, "AuthorizationData", struct kssp_authorization_data,
    authorization_data_fields);
/* §5.2.6.1 AD-IF-RELEVANT ::= AuthorizationData */
LIST_TYPE(kssp_krb5_ad_if_relevant_type, "AD-IF-RELEVANT", struct kssp_authorization_data,
    authorization_data_fields);

/* §5.2.7 */
static const struct kssp_asn1_field pa_data_fields[] = {
	FIELD(struct kssp_pa_data, "padata-type", 1, K_INT, padata_type),
	FIELD(struct kssp_pa_data, "padata-value", 2, K_OCT, padata_value),
};
SEQ_TYPE(kssp_krb5_pa_data_type, "PA-DATA", struct kssp_pa_data, pa_data_fields);

/* §5.9.1 */
static const struct kssp_asn1_field method_data_fields[] = {
	LIST(struct kssp_method_data, "padata", KSSP_ASN1_NO_TAG, K_SEQ, &kssp_krb5_pa_data_type, padata),
};
LIST_TYPE(kssp_krb5_method_data_type, "METHOD-DATA", struct kssp_method_data, method_data_fields);

static const struct kssp_asn1_field typed_data_entry_fields[] = {
	FIELD(struct kssp_typed_data_entry, "data-type", 0, K_INT, data_type),
	OPT_STR(struct kssp_typed_data_entry, "data-value", 1, K_OCT, data_value),
};
SEQ_TYPE(kssp_krb5_typed_data_entry_type, "TYPED-DATA-entry", struct kssp_typed_data_entry,
    typed_data_entry_fields);

static const struct kssp_asn1_field typed_data_fields[] = {
	LIST(struct kssp_typed_data, "entries", KSSP_ASN1_NO_TAG, K_SEQ,
	    &kssp_krb5_typed_data_entry_type, entries),
};
LIST_TYPE(kssp_krb5_typed_data_type, "TYPED-DATA", struct kssp_typed_data, typed_data_fields);

/* §5.2.9 */
static const struct kssp_asn1_field encrypted_data_fields[] = {
	FIELD(struct kssp_encrypted_data, "etype", 0, K_INT, etype),
	OPT_FIELD(struct kssp_encrypted_data, "kvno", 1, K_UINT, kvno),
	FIELD(struct kssp_encrypted_data, "cipher", 2, K_OCT, cipher),
};
SEQ_TYPE(kssp_krb5_encrypted_data_type, "EncryptedData", struct kssp_encrypted_data,
    encrypted_data_fields);

static const struct kssp_asn1_field encryption_key_fields[] = {
	FIELD(struct kssp_encryption_key, "keytype", 0, K_INT, keytype),
	FIELD(struct kssp_encryption_key, "keyvalue", 1, K_OCT, keyvalue),
};
SEQ_TYPE(kssp_krb5_encryption_key_type, "EncryptionKey", struct kssp_encryption_key,
    encryption_key_fields);

static const struct kssp_asn1_field checksum_fields[] = {
	FIELD(struct kssp_checksum, "cksumtype", 0, K_INT, cksumtype),
	FIELD(struct kssp_checksum, "checksum", 1, K_OCT, checksum),
};
SEQ_TYPE(kssp_krb5_checksum_type, "Checksum", struct kssp_checksum, checksum_fields);

/* §5.3 */
static const struct kssp_asn1_field ticket_fields[] = {
	FIELD(struct kssp_ticket, "tkt-vno", 0, K_INT, tkt_vno),
	FIELD(struct kssp_ticket, "realm", 1, K_STR, realm),
	STRUCT(struct kssp_ticket, "sname", 2, kssp_krb5_principal_name_type, sname),
	STRUCT(struct kssp_ticket, "enc-part", 3, kssp_krb5_encrypted_data_type, enc_part),
};
APP_TYPE(kssp_krb5_ticket_type, "Ticket", 1, struct kssp_ticket, ticket_fields);

static const struct kssp_asn1_field transited_fields[] = {
	FIELD(struct kssp_transited_encoding, "tr-type", 0, K_INT, tr_type),
	FIELD(struct kssp_transited_encoding, "contents", 1, K_OCT, contents),
};
SEQ_TYPE(kssp_krb5_transited_encoding_type, "TransitedEncoding", struct kssp_transited_encoding,
    transited_fields);

#define T struct kssp_enc_ticket_part
static const struct kssp_asn1_field enc_ticket_part_fields[] = {
	FLAGS(T, "flags", 0, flags, kssp_krb5_ticket_flag_names),
	STRUCT(T, "key", 1, kssp_krb5_encryption_key_type, key),
	FIELD(T, "crealm", 2, K_STR, crealm),
	STRUCT(T, "cname", 3, kssp_krb5_principal_name_type, cname),
	STRUCT(T, "transited", 4, kssp_krb5_transited_encoding_type, transited),
	FIELD(T, "authtime", 5, K_TIME, authtime),
	OPT_FIELD(T, "starttime", 6, K_TIME, starttime),
	FIELD(T, "endtime", 7, K_TIME, endtime),
	OPT_FIELD(T, "renew-till", 8, K_TIME, renew_till),
	OPT_LIST(T, "caddr", 9, K_SEQ, &kssp_krb5_host_address_type, caddr),
	OPT_LIST(T, "authorization-data", 10, K_SEQ, &kssp_krb5_authdata_type, authorization_data),
};
#undef T
APP_TYPE(kssp_krb5_enc_ticket_part_type, "EncTicketPart", 3, struct kssp_enc_ticket_part,
    enc_ticket_part_fields);

/* §5.4.1 */
#define T struct kssp_kdc_req_body
static const struct kssp_asn1_field kdc_req_body_fields[] = {
	FLAGS(T, "kdc-options", 0, kdc_options, kssp_krb5_kdc_option_names),
	OPT_STRUCT(T, "cname", 1, kssp_krb5_principal_name_type, cname),
	FIELD(T, "realm", 2, K_STR, realm),
	OPT_STRUCT(T, "sname", 3, kssp_krb5_principal_name_type, sname),
	OPT_FIELD(T, "from", 4, K_TIME, from),
	FIELD(T, "till", 5, K_TIME, till),
	OPT_FIELD(T, "rtime", 6, K_TIME, rtime),
	FIELD(T, "nonce", 7, K_SEQNUM, nonce),
	LIST(T, "etype", 8, K_INT, NULL, etype),
	OPT_LIST(T, "addresses", 9, K_SEQ, &kssp_krb5_host_address_type, addresses),
	OPT_STRUCT(T, "enc-authorization-data", 10, kssp_krb5_encrypted_data_type, enc_authorization_data),
	OPT_LIST(T, "additional-tickets", 11, K_SEQ, &kssp_krb5_ticket_type, additional_tickets),
};
#undef T
SEQ_TYPE(kssp_krb5_kdc_req_body_type, "KDC-REQ-BODY", struct kssp_kdc_req_body, kdc_req_body_fields);

#define T struct kssp_kdc_req
static const struct kssp_asn1_field kdc_req_fields[] = {
	FIELD(T, "pvno", 1, K_INT, pvno),
	FIELD(T, "msg-type", 2, K_INT, msg_type),
	OPT_LIST(T, "padata", 3, K_SEQ, &kssp_krb5_pa_data_type, padata),
	STRUCT(T, "req-body", 4, kssp_krb5_kdc_req_body_type, req_body),
};
#undef T
APP_TYPE(kssp_krb5_as_req_type, "AS-REQ", 10, struct kssp_kdc_req, kdc_req_fields);
APP_TYPE(kssp_krb5_tgs_req_type, "TGS-REQ", 12, struct kssp_kdc_req, kdc_req_fields);

/* §5.4.2 */
#define T struct kssp_kdc_rep
static const struct kssp_asn1_field kdc_rep_fields[] = {
	FIELD(T, "pvno", 0, K_INT, pvno),
	FIELD(T, "msg-type", 1, K_INT, msg_type),
	OPT_LIST(T, "padata", 2, K_SEQ, &kssp_krb5_pa_data_type, padata),
	FIELD(T, "crealm", 3, K_STR, crealm),
	STRUCT(T, "cname", 4, kssp_krb5_principal_name_type, cname),
	STRUCT(T, "ticket", 5, kssp_krb5_ticket_type, ticket),
	STRUCT(T, "enc-part", 6, kssp_krb5_encrypted_data_type, enc_part),
};
#undef T
APP_TYPE(kssp_krb5_as_rep_type, "AS-REP", 11, struct kssp_kdc_rep, kdc_rep_fields);
APP_TYPE(kssp_krb5_tgs_rep_type, "TGS-REP", 13, struct kssp_kdc_rep, kdc_rep_fields);

static const struct kssp_asn1_field last_req_fields[] = {
	FIELD(struct kssp_last_req, "lr-type", 0, K_INT, lr_type),
	FIELD(struct kssp_last_req, "lr-value", 1, K_TIME, lr_value),
};
SEQ_TYPE(kssp_krb5_last_req_type, "LastReq-entry", struct kssp_last_req, last_req_fields);

#define T struct kssp_enc_kdc_rep_part
static const struct kssp_asn1_field enc_kdc_rep_part_fields[] = {
	STRUCT(T, "key", 0, kssp_krb5_encryption_key_type, key),
	LIST(T, "last-req", 1, K_SEQ, &kssp_krb5_last_req_type, last_req),
	FIELD(T, "nonce", 2, K_SEQNUM, nonce),
	OPT_FIELD(T, "key-expiration", 3, K_TIME, key_expiration),
	FLAGS(T, "flags", 4, flags, kssp_krb5_ticket_flag_names),
	FIELD(T, "authtime", 5, K_TIME, authtime),
	OPT_FIELD(T, "starttime", 6, K_TIME, starttime),
	FIELD(T, "endtime", 7, K_TIME, endtime),
	OPT_FIELD(T, "renew-till", 8, K_TIME, renew_till),
	FIELD(T, "srealm", 9, K_STR, srealm),
	STRUCT(T, "sname", 10, kssp_krb5_principal_name_type, sname),
	OPT_LIST(T, "caddr", 11, K_SEQ, &kssp_krb5_host_address_type, caddr),
	OPT_LIST(T, "encrypted-pa-data", 12, K_SEQ, &kssp_krb5_pa_data_type, encrypted_pa_data),
};
#undef T
APP_TYPE(kssp_krb5_enc_as_rep_part_type, "EncASRepPart", 25, struct kssp_enc_kdc_rep_part,
    enc_kdc_rep_part_fields);
/* RFC 4120 §5.4.2 notes some implementations send [25] for TGS replies; MIT accepts it. */
const struct kssp_asn1_type kssp_krb5_enc_tgs_rep_part_type = {
	"EncTGSRepPart", KSSP_DER_APPLICATION, 26, 25, false, false,
	sizeof(struct kssp_enc_kdc_rep_part), enc_kdc_rep_part_fields, N(enc_kdc_rep_part_fields)
};

/* §5.5.1 */
#define T struct kssp_ap_req
static const struct kssp_asn1_field ap_req_fields[] = {
	FIELD(T, "pvno", 0, K_INT, pvno),
	FIELD(T, "msg-type", 1, K_INT, msg_type),
	FLAGS(T, "ap-options", 2, ap_options, kssp_krb5_ap_option_names),
	STRUCT(T, "ticket", 3, kssp_krb5_ticket_type, ticket),
	STRUCT(T, "authenticator", 4, kssp_krb5_encrypted_data_type, authenticator),
};
#undef T
APP_TYPE(kssp_krb5_ap_req_type, "AP-REQ", 14, struct kssp_ap_req, ap_req_fields);

#define T struct kssp_authenticator
static const struct kssp_asn1_field authenticator_fields[] = {
	FIELD(T, "authenticator-vno", 0, K_INT, authenticator_vno),
	FIELD(T, "crealm", 1, K_STR, crealm),
	STRUCT(T, "cname", 2, kssp_krb5_principal_name_type, cname),
	OPT_STRUCT(T, "cksum", 3, kssp_krb5_checksum_type, cksum),
	FIELD(T, "cusec", 4, K_INT, cusec),
	FIELD(T, "ctime", 5, K_TIME, ctime),
	OPT_STRUCT(T, "subkey", 6, kssp_krb5_encryption_key_type, subkey),
	OPT_FIELD(T, "seq-number", 7, K_SEQNUM, seq_number),
	OPT_LIST(T, "authorization-data", 8, K_SEQ, &kssp_krb5_authdata_type, authorization_data),
};
#undef T
APP_TYPE(kssp_krb5_authenticator_type, "Authenticator", 2, struct kssp_authenticator,
    authenticator_fields);

/* §5.5.2 */
static const struct kssp_asn1_field ap_rep_fields[] = {
	FIELD(struct kssp_ap_rep, "pvno", 0, K_INT, pvno),
	FIELD(struct kssp_ap_rep, "msg-type", 1, K_INT, msg_type),
	STRUCT(struct kssp_ap_rep, "enc-part", 2, kssp_krb5_encrypted_data_type, enc_part),
};
APP_TYPE(kssp_krb5_ap_rep_type, "AP-REP", 15, struct kssp_ap_rep, ap_rep_fields);

#define T struct kssp_enc_ap_rep_part
static const struct kssp_asn1_field enc_ap_rep_part_fields[] = {
	FIELD(T, "ctime", 0, K_TIME, ctime),
	FIELD(T, "cusec", 1, K_INT, cusec),
	OPT_STRUCT(T, "subkey", 2, kssp_krb5_encryption_key_type, subkey),
	OPT_FIELD(T, "seq-number", 3, K_SEQNUM, seq_number),
};
#undef T
APP_TYPE(kssp_krb5_enc_ap_rep_part_type, "EncAPRepPart", 27, struct kssp_enc_ap_rep_part,
    enc_ap_rep_part_fields);

/* §5.6.1 KRB-SAFE-BODY; §5.7.1 EncKrbPrivPart has the same fields and tags. */
#define T struct kssp_krb_safe_body
static const struct kssp_asn1_field krb_safe_body_fields[] = {
	FIELD(T, "user-data", 0, K_OCT, user_data),
	OPT_FIELD(T, "timestamp", 1, K_TIME, timestamp),
	OPT_FIELD(T, "usec", 2, K_INT, usec),
	OPT_FIELD(T, "seq-number", 3, K_SEQNUM, seq_number),
	STRUCT(T, "s-address", 4, kssp_krb5_host_address_type, s_address),
	OPT_STRUCT(T, "r-address", 5, kssp_krb5_host_address_type, r_address),
};
#undef T
SEQ_TYPE(kssp_krb5_krb_safe_body_type, "KRB-SAFE-BODY", struct kssp_krb_safe_body, krb_safe_body_fields);
APP_TYPE(kssp_krb5_enc_krb_priv_part_type, "EncKrbPrivPart", 28, struct kssp_krb_safe_body,
    krb_safe_body_fields);

static const struct kssp_asn1_field krb_safe_fields[] = {
	FIELD(struct kssp_krb_safe, "pvno", 0, K_INT, pvno),
	FIELD(struct kssp_krb_safe, "msg-type", 1, K_INT, msg_type),
	STRUCT(struct kssp_krb_safe, "safe-body", 2, kssp_krb5_krb_safe_body_type, safe_body),
	STRUCT(struct kssp_krb_safe, "cksum", 3, kssp_krb5_checksum_type, cksum),
};
APP_TYPE(kssp_krb5_krb_safe_type, "KRB-SAFE", 20, struct kssp_krb_safe, krb_safe_fields);

static const struct kssp_asn1_field krb_priv_fields[] = {
	FIELD(struct kssp_krb_priv, "pvno", 0, K_INT, pvno),
	FIELD(struct kssp_krb_priv, "msg-type", 1, K_INT, msg_type),
	STRUCT(struct kssp_krb_priv, "enc-part", 3, kssp_krb5_encrypted_data_type, enc_part),
};
APP_TYPE(kssp_krb5_krb_priv_type, "KRB-PRIV", 21, struct kssp_krb_priv, krb_priv_fields);

/* §5.8.1 */
static const struct kssp_asn1_field krb_cred_fields[] = {
	FIELD(struct kssp_krb_cred, "pvno", 0, K_INT, pvno),
	FIELD(struct kssp_krb_cred, "msg-type", 1, K_INT, msg_type),
	LIST(struct kssp_krb_cred, "tickets", 2, K_SEQ, &kssp_krb5_ticket_type, tickets),
	STRUCT(struct kssp_krb_cred, "enc-part", 3, kssp_krb5_encrypted_data_type, enc_part),
};
APP_TYPE(kssp_krb5_krb_cred_type, "KRB-CRED", 22, struct kssp_krb_cred, krb_cred_fields);

#define T struct kssp_krb_cred_info
static const struct kssp_asn1_field krb_cred_info_fields[] = {
	STRUCT(T, "key", 0, kssp_krb5_encryption_key_type, key),
	OPT_STR(T, "prealm", 1, K_STR, prealm),
	OPT_STRUCT(T, "pname", 2, kssp_krb5_principal_name_type, pname),
	OPT_FLAGS(T, "flags", 3, flags, kssp_krb5_ticket_flag_names),
	OPT_FIELD(T, "authtime", 4, K_TIME, authtime),
	OPT_FIELD(T, "starttime", 5, K_TIME, starttime),
	OPT_FIELD(T, "endtime", 6, K_TIME, endtime),
	OPT_FIELD(T, "renew-till", 7, K_TIME, renew_till),
	OPT_STR(T, "srealm", 8, K_STR, srealm),
	OPT_STRUCT(T, "sname", 9, kssp_krb5_principal_name_type, sname),
	OPT_LIST(T, "caddr", 10, K_SEQ, &kssp_krb5_host_address_type, caddr),
};
#undef T
SEQ_TYPE(kssp_krb5_krb_cred_info_type, "KrbCredInfo", struct kssp_krb_cred_info, krb_cred_info_fields);

#define T struct kssp_enc_krb_cred_part
static const struct kssp_asn1_field enc_krb_cred_part_fields[] = {
	LIST(T, "ticket-info", 0, K_SEQ, &kssp_krb5_krb_cred_info_type, ticket_info),
	OPT_FIELD(T, "nonce", 1, K_SEQNUM, nonce),
	OPT_FIELD(T, "timestamp", 2, K_TIME, timestamp),
	OPT_FIELD(T, "usec", 3, K_INT, usec),
	OPT_STRUCT(T, "s-address", 4, kssp_krb5_host_address_type, s_address),
	OPT_STRUCT(T, "r-address", 5, kssp_krb5_host_address_type, r_address),
};
#undef T
APP_TYPE(kssp_krb5_enc_krb_cred_part_type, "EncKrbCredPart", 29, struct kssp_enc_krb_cred_part,
    enc_krb_cred_part_fields);

/* §5.9.1 */
#define T struct kssp_krb_error
static const struct kssp_asn1_field krb_error_fields[] = {
	FIELD(T, "pvno", 0, K_INT, pvno),
	FIELD(T, "msg-type", 1, K_INT, msg_type),
	OPT_FIELD(T, "ctime", 2, K_TIME, ctime),
	OPT_FIELD(T, "cusec", 3, K_INT, cusec),
	FIELD(T, "stime", 4, K_TIME, stime),
	FIELD(T, "susec", 5, K_INT, susec),
	FIELD(T, "error-code", 6, K_INT, error_code),
	OPT_STR(T, "crealm", 7, K_STR, crealm),
	OPT_STRUCT(T, "cname", 8, kssp_krb5_principal_name_type, cname),
	FIELD(T, "realm", 9, K_STR, realm),
	STRUCT(T, "sname", 10, kssp_krb5_principal_name_type, sname),
	OPT_STR(T, "e-text", 11, K_STR, e_text),
	OPT_STR(T, "e-data", 12, K_OCT, e_data),
};
#undef T
APP_TYPE(kssp_krb5_krb_error_type, "KRB-ERROR", 30, struct kssp_krb_error, krb_error_fields);

/* §5.2.7.2 */
static const struct kssp_asn1_field pa_enc_ts_enc_fields[] = {
	FIELD(struct kssp_pa_enc_ts_enc, "patimestamp", 0, K_TIME, patimestamp),
	OPT_FIELD(struct kssp_pa_enc_ts_enc, "pausec", 1, K_INT, pausec),
};
SEQ_TYPE(kssp_krb5_pa_enc_ts_enc_type, "PA-ENC-TS-ENC", struct kssp_pa_enc_ts_enc, pa_enc_ts_enc_fields);

/* §5.2.7.4 */
static const struct kssp_asn1_field etype_info_entry_fields[] = {
	FIELD(struct kssp_etype_info_entry, "etype", 0, K_INT, etype),
	OPT_STR(struct kssp_etype_info_entry, "salt", 1, K_OCT, salt),
};
SEQ_TYPE(kssp_krb5_etype_info_entry_type, "ETYPE-INFO-ENTRY", struct kssp_etype_info_entry,
    etype_info_entry_fields);
static const struct kssp_asn1_field etype_info_fields[] = {
	LIST(struct kssp_etype_info, "entries", KSSP_ASN1_NO_TAG, K_SEQ, &kssp_krb5_etype_info_entry_type,
	    entries),
};
LIST_TYPE(kssp_krb5_etype_info_type, "ETYPE-INFO", struct kssp_etype_info, etype_info_fields);

/* §5.2.7.5 */
static const struct kssp_asn1_field etype_info2_entry_fields[] = {
	FIELD(struct kssp_etype_info2_entry, "etype", 0, K_INT, etype),
	OPT_STR(struct kssp_etype_info2_entry, "salt", 1, K_STR, salt),
	OPT_STR(struct kssp_etype_info2_entry, "s2kparams", 2, K_OCT, s2kparams),
};
SEQ_TYPE(kssp_krb5_etype_info2_entry_type, "ETYPE-INFO2-ENTRY", struct kssp_etype_info2_entry,
    etype_info2_entry_fields);
static const struct kssp_asn1_field etype_info2_fields[] = {
	LIST(struct kssp_etype_info2, "entries", KSSP_ASN1_NO_TAG, K_SEQ,
	    &kssp_krb5_etype_info2_entry_type, entries),
};
LIST_TYPE(kssp_krb5_etype_info2_type, "ETYPE-INFO2", struct kssp_etype_info2, etype_info2_fields);

/* RFC 4537 §3 */
static const struct kssp_asn1_field etype_list_fields[] = {
	LIST(struct kssp_etype_list, "etypes", KSSP_ASN1_NO_TAG, K_INT, NULL, etypes),
};
LIST_TYPE(kssp_krb5_etype_list_type, "EtypeList", struct kssp_etype_list, etype_list_fields);

/* MS-KILE §2.2.3 */
static const struct kssp_asn1_field pa_pac_request_fields[] = {
	FIELD(struct kssp_pa_pac_request, "include-pac", 0, K_BOOL, include_pac),
};
SEQ_TYPE(kssp_krb5_pa_pac_request_type, "PA-PAC-REQUEST", struct kssp_pa_pac_request,
    pa_pac_request_fields);

/* MS-SFU §2.2.1 */
static const struct kssp_asn1_field pa_for_user_fields[] = {
	STRUCT(struct kssp_pa_for_user, "userName", 0, kssp_krb5_principal_name_type, user_name),
	FIELD(struct kssp_pa_for_user, "userRealm", 1, K_STR, user_realm),
	STRUCT(struct kssp_pa_for_user, "cksum", 2, kssp_krb5_checksum_type, cksum),
	FIELD(struct kssp_pa_for_user, "auth-package", 3, K_STR, auth_package),
};
SEQ_TYPE(kssp_krb5_pa_for_user_type, "PA-FOR-USER", struct kssp_pa_for_user, pa_for_user_fields);

/* MS-SFU §2.2.2; S4UUserID ends in an extension marker. */
#define T struct kssp_s4u_user_id
static const struct kssp_asn1_field s4u_user_id_fields[] = {
	FIELD(T, "nonce", 0, K_SEQNUM, nonce),
	OPT_STRUCT(T, "cname", 1, kssp_krb5_principal_name_type, cname),
	FIELD(T, "crealm", 2, K_STR, crealm),
	OPT_STR(T, "subject-certificate", 3, K_OCT, subject_certificate),
	OPT_FLAGS(T, "options", 4, options, NULL),
};
#undef T
const struct kssp_asn1_type kssp_krb5_s4u_user_id_type = {
	"S4UUserID", 0, 0, 0, false, true, sizeof(struct kssp_s4u_user_id), s4u_user_id_fields,
	N(s4u_user_id_fields)
};

static const struct kssp_asn1_field pa_s4u_x509_user_fields[] = {
	STRUCT(struct kssp_pa_s4u_x509_user, "user-id", 0, kssp_krb5_s4u_user_id_type, user_id),
	STRUCT(struct kssp_pa_s4u_x509_user, "checksum", 1, kssp_krb5_checksum_type, checksum),
};
SEQ_TYPE(kssp_krb5_pa_s4u_x509_user_type, "PA-S4U-X509-USER", struct kssp_pa_s4u_x509_user,
    pa_s4u_x509_user_fields);

/* MS-KILE §2.2.10 */
static const char *const pac_option_names[32] = {
	"claims", "branch-aware", "forward-to-full-dc", "resource-based-constrained-delegation",
};
static const struct kssp_asn1_field pa_pac_options_fields[] = {
	FLAGS(struct kssp_pa_pac_options, "options", 0, options, pac_option_names),
};
SEQ_TYPE(kssp_krb5_pa_pac_options_type, "PA-PAC-OPTIONS", struct kssp_pa_pac_options,
    pa_pac_options_fields);

/* RFC 4120 §5.2.6.2 */
static const struct kssp_asn1_field ad_kdc_issued_fields[] = {
	STRUCT(struct kssp_ad_kdc_issued, "ad-checksum", 0, kssp_krb5_checksum_type, ad_checksum),
	OPT_STR(struct kssp_ad_kdc_issued, "i-realm", 1, K_STR, i_realm),
	OPT_STRUCT(struct kssp_ad_kdc_issued, "i-sname", 2, kssp_krb5_principal_name_type, i_sname),
	LIST(struct kssp_ad_kdc_issued, "elements", 3, K_SEQ, &kssp_krb5_authdata_type, elements),
};
SEQ_TYPE(kssp_krb5_ad_kdc_issued_type, "AD-KDCIssued", struct kssp_ad_kdc_issued, ad_kdc_issued_fields);

/* MS-KILE §2.2.6 */
static const struct kssp_asn1_field ad_restriction_entry_fields[] = {
	FIELD(struct kssp_ad_restriction_entry, "restriction-type", 0, K_INT, restriction_type),
	FIELD(struct kssp_ad_restriction_entry, "restriction", 1, K_OCT, restriction),
};
SEQ_TYPE(kssp_krb5_ad_restriction_entry_type, "KERB-AD-RESTRICTION-ENTRY",
    struct kssp_ad_restriction_entry, ad_restriction_entry_fields);

/* RFC 3244 §2 */
#define T struct kssp_change_passwd_data
static const struct kssp_asn1_field change_passwd_data_fields[] = {
	FIELD(T, "newpasswd", 0, K_OCT, newpasswd),
	OPT_STRUCT(T, "targname", 1, kssp_krb5_principal_name_type, targname),
	OPT_STR(T, "targrealm", 2, K_STR, targrealm),
};
#undef T
SEQ_TYPE(kssp_krb5_change_passwd_data_type, "ChangePasswdData", struct kssp_change_passwd_data,
    change_passwd_data_fields);
/* MS-KILE §2.2.2 */
static const struct kssp_asn1_field kerb_error_data_fields[] = {
	FIELD(struct kssp_kerb_error_data, "data-type", 1, K_INT, data_type),
	OPT_STR(struct kssp_kerb_error_data, "data-value", 2, K_OCT, data_value),
};
SEQ_TYPE(kssp_krb5_kerb_error_data_type, "KERB-ERROR-DATA", struct kssp_kerb_error_data,
    kerb_error_data_fields);

/*
 * RFC 6113 §5.4.  Every SEQUENCE there ends in "...", so unknown trailing
 * fields are skipped.  PA-FX-FAST-REQUEST and PA-FX-FAST-REPLY are CHOICEs
 * whose one alternative is armored-data [0]: on the wire an explicit [0]
 * around the SEQUENCE, which is what a context-tagged type encodes.
 */
#define EXT_TYPE(var, name, cls, n, T, fields) \
	const struct kssp_asn1_type var = { name, cls, n, n, false, true, sizeof(T), fields, N(fields) }

static const char *const fast_option_names[32] = {
	"reserved", "hide-client-names", [16] = "kdc-follow-referrals",
};

static const struct kssp_asn1_field krb_fast_armor_fields[] = {
	FIELD(struct kssp_krb_fast_armor, "armor-type", 0, K_INT, armor_type),
	FIELD(struct kssp_krb_fast_armor, "armor-value", 1, K_OCT, armor_value),
};
EXT_TYPE(kssp_krb5_krb_fast_armor_type, "KrbFastArmor", 0, 0, struct kssp_krb_fast_armor,
    krb_fast_armor_fields);

#define T struct kssp_krb_fast_armored_req
static const struct kssp_asn1_field krb_fast_armored_req_fields[] = {
	OPT_STRUCT(T, "armor", 0, kssp_krb5_krb_fast_armor_type, armor),
	STRUCT(T, "req-checksum", 1, kssp_krb5_checksum_type, req_checksum),
	STRUCT(T, "enc-fast-req", 2, kssp_krb5_encrypted_data_type, enc_fast_req),
};
#undef T
EXT_TYPE(kssp_krb5_krb_fast_armored_req_type, "KrbFastArmoredReq", 0, 0,
    struct kssp_krb_fast_armored_req, krb_fast_armored_req_fields);
EXT_TYPE(kssp_krb5_pa_fx_fast_request_type, "PA-FX-FAST-REQUEST", KSSP_DER_CONTEXT, 0,
    struct kssp_krb_fast_armored_req, krb_fast_armored_req_fields);

#define T struct kssp_krb_fast_req
static const struct kssp_asn1_field krb_fast_req_fields[] = {
	FLAGS(T, "fast-options", 0, fast_options, fast_option_names),
	LIST(T, "padata", 1, K_SEQ, &kssp_krb5_pa_data_type, padata),
	STRUCT(T, "req-body", 2, kssp_krb5_kdc_req_body_type, req_body),
};
#undef T
EXT_TYPE(kssp_krb5_krb_fast_req_type, "KrbFastReq", 0, 0, struct kssp_krb_fast_req,
    krb_fast_req_fields);

static const struct kssp_asn1_field krb_fast_armored_rep_fields[] = {
	STRUCT(struct kssp_krb_fast_armored_rep, "enc-fast-rep", 0, kssp_krb5_encrypted_data_type,
	    enc_fast_rep),
};
EXT_TYPE(kssp_krb5_krb_fast_armored_rep_type, "KrbFastArmoredRep", 0, 0,
    struct kssp_krb_fast_armored_rep, krb_fast_armored_rep_fields);
EXT_TYPE(kssp_krb5_pa_fx_fast_reply_type, "PA-FX-FAST-REPLY", KSSP_DER_CONTEXT, 0,
    struct kssp_krb_fast_armored_rep, krb_fast_armored_rep_fields);

#define T struct kssp_krb_fast_finished
static const struct kssp_asn1_field krb_fast_finished_fields[] = {
	FIELD(T, "timestamp", 0, K_TIME, timestamp),
	FIELD(T, "usec", 1, K_INT, usec),
	FIELD(T, "crealm", 2, K_STR, crealm),
	STRUCT(T, "cname", 3, kssp_krb5_principal_name_type, cname),
	STRUCT(T, "ticket-checksum", 4, kssp_krb5_checksum_type, ticket_checksum),
};
#undef T
EXT_TYPE(kssp_krb5_krb_fast_finished_type, "KrbFastFinished", 0, 0, struct kssp_krb_fast_finished,
    krb_fast_finished_fields);

#define T struct kssp_krb_fast_response
static const struct kssp_asn1_field krb_fast_response_fields[] = {
	LIST(T, "padata", 0, K_SEQ, &kssp_krb5_pa_data_type, padata),
	OPT_STRUCT(T, "strengthen-key", 1, kssp_krb5_encryption_key_type, strengthen_key),
	OPT_STRUCT(T, "finished", 2, kssp_krb5_krb_fast_finished_type, finished),
	FIELD(T, "nonce", 3, K_SEQNUM, nonce),
};
#undef T
EXT_TYPE(kssp_krb5_krb_fast_response_type, "KrbFastResponse", 0, 0, struct kssp_krb_fast_response,
    krb_fast_response_fields);

/* RFC 6113 §5.4.6: EncryptedChallenge ::= EncryptedData (of a PA-ENC-TS-ENC). */
SEQ_TYPE(kssp_krb5_encrypted_challenge_type, "EncryptedChallenge", struct kssp_encrypted_data,
    encrypted_data_fields);
/* draft-swift-win2k-krb-user2user-03 §4 */
#define T struct kssp_kerb_tgt_request
static const struct kssp_asn1_field kerb_tgt_request_fields[] = {
	FIELD(T, "pvno", 0, K_INT, pvno),
	FIELD(T, "msg-type", 1, K_INT, msg_type),
	OPT_STRUCT(T, "server-name", 2, kssp_krb5_principal_name_type, server_name),
	OPT_STR(T, "realm", 3, K_STR, realm),
};
#undef T
SEQ_TYPE(kssp_krb5_kerb_tgt_request_type, "KERB-TGT-REQUEST", struct kssp_kerb_tgt_request,
    kerb_tgt_request_fields);
#define T struct kssp_kerb_tgt_reply
static const struct kssp_asn1_field kerb_tgt_reply_fields[] = {
	FIELD(T, "pvno", 0, K_INT, pvno),
	FIELD(T, "msg-type", 1, K_INT, msg_type),
	STRUCT(T, "ticket", 2, kssp_krb5_ticket_type, ticket),
};
#undef T
SEQ_TYPE(kssp_krb5_kerb_tgt_reply_type, "KERB-TGT-REPLY", struct kssp_kerb_tgt_reply,
    kerb_tgt_reply_fields);

#define TYPE_ADDRESS(fn, ctype) &kssp_krb5_##fn##_type,
const struct kssp_asn1_type *const kssp_krb5_all_types[] = { KSSP_KRB5_TYPES(TYPE_ADDRESS) };
#undef TYPE_ADDRESS
const size_t kssp_krb5_n_types = N(kssp_krb5_all_types);

const struct kssp_asn1_type *kssp_krb5_type_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < kssp_krb5_n_types; i++)
		if (strcmp(kssp_krb5_all_types[i]->name, name) == 0)
			return kssp_krb5_all_types[i];
	return NULL;
}

const struct kssp_asn1_type *kssp_krb5_type_by_app_tag(uint32_t tag)
{
	size_t i;

	for (i = 0; i < kssp_krb5_n_types; i++)
		if (kssp_krb5_all_types[i]->tag_class == KSSP_DER_APPLICATION &&
		    kssp_krb5_all_types[i]->tag_number == tag)
			return kssp_krb5_all_types[i];
	return NULL;
}

kssp_err kssp_krb5_decode_e_data(const struct kssp_der_bytes *e_data, struct kssp_arena *arena,
    struct kssp_method_data *md, struct kssp_typed_data *td, enum kssp_krb5_e_data_kind *kind)
{
	struct kssp_cursor c, seq;
	struct kssp_der_elem outer, first;
	kssp_err err;

	/* Both are SEQUENCE OF SEQUENCE; the first field's tag tells them apart. */
	kssp_cursor_init(&c, e_data->data, e_data->len);
	err = kssp_der_read_tag(&c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, "e-data", &outer);
	if (err)
		return err;
	seq = outer.content;
	if (!kssp_cursor_at_end(&seq)) {
		err = kssp_der_read_tag(&seq, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, "e-data entry",
		    &first);
		if (err)
			return err;
		if (kssp_der_next_is(&first.content, KSSP_DER_CONTEXT, true, 1)) {
			*kind = KSSP_KRB5_E_DATA_METHOD;
			return kssp_krb5_decode_method_data(e_data->data, e_data->len, arena, md);
		}
	}
	*kind = KSSP_KRB5_E_DATA_TYPED;
	return kssp_krb5_decode_typed_data(e_data->data, e_data->len, arena, td);
}

kssp_err kssp_krb5_decode_kerb_ext_error(const struct kssp_der_bytes *b,
    struct kssp_kerb_ext_error *out)
{
	struct kssp_cursor c;
	kssp_err e;

	kssp_cursor_init(&c, b->data, b->len);
	if ((e = kssp_cursor_read_le32(&c, &out->status)) ||
	    (e = kssp_cursor_read_le32(&c, &out->reserved)) ||
	    (e = kssp_cursor_read_le32(&c, &out->flags)))
		return kssp_fail(e, "KERB-EXT-ERROR: %zu bytes, not 12", b->len);
	return kssp_cursor_expect_end(&c, "KERB-EXT-ERROR");
}

uint32_t kssp_krb5_e_data_ntstatus(const struct kssp_der_bytes *e_data)
{
	struct kssp_kerb_error_data ked;
	struct kssp_kerb_ext_error ext;
	struct kssp_arena a;
	uint32_t status = 0;

	kssp_arena_init(&a);
	if (e_data->data && kssp_krb5_decode_kerb_error_data(e_data->data, e_data->len, &a, &ked) ==
	    KSSP_OK && ked.data_type == KSSP_KERB_ERR_TYPE_EXTENDED && ked.data_value.data &&
	    kssp_krb5_decode_kerb_ext_error(&ked.data_value, &ext) == KSSP_OK)
		status = ext.status;
	kssp_arena_free(&a);
	return status;
}

/* MS-ERREF §2.3.1: the NTSTATUS values a KDC reports for logon failures. */
const char *kssp_krb5_ntstatus_name(uint32_t status)
{
	static const struct { uint32_t status; const char *name; } names[] = {
		{ 0xC0000064, "STATUS_NO_SUCH_USER" },
		{ 0xC000006A, "STATUS_WRONG_PASSWORD" },
		{ 0xC000006D, "STATUS_LOGON_FAILURE" },
		{ 0xC000006E, "STATUS_ACCOUNT_RESTRICTION" },
		{ 0xC000006F, "STATUS_INVALID_LOGON_HOURS" },
		{ 0xC0000070, "STATUS_INVALID_WORKSTATION" },
		{ 0xC0000071, "STATUS_PASSWORD_EXPIRED" },
		{ 0xC0000072, "STATUS_ACCOUNT_DISABLED" },
		{ 0xC0000133, "STATUS_TIME_DIFFERENCE_AT_DC" },
		{ 0xC0000193, "STATUS_ACCOUNT_EXPIRED" },
		{ 0xC0000224, "STATUS_PASSWORD_MUST_CHANGE" },
		{ 0xC0000234, "STATUS_ACCOUNT_LOCKED_OUT" },
		{ 0xC00002FA, "STATUS_SMARTCARD_LOGON_REQUIRED" },
		{ 0xC0000413, "STATUS_AUTHENTICATION_FIREWALL_FAILED" },
	};
	size_t i;

	for (i = 0; i < N(names); i++)
		if (names[i].status == status)
			return names[i].name;
	return NULL;
}

bool kssp_krb5_name_is_tgs(const struct kssp_principal_name *n)
{
	static const char krbtgt[] = "krbtgt";

	return n->name_string_len == 2 && n->name_string[0].len == sizeof(krbtgt) - 1 &&
	    memcmp(n->name_string[0].data, krbtgt, sizeof(krbtgt) - 1) == 0;
}
