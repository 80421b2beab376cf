/* creds/principal.c - principal names: building, text form, Windows forms, salts. */
#include "creds/principal_int.h"

#include <string.h>

#include "base/base.h"

/* Copies len bytes and a NUL to *at, and points s at them. */
static void pstring_place(struct kssp_pstring *s, char **at, const char *data, size_t len)
{
	s->data = *at;
	s->length = len;
	if (len)
		memcpy(*at, data, len);
	(*at)[len] = 0;
	*at += len + 1;
}

void kssp_principal_free(struct kssp_principal *p)
{
	kssp_free(p);
}

/*
 * One block holds the principal, its component table and every string
 * (a name is built once and read often): one allocation, not 2 + n.
 */
kssp_err kssp_principal_new(struct kssp_principal **out, int32_t name_type,
    const char *realm, size_t realm_len, const struct kssp_pstring *components,
    size_t n_components)
{
	struct kssp_principal *p;
	size_t i, size;
	char *at;

	*out = NULL;
	if (n_components > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "principal: more than %d components",
		    KSSP_PRINCIPAL_MAX_COMPONENTS);
	if (!realm)
		realm_len = 0;
	/* Each string bounded first, so that the sum (at most 33 of them) cannot overflow. */
	size = sizeof(*p) + n_components * sizeof(p->name_string[0]);
	for (i = 0; i <= n_components; i++) {
		size_t len = i < n_components ? components[i].length : realm_len;

		if (len > KSSP_PRINCIPAL_MAX_STRING)
			return kssp_fail(KSSP_ERR_LIMIT, "principal: a name part is longer than %d bytes",
			    KSSP_PRINCIPAL_MAX_STRING);
		size += len + 1;
	}
	p = kssp_malloc(size);
	if (!p)
		return kssp_fail(KSSP_ERR_NOMEM, "principal: out of memory");
	p->name_type = name_type;
	p->n_name_string = n_components;
	at = (char *)(p->name_string + n_components);
	pstring_place(&p->realm, &at, realm ? realm : "", realm_len);
	for (i = 0; i < n_components; i++)
		pstring_place(&p->name_string[i], &at, components[i].data, components[i].length);
	*out = p;
	return KSSP_OK;
}

kssp_err kssp_principal_build(struct kssp_principal **out, int32_t name_type,
    const char *realm, size_t n, const char *const *components)
{
	struct kssp_pstring parts[KSSP_PRINCIPAL_MAX_COMPONENTS];
	size_t i;

	*out = NULL;
	if (n > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "principal: more than %d components",
		    KSSP_PRINCIPAL_MAX_COMPONENTS);
	for (i = 0; i < n; i++) {
		parts[i].data = (char *)components[i];
		parts[i].length = strlen(components[i]);
	}
	return kssp_principal_new(out, name_type, realm, realm ? strlen(realm) : 0, parts, n);
}

kssp_err kssp_principal_copy(const struct kssp_principal *in, struct kssp_principal **out)
{
	return kssp_principal_new(out, in->name_type, in->realm.data, in->realm.length,
	    in->name_string, in->n_name_string);
}

/* ---- the text form ------------------------------------------------------ */

/* One name part being collected by the parser, bounded like the result. */
struct part_buf {
	char data[KSSP_PRINCIPAL_MAX_STRING];
	size_t length;
};

static kssp_err part_put(struct part_buf *b, char c)
{
	if (b->length >= sizeof(b->data))
		return kssp_fail(KSSP_ERR_LIMIT, "principal: a name part is longer than %d bytes",
		    KSSP_PRINCIPAL_MAX_STRING);
	b->data[b->length++] = c;
	return KSSP_OK;
}

/* The character an escape "\c" stands for (RFC 1964 §2.1.1 and MIT's additions). */
static char unescape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'b': return '\b';
	case '0': return '\0';
	default: return c;
	}
}

/* A trailing lone backslash is an error; checked before splitting. */
static kssp_err check_escapes(const char *text)
{
	struct kssp_cursor c;
	uint8_t ch;

	kssp_cursor_init(&c, text, strlen(text));
	while (!kssp_cursor_at_end(&c)) {
		kssp_cursor_read_u8(&c, &ch);
		if (ch == '\\' && kssp_cursor_read_u8(&c, &ch))
			return kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "principal '%s': ends in a lone backslash", text);
	}
	return KSSP_OK;
}

