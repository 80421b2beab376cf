/*
 * kdc/getcreds.c - the one ticket workflow: held tickets, the FILE cache,
 * then the KDC, and what it hands out stored back (see getcreds.h).
 */
#include "kdc/getcreds_int.h"

#include <string.h>

#include "base/base.h"
#include "creds/creds.h"
#include "kdc/exchange_int.h"
#include "kdc/fast_int.h"
#include "kdc/tgs_int.h"

void kssp_getcreds_held_free(struct kssp_getcreds_held *held)
{
	kssp_credset_free(&held->tickets);
	kssp_principal_free(held->client);
	memset(held, 0, sizeof(*held));
}

static void offset_from(struct kssp_kdc_ctx *kdc, bool has, int32_t sec, int32_t usec)
{
	kdc->has_time_offset = has;
	kdc->time_offset = sec;
	kdc->usec_offset = usec;
}

const struct kssp_cred *kssp_getcreds_held_find(const struct kssp_getcreds_held *held,
    const struct kssp_hooks *hooks, const struct kssp_principal *server)
{
	struct kssp_kdc_ctx kdc;
	struct kssp_time now;

	kssp_kdc_ctx_init(&kdc, NULL, hooks);
	offset_from(&kdc, held->has_time_offset, held->time_offset, held->usec_offset);
	if (held->client == NULL || kssp_kdc_now(&kdc, &now) != KSSP_OK)
		return NULL;
	return kssp_credset_find(&held->tickets, held->client, server, now.sec);
}

void kssp_getcreds_init(struct kssp_getcreds *gc, const struct kssp_config *cfg,
    const struct kssp_hooks *hooks, const struct kssp_getcreds_opts *o)
{
	memset(gc, 0, sizeof(*gc));
	gc->o = *o;
	kssp_kdc_ctx_init(&gc->kdc, cfg, hooks);
	kssp_ccache_init(&gc->cc);
}

void kssp_getcreds_free(struct kssp_getcreds *gc)
{
	kssp_kdc_ctx_free(&gc->kdc);
	kssp_credset_free(&gc->held);
	kssp_credset_free(&gc->got);
	kssp_credset_free(&gc->fresh);
	kssp_principal_free(gc->client);
	kssp_principal_free(gc->held_client);
	kssp_ccache_free(&gc->cc);
	kssp_free(gc->cc_path);
	memset(gc, 0, sizeof(*gc));
}

static kssp_err put_all(struct kssp_credset *set, const struct kssp_credset *from)
{
	size_t i;
	kssp_err e = KSSP_OK;

	for (i = 0; !e && i < from->n_creds; i++)
		e = kssp_credset_put(set, &from->creds[i]);
	return e;
}

kssp_err kssp_getcreds_begin(struct kssp_getcreds *gc, const struct kssp_getcreds_held *held)
{
	kssp_err e = KSSP_OK;

	offset_from(&gc->kdc, held->has_time_offset, held->time_offset, held->usec_offset);
	/* A client learned before (canonical) is the one this caller named. */
	if (held->client != NULL && gc->o.client != NULL)
		e = kssp_principal_copy(held->client, &gc->held_client);
	return e ? e : put_all(&gc->held, &held->tickets);
}

kssp_err kssp_getcreds_end(struct kssp_getcreds *gc, struct kssp_getcreds_held *held)
{
	kssp_err e = KSSP_OK;

	if (held != NULL) {
		e = put_all(&held->tickets, &gc->got);
		if (!e && held->client == NULL && gc->client != NULL)
			e = kssp_principal_copy(gc->client, &held->client);
		held->has_time_offset = gc->kdc.has_time_offset;
		held->time_offset = gc->kdc.time_offset;
		held->usec_offset = gc->kdc.usec_offset;
	}
	if (!e && gc->have_cc && gc->fresh.n_creds != 0)
		e = kssp_ccache_store_all(gc->cc_path, gc->fresh.creds, gc->fresh.n_creds);
	return e;
}

/*
 * The client (named, else the cache's default principal) and the cache,
 * read once per workflow; the cache's KDC time offset goes to gc->kdc.
 */
