/*
 * asn1/codec.c - the one decoder and the one encoder that walk the type
 * tables of asn1/krb5.c.  Kerberos uses EXPLICIT tags throughout (RFC 4120
 * §5.2: "DEFINITIONS EXPLICIT TAGS"), so every field is a constructed
 * context element [n] wrapping one complete universal element, and every
 * message an [APPLICATION n] element wrapping a SEQUENCE.
 */
#include "asn1/codec_int.h"

#include <string.h>

#include "base/base.h"

/* The universal tag and C size of each scalar kind (RFC 4120 §5.2). */
static const struct {
	uint8_t tag;
	uint8_t size;
} scalar[] = {
	[KSSP_ASN1_INT32] = { KSSP_DER_INTEGER, sizeof(int32_t) },
	[KSSP_ASN1_UINT32] = { KSSP_DER_INTEGER, sizeof(uint32_t) },
	[KSSP_ASN1_SEQNUM] = { KSSP_DER_INTEGER, sizeof(uint32_t) },
	[KSSP_ASN1_BOOL] = { KSSP_DER_BOOLEAN, sizeof(bool) },
	[KSSP_ASN1_OCTETS] = { KSSP_DER_OCTET_STRING, sizeof(struct kssp_der_bytes) },
	[KSSP_ASN1_KSTRING] = { KSSP_DER_GENERAL_STRING, sizeof(struct kssp_der_bytes) },
	[KSSP_ASN1_TIME] = { KSSP_DER_GENERALIZED_TIME, sizeof(int64_t) },
	[KSSP_ASN1_FLAGS] = { KSSP_DER_BIT_STRING, sizeof(uint32_t) },
};

size_t kssp_asn1_elem_size(const struct kssp_asn1_field *f)
{
	return f->kind == KSSP_ASN1_STRUCT ? f->type->size : scalar[f->kind].size;
}

static kssp_err decode_type(const struct kssp_asn1_type *t, struct kssp_cursor *c,
    struct kssp_arena *arena, void *out);

/* Reads one universal element of the field's kind into the C value at p. */
static kssp_err decode_scalar(const struct kssp_asn1_field *f, const char *what,
    struct kssp_cursor *c, struct kssp_arena *arena, void *p)
{
	struct kssp_der_elem e;
	kssp_err err;

	if (f->kind == KSSP_ASN1_STRUCT)
		return decode_type(f->type, c, arena, p);
	if ((size_t)f->kind >= sizeof(scalar) / sizeof(scalar[0]) || !scalar[f->kind].tag)
		return kssp_fail(KSSP_ERR_INTERNAL, "%s: unknown field kind", what);
	err = kssp_der_read_tag(c, KSSP_DER_UNIVERSAL, false, scalar[f->kind].tag, what, &e);
	if (err)
		return err;
	switch (f->kind) {
	case KSSP_ASN1_INT32: return kssp_der_get_int32(&e, what, p);
	case KSSP_ASN1_UINT32: return kssp_der_get_uint32(&e, what, p);
	case KSSP_ASN1_SEQNUM: return kssp_der_get_seqnum(&e, what, p);
	case KSSP_ASN1_BOOL: return kssp_der_get_bool(&e, what, p);
	/* KerberosString (RFC 4120 §5.2.1): the bytes as sent; IA5 is not enforced, as MIT does not. */
	case KSSP_ASN1_OCTETS:
	case KSSP_ASN1_KSTRING: return kssp_der_get_bytes(&e, what, p);
	case KSSP_ASN1_TIME: return kssp_der_get_time(&e, what, p);
	default: return kssp_der_get_flags(&e, what, p);
	}
}

/* A SEQUENCE OF: counts the elements first (bounded), then fills one array. */
static kssp_err decode_seqof(const struct kssp_asn1_field *f, const char *what,
    struct kssp_cursor *c, struct kssp_arena *arena, uint8_t *base)
{
	struct kssp_der_elem seq, item;
	struct kssp_cursor walk;
	size_t count = 0, size = kssp_asn1_elem_size(f), i;
	uint8_t *array;
	kssp_err err = kssp_der_read_tag(c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, what, &seq);

