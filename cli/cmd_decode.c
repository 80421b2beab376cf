/*
 * cli/cmd_decode.c - `kssp decode`: any Kerberos message, GSS-API token or
 * SPNEGO token as an indented tree or as JSON whose keys are the ASN.1
 * field names of RFC 4120 / RFC 4178.  The message is recognised by its
 * tag; PA-DATA values, e-data and authorization data of known types and
 * the tokens inside SPNEGO are decoded in place as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "cli/cli.h"
#include "context/context.h"
#include "creds/creds.h"
#include "crypto/crypto.h"

/* Nested tokens (mechToken, padata-value, ...) are decoded this deep at most. */
#define NEST_MAX 6

struct out {
	FILE *f;
	bool json;
	int depth;
	bool first[64]; /* JSON: nothing printed yet at this depth */
	struct kssp_arena *arena;
	int nest;
};

/* ---- the two output forms ------------------------------------------------- */

static void indent(struct out *o)
{
	int i;

	for (i = 0; i < o->depth; i++)
		fputs("  ", o->f);
}

/* Starts an entry: the separator, indentation and key (NULL in arrays). */
static void entry(struct out *o, const char *k)
{
	if (o->depth == 0 && !k)
		return; /* the outermost value: no separator, no key */
	if (o->json) {
		fputs(o->first[o->depth] ? "\n" : ",\n", o->f);
		o->first[o->depth] = false;
		indent(o);
		if (k)
			fprintf(o->f, "\"%s\": ", k);
		return;
	}
	indent(o);
	fprintf(o->f, "%s%s", k ? k : "-", k ? ":" : "");
}

static void open_block(struct out *o, const char *k, bool array)
{
	bool outermost = o->depth == 0 && !k;

	entry(o, k);
	if (o->json)
		fputc(array ? '[' : '{', o->f);
	else if (!outermost)
		fputc('\n', o->f);
	if (o->depth < 63)
		o->depth++;
	o->first[o->depth] = true;
}

static void close_block(struct out *o, bool array)
{
	bool empty = o->first[o->depth];

	o->depth--;
	if (!o->json)
		return;
	if (!empty) {
		fputc('\n', o->f);
		indent(o);
	}
	fputc(array ? ']' : '}', o->f);
}

/* A scalar already rendered for JSON (quoted if a string) and for the tree. */
static void scalar(struct out *o, const char *k, const char *json, const char *text)
{
	entry(o, k);
	if (o->json)
		fputs(json, o->f);
	else
		fprintf(o->f, " %s\n", text);
}

static void number(struct out *o, const char *k, long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	scalar(o, k, s, s);
}

static void quoted(struct out *o, const char *k, const char *s)
{
	char q[256];

	snprintf(q, sizeof(q), "\"%s\"", s);
	scalar(o, k, q, s);
}

static void hex(struct out *o, const char *k, const struct kssp_der_bytes *b)
{
	size_t i;

	entry(o, k);
	fputs(o->json ? "\"" : " ", o->f);
	for (i = 0; i < b->len; i++)
		fprintf(o->f, "%02x", b->data[i]);
	fputs(o->json ? "\"" : "\n", o->f);
}

