/*
 * kdc/kpasswd.c - the kpasswd protocol (RFC 3244): the request an MIT or
 * Active Directory kpasswd server takes, and its reply read through the
 * bounded cursor.
 */
#include "kdc/kpasswd_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "kdc/as_int.h"
#include "kdc/exchange_int.h"
#include "kdc/transport_int.h"

#define VERSION_CHANGE 1       /* the client's own password, plain */
#define VERSION_SET 0xff80     /* ChangePasswdData */
#define FRAME_MAX 0xffff       /* the length field has 16 bits */
#define AD_POLICY_LEN 30
/* An initial ticket for kadmin/changepw lives as briefly as MIT's: 5 minutes. */
#define CHANGEPW_LIFETIME 300

static const char *const code_names[] = {
	"SUCCESS", "MALFORMED", "HARDERROR", "AUTHERROR", "SOFTERROR", "ACCESSDENIED",
	"BAD_VERSION", "INITIAL_FLAG_NEEDED",
};

/* "SOFTERROR" for 4, ...; "unknown" for a code RFC 3244 does not name. */
static const char *code_name(int32_t code)
{
	return code >= 0 && code < (int32_t)(sizeof(code_names) / sizeof(code_names[0])) ?
	    code_names[code] : "unknown";
}

/* One exchange: what the request holds and the reply is checked against. */
struct kpasswd_call {
	struct kssp_kdc_ctx *ctx;
	const struct kssp_kpasswd_opts *o;
	struct kssp_cred cred;          /* the kadmin/changepw ticket */
	struct kssp_key session, subkey;
	uint32_t seq;
	struct kssp_transport_source src;
};

/* The new password, plain (version 1) or in a ChangePasswdData (0xFF80). */
static kssp_err user_data(const struct kpasswd_call *k, struct kssp_arena *a,
    struct kssp_writer *w)
{
	const struct kssp_kpasswd_opts *o = k->o;
	struct kssp_change_passwd_data d;
	kssp_err e;

	if (!o->target) {
		kssp_writer_put_bytes(w, o->new_password, o->new_password_len);
		return kssp_writer_status(w);
	}
	memset(&d, 0, sizeof(d));
	d.newpasswd.data = (const uint8_t *)o->new_password;
	d.newpasswd.len = o->new_password_len;
	d.has_targname = true;
	if ((e = kssp_kdc_name(a, o->target, &d.targname)))
		return e;
	d.targrealm.data = (const uint8_t *)o->target->realm.data;
	d.targrealm.len = o->target->realm.length;
	return kssp_krb5_encode_change_passwd_data(&d, w);
}

/*
 * RFC 4120 §5.7.1 KRB-PRIV sealed with the subkey.  Timestamp and
 * sequence number both: MIT's server checks the sequence number, a
 * Heimdal-based one (Samba) the timestamp when it is told to.
 */
static kssp_err krb_priv(struct kpasswd_call *k, struct kssp_arena *a, struct kssp_writer *out)
{
	struct kssp_krb_safe_body part;
	struct kssp_krb_priv priv;
	struct kssp_writer data, plain;
	struct kssp_time now;
	kssp_err e;

	memset(&part, 0, sizeof(part));
	memset(&priv, 0, sizeof(priv));
	kssp_writer_init_growable(&data, FRAME_MAX);
	kssp_writer_init_growable(&plain, FRAME_MAX);
	if ((e = user_data(k, a, &data)) || (e = kssp_kdc_now(k->ctx, &now)))
		goto out;
	part.user_data.data = data.buf;
	part.user_data.len = data.len;
	part.has_timestamp = part.has_usec = part.has_seq_number = true;
	part.timestamp = now.sec;
	part.usec = now.usec;
	part.seq_number = k->seq;
	part.s_address.addr_type = k->src.addr_type;
	part.s_address.address.data = k->src.addr;
	part.s_address.address.len = k->src.len;
	if ((e = kssp_krb5_encode_enc_krb_priv_part(&part, &plain)) ||
	    (e = kssp_kdc_seal(k->ctx->hooks, &k->subkey, KSSP_KU_KRB_PRIV_ENC_PART, plain.buf,
	        plain.len, a, &priv.enc_part)))
		goto out;
	priv.pvno = KSSP_KRB5_PVNO;
	priv.msg_type = KSSP_KRB5_PRIV;
	e = kssp_krb5_encode_krb_priv(&priv, out);
out:
	if (data.buf)
		kssp_memzero(data.buf, data.len);
	if (plain.buf)
		kssp_memzero(plain.buf, plain.len);
	kssp_writer_free(&data);
	kssp_writer_free(&plain);
	return e ? kssp_fail(e, "kpasswd: KRB-PRIV: %s", kssp_last_reason()) : KSSP_OK;
}

