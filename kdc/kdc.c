/*
 * kdc/kdc.c - the exchange context and what the AS and TGS exchanges
 * share: names, nonces, KRB-ERRORs, reply decryption and verification.
 */
#include "kdc/ctx_int.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "kdc/exchange_int.h"
#include "kdc/transport_int.h"

void kssp_kdc_ctx_init(struct kssp_kdc_ctx *ctx, const struct kssp_config *cfg,
    const struct kssp_hooks *hooks)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	ctx->hooks = hooks;
}

void kssp_kdc_ctx_free(struct kssp_kdc_ctx *ctx)
{
	memset(&ctx->last_error, 0, sizeof(ctx->last_error));
}

kssp_err kssp_kdc_now(const struct kssp_kdc_ctx *ctx, struct kssp_time *now)
{
	kssp_err e = kssp_hooks_now(ctx->hooks, now);

	if (e || !ctx->has_time_offset)
		return e;
	now->sec += ctx->time_offset;
	now->usec += ctx->usec_offset;
	if (now->usec >= 1000000) {
		now->usec -= 1000000;
		now->sec++;
	} else if (now->usec < 0) {
		now->usec += 1000000;
		now->sec--;
	}
	return KSSP_OK;
}

kssp_err kssp_kdc_name(struct kssp_arena *a, const struct kssp_principal *p,
    struct kssp_principal_name *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->name_type = p->name_type;
	out->name_string = kssp_arena_alloc(a, (p->n_name_string ? p->n_name_string : 1) *
	    sizeof(*out->name_string));
	if (!out->name_string)
		return kssp_fail(KSSP_ERR_NOMEM, "KDC request: out of memory");
	for (i = 0; i < p->n_name_string; i++) {
		out->name_string[i].data = (const uint8_t *)p->name_string[i].data;
		out->name_string[i].len = p->name_string[i].length;
	}
	out->name_string_len = p->n_name_string;
	return KSSP_OK;
}

static bool bytes_are(const struct kssp_der_bytes *b, const struct kssp_pstring *s)
{
	return b->len == s->length && (b->len == 0 || memcmp(b->data, s->data, b->len) == 0);
}

bool kssp_kdc_name_is(const struct kssp_principal_name *name, const struct kssp_der_bytes *realm,
    const struct kssp_principal *p)
{
	size_t i;

	if (realm && !bytes_are(realm, &p->realm))
		return false;
	if (name->name_string_len != p->n_name_string)
		return false;
	for (i = 0; i < p->n_name_string; i++)
		if (!bytes_are(&name->name_string[i], &p->name_string[i]))
			return false;
	return true;
}

kssp_err kssp_kdc_principal(const struct kssp_principal_name *name,
    const struct kssp_der_bytes *realm, struct kssp_principal **out)
{
	struct kssp_pstring parts[KSSP_PRINCIPAL_MAX_COMPONENTS];
	size_t i;

	if (name->name_string_len > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "principal name with %zu components",
		    name->name_string_len);
	for (i = 0; i < name->name_string_len; i++) {
		/* kssp_principal_new copies; the cast only fits its struct. */
		parts[i].data = (char *)(uintptr_t)name->name_string[i].data;
		parts[i].length = name->name_string[i].len;
	}
	return kssp_principal_new(out, name->name_type, (const char *)realm->data, realm->len,
	    parts, name->name_string_len);
}

kssp_err kssp_kdc_krbtgt(const char *target, const char *issuer, struct kssp_principal **out)
{
	return kssp_principal_build(out, KSSP_NT_SRV_INST, issuer, 2,
	    (const char *const[]){ "krbtgt", target });
}

kssp_err kssp_kdc_nonce(const struct kssp_kdc_ctx *ctx, uint32_t *nonce)
{
	kssp_err e = kssp_hooks_random(ctx->hooks, nonce, sizeof(*nonce));

	*nonce &= 0x7fffffff;
	return e;
}

bool kssp_kdc_etype_in(int32_t etype, const int32_t *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == etype)
			return true;
	return false;
}

kssp_err kssp_kdc_reply_type(const uint8_t *msg, size_t len, const char *what, int *type)
{
	struct kssp_cursor c;
	struct kssp_der_tag tag;

	kssp_cursor_init(&c, msg, len);
	if (kssp_der_peek_tag(&c, &tag) || tag.cls != KSSP_DER_APPLICATION || !tag.constructed ||
	    (tag.number != KSSP_KRB5_AS_REP && tag.number != KSSP_KRB5_TGS_REP &&
	     tag.number != KSSP_KRB5_ERROR))
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: the reply is not a KDC reply", what);
	*type = (int)tag.number;
	return KSSP_OK;
}

