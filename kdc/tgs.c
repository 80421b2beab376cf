/*
 * kdc/tgs.c - the TGS exchange (RFC 4120 §3.3): PA-TGS-REQ with a subkey
 * and a checksummed body, reply verification, cross-realm paths and
 * referrals (RFC 6806 §8), renewal, S4U2Self and S4U2Proxy (MS-SFU).
 */
#include "kdc/tgs_int.h"

#include <stdio.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "crypto/crypto.h"
#include "kdc/exchange_int.h"
#include "kdc/fast_int.h"
#include "kdc/transport_int.h"

void kssp_tgs_opts_init(struct kssp_tgs_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->canonicalize = -1;
	o->forwardable = -1;
}

/* One TGS request, as built and then checked. */
struct tgs_call {
	struct kssp_kdc_ctx *ctx;
	const struct kssp_cred *tgt;     /* the ticket in the AP-REQ */
	const char *realm;               /* the KDC's realm (NUL-terminated) */
	const struct kssp_principal *server;
	const struct kssp_principal *client; /* whom the reply must be for */
	uint32_t options;
	int32_t etypes[KDC_MAX_ETYPES];
	size_t n_etypes;
	int64_t till;
	int64_t rtime;                   /* 0: none asked */
	const struct kssp_principal *impersonate;
	const struct kssp_cred *evidence;
	const struct kssp_cred_data *second_ticket;
	bool allow_referral;
	bool use_fast;
	struct kssp_fast fast;           /* the implicit armor, when use_fast */
	/* results */
	uint32_t nonce;
	int64_t now;
	struct kssp_key session, subkey;
};

/* The realm a TGT is good at: the second component of krbtgt/REALM. */
static kssp_err tgt_realm(const struct kssp_cred *tgt, const char **realm)
{
	const struct kssp_pstring *r = kssp_principal_tgs_realm(tgt->server);

	if (!kssp_principal_is_tgs(tgt->server) || !r)
		return kssp_fail(KSSP_ERR_NO_CREDENTIALS, "TGS-REQ: the ticket given is not a TGT");
	*realm = r->data;
	return KSSP_OK;
}

/* MS-SFU §2.2.1: the PA-FOR-USER checksum input and HMAC-MD5 checksum. */
static kssp_err pa_for_user(struct tgs_call *t, struct kssp_arena *a, struct kssp_pa_data *pa)
{
	const struct kssp_principal *u = t->impersonate;
	struct kssp_pa_for_user p;
	struct kssp_writer data;
	size_t i;
	kssp_err e;

	memset(&p, 0, sizeof(p));
	if ((e = kssp_kdc_name(a, u, &p.user_name)))
		return e;
	p.user_realm.data = (const uint8_t *)u->realm.data;
	p.user_realm.len = u->realm.length;
	p.auth_package.data = (const uint8_t *)"Kerberos";
	p.auth_package.len = 8;
	kssp_writer_init_growable(&data, 0);
	kssp_writer_put_le32(&data, (uint32_t)u->name_type);
	for (i = 0; i < u->n_name_string; i++)
		kssp_writer_put_bytes(&data, u->name_string[i].data, u->name_string[i].length);
	kssp_writer_put_bytes(&data, u->realm.data, u->realm.length);
	kssp_writer_put_bytes(&data, "Kerberos", 8);
	e = kssp_writer_status(&data);
	if (!e)
		e = kssp_kdc_checksum(a, KSSP_CKSUMTYPE_HMAC_MD5_ARCFOUR, &t->session,
		    KSSP_KU_PA_FOR_USER, data.buf, data.len, &p.cksum);
	kssp_writer_free(&data);
	if (e)
		return kssp_fail(e, "PA-FOR-USER: checksum: %s", kssp_err_name(e));
	return kssp_kdc_encode_pa(a, PA_FOR_USER, &kssp_krb5_pa_for_user_type, &p, pa);
}

/*
 * MS-SFU §2.2.2 PA-S4U-X509-USER: the user again, bound to this request's
 * nonce, checksummed under the TGS-REQ subkey with key usage 26 (as MIT
 * computes it).  Its checksum type is the subkey's mandatory one, which
 * for RC4 is unkeyed MD4: that case keeps to PA-FOR-USER alone.
 */
static kssp_err pa_s4u_x509_user(struct tgs_call *t, struct kssp_arena *a,
    struct kssp_pa_data *pa, bool *added)
{
	const struct kssp_principal *u = t->impersonate;
	struct kssp_pa_s4u_x509_user p;
	struct kssp_writer id;
	kssp_err e;

