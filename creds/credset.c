/* creds/credset.c - the in-memory credential set of a credential handle. */
#include "creds/credset_int.h"

#include <string.h>

#include "base/base.h"

void kssp_credset_init(struct kssp_credset *set)
{
	memset(set, 0, sizeof(*set));
}

void kssp_credset_free(struct kssp_credset *set)
{
	size_t i;

	for (i = 0; i < set->n_creds; i++)
		kssp_cred_clear(&set->creds[i]);
	kssp_free(set->creds);
	kssp_credset_init(set);
}

kssp_err kssp_credset_put(struct kssp_credset *set, const struct kssp_cred *cred)
{
	struct kssp_cred copy;
	size_t i;
	kssp_err e;

	if (!cred->client || !cred->server || kssp_cred_is_config(cred))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "credential set: not a ticket");
	e = kssp_cred_copy(cred, &copy);
	if (e)
		return e;
	for (i = 0; i < set->n_creds; i++) {
		if (kssp_principal_equal(set->creds[i].server, cred->server) &&
		    kssp_principal_equal(set->creds[i].client, cred->client)) {
			kssp_cred_clear(&set->creds[i]);
			set->creds[i] = copy;
			return KSSP_OK;
		}
	}
	e = kssp_array_reserve(&set->creds, set->n_creds, &set->cap, sizeof(*set->creds),
	    KSSP_CREDSET_MAX, "credential set: credentials");
	if (e) {
		kssp_cred_clear(&copy);
		return e;
	}
	set->creds[set->n_creds++] = copy;
	return KSSP_OK;
}

kssp_err kssp_credset_load_ccache(struct kssp_credset *set, const struct kssp_ccache *cc)
{
	size_t i;
	kssp_err e = KSSP_OK;

	for (i = 0; !e && i < cc->n_creds; i++)
		if (!kssp_cred_is_config(&cc->creds[i]))
			e = kssp_credset_put(set, &cc->creds[i]);
	return e;
}

/* A user-to-user ticket (is_skey) served its one exchange: never found again. */
static bool usable(const struct kssp_cred *c, const struct kssp_principal *client, int64_t now)
{
	return c->endtime > now && !c->is_skey && (!client || kssp_principal_equal(c->client, client));
}

const struct kssp_cred *kssp_creds_best(const struct kssp_cred *v, size_t n,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now)
{
	const struct kssp_cred *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (usable(&v[i], client, now) && !kssp_cred_is_config(&v[i]) &&
		    kssp_principal_equal(v[i].server, server) && (!best || v[i].endtime > best->endtime))
			best = &v[i];
	return best;
}

const struct kssp_cred *kssp_credset_find(const struct kssp_credset *set,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now)
{
	return kssp_creds_best(set->creds, set->n_creds, client, server, now);
}

const struct kssp_cred *kssp_credset_find_tgt(const struct kssp_credset *set,
    const struct kssp_principal *client, const char *realm, int64_t now)
{
	const struct kssp_cred *best = NULL;
	bool best_local = false;
	size_t i, rlen = strlen(realm);

	for (i = 0; i < set->n_creds; i++) {
		const struct kssp_cred *c = &set->creds[i];
		const struct kssp_pstring *r = kssp_principal_tgs_realm(c->server);
		bool local;

		if (!r || r->length != rlen || memcmp(r->data, realm, rlen) != 0 ||
		    !usable(c, client, now))
			continue;
		/* RFC 4120 §7.3: krbtgt/R@R is R's own TGT; krbtgt/R@S a cross-realm one. */
		local = kssp_principal_realm_is(c->server, realm);
		if (!best || (local && !best_local) ||
		    (local == best_local && c->endtime > best->endtime)) {
			best = c;
			best_local = local;
		}
	}
	return best;
}

static size_t drop_if(struct kssp_credset *set, const struct kssp_principal *server, int64_t now)
{
	size_t i, kept = 0, gone = 0;

	for (i = 0; i < set->n_creds; i++) {
		bool drop = server ? kssp_principal_equal(set->creds[i].server, server)
		    : set->creds[i].endtime <= now;

		if (drop) {
			kssp_cred_clear(&set->creds[i]);
			gone++;
		} else {
			set->creds[kept++] = set->creds[i];
		}
	}
	set->n_creds = kept;
	return gone;
}

size_t kssp_credset_expire(struct kssp_credset *set, int64_t now)
{
	return drop_if(set, NULL, now);
}

size_t kssp_credset_remove(struct kssp_credset *set, const struct kssp_principal *server)
{
	return drop_if(set, server, 0);
}