static kssp_err open_client(struct kssp_getcreds *gc)
{
	kssp_err e = KSSP_OK;

	if (gc->client != NULL)
		return KSSP_OK;
	gc->step = KSSP_GETCREDS_FILES;
	if (gc->o.use_ccache) {
		e = kssp_ccache_resolve(gc->o.ccache, &gc->cc_path);
		if (!e)
			e = kssp_ccache_read(gc->cc_path, &gc->cc);
		gc->have_cc = !e;
	}
	if (e && (gc->o.client == NULL || gc->o.ccache != NULL))
		return e;
	if (e)
		kssp_clear_failure();
	if (gc->have_cc && gc->cc.has_time_offset && !gc->kdc.has_time_offset)
		offset_from(&gc->kdc, true, gc->cc.time_offset, gc->cc.usec_offset);
	if (gc->held_client != NULL)
		return kssp_principal_copy(gc->held_client, &gc->client);
	if (gc->o.client != NULL)
		return kssp_principal_copy(gc->o.client, &gc->client);
	if (gc->have_cc && gc->cc.default_principal != NULL)
		return kssp_principal_copy(gc->cc.default_principal, &gc->client);
	return kssp_fail(KSSP_ERR_NO_CREDENTIALS, "credential cache has no default principal");
}

kssp_err kssp_getcreds_client(struct kssp_getcreds *gc, const struct kssp_principal **client)
{
	kssp_err e = open_client(gc);

	*client = gc->client;
	return e;
}

static kssp_err kdc_now(const struct kssp_getcreds *gc, int64_t *now)
{
	struct kssp_time t = { 0, 0 };
	kssp_err e = kssp_kdc_now(&gc->kdc, &t);

	*now = t.sec;
	return e;
}

/* A ticket valid now for client and server: found before, held by the caller, or cached. */
static const struct kssp_cred *find_held(const struct kssp_getcreds *gc,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now)
{
	const struct kssp_cred *c = kssp_credset_find(&gc->got, client, server, now);

	if (c == NULL)
		c = kssp_credset_find(&gc->held, client, server, now);
	if (c == NULL && gc->have_cc && kssp_ccache_find(&gc->cc, client, server, &c) != KSSP_OK)
		kssp_clear_failure();
	return c != NULL && c->endtime > now ? c : NULL;
}

/* A copy of found into *out, kept for the caller too. */
static kssp_err take(struct kssp_getcreds *gc, const struct kssp_cred *found,
    struct kssp_cred *out)
{
	kssp_err e = kssp_cred_copy(found, out);

	return e ? e : kssp_credset_put(&gc->got, found);
}

/* A ticket from the KDC: kept for the caller and for the cache. */
static kssp_err keep(struct kssp_getcreds *gc, const struct kssp_cred *c)
{
	kssp_err e = kssp_credset_put(&gc->got, c);

	return e ? e : kssp_credset_put(&gc->fresh, c);
}

/* true when an armor credential is configured. */
static bool armor_configured(const struct kssp_getcreds *gc)
{
	return gc->o.armor_ccache != NULL || gc->o.armor_keytab != NULL;
}

/*
 * FAST for the AS exchange of client (RFC 6113): the armor TGT when one
 * is configured, and whether FAST is required (the caller, krb5.conf, or
 * MIT's fast_avail in the armor cache).
 */
static kssp_err logon_armor(struct kssp_getcreds *gc, const struct kssp_principal *client,
    struct kssp_as_opts *o, struct kssp_cred *armor)
{
	struct kssp_fast_source src = { gc->o.armor_ccache, gc->o.armor_keytab,
		gc->o.armor_principal };
	bool avail = false;
	kssp_err e = KSSP_OK;

	o->require_fast = gc->o.require_fast || kssp_config_kssp_require_fast(gc->kdc.cfg);
	if (armor_configured(gc)) {
		e = kssp_fast_armor_tgt(&gc->kdc, &src, client->realm.data, armor, &avail);
		o->armor = e ? NULL : armor;
	}
	o->require_fast = o->require_fast || avail;
	return e;
}

