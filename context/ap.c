/*
 * context/ap.c - the context object, RFC 2743 §3.1 framing of context
 * tokens, channel bindings, and the initiator's side of RFC 4121 §4.1.
 */
#include "context/ap_int.h"

#include <stdio.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "context/pac_int.h"

/* ---- the context object ------------------------------------------------ */

void kssp_ctx_init(struct kssp_ctx *ctx, const struct kssp_hooks *hooks)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->hooks = hooks;
}

kssp_err kssp_ctx_handshake_new(struct kssp_ctx *ctx)
{
	ctx->hs = kssp_calloc(1, sizeof(*ctx->hs));
	return ctx->hs ? KSSP_OK : kssp_fail(KSSP_ERR_NOMEM, "context: out of memory");
}

void kssp_ctx_handshake_free(struct kssp_ctx *ctx)
{
	if (!ctx->hs)
		return;
	kssp_crypto_key_clear(&ctx->hs->session_key);
	kssp_crypto_key_clear(&ctx->hs->subkey);
	kssp_crypto_key_clear(&ctx->hs->acceptor_subkey);
	kssp_free_secret(ctx->hs, sizeof(*ctx->hs));
	ctx->hs = NULL;
}

void kssp_ctx_clear(struct kssp_ctx *ctx)
{
	const struct kssp_hooks *hooks = ctx->hooks;

	kssp_ctx_handshake_free(ctx);
	kssp_principal_free(ctx->client);
	kssp_principal_free(ctx->server);
	if (ctx->delegated) {
		kssp_cred_clear(ctx->delegated);
		kssp_free(ctx->delegated);
	}
	if (ctx->evidence) {
		kssp_cred_clear(ctx->evidence);
		kssp_free(ctx->evidence);
	}
	kssp_free(ctx->pac);
	kssp_token_ctx_clear(&ctx->tokens);
	kssp_ctx_init(ctx, hooks);
}

kssp_err kssp_ctx_now(const struct kssp_ctx *ctx, int64_t offset, struct kssp_time *now)
{
	kssp_err e = kssp_hooks_now(ctx->hooks, now);

	if (!e)
		now->sec += offset;
	return e;
}

void kssp_ctx_trace_names(const struct kssp_ctx *ctx, const char *what,
    const struct kssp_principal *a, const struct kssp_principal *b)
{
	char *an = NULL, *bn = NULL;

	if (!ctx->hooks || !ctx->hooks->trace)
		return;
	if (a && kssp_principal_unparse(a, 0, &an) != KSSP_OK)
		an = NULL;
	if (b && kssp_principal_unparse(b, 0, &bn) != KSSP_OK)
		bn = NULL;
	/* what is one of this layer's own formats with exactly two %s. */
	kssp_trace(ctx->hooks, what, an ? an : a ? "?" : "", bn ? bn : b ? "?" : "");
	kssp_free(an);
	kssp_free(bn);
}

/* Which key the tokens use (RFC 4121 §2), for the trace. */
static const char *token_key_name(const struct kssp_ctx *ctx)
{
	if (ctx->hs->acceptor_subkey.enctype)
		return "acceptor subkey";
	return ctx->hs->subkey.enctype ? "initiator subkey" : "session key";
}

static void trace_established(const struct kssp_ctx *ctx)
{
	char what[192];
	const struct kssp_key *k = kssp_token_ctx_key(&ctx->tokens);

	if (!ctx->hooks || !ctx->hooks->trace)
		return;
	snprintf(what, sizeof(what),
	    "context: established as %s: %%s -> %%s, tokens under the %s (enctype %d, %s), "
	    "flags 0x%x", ctx->initiator ? "initiator" : "acceptor", token_key_name(ctx),
	    (int)k->enctype, kssp_crypto_enctype_name(k->enctype), (unsigned)ctx->flags);
	kssp_ctx_trace_names(ctx, what, ctx->client, ctx->server);
}

