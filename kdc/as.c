/*
 * kdc/as.c - the AS exchange (RFC 4120 §3.1): request, pre-authentication
 * with PA-ENC-TIMESTAMP from ETYPE-INFO2 hints, clock-skew and master-KDC
 * retries, and the verification of the reply before any of it is used.
 */
#include "kdc/as_int.h"

#include <stdio.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "crypto/crypto.h"
#include "kdc/exchange_int.h"
#include "kdc/fast_int.h"
#include "kdc/locate_int.h"
#include "kdc/transport_int.h"

/* A salt from the network longer than this is refused (MIT salts are short). */
#define AS_MAX_SALT 1024
/* Preauth, skew, master and referral retries bound the rounds of one exchange. */
#define AS_MAX_ROUNDS 9
/* RFC 6806 §7: client referrals (KDC_ERR_WRONG_REALM) followed at most this often. */
#define AS_MAX_REFERRALS 2

struct as_state {
	struct kssp_kdc_ctx *ctx;
	const struct kssp_as_opts *o;
	char *realm;                   /* the realm asked (owned): the client's, or a referral's */
	const char *kdc_realm;         /* whose KDCs are asked: realm, or the default realm */
	struct kssp_principal *server; /* owned */
	int32_t etypes[KDC_MAX_ETYPES];
	size_t n_etypes;
	uint32_t options;
	bool canonicalize;
	struct kssp_key key;           /* the reply key, once known */
	uint32_t nonce;
	int64_t now, till, rtime;
	uint8_t *req;                  /* the last request sent */
	size_t req_len;
	bool skew_done, master_done, preauth_sent, use_master;
	int referrals;
	struct kssp_fast fast;         /* the armor, when armoring */
	bool challenge;                /* the KDC offered PA-ENCRYPTED-CHALLENGE */
	bool challenge_sent;           /* the last request carried ours */
	bool fx_fast_offered;          /* an unarmored KDC listed PA-FX-FAST */
};

void kssp_as_opts_init(struct kssp_as_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->forwardable = -1;
	o->proxiable = -1;
	o->canonicalize = -1;
}

static bool opt_or(int v, bool config)
{
	return v < 0 ? config : v != 0;
}

/* ---- setting up ------------------------------------------------------ */

/* With a keytab, only the enctypes it holds a key for are asked (as MIT). */
static kssp_err choose_etypes(struct as_state *st)
{
	const struct kssp_as_opts *o = st->o;
	int32_t all[KDC_MAX_ETYPES];
	size_t n, i;

	if (o->etypes) {
		n = o->n_etypes < KDC_MAX_ETYPES ? o->n_etypes : KDC_MAX_ETYPES;
		memcpy(all, o->etypes, n * sizeof(all[0]));
	} else {
		n = kssp_config_tkt_enctypes(st->ctx->cfg, all, KDC_MAX_ETYPES);
	}
	for (i = 0; i < n; i++) {
		const struct kssp_keytab_entry *ent;

		if (!kssp_crypto_profile(all[i]))
			continue;
		if (!o->password && kssp_keytab_find(o->keytab, o->client, all[i], 0, &ent))
			continue;
		st->etypes[st->n_etypes++] = all[i];
	}
	if (st->n_etypes == 0)
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "AS-REQ: no usable enctype%s",
		    o->password ? "" : " with a key in the keytab");
	kssp_clear_failure();
	return KSSP_OK;
}

/* The realm asked and, unless the caller named a server, its krbtgt. */
static kssp_err set_realm(struct as_state *st, const char *realm, size_t len)
{
	char *r = kssp_malloc(len + 1);

	if (!r)
		return kssp_fail(KSSP_ERR_NOMEM, "AS-REQ: out of memory");
	memcpy(r, realm, len);
	r[len] = '\0';
	kssp_free(st->realm);
	st->realm = r;
	st->kdc_realm = r;
	if (st->o->server)
		return KSSP_OK;
	kssp_principal_free(st->server);
	st->server = NULL;
	return kssp_kdc_krbtgt(r, r, &st->server);
}

