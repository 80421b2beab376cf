/*
 * base/bytes_int.h - the bounded read cursor and the byte writer.
 *
 * Every byte of untrusted input is read through a struct kssp_cursor.  Each
 * read checks the remaining length first; a read that would go past the end
 * fails with KSSP_ERR_TRUNCATED, records a reason naming the absolute
 * offset (kssp_last_offset() gives it too), and leaves the position where
 * it was.  A sub-cursor confines a nested element to its declared length
 * while still reporting offsets from the start of the whole message.
 *
 * Both are sticky (the cursor as MIT's k5-input.h, the writer BearSSL
 * style): the first failure is kept, later reads fail with it giving zeros
 * (later puts do nothing), and the parser checks once at the end.  A
 * parser's own verdict on what it read joins the same status through
 * kssp_cursor_fail().  A sub-cursor starts with its parent's status, then
 * has its own: its failure reaches the parent through kssp_cursor_join().
 * Peeks never fail the cursor nor record a reason: no byte is an answer.
 */
#ifndef KSSP_BASE_BYTES_INT_H
#define KSSP_BASE_BYTES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err_int.h"

struct kssp_cursor {
	const uint8_t *base; /* first byte this cursor may read */
	size_t len;          /* bytes readable from base */
	size_t pos;          /* next byte to read, 0..len */
	size_t origin;       /* offset of base within the outermost message */
	kssp_err err;        /* first failure, sticky */
};

static inline void kssp_cursor_init(struct kssp_cursor *c, const void *data, size_t len)
{
	/* Inline, so that every caller's analysis sees a NULL buffer hold no bytes. */
	c->base = data;
	c->len = data ? len : 0;
	c->pos = 0;
	c->origin = 0;
	c->err = KSSP_OK;
}

static inline size_t kssp_cursor_remaining(const struct kssp_cursor *c)
{
	return c->len - c->pos;
}

/* Absolute offset of the next byte, for error messages. */
static inline size_t kssp_cursor_offset(const struct kssp_cursor *c)
{
	return c->origin + c->pos;
}

static inline bool kssp_cursor_at_end(const struct kssp_cursor *c)
{
	return c->pos == c->len;
}

/* KSSP_OK, or the first failure of a read from c. */
static inline kssp_err kssp_cursor_status(const struct kssp_cursor *c)
{
	return c->err;
}

