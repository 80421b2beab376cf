/*
 * context/pac.c - the PAC container (MS-PAC 2.3, 2.4), its buffers
 * (MS-PAC 2.5-2.15) and the acceptor's verification (MS-PAC 2.8.1, 2.7).
 *
 * Integer overflows in buffer bounds are where PAC parsers have failed
 * (CVE-2022-42898), so every bound is checked in size_t against what is
 * left, never as offset + size: offsets are 32-bit here and the PAC at most
 * KSSP_PAC_MAX_SIZE, so no sum below can wrap.
 */
#include "context/pac_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "context/ndr_int.h"

#define PACTYPE_HEADER 8
#define PAC_INFO_BUFFER_LEN 16
#define FILETIME_PER_SECOND 10000000u
/* Seconds from 1601-01-01 to 1970-01-01 (MS-DTYP 2.3.3). */
#define FILETIME_UNIX_EPOCH 11644473600

static kssp_err bad(const struct kssp_pac_buffer *b, const char *why)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "PAC buffer type %" PRIu32 " at offset %zu: %s",
	    b->type, b->offset, why);
}

/* Types MS-PAC defines: each may appear once (MS-PAC 2.4). */
static bool known_type(uint32_t type)
{
	return (type >= 1 && type <= 2) || (type >= 6 && type <= 7) ||
	    (type >= 10 && type <= 19);
}

/* A cursor over buffer b alone, offsets still counted from the PAC's start. */
static kssp_err buffer_cursor(const struct kssp_pac *pac, const struct kssp_pac_buffer *b,
    struct kssp_cursor *out)
{
	struct kssp_cursor c;
	kssp_err e;

	kssp_cursor_init(&c, pac->data, pac->len);
	if ((e = kssp_cursor_skip(&c, b->offset)))
		return e;
	return kssp_cursor_sub(&c, b->size, out);
}

static void *alloc(struct kssp_pac *pac, size_t size)
{
	return kssp_arena_alloc(&pac->arena, size);
}

/* ---- the container ------------------------------------------------------ */

static kssp_err read_entry(struct kssp_cursor *c, size_t header_end, size_t len,
    struct kssp_pac_buffer *b)
{
	uint32_t size = 0, lo = 0, hi = 0;
	kssp_err e;

	b->offset = kssp_cursor_offset(c);
	if ((e = kssp_cursor_read_le32(c, &b->type)) || (e = kssp_cursor_read_le32(c, &size)) ||
	    (e = kssp_cursor_read_le32(c, &lo)) || (e = kssp_cursor_read_le32(c, &hi)))
		return e;
	b->size = size;
	if (hi != 0 || lo > len || size > len - lo)
		return kssp_fail(KSSP_ERR_TRUNCATED, "PAC_INFO_BUFFER at offset %zu: %" PRIu32
		    " bytes at offset %" PRIu64 " end past the PAC's %zu", b->offset, size,
		    (uint64_t)hi << 32 | lo, len);
	b->offset = lo;
	if (lo % 8)
		return bad(b, "offset not a multiple of 8");
	if (lo < header_end && size > 0)
		return bad(b, "overlaps the PAC_INFO_BUFFER array");
	return KSSP_OK;
}

static kssp_err check_overlaps(const struct kssp_pac *pac)
{
	size_t i, j;

	for (i = 0; i < pac->n_buffers; i++) {
		const struct kssp_pac_buffer *a = &pac->buffers[i];

		for (j = 0; j < i; j++) {
			const struct kssp_pac_buffer *b = &pac->buffers[j];

			if (a->type == b->type && known_type(a->type))
				return bad(a, "appears twice");
			if (a->offset < b->offset + b->size && b->offset < a->offset + a->size)
				return bad(a, "overlaps another buffer");
		}
	}
	return KSSP_OK;
}

