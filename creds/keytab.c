/* creds/keytab.c - MIT keytab files: parse, encode, look up, add, remove. */
#include "creds/keytab_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "creds/file_int.h"
#include "crypto/crypto.h"

void kssp_keytab_init(struct kssp_keytab *kt)
{
	memset(kt, 0, sizeof(*kt));
	kt->version = KSSP_KEYTAB_V2;
}

static void entry_clear(struct kssp_keytab_entry *en)
{
	kssp_principal_free(en->principal);
	kssp_free_secret(en->key, en->key_len);
	memset(en, 0, sizeof(*en));
}

void kssp_keytab_free(struct kssp_keytab *kt)
{
	size_t i;

	for (i = 0; i < kt->n_entries; i++)
		entry_clear(&kt->entries[i]);
	kssp_free(kt->entries);
	kssp_keytab_init(kt);
}

kssp_err kssp_keytab_resolve(const char *name, char **path)
{
	static const char *const prefixes[] = { "FILE:", "WRFILE:", NULL };

	if (!name || !*name)
		name = getenv("KRB5_KTNAME");
	if (!name || !*name)
		name = "/etc/krb5.keytab";
	return kssp_creds_file_resolve(name, prefixes, "keytab", path);
}

/* ---- parsing ------------------------------------------------------------ */

/* Version 0x0501 files are in the writer's native order; 0x0502 big-endian. */
static kssp_err read16(struct kssp_cursor *c, uint16_t version, uint16_t *v)
{
	return version == KSSP_KEYTAB_V1 ? kssp_cursor_read_le16(c, v) : kssp_cursor_read_be16(c, v);
}

static kssp_err read32(struct kssp_cursor *c, uint16_t version, uint32_t *v)
{
	return version == KSSP_KEYTAB_V1 ? kssp_cursor_read_le32(c, v) : kssp_cursor_read_be32(c, v);
}

/* A u16-counted string: points *out into the input. */
static kssp_err read_data(struct kssp_cursor *c, uint16_t version, const char *what,
    size_t max, struct kssp_pstring *out)
{
	uint16_t n;
	const uint8_t *p;

	if (read16(c, version, &n))
		return kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "keytab: %s cut short", what);
	if (n > max)
		return kssp_fail_at(KSSP_ERR_LIMIT, kssp_cursor_offset(c), "keytab: %s of %u bytes", what, n);
	if (kssp_cursor_take(c, n, &p))
		return kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "keytab: %s cut short", what);
	out->data = (char *)p;
	out->length = n;
	return KSSP_OK;
}

static kssp_err read_principal(struct kssp_cursor *c, uint16_t version,
    struct kssp_principal **out)
{
	struct kssp_pstring realm, comps[KSSP_PRINCIPAL_MAX_COMPONENTS];
	uint16_t count;
	uint32_t name_type = KSSP_NT_UNKNOWN;
	size_t i;
	kssp_err e;

	if (read16(c, version, &count))
		return kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "keytab: entry cut short");
	/* 0x0501 counts the realm among the components. */
	if (version == KSSP_KEYTAB_V1) {
		if (count == 0)
			return kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "keytab: entry at offset %zu has no realm", kssp_cursor_offset(c));
		count--;
	}
	if (count > KSSP_PRINCIPAL_MAX_COMPONENTS)
		return kssp_fail(KSSP_ERR_LIMIT, "keytab: entry at offset %zu claims %u components",
		    kssp_cursor_offset(c), count);
	e = read_data(c, version, "realm", KSSP_PRINCIPAL_MAX_STRING, &realm);
	for (i = 0; !e && i < count; i++)
		e = read_data(c, version, "principal component", KSSP_PRINCIPAL_MAX_STRING,
		    &comps[i]);
	if (!e && version != KSSP_KEYTAB_V1 && read32(c, version, &name_type))
		e = kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "keytab: name type cut short");
	if (e)
		return e;
	return kssp_principal_new(out, (int32_t)name_type, realm.data, realm.length, comps, count);
}

