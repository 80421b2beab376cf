/*
 * sspi/credload.c - what a credential handle reads when a context first
 * needs it: krb5.conf and, inbound, the keytab and a replay cache; and,
 * outbound, the inputs of the ticket workflow (kdc/getcreds_int.h): who the
 * client is, its password, keytab or cache, the impersonated user.
 *
 * Files are read through creds/ and kdc/ (the only layers that open
 * files).  A missing or unreadable cache or keytab is "no credentials".
 * The workflow looks in the credential's tickets, then the cache, then
 * asks the KDC; the tickets the KDC hands out stay in the credential and,
 * when the credential is backed by a cache, are stored in that cache too,
 * as MIT's library stores them, so that the next process finds them.  The
 * credential's lock is held only to take a snapshot of its tickets and to
 * merge the results: the KDC round trips run unlocked, so threads sharing
 * a credential wait for the KDC side by side.
 */
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "creds/creds.h"
#include "kdc/kdc.h"
#include "sspi/credential_int.h"
#include "sspi/status_int.h"

SECURITY_STATUS kssp_sspi_cred_load_config(struct kssp_sspi_cred *cred)
{
	struct kssp_config *cfg;
	kssp_err e;

	if (cred->cfg != NULL)
		return SEC_E_OK;
	e = kssp_config_load(cred->req.krb5conf, &cfg);
	if (e)
		return kssp_sspi_result_of(e, SEC_E_INTERNAL_ERROR);
	/* Parsed once: every context would otherwise parse them again (RFC 4537 lists). */
	cred->n_conf_etypes[0] = kssp_config_tgs_enctypes(cfg, cred->conf_etypes[0],
	    KSSP_ETYPE_LIST_MAX);
	cred->n_conf_etypes[1] = kssp_config_permitted_enctypes(cfg, cred->conf_etypes[1],
	    KSSP_ETYPE_LIST_MAX);
	cred->cfg = cfg;
	return SEC_E_OK;
}

/* Loads what the bits name once, under the lock; found loaded, no lock. */
static SECURITY_STATUS ready(struct kssp_sspi_cred *cred, unsigned what,
    SECURITY_STATUS (*load)(struct kssp_sspi_cred *cred))
{
	SECURITY_STATUS st;

	/* acquire: sees what the loading thread wrote before its release. */
	if ((atomic_load_explicit(&cred->loaded, memory_order_acquire) & what) == what)
		return SEC_E_OK;
	kssp_sspi_object_lock(&cred->obj);
	st = load(cred);
	if (st == SEC_E_OK)
		atomic_fetch_or_explicit(&cred->loaded, what, memory_order_release);
	kssp_sspi_object_unlock(&cred->obj);
	return st;
}

SECURITY_STATUS kssp_sspi_cred_ready_config(struct kssp_sspi_cred *cred)
{
	return ready(cred, KSSP_CRED_LOADED_CONFIG, kssp_sspi_cred_load_config);
}

SECURITY_STATUS kssp_sspi_cred_ready_acceptor(struct kssp_sspi_cred *cred)
{
	return ready(cred, KSSP_CRED_LOADED_CONFIG | KSSP_CRED_LOADED_ACCEPTOR,
	    kssp_sspi_cred_load_acceptor);
}

/* The default realm, or a realm krb5.conf names KDCs for. */
static bool realm_known(const struct kssp_config *cfg, const struct kssp_pstring *realm)
{
	const char *dflt = kssp_config_default_realm(cfg), *kdc[1];

	return (dflt && strcmp(dflt, realm->data) == 0) ||
	    kssp_config_realm_kdcs(cfg, realm->data, kdc, 1) > 0;
}

kssp_err kssp_sspi_cred_parse_user(const struct kssp_config *cfg, const char *text,
    struct kssp_principal **out)
{
	const char *dflt = kssp_config_default_realm(cfg);
	kssp_err e = kssp_principal_parse_windows(text, dflt, false, out);

	if (e || !strchr(text, '@') || strchr(text, '\\') || !strchr((*out)->realm.data, '.') ||
	    realm_known(cfg, &(*out)->realm))
		return e;
	kssp_principal_free(*out);
	return kssp_principal_parse_windows(text, dflt, true, out);
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
		e = kssp_sspi_cred_parse_user(cred->cfg, cred->req.principal, out);
	return kssp_sspi_result_of(e, SEC_E_UNKNOWN_CREDENTIALS);
}

