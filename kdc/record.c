/*
 * kdc/record.c - recorded KDC conversations: the replaying transport and
 * the recorder that writes them (format in kdc/transport.h).
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "kdc/transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/mem.h"
#include "base/text.h"

#include <nettle/sha2.h>

#define RECORD_MAX_EXCHANGES 64
#define RECORD_MAX_META 16
#define RECORD_MAX_FILE ((size_t)8 << 20)
#define RECORD_NAME_MAX 256

struct exchange {
	char realm[RECORD_NAME_MAX];
	uint8_t *req;
	size_t req_len;
	uint8_t *rep;
	size_t rep_len;
};

struct meta {
	char key[64];
	char value[RECORD_NAME_MAX];
};

struct kssp_recording {
	struct exchange x[RECORD_MAX_EXCHANGES];
	size_t n;
	size_t next;
	struct meta m[RECORD_MAX_META];
	size_t nm;
};

void kssp_recording_free(struct kssp_recording *rec)
{
	size_t i;

	if (!rec)
		return;
	for (i = 0; i < rec->n; i++) {
		kssp_free(rec->x[i].req);
		kssp_free(rec->x[i].rep);
	}
	kssp_free(rec);
}

static kssp_err rec_error(unsigned line, const char *why)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "recording:%u: %s", line, why);
}

static kssp_err decode_hex(unsigned line, const char *s, size_t len, uint8_t **out,
    size_t *out_len)
{
	struct kssp_writer w;
	kssp_err e;

	kssp_writer_init_growable(&w, KSSP_KDC_MSG_MAX);
	e = kssp_hex_decode(&w, s, len);
	if (!e && w.len == 0)
		e = KSSP_ERR_TRUNCATED;
	if (e) {
		kssp_writer_free(&w);
		return rec_error(line, "message is not hex, or empty");
	}
	return kssp_writer_detach(&w, out, out_len);
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

static kssp_err parse_line(struct kssp_recording *rec, unsigned line, const char *s,
    const char *end)
{
	size_t n;

	if (s == end || *s == '#')
		return KSSP_OK;
	if (end - s < 2 || s[1] != ' ')
		return rec_error(line, "expected '@', '>' or '<' and a space");
	if (*s == '@') {
		struct meta *m = &rec->m[rec->nm];

		if (rec->nm == RECORD_MAX_META)
			return rec_error(line, "too many metadata lines");
		n = copy_word(s + 2, end, m->key, sizeof(m->key));
		if (!n || (size_t)(end - (s + 3 + n)) >= sizeof(m->value) || s + 2 + n == end)
			return rec_error(line, "bad metadata line");
		memcpy(m->value, s + 3 + n, (size_t)(end - (s + 3 + n)));
		m->value[end - (s + 3 + n)] = '\0';
		rec->nm++;
		return KSSP_OK;
	}
	if (*s == '>') {
		struct exchange *x = &rec->x[rec->n];

		if (rec->n == RECORD_MAX_EXCHANGES)
			return rec_error(line, "too many exchanges");
		if (rec->n > 0 && !rec->x[rec->n - 1].rep)
			return rec_error(line, "request without a reply before it");
		n = copy_word(s + 2, end, x->realm, sizeof(x->realm));
		if (!n || s + 2 + n == end)
			return rec_error(line, "expected '> REALM HEX'");
		rec->n++;
		return decode_hex(line, s + 3 + n, (size_t)(end - (s + 3 + n)), &x->req, &x->req_len);
	}
	if (*s == '<') {
		struct exchange *x = rec->n ? &rec->x[rec->n - 1] : NULL;

		if (!x || x->rep)
			return rec_error(line, "reply without a request");
		return decode_hex(line, s + 2, (size_t)(end - (s + 2)), &x->rep, &x->rep_len);
	}
	return rec_error(line, "expected '@', '>' or '<' and a space");
}

kssp_err kssp_recording_parse(const char *text, size_t len, struct kssp_recording **out)
{
	struct kssp_recording *rec = kssp_calloc(1, sizeof(*rec));
	const char *s = text, *end = text + len;
	unsigned line = 0;
	kssp_err e = KSSP_OK;

	*out = NULL;
	if (!rec)
		return kssp_fail(KSSP_ERR_NOMEM, "recording: out of memory");
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
	FILE *f = fopen(path, "rb");
	struct kssp_writer w;
	uint8_t *text;
	size_t len;
	kssp_err e;

	if (!f)
		return kssp_fail(KSSP_ERR_IO, "%s: %s", path, strerror(errno));
	kssp_writer_init_growable(&w, RECORD_MAX_FILE);
	for (;;) {
		uint8_t chunk[8192];
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		if (n > 0)
			kssp_writer_put_bytes(&w, chunk, n);
		if (n < sizeof(chunk) || kssp_writer_status(&w))
			break;
	}
	(void)fclose(f); /* read-only stream */
	if ((e = kssp_writer_detach(&w, &text, &len)))
		return kssp_fail(e, "%s: unreadable or larger than %zu bytes", path, RECORD_MAX_FILE);
	e = kssp_recording_parse((const char *)text, len, out);
	kssp_free(text);
	return e;
}

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