	if (err)
		return err;
	walk = seq.content;
	while (!kssp_cursor_at_end(&walk)) {
		if (count == KSSP_DER_MAX_ELEMENTS)
			return kssp_fail_at(KSSP_ERR_LIMIT, seq.offset, "%s: more than %d elements", what,
			    KSSP_DER_MAX_ELEMENTS);
		err = kssp_der_read_any(&walk, &item);
		if (err)
			return err;
		count++;
	}
	array = kssp_arena_alloc(arena, count * size);
	if (!array)
		return KSSP_ERR_NOMEM;
	for (i = 0; i < count; i++) {
		err = decode_scalar(f, what, &seq.content, arena, array + i * size);
		if (err)
			return err;
	}
	memcpy(base + f->offset, &array, sizeof(array));
	memcpy(base + f->aux, &count, sizeof(count));
	return KSSP_OK;
}

/*
 * "TYPE field" (tag < 0) or "TYPE field [tag]" into what, cut to fit: the
 * context a failure names, built for every field present, so without
 * snprintf's cost (it was a tenth of an accept).  Returns the length of
 * "TYPE field", where a '\0' cuts the tag off for the field's value.
 */
static size_t field_what(char *what, size_t cap, const char *type, const char *field, int tag)
{
	char digits[16];
	const char *parts[5] = { type, " ", field, NULL, NULL };
	size_t n = 0, i, d = sizeof(digits), bare = 0;
	unsigned v = tag < 0 ? 0 : (unsigned)tag;

	if (tag >= 0) {
		digits[--d] = '\0';
		digits[--d] = ']';
		do
			digits[--d] = (char)('0' + v % 10);
		while ((v /= 10) != 0 && d > 2);
		digits[--d] = '[';
		digits[--d] = ' ';
		parts[3] = digits + d;
	}
	for (i = 0; i < 5 && parts[i] != NULL; i++) {
		size_t len = strlen(parts[i]);

		if (len > cap - 1 - n)
			len = cap - 1 - n;
		memcpy(what + n, parts[i], len);
		n += len;
		if (i == 2)
			bare = n;
	}
	what[n] = '\0';
	return bare;
}

static kssp_err decode_field(const struct kssp_asn1_field *f, const char *what,
    struct kssp_cursor *c, struct kssp_arena *arena, uint8_t *base)
{
	if (f->flags & KSSP_ASN1_SEQOF)
		return decode_seqof(f, what, c, arena, base);
	return decode_scalar(f, what, c, arena, base + f->offset);
}

static void set_present(const struct kssp_asn1_field *f, uint8_t *base)
{
	bool yes = true;

	if ((f->flags & KSSP_ASN1_OPTIONAL) && !(f->flags & KSSP_ASN1_SEQOF) && f->aux != KSSP_ASN1_NO_AUX)
		memcpy(base + f->aux, &yes, sizeof(yes));
}

/* The fields of a SEQUENCE, in order, each inside its explicit [n]. */
static kssp_err decode_fields(const struct kssp_asn1_type *t, struct kssp_cursor *c,
    struct kssp_arena *arena, uint8_t *base)
{
	struct kssp_der_elem tagged;
	size_t i;
	kssp_err err;