/* A KerberosString: JSON-escaped; bytes outside printable ASCII as \u00XX. */
static void string(struct out *o, const char *k, const struct kssp_der_bytes *b)
{
	size_t i;

	entry(o, k);
	fputs(o->json ? "\"" : " ", o->f);
	for (i = 0; i < b->len; i++) {
		uint8_t c = b->data[i];

		if (o->json && (c == '"' || c == '\\'))
			fprintf(o->f, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			fprintf(o->f, o->json ? "\\u%04x" : "\\x%02x", c);
		else
			fputc(c, o->f);
	}
	fputs(o->json ? "\"" : "\n", o->f);
}

static void oid(struct out *o, const char *k, const struct kssp_der_bytes *b)
{
	char s[128];

	if (kssp_der_format_oid(b, s, sizeof(s)))
		quoted(o, k, s);
	else
		hex(o, k, b);
}

/* ---- the PAC (MS-PAC): AD-WIN2K-PAC's ad-data, or --pac ------------------- */

static void pac_string(struct out *o, const char *k, const struct kssp_pac_string *ps)
{
	char *text = NULL;

	if (!ps->data)
		return;
	if (kssp_pac_string_utf8(ps, &text) == KSSP_OK)
		string(o, k, &(struct kssp_der_bytes){ .data = (const uint8_t *)text,
		    .len = strlen(text) });
	else
		quoted(o, k, "(not UTF-16)");
	kssp_free(text);
}

/* A SID, or with rid its domain's SID and rid (MS-PAC 2.5 GroupIds). */
static void pac_sid(struct out *o, const char *k, const struct kssp_pac_sid *sid, bool with_rid,
    uint32_t rid)
{
	struct kssp_pac_sid full;
	char text[KSSP_PAC_SID_TEXT_MAX];

	if (!sid || (with_rid && sid->sub_authority_count >= KSSP_PAC_SID_MAX_SUB))
		return;
	full = *sid;
	if (with_rid)
		full.sub_authority[full.sub_authority_count++] = rid;
	kssp_pac_sid_text(&full, text);
	quoted(o, k, text);
}

static void pac_groups(struct out *o, const char *k, const struct kssp_pac_sid *domain,
    const struct kssp_pac_group *g, uint32_t n)
{
	uint32_t i;

	open_block(o, k, true);
	for (i = 0; i < n; i++)
		pac_sid(o, NULL, domain, true, g[i].relative_id);
	close_block(o, true);
}

static void pac_logon_info(struct out *o, const struct kssp_pac_logon_info *li)
{
	uint32_t i;

	open_block(o, "logon-info", false);
	pac_string(o, "effective-name", &li->effective_name);
	pac_string(o, "full-name", &li->full_name);
	pac_string(o, "logon-domain-name", &li->logon_domain_name);
	pac_sid(o, "logon-domain-id", li->logon_domain_id, false, 0);
	pac_sid(o, "user-sid", li->logon_domain_id, true, li->user_id);
	pac_sid(o, "primary-group-sid", li->logon_domain_id, true, li->primary_group_id);
	pac_groups(o, "groups", li->logon_domain_id, li->group_ids, li->group_count);
	open_block(o, "extra-sids", true);
	for (i = 0; i < li->sid_count; i++)
		pac_sid(o, NULL, li->extra_sids[i].sid, false, 0);
	close_block(o, true);
	pac_groups(o, "resource-groups", li->resource_group_domain_sid, li->resource_group_ids,
	    li->resource_group_count);
	number(o, "user-flags", li->user_flags);
	number(o, "user-account-control", li->user_account_control);
	number(o, "logon-time", (long long)li->logon_time);
	close_block(o, false);
}

static void pac_signature(struct out *o, const char *k, const struct kssp_pac_signature *sig)
{
	if (!sig->present)
		return;
	open_block(o, k, false);
	number(o, "type", sig->type);
	quoted(o, "state", "not verified (decode has no key)");
	close_block(o, false);
}

static bool print_pac(struct out *o, const char *k, const uint8_t *data, size_t len)
{
	struct kssp_pac pac;
	kssp_err e = kssp_pac_parse(data, len, &pac);
	size_t i;

	open_block(o, k, false);
	if (e)
		quoted(o, "error", kssp_last_reason());
	if (!e)
		open_block(o, "buffers", true);
	for (i = 0; !e && i < pac.n_buffers; i++) {
		open_block(o, NULL, false);
		number(o, "type", pac.buffers[i].type);
		number(o, "size", (long long)pac.buffers[i].size);
		close_block(o, false);
	}
	if (!e)
		close_block(o, true);
	if (!e && pac.logon_info)
		pac_logon_info(o, pac.logon_info);
	if (!e && pac.client_info)
		pac_string(o, "client-name", &pac.client_info->name);
	if (!e && pac.upn_dns_info) {
		pac_string(o, "upn", &pac.upn_dns_info->upn);
		pac_string(o, "dns-domain-name", &pac.upn_dns_info->dns_domain_name);
	}
	for (i = 0; !e && pac.delegation_info && i < pac.delegation_info->transited_list_size; i++)
		pac_string(o, "transited-service", &pac.delegation_info->transited_services[i]);
	if (!e) {
		pac_signature(o, "server-signature", &pac.server_signature);
		pac_signature(o, "kdc-signature", &pac.kdc_signature);
		pac_signature(o, "ticket-signature", &pac.ticket_signature);
		pac_signature(o, "full-signature", &pac.full_signature);
	}
	close_block(o, false);
	kssp_pac_free(&pac);
	return e == KSSP_OK;
}

/* ---- Kerberos values by their type table ---------------------------------- */

static void print_type(struct out *o, const char *k, const struct kssp_asn1_type *t, const void *v);
static void print_fields(struct out *o, const struct kssp_asn1_type *t, const void *v);
static bool print_token(struct out *o, const char *k, const uint8_t *buf, size_t len);

static void flags(struct out *o, const char *k, const struct kssp_asn1_field *f, uint32_t v)
{
	char name[32];
	int bit;

	open_block(o, k, true);
	for (bit = 0; bit < 32; bit++) {
		if (!(v & (0x80000000u >> bit)))
			continue;
		if (f->bits && f->bits[bit])
			quoted(o, NULL, f->bits[bit]);
		else
			snprintf(name, sizeof(name), "bit-%d", bit), quoted(o, NULL, name);
	}
	close_block(o, true);
}

/*
 * The payload types of an OCTET STRING, from the type number beside it
 * (RFC 4120 §7.5.2, RFC 6113, MS-KILE, MS-SFU): the nth candidate (a
 * number may name more than one: PA-FX-FAST is a request's or a reply's).
 */
static const struct kssp_asn1_type *payload_type(const char *field, int32_t type_number, size_t nth)
{
	static const struct { const char *field; int32_t number; const struct kssp_asn1_type *type; } map[] = {
		{ "padata-value", 1, &kssp_krb5_ap_req_type },          /* PA-TGS-REQ */
		{ "padata-value", 2, &kssp_krb5_encrypted_data_type },  /* PA-ENC-TIMESTAMP */
		{ "padata-value", 11, &kssp_krb5_etype_info_type },
		{ "padata-value", 19, &kssp_krb5_etype_info2_type },
		{ "padata-value", 128, &kssp_krb5_pa_pac_request_type },
		{ "padata-value", 129, &kssp_krb5_pa_for_user_type },
		{ "padata-value", 130, &kssp_krb5_pa_s4u_x509_user_type },
		{ "padata-value", 167, &kssp_krb5_pa_pac_options_type },
		{ "padata-value", 136, &kssp_krb5_pa_fx_fast_request_type },
		{ "padata-value", 136, &kssp_krb5_pa_fx_fast_reply_type },
		{ "padata-value", 137, &kssp_krb5_krb_error_type },    /* PA-FX-ERROR */
		{ "padata-value", 138, &kssp_krb5_encrypted_challenge_type },
		{ "ad-data", 1, &kssp_krb5_ad_if_relevant_type },
		{ "ad-data", 4, &kssp_krb5_ad_kdc_issued_type },
		{ "ad-data", 141, &kssp_krb5_ad_restriction_entry_type },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].field, field) == 0 && map[i].number == type_number && nth-- == 0)
			return map[i].type;
	return NULL;
}

