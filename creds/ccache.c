/* creds/ccache.c - MIT FILE credential caches: parse, encode, edit, store. */
#include "creds/ccache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "creds/credset_int.h"
#include "creds/file_int.h"

/* Header tag 1 (ccache_file_format.txt): the KDC time offset. */
#define FCC_TAG_DELTATIME 1

void kssp_ccache_init(struct kssp_ccache *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->version = KSSP_CCACHE_V4;
}

void kssp_ccache_free(struct kssp_ccache *cc)
{
	size_t i;

	for (i = 0; i < cc->n_creds; i++)
		kssp_cred_clear(&cc->creds[i]);
	kssp_free(cc->creds);
	kssp_free(cc->header_other.data);
	kssp_principal_free(cc->default_principal);
	kssp_ccache_init(cc);
}

kssp_err kssp_ccache_resolve(const char *name, char **path)
{
	static const char *const prefixes[] = { "FILE:", NULL };
	char dflt[64];

	if (!name || !*name)
		name = getenv("KRB5CCNAME");
	if (!name || !*name) {
		snprintf(dflt, sizeof(dflt), "/tmp/krb5cc_%lu", (unsigned long)getuid());
		name = dflt;
	}
	return kssp_creds_file_resolve(name, prefixes, "credential cache", path);
}

/* ---- parsing ------------------------------------------------------------ */

static kssp_err cut_short(const struct kssp_cursor *c, const char *what)
{
	return kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "credential cache: %s cut short", what);
}

/* A u32-counted string, pointing into the input. */
static kssp_err read_data(struct kssp_cursor *c, const char *what, size_t max,
    const uint8_t **p, size_t *len)
{
	uint32_t n;
	size_t at = kssp_cursor_offset(c);

	if (kssp_cursor_read_be32(c, &n))
		return cut_short(c, what);
	if (n > max)
		return kssp_fail(KSSP_ERR_LIMIT, "credential cache: %s at offset %zu claims %lu bytes",
		    what, at, (unsigned long)n);
	if (kssp_cursor_take(c, n, p))
		return kssp_fail(KSSP_ERR_TRUNCATED,
		    "credential cache: %s of %lu bytes at offset %zu runs past the end", what,
		    (unsigned long)n, at);
	*len = n;
	return KSSP_OK;
}

static kssp_err read_owned(struct kssp_cursor *c, const char *what, struct kssp_cred_data *d)
{
	const uint8_t *p;
	size_t n;
	kssp_err e = read_data(c, what, KSSP_CRED_MAX_DATA, &p, &n);

	return e ? e : kssp_cred_data_set(d, p, n);
}

static kssp_err read_principal(struct kssp_cursor *c, struct kssp_principal **out)
{
	struct kssp_pstring realm, comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	uint32_t name_type, count, i;
	const uint8_t *p = NULL;
	size_t at = kssp_cursor_offset(c);
	kssp_err e;

	kssp_cursor_read_be32(c, &name_type);
	if (kssp_cursor_read_be32(c, &count))
		return cut_short(c, "principal");
	if (count > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT,
		    "credential cache: principal at offset %zu claims %lu components", at,
		    (unsigned long)count);
	e = read_data(c, "realm", KSSP_PRINCIPAL_MAX_STRING, &p, &realm.length);
	realm.data = (char *)p;
	for (i = 0; !e && i < count; i++) {
		e = read_data(c, "principal component", KSSP_PRINCIPAL_MAX_STRING, &p,
		    &comps[i].length);
		comps[i].data = (char *)p;
	}
	if (e)
		return e;
	return kssp_principal_new(out, (int32_t)name_type, realm.data, realm.length, comps, count);
}

/* A list of (u16 type, data) pairs: addresses or authorization data. */
static kssp_err read_typed_list(struct kssp_cursor *c, const char *what,
    struct kssp_cred_typed_data **list, size_t *n_out)
{
	uint32_t count, i;
	uint16_t type;
	size_t at = kssp_cursor_offset(c);
	kssp_err e = KSSP_OK;

	if (kssp_cursor_read_be32(c, &count))
		return cut_short(c, what);
	if (count > KSSP_CRED_MAX_LIST)
		return kssp_fail(KSSP_ERR_LIMIT, "credential cache: %s count at offset %zu is %lu",
		    what, at, (unsigned long)count);
	if (!count)
		return KSSP_OK;
	*list = kssp_calloc(count, sizeof(**list));
	if (!*list)
		return kssp_fail(KSSP_ERR_NOMEM, "credential cache: out of memory");
	*n_out = count;
	for (i = 0; !e && i < count; i++) {
		if (kssp_cursor_read_be16(c, &type))
			return cut_short(c, what);
		(*list)[i].type = type;
		e = read_owned(c, what, &(*list)[i].value);
	}
	return e;
}

