/*
 * kdc/fast.c - FAST armoring (RFC 6113 §5.4): the armor key, armored
 * requests, and replies and errors believed only through the armor (see
 * fast_int.h).
 */
#include "kdc/fast_int.h"

#include <string.h>

#include "base/base.h"
#include "kdc/as_int.h"
#include "kdc/exchange_int.h"
#include "kdc/transport_int.h"

#define PEPPER(s) (const uint8_t *)(s), sizeof(s) - 1

bool kssp_fast_active(const struct kssp_fast *f)
{
	return f != NULL && f->armor_key.enctype != 0;
}

static void drop_plain(struct kssp_fast *f)
{
	if (f->plain)
		kssp_free_secret(f->plain, f->plain_len);
	f->plain = NULL;
	f->plain_len = 0;
}

void kssp_fast_free(struct kssp_fast *f)
{
	kssp_crypto_key_clear(&f->armor_key);
	kssp_free(f->armor);
	kssp_free(f->cookie);
	drop_plain(f);
	memset(f, 0, sizeof(*f));
}

static const struct kssp_pa_data *find_pa(const struct kssp_pa_data *pa, size_t n, int32_t type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pa[i].padata_type == type)
			return &pa[i];
	return NULL;
}

bool kssp_fast_has_pa(const struct kssp_pa_data *pa, size_t n, int32_t type)
{
	return find_pa(pa, n, type) != NULL;
}

/* ---- the armor credential -------------------------------------------- */

bool kssp_fast_avail(const struct kssp_ccache *cc, const char *realm)
{
	const struct kssp_cred_data *v = NULL;
	struct kssp_principal *tgs = NULL;
	bool avail = kssp_kdc_krbtgt(realm, realm, &tgs) == KSSP_OK &&
	    kssp_ccache_get_config(cc, tgs, KSSP_FAST_AVAIL_KEY, &v) == KSSP_OK && v != NULL;

	kssp_principal_free(tgs);
	kssp_clear_failure();
	return avail;
}

kssp_err kssp_fast_set_avail(struct kssp_ccache *cc, const struct kssp_cred *tgt)
{
	return kssp_ccache_set_config(cc, tgt->server, KSSP_FAST_AVAIL_KEY, "yes", 3);
}

/* MIT's kinit -T: the armor cache's TGT of realm, valid now. */
static kssp_err armor_from_ccache(struct kssp_kdc_ctx *ctx, const char *name, const char *realm,
    struct kssp_cred *out, bool *fast_avail)
{
	struct kssp_ccache cc;
	struct kssp_principal *tgs = NULL;
	const struct kssp_cred *c = NULL;
	struct kssp_time now;
	char *path = NULL;
	kssp_err e;

	kssp_ccache_init(&cc);
	e = kssp_ccache_resolve(name, &path);
	if (!e)
		e = kssp_ccache_read(path, &cc);
	if (!e)
		e = kssp_kdc_krbtgt(realm, realm, &tgs);
	if (!e)
		e = kssp_ccache_find(&cc, NULL, tgs, &c);
	if (!e)
		e = kssp_kdc_now(ctx, &now);
	if (!e && c->endtime <= now.sec)
		e = kssp_fail(KRB_AP_ERR_TKT_EXPIRED, "FAST: the armor TGT in %s has expired", name);
	if (!e) {
		*fast_avail = kssp_fast_avail(&cc, realm);
		e = kssp_cred_copy(c, out);
	}
	kssp_principal_free(tgs);
	kssp_ccache_free(&cc);
	kssp_free(path);
	return e ? kssp_fail(e, "FAST: armor cache %s: %s", name, kssp_last_reason()) : KSSP_OK;
}

/*
 * The keytab's machine account: the first single-component name ending in
 * '$' (AD's HOST$, which an AD KDC logs on where it refuses a service
 * name), else the first entry's principal.
 */
static const struct kssp_principal *machine_account(const struct kssp_keytab *kt)
{
	size_t i;

	for (i = 0; i < kt->n_entries; i++) {
		const struct kssp_principal *p = kt->entries[i].principal;

		if (p->n_name_string == 1 && p->name_string[0].length > 0 &&
		    p->name_string[0].data[p->name_string[0].length - 1] == '$')
			return p;
	}
	return kt->entries[0].principal;
}