	*added = false;
	if (t->subkey.enctype == KSSP_ENCTYPE_ARCFOUR_HMAC)
		return KSSP_OK;
	memset(&p, 0, sizeof(p));
	p.user_id.nonce = t->nonce;
	p.user_id.has_cname = true;
	if ((e = kssp_kdc_name(a, u, &p.user_id.cname)))
		return e;
	p.user_id.crealm.data = (const uint8_t *)u->realm.data;
	p.user_id.crealm.len = u->realm.length;
	kssp_writer_init_growable(&id, 0);
	e = kssp_asn1_encode(&kssp_krb5_s4u_user_id_type, &p.user_id, &id);
	if (!e)
		e = kssp_kdc_checksum(a, 0, &t->subkey, KSSP_KU_PA_S4U_X509_USER_REQUEST, id.buf,
		    id.len, &p.checksum);
	kssp_writer_free(&id);
	if (e)
		return kssp_fail(e, "PA-S4U-X509-USER: %s", kssp_err_name(e));
	e = kssp_kdc_encode_pa(a, PA_S4U_X509_USER, &kssp_krb5_pa_s4u_x509_user_type, &p, pa);
	*added = !e;
	return e;
}

/*
 * MS-KILE §2.2.10 PA-PAC-OPTIONS with resource-based-constrained-delegation
 * (bit 3, the only one MIT's KDC honours) on every S4U2Proxy request, as
 * MS-SFU §3.1.5.2.1 and MIT's client send it: without it an AD KDC never
 * consults the back service's msDS-AllowedToActOnBehalfOfOtherIdentity.
 */
static kssp_err pa_pac_options(struct kssp_arena *a, struct kssp_pa_data *pa)
{
	struct kssp_pa_pac_options p;

	memset(&p, 0, sizeof(p));
	p.options = 1u << (31 - 3);
	return kssp_kdc_encode_pa(a, PA_PAC_OPTIONS, &kssp_krb5_pa_pac_options_type, &p, pa);
}

kssp_err kssp_kdc_encode_ap_req(struct kssp_kdc_ctx *ctx, const struct kssp_kdc_ap_req *in,
    struct kssp_arena *a, struct kssp_der_bytes *out)
{
	struct kssp_authenticator au;
	struct kssp_ap_req ap;
	struct kssp_time now;
	struct kssp_writer w;
	kssp_err e;

	memset(&au, 0, sizeof(au));
	memset(&ap, 0, sizeof(ap));
	if ((e = kssp_kdc_now(ctx, &now)))
		return e;
	au.authenticator_vno = KSSP_KRB5_PVNO;
	au.crealm.data = (const uint8_t *)in->cred->client->realm.data;
	au.crealm.len = in->cred->client->realm.length;
	if ((e = kssp_kdc_name(a, in->cred->client, &au.cname)))
		return e;
	if (in->cksum) {
		au.has_cksum = true;
		au.cksum = *in->cksum;
	}
	au.ctime = now.sec;
	au.cusec = now.usec;
	au.has_subkey = true;
	au.subkey.keytype = in->subkey->enctype;
	au.subkey.keyvalue.data = in->subkey->contents;
	au.subkey.keyvalue.len = in->subkey->length;
	au.has_seq_number = in->has_seq_number;
	au.seq_number = in->seq_number;
	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	e = kssp_krb5_encode_authenticator(&au, &w);
	if (!e)
		e = kssp_kdc_seal(ctx->hooks, in->session, in->usage, w.buf, w.len, a,
		    &ap.authenticator);
	kssp_writer_free(&w);
	if (e)
		return kssp_fail(e, "AP-REQ: authenticator: %s", kssp_err_name(e));
	ap.pvno = KSSP_KRB5_PVNO;
	ap.msg_type = KSSP_KRB5_AP_REQ;
	if ((e = kssp_krb5_decode_ticket(in->cred->ticket.data, in->cred->ticket.length, a,
	    &ap.ticket)))
		return kssp_fail(e, "AP-REQ: the ticket: %s", kssp_last_reason());
	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	e = kssp_krb5_encode_ap_req(&ap, &w);
	if (!e)
		e = kssp_kdc_in_arena(a, &w, out);
	kssp_writer_free(&w);
	return e;
}

/*
 * RFC 4120 §7.2.2 / §5.5.1: the AP-REQ of PA-TGS-REQ: the TGT, and an
 * authenticator with a fresh subkey and a checksum over the encoded body.
 */
static kssp_err pa_tgs_req(struct tgs_call *t, const struct kssp_writer *body,
    struct kssp_arena *a, struct kssp_pa_data *pa)
{
	struct kssp_kdc_ap_req in;
	struct kssp_checksum ck;
	kssp_err e;

	if ((e = kssp_kdc_checksum(a, 0, &t->session, KSSP_KU_TGS_REQ_AUTH_CKSUM, body->buf,
	    body->len, &ck)))
		return e;
	memset(&in, 0, sizeof(in));
	in.cred = t->tgt;
	in.session = &t->session;
	in.subkey = &t->subkey;
	in.cksum = &ck;
	in.usage = KSSP_KU_TGS_REQ_AUTH;
	pa->padata_type = PA_TGS_REQ;
	return kssp_kdc_encode_ap_req(t->ctx, &in, a, &pa->padata_value);
}