static kssp_err read_container(struct kssp_pac *pac)
{
	struct kssp_cursor c;
	uint32_t count = 0;
	size_t i;
	kssp_err e;

	kssp_cursor_init(&c, pac->data, pac->len);
	if ((e = kssp_cursor_read_le32(&c, &count)) ||
	    (e = kssp_cursor_read_le32(&c, &pac->version)))
		return e;
	if (count > KSSP_PAC_MAX_BUFFERS)
		return kssp_fail(KSSP_ERR_LIMIT, "PAC: %" PRIu32 " buffers, at most %u", count,
		    KSSP_PAC_MAX_BUFFERS);
	if (pac->version != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "PAC: version %" PRIu32 ", not 0",
		    pac->version);
	pac->buffers = alloc(pac, (count ? count : 1) * sizeof(*pac->buffers));
	if (!pac->buffers)
		return KSSP_ERR_NOMEM;
	pac->n_buffers = count;
	for (i = 0; i < count && !e; i++)
		if (!(e = read_entry(&c, PACTYPE_HEADER + PAC_INFO_BUFFER_LEN * (size_t)count,
		    pac->len, &pac->buffers[i])))
			pac->buffers[i].data = pac->data + pac->buffers[i].offset;
	return e ? e : check_overlaps(pac);
}

/* ---- plain (non-NDR) buffers -------------------------------------------- */

kssp_err kssp_pac_filetime_read(struct kssp_cursor *c, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	kssp_cursor_read_le32(c, &lo);
	kssp_cursor_read_le32(c, &hi);
	*v = (uint64_t)hi << 32 | lo;
	return kssp_cursor_status(c);
}

/* PAC_SIGNATURE_DATA, MS-PAC 2.8: type, signature, optional RODCIdentifier. */
static kssp_err parse_signature(struct kssp_cursor *c, const struct kssp_pac_buffer *b,
    struct kssp_pac_signature *sig)
{
	uint32_t type = 0;
	size_t want = 0;
	kssp_err e = kssp_cursor_read_le32(c, &type);

	if (e)
		return e;
	sig->present = true;
	sig->type = (int32_t)type;
	sig->offset = b->offset;
	sig->size = b->size;
	sig->signature_len = kssp_cursor_remaining(c);
	if (kssp_crypto_cksum_profile(sig->type) &&
	    kssp_crypto_checksum_bytes(sig->type, &want) == KSSP_OK) {
		if (sig->signature_len != want && sig->signature_len != want + 2)
			return bad(b, "signature length does not fit its type");
		sig->signature_len = want;
	}
	if ((e = kssp_cursor_take(c, sig->signature_len, &sig->signature)))
		return e;
	sig->has_rodc_identifier = !kssp_cursor_at_end(c);
	return sig->has_rodc_identifier ? kssp_cursor_read_le16(c, &sig->rodc_identifier) :
	    KSSP_OK;
}

static kssp_err take_string(struct kssp_cursor *c, size_t len, const struct kssp_pac_buffer *b,
    struct kssp_pac_string *s)
{
	if (len % 2)
		return bad(b, "UTF-16 string of odd byte length");
	s->len = len;
	return kssp_cursor_take(c, len, &s->data);
}

/* PAC_CLIENT_INFO, MS-PAC 2.7. */
static kssp_err parse_client_info(struct kssp_pac *pac, struct kssp_cursor *c,
    const struct kssp_pac_buffer *b)
{
	struct kssp_pac_client_info *ci = alloc(pac, sizeof(*ci));
	uint16_t name_len = 0;
	kssp_err e;

	if (!ci)
		return KSSP_ERR_NOMEM;
	if ((e = kssp_pac_filetime_read(c, &ci->client_id)) || (e = kssp_cursor_read_le16(c, &name_len)) ||
	    (e = take_string(c, name_len, b, &ci->name)))
		return e;
	pac->client_info = ci;
	return kssp_cursor_expect_end(c, "PAC_CLIENT_INFO");
}

