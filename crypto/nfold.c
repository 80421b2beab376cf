/*
 * crypto/nfold.c - RFC 3961 §5.1 n-fold: the input is repeated, each
 * repetition rotated right by 13 bits more than the one before, until the
 * total is lcm(inlen, outlen) bytes; those are cut into outlen-byte pieces
 * that are added with ones'-complement (end-around carry) addition.
 */
#include <stdatomic.h>
#include <string.h>

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

static void nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
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

/*
 * RFC 3961 §5.3: every key a protocol message uses is derived from the
 * constant usage (4 bytes, big-endian) || 0x99, 0xAA or 0x55, n-folded to
 * the 16-byte cipher block; a handshake derives a dozen.  Those n-folds of
 * the usages up to 63 are remembered once computed: a slot is claimed
 * (EMPTY -> FILLING), filled and published (READY, release); a reader that
 * finds it being filled computes its own.
 */
enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY };
#define CACHED_USAGES 64
static const uint8_t usage_kinds[3] = { 0x99, 0xAA, 0x55 };
static struct {
	atomic_uchar state;
	uint8_t folded[16];
} usage_slots[CACHED_USAGES * 3];

/* The slot of a usage constant, or -1 when in is not one. */
static int usage_slot(const uint8_t *in, size_t inlen, size_t outlen)
{
	int k;

	if (inlen != 5 || outlen != 16 || in[0] || in[1] || in[2] || in[3] >= CACHED_USAGES)
		return -1;
	for (k = 0; k < 3; k++)
		if (in[4] == usage_kinds[k])
			return in[3] * 3 + k;
	return -1;
}

void kssp_crypto_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	int i = usage_slot(in, inlen, outlen);
	unsigned char expect = SLOT_EMPTY;

	if (i < 0) {
		nfold(in, inlen, out, outlen);
		return;
	}
	if (atomic_load_explicit(&usage_slots[i].state, memory_order_acquire) == SLOT_READY) {
		memcpy(out, usage_slots[i].folded, outlen);
		return;
	}
	nfold(in, inlen, out, outlen);
	if (atomic_compare_exchange_strong_explicit(&usage_slots[i].state, &expect, SLOT_FILLING,
		memory_order_acquire, memory_order_relaxed)) {
		memcpy(usage_slots[i].folded, out, outlen);
		atomic_store_explicit(&usage_slots[i].state, SLOT_READY, memory_order_release);
	}
}
