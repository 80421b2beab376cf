/*
 * test/fuzz/fuzz_ctx_unframe.c - libFuzzer target for the RFC 2743 §3.1
 * framing of krb5 context tokens and the messages inside (AP-REQ, AP-REP,
 * KRB-ERROR).  What unframes must lie inside the input and, with the krb5
 * OID (not Microsoft's), re-frame to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/gss_int.h"
#include "asn1/krb5_int.h"
#include "base/mem_int.h"
#include "context/ap_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_inner(uint16_t id, const uint8_t *inner, size_t len)
{
	struct kssp_arena arena;
	struct kssp_ap_req req;
	struct kssp_ap_rep rep;
	struct kssp_krb_error err;

	kssp_arena_init(&arena);
	if (id == KSSP_TOK_AP_REQ)
		(void)kssp_krb5_decode_ap_req(inner, len, &arena, &req);
	else if (id == KSSP_TOK_AP_REP)
		(void)kssp_krb5_decode_ap_rep(inner, len, &arena, &rep);
	else if (id == KSSP_TOK_KRB_ERROR)
		(void)kssp_krb5_decode_krb_error(inner, len, &arena, &err);
	kssp_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_gss_krb5_token t;
	const uint8_t *inner;
	uint8_t *again;
	size_t ilen, alen;
	uint16_t id;

	if (kssp_ctx_unframe(data, size, &id, &inner, &ilen) != KSSP_OK)
		return 0;
	if (inner < data || inner + ilen > data + size)
		abort();
	decode_inner(id, inner, ilen);
	if (kssp_gss_decode_krb5(data, size, &t) != KSSP_OK)
		abort();
	if (kssp_ctx_frame(id, inner, ilen, &again, &alen) != KSSP_OK)
		abort();
	if (kssp_gss_oid_equal(&t.mech, &kssp_gss_krb5_oid) &&
	    (alen != size || memcmp(again, data, size) != 0))
		abort();
	kssp_free(again);
	return 0;
}
