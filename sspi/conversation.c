/*
 * sspi/conversation.c - recorded conversations through the public API
 * (<kssp/kssp.h>): kdc/'s recording format and its replaying or recording
 * transport, and base/'s fixed clock and seeded random streams, bound to a
 * KSSP_AUTH_DATA's hooks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "kdc/kdc.h"
#include "kssp/kssp.h"
#include "sspi/status_int.h"

#define CONVERSATION_STREAMS 4

struct _KSSP_CONVERSATION {
	struct kssp_recording *rec;     /* the file's, or the one being written */
	bool recording;
	struct kssp_config *cfg;        /* the recording's KDCs */
	struct kssp_fixed_clock clock;
	struct {
		char key[64];
		struct kssp_seeded_random r;
	} stream[CONVERSATION_STREAMS];
	size_t nstreams;
	size_t next_token;              /* replaying: the next recorded token */
	unsigned fed_line;              /* the line of the last acceptor token taken */
	char reason[512];               /* the transport's last failure */
	char step[640];
};

static SECURITY_STATUS result(kssp_err e)
{
	return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
}

/* A conversation replaying the file at pszPath, or (pszPath NULL) recording one. */
static SECURITY_STATUS conversation_new(const char *pszPath, const char *pszKrb5Conf,
    KSSP_CONVERSATION **ppConversation)
{
	KSSP_CONVERSATION *c;
	kssp_err e;

	*ppConversation = c = kssp_calloc(1, sizeof(*c));
	if (!c)
		return result(kssp_fail(KSSP_ERR_NOMEM, "conversation: out of memory"));
	c->recording = pszPath == NULL;
	if (pszPath)
		e = kssp_recording_load(pszPath, &c->rec);
	else if (!(e = kssp_config_load(pszKrb5Conf, &c->cfg)))
		e = kssp_recording_new(c->cfg, NULL, &c->rec);
	if (e) {
		kssp_conversation_free(c);
		*ppConversation = NULL;
	}
	return result(e);
}

SECURITY_STATUS kssp_conversation_replay(const char *pszPath, KSSP_CONVERSATION **ppConversation)
{
	if (!pszPath || !ppConversation)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "kssp_conversation_replay: no path");
	return conversation_new(pszPath, NULL, ppConversation);
}

SECURITY_STATUS kssp_conversation_record(const char *pszKrb5Conf,
    KSSP_CONVERSATION **ppConversation)
{
	if (!ppConversation)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "kssp_conversation_record: no result");
	return conversation_new(NULL, pszKrb5Conf, ppConversation);
}

void kssp_conversation_free(KSSP_CONVERSATION *pConversation)
{
	if (!pConversation)
		return;
	kssp_recording_free(pConversation->rec);
	kssp_config_free(pConversation->cfg);
	kssp_free_secret(pConversation, sizeof(*pConversation));
}

const char *kssp_conversation_meta(const KSSP_CONVERSATION *pConversation, const char *pszKey)
{
	return pConversation && pszKey ? kssp_recording_meta(pConversation->rec, pszKey) : NULL;
}

SECURITY_STATUS kssp_conversation_set_meta(KSSP_CONVERSATION *pConversation,
    const char *pszKey, const char *pszValue)
{
	if (!pConversation || !pConversation->recording || !pszKey || !pszValue)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "kssp_conversation_set_meta: not a recording, or no key or value");
	return result(kssp_recording_add_meta(pConversation->rec, pszKey, pszValue));
}

/* ---- hooks: the public signatures over base/'s and kdc/'s ---- */

static int conversation_clock(void *arg, int64_t *sec, int32_t *usec)
{
	const KSSP_CONVERSATION *c = arg;

	*sec = c->clock.t.sec;
	*usec = c->clock.t.usec;
	return 0;
}

static int conversation_random(void *arg, void *buf, size_t len)
{
	return kssp_seeded_random(arg, buf, len) == KSSP_OK ? 0 : -1;
}

/* One KDC exchange served or recorded; the reply goes back in a malloc(3) buffer. */
static int conversation_transport(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int flags, uint8_t **reply, size_t *reply_len)
{
	KSSP_CONVERSATION *c = arg;
	uint8_t *ours = NULL;
	size_t n = 0;
	kssp_err e;

	e = kssp_recording_transport(c->rec, realm, req, req_len, flags, &ours, &n);
	if (!e && !(*reply = malloc(n ? n : 1)))
		e = kssp_fail(KSSP_ERR_NOMEM, "replay: out of memory");
	if (e) {
		/* The SSPI reports a failed hook in its own words; keep the cause. */
		snprintf(c->reason, sizeof(c->reason), "%s", kssp_last_reason());
		kssp_free(ours);
		return -1;
	}
	memcpy(*reply, ours, n);
	*reply_len = n;
	kssp_free(ours);
	return 0;
}

/* The stream seeded by "@ key", set up on first use. */
static kssp_err seeded_stream(KSSP_CONVERSATION *c, const char *key,
    struct kssp_seeded_random **out)
{
	const char *seed = kssp_recording_meta(c->rec, key);
	size_t i;