/*
 * The workflow's inputs for the credential (locked): its principal,
 * password or keytab, the cache unless a logon or a delegated TGT makes
 * one unneeded, and a snapshot of its tickets and KDC time offset.
 * *client (owned by the caller) must outlive gc.
 */
static SECURITY_STATUS begin(struct kssp_sspi_cred *cred, struct kssp_getcreds *gc,
    struct kssp_principal **client)
{
	struct kssp_getcreds_opts o;
	SECURITY_STATUS st = kssp_sspi_cred_load_config(cred);

	*client = NULL;
	memset(&o, 0, sizeof(o));
	kssp_getcreds_init(gc, cred->cfg, &cred->hooks, &o);
	if (st != SEC_E_OK || (st = named_principal(cred, client)) != SEC_E_OK)
		return st;
	o.client = *client;
	o.password = cred->req.password;
	o.password_len = cred->req.password_len;
	o.use_keytab = cred->req.keytab != NULL || cred->evidence.ticket.data != NULL;
	o.keytab = cred->req.keytab;
	o.use_ccache = *client == NULL || (o.password == NULL && !o.use_keytab && !cred->delegated);
	o.ccache = cred->req.ccache;
	o.armor_ccache = cred->req.armor_ccache;
	o.armor_keytab = cred->req.armor_keytab;
	o.armor_principal = cred->req.armor_principal;
	o.require_fast = cred->req.require_fast;
	if (cred->req.enctype_count != 0) {
		o.etypes = cred->req.enctypes;
		o.n_etypes = cred->req.enctype_count;
	}
	gc->o = o;
	return kssp_sspi_result_of(kssp_getcreds_begin(gc, &cred->held), SEC_E_INSUFFICIENT_MEMORY);
}

/*
 * The workflow's result as a status (files unread are "no credentials",
 * the rest per exchange), then its tickets merged into the credential and
 * stored in its cache.  A failed store costs only the caching: traced.
 */
static SECURITY_STATUS status_of(const struct kssp_getcreds *gc, kssp_err e)
{
	if (e == KSSP_OK || gc->step == KSSP_GETCREDS_FILES)
		return kssp_sspi_result_of(e, SEC_E_NO_CREDENTIALS);
	return kssp_sspi_result(kssp_sspi_status_kdc(e, gc->kdc.last_error.ntstatus,
	    gc->step == KSSP_GETCREDS_LOGON ? KSSP_PHASE_LOGON : KSSP_PHASE_INITIATE));
}

static SECURITY_STATUS end(struct kssp_sspi_cred *cred, struct kssp_getcreds *gc, kssp_err e)
{
	SECURITY_STATUS st = status_of(gc, e);
	kssp_err stored;

	kssp_sspi_object_lock(&cred->obj);
	kssp_brlock_write_lock(&cred->held_lock);
	stored = kssp_getcreds_end(gc, &cred->held);
	kssp_brlock_write_unlock(&cred->held_lock);
	kssp_sspi_object_unlock(&cred->obj);
	if (stored != KSSP_OK)
		kssp_trace(&cred->hooks, "the tickets obtained were not kept or stored in the cache: %s",
		    kssp_last_reason());
	return st;
}

/* The user ImpersonateUser names (S4U2Self), parsed, or NULL when none. */
static SECURITY_STATUS impersonated(struct kssp_sspi_cred *cred, struct kssp_principal **user)
{
	*user = NULL;
	if (cred->req.impersonate == NULL)
		return SEC_E_OK;
	return kssp_sspi_result_of(kssp_principal_parse_windows(cred->req.impersonate,
	    kssp_config_default_realm(cred->cfg), false, user), SEC_E_UNKNOWN_CREDENTIALS);
}

