/* base/bytes.c - bounded cursor and byte writer. */
#include "base/bytes_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"

kssp_err kssp_cursor_fail(struct kssp_cursor *c, kssp_err code, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (c->err)
		return c->err;
	va_start(ap, fmt);
	c->err = kssp_vfail_at(code, at, fmt, ap);
	va_end(ap);
	return c->err;
}

kssp_err kssp_cursor_short(struct kssp_cursor *c, size_t n)
{
	return kssp_cursor_fail(c, KSSP_ERR_TRUNCATED, kssp_cursor_offset(c),
	    "need %zu bytes, only %zu left", n, kssp_cursor_remaining(c));
}

kssp_err kssp_cursor_peek_u8(const struct kssp_cursor *c, uint8_t *out)
{
	*out = 0;
	if (c->err)
		return c->err;
	if (kssp_cursor_at_end(c))
		return KSSP_ERR_TRUNCATED;
	*out = c->base[c->pos];
	return KSSP_OK;
}

/* Big- or little-endian unsigned integer of n <= 8 bytes; 0 on failure. */
static uint64_t read_uint(struct kssp_cursor *c, size_t n, bool big)
{
	const uint8_t *p;
	uint64_t v = 0;
	size_t i;

	if (kssp_cursor_take(c, n, &p))
		return 0;
	for (i = 0; i < n; i++)
		v = (v << 8) | p[big ? i : n - 1 - i];
	return v;
}

kssp_err kssp_cursor_read_be16(struct kssp_cursor *c, uint16_t *out)
{
	*out = (uint16_t)read_uint(c, 2, true);
	return c->err;
}

kssp_err kssp_cursor_read_be32(struct kssp_cursor *c, uint32_t *out)
{
	*out = (uint32_t)read_uint(c, 4, true);
	return c->err;
}

kssp_err kssp_cursor_read_be64(struct kssp_cursor *c, uint64_t *out)
{
	*out = read_uint(c, 8, true);
	return c->err;
}

kssp_err kssp_cursor_read_le16(struct kssp_cursor *c, uint16_t *out)
{
	*out = (uint16_t)read_uint(c, 2, false);
	return c->err;
}

kssp_err kssp_cursor_read_le32(struct kssp_cursor *c, uint32_t *out)
{
	*out = (uint32_t)read_uint(c, 4, false);
	return c->err;
}

kssp_err kssp_cursor_read_bytes(struct kssp_cursor *c, void *out, size_t n)
{
	const uint8_t *p;
	kssp_err e = kssp_cursor_take(c, n, &p);

	if (e && n)
		memset(out, 0, n);
	else if (n)
		memcpy(out, p, n);
	return e;
}

kssp_err kssp_cursor_skip(struct kssp_cursor *c, size_t n)
{
	const uint8_t *p;

	return kssp_cursor_take(c, n, &p);
}

kssp_err kssp_cursor_sub(struct kssp_cursor *c, size_t n, struct kssp_cursor *sub)
{
	size_t at = kssp_cursor_offset(c);
	const uint8_t *p;
	kssp_err e = kssp_cursor_take(c, n, &p);

	sub->base = p;
	sub->len = e ? 0 : n;
	sub->pos = 0;
	sub->origin = at;
	sub->err = e;
	return e;
}

kssp_err kssp_cursor_expect_end(struct kssp_cursor *c, const char *what)
{
	if (kssp_cursor_at_end(c) || c->err)
		return c->err;
	return kssp_cursor_fail(c, KSSP_ERR_BAD_ENCODING, kssp_cursor_offset(c),
	    "%s: %zu trailing bytes", what, kssp_cursor_remaining(c));
}

void kssp_writer_init_fixed(struct kssp_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = buf ? cap : 0;
	w->max = w->cap;
	w->growable = false;
	w->err = KSSP_OK;
}

