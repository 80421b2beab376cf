/*
 * asn1/der_int.h - the strict DER reader and the exact DER writer (X.690 §8, §10).
 *
 * Reading is built on base's bounded cursor: every element is split off as a
 * sub-cursor of exactly its declared length, so no read can pass the end of
 * the element that encloses it.  Only DER is accepted: definite lengths in
 * their shortest form, minimal INTEGERs, BOOLEAN as 00/FF, GeneralizedTime as
 * exactly YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), no trailing bytes.  Every
 * failure records a reason ending in "at offset N", N counted from the start
 * of the outermost message.
 *
 * Writing goes into a struct kssp_writer.  A constructed element is opened
 * with kssp_der_begin() (which leaves one length octet) and closed with
 * kssp_der_end(), which fixes the length up, moving the content when the
 * length needs more octets.  DER has one encoding per value, so encoding the
 * same value twice gives the same bytes (the TGS authenticator checksums
 * the encoded KDC-REQ-BODY, RFC 4120 §7.2.2).
 */
#ifndef KSSP_ASN1_DER_INT_H
#define KSSP_ASN1_DER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* Hard limits on untrusted input. */
#define KSSP_DER_MAX_DEPTH 32               /* nesting of constructed elements */
#define KSSP_DER_MAX_ELEMENTS 4096          /* elements in one SEQUENCE OF */
#define KSSP_DER_MAX_MESSAGE ((size_t)1 << 20) /* one message, 1 MiB */

/* Identifier octet classes (X.690 §8.1.2.2), as the top two bits. */
#define KSSP_DER_UNIVERSAL 0x00
#define KSSP_DER_APPLICATION 0x40
#define KSSP_DER_CONTEXT 0x80
#define KSSP_DER_PRIVATE 0xc0
#define KSSP_DER_CONSTRUCTED 0x20

/* Universal tag numbers used by Kerberos, GSS-API and SPNEGO. */
enum kssp_der_universal {
	KSSP_DER_BOOLEAN = 1,
	KSSP_DER_INTEGER = 2,
	KSSP_DER_BIT_STRING = 3,
	KSSP_DER_OCTET_STRING = 4,
	KSSP_DER_NULL = 5,
	KSSP_DER_OID = 6,
	KSSP_DER_ENUMERATED = 10,
	KSSP_DER_UTF8_STRING = 12,
	KSSP_DER_SEQUENCE = 16,
	KSSP_DER_SET = 17,
	KSSP_DER_IA5_STRING = 22,
	KSSP_DER_GENERALIZED_TIME = 24,
	KSSP_DER_GENERAL_STRING = 27,
};

/* A run of bytes inside a decoded input (or the caller's memory when encoding). */
struct kssp_der_bytes {
	const uint8_t *data; /* NULL: absent (an OPTIONAL field not present) */
	size_t len;
};

struct kssp_der_tag {
	uint8_t cls;        /* KSSP_DER_UNIVERSAL .. KSSP_DER_PRIVATE */
	bool constructed;
	uint32_t number;
};

/* One element split off the input. */
struct kssp_der_elem {
	struct kssp_der_tag tag;
	struct kssp_cursor content; /* exactly the content octets */
	struct kssp_der_bytes der;  /* the whole TLV: identifier, length, content */
	size_t offset;              /* absolute offset of the identifier octet */
};

/* ---- reading ------------------------------------------------------------ */

/* Reads the identifier octets at the cursor without consuming anything. */
kssp_err kssp_der_peek_tag(const struct kssp_cursor *c, struct kssp_der_tag *tag);

/* true when the next element has this class, constructed bit and number. */
bool kssp_der_next_is(const struct kssp_cursor *c, uint8_t cls, bool constructed, uint32_t number);

/* Splits off the next element, whatever its tag. */
kssp_err kssp_der_read_any(struct kssp_cursor *c, struct kssp_der_elem *e);

/* Splits off the next element, which must carry the given tag; what names it. */
kssp_err kssp_der_read_tag(struct kssp_cursor *c, uint8_t cls, bool constructed, uint32_t number,
    const char *what, struct kssp_der_elem *e);

