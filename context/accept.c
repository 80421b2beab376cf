/*
 * context/accept.c - the acceptor's side of RFC 4121 §4.1 (RFC 4120
 * §3.2.3 checks), the AP-REP and KRB-ERROR tokens it answers with, and the
 * in-memory replay cache.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "context/ap_int.h"
#include "context/pac_int.h"

/* ---- replay cache ------------------------------------------------------ */

static size_t rcache_hash(const uint8_t tag[16], size_t slots)
{
	uint64_t h;

	memcpy(&h, tag, sizeof(h));
	return (size_t)h & (slots - 1);
}

/*
 * Held for a hash probe and a store (a generation change clears one
 * table).  Where the C library offers it (glibc) a thread finding it
 * taken spins briefly before sleeping: a sleep and its wake-up cost an
 * accept more than the wait, and the woken thread can land on the waker's
 * core while the other one idles.
 */
static int init_lock(pthread_mutex_t *m)
{
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
	pthread_mutexattr_t a;
	int r = pthread_mutexattr_init(&a);

	if (r == 0 && (r = pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP)) == 0)
		r = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return r;
#else
	return pthread_mutex_init(m, NULL);
#endif
}

kssp_err kssp_rcache_init(struct kssp_rcache *rc, size_t cap)
{
	memset(rc, 0, sizeof(*rc));
	if (cap < 2 || cap > KSSP_RCACHE_MAX)
		cap = KSSP_RCACHE_MAX;
	rc->cap = cap;
	for (rc->slots = 2; rc->slots < cap; rc->slots *= 2)
		;
	/* Zeroed: every slot empty; pages are touched only as tags arrive. */
	rc->entries = kssp_calloc(2 * rc->slots, sizeof(*rc->entries));
	if (!rc->entries)
		return kssp_fail(KSSP_ERR_NOMEM, "replay cache: out of memory");
	if (init_lock(&rc->lock) != 0) {
		kssp_free(rc->entries);
		rc->entries = NULL;
		return kssp_fail(KSSP_ERR_NOMEM, "replay cache: cannot create a mutex");
	}
	return KSSP_OK;
}

void kssp_rcache_free(struct kssp_rcache *rc)
{
	/* The mutex exists exactly when the table does (kssp_rcache_init). */
	if (rc->entries)
		pthread_mutex_destroy(&rc->lock);
	kssp_free(rc->entries);
	memset(rc, 0, sizeof(*rc));
}

/*
 * Looks tag up in generation g: true when it is there and live at now.
 * *reuse gets an expired slot met on the way (or stays NULL).
 */
static bool rcache_seen(struct kssp_rcache *rc, unsigned g, const uint8_t tag[16], int64_t now,
    struct kssp_rcache_entry **reuse)
{
	struct kssp_rcache_entry *t = rc->entries + g * rc->slots;
	size_t i;

	/* The probe run ends at an empty slot: a generation is at most half full. */
	for (i = rcache_hash(tag, rc->slots); t[i].expires != 0; i = (i + 1) & (rc->slots - 1)) {
		if (t[i].expires < now) {
			if (*reuse == NULL)
				*reuse = &t[i];
			continue;
		}
		if (kssp_ct_equal(t[i].tag, tag, 16))
			return true;
	}
	return false;
}

/* kssp_rcache_check_and_store with rc->lock held. */
static kssp_err rcache_check_and_store_locked(struct kssp_rcache *rc, const uint8_t tag[16],
    int64_t now, int64_t expires)
{
	struct kssp_rcache_entry *reuse = NULL, *other = NULL, *t;
	size_t i;

	if (rcache_seen(rc, rc->cur, tag, now, &reuse) || rcache_seen(rc, !rc->cur, tag, now, &other))
		return KRB_AP_ERR_REPEAT;
	if (expires <= 0)
		expires = 1; /* stale already; 0 marks an empty slot */
	if (reuse != NULL) {
		/* An expired tag's slot in the current generation: no new entry. */
		memcpy(reuse->tag, tag, 16);
		reuse->expires = expires;
		return KSSP_OK;
	}
	if (rc->gen_n[rc->cur] >= rc->cap / 2) {
		/* Generation change: the older tags are forgotten. */
		rc->cur = !rc->cur;
		kssp_memzero(rc->entries + rc->cur * rc->slots, rc->slots * sizeof(*rc->entries));
		rc->n -= rc->gen_n[rc->cur];
		rc->gen_n[rc->cur] = 0;
	}
	t = rc->entries + rc->cur * rc->slots;
	for (i = rcache_hash(tag, rc->slots); t[i].expires != 0; i = (i + 1) & (rc->slots - 1))
		;
	memcpy(t[i].tag, tag, 16);
	t[i].expires = expires;
	rc->gen_n[rc->cur]++;
	rc->n++;
	return KSSP_OK;
}

kssp_err kssp_rcache_check_and_store(struct kssp_rcache *rc, const uint8_t tag[16],
    int64_t now, int64_t expires)
{
	kssp_err e;

	/* A cache never initialised, or already freed, has no room to record in. */
	if (rc->entries == NULL || rc->cap == 0 || rc->slots == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "replay cache: not initialised");
	pthread_mutex_lock(&rc->lock);
	e = rcache_check_and_store_locked(rc, tag, now, expires);
	pthread_mutex_unlock(&rc->lock);
	/* Recorded outside the lock: kssp_fail formats its reason. */
	if (e == KRB_AP_ERR_REPEAT)
		return kssp_fail(KRB_AP_ERR_REPEAT, "AP-REQ: authenticator seen before (replay)");
	return e;
}