static kssp_err read_times(struct kssp_cursor *c, struct kssp_cred *cr)
{
	uint32_t t[4];
	size_t i;

	for (i = 0; i < 4; i++)
		kssp_cursor_read_be32(c, &t[i]);
	if (kssp_cursor_status(c))
		return cut_short(c, "credential times");
	/* Unsigned, as MIT reads them since 1.17: good until 2106. */
	cr->authtime = t[0];
	cr->starttime = t[1];
	cr->endtime = t[2];
	cr->renew_till = t[3];
	return KSSP_OK;
}

static kssp_err read_keyblock(struct kssp_cursor *c, uint16_t version, struct kssp_cred *cr)
{
	uint16_t keytype;

	kssp_cursor_read_be16(c, &keytype);
	/* Version 3 repeats the enctype in a second 16-bit field; that one counts. */
	if (version == KSSP_CCACHE_V3)
		kssp_cursor_read_be16(c, &keytype);
	if (kssp_cursor_status(c))
		return cut_short(c, "keyblock");
	cr->keytype = keytype;
	return read_owned(c, "session key", &cr->keyvalue);
}

static kssp_err read_cred(struct kssp_cursor *c, uint16_t version, struct kssp_cred *cr)
{
	uint8_t is_skey = 0;
	kssp_err e;

	memset(cr, 0, sizeof(*cr));
	if ((e = read_principal(c, &cr->client)) || (e = read_principal(c, &cr->server)) ||
	    (e = read_keyblock(c, version, cr)) || (e = read_times(c, cr)))
		goto out;
	kssp_cursor_read_u8(c, &is_skey);
	if (kssp_cursor_read_be32(c, &cr->ticket_flags)) {
		e = cut_short(c, "credential flags");
		goto out;
	}
	cr->is_skey = is_skey != 0;
	if ((e = read_typed_list(c, "address", &cr->addresses, &cr->n_addresses)) ||
	    (e = read_typed_list(c, "authdata", &cr->authdata, &cr->n_authdata)) ||
	    (e = read_owned(c, "ticket", &cr->ticket)))
		goto out;
	e = read_owned(c, "second ticket", &cr->second_ticket);
out:
	if (e)
		kssp_cred_clear(cr);
	return e;
}

static kssp_err read_header(struct kssp_cursor *c, struct kssp_ccache *cc)
{
	struct kssp_cursor hdr, val;
	struct kssp_writer other;
	uint16_t hlen, tag, tlen;
	kssp_err e = KSSP_OK;

	kssp_cursor_read_be16(c, &hlen);
	if (kssp_cursor_sub(c, hlen, &hdr))
		return cut_short(c, "header");
	kssp_writer_init_growable(&other, 0x10000);
	while (!e && !kssp_cursor_at_end(&hdr)) {
		size_t at = kssp_cursor_offset(&hdr);

		kssp_cursor_read_be16(&hdr, &tag);
		kssp_cursor_read_be16(&hdr, &tlen);
		if (kssp_cursor_sub(&hdr, tlen, &val)) {
			e = kssp_fail(KSSP_ERR_TRUNCATED,
			    "credential cache: header tag at offset %zu runs past the header", at);
		} else if (tag == FCC_TAG_DELTATIME) {
			uint32_t sec = 0, usec = 0;

			kssp_cursor_read_be32(&val, &sec);
			kssp_cursor_read_be32(&val, &usec);
			if (tlen != 8 || kssp_cursor_status(&val))
				e = kssp_fail(KSSP_ERR_BAD_ENCODING,
				    "credential cache: time offset tag of %u bytes, not 8", tlen);
			cc->has_time_offset = true;
			cc->time_offset = (int32_t)sec;
			cc->usec_offset = (int32_t)usec;
		} else {
			const uint8_t *p;

			kssp_cursor_take(&val, tlen, &p);
			kssp_writer_put_be16(&other, tag);
			kssp_writer_put_be16(&other, tlen);
			kssp_writer_put_bytes(&other, p, tlen);
		}
	}
	if (!e && other.len)
		e = kssp_cred_data_set(&cc->header_other, other.buf, other.len);
	kssp_writer_free(&other);
	return e;
}