kssp_err kssp_ctx_establish(struct kssp_ctx *ctx)
{
	/* RFC 4121 §2: the acceptor's subkey if asserted, else the initiator's
	 * subkey, else the session key. */
	const struct kssp_ctx_handshake *k = ctx->hs;
	const struct kssp_key *key;
	uint32_t send = ctx->initiator ? ctx->initiator_seq : ctx->acceptor_seq;
	uint32_t recv = ctx->initiator ? ctx->acceptor_seq : ctx->initiator_seq;
	kssp_err e;

	if (!k)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "context: no handshake to establish");
	key = k->subkey.enctype ? &k->subkey : &k->session_key;
	ctx->session_enctype = k->session_key.enctype;
	kssp_token_ctx_clear(&ctx->tokens);
	e = kssp_token_ctx_init(&ctx->tokens, key,
	    k->acceptor_subkey.enctype ? &k->acceptor_subkey : NULL, ctx->initiator,
	    ctx->flags, send, recv, ctx->hooks);
	ctx->state = e ? KSSP_CTX_FAILED : KSSP_CTX_ESTABLISHED;
	if (!e)
		trace_established(ctx);
	/*
	 * The tokens work on their own copies (export and SECPKG_ATTR_SESSION_KEY
	 * read those); DCE style keeps the session key for its third leg, but
	 * not the ~7 KB of schedules derived for the authenticator and the AP-REP.
	 */
	if (ctx->flags & KSSP_GSS_DCE_STYLE) {
		kssp_crypto_key_drop_cache(&ctx->hs->session_key);
		kssp_crypto_key_drop_cache(&ctx->hs->subkey);
		kssp_crypto_key_drop_cache(&ctx->hs->acceptor_subkey);
	} else {
		kssp_ctx_handshake_free(ctx);
	}
	return e;
}

kssp_err kssp_ctx_check_expiry(const struct kssp_ctx *ctx, int64_t now, int64_t skew)
{
	if (ctx->state != KSSP_CTX_ESTABLISHED)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "context: not established");
	if (ctx->endtime && ctx->endtime + skew < now)
		return kssp_fail(KRB_AP_ERR_TKT_EXPIRED, "context: expired at %lld (its ticket's end)",
		    (long long)ctx->endtime);
	return KSSP_OK;
}

/* ---- conversions --------------------------------------------------------- */

void kssp_ctx_principal_to_asn1(const struct kssp_principal *p, struct kssp_der_bytes *comps,
    struct kssp_principal_name *pn, struct kssp_der_bytes *realm)
{
	size_t i, n = p->n_name_string;

	if (n > KSSP_PRINCIPAL_MAX_COMPONENTS)
		n = KSSP_PRINCIPAL_MAX_COMPONENTS;
	memset(pn, 0, sizeof(*pn));
	for (i = 0; i < n; i++) {
		comps[i].data = (const uint8_t *)p->name_string[i].data;
		comps[i].len = p->name_string[i].length;
	}
	pn->name_type = p->name_type;
	pn->name_string = comps;
	pn->name_string_len = n;
	realm->data = (const uint8_t *)p->realm.data;
	realm->len = p->realm.length;
}

kssp_err kssp_ctx_principal_from_asn1(const struct kssp_principal_name *pn,
    const struct kssp_der_bytes *realm, struct kssp_principal **out)
{
	struct kssp_pstring comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	size_t i;

	if (pn->name_string_len > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "principal name of %zu components",
		    pn->name_string_len);
	for (i = 0; i < pn->name_string_len; i++) {
		/* kssp_principal_new copies; the cast only fits its struct. */
		comps[i].data = (char *)(uintptr_t)pn->name_string[i].data;
		comps[i].length = pn->name_string[i].len;
	}
	return kssp_principal_new(out, pn->name_type, (const char *)realm->data,
	    realm->data ? realm->len : 0, comps, pn->name_string_len);
}

kssp_err kssp_ctx_key_from_asn1(const struct kssp_encryption_key *ek, struct kssp_key *key)
{
	memset(key, 0, sizeof(*key));
	return kssp_crypto_key_init(key, ek->keytype, ek->keyvalue.data, ek->keyvalue.len);
}

kssp_err kssp_ctx_encrypt(const struct kssp_hooks *hooks, struct kssp_key *key,
    uint32_t usage, const uint8_t *plain, size_t len, struct kssp_encrypted_data *ed,
    uint8_t **cipher)
{
	kssp_err e;

	memset(ed, 0, sizeof(*ed));
	ed->etype = key->enctype;
	e = kssp_crypto_seal(hooks, key, usage, plain, len, cipher, &ed->cipher.len);
	ed->cipher.data = *cipher;
	return e;
}

