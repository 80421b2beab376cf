/*
 * sspi/ctx.c - context objects, and the context calls that need no
 * exchange: DeleteSecurityContext, CompleteAuthToken, ApplyControlToken,
 * QueryContextAttributesA/W, SetContextAttributesA/W,
 * ImpersonateSecurityContext, RevertSecurityContext,
 * ExportSecurityContext, ImportSecurityContextA/W, and kssp's
 * kssp_store_delegated.
 */
#include "sspi/ctx_int.h"

#include <string.h>

#include "base/base.h"
#include "kdc/kdc.h"
#include "crypto/crypto.h"
#include "sspi/pac_int.h"
#include "sspi/status_int.h"
#include "sspi/utf16_int.h"

static void free_cred(struct kssp_cred *c)
{
	if (c == NULL)
		return;
	kssp_cred_clear(c);
	kssp_free(c);
}

static void ctx_destroy(struct kssp_sspi_object *obj)
{
	struct kssp_sspi_ctx *ctx = (struct kssp_sspi_ctx *)obj;

	kssp_ctx_clear(&ctx->ap);
	free_cred(ctx->ticket);
	free_cred(ctx->forwarded);
	if (ctx->cred_pinned)
		kssp_sspi_handle_leave(&ctx->cred->obj);
	else
		kssp_sspi_object_put(&ctx->cred->obj);
	kssp_free_secret(ctx, sizeof(*ctx));
}

kssp_err kssp_sspi_ctx_new(struct kssp_sspi_cred *cred, bool cred_entered, int initiator,
    CtxtHandle *out)
{
	struct kssp_sspi_ctx *ctx = kssp_calloc(1, sizeof(*ctx));
	kssp_err e;

	if (ctx == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "security context: out of memory");
	ctx->cred = cred;
	ctx->initiator = initiator;
	kssp_ctx_init(&ctx->ap, &cred->hooks);
	e = kssp_sspi_object_init(&ctx->obj, KSSP_HANDLE_CONTEXT, ctx_destroy);
	if (e != KSSP_OK) {
		kssp_free(ctx);
		return e;
	}
	ctx->cred_pinned = cred_entered;
	if (cred_entered)
		kssp_sspi_handle_pin_more(&cred->obj);
	else
		kssp_sspi_object_get(&cred->obj);
	e = kssp_sspi_handle_register(&ctx->obj, out);
	kssp_sspi_object_put(&ctx->obj);
	return e;
}

SECURITY_STATUS kssp_sspi_ctx_usable(struct kssp_sspi_ctx *ctx, const char *fn)
{
	struct kssp_time now;

	if (!ctx->established || ctx->ap.state != KSSP_CTX_ESTABLISHED)
		return kssp_sspi_fail(SEC_E_INVALID_HANDLE,
		    "%s: the context is not established yet", fn);
	if (kssp_hooks_now_coarse(&ctx->cred->hooks, &now) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	if (ctx->ap.endtime != 0 && now.sec >= ctx->ap.endtime)
		return kssp_sspi_fail(SEC_E_CONTEXT_EXPIRED,
		    "%s: the context expired with its ticket at %lld", fn, (long long)ctx->ap.endtime);
	return SEC_E_OK;
}

kssp_err kssp_sspi_ctx_get(const CtxtHandle *h, struct kssp_sspi_ctx **ctx)
{
	struct kssp_sspi_object *obj;
	kssp_err e = kssp_sspi_handle_get(h, KSSP_HANDLE_CONTEXT, &obj);

	*ctx = (struct kssp_sspi_ctx *)obj;
	return e;
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
	kssp_clear_failure();
	if (kssp_sspi_handle_free(phContext, KSSP_HANDLE_CONTEXT) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	return kssp_sspi_result(SEC_E_OK);
}

/*
 * Runs check on the live context h under its lock, noting a failure on it
 * when note.  A call whose only work is to validate the handle passes
 * check NULL.
 */
static SECURITY_STATUS with_context(PCtxtHandle h,
    SECURITY_STATUS (*check)(struct kssp_sspi_ctx *ctx, void *arg), void *arg, bool note)
{
	struct kssp_sspi_ctx *ctx;
	SECURITY_STATUS st = SEC_E_OK;

	kssp_clear_failure();
	if (kssp_sspi_ctx_get(h, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	kssp_sspi_object_lock(&ctx->obj);
	if (check != NULL)
		st = check(ctx, arg);
	if (st >= 0)
		kssp_sspi_result(st);
	if (note)
		kssp_sspi_object_note(&ctx->obj, st);
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	return st;
}

/* Kerberos never returns SEC_I_COMPLETE_NEEDED, so there is never work to complete. */
SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
	(void)pToken;
	return with_context(phContext, NULL, NULL, true);
}

static SECURITY_STATUS refuse_control_token(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "ApplyControlToken: the Kerberos package accepts no control tokens (as on Windows)");
}

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
	(void)pInput;
	return with_context(phContext, refuse_control_token, NULL, true);
}

static SECURITY_STATUS refuse_impersonation(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)arg;
	if (ctx->initiator)
		return kssp_sspi_fail(SEC_E_NO_IMPERSONATION,
		    "ImpersonateSecurityContext: only a server (accepted) context has a client to impersonate");
	return kssp_sspi_fail(SEC_E_NO_IMPERSONATION,
	    "ImpersonateSecurityContext: Linux has no access token for a Kerberos client; the server keeps its own identity");
}

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
	return with_context(phContext, refuse_impersonation, NULL, true);
}

