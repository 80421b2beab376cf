/* base/text.c - hex and base64. */
#include "base/text.h"

#include <stdbool.h>

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

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];

		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[v >> 18]);
		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[(v >> 12) & 63]);
		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[(v >> 6) & 63]);
		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[v & 63]);
	}
	if (i < len) {
		uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0);

		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[v >> 18]);
		kssp_writer_put_u8(w, (uint8_t)b64_alphabet[(v >> 12) & 63]);
		kssp_writer_put_u8(w, i + 1 < len ? (uint8_t)b64_alphabet[(v >> 6) & 63] : '=');
		kssp_writer_put_u8(w, '=');
	}
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
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
		v = b64_value(text[i]);
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