static kssp_err setup(struct as_state *st)
{
	const struct kssp_as_opts *o = st->o;
	const struct kssp_config *cfg = st->ctx->cfg;
	int64_t lifetime = o->lifetime > 0 ? o->lifetime : kssp_config_ticket_lifetime(cfg);
	int64_t renew = o->renew_lifetime ? o->renew_lifetime : kssp_config_renew_lifetime(cfg);
	struct kssp_time now;
	kssp_err e;

	if (!o->client || o->client->realm.length == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "AS-REQ: the client has no realm");
	if (!o->password && !o->keytab)
		return kssp_fail(KSSP_ERR_NO_CREDENTIALS, "AS-REQ: neither a password nor a keytab");
	e = o->server ? kssp_principal_copy(o->server, &st->server) : KSSP_OK;
	if (e || (e = set_realm(st, o->client->realm.data, o->client->realm.length)) || (e = choose_etypes(st)) || (e = kssp_kdc_now(st->ctx, &now)))
		return e;
	st->now = now.sec;
	st->till = now.sec + lifetime;
	if (opt_or(o->forwardable, kssp_config_forwardable(cfg)))
		st->options |= KDC_OPT_FORWARDABLE;
	if (opt_or(o->proxiable, kssp_config_proxiable(cfg)))
		st->options |= KDC_OPT_PROXIABLE;
	/* RFC 6806 §5: an enterprise name is resolved by the KDC, so always canonicalized. */
	st->canonicalize = opt_or(o->canonicalize, kssp_config_canonicalize(cfg)) ||
	    o->client->name_type == KSSP_NT_ENTERPRISE;
	if (st->canonicalize)
		st->options |= KDC_OPT_CANONICALIZE;
	if (renew > 0) {
		st->options |= KDC_OPT_RENEWABLE;
		st->rtime = now.sec + renew;
	}
	if (o->armor) {
		kssp_trace(st->ctx->hooks, "AS: armoring with FAST (RFC 6113)");
		return kssp_fast_armor_explicit(st->ctx, o->armor, &st->fast);
	}
	if (o->require_fast)
		return kssp_fail(KSSP_ERR_NO_CREDENTIALS,
		    "AS-REQ: FAST armor is required for realm %s but no armor credential is "
		    "configured (kssp kinit -T ARMOR_CCACHE or --armor-keytab KEYTAB; "
		    "ArmorCcache or ArmorKeytab in KSSP_AUTH_DATA)", st->realm);
	return KSSP_OK;
}

/* ---- the client key --------------------------------------------------- */

static kssp_err key_from_keytab(struct as_state *st, int32_t etype)
{
	const struct kssp_keytab_entry *ent;
	kssp_err e = kssp_keytab_find(st->o->keytab, st->o->client, etype, 0, &ent);

	if (e)
		return e;
	kssp_crypto_key_clear(&st->key);
	return kssp_crypto_key_init(&st->key, etype, ent->key, ent->key_len);
}

/* RFC 4120 §3.1.3: the salt and s2kparams a KDC sent, else the default salt. */
static kssp_err key_from_password(struct as_state *st, int32_t etype,
    const struct kssp_der_bytes *salt, const struct kssp_der_bytes *params)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, AS_MAX_SALT + 1);
	if (salt && salt->data)
		kssp_writer_put_bytes(&w, salt->data, salt->len);
	else
		kssp_principal_salt(st->o->client, KSSP_SALT_STANDARD, &w);
	if ((e = kssp_writer_status(&w))) {
		kssp_writer_free(&w);
		return kssp_fail(e == KSSP_ERR_LIMIT ? KSSP_ERR_LIMIT : e,
		    "AS: salt longer than %d bytes", AS_MAX_SALT);
	}
	kssp_crypto_key_clear(&st->key);
	if (etype == KSSP_ENCTYPE_ARCFOUR_HMAC)
		e = kssp_crypto_string_to_key(etype, st->o->password, st->o->password_len, NULL, 0,
		    NULL, 0, &st->key);
	else
		e = kssp_crypto_string_to_key(etype, st->o->password, st->o->password_len, w.buf,
		    w.len, params && params->data ? params->data : NULL,
		    params && params->data ? params->len : 0, &st->key);
	kssp_writer_free(&w);
	if (e)
		return kssp_fail(e, "AS: client key for enctype %d: %s", (int)etype,
		    kssp_last_reason());
	return KSSP_OK;
}