/* ---- what the acceptor learns ------------------------------------------- */

struct accept_state {
	struct kssp_arena arena;
	struct kssp_ap_req req;
	struct kssp_enc_ticket_part tkt;
	struct kssp_authenticator auth;
	uint8_t *tkt_plain, *auth_plain;
	size_t tkt_plain_len, auth_plain_len;
	struct kssp_principal *sname;   /* the ticket's server */
	struct kssp_key service_key;    /* the keytab's key that opened the ticket */
	struct kssp_time now;
	int64_t skew;
	bool bare;                      /* the AP-REQ came without framing */
	/* RFC 4537: the initiator's enctypes, its subkey's and the session key's */
	int32_t offered[KSSP_ETYPE_LIST_MAX + 2];
	size_t n_offered;
};

static void accept_state_free(struct accept_state *s)
{
	kssp_free_secret(s->tkt_plain, s->tkt_plain_len);
	kssp_free_secret(s->auth_plain, s->auth_plain_len);
	kssp_principal_free(s->sname);
	kssp_crypto_key_clear(&s->service_key);
	kssp_arena_free(&s->arena);
}

/* ---- key selection --------------------------------------------------------- */

/* Tries one keytab entry on the ticket; success fills s->tkt. */
static kssp_err try_entry(struct accept_state *s, const struct kssp_keytab_entry *ent)
{
	const struct kssp_encrypted_data *ed = &s->req.ticket.enc_part;
	kssp_err e;

	/* Kept: the PAC's server signature is checked with this key (MS-PAC 2.8.1). */
	kssp_crypto_key_clear(&s->service_key);
	e = kssp_crypto_key_init(&s->service_key, ent->keytype, ent->key, ent->key_len);
	if (!e)
		e = kssp_crypto_open(&s->service_key, KSSP_KU_TICKET, ed->etype, ed->cipher.data,
		    ed->cipher.len, "ticket", &s->tkt_plain, &s->tkt_plain_len);
	if (!e)
		e = kssp_krb5_decode_enc_ticket_part(s->tkt_plain, s->tkt_plain_len, &s->arena,
		    &s->tkt);
	return e;
}

/*
 * User-to-user: the ticket is sealed in the session key of the acceptor's
 * TGT (RFC 4120 §3.3.3 ENC-TKT-IN-SKEY), whatever service it names (a
 * Windows client asks for its SPN, MIT's kvno --u2u for the user).
 */
static kssp_err decrypt_u2u_ticket(struct accept_state *s, const struct kssp_cred *tgt)
{
	struct kssp_keytab_entry ent;

	memset(&ent, 0, sizeof(ent));
	ent.keytype = tgt->keytype;
	ent.key = tgt->keyvalue.data;
	ent.key_len = tgt->keyvalue.length;
	if (s->req.ticket.enc_part.etype != tgt->keytype)
		return kssp_fail(KRB_AP_ERR_BAD_INTEGRITY,
		    "AP-REQ: the user-to-user ticket is of enctype %d, our TGT's session key of %d",
		    (int)s->req.ticket.enc_part.etype, (int)tgt->keytype);
	return try_entry(s, &ent);
}

/*
 * Picks the key by sname, kvno and enctype; without an acceptor name, any
 * entry of the ticket's enctype is tried when the name has none (MIT does
 * the same with GSS_C_NO_CREDENTIAL, e.g. when the host name in the
 * ticket differs from the keytab's).
 */
static kssp_err decrypt_ticket(struct accept_state *s, const struct kssp_ctx_accept_params *p)
{
	const struct kssp_encrypted_data *ed = &s->req.ticket.enc_part;
	uint32_t kvno = ed->has_kvno ? ed->kvno : 0;
	const struct kssp_keytab_entry *ent;
	size_t i;
	kssp_err e;

	if (p->tgt)
		return decrypt_u2u_ticket(s, p->tgt);
	if (p->acceptor && !kssp_principal_equal(p->acceptor, s->sname))
		return kssp_fail(KRB_AP_ERR_NOT_US, "AP-REQ: the ticket is not for this acceptor");
	/* No stored key has version 0 (keytab lookups read 0 as "any"): a
	 * ticket that names version 0 names no key (MIT would take the latest). */
	if (ed->has_kvno && kvno == 0)
		return kssp_fail(KRB_AP_ERR_BADKEYVER, "AP-REQ: the ticket names key version 0");
	e = kssp_keytab_find(p->keytab, s->sname, ed->etype, kvno, &ent);
	if (!e)
		return try_entry(s, ent);
	if (e != KSSP_ERR_NOT_FOUND)
		return e;
	/* The service has a key of this enctype, but not this version. */
	if (kvno && kssp_keytab_find(p->keytab, s->sname, ed->etype, 0, &ent) == KSSP_OK)
		return kssp_fail(KRB_AP_ERR_BADKEYVER,
		    "AP-REQ: the keytab has no version %u key of enctype %d for the service",
		    kvno, ed->etype);
	for (i = 0; !p->acceptor && i < p->keytab->n_entries; i++) {
		ent = &p->keytab->entries[i];
		if (ent->keytype != ed->etype || (kvno && ent->vno != kvno))
			continue;
		if (try_entry(s, ent) == KSSP_OK)
			return KSSP_OK;
		kssp_free_secret(s->tkt_plain, s->tkt_plain_len);
		s->tkt_plain = NULL;
		s->tkt_plain_len = 0;
	}
	return kssp_fail(KRB_AP_ERR_NOKEY, "AP-REQ: the keytab has no key of enctype %d for "
	    "the ticket's service", ed->etype);
}

