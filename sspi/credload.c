/*
 * sspi/credload.c - what a credential handle reads when a context first
 * needs it: krb5.conf, the credential cache (outbound), the keytab and a
 * replay cache (inbound).
 *
 * Files are read through creds/ and kdc/ (the only layers that open
 * files).  A missing or unreadable cache or keytab is "no credentials".
 * Tickets come from what this credential obtained before, then the cache,
 * then the KDC: a TGT by password or keytab logon when there is none, and
 * the service ticket by the TGS exchange.  What the KDC hands out stays in
 * the credential's memory; the user's cache file is never rewritten.
 */
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "creds/ccache.h"
#include "creds/credset.h"
#include "creds/file.h"
#include "kdc/as.h"
#include "kdc/tgs.h"
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
	/* A service name ("svc/host@REALM") is MIT's text form; a user may be spelt Windows' ways. */
	if (strchr(cred->req.principal, '/') != NULL)
		e = kssp_principal_parse(cred->req.principal, 0, kssp_config_default_realm(cred->cfg), out);
	else
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

/* The KDC context of the credential (config and hooks), set up once. */
static void kdc_context(struct kssp_sspi_cred *cred)
{
	if (!cred->have_kdc) {
		kssp_kdc_ctx_init(&cred->kdc, cred->cfg, &cred->hooks);
		cred->have_kdc = true;
	}
}

/*
 * A TGT for client from a password or keytab logon (AS exchange, RFC 4120
 * §3.1), kept in the credential's own ticket set.
 */
static SECURITY_STATUS logon(struct kssp_sspi_cred *cred, const struct kssp_principal *client,
    const struct kssp_cred **tgt)
{
	struct kssp_as_opts o;
	struct kssp_keytab kt;
	struct kssp_cred got;
	char *path = NULL;
	kssp_err e = KSSP_OK;

	*tgt = NULL;
	memset(&got, 0, sizeof(got));
	kssp_keytab_init(&kt);
	kssp_as_opts_init(&o);
	o.client = client;
	if (cred->req.password != NULL) {
		o.password = cred->req.password;
		o.password_len = cred->req.password_len;
	} else {
		e = kssp_keytab_resolve(cred->req.keytab, &path);
		if (e == KSSP_OK)
			e = kssp_keytab_read(path, &kt);
		kssp_free(path);
		if (e != KSSP_OK) {
			kssp_keytab_free(&kt);
			return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
								   : SEC_E_NO_CREDENTIALS);
		}
		o.keytab = &kt;
	}
	if (cred->req.enctype_count != 0) {
		o.etypes = cred->req.enctypes;
		o.n_etypes = cred->req.enctype_count;
	}
	kdc_context(cred);
	e = kssp_as_get_tgt(&cred->kdc, &o, &got);
	kssp_keytab_free(&kt);
	if (e == KSSP_OK)
		e = kssp_credset_put(&cred->tickets, &got);
	kssp_cred_clear(&got);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
	*tgt = &cred->tickets.creds[cred->tickets.n_creds - 1];
	return SEC_E_OK;
}

/* A valid TGT of the client's realm: obtained before, in the cache, or by logging on. */
static SECURITY_STATUS find_tgt(struct kssp_sspi_cred *cred, const struct kssp_ccache *cc,
    const struct kssp_principal *client, int64_t now, const struct kssp_cred **tgt)
{
	char realm[KSSP_PRINCIPAL_MAX_STRING + 1];
	size_t n = client->realm.length < KSSP_PRINCIPAL_MAX_STRING ? client->realm.length
								    : KSSP_PRINCIPAL_MAX_STRING;

	memcpy(realm, client->realm.data, n);
	realm[n] = '\0';
	*tgt = kssp_credset_find_tgt(&cred->tickets, client, realm, now);
	if (*tgt != NULL)
		return SEC_E_OK;
	if (cc != NULL) {
		kssp_err e = kssp_credset_load_ccache(&cred->tickets, cc);

		if (e != KSSP_OK)
			return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
		*tgt = kssp_credset_find_tgt(&cred->tickets, client, realm, now);
	}
	if (*tgt != NULL)
		return SEC_E_OK;
	if (cred->req.password != NULL || cred->req.keytab != NULL)
		return logon(cred, client, tgt);
	return kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
	    "no valid TGT for %s in the credential cache, and no password or keytab to log on with",
	    realm[0] != '\0' ? realm : "the client's realm");
}