/* The hints of one PA-DATA list, for the enctype chosen. */
struct hint {
	int32_t etype;                  /* 0: none chosen */
	struct kssp_der_bytes salt;     /* data NULL: default */
	struct kssp_der_bytes s2kparams;
	const char *source;
};

/*
 * Picks, from ETYPE-INFO2 (then ETYPE-INFO, then PW-SALT), the first entry
 * the KDC listed whose enctype was requested (MIT's rule); want != 0
 * restricts it to that enctype.  Nothing outside the request is taken: an
 * unauthenticated error cannot make us use a weaker enctype.
 */
static kssp_err read_hints(struct as_state *st, const struct kssp_pa_data *pa, size_t n,
    int32_t want, struct kssp_arena *a, struct hint *h)
{
	size_t i, k;
	kssp_err e;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < n && !h->etype; i++) {
		if (pa[i].padata_type == PA_ETYPE_INFO2) {
			struct kssp_etype_info2 info;

			if ((e = kssp_krb5_decode_etype_info2(pa[i].padata_value.data,
			    pa[i].padata_value.len, a, &info)))
				return kssp_fail(e, "AS: PA-ETYPE-INFO2: %s", kssp_last_reason());
			for (k = 0; k < info.entries_len && !h->etype; k++) {
				const struct kssp_etype_info2_entry *en = &info.entries[k];

				if (!kssp_kdc_etype_in(en->etype, st->etypes, st->n_etypes) ||
				    (want && en->etype != want))
					continue;
				h->etype = en->etype;
				h->salt = en->salt;
				h->s2kparams = en->s2kparams;
				h->source = "ETYPE-INFO2";
			}
		}
	}
	for (i = 0; i < n && !h->etype; i++) {
		if (pa[i].padata_type == PA_ETYPE_INFO) {
			struct kssp_etype_info info;

			if ((e = kssp_krb5_decode_etype_info(pa[i].padata_value.data,
			    pa[i].padata_value.len, a, &info)))
				return kssp_fail(e, "AS: PA-ETYPE-INFO: %s", kssp_last_reason());
			for (k = 0; k < info.entries_len && !h->etype; k++) {
				if (!kssp_kdc_etype_in(info.entries[k].etype, st->etypes, st->n_etypes) ||
				    (want && info.entries[k].etype != want))
					continue;
				h->etype = info.entries[k].etype;
				h->salt = info.entries[k].salt;
				h->source = "ETYPE-INFO";
			}
		}
	}
	for (i = 0; i < n; i++)
		if (pa[i].padata_type == PA_PW_SALT && !h->salt.data) {
			h->salt = pa[i].padata_value;
			if (!h->source)
				h->source = "PW-SALT";
		}
	return KSSP_OK;
}

static kssp_err set_key(struct as_state *st, const struct hint *h, int32_t etype)
{
	kssp_trace(st->ctx->hooks, "AS: client key: enctype %d (%s), salt from %s, %s s2kparams",
	    (int)etype, kssp_crypto_enctype_name(etype) ? kssp_crypto_enctype_name(etype) : "?",
	    h->salt.data ? h->source : "the principal name",
	    h->s2kparams.data ? "KDC's" : "default");
	if (!st->o->password)
		return key_from_keytab(st, etype);
	return key_from_password(st, etype, &h->salt, &h->s2kparams);
}

/* ---- the request ------------------------------------------------------ */

