/*
 * sspi/pac.c - an accepted context's PAC (MS-PAC) for the application:
 * kssp's SECPKG_ATTR_KSSP_PAC and SECPKG_ATTR_KSSP_LOGON_INFO, and the
 * "DOMAIN\account" name Windows gives for SECPKG_ATTR_NAMES.
 */
#include "sspi/pac_int.h"

#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "context/context.h"
#include "sspi/handle_int.h"
#include "sspi/status_int.h"

/*
 * Lays a KSSP_LOGON_INFO and what it points to out in one block: run once
 * with base NULL to measure, then again on the allocated block.  Failures
 * (a string that is not UTF-16) are sticky.
 */
struct pack {
	unsigned char *base;
	size_t used;
	kssp_err err;
};

static void *pack_take(struct pack *p, size_t n, size_t align)
{
	void *at;

	p->used = (p->used + align - 1) / align * align;
	at = p->base ? p->base + p->used : NULL;
	p->used += n;
	return at;
}

static const char *pack_text(struct pack *p, const char *text)
{
	size_t n = strlen(text) + 1;
	char *at = pack_take(p, n, 1);

	if (at)
		memcpy(at, text, n);
	return at ? at : "";
}

static const char *pack_string(struct pack *p, const struct kssp_pac_string *s)
{
	char *text = NULL;
	const char *at;

	if (p->err)
		return "";
	p->err = kssp_pac_string_utf8(s, &text);
	at = p->err ? "" : pack_text(p, text);
	kssp_free(text);
	return at;
}

/* domain's SID with rid appended (MS-PAC 2.5: GroupIds are RIDs of LogonDomainId). */
static const char *pack_sid(struct pack *p, const struct kssp_pac_sid *domain, bool with_rid,
    uint32_t rid)
{
	struct kssp_pac_sid sid;
	char text[KSSP_PAC_SID_TEXT_MAX];

	if (!domain || (with_rid && domain->sub_authority_count >= KSSP_PAC_SID_MAX_SUB))
		return "";
	sid = *domain;
	if (with_rid)
		sid.sub_authority[sid.sub_authority_count++] = rid;
	kssp_pac_sid_text(&sid, text);
	return pack_text(p, text);
}

/* n groups (rids: g, RIDs of domain) or n extra SIDs (x, as they are). */
static KSSP_SID_AND_ATTRIBUTES *pack_sids(struct pack *p, bool rids,
    const struct kssp_pac_sid *domain, const struct kssp_pac_group *g,
    const struct kssp_pac_sid_attr *x, uint32_t n)
{
	KSSP_SID_AND_ATTRIBUTES *out = pack_take(p, n * sizeof(*out), alignof(KSSP_SID_AND_ATTRIBUTES));
	uint32_t i;

	for (i = 0; i < n; i++) {
		const char *sid = rids ? pack_sid(p, domain, true, g[i].relative_id) :
		    pack_sid(p, x[i].sid, false, 0);

		if (out) {
			out[i].Sid = sid;
			out[i].Attributes = rids ? g[i].attributes : x[i].attributes;
		}
	}
	return out;
}

static void pack_validation_info(struct pack *p, const struct kssp_pac_logon_info *li,
    KSSP_LOGON_INFO *out)
{
	const char *account = pack_string(p, &li->effective_name);
	const char *domain = pack_string(p, &li->logon_domain_name);
	const char *user = pack_sid(p, li->logon_domain_id, true, li->user_id);
	const char *primary = pack_sid(p, li->logon_domain_id, true, li->primary_group_id);
	KSSP_SID_AND_ATTRIBUTES *groups = pack_sids(p, true, li->logon_domain_id, li->group_ids,
	    NULL, li->group_count);
	KSSP_SID_AND_ATTRIBUTES *extra = pack_sids(p, false, NULL, NULL, li->extra_sids,
	    li->sid_count);
	KSSP_SID_AND_ATTRIBUTES *res = pack_sids(p, true, li->resource_group_domain_sid,
	    li->resource_group_ids, NULL, li->resource_group_count);

	if (!out)
		return;
	out->AccountName = account;
	out->LogonDomainName = domain;
	out->UserSid = user;
	out->PrimaryGroupSid = primary;
	out->GroupCount = li->group_count;
	out->Groups = groups;
	out->ExtraSidCount = li->sid_count;
	out->ExtraSids = extra;
	out->ResourceGroupCount = li->resource_group_count;
	out->ResourceGroups = res;
	out->LogonTime = li->logon_time;
	out->PasswordLastSet = li->password_last_set;
	out->UserFlags = li->user_flags;
}

