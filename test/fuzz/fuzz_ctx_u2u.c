/*
 * test/fuzz/fuzz_ctx_u2u.c - libFuzzer target for the user-to-user tokens
 * (draft-swift-win2k-krb-user2user-03 §4): KERB-TGT-REQUEST and
 * KERB-TGT-REPLY under the user-to-user OID.  A request read must name a
 * server that a new request carries back the same way; a reply read must
 * hold a Ticket that a new reply carries to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"
#include "context/ap_int.h"
#include "creds/principal_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void request(const uint8_t *data, size_t size)
{
	struct kssp_principal *server = NULL, *again = NULL;
	uint8_t *tok = NULL;
	size_t len = 0;

	if (kssp_ctx_u2u_read_request(data, size, &server) != KSSP_OK) {
		if (server != NULL)
			abort();
		return;
	}
	if (kssp_ctx_u2u_request(server, &tok, &len) != KSSP_OK ||
	    kssp_ctx_u2u_read_request(tok, len, &again) != KSSP_OK)
		abort();
	if ((server == NULL) != (again == NULL) ||
	    (server != NULL && !kssp_principal_equal(server, again)))
		abort();
	kssp_free(tok);
	kssp_principal_free(server);
	kssp_principal_free(again);
}

static void reply(const uint8_t *data, size_t size)
{
	struct kssp_cred_data tgt = { NULL, 0 }, again = { NULL, 0 };
	struct kssp_cred c;
	uint8_t *tok = NULL;
	size_t len = 0;

	if (kssp_ctx_u2u_read_reply(data, size, &tgt) != KSSP_OK) {
		if (tgt.data != NULL)
			abort();
		return;
	}
	memset(&c, 0, sizeof(c));
	c.ticket = tgt;
	if (kssp_ctx_u2u_reply(&c, &tok, &len) != KSSP_OK ||
	    kssp_ctx_u2u_read_reply(tok, len, &again) != KSSP_OK ||
	    again.length != tgt.length || memcmp(again.data, tgt.data, tgt.length) != 0)
		abort();
	kssp_free(tok);
	kssp_free(tgt.data);
	kssp_free(again.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	reply(data, size);
	return 0;
}