/* ---- framing (RFC 2743 §3.1, done by asn1/gss) --------------------------- */

kssp_err kssp_ctx_frame(uint16_t tok_id, const uint8_t *inner, size_t inner_len,
    uint8_t **out, size_t *out_len)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, 0);
	e = kssp_gss_encode_krb5(tok_id, inner, inner_len, &w);
	if (e) {
		kssp_writer_free(&w);
		return e;
	}
	return kssp_writer_detach(&w, out, out_len);
}

kssp_err kssp_ctx_unframe(const uint8_t *token, size_t len, uint16_t *tok_id,
    const uint8_t **inner, size_t *inner_len)
{
	struct kssp_gss_krb5_token t;
	kssp_err e = kssp_gss_decode_krb5(token, len, &t);

	if (e)
		return e;
	*tok_id = t.tok_id;
	*inner = t.message.data;
	*inner_len = t.message.len;
	return KSSP_OK;
}

/* ---- channel bindings (RFC 4121 §4.1.1.2) -------------------------------- */

static void le32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

void kssp_ctx_channel_bindings_hash(const struct kssp_channel_bindings *cb, uint8_t out[16])
{
	uint8_t n[5][4];
	struct kssp_crypto_iov parts[8];

	le32(n[0], cb->initiator_addrtype);
	le32(n[1], (uint32_t)cb->initiator_address_len);
	le32(n[2], cb->acceptor_addrtype);
	le32(n[3], (uint32_t)cb->acceptor_address_len);
	le32(n[4], (uint32_t)cb->application_data_len);
	parts[0] = (struct kssp_crypto_iov){ n[0], 4 };
	parts[1] = (struct kssp_crypto_iov){ n[1], 4 };
	parts[2] = (struct kssp_crypto_iov){ cb->initiator_address, cb->initiator_address_len };
	parts[3] = (struct kssp_crypto_iov){ n[2], 4 };
	parts[4] = (struct kssp_crypto_iov){ n[3], 4 };
	parts[5] = (struct kssp_crypto_iov){ cb->acceptor_address, cb->acceptor_address_len };
	parts[6] = (struct kssp_crypto_iov){ n[4], 4 };
	parts[7] = (struct kssp_crypto_iov){ cb->application_data, cb->application_data_len };
	kssp_crypto_md5(parts, 8, out);
}

/* ---- initiator ----------------------------------------------------------- */

/*
 * KRB-CRED with the forwarded TGT, its EncKrbCredPart sealed in the
 * session key (usage 14), as MIT sends it inside the 0x8003 checksum.
 */
static kssp_err make_krb_cred(struct kssp_ctx *ctx, const struct kssp_cred *tgt,
    struct kssp_writer *out)
{
	struct kssp_der_bytes pcomps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	struct kssp_der_bytes scomps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	struct kssp_krb_cred_info info;
	struct kssp_enc_krb_cred_part part;
	struct kssp_krb_cred cred;
	struct kssp_ticket ticket;
	struct kssp_arena arena;
	struct kssp_writer w;
	uint8_t *cipher = NULL;
	kssp_err e;

