/*
 * asn1/codec_int.h - the table-driven codec behind every Kerberos type.
 *
 * Each SEQUENCE of RFC 4120 §5 (and of the PA/AD payloads) is described
 * once, as a struct kssp_asn1_type listing its fields in order: the ASN.1
 * name, the explicit context tag, the kind of value and where it lives in
 * the C struct.  One decoder, one encoder and one printer walk these
 * tables, so a type's encoding, decoding and JSON names can never disagree.
 *
 * Conventions of the C structs (asn1/krb5_int.h):
 *  - every struct starts with `struct kssp_der_bytes der`: on decode, the
 *    whole TLV of that value in the input (what other layers checksum or
 *    decrypt, e.g. the KDC-REQ-BODY or the Ticket); ignored on encode;
 *  - an OPTIONAL OCTET STRING / KerberosString, or an OPTIONAL SEQUENCE OF,
 *    is absent when its data pointer is NULL; other OPTIONAL fields have a
 *    `bool has_<field>` member;
 *  - a SEQUENCE OF is a pointer to its first element plus `<field>_len`;
 *    the array lives in the message's arena.
 */
#ifndef KSSP_ASN1_CODEC_INT_H
#define KSSP_ASN1_CODEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn1/arena_int.h"
#include "asn1/der_int.h"
#include "base/base.h"

enum kssp_asn1_kind {
	KSSP_ASN1_INT32,   /* Int32, C int32_t */
	KSSP_ASN1_UINT32,  /* UInt32, C uint32_t */
	KSSP_ASN1_SEQNUM,  /* seq-number, nonce: UInt32, negative Int32 also read (der_int.h) */
	KSSP_ASN1_BOOL,    /* BOOLEAN, C bool */
	KSSP_ASN1_OCTETS,  /* OCTET STRING, struct kssp_der_bytes */
	KSSP_ASN1_KSTRING, /* KerberosString / Realm (GeneralString), struct kssp_der_bytes */
	KSSP_ASN1_TIME,    /* KerberosTime, C int64_t seconds since the epoch */
	KSSP_ASN1_FLAGS,   /* KerberosFlags, C uint32_t, bit 0 the top bit */
	KSSP_ASN1_STRUCT,  /* a SEQUENCE described by another kssp_asn1_type */
};

/* Field flags. */
#define KSSP_ASN1_OPTIONAL 0x01
#define KSSP_ASN1_SEQOF 0x02 /* SEQUENCE OF the kind */

#define KSSP_ASN1_NO_TAG (-1)
#define KSSP_ASN1_NO_AUX ((size_t)-1)

struct kssp_asn1_type;

struct kssp_asn1_field {
	const char *name;       /* the ASN.1 field name ("enc-part") */
	int tag;                /* explicit context tag [n], or KSSP_ASN1_NO_TAG */
	uint8_t kind;           /* enum kssp_asn1_kind */
	uint8_t flags;          /* KSSP_ASN1_OPTIONAL, KSSP_ASN1_SEQOF */
	size_t offset;          /* the value, or the array pointer */
	size_t aux;             /* has_<field> (OPTIONAL scalar/struct) or <field>_len (SEQOF) */
	const struct kssp_asn1_type *type; /* KSSP_ASN1_STRUCT */
	const char *const *bits; /* KSSP_ASN1_FLAGS: names of bits 0..31 (NULL entries unnamed) */
};

struct kssp_asn1_type {
	const char *name;       /* the ASN.1 type name ("AS-REP") */
	uint8_t tag_class;      /* outer tag: KSSP_DER_APPLICATION, KSSP_DER_CONTEXT or 0 for none */
	uint32_t tag_number;
	uint32_t alt_tag_number; /* also accepted on decode (EncTGSRepPart takes [25]); = tag_number if none */
	bool list;              /* SEQUENCE OF fields[0] itself (AuthorizationData, METHOD-DATA) */
	bool extensible;        /* unknown trailing fields are skipped */
	size_t size;            /* sizeof the C struct */
	const struct kssp_asn1_field *fields;
	size_t n_fields;
};

/*
 * Decodes exactly one value of type t filling the C struct at out (zeroed
 * first).  Strings and byte fields point into der, which must outlive out;
 * SEQUENCE OF arrays come from arena, which the caller frees.
 */
kssp_err kssp_asn1_decode(const struct kssp_asn1_type *t, const uint8_t *der, size_t len,
    struct kssp_arena *arena, void *out);

/* The same for exactly what remains of c; offsets in failures count from c's message. */
kssp_err kssp_asn1_decode_cursor(const struct kssp_asn1_type *t, const struct kssp_cursor *c,
    struct kssp_arena *arena, void *out);

/* Appends the DER of the C struct at in. */
kssp_err kssp_asn1_encode(const struct kssp_asn1_type *t, const void *in, struct kssp_writer *w);

/* Appends the DER of in to w as its content only (no failure check); for nesting. */
void kssp_asn1_put(struct kssp_writer *w, const struct kssp_asn1_type *t, const void *in);

/* Size of one C element of a field's kind (the struct's size for KSSP_ASN1_STRUCT). */
size_t kssp_asn1_elem_size(const struct kssp_asn1_field *f);

#endif