	for (i = 0; i < t->n_fields; i++) {
		const struct kssp_asn1_field *f = &t->fields[i];
		char what[96];
		size_t bare;

		if (!kssp_der_next_is(c, KSSP_DER_CONTEXT, true, (uint32_t)f->tag)) {
			if (f->flags & KSSP_ASN1_OPTIONAL)
				continue;
			field_what(what, sizeof(what), t->name, f->name, f->tag);
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, kssp_cursor_offset(c), "%s: missing mandatory field",
			    what);
		}
		bare = field_what(what, sizeof(what), t->name, f->name, f->tag);
		err = kssp_der_read_tag(c, KSSP_DER_CONTEXT, true, (uint32_t)f->tag, what, &tagged);
		if (!err) {
			/* the value is named without its tag: "TYPE field" */
			char tag_start = what[bare];

			what[bare] = '\0';
			err = decode_field(f, what, &tagged.content, arena, base);
			what[bare] = tag_start;
		}
		if (!err)
			err = kssp_cursor_expect_end(&tagged.content, what);
		if (err)
			return err;
		set_present(f, base);
	}
	/* RFC 4120 §5.1: later versions may add fields; only types marked so skip them. */
	while (t->extensible && !kssp_cursor_at_end(c)) {
		err = kssp_der_read_any(c, &tagged);
		if (err)
			return err;
	}
	if (!kssp_cursor_at_end(c))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, kssp_cursor_offset(c), "%s: unexpected or out-of-order field", t->name);
	return KSSP_OK;
}

/*
 * RFC 4120 §5.4.1 and on: a message's msg-type repeats its application tag;
 * a message claiming to be another is refused here (as MIT's decoder does),
 * so no layer above can mistake one for the other.
 */
static kssp_err check_msg_type(const struct kssp_asn1_type *t, const uint8_t *base,
    const struct kssp_der_elem *seq)
{
	int32_t msg_type;
	size_t i;

	if (t->tag_class != KSSP_DER_APPLICATION)
		return KSSP_OK;
	for (i = 0; i < t->n_fields; i++) {
		if (strcmp(t->fields[i].name, "msg-type") != 0)
			continue;
		memcpy(&msg_type, base + t->fields[i].offset, sizeof(msg_type));
		if (msg_type != (int32_t)t->tag_number)
			return kssp_fail_at(KRB_AP_ERR_MSG_TYPE, seq->offset, "%s: msg-type %d in [APPLICATION %u]",
			    t->name, msg_type, t->tag_number);
	}
	return KSSP_OK;
}

static kssp_err decode_type(const struct kssp_asn1_type *t, struct kssp_cursor *c,
    struct kssp_arena *arena, void *out)
{
	struct kssp_der_elem outer, seq;
	struct kssp_cursor inner;
	uint8_t *base = out;
	kssp_err err;

	memset(out, 0, t->size);
	if (t->list) {
		/* The SEQUENCE OF is the value itself (AuthorizationData, METHOD-DATA). */
		struct kssp_cursor peek = *c;
		char what[96];

		field_what(what, sizeof(what), t->name, t->fields[0].name, -1);
		err = kssp_der_read_any(&peek, &outer);
		if (!err)
			err = decode_field(&t->fields[0], what, c, arena, base);
		if (!err)
			memcpy(base, &outer.der, sizeof(outer.der));
		return err;
	}
	if (t->tag_class) {
		uint32_t n = kssp_der_next_is(c, t->tag_class, true, t->alt_tag_number) ?
		    t->alt_tag_number : t->tag_number;

		err = kssp_der_read_tag(c, t->tag_class, true, n, t->name, &outer);
		if (err)
			return err;
		inner = outer.content;
		err = kssp_der_read_tag(&inner, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, t->name, &seq);
		if (!err)
			err = kssp_cursor_expect_end(&inner, t->name);
	} else {
		err = kssp_der_read_tag(c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, t->name, &seq);
		outer = seq;
	}
	if (err)
		return err;
	memcpy(base, &outer.der, sizeof(outer.der));
	err = decode_fields(t, &seq.content, arena, base);
	return err ? err : check_msg_type(t, base, &seq);
}

kssp_err kssp_asn1_decode(const struct kssp_asn1_type *t, const uint8_t *der, size_t len,
    struct kssp_arena *arena, void *out)
{
	struct kssp_cursor c;

	kssp_cursor_init(&c, der, len);
	return kssp_asn1_decode_cursor(t, &c, arena, out);
}

kssp_err kssp_asn1_decode_cursor(const struct kssp_asn1_type *t, const struct kssp_cursor *in,
    struct kssp_arena *arena, void *out)
{
	struct kssp_cursor c = *in;
	kssp_err err;