/* One (length, offset) pair of UPN_DNS_INFO: offsets count from the buffer's start. */
static kssp_err upn_field(const struct kssp_cursor *buf, uint16_t len, uint16_t off,
    size_t fixed, const struct kssp_pac_buffer *b, struct kssp_pac_string *s)
{
	struct kssp_cursor c = *buf;
	kssp_err e;

	if (len == 0)
		return KSSP_OK;
	if (off < fixed)
		return bad(b, "UPN_DNS_INFO field overlaps its header");
	if ((e = kssp_cursor_skip(&c, off)))
		return e;
	return take_string(&c, len, b, s);
}

/* UPN_DNS_INFO, MS-PAC 2.10, with the S flag's SAM name and SID. */
static kssp_err parse_upn_dns_info(struct kssp_pac *pac, struct kssp_cursor *c,
    const struct kssp_pac_buffer *b)
{
	struct kssp_pac_upn_dns_info *u = alloc(pac, sizeof(*u));
	const struct kssp_cursor whole = *c;
	uint16_t f[8] = { 0 }; /* UPN, DNS, SAM name, SID: length then offset */
	size_t i, nf = 4, fixed;
	kssp_err e = u ? KSSP_OK : KSSP_ERR_NOMEM;

	for (i = 0; i < 4 && !e; i++)
		e = kssp_cursor_read_le16(c, &f[i]);
	if (!e)
		e = kssp_cursor_read_le32(c, &u->flags);
	if (!e && (u->flags & KSSP_PAC_UPN_EXTENDED))
		for (nf = 8; i < 8 && !e; i++)
			e = kssp_cursor_read_le16(c, &f[i]);
	fixed = 2 * nf + 4;
	if (e || (e = upn_field(&whole, f[0], f[1], fixed, b, &u->upn)) ||
	    (e = upn_field(&whole, f[2], f[3], fixed, b, &u->dns_domain_name)))
		return e;
	if (nf == 8) {
		struct kssp_pac_string sid = { 0 };
		struct kssp_cursor sc;

		if ((e = upn_field(&whole, f[4], f[5], fixed, b, &u->sam_name)) ||
		    (e = upn_field(&whole, f[6], f[7], fixed, b, &sid)))
			return e;
		u->sid = alloc(pac, sizeof(*u->sid));
		if (!u->sid)
			return KSSP_ERR_NOMEM;
		kssp_cursor_init(&sc, sid.data, sid.len);
		if ((e = kssp_pac_sid_read(&sc, sid.len, "UPN_DNS_INFO", u->sid)))
			return e;
	}
	pac->upn_dns_info = u;
	return KSSP_OK;
}

/* PAC_ATTRIBUTES_INFO, MS-PAC 2.14: FlagsLength bits in 32-bit words. */
static kssp_err parse_attributes(struct kssp_pac *pac, struct kssp_cursor *c,
    const struct kssp_pac_buffer *b)
{
	struct kssp_pac_attributes_info *a = alloc(pac, sizeof(*a));
	uint64_t words;
	kssp_err e;

	if (!a)
		return KSSP_ERR_NOMEM;
	if ((e = kssp_cursor_read_le32(c, &a->flags_length)))
		return e;
	words = ((uint64_t)a->flags_length + 31) / 32;
	if (words != kssp_cursor_remaining(c) / 4 || kssp_cursor_remaining(c) % 4)
		return bad(b, "PAC_ATTRIBUTES_INFO length disagrees with FlagsLength");
	if (words && (e = kssp_cursor_read_le32(c, &a->flags)))
		return e;
	pac->attributes_info = a;
	return KSSP_OK;
}

/* PAC_REQUESTOR, MS-PAC 2.15: the bare SID. */
static kssp_err parse_requestor(struct kssp_pac *pac, struct kssp_cursor *c)
{
	pac->requestor = alloc(pac, sizeof(*pac->requestor));
	if (!pac->requestor)
		return KSSP_ERR_NOMEM;
	return kssp_pac_sid_read(c, kssp_cursor_remaining(c), "PAC_REQUESTOR", pac->requestor);
}

/* ---- NDR buffers -------------------------------------------------------- */