static kssp_err encode_request(struct as_state *st, struct kssp_arena *a)
{
	static const uint8_t pac_request[] = { 0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff };
	struct kssp_kdc_req req;
	struct kssp_kdc_req_body *b = &req.req_body;
	struct kssp_pa_data *pa = kssp_arena_alloc(a, 3 * sizeof(*pa));
	struct kssp_writer w;
	size_t npa = 0;
	kssp_err e;

	if (!pa)
		return kssp_fail(KSSP_ERR_NOMEM, "AS-REQ: out of memory");
	memset(&req, 0, sizeof(req));
	req.pvno = KSSP_KRB5_PVNO;
	req.msg_type = KSSP_KRB5_AS_REQ;
	if (st->key.enctype) {
		/* RFC 6113 §5.4.6: under FAST, the encrypted challenge when offered. */
		st->challenge_sent = st->challenge && kssp_fast_active(&st->fast);
		if (st->challenge_sent)
			e = kssp_fast_client_challenge(st->ctx, &st->fast, &st->key, a, &pa[npa++]);
		else
			e = kssp_kdc_enc_timestamp(st->ctx, &st->key, KSSP_KU_PA_ENC_TIMESTAMP,
			    PA_ENC_TIMESTAMP, a, &pa[npa++]);
		if (e)
			return e;
		st->preauth_sent = true;
	}
	/* MS-KILE §2.2.3 KERB-PA-PAC-REQUEST { include-pac TRUE } */
	pa[npa].padata_type = PA_PAC_REQUEST;
	pa[npa].padata_value.data = pac_request;
	pa[npa++].padata_value.len = sizeof(pac_request);
	/* RFC 6806 §11: ask the KDC to checksum this request in the reply. */
	pa[npa].padata_type = PA_REQ_ENC_PA_REP;
	pa[npa].padata_value.data = pac_request;
	pa[npa++].padata_value.len = 0;
	req.padata = pa;
	req.padata_len = npa;
	b->kdc_options = st->options;
	b->has_cname = true;
	if ((e = kssp_kdc_name(a, st->o->client, &b->cname)))
		return e;
	b->realm.data = (const uint8_t *)st->realm;
	b->realm.len = strlen(st->realm);
	b->has_sname = true;
	if ((e = kssp_kdc_name(a, st->server, &b->sname)))
		return e;
	b->till = st->till;
	if (st->rtime) {
		b->has_rtime = true;
		b->rtime = st->rtime;
	}
	if ((e = kssp_kdc_nonce(st->ctx, &st->nonce)))
		return e;
	b->nonce = st->nonce;
	b->etype = st->etypes;
	b->etype_len = st->n_etypes;
	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	if (kssp_fast_active(&st->fast))
		e = kssp_fast_wrap(st->ctx, &st->fast, &req, NULL, 0, NULL, 0, &w);
	else
		e = kssp_krb5_encode_as_req(&req, &w);
	if (e) {
		kssp_writer_free(&w);
		return kssp_fail(e, "AS-REQ: cannot encode: %s", kssp_last_reason());
	}
	kssp_free(st->req);
	st->req = NULL;
	return kssp_writer_detach(&w, &st->req, &st->req_len);
}

/* ---- the reply ------------------------------------------------------- */

/* RFC 6806 §11: PA-REQ-ENC-PA-REP, a checksum of our request under the reply key. */
static kssp_err check_enc_pa_rep(struct as_state *st, struct kssp_key *reply_key,
    const struct kssp_enc_kdc_rep_part *enc, struct kssp_arena *a, bool *verified)
{
	size_t i;
	kssp_err e;

	*verified = false;
	if (!(enc->flags & KSSP_TKT_FLG_ENC_PA_REP))
		return KSSP_OK;
	for (i = 0; i < enc->encrypted_pa_data_len; i++) {
		const struct kssp_pa_data *pa = &enc->encrypted_pa_data[i];
		struct kssp_checksum ck;

		if (pa->padata_type != PA_REQ_ENC_PA_REP)
			continue;
		if ((e = kssp_krb5_decode_checksum(pa->padata_value.data, pa->padata_value.len, a,
		    &ck)))
			return kssp_fail(e, "AS-REP: PA-REQ-ENC-PA-REP: %s", kssp_last_reason());
		e = kssp_crypto_verify_checksum(ck.cksumtype, reply_key, KSSP_KU_AS_REQ, st->req,
		    st->req_len, ck.checksum.data, ck.checksum.len);
		/* Only a checksum that fails is tampering; anything else (no memory) stays. */
		if (e == KRB_AP_ERR_BAD_INTEGRITY)
			return kssp_fail(KRB_AP_ERR_MODIFIED,
			    "AS-REP: PA-REQ-ENC-PA-REP checksum does not match our request");
		if (e)
			return kssp_fail(e, "AS-REP: PA-REQ-ENC-PA-REP: %s", kssp_last_reason());
		*verified = true;
		return KSSP_OK;
	}
	return kssp_fail(KRB_AP_ERR_MODIFIED,
	    "AS-REP: enc-pa-rep flag set but no PA-REQ-ENC-PA-REP in the encrypted part");
}

