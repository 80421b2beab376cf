/*
 * cli/kdc_cli.h - what `kssp kinit` and `kssp kvno` share: the exchange
 * context from krb5.conf and the environment, and failure printing.
 *
 * Environment read (besides KRB5_CONFIG and KRB5CCNAME):
 *   KSSP_TRACE=1            one line per KDC step on stderr (never a key)
 *   KSSP_CLOCK_SKEW=N       the clock hook runs N seconds off (tests)
 *   KSSP_FIXED_CLOCK=SEC    the clock hook always says SEC (recording)
 *   KSSP_FIXED_SEED=HEX     the random hook is the seeded stream (recording)
 *   KSSP_RECORD=FILE        the KDC conversation is written to FILE
 *   KSSP_REPLAY=FILE        the KDC conversation is served from FILE, with
 *                           its recorded clock and seed
 */
#ifndef KSSP_CLI_KDC_CLI_H
#define KSSP_CLI_KDC_CLI_H

#include <stdint.h>

#include "base/base.h"
#include "kdc/kdc.h"

struct kssp_cli_kdc {
	struct kssp_config *cfg;
	struct kssp_hooks hooks;
	int64_t clock_skew;
	struct kssp_fixed_clock fixed_clock;
	struct kssp_seeded_random seeded;
	struct kssp_recording *recorder; /* the one being written */
	const char *record_path;
	struct kssp_recording *replay;
};

kssp_err kssp_cli_kdc_open(struct kssp_cli_kdc *k);

/* --record FILE: sets KSSP_RECORD, and a fixed clock and seed when unset. */
kssp_err kssp_cli_kdc_record_to(const char *path);

/* "@ kind KIND" and "@ args ..." (argv without --record, --password-file, -c). */
kssp_err kssp_cli_record_command(struct kssp_cli_kdc *k, const char *kind, int argc,
    char **argv);

/* A metadata line in the recording being written (nothing when not recording). */
kssp_err kssp_cli_kdc_record_meta(struct kssp_cli_kdc *k, const char *key, const char *value);

/*
 * Saves a recording (when asked) and frees everything.  When replaying,
 * fails unless every recorded exchange was used, and notes the step
 * reached for kssp_cli_kdc_fail.
 */
kssp_err kssp_cli_kdc_close(struct kssp_cli_kdc *k);

/*
 * Prints "kssp: CMD: NAME (code N), SEC_E_...: reason" and returns
 * KSSP_EXIT_FAIL.  logon selects the status a logon (AS) failure maps to.
 */
int kssp_cli_kdc_fail(const char *cmd, kssp_err e, int logon);

/* Keeps AD's NTSTATUS of kdc's last KRB-ERROR for kssp_cli_kdc_fail's status. */
void kssp_cli_kdc_note_failure(const struct kssp_kdc_ctx *kdc);

#endif