/* No impersonation ever starts on Linux, so the thread already runs as itself. */
SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
	return with_context(phContext, NULL, NULL, true);
}

static SECURITY_STATUS refuse_set(struct kssp_sspi_ctx *ctx, void *arg)
{
	(void)ctx;
	return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
	    "SetContextAttributes: attribute %lu cannot be set on a Kerberos context on Linux",
	    (unsigned long)*(ULONG *)arg);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer, ULONG cbBuffer)
{
	(void)pBuffer;
	(void)cbBuffer;
	return with_context(phContext, refuse_set, &ulAttribute, true);
}

/* No attribute is settable, so neither form reads pBuffer's text. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer, ULONG cbBuffer)
{
	return SetContextAttributesA(phContext, ulAttribute, pBuffer, cbBuffer);
}

/* ---- QueryContextAttributes ---- */

struct query {
	ULONG attribute;
	void *buffer;
	int wide;
};

static SECURITY_STATUS package_attr(const struct kssp_package *pkg, int wide, void *out)
{
	return kssp_sspi_result_of(wide ? kssp_package_info_w(pkg, (PSecPkgInfoW *)out) :
	    kssp_package_info_a(pkg, (PSecPkgInfoA *)out), SEC_E_INSUFFICIENT_MEMORY);
}

static SECURITY_STATUS negotiation_attr(struct kssp_sspi_ctx *ctx, const struct query *q)
{
	/* NegotiationInfoA and W share the layout: a pointer, then the state. */
	SecPkgContext_NegotiationInfoA *n = q->buffer;

	if (ctx->cred->pkg->id != KSSP_PACKAGE_NEGOTIATE)
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryContextAttributes(NEGOTIATION_INFO): only a Negotiate context has one");
	n->NegotiationState = ctx->established ? SECPKG_NEGOTIATION_COMPLETE
					       : SECPKG_NEGOTIATION_IN_PROGRESS;
	return package_attr(kssp_package_by_id(KSSP_PACKAGE_KERBEROS), q->wide, &n->PackageInfo);
}