/* RFC 3244 §2: the request frame. */
static kssp_err encode_request(struct kpasswd_call *k, uint8_t **req, size_t *req_len)
{
	struct kssp_kdc_ap_req in;
	struct kssp_arena a;
	struct kssp_writer priv, w;
	struct kssp_der_bytes ap;
	size_t total;
	kssp_err e;

	kssp_arena_init(&a);
	kssp_writer_init_growable(&priv, FRAME_MAX);
	memset(&in, 0, sizeof(in));
	in.cred = &k->cred;
	in.session = &k->session;
	in.subkey = &k->subkey;
	in.has_seq_number = true;
	in.seq_number = k->seq;
	in.usage = KSSP_KU_AP_REQ_AUTH;
	if ((e = kssp_kdc_encode_ap_req(k->ctx, &in, &a, &ap)) ||
	    (e = krb_priv(k, &a, &priv)))
		goto out;
	total = 6 + ap.len + priv.len;
	if (total > FRAME_MAX) {
		e = kssp_fail(KSSP_ERR_LIMIT, "kpasswd: a request of %zu bytes does not fit", total);
		goto out;
	}
	kssp_writer_init_growable(&w, FRAME_MAX);
	kssp_writer_put_be16(&w, (uint16_t)total);
	kssp_writer_put_be16(&w, k->o->target ? VERSION_SET : VERSION_CHANGE);
	kssp_writer_put_be16(&w, (uint16_t)ap.len);
	kssp_writer_put_bytes(&w, ap.data, ap.len);
	kssp_writer_put_bytes(&w, priv.buf, priv.len);
	e = kssp_writer_detach(&w, req, req_len);
out:
	kssp_writer_free(&priv);
	kssp_arena_free(&a);
	return e;
}

/* ---- the reply ---------------------------------------------------------- */

static void printable(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t i, j = 0;

	for (i = 0; i < n && j + 1 < cap; i++) {
		char c = '?';

		if (p[i] >= 0x20 && p[i] < 0x7f)
			c = (char)p[i];
		else if (p[i] == 0x0a)
			c = ' ';
		out[j++] = c;
	}
	out[j] = '\0';
}

/* Days in a 100 ns interval, as AD's policy ages are given (their magnitude). */
static uint64_t days(uint64_t v)
{
	/* Ages are negative intervals in AD; the magnitude is what is meant. */
	if (v >> 63)
		v = ~v + 1;
	return v / (UINT64_C(10000000) * 86400);
}

/* The AD policy blob (see kdc/kpasswd_int.h) in words; false when it is not one. */
static bool ad_policy(const uint8_t *p, size_t n, char *out, size_t cap)
{
	struct kssp_cursor c;
	uint16_t zero = 1;
	uint32_t min_len = 0, history = 0, props = 0;
	uint64_t max_age = 0, min_age = 0;

	kssp_cursor_init(&c, p, n);
	if (n != AD_POLICY_LEN || kssp_cursor_read_be16(&c, &zero) || zero != 0 ||
	    kssp_cursor_read_be32(&c, &min_len) || kssp_cursor_read_be32(&c, &history) ||
	    kssp_cursor_read_be32(&c, &props) || kssp_cursor_read_be64(&c, &max_age) ||
	    kssp_cursor_read_be64(&c, &min_age))
		return false;
	/* Property bit 0 is MS-SAMR's DOMAIN_PASSWORD_COMPLEX. */
	snprintf(out, cap,
	    "policy: minimum length %" PRIu32 ", history %" PRIu32 ", complexity %s, "
	    "minimum age %" PRIu64 " day(s), maximum age %" PRIu64 " day(s)",
	    min_len, history, props & 1 ? "required" : "not required", days(min_age),
	    days(max_age));
	return true;
}