/* A machine account's TGT, from its keytab (as Windows armors with the computer's TGT). */
static kssp_err armor_from_keytab(struct kssp_kdc_ctx *ctx, const struct kssp_fast_source *src,
    const char *realm, struct kssp_cred *out)
{
	struct kssp_keytab kt;
	struct kssp_principal *p = NULL;
	struct kssp_as_opts o;
	char *path = NULL;
	kssp_err e;

	kssp_keytab_init(&kt);
	e = kssp_keytab_resolve(src->keytab, &path);
	if (!e)
		e = kssp_keytab_read(path, &kt);
	if (!e && src->principal)
		e = kssp_principal_parse(src->principal, 0, realm, &p);
	else if (!e && kt.n_entries == 0)
		e = kssp_fail(KSSP_ERR_NOT_FOUND, "the keytab is empty");
	else if (!e)
		e = kssp_principal_copy(machine_account(&kt), &p);
	if (!e) {
		kssp_as_opts_init(&o);
		o.client = p;
		o.keytab = &kt;
		e = kssp_as_get_tgt(ctx, &o, out);
	}
	kssp_principal_free(p);
	kssp_keytab_free(&kt);
	kssp_free(path);
	return e ? kssp_fail(e, "FAST: armor from keytab %s: %s", src->keytab, kssp_last_reason())
		 : KSSP_OK;
}

kssp_err kssp_fast_armor_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_fast_source *src,
    const char *realm, struct kssp_cred *out, bool *fast_avail)
{
	*fast_avail = false;
	memset(out, 0, sizeof(*out));
	if (src->ccache)
		return armor_from_ccache(ctx, src->ccache, realm, out, fast_avail);
	return armor_from_keytab(ctx, src, realm, out);
}

/* ---- the armor key ---------------------------------------------------- */

/* RFC 6113 §5.4.1.1: KRB-FX-CF2(subkey, ticket session key, "subkeyarmor", "ticketarmor"). */
static kssp_err armor_key(const struct kssp_key *subkey, const struct kssp_key *session,
    struct kssp_key *out)
{
	kssp_err e = kssp_crypto_cf2(subkey, session, PEPPER("subkeyarmor"), PEPPER("ticketarmor"),
	    out);

	return e ? kssp_fail(e, "FAST: armor key: %s", kssp_last_reason()) : KSSP_OK;
}

kssp_err kssp_fast_armor_explicit(struct kssp_kdc_ctx *ctx, const struct kssp_cred *armor_tgt,
    struct kssp_fast *f)
{
	struct kssp_key session, subkey;
	struct kssp_kdc_ap_req in;
	struct kssp_arena a;
	struct kssp_der_bytes ap = { NULL, 0 };
	kssp_err e;

	kssp_fast_free(f);
	memset(&session, 0, sizeof(session));
	memset(&subkey, 0, sizeof(subkey));
	kssp_arena_init(&a);
	e = kssp_kdc_cred_key(armor_tgt, &session);
	if (!e)
		e = kssp_crypto_random_key(ctx->hooks, session.enctype, &subkey);
	if (!e) {
		/* An AP-REQ for the armor TGT whose authenticator carries the subkey. */
		memset(&in, 0, sizeof(in));
		in.cred = armor_tgt;
		in.session = &session;
		in.subkey = &subkey;
		in.usage = KSSP_KU_AP_REQ_AUTH;
		e = kssp_kdc_encode_ap_req(ctx, &in, &a, &ap);
	}
	if (!e && !(f->armor = kssp_memdup(ap.data, ap.len)))
		e = kssp_fail(KSSP_ERR_NOMEM, "FAST: out of memory");
	if (!e) {
		f->armor_len = ap.len;
		e = armor_key(&subkey, &session, &f->armor_key);
	}
	kssp_crypto_key_clear(&session);
	kssp_crypto_key_clear(&subkey);
	kssp_arena_free(&a);
	if (e)
		kssp_fast_free(f);
	return e;
}

kssp_err kssp_fast_armor_implicit(const struct kssp_key *subkey, const struct kssp_key *session,
    struct kssp_fast *f)
{
	kssp_fast_free(f);
	return armor_key(subkey, session, &f->armor_key);
}

/* ---- the armored request ---------------------------------------------- */