static kssp_err adopt_time(struct as_state *st, int64_t kdc_time)
{
	struct kssp_time local;
	kssp_err e = kssp_hooks_now(st->ctx->hooks, &local);

	if (e)
		return e;
	st->ctx->has_time_offset = true;
	st->ctx->time_offset = (int32_t)(kdc_time - local.sec);
	st->ctx->usec_offset = 0;
	return KSSP_OK;
}

static kssp_err verify_reply(struct as_state *st, const uint8_t *msg, size_t len,
    struct kssp_cred *out)
{
	struct kssp_arena a;
	struct kssp_kdc_rep rep;
	struct kssp_enc_kdc_rep_part enc;
	struct kssp_kdc_expect x;
	struct kssp_principal *client = NULL, *tgs = NULL;
	struct kssp_krb_fast_response fr;
	struct kssp_key reply_key;
	const struct kssp_pa_data *pa;
	size_t npa;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	bool authenticated;
	kssp_err e;

	kssp_arena_init(&a);
	memset(&reply_key, 0, sizeof(reply_key));
	memset(&fr, 0, sizeof(fr));
	if ((e = kssp_kdc_decode_reply(&kssp_krb5_as_rep_type, msg, len, "AS-REP", &a, &rep,
	    &rep.pvno)))
		goto out;
	pa = rep.padata;
	npa = rep.padata_len;
	/* Under FAST the reply's padata that count are the armored ones. */
	if (kssp_fast_active(&st->fast)) {
		if ((e = kssp_fast_open_reply(&st->fast, &rep, &a, &fr)))
			goto out;
		pa = fr.padata;
		npa = fr.padata_len;
		st->ctx->fast_avail = true;
	}
	/* No downgrade: the reply must use an enctype we asked for. */
	if (!kssp_kdc_etype_in(rep.enc_part.etype, st->etypes, st->n_etypes)) {
		e = kssp_fail(KDC_ERR_ETYPE_NOSUPP, "AS-REP: enc-part enctype %d was not requested",
		    (int)rep.enc_part.etype);
		goto out;
	}
	if (st->key.enctype != rep.enc_part.etype) {
		struct hint h;

		if ((e = read_hints(st, pa, npa, rep.enc_part.etype, &a, &h)) ||
		    (e = set_key(st, &h, rep.enc_part.etype)))
			goto out;
	}
	/* RFC 6113 §5.4.6: the KDC proves the client key back; §5.4.3 strengthens the reply key. */
	if (st->challenge_sent && (e = kssp_fast_check_kdc_challenge(&st->fast, &st->key, pa, npa,
	    &a)))
		goto out;
	e = kssp_fast_active(&st->fast) ? kssp_fast_reply_key(&fr, &st->key, &reply_key)
					: kssp_crypto_key_copy(&reply_key, &st->key);
	if (e)
		goto out;
	if ((e = kssp_kdc_open_enc_part(&reply_key, KSSP_KU_AS_REP_ENC_PART, &rep.enc_part, &a,
	    &plain, &plain_len, &enc))) {
		/* A wrong password shows here when the KDC did not require preauth. */
		e = kssp_fail(e == KRB_AP_ERR_BAD_INTEGRITY ? KDC_ERR_PREAUTH_FAILED : e,
		    "AS-REP: %s", kssp_last_reason());
		goto out;
	}
	if ((e = check_enc_pa_rep(st, &reply_key, &enc, &a, &authenticated)))
		goto out;
	if (!kssp_kdc_name_is(&rep.cname, &rep.crealm, st->o->client)) {
		/* RFC 6806 §11: a changed client name needs canonicalize and proof. */
		if (!st->canonicalize || !authenticated) {
			e = kssp_fail(KRB_AP_ERR_MODIFIED, "AS-REP: the reply names another client");
			goto out;
		}
		if ((e = kssp_kdc_principal(&rep.cname, &rep.crealm, &client)))
			goto out;
		kssp_trace(st->ctx->hooks, "AS: the KDC canonicalized the client name");
	}
	/* RFC 6806 §11: a realm proven above is the realm of the TGT too. */
	if (client && !st->o->server && !kssp_principal_realm_is(client, st->realm) &&
	    (e = kssp_kdc_krbtgt(client->realm.data, client->realm.data, &tgs)))
		goto out;
	memset(&x, 0, sizeof(x));
	x.nonce = st->nonce;
	x.server = tgs ? tgs : st->server;
	x.till = st->till;
	x.rtime = st->rtime;
	x.now = st->now;
	x.skew = kssp_config_clockskew(st->ctx->cfg);
	x.check_skew = !kssp_config_kdc_timesync(st->ctx->cfg);
	if ((e = kssp_kdc_check_reply(&rep, &enc, &x, "AS-REP")))
		goto out;
	if (kssp_config_kdc_timesync(st->ctx->cfg) && (e = adopt_time(st, enc.authtime)))
		goto out;
	e = kssp_kdc_make_cred(client ? client : st->o->client, &rep, &enc, out);
	if (!e)
		kssp_trace(st->ctx->hooks, "AS: reply verified: session key enctype %d, flags %08x",
		    (int)enc.key.keytype, (unsigned)enc.flags);
out:
	kssp_crypto_key_clear(&reply_key);
	kssp_principal_free(client);
	kssp_principal_free(tgs);
	if (plain)
		kssp_free_secret(plain, plain_len);
	kssp_arena_free(&a);
	return e;
}