	memset(&info, 0, sizeof(info));
	memset(&part, 0, sizeof(part));
	memset(&cred, 0, sizeof(cred));
	kssp_arena_init(&arena);
	kssp_writer_init_growable(&w, 0);
	e = kssp_krb5_decode_ticket(tgt->ticket.data, tgt->ticket.length, &arena, &ticket);
	if (e)
		goto out;
	info.key.keytype = tgt->keytype;
	info.key.keyvalue.data = tgt->keyvalue.data;
	info.key.keyvalue.len = tgt->keyvalue.length;
	kssp_ctx_principal_to_asn1(tgt->client, pcomps, &info.pname, &info.prealm);
	info.has_pname = true;
	kssp_ctx_principal_to_asn1(tgt->server, scomps, &info.sname, &info.srealm);
	info.has_sname = true;
	info.has_flags = true;
	info.flags = tgt->ticket_flags;
	info.has_authtime = true;
	info.authtime = tgt->authtime;
	info.has_starttime = tgt->starttime != 0;
	info.starttime = tgt->starttime;
	info.has_endtime = true;
	info.endtime = tgt->endtime;
	info.has_renew_till = tgt->renew_till != 0;
	info.renew_till = tgt->renew_till;
	part.ticket_info = &info;
	part.ticket_info_len = 1;
	e = kssp_krb5_encode_enc_krb_cred_part(&part, &w);
	if (!e)
		e = kssp_ctx_encrypt(ctx->hooks, &ctx->hs->session_key, KSSP_KU_KRB_CRED_ENC_PART,
		    w.buf, w.len, &cred.enc_part, &cipher);
	if (e)
		goto out;
	cred.pvno = KSSP_KRB5_PVNO;
	cred.msg_type = KSSP_KRB5_CRED;
	cred.tickets = &ticket;
	cred.tickets_len = 1;
	e = kssp_krb5_encode_krb_cred(&cred, out);
out:
	kssp_writer_free(&w);
	kssp_free(cipher);
	kssp_arena_free(&arena);
	return e;
}

/* The 0x8003 checksum value (RFC 4121 §4.1.1, MS-KILE 3.2.5.2). */
static kssp_err make_gss_checksum(struct kssp_ctx *ctx, const struct kssp_ctx_initiate_params *p,
    struct kssp_writer *w)
{
	struct kssp_writer deleg;
	uint8_t bnd[16];
	kssp_err e = KSSP_OK;

	memset(bnd, 0, sizeof(bnd));
	if (p->bindings)
		kssp_ctx_channel_bindings_hash(p->bindings, bnd);
	kssp_writer_put_le32(w, 16);
	kssp_writer_put_bytes(w, bnd, sizeof(bnd));
	kssp_writer_put_le32(w, ctx->flags);
	if (!(ctx->flags & KSSP_GSS_DELEG))
		return kssp_writer_status(w);
	kssp_writer_init_growable(&deleg, 0);
	e = make_krb_cred(ctx, p->delegate, &deleg);
	if (!e && deleg.len > UINT16_MAX)
		e = kssp_fail(KSSP_ERR_LIMIT, "delegation: KRB-CRED of %zu bytes", deleg.len);
	if (!e) {
		kssp_writer_put_le16(w, 1); /* DlgOpt */
		kssp_writer_put_le16(w, (uint16_t)deleg.len);
		kssp_writer_put_bytes(w, deleg.buf, deleg.len);
		e = kssp_writer_status(w);
	}
	kssp_writer_free(&deleg);
	return e;
}

/*
 * RFC 4537 §3: our enctypes as AD-IF-RELEVANT { AD-ETYPE-NEGOTIATION },
 * into w, sent (as MIT's make_etype_list) only when mutual authentication
 * lets the acceptor answer and we prefer another enctype to the session
 * key's, which, if listed, ends the list.  Nothing written: none to send.
 */
static kssp_err make_etype_negotiation(const struct kssp_ctx *ctx,
    const struct kssp_ctx_initiate_params *p, struct kssp_writer *w)
{
	int32_t list[KSSP_ETYPE_LIST_MAX];
	struct kssp_etype_list el = { .etypes = list };
	struct kssp_authdata ad = { .ad_type = KSSP_AD_ETYPE_NEGOTIATION };
	struct kssp_authorization_data rel = { .elements = &ad, .elements_len = 1 };
	struct kssp_writer inner;
	kssp_err e;

	if (!(ctx->flags & KSSP_GSS_MUTUAL) || p->n_etypes == 0 ||
	    p->etypes[0] == ctx->hs->session_key.enctype)
		return KSSP_OK;
	while (el.etypes_len < p->n_etypes && el.etypes_len < KSSP_ETYPE_LIST_MAX) {
		list[el.etypes_len] = p->etypes[el.etypes_len];
		if (list[el.etypes_len++] == ctx->hs->session_key.enctype)
			break;
	}
	kssp_writer_init_growable(&inner, 0);
	e = kssp_krb5_encode_etype_list(&el, &inner);
	ad.ad_data.data = inner.buf;
	ad.ad_data.len = inner.len;
	if (!e)
		e = kssp_krb5_encode_ad_if_relevant(&rel, w);
	kssp_writer_free(&inner);
	return e;
}

