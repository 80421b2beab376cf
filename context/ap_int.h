/*
 * context/ap_int.h - establishing a krb5 GSS security context (RFC 4121 §4.1):
 * the initiator's AP-REQ with the 0x8003 authenticator checksum, the
 * acceptor's checks and AP-REP, KRB-ERROR tokens, the replay cache, and
 * export / import of an established context.
 *
 * Pure: the caller hands in the service ticket and its session key (from
 * the credential cache or the kdc layer), or the keytab's entries, and
 * gets tokens back as bytes.  Context tokens carry the RFC 2743 §3.1
 * framing (0x60, krb5 OID 1.2.840.113554.1.2.2) followed by a TOK_ID:
 * 01 00 AP-REQ, 02 00 AP-REP, 03 00 KRB-ERROR.
 *
 * Life of a context:
 *   initiator: kssp_ctx_initiate() -> AP-REQ token; if mutual
 *              authentication was asked, kssp_ctx_initiate_continue() with
 *              the acceptor's answer (AP-REP or KRB-ERROR token);
 *   acceptor:  kssp_ctx_accept() on the AP-REQ token -> established, and an
 *              AP-REP token when the initiator asked for mutual
 *              authentication; on failure a KRB-ERROR token to send back.
 *
 * DCE style (KSSP_GSS_DCE_STYLE, MS-KILE 3.4.5.1) has three legs and no
 * RFC 2743 framing: the bare AP-REQ; the acceptor's bare AP-REP (always
 * with an acceptor subkey), after which the acceptor waits
 * (KSSP_CTX_WAIT_DCE_AP_REP); then kssp_ctx_initiate_dce_reply() gives
 * the initiator's own AP-REP, which kssp_ctx_accept_dce_reply() checks.
 * Then ctx->tokens (context/token_int.h) protects messages.
 *
 * Errors are the RFC 4120 codes the checks name (KRB_AP_ERR_TKT_EXPIRED,
 * KRB_AP_ERR_SKEW, KRB_AP_ERR_REPEAT, KRB_AP_ERR_NOKEY, KRB_AP_ERR_BADMATCH,
 * KRB_AP_ERR_MODIFIED, KRB_AP_ERR_MUT_FAIL, ...) plus KSSP_ERR_* for
 * malformed input, with a reason recorded by kssp_fail().
 */
#ifndef KSSP_CONTEXT_AP_INT_H
#define KSSP_CONTEXT_AP_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "context/token_int.h"
#include "creds/creds.h"
#include "crypto/crypto.h"

struct kssp_pac; /* context/pac_int.h */

/* Context-token TOK_IDs (RFC 4121 §4.1). */
#define KSSP_TOK_AP_REQ 0x0100
#define KSSP_TOK_AP_REP 0x0200
#define KSSP_TOK_KRB_ERROR 0x0300
/* User-to-user (draft-swift-win2k-krb-user2user-03 §4). */
#define KSSP_TOK_TGT_REQ 0x0400
#define KSSP_TOK_TGT_REP 0x0401

/* The 0x8003 authenticator checksum type (RFC 4121 §4.1.1). */
#define KSSP_CKSUMTYPE_GSSAPI 0x8003

/* Default allowed clock skew, seconds (RFC 4120 §1.6 suggests 5 minutes). */
#define KSSP_CTX_DEFAULT_SKEW 300

/*
 * Channel bindings (RFC 2744 §3.11, RFC 4121 §4.1.1.2).  Only the hash
 * travels: MD5 over the five fields, every integer 4 bytes little-endian,
 * lengths present even when zero.
 */
struct kssp_channel_bindings {
	uint32_t initiator_addrtype;
	const uint8_t *initiator_address;
	size_t initiator_address_len;
	uint32_t acceptor_addrtype;
	const uint8_t *acceptor_address;
	size_t acceptor_address_len;
	const uint8_t *application_data;
	size_t application_data_len;
};

/* The 16-byte Bnd field for cb. */
void kssp_ctx_channel_bindings_hash(const struct kssp_channel_bindings *cb, uint8_t out[16]);

/* ---- replay cache ------------------------------------------------------ */

/* Live authenticators the in-memory replay cache holds at most. */
#define KSSP_RCACHE_MAX 4096

struct kssp_rcache_entry {
	uint8_t tag[16];  /* MD5(client | server | ctime | cusec | authenticator) */
	int64_t expires;  /* ctime + skew: after this the authenticator is stale;
	                   * 0 marks an empty slot */
};

