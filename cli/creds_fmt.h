/*
 * cli/creds_fmt.h - what klist, keytab and kdestroy share: the time and
 * enctype spellings of MIT's klist, so that the two tools' outputs can be
 * compared line by line.
 */
#ifndef KSSP_CLI_CREDS_FMT_H
#define KSSP_CLI_CREDS_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Width of a printed time: "11/23/26 21:12:31". */
#define KSSP_CLI_TIME_WIDTH 17

/* Local time as MIT's klist prints it in the C locale ("%x %X"). */
void kssp_cli_print_time(FILE *out, int64_t t);

/* The enctype as MIT's klist names it ("aes256-cts-hmac-sha1-96"), into buf. */
const char *kssp_cli_enctype_name(int32_t enctype, char *buf, size_t cap);

/* Prints n copies of c. */
void kssp_cli_fill(FILE *out, int n, int c);

#endif
