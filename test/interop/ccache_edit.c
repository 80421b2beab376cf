/*
 * test/interop/ccache_edit.c - rewrites a FILE cache through creds/, for
 * the interop tests that hand the result back to MIT's klist and kvno.
 *
 *   ccache-edit add|replace DEST SRC SERVER   copies SRC's ticket for SERVER
 *                                            into DEST (appended, or in place
 *                                            of DEST's own ticket for SERVER)
 *   ccache-edit remove DEST SERVER           drops DEST's ticket for SERVER
 *   ccache-edit config DEST KEY VALUE        sets a cache-wide configuration entry
 */
#include <stdio.h>
#include <string.h>

#include "base/err_int.h"
#include "creds/ccache_int.h"

static int fail(const char *what)
{
	fprintf(stderr, "ccache-edit: %s: %s: %s\n", what, kssp_err_name(kssp_last_error()),
	    kssp_last_reason());
	return 1;
}

int main(int argc, char **argv)
{
	struct kssp_ccache dest, src;
	struct kssp_principal *server = NULL;
	const struct kssp_cred *cred;
	bool remove = argc == 4 && strcmp(argv[1], "remove") == 0;
	bool config = argc == 5 && strcmp(argv[1], "config") == 0;
	kssp_err e;
	int rc = 0;

	if (!remove && !config &&
	    (argc != 5 || (strcmp(argv[1], "add") && strcmp(argv[1], "replace")))) {
		fprintf(stderr, "usage: ccache-edit add|replace DEST SRC SERVER | remove DEST SERVER"
		    " | config DEST KEY VALUE\n");
		return 2;
	}
	kssp_ccache_init(&src);
	if (kssp_ccache_read(argv[2], &dest))
		return fail("reading DEST");
	if (config) {
		e = kssp_ccache_set_config(&dest, NULL, argv[3], argv[4], strlen(argv[4]));
		if (!e)
			e = kssp_ccache_write(&dest, argv[2]);
		kssp_ccache_free(&dest);
		return e ? fail("config") : 0;
	}
	if (kssp_principal_parse(argv[remove ? 3 : 4], KSSP_PARSE_REQUIRE_REALM, NULL, &server)) {
		kssp_ccache_free(&dest);
		return fail("SERVER");
	}
	if (remove) {
		e = kssp_ccache_remove(&dest, server, NULL);
	} else {
		e = kssp_ccache_read(argv[3], &src);
		if (!e)
			e = kssp_ccache_find(&src, NULL, server, &cred);
		if (!e)
			e = strcmp(argv[1], "add") == 0 ? kssp_ccache_add(&dest, cred)
			    : kssp_ccache_replace(&dest, cred);
	}
	if (!e)
		e = kssp_ccache_write(&dest, argv[2]);
	if (e)
		rc = fail(argv[1]);
	kssp_principal_free(server);
	kssp_ccache_free(&src);
	kssp_ccache_free(&dest);
	return rc;
}
