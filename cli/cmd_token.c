/*
 * cli/cmd_token.c - `kssp token`: the initial context token for a service,
 * made by InitializeSecurityContext through the public SSPI headers only
 * (the Kerberos package: the krb5 AP-REQ in RFC 2743 framing, RFC 4121
 * §4.1; --negotiate: the Negotiate package, that token in a SPNEGO
 * negTokenInit, RFC 4178), from a credential on a FILE cache, printed in
 * base64.  A service ticket fetched from the KDC is stored in the cache.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/replay.h"

struct token_opts {
	const char *ccache;
	ULONG req;
	int http, negotiate;
	const char *spn;
	const char *record; /* --record FILE */
};

static int token_fail(const char *what, SECURITY_STATUS st)
{
	fprintf(stderr, "kssp: token: %s: %s (0x%08lx): %s\n", what, kssp_status_name(st),
	    (unsigned long)(ULONG)st, kssp_status_reason());
	return KSSP_EXIT_FAIL;
}

static int run_token(const struct token_opts *o)
{
	SEC_CHAR *package = o->negotiate ? (SEC_CHAR *)"Negotiate" : (SEC_CHAR *)"Kerberos";
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	ULONG attr = 0;
	SECURITY_STATUS st;
	int rc;

	memset(&ad, 0, sizeof(ad));
	memset(&ctx, 0, sizeof(ctx));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Ccache = o->ccache;
	kssp_cli_trace_from_env(&ad);
	st = AcquireCredentialsHandleA(NULL, package, SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    &cred, NULL);
	if (st != SEC_E_OK)
		return token_fail("AcquireCredentialsHandle", st);
	st = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)o->spn,
	    o->req | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr,
	    NULL);
	if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
		rc = token_fail("InitializeSecurityContext", st);
	} else {
		rc = kssp_cli_print_base64(o->http ? "Authorization: Negotiate " : "", out.pvBuffer,
		    out.cbBuffer);
		if (rc != KSSP_EXIT_OK)
			rc = kssp_cli_fail("token", KSSP_ERR_NOMEM);
		DeleteSecurityContext(&ctx);
	}
	if (out.pvBuffer != NULL)
		FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
	return rc;
}

static int cmd_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mutual", no_argument, NULL, 'm' },
		{ "delegate", no_argument, NULL, 'd' },
		{ "conf", no_argument, NULL, 'C' },
		{ "http", no_argument, NULL, 'H' },
		{ "negotiate", no_argument, NULL, 'N' },
		{ "record", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	struct token_opts o;
	int c;

	memset(&o, 0, sizeof(o));
	/* What the token has always asked for: replay and sequence detection, integrity. */
	o.req = ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_INTEGRITY;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.ccache = optarg; break;
		case 'm': o.req |= ISC_REQ_MUTUAL_AUTH; break;
		case 'd': o.req |= ISC_REQ_DELEGATE; break;
		case 'C': o.req |= ISC_REQ_CONFIDENTIALITY; break;
		case 'H': o.http = 1; break;
		case 'N': o.negotiate = 1; break;
		case 'W': o.record = optarg; break;
		default: return kssp_cli_usage_error("token", "unknown option");
		}
	}
	if (optind != argc - 1)
		return kssp_cli_usage_error("token", "one SPN is needed");
	o.spn = argv[optind];
	if (o.record)
		return kssp_token_record(o.record, o.negotiate ? "Negotiate" : "Kerberos", o.req,
		    o.spn, o.ccache, o.http);
	return run_token(&o);
}

const struct kssp_cli_command kssp_cmd_token = {
	"token", "print the initial context token (InitializeSecurityContext) for a service",
	"usage: kssp token [-c CCACHE] [--mutual] [--delegate] [--conf] [--negotiate]\n"
	"                  [--http] [--record FILE] SPN\n"
	"\n"
	"Calls InitializeSecurityContext once for SPN (service/host@REALM,\n"
	"service/host, or service@host) with the Kerberos package, or Negotiate with\n"
	"--negotiate, on a credential over the FILE cache CCACHE (default\n"
	"$KRB5CCNAME), and prints the token in base64: the krb5 GSS initial context\n"
	"token (RFC 4121 §4.1: AP-REQ with the 0x8003 checksum), in a SPNEGO\n"
	"negTokenInit with --negotiate.  A service ticket fetched with the cache's TGT\n"
	"is stored in the cache.  Asks ISC_REQ_REPLAY_DETECT, SEQUENCE_DETECT and\n"
	"INTEGRITY, and:\n"
	"\n"
	"  -c CCACHE    the credential cache (FILE:path or a path)\n"
	"  --mutual     ISC_REQ_MUTUAL_AUTH (the acceptor sends an AP-REP)\n"
	"  --delegate   ISC_REQ_DELEGATE: a forwarded TGT in a KRB-CRED, when the\n"
	"               service is ok-as-delegate or krb5.conf has\n"
	"               enforce_ok_as_delegate = false (the cache's TGT must be\n"
	"               forwardable)\n"
	"  --conf       ISC_REQ_CONFIDENTIALITY (sealed Wrap tokens)\n"
	"  --negotiate  the Negotiate package (SPNEGO, RFC 4178)\n"
	"  --http       print as an HTTP header: Authorization: Negotiate <base64>\n"
	"  --record FILE  record the TGS exchange (when one is needed) and the token\n"
	"               for `kssp replay FILE`, with a fixed clock and seeded random\n"
	"               stream; the cache as it was and krb5.conf are copied beside it\n",
	cmd_token,
};