/* KrbFastReq (req's padata, the cookie held, req's body) sealed under the armor key. */
static kssp_err seal_fast_req(struct kssp_kdc_ctx *ctx, struct kssp_fast *f,
    const struct kssp_kdc_req *req, struct kssp_arena *a, struct kssp_encrypted_data *out)
{
	struct kssp_krb_fast_req fr;
	struct kssp_writer w;
	size_t n = req->padata_len;
	kssp_err e;

	memset(&fr, 0, sizeof(fr));
	if (!(fr.padata = kssp_arena_alloc(a, (n + 1) * sizeof(*fr.padata))))
		return kssp_fail(KSSP_ERR_NOMEM, "FAST: out of memory");
	if (n)
		memcpy(fr.padata, req->padata, n * sizeof(*fr.padata));
	if (f->cookie) {
		/* RFC 6113 §5.2: the KDC's cookie goes back unchanged in the next request. */
		memset(&fr.padata[n], 0, sizeof(fr.padata[n]));
		fr.padata[n].padata_type = PA_FX_COOKIE;
		fr.padata[n].padata_value.data = f->cookie;
		fr.padata[n++].padata_value.len = f->cookie_len;
	}
	fr.padata_len = n;
	fr.req_body = req->req_body;
	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	e = kssp_krb5_encode_krb_fast_req(&fr, &w);
	if (!e)
		e = kssp_kdc_seal(ctx->hooks, &f->armor_key, KSSP_KU_FAST_ENC, w.buf, w.len, a, out);
	kssp_writer_free(&w);
	return e ? kssp_fail(e, "FAST: KrbFastReq: %s", kssp_last_reason()) : KSSP_OK;
}

kssp_err kssp_fast_wrap(struct kssp_kdc_ctx *ctx, struct kssp_fast *f,
    const struct kssp_kdc_req *req, const struct kssp_pa_data *outer_pa, size_t n_outer,
    const uint8_t *checksummed, size_t checksummed_len, struct kssp_writer *w)
{
	struct kssp_krb_fast_armored_req ar;
	struct kssp_kdc_req outer = *req;
	struct kssp_pa_data *pa;
	struct kssp_writer tmp;
	struct kssp_arena a;
	kssp_err e = KSSP_OK;

	kssp_arena_init(&a);
	memset(&ar, 0, sizeof(ar));
	kssp_writer_init_growable(&tmp, KSSP_KDC_MSG_MAX);
	if (!checksummed) {
		/* An AS-REQ: the checksum covers the outer body (the inner one's twin). */
		e = kssp_krb5_encode_kdc_req_body(&req->req_body, &tmp);
		checksummed = tmp.buf;
		checksummed_len = tmp.len;
	}
	/* RFC 6113 §5.4.2 req-checksum: the armor key's checksum type, usage 50. */
	if (!e && (e = kssp_kdc_checksum(&a, 0, &f->armor_key, KSSP_KU_FAST_REQ_CHKSUM, checksummed,
	    checksummed_len, &ar.req_checksum)))
		e = kssp_fail(e, "FAST: req-checksum: %s", kssp_last_reason());
	kssp_writer_free(&tmp);
	if (!e)
		e = seal_fast_req(ctx, f, req, &a, &ar.enc_fast_req);
	if (!e && f->armor) {
		ar.has_armor = true;
		ar.armor.armor_type = KSSP_FX_FAST_ARMOR_AP_REQUEST;
		ar.armor.armor_value.data = f->armor;
		ar.armor.armor_value.len = f->armor_len;
	}
	pa = e ? NULL : kssp_arena_alloc(&a, (n_outer + 1) * sizeof(*pa));
	if (!e && !pa)
		e = kssp_fail(KSSP_ERR_NOMEM, "FAST: out of memory");
	if (!e) {
		if (n_outer)
			memcpy(pa, outer_pa, n_outer * sizeof(*pa));
		memset(&pa[n_outer], 0, sizeof(*pa));
		e = kssp_kdc_encode_pa(&a, PA_FX_FAST, &kssp_krb5_pa_fx_fast_request_type, &ar,
		    &pa[n_outer]);
	}
	if (!e) {
		outer.padata = pa;
		outer.padata_len = n_outer + 1;
		f->nonce = req->req_body.nonce;
		e = req->msg_type == KSSP_KRB5_TGS_REQ ? kssp_krb5_encode_tgs_req(&outer, w)
						       : kssp_krb5_encode_as_req(&outer, w);
	}
	kssp_arena_free(&a);
	return e;
}

/* ---- what comes back -------------------------------------------------- */