/* ---- errors and retries ---------------------------------------------- */

/*
 * The method data of an error: under FAST the armored response's padata
 * (the KRB-ERROR to believe is the one inside, decoded into *err), else
 * the e-data's METHOD-DATA.  An unarmored error in an armored exchange is
 * refused here.
 */
static kssp_err error_padata(struct as_state *st, const uint8_t *msg, size_t len,
    struct kssp_arena *a, struct kssp_krb_error *err, kssp_err *code,
    struct kssp_failure *kdc_reason, const struct kssp_pa_data **pa, size_t *npa)
{
	struct kssp_method_data md;
	struct kssp_typed_data td;
	enum kssp_krb5_e_data_kind kind = 0;
	kssp_err e;

	*pa = NULL;
	*npa = 0;
	*code = kssp_kdc_krb_error(st->ctx, msg, len, "AS-REQ", a, err);
	if (st->ctx->last_error.error_code == 0)
		return *code; /* not a KRB-ERROR one can read */
	if (kssp_fast_active(&st->fast)) {
		struct kssp_krb_fast_response fr;
		struct kssp_der_bytes inner;

		if ((e = kssp_fast_open_error(&st->fast, err, a, &fr, &inner)))
			return e;
		*code = kssp_kdc_krb_error(st->ctx, inner.data, inner.len, "AS-REQ", a, err);
		if (st->ctx->last_error.error_code == 0)
			return *code;
		kssp_failure_save(kdc_reason);
		*pa = fr.padata;
		*npa = fr.padata_len;
		return KSSP_OK;
	}
	kssp_failure_save(kdc_reason);
	memset(&md, 0, sizeof(md));
	if (err->e_data.data && (e = kssp_krb5_decode_e_data(&err->e_data, a, &md, &td, &kind))) {
		if (*code == KDC_ERR_PREAUTH_REQUIRED && !st->preauth_sent)
			return kssp_fail(e, "AS: KDC_ERR_PREAUTH_REQUIRED e-data: %s", kssp_last_reason());
	}
	if (kind == KSSP_KRB5_E_DATA_METHOD) {
		*pa = md.padata;
		*npa = md.padata_len;
	}
	return KSSP_OK;
}

/*
 * An unarmored request refused where armor would have helped: KDC_ERR_POLICY
 * (an AD authentication policy or silo requiring Kerberos armoring), or
 * pre-authentication still required, after ours, by a KDC that offers FAST
 * (it takes only armored methods).  The reason says so; a wrong password
 * (KDC_ERR_PREAUTH_FAILED) is not such a case.
 */