/* KERB-EXT-ERROR (MS-KILE §2.2.1): the NTSTATUS, named when known. */
static bool print_ext_error(struct out *o, const char *k, const struct kssp_der_bytes *b)
{
	struct kssp_kerb_ext_error x;
	const char *name;
	char s[16];

	if (kssp_krb5_decode_kerb_ext_error(b, &x) != KSSP_OK)
		return false;
	name = kssp_krb5_ntstatus_name(x.status);
	open_block(o, k, false);
	quoted(o, "message", "KERB-EXT-ERROR");
	snprintf(s, sizeof(s), "0x%08x", (unsigned)x.status);
	quoted(o, "status", s);
	if (name)
		quoted(o, "status-name", name);
	number(o, "reserved", x.reserved);
	number(o, "flags", x.flags);
	close_block(o, false);
	return true;
}

/*
 * The AD payloads that are not DER (MS-KILE §2.2.7, §2.2.4, §3.2.5.8): a
 * 32-bit little-endian value, or opaque bytes, named by their type.
 */
static bool print_ad_word(struct out *o, const char *field, int32_t type_number,
    const struct kssp_der_bytes *b)
{
	static const struct { const char *field; int32_t number; const char *name; bool word; } map[] = {
		{ "padata-value", 165, "PA-SUPPORTED-ENCTYPES", true },
		{ "ad-data", 142, "KERB-LOCAL", false },
		{ "ad-data", 143, "AD-AUTH-DATA-AP-OPTIONS", true },
	};
	struct kssp_cursor c;
	uint32_t v = 0;
	char key[64], s[16];
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].field, field) == 0 && map[i].number == type_number)
			break;
	if (i == sizeof(map) / sizeof(map[0]))
		return false;
	kssp_cursor_init(&c, b->data, b->len);
	if (map[i].word && (kssp_cursor_read_le32(&c, &v) || !kssp_cursor_at_end(&c)))
		return false;
	snprintf(key, sizeof(key), "%s-decoded", field);
	open_block(o, key, false);
	quoted(o, "message", map[i].name);
	if (map[i].word) {
		snprintf(s, sizeof(s), "0x%08x", (unsigned)v);
		quoted(o, "value", s);
	} else {
		quoted(o, "value", "opaque (MS-KILE 2.2.4)");
	}
	close_block(o, false);
	return true;
}

/* Prints the decoded payload of an OCTET STRING when its type is known and it decodes. */
static void payload(struct out *o, const char *field, int32_t type_number, const struct kssp_der_bytes *b)
{
	const struct kssp_asn1_type *t = NULL;
	_Alignas(max_align_t) uint8_t v[1024];
	char key[64];
	size_t nth;

	if (strcmp(field, "ad-data") == 0 && type_number == KSSP_AD_WIN2K_PAC) {
		print_pac(o, "ad-data-decoded", b->data, b->len);
		return;
	}
	if (strcmp(field, "data-value") == 0 && type_number == KSSP_KERB_ERR_TYPE_EXTENDED &&
	    print_ext_error(o, "data-value-decoded", b))
		return;
	if (print_ad_word(o, field, type_number, b))
		return;
	if (o->nest >= NEST_MAX)
		return;
	for (nth = 0; (t = payload_type(field, type_number, nth)) != NULL; nth++)
		if (t->size <= sizeof(v) && kssp_asn1_decode(t, b->data, b->len, o->arena, v) == KSSP_OK)
			break;
	if (!t)
		return;
	snprintf(key, sizeof(key), "%s-decoded", field);
	o->nest++;
	if (t->list) {
		print_type(o, key, t, v);
	} else {
		/* A SEQUENCE payload is named by its type, as a message is. */
		open_block(o, key, false);
		quoted(o, "message", t->name);
		print_fields(o, t, v);
		close_block(o, false);
	}
	o->nest--;
}

static void print_scalar(struct out *o, const char *k, const struct kssp_asn1_field *f, const void *p)
{
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	bool b;
	char s[20];

	switch (f->kind) {
	case KSSP_ASN1_STRUCT:
		print_type(o, k, f->type, p);
		break;
	case KSSP_ASN1_INT32:
		memcpy(&i32, p, sizeof(i32));
		number(o, k, i32);
		break;
	case KSSP_ASN1_UINT32:
	case KSSP_ASN1_SEQNUM:
		memcpy(&u32, p, sizeof(u32));
		number(o, k, u32);
		break;
	case KSSP_ASN1_BOOL:
		memcpy(&b, p, sizeof(b));
		scalar(o, k, b ? "true" : "false", b ? "true" : "false");
		break;
	case KSSP_ASN1_OCTETS:
		hex(o, k, p);
		break;
	case KSSP_ASN1_KSTRING:
		string(o, k, p);
		break;
	case KSSP_ASN1_TIME:
		memcpy(&i64, p, sizeof(i64));
		kssp_der_format_time(i64, s);
		quoted(o, k, s);
		break;
	case KSSP_ASN1_FLAGS:
		memcpy(&u32, p, sizeof(u32));
		flags(o, k, f, u32);
		break;
	default:
		break;
	}
}

static bool field_present(const struct kssp_asn1_field *f, const uint8_t *base)
{
	const void *ptr;

	if (!(f->flags & KSSP_ASN1_OPTIONAL))
		return true;
	if ((f->flags & KSSP_ASN1_SEQOF) || f->aux == KSSP_ASN1_NO_AUX) {
		memcpy(&ptr, base + f->offset, sizeof(ptr));
		return ptr != NULL;
	}
	return base[f->aux] != 0;
}