/* The PA-FX-FAST among pa[0..n) opened under the armor key into *resp; nonce and cookie. */
static kssp_err open_response(struct kssp_fast *f, const struct kssp_pa_data *pa, size_t n,
    struct kssp_arena *a, struct kssp_krb_fast_response *resp, const char *what)
{
	const struct kssp_pa_data *fx = find_pa(pa, n, PA_FX_FAST);
	const struct kssp_pa_data *cookie;
	struct kssp_krb_fast_armored_rep rep;
	kssp_err e;

	if (!fx)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "%s: no PA-FX-FAST answers the armored request",
		    what);
	if (kssp_krb5_decode_pa_fx_fast_reply(fx->padata_value.data, fx->padata_value.len, a,
	    &rep) != KSSP_OK)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "%s: PA-FX-FAST-REPLY: %s", what,
		    kssp_last_reason());
	drop_plain(f);
	e = kssp_crypto_open(&f->armor_key, KSSP_KU_FAST_REP, rep.enc_fast_rep.etype,
	    rep.enc_fast_rep.cipher.data, rep.enc_fast_rep.cipher.len, "KrbFastResponse", &f->plain,
	    &f->plain_len);
	if (e)
		return kssp_fail(e == KSSP_ERR_NOMEM ? e : KRB_AP_ERR_MODIFIED, "%s: %s", what,
		    kssp_last_reason());
	if (kssp_krb5_decode_krb_fast_response(f->plain, f->plain_len, a, resp) != KSSP_OK)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "%s: KrbFastResponse: %s", what,
		    kssp_last_reason());
	if (resp->nonce != f->nonce)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "%s: the FAST response's nonce is not the request's", what);
	cookie = find_pa(resp->padata, resp->padata_len, PA_FX_COOKIE);
	if (cookie) {
		uint8_t *c = kssp_memdup(cookie->padata_value.data, cookie->padata_value.len);

		if (!c)
			return kssp_fail(KSSP_ERR_NOMEM, "FAST: out of memory");
		kssp_free(f->cookie);
		f->cookie = c;
		f->cookie_len = cookie->padata_value.len;
	}
	return KSSP_OK;
}

kssp_err kssp_fast_open_error(struct kssp_fast *f, const struct kssp_krb_error *outer,
    struct kssp_arena *a, struct kssp_krb_fast_response *resp, struct kssp_der_bytes *inner)
{
	struct kssp_method_data md;
	const struct kssp_pa_data *fx_error;
	kssp_err e = KRB_AP_ERR_MODIFIED;

	memset(&md, 0, sizeof(md));
	if (outer->e_data.data)
		e = kssp_krb5_decode_method_data(outer->e_data.data, outer->e_data.len, a, &md);
	if (!e)
		e = open_response(f, md.padata, md.padata_len, a, resp, "KRB-ERROR");
	if (e)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "the KDC's error %s (%d) is not armored, in an armored exchange: not believed (%s)",
		    kssp_err_name((kssp_err)outer->error_code), (int)outer->error_code,
		    kssp_last_reason());
	fx_error = find_pa(resp->padata, resp->padata_len, PA_FX_ERROR);
	if (!fx_error)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "KRB-ERROR: the FAST response holds no PA-FX-ERROR");
	*inner = fx_error->padata_value;
	return KSSP_OK;
}

kssp_err kssp_fast_open_reply(struct kssp_fast *f, struct kssp_kdc_rep *rep,
    struct kssp_arena *a, struct kssp_krb_fast_response *resp)
{
	const struct kssp_krb_fast_finished *fin = &resp->finished;
	int32_t cktype;
	kssp_err e;

	if ((e = open_response(f, rep->padata, rep->padata_len, a, resp, "KDC-REP")))
		return e;
	if (!resp->has_finished)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "KDC-REP: the FAST response has no KrbFastFinished");
	/* The armor key's own checksum type, so no weaker one can be offered. */
	if ((e = kssp_crypto_enctype_cksumtype(f->armor_key.enctype, &cktype)))
		return e;
	if (fin->ticket_checksum.cksumtype != cktype)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "KDC-REP: KrbFastFinished checksum type %d, not the armor key's %d",
		    (int)fin->ticket_checksum.cksumtype, (int)cktype);
	e = kssp_crypto_verify_checksum(cktype, &f->armor_key, KSSP_KU_FAST_FINISHED,
	    rep->ticket.der.data, rep->ticket.der.len, fin->ticket_checksum.checksum.data,
	    fin->ticket_checksum.checksum.len);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "KDC-REP: the ticket is not the one KrbFastFinished checksums");
	if (e)
		return e;
	/*
	 * RFC 6113 §5.4.3: the client named in KrbFastFinished is the
	 * authenticated one; the outer cname and crealm are not (Heimdal's KDC
	 * leaves them empty), so they are replaced, as MIT's client does, and
	 * the reply's usual client checks then apply to the armored names.
	 */
	rep->crealm = fin->crealm;
	rep->cname = fin->cname;
	return KSSP_OK;
}

