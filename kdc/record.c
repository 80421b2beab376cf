/*
 * kdc/record.c - the recorder: a transport that writes each exchange into a
 * recording (kdc/transport_int.h; the format is kdc/recording.c's).
 */
#include "kdc/transport_int.h"

#include "base/base.h"

struct kssp_recorder {
	const struct kssp_config *cfg;
	struct kssp_hooks inner; /* its transport, when set, is the one recorded */
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
	if (inner)
		r->inner = *inner;
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

kssp_err kssp_recorder_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	struct kssp_recorder *r = arg;
	kssp_err e;

	if (r->inner.transport)
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