static SECURITY_STATUS principal_attr(const struct kssp_principal *p, int wide, void **out)
{
	char *text = NULL;
	SECURITY_STATUS st;

	if (p == NULL)
		return kssp_sspi_fail(SEC_E_INTERNAL_ERROR, "QueryContextAttributes: the context has no such name");
	if (kssp_principal_unparse(p, 0, &text) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	st = kssp_sspi_buffer_string(text, wide, out);
	kssp_free(text);
	return st;
}

static SECURITY_STATUS sizes_attr(struct kssp_sspi_ctx *ctx, SecPkgContext_Sizes *s)
{
	struct kssp_wrap_sizes w;
	size_t mic = 0;
	kssp_err e;

	/*
	 * cbSecurityTrailer is what a token buffer must hold for any message: an
	 * RC4 token's framing grows with the message, so it is sized for the
	 * largest.  EncryptMessage sets cbBuffer to the bytes used, as Windows does.
	 * DCE-style contexts need more for AES (76: the EC 16 filler, MS-KILE
	 * 3.4.5.4.1) and less for arcfour-hmac (45: the framing covers the
	 * header only); the token layer's split sizes say which.
	 */
	e = kssp_token_mic_len(&ctx->ap.tokens, &mic);
	if (e == KSSP_OK)
		e = kssp_token_wrap_split_sizes(&ctx->ap.tokens, true, KSSP_TOKEN_MAX_DATA, &w);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_MESSAGE));
	s->cbMaxToken = ctx->cred->pkg->max_token;
	s->cbMaxSignature = (ULONG)mic;
	/* CTS and RC4 take any length: no block multiple is asked of callers. */
	s->cbBlockSize = 1;
	s->cbSecurityTrailer = (ULONG)w.header;
	return SEC_E_OK;
}

/* FILETIME ticks (100 ns since 1601) of a Unix time, as Windows' TimeStamp. */
static void to_timestamp(int64_t unix_time, TimeStamp *ts)
{
	ts->QuadPart = (unix_time + 11644473600LL) * 10000000LL;
}

static SECURITY_STATUS session_key_attr(struct kssp_sspi_ctx *ctx, SecPkgContext_SessionKey *k)
{
	const struct kssp_key *key = kssp_token_ctx_key(&ctx->ap.tokens);
	unsigned char *copy = kssp_sspi_buffer_alloc(key->length);

	if (copy == NULL)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	memcpy(copy, key->contents, key->length);
	k->SessionKey = copy;
	k->SessionKeyLength = (ULONG)key->length;
	return SEC_E_OK;
}

/* KeyInfoA and W share the layout; the names are ASCII. */
static SECURITY_STATUS key_info_attr(struct kssp_sspi_ctx *ctx, SecPkgContext_KeyInfoA *k, int wide)
{
	const struct kssp_key *key = kssp_token_ctx_key(&ctx->ap.tokens);
	int32_t cksum = 0;
	const char *ename = kssp_crypto_enctype_name(key->enctype), *cname;
	void *e_out = NULL, *c_out = NULL;
	SECURITY_STATUS st;

	if (kssp_crypto_enctype_cksumtype(key->enctype, &cksum) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INTERNAL_ERROR);
	cname = kssp_crypto_cksumtype_name(cksum);
	st = kssp_sspi_buffer_string(ename != NULL ? ename : "unknown", wide, &e_out);
	if (st == SEC_E_OK)
		st = kssp_sspi_buffer_string(cname != NULL ? cname : "unknown", wide, &c_out);
	if (st != SEC_E_OK) {
		kssp_sspi_buffer_free(e_out);
		return st;
	}
	k->sEncryptAlgorithmName = e_out;
	k->sSignatureAlgorithmName = c_out;
	k->KeySize = (ULONG)(key->length * 8);
	k->EncryptAlgorithm = (ULONG)key->enctype;
	k->SignatureAlgorithm = (ULONG)cksum;
	return SEC_E_OK;
}

static SECURITY_STATUS native_names_attr(struct kssp_sspi_ctx *ctx, SecPkgContext_NativeNamesA *n,
    int wide)
{
	void *client = NULL, *server = NULL;
	SECURITY_STATUS st = principal_attr(ctx->ap.client, wide, &client);

	if (st == SEC_E_OK)
		st = principal_attr(ctx->ap.server, wide, &server);
	if (st != SEC_E_OK) {
		kssp_sspi_buffer_free(client);
		return st;
	}
	n->sClientName = client;
	n->sServerName = server;
	return SEC_E_OK;
}

/*
 * With a verified PAC naming the account, Windows' name for the client:
 * "LOGONDOMAIN\account" in the account's own spelling, whatever case the
 * client typed at logon; NATIVE_NAMES keeps the Kerberos principal.
 */
