/*
 * sspi/exchange.c - InitializeSecurityContextA/W and AcceptSecurityContext
 * over context/'s AP exchange (RFC 4121 §4.1), with SPNEGO for Negotiate.
 *
 * The calling sequence is the Kerberos SSP's: the client's first call
 * (phContext NULL, pInput NULL) builds the AP-REQ and returns
 * SEC_I_CONTINUE_NEEDED when mutual authentication was asked (SEC_E_OK
 * otherwise); the second call takes the AP-REP.  The server accepts in one
 * call and answers with the AP-REP when the client asked for it.  Negotiate
 * adds the SPNEGO round (the client always continues once).
 *
 * DCE style (ISC_REQ_USE_DCE_STYLE, MS-KILE 3.4.5.1; three legs, the
 * number MS-RPCE 2.2.1.1.7 gives Kerberos) on the Kerberos package:
 * ISC: SEC_I_CONTINUE_NEEDED with the bare AP-REQ; ASC:
 * SEC_I_CONTINUE_NEEDED with the bare AP-REP (the return values of
 * AcceptSecurityContext (Kerberos): send the token, wait for the client's);
 * ISC: SEC_E_OK with the client's AP-REP (InitializeSecurityContext
 * (Kerberos): an output token that comes with SEC_E_OK is still sent);
 * ASC: SEC_E_OK, no token.  MIT's GSS_C_DCE_STYLE legs are the same.
 *
 * Service tickets come from the ticket workflow (kdc/getcreds_int.h: the
 * credential's tickets, its cache, the KDC).  User-to-user
 * (ISC_REQ_USE_SESSION_KEY) on the Kerberos package adds a first round
 * (draft-swift-win2k-krb-user2user-03 §4): KERB-TGT-REQUEST, the
 * acceptor's KERB-TGT-REPLY, then an AP-REQ with a ticket sealed in the
 * acceptor's TGT session key.  Datagram contexts, and user-to-user
 * or DCE style inside Negotiate are not built: those end in
 * SEC_E_UNSUPPORTED_FUNCTION with the reason recorded.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "sspi/ctx_int.h"
#include "sspi/secbuf_int.h"
#include "sspi/spnego_int.h"
#include "sspi/status_int.h"
#include "sspi/target_int.h"
#include "sspi/utf16_int.h"

#define ISC_NOT_BUILT ISC_REQ_DATAGRAM
#define ASC_NOT_BUILT ASC_REQ_DATAGRAM

struct isc_args {
	PCredHandle cred;
	PCtxtHandle ctx;
	const char *target;
	ULONG req;
	PSecBufferDesc input;
	PCtxtHandle new_ctx;
	PSecBufferDesc output;
	ULONG *attr;
	PTimeStamp expiry;
};

/* ---- helpers ---- */

/*
 * The context's granted flags, to it and to *attr, and its end as *ts:
 * Windows' TimeStamp, 100 ns ticks since 1601, in local time (the Kerberos
 * SSP's choice).
 */
static void report(struct kssp_sspi_ctx *ctx, ULONG flags, ULONG *attr, PTimeStamp ts)
{
	struct tm tm;
	time_t t = (time_t)ctx->ap.endtime;
	int64_t off = 0;

	ctx->flags = flags;
	*attr = flags;
	if (ts == NULL)
		return;
	if (localtime_r(&t, &tm) != NULL)
		off = tm.tm_gmtoff;
	ts->QuadPart = (ctx->ap.endtime + off + 11644473600LL) * 10000000LL;
}

/*
 * The checked pInput descriptor d with its non-empty SECBUFFER_TOKEN in
 * *tok or, tok NULL, the pOutput descriptor d, which must have one.
 */
static SECURITY_STATUS token_buffer(PSecBufferDesc d, const char *fn, PSecBuffer *tok)
{
	const char *what = tok != NULL ? "pInput" : "pOutput";
	PSecBuffer b;
	SECURITY_STATUS st;

	if (tok != NULL)
		*tok = NULL;
	if (d == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: %s is NULL", fn, what);
	if ((st = kssp_secbuf_check(d, fn, what)) != SEC_E_OK)
		return st;
	b = kssp_secbuf_find(d, SECBUFFER_TOKEN);
	if (tok != NULL)
		*tok = b;
	if (b == NULL || (tok != NULL && b->cbBuffer == 0))
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: %s has no %s", fn, what,
		    tok != NULL ? "non-empty SECBUFFER_TOKEN" : "SECBUFFER_TOKEN buffer");
	return SEC_E_OK;
}

/*
 * Writes the token to the output SECBUFFER_TOKEN: a buffer the package
 * allocates (ALLOCATE_MEMORY) or the caller's, which must be big enough.
 */
static SECURITY_STATUS put_token(PSecBufferDesc out, bool allocate, const uint8_t *tok,
    size_t len, const char *fn)
{
	PSecBuffer b = kssp_secbuf_find(out, SECBUFFER_TOKEN);
	void *p;

	/* A length without bytes is a slip of a lower layer: never copied from. */
	if (tok == NULL && len != 0)
		return kssp_sspi_fail(SEC_E_INTERNAL_ERROR, "%s: a %zu-byte token without bytes", fn, len);
	if (allocate) {
		b->pvBuffer = NULL;
		b->cbBuffer = 0;
		if (len == 0)
			return SEC_E_OK;
		p = kssp_sspi_buffer_alloc(len);
		if (p == NULL)
			return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		memcpy(p, tok, len);
		b->pvBuffer = p;
		b->cbBuffer = (ULONG)len;
		return SEC_E_OK;
	}
	if (len > b->cbBuffer)
		return kssp_sspi_fail(SEC_E_BUFFER_TOO_SMALL,
		    "%s: the output token is %zu bytes, the SECBUFFER_TOKEN holds %lu", fn, len,
		    (unsigned long)b->cbBuffer);
	if (len != 0)
		memcpy(b->pvBuffer, tok, len);
	b->cbBuffer = (ULONG)len;
	return SEC_E_OK;
}

