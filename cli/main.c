/*
 * cli/main.c - the kssp tool: subcommand dispatch, help and version.
 * Each subcommand lives in its own cli/cmd_*.c and is listed in commands[].
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "kssp/kssp.h"

static int cmd_help(int argc, char **argv);

static const struct kssp_cli_command help_command = {
	"help", "show the commands, or one command's usage",
	"usage: kssp help [COMMAND]\n"
	"\n"
	"Without COMMAND, lists the subcommands; with it, prints that command's usage.\n",
	cmd_help,
};

static const struct kssp_cli_command *const commands[] = {
	&help_command,
	&kssp_cmd_crypto,
	&kssp_cmd_decode,
	&kssp_cmd_klist,
	&kssp_cmd_keytab,
	&kssp_cmd_kdestroy,
	&kssp_cmd_kinit,
	&kssp_cmd_kvno,
	&kssp_cmd_kpasswd,
	&kssp_cmd_token,
	&kssp_cmd_accept,
	&kssp_cmd_loop,
	&kssp_cmd_http,
	&kssp_cmd_replay,
	&kssp_cmd_demo,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct kssp_cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: kssp [--version] COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out, "\n'kssp help COMMAND' prints a command's usage.\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct kssp_cli_command *c;

	if (argc < 2) {
		print_usage(stdout);
		return KSSP_EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "kssp: help: unknown command '%s'\n", argv[1]);
		print_usage(stderr);
		return KSSP_EXIT_USAGE;
	}
	fputs(c->usage, stdout);
	return KSSP_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct kssp_cli_command *c;

	if (argc < 2) {
		print_usage(stderr);
		return KSSP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("kssp %s\n", kssp_version());
		return KSSP_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv + 1);
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "kssp: unknown command '%s'\n", argv[1]);
		print_usage(stderr);
		return KSSP_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
