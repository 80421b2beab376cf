/*
 * sspi/credential_int.h - the credential object behind a CredHandle, and the
 * parsing of AcquireCredentialsHandle's pAuthData forms.
 *
 * A credential records what the caller asked for (principal, password,
 * keytab, cache, krb5.conf, enctypes, hooks); tickets and keys are
 * obtained from it when a context first needs them.
 */
#ifndef KSSP_SSPI_CREDENTIAL_INT_H
#define KSSP_SSPI_CREDENTIAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "context/context.h"
#include "creds/creds.h"
#include "kdc/kdc.h"
#include "kssp/kssp.h"
#include "sspi/handle_int.h"
#include "sspi/package_int.h"

/* Most enctypes a KSSP_AUTH_DATA may list. */
#define KSSP_SSPI_CRED_MAX_ENCTYPES 16

/* The caller's hooks, called through base's struct kssp_hooks. */
struct kssp_sspi_cred_user_hooks {
	KSSP_CLOCK_FN clock;
	void *clock_arg;
	KSSP_RANDOM_FN random;
	void *random_arg;
	KSSP_TRANSPORT_FN transport;
	void *transport_arg;
	KSSP_TRACE_FN trace;
	void *trace_arg;
};

/* Everything pAuthData (and pszPrincipal) said, in UTF-8, owned. */
struct kssp_sspi_cred_request {
	char *principal;        /* "user@REALM", "user" or NULL */
	char *password;         /* NULL: no password logon */
	size_t password_len;
	char *keytab;
	char *ccache;
	char *krb5conf;
	int32_t enctypes[KSSP_SSPI_CRED_MAX_ENCTYPES];
	size_t enctype_count;
	char *impersonate;      /* S4U2Self user */
	char *armor_ccache;     /* FAST armor (RFC 6113): a cache with an armor TGT, */
	char *armor_keytab;     /* or a machine keytab to get one from, */
	char *armor_principal;  /* its principal (NULL: the keytab's HOST$, else first) */
	bool require_fast;      /* no logon without armor */
	char *replay_cache;     /* inbound: the replay cache file, or NULL (in memory) */
	bool replay_none;       /* inbound: ReplayCache "none", no replay detection */
	int delegate;           /* DelegateFrom was given */
	CtxtHandle delegate_from; /* ... and named this accepted context */
	struct kssp_sspi_cred_user_hooks user;
};

struct kssp_sspi_cred {
	struct kssp_sspi_object obj; /* first: the registry's view */
	const struct kssp_package *pkg;
	ULONG use;                   /* SECPKG_CRED_INBOUND / OUTBOUND bits */
	struct kssp_sspi_cred_request req;
	struct kssp_hooks hooks;     /* base's hooks, calling req.user */
	/*
	 * Loaded on first use under obj.lock.  The inbound pieces are then
	 * only read until the credential goes, so accepts use them unlocked
	 * (the in-memory replay cache has its own mutex).
	 */
	_Atomic unsigned loaded;     /* KSSP_CRED_LOADED_* of what is loaded (set with release) */
	struct kssp_config *cfg;     /* krb5.conf */
	/* krb5.conf's default_tgs_enctypes [0] and permitted_enctypes [1], parsed with cfg. */
	int32_t conf_etypes[2][KSSP_ETYPE_LIST_MAX];
	size_t n_conf_etypes[2];
	bool have_keytab;
	struct kssp_keytab keytab;   /* inbound: the acceptor's keys */
	struct kssp_principal *acceptor; /* inbound: the service name, or NULL (any) */
	bool have_rcache;
	struct kssp_rcname rcname;   /* inbound: the replay cache named */
	/*
	 * outbound: the tickets found in the cache or obtained, who we are,
	 * the KDC time offset.  Written with obj.lock and held_lock (for
	 * writing) taken, read with either: every InitializeSecurityContext
	 * looks its ticket up here, and threads sharing the credential do so
	 * side by side under the read lock, whose readers share no cache line.
	 */
	struct kssp_getcreds_held held;
	struct kssp_brlock held_lock;
	/*
	 * inbound: authenticators seen, when in memory.  Its mutex and counts
	 * are written on every accept: after the lock's reader counts, so that
	 * they share no cache line with the fields above, which every accept
	 * of every thread reads.
	 */
	struct kssp_rcache rcache;
	bool delegated;              /* acts for an accepted context's client (tickets only) */
	/*
	 * outbound, from DelegateFrom without a forwarded TGT: the ticket the
	 * accepted context kept, the evidence of S4U2Proxy (MS-SFU §3.1.5.2)
	 * asked for with the service's own TGT; empty (no ticket) otherwise.
	 */
	struct kssp_cred evidence;
};