void kssp_writer_init_growable(struct kssp_writer *w, size_t max)
{
	w->buf = NULL;
	w->len = 0;
	w->cap = 0;
	w->max = max ? max : KSSP_WRITER_DEFAULT_MAX;
	w->growable = true;
	w->err = KSSP_OK;
}

static void writer_failed(struct kssp_writer *w, kssp_err e)
{
	if (!w->err)
		w->err = e;
}

/*
 * Grows a growable writer so that n more bytes fit; never shrinks.  The
 * first buffer holds 256 bytes: a handshake's authenticator, AP-REP,
 * checksum and framing fit in one allocation, not two or three.
 */
static bool writer_grow(struct kssp_writer *w, size_t n)
{
	size_t want = w->len + n, cap = w->cap ? w->cap : 256;
	uint8_t *p;

	while (cap < want)
		cap = cap > w->max / 2 ? w->max : cap * 2;
	if (cap > w->max)
		cap = w->max;
	p = kssp_malloc(cap);
	if (!p) {
		writer_failed(w, kssp_fail(KSSP_ERR_NOMEM, "writer: cannot grow to %zu bytes", cap));
		return false;
	}
	if (w->buf != NULL && w->len)
		memcpy(p, w->buf, w->len);
	/* The old buffer may hold key material: zero it before letting it go. */
	kssp_free_secret(w->buf, w->cap);
	w->buf = p;
	w->cap = cap;
	return true;
}

uint8_t *kssp_writer_reserve(struct kssp_writer *w, size_t n)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (!w->buf && !w->growable) {
		/* A fixed writer over no buffer: only zero bytes fit. */
		static uint8_t none[1];

		if (n == 0)
			return none;
	}
	/* A growable writer gets its buffer on first use, even for 0 bytes. */
	if (n > w->cap - w->len || !w->buf) {
		if (!w->growable || n > w->max - w->len) {
			writer_failed(w, kssp_fail(w->growable ? KSSP_ERR_LIMIT : KSSP_ERR_BUFFER_TOO_SMALL,
			    "writer: %zu more bytes do not fit after %zu (limit %zu)", n, w->len,
			    w->growable ? w->max : w->cap));
			return NULL;
		}
		if (!writer_grow(w, n))
			return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void kssp_writer_put_bytes(struct kssp_writer *w, const void *src, size_t n)
{
	uint8_t *p = kssp_writer_reserve(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void kssp_writer_put_u8(struct kssp_writer *w, uint8_t v)
{
	kssp_writer_put_bytes(w, &v, 1);
}

static void put_uint(struct kssp_writer *w, uint64_t v, size_t n, bool big)
{
	uint8_t *p = kssp_writer_reserve(w, n);
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

void kssp_writer_put_be16(struct kssp_writer *w, uint16_t v) { put_uint(w, v, 2, true); }
void kssp_writer_put_be32(struct kssp_writer *w, uint32_t v) { put_uint(w, v, 4, true); }
void kssp_writer_put_be64(struct kssp_writer *w, uint64_t v) { put_uint(w, v, 8, true); }
void kssp_writer_put_le16(struct kssp_writer *w, uint16_t v) { put_uint(w, v, 2, false); }
void kssp_writer_put_le32(struct kssp_writer *w, uint32_t v) { put_uint(w, v, 4, false); }

kssp_err kssp_writer_detach(struct kssp_writer *w, uint8_t **out, size_t *out_len)
{
	kssp_err e = w->err;

	if (!e && !w->growable)
		e = kssp_fail(KSSP_ERR_INVALID_ARG, "writer: only a growable writer can be detached");
	if (e) {
		kssp_writer_free(w);
		return e;
	}
	*out = w->buf;
	*out_len = w->len;
	kssp_writer_init_growable(w, w->max);
	return KSSP_OK;
}

void kssp_writer_free(struct kssp_writer *w)
{
	if (w->growable)
		kssp_free_secret(w->buf, w->cap);
	else if (w->buf)
		kssp_memzero(w->buf, w->len);
	w->buf = NULL;
	w->len = w->cap = 0;
}
