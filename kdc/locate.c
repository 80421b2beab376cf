/*
 * kdc/locate.c - KDC lists from krb5.conf, else from DNS SRV records.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "kdc/locate_int.h"

#include <arpa/nameser.h>
#include <ctype.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define KDC_PORT 88
#define KPASSWD_PORT 464

static kssp_err bad_server(const char *text, const char *why)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "KDC address '%s': %s", text, why);
}

static bool parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static kssp_err parse_host_port(const char *text, const char *s, struct kssp_kdc_server *out);

/*
 * "scheme://host[:port][/path]" (MIT locate_kdc.c), after the scheme's
 * skip characters: the path is what follows the first '/'.
 */
static kssp_err parse_url(const char *text, size_t skip, uint16_t port,
    enum kssp_kdc_proto proto, struct kssp_kdc_server *out)
{
	const char *authority = text + skip, *slash = strchr(authority, '/');
	size_t n = slash ? (size_t)(slash - authority) : strlen(authority);
	char host_port[KSSP_KDC_HOST_MAX + 8];

	if (n >= sizeof(host_port))
		return bad_server(text, "host name too long");
	if (slash && strlen(slash + 1) >= sizeof(out->path))
		return bad_server(text, "URL path too long");
	if (slash && strpbrk(slash + 1, " \r\n"))
		return bad_server(text, "invalid character in URL path");
	memcpy(host_port, authority, n);
	host_port[n] = '\0';
	out->proto = proto;
	out->port = port;
	snprintf(out->path, sizeof(out->path), "%s", slash ? slash + 1 : "");
	return parse_host_port(text, host_port, out);
}

static kssp_err parse_server(const char *text, uint16_t default_port,
    struct kssp_kdc_server *out)
{
	const char *s = text;

	memset(out, 0, sizeof(*out));
	out->port = default_port;
	if (strncasecmp(s, "https://", 8) == 0)
		return parse_url(text, 8, 443, KSSP_KDC_PROTO_HTTPS, out);
	if (strncasecmp(s, "tcp/", 4) == 0)
		out->proto = KSSP_KDC_PROTO_TCP, s += 4;
	else if (strncasecmp(s, "udp/", 4) == 0)
		out->proto = KSSP_KDC_PROTO_UDP, s += 4;
	else if (strstr(s, "://"))
		return bad_server(text, "the only URLs taken are https:// ones (a KDC proxy)");
	return parse_host_port(text, s, out);
}

static kssp_err parse_host_port(const char *text, const char *s, struct kssp_kdc_server *out)
{
	const char *host, *host_end, *port = NULL;

	if (*s == '[') {
		host = s + 1;
		host_end = strchr(host, ']');
		if (!host_end)
			return bad_server(text, "missing ']'");
		if (host_end[1] == ':')
			port = host_end + 2;
		else if (host_end[1] != '\0')
			return bad_server(text, "text after ']'");
	} else {
		const char *colon = strchr(s, ':');

		host = s;
		/* Two colons or more: a bare IPv6 address, which has no port. */
		if (colon && !strchr(colon + 1, ':')) {
			host_end = colon;
			port = colon + 1;
		} else {
			host_end = s + strlen(s);
		}
	}
	if (host_end == host)
		return bad_server(text, "no host");
	if ((size_t)(host_end - host) >= sizeof(out->host))
		return bad_server(text, "host name too long");
	if (memchr(host, ' ', (size_t)(host_end - host)) || memchr(host, '/', (size_t)(host_end - host)))
		return bad_server(text, "invalid character in host");
	if (port && !parse_port(port, &out->port))
		return bad_server(text, "port is not a number from 1 to 65535");
	memcpy(out->host, host, (size_t)(host_end - host));
	out->host[host_end - host] = '\0';
	return KSSP_OK;
}

kssp_err kssp_locate_parse_server(const char *text, struct kssp_kdc_server *out)
{
	return parse_server(text, KDC_PORT, out);
}

