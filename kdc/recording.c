/*
 * kdc/recording.c - the recording format (kdc/recording_int.h): parsed from
 * text and served back by the replaying transport, or built up by the
 * recording transport and written back as text.  Files are read and
 * replaced (atomically, mode 0600: a recording may hold a password) by
 * creds/file_int.h.
 */
#include "kdc/recording_int.h"
#include "kdc/transport_int.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "creds/creds.h"

#define RECORD_MAX_EXCHANGES 64
#define RECORD_MAX_TOKENS 32
#define RECORD_MAX_META 24
#define RECORD_MAX_MSG ((size_t)1 << 20)
#define RECORD_NAME_MAX 256

struct exchange {
	char realm[RECORD_NAME_MAX];
	uint8_t *req;
	size_t req_len;
	uint8_t *rep;
	size_t rep_len;
	unsigned rep_line;
};

/* A context or message token ('C', 'S' or 'M' line). */
struct token {
	char kind;
	unsigned line;
	uint8_t *data;
	size_t len;
};

struct meta {
	char key[64];
	char value[RECORD_NAME_MAX];
};

struct kssp_recording {
	struct exchange x[RECORD_MAX_EXCHANGES];
	size_t n;
	size_t next;
	struct token t[RECORD_MAX_TOKENS];
	size_t nt;
	struct meta m[RECORD_MAX_META];
	size_t nm;
	bool recording;                /* kssp_recording_new's: the transport records */
	const struct kssp_config *cfg; /* recording: the network's KDCs */
	struct kssp_hooks inner;       /* recording: its transport, when set, is the one recorded */
};

static kssp_err alloc_recording(struct kssp_recording **out)
{
	*out = kssp_calloc(1, sizeof(**out));
	return *out ? KSSP_OK : kssp_fail(KSSP_ERR_NOMEM, "recording: out of memory");
}

kssp_err kssp_recording_new(const struct kssp_config *cfg, const struct kssp_hooks *inner,
    struct kssp_recording **out)
{
	kssp_err e = alloc_recording(out);

	if (e)
		return e;
	(*out)->recording = true;
	(*out)->cfg = cfg;
	if (inner)
		(*out)->inner = *inner;
	return KSSP_OK;
}

void kssp_recording_free(struct kssp_recording *rec)
{
	size_t i;

	if (!rec)
		return;
	for (i = 0; i < rec->n; i++) {
		kssp_free(rec->x[i].req);
		kssp_free(rec->x[i].rep);
	}
	for (i = 0; i < rec->nt; i++)
		kssp_free(rec->t[i].data);
	kssp_free(rec);
}

/* ---- building ---------------------------------------------------------- */

static kssp_err copy_bytes(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len)
{
	if (!(*out = kssp_memdup(data, len)))
		return kssp_fail(KSSP_ERR_NOMEM, "recording: out of memory");
	*out_len = len;
	return KSSP_OK;
}