static SECURITY_STATUS names_attr(struct kssp_sspi_ctx *ctx, const struct query *q)
{
	void **out = (void **)&((SecPkgContext_NamesA *)q->buffer)->sUserName;
	struct kssp_pac pac;
	char *name = NULL;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_pac(&ctx->ap, &pac);

	if (e == KSSP_OK)
		e = kssp_sspi_pac_windows_name(&pac, &name);
	kssp_pac_free(&pac);
	if (e == KSSP_ERR_NOT_FOUND)
		return principal_attr(ctx->ap.client, q->wide, out);
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	st = kssp_sspi_buffer_string(name, q->wide, out);
	kssp_free(name);
	return st;
}

/* The PAC attributes, from the PAC decoded again out of the bytes the context keeps. */
static SECURITY_STATUS pac_attr(struct kssp_sspi_ctx *ctx, const struct query *q)
{
	struct kssp_pac pac;
	SECURITY_STATUS st;
	kssp_err e = kssp_ctx_pac(&ctx->ap, &pac);

	if (e != KSSP_OK && e != KSSP_ERR_NOT_FOUND)
		st = kssp_sspi_result_of(e, SEC_E_INTERNAL_ERROR);
	else if (q->attribute == SECPKG_ATTR_KSSP_PAC)
		st = kssp_sspi_pac_raw(e == KSSP_OK ? &pac : NULL, q->buffer);
	else
		st = kssp_sspi_pac_logon_info(e == KSSP_OK ? &pac : NULL, q->buffer);
	kssp_pac_free(&pac);
	return st;
}

/* The attributes that exist only once the exchange has completed. */
static SECURITY_STATUS established_attr(struct kssp_sspi_ctx *ctx, const struct query *q)
{
	SECURITY_STATUS st = kssp_sspi_ctx_usable(ctx, "QueryContextAttributes");

	if (st != SEC_E_OK)
		return st;
	switch (q->attribute) {
	case SECPKG_ATTR_SIZES:
		return sizes_attr(ctx, q->buffer);
	case SECPKG_ATTR_NAMES:
		return names_attr(ctx, q);
	case SECPKG_ATTR_KSSP_PAC:
	case SECPKG_ATTR_KSSP_LOGON_INFO:
		return pac_attr(ctx, q);
	case SECPKG_ATTR_NATIVE_NAMES:
		return native_names_attr(ctx, q->buffer, q->wide);
	case SECPKG_ATTR_LIFESPAN:
		to_timestamp(ctx->ap.ctime, &((SecPkgContext_Lifespan *)q->buffer)->tsStart);
		to_timestamp(ctx->ap.endtime, &((SecPkgContext_Lifespan *)q->buffer)->tsExpiry);
		return SEC_E_OK;
	case SECPKG_ATTR_SESSION_KEY:
		return session_key_attr(ctx, q->buffer);
	default:
		return key_info_attr(ctx, q->buffer, q->wide);
	}
}

static SECURITY_STATUS query_attr(struct kssp_sspi_ctx *ctx, void *arg)
{
	const struct query *q = arg;

	if (q->buffer == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "QueryContextAttributes: pBuffer is NULL");
	switch (q->attribute) {
	case SECPKG_ATTR_PACKAGE_INFO:
		return package_attr(ctx->cred->pkg, q->wide,
		    &((SecPkgContext_PackageInfoA *)q->buffer)->PackageInfo);
	case SECPKG_ATTR_NEGOTIATION_INFO:
		return negotiation_attr(ctx, q);
	case SECPKG_ATTR_FLAGS:
		((SecPkgContext_Flags *)q->buffer)->Flags = ctx->flags;
		return SEC_E_OK;
	case SECPKG_ATTR_KSSP_LAST_ERROR:
		return kssp_sspi_object_last_error(&ctx->obj, q->buffer);
	case SECPKG_ATTR_SIZES:
	case SECPKG_ATTR_NAMES:
	case SECPKG_ATTR_NATIVE_NAMES:
	case SECPKG_ATTR_LIFESPAN:
	case SECPKG_ATTR_SESSION_KEY:
	case SECPKG_ATTR_KEY_INFO:
	case SECPKG_ATTR_KSSP_PAC:
	case SECPKG_ATTR_KSSP_LOGON_INFO:
		return established_attr(ctx, q);
	default:
		return kssp_sspi_fail(SEC_E_UNSUPPORTED_FUNCTION,
		    "QueryContextAttributes: attribute %lu is not one the %s package has",
		    (unsigned long)q->attribute, ctx->cred->pkg->name);
	}
}