static void print_array(struct out *o, const char *k, const struct kssp_asn1_field *f, const uint8_t *base)
{
	const uint8_t *array;
	size_t count, size, i;

	memcpy(&array, base + f->offset, sizeof(array));
	memcpy(&count, base + f->aux, sizeof(count));
	size = kssp_asn1_elem_size(f);
	open_block(o, k, true);
	for (i = 0; i < count; i++)
		print_scalar(o, NULL, f, array + i * size);
	close_block(o, true);
}

static void print_field(struct out *o, const struct kssp_asn1_field *f, const uint8_t *base,
    int32_t type_number)
{
	if (!field_present(f, base))
		return;
	if (f->flags & KSSP_ASN1_SEQOF) {
		print_array(o, f->name, f, base);
		return;
	}
	print_scalar(o, f->name, f, base + f->offset);
	if (f->kind == KSSP_ASN1_OCTETS)
		payload(o, f->name, type_number, (const struct kssp_der_bytes *)(const void *)(base + f->offset));
}

static void print_e_data(struct out *o, const void *v)
{
	struct kssp_method_data md;
	struct kssp_typed_data td;
	enum kssp_krb5_e_data_kind kind;
	const struct kssp_krb_error *err = v;

	struct kssp_kerb_error_data ked;

	if (!err->e_data.data)
		return;
	/* AD's KERB-ERROR-DATA (MS-KILE §2.2.2), else METHOD-DATA or TYPED-DATA. */
	if (kssp_krb5_decode_kerb_error_data(err->e_data.data, err->e_data.len, o->arena, &ked) ==
	    KSSP_OK) {
		print_type(o, "e-data-decoded", &kssp_krb5_kerb_error_data_type, &ked);
		return;
	}
	if (kssp_krb5_decode_e_data(&err->e_data, o->arena, &md, &td, &kind))
		return;
	if (kind == KSSP_KRB5_E_DATA_METHOD)
		print_type(o, "e-data-decoded", &kssp_krb5_method_data_type, &md);
	else
		print_type(o, "e-data-decoded", &kssp_krb5_typed_data_type, &td);
}

/* The fields of a SEQUENCE (or the elements of a SEQUENCE OF) into the open object. */
static void print_fields(struct out *o, const struct kssp_asn1_type *t, const void *v)
{
	const uint8_t *base = v;
	int32_t type_number = 0;
	size_t i;

	if (t->list) {
		print_field(o, &t->fields[0], base, 0);
		return;
	}
	for (i = 0; i < t->n_fields; i++) {
		const struct kssp_asn1_field *f = &t->fields[i];

		/* padata-type / ad-type precede the value they describe. */
		if (f->kind == KSSP_ASN1_INT32 && (strcmp(f->name, "padata-type") == 0 ||
		    strcmp(f->name, "ad-type") == 0 || strcmp(f->name, "data-type") == 0))
			memcpy(&type_number, base + f->offset, sizeof(type_number));
		print_field(o, f, base, type_number);
	}
	if (t == &kssp_krb5_krb_error_type)
		print_e_data(o, v);
}

static void print_type(struct out *o, const char *k, const struct kssp_asn1_type *t, const void *v)
{
	if (t->list) {
		/* A SEQUENCE OF value (ETYPE-INFO2, METHOD-DATA): its elements under k. */
		print_array(o, k, &t->fields[0], v);
		return;
	}
	open_block(o, k, false);
	print_fields(o, t, v);
	close_block(o, false);
}

/* ---- recognising the input ------------------------------------------------ */

/* The next element's tag; when there is none, the reason reading it gives (a peek records none). */
static bool next_tag(struct kssp_cursor *c, struct kssp_der_tag *tag)
{
	struct kssp_der_elem e;

	if (!kssp_der_peek_tag(c, tag))
		return true;
	kssp_der_read_any(c, &e);
	return false;
}

static bool print_kerberos(struct out *o, const char *k, const struct kssp_cursor *c,
    const struct kssp_asn1_type *t)
{
	_Alignas(max_align_t) uint8_t v[1024];

	if (t->size > sizeof(v) || kssp_asn1_decode_cursor(t, c, o->arena, v) != KSSP_OK)
		return false;
	open_block(o, k, false);
	quoted(o, "message", t->name);
	print_fields(o, t, v);
	close_block(o, false);
	return true;
}

static void print_nested_token(struct out *o, const char *k, const struct kssp_der_bytes *b)
{
	char key[64];

	hex(o, k, b);
	if (!b->data || o->nest >= NEST_MAX)
		return;
	snprintf(key, sizeof(key), "%s-decoded", k);
	o->nest++;
	print_token(o, key, b->data, b->len);
	o->nest--;
}

