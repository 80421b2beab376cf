/*
 * kdc/getcreds.h - the one ticket workflow (the role of MIT's
 * krb5_get_credentials): for a client and a target, a ticket from what is
 * held, then the FILE cache, then the KDC: a TGT by the AS exchange when
 * there is none (password or keytab), the service ticket by the TGS
 * exchange ([capaths] and referrals, kdc/tgs.h), S4U2Self and S4U2Proxy
 * (MS-SFU), the forwarded TGT of delegation (RFC 4120 §2.6) and renewal
 * (§3.3.3); what the KDC hands out is written back to the cache.  `kssp
 * kinit`, `kssp kvno` and InitializeSecurityContext all come here.
 *
 * The KDC time offset (KDC time minus ours) lives in one place, the
 * workflow's exchange context gc->kdc: taken from a cache's header (tag 1)
 * when the workflow has none yet, as MIT's library takes it into its
 * context when it reads a FILE cache, or set by an AS exchange under
 * kdc_timesync.  Every timestamp sent and every validity check of a held
 * ticket use that KDC time.  The header's offset is taken whatever
 * kdc_timesync says: it was measured against the KDC before.
 *
 * Threads: a workflow (struct kssp_getcreds) belongs to one thread and
 * runs on private state: its own exchange context (last error, time
 * offset) and a snapshot of what its caller holds.  A caller that keeps
 * tickets between workflows (a credential handle, several threads) takes
 * its lock only for kssp_getcreds_begin (the snapshot) and
 * kssp_getcreds_end (the merge, and the store into the cache, so that its
 * threads do not interleave one cache's read-modify-write); the KDC round
 * trips in between run unlocked.
 */
#ifndef KSSP_KDC_GETCREDS_H
#define KSSP_KDC_GETCREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/hooks.h"
#include "creds/ccache.h"
#include "creds/cred.h"
#include "creds/credset.h"
#include "creds/principal.h"
#include "kdc/as.h"
#include "kdc/config.h"
#include "kdc/kdc.h"

/* What a caller keeps between workflows (a credential handle): guarded by the caller. */
struct kssp_getcreds_held {
	struct kssp_credset tickets;   /* found in the cache or obtained */
	struct kssp_principal *client; /* who the tickets are for, once learned (NULL before) */
	bool has_time_offset;          /* the KDC time offset the last workflow used */
	int32_t time_offset, usec_offset;
};

void kssp_getcreds_held_free(struct kssp_getcreds_held *held);

/*
 * The ticket held for held->client and server, valid now in KDC time, or
 * NULL: the answer that needs neither the cache nor the KDC.
 */
const struct kssp_cred *kssp_getcreds_held_find(const struct kssp_getcreds_held *held,
    const struct kssp_hooks *hooks, const struct kssp_principal *server);

/* Where the client's tickets come from (all borrowed). */
struct kssp_getcreds_opts {
	const struct kssp_principal *client; /* NULL: the cache's default principal */
	/*
	 * Look in the FILE cache and store what the KDC hands out there.  A
	 * cache that cannot be read is no cache when the client is named and
	 * the cache is not; otherwise it is the failure.
	 */
	bool use_ccache;
	const char *ccache;       /* NULL: KRB5CCNAME, else /tmp/krb5cc_UID */
	const char *password;     /* log on (AS) with this password, ... */
	size_t password_len;
	bool use_keytab;          /* ... else with the client's key from the keytab */
	const char *keytab;       /* NULL: KRB5_KTNAME, else the default keytab */
	const int32_t *etypes;    /* session-key enctypes asked for; NULL: krb5.conf's */
	size_t n_etypes;
	bool ask_kdc;             /* tickets from the KDC even when one is held (kvno) */
};

/* Where a failure happened, for a caller that maps failures by step. */
enum kssp_getcreds_step {
	KSSP_GETCREDS_FILES,  /* reading the cache or the keytab, or naming the client */
	KSSP_GETCREDS_LOGON,  /* the AS exchange */
	KSSP_GETCREDS_TGS,    /* a TGS exchange (service, S4U, forwarded TGT, renewal) */
};

struct kssp_getcreds {
	struct kssp_getcreds_opts o;
	struct kssp_kdc_ctx kdc;      /* private: the exchanges' context, KDC time offset */
	enum kssp_getcreds_step step; /* what the workflow was doing when it stopped */
	/* internal */
	struct kssp_credset held;     /* the caller's tickets, a snapshot */
	struct kssp_credset got;      /* read from the cache or obtained: for the caller */
	struct kssp_credset fresh;    /* obtained from the KDC: for the cache */
	struct kssp_principal *client;
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
 * Merges what the workflow found and obtained, its client and its KDC time
 * offset into held (may be NULL), and stores the tickets the KDC handed
 * out into the cache it read, under the cache's lock (creds/ccache.h).
 * Call under the caller's lock.  A failure is the store's.
 */
kssp_err kssp_getcreds_end(struct kssp_getcreds *gc, struct kssp_getcreds_held *held);

/*
 * The client: the one named, else the cache's default principal (the
 * cache is read then, once per workflow).  Borrowed from gc.
 */
kssp_err kssp_getcreds_client(struct kssp_getcreds *gc, const struct kssp_principal **client);

/* A ticket for the client to server (held, cached, else from the KDC). */
kssp_err kssp_getcreds_service_ticket(struct kssp_getcreds *gc,
    const struct kssp_principal *server, struct kssp_cred *out);

/* S4U2Self (MS-SFU §3.1.5.1.1): a ticket to the client itself for user. */
kssp_err kssp_getcreds_s4u2self(struct kssp_getcreds *gc, const struct kssp_principal *user,
    struct kssp_cred *out);

/*
 * S4U2Proxy (MS-SFU §3.1.5.2.1): a ticket to server for the client of
 * evidence (an S4U2Self ticket, or a ticket the user sent the client).
 */
kssp_err kssp_getcreds_s4u2proxy(struct kssp_getcreds *gc, const struct kssp_cred *evidence,
    const struct kssp_principal *server, struct kssp_cred *out);

/*
 * Protocol transition: a ticket to server for user, S4U2Self alone when
 * server is the client itself, else followed by S4U2Proxy.
 */
kssp_err kssp_getcreds_for_user(struct kssp_getcreds *gc, const struct kssp_principal *user,
    const struct kssp_principal *server, struct kssp_cred *out);

/* A forwarded TGT of client (RFC 4120 §2.6) from its TGT, for delegation. */
kssp_err kssp_getcreds_forwarded_tgt(struct kssp_getcreds *gc,
    const struct kssp_principal *client, struct kssp_cred *out);

/*
 * kinit: a TGT for the client by the AS exchange (lifetimes, flags and
 * enctypes from as; the key from the password or keytab of o), which then
 * starts a new cache when o.use_ccache, with the KDC time offset.
 */
kssp_err kssp_getcreds_initial(struct kssp_getcreds *gc, const struct kssp_as_opts *as,
    struct kssp_cred *out);

/*
 * kinit -R: the cache's TGT of its client's realm renewed (it may have
 * expired: renewal runs to renew-till), which then starts the cache anew.
 */
kssp_err kssp_getcreds_renew(struct kssp_getcreds *gc, struct kssp_cred *out);

#endif