/*
 * Parses pAuthData: NULL, SEC_WINNT_AUTH_IDENTITY_A/W, _EXA/_EXW or
 * KSSP_AUTH_DATA.  principal (UTF-8, may be NULL) is pszPrincipal.
 * Malformed data gives KSSP_ERR_INVALID_ARG with a reason.
 */
kssp_err kssp_sspi_cred_parse(const char *principal, const void *auth_data,
    struct kssp_sspi_cred_request *req);

/* Frees what req owns; the password is zeroed. */
void kssp_sspi_cred_request_free(struct kssp_sspi_cred_request *req);

/*
 * Joins a Windows user and domain into a principal string:
 * "DOMAIN\user" -> "user@DOMAIN", ("user", "example.com") ->
 * "user@EXAMPLE.COM", a UPN "user@example.com" stays a UPN with its
 * suffix upper-cased as the realm.  Realms are upper-cased as the
 * Windows Kerberos client does.
 */
kssp_err kssp_sspi_cred_join_principal(const char *user, const char *domain, char **out);

/*
 * A user's name in Windows' spellings (MS-KILE §3.1.5.1.1): "DOMAIN\user"
 * and "user@DOMAIN" name a realm (a NetBIOS domain has no dot: the AS
 * exchange asks the default realm's KDC for it, canonicalizing); a UPN
 * whose suffix is no realm krb5.conf knows is an enterprise name (RFC 6806
 * §5) asked of the default realm, whose KDC resolves or refers it.  Used
 * for logons and for target names in UPN form.
 */
kssp_err kssp_sspi_cred_parse_user(const struct kssp_config *cfg, const char *text,
    struct kssp_principal **out);

/*
 * Points hooks at the caller's functions in user (base's hooks with
 * adapters; members left NULL fall back to the system's).
 */
void kssp_sspi_cred_bind_hooks(struct kssp_hooks *hooks, struct kssp_sspi_cred_user_hooks *user);

/*
 * The pieces a context needs from its credential, loaded on first use
 * (call with the credential locked).  Failures are recorded SSPI results.
 */
SECURITY_STATUS kssp_sspi_cred_load_config(struct kssp_sspi_cred *cred);

/*
 * The same for a caller without the lock, the configuration alone or with
 * the acceptor's keytab and replay cache: once loaded these are only read,
 * so a call that finds them loaded (an atomic flag, read with acquire)
 * takes no lock.  Threads sharing one credential then share no lock word
 * on every handshake.
 */
#define KSSP_CRED_LOADED_CONFIG 1u
#define KSSP_CRED_LOADED_ACCEPTOR 2u
SECURITY_STATUS kssp_sspi_cred_ready_config(struct kssp_sspi_cred *cred);
SECURITY_STATUS kssp_sspi_cred_ready_acceptor(struct kssp_sspi_cred *cred);

/*
 * The enctypes of RFC 4537 negotiation, most preferred first, into out
 * (at most max): the caller's KSSP_AUTH_DATA list, else krb5.conf's
 * default_tgs_enctypes for an initiator (what MIT's initiator sends) or
 * permitted_enctypes for an acceptor (what MIT's acceptor chooses from).
 * 0 before the configuration is loaded; loaded, the lists are only read.
 */