/* A service ticket from the KDC (TGS exchange, RFC 4120 §3.3), kept in the set. */
static SECURITY_STATUS ask_tgs(struct kssp_sspi_cred *cred, const struct kssp_cred *tgt,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_tgs_opts o;
	kssp_err e;

	kssp_tgs_opts_init(&o);
	o.server = server;
	if (cred->req.enctype_count != 0) {
		o.etypes = cred->req.enctypes;
		o.n_etypes = cred->req.enctype_count;
	}
	kdc_context(cred);
	e = kssp_tgs_get_ticket(&cred->kdc, tgt, &o, &cred->tickets, out);
	if (e == KSSP_OK)
		e = kssp_credset_put(&cred->tickets, out);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	return SEC_E_OK;
}

/*
 * Protocol transition (MS-SFU): a ticket for impersonated user to server,
 * with the service's own TGT: S4U2Self (§3.1.5.1.1) gives a ticket to the
 * service itself on the user's behalf, which is the answer when the
 * target is the service; for another target it is the evidence of
 * S4U2Proxy (§3.1.5.2.1).
 */
static SECURITY_STATUS impersonate(struct kssp_sspi_cred *cred, const struct kssp_cred *tgt,
    const struct kssp_principal *service, const struct kssp_principal *server, int64_t now,
    struct kssp_cred *out)
{
	struct kssp_principal *user = NULL;
	const struct kssp_cred *evidence, *found;
	struct kssp_cred got;
	struct kssp_tgs_opts o;
	kssp_err e;

	e = kssp_principal_parse_windows(cred->req.impersonate, kssp_config_default_realm(cred->cfg),
	    false, &user);
	if (e != KSSP_OK)
		return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
							   : SEC_E_UNKNOWN_CREDENTIALS);
	memset(&got, 0, sizeof(got));
	kdc_context(cred);
	evidence = kssp_credset_find(&cred->tickets, user, service, now);
	if (evidence == NULL) {
		kssp_tgs_opts_init(&o);
		o.impersonate = user;
		e = kssp_tgs_get_ticket(&cred->kdc, tgt, &o, NULL, &got);
		if (e == KSSP_OK)
			e = kssp_credset_put(&cred->tickets, &got);
		kssp_cred_clear(&got);
		evidence = e == KSSP_OK ? kssp_credset_find(&cred->tickets, user, service, now) : NULL;
		if (e == KSSP_OK && evidence == NULL)
			e = kssp_fail(KSSP_ERR_INTERNAL, "S4U2Self: the ticket obtained is not for the service");
	}
	if (e == KSSP_OK && kssp_principal_equal(server, service))
		e = kssp_cred_copy(evidence, out);
	else if (e == KSSP_OK && (found = kssp_credset_find(&cred->tickets, user, server, now)) != NULL)
		e = kssp_cred_copy(found, out);
	else if (e == KSSP_OK) {
		kssp_tgs_opts_init(&o);
		o.server = server;
		o.evidence = evidence;
		e = kssp_tgs_get_ticket(&cred->kdc, tgt, &o, NULL, out);
		if (e == KSSP_OK)
			e = kssp_credset_put(&cred->tickets, out);
	}
	kssp_principal_free(user);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	return SEC_E_OK;
}

/* Who the outbound credential is: the name it was given, else the cache's default. */
static SECURITY_STATUS client_name(struct kssp_sspi_cred *cred, struct kssp_ccache *cc,
    bool *have_cc, struct kssp_principal **client)
{
	SECURITY_STATUS st = named_principal(cred, client);

	*have_cc = false;
	if (st != SEC_E_OK)
		return st;
	/*
	 * A password or keytab logon, or a delegated TGT, needs no cache;
	 * otherwise the cache is the credential.
	 */
	if (*client != NULL && (cred->req.password != NULL || cred->req.keytab != NULL ||
	    cred->delegated))
		return SEC_E_OK;
	if ((st = read_cache(cred, cc)) != SEC_E_OK)
		return *client != NULL && cred->req.ccache == NULL ? kssp_sspi_result(SEC_E_OK) : st;
	*have_cc = true;
	if (*client == NULL && cc->default_principal != NULL &&
	    kssp_principal_copy(cc->default_principal, client) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (*client == NULL)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS, "credential cache has no default principal");
	return SEC_E_OK;
}

/*
 * A ticket a cache-backed credential obtained goes into that cache too, as
 * MIT's library stores it, so that the next process finds it there.  The
 * cache is rewritten through a temporary file and a rename; a failure
 * costs only the caching, so it is traced, not returned.
 */