/* SEC_CHANNEL_BINDINGS from a SECBUFFER_CHANNEL_BINDINGS input buffer, bounds-checked. */
static SECURITY_STATUS read_bindings(PSecBufferDesc in, struct kssp_channel_bindings *cb,
    bool *have, const char *fn)
{
	PSecBuffer b = in != NULL ? kssp_secbuf_find(in, SECBUFFER_CHANNEL_BINDINGS) : NULL;
	const SEC_CHANNEL_BINDINGS *s;
	const uint8_t *base;

	*have = false;
	memset(cb, 0, sizeof(*cb));
	if (b == NULL)
		return SEC_E_OK;
	if (b->cbBuffer < sizeof(SEC_CHANNEL_BINDINGS))
		return kssp_sspi_fail(SEC_E_BAD_BINDINGS, "%s: SECBUFFER_CHANNEL_BINDINGS is shorter than the structure", fn);
	s = b->pvBuffer;
	base = b->pvBuffer;
	if ((uint64_t)s->dwInitiatorOffset + s->cbInitiatorLength > b->cbBuffer ||
	    (uint64_t)s->dwAcceptorOffset + s->cbAcceptorLength > b->cbBuffer ||
	    (uint64_t)s->dwApplicationDataOffset + s->cbApplicationDataLength > b->cbBuffer)
		return kssp_sspi_fail(SEC_E_BAD_BINDINGS, "%s: a channel-bindings offset points past the buffer", fn);
	cb->initiator_addrtype = s->dwInitiatorAddrType;
	cb->initiator_address = base + s->dwInitiatorOffset;
	cb->initiator_address_len = s->cbInitiatorLength;
	cb->acceptor_addrtype = s->dwAcceptorAddrType;
	cb->acceptor_address = base + s->dwAcceptorOffset;
	cb->acceptor_address_len = s->cbAcceptorLength;
	cb->application_data = base + s->dwApplicationDataOffset;
	cb->application_data_len = s->cbApplicationDataLength;
	*have = true;
	return SEC_E_OK;
}

/*
 * MS-KILE 3.2.5.2: each RFC 4121 checksum flag with the ISC request that asks
 * for it and the ISC and ASC bits that report it (0: not mapped that way).
 */
static const struct {
	uint32_t gss;
	ULONG isc_req, isc_ret, asc_ret;
} flag_map[] = {
	{ KSSP_GSS_DELEG, 0, ISC_RET_DELEGATE, 0 },
	{ KSSP_GSS_MUTUAL, ISC_REQ_MUTUAL_AUTH, ISC_RET_MUTUAL_AUTH, ASC_RET_MUTUAL_AUTH },
	{ KSSP_GSS_REPLAY, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_RET_REPLAY_DETECT },
	{ KSSP_GSS_SEQUENCE, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT },
	{ KSSP_GSS_CONF, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY },
	{ KSSP_GSS_INTEG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_RET_INTEGRITY },
	{ KSSP_GSS_IDENTIFY, ISC_REQ_IDENTIFY, ISC_RET_IDENTIFY, ASC_RET_IDENTIFY },
	{ KSSP_GSS_EXTENDED_ERROR, ISC_REQ_EXTENDED_ERROR, 0, 0 },
	{ KSSP_GSS_DCE_STYLE, ISC_REQ_USE_DCE_STYLE, ISC_RET_USED_DCE_STYLE, ASC_RET_USED_DCE_STYLE },
};

static uint32_t isc_gss_flags(ULONG req)
{
	uint32_t f = 0;
	size_t i;

	for (i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
		if (req & flag_map[i].isc_req)
			f |= flag_map[i].gss;
	return f;
}

/* The ISC_RET_* (initiator) or ASC_RET_* bits of the granted flags gss. */
static ULONG ret_flags(uint32_t gss, bool initiator)
{
	ULONG r = 0;
	size_t i;

	for (i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
		if (gss & flag_map[i].gss)
			r |= initiator ? flag_map[i].isc_ret : flag_map[i].asc_ret;
	return r;
}

/* What the caller asked for and the context grants, as ISC_RET_* bits. */
static ULONG isc_ret_flags(uint32_t gss, ULONG req)
{
	ULONG r = ret_flags(gss, true) | (req & (ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONNECTION |
	    ISC_REQ_STREAM | ISC_REQ_EXTENDED_ERROR));

	if (req & ISC_REQ_USE_SESSION_KEY)
		r |= ISC_RET_USE_SESSION_KEY;
	if (!(req & ISC_REQ_CONFIDENTIALITY))
		r &= ~(ULONG)ISC_RET_CONFIDENTIALITY;
	if (req & ISC_REQ_NO_INTEGRITY)
		r &= ~(ULONG)ISC_RET_INTEGRITY;
	return r;
}

static ULONG asc_ret_flags(const struct kssp_ctx *ap, ULONG req)
{
	return ret_flags(ap->flags, false) | (ap->delegated != NULL ? ASC_RET_DELEGATE : 0) |
	    (ap->u2u ? ASC_RET_USE_SESSION_KEY : 0) |
	    (req & (ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_CONNECTION | ASC_REQ_STREAM |
	    ASC_REQ_EXTENDED_ERROR));
}

static SECURITY_STATUS not_built(const char *fn, ULONG req, bool initiator)
{
	/* NOLINTNEXTLINE(bugprone-branch-clone): Windows gives ISC_ and ASC_ names one value; each side spelt */
	ULONG u2u = initiator ? ISC_REQ_USE_SESSION_KEY : ASC_REQ_USE_SESSION_KEY;

	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "%s: fContextReq 0x%lx asks for %s, which kssp does not build", fn, (unsigned long)req,
	    (req & u2u) ? "user-to-user (USE_SESSION_KEY) inside Negotiate (SPNEGO)" :
	    "a datagram context (DATAGRAM: Windows' Datagram Contexts page states the SSPI rules, "
	    "no token from the first call and caller-chosen sequence numbers, but neither MS-KILE "
	    "nor RFC 4121 says how the Kerberos package carries them in its tokens)");
}

/*
 * DCE style is built on the Kerberos package only: inside Negotiate its
 * third leg would ride a further SPNEGO round, which is not built.
 */
static SECURITY_STATUS dce_in_negotiate(const char *fn)
{
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "%s: DCE style (USE_DCE_STYLE) is built on the Kerberos package, not inside Negotiate",
	    fn);
}