/* KERB_VALIDATION_INFO, MS-PAC 2.5: the fixed part, pointers as referents. */
struct logon_refs {
	struct kssp_ndr_string names[6], logon_server, logon_domain_name;
	bool group_ids, logon_domain_id, extra_sids, resource_domain, resource_ids;
};

static kssp_err logon_fixed(struct kssp_ndr *n, struct kssp_pac_logon_info *li,
    struct logon_refs *r)
{
	uint64_t *times[6] = { &li->logon_time, &li->logoff_time, &li->kickoff_time,
		&li->password_last_set, &li->password_can_change, &li->password_must_change };
	size_t i;
	kssp_err e = KSSP_OK;

	for (i = 0; i < 6 && !e; i++)
		e = kssp_ndr_filetime(n, times[i]);
	for (i = 0; i < 6 && !e; i++)
		e = kssp_ndr_string_head(n, &r->names[i]);
	if (e || (e = kssp_ndr_u16(n, &li->logon_count)) ||
	    (e = kssp_ndr_u16(n, &li->bad_password_count)) || (e = kssp_ndr_u32(n, &li->user_id)) ||
	    (e = kssp_ndr_u32(n, &li->primary_group_id)) || (e = kssp_ndr_u32(n, &li->group_count)) ||
	    (e = kssp_ndr_array_pointer(n, li->group_count, &r->group_ids)) ||
	    (e = kssp_ndr_u32(n, &li->user_flags)) ||
	    (e = kssp_ndr_skip(n, 16)) || /* UserSessionKey */
	    (e = kssp_ndr_string_head(n, &r->logon_server)) ||
	    (e = kssp_ndr_string_head(n, &r->logon_domain_name)) ||
	    (e = kssp_ndr_pointer(n, &r->logon_domain_id)) ||
	    (e = kssp_ndr_skip(n, 8)) || /* Reserved1 */
	    (e = kssp_ndr_u32(n, &li->user_account_control)) ||
	    (e = kssp_ndr_skip(n, 4 + 8 + 8 + 4 + 4)) || /* SubAuthStatus .. Reserved3 */
	    (e = kssp_ndr_u32(n, &li->sid_count)) ||
	    (e = kssp_ndr_array_pointer(n, li->sid_count, &r->extra_sids)) ||
	    (e = kssp_ndr_pointer(n, &r->resource_domain)) ||
	    (e = kssp_ndr_u32(n, &li->resource_group_count)))
		return e;
	return kssp_ndr_array_pointer(n, li->resource_group_count, &r->resource_ids);
}

static kssp_err parse_logon_info(struct kssp_pac *pac, const struct kssp_cursor *c)
{
	struct kssp_pac_logon_info *li = alloc(pac, sizeof(*li));
	struct kssp_pac_string *names[6];
	struct logon_refs r;
	struct kssp_ndr n;
	size_t i;
	kssp_err e;

	if (!li)
		return KSSP_ERR_NOMEM;
	names[0] = &li->effective_name;
	names[1] = &li->full_name;
	names[2] = &li->logon_script;
	names[3] = &li->profile_path;
	names[4] = &li->home_directory;
	names[5] = &li->home_directory_drive;
	memset(&r, 0, sizeof(r));
	if ((e = kssp_ndr_open(c, &pac->arena, "KERB_VALIDATION_INFO", &n)) ||
	    (e = logon_fixed(&n, li, &r)))
		return e;
	for (i = 0; i < 6 && !e; i++)
		e = kssp_ndr_string_body(&n, &r.names[i], names[i]);
	if (e || (e = kssp_ndr_groups(&n, r.group_ids, li->group_count, &li->group_ids)) ||
	    (e = kssp_ndr_string_body(&n, &r.logon_server, &li->logon_server)) ||
	    (e = kssp_ndr_string_body(&n, &r.logon_domain_name, &li->logon_domain_name)) ||
	    (e = kssp_ndr_sid(&n, r.logon_domain_id, &li->logon_domain_id)) ||
	    (e = kssp_ndr_sid_attrs(&n, r.extra_sids, li->sid_count, &li->extra_sids)) ||
	    (e = kssp_ndr_sid(&n, r.resource_domain, &li->resource_group_domain_sid)) ||
	    (e = kssp_ndr_groups(&n, r.resource_ids, li->resource_group_count,
	    &li->resource_group_ids)))
		return e;
	pac->logon_info = li;
	return KSSP_OK;
}