/* The AS exchange for client with the template's options and o's key (RFC 4120 §3.1). */
static kssp_err logon(struct kssp_getcreds *gc, const struct kssp_principal *client,
    const struct kssp_as_opts *template, struct kssp_cred *tgt)
{
	struct kssp_as_opts o = *template;
	struct kssp_keytab kt;
	struct kssp_cred armor;
	char *path = NULL;
	kssp_err e;

	kssp_keytab_init(&kt);
	memset(&armor, 0, sizeof(armor));
	gc->step = KSSP_GETCREDS_LOGON;
	e = logon_armor(gc, client, &o, &armor);
	o.client = client;
	if (gc->o.etypes != NULL) {
		o.etypes = gc->o.etypes;
		o.n_etypes = gc->o.n_etypes;
	}
	if (e) {
		/* no armor: the failure stands */
	} else if (gc->o.password != NULL) {
		o.password = gc->o.password;
		o.password_len = gc->o.password_len;
	} else {
		gc->step = KSSP_GETCREDS_FILES;
		e = kssp_keytab_resolve(gc->o.keytab, &path);
		if (!e)
			e = kssp_keytab_read(path, &kt);
		o.keytab = &kt;
	}
	if (!e) {
		gc->step = KSSP_GETCREDS_LOGON;
		e = kssp_as_get_tgt(&gc->kdc, &o, tgt);
	}
	kssp_cred_clear(&armor);
	kssp_keytab_free(&kt);
	kssp_free(path);
	return e;
}

/*
 * RFC 6806 §5, §11: the name the KDC returned (canonical, proven by the AS
 * exchange) replaces the one asked for, so that every ticket stored and
 * looked up afterwards is the canonical client's.
 */
static kssp_err adopt_canonical(struct kssp_getcreds *gc, const struct kssp_cred *tgt)
{
	struct kssp_principal *canon = NULL;
	kssp_err e;

	if (kssp_principal_equal(tgt->client, gc->client))
		return KSSP_OK;
	if ((e = kssp_principal_copy(tgt->client, &canon)))
		return e;
	kssp_principal_free(gc->client);
	gc->client = canon;
	return KSSP_OK;
}

/*
 * A copy of a valid TGT of client's realm: found before, held, in the
 * cache, or by logging on with a password or keytab.
 */
static kssp_err find_tgt(struct kssp_getcreds *gc, const struct kssp_principal *client,
    struct kssp_cred *tgt)
{
	char realm[KSSP_PRINCIPAL_MAX_STRING + 1];
	size_t n = client->realm.length < KSSP_PRINCIPAL_MAX_STRING ? client->realm.length
								    : KSSP_PRINCIPAL_MAX_STRING;
	const struct kssp_cred *c;
	struct kssp_as_opts as;
	int64_t now;
	kssp_err e = kdc_now(gc, &now);

	memcpy(realm, client->realm.data, n);
	realm[n] = '\0';
	if (e)
		return e;
	if (gc->have_cc && !gc->cache_loaded) {
		gc->cache_loaded = true;
		if ((e = kssp_credset_load_ccache(&gc->got, &gc->cc)))
			return e;
	}
	c = kssp_credset_find_tgt(&gc->got, client, realm, now);
	if (c == NULL)
		c = kssp_credset_find_tgt(&gc->held, client, realm, now);
	if (c != NULL)
		return kssp_cred_copy(c, tgt);
	if (gc->o.password == NULL && !gc->o.use_keytab)
		return kssp_fail(KSSP_ERR_NO_CREDENTIALS,
		    "no valid TGT for %s in the credential cache, and no password or keytab to log on with",
		    realm[0] != '\0' ? realm : "the client's realm");
	kssp_as_opts_init(&as);
	e = logon(gc, client, &as, tgt);
	if (!e && client == gc->client)
		e = adopt_canonical(gc, tgt);
	return e ? e : kssp_credset_put(&gc->got, tgt);
}

