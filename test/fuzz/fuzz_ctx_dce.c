/*
 * test/fuzz/fuzz_ctx_dce.c - libFuzzer target for the bare AP-REPs of
 * DCE-style contexts (MS-KILE 3.4.5.1): the acceptor's AP-REP at the
 * initiator (kssp_ctx_initiate_continue) and the initiator's AP-REP, the
 * third leg, at the acceptor (kssp_ctx_accept_dce_reply), on contexts set
 * up with a fixed aes256 session key.
 *
 * The first byte picks the path; with bit 1 set the rest is taken as the
 * EncAPRepPart and sealed in the session key first, so that the decoder
 * and the checks behind the decryption are reached without seeds.  An
 * initiator that accepts an AP-REP must produce a third leg that the
 * matching acceptor accepts; a refused token leaves a failed context.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/mem_int.h"
#include "context/ap_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEQ_I 0x01020304u
#define SEQ_A 0x0a0b0c0du
#define CTIME 1795468819

static kssp_err fixed_now(void *arg, struct kssp_time *now)
{
	(void)arg;
	now->sec = CTIME;
	now->usec = 5;
	return KSSP_OK;
}

static kssp_err fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x5a, len);
	return KSSP_OK;
}

static const struct kssp_hooks hooks = { .clock = fixed_now, .random = fixed_random };
static const uint8_t key_bytes[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

/* Both sides of one context, as after the AP-REQ (and, for the acceptor, its AP-REP). */
static void setup(struct kssp_ctx *ctx, bool initiator)
{
	kssp_ctx_init(ctx, &hooks);
	ctx->initiator = initiator;
	ctx->flags = KSSP_GSS_DCE_STYLE | KSSP_GSS_MUTUAL | KSSP_GSS_CONF | KSSP_GSS_INTEG;
	if (kssp_ctx_handshake_new(ctx) ||
	    kssp_crypto_key_init(&ctx->hs->session_key, 18, key_bytes, sizeof(key_bytes)) ||
	    kssp_crypto_key_init(&ctx->hs->subkey, 18, key_bytes, sizeof(key_bytes)))
		abort();
	ctx->initiator_seq = SEQ_I;
	ctx->acceptor_seq = SEQ_A;
	ctx->ctime = CTIME;
	ctx->hs->cusec = 5;
	if (initiator) {
		ctx->state = KSSP_CTX_WAIT_AP_REP;
		return;
	}
	if (kssp_crypto_random_key(&hooks, 18, &ctx->hs->acceptor_subkey) || kssp_ctx_establish(ctx))
		abort();
	ctx->state = KSSP_CTX_WAIT_DCE_AP_REP;
}

/* data as the EncAPRepPart of a bare AP-REP sealed in the session key (usage 12). */
static bool seal(struct kssp_ctx *ctx, const uint8_t *data, size_t size, uint8_t **out,
    size_t *out_len)
{
	struct kssp_ap_rep rep;
	struct kssp_writer w;
	uint8_t *cipher = NULL;
	bool ok;

	memset(&rep, 0, sizeof(rep));
	rep.pvno = KSSP_KRB5_PVNO;
	rep.msg_type = KSSP_KRB5_AP_REP;
	kssp_writer_init_growable(&w, 0);
	ok = kssp_ctx_encrypt(&hooks, &ctx->hs->session_key, KSSP_KU_AP_REP_ENC_PART, data, size,
	    &rep.enc_part, &cipher) == KSSP_OK && kssp_krb5_encode_ap_rep(&rep, &w) == KSSP_OK &&
	    kssp_writer_detach(&w, out, out_len) == KSSP_OK;
	kssp_writer_free(&w);
	kssp_free(cipher);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_ctx ini, acc;
	uint8_t *tok = NULL, *fin = NULL;
	size_t len = 0, flen = 0;
	bool initiator;
	kssp_err e;

	if (size == 0)
		return 0;
	initiator = (data[0] & 1) != 0;
	setup(&ini, true);
	setup(&acc, false);
	if (data[0] & 2) {
		if (!seal(initiator ? &ini : &acc, data + 1, size - 1, &tok, &len))
			abort();
	} else {
		len = size - 1;
		tok = kssp_malloc(len + 1);
		if (!tok)
			abort();
		memcpy(tok, data + 1, len);
	}
	if (initiator) {
		e = kssp_ctx_initiate_continue(&ini, tok, len);
		if (e == KSSP_OK) {
			/* Our third leg must satisfy an acceptor that sent this number. */
			if (ini.state != KSSP_CTX_ESTABLISHED ||
			    kssp_ctx_initiate_dce_reply(&ini, &fin, &flen) != KSSP_OK)
				abort();
			acc.acceptor_seq = ini.acceptor_seq;
			if (kssp_ctx_accept_dce_reply(&acc, fin, flen) != KSSP_OK)
				abort();
		} else if (ini.state != KSSP_CTX_FAILED) {
			abort();
		}
	} else {
		e = kssp_ctx_accept_dce_reply(&acc, tok, len);
		if ((e == KSSP_OK) != (acc.state == KSSP_CTX_ESTABLISHED))
			abort();
		if (e != KSSP_OK && acc.state != KSSP_CTX_FAILED)
			abort();
	}
	kssp_free(tok);
	kssp_free(fin);
	kssp_ctx_clear(&ini);
	kssp_ctx_clear(&acc);
	return 0;
}