	memset(out, 0, t->size);
	err = kssp_der_validate_cursor(&c);
	if (!err)
		err = decode_type(t, &c, arena, out);
	return err ? err : kssp_cursor_expect_end(&c, t->name);
}

/* ---- encoding ------------------------------------------------------------ */

static void put_scalar(struct kssp_writer *w, const struct kssp_asn1_field *f, const void *p)
{
	const struct kssp_der_bytes *bytes = p;
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	bool b;

	switch (f->kind) {
	case KSSP_ASN1_STRUCT:
		kssp_asn1_put(w, f->type, p);
		break;
	case KSSP_ASN1_INT32:
		memcpy(&i32, p, sizeof(i32));
		kssp_der_put_int64(w, i32);
		break;
	case KSSP_ASN1_UINT32:
	case KSSP_ASN1_SEQNUM:
		memcpy(&u32, p, sizeof(u32));
		kssp_der_put_int64(w, u32);
		break;
	case KSSP_ASN1_BOOL:
		memcpy(&b, p, sizeof(b));
		kssp_der_put_bool(w, b);
		break;
	case KSSP_ASN1_OCTETS:
	case KSSP_ASN1_KSTRING:
		kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, scalar[f->kind].tag, bytes->data,
		    bytes->len);
		break;
	case KSSP_ASN1_TIME:
		memcpy(&i64, p, sizeof(i64));
		kssp_der_put_time(w, i64);
		break;
	case KSSP_ASN1_FLAGS:
		memcpy(&u32, p, sizeof(u32));
		kssp_der_put_flags(w, u32);
		break;
	default:
		break;
	}
}

static void put_field_value(struct kssp_writer *w, const struct kssp_asn1_field *f, const uint8_t *base)
{
	const uint8_t *array;
	size_t count, size, i, m;

	if (!(f->flags & KSSP_ASN1_SEQOF)) {
		put_scalar(w, f, base + f->offset);
		return;
	}
	memcpy(&array, base + f->offset, sizeof(array));
	memcpy(&count, base + f->aux, sizeof(count));
	size = kssp_asn1_elem_size(f);
	m = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	for (i = 0; i < count && array; i++)
		put_scalar(w, f, array + i * size);
	kssp_der_end(w, m);
}

static bool field_present(const struct kssp_asn1_field *f, const uint8_t *base)
{
	const void *ptr;
	bool has;

	if (!(f->flags & KSSP_ASN1_OPTIONAL))
		return true;
	if ((f->flags & KSSP_ASN1_SEQOF) || f->aux == KSSP_ASN1_NO_AUX) {
		/* Arrays and byte strings: absent when the pointer is NULL. */
		memcpy(&ptr, base + f->offset, sizeof(ptr));
		return ptr != NULL;
	}
	memcpy(&has, base + f->aux, sizeof(has));
	return has;
}

void kssp_asn1_put(struct kssp_writer *w, const struct kssp_asn1_type *t, const void *in)
{
	const uint8_t *base = in;
	size_t outer = 0, seq, i;

	if (t->tag_class)
		outer = kssp_der_begin(w, t->tag_class, t->tag_number);
	if (t->list) {
		put_field_value(w, &t->fields[0], base);
	} else {
		seq = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
		for (i = 0; i < t->n_fields; i++) {
			const struct kssp_asn1_field *f = &t->fields[i];
			size_t m;

			if (!field_present(f, base))
				continue;
			m = kssp_der_begin(w, KSSP_DER_CONTEXT, (uint32_t)f->tag);
			put_field_value(w, f, base);
			kssp_der_end(w, m);
		}
		kssp_der_end(w, seq);
	}
	if (t->tag_class)
		kssp_der_end(w, outer);
}

kssp_err kssp_asn1_encode(const struct kssp_asn1_type *t, const void *in, struct kssp_writer *w)
{
	kssp_asn1_put(w, t, in);
	return kssp_writer_status(w);
}
