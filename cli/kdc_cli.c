/* cli/kdc_cli.c - the exchange context of kinit and kvno, and their failures. */
#include "cli/kdc_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cli/cli.h"
#include "kssp/kssp.h"
#include "sspi/sspi.h"

static void trace_to_stderr(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "[kssp] %s\n", line);
}

static kssp_err skewed_clock(void *arg, struct kssp_time *now)
{
	const struct kssp_cli_kdc *k = arg;
	kssp_err e = kssp_system_clock(NULL, now);

	now->sec += k->clock_skew;
	return e;
}

static kssp_err number_env(const char *name, int64_t *out)
{
	const char *v = getenv(name);
	char *end;

	if (!v || !*v)
		return KSSP_ERR_NOT_FOUND;
	*out = strtoll(v, &end, 10);
	if (*end)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "%s is not a number", name);
	return KSSP_OK;
}

/* Fixed clock and seeded random, from the environment or a recording. */
static kssp_err deterministic_sources(struct kssp_cli_kdc *k, const char *clock,
    const char *seed)
{
	kssp_err e;

	if (clock) {
		char *end;

		k->fixed_clock.t.sec = strtoll(clock, &end, 10);
		if (*end && *end != ' ')
			return kssp_fail(KSSP_ERR_INVALID_ARG, "fixed clock '%s' is not a number", clock);
		k->hooks.clock = kssp_fixed_clock;
		k->hooks.clock_arg = &k->fixed_clock;
	}
	if (seed) {
		if ((e = kssp_seeded_random_init(&k->seeded, seed)))
			return e;
		k->hooks.random = kssp_seeded_random;
		k->hooks.random_arg = &k->seeded;
	}
	return KSSP_OK;
}

kssp_err kssp_cli_kdc_record_meta(struct kssp_cli_kdc *k, const char *key, const char *value)
{
	return k->recorder ? kssp_recording_add_meta(k->recorder, key, value) : KSSP_OK;
}

kssp_err kssp_cli_record_command(struct kssp_cli_kdc *k, const char *kind, int argc,
    char **argv)
{
	char args[256] = "";
	size_t used = 0;
	int i;
	kssp_err e;

	for (i = 1; i < argc; i++) {
		/* What only this run needs is left out: where to record, the password's file. */
		if (strcmp(argv[i], "--record") == 0 || strcmp(argv[i], "--password-file") == 0 ||
		    strcmp(argv[i], "-c") == 0) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "--record=", 9) == 0 || strncmp(argv[i], "--password-file=", 16) == 0)
			continue;
		if (used + strlen(argv[i]) + 2 > sizeof(args))
			return kssp_fail(KSSP_ERR_LIMIT, "--record: the command line is too long to record");
		used += (size_t)snprintf(args + used, sizeof(args) - used, "%s%s", used ? " " : "",
		    argv[i]);
	}
	if ((e = kssp_cli_kdc_record_meta(k, "kind", kind)))
		return e;
	return used ? kssp_cli_kdc_record_meta(k, "args", args) : KSSP_OK;
}

/*
 * --record FILE: the conversation goes to FILE, with a fixed clock (now)
 * and a seeded random stream unless the environment already fixed them,
 * so that `kssp replay FILE` can send the same bytes again.
 */
kssp_err kssp_cli_kdc_record_to(const char *path)
{
	char now[32], seed[33];
	struct kssp_time t;
	uint8_t raw[16];
	size_t i;

	if (setenv("KSSP_RECORD", path, 1) != 0)
		return kssp_fail(KSSP_ERR_NOMEM, "--record: cannot set KSSP_RECORD");
	if (!getenv("KSSP_FIXED_CLOCK")) {
		if (kssp_system_clock(NULL, &t) != KSSP_OK)
			return kssp_fail(KSSP_ERR_INTERNAL, "--record: no clock");
		snprintf(now, sizeof(now), "%lld", (long long)t.sec);
		setenv("KSSP_FIXED_CLOCK", now, 1);
	}
	if (!getenv("KSSP_FIXED_SEED")) {
		if (kssp_system_random(NULL, raw, sizeof(raw)) != KSSP_OK)
			return kssp_fail(KSSP_ERR_INTERNAL, "--record: no random source");
		for (i = 0; i < sizeof(raw); i++)
			snprintf(seed + 2 * i, 3, "%02x", raw[i]);
		setenv("KSSP_FIXED_SEED", seed, 1);
	}
	return KSSP_OK;
}