static kssp_err read_entry(struct kssp_cursor *c, uint16_t version, struct kssp_keytab_entry *en)
{
	struct kssp_pstring key;
	uint16_t keytype;
	uint8_t vno8;
	uint32_t vno32;
	kssp_err e;

	e = read_principal(c, version, &en->principal);
	if (e)
		return e;
	read32(c, version, &en->timestamp);
	kssp_cursor_read_u8(c, &vno8);
	if (read16(c, version, &keytype))
		return kssp_fail_at(KSSP_ERR_TRUNCATED, kssp_cursor_offset(c), "keytab: entry cut short");
	e = read_data(c, version, "key", KSSP_KEYTAB_MAX_KEY, &key);
	if (e)
		return e;
	en->keytype = keytype;
	en->vno = vno8;
	/* The 32-bit vno is optional: present when the record has room for it. */
	if (kssp_cursor_remaining(c) >= 4 && !read32(c, version, &vno32) && vno32 != 0)
		en->vno = vno32;
	if (!(en->key = kssp_memdup(key.data, key.length)))
		return kssp_fail(KSSP_ERR_NOMEM, "keytab: out of memory");
	en->key_len = key.length;
	return KSSP_OK;
}

static kssp_err grow_entries(struct kssp_keytab *kt, size_t *cap)
{
	return kssp_array_reserve(&kt->entries, kt->n_entries, cap, sizeof(*kt->entries),
	    KSSP_KEYTAB_MAX_ENTRIES, "keytab: entries");
}

/* Reads one record; *done is set at the end of the list. */
static kssp_err read_record(struct kssp_cursor *c, struct kssp_keytab *kt, size_t *cap,
    bool *done)
{
	struct kssp_cursor rec;
	uint32_t size;
	int32_t ssize;
	size_t at = kssp_cursor_offset(c);
	kssp_err e;

	if (read32(c, kt->version, &size))
		return kssp_fail_at(KSSP_ERR_TRUNCATED, at, "keytab: record size cut short");
	ssize = (int32_t)size;
	if (ssize == 0) {
		*done = true;
		return KSSP_OK;
	}
	if (ssize < 0) {
		/* A hole left by a removed entry: -size bytes to skip. */
		size_t hole = ssize == INT32_MIN ? (size_t)1 << 31 : (size_t)-ssize;

		if (kssp_cursor_skip(c, hole))
			return kssp_fail(KSSP_ERR_TRUNCATED,
			    "keytab: hole of %zu bytes at offset %zu runs past the end", hole, at);
		return KSSP_OK;
	}
	if (kssp_cursor_sub(c, (size_t)ssize, &rec))
		return kssp_fail(KSSP_ERR_TRUNCATED,
		    "keytab: record of %d bytes at offset %zu runs past the end", ssize, at);
	e = grow_entries(kt, cap);
	if (e)
		return e;
	e = read_entry(&rec, kt->version, &kt->entries[kt->n_entries]);
	if (e) {
		entry_clear(&kt->entries[kt->n_entries]);
		return e;
	}
	kt->n_entries++;
	return KSSP_OK;
}

kssp_err kssp_keytab_parse(const uint8_t *data, size_t len, struct kssp_keytab *kt)
{
	struct kssp_cursor c;
	uint8_t first, second;
	size_t cap = 0;
	bool done = false;
	kssp_err e = KSSP_OK;

	kssp_keytab_init(kt);
	kssp_cursor_init(&c, data, len);
	if (kssp_cursor_read_u8(&c, &first) || kssp_cursor_read_u8(&c, &second))
		return kssp_fail(KSSP_ERR_TRUNCATED, "keytab: shorter than its 2-byte version");
	if (first != 5 || (second != 1 && second != 2))
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "keytab: unknown version 0x%02x%02x", first,
		    second);
	kt->version = (uint16_t)(first << 8 | second);
	while (!e && !done && !kssp_cursor_at_end(&c))
		e = read_record(&c, kt, &cap, &done);
	if (e)
		kssp_keytab_free(kt);
	return e;
}

