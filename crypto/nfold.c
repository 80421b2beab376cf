/*
 * crypto/nfold.c - RFC 3961 §5.1 n-fold: the input is repeated, each
 * repetition rotated right by 13 bits more than the one before, until the
 * total is lcm(inlen, outlen) bytes; those are cut into outlen-byte pieces
 * that are added with ones'-complement (end-around carry) addition.
 */
#include "crypto/crypto.h"

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Byte k of the repeated, rotated input stream (inlen bytes per copy). */
static uint8_t stream_byte(const uint8_t *in, size_t inlen, size_t k)
{
	size_t copy = k / inlen, bits = inlen * 8;
	size_t rot = (13 * copy) % bits;
	/* Bit b of the rotated copy is bit (b - rot) mod bits of the input. */
	size_t first = (k % inlen) * 8;
	size_t src = (first + bits - rot) % bits;
	size_t byte = src / 8, shift = src % 8;
	unsigned v = (unsigned)in[byte] << 8 | in[(byte + 1) % inlen];

	return (uint8_t)(v >> (8 - shift));
}

void kssp_crypto_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	size_t lcm, i;
	unsigned carry = 0;

	if (inlen == 0 || outlen == 0)
		return;
	lcm = inlen / gcd(inlen, outlen) * outlen;
	for (i = 0; i < outlen; i++)
		out[i] = 0;
	/* Add the lcm-byte stream outlen bytes at a time, least significant
	 * byte (the end) first, carrying within and across pieces. */
	for (i = lcm; i-- > 0;) {
		size_t at = i % outlen;
		unsigned sum = (unsigned)out[at] + stream_byte(in, inlen, i) + carry;

		out[at] = (uint8_t)sum;
		carry = sum >> 8;
	}
	/* End-around carry: keep adding it back at the least significant end. */
	while (carry) {
		for (i = outlen; i-- > 0 && carry;) {
			unsigned sum = (unsigned)out[i] + carry;

			out[i] = (uint8_t)sum;
			carry = sum >> 8;
		}
	}
}