	for (i = 0; i < c->nstreams; i++)
		if (strcmp(c->stream[i].key, key) == 0) {
			*out = &c->stream[i].r;
			return KSSP_OK;
		}
	if (!seed)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "the recording has no '@ %s' line", key);
	if (i == CONVERSATION_STREAMS || strlen(key) >= sizeof(c->stream[0].key))
		return kssp_fail(KSSP_ERR_LIMIT, "conversation: more than %d seeds, or a long name",
		    CONVERSATION_STREAMS);
	*out = &c->stream[i].r;
	if (kssp_seeded_random_init(*out, seed) != KSSP_OK)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "@ %s: %s", key, kssp_last_reason());
	memcpy(c->stream[i].key, key, strlen(key) + 1);
	c->nstreams++;
	return KSSP_OK;
}

SECURITY_STATUS kssp_conversation_hooks(KSSP_CONVERSATION *pConversation,
    const char *pszSeedKey, KSSP_AUTH_DATA *pAuthData)
{
	const char *clock;
	struct kssp_seeded_random *r = NULL;
	char *end;
	kssp_err e;

	if (!pConversation || !pszSeedKey || !pAuthData)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "kssp_conversation_hooks: NULL argument");
	clock = kssp_recording_meta(pConversation->rec, "clock");
	if (!clock)
		return result(kssp_fail(KSSP_ERR_INVALID_ARG, "the recording has no '@ clock' line"));
	pConversation->clock.t.sec = strtoll(clock, &end, 10);
	if (end == clock || (*end && *end != ' '))
		return result(kssp_fail(KSSP_ERR_INVALID_ARG, "@ clock: '%s' is not a number", clock));
	if ((e = seeded_stream(pConversation, pszSeedKey, &r)))
		return result(e);
	pAuthData->Clock = conversation_clock;
	pAuthData->ClockArg = pConversation;
	pAuthData->Random = conversation_random;
	pAuthData->RandomArg = r;
	pAuthData->Transport = conversation_transport;
	pAuthData->TransportArg = pConversation;
	return SEC_E_OK;
}

/* ---- tokens, the end, the step reached ---- */

static const char *token_name(char kind)
{
	return kind == 'C' ? "initiator's context token" : kind == 'S' ?
	    "acceptor's context token" : "sealed message";
}

static SECURITY_STATUS replay_token(KSSP_CONVERSATION *c, char kind, const void *tok,
    size_t len)
{
	const uint8_t *data;
	size_t n, i = c->next_token;
	unsigned line;
	char got;

	if (kssp_recording_token(c->rec, i, &got, &data, &n, &line) != KSSP_OK)
		return kssp_sspi_fail(SEC_E_MESSAGE_ALTERED,
		    "%s %zu: the recording has no more tokens", token_name(kind), i + 1);
	c->next_token++;
	if (got != kind)
		return kssp_sspi_fail(SEC_E_MESSAGE_ALTERED,
		    "token %zu (line %u): recorded as '%c', produced a %s", i + 1, line, got,
		    token_name(kind));
	if (len != n || memcmp(tok, data, n) != 0)
		return kssp_sspi_fail(SEC_E_MESSAGE_ALTERED,
		    "%s (token %zu, line %u) differs from the recording at byte %zu (%zu vs %zu bytes)",
		    token_name(kind), i + 1, line, kssp_recording_first_difference(tok, len, data, n),
		    len, n);
	if (kind == 'S')
		c->fed_line = line;
	return kssp_sspi_result(SEC_E_OK);
}

SECURITY_STATUS kssp_conversation_token(KSSP_CONVERSATION *pConversation, char Kind,
    const void *pToken, size_t cbToken)
{
	if (!pConversation || !pToken || (Kind != 'C' && Kind != 'S' && Kind != 'M'))
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "kssp_conversation_token: no token, or a kind other than 'C', 'S' and 'M'");
	if (pConversation->recording)
		return result(kssp_recording_add_token(pConversation->rec, Kind, pToken, cbToken));
	return replay_token(pConversation, Kind, pToken, cbToken);
}

SECURITY_STATUS kssp_conversation_end(KSSP_CONVERSATION *pConversation, const char *pszPath)
{
	const struct kssp_recording *rec;

	if (!pConversation || (pConversation->recording && !pszPath))
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "kssp_conversation_end: no path");
	rec = pConversation->rec;
	if (pConversation->recording)
		return result(kssp_recording_save(rec, pszPath));
	if (kssp_recording_served(rec) != kssp_recording_count(rec) ||
	    pConversation->next_token != kssp_recording_token_count(rec))
		return kssp_sspi_fail(SEC_E_INTERNAL_ERROR,
		    "the end: %zu of %zu KDC exchanges and %zu of %zu tokens used",
		    kssp_recording_served(rec), kssp_recording_count(rec), pConversation->next_token,
		    kssp_recording_token_count(rec));
	return kssp_sspi_result(SEC_E_OK);
}

const char *kssp_conversation_step(KSSP_CONVERSATION *pConversation)
{
	KSSP_CONVERSATION *c = pConversation;
	size_t served;

	if (!c)
		return "";
	served = kssp_recording_served(c->rec);
	c->step[0] = '\0';
	if (c->reason[0])
		snprintf(c->step, sizeof(c->step), "KDC exchange %zu: %s", served + 1, c->reason);
	else if (c->fed_line)
		snprintf(c->step, sizeof(c->step), "the acceptor's token on line %u was not accepted",
		    c->fed_line);
	else if (served > 0 && c->next_token == 0)
		snprintf(c->step, sizeof(c->step), "KDC exchange %zu of %zu (its reply is line %u)",
		    served, kssp_recording_count(c->rec), kssp_recording_reply_line(c->rec, served - 1));
	return c->step;
}