static bool print_spnego(struct out *o, const char *k, const uint8_t *buf, size_t len)
{
	static const char *const states[] = { "accept-completed", "accept-incomplete", "reject", "request-mic" };
	struct kssp_spnego_token t;
	size_t i;

	if (kssp_spnego_decode(buf, len, o->arena, &t))
		return false;
	open_block(o, k, false);
	if (t.kind == KSSP_SPNEGO_INIT) {
		quoted(o, "message", t.framed ? "SPNEGO NegTokenInit (GSS-framed)" : "SPNEGO NegTokenInit");
		open_block(o, "mechTypes", true);
		for (i = 0; i < t.init.mech_types_len; i++)
			oid(o, NULL, &t.init.mech_types[i]);
		close_block(o, true);
		if (t.init.has_req_flags)
			hex(o, "reqFlags", &t.init.req_flags);
		if (t.init.mech_token.data)
			print_nested_token(o, "mechToken", &t.init.mech_token);
		if (t.init.has_neg_hints) {
			open_block(o, "negHints", false);
			if (t.init.hint_name.data)
				string(o, "hintName", &t.init.hint_name);
			if (t.init.hint_address.data)
				hex(o, "hintAddress", &t.init.hint_address);
			close_block(o, false);
		}
		if (t.init.mech_list_mic.data)
			hex(o, "mechListMIC", &t.init.mech_list_mic);
	} else {
		quoted(o, "message", "SPNEGO NegTokenResp");
		if (t.resp.has_neg_state)
			quoted(o, "negState", states[t.resp.neg_state]);
		if (t.resp.supported_mech.data)
			oid(o, "supportedMech", &t.resp.supported_mech);
		if (t.resp.response_token.data)
			print_nested_token(o, "responseToken", &t.resp.response_token);
		if (t.resp.mech_list_mic.data)
			hex(o, "mechListMIC", &t.resp.mech_list_mic);
	}
	close_block(o, false);
	return true;
}

static bool print_gss_krb5(struct out *o, const char *k, const uint8_t *buf, size_t len)
{
	struct kssp_gss_krb5_token t;
	struct kssp_cursor c;
	struct kssp_der_tag tag;
	const struct kssp_asn1_type *type;
	char tok[8];

	if (kssp_gss_decode_krb5(buf, len, &t))
		return false;
	kssp_cursor_init(&c, t.message.data, t.message.len);
	c.origin = t.message_offset;
	if (!next_tag(&c, &tag))
		return false;
	type = tag.cls == KSSP_DER_APPLICATION ? kssp_krb5_type_by_app_tag(tag.number) : NULL;
	/* User-to-user (draft-swift-win2k-krb-user2user-03 §4): bare SEQUENCEs, named by TOK_ID. */
	if (t.tok_id == KSSP_GSS_TOK_TGT_REQ || t.tok_id == KSSP_GSS_TOK_TGT_REP)
		type = t.tok_id == KSSP_GSS_TOK_TGT_REQ ? &kssp_krb5_kerb_tgt_request_type
		    : &kssp_krb5_kerb_tgt_reply_type;
	if (!type)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, t.message_offset,
		    "GSS krb5 token: no Kerberos message"), false;
	open_block(o, k, false);
	quoted(o, "message", "GSS-API InitialContextToken");
	oid(o, "thisMech", &t.mech);
	snprintf(tok, sizeof(tok), "%04x", t.tok_id);
	quoted(o, "tok-id", tok);
	if (!print_kerberos(o, "innerToken", &c, type)) {
		close_block(o, false);
		return false;
	}
	close_block(o, false);
	return true;
}

/* Types tried, in order, for a bare SEQUENCE (no message tag says what it is). */
static const struct kssp_asn1_type *const bare_types[] = {
	&kssp_krb5_kdc_req_body_type, &kssp_krb5_method_data_type, &kssp_krb5_typed_data_type,
	&kssp_krb5_kerb_error_data_type,
	&kssp_krb5_etype_info2_type, &kssp_krb5_etype_info_type, &kssp_krb5_pa_enc_ts_enc_type,
	&kssp_krb5_encrypted_data_type, &kssp_krb5_authorization_data_type, &kssp_krb5_pa_pac_request_type,
	&kssp_krb5_pa_for_user_type, &kssp_krb5_pa_s4u_x509_user_type, &kssp_krb5_pa_pac_options_type,
	&kssp_krb5_ad_kdc_issued_type, &kssp_krb5_krb_cred_info_type, &kssp_krb5_principal_name_type,
	&kssp_krb5_encryption_key_type, &kssp_krb5_checksum_type, &kssp_krb5_host_address_type,
	&kssp_krb5_ad_restriction_entry_type,
};

/* Prints one token of any kind kssp knows; false (reason recorded) when it is none of them. */
static bool print_token(struct out *o, const char *k, const uint8_t *buf, size_t len)
{
	struct kssp_cursor c;
	struct kssp_der_tag tag;
	const struct kssp_asn1_type *t;
	size_t i;

	kssp_cursor_init(&c, buf, len);
	if (!next_tag(&c, &tag))
		return false;
	if (tag.cls == KSSP_DER_APPLICATION && tag.number == 0 && tag.constructed) {
		struct kssp_gss_token g;

		if (kssp_gss_decode_initial(buf, len, &g))
			return false;
		if (kssp_gss_oid_equal(&g.mech, &kssp_gss_spnego_oid))
			return print_spnego(o, k, buf, len);
		if (kssp_gss_oid_equal(&g.mech, &kssp_gss_krb5_oid) || kssp_gss_oid_equal(&g.mech, &kssp_gss_mskrb5_oid) ||
		    kssp_gss_oid_equal(&g.mech, &kssp_gss_u2u_oid))
			return print_gss_krb5(o, k, buf, len);
		return kssp_fail_at(KSSP_ERR_UNSUPPORTED, g.mech_offset,
		    "GSS token of an unknown mechanism"), false;
	}
	if (tag.cls == KSSP_DER_CONTEXT && tag.constructed && tag.number <= 1)
		return print_spnego(o, k, buf, len);
	if (tag.cls == KSSP_DER_APPLICATION) {
		t = kssp_krb5_type_by_app_tag(tag.number);
		if (!t)
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, 0, "no Kerberos message has [APPLICATION %u]",
			    tag.number), false;
		return print_kerberos(o, k, &c, t);
	}
	if (tag.cls == KSSP_DER_UNIVERSAL && tag.number == KSSP_DER_SEQUENCE && tag.constructed) {
		struct kssp_failure first;

		for (i = 0; i < sizeof(bare_types) / sizeof(bare_types[0]); i++) {
			_Alignas(max_align_t) uint8_t v[1024];

			if (kssp_asn1_decode_cursor(bare_types[i], &c, o->arena, v) == KSSP_OK)
				return print_kerberos(o, k, &c, bare_types[i]);
			if (i == 0)
				kssp_failure_save(&first);
		}
		/* The first type's failure is the one shown, under the code they all share. */
		first.code = KSSP_ERR_BAD_ENCODING;
		kssp_failure_restore(&first);
		return false;
	}
	return kssp_fail_at(KSSP_ERR_BAD_ENCODING, 0, "not a Kerberos, GSS-API or SPNEGO token: tag 0x%02x",
	    buf[0]), false;
}