/* S4U_DELEGATION_INFO, MS-PAC 2.9. */
static kssp_err parse_delegation_info(struct kssp_pac *pac, const struct kssp_cursor *c)
{
	struct kssp_pac_delegation_info *d = alloc(pac, sizeof(*d));
	struct kssp_ndr_string target, *heads = NULL;
	struct kssp_ndr n;
	bool list = false;
	uint32_t i, count;
	kssp_err e;

	if (!d)
		return KSSP_ERR_NOMEM;
	if ((e = kssp_ndr_open(c, &pac->arena, "S4U_DELEGATION_INFO", &n)) ||
	    (e = kssp_ndr_string_head(&n, &target)) ||
	    (e = kssp_ndr_u32(&n, &d->transited_list_size)) ||
	    (e = kssp_ndr_array_pointer(&n, d->transited_list_size, &list)) ||
	    (e = kssp_ndr_string_body(&n, &target, &d->s4u2proxy_target)))
		return e;
	count = list ? d->transited_list_size : 0;
	if (list && (e = kssp_ndr_conformance(&n, count, 8)))
		return e;
	if (count) {
		heads = alloc(pac, count * sizeof(*heads));
		d->transited_services = alloc(pac, count * sizeof(*d->transited_services));
		if (!heads || !d->transited_services)
			return KSSP_ERR_NOMEM;
	}
	for (i = 0; i < count && !e; i++)
		e = kssp_ndr_string_head(&n, &heads[i]);
	for (i = 0; i < count && !e; i++)
		e = kssp_ndr_string_body(&n, &heads[i], &d->transited_services[i]);
	if (!e)
		pac->delegation_info = d;
	return e;
}

/* The DOMAIN_GROUP_MEMBERSHIP array of PAC_DEVICE_INFO and its pointees. */
static kssp_err device_domain_groups(struct kssp_pac *pac, struct kssp_ndr *n,
    struct kssp_pac_device_info *d)
{
	struct kssp_pac_domain_group *g;
	bool *refs;
	uint32_t i, count = d->domain_group_count;
	kssp_err e = kssp_ndr_conformance(n, count, 12);

	if (e || count == 0)
		return e;
	g = alloc(pac, count * sizeof(*g));
	refs = alloc(pac, 2 * (size_t)count * sizeof(*refs));
	if (!g || !refs)
		return KSSP_ERR_NOMEM;
	for (i = 0; i < count && !e; i++)
		if (!(e = kssp_ndr_pointer(n, &refs[2 * (size_t)i])) &&
		    !(e = kssp_ndr_u32(n, &g[i].group_count)))
			e = kssp_ndr_array_pointer(n, g[i].group_count, &refs[2 * (size_t)i + 1]);
	for (i = 0; i < count && !e; i++)
		if (!(e = kssp_ndr_sid(n, refs[2 * (size_t)i], &g[i].domain_id)))
			e = kssp_ndr_groups(n, refs[2 * (size_t)i + 1], g[i].group_count,
			    &g[i].group_ids);
	d->domain_groups = g;
	return e;
}