/* ---- checks --------------------------------------------------------------- */

static bool same_bytes(const struct kssp_der_bytes *a, const struct kssp_der_bytes *b)
{
	size_t la = a->data ? a->len : 0, lb = b->data ? b->len : 0;

	return la == lb && (la == 0 || memcmp(a->data, b->data, la) == 0);
}

/* Same realm and components (RFC 4120 §6.2: the name type is not compared). */
static bool same_principal(const struct kssp_principal_name *a, const struct kssp_der_bytes *ar,
    const struct kssp_principal_name *b, const struct kssp_der_bytes *br)
{
	size_t i;

	if (!same_bytes(ar, br) || a->name_string_len != b->name_string_len)
		return false;
	for (i = 0; i < a->name_string_len; i++)
		if (!same_bytes(&a->name_string[i], &b->name_string[i]))
			return false;
	return true;
}

/* RFC 4120 §3.2.3: the ticket's validity period, with the skew allowed. */
static kssp_err check_ticket_times(const struct accept_state *s)
{
	int64_t start = s->tkt.has_starttime ? s->tkt.starttime : s->tkt.authtime;

	if (s->tkt.flags & KSSP_TKT_FLG_INVALID)
		return kssp_fail(KRB_AP_ERR_TKT_NYV, "AP-REQ: the ticket is marked invalid");
	if (start - s->skew > s->now.sec)
		return kssp_fail(KRB_AP_ERR_TKT_NYV, "AP-REQ: the ticket is not valid until %lld",
		    (long long)start);
	if (s->tkt.endtime + s->skew < s->now.sec)
		return kssp_fail(KRB_AP_ERR_TKT_EXPIRED, "AP-REQ: the ticket expired at %lld",
		    (long long)s->tkt.endtime);
	return KSSP_OK;
}

static kssp_err decrypt_authenticator(struct accept_state *s, struct kssp_key *session)
{
	const struct kssp_encrypted_data *ed = &s->req.authenticator;
	kssp_err e = kssp_crypto_open(session, KSSP_KU_AP_REQ_AUTH, ed->etype, ed->cipher.data,
	    ed->cipher.len, "authenticator", &s->auth_plain, &s->auth_plain_len);

	if (!e)
		e = kssp_krb5_decode_authenticator(s->auth_plain, s->auth_plain_len, &s->arena,
		    &s->auth);
	if (e)
		return e;
	if (s->auth.authenticator_vno != KSSP_KRB5_PVNO)
		return kssp_fail(KRB_AP_ERR_BADVERSION, "authenticator: vno %d",
		    s->auth.authenticator_vno);
	if (!same_principal(&s->auth.cname, &s->auth.crealm, &s->tkt.cname, &s->tkt.crealm))
		return kssp_fail(KRB_AP_ERR_BADMATCH,
		    "authenticator: cname/crealm differ from the ticket's client");
	if (s->auth.ctime > s->now.sec + s->skew || s->auth.ctime < s->now.sec - s->skew)
		return kssp_fail(KRB_AP_ERR_SKEW,
		    "authenticator: ctime %lld is more than %lld s from our time %lld",
		    (long long)s->auth.ctime, (long long)s->skew, (long long)s->now.sec);
	return KSSP_OK;
}

/*
 * A file shared with other processes keeps MIT's tag (creds/rcache_int.h);
 * the in-memory cache client, server, ctime, cusec and a hash of the
 * sealed authenticator.
 */
static kssp_err check_replay(const struct kssp_ctx *ctx, struct accept_state *s,
    const struct kssp_ctx_accept_params *p)
{
	struct kssp_rcache *rc = p->rcache;
	uint8_t t[12], tag[16];
	struct kssp_crypto_iov parts[4];

	if (p->rcache_file && p->rcache_file->kind != KSSP_RCNAME_MEMORY) {
		kssp_err e = kssp_rcfile_tag(s->req.authenticator.etype,
		    s->req.authenticator.cipher.data, s->req.authenticator.cipher.len, tag);

		return e ? e : kssp_rcfile_store(p->rcache_file, tag, (uint32_t)s->now.sec,
		    (uint32_t)s->skew, ctx->hooks);
	}
	if (!rc)
		return KSSP_OK;
	memcpy(t, &s->auth.ctime, 8);
	memcpy(t + 8, &s->auth.cusec, 4);
	parts[0] = (struct kssp_crypto_iov){ s->auth.cname.der.data, s->auth.cname.der.len };
	parts[1] = (struct kssp_crypto_iov){ s->req.ticket.sname.der.data,
		s->req.ticket.sname.der.len };
	parts[2] = (struct kssp_crypto_iov){ t, sizeof(t) };
	parts[3] = (struct kssp_crypto_iov){ s->req.authenticator.cipher.data,
		s->req.authenticator.cipher.len };
	kssp_crypto_md5(parts, 4, tag);
	return kssp_rcache_check_and_store(rc, tag, s->now.sec, s->auth.ctime + s->skew);
}