static kssp_err encode_request(struct tgs_call *t, struct kssp_arena *a, uint8_t **req,
    size_t *req_len)
{
	struct kssp_kdc_req r;
	struct kssp_kdc_req_body *b = &r.req_body;
	struct kssp_pa_data *pa = kssp_arena_alloc(a, 4 * sizeof(*pa));
	struct kssp_writer body, w;
	bool added;
	kssp_err e;

	if (!pa)
		return kssp_fail(KSSP_ERR_NOMEM, "TGS-REQ: out of memory");
	memset(&r, 0, sizeof(r));
	r.pvno = KSSP_KRB5_PVNO;
	r.msg_type = KSSP_KRB5_TGS_REQ;
	b->kdc_options = t->options;
	b->realm.data = (const uint8_t *)t->realm;
	b->realm.len = strlen(t->realm);
	b->has_sname = true;
	if ((e = kssp_kdc_name(a, t->server, &b->sname)))
		return e;
	b->till = t->till;
	b->has_rtime = t->rtime != 0;
	b->rtime = t->rtime;
	if ((e = kssp_kdc_nonce(t->ctx, &t->nonce)))
		return e;
	b->nonce = t->nonce;
	b->etype = t->etypes;
	b->etype_len = t->n_etypes;
	if (t->evidence || t->second_ticket) {
		const struct kssp_cred_data *d = t->evidence ? &t->evidence->ticket : t->second_ticket;
		struct kssp_ticket *tk = kssp_arena_alloc(a, sizeof(*tk));

		if (!tk)
			return kssp_fail(KSSP_ERR_NOMEM, "TGS-REQ: out of memory");
		if ((e = kssp_krb5_decode_ticket(d->data, d->length, a, tk)))
			return kssp_fail(e, "TGS-REQ: the additional ticket (%s): %s",
			    t->evidence ? "S4U2Proxy evidence" : "user-to-user TGT", kssp_last_reason());
		b->additional_tickets = tk;
		b->additional_tickets_len = 1;
	}
	kssp_writer_init_growable(&body, KSSP_KDC_MSG_MAX);
	e = kssp_krb5_encode_kdc_req_body(b, &body);
	if (!e)
		e = pa_tgs_req(t, &body, a, &pa[0]);
	kssp_writer_free(&body);
	if (e)
		return e;
	r.padata = pa;
	r.padata_len = 1;
	if (t->impersonate && (e = pa_for_user(t, a, &pa[r.padata_len++])))
		return e;
	if (t->impersonate) {
		if ((e = pa_s4u_x509_user(t, a, &pa[r.padata_len], &added)))
			return e;
		r.padata_len += added;
	}
	if (t->evidence && (e = pa_pac_options(a, &pa[r.padata_len++])))
		return e;
	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	if (t->use_fast) {
		/*
		 * RFC 6113 §5.4.2: PA-TGS-REQ stays outside, the rest goes inside;
		 * the req-checksum covers PA-TGS-REQ's AP-REQ.
		 */
		struct kssp_kdc_req inner = r;

		inner.padata = pa + 1;
		inner.padata_len = r.padata_len - 1;
		kssp_trace(t->ctx->hooks, "TGS: armoring with FAST (RFC 6113)");
		e = kssp_fast_armor_implicit(&t->subkey, &t->session, &t->fast);
		if (!e)
			e = kssp_fast_wrap(t->ctx, &t->fast, &inner, pa, 1, pa[0].padata_value.data,
			    pa[0].padata_value.len, &w);
	} else {
		e = kssp_krb5_encode_tgs_req(&r, &w);
	}
	if (e) {
		kssp_writer_free(&w);
		return kssp_fail(e, "TGS-REQ: cannot encode: %s", kssp_last_reason());
	}
	return kssp_writer_detach(&w, req, req_len);
}

/* A krbtgt/OTHER name in the enc-part where a service was asked: a referral. */
static bool is_referral(const struct tgs_call *t, const struct kssp_enc_kdc_rep_part *enc)
{
	return t->allow_referral && kssp_krb5_name_is_tgs(&enc->sname) &&
	    !kssp_principal_is_tgs(t->server);
}

/*
 * MS-SFU §2.2.2, §3.1.5.1.2: the PA-S4U-X509-USER of an S4U2Self reply
 * echoes this request's nonce and names the user, under a checksum keyed
 * with the reply key (usage 27 when the KDC sets USE_REPLY_KEY_USAGE,
 * else 26) of that key's own type, as MIT's and AD's KDCs compute it.  A
 * reply without one (Heimdal 7.8 sends none) stands on its sealed part,
 * whose client was checked already.
 */
static kssp_err check_s4u_reply(const struct tgs_call *t, const struct kssp_kdc_rep *rep,
    struct kssp_key *reply_key, struct kssp_arena *a)
{
	const struct kssp_pa_data *pa = NULL;
	struct kssp_pa_s4u_x509_user p;
	int32_t cktype = 0;
	size_t i;
	kssp_err e;