kssp_err kssp_locate_parse_url(const char *url, struct kssp_kdc_server *out)
{
	memset(out, 0, sizeof(*out));
	if (strncasecmp(url, "https://", 8) == 0)
		return parse_url(url, 8, 443, KSSP_KDC_PROTO_HTTPS, out);
	if (strncasecmp(url, "http://", 7) == 0)
		return parse_url(url, 7, 80, KSSP_KDC_PROTO_TCP, out);
	return bad_server(url, "not an http:// or https:// URL");
}

/* ---- DNS SRV --------------------------------------------------------- */

#define DNS_MAX_POINTERS 16
#define DNS_MAX_ANSWERS 64

/*
 * Reads a domain name (RFC 1035 §3.1, with §4.1.4 compression) at c into
 * text (may be NULL to skip).  Pointers are followed on a fresh cursor over
 * the whole message; each must point backwards, at most 16 of them.
 */
static kssp_err read_name(struct kssp_cursor *c, const uint8_t *msg, size_t msg_len,
    char *text, size_t cap)
{
	struct kssp_cursor at = *c, *cur = c;
	size_t out = 0, hops = 0, limit = kssp_cursor_offset(c);
	kssp_err e;

	for (;;) {
		uint8_t len;

		if ((e = kssp_cursor_read_u8(cur, &len)))
			return kssp_fail(e, "DNS reply: name cut short");
		if (len == 0)
			break;
		if ((len & 0xc0) == 0xc0) {
			uint8_t lo;
			size_t target;

			if ((e = kssp_cursor_read_u8(cur, &lo)))
				return kssp_fail(e, "DNS reply: compression pointer cut short");
			target = ((size_t)(len & 0x3f) << 8) | lo;
			if (++hops > DNS_MAX_POINTERS || target >= limit)
				return kssp_fail(KSSP_ERR_BAD_ENCODING,
				    "DNS reply: compression pointer loops or points forward");
			limit = target;
			if (cur == c)
				cur = &at;
			kssp_cursor_init(cur, msg, msg_len);
			if ((e = kssp_cursor_skip(cur, target)))
				return e;
			continue;
		}
		if (len & 0xc0)
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "DNS reply: unknown label type");
		if (text) {
			const uint8_t *label;

			if (out + len + 2 > cap)
				return kssp_fail(KSSP_ERR_LIMIT, "DNS reply: name too long");
			if ((e = kssp_cursor_take(cur, len, &label)))
				return kssp_fail(e, "DNS reply: label cut short");
			if (out)
				text[out++] = '.';
			memcpy(text + out, label, len);
			out += len;
		} else if ((e = kssp_cursor_skip(cur, len))) {
			return kssp_fail(e, "DNS reply: label cut short");
		}
	}
	if (text) {
		if (out == 0 && cap > 1)
			text[out++] = '.';
		text[out] = '\0';
	}
	return KSSP_OK;
}

struct srv {
	uint16_t priority, weight, port;
	char target[KSSP_KDC_HOST_MAX];
	bool taken;
};

static kssp_err read_srv(struct kssp_cursor *rdata, const uint8_t *msg, size_t len,
    struct srv *s)
{
	kssp_err e;

	kssp_cursor_read_be16(rdata, &s->priority);
	kssp_cursor_read_be16(rdata, &s->weight);
	if ((e = kssp_cursor_read_be16(rdata, &s->port)))
		return kssp_fail(e, "DNS reply: SRV record cut short");
	if ((e = read_name(rdata, msg, len, s->target, sizeof(s->target))))
		return e;
	s->taken = false;
	return kssp_cursor_expect_end(rdata, "DNS SRV record");
}

static int by_priority(const void *a, const void *b)
{
	const struct srv *x = a, *y = b;

	if (x->priority != y->priority)
		return (int)x->priority - (int)y->priority;
	/* RFC 2782: weight-0 records first so they get a small chance. */
	return (x->weight != 0) - (y->weight != 0);
}

/* RFC 2782 "Usage rules": weighted random choice within one priority. */
static kssp_err pick_weighted(struct srv *v, size_t from, size_t to, const struct kssp_hooks *h,
    struct srv **out)
{
	uint32_t total = 0, r, run = 0;
	size_t i;
	kssp_err e;

