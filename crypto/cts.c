/*
 * crypto/cts.c - CBC with ciphertext stealing as RFC 3962 §5 specifies it
 * (CBC-CS3: CBC, last block zero-padded, last two ciphertext blocks
 * swapped, the final one truncated), in place over a message in several
 * buffers, plus thin adapters that give Nettle's AES and Camellia one
 * CBC/ECB calling shape.
 */
#include <string.h>

#include <nettle/cbc.h>
#include <nettle/memxor.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

/*
 * A position in the concatenation of parts: part i, offset off in it.
 * The message is processed where it lies, the caller's buffers in order.
 */
struct walk {
	const struct kssp_crypto_buf *parts;
	size_t i, off;
};

/* Moves len bytes between w's position (advanced) and flat: out of the
 * parts into flat, or back from flat into them. */
static void walk_copy(struct walk *w, uint8_t *flat, size_t len, bool out)
{
	size_t run;

	while (len > 0) {
		const struct kssp_crypto_buf *b = &w->parts[w->i];

		if (w->off == b->len) {
			w->i++;
			w->off = 0;
			continue;
		}
		run = b->len - w->off < len ? b->len - w->off : len;
		if (out)
			memcpy(flat, b->data + w->off, run);
		else
			memcpy(b->data + w->off, flat, run);
		flat += run;
		w->off += run;
		len -= run;
	}
}

/*
 * CBC (either direction: c's cbc) over the next len bytes (whole blocks)
 * from w in place, iv carried: the whole blocks inside a part in one call
 * of the cipher, a block that straddles two parts through blk.  Nettle's
 * CBC functions leave the last ciphertext block in iv, in place too.
 */
static void cbc_walk(const struct kssp_cts_cipher *c, uint8_t *iv, struct walk *w, size_t len,
    uint8_t *blk)
{
	struct walk at;
	size_t run;

	while (len > 0) {
		const struct kssp_crypto_buf *b = &w->parts[w->i];

		run = b->len - w->off < len ? b->len - w->off : len;
		run -= run % KSSP_BLOCK;
		if (run > 0) {
			c->cbc(c->ctx, iv, run, b->data + w->off, b->data + w->off);
			w->off += run;
			len -= run;
		} else if (w->off == b->len) {
			w->i++;
			w->off = 0;
		} else {
			at = *w;
			walk_copy(w, blk, KSSP_BLOCK, true);
			c->cbc(c->ctx, iv, KSSP_BLOCK, blk, blk);
			walk_copy(&at, blk, KSSP_BLOCK, false);
			len -= KSSP_BLOCK;
		}
	}
}

/*
 * RFC 3962 §5 puts the ciphertext stealing in the last 16 + r bytes (r =
 * n mod 16, or 16 for whole blocks: then the last two blocks are swapped),
 * in 16 bytes when the message is one block.  What comes before is plain
 * CBC.
 */
static size_t cts_tail(size_t n)
{
	size_t r = n % KSSP_BLOCK;

	if (n <= 2 * KSSP_BLOCK)
		return n;
	return KSSP_BLOCK + (r ? r : KSSP_BLOCK);
}

/* The tail t (m bytes, 16 < m <= 32) after the chaining value iv:
 * C(n-1) = E(P(n-1) ^ iv), Cn = E(Pn|0 ^ C(n-1)), sent as Cn || C(n-1)
 * cut to r bytes; whole blocks (r = 16) come out swapped. */
static void tail_encrypt(const struct kssp_cts_cipher *c, uint8_t *iv, uint8_t *t, size_t m)
{
	uint8_t last[KSSP_BLOCK] = { 0 };
	size_t r = m - KSSP_BLOCK;

	c->cbc(c->ctx, iv, KSSP_BLOCK, t, t);
	memcpy(last, t + KSSP_BLOCK, r);
	c->cbc(c->ctx, iv, KSSP_BLOCK, last, last);
	memcpy(t + KSSP_BLOCK, t, r);
	memcpy(t, last, KSSP_BLOCK);
}

/* The inverse: D(Cn) = (Pn|0) ^ C(n-1), whose first r bytes give Pn
 * against the sent prefix of C(n-1) and whose rest completes C(n-1). */
