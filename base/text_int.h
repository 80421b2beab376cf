/*
 * base/text_int.h - hex and base64 (RFC 4648 §4) codecs for tokens, keys and
 * fixtures given as text, and UTF-8 characters (RFC 3629).  The hex and
 * base64 decoders ignore ASCII white space, reject anything else that is
 * not of the alphabet, and never read past len.
 */
#ifndef KSSP_BASE_TEXT_INT_H
#define KSSP_BASE_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes_int.h"

/* Appends 2*len lowercase hex digits (no NUL). */
void kssp_hex_encode(struct kssp_writer *w, const uint8_t *data, size_t len);

/* Appends the bytes a hex string stands for. */
kssp_err kssp_hex_decode(struct kssp_writer *w, const char *text, size_t len);

/* Appends the padded base64 of data (no NUL). */
void kssp_base64_encode(struct kssp_writer *w, const uint8_t *data, size_t len);

/* Appends the bytes a padded or unpadded base64 string stands for. */
kssp_err kssp_base64_decode(struct kssp_writer *w, const char *text, size_t len);

/* Reads one UTF-8 character in its shortest form, no surrogate and at most
 * U+10FFFF (RFC 3629 §3-4); KSSP_ERR_BAD_ENCODING for anything else. */
kssp_err kssp_utf8_read(struct kssp_cursor *c, uint32_t *cp);

/* Appends cp (at most U+10FFFF) as UTF-8. */
void kssp_utf8_put(struct kssp_writer *w, uint32_t cp);

#endif