/* ---- the command ---------------------------------------------------------- */


/* ---- --keytab / --password: the enc-parts, decrypted ---------------------- */

#define PA_ETYPE_INFO2 19

struct secrets {
	struct kssp_keytab kt;
	bool have_keytab;
	const char *password;
};

/* Decrypts ed with key into a fresh buffer; prints it as type (tried in order). */
static kssp_err open_part(struct out *o, struct kssp_key *key, uint32_t usage,
    const struct kssp_encrypted_data *ed, const char *what,
    const struct kssp_asn1_type *const *types, size_t ntypes, uint8_t **plain, size_t *plen)
{
	struct kssp_cursor c;
	size_t i;
	kssp_err e = kssp_crypto_open(key, usage, ed->etype, ed->cipher.data, ed->cipher.len, what,
	    plain, plen);

	if (e)
		return e;
	for (i = 0; i < ntypes; i++) {
		if (*plen == 0 || kssp_krb5_type_by_app_tag((uint32_t)((*plain)[0] & 0x1f)) != types[i])
			continue;
		fprintf(o->f, o->json ? "\n" : "\n%s (decrypted, key usage %u, %s):\n", what, usage,
		    kssp_crypto_enctype_name(key->enctype));
		kssp_cursor_init(&c, *plain, *plen);
		o->depth = 0;
		o->first[0] = true;
		return print_kerberos(o, NULL, &c, types[i]) ? KSSP_OK :
		    kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: decrypted, but not a valid %s", what,
		    types[i]->name);
	}
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: decrypted, but of an unexpected type", what);
}

/* The ticket's enc-part with each keytab key of its enctype (and kvno) in turn. */
static kssp_err open_ticket(struct out *o, const struct secrets *s, const struct kssp_ticket *t,
    struct kssp_key *session)
{
	static const struct kssp_asn1_type *const types[] = { &kssp_krb5_enc_ticket_part_type };
	const struct kssp_encrypted_data *ed = &t->enc_part;
	struct kssp_enc_ticket_part part;
	struct kssp_arena arena;
	uint8_t *plain = NULL;
	size_t i, plen = 0;
	kssp_err e = kssp_fail(KSSP_ERR_NOT_FOUND,
	    "ticket enc-part: no key of enctype %d%s in the keytab opens it", (int)ed->etype,
	    ed->has_kvno ? " and its kvno" : "");

	for (i = 0; i < s->kt.n_entries && !plain; i++) {
		const struct kssp_keytab_entry *k = &s->kt.entries[i];
		struct kssp_key key;

		if (k->keytype != ed->etype || (ed->has_kvno && k->vno != ed->kvno) ||
		    kssp_crypto_key_init(&key, k->keytype, k->key, k->key_len) != KSSP_OK)
			continue;
		e = open_part(o, &key, KSSP_KU_TICKET, ed, "Ticket enc-part", types, 1,
		    &plain, &plen);
		kssp_crypto_key_clear(&key);
		if (e && e != KRB_AP_ERR_BAD_INTEGRITY)
			break;
	}
	if (!plain)
		return e;
	kssp_arena_init(&arena);
	e = kssp_krb5_decode_enc_ticket_part(plain, plen, &arena, &part);
	if (!e && session)
		e = kssp_crypto_key_init(session, part.key.keytype, part.key.keyvalue.data,
		    part.key.keyvalue.len);
	kssp_arena_free(&arena);
	kssp_free_secret(plain, plen);
	return e;
}

static kssp_err open_ap_req(struct out *o, const struct secrets *s, const uint8_t *msg,
    size_t len)
{
	static const struct kssp_asn1_type *const types[] = { &kssp_krb5_authenticator_type };
	struct kssp_arena arena;
	struct kssp_ap_req req;
	struct kssp_key session;
	uint8_t *plain = NULL;
	size_t plen = 0;
	kssp_err e;

	memset(&session, 0, sizeof(session));
	kssp_arena_init(&arena);
	e = kssp_krb5_decode_ap_req(msg, len, &arena, &req);
	if (!e && !s->have_keytab)
		e = kssp_fail(KSSP_ERR_NO_CREDENTIALS, "an AP-REQ's ticket needs --keytab");
	if (!e)
		e = open_ticket(o, s, &req.ticket, &session);
	if (!e)
		e = open_part(o, &session, KSSP_KU_AP_REQ_AUTH, &req.authenticator,
		    "AP-REQ authenticator", types, 1, &plain, &plen);
	if (plain)
		kssp_free_secret(plain, plen);
	kssp_crypto_key_clear(&session);
	kssp_arena_free(&arena);
	return e;
}

/* The salt and s2kparams the KDC named in PA-ETYPE-INFO2 for etype, if any. */
static void find_salt(const struct kssp_kdc_rep *rep, int32_t etype, struct kssp_arena *arena,
    struct kssp_der_bytes *salt, struct kssp_der_bytes *params)
{
	size_t i, j;

