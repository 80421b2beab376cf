/*
 * kdc/record.c - the transport that replays a recording and the recorder
 * that writes one (kdc/transport.h; the format is kdc/recording.c's).
 */
#include "kdc/transport.h"

#include <string.h>

#include "base/mem.h"

kssp_err kssp_recording_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recording *rec = arg;
	size_t i = kssp_recording_served(rec);
	const uint8_t *want, *rep;
	size_t want_len, rep_len;
	const char *to;

	(void)flags;
	if (!kssp_recording_next(rec, &to, &want, &want_len, &rep, &rep_len))
		return kssp_fail(KSSP_ERR_NO_KDC,
		    "replay: request %zu to %s is beyond the %zu recorded", i + 1, realm,
		    kssp_recording_count(rec));
	if (strcmp(to, realm) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu goes to realm %s, the recording to %s", i + 1, realm, to);
	if (req_len != want_len || memcmp(req, want, req_len) != 0)
		return kssp_fail(KSSP_ERR_BAD_ENCODING,
		    "replay: request %zu differs from the recording at byte %zu (%zu vs %zu bytes)",
		    i + 1, kssp_recording_first_difference(req, req_len, want, want_len), req_len,
		    want_len);
	*reply = kssp_malloc(rep_len);
	if (!*reply)
		return kssp_fail(KSSP_ERR_NOMEM, "replay: out of memory");
	memcpy(*reply, rep, rep_len);
	*reply_len = rep_len;
	kssp_recording_advance(rec);
	return KSSP_OK;
}

/* ---- the recorder ---------------------------------------------------- */

struct kssp_recorder {
	const struct kssp_config *cfg;
	struct kssp_hooks inner;
	bool has_inner;
	struct kssp_recording *rec;
};

kssp_err kssp_recorder_new(const struct kssp_config *cfg, const struct kssp_hooks *inner,
    struct kssp_recorder **out)
{
	struct kssp_recorder *r = kssp_calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return kssp_fail(KSSP_ERR_NOMEM, "recorder: out of memory");
	r->cfg = cfg;
	if (inner) {
		r->inner = *inner;
		r->has_inner = inner->transport != NULL;
	}
	if (kssp_recording_new(&r->rec) != KSSP_OK) {
		kssp_free(r);
		return KSSP_ERR_NOMEM;
	}
	*out = r;
	return KSSP_OK;
}

void kssp_recorder_free(struct kssp_recorder *r)
{
	if (!r)
		return;
	kssp_recording_free(r->rec);
	kssp_free(r);
}

struct kssp_recording *kssp_recorder_recording(struct kssp_recorder *r)
{
	return r->rec;
}

kssp_err kssp_recorder_meta(struct kssp_recorder *r, const char *key, const char *value)
{
	return kssp_recording_add_meta(r->rec, key, value);
}

kssp_err kssp_recorder_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recorder *r = arg;
	kssp_err e;

	if (r->has_inner)
		e = r->inner.transport(r->inner.transport_arg, realm, req, req_len, flags, reply,
		    reply_len);
	else
		e = kssp_transport_network(r->cfg, &r->inner, realm, req, req_len, flags, reply,
		    reply_len);
	if (e)
		return e;
	e = kssp_recording_add_exchange(r->rec, realm, req, req_len, *reply, *reply_len);
	if (e) {
		kssp_free(*reply);
		*reply = NULL;
	}
	return e;
}

kssp_err kssp_recorder_token(struct kssp_recorder *r, char kind, const uint8_t *data,
    size_t len)
{
	return kssp_recording_add_token(r->rec, kind, data, len);
}

kssp_err kssp_recorder_save(const struct kssp_recorder *r, const char *path)
{
	return kssp_recording_save(r->rec, path);
}