static void store_in_cache(struct kssp_sspi_cred *cred, struct kssp_ccache *cc,
    const struct kssp_cred *ticket)
{
	char *path = NULL;
	kssp_err e = kssp_ccache_resolve(cred->req.ccache, &path);

	if (e == KSSP_OK)
		e = kssp_ccache_replace(cc, ticket);
	if (e == KSSP_OK)
		e = kssp_ccache_write(cc, path);
	if (e != KSSP_OK)
		kssp_trace(&cred->hooks, "the service ticket was not stored in the cache: %s",
		    kssp_last_reason());
	kssp_free(path);
}

SECURITY_STATUS kssp_cred_service_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_ccache cc;
	struct kssp_principal *client = NULL;
	const struct kssp_cred *found = NULL, *tgt = NULL;
	struct kssp_time now;
	bool have_cc = false;
	SECURITY_STATUS st;

	kssp_ccache_init(&cc);
	if (kssp_hooks_now(&cred->hooks, &now) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	/*
	 * A ticket this credential already holds is used without reading or
	 * parsing the cache file again (the credential is a snapshot of the
	 * cache from its first use, as a Windows credential handle is).
	 */
	if (cred->client != NULL && cred->req.impersonate == NULL &&
	    (found = kssp_credset_find(&cred->tickets, cred->client, server, now.sec)) != NULL)
		return kssp_cred_copy(found, out) == KSSP_OK ? SEC_E_OK
							      : kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if ((st = kssp_cred_load_config(cred)) != SEC_E_OK ||
	    (st = client_name(cred, &cc, &have_cc, &client)) != SEC_E_OK)
		goto out;
	if (cred->client == NULL && kssp_principal_copy(client, &cred->client) != KSSP_OK) {
		st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		goto out;
	}
	if (cred->req.impersonate != NULL) {
		st = find_tgt(cred, have_cc ? &cc : NULL, client, now.sec, &tgt);
		if (st == SEC_E_OK)
			st = impersonate(cred, tgt, client, server, now.sec, out);
		goto out;
	}
	found = kssp_credset_find(&cred->tickets, client, server, now.sec);
	if (found == NULL && have_cc)
		found = find_valid(&cc, client, server, now.sec + cc.time_offset);
	if (found != NULL) {
		/* Kept in the credential too, for the fast path above. */
		st = kssp_cred_copy(found, out) == KSSP_OK &&
		    kssp_credset_put(&cred->tickets, found) == KSSP_OK ?
		    SEC_E_OK : kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		goto out;
	}
	st = find_tgt(cred, have_cc ? &cc : NULL, client, now.sec, &tgt);
	if (st == SEC_E_OK)
		st = ask_tgs(cred, tgt, server, out);
	if (st == SEC_E_OK && have_cc)
		store_in_cache(cred, &cc, out);
out:
	kssp_ccache_free(&cc);
	kssp_principal_free(client);
	return st;
}