	for (i = from; i < to; i++)
		if (!v[i].taken)
			total += v[i].weight;
	if ((e = kssp_hooks_random(h, &r, sizeof(r))))
		return e;
	r = total ? r % (total + 1) : 0;
	for (i = from; i < to; i++) {
		if (v[i].taken)
			continue;
		run += v[i].weight;
		if (run >= r) {
			*out = &v[i];
			return KSSP_OK;
		}
	}
	return kssp_fail(KSSP_ERR_INTERNAL, "SRV weighting found no record");
}

static kssp_err append_ordered(struct srv *v, size_t n, enum kssp_kdc_proto proto,
    const struct kssp_hooks *h, struct kssp_kdc_servers *out)
{
	size_t from = 0, to, k;
	kssp_err e;

	qsort(v, n, sizeof(v[0]), by_priority);
	for (from = 0; from < n; from = to) {
		for (to = from; to < n && v[to].priority == v[from].priority; to++)
			;
		for (k = from; k < to; k++) {
			struct srv *pick = NULL;

			if ((e = pick_weighted(v, from, to, h, &pick)))
				return e;
			pick->taken = true;
			if (out->n < KSSP_KDC_SERVERS_MAX) {
				struct kssp_kdc_server *s = &out->v[out->n++];

				memcpy(s->host, pick->target, sizeof(s->host));
				s->port = pick->port;
				s->proto = proto;
			}
		}
	}
	return KSSP_OK;
}

kssp_err kssp_locate_parse_srv_reply(const uint8_t *msg, size_t len, enum kssp_kdc_proto proto,
    const struct kssp_hooks *h, struct kssp_kdc_servers *out)
{
	struct kssp_cursor c;
	uint16_t id, flags, qd, an, ns, ar, i;
	struct srv *v;
	size_t n = 0;
	kssp_err e;

	kssp_cursor_init(&c, msg, len);
	kssp_cursor_read_be16(&c, &id);
	kssp_cursor_read_be16(&c, &flags);
	kssp_cursor_read_be16(&c, &qd);
	kssp_cursor_read_be16(&c, &an);
	kssp_cursor_read_be16(&c, &ns);
	if ((e = kssp_cursor_read_be16(&c, &ar)))
		return kssp_fail(e, "DNS reply: header cut short");
	if (!(flags & 0x8000) || (flags & 0x000f) != 0)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "DNS reply: no answer (rcode %u)", flags & 0xf);
	if (an > DNS_MAX_ANSWERS)
		return kssp_fail(KSSP_ERR_LIMIT, "DNS reply: more than %d answers", DNS_MAX_ANSWERS);
	for (i = 0; i < qd; i++)
		if ((e = read_name(&c, msg, len, NULL, 0)) || (e = kssp_cursor_skip(&c, 4)))
			return kssp_fail(e, "DNS reply: question cut short");
	v = kssp_calloc(an ? an : 1, sizeof(*v));
	if (!v)
		return kssp_fail(KSSP_ERR_NOMEM, "DNS reply: out of memory");
	for (i = 0; i < an && !e; i++) {
		uint16_t type, class, rdlen;
		uint32_t ttl;
		struct kssp_cursor rdata;

		if ((e = read_name(&c, msg, len, NULL, 0)))
			break;
		kssp_cursor_read_be16(&c, &type);
		kssp_cursor_read_be16(&c, &class);
		kssp_cursor_read_be32(&c, &ttl);
		kssp_cursor_read_be16(&c, &rdlen);
		if ((e = kssp_cursor_sub(&c, rdlen, &rdata))) {
			e = kssp_fail(e, "DNS reply: answer cut short");
			break;
		}
		if (type != ns_t_srv || class != ns_c_in)
			continue;
		if ((e = read_srv(&rdata, msg, len, &v[n])))
			break;
		/* RFC 2782: a target of "." means the service is not offered. */
		if (strcmp(v[n].target, ".") != 0)
			n++;
	}
	if (!e)
		e = append_ordered(v, n, proto, h, out);
	kssp_free(v);
	return e;
}

