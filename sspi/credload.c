/*
 * sspi/credload.c - what a credential handle reads when a context first
 * needs it: krb5.conf, the credential cache (outbound), the keytab and a
 * replay cache (inbound).
 *
 * Files are read through creds/ and kdc/ (the only layers that open
 * files).  A missing or unreadable cache or keytab is "no credentials";
 * tickets that are not in the cache need the TGS exchange of kdc/.
 */
#include <string.h>

#include "base/mem.h"
#include "creds/ccache.h"
#include "sspi/cred.h"
#include "sspi/status.h"

SECURITY_STATUS kssp_cred_load_config(struct kssp_sspi_cred *cred)
{
	kssp_err e;

	if (cred->cfg != NULL)
		return SEC_E_OK;
	e = kssp_config_load(cred->req.krb5conf, &cred->cfg);
	if (e == KSSP_ERR_NOMEM)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	return SEC_E_OK;
}

/* The principal the credential names, parsed (Windows spellings accepted), or NULL. */
static SECURITY_STATUS named_principal(struct kssp_sspi_cred *cred, struct kssp_principal **out)
{
	kssp_err e;

	*out = NULL;
	if (cred->req.principal == NULL)
		return SEC_E_OK;
	e = kssp_principal_parse_windows(cred->req.principal,
	    kssp_config_default_realm(cred->cfg), false, out);
	if (e == KSSP_ERR_NOMEM)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_UNKNOWN_CREDENTIALS);
	return SEC_E_OK;
}

static SECURITY_STATUS read_cache(struct kssp_sspi_cred *cred, struct kssp_ccache *cc)
{
	char *path = NULL;
	kssp_err e = kssp_ccache_resolve(cred->req.ccache, &path);

	if (e == KSSP_OK)
		e = kssp_ccache_read(path, cc);
	kssp_free(path);
	if (e == KSSP_ERR_NOMEM)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_NO_CREDENTIALS);
	return SEC_E_OK;
}

/* A usable credential of the cache for client and server at now, or NULL. */
static const struct kssp_cred *find_valid(const struct kssp_ccache *cc,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now)
{
	const struct kssp_cred *c = NULL;

	if (kssp_ccache_find(cc, client, server, &c) != KSSP_OK)
		return NULL;
	return c->endtime > now ? c : NULL;
}

static bool has_tgt(const struct kssp_ccache *cc, const struct kssp_principal *client, int64_t now)
{
	size_t i;

	for (i = 0; i < cc->n_creds; i++) {
		const struct kssp_cred *c = &cc->creds[i];

		if (!kssp_cred_is_config(c) && kssp_principal_is_tgs(c->server) &&
		    kssp_principal_equal(c->client, client) && c->endtime > now)
			return true;
	}
	return false;
}

SECURITY_STATUS kssp_cred_service_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_ccache cc;
	struct kssp_principal *named = NULL;
	const struct kssp_principal *client;
	const struct kssp_cred *found;
	struct kssp_time now;
	char *sname = NULL;
	SECURITY_STATUS st;

	if (cred->req.password != NULL)
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "InitializeSecurityContext: a password logon needs the AS exchange of kdc/, which this build does not have yet");
	if ((st = kssp_cred_load_config(cred)) != SEC_E_OK ||
	    (st = named_principal(cred, &named)) != SEC_E_OK)
		return st;
	kssp_ccache_init(&cc);
	if ((st = read_cache(cred, &cc)) != SEC_E_OK) {
		kssp_principal_free(named);
		return st;
	}
	client = named != NULL ? named : cc.default_principal;
	if (kssp_hooks_now(&cred->hooks, &now) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	else if (client == NULL)
		st = kssp_sspi_fail(SEC_E_NO_CREDENTIALS, "credential cache has no default principal");
	else if ((found = find_valid(&cc, client, server, now.sec + cc.time_offset)) != NULL)
		st = kssp_cred_copy(found, out) == KSSP_OK ? SEC_E_OK
							  : kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	else {
		(void)kssp_principal_unparse(server, 0, &sname);
		if (has_tgt(&cc, client, now.sec + cc.time_offset))
			st = kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
			    "no ticket for %s in the cache, and the TGS exchange of kdc/ that would get one is not in this build yet",
			    sname != NULL ? sname : "the target");
		else
			st = kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
			    "the credential cache holds no valid TGT or ticket for %s",
			    sname != NULL ? sname : "the target");
		kssp_free(sname);
	}
	kssp_ccache_free(&cc);
	kssp_principal_free(named);
	return st;
}

SECURITY_STATUS kssp_cred_load_acceptor(struct kssp_sspi_cred *cred)
{
	char *path = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	if (!cred->have_rcache) {
		e = kssp_rcache_init(&cred->rcache, KSSP_RCACHE_MAX);
		if (e != KSSP_OK)
			return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		cred->have_rcache = true;
	}
	if (cred->have_keytab)
		return SEC_E_OK;
	if ((st = kssp_cred_load_config(cred)) != SEC_E_OK ||
	    (st = named_principal(cred, &cred->acceptor)) != SEC_E_OK)
		return st;
	kssp_keytab_init(&cred->keytab);
	e = kssp_keytab_resolve(cred->req.keytab, &path);
	if (e == KSSP_OK)
		e = kssp_keytab_read(path, &cred->keytab);
	kssp_free(path);
	if (e != KSSP_OK) {
		kssp_keytab_free(&cred->keytab);
		return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
							   : SEC_E_NO_CREDENTIALS);
	}
	cred->have_keytab = true;
	return SEC_E_OK;
}

void kssp_cred_unload(struct kssp_sspi_cred *cred)
{
	if (cred->have_keytab)
		kssp_keytab_free(&cred->keytab);
	if (cred->have_rcache)
		kssp_rcache_free(&cred->rcache);
	kssp_principal_free(cred->acceptor);
	kssp_config_free(cred->cfg);
	cred->have_keytab = false;
	cred->have_rcache = false;
	cred->acceptor = NULL;
	cred->cfg = NULL;
}