/* Copies a word of at most cap-1 bytes from s; returns its length or 0. */
static size_t copy_word(const char *s, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	while (s + n < end && s[n] != ' ' && s[n] != '\t')
		n++;
	if (n == 0 || n >= cap)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

/* "key value" of one metadata line, value running to end; false when malformed. */
static bool put_meta(struct kssp_recording *rec, const char *s, const char *end)
{
	struct meta *m = &rec->m[rec->nm];
	size_t n = copy_word(s, end, m->key, sizeof(m->key)), vlen;

	if (!n || s + n == end)
		return false;
	vlen = (size_t)(end - (s + n + 1));
	if (vlen >= sizeof(m->value) || memchr(s + n + 1, '\n', vlen))
		return false;
	memcpy(m->value, s + n + 1, vlen);
	m->value[vlen] = '\0';
	rec->nm++;
	return true;
}

kssp_err kssp_recording_add_meta(struct kssp_recording *rec, const char *key,
    const char *value)
{
	char line[sizeof(rec->m[0].key) + RECORD_NAME_MAX + 1];
	int n = snprintf(line, sizeof(line), "%s %s", key, value);

	if (rec->nm == RECORD_MAX_META)
		return kssp_fail(KSSP_ERR_LIMIT, "recording: too many metadata lines");
	if (n < 0 || (size_t)n >= sizeof(line) || strpbrk(key, " \t\r\n") || strchr(value, '\r') ||
	    !put_meta(rec, line, line + n))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: bad metadata '%s'", key);
	return KSSP_OK;
}

/* Appends an exchange: realm without white space, request and reply non-empty. */
static kssp_err add_exchange(struct kssp_recording *rec, const char *realm, const uint8_t *req,
    size_t req_len, const uint8_t *rep, size_t rep_len)
{
	struct exchange *x = &rec->x[rec->n];
	kssp_err e;

	if (rec->n == RECORD_MAX_EXCHANGES)
		return kssp_fail(KSSP_ERR_LIMIT, "recording: too many exchanges");
	if (strpbrk(realm, " \t\r\n") || strlen(realm) >= sizeof(x->realm) || !realm[0] ||
	    req_len == 0 || rep_len == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: realm cannot be recorded");
	memset(x, 0, sizeof(*x));
	memcpy(x->realm, realm, strlen(realm) + 1);
	e = copy_bytes(req, req_len, &x->req, &x->req_len);
	if (!e)
		e = copy_bytes(rep, rep_len, &x->rep, &x->rep_len);
	if (e) {
		kssp_free(x->req);
		return e;
	}
	rec->n++;
	return KSSP_OK;
}

kssp_err kssp_recording_add_token(struct kssp_recording *rec, char kind, const uint8_t *data,
    size_t len)
{
	struct token *t = &rec->t[rec->nt];
	kssp_err e;

	if ((kind != 'C' && kind != 'S' && kind != 'M') || len == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: bad token line '%c'", kind);
	if (rec->nt == RECORD_MAX_TOKENS)
		return kssp_fail(KSSP_ERR_LIMIT, "recording: too many tokens");
	t->kind = kind;
	t->line = 0;
	if ((e = copy_bytes(data, len, &t->data, &t->len)))
		return e;
	rec->nt++;
	return KSSP_OK;
}

/* ---- parsing ----------------------------------------------------------- */

static kssp_err rec_error(unsigned line, const char *why)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "recording:%u: %s", line, why);
}

static kssp_err decode_hex(unsigned line, const char *s, const char *end, uint8_t **out,
    size_t *out_len)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, RECORD_MAX_MSG);
	e = kssp_hex_decode(&w, s, (size_t)(end - s));
	if (!e && w.len == 0)
		e = KSSP_ERR_TRUNCATED;
	if (e) {
		kssp_writer_free(&w);
		return rec_error(line, "message is not hex, or empty");
	}
	return kssp_writer_detach(&w, out, out_len);
}

static kssp_err parse_token(struct kssp_recording *rec, unsigned line, const char *s,
    const char *end)
{
	struct token *t = &rec->t[rec->nt];

	if (rec->nt == RECORD_MAX_TOKENS)
		return rec_error(line, "too many tokens");
	t->kind = *s;
	t->line = line;
	rec->nt++;
	return decode_hex(line, s + 2, end, &t->data, &t->len);
}

static kssp_err parse_request(struct kssp_recording *rec, unsigned line, const char *s,
    const char *end)
{
	struct exchange *x = &rec->x[rec->n];
	size_t n;

	if (rec->n == RECORD_MAX_EXCHANGES)
		return rec_error(line, "too many exchanges");
	if (rec->n > 0 && !rec->x[rec->n - 1].rep)
		return rec_error(line, "request without a reply before it");
	n = copy_word(s + 2, end, x->realm, sizeof(x->realm));
	if (!n || s + 2 + n == end)
		return rec_error(line, "expected '> REALM HEX'");
	rec->n++;
	return decode_hex(line, s + 3 + n, end, &x->req, &x->req_len);
}