kssp_err kssp_cli_kdc_open(struct kssp_cli_kdc *k)
{
	const char *trace = getenv("KSSP_TRACE"), *replay = getenv("KSSP_REPLAY");
	kssp_err e;

	memset(k, 0, sizeof(*k));
	if ((e = kssp_config_load(NULL, &k->cfg)))
		return e;
	if (trace && strcmp(trace, "1") == 0)
		k->hooks.trace = trace_to_stderr;
	if (number_env("KSSP_CLOCK_SKEW", &k->clock_skew) == KSSP_OK) {
		k->hooks.clock = skewed_clock;
		k->hooks.clock_arg = k;
	} else if (kssp_last_error() == KSSP_ERR_INVALID_ARG) {
		return KSSP_ERR_INVALID_ARG;
	}
	if (replay && *replay) {
		if ((e = kssp_recording_load(replay, &k->replay)) ||
		    (e = deterministic_sources(k, kssp_recording_meta(k->replay, "clock"),
		        kssp_recording_meta(k->replay, "seed"))))
			return e;
		k->hooks.transport = kssp_recording_transport;
		k->hooks.transport_arg = k->replay;
	} else if ((e = deterministic_sources(k, getenv("KSSP_FIXED_CLOCK"),
	    getenv("KSSP_FIXED_SEED")))) {
		return e;
	}
	k->record_path = getenv("KSSP_RECORD");
	if (k->record_path && *k->record_path) {
		struct kssp_hooks inner = k->hooks;

		if ((e = kssp_recording_new(k->cfg, &inner, &k->recorder)))
			return e;
		if (getenv("KSSP_FIXED_CLOCK"))
			kssp_cli_kdc_record_meta(k, "clock", getenv("KSSP_FIXED_CLOCK"));
		if (getenv("KSSP_FIXED_SEED"))
			kssp_cli_kdc_record_meta(k, "seed", getenv("KSSP_FIXED_SEED"));
		k->hooks.transport = kssp_recording_transport;
		k->hooks.transport_arg = k->recorder;
	}
	return KSSP_OK;
}

/* Where a replay stopped, for kssp_cli_kdc_fail (the CLI runs one command). */
static char replay_step[160];

kssp_err kssp_cli_kdc_close(struct kssp_cli_kdc *k)
{
	kssp_err e = KSSP_OK;

	if (k->replay) {
		size_t served = kssp_recording_served(k->replay), n = kssp_recording_count(k->replay);

		if (served == 0)
			snprintf(replay_step, sizeof(replay_step), "replay step: before KDC exchange 1");
		else
			snprintf(replay_step, sizeof(replay_step),
			    "replay step: KDC exchange %zu of %zu (its reply is line %u)", served, n,
			    kssp_recording_reply_line(k->replay, served - 1));
		if (served < n)
			e = kssp_fail(KSSP_ERR_BAD_ENCODING,
			    "replay: only %zu of the %zu recorded KDC exchanges were used", served, n);
	}
	if (k->recorder)
		e = kssp_recording_save(k->recorder, k->record_path);
	kssp_recording_free(k->recorder);
	kssp_recording_free(k->replay);
	kssp_config_free(k->cfg);
	memset(k, 0, sizeof(*k));
	return e;
}

/* AD's NTSTATUS of the command's failed exchange, for kssp_cli_kdc_fail. */
static uint32_t failed_ntstatus;

void kssp_cli_kdc_note_failure(const struct kssp_kdc_ctx *kdc)
{
	failed_ntstatus = kdc->last_error.ntstatus;
}

int kssp_cli_kdc_fail(const char *cmd, kssp_err e, int logon)
{
	const char *reason = kssp_last_error() == e ? kssp_last_reason() : "";

	fprintf(stderr, "kssp: %s: %s (code %d), %s: %s%s%s\n", cmd, kssp_err_name(e), (int)e,
	    kssp_status_name(kssp_sspi_status_kdc(e, failed_ntstatus,
	    logon ? KSSP_PHASE_LOGON : KSSP_PHASE_INITIATE)),
	    kssp_err_text(e), *reason ? ": " : "", reason);
	if (replay_step[0])
		fprintf(stderr, "kssp: %s: %s\n", cmd, replay_step);
	return KSSP_EXIT_FAIL;
}
