/*
 * cli/cmd_accept.c - `kssp accept`: accepts a krb5 GSS initial context
 * token (RFC 4121 §4.1), bare or in SPNEGO (RFC 4178), with a keytab, by
 * AcceptSecurityContext through the public headers only (<kssp/sspi.h>,
 * <kssp/kssp.h>; the Negotiate package, which takes both forms and answers
 * in kind), and prints who it authenticates, the flags granted, the
 * context key's enctype, the PAC when the ticket had one (kssp's
 * SECPKG_ATTR_KSSP_PAC and SECPKG_ATTR_KSSP_LOGON_INFO; with --json as one
 * JSON object) and, for mutual authentication, the reply token.
 * The replay cache is MIT's shared file (KSSP_AUTH_DATA's ReplayCache;
 * default "dfl:", MIT's $KRB5RCACHEDIR/krb5_<euid>.rcache2), a delegated TGT
 * goes to a cache file through kssp_store_delegated.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"

struct accept_opts {
	const char *keytab, *spn, *rcache, *deleg_ccache, *input;
	bool fixed_time, no_rcache, json;
	int64_t time;
};

/* What the caller asks: every protection the client offers, the error token, buffers from kssp. */
#define ACCEPT_REQ (ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | \
	ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_DELEGATE | ASC_REQ_EXTENDED_ERROR | \
	ASC_REQ_ALLOCATE_MEMORY)

static int fixed_clock(void *arg, int64_t *sec, int32_t *usec)
{
	*sec = *(const int64_t *)arg;
	*usec = 0;
	return 0;
}