/* The forwarded TGT of a KRB-CRED sealed in the session key (usage 14). */
static kssp_err take_delegation(struct kssp_ctx *ctx, struct accept_state *s,
    const uint8_t *der, size_t len)
{
	struct kssp_krb_cred cred;
	struct kssp_enc_krb_cred_part part;
	const struct kssp_krb_cred_info *info;
	struct kssp_cred *c;
	uint8_t *plain = NULL;
	size_t plen = 0;
	kssp_err e = kssp_krb5_decode_krb_cred(der, len, &s->arena, &cred);

	if (!e && (cred.tickets_len != 1))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "KRB-CRED: %zu tickets, expected 1",
		    cred.tickets_len);
	if (!e)
		e = kssp_crypto_open(&ctx->hs->session_key, KSSP_KU_KRB_CRED_ENC_PART,
		    cred.enc_part.etype, cred.enc_part.cipher.data, cred.enc_part.cipher.len,
		    "KRB-CRED", &plain, &plen);
	if (!e)
		e = kssp_krb5_decode_enc_krb_cred_part(plain, plen, &s->arena, &part);
	if (!e && (part.ticket_info_len != 1 || !part.ticket_info[0].has_pname ||
	    !part.ticket_info[0].has_sname))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "KRB-CRED: credential info incomplete");
	if (e)
		goto out;
	info = &part.ticket_info[0];
	c = kssp_calloc(1, sizeof(*c));
	if (!c) {
		e = kssp_fail(KSSP_ERR_NOMEM, "KRB-CRED: out of memory");
		goto out;
	}
	ctx->delegated = c;
	c->keytype = info->key.keytype;
	c->authtime = info->has_authtime ? info->authtime : 0;
	c->starttime = info->has_starttime ? info->starttime : 0;
	c->endtime = info->has_endtime ? info->endtime : 0;
	c->renew_till = info->has_renew_till ? info->renew_till : 0;
	c->ticket_flags = info->has_flags ? info->flags : 0;
	e = kssp_cred_data_set(&c->keyvalue, info->key.keyvalue.data, info->key.keyvalue.len);
	if (!e)
		e = kssp_cred_data_set(&c->ticket, cred.tickets[0].der.data, cred.tickets[0].der.len);
	if (!e)
		e = kssp_ctx_principal_from_asn1(&info->pname, &info->prealm, &c->client);
	if (!e)
		e = kssp_ctx_principal_from_asn1(&info->sname, &info->srealm, &c->server);
out:
	kssp_free_secret(plain, plen);
	return e;
}

/*
 * The 0x8003 checksum (RFC 4121 §4.1.1): Lgth 16, Bnd, Flags, and with
 * DELEG the DlgOpt 1, Dlgth and KRB-CRED.  Extensions after it are ignored.
 */
static kssp_err check_gss_checksum(struct kssp_ctx *ctx, struct accept_state *s,
    const struct kssp_ctx_accept_params *p)
{
	static const uint8_t zero[16];
	struct kssp_cursor c;
	uint8_t bnd[16], want[16];
	uint32_t lgth, flags;
	uint16_t dlgopt, dlgth;
	const uint8_t *deleg;
	kssp_err e;

	if (!s->auth.has_cksum || s->auth.cksum.cksumtype != KSSP_CKSUMTYPE_GSSAPI)
		return kssp_fail(KRB_AP_ERR_INAPP_CKSUM,
		    "authenticator: no GSS checksum (type 0x8003)");
	kssp_cursor_init(&c, s->auth.cksum.checksum.data, s->auth.cksum.checksum.len);
	if (kssp_cursor_read_le32(&c, &lgth) == KSSP_OK && lgth != 16)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "GSS checksum: Lgth %u, expected 16", lgth);
	kssp_cursor_read_bytes(&c, bnd, sizeof(bnd));
	if ((e = kssp_cursor_read_le32(&c, &flags)))
		return e;
	if (p->bindings && !kssp_ct_equal(bnd, zero, sizeof(bnd))) {
		kssp_ctx_channel_bindings_hash(p->bindings, want);
		if (!kssp_ct_equal(bnd, want, sizeof(want)))
			return kssp_fail(KSSP_ERR_BAD_BINDINGS,
			    "GSS checksum: channel bindings differ from the acceptor's");
	}
	/* The clear ap-options must agree with the sealed flags (RFC 4121
	 * §4.1.1: mutual-required is set exactly when MUTUAL is asked). */
	if (!(flags & KSSP_GSS_MUTUAL) != !(s->req.ap_options & KSSP_AP_OPT_MUTUAL_REQUIRED))
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "AP-REQ: ap-options mutual-required disagrees with the checksum's flags");
	ctx->flags = (flags & KSSP_CTX_KNOWN_FLAGS & ~KSSP_GSS_DELEG) | KSSP_CTX_ALWAYS_FLAGS;
	if (!(flags & KSSP_GSS_DELEG))
		return KSSP_OK;
	if (kssp_cursor_read_le16(&c, &dlgopt) == KSSP_OK && dlgopt != 1)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "GSS checksum: DlgOpt %u, expected 1", dlgopt);
	kssp_cursor_read_le16(&c, &dlgth);
	if ((e = kssp_cursor_take(&c, dlgth, &deleg)) ||
	    (e = take_delegation(ctx, s, deleg, dlgth)))
		return e;
	ctx->flags |= KSSP_GSS_DELEG;
	return KSSP_OK;
}

