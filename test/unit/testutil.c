/* test/unit/testutil.c - helpers shared by the unit suites. */
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

size_t tu_hex(const char *hex, uint8_t *out, size_t cap)
{
	struct kssp_writer w;

	kssp_writer_init_fixed(&w, out, cap);
	ck_assert_msg(kssp_hex_decode(&w, hex, strlen(hex)) == KSSP_OK, "bad test hex: %s", hex);
	return w.len;
}

const char *tu_fixture(const char *relpath)
{
	static char path[4096];
	const char *dir = getenv("KSSP_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "../../fixtures", relpath);
	return path;
}
