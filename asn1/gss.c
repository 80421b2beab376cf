/* asn1/gss.c - RFC 2743 framing, RFC 4121 token ids, SPNEGO (RFC 4178, MS-SPNG). */
#include "asn1/gss_int.h"

#include <string.h>

static const uint8_t krb5_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const uint8_t mskrb5_oid[] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const uint8_t u2u_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x03 };
static const uint8_t spnego_oid[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

const struct kssp_der_bytes kssp_gss_krb5_oid = { krb5_oid, sizeof(krb5_oid) };
const struct kssp_der_bytes kssp_gss_mskrb5_oid = { mskrb5_oid, sizeof(mskrb5_oid) };
const struct kssp_der_bytes kssp_gss_u2u_oid = { u2u_oid, sizeof(u2u_oid) };
const struct kssp_der_bytes kssp_gss_spnego_oid = { spnego_oid, sizeof(spnego_oid) };

bool kssp_gss_oid_equal(const struct kssp_der_bytes *a, const struct kssp_der_bytes *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* ---- RFC 2743 §3.1 -------------------------------------------------------- */

kssp_err kssp_gss_decode_initial(const uint8_t *buf, size_t len, struct kssp_gss_token *out)
{
	struct kssp_cursor c;
	struct kssp_der_elem app, oid;
	kssp_err e;

	if (len > KSSP_DER_MAX_MESSAGE)
		return kssp_fail_at(KSSP_ERR_LIMIT, 0, "GSS token of %zu bytes", len);
	kssp_cursor_init(&c, buf, len);
	e = kssp_der_read_tag(&c, KSSP_DER_APPLICATION, true, 0, "GSS InitialContextToken", &app);
	if (!e)
		e = kssp_cursor_expect_end(&c, "GSS InitialContextToken");
	if (!e)
		e = kssp_der_read_tag(&app.content, KSSP_DER_UNIVERSAL, false, KSSP_DER_OID, "GSS thisMech", &oid);
	if (!e)
		e = kssp_der_get_oid(&oid, "GSS thisMech", &out->mech);
	if (e)
		return e;
	out->mech_offset = oid.offset;
	out->inner_offset = kssp_cursor_offset(&app.content);
	/* innerToken is mechanism-defined, not necessarily DER: the rest of the content. */
	out->inner.len = kssp_cursor_remaining(&app.content);
	return kssp_cursor_take(&app.content, out->inner.len, &out->inner.data);
}

/* ---- RFC 4121 §4.1 -------------------------------------------------------- */

kssp_err kssp_gss_decode_krb5(const uint8_t *buf, size_t len, struct kssp_gss_krb5_token *out)
{
	struct kssp_gss_token t;
	struct kssp_cursor c;
	kssp_err e = kssp_gss_decode_initial(buf, len, &t);

	if (e)
		return e;
	if (!kssp_gss_oid_equal(&t.mech, &kssp_gss_krb5_oid) && !kssp_gss_oid_equal(&t.mech, &kssp_gss_mskrb5_oid) &&
	    !kssp_gss_oid_equal(&t.mech, &kssp_gss_u2u_oid))
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, t.mech_offset, "GSS token: not the krb5 mechanism");
	out->mech = t.mech;
	kssp_cursor_init(&c, t.inner.data, t.inner.len);
	c.origin = t.inner_offset;
	e = kssp_cursor_read_be16(&c, &out->tok_id);
	if (e)
		return kssp_fail_at(e, c.origin, "GSS krb5 token: TOK_ID missing");
	out->message.len = kssp_cursor_remaining(&c);
	out->message_offset = kssp_cursor_offset(&c);
	return kssp_cursor_take(&c, out->message.len, &out->message.data);
}

kssp_err kssp_gss_encode_krb5(uint16_t tok_id, const uint8_t *msg, size_t len, struct kssp_writer *w)
{
	return kssp_gss_encode_mech(&kssp_gss_krb5_oid, tok_id, msg, len, w);
}

kssp_err kssp_gss_encode_mech(const struct kssp_der_bytes *mech, uint16_t tok_id,
    const uint8_t *msg, size_t len, struct kssp_writer *w)
{
	size_t m = kssp_der_begin(w, KSSP_DER_APPLICATION, 0);

	kssp_der_put_oid(w, mech);
	kssp_writer_put_be16(w, tok_id);
	kssp_writer_put_bytes(w, msg, len);
	kssp_der_end(w, m);
	return kssp_writer_status(w);
}

void kssp_gss_put_krb5_framing(struct kssp_writer *w, size_t inner_len)
{
	kssp_der_put_tag(w, KSSP_DER_APPLICATION | KSSP_DER_CONSTRUCTED, 0);
	kssp_der_put_length(w, 2 + kssp_gss_krb5_oid.len + inner_len);
	kssp_der_put_oid(w, &kssp_gss_krb5_oid);
}

/* ---- SPNEGO decoding ------------------------------------------------------ */

/*
 * The decoders below read each SEQUENCE's content through one sticky
 * cursor: a failing read or check fails it, the reads after it do nothing,
 * and the SEQUENCE is checked once at its end.
 */

/* Opens the explicit [n] around an OPTIONAL field when it is next: false when absent or c failed. */
static bool open_field(struct kssp_cursor *c, uint32_t n, const char *what, struct kssp_der_elem *f)
{
	return kssp_der_next_is(c, KSSP_DER_CONTEXT, true, n) &&
	    !kssp_der_read_tag(c, KSSP_DER_CONTEXT, true, n, what, f);
}

/* The one universal element filling field f of c; its failure fails c. */
static bool read_only(struct kssp_cursor *c, struct kssp_der_elem *f, uint32_t tag, bool constructed,
    const char *what, struct kssp_der_elem *v)
{
	struct kssp_cursor *in = &f->content;

	if (!kssp_der_read_tag(in, KSSP_DER_UNIVERSAL, constructed, tag, what, v))
		kssp_cursor_expect_end(in, what);
	return !kssp_cursor_join(c, in);
}

static void optional_octets(struct kssp_cursor *c, uint32_t n, const char *what,
    struct kssp_der_bytes *out)
{
	struct kssp_der_elem f, v;

	if (open_field(c, n, what, &f) && read_only(c, &f, KSSP_DER_OCTET_STRING, false, what, &v))
		kssp_cursor_set_status(c, kssp_der_get_bytes(&v, what, out));
}

/* The one check at the end of a SEQUENCE: c's status, failed when fields are left. */
static kssp_err no_more_fields(struct kssp_cursor *c, const char *what)
{
	if (!kssp_cursor_at_end(c))
		kssp_cursor_fail(c, KSSP_ERR_BAD_ENCODING, kssp_cursor_offset(c), "%s: unexpected field", what);
	return kssp_cursor_status(c);
}

static void decode_mech_types(struct kssp_cursor *c, struct kssp_der_elem *f, struct kssp_arena *arena,
    struct kssp_spnego_init *out)
{
	struct kssp_der_elem list, oid;
	struct kssp_cursor walk;
	size_t count = 0, i;

	if (!read_only(c, f, KSSP_DER_SEQUENCE, true, "SPNEGO mechTypes", &list))
		return;
	for (walk = list.content; !kssp_cursor_at_end(&walk) && !walk.err; count++) {
		if (count == KSSP_DER_MAX_ELEMENTS) {
			kssp_cursor_fail(c, KSSP_ERR_LIMIT, list.offset, "SPNEGO mechTypes: too many");
			return;
		}
		kssp_der_read_any(&walk, &oid);
	}
	out->mech_types = kssp_arena_alloc(arena, count * sizeof(*out->mech_types));
	if (kssp_cursor_join(c, &walk) || kssp_cursor_set_status(c, out->mech_types ? KSSP_OK : KSSP_ERR_NOMEM))
		return;
	for (i = 0; i < count; i++)
		if (!kssp_der_read_tag(&list.content, KSSP_DER_UNIVERSAL, false, KSSP_DER_OID, "SPNEGO mechType", &oid))
			kssp_cursor_set_status(&list.content,
			    kssp_der_get_oid(&oid, "SPNEGO mechType", &out->mech_types[i]));
	out->mech_types_len = count;
	kssp_cursor_join(c, &list.content);
}

/* MS-SPNG §2.2.1 NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL } */
static void decode_neg_hints(struct kssp_cursor *c, struct kssp_der_elem *hints, struct kssp_spnego_init *out)
{
	struct kssp_cursor *in = &hints->content;
	struct kssp_der_elem f, v;

	if (open_field(in, 0, "SPNEGO hintName", &f) &&
	    read_only(in, &f, KSSP_DER_GENERAL_STRING, false, "SPNEGO hintName", &v))
		kssp_cursor_set_status(in, kssp_der_get_bytes(&v, "SPNEGO hintName", &out->hint_name));
	optional_octets(in, 1, "SPNEGO hintAddress", &out->hint_address);
	out->has_neg_hints = true;
	kssp_cursor_set_status(c, no_more_fields(in, "SPNEGO negHints"));
}

static kssp_err decode_init(struct kssp_cursor *c, struct kssp_arena *arena, struct kssp_spnego_init *out)
{
	struct kssp_der_elem seq, f, v;
	struct kssp_cursor *in = &seq.content;

	if (kssp_der_read_tag(c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, "NegTokenInit", &seq))
		return kssp_cursor_status(c);
	out->der = seq.der;
	if (!kssp_der_read_tag(in, KSSP_DER_CONTEXT, true, 0, "NegTokenInit mechTypes", &f))
		decode_mech_types(in, &f, arena, out);
	out->has_req_flags = open_field(in, 1, "NegTokenInit reqFlags", &f);
	if (out->has_req_flags && read_only(in, &f, KSSP_DER_BIT_STRING, false, "NegTokenInit reqFlags", &v))
		kssp_cursor_set_status(in, kssp_der_get_bit_string(&v, "NegTokenInit reqFlags", &out->req_flags));
	optional_octets(in, 2, "NegTokenInit mechToken", &out->mech_token);
	/* [3] is mechListMIC in RFC 4178 but negHints (a SEQUENCE) in NegTokenInit2. */
	if (open_field(in, 3, "NegTokenInit [3]", &f)) {
		if (kssp_der_next_is(&f.content, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE)) {
			if (read_only(in, &f, KSSP_DER_SEQUENCE, true, "NegTokenInit2 negHints", &v))
				decode_neg_hints(in, &v, out);
			optional_octets(in, 4, "NegTokenInit2 mechListMIC", &out->mech_list_mic);
		} else if (read_only(in, &f, KSSP_DER_OCTET_STRING, false, "NegTokenInit mechListMIC", &v)) {
			kssp_cursor_set_status(in,
			    kssp_der_get_bytes(&v, "NegTokenInit mechListMIC", &out->mech_list_mic));
		}
	}
	return no_more_fields(in, "NegTokenInit");
}

static kssp_err decode_resp(struct kssp_cursor *c, struct kssp_spnego_resp *out)
{
	struct kssp_der_elem seq, f, v;
	struct kssp_cursor *in = &seq.content;
	int32_t state = 0;

	if (kssp_der_read_tag(c, KSSP_DER_UNIVERSAL, true, KSSP_DER_SEQUENCE, "NegTokenResp", &seq))
		return kssp_cursor_status(c);
	out->der = seq.der;
	out->has_neg_state = open_field(in, 0, "NegTokenResp negState", &f);
	if (out->has_neg_state && read_only(in, &f, KSSP_DER_ENUMERATED, false, "NegTokenResp negState", &v) &&
	    !kssp_cursor_set_status(in, kssp_der_get_int32(&v, "NegTokenResp negState", &state)) &&
	    (state < 0 || state > KSSP_SPNEGO_REQUEST_MIC))
		kssp_cursor_fail(in, KSSP_ERR_BAD_ENCODING, v.offset, "NegTokenResp negState: %d unknown", state);
	out->neg_state = (uint32_t)state;
	if (open_field(in, 1, "NegTokenResp supportedMech", &f) &&
	    read_only(in, &f, KSSP_DER_OID, false, "NegTokenResp supportedMech", &v))
		kssp_cursor_set_status(in,
		    kssp_der_get_oid(&v, "NegTokenResp supportedMech", &out->supported_mech));
	optional_octets(in, 2, "NegTokenResp responseToken", &out->response_token);
	optional_octets(in, 3, "NegTokenResp mechListMIC", &out->mech_list_mic);
	return no_more_fields(in, "NegTokenResp");
}

kssp_err kssp_spnego_decode(const uint8_t *buf, size_t len, struct kssp_arena *arena,
    struct kssp_spnego_token *out)
{
	struct kssp_cursor c;
	struct kssp_der_elem choice;
	kssp_err e;

	memset(out, 0, sizeof(*out));
	kssp_cursor_init(&c, buf, len);
	if (kssp_der_next_is(&c, KSSP_DER_APPLICATION, true, 0)) {
		struct kssp_gss_token t;

		e = kssp_gss_decode_initial(buf, len, &t);
		if (e)
			return e;
		if (!kssp_gss_oid_equal(&t.mech, &kssp_gss_spnego_oid))
			return kssp_fail_at(KSSP_ERR_BAD_ENCODING, t.mech_offset, "GSS token: not SPNEGO");
		kssp_cursor_init(&c, t.inner.data, t.inner.len);
		c.origin = t.inner_offset;
		out->framed = true;
	}
	/* Both the framing and the choice below are checked for strict DER here. */
	e = kssp_der_validate_cursor(&c);
	if (e)
		return e;
	e = kssp_der_read_any(&c, &choice);
	if (e)
		return e;
	if (choice.tag.cls == KSSP_DER_CONTEXT && choice.tag.constructed && choice.tag.number == 0) {
		out->kind = KSSP_SPNEGO_INIT;
		e = decode_init(&choice.content, arena, &out->init);
	} else if (choice.tag.cls == KSSP_DER_CONTEXT && choice.tag.constructed && choice.tag.number == 1 &&
	    !out->framed) {
		out->kind = KSSP_SPNEGO_RESP;
		e = decode_resp(&choice.content, &out->resp);
	} else {
		return kssp_fail_at(KSSP_ERR_BAD_ENCODING, choice.offset, "NegotiationToken: unexpected tag");
	}
	return e ? e : kssp_cursor_expect_end(&choice.content, "NegotiationToken");
}

/* ---- SPNEGO encoding ------------------------------------------------------ */

/* An OPTIONAL field: the universal primitive tag with b inside the explicit [n]; absent when b has no data. */
static void put_field(struct kssp_writer *w, uint32_t n, uint32_t tag, const struct kssp_der_bytes *b)
{
	size_t m;

	if (!b->data)
		return;
	m = kssp_der_begin(w, KSSP_DER_CONTEXT, n);
	kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, tag, b->data, b->len);
	kssp_der_end(w, m);
}