static kssp_err armor_advice(struct as_state *st, kssp_err code)
{
	if (kssp_fast_active(&st->fast) || !(code == KDC_ERR_POLICY ||
	    (st->fx_fast_offered && code == KDC_ERR_PREAUTH_REQUIRED)))
		return code;
	return kssp_fail(code, "%s; the KDC may require FAST armor (RFC 6113) for this account, "
	    "and none was configured: armor with a machine account's TGT "
	    "(kssp kinit -T ARMOR_CCACHE or --armor-keytab KEYTAB; ArmorCcache or ArmorKeytab "
	    "in KSSP_AUTH_DATA)", kssp_last_reason());
}

/* true (with the exchange set up for it) when the error calls for one more round. */
static kssp_err handle_error(struct as_state *st, const uint8_t *msg, size_t len, bool *retry)
{
	struct kssp_arena a;
	struct kssp_krb_error err;
	struct kssp_failure kdc_reason;
	const struct kssp_pa_data *pa;
	size_t npa;
	kssp_err code, e = KSSP_OK;

	*retry = false;
	kssp_arena_init(&a);
	memset(&err, 0, sizeof(err));
	if ((e = error_padata(st, msg, len, &a, &err, &code, &kdc_reason, &pa, &npa))) {
		kssp_arena_free(&a);
		return e;
	}
	st->fx_fast_offered = st->fx_fast_offered || kssp_fast_has_pa(pa, npa, PA_FX_FAST);
	if (code == KDC_ERR_PREAUTH_REQUIRED && !st->preauth_sent) {
		struct hint h;

		st->challenge = kssp_fast_has_pa(pa, npa, PA_ENCRYPTED_CHALLENGE);
		e = read_hints(st, pa, npa, 0, &a, &h);
		if (!e && !h.etype)
			h.etype = st->etypes[0];
		if (!e)
			e = set_key(st, &h, h.etype);
		*retry = !e;
	} else if (code == KRB_AP_ERR_SKEW && !st->skew_done &&
	    kssp_config_kdc_timesync(st->ctx->cfg)) {
		struct kssp_time local;

		/* The KDC's time is an unauthenticated hint: bounded, traced. */
		if (!(e = kssp_hooks_now(st->ctx->hooks, &local))) {
			int64_t off = err.stime - local.sec;

			if (off > KSSP_KDC_MAX_TIME_OFFSET || off < -KSSP_KDC_MAX_TIME_OFFSET)
				e = kssp_fail(KRB_AP_ERR_SKEW,
				    "AS-REQ: clock skew of %lld s is more than the %d s adopted",
				    (long long)off, KSSP_KDC_MAX_TIME_OFFSET);
			else {
				kssp_trace(st->ctx->hooks, "AS: clock skew: adopting KDC time offset %lld s",
				    (long long)off);
				st->ctx->has_time_offset = true;
				st->ctx->time_offset = (int32_t)off;
				st->ctx->usec_offset = err.susec - local.usec;
				st->skew_done = true;
				st->preauth_sent = false;
				*retry = true;
			}
		}
	} else if (code == KDC_ERR_WRONG_REALM && st->canonicalize && err.crealm.len != 0 &&
	    st->referrals < AS_MAX_REFERRALS) {
		/* RFC 6806 §7: a client referral names the client's realm in crealm. */
		kssp_trace(st->ctx->hooks, "AS: client referral to realm %.*s", (int)err.crealm.len,
		    (const char *)err.crealm.data);
		e = set_realm(st, (const char *)err.crealm.data, err.crealm.len);
		kssp_crypto_key_clear(&st->key);
		st->referrals++;
		st->preauth_sent = st->use_master = false;
		*retry = !e;
	} else if (code == KDC_ERR_PREAUTH_FAILED && !st->master_done) {
		const char *m[1];

		if (kssp_config_realm_master_kdcs(st->ctx->cfg, st->kdc_realm, m, 1) > 0) {
			kssp_trace(st->ctx->hooks, "AS: preauth failed; asking the master KDC once");
			st->master_done = st->use_master = true;
			st->preauth_sent = false;
			*retry = true;
		}
	}
	kssp_arena_free(&a);
	if (e)
		return e;
	if (*retry)
		return KSSP_OK;
	/* The KDC's answer is the failure: the checks above may have recorded others on the way. */
	kssp_failure_restore(&kdc_reason);
	return armor_advice(st, code);
}