/*
 * Authenticators seen recently (RFC 4120 §3.2.3): two generations, each an
 * open-addressing hash table indexed by the tag (an MD5 output, so
 * already uniform) and never more than half full, so that lookup and
 * insertion are O(1) whatever the number of entries.  New tags go into
 * the current generation; when it holds cap / 2 the older generation is
 * emptied and becomes the current one.  Both tables are allocated once
 * (2 * slots * 24 bytes, 196 KiB for KSSP_RCACHE_MAX): memory never grows.
 * Bounded: between cap / 2 and cap of the tags stored last are remembered
 * (more than that many logons per skew window make older ones forgotten).
 * Threads accepting on one credential share it: every call takes its
 * mutex, held for one O(1) check-and-insert, so that an authenticator
 * replayed from two threads at once is accepted exactly once.
 */
struct kssp_rcache {
	pthread_mutex_t lock;              /* guards the rest */
	struct kssp_rcache_entry *entries; /* generation g at entries + g * slots */
	size_t slots;     /* per generation, a power of two >= cap */
	size_t gen_n[2];  /* tags in each generation */
	unsigned cur;     /* the generation being filled */
	size_t n;         /* tags held, both generations */
	size_t cap;
};

kssp_err kssp_rcache_init(struct kssp_rcache *rc, size_t cap);
void kssp_rcache_free(struct kssp_rcache *rc);

/*
 * Records the tag, failing with KRB_AP_ERR_REPEAT when it is already there
 * and not expired at now.
 */
kssp_err kssp_rcache_check_and_store(struct kssp_rcache *rc, const uint8_t tag[16],
    int64_t now, int64_t expires);

/* ---- the context ------------------------------------------------------- */

enum kssp_ctx_state {
	KSSP_CTX_EMPTY = 0,
	KSSP_CTX_WAIT_AP_REP,  /* initiator sent a mutual AP-REQ */
	KSSP_CTX_ESTABLISHED,
	KSSP_CTX_FAILED,
	KSSP_CTX_WAIT_DCE_AP_REP /* acceptor sent its DCE-style AP-REP */
};

/*
 * What only the handshake needs: its keys (the tokens take copies of the
 * ones they use, RFC 4121 §2), the authenticator's microseconds the
 * AP-REP echoes, and the acceptor's KRB-ERROR for a KRB_AP_ERR_SKEW retry.
 * An established context frees it; a DCE-style one keeps it for the third
 * leg, sealed in the session key (MS-KILE 3.4.5.1), until that is made or
 * checked.
 */
struct kssp_ctx_handshake {
	struct kssp_key session_key;     /* the ticket's session key */
	struct kssp_key subkey;          /* the initiator's subkey (authenticator) */
	struct kssp_key acceptor_subkey; /* from the AP-REP, enctype 0 if none */
	int32_t cusec;                   /* with ctx->ctime, our / the peer's authenticator time */
	int32_t error_code;              /* the KRB-ERROR's code, 0 if none */
	int64_t error_stime;             /* KRB-ERROR's server time (for SKEW) */
};

struct kssp_ctx {
	enum kssp_ctx_state state;
	bool initiator;
	bool u2u;                        /* user-to-user: tokens under its OID, ticket in a TGT's key */
	uint32_t flags;                  /* negotiated KSSP_GSS_* flags */
	uint32_t initiator_seq;          /* initial numbers of each side */
	uint32_t acceptor_seq;
	int32_t session_enctype;         /* the session key's, once established (for reports) */
	int64_t ctime;                   /* our / the peer's authenticator time */
	int64_t endtime;                 /* the ticket's end: the context expires */
	struct kssp_ctx_handshake *hs;   /* during the handshake, else NULL */
	struct kssp_principal *client;   /* the initiator's name */
	struct kssp_principal *server;   /* the ticket's service name */
	struct kssp_cred *delegated;     /* acceptor: the forwarded TGT, or NULL */
	struct kssp_cred *evidence;      /* acceptor, when kept: the ticket accepted, or NULL */
	uint8_t *pac;                    /* acceptor: the ticket's verified PAC, or NULL: */
	size_t pac_len;                  /* its bytes only, decoded again on demand */
	const struct kssp_hooks *hooks;
	struct kssp_token_ctx tokens;    /* valid once ESTABLISHED */
};

void kssp_ctx_init(struct kssp_ctx *ctx, const struct kssp_hooks *hooks);

/* Zeroes the keys and frees everything ctx holds; ctx may be reused. */
void kssp_ctx_clear(struct kssp_ctx *ctx);

/* ---- initiator ----------------------------------------------------------- */