/* The result: code (2 bytes, big-endian) then the string (RFC 3244 §2). */
static kssp_err read_result(const uint8_t *p, size_t n, struct kssp_kpasswd_result *res)
{
	struct kssp_cursor c;
	uint16_t code = 0;
	const uint8_t *s = NULL;
	size_t left;

	kssp_cursor_init(&c, p, n);
	if (kssp_cursor_read_be16(&c, &code))
		return kssp_fail(KSSP_ERR_TRUNCATED, "kpasswd reply: no result code");
	left = kssp_cursor_remaining(&c);
	if (kssp_cursor_take(&c, left, &s))
		return kssp_fail(KSSP_ERR_TRUNCATED, "kpasswd reply: result string");
	res->code = code;
	if (!ad_policy(s, left, res->text, sizeof(res->text)))
		printable(s, left, res->text, sizeof(res->text));
	return KSSP_OK;
}

/* RFC 3244 §2: a KRB-ERROR where the AP-REP would be; its e-data is the result. */
static kssp_err read_error(struct kssp_kdc_ctx *ctx, const uint8_t *msg, size_t len,
    struct kssp_kpasswd_result *res)
{
	struct kssp_arena a;
	struct kssp_krb_error err;
	kssp_err e, r = KSSP_OK;

	kssp_arena_init(&a);
	memset(&err, 0, sizeof(err));
	e = kssp_kdc_krb_error(ctx, msg, len, "kpasswd", &a, &err);
	if (e != KSSP_ERR_BAD_ENCODING && err.e_data.len >= 2)
		r = read_result(err.e_data.data, err.e_data.len, res);
	kssp_arena_free(&a);
	if (!r && res->code > 0)
		return kssp_fail(KDC_ERR_POLICY, "kpasswd: %s (%d): %s",
		    code_name(res->code), (int)res->code, res->text);
	return e;
}

/* AP-REP (RFC 4120 §5.5.2) under the ticket's session key: its subkey and sequence number. */
static kssp_err open_ap_rep(const uint8_t *p, size_t n, struct kssp_key *session,
    struct kssp_arena *a, struct kssp_enc_ap_rep_part *part)
{
	struct kssp_ap_rep rep;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	kssp_err e;

	if ((e = kssp_kdc_decode_reply(&kssp_krb5_ap_rep_type, p, n, "kpasswd reply: AP-REP", a,
	    &rep, &rep.pvno)))
		return e;
	if ((e = kssp_crypto_open(session, KSSP_KU_AP_REP_ENC_PART, rep.enc_part.etype,
	    rep.enc_part.cipher.data, rep.enc_part.cipher.len, "kpasswd AP-REP", &plain,
	    &plain_len)))
		return e;
	e = kssp_krb5_decode_enc_ap_rep_part(plain, plain_len, a, part);
	/* The arena keeps pointers into plain only for the subkey, copied out below. */
	if (!e && part->has_subkey) {
		uint8_t *copy = kssp_arena_alloc(a, part->subkey.keyvalue.len + 1);

		if (!copy)
			e = kssp_fail(KSSP_ERR_NOMEM, "kpasswd: out of memory");
		else
			memcpy(copy, part->subkey.keyvalue.data, part->subkey.keyvalue.len);
		part->subkey.keyvalue.data = copy;
	}
	kssp_free_secret(plain, plain_len);
	return e ? kssp_fail(e, "kpasswd reply: EncAPRepPart: %s", kssp_last_reason()) : KSSP_OK;
}