	for (i = 0; i < rep->padata_len; i++)
		if (rep->padata[i].padata_type == PA_S4U_X509_USER)
			pa = &rep->padata[i];
	if (!pa)
		return KSSP_OK;
	if ((e = kssp_krb5_decode_pa_s4u_x509_user(pa->padata_value.data, pa->padata_value.len, a,
	    &p)))
		return kssp_fail(e, "S4U2Self reply: PA-S4U-X509-USER: %s", kssp_last_reason());
	if (p.user_id.nonce != t->nonce)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "S4U2Self reply: PA-S4U-X509-USER echoes another nonce");
	if (!p.user_id.has_cname || !kssp_kdc_name_is(&p.user_id.cname, &p.user_id.crealm,
	    t->impersonate))
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "S4U2Self reply: PA-S4U-X509-USER names another user");
	if ((e = kssp_crypto_enctype_cksumtype(reply_key->enctype, &cktype)))
		return e;
	if (p.checksum.cksumtype != cktype)
		return kssp_fail(KRB_AP_ERR_INAPP_CKSUM,
		    "S4U2Self reply: PA-S4U-X509-USER checksum type %d, not the reply key's %d",
		    (int)p.checksum.cksumtype, (int)cktype);
	e = kssp_crypto_verify_checksum(cktype, reply_key,
	    p.user_id.has_options && (p.user_id.options & KSSP_S4U_OPT_USE_REPLY_KEY_USAGE)
		? KSSP_KU_PA_S4U_X509_USER_REPLY : KSSP_KU_PA_S4U_X509_USER_REQUEST,
	    p.user_id.der.data, p.user_id.der.len, p.checksum.checksum.data, p.checksum.checksum.len);
	if (e)
		return kssp_fail(KRB_AP_ERR_MODIFIED,
		    "S4U2Self reply: the PA-S4U-X509-USER checksum does not verify");
	return KSSP_OK;
}

static kssp_err verify_reply(struct tgs_call *t, const uint8_t *msg, size_t len,
    struct kssp_cred *out, bool *referral)
{
	struct kssp_arena a;
	struct kssp_kdc_rep rep;
	struct kssp_enc_kdc_rep_part enc;
	struct kssp_kdc_expect x;
	struct kssp_krb_fast_response fr;
	struct kssp_key sub, ses, *reply_key = &sub;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	kssp_err e;

	*referral = false;
	kssp_arena_init(&a);
	memset(&sub, 0, sizeof(sub));
	memset(&ses, 0, sizeof(ses));
	memset(&fr, 0, sizeof(fr));
	if ((e = kssp_kdc_decode_reply(&kssp_krb5_tgs_rep_type, msg, len, "TGS-REP", &a, &rep,
	    &rep.pvno)))
		goto out;
	/*
	 * Under FAST the padata that count are the armored ones, the reply
	 * keys strengthened.  A TGS-REP without PA-FX-FAST (Heimdal 7.8's KDC
	 * armors no TGS reply) stands on its seal under the subkey, as MIT's
	 * client accepts it: no hint of an unarmored TGS exchange is used.
	 */
	if (t->use_fast && kssp_fast_has_pa(rep.padata, rep.padata_len, PA_FX_FAST)) {
		if (!(e = kssp_fast_open_reply(&t->fast, &rep, &a, &fr))) {
			rep.padata = fr.padata;
			rep.padata_len = fr.padata_len;
		}
	} else if (t->use_fast) {
		kssp_trace(t->ctx->hooks, "TGS: the KDC answered without FAST; the reply is "
		    "verified by its subkey seal alone");
	}
	if (!e)
		e = kssp_fast_reply_key(&fr, &t->subkey, &sub);
	if (!e)
		e = kssp_fast_reply_key(&fr, &t->session, &ses);
	if (e)
		goto out;
	/* RFC 4120 §3.3.3: sealed with the subkey (usage 9), else the session key (8). */
	e = kssp_kdc_open_enc_part(&sub, KSSP_KU_TGS_REP_ENC_PART_SUBKEY, &rep.enc_part, &a,
	    &plain, &plain_len, &enc);
	if (e == KRB_AP_ERR_BAD_INTEGRITY) {
		reply_key = &ses;
		e = kssp_kdc_open_enc_part(&ses, KSSP_KU_TGS_REP_ENC_PART_SESSION,
		    &rep.enc_part, &a, &plain, &plain_len, &enc);
	}
	if (e) {
		e = kssp_fail(e, "TGS-REP: %s", kssp_last_reason());
		goto out;
	}
	if (!kssp_kdc_name_is(&rep.cname, &rep.crealm, t->client)) {
		e = kssp_fail(KRB_AP_ERR_MODIFIED, "TGS-REP: the reply names another client");
		goto out;
	}
	if (t->impersonate && (e = check_s4u_reply(t, &rep, reply_key, &a)))
		goto out;
	memset(&x, 0, sizeof(x));
	x.nonce = t->nonce;
	*referral = is_referral(t, &enc);
	/*
	 * Checked here: a referral's end names the service in the realm that
	 * issued it.  An enterprise server name (a UPN) is the KDC's to
	 * resolve: its ticket names the account it found (RFC 6806 §5).
	 */
	x.server = NULL;
	if (!*referral && t->server->name_type != KSSP_NT_ENTERPRISE &&
	    !kssp_kdc_name_is(&enc.sname, NULL, t->server)) {
		e = kssp_fail(KRB_AP_ERR_MODIFIED, "TGS-REP: the encrypted part names another server");
		goto out;
	}
	x.till = t->till;
	x.rtime = t->rtime;
	x.now = t->now;
	x.skew = kssp_config_clockskew(t->ctx->cfg);
	x.check_skew = true;
	/* Tickets and referral TGTs come from the realm asked (RFC 6806 §8). */
	if ((enc.srealm.len != strlen(t->realm) ||
	    memcmp(enc.srealm.data, t->realm, enc.srealm.len) != 0)) {
		e = kssp_fail(KRB_AP_ERR_MODIFIED, "TGS-REP: a ticket of another realm than %s",
		    t->realm);
		goto out;
	}
	if ((e = kssp_kdc_check_reply(&rep, &enc, &x, "TGS-REP")))
		goto out;
	e = kssp_kdc_make_cred(t->client, &rep, &enc, out);
out:
	kssp_crypto_key_clear(&sub);
	kssp_crypto_key_clear(&ses);
	if (plain)
		kssp_free_secret(plain, plain_len);
	kssp_arena_free(&a);
	return e;
}

