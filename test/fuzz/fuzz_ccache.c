/*
 * test/fuzz/fuzz_ccache.c - libFuzzer target for creds/ccache parsing.
 * Whatever parses must re-encode (as version 4) to bytes that parse to the
 * same encoding again; lookups and the credential set must be safe on it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes_int.h"
#include "creds/ccache_int.h"
#include "creds/credset_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void encode(const struct kssp_ccache *cc, struct kssp_writer *w)
{
	kssp_writer_init_growable(w, 0);
	if (kssp_ccache_encode(cc, w) != KSSP_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_ccache cc, again;
	struct kssp_credset set;
	struct kssp_writer w1, w2;
	const struct kssp_cred *found;
	size_t i;

	if (kssp_ccache_parse(data, size, &cc) != KSSP_OK)
		return 0;
	kssp_credset_init(&set);
	for (i = 0; i < cc.n_creds; i++) {
		const struct kssp_cred *c = &cc.creds[i];

		/* A user-to-user ticket is never found for an ordinary request. */
		if (!kssp_cred_is_config(c) && !c->is_skey &&
		    kssp_ccache_find(&cc, c->client, c->server, &found))
			abort();
	}
	(void)kssp_credset_load_ccache(&set, &cc);
	(void)kssp_credset_find_tgt(&set, NULL, "R", 0);
	kssp_credset_free(&set);
	encode(&cc, &w1);
	if (kssp_ccache_parse(w1.buf, w1.len, &again) != KSSP_OK || again.n_creds != cc.n_creds)
		abort();
	encode(&again, &w2);
	if (w1.len != w2.len || memcmp(w1.buf, w2.buf, w1.len) != 0)
		abort();
	kssp_writer_free(&w1);
	kssp_writer_free(&w2);
	kssp_ccache_free(&again);
	kssp_ccache_free(&cc);
	return 0;
}