/* The ASC_RET_* bits the client's token decides, by the names RFC 4121 §4.1.1.1 gives them. */
static void print_flags(ULONG f)
{
	static const struct { ULONG bit; const char *name; } names[] = {
		{ ASC_RET_DELEGATE, "deleg" }, { ASC_RET_MUTUAL_AUTH, "mutual" },
		{ ASC_RET_REPLAY_DETECT, "replay" }, { ASC_RET_SEQUENCE_DETECT, "sequence" },
		{ ASC_RET_CONFIDENTIALITY, "conf" }, { ASC_RET_INTEGRITY, "integ" },
		{ ASC_RET_IDENTIFY, "identify" },
	};
	size_t i;

	printf("flags:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			printf(" %s", names[i].name);
	printf(" (0x%lx)\n", (unsigned long)f);
}

/* KSSP_AUTH_DATA's ReplayCache: "none" there means no cache, so a file of that name is ./none. */
static const char *rcache_name(const struct accept_opts *o)
{
	if (o->no_rcache)
		return "none";
	if (o->rcache == NULL)
		return "dfl:"; /* MIT's default file, shared with MIT's acceptors */
	return strcmp(o->rcache, "none") == 0 ? "./none" : o->rcache;
}

/* "kssp: accept: KRB_AP_ERR_REPEAT (code 34), SEC_E_INVALID_TOKEN (0x80090308): reason" */
static int accept_fail(const char *what, SECURITY_STATUS st)
{
	int32_t code = 0;
	const char *err = kssp_status_error(&code);

	fprintf(stderr, "kssp: accept: ");
	if (what != NULL)
		fprintf(stderr, "%s: ", what);
	if (*err)
		fprintf(stderr, "%s (code %d), ", err, (int)code);
	fprintf(stderr, "%s (0x%08lx): %s\n", kssp_status_name(st), (unsigned long)(ULONG)st,
	    kssp_status_reason());
	return KSSP_EXIT_FAIL;
}

/* ---- the PAC ---- */

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key(const char *key, const char *value)
{
	printf(",\"%s\":", key);
	json_string(value);
}

static void json_sids(const char *key, const KSSP_SID_AND_ATTRIBUTES *a, ULONG n)
{
	ULONG i;

	printf(",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		printf("%s{\"sid\":", i ? "," : "");
		json_string(a[i].Sid);
		printf(",\"attributes\":%lu}", (unsigned long)a[i].Attributes);
	}
	putchar(']');
}

static const char *signature_state(ULONG flags, ULONG bit)
{
	return (flags & bit) ? "present, not verified" : "absent";
}

static void print_pac_json(const KSSP_PAC *pac, const KSSP_LOGON_INFO *li)
{
	ULONG i;

	printf("{\"server_signature\":\"%s\"", (pac->Flags & KSSP_PAC_SERVER_SIGNATURE_VERIFIED) ?
	    "verified" : "not verified");
	json_key("kdc_signature", signature_state(pac->Flags, KSSP_PAC_KDC_SIGNATURE_PRESENT));
	json_key("ticket_signature", signature_state(pac->Flags, KSSP_PAC_TICKET_SIGNATURE_PRESENT));
	json_key("full_signature", signature_state(pac->Flags, KSSP_PAC_FULL_SIGNATURE_PRESENT));
	printf(",\"bytes\":%lu", (unsigned long)pac->PacLength);
	json_key("account", li->AccountName);
	json_key("logon_domain", li->LogonDomainName);
	json_key("user_sid", li->UserSid);
	json_key("primary_group_sid", li->PrimaryGroupSid);
	json_sids("groups", li->Groups, li->GroupCount);
	json_sids("extra_sids", li->ExtraSids, li->ExtraSidCount);
	json_sids("resource_groups", li->ResourceGroups, li->ResourceGroupCount);
	json_key("upn", li->Upn);
	json_key("dns_domain", li->DnsDomainName);
	printf(",\"logon_time\":%llu,\"password_last_set\":%llu,\"user_flags\":%lu",
	    (unsigned long long)li->LogonTime, (unsigned long long)li->PasswordLastSet,
	    (unsigned long)li->UserFlags);
	printf(",\"transited_services\":[");
	for (i = 0; i < li->TransitedServiceCount; i++) {
		printf("%s", i ? "," : "");
		json_string(li->TransitedServices[i]);
	}
	printf("],\"client_claims_bytes\":%lu,\"client_claims\":\"",
	    (unsigned long)li->ClientClaimsLength);
	for (i = 0; i < li->ClientClaimsLength; i++)
		printf("%02x", li->ClientClaims[i]);
	printf("\"}\n");
}

static void print_sids(const char *what, const KSSP_SID_AND_ATTRIBUTES *a, ULONG n)
{
	ULONG i;

	for (i = 0; i < n; i++)
		printf("pac-%s: %s (0x%lx)\n", what, a[i].Sid, (unsigned long)a[i].Attributes);
}

static void print_pac_text(const KSSP_PAC *pac, const KSSP_LOGON_INFO *li)
{
	ULONG i;

	printf("pac: %lu bytes, server signature %s, KDC signature %s, ticket signature %s, "
	    "full signature %s\n", (unsigned long)pac->PacLength,
	    (pac->Flags & KSSP_PAC_SERVER_SIGNATURE_VERIFIED) ? "verified" : "not verified",
	    signature_state(pac->Flags, KSSP_PAC_KDC_SIGNATURE_PRESENT),
	    signature_state(pac->Flags, KSSP_PAC_TICKET_SIGNATURE_PRESENT),
	    signature_state(pac->Flags, KSSP_PAC_FULL_SIGNATURE_PRESENT));
	printf("pac-account: %s\npac-logon-domain: %s\npac-user-sid: %s\n"
	    "pac-primary-group-sid: %s\npac-groups: %lu\n", li->AccountName, li->LogonDomainName,
	    li->UserSid, li->PrimaryGroupSid, (unsigned long)li->GroupCount);
	print_sids("group", li->Groups, li->GroupCount);
	print_sids("extra-sid", li->ExtraSids, li->ExtraSidCount);
	print_sids("resource-group", li->ResourceGroups, li->ResourceGroupCount);
	printf("pac-upn: %s\npac-dns-domain: %s\n", li->Upn, li->DnsDomainName);
	for (i = 0; i < li->TransitedServiceCount; i++)
		printf("pac-transited: %s\n", li->TransitedServices[i]);
	if (li->ClientClaimsLength)
		printf("pac-client-claims: %lu bytes (not decoded)\n",
		    (unsigned long)li->ClientClaimsLength);
}

/* The PAC, or "pac: none" (null in JSON) when the ticket had none. */
static int print_pac(CtxtHandle *ctx, bool json)
{
	KSSP_PAC pac = { 0 };
	PKSSP_LOGON_INFO li = NULL;
	SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_KSSP_PAC, &pac);

	if (st == SEC_E_UNSUPPORTED_FUNCTION) {
		puts(json ? "null" : "pac: none");
		return KSSP_EXIT_OK;
	}
	if (st != SEC_E_OK)
		return accept_fail("QueryContextAttributes(KSSP_PAC)", st);
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_KSSP_LOGON_INFO, &li);
	if (st == SEC_E_OK) {
		if (json)
			print_pac_json(&pac, li);
		else
			print_pac_text(&pac, li);
		FreeContextBuffer(li);
	}
	FreeContextBuffer(pac.Pac);
	return st == SEC_E_OK ? KSSP_EXIT_OK : accept_fail("QueryContextAttributes(KSSP_LOGON_INFO)", st);
}

/*
 * Client names (the Kerberos principal, and Windows' name: DOMAIN\account
 * with a PAC) and the enctype of the key messages are protected with
 * (RFC 4121 §2).
 */