struct kssp_ctx_initiate_params {
	/*
	 * Ticket, session key, client, server, endtime; a ticket issued with
	 * ENC-TKT-IN-SKEY (is_skey) makes a user-to-user AP-REQ: ap-options
	 * use-session-key (RFC 4120 §5.5.1), the user-to-user OID.
	 */
	const struct kssp_cred *service;
	uint32_t req_flags;              /* KSSP_GSS_* asked for */
	const struct kssp_channel_bindings *bindings; /* NULL: none */
	/* With KSSP_GSS_DELEG: the forwarded TGT to send in a KRB-CRED. */
	const struct kssp_cred *delegate;
	/* Added to the clock (KRB_AP_ERR_SKEW retry with the server's time). */
	int64_t time_offset;
	/*
	 * RFC 4537: the enctypes we accept for the acceptor's subkey, most
	 * preferred first, advertised with mutual authentication when the
	 * first differs from the session key's (as MIT does); NULL: none.
	 */
	const int32_t *etypes;
	size_t n_etypes;
};

/*
 * Builds the AP-REQ token (kssp_malloc'd into *token) with a fresh subkey
 * of the session key's enctype and a random initial sequence number
 * (RFC 4121 §4.1.1).  Without KSSP_GSS_MUTUAL the context is established
 * at once; with it the state is KSSP_CTX_WAIT_AP_REP.
 */
kssp_err kssp_ctx_initiate(struct kssp_ctx *ctx, const struct kssp_ctx_initiate_params *p,
    uint8_t **token, size_t *token_len);

/*
 * Processes the acceptor's answer (in DCE style a bare AP-REP, a bare or framed
 * KRB-ERROR): an AP-REP token establishes the context
 * (EncAPRepPart under usage 12, ctime/cusec must echo ours); a KRB-ERROR
 * token fails with its error code (ctx->hs->error_code, and ctx->hs->error_stime
 * holds the server's time for a KRB_AP_ERR_SKEW retry).
 */
kssp_err kssp_ctx_initiate_continue(struct kssp_ctx *ctx, const uint8_t *token, size_t len);

/*
 * DCE style, once the acceptor's AP-REP established the context: the
 * third leg (MS-KILE 3.4.5.1), a bare AP-REP made as an acceptor would,
 * sealed in the session key, echoing the acceptor's sequence number and
 * carrying no subkey (MIT's krb5_mk_rep_dce), kssp_malloc'd into *token.
 */
kssp_err kssp_ctx_initiate_dce_reply(struct kssp_ctx *ctx, uint8_t **token, size_t *token_len);

/* ---- acceptor ------------------------------------------------------------ */

struct kssp_ctx_accept_params {
	const struct kssp_keytab *keytab;
	/*
	 * User-to-user instead of a keytab: the acceptor's TGT, whose session
	 * key opens the ticket (RFC 4120 §3.3.3 ENC-TKT-IN-SKEY) and checks
	 * the PAC's server signature.  Only AP-REQs with use-session-key are
	 * then taken (else KRB_AP_ERR_USER_TO_USER_REQUIRED).
	 */
	const struct kssp_cred *tgt;
	/* The acceptor's own name, or NULL to accept a ticket for any service
	 * the keytab has a key for (MIT's behaviour without an acceptor name). */
	const struct kssp_principal *acceptor;
	const struct kssp_channel_bindings *bindings; /* NULL: not checked */
	struct kssp_rcache *rcache;      /* NULL: no replay detection */
	/* A shared replay cache file (MIT's file2), checked instead of rcache. */
	const struct kssp_rcname *rcache_file;
	int64_t skew;                    /* 0: KSSP_CTX_DEFAULT_SKEW */
	/*
	 * Keep the ticket accepted as ctx->evidence: the additional ticket of
	 * S4U2Proxy when the acceptor later acts for the client without a
	 * forwarded TGT (MS-SFU §3.1.5.2, Kerberos-only constrained
	 * delegation).  It costs the ticket's bytes (its PAC included: 1453
	 * from Samba AD for a user in three groups), a credential, two names
	 * and the session key per context, hence only when asked.
	 */
	bool keep_evidence;
	/*
	 * RFC 4537: the enctypes we permit for our subkey, most preferred
	 * first; the first the initiator also lists (or whose subkey or
	 * session key has it) is the subkey's.  NULL: the initiator subkey's.
	 */
	const int32_t *etypes;
	size_t n_etypes;
};