/*
 * A KRB-ERROR; under FAST the one inside the armor.  One that is not
 * armored keeps its code, as MIT's client keeps it: a TGS error can only
 * fail the request, nothing in it is acted on (unlike the AS exchange's).
 */
static kssp_err tgs_error(struct tgs_call *t, const uint8_t *msg, size_t len)
{
	struct kssp_krb_fast_response fr;
	struct kssp_krb_error err;
	struct kssp_der_bytes inner;
	struct kssp_arena a;
	kssp_err e;

	if (!t->use_fast)
		return kssp_kdc_krb_error(t->ctx, msg, len, "TGS-REQ", NULL, NULL);
	kssp_arena_init(&a);
	e = kssp_kdc_krb_error(t->ctx, msg, len, "TGS-REQ", &a, &err);
	if (t->ctx->last_error.error_code != 0) {
		struct kssp_failure outer;

		kssp_failure_save(&outer);
		if (kssp_fast_open_error(&t->fast, &err, &a, &fr, &inner) == KSSP_OK)
			e = kssp_kdc_krb_error(t->ctx, inner.data, inner.len, "TGS-REQ", &a, NULL);
		else
			kssp_failure_restore(&outer);
	}
	kssp_arena_free(&a);
	return e;
}

/*
 * MS-SFU §3.2.5.2: a KDC refuses S4U2Proxy with KDC_ERR_BADOPTION when
 * neither kind of constrained delegation allows it: the front service's
 * own list (msDS-AllowedToDelegateTo, §3.2.5.2.1), which needs a
 * forwardable evidence ticket, nor the back service's list of who may act
 * on behalf of others (msDS-AllowedToActOnBehalfOfOtherIdentity,
 * resource-based, §3.2.5.2.3).  The reason says which the KDC could have
 * used, with the KDC's own words after it.
 */
static kssp_err proxy_refused(const struct tgs_call *t, kssp_err e)
{
	static const char classic[] = "neither constrained delegation (front's "
	    "msDS-AllowedToDelegateTo) nor resource-based (back's "
	    "msDS-AllowedToActOnBehalfOfOtherIdentity) allows it";
	static const char rbcd[] = "resource-based constrained delegation (the back's "
	    "msDS-AllowedToActOnBehalfOfOtherIdentity) refused; the evidence is not forwardable";
	const char *said = t->ctx->last_error.e_text;
	char *back = NULL, *front = NULL;

	kssp_principal_unparse(t->server, 0, &back);
	kssp_principal_unparse(t->tgt->client, 0, &front);
	e = kssp_fail(e, "S4U2Proxy %s -> %s refused (%s%s%s): %s", front ? front : "?",
	    back ? back : "?", kssp_err_name(e), said[0] ? ": " : "", said,
	    t->evidence->ticket_flags & KSSP_TKT_FLG_FORWARDABLE ? classic : rbcd);
	kssp_free(back);
	kssp_free(front);
	return e;
}

/* One request and its verified reply. */
static kssp_err tgs_call(struct tgs_call *t, struct kssp_cred *out, bool *referral)
{
	struct kssp_arena a;
	struct kssp_time now;
	uint8_t *req = NULL, *reply = NULL;
	size_t req_len = 0, reply_len = 0;
	int type = 0;
	char *sname = NULL;
	kssp_err e;

	*referral = false;
	kssp_arena_init(&a);
	if ((e = kssp_kdc_cred_key(t->tgt, &t->session)) ||
	    (e = kssp_crypto_random_key(t->ctx->hooks, t->session.enctype, &t->subkey)) ||
	    (e = kssp_kdc_now(t->ctx, &now)))
		goto out;
	t->now = now.sec;
	if ((e = encode_request(t, &a, &req, &req_len)))
		goto out;
	kssp_principal_unparse(t->server, 0, &sname);
	kssp_trace(t->ctx->hooks, "TGS: TGS-REQ to %s for %s (%zu bytes)", t->realm,
	    sname ? sname : "?", req_len);
	if ((e = kssp_transport_send(t->ctx->cfg, t->ctx->hooks, t->realm, req, req_len, 0, &reply,
	    &reply_len)) || (e = kssp_kdc_reply_type(reply, reply_len, "TGS-REQ", &type)))
		goto out;
	if (type == KSSP_KRB5_ERROR) {
		e = tgs_error(t, reply, reply_len);
		if (e == KDC_ERR_BADOPTION && t->evidence)
			e = proxy_refused(t, e);
	} else if (type == KSSP_KRB5_TGS_REP)
		e = verify_reply(t, reply, reply_len, out, referral);
	else
		e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "TGS-REQ: the KDC answered an AS-REP");
