/*
 * kdc/kkdcp_int.h - the KDC proxy transport (MS-KKDCP): a Kerberos message
 * carried in a KDC-PROXY-MESSAGE over an HTTPS POST.
 *
 * MS-KKDCP §2.2.2:
 *     KDC-PROXY-MESSAGE ::= SEQUENCE {
 *         kerb-message   [0] OCTET STRING,      -- 4-byte length, then the message
 *         target-domain  [1] KERB-REALM OPTIONAL, -- the realm; in requests
 *         dclocator-hint [2] INTEGER OPTIONAL }  -- never sent by kssp
 * kerb-message carries the RFC 4120 §7.2.2 TCP framing: a 4-byte
 * big-endian length, then the message.
 *
 * The HTTP request is the one MIT's sendto_kdc.c sends: "POST /path
 * HTTP/1.0", Host, Content-type application/kerberos, Content-Length; the
 * proxy answers and closes the connection.  The answer must be status 200
 * with a body that is one KDC-PROXY-MESSAGE whose framed length is exact.
 */
#ifndef KSSP_KDC_KKDCP_INT_H
#define KSSP_KDC_KKDCP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "kdc/config_int.h"
#include "kdc/locate_int.h"

/* The largest HTTP answer read from a proxy: the largest reply plus room for headers. */
#define KSSP_KKDCP_HTTP_MAX (((size_t)1 << 20) + 65536)

/* The KDC-PROXY-MESSAGE for req (a bare KDC request) sent to realm, appended to w. */
void kssp_kkdcp_encode(const char *realm, const uint8_t *req, size_t req_len,
    struct kssp_writer *w);

/*
 * Decodes a KDC-PROXY-MESSAGE (untrusted): *msg is the Kerberos message
 * inside kerb-message, after its length prefix, pointing into buf.
 */
kssp_err kssp_kkdcp_decode(const uint8_t *buf, size_t len, struct kssp_der_bytes *msg);

/*
 * Splits an HTTP/1.x answer (untrusted): status 200, the headers, then a
 * body of Content-Length bytes when the header is there, else the rest.
 */
kssp_err kssp_kkdcp_http_body(const uint8_t *buf, size_t len, struct kssp_der_bytes *body);

/* KSSP_OK when this build can reach a KDC proxy (it has TLS), else why not. */
kssp_err kssp_kkdcp_usable(void);

/*
 * One exchange with the proxy srv over fd (connected, non-blocking; the
 * caller closes it): TLS with the realm's http_anchors, the POST, the
 * answer.  *reply is the bare Kerberos reply, kssp_malloc'd.
 */
kssp_err kssp_kkdcp_exchange(const struct kssp_config *cfg, int fd,
    const struct kssp_kdc_server *srv, const char *realm, const uint8_t *req, size_t req_len,
    int64_t until, uint8_t **reply, size_t *reply_len);

#endif