/* ---- initiator ---- */

/* The service principal the target names, per the credential's krb5.conf. */
static SECURITY_STATUS target_principal(struct kssp_sspi_cred *cred, const char *name,
    struct kssp_principal **out)
{
	struct kssp_sspi_target t;
	SECURITY_STATUS st;
	kssp_err e;

	*out = NULL;
	e = kssp_sspi_target_parse(name, &t);
	if (e != KSSP_OK)
		return kssp_sspi_result_of(e, name == NULL || name[0] == '\0' ?
		    SEC_E_INVALID_PARAMETER : SEC_E_TARGET_UNKNOWN);
	/* krb5.conf is loaded once under the credential's lock, then only read. */
	if ((st = kssp_sspi_cred_ready_config(cred)) != SEC_E_OK) {
		kssp_sspi_target_free(&t);
		return st;
	}
	/* "user@suffix" that is no host-based name: a UPN, as for a logon (MS-KILE §3.1.5.1.1). */
	if (t.host == NULL && t.realm != NULL)
		e = kssp_sspi_cred_parse_user(cred->cfg, name, out);
	else
		e = kssp_sspi_target_principal(&t,
		    t.host != NULL ? kssp_config_host_realm(cred->cfg, t.host) : NULL,
		    kssp_config_default_realm(cred->cfg), out);
	kssp_sspi_target_free(&t);
	return kssp_sspi_result_of(e, SEC_E_TARGET_UNKNOWN);
}

/* Puts how the target name was read in front of the reason of st, an unknown target. */
static SECURITY_STATUS say_target_read(SECURITY_STATUS st, const char *name,
    const struct kssp_principal *server)
{
	static const char *const kinds[] = { "", " (a user or UPN)", " (an SPN)", " (host-based)" };
	char why[KSSP_REASON_MAX], *text = NULL;
	int32_t code;

	kssp_status_error(&code);
	if (server == NULL || code == KSSP_OK ||
	    kssp_principal_unparse(server, KSSP_UNPARSE_DISPLAY, &text) != KSSP_OK)
		return st;
	snprintf(why, sizeof(why), "%s", kssp_status_reason());
	kssp_fail((kssp_err)code, "target name \"%s\" read as %s%s: %s", name, text,
	    server->name_type == KSSP_NT_ENTERPRISE ? " (an enterprise name)" :
	    server->name_type >= 1 && server->name_type <= 3 ? kinds[server->name_type] : "", why);
	kssp_free(text);
	return kssp_sspi_result(st);
}

/*
 * Builds the AP-REQ on ctx (locked) with the service ticket and writes the
 * first output token.  time_offset corrects our clock after a SKEW error.
 */