kssp_err kssp_fast_reply_key(const struct kssp_krb_fast_response *resp,
    const struct kssp_key *key, struct kssp_key *out)
{
	struct kssp_key sk;
	kssp_err e;

	if (!resp->has_strengthen_key)
		return kssp_crypto_key_copy(out, key);
	e = kssp_crypto_key_init(&sk, resp->strengthen_key.keytype,
	    resp->strengthen_key.keyvalue.data, resp->strengthen_key.keyvalue.len);
	if (!e)
		e = kssp_crypto_cf2(&sk, key, PEPPER("strengthenkey"), PEPPER("replykey"), out);
	kssp_crypto_key_clear(&sk);
	return e ? kssp_fail(e, "FAST: strengthened reply key: %s", kssp_last_reason()) : KSSP_OK;
}

/* ---- the encrypted challenge, RFC 6113 §5.4.6 ------------------------- */

kssp_err kssp_fast_client_challenge(struct kssp_kdc_ctx *ctx, const struct kssp_fast *f,
    const struct kssp_key *client_key, struct kssp_arena *a, struct kssp_pa_data *pa)
{
	struct kssp_key ck;
	kssp_err e = kssp_crypto_cf2(&f->armor_key, client_key, PEPPER("clientchallengearmor"),
	    PEPPER("challengelongterm"), &ck);

	if (e)
		return kssp_fail(e, "FAST: client challenge key: %s", kssp_last_reason());
	e = kssp_kdc_enc_timestamp(ctx, &ck, KSSP_KU_ENC_CHALLENGE_CLIENT, PA_ENCRYPTED_CHALLENGE,
	    a, pa);
	kssp_crypto_key_clear(&ck);
	return e;
}

/* The KDC's challenge opened under KRB-FX-CF2(armor key, client key, pepper, "challengelongterm"). */
static kssp_err open_challenge(const struct kssp_fast *f, const struct kssp_key *client_key,
    const uint8_t *pepper, size_t plen, const struct kssp_encrypted_data *ed)
{
	struct kssp_key kk;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	kssp_err e = kssp_crypto_cf2(&f->armor_key, client_key, pepper, plen,
	    PEPPER("challengelongterm"), &kk);

	if (!e)
		e = kssp_crypto_open(&kk, KSSP_KU_ENC_CHALLENGE_KDC, ed->etype, ed->cipher.data,
		    ed->cipher.len, "the KDC's encrypted challenge", &plain, &plain_len);
	kssp_crypto_key_clear(&kk);
	if (plain)
		kssp_free_secret(plain, plain_len);
	return e;
}

kssp_err kssp_fast_check_kdc_challenge(const struct kssp_fast *f,
    const struct kssp_key *client_key, const struct kssp_pa_data *pa, size_t n,
    struct kssp_arena *a)
{
	const struct kssp_pa_data *ch = find_pa(pa, n, PA_ENCRYPTED_CHALLENGE);
	struct kssp_encrypted_data ed;
	kssp_err e;

	if (!ch)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "AS-REP: the KDC did not answer the encrypted challenge (RFC 6113 §5.4.6)");
	if (kssp_krb5_decode_encrypted_challenge(ch->padata_value.data, ch->padata_value.len, a,
	    &ed) != KSSP_OK)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "AS-REP: the KDC's challenge: %s",
		    kssp_last_reason());
	/*
	 * Its decrypting proves the KDC holds the client key; the timestamp is
	 * not judged (MIT's rule).  Heimdal 7.8's KDC derives its key with the
	 * client's pepper, "clientchallengearmor" (still under usage 55, so
	 * never our own challenge reflected): that proves the same, and is
	 * accepted after RFC 6113's "kdcchallengearmor".
	 */
	e = open_challenge(f, client_key, PEPPER("kdcchallengearmor"), &ed);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		e = open_challenge(f, client_key, PEPPER("clientchallengearmor"), &ed);
	if (e)
		return kssp_fail(KRB_AP_ERR_MODIFIED, "AS-REP: the KDC's encrypted challenge does not "
		    "decrypt: %s", kssp_last_reason());
	return KSSP_OK;
}