static SECURITY_STATUS query_context(PCtxtHandle h, ULONG attribute, void *buffer, int wide)
{
	struct query q = { attribute, buffer, wide };

	/* Reading the last error must not replace it with this call's result. */
	return with_context(h, query_attr, &q, attribute != SECPKG_ATTR_KSSP_LAST_ERROR);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer)
{
	return query_context(phContext, ulAttribute, pBuffer, 0);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
    void *pBuffer)
{
	return query_context(phContext, ulAttribute, pBuffer, 1);
}

/* ---- export / import ---- */

/*
 * The packed form: "KSPX", a format byte (1), the package id, whether we
 * initiated, the ISC/ASC_RET flags (big-endian), then context/'s export of
 * the RFC 4121 state (keys included: the caller must guard the bytes).
 */
#define PACK_MAGIC "KSPX"
#define PACK_FORMAT 1
#define PACK_HEADER 11

static SECURITY_STATUS export_context(struct kssp_sspi_ctx *ctx, void *arg)
{
	PSecBuffer packed = arg;
	struct kssp_writer w;
	uint8_t *inner = NULL;
	size_t inner_len = 0;
	void *buf;
	SECURITY_STATUS st;
	kssp_err e;

	if (packed == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ExportSecurityContext: pPackedContext is NULL");
	if ((st = kssp_sspi_ctx_usable(ctx, "ExportSecurityContext")) != SEC_E_OK)
		return st;
	e = kssp_ctx_export(&ctx->ap, &inner, &inner_len);
	if (e != KSSP_OK)
		return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_MESSAGE));
	kssp_writer_init_growable(&w, 0);
	kssp_writer_put_bytes(&w, PACK_MAGIC, 4);
	kssp_writer_put_u8(&w, PACK_FORMAT);
	kssp_writer_put_u8(&w, (uint8_t)ctx->cred->pkg->id);
	kssp_writer_put_u8(&w, ctx->initiator ? 1 : 0);
	kssp_writer_put_be32(&w, ctx->flags);
	kssp_writer_put_bytes(&w, inner, inner_len);
	kssp_free_secret(inner, inner_len);
	buf = kssp_writer_status(&w) == KSSP_OK ? kssp_sspi_buffer_alloc(w.len) : NULL;
	if (buf == NULL) {
		kssp_writer_free(&w);
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	}
	memcpy(buf, w.buf, w.len);
	packed->BufferType = SECBUFFER_EMPTY;
	packed->cbBuffer = (ULONG)w.len;
	packed->pvBuffer = buf;
	kssp_writer_free(&w);
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags,
    PSecBuffer pPackedContext, void **pToken)
{
	SECURITY_STATUS st;

	/* Linux has no impersonation token to hand over. */
	if (pToken != NULL)
		*pToken = NULL;
	st = with_context(phContext, export_context, pPackedContext, true);
	if (st == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD))
		kssp_sspi_handle_free(phContext, KSSP_HANDLE_CONTEXT);
	return st;
}