static kssp_err grow_creds(struct kssp_ccache *cc, size_t *cap)
{
	return kssp_array_reserve(&cc->creds, cc->n_creds, cap, sizeof(*cc->creds),
	    KSSP_CCACHE_MAX_CREDS, "credential cache: credentials");
}

kssp_err kssp_ccache_parse(const uint8_t *data, size_t len, struct kssp_ccache *cc)
{
	struct kssp_cursor c;
	uint16_t version;
	size_t cap = 0;
	kssp_err e = KSSP_OK;

	kssp_ccache_init(cc);
	kssp_cursor_init(&c, data, len);
	if (kssp_cursor_read_be16(&c, &version))
		return kssp_fail(KSSP_ERR_TRUNCATED, "credential cache: shorter than its version");
	if (version != KSSP_CCACHE_V3 && version != KSSP_CCACHE_V4)
		return kssp_fail(version >> 8 == 5 ? KSSP_ERR_UNSUPPORTED : KSSP_ERR_BAD_ENCODING,
		    "credential cache: unknown version 0x%04x", version);
	cc->version = version;
	if (version == KSSP_CCACHE_V4)
		e = read_header(&c, cc);
	if (!e)
		e = read_principal(&c, &cc->default_principal);
	while (!e && !kssp_cursor_at_end(&c)) {
		e = grow_creds(cc, &cap);
		if (!e)
			e = read_cred(&c, version, &cc->creds[cc->n_creds]);
		if (!e)
			cc->n_creds++;
	}
	if (e)
		kssp_ccache_free(cc);
	return e;
}

/* Reads and parses the cache at path, through fd when it holds the file's lock (else -1). */
static kssp_err read_file(int fd, const char *path, struct kssp_ccache *cc)
{
	uint8_t *data;
	size_t len;
	kssp_err e;

	kssp_ccache_init(cc);
	e = fd < 0 ? kssp_creds_file_read(path, &data, &len) :
	    kssp_creds_file_read_fd(fd, path, &data, &len);
	if (e)
		return e;
	e = kssp_ccache_parse(data, len, cc);
	kssp_free_secret(data, len);
	return e ? kssp_fail(e, "%s: %s", path, kssp_last_reason()) : KSSP_OK;
}

kssp_err kssp_ccache_read(const char *path, struct kssp_ccache *cc)
{
	return read_file(-1, path, cc);
}

/* ---- encoding ----------------------------------------------------------- */

static void put_data(struct kssp_writer *w, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		w->err = w->err ? w->err : KSSP_ERR_LIMIT;
		return;
	}
	kssp_writer_put_be32(w, (uint32_t)n);
	kssp_writer_put_bytes(w, p, n);
}

static void put_principal(struct kssp_writer *w, const struct kssp_principal *p)
{
	size_t i;

	kssp_writer_put_be32(w, (uint32_t)p->name_type);
	kssp_writer_put_be32(w, (uint32_t)p->n_name_string);
	put_data(w, p->realm.data, p->realm.length);
	for (i = 0; i < p->n_name_string; i++)
		put_data(w, p->name_string[i].data, p->name_string[i].length);
}

static void put_time(struct kssp_writer *w, int64_t t)
{
	if (t < 0 || t > (int64_t)UINT32_MAX) {
		w->err = w->err ? w->err : KSSP_ERR_LIMIT;
		return;
	}
	kssp_writer_put_be32(w, (uint32_t)t);
}

static void put_typed_list(struct kssp_writer *w, const struct kssp_cred_typed_data *l, size_t n)
{
	size_t i;

	kssp_writer_put_be32(w, (uint32_t)n);
	for (i = 0; i < n; i++) {
		kssp_writer_put_be16(w, (uint16_t)l[i].type);
		put_data(w, l[i].value.data, l[i].value.length);
	}
}

static void put_cred(struct kssp_writer *w, const struct kssp_cred *cr)
{
	put_principal(w, cr->client);
	put_principal(w, cr->server);
	kssp_writer_put_be16(w, (uint16_t)cr->keytype);
	put_data(w, cr->keyvalue.data, cr->keyvalue.length);
	put_time(w, cr->authtime);
	put_time(w, cr->starttime);
	put_time(w, cr->endtime);
	put_time(w, cr->renew_till);
	kssp_writer_put_u8(w, cr->is_skey ? 1 : 0);
	kssp_writer_put_be32(w, cr->ticket_flags);
	put_typed_list(w, cr->addresses, cr->n_addresses);
	put_typed_list(w, cr->authdata, cr->n_authdata);
	put_data(w, cr->ticket.data, cr->ticket.length);
	put_data(w, cr->second_ticket.data, cr->second_ticket.length);
}