SECURITY_STATUS kssp_sspi_cred_service_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_getcreds gc;
	struct kssp_principal *client = NULL, *user = NULL;
	const struct kssp_cred *found = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	/*
	 * A ticket this credential already holds is used without reading or
	 * parsing the cache file again (the credential is a snapshot of the
	 * cache from its first use, as a Windows credential handle is).
	 * impersonate and evidence are set before the credential is shared.
	 */
	if (cred->req.impersonate == NULL && cred->evidence.ticket.data == NULL) {
		unsigned stripe = kssp_brlock_read_lock(&cred->held_lock);

		found = kssp_getcreds_held_find(&cred->held, &cred->hooks, server);
		e = found != NULL ? kssp_cred_copy(found, out) : KSSP_OK;
		kssp_brlock_read_unlock(&cred->held_lock, stripe);
		if (found != NULL)
			return kssp_sspi_result_of(e, SEC_E_INSUFFICIENT_MEMORY);
	}
	kssp_sspi_object_lock(&cred->obj);
	st = begin(cred, &gc, &client);
	if (st == SEC_E_OK)
		st = impersonated(cred, &user);
	kssp_sspi_object_unlock(&cred->obj);
	if (st == SEC_E_OK) {
		e = user != NULL ? kssp_getcreds_for_user(&gc, user, server, out)
		    : cred->evidence.ticket.data != NULL
			? kssp_getcreds_s4u2proxy(&gc, &cred->evidence, server, out)
			: kssp_getcreds_service_ticket(&gc, server, out);
		st = end(cred, &gc, e);
	}
	kssp_getcreds_free(&gc);
	kssp_principal_free(client);
	kssp_principal_free(user);
	return st;
}

SECURITY_STATUS kssp_sspi_cred_forwarded_tgt(struct kssp_sspi_cred *cred,
    const struct kssp_cred *service, struct kssp_cred *out)
{
	struct kssp_getcreds gc;
	struct kssp_principal *client = NULL;
	SECURITY_STATUS st;

	memset(out, 0, sizeof(*out));
	kssp_sspi_object_lock(&cred->obj);
	st = begin(cred, &gc, &client);
	/* MS-KILE 3.3.5.7.5 / RFC 4120 §2.8: only to a service trusted for delegation. */
	if (st == SEC_E_OK && !(service->ticket_flags & KSSP_TKT_FLG_OK_AS_DELEGATE) &&
	    kssp_config_enforce_ok_as_delegate(cred->cfg))
		st = kssp_sspi_fail(SEC_E_DELEGATION_POLICY,
		    "ISC_REQ_DELEGATE: the service ticket is not ok-as-delegate (krb5.conf enforce_ok_as_delegate = false allows it)");
	kssp_sspi_object_unlock(&cred->obj);
	if (st == SEC_E_OK)
		st = end(cred, &gc, kssp_getcreds_forwarded_tgt(&gc, service->client, out));
	kssp_getcreds_free(&gc);
	kssp_principal_free(client);
	return st;
}

SECURITY_STATUS kssp_sspi_cred_u2u_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, const struct kssp_cred_data *tgt, struct kssp_cred *out)
{
	struct kssp_getcreds gc;
	struct kssp_principal *client = NULL;
	SECURITY_STATUS st;

	memset(out, 0, sizeof(*out));
	kssp_sspi_object_lock(&cred->obj);
	st = begin(cred, &gc, &client);
	kssp_sspi_object_unlock(&cred->obj);
	if (st == SEC_E_OK)
		st = end(cred, &gc, kssp_getcreds_u2u_ticket(&gc, server, tgt, out));
	kssp_getcreds_free(&gc);
	kssp_principal_free(client);
	return st;
}

/*
 * The replay cache the credential names (KSSP_AUTH_DATA's ReplayCache,
 * else MIT's environment variables): a file shared with other processes
 * (creds/rcache_int.h), checked and written on every accept, or the
 * in-memory cache when none is named.
 */
static SECURITY_STATUS load_rcache(struct kssp_sspi_cred *cred)
{
	kssp_err e = KSSP_OK;

	if (cred->req.replay_none)
		cred->rcname.kind = KSSP_RCNAME_NONE;
	else
		e = kssp_rcname_resolve(cred->req.replay_cache, &cred->rcname);
	if (e == KSSP_OK && cred->rcname.kind == KSSP_RCNAME_MEMORY)
		e = kssp_rcache_init(&cred->rcache, KSSP_RCACHE_MAX);
	if (e != KSSP_OK) {
		kssp_rcname_free(&cred->rcname);
		return kssp_sspi_result_of(e, SEC_E_NO_CREDENTIALS);
	}
	cred->have_rcache = true;
	return SEC_E_OK;
}