kssp_err kssp_keytab_read(const char *path, struct kssp_keytab *kt)
{
	uint8_t *data;
	size_t len;
	kssp_err e;

	kssp_keytab_init(kt);
	e = kssp_creds_file_read(path, &data, &len);
	if (e)
		return e;
	e = kssp_keytab_parse(data, len, kt);
	kssp_free_secret(data, len);
	return e ? kssp_fail(e, "%s: %s", path, kssp_last_reason()) : KSSP_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static void put_data(struct kssp_writer *w, const void *p, size_t n)
{
	kssp_writer_put_be16(w, (uint16_t)n);
	kssp_writer_put_bytes(w, p, n);
}

static kssp_err encode_entry(const struct kssp_keytab_entry *en, struct kssp_writer *w)
{
	const struct kssp_principal *p = en->principal;
	size_t size = 2 + 2 + p->realm.length + 4 + 4 + 1 + 2 + 2 + en->key_len + 4, i;

	if (p->n_name_string > 0xffff || en->key_len > 0xffff || en->keytype < 0 ||
	    en->keytype > 0xffff)
		return kssp_fail(KSSP_ERR_LIMIT, "keytab: an entry does not fit the file format");
	for (i = 0; i < p->n_name_string; i++)
		size += 2 + p->name_string[i].length;
	kssp_writer_put_be32(w, (uint32_t)size);
	kssp_writer_put_be16(w, (uint16_t)p->n_name_string);
	put_data(w, p->realm.data, p->realm.length);
	for (i = 0; i < p->n_name_string; i++)
		put_data(w, p->name_string[i].data, p->name_string[i].length);
	kssp_writer_put_be32(w, (uint32_t)p->name_type);
	kssp_writer_put_be32(w, en->timestamp);
	kssp_writer_put_u8(w, (uint8_t)en->vno);
	kssp_writer_put_be16(w, (uint16_t)en->keytype);
	put_data(w, en->key, en->key_len);
	kssp_writer_put_be32(w, en->vno);
	return kssp_writer_status(w);
}

kssp_err kssp_keytab_encode(const struct kssp_keytab *kt, struct kssp_writer *w)
{
	size_t i;
	kssp_err e = KSSP_OK;

	kssp_writer_put_be16(w, KSSP_KEYTAB_V2);
	for (i = 0; !e && i < kt->n_entries; i++)
		e = encode_entry(&kt->entries[i], w);
	if (!e)
		e = kssp_writer_status(w);
	return e;
}

kssp_err kssp_keytab_lock(const char *path, bool create, int *fd, struct kssp_keytab *kt)
{
	uint8_t *data = NULL;
	size_t len = 0;
	bool created = false;
	kssp_err e;

	kssp_keytab_init(kt);
	/* Only a keytab created here starts empty: an existing empty file is malformed. */
	e = kssp_creds_file_lock(path, false, fd);
	if (e == KSSP_ERR_NOT_FOUND && create && (e = kssp_creds_file_lock(path, true, fd)) == KSSP_OK)
		created = true;
	if (!e)
		e = kssp_creds_file_read_fd(*fd, path, &data, &len);
	if (!e && !(created && len == 0))
		e = kssp_keytab_parse(data, len, kt);
	if (data)
		kssp_free_secret(data, len);
	if (e && *fd >= 0) {
		e = kssp_fail(e, "%s: %s", path, kssp_last_reason());
		kssp_creds_file_unlock(*fd);
		*fd = -1;
	}
	return e;
}

/* Encodes kt and writes it over the locked file fd, or (fd < 0) as a whole new path. */
static kssp_err write_keytab(int fd, const struct kssp_keytab *kt, const char *path)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_CREDS_FILE_MAX);
	e = kssp_keytab_encode(kt, &w);
	if (e)
		e = kssp_fail(e, "%s: cannot encode the keytab", path);
	else if (fd >= 0)
		e = kssp_creds_file_rewrite(fd, path, w.buf, w.len, true);
	else
		e = kssp_creds_file_replace(path, w.buf, w.len);
	kssp_writer_free(&w);
	return e;
}

kssp_err kssp_keytab_write_locked(int fd, const struct kssp_keytab *kt, const char *path)
{
	return write_keytab(fd, kt, path);
}

kssp_err kssp_keytab_write(const struct kssp_keytab *kt, const char *path)
{
	return write_keytab(-1, kt, path);
}

/* ---- lookup and changes ------------------------------------------------- */

static bool name_matches(const struct kssp_principal *want, const struct kssp_principal *have)
{
	if (want->realm.length == 0)
		return kssp_principal_equal_no_realm(want, have);
	return kssp_principal_equal(want, have);
}

static bool entry_matches(const struct kssp_keytab_entry *en, const struct kssp_principal *p,
    int32_t keytype, uint32_t vno)
{
	return name_matches(p, en->principal) && (keytype == 0 || en->keytype == keytype) &&
	    (vno == 0 || en->vno == vno);
}

kssp_err kssp_keytab_find(const struct kssp_keytab *kt, const struct kssp_principal *principal,
    int32_t keytype, uint32_t vno, const struct kssp_keytab_entry **out)
{
	const struct kssp_keytab_entry *best = NULL;
	bool named = false;
	char *name = NULL;
	size_t i;

	*out = NULL;
	for (i = 0; i < kt->n_entries; i++) {
		const struct kssp_keytab_entry *en = &kt->entries[i];

		named = named || name_matches(principal, en->principal);
		if (entry_matches(en, principal, keytype, vno) && (!best || en->vno >= best->vno))
			best = en;
	}
	if (best) {
		*out = best;
		return KSSP_OK;
	}
	kssp_principal_unparse(principal, 0, &name);
	if (!named)
		kssp_fail(KSSP_ERR_NOT_FOUND, "keytab: no key for %s", name ? name : "?");
	else
		kssp_fail(KSSP_ERR_NOT_FOUND, "keytab: no key for %s with enctype %d and kvno %u",
		    name ? name : "?", (int)keytype, (unsigned)vno);
	kssp_free(name);
	return KSSP_ERR_NOT_FOUND;
}

