/*
 * asn1/der.c - strict DER reading and exact DER writing (X.690 §8 and §10).
 * The only file of asn1/ that touches input bytes other than through the
 * cursor's typed reads: content octets are examined here once split off.
 */
#include "asn1/der_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- identifier and length octets ---------------------------------------- */

/* Fails c at offset at, the reason prefixed with "WHAT: " when what names the element. */
static kssp_err elem_fail(struct kssp_cursor *c, const char *what, kssp_err code, size_t at,
    const char *fmt, ...)
{
	char msg[KSSP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kssp_cursor_fail(c, code, at, "%s%s%s", what ? what : "", what ? ": " : "", msg);
}

enum id_problem { ID_OK, ID_MISSING, ID_CUT, ID_NOT_MINIMAL, ID_LOW_NUMBER, ID_TOO_LARGE };

/*
 * X.690 §8.1.2: low-tag form, or 0x1f and base-128 octets (minimal, >= 31).
 * Records nothing, so that a peek is quiet; read_identifier() says why.
 */
static enum id_problem parse_identifier(struct kssp_cursor *c, struct kssp_der_tag *tag)
{
	uint8_t b = 0;
	uint32_t n = 0;
	int i;

	if (kssp_cursor_remaining(c) < 1 || c->err)
		return ID_MISSING;
	kssp_cursor_read_u8(c, &b);
	tag->cls = b & 0xc0;
	tag->constructed = (b & KSSP_DER_CONSTRUCTED) != 0;
	tag->number = b & 0x1f;
	if (tag->number != 0x1f)
		return ID_OK;
	for (i = 0; i < 4; i++) {
		if (kssp_cursor_remaining(c) < 1)
			return ID_CUT;
		kssp_cursor_read_u8(c, &b);
		if (i == 0 && b == 0x80)
			return ID_NOT_MINIMAL;
		n = (n << 7) | (b & 0x7f);
		if (!(b & 0x80)) {
			tag->number = n;
			return n < 31 ? ID_LOW_NUMBER : ID_OK;
		}
	}
	return ID_TOO_LARGE;
}

static kssp_err read_identifier(struct kssp_cursor *c, const char *what, struct kssp_der_tag *tag)
{
	size_t at = kssp_cursor_offset(c);

	switch (parse_identifier(c, tag)) {
	case ID_OK:
		return KSSP_OK;
	case ID_MISSING:
		if (what)
			return kssp_cursor_fail(c, KSSP_ERR_TRUNCATED, at, "%s: missing", what);
		return elem_fail(c, what, KSSP_ERR_TRUNCATED, at,
		    "DER: element expected, input ends");
	case ID_CUT:
		return elem_fail(c, what, KSSP_ERR_TRUNCATED, kssp_cursor_offset(c),
		    "DER: tag number cut short");
	case ID_NOT_MINIMAL:
		return elem_fail(c, what, KSSP_ERR_BAD_ENCODING, at, "DER: tag number not minimal");
	case ID_LOW_NUMBER:
		return elem_fail(c, what, KSSP_ERR_BAD_ENCODING, at,
		    "DER: tag number %u in high-tag form",
		    tag->number);
	default:
		return elem_fail(c, what, KSSP_ERR_LIMIT, at, "DER: tag number too large");
	}
}

/* X.690 §10.1: definite form, shortest possible, never past what is left. */
static size_t read_length(struct kssp_cursor *c, const char *what)
{
	size_t at = kssp_cursor_offset(c), n = 0;
	uint8_t b = 0, count, i;

	if (kssp_cursor_remaining(c) < 1)
		return elem_fail(c, what, KSSP_ERR_TRUNCATED, at, "DER: length missing"), 0;
	kssp_cursor_read_u8(c, &b);
	count = b < 0x80 ? 0 : b & 0x7f;
	n = b < 0x80 ? b : 0;
	if (b == 0x80)
		return elem_fail(c, what, KSSP_ERR_BAD_ENCODING, at, "DER: indefinite length"), 0;
	if (count > 4)
		return elem_fail(c, what, KSSP_ERR_LIMIT, at, "DER: %u length octets", count), 0;
	if (kssp_cursor_remaining(c) < count)
		return elem_fail(c, what, KSSP_ERR_TRUNCATED, at, "DER: length cut short"), 0;
	for (i = 0; i < count; i++) {
		kssp_cursor_read_u8(c, &b);
		if (i == 0 && b == 0)
			return elem_fail(c, what, KSSP_ERR_BAD_ENCODING, at,
			    "DER: non-minimal length (leading zero)"), 0;
		n = (n << 8) | b;
	}
	if (count && n < 0x80)
		return elem_fail(c, what, KSSP_ERR_BAD_ENCODING, at,
		    "DER: non-minimal length (long form for %zu)", n), 0;
	if (n > kssp_cursor_remaining(c))
		return elem_fail(c, what, KSSP_ERR_TRUNCATED, at,
		    "DER: length %zu past the end (%zu bytes left)", n, kssp_cursor_remaining(c)),
		    0;
	return n;
}

kssp_err kssp_der_peek_tag(const struct kssp_cursor *c, struct kssp_der_tag *tag)
{
	struct kssp_cursor copy = *c;

	memset(tag, 0, sizeof(*tag));
	return parse_identifier(&copy, tag) == ID_OK ? KSSP_OK : KSSP_ERR_BAD_ENCODING;
}

bool kssp_der_next_is(const struct kssp_cursor *c, uint8_t cls, bool constructed, uint32_t number)
{
	struct kssp_der_tag t;

	if (kssp_der_peek_tag(c, &t))
		return false;
	return t.cls == cls && t.constructed == constructed && t.number == number;
}

/* Splits off the next element; a failure names what (when not NULL) and fails c. */
static kssp_err read_element(struct kssp_cursor *c, const char *what, struct kssp_der_elem *e)
{
	struct kssp_cursor work = *c;
	size_t len;

	e->offset = kssp_cursor_offset(c);
	read_identifier(&work, what, &e->tag);
	len = read_length(&work, what);
	kssp_cursor_sub(&work, len, &e->content);
	e->der.data = c->base + c->pos;
	e->der.len = work.pos - c->pos;
	if (kssp_cursor_join(c, &work))
		return c->err;
	*c = work;
	return KSSP_OK;
}

kssp_err kssp_der_read_any(struct kssp_cursor *c, struct kssp_der_elem *e)
{
	return read_element(c, NULL, e);
}

static const char *class_name(uint8_t cls)
{
	switch (cls) {
	case KSSP_DER_UNIVERSAL: return "UNIVERSAL";
	case KSSP_DER_APPLICATION: return "APPLICATION";
	case KSSP_DER_CONTEXT: return "";
	default: return "PRIVATE";
	}
}

kssp_err kssp_der_read_tag(struct kssp_cursor *c, uint8_t cls, bool constructed, uint32_t number,
    const char *what, struct kssp_der_elem *e)
{
	struct kssp_cursor work = *c;

	if (read_element(&work, what, e))
		return kssp_cursor_join(c, &work);
	if (e->tag.cls != cls || e->tag.number != number || e->tag.constructed != constructed)
		return kssp_cursor_fail(c, KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: expected [%s %u]%s, found [%s %u]%s", what, class_name(cls), number,
		    constructed ? " constructed" : "", class_name(e->tag.cls), e->tag.number,
		    e->tag.constructed ? " constructed" : "");
	*c = work;
	return KSSP_OK;
}

/* ---- content decoders ---------------------------------------------------- */

static kssp_err need_primitive(const struct kssp_der_elem *e, const char *what)
{
	if (e->tag.constructed)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: constructed encoding of a primitive type", what);
	return KSSP_OK;
}

/* The unread content octets of an element (all of them, as split off). */
static const uint8_t *content_of(const struct kssp_der_elem *e)
{
	return e->content.base + e->content.pos;
}

static size_t content_len(const struct kssp_der_elem *e)
{
	return kssp_cursor_remaining(&e->content);
}

kssp_err kssp_der_get_integer_bytes(const struct kssp_der_elem *e, const char *what,
    struct kssp_der_bytes *out)
{
	const uint8_t *p = content_of(e);
	size_t n = content_len(e);
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	if (n == 0)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: empty INTEGER", what);
	/* X.690 §8.3.2: the first nine bits are never all zero or all one. */
	if (n > 1 && ((p[0] == 0x00 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: non-minimal INTEGER", what);
	out->data = p;
	out->len = n;
	return KSSP_OK;
}

kssp_err kssp_der_get_int64(const struct kssp_der_elem *e, const char *what, int64_t *out)
{
	struct kssp_der_bytes b;
	uint64_t v;
	size_t i;
	kssp_err err = kssp_der_get_integer_bytes(e, what, &b);

	if (err)
		return err;
	if (b.len > 8)
		return kssp_fail_at(KSSP_ERR_LIMIT, e->offset,
		    "%s: INTEGER of %zu octets too large", what, b.len);
	v = (b.data[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < b.len; i++)
		v = (v << 8) | b.data[i];
	/* Two's complement reinterpretation, well defined through memcpy. */
	memcpy(out, &v, sizeof(*out));
	return KSSP_OK;
}

/* An INTEGER within lo..hi, or a failure naming the range. */
static kssp_err get_ranged(const struct kssp_der_elem *e, const char *what, int64_t lo, int64_t hi,
    const char *range, int64_t *v)
{
	kssp_err err = kssp_der_get_int64(e, what, v);

	if (!err && (*v < lo || *v > hi))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: %lld %s", what, (long long)*v,
		    range);
	return err;
}

kssp_err kssp_der_get_seqnum(const struct kssp_der_elem *e, const char *what, uint32_t *out)
{
	int64_t v;
	kssp_err err = get_ranged(e, what, INT32_MIN, UINT32_MAX, "is no sequence number", &v);

	*out = err ? 0 : (uint32_t)(v < 0 ? v + ((int64_t)1 << 32) : v);
	return err;
}

kssp_err kssp_der_get_int32(const struct kssp_der_elem *e, const char *what, int32_t *out)
{
	int64_t v;
	kssp_err err = get_ranged(e, what, INT32_MIN, INT32_MAX, "outside Int32", &v);

	*out = err ? 0 : (int32_t)v;
	return err;
}

kssp_err kssp_der_get_uint32(const struct kssp_der_elem *e, const char *what, uint32_t *out)
{
	int64_t v;
	kssp_err err = get_ranged(e, what, 0, UINT32_MAX, "outside UInt32", &v);

	*out = err ? 0 : (uint32_t)v;
	return err;
}

kssp_err kssp_der_get_bool(const struct kssp_der_elem *e, const char *what, bool *out)
{
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	/* X.690 §11.1: TRUE is all ones in DER. */
	if (content_len(e) != 1 || (content_of(e)[0] != 0x00 && content_of(e)[0] != 0xff))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: BOOLEAN not 00 or FF", what);
	*out = content_of(e)[0] != 0;
	return KSSP_OK;
}

kssp_err kssp_der_get_bytes(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out)
{
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	out->data = content_of(e);
	out->len = content_len(e);
	return KSSP_OK;
}

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 when it is not well formed. */
static size_t utf8_sequence(const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

kssp_err kssp_der_get_utf8(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out)
{
	const uint8_t *p = content_of(e);
	size_t n = content_len(e), i = 0, step;
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	while (i < n) {
		step = utf8_sequence(p + i, n - i);
		if (step == 0)
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING,
			    kssp_cursor_offset(&e->content) + i, "%s: malformed UTF-8", what);
		i += step;
	}
	out->data = p;
	out->len = n;
	return KSSP_OK;
}

kssp_err kssp_der_get_bit_string(const struct kssp_der_elem *e, const char *what,
    struct kssp_der_bytes *out)
{
	const uint8_t *p = content_of(e);
	size_t n = content_len(e);
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	if (n == 0 || p[0] > 7 || (n == 1 && p[0] != 0))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: malformed BIT STRING", what);
	/* X.690 §11.2.1: unused bits are zero in DER. */
	if (p[0] && (p[n - 1] & ((1u << p[0]) - 1)))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: unused BIT STRING bits set", what);
	out->data = p;
	out->len = n;
	return KSSP_OK;
}

kssp_err kssp_der_get_flags(const struct kssp_der_elem *e, const char *what, uint32_t *out)
{
	const uint8_t *p = content_of(e);
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	/*
	 * RFC 4120 §5.2.8: KerberosFlags carry at least 32 bits; the unused-bits
	 * octet is 0.  Bits past 31 are ignored, as MIT does.
	 */
	if (content_len(e) < 1 || p[0] != 0)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: KerberosFlags with unused bits not 0", what);
	if (content_len(e) < 5)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: KerberosFlags shorter than 32 bits", what);
	*out = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	return KSSP_OK;
}

/* Converts between seconds since the epoch and the UTC calendar. */
struct calendar { int year, month, day, hour, minute, second; };

static int64_t days_from_civil(int year, int month, int day)
{
	/* Proleptic Gregorian, days since 1970-01-01, with March-based years. */
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_time(int64_t t, struct calendar *cal)
{
	int64_t days = (t >= 0 ? t : t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t month = mp < 10 ? mp + 3 : mp - 9;

	cal->year = (int)(yoe + era * 400 + (month <= 2));
	cal->month = (int)month;
	cal->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	cal->hour = (int)(secs / 3600);
	cal->minute = (int)(secs / 60 % 60);
	cal->second = (int)(secs % 60);
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

static bool digits(const uint8_t *p, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*out = *out * 10 + (p[i] - '0');
	}
	return true;
}

kssp_err kssp_der_get_time(const struct kssp_der_elem *e, const char *what, int64_t *out)
{
	const uint8_t *p = content_of(e);
	int y, mo, d, h, mi, s;
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	/* RFC 4120 §5.2.3: exactly YYYYMMDDHHMMSSZ, no fraction, always UTC. */
	if (content_len(e) != 15 || p[14] != 'Z' || !digits(p, 4, &y) || !digits(p + 4, 2, &mo) ||
	    !digits(p + 6, 2, &d) || !digits(p + 8, 2, &h) || !digits(p + 10, 2, &mi) ||
	    !digits(p + 12, 2, &s))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: KerberosTime not YYYYMMDDHHMMSSZ", what);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset,
		    "%s: KerberosTime field out of range", what);
	*out = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s;
	return KSSP_OK;
}

void kssp_der_format_time(int64_t t, char out[16])
{
	struct calendar c;

	int v[6], i, w, k = 0;

	civil_from_time(t, &c);
	v[0] = c.year < 0 ? 0 : c.year % 10000;
	v[1] = c.month, v[2] = c.day, v[3] = c.hour, v[4] = c.minute, v[5] = c.second;
	/* Digits by hand: the fields are in range, and snprintf cannot know it. */
	for (i = 0; i < 6; i++)
		for (w = i ? 10 : 1000; w; w /= 10)
			out[k++] = (char)('0' + v[i] / w % 10);
	out[14] = 'Z';
	out[15] = 0;
}

kssp_err kssp_der_get_oid(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out)
{
	const uint8_t *p = content_of(e);
	size_t n = content_len(e), i;
	bool start = true;
	kssp_err err = need_primitive(e, what);

	if (err)
		return err;
	/* X.690 §8.19.2: each subidentifier minimal (no leading 0x80), the last octet ends one. */
	for (i = 0; i < n; i++) {
		if (start && p[i] == 0x80)
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: non-minimal OID", what);
		start = !(p[i] & 0x80);
	}
	if (n == 0 || !start)
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "%s: malformed OID", what);
	out->data = p;
	out->len = n;
	return KSSP_OK;
}

bool kssp_der_format_oid(const struct kssp_der_bytes *oid, char *out, size_t cap)
{
	size_t i, used = 0;
	uint64_t v = 0;
	bool first = true;
	int n;

	if (cap == 0)
		return false;
	out[0] = 0;
	for (i = 0; i < oid->len; i++) {
		if (v > (UINT64_MAX >> 7))
			return false;
		v = (v << 7) | (oid->data[i] & 0x7f);
		if (oid->data[i] & 0x80)
			continue;
		if (first)
			n = snprintf(out + used, cap - used, "%d.%llu", v < 40 ? 0 : v < 80 ? 1 : 2,
			    (unsigned long long)(v < 80 ? v % 40 : v - 80));
		else
			n = snprintf(out + used, cap - used, ".%llu", (unsigned long long)v);
		if (n < 0 || (size_t)n >= cap - used)
			return false;
		used += (size_t)n;
		first = false;
		v = 0;
	}
	return true;
}

/* ---- whole-message validation -------------------------------------------- */

/* Universal types that DER always encodes primitive, or always constructed. */
static kssp_err check_universal_form(const struct kssp_der_elem *e)
{
	bool must_construct = e->tag.number == KSSP_DER_SEQUENCE || e->tag.number == KSSP_DER_SET;

	if (e->tag.cls != KSSP_DER_UNIVERSAL || e->tag.constructed == must_construct)
		return KSSP_OK;
	return kssp_fail_at(KSSP_ERR_BAD_ENCODING, e->offset, "DER: universal tag %u %s",
	    e->tag.number, must_construct ? "must be constructed" : "must be primitive");
}

static kssp_err validate_elements(struct kssp_cursor *c, unsigned depth)
{
	while (!kssp_cursor_at_end(c)) {
		struct kssp_der_elem e;
		kssp_err err = kssp_der_read_any(c, &e);

		if (!err)
			err = check_universal_form(&e);
		if (err)
			return err;
		if (!e.tag.constructed)
			continue;
		if (depth + 1 > KSSP_DER_MAX_DEPTH)
			return kssp_fail_at(KSSP_ERR_LIMIT, e.offset, "DER: nesting deeper than %d",
			    KSSP_DER_MAX_DEPTH);
		err = validate_elements(&e.content, depth + 1);
		if (err)
			return err;
	}
	return KSSP_OK;
}

kssp_err kssp_der_validate_cursor(const struct kssp_cursor *c)
{
	struct kssp_cursor work = *c;
	struct kssp_der_elem e;
	kssp_err err;

	if (kssp_cursor_remaining(c) > KSSP_DER_MAX_MESSAGE)
		return kssp_fail_at(KSSP_ERR_LIMIT, kssp_cursor_offset(c),
		    "DER: message of %zu bytes exceeds %zu",
		    kssp_cursor_remaining(c), KSSP_DER_MAX_MESSAGE);
	err = kssp_der_read_any(&work, &e);
	if (err)
		return err;
	if (!kssp_cursor_at_end(&work))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, kssp_cursor_offset(&work),
		    "DER: %zu trailing bytes", kssp_cursor_remaining(&work));
	work = *c;
	return validate_elements(&work, 0);
}

/* ---- writing ------------------------------------------------------------- */

void kssp_der_put_tag(struct kssp_writer *w, uint8_t cls_cons, uint32_t number)
{
	uint8_t tmp[5];
	int n = 0, i;

	if (number < 31) {
		kssp_writer_put_u8(w, (uint8_t)(cls_cons | number));
		return;
	}
	kssp_writer_put_u8(w, (uint8_t)(cls_cons | 0x1f));
	do {
		tmp[n++] = (uint8_t)(number & 0x7f);
		number >>= 7;
	} while (number);
	for (i = n - 1; i >= 0; i--)
		kssp_writer_put_u8(w, (uint8_t)(tmp[i] | (i ? 0x80 : 0)));
}

static int length_octets(size_t len)
{
	int n = 0;

	if (len < 0x80)
		return 0;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

void kssp_der_put_length(struct kssp_writer *w, size_t len)
{
	int n = length_octets(len), i;

	if (n == 0) {
		kssp_writer_put_u8(w, (uint8_t)len);
		return;
	}
	kssp_writer_put_u8(w, (uint8_t)(0x80 | n));
	for (i = n - 1; i >= 0; i--)
		kssp_writer_put_u8(w, (uint8_t)(len >> (8 * i)));
}

size_t kssp_der_begin(struct kssp_writer *w, uint8_t cls, uint32_t number)
{
	kssp_der_put_tag(w, (uint8_t)(cls | KSSP_DER_CONSTRUCTED), number);
	kssp_writer_put_u8(w, 0);
	return w->len - 1;
}

void kssp_der_end(struct kssp_writer *w, size_t mark)
{
	size_t content, i;
	int n;

	if (w->err)
		return;
	content = w->len - mark - 1;
	n = length_octets(content);
	if (n == 0) {
		w->buf[mark] = (uint8_t)content;
		return;
	}
	/* The content moves up by the extra length octets (may reallocate w->buf). */
	if (!kssp_writer_reserve(w, (size_t)n))
		return;
	memmove(w->buf + mark + 1 + n, w->buf + mark + 1, content);
	w->buf[mark] = (uint8_t)(0x80 | n);
	for (i = 0; i < (size_t)n; i++)
		w->buf[mark + 1 + i] = (uint8_t)(content >> (8 * ((size_t)n - 1 - i)));
}

void kssp_der_put_primitive(struct kssp_writer *w, uint8_t cls, uint32_t number,
    const uint8_t *data, size_t len)
{
	kssp_der_put_tag(w, cls, number);
	kssp_der_put_length(w, len);
	kssp_writer_put_bytes(w, data, len);
}

void kssp_der_put_int64(struct kssp_writer *w, int64_t v)
{
	uint8_t b[8];
	uint64_t u;
	int n = 8, i;

	memcpy(&u, &v, sizeof(u));
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (56 - 8 * i));
	/* Drop leading octets while the next one still carries the sign. */
	i = 0;
	while (n > 1 && ((b[i] == 0x00 && !(b[i + 1] & 0x80)) || (b[i] == 0xff && (b[i + 1] & 0x80)))) {
		i++;
		n--;
	}
	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_INTEGER, b + i, (size_t)n);
}

void kssp_der_put_bool(struct kssp_writer *w, bool v)
{
	uint8_t b = v ? 0xff : 0x00;

	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_BOOLEAN, &b, 1);
}

void kssp_der_put_kstring(struct kssp_writer *w, const struct kssp_der_bytes *b)
{
	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_GENERAL_STRING, b->data, b->len);
}

void kssp_der_put_flags(struct kssp_writer *w, uint32_t flags)
{
	uint8_t b[5] = { 0, (uint8_t)(flags >> 24), (uint8_t)(flags >> 16), (uint8_t)(flags >> 8),
		(uint8_t)flags };

	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_BIT_STRING, b, sizeof(b));
}

/* Seconds of 0000-01-01T00:00:00Z and of 10000-01-01: what four digits can say. */
#define TIME_MIN (-62167219200LL)
#define TIME_END (253402300800LL)

void kssp_der_put_time(struct kssp_writer *w, int64_t t)
{
	char s[16];

	if (t < TIME_MIN || t >= TIME_END) {
		if (!w->err)
			w->err = kssp_fail(KSSP_ERR_INVALID_ARG, "DER: time %lld has no four-digit year",
			    (long long)t);
		return;
	}
	kssp_der_format_time(t, s);
	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_GENERALIZED_TIME, (const uint8_t *)s, 15);
}

void kssp_der_put_oid(struct kssp_writer *w, const struct kssp_der_bytes *oid)
{
	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_OID, oid->data, oid->len);
}