kssp_err kssp_kdc_decode_reply(const struct kssp_asn1_type *t, const uint8_t *msg, size_t len,
    const char *what, struct kssp_arena *a, void *out, const int32_t *pvno)
{
	kssp_err e = kssp_asn1_decode(t, msg, len, a, out);

	if (e)
		return kssp_fail(e, "%s: %s", what, kssp_last_reason());
	if (*pvno != KSSP_KRB5_PVNO)
		return kssp_fail(KRB_AP_ERR_MSG_TYPE, "%s: pvno %d", what, (int)*pvno);
	return KSSP_OK;
}

/* Copies a KerberosString as printable text (others as '?'). */
static void printable(const struct kssp_der_bytes *b, char *out, size_t cap)
{
	size_t i, n = b->data ? b->len : 0;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)(b->data[i] >= 0x20 && b->data[i] < 0x7f ? b->data[i] : '?');
	out[n] = '\0';
}

/*
 * " with STATUS_ACCOUNT_DISABLED (0xc0000072)" for AD's NTSTATUS.  A KDC
 * that sends none for a wrong password (Samba; Windows' DCs too) still
 * gets the sub-status Windows reports for that code: Microsoft's audit
 * documentation (events 4771 and 4625) gives KDC_ERR_PREAUTH_FAILED as a
 * bad password and 0xC000006A as its logon sub-status.  An expired
 * password (code or NTSTATUS) says how to change it: RFC 3244 needs no
 * logon.
 */
static void ntstatus_text(int32_t code, uint32_t status, char *out, size_t cap)
{
	const char *name = kssp_krb5_ntstatus_name(status);
	int expired = code == KDC_ERR_KEY_EXPIRED || status == 0xC0000071 ||
	    status == 0xC0000224;
	const char *hint = expired ? "; change it with kssp kpasswd or ChangeAccountPassword" : "";

	if (status != 0)
		snprintf(out, cap, " with %s (0x%08x)%s", name ? name : "NTSTATUS", (unsigned)status,
		    hint);
	else if (code == KDC_ERR_PREAUTH_FAILED)
		snprintf(out, cap, " (a wrong password: STATUS_WRONG_PASSWORD (0xc000006a) as Windows "
		    "reports it; the KDC sent no NTSTATUS)");
	else
		snprintf(out, cap, "%s", hint);
}

kssp_err kssp_kdc_krb_error(struct kssp_kdc_ctx *ctx, const uint8_t *msg, size_t len,
    const char *what, struct kssp_arena *a, struct kssp_krb_error *err)
{
	char nt[128];
	struct kssp_krb_error local;
	struct kssp_arena own;
	struct kssp_kdc_error *le = &ctx->last_error;
	kssp_err e;

	if (!err)
		err = &local;
	kssp_arena_init(&own);
	memset(le, 0, sizeof(*le));
	e = kssp_krb5_decode_krb_error(msg, len, a ? a : &own, err);
	/* Without the caller's arena the name arrays go at once; only scalars and strings are used. */
	kssp_arena_free(&own);
	if (e)
		return kssp_fail(e, "%s: malformed KRB-ERROR: %s", what, kssp_last_reason());
	if (err->error_code <= 0 || err->error_code >= KSSP_ERR_OWN_BASE)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s: KRB-ERROR with error-code %d", what,
		    (int)err->error_code);
	le->error_code = err->error_code;
	printable(&err->e_text, le->e_text, sizeof(le->e_text));
	if (err->e_data.data && err->e_data.len)
		le->ntstatus = kssp_krb5_e_data_ntstatus(&err->e_data);
	ntstatus_text(err->error_code, le->ntstatus, nt, sizeof(nt));
	kssp_trace(ctx->hooks, "%s: KRB-ERROR %s (%d)%s%s%s", what,
	    kssp_err_name((kssp_err)err->error_code), (int)err->error_code, nt,
	    le->e_text[0] ? ": " : "", le->e_text);
	return kssp_fail((kssp_err)err->error_code, "%s: KDC answered %s (%d)%s%s%s", what,
	    kssp_err_name((kssp_err)err->error_code), (int)err->error_code, nt,
	    le->e_text[0] ? ": " : "", le->e_text);
}