/*
 * The PAC of the ticket's EncTicketPart (MS-KILE 3.4.5.3; never the
 * authenticator's authorization-data, which the client writes), parsed and
 * verified (MS-PAC 2.8.1, 2.7).  None: nothing to keep.  One that fails
 * to parse or verify, or a second one, refuses the AP-REQ: Windows fails
 * the logon when a PAC does not verify (MS-APDS 3.2.5.4: the server
 * treats any failure as STATUS_LOGON_FAILURE); sspi/status.c maps the
 * codes.  A malformed PAC is KRB_AP_ERR_MODIFIED: the ticket's key sealed
 * it, so it is not ours to call a bad token.
 */
static kssp_err take_pac(struct kssp_ctx *ctx, struct accept_state *s)
{
	struct kssp_pac pac;
	const uint8_t *data;
	size_t len;
	kssp_err e = kssp_pac_find(s->tkt.authorization_data, s->tkt.authorization_data_len,
	    &s->arena, &data, &len);

	if (e == KSSP_ERR_NOT_FOUND)
		return KSSP_OK;
	if (e)
		return e;
	e = kssp_pac_parse(data, len, &pac);
	if (!e)
		e = kssp_pac_verify(&pac, &s->service_key, ctx->client, s->tkt.authtime);
	kssp_pac_free(&pac);
	/*
	 * MS-APDS 3.2.5.4: a PAC that does not parse or verify denies the
	 * logon (SEC_E_LOGON_DENIED), whatever the parser or verifier named;
	 * KRB_AP_ERR_BADMATCH (another client) already maps there.
	 */
	if (e && e != KSSP_ERR_NOMEM && e != KRB_AP_ERR_BADMATCH)
		return kssp_fail_recode(KRB_AP_ERR_MODIFIED);
	if (e)
		return e;
	/* Only the bytes are kept: an idle context stays small (docs/performance.md). */
	ctx->pac = kssp_malloc(len);
	if (!ctx->pac)
		return kssp_fail(KSSP_ERR_NOMEM, "PAC: out of memory");
	memcpy(ctx->pac, data, len);
	ctx->pac_len = len;
	return KSSP_OK;
}

/*
 * The ticket accepted, as a credential of its client to this service: the
 * evidence ticket of S4U2Proxy (MS-SFU §3.1.5.2.1), whose flags tell the
 * KDC's rules apart (only a forwardable one serves constrained delegation
 * by msDS-AllowedToDelegateTo).
 */
static kssp_err keep_evidence(struct kssp_ctx *ctx, const struct accept_state *s)
{
	struct kssp_cred *c = kssp_calloc(1, sizeof(*c));
	kssp_err e;

	if (!c)
		return kssp_fail(KSSP_ERR_NOMEM, "accept: out of memory");
	ctx->evidence = c;
	c->keytype = ctx->hs->session_key.enctype;
	c->authtime = s->tkt.authtime;
	c->starttime = s->tkt.has_starttime ? s->tkt.starttime : 0;
	c->endtime = s->tkt.endtime;
	c->renew_till = s->tkt.has_renew_till ? s->tkt.renew_till : 0;
	c->ticket_flags = s->tkt.flags;
	e = kssp_cred_data_set(&c->keyvalue, ctx->hs->session_key.contents,
	    ctx->hs->session_key.length);
	if (!e)
		e = kssp_cred_data_set(&c->ticket, s->req.ticket.der.data, s->req.ticket.der.len);
	if (!e)
		e = kssp_principal_copy(ctx->client, &c->client);
	if (!e)
		e = kssp_principal_copy(ctx->server, &c->server);
	return e;
}

kssp_err kssp_ctx_pac(const struct kssp_ctx *ctx, struct kssp_pac *out)
{
	kssp_err e;

	memset(out, 0, sizeof(*out));
	kssp_arena_init(&out->arena);
	if (!ctx->pac)
		return KSSP_ERR_NOT_FOUND;
	e = kssp_pac_parse(ctx->pac, ctx->pac_len, out);
	/* Verified when the context was accepted (take_pac). */
	out->server_signature_verified = e == KSSP_OK;
	return e;
}

/* ---- answers ------------------------------------------------------------ */

/* AP-REP with our subkey and initial number (RFC 4121 §4.1.2, usage 12). */
static kssp_err make_ap_rep(struct kssp_ctx *ctx, uint8_t **reply, size_t *reply_len)
{
	struct kssp_enc_ap_rep_part part;

	memset(&part, 0, sizeof(part));
	part.ctime = ctx->ctime;
	part.cusec = ctx->hs->cusec;
	if (ctx->hs->acceptor_subkey.enctype) {
		part.has_subkey = true;
		part.subkey.keytype = ctx->hs->acceptor_subkey.enctype;
		part.subkey.keyvalue.data = ctx->hs->acceptor_subkey.contents;
		part.subkey.keyvalue.len = ctx->hs->acceptor_subkey.length;
	}
	part.has_seq_number = true;
	part.seq_number = ctx->acceptor_seq;
	return kssp_ctx_seal_ap_rep(ctx, &part, reply, reply_len);
}