static void tail_decrypt(const struct kssp_cts_cipher *c, uint8_t *iv, uint8_t *t, size_t m)
{
	uint8_t d[KSSP_BLOCK], prev[KSSP_BLOCK];
	size_t r = m - KSSP_BLOCK;

	c->block(c->ctx, KSSP_BLOCK, d, t);
	memcpy(prev, t + KSSP_BLOCK, r);
	memcpy(prev + r, d + r, KSSP_BLOCK - r);
	memxor(d, t + KSSP_BLOCK, r);
	c->cbc(c->ctx, iv, KSSP_BLOCK, prev, prev);
	memcpy(t, prev, KSSP_BLOCK);
	memcpy(t + KSSP_BLOCK, d, r);
	kssp_memzero(d, sizeof(d));
	kssp_memzero(prev, sizeof(prev));
}

/* Swaps blocks a and b (ciphertext: nothing to wipe). */
static void swap_blocks(uint8_t *a, uint8_t *b)
{
	uint8_t t[KSSP_BLOCK];

	memcpy(t, a, KSSP_BLOCK);
	memcpy(a, b, KSSP_BLOCK);
	memcpy(b, t, KSSP_BLOCK);
}

/* CBC decryption of the one block b in place, iv carried: the cipher
 * alone, which for a block costs less than the CBC function's set-up. */
static void decrypt_block(const struct kssp_cts_cipher *c, uint8_t *iv, uint8_t *b)
{
	uint8_t prev[KSSP_BLOCK];
	uint64_t x[2], y[2];

	memcpy(prev, b, KSSP_BLOCK);
	c->block(c->ctx, KSSP_BLOCK, b, b);
	memcpy(x, b, KSSP_BLOCK);
	memcpy(y, iv, KSSP_BLOCK);
	x[0] ^= y[0];
	x[1] ^= y[1];
	memcpy(b, x, KSSP_BLOCK);
	memcpy(iv, prev, KSSP_BLOCK);
	kssp_memzero(x, sizeof(x)); /* plaintext, as tail_decrypt's */
}

/* The last part with bytes before index i (its index + 1), 0 when none. */
static size_t last_filled(const struct kssp_crypto_buf *parts, size_t i)
{
	while (i > 0 && parts[i - 1].len == 0)
		i--;
	return i;
}

/* Where the last two blocks of whole-block parts lie (*a before *b);
 * false when there is only one block or none (plain CBC, no swap). */
static bool last_two_blocks(const struct kssp_crypto_buf *parts, size_t n, uint8_t **a,
    uint8_t **b)
{
	size_t i = last_filled(parts, n), j;

	*a = *b = NULL;
	if (i == 0)
		return false;
	*b = parts[i - 1].data + parts[i - 1].len - KSSP_BLOCK;
	if (parts[i - 1].len >= 2 * KSSP_BLOCK) {
		*a = *b - KSSP_BLOCK;
		return true;
	}
	if ((j = last_filled(parts, i - 1)) == 0)
		return false;
	*a = parts[j - 1].data + parts[j - 1].len - KSSP_BLOCK;
	return true;
}

/*
 * Parts of whole blocks (the split layouts' confounder, data of a multiple
 * of 16 bytes and header copy, total bytes in all): CBC in each part, the
 * last two blocks (RFC 3962 §5) swapped where they lie, no copy.
 */
static void cts_whole_blocks(const struct kssp_cts_cipher *c,
    const struct kssp_crypto_buf *parts, size_t n, bool decrypt)
{
	uint8_t iv[KSSP_BLOCK] = { 0 }, *a, *b;
	bool two = last_two_blocks(parts, n, &a, &b);
	size_t i;

	if (decrypt && two)
		swap_blocks(a, b);
	for (i = 0; i < n; i++) {
		if (decrypt && parts[i].len == KSSP_BLOCK)
			decrypt_block(c, iv, parts[i].data);
		else if (parts[i].len)
			c->cbc(c->ctx, iv, parts[i].len, parts[i].data, parts[i].data);
	}
	if (!decrypt && two)
		swap_blocks(a, b);
}

/* Whole blocks as above; otherwise CBC over all but the tail where it
 * lies, then the tail gathered into 32 bytes and put back (blk and t hold
 * plaintext when decrypting). */