/* A context of pkg holding the state of packed, behind a credential of its own. */
static SECURITY_STATUS import_context(const char *package, PSecBuffer packed, PCtxtHandle out)
{
	const struct kssp_package *pkg;
	struct kssp_cursor c;
	struct kssp_sspi_ctx *ctx;
	struct kssp_sspi_cred *cred;
	uint8_t magic[4], format = 0, id = 0, initiator = 0;
	uint32_t flags = 0;
	const uint8_t *inner;
	CtxtHandle h;
	SECURITY_STATUS st = SEC_E_OK;
	kssp_err e;

	if (packed == NULL || out == NULL || (packed->pvBuffer == NULL && packed->cbBuffer != 0))
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "ImportSecurityContext: pPackedContext and phContext are required");
	if (kssp_package_find(package, &pkg) != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	kssp_cursor_init(&c, packed->pvBuffer, packed->cbBuffer);
	kssp_cursor_read_bytes(&c, magic, 4);
	kssp_cursor_read_u8(&c, &format);
	kssp_cursor_read_u8(&c, &id);
	kssp_cursor_read_u8(&c, &initiator);
	if (kssp_cursor_read_be32(&c, &flags) != KSSP_OK || memcmp(magic, PACK_MAGIC, 4) != 0 ||
	    format != PACK_FORMAT || id != (uint8_t)pkg->id || initiator > 1)
		return kssp_sspi_fail(SEC_E_INVALID_TOKEN,
		    "ImportSecurityContext: not a %s context exported by kssp", pkg->name);
	/* The imported context gets a credential that holds only its hooks (the system's). */
	if ((st = kssp_sspi_cred_new(pkg, SECPKG_CRED_BOTH, NULL, NULL, &cred)) != SEC_E_OK)
		return st;
	e = kssp_sspi_ctx_new(cred, false, initiator, &h);
	kssp_sspi_object_put(&cred->obj);
	if (e != KSSP_OK || kssp_sspi_ctx_get(&h, &ctx) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	kssp_sspi_object_lock(&ctx->obj);
	(void)kssp_cursor_take(&c, kssp_cursor_remaining(&c), &inner);
	e = kssp_ctx_import(&ctx->ap, inner, packed->cbBuffer - PACK_HEADER, &cred->hooks);
	if ((st = kssp_sspi_result_of(e, SEC_E_INVALID_TOKEN)) == SEC_E_OK) {
		ctx->established = true;
		ctx->flags = flags;
	}
	kssp_sspi_object_unlock(&ctx->obj);
	kssp_sspi_object_put(&ctx->obj);
	if (st != SEC_E_OK) {
		kssp_sspi_handle_free(&h, KSSP_HANDLE_CONTEXT);
		return st;
	}
	*out = h;
	return kssp_sspi_result(SEC_E_OK);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext)
{
	(void)Token;
	kssp_clear_failure();
	if (pszPackage == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ImportSecurityContext: pszPackage is NULL");
	return import_context(pszPackage, pPackedContext, phContext);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext)
{
	char *package = NULL;
	SECURITY_STATUS st;
	kssp_err e;

	(void)Token;
	kssp_clear_failure();
	if (pszPackage == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ImportSecurityContext: pszPackage is NULL");
	if ((e = kssp_utf16_narrow(pszPackage, 256, &package, NULL)) != KSSP_OK)
		return kssp_sspi_result_of(e, SEC_E_SECPKG_NOT_FOUND);
	st = import_context(package, pPackedContext, phContext);
	kssp_free(package);
	return st;
}

/* ---- kssp extension: the delegated TGT (or the evidence kept) into a cache file ---- */

static SECURITY_STATUS store_delegated(struct kssp_sspi_ctx *ctx, void *arg)
{
	const char *name = arg;
	kssp_err e;

	if (name == NULL || name[0] == '\0')
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "kssp_store_delegated: pszCcache names no cache");
	if (ctx->initiator || !ctx->established)
		return kssp_sspi_fail(SEC_E_INVALID_HANDLE,
		    "kssp_store_delegated: the context is not an established server (accepted) context");
	if (ctx->ap.delegated == NULL && ctx->ap.evidence == NULL)
		return kssp_sspi_fail(SEC_E_NO_CREDENTIALS,
		    "kssp_store_delegated: the client delegated no TGT (ASC_RET_DELEGATE is not set)");
	if (ctx->ap.delegated != NULL)
		e = kssp_getcreds_new_cache(name, ctx->ap.delegated->client, ctx->ap.delegated, NULL);
	else /* the service's S4U2Proxy evidence (MS-SFU §3.1.5.2), in the service's cache */
		e = kssp_getcreds_keep_ticket(name, ctx->ap.evidence->server, ctx->ap.evidence);
	return kssp_sspi_result_of(e, kssp_sspi_status(e, KSSP_PHASE_ACCEPT));
}

SECURITY_STATUS kssp_store_delegated(PCtxtHandle phContext, const char *pszCcache)
{
	/* with_context only reads through arg; the name is not written. */
	return with_context(phContext, store_delegated, (void *)(uintptr_t)pszCcache, true);
}