SECURITY_STATUS kssp_sspi_cred_acceptor_tgt(struct kssp_sspi_cred *cred, struct kssp_cred *out)
{
	struct kssp_getcreds gc;
	struct kssp_principal *client = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	kssp_sspi_object_lock(&cred->obj);
	st = begin(cred, &gc, &client);
	if (st == SEC_E_OK && !cred->have_rcache)
		st = load_rcache(cred);
	kssp_sspi_object_unlock(&cred->obj);
	if (st == SEC_E_OK) {
		e = kssp_getcreds_tgt(&gc, out);
		if (e != KSSP_OK && gc.step == KSSP_GETCREDS_FILES) {
			char why[KSSP_REASON_MAX];

			snprintf(why, sizeof(why), "%s", kssp_last_reason());
			st = kssp_sspi_fail(SEC_E_NO_TGT_REPLY, "user-to-user: the acceptor has no TGT: %s",
			    why);
		} else
			st = end(cred, &gc, e);
	}
	kssp_getcreds_free(&gc);
	kssp_principal_free(client);
	return st;
}

SECURITY_STATUS kssp_sspi_cred_load_acceptor(struct kssp_sspi_cred *cred)
{
	char *path = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	if (!cred->have_rcache && (st = load_rcache(cred)) != SEC_E_OK)
		return st;
	if (cred->have_keytab)
		return SEC_E_OK;
	if ((st = kssp_sspi_cred_load_config(cred)) != SEC_E_OK ||
	    (st = named_principal(cred, &cred->acceptor)) != SEC_E_OK)
		return st;
	kssp_keytab_init(&cred->keytab);
	e = kssp_keytab_resolve(cred->req.keytab, &path);
	if (e == KSSP_OK)
		e = kssp_keytab_read(path, &cred->keytab);
	kssp_free(path);
	if (e != KSSP_OK) {
		kssp_keytab_free(&cred->keytab);
		return kssp_sspi_result_of(e, SEC_E_NO_CREDENTIALS);
	}
	cred->have_keytab = true;
	return SEC_E_OK;
}

void kssp_sspi_cred_unload(struct kssp_sspi_cred *cred)
{
	if (cred->have_keytab)
		kssp_keytab_free(&cred->keytab);
	if (cred->have_rcache) {
		kssp_rcache_free(&cred->rcache);
		kssp_rcname_free(&cred->rcname);
	}
	kssp_principal_free(cred->acceptor);
	kssp_getcreds_held_free(&cred->held);
	kssp_cred_clear(&cred->evidence);
	kssp_config_free(cred->cfg);
	cred->have_keytab = false;
	cred->have_rcache = false;
	cred->acceptor = NULL;
	cred->cfg = NULL;
}

SECURITY_STATUS kssp_sspi_cred_default_name(struct kssp_sspi_cred *cred, char **name)
{
	struct kssp_getcreds_opts o;
	struct kssp_getcreds gc;
	const struct kssp_principal *who;
	SECURITY_STATUS st;
	kssp_err e;

	*name = NULL;
	if ((st = kssp_sspi_cred_load_config(cred)) != SEC_E_OK)
		return st;
	if (cred->use & SECPKG_CRED_OUTBOUND) {
		/* Who the cache belongs to (its default principal). */
		memset(&o, 0, sizeof(o));
		o.use_ccache = true;
		o.ccache = cred->req.ccache;
		kssp_getcreds_init(&gc, cred->cfg, &cred->hooks, &o);
		e = kssp_getcreds_client(&gc, &who);
		if ((st = status_of(&gc, e)) == SEC_E_OK &&
		    (e = kssp_principal_unparse(who, 0, name)) != KSSP_OK)
			st = kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
		kssp_getcreds_free(&gc);
		return st;
	}
	/* An acceptor for any key of its keytab: the keytab's first principal. */
	if ((st = kssp_sspi_cred_load_acceptor(cred)) != SEC_E_OK)
		return st;
	if (cred->keytab.n_entries == 0)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS, "the keytab holds no keys");
	e = kssp_principal_unparse(cred->keytab.entries[0].principal, 0, name);
	return e == KSSP_OK ? SEC_E_OK : kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
}

size_t kssp_sspi_cred_enctypes(const struct kssp_sspi_cred *cred, bool initiator, int32_t *out,
    size_t max)
{
	const int32_t *list = cred->req.enctypes;
	size_t n = cred->req.enctype_count;

	if (n == 0) { /* krb5.conf's, parsed when it was loaded; none before */
		list = cred->conf_etypes[initiator ? 0 : 1];
		n = cred->n_conf_etypes[initiator ? 0 : 1];
	}
	n = n < max ? n : max;
	memcpy(out, list, n * sizeof(*out));
	return n;
}