static void cts_parts(const struct kssp_cts_cipher *c, const struct kssp_crypto_buf *parts,
    size_t n, bool decrypt)
{
	uint8_t iv[KSSP_BLOCK] = { 0 }, blk[KSSP_BLOCK], t[2 * KSSP_BLOCK];
	struct walk w = { parts, 0, 0 }, at;
	size_t total = 0, odd = 0, m, i;

	for (i = 0; i < n; i++) {
		total += parts[i].len;
		odd |= parts[i].len % KSSP_BLOCK;
	}
	if (odd == 0) {
		cts_whole_blocks(c, parts, n, decrypt);
		return;
	}
	m = cts_tail(total);
	cbc_walk(c, iv, &w, total - m, blk);
	at = w;
	walk_copy(&w, t, m, true);
	if (m == KSSP_BLOCK)
		c->cbc(c->ctx, iv, KSSP_BLOCK, t, t);
	else if (decrypt)
		tail_decrypt(c, iv, t, m);
	else
		tail_encrypt(c, iv, t, m);
	walk_copy(&at, t, m, false);
	if (decrypt) {
		kssp_memzero(blk, sizeof(blk));
		kssp_memzero(t, sizeof(t));
	}
}

void kssp_cts_encrypt_parts(const struct kssp_cts_cipher *c, const struct kssp_crypto_buf *parts,
    size_t n)
{
	cts_parts(c, parts, n, false);
}

void kssp_cts_decrypt_parts(const struct kssp_cts_cipher *c, const struct kssp_crypto_buf *parts,
    size_t n)
{
	cts_parts(c, parts, n, true);
}

/* Nettle's AES has a dedicated CBC encryptor (AES-NI where present); CBC
 * decryption goes through the generic cbc_decrypt, which batches blocks. */
void kssp_cbc_aes128_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_aes128_encrypt(ctx, iv, len, dst, src);
}

void kssp_cbc_aes256_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_aes256_encrypt(ctx, iv, len, dst, src);
}

void kssp_ecb_aes128_enc(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	aes128_encrypt(ctx, len, dst, src);
}

void kssp_ecb_aes128_dec(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	aes128_decrypt(ctx, len, dst, src);
}

void kssp_ecb_aes256_enc(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	aes256_encrypt(ctx, len, dst, src);
}

void kssp_ecb_aes256_dec(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	aes256_decrypt(ctx, len, dst, src);
}

void kssp_cbc_aes128_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_decrypt(ctx, kssp_ecb_aes128_dec, KSSP_BLOCK, iv, len, dst, src);
}

void kssp_cbc_aes256_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_decrypt(ctx, kssp_ecb_aes256_dec, KSSP_BLOCK, iv, len, dst, src);
}

/* Camellia uses one function for both directions; the context decides. */
void kssp_ecb_cam128(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	camellia128_crypt(ctx, len, dst, src);
}

void kssp_ecb_cam256(const void *ctx, size_t len, uint8_t *dst, const uint8_t *src)
{
	camellia256_crypt(ctx, len, dst, src);
}

void kssp_cbc_cam128_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_encrypt(ctx, kssp_ecb_cam128, KSSP_BLOCK, iv, len, dst, src);
}

void kssp_cbc_cam128_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_decrypt(ctx, kssp_ecb_cam128, KSSP_BLOCK, iv, len, dst, src);
}

void kssp_cbc_cam256_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_encrypt(ctx, kssp_ecb_cam256, KSSP_BLOCK, iv, len, dst, src);
}

void kssp_cbc_cam256_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *dst, const uint8_t *src)
{
	cbc_decrypt(ctx, kssp_ecb_cam256, KSSP_BLOCK, iv, len, dst, src);
}

/* Ke as AES-128 or AES-256 by the profile's key size (RFC 3962 §6, RFC 8009
 * §5), keyed for the slot's direction only. */
void kssp_cts_aes_set_key(const struct kssp_enctype_profile *p, bool dec, void *ctx,
    const uint8_t *key, struct kssp_cts_cipher *c)
{
	if (p->key_bytes == 16) {
		if (dec)
			aes128_set_decrypt_key(ctx, key);
		else
			aes128_set_encrypt_key(ctx, key);
		*c = dec ? (struct kssp_cts_cipher){ ctx, kssp_cbc_aes128_dec, kssp_ecb_aes128_dec } :
		    (struct kssp_cts_cipher){ ctx, kssp_cbc_aes128_enc, kssp_ecb_aes128_enc };
	} else {
		if (dec)
			aes256_set_decrypt_key(ctx, key);
		else
			aes256_set_encrypt_key(ctx, key);
		*c = dec ? (struct kssp_cts_cipher){ ctx, kssp_cbc_aes256_dec, kssp_ecb_aes256_dec } :
		    (struct kssp_cts_cipher){ ctx, kssp_cbc_aes256_enc, kssp_ecb_aes256_enc };
	}
}

size_t kssp_cts_aes_bytes(const struct kssp_enctype_profile *p)
{
	return p->key_bytes == 16 ? sizeof(struct aes128_ctx) : sizeof(struct aes256_ctx);
}