kssp_err kssp_keytab_add_key(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t keytype, const uint8_t *key, size_t key_len, uint32_t timestamp)
{
	struct kssp_keytab_entry *en;
	size_t cap = kt->n_entries;
	kssp_err e;

	if (key_len > KSSP_KEYTAB_MAX_KEY || keytype <= 0 || keytype > 0xffff)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "keytab: bad key (enctype %d, %zu bytes)",
		    (int)keytype, key_len);
	e = grow_entries(kt, &cap);
	if (e)
		return e;
	en = &kt->entries[kt->n_entries];
	memset(en, 0, sizeof(*en));
	e = kssp_principal_copy(principal, &en->principal);
	if (e)
		return e;
	if (!(en->key = kssp_memdup(key, key_len))) {
		entry_clear(en);
		return kssp_fail(KSSP_ERR_NOMEM, "keytab: out of memory");
	}
	en->key_len = key_len;
	en->keytype = keytype;
	en->vno = vno;
	en->timestamp = timestamp;
	kt->n_entries++;
	return KSSP_OK;
}

kssp_err kssp_keytab_add_password(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t enctype, const char *password, size_t pwlen, const uint8_t *salt,
    size_t saltlen, uint32_t timestamp)
{
	struct kssp_writer dflt;
	struct kssp_key key;
	kssp_err e = KSSP_OK;

	memset(&key, 0, sizeof(key));
	kssp_writer_init_growable(&dflt, 0);
	if (!salt) {
		e = kssp_principal_salt(principal, KSSP_SALT_STANDARD, &dflt);
		salt = dflt.buf;
		saltlen = dflt.len;
	}
	/* RFC 4757 §3: arcfour-hmac keys are MD4 of the password alone, no salt. */
	if (enctype == KSSP_ENCTYPE_ARCFOUR_HMAC)
		saltlen = 0;
	if (!e)
		e = kssp_crypto_string_to_key(enctype, password, pwlen, saltlen ? salt : NULL,
		    saltlen, NULL, 0, &key);
	if (!e)
		e = kssp_keytab_add_key(kt, principal, vno, enctype, key.contents, key.length,
		    timestamp);
	kssp_crypto_key_clear(&key);
	kssp_writer_free(&dflt);
	return e;
}

kssp_err kssp_keytab_add_random(struct kssp_keytab *kt, const struct kssp_hooks *hooks,
    const struct kssp_principal *principal, uint32_t vno, int32_t enctype, uint32_t timestamp)
{
	struct kssp_key key;
	kssp_err e;

	memset(&key, 0, sizeof(key));
	e = kssp_crypto_random_key(hooks, enctype, &key);
	if (!e)
		e = kssp_keytab_add_key(kt, principal, vno, enctype, key.contents, key.length,
		    timestamp);
	kssp_crypto_key_clear(&key);
	return e;
}

kssp_err kssp_keytab_remove(struct kssp_keytab *kt, const struct kssp_principal *principal,
    uint32_t vno, int32_t keytype, size_t *removed)
{
	size_t i, kept = 0, gone = 0;

	for (i = 0; i < kt->n_entries; i++) {
		if (entry_matches(&kt->entries[i], principal, keytype, vno)) {
			entry_clear(&kt->entries[i]);
			gone++;
		} else {
			kt->entries[kept++] = kt->entries[i];
		}
	}
	kt->n_entries = kept;
	if (removed)
		*removed = gone;
	if (!gone) {
		char *name = NULL;

		kssp_principal_unparse(principal, 0, &name);
		kssp_fail(KSSP_ERR_NOT_FOUND, "keytab: no entry for %s%s", name ? name : "?",
		    vno ? " with that kvno" : "");
		kssp_free(name);
		return KSSP_ERR_NOT_FOUND;
	}
	return KSSP_OK;
}

uint32_t kssp_keytab_max_vno(const struct kssp_keytab *kt, const struct kssp_principal *principal)
{
	uint32_t best = 0;
	size_t i;

	for (i = 0; i < kt->n_entries; i++)
		if (name_matches(principal, kt->entries[i].principal) && kt->entries[i].vno > best)
			best = kt->entries[i].vno;
	return best;
}