/*
 * Accepts an AP-REQ token.  On success the context is established and,
 * when mutual authentication was asked, *reply is the AP-REP token (with
 * an acceptor subkey, RFC 4121 §2); otherwise *reply is NULL.  On failure
 * *reply is a KRB-ERROR token for the peer when one applies (the error
 * code and, for KRB_AP_ERR_SKEW, our time), else NULL.
 */
kssp_err kssp_ctx_accept(struct kssp_ctx *ctx, const struct kssp_ctx_accept_params *p,
    const uint8_t *token, size_t len, uint8_t **reply, size_t *reply_len);

/*
 * DCE style: the initiator's AP-REP (third leg) in state
 * KSSP_CTX_WAIT_DCE_AP_REP.  It must open under the session key, echo
 * our sequence number and carry no subkey (KRB_AP_ERR_MUT_FAIL otherwise,
 * as MIT's krb5_rd_rep_dce); then the context is established.
 */
kssp_err kssp_ctx_accept_dce_reply(struct kssp_ctx *ctx, const uint8_t *token, size_t len);

/*
 * The accepted ticket's PAC, decoded into *out (free it with kssp_pac_free
 * whatever the result; its server signature was verified at accept), or
 * KSSP_ERR_NOT_FOUND when the ticket had none.
 */
kssp_err kssp_ctx_pac(const struct kssp_ctx *ctx, struct kssp_pac *out);

/*
 * KRB_AP_ERR_TKT_EXPIRED once the context has outlived its ticket (the
 * context's lifetime is the ticket's, RFC 4121 §4.1; skew allowed as for
 * the ticket itself), else KSSP_OK.
 */
kssp_err kssp_ctx_check_expiry(const struct kssp_ctx *ctx, int64_t now, int64_t skew);

/* ---- framing ------------------------------------------------------------- */

/* 0x60 length, the krb5 OID, TOK_ID and inner (RFC 2743 §3.1), kssp_malloc'd. */
kssp_err kssp_ctx_frame(uint16_t tok_id, const uint8_t *inner, size_t inner_len,
    uint8_t **out, size_t *out_len);

/*
 * Splits a framed context token: the OID must be krb5's (or Microsoft's
 * 1.2.840.48018.1.2.2, which Windows sends), the length exact; *inner
 * points into token.
 */
kssp_err kssp_ctx_unframe(const uint8_t *token, size_t len, uint16_t *tok_id,
    const uint8_t **inner, size_t *inner_len);

/* ---- user-to-user (draft-swift-win2k-krb-user2user-03 §4) ---------------- */

/* The KERB-TGT-REQUEST token naming server (NULL: none), kssp_malloc'd. */
kssp_err kssp_ctx_u2u_request(const struct kssp_principal *server, uint8_t **token,
    size_t *token_len);

/*
 * Reads a KERB-TGT-REQUEST token: *server is the name asked (owned), or
 * NULL when the initiator named none.
 */
kssp_err kssp_ctx_u2u_read_request(const uint8_t *token, size_t len,
    struct kssp_principal **server);

/* The KERB-TGT-REPLY token carrying tgt's ticket, kssp_malloc'd. */
kssp_err kssp_ctx_u2u_reply(const struct kssp_cred *tgt, uint8_t **token, size_t *token_len);

/* Reads a KERB-TGT-REPLY token: the acceptor's TGT (a Ticket's DER) into *tgt. */
kssp_err kssp_ctx_u2u_read_reply(const uint8_t *token, size_t len, struct kssp_cred_data *tgt);

/* kssp_ctx_frame, under the user-to-user OID when u2u. */
kssp_err kssp_ctx_frame_mech(bool u2u, uint16_t tok_id, const uint8_t *inner, size_t inner_len,
    uint8_t **out, size_t *out_len);

/* ---- export / import ------------------------------------------------------ */

/*
 * Serialises an established context (keys included: treat the bytes as a
 * secret) into a kssp_malloc'd buffer, for handing a context to another
 * process; ctx is left untouched.
 */
kssp_err kssp_ctx_export(const struct kssp_ctx *ctx, uint8_t **out, size_t *out_len);

/* Rebuilds an established context from kssp_ctx_export's bytes. */
kssp_err kssp_ctx_import(struct kssp_ctx *ctx, const uint8_t *data, size_t len,
    const struct kssp_hooks *hooks);

/*
 * The layer's own part: helpers the initiator, acceptor and export code of
 * context/ share (not for other layers).
 */

#include "asn1/asn1.h"

/* APOptions mutual-required (RFC 4120 §5.5.1 bit 2; bit 0 is the top bit). */
#define KSSP_AP_OPT_USE_SESSION_KEY (1u << 30)
#define KSSP_AP_OPT_MUTUAL_REQUIRED (1u << 29)