/* PAC_DEVICE_INFO, MS-PAC 2.12. */
static kssp_err parse_device_info(struct kssp_pac *pac, const struct kssp_cursor *c)
{
	struct kssp_pac_device_info *d = alloc(pac, sizeof(*d));
	bool domain_id = false, groups = false, sids = false, domain_groups = false;
	struct kssp_ndr n;
	kssp_err e;

	if (!d)
		return KSSP_ERR_NOMEM;
	if ((e = kssp_ndr_open(c, &pac->arena, "PAC_DEVICE_INFO", &n)) ||
	    (e = kssp_ndr_u32(&n, &d->user_id)) || (e = kssp_ndr_u32(&n, &d->primary_group_id)) ||
	    (e = kssp_ndr_pointer(&n, &domain_id)) ||
	    (e = kssp_ndr_u32(&n, &d->account_group_count)) ||
	    (e = kssp_ndr_array_pointer(&n, d->account_group_count, &groups)) ||
	    (e = kssp_ndr_u32(&n, &d->sid_count)) ||
	    (e = kssp_ndr_array_pointer(&n, d->sid_count, &sids)) ||
	    (e = kssp_ndr_u32(&n, &d->domain_group_count)) ||
	    (e = kssp_ndr_array_pointer(&n, d->domain_group_count, &domain_groups)) ||
	    (e = kssp_ndr_sid(&n, domain_id, &d->account_domain_id)) ||
	    (e = kssp_ndr_groups(&n, groups, d->account_group_count, &d->account_group_ids)) ||
	    (e = kssp_ndr_sid_attrs(&n, sids, d->sid_count, &d->extra_sids)) ||
	    (domain_groups && (e = device_domain_groups(pac, &n, d))))
		return e;
	pac->device_info = d;
	return KSSP_OK;
}

/* ---- parse -------------------------------------------------------------- */

static kssp_err parse_buffer(struct kssp_pac *pac, const struct kssp_pac_buffer *b)
{
	struct kssp_cursor c;
	kssp_err e = buffer_cursor(pac, b, &c);

	if (e)
		return e;
	switch (b->type) {
	case KSSP_PAC_LOGON_INFO: return parse_logon_info(pac, &c);
	case KSSP_PAC_SERVER_CHECKSUM: return parse_signature(&c, b, &pac->server_signature);
	case KSSP_PAC_PRIVSVR_CHECKSUM: return parse_signature(&c, b, &pac->kdc_signature);
	case KSSP_PAC_TICKET_CHECKSUM: return parse_signature(&c, b, &pac->ticket_signature);
	case KSSP_PAC_FULL_CHECKSUM: return parse_signature(&c, b, &pac->full_signature);
	case KSSP_PAC_CLIENT_INFO: return parse_client_info(pac, &c, b);
	case KSSP_PAC_DELEGATION_INFO: return parse_delegation_info(pac, &c);
	case KSSP_PAC_UPN_DNS_INFO: return parse_upn_dns_info(pac, &c, b);
	case KSSP_PAC_DEVICE_INFO: return parse_device_info(pac, &c);
	case KSSP_PAC_ATTRIBUTES_INFO: return parse_attributes(pac, &c, b);
	case KSSP_PAC_REQUESTOR: return parse_requestor(pac, &c);
	case KSSP_PAC_CLIENT_CLAIMS: pac->client_claims = b; return KSSP_OK;
	case KSSP_PAC_DEVICE_CLAIMS: pac->device_claims = b; return KSSP_OK;
	default: return KSSP_OK; /* kept as a byte range */
	}
}

kssp_err kssp_pac_parse(const uint8_t *data, size_t len, struct kssp_pac *pac)
{
	uint8_t *copy;
	size_t i;
	kssp_err e;

	memset(pac, 0, sizeof(*pac));
	kssp_arena_init(&pac->arena);
	if (len > KSSP_PAC_MAX_SIZE)
		return kssp_fail(KSSP_ERR_LIMIT, "PAC: %zu bytes, at most %u", len, KSSP_PAC_MAX_SIZE);
	copy = alloc(pac, len ? len : 1);
	if (!copy)
		return KSSP_ERR_NOMEM;
	if (len)
		memcpy(copy, data, len);
	pac->data = copy;
	pac->len = len;
	e = read_container(pac);
	for (i = 0; i < pac->n_buffers && !e; i++)
		e = parse_buffer(pac, &pac->buffers[i]);
	return e;
}

void kssp_pac_free(struct kssp_pac *pac)
{
	kssp_arena_free(&pac->arena);
	memset(pac, 0, sizeof(*pac));
	kssp_arena_init(&pac->arena);
}

/* ---- verification ------------------------------------------------------- */

