/*
 * test/fuzz/fuzz_decrypt.c - libFuzzer target for the crypto layer's
 * untrusted-input path: decrypting ciphertexts and verifying checksums.
 *
 * Input: byte 0 picks the enctype, bytes 1-4 the key usage, the next
 * key-size bytes the key, the rest is the ciphertext.  Besides "no crash,
 * no sanitizer report", it checks the contract: a failed decrypt is
 * KRB_AP_ERR_BAD_INTEGRITY with the output zeroed, the same bytes
 * encrypted then decrypted come back unchanged, and a one-bit change of
 * that ciphertext is always rejected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes_int.h"
#include "crypto/crypto.h"

#define MAX_DATA 4096

static const int32_t etypes[] = { 17, 18, 19, 20, 23, 25, 26 };

static kssp_err fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x5c, len);
	return KSSP_OK;
}

static void check(int ok)
{
	if (!ok)
		abort();
}

static void roundtrip(struct kssp_key *key, uint32_t usage, const uint8_t *data, size_t len)
{
	static uint8_t ct[MAX_DATA + 64], pt[MAX_DATA + 64];
	struct kssp_hooks h = { 0 };
	size_t clen, plen, bit;

	h.random = fixed_random;
	check(kssp_crypto_encrypt(&h, key, usage, data, len, ct, sizeof(ct), &clen) == KSSP_OK);
	check(kssp_crypto_decrypt(key, usage, ct, clen, pt, sizeof(pt), &plen) == KSSP_OK);
	check(plen == len && memcmp(pt, data, len) == 0);
	bit = len ? (data[0] | (size_t)data[len - 1] << 8) % (clen * 8) : 0;
	ct[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	check(kssp_crypto_decrypt(key, usage, ct, clen, ct, clen, &plen) == KRB_AP_ERR_BAD_INTEGRITY);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static uint8_t out[MAX_DATA + 64];
	struct kssp_cursor c;
	const uint8_t *kb, *data;
	const struct kssp_enctype_profile *p;
	struct kssp_key key;
	uint8_t pick, ck[KSSP_CRYPTO_MAX_CKSUM];
	uint32_t usage;
	size_t len, n, i;
	kssp_err e;

	kssp_cursor_init(&c, in, size);
	if (kssp_cursor_read_u8(&c, &pick) || kssp_cursor_read_be32(&c, &usage))
		return 0;
	p = kssp_crypto_profile(etypes[pick % (sizeof(etypes) / sizeof(etypes[0]))]);
	if (kssp_cursor_take(&c, p->key_bytes, &kb))
		return 0;
	len = kssp_cursor_remaining(&c);
	if (len > MAX_DATA)
		len = MAX_DATA;
	if (kssp_cursor_take(&c, len, &data))
		return 0;
	check(kssp_crypto_key_init(&key, p->enctype, kb, p->key_bytes) == KSSP_OK);

	memset(out, 0xEE, sizeof(out));
	e = kssp_crypto_decrypt(&key, usage, data, len, out, sizeof(out), &n);
	check(e == KSSP_OK || e == KRB_AP_ERR_BAD_INTEGRITY);
	if (e == KRB_AP_ERR_BAD_INTEGRITY)
		for (i = 0; i < len; i++)
			check(out[i] == 0);
	else
		check(n <= len);

	/* The data taken as a checksum over itself must not verify by chance. */
	n = len < p->cksum_bytes ? len : p->cksum_bytes;
	e = kssp_crypto_verify_checksum(p->cksumtype, &key, usage, data + n, len - n, data, n);
	check(e == KSSP_OK || e == KRB_AP_ERR_BAD_INTEGRITY);
	if (e == KSSP_OK) {
		check(kssp_crypto_checksum(p->cksumtype, &key, usage, data + n, len - n, ck, sizeof(ck),
		    &i) == KSSP_OK);
		check(i == n && memcmp(ck, data, n) == 0);
	}

	roundtrip(&key, usage, data, len);
	kssp_crypto_key_clear(&key);
	return 0;
}
