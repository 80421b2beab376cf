/*
 * test/fuzz/fuzz_ctx_unwrap.c - libFuzzer target for the per-message
 * tokens: unwrap (contiguous and split), MIC verification, RFC 4121 and
 * RFC 4757, with the keys of fixtures/context/mit-e17-nomutual.txt and
 * mit-e23-nomutual.txt so that the seeds (MIT's tokens) verify.
 *
 * Input: byte 0 picks the key (even: aes128, odd: arcfour-hmac), byte 1 the
 * operation (0 unwrap, 1 split unwrap at byte 2, 2 MIC with the message of
 * byte-2 length first; with bit 0x80 the RPC layout: header, sign-only,
 * data, sign-only cut at lengths from byte 2, the token after it, on a
 * DCE-style context when byte 0 has bit 2), the rest is the token.  Nothing may be read outside
 * the token; a success must describe bytes inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context/token_int.h"
#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t aes_key[16] = {
	0x9d, 0x48, 0xd5, 0x24, 0xd3, 0x0b, 0x6e, 0xdc,
	0xdc, 0x53, 0x17, 0xa0, 0x55, 0xa2, 0x43, 0x07
};
static const uint8_t rc4_key[16] = {
	0x5c, 0xbe, 0x55, 0x49, 0xac, 0x82, 0x6b, 0x81,
	0x71, 0x0c, 0x85, 0x38, 0xff, 0x30, 0x19, 0xcc
};

/* The RPC layout: the token's bytes cut into header | sign-only | data |
 * sign-only, the cuts taken from sel. */
static void unwrap_rpc(struct kssp_token_ctx *t, uint8_t *tok, size_t len, uint8_t sel)
{
	struct kssp_token_seg seg[3];
	size_t h = (size_t)(sel * 7u) % (len + 1), a, b, strip = 0;

	a = (size_t)(sel & 15) % (len - h + 1);
	b = (size_t)(sel >> 4) % (len - h - a + 1);

	seg[0] = (struct kssp_token_seg){ tok + h, a, true };
	seg[1] = (struct kssp_token_seg){ tok + h + a, len - h - a - b, false };
	seg[2] = (struct kssp_token_seg){ tok + len - b, b, true };
	if (kssp_token_unwrap_ex(t, tok, h, seg, 3, NULL, 0, &strip, NULL, NULL) == KSSP_OK &&
	    strip > seg[1].len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_token_ctx t;
	struct kssp_key key;
	struct kssp_crypto_iov m;
	uint8_t *copy;
	size_t off, dl, pl, split, mlen;
	bool rc4;

	if (size < 3)
		return 0;
	rc4 = data[0] & 1;
	memset(&key, 0, sizeof(key));
	if (kssp_crypto_key_init(&key, rc4 ? 23 : 17, rc4 ? rc4_key : aes_key, 16) != KSSP_OK)
		abort();
	/* the acceptor, receiving the initiator's tokens */
	if (kssp_token_ctx_init(&t, &key, NULL, false, KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE |
	    ((data[1] & 0x80) && (data[0] & 2) ? KSSP_GSS_DCE_STYLE : 0), 0, 0, NULL) != KSSP_OK)
		abort();
	copy = malloc(size - 2 ? size - 2 : 1);
	memcpy(copy, data + 2, size - 2);
	switch (data[1] & 0x80 ? 3 : data[1] % 3) {
	case 0:
		if (kssp_token_unwrap(&t, copy, size - 2, &off, &dl, NULL, NULL) == KSSP_OK &&
		    (off > size - 2 || dl > size - 2 - off))
			abort();
		break;
	case 1:
		split = size > 3 ? data[2] % (size - 2) : 0;
		if (kssp_token_unwrap_split(&t, copy, split, copy + split, size - 2 - split, NULL, 0,
		    &pl, NULL, NULL) == KSSP_OK && pl > size - 2 - split)
			abort();
		break;
	case 3:
		unwrap_rpc(&t, copy + 1, size - 3, data[2]);
		break;
	default:
		mlen = data[2] < size - 3 ? data[2] : size - 3;
		m.data = data + 3;
		m.len = mlen;
		(void)kssp_token_verify_mic(&t, &m, 1, data + 3 + mlen, size - 3 - mlen, NULL);
		break;
	}
	free(copy);
	kssp_token_ctx_clear(&t);
	kssp_crypto_key_clear(&key);
	return 0;
}
