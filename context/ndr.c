/* context/ndr.c - the NDR pieces of the PAC's RPC-marshalled buffers. */
#include "context/ndr_int.h"

/* MS-RPCE 2.2.6.1: version 1, little-endian, 8-byte common header. */
#define NDR_TS_VERSION 1
#define NDR_TS_LITTLE_ENDIAN 0x10
#define NDR_TS_HEADER_LEN 8

static kssp_err bad(const struct kssp_ndr *n, const char *field, const char *why)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "PAC %s: %s %s at offset %zu", n->what, field,
	    why, kssp_cursor_offset(&n->c));
}

kssp_err kssp_ndr_skip(struct kssp_ndr *n, size_t bytes)
{
	return kssp_cursor_skip(&n->c, bytes);
}

/*
 * NDR aligns every primitive to its size, counted from the stream's start.
 * A failed skip fails the sticky cursor, so the read after it fails too.
 */
static void align(struct kssp_ndr *n, size_t a)
{
	size_t at = (kssp_cursor_offset(&n->c) - n->start) % a;

	if (at)
		kssp_ndr_skip(n, a - at);
}

kssp_err kssp_ndr_u16(struct kssp_ndr *n, uint16_t *v)
{
	align(n, 2);
	return kssp_cursor_read_le16(&n->c, v);
}

kssp_err kssp_ndr_u32(struct kssp_ndr *n, uint32_t *v)
{
	align(n, 4);
	return kssp_cursor_read_le32(&n->c, v);
}

/* FILETIME, MS-DTYP 2.3.3: two 32-bit halves, low first. */
kssp_err kssp_ndr_filetime(struct kssp_ndr *n, uint64_t *v)
{
	align(n, 4);
	return kssp_pac_filetime_read(&n->c, v);
}

kssp_err kssp_ndr_pointer(struct kssp_ndr *n, bool *present)
{
	uint32_t referent = 0;
	kssp_err e = kssp_ndr_u32(n, &referent);

	*present = referent != 0;
	return e;
}

kssp_err kssp_ndr_array_pointer(struct kssp_ndr *n, uint32_t count, bool *present)
{
	kssp_err e = kssp_ndr_pointer(n, present);

	if (!e && count > 0 && !*present)
		return bad(n, "array", "of a non-zero count has a NULL pointer");
	return e;
}

kssp_err kssp_ndr_open(const struct kssp_cursor *buf, struct kssp_arena *arena, const char *what,
    struct kssp_ndr *n)
{
	uint8_t version = 0, endian = 0;
	uint16_t hlen = 0;
	uint32_t object_len = 0;
	struct kssp_cursor c = *buf;
	bool top = false;
	kssp_err e;

	n->arena = arena;
	n->what = what;
	n->c = c;
	if ((e = kssp_cursor_read_u8(&c, &version)) || (e = kssp_cursor_read_u8(&c, &endian)) ||
	    (e = kssp_cursor_read_le16(&c, &hlen)) || (e = kssp_cursor_skip(&c, 4)) ||
	    (e = kssp_cursor_read_le32(&c, &object_len)) || (e = kssp_cursor_skip(&c, 4)))
		return e;
	if (version != NDR_TS_VERSION || endian != NDR_TS_LITTLE_ENDIAN ||
	    hlen != NDR_TS_HEADER_LEN)
		return bad(n, "type serialization header", "is not version 1 little-endian");
	if ((e = kssp_cursor_sub(&c, object_len, &n->c)))
		return e;
	n->start = kssp_cursor_offset(&n->c);
	if ((e = kssp_ndr_pointer(n, &top)))
		return e;
	return top ? KSSP_OK : bad(n, "top-level pointer", "is NULL");
}

kssp_err kssp_ndr_string_head(struct kssp_ndr *n, struct kssp_ndr_string *h)
{
	kssp_err e;

	align(n, 4);
	if ((e = kssp_ndr_u16(n, &h->length)) || (e = kssp_ndr_u16(n, &h->maximum_length)) ||
	    (e = kssp_ndr_pointer(n, &h->present)))
		return e;
	if (h->length % 2)
		return bad(n, "RPC_UNICODE_STRING", "has an odd byte length");
	if (h->length > h->maximum_length)
		return bad(n, "RPC_UNICODE_STRING", "is longer than its maximum length");
	if (h->length > 0 && !h->present)
		return bad(n, "RPC_UNICODE_STRING", "has characters but a NULL pointer");
	return KSSP_OK;
}

/*
 * The deferred WCHAR array: [size_is(MaximumLength/2), length_is(Length/2)],
 * so a conformant-varying array (C706 14.3.3.4) whose maximum count, offset
 * and actual count must say exactly what the header said.
 */
kssp_err kssp_ndr_string_body(struct kssp_ndr *n, const struct kssp_ndr_string *h,
    struct kssp_pac_string *out)
{
	uint32_t max = 0, offset = 0, actual = 0;
	kssp_err e;