static kssp_err parse_line(struct kssp_recording *rec, unsigned line, const char *s,
    const char *end)
{
	if (s == end || *s == '#')
		return KSSP_OK;
	if (end - s < 2 || s[1] != ' ')
		return rec_error(line, "expected '@', '>', '<', 'C', 'S' or 'M' and a space");
	if (*s == 'C' || *s == 'S' || *s == 'M')
		return parse_token(rec, line, s, end);
	if (*s == '@') {
		if (rec->nm == RECORD_MAX_META)
			return rec_error(line, "too many metadata lines");
		return put_meta(rec, s + 2, end) ? KSSP_OK : rec_error(line, "bad metadata line");
	}
	if (*s == '>')
		return parse_request(rec, line, s, end);
	if (*s == '<') {
		struct exchange *x = rec->n ? &rec->x[rec->n - 1] : NULL;

		if (!x || x->rep)
			return rec_error(line, "reply without a request");
		x->rep_line = line;
		return decode_hex(line, s + 2, end, &x->rep, &x->rep_len);
	}
	return rec_error(line, "expected '@', '>', '<', 'C', 'S' or 'M' and a space");
}

kssp_err kssp_recording_parse(const char *text, size_t len, struct kssp_recording **out)
{
	struct kssp_recording *rec;
	const char *s = text, *end = text + len;
	unsigned line = 0;
	kssp_err e = alloc_recording(&rec);

	*out = NULL;
	while (s < end && !e) {
		size_t rest = (size_t)(end - s);
		const char *nl = memchr(s, '\n', rest);
		size_t ll = nl ? (size_t)(nl - s) : rest;

		line++;
		while (ll > 0 && (s[ll - 1] == '\r' || s[ll - 1] == ' '))
			ll--;
		e = parse_line(rec, line, s, s + ll);
		s = nl ? nl + 1 : end;
	}
	if (!e && rec->n > 0 && !rec->x[rec->n - 1].rep)
		e = rec_error(line, "last request has no reply");
	if (e) {
		kssp_recording_free(rec);
		return e;
	}
	*out = rec;
	return KSSP_OK;
}

kssp_err kssp_recording_load(const char *path, struct kssp_recording **out)
{
	uint8_t *text;
	size_t len;
	kssp_err e = kssp_creds_file_read(path, &text, &len);

	*out = NULL;
	if (e)
		return e;
	e = kssp_recording_parse((const char *)text, len, out);
	kssp_free(text);
	return e;
}

/* ---- writing ----------------------------------------------------------- */

static void put_line(struct kssp_writer *w, const char *head, const char *word,
    const uint8_t *data, size_t len)
{
	kssp_writer_put_bytes(w, head, strlen(head));
	if (word) {
		kssp_writer_put_bytes(w, word, strlen(word));
		kssp_writer_put_u8(w, ' ');
	}
	kssp_hex_encode(w, data, len);
	kssp_writer_put_u8(w, '\n');
}

static void write_text(const struct kssp_recording *rec, struct kssp_writer *w)
{
	static const char head[] = "# kssp conversation: '@ KEY VALUE', '> REALM request', "
	    "'< reply', 'C'/'S'/'M' token (hex)\n";
	size_t i;

	kssp_writer_put_bytes(w, head, sizeof(head) - 1);
	for (i = 0; i < rec->nm; i++) {
		kssp_writer_put_bytes(w, "@ ", 2);
		kssp_writer_put_bytes(w, rec->m[i].key, strlen(rec->m[i].key));
		kssp_writer_put_u8(w, ' ');
		kssp_writer_put_bytes(w, rec->m[i].value, strlen(rec->m[i].value));
		kssp_writer_put_u8(w, '\n');
	}
	for (i = 0; i < rec->n; i++) {
		put_line(w, "> ", rec->x[i].realm, rec->x[i].req, rec->x[i].req_len);
		put_line(w, "< ", NULL, rec->x[i].rep, rec->x[i].rep_len);
	}
	for (i = 0; i < rec->nt; i++) {
		char kind[3] = { rec->t[i].kind, ' ', '\0' };

		put_line(w, kind, NULL, rec->t[i].data, rec->t[i].len);
	}
}