/* Encodes the Authenticator and seals it in the session key (usage 11). */
static kssp_err make_authenticator(struct kssp_ctx *ctx, const struct kssp_ctx_initiate_params *p,
    struct kssp_encrypted_data *ed, uint8_t **cipher)
{
	struct kssp_der_bytes comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	struct kssp_authenticator a;
	struct kssp_authdata rel = { .ad_type = KSSP_AD_IF_RELEVANT };
	struct kssp_writer ck, w, ad;
	kssp_err e;

	memset(&a, 0, sizeof(a));
	kssp_writer_init_growable(&ck, 0);
	kssp_writer_init_growable(&w, 0);
	kssp_writer_init_growable(&ad, 0);
	e = make_gss_checksum(ctx, p, &ck);
	if (!e)
		e = make_etype_negotiation(ctx, p, &ad);
	if (e)
		goto out;
	if (ad.len) {
		rel.ad_data.data = ad.buf;
		rel.ad_data.len = ad.len;
		a.authorization_data = &rel;
		a.authorization_data_len = 1;
	}
	a.authenticator_vno = KSSP_KRB5_PVNO;
	kssp_ctx_principal_to_asn1(p->service->client, comps, &a.cname, &a.crealm);
	a.has_cksum = true;
	a.cksum.cksumtype = KSSP_CKSUMTYPE_GSSAPI;
	a.cksum.checksum.data = ck.buf;
	a.cksum.checksum.len = ck.len;
	a.ctime = ctx->ctime;
	a.cusec = ctx->hs->cusec;
	a.has_subkey = true;
	a.subkey.keytype = ctx->hs->subkey.enctype;
	a.subkey.keyvalue.data = ctx->hs->subkey.contents;
	a.subkey.keyvalue.len = ctx->hs->subkey.length;
	a.has_seq_number = true;
	a.seq_number = ctx->initiator_seq;
	e = kssp_krb5_encode_authenticator(&a, &w);
	if (!e)
		e = kssp_ctx_encrypt(ctx->hooks, &ctx->hs->session_key, KSSP_KU_AP_REQ_AUTH, w.buf,
		    w.len, ed, cipher);
out:
	kssp_writer_free(&ck);
	kssp_writer_free(&w);
	kssp_writer_free(&ad);
	return e;
}

static kssp_err check_initiate_params(const struct kssp_ctx_initiate_params *p)
{
	if (!p || !p->service || !p->service->client || !p->service->server ||
	    !p->service->ticket.data || !p->service->keyvalue.data)
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "initiate: a service ticket with its session key and names is needed");
	if ((p->req_flags & KSSP_GSS_DELEG) && (!p->delegate || !p->delegate->ticket.data ||
	    !p->delegate->client || !p->delegate->server))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "initiate: delegation asked for without a forwardable TGT");
	return KSSP_OK;
}

kssp_err kssp_ctx_random_seq(const struct kssp_ctx *ctx, uint32_t *seq)
{
	uint8_t b[4];
	kssp_err e = kssp_hooks_random(ctx->hooks, b, sizeof(b));

	/* Kept below 2^30, as MIT does, so that peers that treat the number as
	 * signed or 32-bit never wrap early. */
	*seq = ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) &
	    0x3FFFFFFFu;
	return e;
}

static void trace_ap_req(const struct kssp_ctx *ctx, const struct kssp_ap_req *req, size_t len)
{
	char what[192];

	if (!ctx->hooks || !ctx->hooks->trace)
		return;
	snprintf(what, sizeof(what),
	    "context: AP-REQ from %%s to %%s (%zu bytes): ticket enctype %d, session key "
	    "enctype %d, %s", len, (int)req->ticket.enc_part.etype, (int)ctx->hs->session_key.enctype,
	    (ctx->flags & KSSP_GSS_MUTUAL) ? "mutual authentication asked" : "no AP-REP asked");
	kssp_ctx_trace_names(ctx, what, ctx->client, ctx->server);
}

