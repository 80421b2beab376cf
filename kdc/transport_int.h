/*
 * kdc/transport_int.h - sending one request to a realm's KDCs.
 *
 * kssp_transport_send() is what the AS and TGS exchanges call: it uses the
 * transport hook of the handle's kssp_hooks when one is set (a recording
 * being replayed, a test's stand-in), else the network.
 *
 * The network transport (RFC 4120 §7.2.1, §7.2.2; MIT's sendto_kdc):
 *  - UDP when the request is at most udp_preference_limit bytes (1465 by
 *    default), else TCP first; each server's preferred transport is tried
 *    before any server's other one; "tcp/" and "udp/" servers keep theirs.
 *  - TCP frames carry a 4-byte big-endian length; a reply length above
 *    KSSP_KDC_TCP_MAX (or with the reserved high bit set) is rejected
 *    before any of it is read.
 *  - A KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG over UDP restarts the request
 *    over TCP only; KDC_ERR_SVC_UNAVAILABLE moves on to the next KDC.
 *  - Waits: every address gets 1 s in the first pass, then the open UDP
 *    sockets are all watched for 2 s; later passes double both (3 passes),
 *    all of it cut off at the request bound (krb5.conf request_timeout,
 *    30 s by default).  A UDP socket is connected to the address asked, so
 *    the kernel drops datagrams from anyone else; the source is checked too.
 *  - Replies that are not an AS-REP, TGS-REP or KRB-ERROR by their first
 *    byte are discarded and the wait goes on; with KSSP_TRANSPORT_KPASSWD
 *    the servers are the realm's kpasswd servers (kdc/locate_int.h) and an
 *    RFC 3244 reply frame is accepted too.
 * Every step is traced (KDC address, UDP/TCP, sizes, error codes).
 *
 * The transport that replays or records a conversation is kdc/recording_int.h's.
 */
#ifndef KSSP_KDC_TRANSPORT_INT_H
#define KSSP_KDC_TRANSPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "kdc/config_int.h"
#include "kdc/recording_int.h"

/* The largest reply accepted over TCP: 1 MiB. */
#define KSSP_KDC_TCP_MAX ((uint32_t)1 << 20)

/* A KDC request or reply larger than this is refused outright. */
#define KSSP_KDC_MSG_MAX ((size_t)1 << 20)

/*
 * Sends req to realm through h's transport hook, else the network.  flags
 * is a set of KSSP_TRANSPORT_* bits.  The reply is kssp_malloc'd; the
 * caller frees it with kssp_free.
 */
kssp_err kssp_transport_send(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, const uint8_t *req, size_t req_len, int flags,
    uint8_t **reply, size_t *reply_len);

/* The network transport on its own (h: random source and trace only). */
kssp_err kssp_transport_network(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, const uint8_t *req, size_t req_len, int flags,
    uint8_t **reply, size_t *reply_len);

/* The monotonic clock in milliseconds: the deadlines of every network wait in kdc/. */
int64_t kssp_transport_now_ms(void);

/*
 * Waits for events (POLLIN, POLLOUT) on fd until the monotonic deadline
 * until; a signal does not end the wait.  1: ready, 0: the deadline
 * passed, -1: poll failed (errno says why).
 */
int kssp_transport_wait(int fd, short events, int64_t until);

/*
 * A first look at a KDC reply, without decoding it: 11 (AS-REP), 13
 * (TGS-REP) or 30 (KRB-ERROR, its error-code in *error_code), else 0 for
 * anything else.
 */
int kssp_transport_reply_type(const uint8_t *msg, size_t len, int32_t *error_code);

/* A local address, as a HostAddress carries it (RFC 4120 §7.5.3 types). */
struct kssp_transport_source {
	int32_t addr_type; /* 2 IPv4, 24 IPv6 */
	uint8_t addr[16];
	size_t len;
};

/*
 * The address this host sends from towards the first reachable server of
 * realm that flags select (KSSP_TRANSPORT_KPASSWD: the kpasswd servers):
 * what KRB-PRIV's s-address must say (RFC 4120 §5.7.1), found as MIT
 * finds it, from a connected socket's name.
 */
kssp_err kssp_transport_source_address(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, int flags, struct kssp_transport_source *out);

#endif