/* Fails c with code and the reason "FMT at offset AT" unless c failed before; returns c's status. */
kssp_err kssp_cursor_fail(struct kssp_cursor *c, kssp_err code, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Makes e (recorded already, e.g. by a check of a value read from c) c's failure unless c has one. */
static inline kssp_err kssp_cursor_set_status(struct kssp_cursor *c, kssp_err e)
{
	if (!c->err)
		c->err = e;
	return c->err;
}

/* Gives c the failure of sub (split off c) unless c has its own; returns c's status. */
static inline kssp_err kssp_cursor_join(struct kssp_cursor *c, const struct kssp_cursor *sub)
{
	return kssp_cursor_set_status(c, sub->err);
}

/* Records that a read of n bytes does not fit (unless c failed before); returns c's status. */
kssp_err kssp_cursor_short(struct kssp_cursor *c, size_t n);

/*
 * Points *out at the next n bytes of the input (no copy) and advances; *out
 * is NULL when c failed, now or before.  Inline with the one bounds and
 * status check every read goes through: a DER decoder calls it for every
 * tag and length byte, about 900 times a handshake.
 */
static inline kssp_err kssp_cursor_take(struct kssp_cursor *c, size_t n, const uint8_t **out)
{
	kssp_err e;

	if (n <= kssp_cursor_remaining(c) && !c->err) {
		*out = c->base + c->pos;
		c->pos += n;
		return KSSP_OK;
	}
	*out = NULL;
	e = kssp_cursor_short(c, n);
	return e ? e : KSSP_ERR_TRUNCATED; /* never KSSP_OK: callers' analysis sees it */
}

/* The next byte without consuming it: KSSP_ERR_TRUNCATED at the end, c's failure when failed; records nothing. */
kssp_err kssp_cursor_peek_u8(const struct kssp_cursor *c, uint8_t *out);

static inline kssp_err kssp_cursor_read_u8(struct kssp_cursor *c, uint8_t *out)
{
	const uint8_t *p;
	kssp_err e = kssp_cursor_take(c, 1, &p);

	*out = p ? *p : 0;
	return e;
}
kssp_err kssp_cursor_read_be16(struct kssp_cursor *c, uint16_t *out);
kssp_err kssp_cursor_read_be32(struct kssp_cursor *c, uint32_t *out);
kssp_err kssp_cursor_read_be64(struct kssp_cursor *c, uint64_t *out);
kssp_err kssp_cursor_read_le16(struct kssp_cursor *c, uint16_t *out);
kssp_err kssp_cursor_read_le32(struct kssp_cursor *c, uint32_t *out);

/* Copies n bytes out. */
kssp_err kssp_cursor_read_bytes(struct kssp_cursor *c, void *out, size_t n);

kssp_err kssp_cursor_skip(struct kssp_cursor *c, size_t n);

/*
 * Splits off the next n bytes as *sub (offsets stay absolute) and advances
 * c past them.  On failure *sub is an empty cursor carrying the failure.
 */
kssp_err kssp_cursor_sub(struct kssp_cursor *c, size_t n, struct kssp_cursor *sub);

/*
 * The one check at the end of a parse: c's first failure, or else
 * KSSP_ERR_BAD_ENCODING naming what (and failing c) unless c is exhausted.
 */
kssp_err kssp_cursor_expect_end(struct kssp_cursor *c, const char *what);

struct kssp_writer {
	uint8_t *buf;
	size_t len;     /* bytes written */
	size_t cap;     /* bytes available in buf */
	size_t max;     /* growable: the most it may grow to */
	bool growable;  /* buf is ours, on the heap */
	kssp_err err;   /* first failure, sticky */
};

/* The most a growable writer grows to unless told otherwise: 16 MiB. */
#define KSSP_WRITER_DEFAULT_MAX ((size_t)16 << 20)

/* Writes into the caller's buffer; overflowing it is KSSP_ERR_BUFFER_TOO_SMALL. */
void kssp_writer_init_fixed(struct kssp_writer *w, void *buf, size_t cap);

/* Writes into a heap buffer grown as needed, up to max bytes (0: default). */
void kssp_writer_init_growable(struct kssp_writer *w, size_t max);

/*
 * Reserves n bytes at the end and returns them for the caller to fill, or
 * NULL (with the writer failed) when they cannot be had.
 */
uint8_t *kssp_writer_reserve(struct kssp_writer *w, size_t n);

void kssp_writer_put_u8(struct kssp_writer *w, uint8_t v);
void kssp_writer_put_be16(struct kssp_writer *w, uint16_t v);
void kssp_writer_put_be32(struct kssp_writer *w, uint32_t v);
void kssp_writer_put_be64(struct kssp_writer *w, uint64_t v);
void kssp_writer_put_le16(struct kssp_writer *w, uint16_t v);
void kssp_writer_put_le32(struct kssp_writer *w, uint32_t v);
void kssp_writer_put_bytes(struct kssp_writer *w, const void *p, size_t n);

static inline kssp_err kssp_writer_status(const struct kssp_writer *w)
{
	return w->err;
}

/*
 * Growable writers only: hands the buffer to the caller (who frees it with
 * free()) and resets the writer.  On a failed writer returns the error and
 * frees everything.
 */
kssp_err kssp_writer_detach(struct kssp_writer *w, uint8_t **out, size_t *out_len);

/* Zeroes what was written and, for a growable writer, frees the buffer. */
void kssp_writer_free(struct kssp_writer *w);

#endif
