/*
 * context/export.c - an established context as bytes and back, for servers
 * that accept in one process and serve in another (the use of RFC 2743
 * §2.2.8 GSS_Export_sec_context).
 *
 * Layout, big-endian: "KSSPCTX" 0x01 | u8 initiator | u32 flags |
 * i64 endtime | key | acceptor subkey | u64 send_seq | u64 recv_next |
 * u64 recv_seen | string client | string server, where key is i32
 * enctype, u16 length, bytes (enctype 0, length 0: none) and string is u16
 * length, bytes of the principal's text form.  The bytes hold keys.
 */
#include <string.h>

#include "base/base.h"
#include "context/ap_int.h"

static const uint8_t magic[8] = { 'K', 'S', 'S', 'P', 'C', 'T', 'X', 0x01 };

static void put_key(struct kssp_writer *w, const struct kssp_key *k)
{
	kssp_writer_put_be32(w, (uint32_t)k->enctype);
	kssp_writer_put_be16(w, (uint16_t)k->length);
	kssp_writer_put_bytes(w, k->contents, k->length);
}

static kssp_err put_name(struct kssp_writer *w, const struct kssp_principal *p)
{
	char *text = NULL;
	size_t n;
	kssp_err e = p ? kssp_principal_unparse(p, 0, &text) : KSSP_OK;

	if (e)
		return e;
	n = text ? strlen(text) : 0;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	kssp_writer_put_be16(w, (uint16_t)n);
	kssp_writer_put_bytes(w, text, n);
	kssp_free(text);
	return KSSP_OK;
}

kssp_err kssp_ctx_export(const struct kssp_ctx *ctx, uint8_t **out, size_t *out_len)
{
	const struct kssp_token_ctx *t = &ctx->tokens;
	struct kssp_writer w;
	kssp_err e;

	*out = NULL;
	if (ctx->state != KSSP_CTX_ESTABLISHED)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "export: the context is not established");
	kssp_writer_init_growable(&w, 0);
	kssp_writer_put_bytes(&w, magic, sizeof(magic));
	kssp_writer_put_u8(&w, ctx->initiator ? 1 : 0);
	kssp_writer_put_be32(&w, ctx->flags);
	kssp_writer_put_be64(&w, (uint64_t)ctx->endtime);
	put_key(&w, &t->key);
	put_key(&w, &t->acceptor_subkey);
	kssp_writer_put_be64(&w, t->send_seq);
	kssp_writer_put_be64(&w, t->recv.next);
	kssp_writer_put_be64(&w, t->recv.seen);
	e = put_name(&w, ctx->client);
	if (!e)
		e = put_name(&w, ctx->server);
	if (e) {
		kssp_writer_free(&w);
		return e;
	}
	return kssp_writer_detach(&w, out, out_len);
}

/* A key as written by put_key; the cursor's failure stands for a cut one. */
static kssp_err get_key(struct kssp_cursor *c, struct kssp_key *k)
{
	uint32_t et;
	uint16_t len;
	const uint8_t *p;

	kssp_cursor_read_be32(c, &et);
	kssp_cursor_read_be16(c, &len);
	memset(k, 0, sizeof(*k));
	if (kssp_cursor_take(c, len, &p) || (et == 0 && len == 0))
		return kssp_cursor_status(c);
	return kssp_cursor_set_status(c, kssp_crypto_key_init(k, (int32_t)et, p, len));
}

static kssp_err get_name(struct kssp_cursor *c, struct kssp_principal **out)
{
	char text[KSSP_PRINCIPAL_MAX_STRING + 1];
	uint16_t len;

	*out = NULL;
	if (kssp_cursor_read_be16(c, &len) == KSSP_OK && len > KSSP_PRINCIPAL_MAX_STRING)
		return kssp_cursor_fail(c, KSSP_ERR_LIMIT, kssp_cursor_offset(c), "import: name of %u bytes", len);
	if (kssp_cursor_read_bytes(c, text, len) || len == 0)
		return kssp_cursor_status(c);
	text[len] = '\0';
	return kssp_cursor_set_status(c, kssp_principal_parse(text, KSSP_PARSE_REQUIRE_REALM, NULL, out));
}

kssp_err kssp_ctx_import(struct kssp_ctx *ctx, const uint8_t *data, size_t len,
    const struct kssp_hooks *hooks)
{
	struct kssp_cursor c;
	struct kssp_key key, acc;
	uint8_t m[sizeof(magic)], init = 0;
	uint64_t endtime, send, next, seen;
	uint32_t flags;
	kssp_err e;

	kssp_ctx_init(ctx, hooks);
	kssp_cursor_init(&c, data, len);
	if (kssp_cursor_read_bytes(&c, m, sizeof(m)) == KSSP_OK && memcmp(m, magic, sizeof(m)) != 0)
		kssp_cursor_fail(&c, KSSP_ERR_BAD_ENCODING, 0, "import: not an exported kssp context");
	kssp_cursor_read_u8(&c, &init);
	kssp_cursor_read_be32(&c, &flags);
	kssp_cursor_read_be64(&c, &endtime);
	get_key(&c, &key);
	get_key(&c, &acc);
	kssp_cursor_read_be64(&c, &send);
	kssp_cursor_read_be64(&c, &next);
	kssp_cursor_read_be64(&c, &seen);
	get_name(&c, &ctx->client);
	get_name(&c, &ctx->server);
	if (kssp_cursor_expect_end(&c, "exported context") == KSSP_OK && init > 1)
		kssp_cursor_fail(&c, KSSP_ERR_BAD_ENCODING, 8, "import: initiator flag %u", init);
	e = kssp_cursor_status(&c);
	if (!e) {
		ctx->initiator = init == 1;
		ctx->flags = flags;
		ctx->endtime = (int64_t)endtime;
		e = kssp_token_ctx_init(&ctx->tokens, &key, acc.enctype ? &acc : NULL,
		    ctx->initiator, flags, send, next, hooks);
	}
	kssp_crypto_key_clear(&key);
	kssp_crypto_key_clear(&acc);
	if (e) {
		kssp_ctx_clear(ctx);
		ctx->state = KSSP_CTX_FAILED;
		return e;
	}
	ctx->tokens.recv.seen = seen;
	ctx->state = KSSP_CTX_ESTABLISHED;
	return KSSP_OK;
}
