/*
 * cli/cmd_kpasswd.c - `kssp kpasswd`: a password change as MIT's kpasswd
 * asks for it (old password, new password twice), through the public
 * ChangeAccountPasswordA, so that its status is the one an SSPI caller
 * gets.
 */
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "cli/cli.h"
#include "kssp/kssp.h"
#include "kssp/sspi.h"

#define CMD "kpasswd"
#define PASSWORD_MAX 1024

struct passwords {
	char old_pw[PASSWORD_MAX], new_pw[PASSWORD_MAX], again[PASSWORD_MAX];
};

static kssp_err read_all(const char *principal, struct passwords *p)
{
	size_t n = 0;
	kssp_err e;

	if ((e = kssp_cli_read_password(NULL, "Password for ", principal, p->old_pw, PASSWORD_MAX,
	    &n)) ||
	    (e = kssp_cli_read_password(NULL, "Enter new password", "", p->new_pw, PASSWORD_MAX,
	        &n)) ||
	    (e = kssp_cli_read_password(NULL, "Enter it again", "", p->again, PASSWORD_MAX, &n)))
		return e;
	if (strcmp(p->new_pw, p->again) != 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "the new passwords differ");
	return KSSP_OK;
}

static int run_kpasswd(int argc, char **argv)
{
	struct passwords *p;
	SECURITY_STATUS st;
	kssp_err e;

	if (argc != 2 || argv[1][0] == '-')
		return kssp_cli_usage_error(CMD, "one PRINCIPAL is required");
	if (!(p = kssp_calloc(1, sizeof(*p))))
		return kssp_cli_fail(CMD, kssp_fail(KSSP_ERR_NOMEM, "out of memory"));
	if ((e = read_all(argv[1], p))) {
		kssp_free_secret(p, sizeof(*p));
		return kssp_cli_fail(CMD, e);
	}
	st = ChangeAccountPasswordA((SEC_CHAR *)"Kerberos", NULL, argv[1], p->old_pw, p->new_pw, 0,
	    0, NULL);
	kssp_free_secret(p, sizeof(*p));
	if (st != SEC_E_OK) {
		fprintf(stderr, "kssp: %s: %s (0x%08lx): %s\n", CMD, kssp_status_name(st),
		    (unsigned long)(ULONG)st, kssp_status_reason());
		return KSSP_EXIT_FAIL;
	}
	printf("Password changed.\n");
	return KSSP_EXIT_OK;
}

const struct kssp_cli_command kssp_cmd_kpasswd = {
	"kpasswd", "change a password (RFC 3244 kpasswd, as ChangeAccountPassword does)",
	"usage: kssp kpasswd PRINCIPAL\n"
	"\n"
	"Reads the old password, then the new one twice (from the terminal with\n"
	"echo off, else as three lines of standard input), gets a kadmin/changepw\n"
	"ticket with the old one and asks the realm's kpasswd server (krb5.conf\n"
	"kpasswd_server, else admin_server or the KDCs, port 464) for the change,\n"
	"through ChangeAccountPasswordA.  A refusal prints its SEC_E status and\n"
	"the server's result: SEC_E_LOGON_DENIED for a wrong old password,\n"
	"SEC_E_INVALID_PARAMETER with \"SOFTERROR (4)\" and the policy for a new\n"
	"password the policy refuses.\n",
	run_kpasswd,
};
