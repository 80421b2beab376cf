/*
 * cli/cli.h - what the kssp subcommands share: the command table entry,
 * input reading, and the one way failures are printed.
 */
#ifndef KSSP_CLI_CLI_H
#define KSSP_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

struct kssp_cli_command {
	const char *name;
	const char *summary; /* one line, for `kssp help` */
	const char *usage;   /* full text, for `kssp help CMD` */
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

/* The subcommands (cli/cmd_*.c). */
extern const struct kssp_cli_command kssp_cmd_crypto;

/* Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong. */
enum { KSSP_EXIT_OK = 0, KSSP_EXIT_FAIL = 1, KSSP_EXIT_USAGE = 2 };

/* Largest input file or token the CLI reads: 16 MiB. */
#define KSSP_CLI_INPUT_MAX ((size_t)16 << 20)

/*
 * Reads a whole file ("-" for standard input) into a malloc'd buffer with
 * a NUL after the last byte (not counted in *len).
 */
kssp_err kssp_cli_read_file(const char *path, uint8_t **data, size_t *len);

/*
 * Turns a token given as raw DER, hex or base64 (white space ignored; an
 * HTTP "Negotiate <base64>" or "Authorization: Negotiate <base64>" value
 * accepted) into its bytes, in a malloc'd buffer.
 */
kssp_err kssp_cli_token_bytes(const uint8_t *text, size_t len, uint8_t **out, size_t *out_len);

/*
 * prefix, data in base64, then suffix, as a malloc'd string; NULL when out
 * of memory.
 */
char *kssp_cli_base64_line(const char *prefix, const void *data, size_t len, const char *suffix);

/*
 * Prints prefix and data in base64 on one line of standard output;
 * KSSP_EXIT_OK, or KSSP_EXIT_FAIL when out of memory.
 */
int kssp_cli_print_base64(const char *prefix, const void *data, size_t len);

/*
 * Prints "kssp: CMD: NAME (code N): reason" for this thread's last failure
 * of code e on stderr, and returns KSSP_EXIT_FAIL.
 */
int kssp_cli_fail(const char *cmd, kssp_err e);

/*
 * Reads one password line (without its newline) from file, else standard
 * input; from a terminal with echo off after the prompt "PROMPT NAME: ".
 */
kssp_err kssp_cli_read_password(const char *file, const char *prompt, const char *name, char *buf,
    size_t cap, size_t *len);

/* Prints "kssp: CMD: message" and usage hint on stderr; returns KSSP_EXIT_USAGE. */
int kssp_cli_usage_error(const char *cmd, const char *message);

/* The subcommands (cli/cmd_*.c). */
extern const struct kssp_cli_command kssp_cmd_decode;
/* `kssp decode`'s tree of one token on stdout, each line after prefix. */
int kssp_cli_decode_print(const uint8_t *buf, size_t len, const char *prefix);
/* Conversations: a recorded one replayed, and the guided tour. */
extern const struct kssp_cli_command kssp_cmd_replay;
extern const struct kssp_cli_command kssp_cmd_demo;
/* The credential-file commands (creds/). */
extern const struct kssp_cli_command kssp_cmd_klist;
extern const struct kssp_cli_command kssp_cmd_keytab;
extern const struct kssp_cli_command kssp_cmd_kdestroy;
/* The KDC commands (kdc/). */
extern const struct kssp_cli_command kssp_cmd_kinit;
extern const struct kssp_cli_command kssp_cmd_kvno;
/* The password change (sspi/, public headers only). */
extern const struct kssp_cli_command kssp_cmd_kpasswd;
/* The context commands (context/). */
extern const struct kssp_cli_command kssp_cmd_token;
extern const struct kssp_cli_command kssp_cmd_accept;
/* The SSPI commands (public headers only). */
extern const struct kssp_cli_command kssp_cmd_loop;
extern const struct kssp_cli_command kssp_cmd_http;

#endif