kssp_err kssp_ccache_encode(const struct kssp_ccache *cc, struct kssp_writer *w)
{
	size_t hlen = cc->header_other.length + (cc->has_time_offset ? 12 : 0), i;

	if (!cc->default_principal)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "credential cache: no default principal");
	if (hlen > 0xffff)
		return kssp_fail(KSSP_ERR_LIMIT, "credential cache: header too long");
	kssp_writer_put_be16(w, KSSP_CCACHE_V4);
	kssp_writer_put_be16(w, (uint16_t)hlen);
	if (cc->has_time_offset) {
		kssp_writer_put_be16(w, FCC_TAG_DELTATIME);
		kssp_writer_put_be16(w, 8);
		kssp_writer_put_be32(w, (uint32_t)cc->time_offset);
		kssp_writer_put_be32(w, (uint32_t)cc->usec_offset);
	}
	kssp_writer_put_bytes(w, cc->header_other.data, cc->header_other.length);
	put_principal(w, cc->default_principal);
	for (i = 0; i < cc->n_creds; i++)
		put_cred(w, &cc->creds[i]);
	if (kssp_writer_status(w))
		return kssp_fail(kssp_writer_status(w),
		    "credential cache: a field does not fit the file format");
	return KSSP_OK;
}

/*
 * Writes cc over the locked file fd, in place (not fsync'd: a kinit
 * rebuilds a cache), or (fd < 0) as a whole new file (a cache: see
 * file_int.h).
 */
static kssp_err write_file(int fd, const struct kssp_ccache *cc, const char *path)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_CREDS_FILE_MAX);
	e = kssp_ccache_encode(cc, &w);
	if (!e)
		e = fd >= 0 ? kssp_creds_file_rewrite(fd, path, w.buf, w.len, false) :
		    kssp_creds_file_replace_as(path, w.buf, w.len, false);
	kssp_writer_free(&w);
	return e;
}

kssp_err kssp_ccache_write(const struct kssp_ccache *cc, const char *path)
{
	return write_file(-1, cc, path);
}

/* ---- editing ------------------------------------------------------------ */

kssp_err kssp_ccache_reset(struct kssp_ccache *cc, const struct kssp_principal *principal)
{
	struct kssp_principal *copy;
	kssp_err e = kssp_principal_copy(principal, &copy);

	if (e)
		return e;
	kssp_ccache_free(cc);
	cc->default_principal = copy;
	return KSSP_OK;
}

kssp_err kssp_ccache_add(struct kssp_ccache *cc, const struct kssp_cred *cred)
{
	size_t cap = cc->n_creds;
	kssp_err e = grow_creds(cc, &cap);

	if (!e)
		e = kssp_cred_copy(cred, &cc->creds[cc->n_creds]);
	if (!e)
		cc->n_creds++;
	return e;
}

static bool same_entry(const struct kssp_cred *a, const struct kssp_cred *b)
{
	return kssp_principal_equal(a->server, b->server) &&
	    kssp_principal_equal(a->client, b->client);
}

/* Drops creds[i], keeping the order of the rest. */
static void drop_cred(struct kssp_ccache *cc, size_t i)
{
	kssp_cred_clear(&cc->creds[i]);
	memmove(&cc->creds[i], &cc->creds[i + 1], (cc->n_creds - i - 1) * sizeof(cc->creds[0]));
	cc->n_creds--;
}

kssp_err kssp_ccache_replace(struct kssp_ccache *cc, const struct kssp_cred *cred)
{
	struct kssp_cred copy;
	size_t i;
	bool placed = false;
	kssp_err e = kssp_cred_copy(cred, &copy);

	if (e)
		return e;
	for (i = 0; i < cc->n_creds;) {
		if (!same_entry(&cc->creds[i], cred)) {
			i++;
		} else if (!placed) {
			kssp_cred_clear(&cc->creds[i]);
			cc->creds[i++] = copy;
			placed = true;
		} else {
			drop_cred(cc, i);
		}
	}
	if (placed)
		return KSSP_OK;
	e = kssp_ccache_add(cc, &copy);
	kssp_cred_clear(&copy);
	return e;
}

static kssp_err no_ticket(const struct kssp_principal *server)
{
	char *name = NULL;

	kssp_principal_unparse(server, 0, &name);
	kssp_fail(KSSP_ERR_NOT_FOUND, "credential cache: no ticket for %s", name ? name : "?");
	kssp_free(name);
	return KSSP_ERR_NOT_FOUND;
}

