/*
 * creds/credset_int.h - the credentials a credential handle holds in memory:
 * TGTs per realm and service tickets keyed by server principal, each with
 * its expiry.  Not thread-safe by itself: the owning handle serialises.
 */
#ifndef KSSP_CREDS_CREDSET_INT_H
#define KSSP_CREDS_CREDSET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/ccache_int.h"
#include "creds/cred_int.h"
#include "creds/principal_int.h"

/* The most credentials one set holds. */
#define KSSP_CREDSET_MAX 4096

struct kssp_credset {
	size_t n_creds;
	size_t cap;
	struct kssp_cred *creds;
};

void kssp_credset_init(struct kssp_credset *set);

/* Frees every credential (session keys zeroed) and leaves set empty. */
void kssp_credset_free(struct kssp_credset *set);

/*
 * Stores a copy of cred, replacing a held credential with the same client
 * and server.  Configuration entries (X-CACHECONF:) are not credentials
 * and are refused with KSSP_ERR_INVALID_ARG.
 */
kssp_err kssp_credset_put(struct kssp_credset *set, const struct kssp_cred *cred);

/* Copies every non-configuration credential of a cache into the set. */
kssp_err kssp_credset_load_ccache(struct kssp_credset *set, const struct kssp_ccache *cc);

/*
 * The ticket for server (client too, unless NULL) still valid at now
 * (endtime > now); of several the one that lasts longest.  NULL when none.
 * kssp_creds_best looks in the n tickets at v the same way, skipping
 * configuration entries and user-to-user tickets (a cache's too).
 */
const struct kssp_cred *kssp_creds_best(const struct kssp_cred *v, size_t n,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now);
const struct kssp_cred *kssp_credset_find(const struct kssp_credset *set,
    const struct kssp_principal *client, const struct kssp_principal *server, int64_t now);

/*
 * A TGT valid at now for realm (server krbtgt/REALM@ANY, so cross-realm
 * TGTs count), for client unless NULL; one issued by realm itself
 * (krbtgt/REALM@REALM) is preferred.  NULL when none.
 */
const struct kssp_cred *kssp_credset_find_tgt(const struct kssp_credset *set,
    const struct kssp_principal *client, const char *realm, int64_t now);

/* Drops every credential whose endtime is at or before now; returns how many. */
size_t kssp_credset_expire(struct kssp_credset *set, int64_t now);

/* Drops the credentials for server; returns how many. */
size_t kssp_credset_remove(struct kssp_credset *set, const struct kssp_principal *server);

#endif