/* A TGS exchange with the client's TGT; the tickets of the way and the answer kept. */
static kssp_err ask_tgs(struct kssp_getcreds *gc, struct kssp_tgs_opts *o, struct kssp_cred *out)
{
	struct kssp_credset path;
	struct kssp_cred tgt;
	kssp_err e;

	memset(&tgt, 0, sizeof(tgt));
	kssp_credset_init(&path);
	o->etypes = gc->o.etypes;
	o->n_etypes = gc->o.n_etypes;
	e = find_tgt(gc, gc->client, &tgt);
	if (!e) {
		/*
		 * FAST for the TGS exchange: with armor configured or required, or
		 * where the realm's KDC offered it before (MIT's fast_avail).
		 */
		o->fast = armor_configured(gc) || gc->o.require_fast ||
		    kssp_config_kssp_require_fast(gc->kdc.cfg) ||
		    (gc->have_cc && kssp_fast_avail(&gc->cc, gc->client->realm.data));
		gc->step = KSSP_GETCREDS_TGS;
		e = kssp_tgs_get_ticket(&gc->kdc, &tgt, o, &path, out);
	}
	if (!e && !(e = put_all(&gc->got, &path)))
		e = put_all(&gc->fresh, &path);
	if (!e)
		e = keep(gc, out);
	kssp_credset_free(&path);
	kssp_cred_clear(&tgt);
	return e;
}

/*
 * The answer held for client and server (NULL: this client, S4U2Self's
 * own name), else the KDC's to o.
 */
static kssp_err held_or_tgs(struct kssp_getcreds *gc, const struct kssp_principal *client,
    const struct kssp_principal *server, struct kssp_tgs_opts *o, struct kssp_cred *out)
{
	const struct kssp_cred *found = NULL;
	int64_t now;
	kssp_err e = open_client(gc);

	memset(out, 0, sizeof(*out));
	if (!e)
		e = kdc_now(gc, &now);
	if (!e && !gc->o.ask_kdc)
		found = find_held(gc, client != NULL ? client : gc->client,
		    server != NULL ? server : gc->client, now);
	if (e || found != NULL)
		return e ? e : take(gc, found, out);
	return ask_tgs(gc, o, out);
}

kssp_err kssp_getcreds_service_ticket(struct kssp_getcreds *gc,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_tgs_opts o;

	kssp_tgs_opts_init(&o);
	o.server = server;
	return held_or_tgs(gc, NULL, server, &o, out);
}

kssp_err kssp_getcreds_s4u2self(struct kssp_getcreds *gc, const struct kssp_principal *user,
    struct kssp_cred *out)
{
	struct kssp_tgs_opts o;

	kssp_tgs_opts_init(&o);
	o.impersonate = user;
	return held_or_tgs(gc, user, NULL, &o, out);
}

kssp_err kssp_getcreds_s4u2proxy(struct kssp_getcreds *gc, const struct kssp_cred *evidence,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_tgs_opts o;

	kssp_tgs_opts_init(&o);
	o.server = server;
	o.evidence = evidence;
	return held_or_tgs(gc, evidence->client, server, &o, out);
}

kssp_err kssp_getcreds_for_user(struct kssp_getcreds *gc, const struct kssp_principal *user,
    const struct kssp_principal *server, struct kssp_cred *out)
{
	struct kssp_cred evidence;
	kssp_err e = kssp_getcreds_s4u2self(gc, user, &evidence);

	memset(out, 0, sizeof(*out));
	if (!e && kssp_principal_equal(server, gc->client)) {
		*out = evidence;
		return KSSP_OK;
	}
	if (!e)
		e = kssp_getcreds_s4u2proxy(gc, &evidence, server, out);
	kssp_cred_clear(&evidence);
	return e;
}

kssp_err kssp_getcreds_u2u_ticket(struct kssp_getcreds *gc, const struct kssp_principal *server,
    const struct kssp_cred_data *tgt, struct kssp_cred *out)
{
	struct kssp_tgs_opts o;
	kssp_err e = open_client(gc);

	memset(out, 0, sizeof(*out));
	if (e)
		return e;
	kssp_tgs_opts_init(&o);
	o.server = server;
	o.second_ticket = tgt;
	return ask_tgs(gc, &o, out);
}

kssp_err kssp_getcreds_tgt(struct kssp_getcreds *gc, struct kssp_cred *out)
{
	kssp_err e = open_client(gc);

	memset(out, 0, sizeof(*out));
	return e ? e : find_tgt(gc, gc->client, out);
}

