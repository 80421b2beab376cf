/* cli/cmd_kdestroy.c - `kssp kdestroy`: removes a FILE credential cache. */
#include <getopt.h>
#include <stdio.h>

#include "base/base.h"
#include "cli/cli.h"
#include "creds/creds.h"

static int run_kdestroy(int argc, char **argv)
{
	const char *name = NULL;
	char *path;
	kssp_err e;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "c:q")) != -1) {
		switch (c) {
		case 'c': name = optarg; break;
		case 'q': break;
		default: return kssp_cli_usage_error("kdestroy", "unknown option");
		}
	}
	if (optind != argc)
		return kssp_cli_usage_error("kdestroy", "unexpected argument");
	e = kssp_ccache_resolve(name, &path);
	if (!e) {
		e = kssp_ccache_destroy(path);
		kssp_free(path);
	}
	return e ? kssp_cli_fail("kdestroy", e) : KSSP_EXIT_OK;
}

const struct kssp_cli_command kssp_cmd_kdestroy = {
	"kdestroy", "remove a credential cache",
	"usage: kssp kdestroy [-c CCACHE]\n"
	"\n"
	"Removes a FILE credential cache (default: $KRB5CCNAME, else /tmp/krb5cc_UID).\n"
	"A cache that does not exist is an error (exit 1).\n",
	run_kdestroy,
};
