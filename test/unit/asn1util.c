/* test/unit/asn1util.c - random values and deep equality over kssp's type tables. */
#include "asn1util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

uint64_t tu_rand(struct tu_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static int64_t random_int(struct tu_rng *r, int64_t lo, int64_t hi)
{
	static const int64_t edges[] = { 0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768,
		-32769, 8388607, 8388608, 2147483647, -2147483647 - 1, 4294967295LL };
	uint64_t x = tu_rand(r);
	int64_t v;

	if (x % 3 == 0) {
		v = edges[(x >> 8) % (sizeof(edges) / sizeof(edges[0]))];
		if (v >= lo && v <= hi)
			return v;
	}
	return lo + (int64_t)((x >> 2) % (uint64_t)(hi - lo + 1));
}

static void random_bytes(struct tu_rng *r, struct kssp_arena *a, bool text, struct kssp_der_bytes *b)
{
	size_t n = tu_rand(r) % (tu_rand(r) % 8 == 0 ? 300 : 24), i;
	uint8_t *p = kssp_arena_alloc(a, n);

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		p[i] = text ? (uint8_t)(0x20 + tu_rand(r) % 95) : (uint8_t)tu_rand(r);
	b->data = p;
	b->len = n;
}

static void random_scalar(const struct kssp_asn1_field *f, struct tu_rng *r, struct kssp_arena *a,
    void *p)
{
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	bool b;

	switch (f->kind) {
	case KSSP_ASN1_STRUCT:
		tu_asn1_random(f->type, r, a, p);
		break;
	case KSSP_ASN1_INT32:
		i32 = (int32_t)random_int(r, INT32_MIN, INT32_MAX);
		memcpy(p, &i32, sizeof(i32));
		break;
	case KSSP_ASN1_UINT32:
	case KSSP_ASN1_SEQNUM:
		u32 = (uint32_t)random_int(r, 0, UINT32_MAX);
		memcpy(p, &u32, sizeof(u32));
		break;
	case KSSP_ASN1_FLAGS:
		u32 = (uint32_t)tu_rand(r);
		memcpy(p, &u32, sizeof(u32));
		break;
	case KSSP_ASN1_BOOL:
		b = tu_rand(r) & 1;
		memcpy(p, &b, sizeof(b));
		break;
	case KSSP_ASN1_OCTETS:
	case KSSP_ASN1_KSTRING:
		random_bytes(r, a, f->kind == KSSP_ASN1_KSTRING, p);
		break;
	case KSSP_ASN1_TIME:
		/* 0000-01-01 .. 9999-12-31 */
		i64 = random_int(r, -62167219200LL, 253402300799LL);
		memcpy(p, &i64, sizeof(i64));
		break;
	default:
		ck_abort_msg("unknown kind");
	}
}

void tu_asn1_random(const struct kssp_asn1_type *t, struct tu_rng *r, struct kssp_arena *a, void *out)
{
	uint8_t *base = out;
	size_t i, j;

	memset(out, 0, t->size);
	for (i = 0; i < t->n_fields; i++) {
		const struct kssp_asn1_field *f = &t->fields[i];
		bool present = !(f->flags & KSSP_ASN1_OPTIONAL) || (tu_rand(r) & 1);

		if (!present)
			continue;
		if (f->flags & KSSP_ASN1_SEQOF) {
			size_t count = tu_rand(r) % 4, size = kssp_asn1_elem_size(f);
			uint8_t *array = kssp_arena_alloc(a, count * size);

			ck_assert_ptr_nonnull(array);
			for (j = 0; j < count; j++)
				random_scalar(f, r, a, array + j * size);
			memcpy(base + f->offset, &array, sizeof(array));
			memcpy(base + f->aux, &count, sizeof(count));
			continue;
		}
		random_scalar(f, r, a, base + f->offset);
		if ((f->flags & KSSP_ASN1_OPTIONAL) && f->aux != KSSP_ASN1_NO_AUX)
			base[f->aux] = 1;
		/* A message's msg-type must name its own tag to decode (RFC 4120 §5). */
		if (t->tag_class == KSSP_DER_APPLICATION && strcmp(f->name, "msg-type") == 0) {
			int32_t mt = (int32_t)t->tag_number;

			memcpy(base + f->offset, &mt, sizeof(mt));
		}
	}
}

static bool bytes_equal(const struct kssp_der_bytes *x, const struct kssp_der_bytes *y)
{
	return (x->data == NULL) == (y->data == NULL) && x->len == y->len &&
	    (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
}

static bool scalar_equal(const struct kssp_asn1_field *f, const void *x, const void *y)
{
	switch (f->kind) {
	case KSSP_ASN1_STRUCT:
		return tu_asn1_equal(f->type, x, y);
	case KSSP_ASN1_OCTETS:
	case KSSP_ASN1_KSTRING:
		return bytes_equal(x, y);
	default:
		return memcmp(x, y, kssp_asn1_elem_size(f)) == 0;
	}
}

bool tu_asn1_equal(const struct kssp_asn1_type *t, const void *a, const void *b)
{
	const uint8_t *x = a, *y = b;
	size_t i, j;

	for (i = 0; i < t->n_fields; i++) {
		const struct kssp_asn1_field *f = &t->fields[i];

		if (f->flags & KSSP_ASN1_SEQOF) {
			const uint8_t *ax, *ay;
			size_t nx, ny, size = kssp_asn1_elem_size(f);

			memcpy(&ax, x + f->offset, sizeof(ax));
			memcpy(&ay, y + f->offset, sizeof(ay));
			memcpy(&nx, x + f->aux, sizeof(nx));
			memcpy(&ny, y + f->aux, sizeof(ny));
			if ((ax == NULL) != (ay == NULL) || nx != ny)
				return false;
			for (j = 0; j < nx; j++)
				if (!scalar_equal(f, ax + j * size, ay + j * size))
					return false;
			continue;
		}
		if ((f->flags & KSSP_ASN1_OPTIONAL) && f->aux != KSSP_ASN1_NO_AUX) {
			if (x[f->aux] != y[f->aux])
				return false;
			if (!x[f->aux])
				continue;
		}
		if (!scalar_equal(f, x + f->offset, y + f->offset))
			return false;
	}
	return true;
}

uint8_t *tu_read_fixture(const char *relpath, size_t *len)
{
	const char *path = tu_fixture(relpath);
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	ck_assert_msg(f != NULL, "missing fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}