/*
 * Content decoders: each takes an element already split off (any tag, so
 * they serve implicit tags too), checks its content is exactly one value of
 * the type, and names what in the failure reason.
 */
kssp_err kssp_der_get_int32(const struct kssp_der_elem *e, const char *what, int32_t *out);
kssp_err kssp_der_get_uint32(const struct kssp_der_elem *e, const char *what, uint32_t *out);
/*
 * A sequence number (RFC 4120 §5.5.1 seq-number, UInt32).  Windows and MIT
 * before 1.7 encode it as a signed Int32, so values of 2^31 and above arrive
 * negative; like MIT, a negative Int32 is read as its two's complement.
 * Nonces (UInt32 too) are read the same way: Heimdal's ASN.1 declares them
 * signed.  Encoding is always the unsigned form.
 */
kssp_err kssp_der_get_seqnum(const struct kssp_der_elem *e, const char *what, uint32_t *out);
kssp_err kssp_der_get_int64(const struct kssp_der_elem *e, const char *what, int64_t *out);
/* Any length of minimal two's complement; *out points at the content. */
kssp_err kssp_der_get_integer_bytes(const struct kssp_der_elem *e, const char *what,
    struct kssp_der_bytes *out);
kssp_err kssp_der_get_bool(const struct kssp_der_elem *e, const char *what, bool *out);
kssp_err kssp_der_get_bytes(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out);
/* UTF8String: well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF). */
kssp_err kssp_der_get_utf8(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out);
/* KerberosFlags (RFC 4120 §5.2.8): bit 0 is the top bit of *out; bits past 31 ignored. */
kssp_err kssp_der_get_flags(const struct kssp_der_elem *e, const char *what, uint32_t *out);
/* BIT STRING content as is (first octet the unused-bit count, checked). */
kssp_err kssp_der_get_bit_string(const struct kssp_der_elem *e, const char *what,
    struct kssp_der_bytes *out);
/* KerberosTime: seconds since 1970-01-01T00:00:00Z. */
kssp_err kssp_der_get_time(const struct kssp_der_elem *e, const char *what, int64_t *out);
/* OBJECT IDENTIFIER content octets, checked for minimal subidentifiers. */
kssp_err kssp_der_get_oid(const struct kssp_der_elem *e, const char *what, struct kssp_der_bytes *out);

/*
 * Checks that what remains of c is exactly one strict DER element (all
 * nested constructed elements included), at most KSSP_DER_MAX_MESSAGE bytes
 * and KSSP_DER_MAX_DEPTH deep, reporting offsets from c's message.
 */
kssp_err kssp_der_validate_cursor(const struct kssp_cursor *c);

/* Writes "YYYYMMDDHHMMSSZ" and a NUL into out[16]. */
void kssp_der_format_time(int64_t t, char out[16]);

/* Writes an OID's dotted form ("1.2.840.113554.1.2.2") into out; false if it does not fit. */
bool kssp_der_format_oid(const struct kssp_der_bytes *oid, char *out, size_t cap);

/* ---- writing ------------------------------------------------------------ */

/* Writes identifier octets; cls_cons is a class ORed with KSSP_DER_CONSTRUCTED or not. */
void kssp_der_put_tag(struct kssp_writer *w, uint8_t cls_cons, uint32_t number);
void kssp_der_put_length(struct kssp_writer *w, size_t len);

/* Opens a constructed element; returns the mark kssp_der_end() needs. */
size_t kssp_der_begin(struct kssp_writer *w, uint8_t cls, uint32_t number);
void kssp_der_end(struct kssp_writer *w, size_t mark);

void kssp_der_put_int64(struct kssp_writer *w, int64_t v);
void kssp_der_put_bool(struct kssp_writer *w, bool v);
/* A primitive element with the given tag and content. */
void kssp_der_put_primitive(struct kssp_writer *w, uint8_t cls, uint32_t number,
    const uint8_t *data, size_t len);
void kssp_der_put_kstring(struct kssp_writer *w, const struct kssp_der_bytes *b);
void kssp_der_put_flags(struct kssp_writer *w, uint32_t flags);
void kssp_der_put_time(struct kssp_writer *w, int64_t t);
void kssp_der_put_oid(struct kssp_writer *w, const struct kssp_der_bytes *oid);

#endif
