/*
 * context/ndr_int.h - the NDR reader the PAC's RPC-marshalled buffers need
 * (C706 ch. 14, MS-RPCE 2.2.5, 2.2.6): little-endian, 32-bit referent IDs
 * for unique pointers, conformant and conformant-varying arrays whose
 * counts must agree with the fields that size them.
 *
 * Deferral: a structure's embedded pointers are read as referent IDs in
 * the structure and their pointees after it, in field order (C706 14.3.12).
 * The callers in pac.c follow that order by hand; this file reads the
 * pieces.  Every count is checked against the bytes left before anything
 * is allocated for it.
 */
#ifndef KSSP_CONTEXT_NDR_INT_H
#define KSSP_CONTEXT_NDR_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "context/pac_int.h"

struct kssp_ndr {
	struct kssp_cursor c;
	size_t start;             /* absolute offset alignment counts from */
	struct kssp_arena *arena;
	const char *what;         /* the buffer, for reasons */
};

/* The header half of an RPC_UNICODE_STRING (MS-DTYP 2.3.10). */
struct kssp_ndr_string {
	uint16_t length;
	uint16_t maximum_length;
	bool present;
};

/*
 * Opens a type-serialized buffer (MS-RPCE 2.2.6: common header version 1,
 * little-endian, private header with the object length) and reads the
 * top-level unique pointer, which must not be NULL.
 */
kssp_err kssp_ndr_open(const struct kssp_cursor *buf, struct kssp_arena *arena,
    const char *what, struct kssp_ndr *n);

kssp_err kssp_ndr_u16(struct kssp_ndr *n, uint16_t *v);
kssp_err kssp_ndr_u32(struct kssp_ndr *n, uint32_t *v);
kssp_err kssp_ndr_filetime(struct kssp_ndr *n, uint64_t *v);
kssp_err kssp_ndr_skip(struct kssp_ndr *n, size_t bytes);

/* A unique pointer's referent ID: 0 is NULL. */
kssp_err kssp_ndr_pointer(struct kssp_ndr *n, bool *present);

/* A pointer sizing an array of count: NULL only with count 0. */
kssp_err kssp_ndr_array_pointer(struct kssp_ndr *n, uint32_t count, bool *present);

kssp_err kssp_ndr_string_head(struct kssp_ndr *n, struct kssp_ndr_string *h);
/* The deferred characters of a string whose head was read (none if NULL). */
kssp_err kssp_ndr_string_body(struct kssp_ndr *n, const struct kssp_ndr_string *h,
    struct kssp_pac_string *out);

/* A pointed-to RPC_SID (conformant: its sub-authority count leads). */
kssp_err kssp_ndr_sid(struct kssp_ndr *n, bool present, struct kssp_pac_sid **out);

/* A pointed-to conformant array of count GROUP_MEMBERSHIPs. */
kssp_err kssp_ndr_groups(struct kssp_ndr *n, bool present, uint32_t count,
    struct kssp_pac_group **out);

/* A pointed-to array of count KERB_SID_AND_ATTRIBUTES and its SIDs. */
kssp_err kssp_ndr_sid_attrs(struct kssp_ndr *n, bool present, uint32_t count,
    struct kssp_pac_sid_attr **out);

/* The conformance of an array of count elements of size bytes; checks they fit. */
kssp_err kssp_ndr_conformance(struct kssp_ndr *n, uint32_t count, size_t size);

/* A SID outside NDR (PAC_REQUESTOR, UPN_DNS_INFO): exactly len bytes at c. */
kssp_err kssp_pac_sid_read(struct kssp_cursor *c, size_t len, const char *what,
    struct kssp_pac_sid *sid);

/* A FILETIME outside NDR (PAC_CLIENT_INFO): two 32-bit halves, low first. */
kssp_err kssp_pac_filetime_read(struct kssp_cursor *c, uint64_t *v);

#endif