/* The parser's state: the parts collected so far. */
struct parse_state {
	struct part_buf parts[KSSP_PRINCIPAL_MAX_COMPONENTS];
	size_t n_parts;
	struct part_buf realm;
	bool has_realm;
};

static kssp_err next_component(struct parse_state *st, const char *text)
{
	if (st->n_parts >= KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "principal '%s': more than %d components", text,
		    KSSP_PRINCIPAL_MAX_COMPONENTS);
	st->parts[st->n_parts++].length = 0;
	return KSSP_OK;
}

/*
 * Splits text into components and realm.  In enterprise mode '/' is an
 * ordinary character and the last unescaped '@' starts the realm only when
 * the name keeps an '@' of its own ("u@d@REALM", "u\@d@REALM"); in
 * "u@d" the '@' is the name's.
 */
static kssp_err split_text(const char *text, bool enterprise, struct parse_state *st)
{
	struct kssp_cursor c;
	size_t seen = 0;
	uint8_t ch;
	kssp_err e;

	e = check_escapes(text);
	if (e)
		return e;
	st->n_parts = 0;
	st->has_realm = false;
	e = next_component(st, text);
	kssp_cursor_init(&c, text, strlen(text));
	while (!e && !kssp_cursor_at_end(&c)) {
		struct part_buf *cur = st->has_realm ? &st->realm : &st->parts[st->n_parts - 1];
		bool realm_sep;

		kssp_cursor_read_u8(&c, &ch);
		if (ch == '\\') {
			kssp_cursor_read_u8(&c, &ch);
			e = part_put(cur, unescape((char)ch));
			continue;
		}
		if (ch == '@')
			seen++;
		realm_sep = ch == '@' && (!enterprise || seen == 2);
		if (st->has_realm && (ch == '/' || ch == '@'))
			return kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "principal '%s': unescaped '%c' in the realm", text, ch);
		if (realm_sep) {
			st->has_realm = true;
			st->realm.length = 0;
		} else if (ch == '/' && !enterprise) {
			e = next_component(st, text);
		} else {
			e = part_put(cur, (char)ch);
		}
	}
	return e;
}

static int32_t guess_name_type(const struct parse_state *st)
{
	/* MIT gives krbtgt/REALM names NT-SRV-INST (RFC 4120 §7.3). */
	if (st->n_parts == 2 && st->parts[0].length == 6 &&
	    memcmp(st->parts[0].data, "krbtgt", 6) == 0)
		return KSSP_NT_SRV_INST;
	/* RFC 6111 §2: WELLKNOWN/... names carry NT-WELLKNOWN. */
	if (st->n_parts == 2 && st->parts[0].length == 9 &&
	    memcmp(st->parts[0].data, "WELLKNOWN", 9) == 0)
		return KSSP_NT_WELLKNOWN;
	return KSSP_NT_PRINCIPAL;
}

kssp_err kssp_principal_parse(const char *text, unsigned flags, const char *default_realm,
    struct kssp_principal **out)
{
	struct kssp_pstring comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	struct parse_state *st;
	const char *realm;
	size_t realm_len, i;
	bool enterprise = (flags & KSSP_PARSE_ENTERPRISE) != 0;
	kssp_err e;

	*out = NULL;
	if (!text || !*text)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "principal: empty name");
	st = kssp_malloc(sizeof(*st));
	if (!st)
		return kssp_fail(KSSP_ERR_NOMEM, "principal: out of memory");
	e = split_text(text, enterprise, st);
	if (!e && st->has_realm && (flags & KSSP_PARSE_NO_REALM))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "principal '%s': a realm is not allowed here",
		    text);
	if (!e && !st->has_realm && (flags & KSSP_PARSE_REQUIRE_REALM))
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "principal '%s': no realm", text);
	if (!e) {
		for (i = 0; i < st->n_parts; i++) {
			comps[i].data = st->parts[i].data;
			comps[i].length = st->parts[i].length;
		}
		realm = st->has_realm ? st->realm.data : default_realm;
		realm_len = st->has_realm ? st->realm.length : (realm ? strlen(realm) : 0);
		e = kssp_principal_new(out, enterprise ? KSSP_NT_ENTERPRISE : guess_name_type(st),
		    realm, realm_len, comps, st->n_parts);
	}
	kssp_free(st);
	return e;
}