/* The KRB-PRIV of the reply, sealed with key (usage 13): the result. */
static kssp_err open_priv(const uint8_t *p, size_t n, struct kssp_key *key,
    const struct kssp_enc_ap_rep_part *ap, struct kssp_kpasswd_result *res)
{
	struct kssp_arena a;
	struct kssp_krb_priv priv;
	struct kssp_krb_safe_body part;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	kssp_err e;

	kssp_arena_init(&a);
	if ((e = kssp_kdc_decode_reply(&kssp_krb5_krb_priv_type, p, n, "kpasswd reply: KRB-PRIV",
	    &a, &priv, &priv.pvno)))
		goto out;
	if ((e = kssp_crypto_open(key, KSSP_KU_KRB_PRIV_ENC_PART, priv.enc_part.etype,
	    priv.enc_part.cipher.data, priv.enc_part.cipher.len, "kpasswd KRB-PRIV", &plain,
	    &plain_len)))
		goto out;
	if ((e = kssp_krb5_decode_enc_krb_priv_part(plain, plain_len, &a, &part))) {
		e = kssp_fail(e, "kpasswd reply: EncKrbPrivPart: %s", kssp_last_reason());
		goto out;
	}
	/* RFC 4120 §5.7.2 with sequence numbers: the server's first is the one its AP-REP named. */
	if (ap->has_seq_number && part.has_seq_number && ap->seq_number != part.seq_number) {
		e = kssp_fail(KRB_AP_ERR_BADORDER, "kpasswd reply: sequence number %" PRIu32
		    " where the AP-REP said %" PRIu32, part.seq_number, ap->seq_number);
		goto out;
	}
	e = read_result(part.user_data.data, part.user_data.len, res);
out:
	if (plain)
		kssp_free_secret(plain, plain_len);
	kssp_arena_free(&a);
	return e;
}

kssp_err kssp_kpasswd_read_reply(struct kssp_kdc_ctx *ctx, const uint8_t *msg, size_t len,
    struct kssp_key *session, struct kssp_key *subkey, struct kssp_kpasswd_result *res)
{
	struct kssp_cursor c;
	struct kssp_arena a;
	struct kssp_enc_ap_rep_part ap;
	struct kssp_key server_key;
	uint16_t total = 0, version = 0, ap_len = 0;
	const uint8_t *ap_der = NULL, *rest = NULL;
	size_t rest_len;
	kssp_err e;

	res->code = -1;
	res->text[0] = '\0';
	kssp_cursor_init(&c, msg, len);
	if (kssp_cursor_read_be16(&c, &total) || kssp_cursor_read_be16(&c, &version) ||
	    kssp_cursor_read_be16(&c, &ap_len))
		return kssp_fail(KSSP_ERR_TRUNCATED, "kpasswd reply: %zu bytes, no header", len);
	if (total != len)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "kpasswd reply: length field %u, %zu bytes",
		    total, len);
	if (version != VERSION_CHANGE && version != VERSION_SET)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "kpasswd reply: version 0x%04x", version);
	if (kssp_cursor_take(&c, ap_len, &ap_der))
		return kssp_fail(KSSP_ERR_TRUNCATED, "kpasswd reply: AP-REP of %u bytes cut short",
		    ap_len);
	rest_len = kssp_cursor_remaining(&c);
	if (rest_len == 0 || kssp_cursor_take(&c, rest_len, &rest))
		return kssp_fail(KSSP_ERR_TRUNCATED, "kpasswd reply: no KRB-PRIV or KRB-ERROR");
	if (ap_len == 0)
		return read_error(ctx, rest, rest_len, res);
	kssp_arena_init(&a);
	memset(&ap, 0, sizeof(ap));
	memset(&server_key, 0, sizeof(server_key));
	if (!(e = open_ap_rep(ap_der, ap_len, session, &a, &ap))) {
		/* A subkey in the AP-REP is the server's sending key (RFC 4120 §5.5.2). */
		if (ap.has_subkey && !(e = kssp_crypto_key_init(&server_key, ap.subkey.keytype,
		    ap.subkey.keyvalue.data, ap.subkey.keyvalue.len)))
			e = open_priv(rest, rest_len, &server_key, &ap, res);
		else if (!ap.has_subkey)
			e = open_priv(rest, rest_len, subkey, &ap, res);
	}
	if (ap.has_subkey && ap.subkey.keyvalue.data)
		kssp_memzero((void *)ap.subkey.keyvalue.data, ap.subkey.keyvalue.len);
	kssp_crypto_key_clear(&server_key);
	kssp_arena_free(&a);
	if (!e && res->code != KSSP_KPASSWD_SUCCESS)
		e = kssp_fail(KDC_ERR_POLICY, "kpasswd: %s (%d): %s",
		    code_name(res->code), (int)res->code, res->text);
	return e;
}