out:
	kssp_free(sname);
	kssp_free(req);
	kssp_free(reply);
	kssp_crypto_key_clear(&t->session);
	kssp_crypto_key_clear(&t->subkey);
	kssp_fast_free(&t->fast);
	kssp_arena_free(&a);
	return e;
}

static void call_init(struct tgs_call *t, struct kssp_kdc_ctx *ctx, const struct kssp_cred *tgt,
    const struct kssp_tgs_opts *o)
{
	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->tgt = tgt;
	t->client = tgt->client;
	t->till = tgt->endtime;
	if (o && o->etypes) {
		t->n_etypes = o->n_etypes < KDC_MAX_ETYPES ? o->n_etypes : KDC_MAX_ETYPES;
		memcpy(t->etypes, o->etypes, t->n_etypes * sizeof(t->etypes[0]));
	} else {
		t->n_etypes = kssp_config_tgs_enctypes(ctx->cfg, t->etypes, KDC_MAX_ETYPES);
	}
	if (o ? (o->forwardable < 0 ? (tgt->ticket_flags & KSSP_TKT_FLG_FORWARDABLE) != 0
	                            : o->forwardable != 0)
	      : (tgt->ticket_flags & KSSP_TKT_FLG_FORWARDABLE) != 0)
		t->options |= KDC_OPT_FORWARDABLE;
	/*
	 * As MIT's krb5_get_credentials asks: the TGT's proxiable and renewable
	 * flags as options (their bit numbers are shared, RFC 4120 §5.3 and
	 * §5.4.1), with the TGT's renew-till as rtime, so a service ticket from
	 * a renewable TGT is renewable too.
	 */
	t->options |= tgt->ticket_flags & (KSSP_TKT_FLG_PROXIABLE | KSSP_TKT_FLG_RENEWABLE);
	if (tgt->ticket_flags & KSSP_TKT_FLG_RENEWABLE)
		t->rtime = tgt->renew_till;
}

/* Keeps a TGT of the path, and makes it the current one. */
static kssp_err next_tgt(struct kssp_credset *path, struct kssp_cred *held, struct kssp_cred *got)
{
	kssp_err e = path ? kssp_credset_put(path, got) : KSSP_OK;

	kssp_cred_clear(held);
	*held = *got;
	memset(got, 0, sizeof(*got));
	return e;
}

/* A cross-realm TGT for target from the current realm's KDC. */
static kssp_err hop_to(struct kssp_kdc_ctx *ctx, struct kssp_cred *held, const char *target,
    const struct kssp_tgs_opts *o, struct kssp_credset *path)
{
	struct tgs_call t;
	struct kssp_principal *tgs = NULL;
	struct kssp_cred got;
	const char *realm = NULL;
	bool referral;
	kssp_err e;

	if ((e = tgt_realm(held, &realm)) || (e = kssp_kdc_krbtgt(target, realm, &tgs)))
		return e;
	call_init(&t, ctx, held, o);
	t.realm = realm;
	t.server = tgs;
	kssp_trace(ctx->hooks, "TGS: cross-realm step %s -> %s", realm, target);
	e = tgs_call(&t, &got, &referral);
	kssp_principal_free(tgs);
	if (!e)
		e = next_tgt(path, held, &got);
	return e;
}

#define REALM_NAME_MAX 256

/* The realm above r in the hierarchy ("B.EX.TEST" -> "EX.TEST"), or NULL. */
static const char *parent_realm(const char *r)
{
	const char *dot = strchr(r, '.');

	return dot && dot[1] ? dot + 1 : NULL;
}

/*
 * RFC 4120 §1.2 hierarchical path from client to server: up the client's
 * realm to the longest common suffix, then down towards the server (the
 * server's realm itself not included).  Returns the count, 0 when the
 * realms share no suffix or the path does not fit.
 */
