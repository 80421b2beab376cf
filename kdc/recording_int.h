/*
 * kdc/recording_int.h - the recording format: a KDC conversation, and the
 * context and message tokens around it, as text.
 *
 *     # comment
 *     @ KEY VALUE        metadata (the fixed clock and random seeds used, ...)
 *     > REALM HEX        a KDC request as sent
 *     < HEX              its reply
 *     C HEX              a context token the initiator produced
 *     S HEX              a context token the acceptor produced
 *     M HEX              a message token (EncryptMessage's token || data)
 *
 * Exchanges are kept in order, tokens in order; the two orders are
 * independent, so a file may interleave them (as recorded by hand) or list
 * metadata, then exchanges, then tokens (as kssp_recording_save writes).
 * Line numbers are kept for messages that name a step of a replay.
 */
#ifndef KSSP_KDC_RECORDING_INT_H
#define KSSP_KDC_RECORDING_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

struct kssp_config;
struct kssp_recording;

/*
 * An empty recording that kssp_recording_transport fills: each request
 * goes to inner's transport (inner or its transport NULL: the network
 * with cfg and inner's trace) and the exchange is written down.  cfg must
 * outlive it.
 */
kssp_err kssp_recording_new(const struct kssp_config *cfg, const struct kssp_hooks *inner,
    struct kssp_recording **out);
kssp_err kssp_recording_parse(const char *text, size_t len, struct kssp_recording **out);
kssp_err kssp_recording_load(const char *path, struct kssp_recording **out);
void kssp_recording_free(struct kssp_recording *rec);

/* Writes rec to path in the text form, replacing the file atomically, mode 0600. */
kssp_err kssp_recording_save(const struct kssp_recording *rec, const char *path);

/* Appends "@ key value": key without white space, value on one line. */
kssp_err kssp_recording_add_meta(struct kssp_recording *rec, const char *key,
    const char *value);
/* Appends a token: kind 'C' (initiator), 'S' (acceptor) or 'M' (message), non-empty. */
kssp_err kssp_recording_add_token(struct kssp_recording *rec, char kind, const uint8_t *data,
    size_t len);

/* A metadata value ("@ KEY VALUE"), or NULL. */
const char *kssp_recording_meta(const struct kssp_recording *rec, const char *key);

/*
 * The transport hook (arg is the recording): a recording made by
 * kssp_recording_new records the exchange; one parsed or loaded replays
 * it, serving the next exchange's reply after checking realm and request
 * byte for byte.
 */
kssp_err kssp_recording_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len);

/* Exchanges recorded, and exchanges served so far by the replaying transport. */
size_t kssp_recording_count(const struct kssp_recording *rec);
size_t kssp_recording_served(const struct kssp_recording *rec);

/* The line of exchange i's recorded reply (0 when there is none). */
unsigned kssp_recording_reply_line(const struct kssp_recording *rec, size_t i);

/* The tokens ('C', 'S', 'M' lines) in file order. */
size_t kssp_recording_token_count(const struct kssp_recording *rec);
kssp_err kssp_recording_token(const struct kssp_recording *rec, size_t i, char *kind,
    const uint8_t **data, size_t *len, unsigned *line);

/* Where a and b first differ (the shorter length when one is a prefix). */
size_t kssp_recording_first_difference(const uint8_t *a, size_t an, const uint8_t *b,
    size_t bn);

#endif