/* A KRB-ERROR token for code (RFC 4121 §4.1, TOK_ID 03 00). */
static void make_error_token(const struct accept_state *s, kssp_err code, uint8_t **reply,
    size_t *reply_len)
{
	static const struct kssp_der_bytes empty_comp = { (const uint8_t *)"", 0 };
	struct kssp_krb_error err;
	struct kssp_writer w;
	kssp_err e;

	memset(&err, 0, sizeof(err));
	err.pvno = KSSP_KRB5_PVNO;
	err.msg_type = KSSP_KRB5_ERROR;
	err.stime = s->now.sec;
	err.susec = s->now.usec;
	err.error_code = (int32_t)code;
	if (s->req.ticket.sname.name_string) {
		err.realm = s->req.ticket.realm;
		err.sname = s->req.ticket.sname;
	} else {
		err.realm = empty_comp;
		err.sname.name_string = (struct kssp_der_bytes *)(uintptr_t)&empty_comp;
		err.sname.name_string_len = 1;
	}
	if (s->auth.ctime) {
		err.has_ctime = err.has_cusec = true;
		err.ctime = s->auth.ctime;
		err.cusec = s->auth.cusec;
	}
	kssp_writer_init_growable(&w, 0);
	e = kssp_krb5_encode_krb_error(&err, &w);
	if (!e)
		e = kssp_ctx_frame(KSSP_TOK_KRB_ERROR, w.buf, w.len, reply, reply_len);
	if (e) {
		*reply = NULL;
		*reply_len = 0;
	}
	kssp_writer_free(&w);
}

/* ---- the acceptor ------------------------------------------------------- */

static kssp_err decode_ap_req(struct accept_state *s, const struct kssp_ctx_accept_params *p,
    const uint8_t *token, size_t len)
{
	const uint8_t *inner = token;
	size_t ilen = len;
	uint16_t tok_id = KSSP_TOK_AP_REQ;
	kssp_err e = KSSP_OK;

	/* MS-KILE 3.4.5.1: a DCE-style initiator sends the AP-REQ bare. */
	s->bare = len > 0 && token[0] == KSSP_DER_AP_REQ_TAG;
	if (!s->bare)
		e = kssp_ctx_unframe(token, len, &tok_id, &inner, &ilen);
	if (!e && tok_id != KSSP_TOK_AP_REQ)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "GSS context token: TOK_ID %04x, not AP-REQ",
		    tok_id);
	if (!e)
		e = kssp_krb5_decode_ap_req(inner, ilen, &s->arena, &s->req);
	if (!e && (s->req.pvno != KSSP_KRB5_PVNO || s->req.msg_type != KSSP_KRB5_AP_REQ))
		e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "AP-REQ: pvno %d, msg-type %d", s->req.pvno,
		    s->req.msg_type);
	/* RFC 4120 §5.5.1 defines no other option: a set reserved bit is a
	 * change in transit (ap-options travel in the clear). */
	if (!e && (s->req.ap_options & ~(KSSP_AP_OPT_USE_SESSION_KEY |
	    KSSP_AP_OPT_MUTUAL_REQUIRED)))
		e = kssp_fail(KRB_AP_ERR_MODIFIED, "AP-REQ: reserved ap-options bits %08x set",
		    s->req.ap_options);
	if (!e && s->req.ticket.tkt_vno != KSSP_KRB5_PVNO)
		e = kssp_fail(KRB_AP_ERR_BADVERSION, "AP-REQ: tkt-vno %d", s->req.ticket.tkt_vno);
	if (!e)
		e = kssp_ctx_principal_from_asn1(&s->req.ticket.sname, &s->req.ticket.realm,
		    &s->sname);
	/*
	 * An acceptor with a TGT only takes user-to-user tickets, and only it
	 * can; the first refusal goes back as a KRB-ERROR, as Windows' server
	 * answers a plain AP-REQ when it requires user-to-user.
	 */
	if (!e && p->tgt && !(s->req.ap_options & KSSP_AP_OPT_USE_SESSION_KEY))
		e = kssp_fail(KRB_AP_ERR_USER_TO_USER_REQUIRED,
		    "AP-REQ: without use-session-key, and this acceptor holds a TGT, no keys");
	if (!e && !p->tgt && (s->req.ap_options & KSSP_AP_OPT_USE_SESSION_KEY))
		e = kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "AP-REQ: user-to-user (use-session-key), and this acceptor holds no TGT");
	return e;
}

/*
 * RFC 4537 §3: the initiator's EtypeList from AD-ETYPE-NEGOTIATION, found
 * inside AD-IF-RELEVANT (or, as MIT also reads it, bare), into s->offered
 * followed by its subkey's and the session key's enctypes (which RFC 4537
 * lets the acceptor keep, as MIT's rd_req does).
 */
