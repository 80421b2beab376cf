/*
 * kdc/getcreds_int.h - the one ticket workflow (the role of MIT's
 * krb5_get_credentials), for `kssp kinit`, `kssp kvno` and
 * InitializeSecurityContext: a ticket for a client to a target from what
 * is held, then the FILE cache, then the KDC: a TGT by the AS exchange
 * (password or keytab) when there is none, the ticket by the TGS exchange
 * ([capaths], referrals), S4U2Self and S4U2Proxy (MS-SFU), the forwarded
 * TGT of delegation (RFC 4120 §2.6), renewal (§3.3.3); what the KDC hands
 * out is stored back in the cache, under its lock (creds/ccache_int.h).
 *
 * The KDC time offset lives in one place, gc->kdc: from the cache's header
 * when the workflow has none yet (as MIT's library takes it into its
 * context on reading a FILE cache, whatever kdc_timesync says), or as an
 * AS exchange adopts it under kdc_timesync.  Every timestamp sent and
 * every validity check of a held ticket use that KDC time.
 *
 * Threads: a workflow runs on private state (its exchange context, a
 * snapshot of what its caller holds).  A caller shared by threads takes
 * its lock only around kssp_getcreds_begin and kssp_getcreds_end: the KDC
 * round trips in between run unlocked.
 */
#ifndef KSSP_KDC_GETCREDS_INT_H
#define KSSP_KDC_GETCREDS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "creds/creds.h"
#include "kdc/as_int.h"
#include "kdc/ctx_int.h"

/* What a caller keeps between workflows (a credential handle): guarded by the caller. */
struct kssp_getcreds_held {
	struct kssp_credset tickets;   /* found in the cache or obtained */
	struct kssp_principal *client; /* who the tickets are for, once learned (NULL before) */
	bool has_time_offset;          /* the KDC time offset the last workflow used */
	int32_t time_offset, usec_offset;
};

void kssp_getcreds_held_free(struct kssp_getcreds_held *held);

/* The ticket held for held->client and server, valid now in KDC time, or NULL. */
const struct kssp_cred *kssp_getcreds_held_find(const struct kssp_getcreds_held *held,
    const struct kssp_hooks *hooks, const struct kssp_principal *server);

/* Where the client's tickets come from (all borrowed). */
struct kssp_getcreds_opts {
	const struct kssp_principal *client; /* NULL: the cache's default principal */
	/* The FILE cache (unreadable: no cache if the client is named and the cache not). */
	bool use_ccache;
	const char *ccache;       /* NULL: KRB5CCNAME, else /tmp/krb5cc_UID */
	const char *password;     /* log on (AS) with this password, ... */
	size_t password_len;
	bool use_keytab;          /* ... else with the client's key from the keytab */
	const char *keytab;       /* NULL: KRB5_KTNAME, else the default keytab */
	const int32_t *etypes;    /* session-key enctypes asked for; NULL: krb5.conf's */
	size_t n_etypes;
	bool ask_kdc;             /* tickets from the KDC even when one is held (kvno) */
	/*
	 * FAST armor (RFC 6113): a cache holding an armor TGT (MIT's kinit
	 * -T), else a keytab to obtain one from (a machine account; its
	 * principal armor_principal, else the keytab's HOST$, else its first).  With armor,
	 * the AS exchange and the TGS exchanges are armored; require_fast (or
	 * krb5.conf's kssp_require_fast, or MIT's fast_avail in the armor or
	 * the client's cache) makes an unarmored AS exchange an error.
	 */
	const char *armor_ccache;
	const char *armor_keytab;
	const char *armor_principal;
	bool require_fast;
};

/* What a workflow was doing when it stopped. */
enum kssp_getcreds_step {
	KSSP_GETCREDS_FILES,  /* reading the cache or the keytab, or naming the client */
	KSSP_GETCREDS_LOGON,  /* the AS exchange */
	KSSP_GETCREDS_TGS,    /* a TGS exchange (service, S4U, forwarded TGT, renewal) */
};

struct kssp_getcreds {
	struct kssp_getcreds_opts o;
	struct kssp_kdc_ctx kdc;      /* the exchanges' context, KDC time offset */
	enum kssp_getcreds_step step;
	struct kssp_credset held;     /* the caller's tickets, a snapshot */
	struct kssp_credset got;      /* read from the cache or obtained: for the caller */
	struct kssp_credset fresh;    /* obtained from the KDC: for the cache */
	struct kssp_principal *client; /* canonical once the KDC has named it */
	struct kssp_principal *held_client; /* the caller's client, learned before */
	bool have_cc, cache_loaded;
	struct kssp_ccache cc;
	char *cc_path;
};