static int print_context(CtxtHandle *ctx, ULONG attr)
{
	SecPkgContext_NativeNamesA native = { NULL, NULL };
	SecPkgContext_NamesA names = { NULL };
	SecPkgContext_KeyInfoA key;
	SECURITY_STATUS st;

	memset(&key, 0, sizeof(key));
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_NATIVE_NAMES, &native);
	if (st != SEC_E_OK)
		return accept_fail("QueryContextAttributes(NATIVE_NAMES)", st);
	printf("client: %s\n", native.sClientName);
	FreeContextBuffer(native.sClientName);
	FreeContextBuffer(native.sServerName);
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
	if (st != SEC_E_OK)
		return accept_fail("QueryContextAttributes(NAMES)", st);
	printf("name: %s\n", names.sUserName);
	FreeContextBuffer(names.sUserName);
	print_flags(attr);
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_KEY_INFO, &key);
	if (st != SEC_E_OK)
		return accept_fail("QueryContextAttributes(KEY_INFO)", st);
	printf("enctype: %s (%lu)\n", key.sEncryptAlgorithmName, (unsigned long)key.EncryptAlgorithm);
	FreeContextBuffer(key.sEncryptAlgorithmName);
	FreeContextBuffer(key.sSignatureAlgorithmName);
	return KSSP_EXIT_OK;
}

/* The established context: what it is, the reply token, the delegated TGT. */
static int report(const struct accept_opts *o, CtxtHandle *ctx, ULONG attr, const SecBuffer *out)
{
	SECURITY_STATUS st;
	int rc;

	/* Without a delegated TGT, the ticket accepted (ASC_REQ_DELEGATE kept it) goes there. */
	if (o->deleg_ccache != NULL && (st = kssp_store_delegated(ctx, o->deleg_ccache)) != SEC_E_OK)
		return accept_fail("kssp_store_delegated", st);
	if ((rc = print_context(ctx, attr)) != KSSP_EXIT_OK || (rc = print_pac(ctx, o->json)))
		return rc;
	if (out->cbBuffer != 0 && kssp_cli_print_base64("reply: ", out->pvBuffer, out->cbBuffer))
		return KSSP_EXIT_FAIL;
	if (attr & ASC_RET_DELEGATE)
		printf("delegated: %s\n", o->deleg_ccache ? o->deleg_ccache : "(not stored)");
	else if (o->deleg_ccache != NULL)
		printf("evidence: %s\n", o->deleg_ccache);
	return KSSP_EXIT_OK;
}

static int accept_token(const struct accept_opts *o, uint8_t *tok, size_t len)
{
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer in = { (ULONG)len, SECBUFFER_TOKEN, tok }, out = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &in }, od = { SECBUFFER_VERSION, 1, &out };
	ULONG attr = 0;
	SECURITY_STATUS st;
	int rc;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_2;
	ad.Length = sizeof(ad);
	ad.Keytab = o->keytab;
	ad.ReplayCache = rcache_name(o);
	kssp_cli_trace_from_env(&ad);
	if (o->fixed_time) {
		ad.Clock = fixed_clock;
		ad.ClockArg = (void *)&o->time;
	}
	st = AcquireCredentialsHandleA((SEC_CHAR *)o->spn, (SEC_CHAR *)"Negotiate",
	    SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL, &cred, NULL);
	if (st != SEC_E_OK)
		return accept_fail("AcquireCredentialsHandle", st);
	st = AcceptSecurityContext(&cred, NULL, &id, ACCEPT_REQ, SECURITY_NATIVE_DREP, &ctx, &od,
	    &attr, NULL);
	if (st == SEC_E_OK) {
		rc = report(o, &ctx, attr, &out);
		DeleteSecurityContext(&ctx);
	} else {
		rc = accept_fail(NULL, st);
		if (out.cbBuffer != 0)
			kssp_cli_print_base64("error-token: ", out.pvBuffer, out.cbBuffer);
	}
	if (out.pvBuffer != NULL)
		FreeContextBuffer(out.pvBuffer);
	FreeCredentialsHandle(&cred);
	return rc;
}

/*
 * A context token opens with GSS's InitialContextToken tag (0x60, RFC
 * 2743 §3.1), a bare AP-REQ's (0x6e, RFC 4120 §5.5.1: DCE style) or
 * SPNEGO's negTokenResp (0xa1, RFC 4178 §4.2); anything else, or text
 * that did not decode, is said to be no token, with the forms taken.
 */