/* The request encoded afresh (a new nonce and timestamp) into st->req. */
static kssp_err encode(struct as_state *st)
{
	struct kssp_arena a;
	kssp_err e;

	kssp_arena_init(&a);
	e = encode_request(st, &a);
	kssp_arena_free(&a);
	return e;
}

static bool kdcs_known(struct as_state *st, const char *realm)
{
	struct kssp_kdc_servers *l = kssp_calloc(1, sizeof(*l));
	bool known = !l || kssp_locate_kdcs(st->ctx->cfg, st->ctx->hooks, realm, false, l) == KSSP_OK;

	kssp_free(l);
	return known;
}

/*
 * Sends the request to kdc_realm's KDCs.  A realm no KDC is known for (a
 * NetBIOS domain, "DOMAIN\user", with no DC locator) is asked of the
 * default realm's KDC instead, with canonicalize, as a Windows client asks
 * its own domain controller: the reply must then prove the realm it names
 * (RFC 6806 §11, verify_reply).
 */
static kssp_err send_request(struct as_state *st, uint8_t **reply, size_t *reply_len)
{
	struct kssp_kdc_ctx *ctx = st->ctx;
	const char *dflt = kssp_config_default_realm(ctx->cfg);
	kssp_err e;

	kssp_trace(ctx->hooks, "AS: AS-REQ for %s (%zu bytes, %zu enctypes%s)", st->realm,
	    st->req_len, st->n_etypes, st->preauth_sent ? ", PA-ENC-TIMESTAMP" : "");
	e = kssp_transport_send(ctx->cfg, ctx->hooks, st->kdc_realm, st->req, st->req_len,
	    st->use_master ? KSSP_TRANSPORT_MASTER : 0, reply, reply_len);
	if (e != KSSP_ERR_NO_KDC || st->kdc_realm != st->realm || !dflt ||
	    strcmp(dflt, st->realm) == 0 || kdcs_known(st, st->realm))
		return e;
	kssp_trace(ctx->hooks, "AS: no KDC known for realm %s: asking the default realm %s's, canonicalizing",
	    st->realm, dflt);
	st->kdc_realm = dflt;
	st->canonicalize = true;
	st->options |= KDC_OPT_CANONICALIZE;
	if ((e = encode(st)))
		return e;
	return kssp_transport_send(ctx->cfg, ctx->hooks, st->kdc_realm, st->req, st->req_len,
	    st->use_master ? KSSP_TRANSPORT_MASTER : 0, reply, reply_len);
}

kssp_err kssp_as_get_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_as_opts *o,
    struct kssp_cred *out)
{
	struct as_state st;
	kssp_err e;
	int round;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.o = o;
	memset(&ctx->last_error, 0, sizeof(ctx->last_error));
	if ((e = setup(&st)))
		goto out;
	for (round = 0; round < AS_MAX_ROUNDS; round++) {
		uint8_t *reply = NULL;
		size_t reply_len = 0;
		bool retry = false;
		int type = 0;

		if ((e = encode(&st)) || (e = send_request(&st, &reply, &reply_len)))
			break;
		e = kssp_kdc_reply_type(reply, reply_len, "AS-REQ", &type);
		if (!e && type == KSSP_KRB5_ERROR)
			e = handle_error(&st, reply, reply_len, &retry);
		else if (!e && type == KSSP_KRB5_AS_REP)
			e = verify_reply(&st, reply, reply_len, out);
		else if (!e)
			e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "AS-REQ: the KDC answered a TGS-REP");
		kssp_free(reply);
		if (e || !retry)
			break;
	}
	if (round == AS_MAX_ROUNDS)
		e = kssp_fail(KSSP_ERR_LIMIT, "AS-REQ: no answer after %d rounds", AS_MAX_ROUNDS);
out:
	kssp_fast_free(&st.fast);
	kssp_crypto_key_clear(&st.key);
	kssp_principal_free(st.server);
	kssp_free(st.realm);
	kssp_free(st.req);
	return e;
}
