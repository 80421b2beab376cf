/*
 * test/fuzz/fuzz_krb5.c - libFuzzer target for kssp's decoders.  Built once
 * per group (FUZZ_GROUP, see mk/fuzz.mk): every type of the
 * group decodes the input; whatever decodes must re-encode, and the
 * re-encoding must decode to a value that encodes the same again (a broken
 * codec aborts).  SPNEGO and GSS framing are exercised by the gss group.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/gss_int.h"
#include "asn1/krb5_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T(x) &kssp_krb5_##x##_type

#if FUZZ_GROUP_as_req
static const struct kssp_asn1_type *const group[] = { T(as_req) };
#elif FUZZ_GROUP_as_rep
static const struct kssp_asn1_type *const group[] = { T(as_rep) };
#elif FUZZ_GROUP_tgs_req
static const struct kssp_asn1_type *const group[] = { T(tgs_req) };
#elif FUZZ_GROUP_tgs_rep
static const struct kssp_asn1_type *const group[] = { T(tgs_rep) };
#elif FUZZ_GROUP_ap_req
static const struct kssp_asn1_type *const group[] = { T(ap_req) };
#elif FUZZ_GROUP_ap_rep
static const struct kssp_asn1_type *const group[] = { T(ap_rep) };
#elif FUZZ_GROUP_krb_error
static const struct kssp_asn1_type *const group[] = { T(krb_error) };
#elif FUZZ_GROUP_krb_cred
static const struct kssp_asn1_type *const group[] = { T(krb_cred) };
#elif FUZZ_GROUP_krb_safe
static const struct kssp_asn1_type *const group[] = { T(krb_safe) };
#elif FUZZ_GROUP_krb_priv
static const struct kssp_asn1_type *const group[] = { T(krb_priv) };
#elif FUZZ_GROUP_enc_parts
static const struct kssp_asn1_type *const group[] = {
	T(ticket), T(enc_ticket_part), T(enc_as_rep_part), T(enc_tgs_rep_part), T(authenticator),
	T(enc_ap_rep_part), T(enc_krb_priv_part), T(enc_krb_cred_part), T(kdc_req_body),
};
#elif FUZZ_GROUP_payloads
static const struct kssp_asn1_type *const group[] = {
	T(method_data), T(typed_data), T(etype_info), T(etype_info2), T(etype_list), T(pa_enc_ts_enc),
	T(pa_pac_request), T(pa_for_user), T(pa_s4u_x509_user), T(pa_pac_options), T(ad_if_relevant),
	T(ad_kdc_issued), T(ad_restriction_entry), T(encrypted_data), T(principal_name),
};
#elif FUZZ_GROUP_gss
#define GSS_ONLY 1
#else
#error "FUZZ_GROUP_<name> must name a group"
#endif

#ifndef GSS_ONLY
static void check_type(const struct kssp_asn1_type *t, const uint8_t *data, size_t size)
{
	_Alignas(max_align_t) uint8_t v1[1024], v2[1024];
	struct kssp_arena a;
	struct kssp_writer w1, w2;

	kssp_arena_init(&a);
	if (kssp_asn1_decode(t, data, size, &a, v1) == KSSP_OK) {
		kssp_writer_init_growable(&w1, 0);
		kssp_writer_init_growable(&w2, 0);
		if (kssp_asn1_encode(t, v1, &w1) != KSSP_OK)
			abort();
		if (kssp_asn1_decode(t, w1.buf, w1.len, &a, v2) != KSSP_OK)
			abort();
		if (kssp_asn1_encode(t, v2, &w2) != KSSP_OK || w1.len != w2.len ||
		    memcmp(w1.buf, w2.buf, w1.len) != 0)
			abort();
		kssp_writer_free(&w1);
		kssp_writer_free(&w2);
	}
	kssp_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(group) / sizeof(group[0]); i++)
		check_type(group[i], data, size);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_gss_krb5_token k;
	struct kssp_spnego_token s;
	struct kssp_arena a;
	struct kssp_writer w;

	if (kssp_gss_decode_krb5(data, size, &k) == KSSP_OK) {
		_Alignas(max_align_t) uint8_t v[1024];

		kssp_writer_init_growable(&w, 0);
		if (kssp_gss_encode_krb5(k.tok_id, k.message.data, k.message.len, &w) != KSSP_OK)
			abort();
		/* The encoder always names the standard krb5 OID. */
		if (kssp_gss_oid_equal(&k.mech, &kssp_gss_krb5_oid) &&
		    (w.len != size || memcmp(w.buf, data, size) != 0))
			abort();
		kssp_writer_free(&w);
		kssp_arena_init(&a);
		(void)kssp_asn1_decode(&kssp_krb5_ap_req_type, k.message.data, k.message.len, &a, v);
		kssp_arena_free(&a);
	}
	kssp_arena_init(&a);
	if (kssp_spnego_decode(data, size, &a, &s) == KSSP_OK) {
		kssp_err e;

		kssp_writer_init_growable(&w, 0);
		e = s.kind == KSSP_SPNEGO_INIT ? kssp_spnego_encode_init(&s.init, s.framed, &w) :
		    kssp_spnego_encode_resp(&s.resp, &w);
		/* Strict DER in, so the same bytes out. */
		if (e != KSSP_OK || w.len != size || memcmp(w.buf, data, size) != 0)
			abort();
		kssp_writer_free(&w);
	}
	kssp_arena_free(&a);
	return 0;
}
#endif
