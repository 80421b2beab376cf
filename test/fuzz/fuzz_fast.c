/*
 * test/fuzz/fuzz_fast.c - libFuzzer target for the FAST replies of an
 * armored exchange (kdc/fast.c, RFC 6113): the first input byte picks
 * where the rest goes, under a fixed armor key:
 *   0  as the PA-FX-FAST value of a KDC-REP (kssp_fast_open_reply)
 *   1  as the KrbFastResponse plaintext of such a reply, sealed here so
 *      the decoder and the checks behind the decryption are reached
 *   2  as the KrbFastResponse of a KRB-ERROR's e-data (kssp_fast_open_error)
 *   3  as a whole KRB-ERROR answering an armored request
 *   4  as the KDC's PA-ENCRYPTED-CHALLENGE value
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/krb5_int.h"
#include "crypto/crypto.h"
#include "kdc/exchange_int.h"
#include "kdc/fast_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NONCE 77u

static const uint8_t ticket[] = { 0x61, 0x03, 0x30, 0x01, 0x00 };
static const uint8_t cname[] = { 0x30, 0x00 };

static void armor(struct kssp_fast *f)
{
	uint8_t a[32], b[32];
	struct kssp_key sub, ses;
	int i;

	for (i = 0; i < 32; i++) {
		a[i] = (uint8_t)i;
		b[i] = (uint8_t)(0x80 + i);
	}
	memset(f, 0, sizeof(*f));
	if (kssp_crypto_key_init(&sub, 18, a, 32) || kssp_crypto_key_init(&ses, 18, b, 32))
		abort();
	if (kssp_fast_armor_implicit(&sub, &ses, f))
		abort();
	f->nonce = NONCE;
	kssp_crypto_key_clear(&sub);
	kssp_crypto_key_clear(&ses);
}

/* PA-FX-FAST-REPLY bytes of plain sealed under the armor key, into w. */
static int sealed(struct kssp_fast *f, const uint8_t *plain, size_t len, struct kssp_writer *w)
{
	struct kssp_krb_fast_armored_rep ar;
	uint8_t *cipher = NULL;
	size_t clen = 0;
	int ok;

	if (kssp_crypto_seal(NULL, &f->armor_key, KSSP_KU_FAST_REP, plain, len, &cipher, &clen))
		return 0;
	memset(&ar, 0, sizeof(ar));
	ar.enc_fast_rep.etype = 18;
	ar.enc_fast_rep.cipher.data = cipher;
	ar.enc_fast_rep.cipher.len = clen;
	kssp_writer_init_growable(w, 0);
	ok = kssp_krb5_encode_pa_fx_fast_reply(&ar, w) == KSSP_OK;
	kssp_free(cipher);
	return ok;
}

static void reply(struct kssp_fast *f, const uint8_t *value, size_t len, struct kssp_arena *a)
{
	struct kssp_krb_fast_response resp;
	struct kssp_kdc_rep rep;
	struct kssp_pa_data pa;
	struct kssp_key k, out;

	memset(&rep, 0, sizeof(rep));
	memset(&pa, 0, sizeof(pa));
	pa.padata_type = PA_FX_FAST;
	pa.padata_value.data = value;
	pa.padata_value.len = len;
	rep.padata = &pa;
	rep.padata_len = 1;
	rep.ticket.der.data = ticket;
	rep.ticket.der.len = sizeof(ticket);
	rep.cname.der.data = cname;
	rep.cname.der.len = sizeof(cname);
	if (kssp_fast_open_reply(f, &rep, a, &resp) != KSSP_OK)
		return;
	if (kssp_crypto_key_copy(&k, &f->armor_key) == KSSP_OK &&
	    kssp_fast_reply_key(&resp, &k, &out) == KSSP_OK)
		kssp_crypto_key_clear(&out);
	kssp_crypto_key_clear(&k);
}

static void error(struct kssp_fast *f, const struct kssp_krb_error *err, struct kssp_arena *a)
{
	struct kssp_krb_fast_response resp;
	struct kssp_der_bytes inner;

	if (kssp_fast_open_error(f, err, a, &resp, &inner) == KSSP_OK &&
	    (inner.data < f->plain || inner.data + inner.len > f->plain + f->plain_len))
		abort();
}

static void error_around(struct kssp_fast *f, const struct kssp_der_bytes *fx,
    struct kssp_arena *a)
{
	struct kssp_method_data md;
	struct kssp_krb_error err;
	struct kssp_pa_data pa;
	struct kssp_writer w;

	memset(&pa, 0, sizeof(pa));
	pa.padata_type = PA_FX_FAST;
	pa.padata_value = *fx;
	md.padata = &pa;
	md.padata_len = 1;
	kssp_writer_init_growable(&w, 0);
	memset(&err, 0, sizeof(err));
	err.error_code = 25;
	if (kssp_krb5_encode_method_data(&md, &w) == KSSP_OK) {
		err.e_data.data = w.buf;
		err.e_data.len = w.len;
		error(f, &err, a);
	}
	kssp_writer_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_fast f;
	struct kssp_arena a;
	struct kssp_writer w;
	struct kssp_krb_error err;
	struct kssp_pa_data pa;
	struct kssp_key lt;

	if (size == 0)
		return 0;
	armor(&f);
	kssp_arena_init(&a);
	data++;
	size--;
	switch (data[-1] % 5) {
	case 0:
		reply(&f, data, size, &a);
		break;
	case 1:
		if (sealed(&f, data, size, &w))
			reply(&f, w.buf, w.len, &a);
		kssp_writer_free(&w);
		break;
	case 2:
		if (sealed(&f, data, size, &w)) {
			struct kssp_der_bytes fx = { w.buf, w.len };

			error_around(&f, &fx, &a);
		}
		kssp_writer_free(&w);
		break;
	case 3:
		if (kssp_krb5_decode_krb_error(data, size, &a, &err) == KSSP_OK)
			error(&f, &err, &a);
		break;
	default:
		memset(&pa, 0, sizeof(pa));
		pa.padata_type = PA_ENCRYPTED_CHALLENGE;
		pa.padata_value.data = data;
		pa.padata_value.len = size;
		if (kssp_crypto_key_copy(&lt, &f.armor_key) == KSSP_OK)
			(void)kssp_fast_check_kdc_challenge(&f, &lt, &pa, 1, &a);
		kssp_crypto_key_clear(&lt);
		break;
	}
	kssp_arena_free(&a);
	kssp_fast_free(&f);
	return 0;
}