kssp_err kssp_ctx_initiate(struct kssp_ctx *ctx, const struct kssp_ctx_initiate_params *p,
    uint8_t **token, size_t *token_len)
{
	struct kssp_ap_req req;
	struct kssp_arena arena;
	struct kssp_writer w;
	struct kssp_time now;
	uint8_t *cipher = NULL;
	kssp_err e = check_initiate_params(p);

	*token = NULL;
	if (e)
		return e;
	kssp_ctx_clear(ctx);
	ctx->initiator = true;
	ctx->u2u = p->service->is_skey;
	e = kssp_ctx_handshake_new(ctx);
	if (e)
		return e;
	memset(&req, 0, sizeof(req));
	kssp_arena_init(&arena);
	kssp_writer_init_growable(&w, 0);
	ctx->flags = (p->req_flags & KSSP_CTX_KNOWN_FLAGS) | KSSP_CTX_ALWAYS_FLAGS;
	/* DCE style implies mutual authentication (MS-KILE 3.4.5.1; MIT). */
	if (ctx->flags & KSSP_GSS_DCE_STYLE)
		ctx->flags |= KSSP_GSS_MUTUAL;
	ctx->endtime = p->service->endtime;
	e = kssp_crypto_key_init(&ctx->hs->session_key, p->service->keytype,
	    p->service->keyvalue.data, p->service->keyvalue.length);
	if (!e)
		e = kssp_crypto_random_key(ctx->hooks, ctx->hs->session_key.enctype,
		    &ctx->hs->subkey);
	if (!e)
		e = kssp_ctx_random_seq(ctx, &ctx->initiator_seq);
	if (!e)
		e = kssp_ctx_now(ctx, p->time_offset, &now);
	if (!e)
		e = kssp_principal_copy(p->service->client, &ctx->client);
	if (!e)
		e = kssp_principal_copy(p->service->server, &ctx->server);
	if (e)
		goto out;
	ctx->ctime = now.sec;
	ctx->hs->cusec = now.usec;
	e = kssp_krb5_decode_ticket(p->service->ticket.data, p->service->ticket.length, &arena,
	    &req.ticket);
	if (!e)
		e = make_authenticator(ctx, p, &req.authenticator, &cipher);
	if (e)
		goto out;
	req.pvno = KSSP_KRB5_PVNO;
	req.msg_type = KSSP_KRB5_AP_REQ;
	req.ap_options = (ctx->flags & KSSP_GSS_MUTUAL) ? KSSP_AP_OPT_MUTUAL_REQUIRED : 0;
	if (ctx->u2u)
		req.ap_options |= KSSP_AP_OPT_USE_SESSION_KEY;
	e = kssp_krb5_encode_ap_req(&req, &w);
	/* MS-KILE 3.4.5.1: a DCE-style AP-REQ has no RFC 2743 framing. */
	if (!e && (ctx->flags & KSSP_GSS_DCE_STYLE))
		e = kssp_writer_detach(&w, token, token_len);
	else if (!e)
		e = kssp_ctx_frame_mech(ctx->u2u, KSSP_TOK_AP_REQ, w.buf, w.len, token, token_len);
	if (e)
		goto out;
	trace_ap_req(ctx, &req, *token_len);
	if (ctx->flags & KSSP_GSS_MUTUAL) {
		ctx->state = KSSP_CTX_WAIT_AP_REP;
	} else {
		/* Without an AP-REP the acceptor numbers from our initial number. */
		ctx->acceptor_seq = ctx->initiator_seq;
		e = kssp_ctx_establish(ctx);
	}
out:
	kssp_writer_free(&w);
	kssp_free(cipher);
	kssp_arena_free(&arena);
	if (e) {
		kssp_free(*token);
		*token = NULL;
		ctx->state = KSSP_CTX_FAILED;
	}
	return e;
}

/* A KRB-ERROR token from the acceptor: its code becomes ours. */
static kssp_err take_krb_error(struct kssp_ctx *ctx, const uint8_t *inner, size_t len)
{
	struct kssp_krb_error err;
	struct kssp_arena arena;
	kssp_err e;

	kssp_arena_init(&arena);
	e = kssp_krb5_decode_krb_error(inner, len, &arena, &err);
	if (!e) {
		ctx->hs->error_code = err.error_code;
		ctx->hs->error_stime = err.stime;
		kssp_trace(ctx->hooks, "context: the acceptor answered KRB-ERROR %d", err.error_code);
		e = kssp_fail(err.error_code > 0 && err.error_code < KSSP_ERR_OWN_BASE ?
		    (kssp_err)err.error_code : KRB_ERR_GENERIC,
		    "acceptor answered with KRB-ERROR %d%s%.*s", err.error_code,
		    err.e_text.data ? ": " : "", err.e_text.data ? (int)err.e_text.len : 0,
		    err.e_text.data ? (const char *)err.e_text.data : "");
	}
	kssp_arena_free(&arena);
	return e;
}