static kssp_err check_token(const char *path, kssp_err e, const uint8_t *tok, size_t len)
{
	char why[KSSP_REASON_MAX];

	if (!e && len > 0 && (tok[0] == 0x60 || tok[0] == 0x6e || tok[0] == 0xa1))
		return KSSP_OK;
	if (e && e != KSSP_ERR_BAD_ENCODING)
		return e;
	snprintf(why, sizeof(why), "%s", e ? kssp_last_reason() : "");
	return kssp_fail(KSSP_ERR_BAD_ENCODING,
	    "%s is not a context token%s%s%s; accept takes one as binary DER, hex, base64 or an "
	    "HTTP \"Negotiate <base64>\" value", path, e ? " (" : "", why, e ? ")" : "");
}

static int run_accept(const struct accept_opts *o)
{
	uint8_t *text = NULL, *tok = NULL;
	size_t tlen = 0, len = 0;
	kssp_err e;
	int rc;

	/* Inputs stop at KSSP_CLI_INPUT_MAX (16 MiB): the token fits a SecBuffer's ULONG. */
	e = kssp_cli_read_file(o->input, &text, &tlen);
	if (!e) {
		e = kssp_cli_token_bytes(text, tlen, &tok, &len);
		e = check_token(o->input, e, tok, len);
	}
	rc = e ? kssp_cli_fail("accept", e) : accept_token(o, tok, len);
	free(tok);
	free(text);
	return rc;
}

static int cmd_accept(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "spn", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "no-replay-cache", no_argument, NULL, 'n' },
		{ "rcache", required_argument, NULL, 'r' },
		{ "deleg-ccache", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct accept_opts o;
	char *end;
	int c;

	memset(&o, 0, sizeof(o));
	o.input = "-";
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o.keytab = optarg; break;
		case 's': o.spn = optarg; break;
		case 'n': o.no_rcache = true; break;
		case 'r': o.rcache = optarg; break;
		case 'D': o.deleg_ccache = optarg; break;
		case 'j': o.json = true; break;
		case 't':
			o.time = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				return kssp_cli_usage_error("accept", "--time wants seconds since 1970");
			o.fixed_time = true;
			break;
		default: return kssp_cli_usage_error("accept", "unknown option");
		}
	}
	if (!o.keytab)
		return kssp_cli_usage_error("accept", "-k KEYTAB is needed");
	if (optind < argc - 1)
		return kssp_cli_usage_error("accept", "at most one token");
	if (optind == argc - 1)
		o.input = argv[optind];
	return run_accept(&o);
}

const struct kssp_cli_command kssp_cmd_accept = {
	"accept", "accept a krb5 context token with a keytab",
	"usage: kssp accept -k KEYTAB [--spn SPN] [--time UNIX] [--no-replay-cache]\n"
	"                   [--rcache FILE] [--deleg-ccache FILE] [--json] [TOKEN|-]\n"
	"\n"
	"Accepts the krb5 GSS initial context token (an AP-REQ, RFC 4121 §4.1), bare\n"
	"or as SPNEGO's optimistic token, in the file TOKEN or on standard input (raw,\n"
	"hex, base64 or an HTTP Negotiate header) with the keys of KEYTAB, by\n"
	"AcceptSecurityContext, and prints the client (its Kerberos name, and as\n"
	"'name:' the one Windows gives, DOMAIN\\account with a PAC), the flags granted,\n"
	"the enctype of the context's key, the ticket's PAC (MS-PAC: its signatures'\n"
	"state, account, domain, SIDs, UPN; 'pac: none' without one) and, when mutual\n"
	"authentication was asked,\n"
	"'reply: <base64>' (the AP-REP, in a SPNEGO negTokenResp when the token came\n"
	"in SPNEGO).  A failure prints the Kerberos error, the SSPI status and the\n"
	"reason, and the KRB-ERROR token to return, and exits 1.\n"
	"\n"
	"  -k KEYTAB          the service keytab\n"
	"  --spn SPN          accept only tickets for SPN (default: any key in KEYTAB)\n"
	"  --time UNIX        the clock, in seconds since 1970 (for captured tokens)\n"
	"  --no-replay-cache  do not check or record the authenticator\n"
	"  --rcache NAME      the replay cache (MIT's file2): a file, file2:FILE or dfl: (default\n"
	"                     ${KRB5RCACHEDIR:-${TMPDIR:-/var/tmp}}/krb5_EUID.rcache2)\n"
	"  --deleg-ccache FILE  store a delegated TGT in a new FILE cache; without one,\n"
	"                   the ticket accepted, as the service's S4U2Proxy evidence\n"
	"                   (added to FILE when it is the service's cache)\n"
	"  --json             print the PAC as one JSON object on its line (null: none)\n",
	cmd_accept,
};