	for (i = 0; i < rep->padata_len; i++) {
		struct kssp_etype_info2 info;

		if (rep->padata[i].padata_type != PA_ETYPE_INFO2 ||
		    kssp_krb5_decode_etype_info2(rep->padata[i].padata_value.data,
		        rep->padata[i].padata_value.len, arena, &info) != KSSP_OK)
			continue;
		for (j = 0; j < info.entries_len; j++)
			if (info.entries[j].etype == etype) {
				*salt = info.entries[j].salt;
				*params = info.entries[j].s2kparams;
				return;
			}
	}
}

static kssp_err open_kdc_rep(struct out *o, const struct secrets *s, const uint8_t *msg,
    size_t len, bool as_rep)
{
	static const struct kssp_asn1_type *const types[] = { &kssp_krb5_enc_as_rep_part_type,
		&kssp_krb5_enc_tgs_rep_part_type };
	struct kssp_arena arena;
	struct kssp_kdc_rep rep;
	struct kssp_der_bytes salt = { NULL, 0 }, params = { NULL, 0 };
	struct kssp_writer w;
	struct kssp_key key;
	uint8_t *plain = NULL;
	size_t i, plen = 0;
	kssp_err e;

	kssp_arena_init(&arena);
	kssp_writer_init_growable(&w, 4096);
	memset(&key, 0, sizeof(key));
	e = as_rep ? kssp_krb5_decode_as_rep(msg, len, &arena, &rep) :
	    kssp_krb5_decode_tgs_rep(msg, len, &arena, &rep);
	if (!e && s->have_keytab)
		e = open_ticket(o, s, &rep.ticket, NULL);
	if (!e && as_rep && s->password) {
		find_salt(&rep, rep.enc_part.etype, &arena, &salt, &params);
		if (!salt.data) {
			/* RFC 4120 §4: the default salt, realm then each name component. */
			kssp_writer_put_bytes(&w, rep.crealm.data, rep.crealm.len);
			for (i = 0; i < rep.cname.name_string_len; i++)
				kssp_writer_put_bytes(&w, rep.cname.name_string[i].data,
				    rep.cname.name_string[i].len);
			salt.data = w.buf;
			salt.len = w.len;
		}
		e = kssp_crypto_string_to_key(rep.enc_part.etype, s->password, strlen(s->password),
		    salt.data, salt.len, params.data, params.len, &key);
		if (!e)
			e = open_part(o, &key, KSSP_KU_AS_REP_ENC_PART, &rep.enc_part,
			    "AS-REP enc-part", types, 2, &plain, &plen);
	}
	if (plain)
		kssp_free_secret(plain, plen);
	kssp_crypto_key_clear(&key);
	kssp_writer_free(&w);
	kssp_arena_free(&arena);
	return e;
}

/* Finds the AP-REQ, Ticket, AS-REP or TGS-REP in a token and opens its enc-parts. */
static kssp_err open_enc_parts(struct out *o, const struct secrets *s, const uint8_t *buf,
    size_t len);
static kssp_err open_enc_parts(struct out *o, const struct secrets *s, const uint8_t *buf,
    size_t len)
{
	struct kssp_gss_krb5_token gss;
	struct kssp_spnego_token neg;
	struct kssp_arena arena;
	kssp_err e;

	/* SPNEGO (RFC 4178): the optimistic mechToken, or the responseToken. */
	kssp_arena_init(&arena);
	if (len > 0 && kssp_spnego_decode(buf, len, &arena, &neg) == KSSP_OK) {
		const struct kssp_der_bytes *inner = neg.kind == KSSP_SPNEGO_INIT ?
		    &neg.init.mech_token : &neg.resp.response_token;

		if (inner->data) {
			e = open_enc_parts(o, s, inner->data, inner->len);
			kssp_arena_free(&arena);
			return e;
		}
	}
	kssp_arena_free(&arena);
	if (len > 0 && buf[0] == 0x60 && kssp_gss_decode_krb5(buf, len, &gss) == KSSP_OK) {
		buf = gss.message.data;
		len = gss.message.len;
	}
	if (len == 0)
		return kssp_fail(KSSP_ERR_TRUNCATED, "nothing to decrypt");
	switch (buf[0]) {
	case 0x6e: return open_ap_req(o, s, buf, len);
	case 0x6b: return open_kdc_rep(o, s, buf, len, true);
	case 0x6d: return open_kdc_rep(o, s, buf, len, false);
	case 0x61: {
		struct kssp_ticket t;

		kssp_arena_init(&arena);
		e = kssp_krb5_decode_ticket(buf, len, &arena, &t);
		if (!e)
			e = open_ticket(o, s, &t, NULL);
		kssp_arena_free(&arena);
		return e;
	}
	default:
		return kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "--keytab / --password open an AP-REQ (bare, GSS-framed or in SPNEGO), a Ticket, an AS-REP or a TGS-REP's ticket");
	}
}

static int decode_fail(void)
{
	const char *reason = kssp_last_reason();

	/* A failure that names no place in the input is put at its start. */
	fprintf(stderr, "kssp: cannot decode: %s%s\n", *reason ? reason : "unrecognised input",
	    kssp_last_offset() != KSSP_NO_OFFSET ? "" : " at offset 0");
	return KSSP_EXIT_FAIL;
}