static size_t first_difference(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

kssp_err kssp_recording_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recording *rec = arg;
	const struct exchange *x;

	(void)flags;
	if (rec->next == rec->n)
		return kssp_fail(KSSP_ERR_NO_KDC,
		    "replay: request %zu to %s is beyond the %zu recorded", rec->next + 1, realm,
		    rec->n);
	x = &rec->x[rec->next];
	if (strcmp(x->realm, realm) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu goes to realm %s, the recording to %s", rec->next + 1,
		    realm, x->realm);
	if (req_len != x->req_len || memcmp(req, x->req, req_len) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu differs from the recording at byte %zu (%zu vs %zu bytes)",
		    rec->next + 1, first_difference(req, req_len, x->req, x->req_len), req_len,
		    x->req_len);
	*reply = kssp_malloc(x->rep_len);
	if (!*reply)
		return kssp_fail(KSSP_ERR_NOMEM, "replay: out of memory");
	memcpy(*reply, x->rep, x->rep_len);
	*reply_len = x->rep_len;
	rec->next++;
	return KSSP_OK;
}

/* ---- the recorder ---------------------------------------------------- */

struct kssp_recorder {
	const struct kssp_config *cfg;
	struct kssp_hooks inner;
	bool has_inner;
	struct kssp_writer text;
};

kssp_err kssp_recorder_new(const struct kssp_config *cfg, const struct kssp_hooks *inner,
    struct kssp_recorder **out)
{
	struct kssp_recorder *r = kssp_calloc(1, sizeof(*r));
	static const char head[] = "# kssp KDC conversation: '> REALM request', '< reply' (hex)\n";

	if (!r)
		return kssp_fail(KSSP_ERR_NOMEM, "recorder: out of memory");
	r->cfg = cfg;
	if (inner) {
		r->inner = *inner;
		r->has_inner = inner->transport != NULL;
	}
	kssp_writer_init_growable(&r->text, RECORD_MAX_FILE);
	kssp_writer_put_bytes(&r->text, head, sizeof(head) - 1);
	*out = r;
	return KSSP_OK;
}

void kssp_recorder_free(struct kssp_recorder *r)
{
	if (!r)
		return;
	kssp_writer_free(&r->text);
	kssp_free(r);
}

kssp_err kssp_recorder_meta(struct kssp_recorder *r, const char *key, const char *value)
{
	if (strpbrk(key, " \t\r\n") || strpbrk(value, "\r\n"))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: bad metadata '%s'", key);
	kssp_writer_put_bytes(&r->text, "@ ", 2);
	kssp_writer_put_bytes(&r->text, key, strlen(key));
	kssp_writer_put_u8(&r->text, ' ');
	kssp_writer_put_bytes(&r->text, value, strlen(value));
	kssp_writer_put_u8(&r->text, '\n');
	return kssp_writer_status(&r->text);
}

kssp_err kssp_recorder_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recorder *r = arg;
	kssp_err e;

	if (strpbrk(realm, " \t\r\n") || strlen(realm) >= RECORD_NAME_MAX)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: realm cannot be recorded");
	if (r->has_inner)
		e = r->inner.transport(r->inner.transport_arg, realm, req, req_len, flags, reply,
		    reply_len);
	else
		e = kssp_transport_network(r->cfg, &r->inner, realm, req, req_len, flags, reply,
		    reply_len);
	if (e)
		return e;
	kssp_writer_put_bytes(&r->text, "> ", 2);
	kssp_writer_put_bytes(&r->text, realm, strlen(realm));
	kssp_writer_put_u8(&r->text, ' ');
	kssp_hex_encode(&r->text, req, req_len);
	kssp_writer_put_bytes(&r->text, "\n< ", 3);
	kssp_hex_encode(&r->text, *reply, *reply_len);
	kssp_writer_put_u8(&r->text, '\n');
	return kssp_writer_status(&r->text);
}

kssp_err kssp_recorder_save(const struct kssp_recorder *r, const char *path)
{
	char tmp[4096];
	FILE *f;
	bool ok;

	if (kssp_writer_status(&r->text))
		return kssp_fail(kssp_writer_status(&r->text), "recorder: conversation lost");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= sizeof(tmp))
		return kssp_fail(KSSP_ERR_INVALID_ARG, "recorder: path too long");
	f = fopen(tmp, "wb");
	if (!f)
		return kssp_fail(KSSP_ERR_IO, "%s: %s", tmp, strerror(errno));
	ok = fwrite(r->text.buf, 1, r->text.len, f) == r->text.len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return kssp_fail(KSSP_ERR_IO, "%s: cannot write", path);
	}
	return KSSP_OK;
}

/* ---- deterministic sources ------------------------------------------- */

kssp_err kssp_fixed_clock(void *arg, struct kssp_time *now)
{
	const struct kssp_fixed_clock *c = arg;

	*now = c->t;
	return KSSP_OK;
}

kssp_err kssp_seeded_random_init(struct kssp_seeded_random *r, const char *hex)
{
	struct kssp_writer w;

	memset(r, 0, sizeof(*r));
	kssp_writer_init_fixed(&w, r->seed, sizeof(r->seed));
	if (kssp_hex_decode(&w, hex, strlen(hex)) != KSSP_OK)
		return kssp_fail(KSSP_ERR_BAD_ENCODING, "random seed: not hex of at most 32 bytes");
	return KSSP_OK;
}

kssp_err kssp_seeded_random(void *arg, void *buf, size_t len)
{
	struct kssp_seeded_random *r = arg;
	uint8_t *out = buf;

	while (len > 0) {
		struct sha256_ctx h;
		uint8_t block[SHA256_DIGEST_SIZE], ctr[8];
		size_t n = len < sizeof(block) ? len : sizeof(block), i;

		for (i = 0; i < 8; i++)
			ctr[i] = (uint8_t)(r->counter >> (56 - 8 * i));
		r->counter++;
		sha256_init(&h);
		sha256_update(&h, sizeof(r->seed), r->seed);
		sha256_update(&h, sizeof(ctr), ctr);
		sha256_digest(&h, sizeof(block), block);
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	return KSSP_OK;
}