/* A workflow over cfg and hooks (borrowed) with the sources in o (copied). */
void kssp_getcreds_init(struct kssp_getcreds *gc, const struct kssp_config *cfg,
    const struct kssp_hooks *hooks, const struct kssp_getcreds_opts *o);

void kssp_getcreds_free(struct kssp_getcreds *gc);

/* Takes a snapshot of what the caller holds (call under the caller's lock). */
kssp_err kssp_getcreds_begin(struct kssp_getcreds *gc, const struct kssp_getcreds_held *held);

/*
 * Merges the tickets found and obtained, the client and the KDC time
 * offset into held (may be NULL), and stores what the KDC handed out in
 * the cache read (call under the caller's lock).
 */
kssp_err kssp_getcreds_end(struct kssp_getcreds *gc, struct kssp_getcreds_held *held);

/* The client: named, else the cache's default principal (borrowed from gc). */
kssp_err kssp_getcreds_client(struct kssp_getcreds *gc, const struct kssp_principal **client);

/* A ticket for the client to server (held, cached, else from the KDC). */
kssp_err kssp_getcreds_service_ticket(struct kssp_getcreds *gc,
    const struct kssp_principal *server, struct kssp_cred *out);

/* S4U2Self (MS-SFU §3.1.5.1.1): a ticket to the client itself for user. */
kssp_err kssp_getcreds_s4u2self(struct kssp_getcreds *gc, const struct kssp_principal *user,
    struct kssp_cred *out);

/* S4U2Proxy (MS-SFU §3.1.5.2.1): a ticket to server for evidence's client. */
kssp_err kssp_getcreds_s4u2proxy(struct kssp_getcreds *gc, const struct kssp_cred *evidence,
    const struct kssp_principal *server, struct kssp_cred *out);

/* A ticket to server for user: S4U2Self, then S4U2Proxy unless server is the client. */
kssp_err kssp_getcreds_for_user(struct kssp_getcreds *gc, const struct kssp_principal *user,
    const struct kssp_principal *server, struct kssp_cred *out);

/*
 * User-to-user (RFC 4120 §3.3.3): a ticket for the client to server
 * sealed in the session key of tgt (the server's TGT, a Ticket's DER),
 * always from the KDC: such a ticket serves one exchange and is never
 * found again (Windows caches none, per Microsoft's user-to-user article); it is
 * stored in the cache marked is_skey, as MIT's kvno --u2u stores it.
 */
kssp_err kssp_getcreds_u2u_ticket(struct kssp_getcreds *gc, const struct kssp_principal *server,
    const struct kssp_cred_data *tgt, struct kssp_cred *out);

/* The client's TGT (held, cached, else by logging on): a user-to-user acceptor's. */
kssp_err kssp_getcreds_tgt(struct kssp_getcreds *gc, struct kssp_cred *out);

/* A forwarded TGT of client (RFC 4120 §2.6) from its TGT, for delegation. */
kssp_err kssp_getcreds_forwarded_tgt(struct kssp_getcreds *gc,
    const struct kssp_principal *client, struct kssp_cred *out);

/*
 * kinit: a TGT for o.client by the AS exchange (options from as, the key
 * from o), which then starts a new cache when o.use_ccache.
 */
kssp_err kssp_getcreds_initial(struct kssp_getcreds *gc, const struct kssp_as_opts *as,
    struct kssp_cred *out);

/*
 * A new cache (name as kssp_ccache_resolve takes it) for client holding
 * tgt and kdc's time offset (kdc may be NULL), written whole: MIT's kinit
 * initialising a cache and storing its TGT.
 */
kssp_err kssp_getcreds_new_cache(const char *name, const struct kssp_principal *client,
    const struct kssp_cred *tgt, const struct kssp_kdc_ctx *kdc);

/*
 * Adds c to the cache name when owner is its default principal, else
 * starts a new cache for owner holding c: where an accepted ticket waits
 * as the evidence of a later S4U2Proxy (`kssp kvno -U CLIENT -P`).
 */
kssp_err kssp_getcreds_keep_ticket(const char *name, const struct kssp_principal *owner,
    const struct kssp_cred *c);

/* kinit -R: the cache's TGT renewed, which then starts the cache anew. */
kssp_err kssp_getcreds_renew(struct kssp_getcreds *gc, struct kssp_cred *out);

#endif