static void dns_srv_lookup(const char *realm, const char *service, enum kssp_kdc_proto proto,
    const struct kssp_hooks *h, struct kssp_kdc_servers *out)
{
	char name[512];
	uint8_t reply[NS_PACKETSZ * 16];
	int n;

	if ((size_t)snprintf(name, sizeof(name), "%s.%s.", service, realm) >= sizeof(name))
		return;
	n = res_query(name, ns_c_in, ns_t_srv, reply, sizeof(reply));
	kssp_trace(h, "locate: DNS SRV %s: %s", name, n < 0 ? "no answer" : "answered");
	if (n > 0 && kssp_locate_parse_srv_reply(reply, (size_t)n < sizeof(reply) ? (size_t)n :
	    sizeof(reply), proto, h, out) != KSSP_OK)
		kssp_trace(h, "locate: DNS SRV %s: %s", name, kssp_last_reason());
}

/* The servers of one [realms] relation; a port of their own only when keep_port. */
static kssp_err relation_servers(const struct kssp_config *cfg, const char *realm,
    const char *relation, uint16_t port, bool keep_port, struct kssp_kdc_servers *out)
{
	const char *path[] = { "realms", realm, relation, NULL };
	const char *vals[KSSP_KDC_SERVERS_MAX];
	size_t n = kssp_config_get_all(cfg, path, vals, KSSP_KDC_SERVERS_MAX), i;
	kssp_err e;

	if (n > KSSP_KDC_SERVERS_MAX)
		n = KSSP_KDC_SERVERS_MAX;
	for (i = 0; i < n; i++) {
		if ((e = parse_server(vals[i], port, &out->v[out->n])))
			return e;
		if (!keep_port)
			out->v[out->n].port = port;
		out->n++;
	}
	return KSSP_OK;
}

kssp_err kssp_locate_kdcs(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, bool master, struct kssp_kdc_servers *out)
{
	kssp_err e;

	memset(out, 0, sizeof(*out));
	if ((e = relation_servers(cfg, realm, master ? "master_kdc" : "kdc", KDC_PORT, true, out)))
		return e;
	if (out->n > 0) {
		kssp_trace(h, "locate: %zu %sKDC(s) for %s from krb5.conf", out->n,
		    master ? "master " : "", realm);
		return KSSP_OK;
	}
	if (kssp_config_dns_lookup_kdc(cfg)) {
		dns_srv_lookup(realm, master ? "_kerberos-master._udp" : "_kerberos._udp",
		    KSSP_KDC_PROTO_UDP, h, out);
		dns_srv_lookup(realm, master ? "_kerberos-master._tcp" : "_kerberos._tcp",
		    KSSP_KDC_PROTO_TCP, h, out);
		out->from_dns = true;
	}
	if (out->n == 0)
		return kssp_fail(KSSP_ERR_NO_KDC, "no %sKDC known for realm %s",
		    master ? "master " : "", realm);
	return KSSP_OK;
}

kssp_err kssp_locate_kpasswd(const struct kssp_config *cfg, const struct kssp_hooks *h,
    const char *realm, struct kssp_kdc_servers *out)
{
	kssp_err e;
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((e = relation_servers(cfg, realm, "kpasswd_server", KPASSWD_PORT, true, out)) ||
	    (!out->n && (e = relation_servers(cfg, realm, "admin_server", KPASSWD_PORT, false, out))))
		return e;
	if (!out->n && kssp_config_dns_lookup_kdc(cfg)) {
		dns_srv_lookup(realm, "_kpasswd._udp", KSSP_KDC_PROTO_UDP, h, out);
		dns_srv_lookup(realm, "_kpasswd._tcp", KSSP_KDC_PROTO_TCP, h, out);
		out->from_dns = out->n > 0;
	}
	if (!out->n && kssp_locate_kdcs(cfg, h, realm, false, out) == KSSP_OK)
		for (i = 0; i < out->n; i++)
			out->v[i].port = KPASSWD_PORT;
	if (!out->n)
		return kssp_fail(KSSP_ERR_NO_KDC, "no kpasswd server known for realm %s", realm);
	kssp_trace(h, "locate: %zu kpasswd server(s) for %s", out->n, realm);
	return KSSP_OK;
}