static void put_init(struct kssp_writer *w, const struct kssp_spnego_init *in)
{
	size_t choice = kssp_der_begin(w, KSSP_DER_CONTEXT, 0);
	size_t seq = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	size_t m, list, i;

	m = kssp_der_begin(w, KSSP_DER_CONTEXT, 0);
	list = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	for (i = 0; i < in->mech_types_len; i++)
		kssp_der_put_oid(w, &in->mech_types[i]);
	kssp_der_end(w, list);
	kssp_der_end(w, m);
	if (in->has_req_flags) {
		m = kssp_der_begin(w, KSSP_DER_CONTEXT, 1);
		kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_BIT_STRING, in->req_flags.data,
		    in->req_flags.len);
		kssp_der_end(w, m);
	}
	put_field(w, 2, KSSP_DER_OCTET_STRING, &in->mech_token);
	if (in->has_neg_hints) {
		size_t hints;

		m = kssp_der_begin(w, KSSP_DER_CONTEXT, 3);
		hints = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
		put_field(w, 0, KSSP_DER_GENERAL_STRING, &in->hint_name);
		put_field(w, 1, KSSP_DER_OCTET_STRING, &in->hint_address);
		kssp_der_end(w, hints);
		kssp_der_end(w, m);
		put_field(w, 4, KSSP_DER_OCTET_STRING, &in->mech_list_mic);
	} else {
		put_field(w, 3, KSSP_DER_OCTET_STRING, &in->mech_list_mic);
	}
	kssp_der_end(w, seq);
	kssp_der_end(w, choice);
}