/* Writes one name part, escaping what the parser would read as syntax. */
static void put_escaped(struct kssp_writer *w, const struct kssp_pstring *s, unsigned flags)
{
	size_t i;

	for (i = 0; i < s->length; i++) {
		char ch = s->data[i];
		const char *esc = NULL;

		if (!(flags & KSSP_UNPARSE_DISPLAY)) {
			switch (ch) {
			case '/': esc = "\\/"; break;
			case '@': esc = "\\@"; break;
			case '\\': esc = "\\\\"; break;
			case '\n': esc = "\\n"; break;
			case '\t': esc = "\\t"; break;
			case '\b': esc = "\\b"; break;
			case '\0': esc = "\\0"; break;
			default: break;
			}
		}
		if (esc)
			kssp_writer_put_bytes(w, esc, 2);
		else
			kssp_writer_put_u8(w, (uint8_t)ch);
	}
}

/* Appends the text form (no NUL) to w. */
static void unparse_to(const struct kssp_principal *p, unsigned flags, struct kssp_writer *w)
{
	size_t i;

	for (i = 0; i < p->n_name_string; i++) {
		if (i)
			kssp_writer_put_u8(w, '/');
		put_escaped(w, &p->name_string[i], flags);
	}
	if (!(flags & KSSP_UNPARSE_NO_REALM)) {
		kssp_writer_put_u8(w, '@');
		put_escaped(w, &p->realm, flags);
	}
}

kssp_err kssp_principal_unparse(const struct kssp_principal *p, unsigned flags, char **out)
{
	struct kssp_writer w;
	size_t len;
	uint8_t *buf;
	kssp_err e;

	*out = NULL;
	kssp_writer_init_growable(&w, 0);
	unparse_to(p, flags, &w);
	kssp_writer_put_u8(&w, 0);
	e = kssp_writer_detach(&w, &buf, &len);
	if (e)
		return kssp_fail(e, "principal: cannot format the name");
	*out = (char *)buf;
	return KSSP_OK;
}

/* ---- Windows forms and host-based services ------------------------------ */

static void ascii_upper(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
}

/* ASCII only: DNS and realm names, the same in every locale. */
static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static void ascii_lower(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = lower(s[i]);
}

/* A one-component principal whose realm is realm (NULL: empty), upper-cased when asked. */
static kssp_err one_component(struct kssp_principal **out, int32_t name_type, const char *name,
    size_t name_len, const char *realm, size_t realm_len, bool upper_realm)
{
	struct kssp_pstring user = { (char *)name, name_len };
	kssp_err e = kssp_principal_new(out, name_type, realm, realm ? realm_len : 0, &user, 1);

	if (!e && upper_realm)
		ascii_upper((*out)->realm.data, (*out)->realm.length);
	return e;
}

kssp_err kssp_principal_parse_windows(const char *text, const char *default_realm,
    bool as_enterprise, struct kssp_principal **out)
{
	size_t dlen = default_realm ? strlen(default_realm) : 0;
	const char *bs, *at;

	*out = NULL;
	if (!text || !*text)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "principal: empty name");
	bs = strchr(text, '\\');
	at = strrchr(text, '@');
	if (bs && !at) {
		/* DOMAIN\user: the NetBIOS domain name stands for the realm. */
		if (bs == text || !bs[1])
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "principal '%s': expected DOMAIN\\user",
			    text);
		return one_component(out, KSSP_NT_PRINCIPAL, bs + 1, strlen(bs + 1), text,
		    (size_t)(bs - text), true);
	}
	if (at && as_enterprise)
		return one_component(out, KSSP_NT_ENTERPRISE, text, strlen(text), default_realm, dlen,
		    false);
	if (at) {
		/* user@dns.domain: the UPN's suffix is the realm, upper-cased. */
		if (at == text || !at[1] || bs)
			return kssp_fail(KSSP_ERR_BAD_ENCODING, "principal '%s': expected user@domain",
			    text);
		return one_component(out, KSSP_NT_PRINCIPAL, text, (size_t)(at - text), at + 1,
		    strlen(at + 1), true);
	}
	return one_component(out, KSSP_NT_PRINCIPAL, text, strlen(text), default_realm, dlen, false);
}

kssp_err kssp_principal_host_service(const char *text, const char *realm,
    struct kssp_principal **out)
{
	struct kssp_pstring parts[2];
	const char *sep;
	kssp_err e;

	*out = NULL;
	if (!text)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "principal: no service name");
	sep = strchr(text, '@');
	if (!sep)
		sep = strchr(text, '/');
	if (!sep || sep == text || !sep[1] || strchr(sep + 1, '@') || strchr(sep + 1, '/'))
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "service name '%s': expected service@host", text);
	parts[0].data = (char *)text;
	parts[0].length = (size_t)(sep - text);
	parts[1].data = (char *)sep + 1;
	parts[1].length = strlen(sep + 1);
	e = kssp_principal_new(out, KSSP_NT_SRV_HST, realm, realm ? strlen(realm) : 0, parts, 2);
	if (!e)
		ascii_lower((*out)->name_string[1].data, (*out)->name_string[1].length);
	return e;
}