/* Acceptor subkeys for arcfour-hmac contexts are ignored unless DCE style
 * or of another enctype: MIT keeps RFC 1964 tokens then (its acceptor
 * sends none), and so RFC 4757 tokens stay in use. */
static bool use_acceptor_subkey(const struct kssp_ctx *ctx, int32_t enctype)
{
	if (ctx->hs->subkey.enctype != KSSP_ENCTYPE_ARCFOUR_HMAC)
		return true;
	return (ctx->flags & KSSP_GSS_DCE_STYLE) || enctype != ctx->hs->subkey.enctype;
}

kssp_err kssp_ctx_open_ap_rep(struct kssp_ctx *ctx, const uint8_t *der, size_t len,
    struct kssp_arena *arena, struct kssp_enc_ap_rep_part *part, uint8_t **plain,
    size_t *plain_len)
{
	struct kssp_ap_rep rep;
	kssp_err e = kssp_krb5_decode_ap_rep(der, len, arena, &rep);

	*plain = NULL;
	*plain_len = 0;
	if (!e && (rep.pvno != KSSP_KRB5_PVNO || rep.msg_type != KSSP_KRB5_AP_REP))
		e = kssp_fail(KRB_AP_ERR_MSG_TYPE, "AP-REP: pvno %d, msg-type %d", rep.pvno,
		    rep.msg_type);
	if (!e)
		e = kssp_crypto_open(&ctx->hs->session_key, KSSP_KU_AP_REP_ENC_PART, rep.enc_part.etype,
		    rep.enc_part.cipher.data, rep.enc_part.cipher.len, "AP-REP", plain, plain_len);
	if (!e)
		e = kssp_krb5_decode_enc_ap_rep_part(*plain, *plain_len, arena, part);
	return e;
}

kssp_err kssp_ctx_seal_ap_rep(struct kssp_ctx *ctx, const struct kssp_enc_ap_rep_part *part,
    uint8_t **out, size_t *out_len)
{
	struct kssp_ap_rep rep;
	struct kssp_writer w, r;
	uint8_t *cipher = NULL;
	kssp_err e;

	memset(&rep, 0, sizeof(rep));
	kssp_writer_init_growable(&w, 0);
	kssp_writer_init_growable(&r, 0);
	e = kssp_krb5_encode_enc_ap_rep_part(part, &w);
	if (!e)
		e = kssp_ctx_encrypt(ctx->hooks, &ctx->hs->session_key, KSSP_KU_AP_REP_ENC_PART, w.buf,
		    w.len, &rep.enc_part, &cipher);
	if (!e) {
		rep.pvno = KSSP_KRB5_PVNO;
		rep.msg_type = KSSP_KRB5_AP_REP;
		e = kssp_krb5_encode_ap_rep(&rep, &r);
	}
	/* MS-KILE 3.4.5.1: DCE-style AP-REPs travel bare, as the AP-REQ. */
	if (!e && (ctx->flags & KSSP_GSS_DCE_STYLE))
		e = kssp_writer_detach(&r, out, out_len);
	else if (!e)
		e = kssp_ctx_frame_mech(ctx->u2u, KSSP_TOK_AP_REP, r.buf, r.len, out, out_len);
	kssp_writer_free(&w);
	kssp_writer_free(&r);
	kssp_free(cipher);
	return e;
}