kssp_err kssp_recording_save(const struct kssp_recording *rec, const char *path)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_CREDS_FILE_MAX);
	write_text(rec, &w);
	if ((e = kssp_writer_status(&w)))
		e = kssp_fail(e, "recorder: conversation lost");
	else
		e = kssp_creds_file_replace(path, w.buf, w.len);
	kssp_writer_free(&w);
	return e;
}

/* ---- reading ----------------------------------------------------------- */

const char *kssp_recording_meta(const struct kssp_recording *rec, const char *key)
{
	size_t i;

	for (i = 0; i < rec->nm; i++)
		if (strcmp(rec->m[i].key, key) == 0)
			return rec->m[i].value;
	return NULL;
}

size_t kssp_recording_count(const struct kssp_recording *rec)
{
	return rec->n;
}

size_t kssp_recording_served(const struct kssp_recording *rec)
{
	return rec->next;
}

unsigned kssp_recording_reply_line(const struct kssp_recording *rec, size_t i)
{
	return i < rec->n ? rec->x[i].rep_line : 0;
}

size_t kssp_recording_token_count(const struct kssp_recording *rec)
{
	return rec->nt;
}

kssp_err kssp_recording_token(const struct kssp_recording *rec, size_t i, char *kind,
    const uint8_t **data, size_t *len, unsigned *line)
{
	if (i >= rec->nt)
		return kssp_fail(KSSP_ERR_NOT_FOUND, "replay: token %zu is beyond the %zu recorded",
		    i + 1, rec->nt);
	*kind = rec->t[i].kind;
	*data = rec->t[i].data;
	*len = rec->t[i].len;
	*line = rec->t[i].line;
	return KSSP_OK;
}

size_t kssp_recording_first_difference(const uint8_t *a, size_t an, const uint8_t *b,
    size_t bn)
{
	size_t i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

/* The exchange passed to the inner transport (else the network) and written down. */
static kssp_err record_exchange(struct kssp_recording *rec, const char *realm,
    const uint8_t *req, size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	kssp_err e;

	if (rec->inner.transport)
		e = rec->inner.transport(rec->inner.transport_arg, realm, req, req_len, flags,
		    reply, reply_len);
	else
		e = kssp_transport_network(rec->cfg, &rec->inner, realm, req, req_len, flags, reply,
		    reply_len);
	if (e)
		return e;
	e = add_exchange(rec, realm, req, req_len, *reply, *reply_len);
	if (e) {
		kssp_free(*reply);
		*reply = NULL;
	}
	return e;
}

kssp_err kssp_recording_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recording *rec = arg;
	const struct exchange *x = &rec->x[rec->next];
	size_t i = rec->next + 1;
	kssp_err e;

	if (rec->recording)
		return record_exchange(rec, realm, req, req_len, flags, reply, reply_len);
	if (rec->next == rec->n)
		return kssp_fail(KSSP_ERR_NO_KDC,
		    "replay: request %zu to %s is beyond the %zu recorded", i, realm, rec->n);
	if (strcmp(x->realm, realm) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu goes to realm %s, the recording to %s", i, realm, x->realm);
	if (req_len != x->req_len || memcmp(req, x->req, req_len) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu differs from the recording at byte %zu (%zu vs %zu bytes)",
		    i, kssp_recording_first_difference(req, req_len, x->req, x->req_len), req_len,
		    x->req_len);
	e = copy_bytes(x->rep, x->rep_len, reply, reply_len);
	if (!e)
		rec->next++;
	return e;
}
