/*
 * base/text.h - hex and base64 (RFC 4648 §4) codecs for tokens, keys and
 * fixtures given as text.  Decoders ignore ASCII white space, reject
 * anything else that is not of the alphabet, and never read past len.
 */
#ifndef KSSP_BASE_TEXT_H
#define KSSP_BASE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"

/* Appends 2*len lowercase hex digits (no NUL). */
void kssp_hex_encode(struct kssp_writer *w, const uint8_t *data, size_t len);

/* Appends the bytes a hex string stands for. */
kssp_err kssp_hex_decode(struct kssp_writer *w, const char *text, size_t len);

/* Appends the padded base64 of data (no NUL). */
void kssp_base64_encode(struct kssp_writer *w, const uint8_t *data, size_t len);

/* Appends the bytes a padded or unpadded base64 string stands for. */
kssp_err kssp_base64_decode(struct kssp_writer *w, const char *text, size_t len);

#endif
