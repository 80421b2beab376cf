/*
 * kdc/locate_int.h - which KDCs serve a realm.
 *
 * The [realms] REALM kdc (or master_kdc) relations of krb5.conf come
 * first.  Only when the realm has none and dns_lookup_kdc is on are the
 * DNS SRV records asked (RFC 4120 §7.2.3.2, RFC 2782):
 * _kerberos._udp.REALM and _kerberos._tcp.REALM (_kerberos-master._udp /
 * _tcp for the master), ordered by priority, then by weighted random
 * choice within a priority.
 *
 * A server is written as MIT writes it: "host", "host:port",
 * "[v6addr]" or "[v6addr]:port", optionally prefixed "tcp/" or "udp/"
 * to restrict the transport.  The port defaults to 88.  A KDC proxy
 * (MS-KKDCP) is a URL, "https://host[:port][/path]" as MIT's
 * locate_kdc.c takes it: port 443 unless given, the path kept without
 * its leading '/'.  Names are not
 * resolved here: kdc/transport tries every address getaddrinfo returns.
 */
#ifndef KSSP_KDC_LOCATE_INT_H
#define KSSP_KDC_LOCATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "kdc/config_int.h"

enum kssp_kdc_proto {
	KSSP_KDC_PROTO_ANY = 0, /* UDP or TCP, as the request size prefers */
	KSSP_KDC_PROTO_UDP = 1,
	KSSP_KDC_PROTO_TCP = 2,
	KSSP_KDC_PROTO_HTTPS = 3, /* a KDC proxy: MS-KKDCP over HTTPS */
};

#define KSSP_KDC_HOST_MAX 256
#define KSSP_KDC_SERVERS_MAX 32
#define KSSP_KDC_PATH_MAX 256

struct kssp_kdc_server {
	char host[KSSP_KDC_HOST_MAX]; /* name or address literal, no brackets */
	uint16_t port;
	enum kssp_kdc_proto proto;
	char path[KSSP_KDC_PATH_MAX]; /* KSSP_KDC_PROTO_HTTPS: the URL's path, no leading '/' */
};

struct kssp_kdc_servers {
	struct kssp_kdc_server v[KSSP_KDC_SERVERS_MAX];
	size_t n;
	bool from_dns;  /* true when the list came from SRV records */
};

/* Parses one server as written in krb5.conf. */
kssp_err kssp_locate_parse_server(const char *text, struct kssp_kdc_server *out);

/*
 * Parses an "http://host[:port][/path]" URL (proto KSSP_KDC_PROTO_TCP,
 * port 80 by default) or an "https://" one (KSSP_KDC_PROTO_HTTPS, 443).
 */
kssp_err kssp_locate_parse_url(const char *url, struct kssp_kdc_server *out);

/*
 * The servers of realm, master ones only when master is set.  Fails with
 * KSSP_ERR_NO_KDC ("no KDC known for realm R") when there are none.
 * h may be NULL; its random source orders SRV weights, its trace sink
 * hears where the list came from.
 */
kssp_err kssp_locate_kdcs(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, bool master, struct kssp_kdc_servers *out);

/*
 * The kpasswd servers of realm (RFC 3244, port 464), as MIT finds them:
 * [realms] kpasswd_server, else admin_server's hosts on port 464, else
 * the DNS SRV records _kpasswd._udp / _tcp (with dns_lookup_kdc), else
 * the realm's KDCs on port 464.
 */
kssp_err kssp_locate_kpasswd(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, struct kssp_kdc_servers *out);

/*
 * Parses a DNS reply (RFC 1035 §4.1) and appends its SRV answers, in
 * RFC 2782 order, to out with transport proto.  A lone "." target means
 * "no service" and adds nothing.  Untrusted input: every byte is read
 * through the bounded cursor, compression pointers are bounded.
 */
kssp_err kssp_locate_parse_srv_reply(const uint8_t *msg, size_t len, enum kssp_kdc_proto proto,
    const struct kssp_hooks *h, struct kssp_kdc_servers *out);

#endif
