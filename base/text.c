/* base/text.c - hex, base64 and UTF-8. */
#include "base/text_int.h"

#include <stdbool.h>
#include <string.h>

static const char hex_digits[] = "0123456789abcdef";
static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void kssp_hex_encode(struct kssp_writer *w, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		kssp_writer_put_u8(w, (uint8_t)hex_digits[data[i] >> 4]);
		kssp_writer_put_u8(w, (uint8_t)hex_digits[data[i] & 15]);
	}
}

/* c's place in the first n letters of alphabet, else -1. */
static int value_in(const char *alphabet, size_t n, char c)
{
	const char *p = memchr(alphabet, c, n);

	return p ? (int)(p - alphabet) : -1;
}

static int hex_value(char c)
{
	int v = value_in("0123456789abcdefABCDEF", 22, c);

	return v < 16 ? v : v - 6;
}

kssp_err kssp_hex_decode(struct kssp_writer *w, const char *text, size_t len)
{
	int hi = -1;
	size_t i;

	for (i = 0; i < len; i++) {
		int v;

		if (is_space(text[i]))
			continue;
		v = hex_value(text[i]);
		if (v < 0)
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, i, "hex: invalid character");
		if (hi < 0) {
			hi = v;
		} else {
			kssp_writer_put_u8(w, (uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
	if (hi >= 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "hex: odd number of digits");
	return kssp_writer_status(w);
}

void kssp_base64_encode(struct kssp_writer *w, const uint8_t *data, size_t len)
{
	size_t i;

	/* Each group of up to 3 bytes is 4 letters, '=' for the bytes missing. */
	for (i = 0; i < len; i += 3) {
		size_t n = len - i < 3 ? len - i : 3;
		uint32_t v = (uint32_t)data[i] << 16 | (n > 1 ? (uint32_t)data[i + 1] << 8 : 0) |
		    (n > 2 ? data[i + 2] : 0);

		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[v >> 18]);
		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[(v >> 12) & 63]);
		kssp_writer_put_u8(w, n > 1 ? (uint8_t)b64_alphabet[(v >> 6) & 63] : '=');
		kssp_writer_put_u8(w, n > 2 ? (uint8_t)b64_alphabet[v & 63] : '=');
	}
}

kssp_err kssp_base64_decode(struct kssp_writer *w, const char *text, size_t len)
{
	uint32_t acc = 0;
	size_t i, nbits = 0, pad = 0;

	for (i = 0; i < len; i++) {
		int v;

		if (is_space(text[i]))
			continue;
		if (text[i] == '=') {
			pad++;
			continue;
		}
		v = value_in(b64_alphabet, 64, text[i]);
		if (v < 0 || pad)
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, i, "base64: invalid character");
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			kssp_writer_put_u8(w, (uint8_t)(acc >> nbits));
			acc &= (1u << nbits) - 1;
		}
	}
	/* Leftover bits must be padding zeros, and a lone 6-bit group is no byte. */
	if (nbits >= 6 || acc != 0 || pad > 2)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "base64: bad length or padding");
	return kssp_writer_status(w);
}

kssp_err kssp_utf8_read(struct kssp_cursor *c, uint32_t *cp)
{
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t at = kssp_cursor_offset(c);
	uint8_t lead = 0, b = 0x80;
	int more, i;
	kssp_err e = kssp_cursor_read_u8(c, &lead);

	/* The lead byte's high bits count the continuation bytes. */
	more = lead < 0xC0 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
	*cp = lead & (0x7Fu >> more);
	for (i = 0; i < more && !e && (b & 0xC0) == 0x80; i++)
		if (!(e = kssp_cursor_read_u8(c, &b)))
			*cp = *cp << 6 | (b & 0x3F);
	if (e || (lead & 0xC0) == 0x80 || (b & 0xC0) != 0x80 || *cp < min[more] ||
	    *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "UTF-8: malformed character at offset %zu", at);
	return KSSP_OK;
}

void kssp_utf8_put(struct kssp_writer *w, uint32_t cp)
{
	static const uint8_t lead[4] = { 0x00, 0xC0, 0xE0, 0xF0 };
	int more = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3, i;

	kssp_writer_put_u8(w, (uint8_t)(lead[more] | cp >> (6 * more)));
	for (i = more - 1; i >= 0; i--)
		kssp_writer_put_u8(w, (uint8_t)(0x80 | ((cp >> (6 * i)) & 0x3F)));
}