static size_t hierarchical_path(const char *client, const char *server,
    char out[][REALM_NAME_MAX], size_t max)
{
	const char *common = NULL, *c, *sv;
	const char *down[KSSP_TGS_MAX_HOPS];
	size_t n = 0, nd = 0, i;

	for (c = client; c && !common; c = parent_realm(c))
		for (sv = server; sv; sv = parent_realm(sv))
			if (strcmp(c, sv) == 0) {
				common = c;
				break;
			}
	if (!common)
		return 0;
	for (c = strcmp(client, common) ? parent_realm(client) : NULL; c && strcmp(c, common) != 0;
	     c = parent_realm(c))
		if (n < max && strlen(c) < REALM_NAME_MAX)
			snprintf(out[n++], REALM_NAME_MAX, "%s", c);
		else
			return 0;
	if (strcmp(common, client) != 0 && strcmp(common, server) != 0) {
		if (n == max)
			return 0;
		snprintf(out[n++], REALM_NAME_MAX, "%s", common);
	}
	for (sv = parent_realm(server); sv && strcmp(sv, common) != 0; sv = parent_realm(sv))
		if (nd < KSSP_TGS_MAX_HOPS)
			down[nd++] = sv;
		else
			return 0;
	for (i = nd; i > 0; i--) {
		if (n == max || strlen(down[i - 1]) >= REALM_NAME_MAX)
			return 0;
		snprintf(out[n++], REALM_NAME_MAX, "%s", down[i - 1]);
	}
	return n;
}

/*
 * Without [capaths]: each KDC is asked for the farthest realm of the
 * hierarchical path first (the server's, then the closer ones), as MIT
 * walks it; KDC_ERR_S_PRINCIPAL_UNKNOWN means "no such trust, try closer".
 */
static kssp_err walk_hierarchy(struct kssp_kdc_ctx *ctx, struct kssp_cred *held,
    const char *target, const struct kssp_tgs_opts *o, struct kssp_credset *path)
{
	char steps[KSSP_TGS_MAX_HOPS + 1][REALM_NAME_MAX];
	size_t n = hierarchical_path(held->client->realm.data, target, steps, KSSP_TGS_MAX_HOPS);
	size_t at = 0, j;
	kssp_err e = KSSP_OK;

	snprintf(steps[n++], REALM_NAME_MAX, "%s", target);
	while (at < n) {
		for (j = n; j > at; j--) {
			e = hop_to(ctx, held, steps[j - 1], o, path);
			if (e != KDC_ERR_S_PRINCIPAL_UNKNOWN)
				break;
		}
		if (e)
			return e;
		at = j;
	}
	return KSSP_OK;
}

/* The realms between the TGT's and the server's: [capaths], else the hierarchy. */
static kssp_err walk_capath(struct kssp_kdc_ctx *ctx, struct kssp_cred *held, const char *target,
    const struct kssp_tgs_opts *o, struct kssp_credset *path)
{
	const char *via[KSSP_TGS_MAX_HOPS];
	const char *client_realm = held->client->realm.data;
	size_t n = kssp_config_capath(ctx->cfg, client_realm, target, via, KSSP_TGS_MAX_HOPS), i;
	kssp_err e;

	if (n == (size_t)-1)
		return walk_hierarchy(ctx, held, target, o, path);
	if (n > KSSP_TGS_MAX_HOPS - 1)
		return kssp_fail(KSSP_ERR_LIMIT, "capaths %s -> %s: more than %d realms", client_realm,
		    target, KSSP_TGS_MAX_HOPS - 1);
	for (i = 0; i < n; i++)
		if ((e = hop_to(ctx, held, via[i], o, path)))
			return e;
	return hop_to(ctx, held, target, o, path);
}

static bool seen_realm(char seen[][KSSP_PRINCIPAL_MAX_STRING / 16], size_t n, const char *r)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(seen[i], r) == 0)
			return true;
	return false;
}