static kssp_err take_ap_rep(struct kssp_ctx *ctx, const uint8_t *inner, size_t len)
{
	struct kssp_enc_ap_rep_part part;
	struct kssp_arena arena;
	uint8_t *plain = NULL;
	size_t plen = 0;
	kssp_err e;

	kssp_arena_init(&arena);
	e = kssp_ctx_open_ap_rep(ctx, inner, len, &arena, &part, &plain, &plen);
	if (e)
		goto out;
	if (part.ctime != ctx->ctime || part.cusec != ctx->hs->cusec) {
		e = kssp_fail(KRB_AP_ERR_MUT_FAIL,
		    "AP-REP: ctime/cusec %lld.%06d do not echo ours %lld.%06d",
		    (long long)part.ctime, part.cusec, (long long)ctx->ctime, ctx->hs->cusec);
		goto out;
	}
	if (part.has_subkey && use_acceptor_subkey(ctx, part.subkey.keytype))
		e = kssp_ctx_key_from_asn1(&part.subkey, &ctx->hs->acceptor_subkey);
	ctx->acceptor_seq = part.has_seq_number ? part.seq_number : 0;
	if (!e)
		e = kssp_ctx_establish(ctx);
out:
	kssp_free_secret(plain, plen);
	kssp_arena_free(&arena);
	return e;
}

kssp_err kssp_ctx_initiate_continue(struct kssp_ctx *ctx, const uint8_t *token, size_t len)
{
	const uint8_t *inner;
	size_t ilen;
	uint16_t tok_id;
	kssp_err e;

	if (ctx->state != KSSP_CTX_WAIT_AP_REP)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "initiate: no AP-REP is expected");
	/*
	 * MS-KILE 3.4.5.1: a DCE-style AP-REP comes bare, a KRB-ERROR bare or
	 * framed (MIT's acceptor frames its refusals in every mode).
	 */
	if ((ctx->flags & KSSP_GSS_DCE_STYLE) && len > 0 && token[0] != KSSP_DER_GSS_TAG) {
		e = token[0] == KSSP_DER_KRB_ERROR_TAG ? take_krb_error(ctx, token, len) :
		    take_ap_rep(ctx, token, len);
		if (e)
			ctx->state = KSSP_CTX_FAILED;
		return e;
	}
	e = kssp_ctx_unframe(token, len, &tok_id, &inner, &ilen);
	if (!e && tok_id == KSSP_TOK_AP_REP && (ctx->flags & KSSP_GSS_DCE_STYLE))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "initiate: a DCE-style AP-REP comes bare, not framed");
	else if (!e && tok_id == KSSP_TOK_AP_REP)
		e = take_ap_rep(ctx, inner, ilen);
	else if (!e && tok_id == KSSP_TOK_KRB_ERROR)
		e = take_krb_error(ctx, inner, ilen);
	else if (!e)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "initiate: TOK_ID %04x is neither AP-REP (0200) nor KRB-ERROR (0300)", tok_id);
	if (e)
		ctx->state = KSSP_CTX_FAILED;
	return e;
}

kssp_err kssp_ctx_initiate_dce_reply(struct kssp_ctx *ctx, uint8_t **token, size_t *token_len)
{
	struct kssp_enc_ap_rep_part part;
	struct kssp_time now;
	kssp_err e;

	*token = NULL;
	*token_len = 0;
	if (!ctx->initiator || ctx->state != KSSP_CTX_ESTABLISHED ||
	    !(ctx->flags & KSSP_GSS_DCE_STYLE) || !ctx->hs)
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "initiate: the DCE-style AP-REP follows the acceptor's AP-REP only");
	e = kssp_ctx_now(ctx, 0, &now);
	if (e)
		return e;
	/*
	 * MS-KILE 3.4.5.1: made "exactly as the server would", so sealed in
	 * the session key; MIT's krb5_mk_rep_dce puts our time, the
	 * acceptor's sequence number (its proof that we read its AP-REP) and
	 * no subkey, which the acceptor checks.  Our own numbers and keys for
	 * the messages stay as they are.
	 */
	memset(&part, 0, sizeof(part));
	part.ctime = now.sec;
	part.cusec = now.usec;
	part.has_seq_number = true;
	part.seq_number = ctx->acceptor_seq;
	e = kssp_ctx_seal_ap_rep(ctx, &part, token, token_len);
	if (e)
		return e;
	kssp_trace(ctx->hooks, "context: DCE-style AP-REP to the acceptor (%zu bytes)", *token_len);
	kssp_ctx_handshake_free(ctx);
	return KSSP_OK;
}