/* MS-PAC 2.8.1: the checksum over the PAC with both signatures zeroed. */
static kssp_err verify_server_signature(const struct kssp_pac *pac, struct kssp_key *key)
{
	const struct kssp_pac_signature *s = &pac->server_signature, *k = &pac->kdc_signature;
	uint8_t *copy = kssp_malloc(pac->len);
	kssp_err e;

	if (!copy)
		return kssp_fail(KSSP_ERR_NOMEM, "PAC: cannot copy %zu bytes", pac->len);
	memcpy(copy, pac->data, pac->len);
	memset(copy + s->offset + 4, 0, s->size - 4);
	memset(copy + k->offset + 4, 0, k->size - 4);
	e = kssp_crypto_verify_checksum(s->type, key, KSSP_KU_PAC_SIGNATURE, copy, pac->len, s->signature,
	    s->signature_len);
	kssp_free(copy);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "PAC: the server signature does not verify");
	return e;
}

/* An unkeyed or foreign checksum type would let anyone re-sign the PAC. */
static kssp_err check_server_cksumtype(const struct kssp_pac *pac, const struct kssp_key *key)
{
	int32_t want = 0;
	kssp_err e = kssp_crypto_enctype_cksumtype(key->enctype, &want);

	if (e)
		return e;
	if (pac->server_signature.type != want)
		return kssp_fail(KRB_AP_ERR_INAPP_CKSUM, "PAC: server signature type %d, but the "
		    "service key (enctype %d) signs with %d", (int)pac->server_signature.type,
		    (int)key->enctype, (int)want);
	return KSSP_OK;
}

static bool authtime_matches(uint64_t client_id, int64_t authtime)
{
	if (authtime < -FILETIME_UNIX_EPOCH)
		return false;
	/* As MIT compares it: whole seconds, the fraction ignored. */
	return client_id / FILETIME_PER_SECOND == (uint64_t)(authtime + FILETIME_UNIX_EPOCH);
}

/* MS-PAC 2.7: the PAC was issued to this ticket's client at its authtime. */
static kssp_err check_client_info(const struct kssp_pac *pac, const struct kssp_principal *client,
    int64_t authtime)
{
	const struct kssp_pac_client_info *ci = pac->client_info;
	struct kssp_principal *named = NULL;
	char *text = NULL;
	unsigned flags = KSSP_PARSE_NO_REALM;
	bool same;
	kssp_err e = KSSP_OK;

	if (!ci)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "PAC: no PAC_CLIENT_INFO");
	if (!authtime_matches(ci->client_id, authtime))
		return kssp_fail(KRB_AP_ERR_BADMATCH, "PAC: client info time is not the authtime");
	if (client->name_type == KSSP_NT_ENTERPRISE)
		flags |= KSSP_PARSE_ENTERPRISE;
	e = kssp_pac_string_utf8(&ci->name, &text);
	if (!e)
		e = kssp_principal_parse(text, flags, NULL, &named);
	if (e) {
		kssp_free(text);
		return e == KSSP_ERR_NOMEM ? e :
		    kssp_fail(KRB_AP_ERR_BADMATCH, "PAC: client info name is not a principal");
	}
	same = kssp_principal_equal_no_realm(named, client);
	kssp_principal_free(named);
	if (!same)
		e = kssp_fail(KRB_AP_ERR_BADMATCH, "PAC: client info names %s, not the ticket's client",
		    text);
	kssp_free(text);
	return e;
}

kssp_err kssp_pac_verify(struct kssp_pac *pac, struct kssp_key *service_key,
    const struct kssp_principal *client, int64_t authtime)
{
	kssp_err e;

	pac->server_signature_verified = false;
	if (!pac->server_signature.present || !pac->kdc_signature.present)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "PAC: no %s signature",
		    pac->server_signature.present ? "KDC" : "server");
	if ((e = check_server_cksumtype(pac, service_key)) ||
	    (e = verify_server_signature(pac, service_key)) ||
	    (e = check_client_info(pac, client, authtime)))
		return e;
	pac->server_signature_verified = true;
	return KSSP_OK;
}