static kssp_err read_offered_etypes(struct kssp_ctx *ctx, struct accept_state *s)
{
	const struct kssp_authdata *ad = NULL;
	struct kssp_authorization_data rel;
	struct kssp_etype_list el;
	size_t i, j;
	kssp_err e;

	s->n_offered = 0;
	for (i = 0; i < s->auth.authorization_data_len && !ad; i++) {
		const struct kssp_authdata *a = &s->auth.authorization_data[i];

		if (a->ad_type == KSSP_AD_ETYPE_NEGOTIATION)
			ad = a;
		if (a->ad_type != KSSP_AD_IF_RELEVANT)
			continue;
		/* Elements "if relevant" may be ignored: an undecodable container too, as MIT does. */
		if (kssp_krb5_decode_ad_if_relevant(a->ad_data.data, a->ad_data.len, &s->arena,
		    &rel) != KSSP_OK) {
			kssp_clear_failure();
			continue;
		}
		for (j = 0; j < rel.elements_len && !ad; j++)
			if (rel.elements[j].ad_type == KSSP_AD_ETYPE_NEGOTIATION)
				ad = &rel.elements[j];
	}
	if (ad) {
		e = kssp_krb5_decode_etype_list(ad->ad_data.data, ad->ad_data.len, &s->arena, &el);
		if (e)
			return e;
		for (i = 0; i < el.etypes_len && s->n_offered < KSSP_ETYPE_LIST_MAX; i++)
			s->offered[s->n_offered++] = el.etypes[i];
		kssp_trace(ctx->hooks, "context: the initiator offers %zu enctypes (RFC 4537)",
		    el.etypes_len);
	}
	if (ctx->hs->subkey.enctype)
		s->offered[s->n_offered++] = ctx->hs->subkey.enctype;
	s->offered[s->n_offered++] = ctx->hs->session_key.enctype;
	return KSSP_OK;
}

/* The enctype of the initiator's subkey, else of the session key (RFC 4121 §2). */
static int32_t initiator_enctype(const struct kssp_ctx *ctx)
{
	return ctx->hs->subkey.enctype ? ctx->hs->subkey.enctype : ctx->hs->session_key.enctype;
}

/*
 * The acceptor subkey's enctype: the first of ours the initiator offered
 * (RFC 4537 §3, the order of MIT's negotiate_etype), or, with no list of
 * ours or none in common, the initiator subkey's (RFC 4121 §2).
 */
static int32_t negotiate_etype(const struct kssp_ctx *ctx, const struct accept_state *s,
    const struct kssp_ctx_accept_params *p)
{
	size_t i, j;

	for (j = 0; j < p->n_etypes && p->etypes; j++)
		for (i = 0; i < s->n_offered; i++)
			if (s->offered[i] == p->etypes[j] && kssp_crypto_profile(p->etypes[j]))
				return p->etypes[j];
	return initiator_enctype(ctx);
}

/* The acceptor's subkey and number, or the initiator's number without mutual. */
static kssp_err choose_acceptor_keys(struct kssp_ctx *ctx, const struct accept_state *s,
    const struct kssp_ctx_accept_params *p)
{
	int32_t et = negotiate_etype(ctx, s, p);
	kssp_err e;

	if (!(ctx->flags & KSSP_GSS_MUTUAL)) {
		ctx->acceptor_seq = ctx->initiator_seq;
		return KSSP_OK;
	}
	e = kssp_ctx_random_seq(ctx, &ctx->acceptor_seq);
	/* RFC 4121 §2 acceptor subkey; none for arcfour-hmac, so that RFC 4757
	 * tokens stay in use as with MIT's acceptor (unless DCE style). */
	if (!e && (et != KSSP_ENCTYPE_ARCFOUR_HMAC || (ctx->flags & KSSP_GSS_DCE_STYLE)))
		e = kssp_crypto_random_key(ctx->hooks, et, &ctx->hs->acceptor_subkey);
	if (!e && et != initiator_enctype(ctx))
		kssp_trace(ctx->hooks, "context: acceptor subkey of enctype %d negotiated (RFC 4537)",
		    (int)et);
	return e;
}

static void trace_ticket(const struct kssp_ctx *ctx, const struct accept_state *s)
{
	const struct kssp_encrypted_data *ed = &s->req.ticket.enc_part;
	char what[160];

	if (!ctx->hooks || !ctx->hooks->trace)
		return;
	snprintf(what, sizeof(what), "context: ticket for %%s%%s opened with %s "
	    "(kvno %u, enctype %d)", ctx->u2u ? "our TGT's session key" : "the keytab's key",
	    ed->has_kvno ? (unsigned)ed->kvno : 0u, (int)ed->etype);
	kssp_ctx_trace_names(ctx, what, s->sname, NULL);
}

static kssp_err accept_checked(struct kssp_ctx *ctx, struct accept_state *s,
    const struct kssp_ctx_accept_params *p)
{
	kssp_err e = decrypt_ticket(s, p);

	if (!e)
		trace_ticket(ctx, s);
	if (!e)
		e = check_ticket_times(s);
	if (!e)
		e = kssp_ctx_key_from_asn1(&s->tkt.key, &ctx->hs->session_key);
	if (!e)
		e = decrypt_authenticator(s, &ctx->hs->session_key);
	if (!e)
		e = check_replay(ctx, s, p);
	if (!e)
		e = check_gss_checksum(ctx, s, p);
	/* Only DCE-style initiators send the AP-REQ bare (MS-KILE 3.4.5.1; MIT refuses the mix). */
	if (!e && s->bare != !!(ctx->flags & KSSP_GSS_DCE_STYLE))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, s->bare ?
		    "AP-REQ: bare (DCE style) but the checksum's flags do not ask for DCE style" :
		    "AP-REQ: the checksum asks for DCE style but the AP-REQ is framed");
	if (!e && s->auth.has_subkey)
		e = kssp_ctx_key_from_asn1(&s->auth.subkey, &ctx->hs->subkey);
	if (!e)
		e = read_offered_etypes(ctx, s);
	if (e)
		return e;
	/* DCE style implies mutual authentication (MS-KILE 3.4.5.1; MIT). */
	if (ctx->flags & KSSP_GSS_DCE_STYLE)
		ctx->flags |= KSSP_GSS_MUTUAL;
	ctx->initiator_seq = s->auth.has_seq_number ? s->auth.seq_number : 0;
	ctx->ctime = s->auth.ctime;
	ctx->hs->cusec = s->auth.cusec;
	ctx->endtime = s->tkt.endtime;
	e = kssp_ctx_principal_from_asn1(&s->tkt.cname, &s->tkt.crealm, &ctx->client);
	if (!e)
		e = take_pac(ctx, s);
	if (!e)
		e = kssp_principal_copy(s->sname, &ctx->server);
	/* A forwarded TGT serves better than evidence: nothing more to keep. */
	if (!e && p->keep_evidence && !ctx->delegated)
		e = keep_evidence(ctx, s);
	if (!e)
		e = choose_acceptor_keys(ctx, s, p);
	return e;
}