static void pack_transited(struct pack *p, const struct kssp_pac_delegation_info *d,
    KSSP_LOGON_INFO *out)
{
	const char **list = pack_take(p, d->transited_list_size * sizeof(*list), alignof(const char *));
	uint32_t i;

	for (i = 0; i < d->transited_list_size; i++) {
		const char *s = pack_string(p, &d->transited_services[i]);

		if (list)
			list[i] = s;
	}
	if (out) {
		out->TransitedServiceCount = d->transited_list_size;
		out->TransitedServices = list;
	}
}

static void pack_logon_info(struct pack *p, const struct kssp_pac *pac)
{
	KSSP_LOGON_INFO *out = pack_take(p, sizeof(*out), alignof(KSSP_LOGON_INFO));
	const struct kssp_pac_upn_dns_info *u = pac->upn_dns_info;
	const struct kssp_pac_buffer *claims = pac->client_claims;
	const char *empty = pack_text(p, "");
	const char *upn = u ? pack_string(p, &u->upn) : empty;
	const char *dns = u ? pack_string(p, &u->dns_domain_name) : empty;
	unsigned char *raw = claims ? pack_take(p, claims->size, 1) : NULL;

	if (out) {
		memset(out, 0, sizeof(*out));
		out->AccountName = out->LogonDomainName = out->UserSid = out->PrimaryGroupSid = empty;
		out->Upn = upn;
		out->DnsDomainName = dns;
	}
	if (pac->logon_info)
		pack_validation_info(p, pac->logon_info, out);
	if (pac->delegation_info)
		pack_transited(p, pac->delegation_info, out);
	if (raw) {
		memcpy(raw, claims->data, claims->size);
		out->ClientClaimsLength = (ULONG)claims->size;
		out->ClientClaims = raw;
	}
}

static SECURITY_STATUS no_pac(void)
{
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "QueryContextAttributes: the client's ticket carried no PAC");
}

SECURITY_STATUS kssp_sspi_pac_logon_info(const struct kssp_pac *pac, PKSSP_LOGON_INFO *out)
{
	struct pack p = { NULL, 0, KSSP_OK };

	if (!pac)
		return no_pac();
	pack_logon_info(&p, pac);
	if (!p.err) {
		size_t size = p.used;

		p = (struct pack){ kssp_sspi_buffer_alloc(size), 0, KSSP_OK };
		if (!p.base)
			return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		pack_logon_info(&p, pac);
	}
	if (p.err) {
		kssp_sspi_buffer_free(p.base);
		return kssp_sspi_result_of(p.err, SEC_E_INTERNAL_ERROR);
	}
	*out = (PKSSP_LOGON_INFO)(void *)p.base;
	return SEC_E_OK;
}

SECURITY_STATUS kssp_sspi_pac_raw(const struct kssp_pac *pac, PKSSP_PAC out)
{
	unsigned char *copy;

	if (!pac)
		return no_pac();
	copy = kssp_sspi_buffer_alloc(pac->len);
	if (!copy)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	memcpy(copy, pac->data, pac->len);
	out->Flags = (pac->server_signature_verified ? KSSP_PAC_SERVER_SIGNATURE_VERIFIED : 0) |
	    (pac->kdc_signature.present ? KSSP_PAC_KDC_SIGNATURE_PRESENT : 0) |
	    (pac->ticket_signature.present ? KSSP_PAC_TICKET_SIGNATURE_PRESENT : 0) |
	    (pac->full_signature.present ? KSSP_PAC_FULL_SIGNATURE_PRESENT : 0);
	out->PacLength = (ULONG)pac->len;
	out->Pac = copy;
	return SEC_E_OK;
}

kssp_err kssp_sspi_pac_windows_name(const struct kssp_pac *pac, char **out)
{
	const struct kssp_pac_logon_info *li = pac && pac->server_signature_verified ?
	    pac->logon_info : NULL;
	char *domain = NULL, *account = NULL;
	size_t n;
	kssp_err e;

	*out = NULL;
	if (!li || !li->effective_name.len)
		return KSSP_ERR_NOT_FOUND;
	e = kssp_pac_string_utf8(&li->logon_domain_name, &domain);
	if (!e)
		e = kssp_pac_string_utf8(&li->effective_name, &account);
	n = !e ? strlen(domain) + strlen(account) + 2 : 0;
	if (!e && !(*out = kssp_malloc(n)))
		e = kssp_fail(KSSP_ERR_NOMEM, "NAMES: out of memory");
	if (!e)
		snprintf(*out, n, "%s\\%s", domain, account);
	kssp_free(domain);
	kssp_free(account);
	return e;
}
