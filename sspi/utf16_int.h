/*
 * sspi/utf16_int.h - UTF-8 <-> UTF-16 for the W functions.
 *
 * The library works in UTF-8; the W entry points convert at the boundary.
 * Both directions are strict (RFC 3629 §3/§4 for UTF-8, RFC 2781 §2 for
 * UTF-16): overlong forms, encoded surrogates, values past U+10FFFF and
 * unpaired surrogates are rejected, never replaced, so a name cannot
 * change meaning on its way through.
 */
#ifndef KSSP_SSPI_UTF16_INT_H
#define KSSP_SSPI_UTF16_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* Length in units of a NUL-terminated UTF-16 string, at most max (else KSSP_ERR_LIMIT). */
kssp_err kssp_utf16_len(const uint16_t *s, size_t max, size_t *len);

/*
 * Converts n UTF-16 units into a NUL-terminated UTF-8 string allocated
 * with kssp_malloc (*out_len excludes the NUL; out_len may be NULL).
 */
kssp_err kssp_utf16_to_utf8(const uint16_t *s, size_t n, char **out, size_t *out_len);

/* A NUL-terminated UTF-16 argument of at most max units as UTF-8 (NULL stays NULL). */
kssp_err kssp_utf16_narrow(const uint16_t *s, size_t max, char **out, size_t *out_len);

/*
 * Converts n bytes of UTF-8 into NUL-terminated UTF-16 written by alloc
 * (kssp_malloc when NULL); *out_len counts units without the NUL.
 */
kssp_err kssp_utf8_to_utf16(const char *s, size_t n, void *(*alloc)(size_t),
    uint16_t **out, size_t *out_len);

#endif