SECURITY_STATUS kssp_cred_forwarded_tgt(struct kssp_sspi_cred *cred,
    const struct kssp_cred *service, struct kssp_cred *out)
{
	struct kssp_ccache cc;
	struct kssp_principal *client = NULL;
	const struct kssp_cred *tgt = NULL;
	struct kssp_time now;
	bool have_cc = false;
	SECURITY_STATUS st;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	if ((st = kssp_cred_load_config(cred)) != SEC_E_OK)
		return st;
	/* MS-KILE 3.3.5.7.5 / RFC 4120 §2.8: only to a service trusted for delegation. */
	if (!(service->ticket_flags & KSSP_TKT_FLG_OK_AS_DELEGATE) &&
	    kssp_config_enforce_ok_as_delegate(cred->cfg))
		return kssp_sspi_fail(SEC_E_DELEGATION_POLICY,
		    "ISC_REQ_DELEGATE: the service ticket is not ok-as-delegate (krb5.conf enforce_ok_as_delegate = false allows it)");
	kssp_ccache_init(&cc);
	st = client_name(cred, &cc, &have_cc, &client);
	if (st == SEC_E_OK && kssp_hooks_now(&cred->hooks, &now) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	if (st == SEC_E_OK)
		st = find_tgt(cred, have_cc ? &cc : NULL, service->client, now.sec, &tgt);
	if (st == SEC_E_OK) {
		kdc_context(cred);
		e = kssp_tgs_forward_tgt(&cred->kdc, tgt, out);
		if (e != KSSP_OK)
			st = kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	}
	kssp_ccache_free(&cc);
	kssp_principal_free(client);
	return st;
}

/*
 * The replay cache file's entries (context/'s encoding) into cred->rcache,
 * expired ones dropped; a missing file is an empty cache.
 */
static kssp_err read_rcache_file(struct kssp_sspi_cred *cred)
{
	const char *path = cred->req.replay_cache;
	char why[KSSP_REASON_MAX];
	struct kssp_time now;
	uint8_t *data = NULL;
	size_t len = 0;
	kssp_err e = kssp_hooks_now(&cred->hooks, &now);

	if (e == KSSP_OK)
		e = kssp_creds_file_read(path, &data, &len);
	if (e == KSSP_ERR_NOT_FOUND)
		return KSSP_OK;
	if (e == KSSP_OK)
		e = kssp_rcache_decode(&cred->rcache, data, len, now.sec);
	kssp_free(data);
	if (e == KSSP_OK || e == KSSP_ERR_NOMEM)
		return e;
	/* The reason names the file: the layers below only know "replay cache". */
	snprintf(why, sizeof(why), "%s", kssp_last_reason());
	return kssp_fail(e, "replay cache file %s: %s (left as it is)", path, why);
}

static SECURITY_STATUS load_rcache(struct kssp_sspi_cred *cred)
{
	kssp_err e = kssp_rcache_init(&cred->rcache, KSSP_RCACHE_MAX);

	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (cred->req.replay_cache != NULL)
		e = read_rcache_file(cred);
	if (e != KSSP_OK) {
		kssp_rcache_free(&cred->rcache);
		return kssp_sspi_result(e == KSSP_ERR_NOMEM ? SEC_E_INSUFFICIENT_MEMORY
							   : SEC_E_NO_CREDENTIALS);
	}
	cred->have_rcache = true;
	return SEC_E_OK;
}

SECURITY_STATUS kssp_cred_save_rcache(struct kssp_sspi_cred *cred)
{
	struct kssp_writer w;
	kssp_err e;

	if (cred->req.replay_cache == NULL || !cred->have_rcache)
		return SEC_E_OK;
	kssp_writer_init_growable(&w, 0);
	e = kssp_rcache_encode(&cred->rcache, &w);
	if (e == KSSP_OK)
		e = kssp_creds_file_replace(cred->req.replay_cache, w.buf, w.len);
	kssp_writer_free(&w);
	if (e == KSSP_ERR_NOMEM)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	return SEC_E_OK;
}

SECURITY_STATUS kssp_cred_load_acceptor(struct kssp_sspi_cred *cred)
{
	char *path = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	if (!cred->have_rcache && (st = load_rcache(cred)) != SEC_E_OK)
		return st;
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
	kssp_principal_free(cred->client);
	cred->client = NULL;
	if (cred->have_kdc)
		kssp_kdc_ctx_free(&cred->kdc);
	kssp_credset_free(&cred->tickets);
	kssp_config_free(cred->cfg);
	cred->have_kdc = false;
	cred->have_keytab = false;
	cred->have_rcache = false;
	cred->acceptor = NULL;
	cred->cfg = NULL;
}

SECURITY_STATUS kssp_cred_default_name(struct kssp_sspi_cred *cred, char **name)
{
	struct kssp_ccache cc;
	SECURITY_STATUS st;
	kssp_err e;

	*name = NULL;
	if ((st = kssp_cred_load_config(cred)) != SEC_E_OK)
		return st;
	if (cred->use & SECPKG_CRED_OUTBOUND) {
		/* Who the cache belongs to (its default principal). */
		kssp_ccache_init(&cc);
		st = read_cache(cred, &cc);
		if (st == SEC_E_OK && cc.default_principal == NULL)
			st = kssp_sspi_fail(SEC_E_NO_CREDENTIALS, "credential cache has no default principal");
		if (st == SEC_E_OK && (e = kssp_principal_unparse(cc.default_principal, 0, name)) != KSSP_OK)
			st = kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
		kssp_ccache_free(&cc);
		return st;
	}
	/* An acceptor for any key of its keytab: the keytab's first principal. */
	if ((st = kssp_cred_load_acceptor(cred)) != SEC_E_OK)
		return st;
	if (cred->keytab.n_entries == 0)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS, "the keytab holds no keys");
	e = kssp_principal_unparse(cred->keytab.entries[0].principal, 0, name);
	return e == KSSP_OK ? SEC_E_OK : kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
}
