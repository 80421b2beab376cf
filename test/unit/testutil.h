/* test/unit/testutil.h - small helpers shared by the unit suites. */
#ifndef KSSP_TEST_TESTUTIL_H
#define KSSP_TEST_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "base/hooks_int.h"
#include "kdc/transport_int.h"

/*
 * Decodes hex (white space allowed) into out, which must hold it; returns
 * the byte count.  Aborts the test on malformed hex: vectors are ours.
 */
size_t tu_hex(const char *hex, uint8_t *out, size_t cap);

/* Path of a file under fixtures/ (KSSP_FIXTURES, else ../../fixtures). */
const char *tu_fixture(const char *relpath);

/*
 * Points h at a recording: its fixed clock (into *clock) and seeded random
 * stream (into *rnd), and the recording as the transport; no trace.
 */
void tu_replay_hooks(struct kssp_hooks *h, struct kssp_recording *rec,
    struct kssp_fixed_clock *clock, struct kssp_seeded_random *rnd);

#endif