kssp_err kssp_getcreds_forwarded_tgt(struct kssp_getcreds *gc,
    const struct kssp_principal *client, struct kssp_cred *out)
{
	struct kssp_cred tgt;
	kssp_err e = open_client(gc);

	memset(out, 0, sizeof(*out));
	memset(&tgt, 0, sizeof(tgt));
	if (!e)
		e = find_tgt(gc, client, &tgt);
	if (!e) {
		gc->step = KSSP_GETCREDS_TGS;
		e = kssp_tgs_forward_tgt(&gc->kdc, &tgt, out);
	}
	kssp_cred_clear(&tgt);
	return e;
}

kssp_err kssp_getcreds_new_cache(const char *name, const struct kssp_principal *client,
    const struct kssp_cred *tgt, const struct kssp_kdc_ctx *kdc)
{
	struct kssp_ccache cc;
	char *path = NULL;
	kssp_err e = kssp_ccache_resolve(name, &path);

	kssp_ccache_init(&cc);
	if (!e)
		e = kssp_ccache_reset(&cc, client);
	if (kdc != NULL) {
		cc.has_time_offset = kdc->has_time_offset;
		cc.time_offset = kdc->time_offset;
		cc.usec_offset = kdc->usec_offset;
	}
	/* MIT's fast_avail: the realm's KDC offered FAST (kdc/fast_int.h). */
	if (!e && kdc != NULL && kdc->fast_avail)
		e = kssp_fast_set_avail(&cc, tgt);
	if (!e)
		e = kssp_ccache_add(&cc, tgt);
	if (!e)
		e = kssp_ccache_write(&cc, path);
	kssp_ccache_free(&cc);
	kssp_free(path);
	return e;
}

kssp_err kssp_getcreds_keep_ticket(const char *name, const struct kssp_principal *owner,
    const struct kssp_cred *c)
{
	struct kssp_ccache cc;
	char *path = NULL;
	bool ours = false;
	kssp_err e = kssp_ccache_resolve(name, &path);

	kssp_ccache_init(&cc);
	if (!e && (e = kssp_ccache_read(path, &cc)) == KSSP_ERR_NOT_FOUND) {
		kssp_clear_failure();
		e = KSSP_OK;
	} else if (!e) {
		ours = cc.default_principal && kssp_principal_equal(cc.default_principal, owner);
	}
	if (!e)
		e = ours ? kssp_ccache_store(path, c) : kssp_getcreds_new_cache(name, owner, c, NULL);
	kssp_ccache_free(&cc);
	kssp_free(path);
	return e;
}

kssp_err kssp_getcreds_initial(struct kssp_getcreds *gc, const struct kssp_as_opts *as,
    struct kssp_cred *out)
{
	kssp_err e;

	memset(out, 0, sizeof(*out));
	if (gc->o.client == NULL)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "initial ticket: no client named");
	e = logon(gc, gc->o.client, as, out);
	/* The cache belongs to the client the KDC named (canonical, RFC 6806 §11). */
	if (!e && gc->o.use_ccache)
		e = kssp_getcreds_new_cache(gc->o.ccache, out->client, out, &gc->kdc);
	return e;
}

kssp_err kssp_getcreds_renew(struct kssp_getcreds *gc, struct kssp_cred *out)
{
	struct kssp_principal *tgs = NULL;
	const struct kssp_cred *tgt = NULL;
	kssp_err e = open_client(gc);

	memset(out, 0, sizeof(*out));
	if (e)
		return e;
	e = kssp_kdc_krbtgt(gc->client->realm.data, gc->client->realm.data, &tgs);
	/* An expired TGT is renewed too: RFC 4120 §3.3.3 allows it up to renew-till. */
	if (!e)
		e = kssp_ccache_find(&gc->cc, gc->client, tgs, &tgt);
	if (!e) {
		gc->step = KSSP_GETCREDS_TGS;
		e = kssp_tgs_renew(&gc->kdc, tgt, out);
	}
	if (!e)
		e = kssp_getcreds_new_cache(gc->o.ccache, gc->client, out, &gc->kdc);
	kssp_principal_free(tgs);
	return e;
}