static SECURITY_STATUS send_ap_req(struct kssp_sspi_ctx *ctx, const struct kssp_cred *ticket,
    const struct isc_args *a, int64_t time_offset)
{
	struct kssp_ctx_initiate_params p;
	struct kssp_channel_bindings cb;
	int32_t etypes[KSSP_ETYPE_LIST_MAX];
	bool have_cb;
	uint8_t *tok = NULL, *wrapped = NULL;
	size_t len = 0, wlen = 0;
	SECURITY_STATUS st;
	kssp_err e;

	if ((st = read_bindings(a->input, &cb, &have_cb, "InitializeSecurityContext")) != SEC_E_OK)
		return st;
	memset(&p, 0, sizeof(p));
	p.service = ticket;
	p.req_flags = isc_gss_flags(a->req);
	if (ctx->forwarded != NULL) {
		p.req_flags |= KSSP_GSS_DELEG;
		p.delegate = ctx->forwarded;
	}
	p.bindings = have_cb ? &cb : NULL;
	p.time_offset = time_offset;
	/* The configuration was loaded for the target name (target_principal). */
	p.n_etypes = kssp_sspi_cred_enctypes(ctx->cred, true, etypes, KSSP_ETYPE_LIST_MAX);
	p.etypes = etypes;
	e = kssp_ctx_initiate(&ctx->ap, &p, &tok, &len);
	if (e == KSSP_OK && ctx->cred->pkg->id == KSSP_PACKAGE_NEGOTIATE)
		e = kssp_spnego_wrap_init(tok, len, &wrapped, &wlen);
	if (e != KSSP_OK) {
		kssp_free(tok);
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	}
	st = put_token(a->output, a->req & ISC_REQ_ALLOCATE_MEMORY, wrapped ? wrapped : tok,
	    wrapped ? wlen : len, "InitializeSecurityContext");
	kssp_free(tok);
	kssp_free(wrapped);
	if (st != SEC_E_OK)
		return st;
	ctx->req = a->req;
	ctx->established = ctx->ap.state == KSSP_CTX_ESTABLISHED &&
	    ctx->cred->pkg->id == KSSP_PACKAGE_KERBEROS;
	report(ctx, isc_ret_flags(ctx->ap.flags, a->req), a->attr, a->expiry);
	return ctx->established ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

/* A user-to-user context's ticket (see sspi/ctx_int.h). */
static bool holds_ticket(const struct kssp_sspi_ctx *ctx)
{
	return ctx->ticket != NULL && ctx->ticket->ticket.data != NULL;
}

/*
 * The AP-REQ once more (a KRB_AP_ERR_SKEW retry, re-authentication), with
 * the service ticket the credential holds for the context's server.
 */
static SECURITY_STATUS send_ap_req_again(struct kssp_sspi_ctx *ctx, const struct isc_args *a,
    int64_t time_offset)
{
	struct kssp_cred ticket;
	SECURITY_STATUS st;

	if (holds_ticket(ctx))
		return send_ap_req(ctx, ctx->ticket, a, time_offset);
	if (ctx->ap.server == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_HANDLE,
		    "InitializeSecurityContext: the context has no server to authenticate to");
	st = kssp_sspi_cred_service_ticket(ctx->cred, ctx->ap.server, &ticket);
	if (st == SEC_E_OK)
		st = send_ap_req(ctx, &ticket, a, time_offset);
	kssp_cred_clear(&ticket);
	return st;
}

/*
 * User-to-user, the first leg (draft-swift-win2k-krb-user2user-03 §4):
 * KERB-TGT-REQUEST naming the server, SEC_I_CONTINUE_NEEDED.  Windows
 * sends it under the user-to-user OID with TOK_ID 04 00 and its acceptor
 * answers accept-incomplete with KERB-TGT-REPLY (the CredSSP capture of
 * Microsoft's user-to-user article).  Until the ticket comes,
 * ctx->ticket holds only the server asked (*server is taken).
 */
static SECURITY_STATUS send_tgt_request(struct kssp_sspi_ctx *ctx, struct kssp_principal **server,
    const struct isc_args *a)
{
	uint8_t *tok = NULL;
	size_t len = 0;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_u2u_request(*server, &tok, &len);

	if (e == KSSP_OK && (ctx->ticket = kssp_calloc(1, sizeof(*ctx->ticket))) == NULL)
		e = kssp_fail(KSSP_ERR_NOMEM, "InitializeSecurityContext: out of memory");
	if (e != KSSP_OK) {
		kssp_free(tok);
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	}
	st = put_token(a->output, a->req & ISC_REQ_ALLOCATE_MEMORY, tok, len,
	    "InitializeSecurityContext");
	kssp_free(tok);
	if (st != SEC_E_OK)
		return st;
	ctx->req = a->req;
	ctx->ap.u2u = true;
	ctx->ticket->server = *server;
	*server = NULL;
	report(ctx, isc_ret_flags(0, a->req), a->attr, a->expiry);
	return SEC_I_CONTINUE_NEEDED;
}

/*
 * User-to-user, the second leg: the acceptor's TGT from its
 * KERB-TGT-REPLY, a ticket sealed in its session key from the KDC
 * (RFC 4120 §3.3.3 ENC-TKT-IN-SKEY), and the AP-REQ with
 * use-session-key (RFC 4120 §5.5.1).  Any other token is
 * SEC_E_INVALID_TOKEN.
 */
static SECURITY_STATUS u2u_answer(struct kssp_sspi_ctx *ctx, const struct isc_args *a,
    const uint8_t *tok, size_t len)
{
	struct kssp_cred_data tgt = { NULL, 0 };
	struct kssp_cred ticket;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_u2u_read_reply(tok, len, &tgt);

	memset(&ticket, 0, sizeof(ticket));
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	st = kssp_sspi_cred_u2u_ticket(ctx->cred, ctx->ticket->server, &tgt, &ticket);
	if (st == SEC_E_OK)
		st = send_ap_req(ctx, &ticket, a, 0);
	if (st >= 0) {
		kssp_cred_clear(ctx->ticket);
		*ctx->ticket = ticket;
		memset(&ticket, 0, sizeof(ticket));
	}
	kssp_cred_clear(&ticket);
	kssp_free(tgt.data);
	return st;
}

/*
 * ISC_REQ_DELEGATE: a forwarded TGT for the KRB-CRED of the 0x8003
 * checksum (RFC 4121 §4.1.1.1).  When the service may not be delegated
 * to, or the TGT cannot be forwarded, the context goes on without
 * delegation and ISC_RET_DELEGATE stays clear, as on Windows; the reason
 * goes to the trace.
 */
static void forward_tgt(struct kssp_sspi_cred *cred, const struct kssp_cred *ticket,
    struct kssp_cred *out)
{
	if (kssp_sspi_cred_forwarded_tgt(cred, ticket, out) == SEC_E_OK)
		return;
	kssp_trace(&cred->hooks, "InitializeSecurityContext: not delegating: %s", kssp_last_reason());
	kssp_cred_clear(out);
}

static SECURITY_STATUS isc_first(const struct isc_args *a)
{
	const char *fn = "InitializeSecurityContext";
	struct kssp_sspi_cred *cred;
	struct kssp_sspi_ctx *ctx = NULL;
	struct kssp_principal *server = NULL;
	struct kssp_cred ticket, forwarded;
	CtxtHandle h;
	SECURITY_STATUS st;
	bool u2u = (a->req & ISC_REQ_USE_SESSION_KEY) != 0;

	if (kssp_sspi_cred_enter(a->cred, &cred) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	memset(&ticket, 0, sizeof(ticket));
	memset(&forwarded, 0, sizeof(forwarded));
	if ((cred->use & SECPKG_CRED_OUTBOUND) == 0)
		st = kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "%s: the credential was acquired for SECPKG_CRED_INBOUND only", fn);
	else if (a->new_ctx == NULL)
		st = kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: phNewContext is NULL", fn);
	else if (a->input != NULL && (st = kssp_secbuf_check(a->input, fn, "pInput")) != SEC_E_OK)
		; /* NOLINT(bugprone-branch-clone): a failed check leaves its status in st; the chain stops */
	else if ((st = token_buffer(a->output, fn, NULL)) != SEC_E_OK)
		;
	else if ((a->req & ISC_NOT_BUILT) || (u2u && cred->pkg->id != KSSP_PACKAGE_KERBEROS))
		st = not_built(fn, a->req, true);
	else if ((a->req & ISC_REQ_USE_DCE_STYLE) && cred->pkg->id != KSSP_PACKAGE_KERBEROS)
		st = dce_in_negotiate(fn);
	else {
		st = target_principal(cred, a->target, &server);
		/* The ticket workflow takes the credential's lock itself, never across a KDC round trip. */
		if (st == SEC_E_OK && u2u)
			; /* user-to-user: the ticket comes after the acceptor's TGT (u2u_answer) */
		else if (st == SEC_E_OK &&
		    (st = kssp_sspi_cred_service_ticket(cred, server, &ticket)) == SEC_E_TARGET_UNKNOWN)
			st = say_target_read(st, a->target, server);
		/* Not in a user-to-user context: its ticket comes later (u2u_answer). */
		if (st == SEC_E_OK && !u2u && (a->req & ISC_REQ_DELEGATE))
			forward_tgt(cred, &ticket, &forwarded);
	}
	if (st == SEC_E_OK && kssp_sspi_ctx_new(cred, true, 1, &h) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	if (st == SEC_E_OK && kssp_sspi_ctx_get(&h, &ctx) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	if (st == SEC_E_OK) {
		kssp_sspi_object_lock(&ctx->obj);
		if (forwarded.ticket.data != NULL &&
		    (ctx->forwarded = kssp_malloc(sizeof(*ctx->forwarded))) == NULL)
			st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
		else if (forwarded.ticket.data != NULL) {
			*ctx->forwarded = forwarded;
			memset(&forwarded, 0, sizeof(forwarded));
		}
		if (st == SEC_E_OK)
			st = u2u ? send_tgt_request(ctx, &server, a) : send_ap_req(ctx, &ticket, a, 0);
		kssp_sspi_object_unlock(&ctx->obj);
		kssp_sspi_object_put(&ctx->obj);
		if (st < 0)
			kssp_sspi_handle_free(&h, KSSP_HANDLE_CONTEXT);
		else
			*a->new_ctx = h;
	}
	kssp_cred_clear(&ticket);
	kssp_cred_clear(&forwarded);
	kssp_principal_free(server);
	kssp_sspi_cred_leave(cred);
	return st;
}

/* The server's answer on the Kerberos package: AP-REP or KRB-ERROR (one SKEW retry). */
static SECURITY_STATUS krb5_answer(struct kssp_sspi_ctx *ctx, const struct isc_args *a,
    const uint8_t *tok, size_t len)
{
	struct kssp_time now;
	kssp_err e = kssp_ctx_initiate_continue(&ctx->ap, tok, len);

	if (e == KRB_AP_ERR_SKEW && !ctx->skew_retried && ctx->ap.hs &&
	    ctx->ap.hs->error_stime != 0 && kssp_hooks_now(&ctx->cred->hooks, &now) == KSSP_OK) {
		/* RFC 4120 §3.2.3 / MIT: retry once with the server's clock. */
		ctx->skew_retried = true;
		return send_ap_req_again(ctx, a, ctx->ap.hs->error_stime - now.sec);
	}
	return kssp_sspi_result_of(e, kssp_sspi_status(e, KSSP_PHASE_INITIATE));
}

/* DCE style: the third leg, our AP-REP (MS-KILE 3.4.5.1), to the output. */
static SECURITY_STATUS dce_reply(struct kssp_sspi_ctx *ctx, const struct isc_args *a)
{
	uint8_t *tok = NULL;
	size_t len = 0;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_initiate_dce_reply(&ctx->ap, &tok, &len);

	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	st = put_token(a->output, ctx->req & ISC_REQ_ALLOCATE_MEMORY, tok, len,
	    "InitializeSecurityContext");
	kssp_free(tok);
	return st;
}

/* The acceptor's NegTokenResp: its AP-REP, its mechListMIC, and ours back. */
static SECURITY_STATUS spnego_answer(struct kssp_sspi_ctx *ctx, const struct isc_args *a,
    const uint8_t *tok, size_t len, bool *sent)
{
	struct kssp_spnego_answer ans;
	uint8_t *list = NULL, *mic = NULL, *out = NULL;
	size_t list_len = 0, mic_len = 0, out_len = 0;
	SECURITY_STATUS st = SEC_E_OK;
	kssp_err e = kssp_spnego_read_resp(tok, len, &ans);

	*sent = false;
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_INITIATE));
	if (ans.neg_state == KSSP_SPNEGO_REJECT)
		return kssp_sspi_fail(SEC_E_LOGON_DENIED, "Negotiate: the acceptor rejected the Kerberos token");
	if (ctx->ap.state == KSSP_CTX_WAIT_AP_REP) {
		if (ans.token == NULL)
			return kssp_sspi_fail(SEC_E_INVALID_TOKEN, "Negotiate: mutual authentication asked, no AP-REP came back");
		if ((st = krb5_answer(ctx, a, ans.token, ans.token_len)) != SEC_E_OK)
			return st;
	}
	if (ans.mic == NULL && ans.neg_state != KSSP_SPNEGO_REQUEST_MIC)
		return SEC_E_OK;
	e = kssp_spnego_initiator_mech_list(&list, &list_len);
	if (e == KSSP_OK && ans.mic != NULL)
		e = kssp_spnego_check_mic(&ctx->ap.tokens, list, list_len, ans.mic, ans.mic_len);
	if (e == KSSP_OK)
		e = kssp_spnego_make_mic(&ctx->ap.tokens, list, list_len, &mic, &mic_len);
	if (e == KSSP_OK)
		e = kssp_spnego_wrap_mic(mic, mic_len, &out, &out_len);
	if (e != KSSP_OK)
		st = kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_MESSAGE));
	else if ((st = put_token(a->output, a->req & ISC_REQ_ALLOCATE_MEMORY, out, out_len,
		      "InitializeSecurityContext")) == SEC_E_OK)
		*sent = true;
	kssp_free(list);
	kssp_free(mic);
	kssp_free(out);
	return st;
}