kssp_err kssp_spnego_encode_init(const struct kssp_spnego_init *in, bool framed, struct kssp_writer *w)
{
	size_t m = 0;

	if (framed) {
		m = kssp_der_begin(w, KSSP_DER_APPLICATION, 0);
		kssp_der_put_oid(w, &kssp_gss_spnego_oid);
	}
	put_init(w, in);
	if (framed)
		kssp_der_end(w, m);
	return kssp_writer_status(w);
}

kssp_err kssp_spnego_encode_resp(const struct kssp_spnego_resp *in, struct kssp_writer *w)
{
	size_t choice = kssp_der_begin(w, KSSP_DER_CONTEXT, 1);
	size_t seq = kssp_der_begin(w, KSSP_DER_UNIVERSAL, KSSP_DER_SEQUENCE);
	size_t m;

	if (in->has_neg_state) {
		uint8_t state = (uint8_t)in->neg_state;

		m = kssp_der_begin(w, KSSP_DER_CONTEXT, 0);
		kssp_der_put_primitive(w, KSSP_DER_UNIVERSAL, KSSP_DER_ENUMERATED, &state, 1);
		kssp_der_end(w, m);
	}
	put_field(w, 1, KSSP_DER_OID, &in->supported_mech);
	put_field(w, 2, KSSP_DER_OCTET_STRING, &in->response_token);
	put_field(w, 3, KSSP_DER_OCTET_STRING, &in->mech_list_mic);
	kssp_der_end(w, seq);
	kssp_der_end(w, choice);
	return kssp_writer_status(w);
}