kssp_err kssp_ccache_remove(struct kssp_ccache *cc, const struct kssp_principal *server,
    size_t *removed)
{
	size_t i, gone = 0;

	for (i = 0; i < cc->n_creds;) {
		if (!kssp_cred_is_config(&cc->creds[i]) &&
		    kssp_principal_equal(cc->creds[i].server, server)) {
			drop_cred(cc, i);
			gone++;
		} else {
			i++;
		}
	}
	if (removed)
		*removed = gone;
	return gone ? KSSP_OK : no_ticket(server);
}

kssp_err kssp_ccache_find(const struct kssp_ccache *cc, const struct kssp_principal *client,
    const struct kssp_principal *server, const struct kssp_cred **out)
{
	/* Expired tickets too: the caller judges (a TGT past its end may still be renewed). */
	*out = kssp_creds_best(cc->creds, cc->n_creds, client, server, INT64_MIN);
	return *out ? KSSP_OK : no_ticket(server);
}

/* The server name of a configuration entry: krb5_ccache_conf_data/KEY[/PRINCIPAL]@X-CACHECONF: */
static kssp_err config_name(const struct kssp_principal *principal, const char *key,
    struct kssp_principal **out)
{
	const char *parts[3] = { KSSP_CACHECONF_NAME, key, NULL };
	char *pname = NULL;
	kssp_err e;

	if (principal) {
		e = kssp_principal_unparse(principal, 0, &pname);
		if (e)
			return e;
		parts[2] = pname;
	}
	e = kssp_principal_build(out, KSSP_NT_UNKNOWN, KSSP_CACHECONF_REALM, principal ? 3 : 2,
	    parts);
	kssp_free(pname);
	return e;
}

static struct kssp_cred *find_config(const struct kssp_ccache *cc,
    const struct kssp_principal *name)
{
	size_t i;

	for (i = 0; i < cc->n_creds; i++)
		if (kssp_cred_is_config(&cc->creds[i]) &&
		    kssp_principal_equal(cc->creds[i].server, name))
			return &cc->creds[i];
	return NULL;
}

kssp_err kssp_ccache_get_config(const struct kssp_ccache *cc,
    const struct kssp_principal *principal, const char *key,
    const struct kssp_cred_data **value)
{
	struct kssp_principal *name;
	struct kssp_cred *cr;
	kssp_err e = config_name(principal, key, &name);

	*value = NULL;
	if (e)
		return e;
	cr = find_config(cc, name);
	kssp_principal_free(name);
	if (!cr)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "credential cache: no configuration entry %s",
		    key);
	*value = &cr->ticket;
	return KSSP_OK;
}

kssp_err kssp_ccache_set_config(struct kssp_ccache *cc, const struct kssp_principal *principal,
    const char *key, const void *value, size_t len)
{
	struct kssp_cred cr;
	kssp_err e;

	if (!cc->default_principal)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "credential cache: no default principal");
	memset(&cr, 0, sizeof(cr));
	e = config_name(principal, key, &cr.server);
	if (!e)
		e = kssp_principal_copy(cc->default_principal, &cr.client);
	if (!e)
		e = kssp_cred_data_set(&cr.ticket, value, len);
	if (!e)
		e = kssp_cred_data_set(&cr.keyvalue, "", 0);
	if (!e)
		e = kssp_cred_data_set(&cr.second_ticket, "", 0);
	if (!e)
		e = kssp_ccache_replace(cc, &cr);
	kssp_cred_clear(&cr);
	return e;
}

kssp_err kssp_ccache_store(const char *path, const struct kssp_cred *cred)
{
	return kssp_ccache_store_all(path, cred, 1);
}

kssp_err kssp_ccache_store_all(const char *path, const struct kssp_cred *creds, size_t n)
{
	struct kssp_ccache cc;
	size_t i;
	int fd;
	kssp_err e = kssp_creds_file_lock(path, false, &fd);

	if (e)
		return e;
	e = read_file(fd, path, &cc);
	for (i = 0; !e && i < n; i++)
		e = kssp_ccache_replace(&cc, &creds[i]);
	if (!e)
		e = write_file(fd, &cc, path);
	kssp_ccache_free(&cc);
	kssp_creds_file_unlock(fd);
	return e;
}

kssp_err kssp_ccache_destroy(const char *path)
{
	return kssp_creds_file_remove(path);
}