kssp_err kssp_kdc_open_enc_part(struct kssp_key *key, uint32_t usage,
    const struct kssp_encrypted_data *enc, struct kssp_arena *a, uint8_t **plain,
    size_t *plain_len, struct kssp_enc_kdc_rep_part *out)
{
	kssp_err e = kssp_crypto_open(key, usage, enc->etype, enc->cipher.data, enc->cipher.len,
	    "reply enc-part", plain, plain_len);

	if (e)
		return e;
	/* MIT and RFC 4120 §5.4.2: either application tag may come. */
	e = kssp_krb5_decode_enc_tgs_rep_part(*plain, *plain_len, a, out);
	if (e) {
		kssp_free_secret(*plain, *plain_len);
		*plain = NULL;
		return kssp_fail(e, "reply enc-part: %s", kssp_last_reason());
	}
	return KSSP_OK;
}

static kssp_err reply_bad(const char *what, const char *why)
{
	return kssp_fail(KRB_AP_ERR_MODIFIED, "%s: %s", what, why);
}

kssp_err kssp_kdc_check_reply(const struct kssp_kdc_rep *rep,
    const struct kssp_enc_kdc_rep_part *enc, const struct kssp_kdc_expect *x,
    const char *what)
{
	int64_t start = enc->has_starttime ? enc->starttime : enc->authtime;
	const struct kssp_enctype_profile *p = kssp_crypto_profile(enc->key.keytype);

	if (enc->nonce != x->nonce)
		return reply_bad(what, "nonce does not match the request");
	if (x->server && !kssp_kdc_name_is(&enc->sname, &enc->srealm, x->server))
		return reply_bad(what, "the encrypted part names another server");
	/* The ticket's clear-text name must be the one the KDC sealed (CVE-2017-11103). */
	if (rep->ticket.sname.name_string_len != enc->sname.name_string_len ||
	    rep->ticket.realm.len != enc->srealm.len ||
	    memcmp(rep->ticket.realm.data, enc->srealm.data, enc->srealm.len) != 0)
		return reply_bad(what, "the ticket's server differs from the encrypted part's");
	{
		size_t i;

		for (i = 0; i < enc->sname.name_string_len; i++)
			if (rep->ticket.sname.name_string[i].len != enc->sname.name_string[i].len ||
			    memcmp(rep->ticket.sname.name_string[i].data, enc->sname.name_string[i].data,
			    enc->sname.name_string[i].len) != 0)
				return reply_bad(what, "the ticket's server differs from the encrypted part's");
	}
	if (!p || enc->key.keyvalue.len != p->key_bytes)
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "%s: session key of enctype %d (%zu bytes)",
		    what, (int)enc->key.keytype, enc->key.keyvalue.len);
	if (enc->endtime > x->till)
		return reply_bad(what, "endtime later than requested");
	if (enc->endtime <= start)
		return reply_bad(what, "endtime not after starttime");
	if (x->rtime && enc->has_renew_till && enc->renew_till > x->rtime)
		return reply_bad(what, "renew-till later than requested");
	if (x->check_skew && (start > x->now + x->skew || start < x->now - x->skew))
		return kssp_fail(KRB_AP_ERR_SKEW, "%s: starttime is %lld s from our clock", what,
		    (long long)(start - x->now));
	if (enc->endtime <= x->now - x->skew)
		return reply_bad(what, "the ticket has already expired");
	return KSSP_OK;
}

kssp_err kssp_kdc_make_cred(const struct kssp_principal *client, const struct kssp_kdc_rep *rep,
    const struct kssp_enc_kdc_rep_part *enc, struct kssp_cred *out)
{
	kssp_err e;

	memset(out, 0, sizeof(*out));
	e = kssp_principal_copy(client, &out->client);
	if (!e)
		e = kssp_kdc_principal(&enc->sname, &enc->srealm, &out->server);
	if (!e)
		e = kssp_cred_data_set(&out->keyvalue, enc->key.keyvalue.data, enc->key.keyvalue.len);
	if (!e)
		e = kssp_cred_data_set(&out->ticket, rep->ticket.der.data, rep->ticket.der.len);
	if (e) {
		kssp_cred_clear(out);
		return e;
	}
	out->keytype = enc->key.keytype;
	out->authtime = enc->authtime;
	out->starttime = enc->has_starttime ? enc->starttime : enc->authtime;
	out->endtime = enc->endtime;
	out->renew_till = enc->has_renew_till ? enc->renew_till : 0;
	out->ticket_flags = enc->flags;
	return KSSP_OK;
}