/* Flags a context may carry, and those always granted (MIT's choice). */
#define KSSP_CTX_KNOWN_FLAGS (KSSP_GSS_DELEG | KSSP_GSS_MUTUAL | KSSP_GSS_REPLAY | \
	KSSP_GSS_SEQUENCE | KSSP_GSS_CONF | KSSP_GSS_INTEG | KSSP_GSS_DCE_STYLE | \
	KSSP_GSS_IDENTIFY | KSSP_GSS_EXTENDED_ERROR)
#define KSSP_CTX_ALWAYS_FLAGS (KSSP_GSS_CONF | KSSP_GSS_INTEG)

/* A PrincipalName and realm pointing at p's strings (comps has room for
 * KSSP_PRINCIPAL_MAX_COMPONENTS; more are cut). */
void kssp_ctx_principal_to_asn1(const struct kssp_principal *p, struct kssp_der_bytes *comps,
    struct kssp_principal_name *pn, struct kssp_der_bytes *realm);

/* A principal owning copies of a decoded PrincipalName and realm. */
kssp_err kssp_ctx_principal_from_asn1(const struct kssp_principal_name *pn,
    const struct kssp_der_bytes *realm, struct kssp_principal **out);

/* A key from a decoded EncryptionKey. */
kssp_err kssp_ctx_key_from_asn1(const struct kssp_encryption_key *ek, struct kssp_key *key);

/* Seals plain into ed (kssp_crypto_seal; the cipher, kssp_malloc'd, is *cipher). */
kssp_err kssp_ctx_encrypt(const struct kssp_hooks *hooks, struct kssp_key *key,
    uint32_t usage, const uint8_t *plain, size_t len, struct kssp_encrypted_data *ed,
    uint8_t **cipher);

/*
 * An AP-REP with part sealed in the session key (usage 12), framed with
 * TOK_ID 02 00 unless DCE style, kssp_malloc'd into *out.
 */
kssp_err kssp_ctx_seal_ap_rep(struct kssp_ctx *ctx, const struct kssp_enc_ap_rep_part *part,
    uint8_t **out, size_t *out_len);

/*
 * Decodes a bare AP-REP and opens its EncAPRepPart under the session key
 * into *part (pointing into arena / *plain, which the caller frees with
 * kssp_free_secret).
 */
kssp_err kssp_ctx_open_ap_rep(struct kssp_ctx *ctx, const uint8_t *der, size_t len,
    struct kssp_arena *arena, struct kssp_enc_ap_rep_part *part, uint8_t **plain,
    size_t *plain_len);

/* AD-ETYPE-NEGOTIATION (RFC 4537 §3), inside AD-IF-RELEVANT; most enctypes sent or read. */
#define KSSP_AD_ETYPE_NEGOTIATION 129
#define KSSP_ETYPE_LIST_MAX 16

/* AP-REQ [APPLICATION 14] and KRB-ERROR [APPLICATION 30]: bare DCE-style tokens; the framing's tag. */
#define KSSP_DER_GSS_TAG 0x60 /* RFC 2743 §3.1 framing */
#define KSSP_DER_AP_REQ_TAG 0x6e
#define KSSP_DER_KRB_ERROR_TAG 0x7e

/* A zeroed ctx->hs (which must be NULL). */
kssp_err kssp_ctx_handshake_new(struct kssp_ctx *ctx);

/* Zeroes and frees ctx->hs, if any. */
void kssp_ctx_handshake_free(struct kssp_ctx *ctx);

/*
 * Sets up ctx->tokens from the context's keys and numbers, marks it
 * established, and frees the handshake keys unless DCE style still needs
 * them.
 */
kssp_err kssp_ctx_establish(struct kssp_ctx *ctx);

/*
 * Traces "context: <what>" with the unparsed names of a and b in place of
 * the two %s of what (unparsed only when a trace hook is set; "" for a NULL
 * name, "?" for one that cannot be unparsed).  Never given a key.
 */
void kssp_ctx_trace_names(const struct kssp_ctx *ctx, const char *what,
    const struct kssp_principal *a, const struct kssp_principal *b);

/* The current time from the hooks plus offset. */
kssp_err kssp_ctx_now(const struct kssp_ctx *ctx, int64_t offset, struct kssp_time *now);

/* A random initial sequence number for either side, below 2^30. */
kssp_err kssp_ctx_random_seq(const struct kssp_ctx *ctx, uint32_t *seq);

#endif
