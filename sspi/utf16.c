/* sspi/utf16.c - strict UTF-8 <-> UTF-16 (RFC 3629, RFC 2781). */
#include "sspi/utf16_int.h"

#include "base/base.h"

kssp_err kssp_utf16_len(const uint16_t *s, size_t max, size_t *len)
{
	size_t n = 0;

	while (n < max && s[n] != 0)
		n++;
	if (n == max)
		return kssp_fail(KSSP_ERR_LIMIT, "UTF-16 string: no terminator within %zu units", max);
	*len = n;
	return KSSP_OK;
}

/* Reads one code point from UTF-16 at s[*i] (RFC 2781 §2.2). */
static kssp_err utf16_next(const uint16_t *s, size_t n, size_t *i, uint32_t *cp)
{
	uint32_t hi = s[*i], lo;

	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "UTF-16: unpaired low surrogate 0x%04X at unit %zu", (unsigned)hi, *i);
	if (hi < 0xD800 || hi > 0xDBFF) {
		*cp = hi;
		(*i)++;
		return KSSP_OK;
	}
	if (*i + 1 >= n || s[*i + 1] < 0xDC00 || s[*i + 1] > 0xDFFF)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "UTF-16: high surrogate 0x%04X at unit %zu has no low surrogate", (unsigned)hi, *i);
	lo = s[*i + 1];
	*cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
	*i += 2;
	return KSSP_OK;
}

kssp_err kssp_utf16_to_utf8(const uint16_t *s, size_t n, char **out, size_t *out_len)
{
	struct kssp_writer w;
	uint8_t *buf = NULL;
	size_t i = 0, len = 0;
	uint32_t cp = 0;
	kssp_err e = KSSP_OK;

	*out = NULL;
	if (n > ((size_t)1 << 24))
		return kssp_fail(KSSP_ERR_LIMIT, "UTF-16: %zu units is longer than kssp converts", n);
	kssp_writer_init_growable(&w, 0);
	while (i < n && e == KSSP_OK) {
		e = utf16_next(s, n, &i, &cp);
		if (e == KSSP_OK && cp == 0)
			e = kssp_fail(KSSP_ERR_BAD_ENCODING, "UTF-16: NUL inside the string at unit %zu", i - 1);
		if (e == KSSP_OK)
			kssp_utf8_put(&w, cp);
	}
	if (e != KSSP_OK) {
		kssp_writer_free(&w);
		return e;
	}
	kssp_writer_put_u8(&w, 0);
	e = kssp_writer_detach(&w, &buf, &len);
	if (e != KSSP_OK)
		return kssp_fail(e, "UTF-16: out of memory converting %zu units", n);
	*out = (char *)buf;
	if (out_len != NULL)
		*out_len = len - 1;
	return KSSP_OK;
}

kssp_err kssp_utf16_narrow(const uint16_t *s, size_t max, char **out, size_t *out_len)
{
	size_t n = 0;
	kssp_err e;

	*out = NULL;
	if (s == NULL)
		return KSSP_OK;
	e = kssp_utf16_len(s, max, &n);
	return e != KSSP_OK ? e : kssp_utf16_to_utf8(s, n, out, out_len);
}

kssp_err kssp_utf8_to_utf16(const char *s, size_t n, void *(*alloc)(size_t),
    uint16_t **out, size_t *out_len)
{
	struct kssp_cursor c;
	uint16_t *buf;
	size_t units = 0, i = 0;
	uint32_t cp = 0;
	kssp_err e;

	*out = NULL;
	if (n > ((size_t)1 << 24))
		return kssp_fail(KSSP_ERR_LIMIT, "UTF-8: %zu bytes is longer than kssp converts", n);
	/* First pass validates and counts, second writes. */
	kssp_cursor_init(&c, s, n);
	while (!kssp_cursor_at_end(&c)) {
		e = kssp_utf8_read(&c, &cp);
		if (e != KSSP_OK)
			return e;
		if (cp == 0)
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "UTF-8: NUL inside the string");
		units += cp >= 0x10000 ? 2 : 1;
	}
	buf = alloc != NULL ? alloc((units + 1) * sizeof(uint16_t))
			    : kssp_malloc((units + 1) * sizeof(uint16_t));
	if (buf == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "UTF-8: out of memory converting %zu bytes", n);
	kssp_cursor_init(&c, s, n);
	while (!kssp_cursor_at_end(&c)) {
		(void)kssp_utf8_read(&c, &cp);
		if (cp >= 0x10000) {
			buf[i++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
			buf[i++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			buf[i++] = (uint16_t)cp;
		}
	}
	buf[i] = 0;
	*out = buf;
	if (out_len != NULL)
		*out_len = units;
	return KSSP_OK;
}