kssp_err kssp_kdc_cred_key(const struct kssp_cred *c, struct kssp_key *key)
{
	return kssp_crypto_key_init(key, c->keytype, c->keyvalue.data, c->keyvalue.length);
}

kssp_err kssp_kdc_in_arena(struct kssp_arena *a, const struct kssp_writer *w,
    struct kssp_der_bytes *out)
{
	uint8_t *p;
	kssp_err e = kssp_writer_status(w);

	if (e)
		return e;
	if (!(p = kssp_arena_alloc(a, w->len ? w->len : 1)))
		return kssp_fail(KSSP_ERR_NOMEM, "KDC request: out of memory");
	memcpy(p, w->buf, w->len);
	out->data = p;
	out->len = w->len;
	return KSSP_OK;
}

kssp_err kssp_kdc_encode_pa(struct kssp_arena *a, int32_t padata_type,
    const struct kssp_asn1_type *t, const void *value, struct kssp_pa_data *pa)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	kssp_asn1_put(&w, t, value);
	pa->padata_type = padata_type;
	e = kssp_kdc_in_arena(a, &w, &pa->padata_value);
	kssp_writer_free(&w);
	return e;
}

kssp_err kssp_kdc_seal(const struct kssp_hooks *h, struct kssp_key *key, uint32_t usage,
    const uint8_t *plain, size_t len, struct kssp_arena *a, struct kssp_encrypted_data *out)
{
	size_t clen = 0;
	uint8_t *c;
	kssp_err e = kssp_crypto_encrypt_len(key->enctype, len, &clen);

	if (e)
		return e;
	if (!(c = kssp_arena_alloc(a, clen)))
		return kssp_fail(KSSP_ERR_NOMEM, "KDC request: out of memory");
	if ((e = kssp_crypto_encrypt(h, key, usage, plain, len, c, clen, &clen)))
		return e;
	memset(out, 0, sizeof(*out));
	out->etype = key->enctype;
	out->cipher.data = c;
	out->cipher.len = clen;
	return KSSP_OK;
}

kssp_err kssp_kdc_checksum(struct kssp_arena *a, int32_t cksumtype, struct kssp_key *key,
    uint32_t usage, const uint8_t *data, size_t len, struct kssp_checksum *out)
{
	uint8_t *sum = kssp_arena_alloc(a, KSSP_CRYPTO_MAX_CKSUM);
	size_t n = 0;
	kssp_err e = KSSP_OK;

	memset(out, 0, sizeof(*out));
	if (!sum)
		return kssp_fail(KSSP_ERR_NOMEM, "KDC request: out of memory");
	out->cksumtype = cksumtype;
	if (!cksumtype)
		e = kssp_crypto_enctype_cksumtype(key->enctype, &out->cksumtype);
	if (!e)
		e = kssp_crypto_checksum(out->cksumtype, key, usage, data, len, sum,
		    KSSP_CRYPTO_MAX_CKSUM, &n);
	out->checksum.data = sum;
	out->checksum.len = n;
	return e;
}

/* RFC 4120 §5.2.7.2 (PA-ENC-TIMESTAMP) and RFC 6113 §5.4.6 (PA-ENCRYPTED-CHALLENGE). */
kssp_err kssp_kdc_enc_timestamp(struct kssp_kdc_ctx *ctx, struct kssp_key *key, uint32_t usage,
    int32_t padata_type, struct kssp_arena *a, struct kssp_pa_data *pa)
{
	struct kssp_pa_enc_ts_enc ts;
	struct kssp_encrypted_data ed;
	struct kssp_writer plain;
	struct kssp_time now;
	kssp_err e;

	if ((e = kssp_kdc_now(ctx, &now)))
		return e;
	memset(&ts, 0, sizeof(ts));
	ts.patimestamp = now.sec;
	ts.has_pausec = true;
	ts.pausec = now.usec;
	kssp_writer_init_growable(&plain, 0);
	e = kssp_krb5_encode_pa_enc_ts_enc(&ts, &plain);
	if (!e)
		e = kssp_kdc_seal(ctx->hooks, key, usage, plain.buf, plain.len, a, &ed);
	if (!e)
		e = kssp_kdc_encode_pa(a, padata_type, &kssp_krb5_encrypted_data_type, &ed, pa);
	kssp_writer_free(&plain);
	if (e)
		return kssp_fail(e, "AS: %s: %s", padata_type == PA_ENC_TIMESTAMP ? "PA-ENC-TIMESTAMP" :
		    "PA-ENCRYPTED-CHALLENGE", kssp_err_name(e));
	return KSSP_OK;
}
