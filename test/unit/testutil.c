/* test/unit/testutil.c - helpers shared by the unit suites. */
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_int.h"

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

void tu_replay_hooks(struct kssp_hooks *h, struct kssp_recording *rec,
    struct kssp_fixed_clock *clock, struct kssp_seeded_random *rnd)
{
	memset(h, 0, sizeof(*h));
	clock->t.sec = atoll(kssp_recording_meta(rec, "clock"));
	clock->t.usec = 0;
	ck_assert_int_eq(kssp_seeded_random_init(rnd, kssp_recording_meta(rec, "seed")), KSSP_OK);
	h->clock = kssp_fixed_clock;
	h->clock_arg = clock;
	h->random = kssp_seeded_random;
	h->random_arg = rnd;
	h->transport = kssp_recording_transport;
	h->transport_arg = rec;
}