size_t kssp_sspi_cred_enctypes(const struct kssp_sspi_cred *cred, bool initiator, int32_t *out,
    size_t max);

/*
 * A service ticket for server (client: the credential's principal, else
 * the cache's default principal) into *out, through the ticket workflow
 * (kdc/getcreds_int.h).  Takes the credential's lock itself, and not across a
 * KDC round trip: call it unlocked.
 */
SECURITY_STATUS kssp_sspi_cred_service_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, struct kssp_cred *out);

/*
 * For ISC_REQ_DELEGATE: a forwarded TGT of service's client (RFC 4120
 * §2.6) into *out, from the credential's TGT (which must be forwardable),
 * when service may be delegated to: its ticket is ok-as-delegate or
 * krb5.conf's enforce_ok_as_delegate is false.  SEC_E_DELEGATION_POLICY
 * when it may not, another status when the TGT cannot be forwarded; the
 * caller then goes on without delegating, as Windows does.  Locks as
 * kssp_sspi_cred_service_ticket does.
 */
SECURITY_STATUS kssp_sspi_cred_forwarded_tgt(struct kssp_sspi_cred *cred,
    const struct kssp_cred *service, struct kssp_cred *out);

/*
 * User-to-user, initiator: a ticket for server sealed in the session key
 * of tgt (the acceptor's TGT from its KERB-TGT-REPLY), from the KDC
 * (RFC 4120 §3.3.3 ENC-TKT-IN-SKEY).  Locks as
 * kssp_sspi_cred_service_ticket does.
 */
SECURITY_STATUS kssp_sspi_cred_u2u_ticket(struct kssp_sspi_cred *cred,
    const struct kssp_principal *server, const struct kssp_cred_data *tgt, struct kssp_cred *out);

/*
 * User-to-user, acceptor: the credential's own TGT (its cache, else a
 * logon with its password or keytab) and its replay cache, instead of a
 * keytab; no TGT is SEC_E_NO_TGT_REPLY (KRB_AP_ERR_NO_TGT,
 * draft-swift-win2k-krb-user2user-02 §5).  Locks as
 * kssp_sspi_cred_service_ticket does.
 */
SECURITY_STATUS kssp_sspi_cred_acceptor_tgt(struct kssp_sspi_cred *cred, struct kssp_cred *out);

/*
 * The acceptor's keytab, acceptor name and replay cache (a name that
 * cannot be resolved gives SEC_E_NO_CREDENTIALS; a file named is read
 * and written by each accept).
 */
SECURITY_STATUS kssp_sspi_cred_load_acceptor(struct kssp_sspi_cred *cred);

/*
 * The name of a credential given none: the cache's default principal
 * (outbound), else the keytab's first principal; kssp_malloc'd.
 */
SECURITY_STATUS kssp_sspi_cred_default_name(struct kssp_sspi_cred *cred, char **name);

/* Frees what was loaded (keys zeroed). */
void kssp_sspi_cred_unload(struct kssp_sspi_cred *cred);

/*
 * A credential of pkg for use (SECPKG_CRED_* bits) from pszPrincipal and
 * pAuthData, holding the caller's one reference and no handle: what
 * AcquireCredentialsHandle registers, and what an imported context keeps.
 */
SECURITY_STATUS kssp_sspi_cred_new(const struct kssp_package *pkg, ULONG use,
    const char *principal, const void *auth_data, struct kssp_sspi_cred **out);

/*
 * Looks up a credential handle for the span of one call, which ends it
 * with kssp_sspi_cred_leave (a pin on the handle's slot, no reference:
 * what outlives the call, a context, takes its own).
 */
kssp_err kssp_sspi_cred_enter(const CredHandle *h, struct kssp_sspi_cred **cred);
void kssp_sspi_cred_leave(struct kssp_sspi_cred *cred);

#endif
