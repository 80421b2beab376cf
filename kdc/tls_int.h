/*
 * kdc/tls_int.h - a TLS client connection over a connected socket, for the
 * KDC proxy transport (MS-KKDCP §2.1: the proxy is reached over HTTPS).
 *
 * Built with GnuTLS when the build found it (KSSP_TLS); otherwise every
 * call fails with KSSP_ERR_UNSUPPORTED, "built without TLS".
 *
 * The server's certificate is always verified: against anchors when given
 * (MIT's http_anchors values: "FILE:path" a PEM file, "DIR:path" a folder
 * of PEM files), else against the system trust store; its name must match
 * host (a DNS name, or an IP address literal matched against the
 * certificate's IP addresses, RFC 6125 §6.4, RFC 5280 §4.2.1.6).  A failed
 * verification is KSSP_ERR_IO with a reason naming what failed.
 *
 * All waits end at until (CLOCK_MONOTONIC milliseconds): the socket is
 * non-blocking and every step polls it.
 */
#ifndef KSSP_KDC_TLS_INT_H
#define KSSP_KDC_TLS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

struct kssp_tls;

/* KSSP_OK when this build includes TLS, else the "built without TLS" failure. */
kssp_err kssp_tls_require(void);

/*
 * The TLS handshake on fd (connected, non-blocking; the caller keeps
 * closing it) with the server host.  anchors holds n_anchors values.
 */
kssp_err kssp_tls_open(int fd, const char *host, const char *const *anchors, size_t n_anchors,
    int64_t until, struct kssp_tls **out);

/* Sends all of buf. */
kssp_err kssp_tls_write(struct kssp_tls *t, const uint8_t *buf, size_t len, int64_t until);

/*
 * Appends what the server sends to w until it closes the connection; w's
 * bound (a growable writer's max) limits how much is taken.
 */
kssp_err kssp_tls_read_all(struct kssp_tls *t, struct kssp_writer *w, int64_t until);

/* The largest tls-server-end-point value: a SHA-512 hash. */
#define KSSP_TLS_END_POINT_MAX 64

/*
 * RFC 5929 §4.1 tls-server-end-point: the hash of the server's certificate
 * (DER) with the hash of its signature algorithm, SHA-256 when that is
 * MD5 or SHA-1; *len bytes into out.  A certificate whose signature has
 * no single hash (Ed25519) has no end point: KSSP_ERR_UNSUPPORTED.
 */
kssp_err kssp_tls_end_point(struct kssp_tls *t, uint8_t out[KSSP_TLS_END_POINT_MAX],
    size_t *len);

/* Ends the session (close_notify, not waited for) and frees it. */
void kssp_tls_close(struct kssp_tls *t);

#endif
