/*
 * test/fuzz/fuzz_keytab.c - libFuzzer target for creds/keytab parsing.
 * Whatever parses must re-encode to bytes that parse to the same encoding
 * again, and every lookup on it must be safe.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes_int.h"
#include "creds/keytab_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void encode(const struct kssp_keytab *kt, struct kssp_writer *w)
{
	kssp_writer_init_growable(w, 0);
	if (kssp_keytab_encode(kt, w) != KSSP_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_keytab kt, again;
	struct kssp_writer w1, w2;
	const struct kssp_keytab_entry *en;
	size_t i;

	if (kssp_keytab_parse(data, size, &kt) != KSSP_OK)
		return 0;
	for (i = 0; i < kt.n_entries; i++) {
		char *name = NULL;

		if (kssp_principal_unparse(kt.entries[i].principal, 0, &name) == KSSP_OK)
			free(name);
		if (kssp_keytab_find(&kt, kt.entries[i].principal, kt.entries[i].keytype, 0, &en) !=
		    KSSP_OK)
			abort();
	}
	encode(&kt, &w1);
	if (kssp_keytab_parse(w1.buf, w1.len, &again) != KSSP_OK || again.n_entries != kt.n_entries)
		abort();
	encode(&again, &w2);
	if (w1.len != w2.len || memcmp(w1.buf, w2.buf, w1.len) != 0)
		abort();
	kssp_writer_free(&w1);
	kssp_writer_free(&w2);
	kssp_keytab_free(&again);
	kssp_keytab_free(&kt);
	return 0;
}