kssp_err kssp_ctx_accept(struct kssp_ctx *ctx, const struct kssp_ctx_accept_params *p,
    const uint8_t *token, size_t len, uint8_t **reply, size_t *reply_len)
{
	struct accept_state s;
	kssp_err e;

	*reply = NULL;
	*reply_len = 0;
	if (!p || (!p->keytab && !p->tgt))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "accept: a keytab or a TGT is needed");
	kssp_ctx_clear(ctx);
	ctx->u2u = p->tgt != NULL;
	memset(&s, 0, sizeof(s));
	kssp_arena_init(&s.arena);
	s.skew = p->skew > 0 ? p->skew : KSSP_CTX_DEFAULT_SKEW;
	e = kssp_ctx_handshake_new(ctx);
	if (!e)
		e = kssp_ctx_now(ctx, 0, &s.now);
	if (!e)
		e = decode_ap_req(&s, p, token, len);
	if (!e)
		e = accept_checked(ctx, &s, p);
	if (!e && (ctx->flags & KSSP_GSS_MUTUAL))
		e = make_ap_rep(ctx, reply, reply_len);
	if (!e)
		e = kssp_ctx_establish(ctx);
	/* MS-KILE 3.4.5.1: a DCE-style context waits for the initiator's AP-REP. */
	if (!e && (ctx->flags & KSSP_GSS_DCE_STYLE))
		ctx->state = KSSP_CTX_WAIT_DCE_AP_REP;
	if (e) {
		kssp_free(*reply);
		*reply = NULL;
		*reply_len = 0;
		/*
		 * Protocol errors go back to the peer; the reason stays ours.
		 * Different channel bindings travel as KRB_AP_ERR_BADADDR, as
		 * MIT's acceptor sends them (RFC 4121 names no code).
		 */
		kssp_trace(ctx->hooks, "context: AP-REQ refused: %s", kssp_last_reason());
		if ((e < KSSP_ERR_OWN_BASE || e == KSSP_ERR_BAD_BINDINGS) && s.sname) {
			struct kssp_failure f;

			kssp_failure_save(&f);
			make_error_token(&s, e == KSSP_ERR_BAD_BINDINGS ? KRB_AP_ERR_BADADDR : e, reply,
			    reply_len);
			kssp_failure_restore(&f);
		}
		kssp_ctx_clear(ctx);
		ctx->state = KSSP_CTX_FAILED;
	}
	accept_state_free(&s);
	return e;
}

kssp_err kssp_ctx_accept_dce_reply(struct kssp_ctx *ctx, const uint8_t *token, size_t len)
{
	struct kssp_enc_ap_rep_part part;
	struct kssp_arena arena;
	uint8_t *plain = NULL;
	size_t plen = 0;
	kssp_err e;

	if (ctx->state != KSSP_CTX_WAIT_DCE_AP_REP)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "accept: no DCE-style AP-REP is expected");
	kssp_arena_init(&arena);
	e = kssp_ctx_open_ap_rep(ctx, token, len, &arena, &part, &plain, &plen);
	/* MIT's krb5_rd_rep_dce: our number echoed, no subkey (nothing to echo back). */
	if (!e && (!part.has_seq_number || part.seq_number != ctx->acceptor_seq))
		e = kssp_fail(KRB_AP_ERR_MUT_FAIL,
		    "DCE-style AP-REP: sequence number %u does not echo ours %u",
		    part.has_seq_number ? (unsigned)part.seq_number : 0u, (unsigned)ctx->acceptor_seq);
	if (!e && part.has_subkey)
		e = kssp_fail(KRB_AP_ERR_MUT_FAIL, "DCE-style AP-REP: the initiator's carries a subkey");
	kssp_free_secret(plain, plen);
	kssp_arena_free(&arena);
	if (e) {
		kssp_trace(ctx->hooks, "context: DCE-style AP-REP refused: %s", kssp_last_reason());
		kssp_ctx_clear(ctx);
		ctx->state = KSSP_CTX_FAILED;
		return e;
	}
	ctx->state = KSSP_CTX_ESTABLISHED;
	kssp_ctx_handshake_free(ctx);
	kssp_trace(ctx->hooks, "context: DCE-style AP-REP checked: %zu bytes", len);
	return KSSP_OK;
}