kssp_err kssp_tgs_get_ticket(struct kssp_kdc_ctx *ctx, const struct kssp_cred *tgt,
    const struct kssp_tgs_opts *o, struct kssp_credset *path, struct kssp_cred *out)
{
	char seen[KSSP_TGS_MAX_HOPS + 1][KSSP_PRINCIPAL_MAX_STRING / 16];
	const struct kssp_principal *server = o->impersonate ? tgt->client : o->server;
	struct kssp_cred held;
	const char *realm = NULL;
	size_t nseen = 0, hop;
	kssp_err e;

	memset(&ctx->last_error, 0, sizeof(ctx->last_error));
	if (!server)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "TGS-REQ: no server named");
	if ((e = tgt_realm(tgt, &realm)) || (e = kssp_cred_copy(tgt, &held)))
		return e;
	/* A server of another, named realm: walk to it first. */
	if (server->realm.length && strcmp(server->realm.data, realm) != 0 && !o->impersonate &&
	    (e = walk_capath(ctx, &held, server->realm.data, o, path)))
		goto out;
	for (hop = 0; hop <= KSSP_TGS_MAX_HOPS; hop++) {
		struct tgs_call t;
		struct kssp_cred got;
		const char *next;
		bool referral;

		if ((e = tgt_realm(&held, &realm)))
			break;
		if (strlen(realm) >= sizeof(seen[0]) || seen_realm(seen, nseen, realm)) {
			e = kssp_fail(KRB_AP_ERR_MODIFIED, "TGS: referral loop through realm %s", realm);
			break;
		}
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", realm);
		call_init(&t, ctx, &held, o);
		t.realm = realm;
		t.server = server;
		t.impersonate = o->impersonate;
		t.evidence = o->evidence;
		t.second_ticket = o->second_ticket;
		if (o->second_ticket)
			t.options |= KDC_OPT_ENC_TKT_IN_SKEY;
		if (o->impersonate)
			t.client = o->impersonate;
		else if (o->evidence)
			t.client = o->evidence->client;
		if (o->evidence)
			t.options |= KDC_OPT_CNAME_IN_ADDL_TKT | KDC_OPT_FORWARDABLE;
		/*
		 * S4U tickets are asked without renewability: the user's ticket
		 * is no renewable TGT, and Heimdal's and Samba's KDCs refuse
		 * S4U2Proxy with RENEWABLE (KDC_ERR_BADOPTION).
		 */
		if (o->impersonate || o->evidence) {
			t.options &= ~(uint32_t)(KDC_OPT_RENEWABLE | KDC_OPT_PROXIABLE);
			t.rtime = 0;
		}
		t.use_fast = o->fast;
		t.allow_referral = o->canonicalize != 0 && !o->impersonate && !o->second_ticket;
		if (t.allow_referral)
			t.options |= KDC_OPT_CANONICALIZE;
		if ((e = tgs_call(&t, &got, &referral)))
			break;
		if (!referral) {
			*out = got;
			/* MIT's ccache marks it so (is_skey, second_ticket): no other request finds it. */
			if (o->second_ticket) {
				out->is_skey = true;
				e = kssp_cred_data_set(&out->second_ticket, o->second_ticket->data,
				    o->second_ticket->length);
			}
			break;
		}
		next = kssp_principal_tgs_realm(got.server)->data;
		kssp_trace(ctx->hooks, "TGS: referral from %s to %s", realm, next);
		if (seen_realm(seen, nseen, next)) {
			e = kssp_fail(KRB_AP_ERR_MODIFIED, "TGS: referral loop back to realm %s", next);
			kssp_cred_clear(&got);
			break;
		}
		if ((e = next_tgt(path, &held, &got)))
			break;
	}
	if (!e && hop > KSSP_TGS_MAX_HOPS)
		e = kssp_fail(KSSP_ERR_LIMIT, "TGS: more than %d referrals", KSSP_TGS_MAX_HOPS);
	if (!e) {
		/* A path step refused on the way is no error of the whole request. */
		memset(&ctx->last_error, 0, sizeof(ctx->last_error));
	}
out:
	kssp_cred_clear(&held);
	return e;
}

kssp_err kssp_tgs_renew(struct kssp_kdc_ctx *ctx, const struct kssp_cred *cred,
    struct kssp_cred *out)
{
	struct tgs_call t;
	bool referral;

	memset(&ctx->last_error, 0, sizeof(ctx->last_error));
	if (!(cred->ticket_flags & KSSP_TKT_FLG_RENEWABLE) || cred->renew_till == 0)
		return kssp_fail(KDC_ERR_BADOPTION, "renew: the ticket is not renewable");
	call_init(&t, ctx, cred, NULL);
	t.realm = cred->server->realm.data;
	t.server = cred->server;
	/*
	 * As MIT's krb5_get_renewed_creds asks: the ticket's own forwardable,
	 * proxiable and renewable flags as options, and rtime = till = its
	 * renew-till.  Without RENEWABLE and rtime a KDC may (AD does) issue
	 * a ticket no longer renewable (RFC 4120 §3.3.3, §5.4.1).  Ticket flags
	 * and KDC options share the bit numbers of these three.
	 */
	t.options = KDC_OPT_RENEW | KDC_OPT_RENEWABLE |
	    (cred->ticket_flags & (KDC_OPT_FORWARDABLE | KDC_OPT_PROXIABLE));
	t.till = cred->renew_till;
	t.rtime = cred->renew_till;
	kssp_trace(ctx->hooks, "TGS: renewing the ticket (renewable until %lld)",
	    (long long)cred->renew_till);
	return tgs_call(&t, out, &referral);
}

kssp_err kssp_tgs_forward_tgt(struct kssp_kdc_ctx *ctx, const struct kssp_cred *tgt,
    struct kssp_cred *out)
{
	struct tgs_call t;
	const char *realm = NULL;
	bool referral;
	kssp_err e;

	memset(&ctx->last_error, 0, sizeof(ctx->last_error));
	if ((e = tgt_realm(tgt, &realm)))
		return e;
	if (!(tgt->ticket_flags & KSSP_TKT_FLG_FORWARDABLE))
		return kssp_fail(KDC_ERR_BADOPTION,
		    "forwarded TGT: the TGT is not forwardable (kinit -f, or forwardable = true)");
	call_init(&t, ctx, tgt, NULL);
	t.realm = realm;
	t.server = tgt->server;
	t.options |= KDC_OPT_FORWARDED | KDC_OPT_FORWARDABLE;
	kssp_trace(ctx->hooks, "TGS: asking %s for a forwarded TGT", realm);
	e = tgs_call(&t, out, &referral);
	if (!e && !(out->ticket_flags & KSSP_TKT_FLG_FORWARDED)) {
		kssp_cred_clear(out);
		e = kssp_fail(KDC_ERR_BADOPTION, "forwarded TGT: the KDC's ticket is not marked forwarded");
	}
	return e;
}