static bool ascii_ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

const char *kssp_principal_host_realm(const char *host, const struct kssp_domain_realm *map,
    size_t n)
{
	size_t hlen = strlen(host), i, best_len = 0;
	const char *best = NULL;

	for (i = 0; i < n; i++) {
		size_t dlen = strlen(map[i].domain);

		if (dlen == hlen && ascii_ieq(host, map[i].domain, hlen))
			return map[i].realm;
		/* ".example.com" covers every host below example.com, and example.com itself. */
		if (dlen > 1 && map[i].domain[0] == '.' && dlen > best_len) {
			if ((hlen > dlen && ascii_ieq(host + hlen - dlen, map[i].domain, dlen)) ||
			    (hlen == dlen - 1 && ascii_ieq(host, map[i].domain + 1, hlen))) {
				best = map[i].realm;
				best_len = dlen;
			}
		}
	}
	return best;
}

/* ---- salts -------------------------------------------------------------- */

static void put_lower(struct kssp_writer *w, const char *s, size_t n)
{
	uint8_t *dst = kssp_writer_reserve(w, n);

	if (!dst)
		return;
	memcpy(dst, s, n);
	ascii_lower((char *)dst, n);
}

kssp_err kssp_principal_salt(const struct kssp_principal *p, enum kssp_salt_style style,
    struct kssp_writer *w)
{
	size_t i;

	if (style == KSSP_SALT_WINDOWS && p->n_name_string == 1) {
		const struct kssp_pstring *name = &p->name_string[0];
		const char *at = memchr(name->data, '@', name->length);

		if (p->name_type != KSSP_NT_ENTERPRISE && name->length > 1 &&
		    name->data[name->length - 1] == '$') {
			/* Computer account NAME$: REALM "host" name "." realm, lower-cased. */
			kssp_writer_put_bytes(w, p->realm.data, p->realm.length);
			kssp_writer_put_bytes(w, "host", 4);
			put_lower(w, name->data, name->length - 1);
			kssp_writer_put_u8(w, '.');
			put_lower(w, p->realm.data, p->realm.length);
			return kssp_writer_status(w);
		}
		if (p->name_type == KSSP_NT_ENTERPRISE && at) {
			kssp_writer_put_bytes(w, p->realm.data, p->realm.length);
			kssp_writer_put_bytes(w, name->data, (size_t)(at - name->data));
			return kssp_writer_status(w);
		}
	}
	kssp_writer_put_bytes(w, p->realm.data, p->realm.length);
	for (i = 0; i < p->n_name_string; i++)
		kssp_writer_put_bytes(w, p->name_string[i].data, p->name_string[i].length);
	return kssp_writer_status(w);
}

/* ---- comparisons -------------------------------------------------------- */

static bool pstring_eq(const struct kssp_pstring *a, const struct kssp_pstring *b)
{
	return a->length == b->length && memcmp(a->data, b->data, a->length) == 0;
}

bool kssp_principal_equal_no_realm(const struct kssp_principal *a,
    const struct kssp_principal *b)
{
	size_t i;

	if (a->n_name_string != b->n_name_string)
		return false;
	for (i = 0; i < a->n_name_string; i++)
		if (!pstring_eq(&a->name_string[i], &b->name_string[i]))
			return false;
	return true;
}

bool kssp_principal_equal(const struct kssp_principal *a, const struct kssp_principal *b)
{
	return pstring_eq(&a->realm, &b->realm) && kssp_principal_equal_no_realm(a, b);
}

bool kssp_principal_realm_is(const struct kssp_principal *p, const char *realm)
{
	return strlen(realm) == p->realm.length && memcmp(p->realm.data, realm, p->realm.length) == 0;
}

bool kssp_principal_is_tgs(const struct kssp_principal *p)
{
	return p->n_name_string == 2 && p->name_string[0].length == 6 &&
	    memcmp(p->name_string[0].data, "krbtgt", 6) == 0;
}

const struct kssp_pstring *kssp_principal_tgs_realm(const struct kssp_principal *p)
{
	return kssp_principal_is_tgs(p) ? &p->name_string[1] : NULL;
}