static SECURITY_STATUS isc_next(const struct isc_args *a)
{
	const char *fn = "InitializeSecurityContext";
	struct kssp_sspi_ctx *ctx;
	PSecBuffer in;
	SECURITY_STATUS st;
	bool sent = false;

	if (kssp_sspi_ctx_get(a->ctx, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (!ctx->initiator)
		st = kssp_sspi_fail(SEC_E_INVALID_HANDLE, "%s: phContext is a server (accepted) context", fn);
	else if ((st = token_buffer(a->output, fn, NULL)) != SEC_E_OK)
		; /* NOLINT(bugprone-branch-clone): a failed check leaves its status in st; the chain stops */
	else if (ctx->established && a->input == NULL) {
		/* Called again on a completed context: authenticate anew. */
		st = send_ap_req_again(ctx, a, 0);
		sent = true;
	}
	else if ((st = token_buffer(a->input, fn, &in)) != SEC_E_OK)
		;
	else if (ctx->cred->pkg->id == KSSP_PACKAGE_NEGOTIATE)
		st = spnego_answer(ctx, a, in->pvBuffer, in->cbBuffer, &sent);
	else if (ctx->ap.u2u && ctx->ap.state == KSSP_CTX_EMPTY) {
		st = u2u_answer(ctx, a, in->pvBuffer, in->cbBuffer);
		sent = true;
	} else if (ctx->ap.state != KSSP_CTX_WAIT_AP_REP)
		st = kssp_sspi_fail(SEC_E_INVALID_TOKEN, "%s: the context expects no further token", fn);
	else if ((st = krb5_answer(ctx, a, in->pvBuffer, in->cbBuffer)) == SEC_E_OK &&
	    (ctx->ap.flags & KSSP_GSS_DCE_STYLE) && ctx->ap.state == KSSP_CTX_ESTABLISHED) {
		st = dce_reply(ctx, a);
		sent = st == SEC_E_OK;
	}
	if (st == SEC_E_OK && ctx->ap.state == KSSP_CTX_ESTABLISHED) {
		ctx->established = true;
		report(ctx, isc_ret_flags(ctx->ap.flags, ctx->req), a->attr, a->expiry);
		if (!sent)
			put_token(a->output, ctx->req & ISC_REQ_ALLOCATE_MEMORY, NULL, 0, fn);
		kssp_sspi_result(SEC_E_OK);
	}
	kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

static SECURITY_STATUS isc(const struct isc_args *a, ULONG reserved1, ULONG reserved2)
{
	if (a->attr == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "InitializeSecurityContext: pfContextAttr is NULL");
	*a->attr = 0;
	if (reserved1 != 0 || reserved2 != 0)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "InitializeSecurityContext: Reserved1 and Reserved2 must be 0 (got %lu, %lu)",
		    (unsigned long)reserved1, (unsigned long)reserved2);
	return a->ctx == NULL ? isc_first(a) : isc_next(a);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
	struct isc_args a = { phCredential, phContext, pszTargetName, fContextReq, pInput,
		phNewContext, pOutput, pfContextAttr, ptsExpiry };

	/* Kerberos tokens have one byte order; TargetDataRep is not used. */
	(void)TargetDataRep;
	kssp_clear_failure();
	return isc(&a, Reserved1, Reserved2);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
	char *target = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	kssp_clear_failure();
	if ((e = kssp_utf16_narrow(pszTargetName, 1024, &target, NULL)) != KSSP_OK) {
		if (pfContextAttr != NULL)
			*pfContextAttr = 0;
		return kssp_sspi_result_of(e, SEC_E_TARGET_UNKNOWN);
	}
	st = InitializeSecurityContextA(phCredential, phContext, target, fContextReq, Reserved1,
	    TargetDataRep, pInput, Reserved2, phNewContext, pOutput, pfContextAttr, ptsExpiry);
	kssp_free(target);
	return st;
}

/* ---- acceptor ---- */

struct asc_args {
	PSecBufferDesc input;
	ULONG req;
	PSecBufferDesc output;
	ULONG *attr;
	PTimeStamp expiry;
};

/*
 * Accepts the AP-REQ krb5_tok on ctx (locked; its credential's acceptor
 * pieces loaded); user-to-user with the TGT in ctx->ticket when it holds one.
 */
static SECURITY_STATUS accept_krb5(struct kssp_sspi_ctx *ctx, const struct asc_args *a,
    const uint8_t *krb5_tok, size_t len, uint8_t **reply, size_t *reply_len)
{
	struct kssp_sspi_cred *cred = ctx->cred;
	struct kssp_ctx_accept_params p;
	struct kssp_channel_bindings cb;
	int32_t etypes[KSSP_ETYPE_LIST_MAX];
	bool have_cb;
	SECURITY_STATUS st;
	kssp_err e;

	if ((st = read_bindings(a->input, &cb, &have_cb, "AcceptSecurityContext")) != SEC_E_OK)
		return st;
	memset(&p, 0, sizeof(p));
	p.keytab = &cred->keytab;
	p.tgt = holds_ticket(ctx) ? ctx->ticket : NULL;
	p.acceptor = cred->acceptor;
	p.bindings = have_cb ? &cb : NULL;
	p.rcache = cred->req.replay_none ? NULL : &cred->rcache;
	/* The server means to act for the client: keep the ticket as S4U2Proxy evidence. */
	p.keep_evidence = (a->req & ASC_REQ_DELEGATE) != 0;
	p.rcache_file = &cred->rcname;
	p.n_etypes = kssp_sspi_cred_enctypes(cred, false, etypes, KSSP_ETYPE_LIST_MAX);
	p.etypes = etypes;
	e = kssp_ctx_accept(&ctx->ap, &p, krb5_tok, len, reply, reply_len);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	return SEC_E_OK;
}

/* A GSS initial token of the krb5 mechanism (either OID), not SPNEGO. */
static bool is_raw_krb5(const uint8_t *tok, size_t len)
{
	struct kssp_gss_token g;

	if (kssp_gss_decode_initial(tok, len, &g) != KSSP_OK) {
		kssp_clear_failure();
		return false;
	}
	return kssp_gss_oid_equal(&g.mech, &kssp_gss_krb5_oid) ||
	    kssp_gss_oid_equal(&g.mech, &kssp_gss_mskrb5_oid);
}

/*
 * A token under the user-to-user OID that is no AP-REQ: the
 * KERB-TGT-REQUEST of the first leg, read (and refused when it is not
 * one) by asc_tgt_reply.
 */
static bool is_tgt_request(const uint8_t *tok, size_t len)
{
	struct kssp_gss_krb5_token t;

	if (kssp_gss_decode_krb5(tok, len, &t) != KSSP_OK) {
		kssp_clear_failure();
		return false;
	}
	return kssp_gss_oid_equal(&t.mech, &kssp_gss_u2u_oid) && t.tok_id != KSSP_TOK_AP_REQ;
}

/*
 * draft-swift-win2k-krb-user2user-02 §5: a user name asked must be the
 * TGT's client (KRB_AP_ERR_NOT_US otherwise); an SPN is the server's to
 * map to its account, which Windows does and kssp cannot: taken.
 */
static SECURITY_STATUS check_name_asked(const struct kssp_principal *asked,
    const struct kssp_principal *ours)
{
	if (asked == NULL || asked->n_name_string != 1 || kssp_principal_equal_no_realm(asked, ours))
		return SEC_E_OK;
	return kssp_sspi_result(kssp_sspi_status(kssp_fail(KRB_AP_ERR_NOT_US,
	    "KERB-TGT-REQUEST: asks for another user than this acceptor's TGT's"), KSSP_PHASE_ACCEPT));
}

/* User-to-user: the credential's TGT into ctx->ticket. */
static SECURITY_STATUS acceptor_tgt(struct kssp_sspi_ctx *ctx)
{
	if (ctx->ticket == NULL && (ctx->ticket = kssp_calloc(1, sizeof(*ctx->ticket))) == NULL)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	return kssp_sspi_cred_acceptor_tgt(ctx->cred, ctx->ticket);
}

/*
 * User-to-user, the acceptor's first leg: KERB-TGT-REPLY with the
 * credential's TGT, kept in ctx->ticket for the AP-REQ to come, and
 * SEC_I_CONTINUE_NEEDED (accept-incomplete in Windows' capture).
 */
static SECURITY_STATUS asc_tgt_reply(struct kssp_sspi_ctx *ctx, const struct asc_args *a,
    PSecBuffer in)
{
	struct kssp_principal *asked = NULL;
	uint8_t *out = NULL;
	size_t len = 0;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_u2u_read_request(in->pvBuffer, in->cbBuffer, &asked);

	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	st = acceptor_tgt(ctx);
	if (st == SEC_E_OK)
		st = check_name_asked(asked, ctx->ticket->client);
	if (st == SEC_E_OK && (e = kssp_ctx_u2u_reply(ctx->ticket, &out, &len)) != KSSP_OK)
		st = kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	if (st == SEC_E_OK)
		st = put_token(a->output, a->req & ASC_REQ_ALLOCATE_MEMORY, out, len,
		    "AcceptSecurityContext");
	kssp_free(out);
	kssp_principal_free(asked);
	if (st != SEC_E_OK)
		return st;
	ctx->ap.u2u = true;
	ctx->req = a->req;
	report(ctx, asc_ret_flags(&ctx->ap, a->req), a->attr, a->expiry);
	return SEC_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS asc_accept(struct kssp_sspi_ctx *ctx, const struct asc_args *a,
    PSecBuffer in)
{
	struct kssp_spnego_offer offer;
	uint8_t *reply = NULL, *out = NULL;
	size_t reply_len = 0, out_len = 0;
	bool nego = ctx->cred->pkg->id == KSSP_PACKAGE_NEGOTIATE;
	SECURITY_STATUS st;
	kssp_err e = KSSP_OK;

	memset(&offer, 0, sizeof(offer));
	/* Windows' Negotiate also takes a bare Kerberos token, and answers in kind. */
	if (nego && is_raw_krb5(in->pvBuffer, in->cbBuffer))
		nego = false;
	if (nego && (e = kssp_spnego_read_init(in->pvBuffer, in->cbBuffer, &offer)) != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	if (!nego && !holds_ticket(ctx) && is_tgt_request(in->pvBuffer, in->cbBuffer))
		return asc_tgt_reply(ctx, a, in);
	/* ASC_REQ_USE_SESSION_KEY: a user-to-user AP-REQ from a client that holds our TGT already. */
	if (!nego && !holds_ticket(ctx) && (a->req & ASC_REQ_USE_SESSION_KEY) &&
	    (st = acceptor_tgt(ctx)) != SEC_E_OK)
		return st;
	st = holds_ticket(ctx) ? SEC_E_OK : kssp_sspi_cred_ready_acceptor(ctx->cred);
	/* Loaded once, then only read; the in-memory replay cache locks itself. */
	if (st == SEC_E_OK)
		st = accept_krb5(ctx, a, nego ? offer.token : in->pvBuffer,
		    nego ? offer.token_len : in->cbBuffer, &reply, &reply_len);
	if (st == SEC_E_OK && nego && ctx->ap.state == KSSP_CTX_WAIT_DCE_AP_REP) {
		kssp_free(reply);
		reply = NULL;
		reply_len = 0;
		st = dce_in_negotiate("AcceptSecurityContext");
	}
	if (nego && (st == SEC_E_OK || reply != NULL))
		e = kssp_spnego_wrap_resp(st != SEC_E_OK, offer.mech, offer.mech_len, reply,
		    reply_len, NULL, 0, &out, &out_len);
	if (e != KSSP_OK && st == SEC_E_OK)
		st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	/* A failure answers with the KRB-ERROR token only when the caller asked for extended errors. */
	if (st == SEC_E_OK || (a->req & ASC_REQ_EXTENDED_ERROR)) {
		SECURITY_STATUS put = put_token(a->output, a->req & ASC_REQ_ALLOCATE_MEMORY,
		    out ? out : reply, out ? out_len : reply_len, "AcceptSecurityContext");

		if (st == SEC_E_OK)
			st = put;
	}
	kssp_free(reply);
	kssp_free(out);
	kssp_spnego_offer_free(&offer);
	if (st == SEC_E_OK) {
		ctx->established = ctx->ap.state == KSSP_CTX_ESTABLISHED;
		ctx->req = a->req;
		report(ctx, asc_ret_flags(&ctx->ap, a->req), a->attr, a->expiry);
		kssp_sspi_result(SEC_E_OK);
		/* DCE style: the initiator's AP-REP is still to come (MS-KILE 3.4.5.1). */
		if (!ctx->established)
			st = SEC_I_CONTINUE_NEEDED;
	}
	return st;
}

/* DCE style, the second AcceptSecurityContext call: the initiator's AP-REP. */
static SECURITY_STATUS asc_dce_reply(struct kssp_sspi_ctx *ctx, const struct asc_args *a,
    PSecBuffer in)
{
	kssp_err e = kssp_ctx_accept_dce_reply(&ctx->ap, in->pvBuffer, in->cbBuffer);

	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
	/* The last leg answers nothing: an empty output token, if one was given. */
	if (a->output != NULL && kssp_secbuf_find(a->output, SECBUFFER_TOKEN) != NULL)
		put_token(a->output, ctx->req & ASC_REQ_ALLOCATE_MEMORY, NULL, 0,
		    "AcceptSecurityContext");
	ctx->established = true;
	report(ctx, asc_ret_flags(&ctx->ap, ctx->req), a->attr, a->expiry);
	return kssp_sspi_result(SEC_E_OK);
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential,
    PCtxtHandle phContext, PSecBufferDesc pInput, ULONG fContextReq, ULONG TargetDataRep,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
    PTimeStamp ptsExpiry)
{
	const char *fn = "AcceptSecurityContext";
	struct asc_args a = { pInput, fContextReq, pOutput, pfContextAttr, ptsExpiry };
	struct kssp_sspi_cred *cred;
	struct kssp_sspi_ctx *ctx;
	PSecBuffer in;
	CtxtHandle h;
	SECURITY_STATUS st;

	(void)TargetDataRep;
	kssp_clear_failure();
	if (pfContextAttr == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: pfContextAttr is NULL", fn);
	*pfContextAttr = 0;
	if (phContext != NULL) {
		if (kssp_sspi_ctx_get(phContext, &ctx) != KSSP_OK)
			return kssp_sspi_result(SEC_E_INVALID_HANDLE);
		kssp_sspi_object_lock(&ctx->obj);
		if (ctx->initiator)
			st = kssp_sspi_fail(SEC_E_INVALID_HANDLE, "%s: phContext is a client context", fn);
		else if ((st = token_buffer(pInput, fn, &in)) != SEC_E_OK)
			; /* NOLINT(bugprone-branch-clone): a failed check leaves its status in st; the chain stops */
		else if (ctx->ap.state == KSSP_CTX_WAIT_DCE_AP_REP)
			st = asc_dce_reply(ctx, &a, in);
		else if (ctx->ap.u2u && ctx->ap.state == KSSP_CTX_EMPTY && !ctx->established) {
			/* User-to-user: the AP-REQ after our KERB-TGT-REPLY. */
			if ((st = token_buffer(pOutput, fn, NULL)) == SEC_E_OK)
				st = asc_accept(ctx, &a, in);
		} else
			st = kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
			    "%s: the Kerberos exchange takes one AcceptSecurityContext call; a second one belongs to a DCE-style context (ASC_REQ_USE_DCE_STYLE), which this one is not",
			    fn);
		kssp_sspi_object_note(&ctx->obj, st);
		kssp_sspi_object_unlock(&ctx->obj);
		kssp_sspi_object_put(&ctx->obj);
		return st;
	}
	if (kssp_sspi_cred_enter(phCredential, &cred) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	if ((cred->use & SECPKG_CRED_INBOUND) == 0)
		st = kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "%s: the credential was acquired for SECPKG_CRED_OUTBOUND only", fn);
	else if (phNewContext == NULL)
		st = kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "%s: phNewContext is NULL", fn);
	else if ((st = token_buffer(pInput, fn, &in)) != SEC_E_OK)
		; /* NOLINT(bugprone-branch-clone): a failed check leaves its status in st; the chain stops */
	else if ((st = token_buffer(pOutput, fn, NULL)) != SEC_E_OK)
		;
	else if ((fContextReq & ASC_NOT_BUILT) ||
	    ((fContextReq & ASC_REQ_USE_SESSION_KEY) && cred->pkg->id != KSSP_PACKAGE_KERBEROS))
		st = not_built(fn, fContextReq, false);
	else if ((fContextReq & ASC_REQ_USE_DCE_STYLE) && cred->pkg->id != KSSP_PACKAGE_KERBEROS)
		st = dce_in_negotiate(fn);
	else if (kssp_sspi_ctx_new(cred, true, 0, &h) != KSSP_OK || kssp_sspi_ctx_get(&h, &ctx) != KSSP_OK)
		st = kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	else {
		kssp_sspi_object_lock(&ctx->obj);
		st = asc_accept(ctx, &a, in);
		kssp_sspi_object_unlock(&ctx->obj);
		kssp_sspi_object_put(&ctx->obj);
		if (st < 0)
			kssp_sspi_handle_free(&h, KSSP_HANDLE_CONTEXT);
		else
			*phNewContext = h;
	}
	kssp_sspi_cred_leave(cred);
	return st;
}