/* ---- the exchange ------------------------------------------------------- */

/* The initial ticket for kadmin/changepw@REALM, from the old password. */
static kssp_err changepw_ticket(struct kpasswd_call *k)
{
	const struct kssp_principal *client = k->o->client;
	struct kssp_principal *server = NULL;
	struct kssp_as_opts as;
	kssp_err e;

	if ((e = kssp_principal_build(&server, KSSP_NT_SRV_INST, client->realm.data, 2,
	    (const char *const[]){ "kadmin", "changepw" })))
		return e;
	kssp_as_opts_init(&as);
	as.client = client;
	as.password = k->o->old_password;
	as.password_len = k->o->old_password_len;
	as.server = server;
	as.lifetime = CHANGEPW_LIFETIME;
	as.renew_lifetime = -1;
	as.forwardable = 0;
	as.proxiable = 0;
	e = kssp_as_get_tgt(k->ctx, &as, &k->cred);
	kssp_principal_free(server);
	return e;
}

kssp_err kssp_kpasswd_change(struct kssp_kdc_ctx *ctx, const struct kssp_kpasswd_opts *o,
    struct kssp_kpasswd_result *res)
{
	struct kpasswd_call *k = kssp_calloc(1, sizeof(*k));
	const char *realm = o->client->realm.data;
	uint8_t *req = NULL, *reply = NULL;
	size_t req_len = 0, reply_len = 0;
	kssp_err e;

	res->code = -1;
	res->text[0] = '\0';
	if (!k)
		return kssp_fail(KSSP_ERR_NOMEM, "kpasswd: out of memory");
	k->ctx = ctx;
	k->o = o;
	if ((e = changepw_ticket(k)) || (e = kssp_kdc_cred_key(&k->cred, &k->session)) ||
	    (e = kssp_crypto_random_key(ctx->hooks, k->session.enctype, &k->subkey)) ||
	    (e = kssp_kdc_nonce(ctx, &k->seq)) ||
	    (e = kssp_transport_source_address(ctx->cfg, ctx->hooks, realm, KSSP_TRANSPORT_KPASSWD,
	        &k->src)) ||
	    (e = encode_request(k, &req, &req_len)))
		goto out;
	kssp_trace(ctx->hooks, "kpasswd: %s request to %s (%zu bytes)",
	    o->target ? "set-password" : "change-password", realm, req_len);
	if ((e = kssp_transport_send(ctx->cfg, ctx->hooks, realm, req, req_len,
	    KSSP_TRANSPORT_KPASSWD, &reply, &reply_len)))
		goto out;
	e = kssp_kpasswd_read_reply(ctx, reply, reply_len, &k->session, &k->subkey, res);
	kssp_trace(ctx->hooks, "kpasswd: result %s (%d)", code_name(res->code),
	    (int)res->code);
out:
	if (req)
		kssp_free_secret(req, req_len);
	kssp_free(reply);
	kssp_cred_clear(&k->cred);
	kssp_crypto_key_clear(&k->session);
	kssp_crypto_key_clear(&k->subkey);
	kssp_free(k);
	return e;
}
