/*
 * crypto/cts.c - CBC with ciphertext stealing as RFC 3962 §5 specifies it
 * (CBC-CS3: CBC, last block zero-padded, last two ciphertext blocks
 * swapped, the final one truncated), plus thin adapters that give Nettle's
 * AES and Camellia one CBC/ECB calling shape.
 */
#include <string.h>

#include <nettle/cbc.h>
#include <nettle/memxor.h>

#include "base/base.h"
#include "crypto/crypto_int.h"

/* Swaps the 16-byte blocks at a and b (ciphertext: nothing to wipe). */
static void swap_blocks(uint8_t *a, uint8_t *b)
{
	uint8_t t[KSSP_BLOCK];

	memcpy(t, a, KSSP_BLOCK);
	memcpy(a, b, KSSP_BLOCK);
	memcpy(b, t, KSSP_BLOCK);
}

/*
 * A length of whole blocks is plain CBC with the last two ciphertext
 * blocks swapped (RFC 3962 §5), one pass of the cipher; otherwise the
 * last, partial block is encrypted padded with zeros and stolen from.
 * Only ciphertext is left in the temporaries.
 */
void kssp_cts_encrypt(const struct kssp_cts_cipher *c, uint8_t *buf, size_t n)
{
	uint8_t iv[KSSP_BLOCK] = { 0 }, last[KSSP_BLOCK] = { 0 }, prev[KSSP_BLOCK];
	size_t r = n % KSSP_BLOCK, head = n - r;

	c->cbc(c->ctx, iv, head, buf, buf);
	if (r == 0) {
		if (n > KSSP_BLOCK)
			swap_blocks(buf + n - KSSP_BLOCK - KSSP_BLOCK, buf + n - KSSP_BLOCK);
		return;
	}
	memcpy(prev, buf + head - KSSP_BLOCK, KSSP_BLOCK); /* C(n-1), also iv */
	memcpy(last, buf + head, r);
	c->cbc(c->ctx, iv, KSSP_BLOCK, last, last);        /* Cn = E(Pn|0 ^ C(n-1)) */
	memcpy(buf + head - KSSP_BLOCK, last, KSSP_BLOCK);  /* swap: Cn first */
	memcpy(buf + head, prev, r);                       /* then C(n-1) cut to r */
}

void kssp_cts_decrypt(const struct kssp_cts_cipher *c, uint8_t *buf, size_t n)
{
	uint8_t iv[KSSP_BLOCK] = { 0 }, d[KSSP_BLOCK], pn[KSSP_BLOCK];
	size_t r = n % KSSP_BLOCK, head = n - r;

	if (r == 0) {
		if (n > KSSP_BLOCK)
			swap_blocks(buf + n - KSSP_BLOCK - KSSP_BLOCK, buf + n - KSSP_BLOCK);
		c->cbc(c->ctx, iv, n, buf, buf);
		return;
	}
	/* D(Cn) = (Pn || 0) ^ C(n-1): its first r bytes give Pn against the
	 * stolen prefix of C(n-1), its tail restores the stolen bytes. */
	c->block(c->ctx, KSSP_BLOCK, d, buf + head - KSSP_BLOCK);
	memcpy(pn, d, r);
	memxor(pn, buf + head, r);
	memcpy(buf + head - KSSP_BLOCK, buf + head, r);
	memcpy(buf + head - KSSP_BLOCK + r, d + r, KSSP_BLOCK - r);
	c->cbc(c->ctx, iv, head, buf, buf);
	memcpy(buf + head, pn, r);
	kssp_memzero(d, sizeof(d));
	kssp_memzero(pn, sizeof(pn));
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