	out->data = NULL;
	out->len = 0;
	if (!h->present)
		return KSSP_OK;
	if ((e = kssp_ndr_u32(n, &max)) || (e = kssp_ndr_u32(n, &offset)) ||
	    (e = kssp_ndr_u32(n, &actual)))
		return e;
	if (max != h->maximum_length / 2u || offset != 0 || actual != h->length / 2u)
		return bad(n, "RPC_UNICODE_STRING", "counts disagree with its header");
	out->len = h->length;
	return kssp_cursor_take(&n->c, out->len, &out->data);
}

kssp_err kssp_ndr_conformance(struct kssp_ndr *n, uint32_t count, size_t size)
{
	uint32_t max = 0;
	kssp_err e = kssp_ndr_u32(n, &max);

	if (e)
		return e;
	if (max != count)
		return bad(n, "array", "conformance differs from its count");
	if (count > kssp_cursor_remaining(&n->c) / size)
		return kssp_fail(KSSP_ERR_TRUNCATED, "PAC %s: array of %u elements at offset %zu "
		    "is longer than the buffer", n->what, count, kssp_cursor_offset(&n->c));
	return KSSP_OK;
}

/* Arena memory for count elements; count was bounded by the bytes left. */
static kssp_err alloc(struct kssp_ndr *n, size_t count, size_t size, void **out)
{
	*out = count ? kssp_arena_alloc(n->arena, count * size) : NULL;
	return count && !*out ? KSSP_ERR_NOMEM : KSSP_OK;
}

kssp_err kssp_pac_sid_read(struct kssp_cursor *c, size_t len, const char *what,
    struct kssp_pac_sid *sid)
{
	size_t i;
	kssp_err e;

	if ((e = kssp_cursor_read_u8(c, &sid->revision)) ||
	    (e = kssp_cursor_read_u8(c, &sid->sub_authority_count)))
		return e;
	/* MS-DTYP 2.4.2.2: revision 1, at most 15 sub-authorities. */
	if (sid->revision != 1 || sid->sub_authority_count > KSSP_PAC_SID_MAX_SUB ||
	    len != 8 + 4 * (size_t)sid->sub_authority_count)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "PAC %s: malformed SID at offset %zu", what,
		    kssp_cursor_offset(c));
	if ((e = kssp_cursor_read_bytes(c, sid->identifier_authority, 6)))
		return e;
	for (i = 0; i < sid->sub_authority_count && !e; i++)
		e = kssp_cursor_read_le32(c, &sid->sub_authority[i]);
	return e;
}

kssp_err kssp_ndr_sid(struct kssp_ndr *n, bool present, struct kssp_pac_sid **out)
{
	uint32_t count = 0;
	kssp_err e;

	*out = NULL;
	if (!present)
		return KSSP_OK;
	if ((e = kssp_ndr_u32(n, &count)))
		return e;
	if (count > KSSP_PAC_SID_MAX_SUB)
		return bad(n, "SID", "has more than 15 sub-authorities");
	if ((e = alloc(n, 1, sizeof(**out), (void **)out)))
		return e;
	if ((e = kssp_pac_sid_read(&n->c, 8 + 4 * (size_t)count, n->what, *out)))
		return e;
	return (*out)->sub_authority_count == count ? KSSP_OK :
	    bad(n, "SID", "conformance differs from its sub-authority count");
}

kssp_err kssp_ndr_groups(struct kssp_ndr *n, bool present, uint32_t count,
    struct kssp_pac_group **out)
{
	uint32_t i;
	kssp_err e;

	*out = NULL;
	if (!present)
		return KSSP_OK;
	if ((e = kssp_ndr_conformance(n, count, 8)) ||
	    (e = alloc(n, count, sizeof(**out), (void **)out)))
		return e;
	for (i = 0; i < count && !e; i++)
		if (!(e = kssp_ndr_u32(n, &(*out)[i].relative_id)))
			e = kssp_ndr_u32(n, &(*out)[i].attributes);
	return e;
}

kssp_err kssp_ndr_sid_attrs(struct kssp_ndr *n, bool present, uint32_t count,
    struct kssp_pac_sid_attr **out)
{
	uint32_t i;
	bool sid_present = false;
	kssp_err e;

	*out = NULL;
	if (!present)
		return KSSP_OK;
	if ((e = kssp_ndr_conformance(n, count, 8)) ||
	    (e = alloc(n, count, sizeof(**out), (void **)out)))
		return e;
	for (i = 0; i < count && !e; i++) {
		if (!(e = kssp_ndr_pointer(n, &sid_present)) && !sid_present)
			return bad(n, "KERB_SID_AND_ATTRIBUTES", "has a NULL SID");
		if (!e)
			e = kssp_ndr_u32(n, &(*out)[i].attributes);
	}
	/* The SIDs are the array's deferred pointees, in element order. */
	for (i = 0; i < count && !e; i++)
		e = kssp_ndr_sid(n, true, &(*out)[i].sid);
	return e;
}