static int run_decode(int argc, char **argv)
{
	const char *path = "-", *type_name = NULL, *keytab = NULL;
	struct out o = { stdout, false, 0, { true }, NULL, 0 };
	struct secrets sec;
	struct kssp_arena arena;
	uint8_t *text = NULL, *der = NULL;
	size_t text_len, der_len;
	int i, rc = KSSP_EXIT_OK;
	bool ok, have_path = false, pac = false;
	kssp_err e;

	memset(&sec, 0, sizeof(sec));
	kssp_keytab_init(&sec.kt);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o.json = true;
		} else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
			type_name = argv[++i];
		} else if (strcmp(argv[i], "--keytab") == 0 && i + 1 < argc) {
			keytab = argv[++i];
		} else if (strcmp(argv[i], "--pac") == 0) {
			pac = true;
		} else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc) {
			sec.password = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != 0) {
			return kssp_cli_usage_error("decode", "unknown option");
		} else if (!have_path) {
			path = argv[i];
			have_path = true;
		} else {
			return kssp_cli_usage_error("decode", "more than one input");
		}
	}
	if (type_name && !kssp_krb5_type_by_name(type_name))
		return kssp_cli_usage_error("decode", "unknown --type (an ASN.1 type name such as AS-REP)");
	e = kssp_cli_read_file(path, &text, &text_len);
	if (e)
		return kssp_cli_fail("decode", e);
	e = kssp_cli_token_bytes(text, text_len, &der, &der_len);
	free(text);
	if (e)
		return decode_fail();
	if (der_len == 0) {
		free(der);
		kssp_fail_at(KSSP_ERR_TRUNCATED, 0, "empty input");
		return decode_fail();
	}
	kssp_arena_init(&arena);
	o.arena = &arena;
	if (pac) {
		ok = print_pac(&o, NULL, der, der_len);
	} else if (type_name) {
		struct kssp_cursor c;

		kssp_cursor_init(&c, der, der_len);
		ok = print_kerberos(&o, NULL, &c, kssp_krb5_type_by_name(type_name));
	} else {
		ok = print_token(&o, NULL, der, der_len);
	}
	if (ok && o.json)
		fputc('\n', stdout);
	if (!ok)
		rc = decode_fail();
	if (ok && (keytab || sec.password)) {
		char *ktpath = NULL;

		e = KSSP_OK;
		if (keytab && !(e = kssp_keytab_resolve(keytab, &ktpath)) &&
		    !(e = kssp_keytab_read(ktpath, &sec.kt)))
			sec.have_keytab = true;
		if (!e)
			e = open_enc_parts(&o, &sec, der, der_len);
		if (!e && o.json)
			fputc('\n', stdout);
		if (e)
			rc = kssp_cli_fail("decode", e);
		kssp_free(ktpath);
	}
	kssp_keytab_free(&sec.kt);
	kssp_arena_free(&arena);
	free(der);
	return rc;
}

const struct kssp_cli_command kssp_cmd_decode = {
	"decode", "print a Kerberos message, GSS-API or SPNEGO token",
	"usage: kssp decode [--json] [--type ASN1-TYPE | --pac] [--keytab KT] [--password PW]\n"
	"                   [FILE|-]\n"
	"\n"
	"Reads one token (raw DER, hex or base64, white space ignored; an HTTP\n"
	"'Negotiate <base64>' value is accepted) from FILE or standard input and\n"
	"prints it as an indented tree, or with --json as a JSON object whose keys\n"
	"are the ASN.1 field names of RFC 4120 and RFC 4178.  Recognised by tag:\n"
	"every RFC 4120 message (AS-REQ .. KRB-ERROR, Ticket, the Enc*Part types),\n"
	"GSS-API InitialContextTokens of the krb5 mechanism, and SPNEGO\n"
	"NegTokenInit / NegTokenResp.  A bare SEQUENCE is tried as the PA-DATA and\n"
	"AD payload types; --type names the type outright (e.g. ETYPE-INFO2).\n"
	"\n"
	"--keytab KT decrypts a ticket's enc-part (EncTicketPart: client name,\n"
	"session key, times, flags) with KT's key of its enctype and kvno, and an\n"
	"AP-REQ's Authenticator with that session key; --password PW decrypts an\n"
	"AS-REP's enc-part (EncASRepPart) with the key PW gives under the salt of its\n"
	"PA-ETYPE-INFO2 (else the default salt).  The decrypted parts follow the tree\n"
	"(with --json, as further JSON objects, one after the other).\n"
	"\n"
	"A PAC (MS-PAC; AD-WIN2K-PAC authorization data, as in a ticket --keytab\n"
	"opened) is decoded in place: buffers, logon info (names, SIDs, groups), client\n"
	"name, UPN, DNS domain, transited services and signatures, which decode does\n"
	"not verify.  --pac: FILE holds a PAC on its own.\n"
	"\n"
	"Input that cannot be decoded: 'kssp: cannot decode: REASON at offset N',\n"
	"exit status 1.\n",
	run_decode,
};

int kssp_cli_decode_print(const uint8_t *buf, size_t len, const char *prefix)
{
	struct out o = { NULL, false, 0, { true }, NULL, 0 };
	struct kssp_arena arena;
	char *text = NULL, *line, *save = NULL;
	size_t text_len = 0;
	bool ok;

	o.f = open_memstream(&text, &text_len);
	if (!o.f)
		return KSSP_EXIT_FAIL;
	kssp_arena_init(&arena);
	o.arena = &arena;
	ok = print_token(&o, NULL, buf, len);
	if (fclose(o.f) != 0)
		ok = false;
	kssp_arena_free(&arena);
	for (line = strtok_r(text, "\n", &save); ok && line; line = strtok_r(NULL, "\n", &save))
		printf("%s%s\n", prefix, line);
	free(text);
	return ok ? KSSP_EXIT_OK : KSSP_EXIT_FAIL;
}
