/* test/unit/asn1util.h - walking kssp's type tables in tests: random values, deep equality. */
#ifndef KSSP_TEST_ASN1UTIL_H
#define KSSP_TEST_ASN1UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "asn1/codec_int.h"

/* A small deterministic generator (xorshift64*), so failures reproduce. */
struct tu_rng { uint64_t s; };
uint64_t tu_rand(struct tu_rng *r);

/* Fills the struct at out with a random value of t; memory from arena. */
void tu_asn1_random(const struct kssp_asn1_type *t, struct tu_rng *r, struct kssp_arena *a, void *out);

/* true when a and b hold the same value of t (the der members ignored). */
bool tu_asn1_equal(const struct kssp_asn1_type *t, const void *a, const void *b);

/* Reads a whole fixture file into a malloc'd buffer; aborts the test when missing. */
uint8_t *tu_read_fixture(const char *relpath, size_t *len);

#endif