/* ---- finding the PAC, strings, SIDs, times ------------------------------ */

static kssp_err count_pac(const struct kssp_authdata *ad, const uint8_t **pac, size_t *len,
    size_t *found)
{
	if (ad->ad_type != KSSP_AD_WIN2K_PAC)
		return KSSP_OK;
	if (++*found > 1)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "ticket carries more than one PAC");
	*pac = ad->ad_data.data;
	*len = ad->ad_data.len;
	return KSSP_OK;
}

kssp_err kssp_pac_find(const struct kssp_authdata *ad, size_t n_ad, struct kssp_arena *arena,
    const uint8_t **pac, size_t *len)
{
	size_t i, j, found = 0;
	kssp_err e = KSSP_OK;

	for (i = 0; i < n_ad && !e; i++) {
		struct kssp_authorization_data inner;

		if (ad[i].ad_type != KSSP_AD_IF_RELEVANT) {
			e = count_pac(&ad[i], pac, len, &found);
			continue;
		}
		e = kssp_krb5_decode_ad_if_relevant(ad[i].ad_data.data, ad[i].ad_data.len, arena,
		    &inner);
		for (j = 0; !e && j < inner.elements_len; j++)
			e = count_pac(&inner.elements[j], pac, len, &found);
	}
	if (!e && !found)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "ticket carries no PAC");
	return e;
}

/* One UTF-16 code unit, little-endian. */
static uint32_t unit_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

kssp_err kssp_pac_string_utf8(const struct kssp_pac_string *s, char **out)
{
	/* Each unit gives at most 3 bytes; a surrogate pair 4 for 2 units. */
	size_t i, cap = s->len / 2 * 3 + 1;
	char *text = kssp_malloc(cap);
	struct kssp_writer w;

	*out = NULL;
	if (!text)
		return kssp_fail(KSSP_ERR_NOMEM, "PAC: cannot convert a string");
	kssp_writer_init_fixed(&w, text, cap);
	for (i = 0; i + 1 < s->len; i += 2) {
		uint32_t cp = unit_at(s->data + i), low = 0;

		if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < s->len &&
		    (low = unit_at(s->data + i + 2)) >= 0xdc00 && low < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			i += 2;
		} else if (cp == 0 || (cp >= 0xd800 && cp < 0xe000)) {
			kssp_free(text);
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "PAC: string has %s at byte %zu",
			    cp ? "an unpaired surrogate" : "a NUL character", i);
		}
		kssp_utf8_put(&w, cp);
	}
	kssp_writer_put_u8(&w, 0);
	*out = text;
	return KSSP_OK;
}

void kssp_pac_sid_text(const struct kssp_pac_sid *sid, char buf[KSSP_PAC_SID_TEXT_MAX])
{
	uint64_t authority = 0;
	size_t i, n;

	for (i = 0; i < 6; i++)
		authority = authority << 8 | sid->identifier_authority[i];
	/* MS-DTYP 2.4.2.1: decimal below 2^32, else hexadecimal. */
	if (authority >> 32)
		n = (size_t)snprintf(buf, KSSP_PAC_SID_TEXT_MAX, "S-%u-0x%012" PRIX64, sid->revision,
		    authority);
	else
		n = (size_t)snprintf(buf, KSSP_PAC_SID_TEXT_MAX, "S-%u-%" PRIu64, sid->revision,
		    authority);
	for (i = 0; i < sid->sub_authority_count && i < KSSP_PAC_SID_MAX_SUB; i++)
		n += (size_t)snprintf(buf + n, KSSP_PAC_SID_TEXT_MAX - n, "-%" PRIu32,
		    sid->sub_authority[i]);
}

uint64_t kssp_pac_filetime_from_unix(int64_t t)
{
	if (t < -FILETIME_UNIX_EPOCH)
		return 0;
	return (uint64_t)(t + FILETIME_UNIX_EPOCH) * FILETIME_PER_SECOND;
}
