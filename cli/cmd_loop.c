/*
 * cli/cmd_loop.c - `kssp loop`: the whole SSPI exchange in one process,
 * through the public headers only (<kssp/sspi.h>, <kssp/kssp.h>): the
 * client's InitializeSecurityContext against the server's
 * AcceptSecurityContext, each leg's status and token size, the attributes
 * both sides end with, then an EncryptMessage / DecryptMessage round trip.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/replay.h"

struct loop_flag {
	const char *name;  /* kssp's short name */
	const char *upper; /* the ISC_REQ_ name without its prefix */
	ULONG isc;
};

/* --flags names, the ISC_REQ_* bits they ask for. */
static const struct loop_flag loop_flags[] = {
	{ "mutual", "MUTUAL_AUTH", ISC_REQ_MUTUAL_AUTH },
	{ "conf", "CONFIDENTIALITY", ISC_REQ_CONFIDENTIALITY },
	{ "integ", "INTEGRITY", ISC_REQ_INTEGRITY },
	{ "replay", "REPLAY_DETECT", ISC_REQ_REPLAY_DETECT },
	{ "sequence", "SEQUENCE_DETECT", ISC_REQ_SEQUENCE_DETECT },
	{ "delegate", "DELEGATE", ISC_REQ_DELEGATE },
	{ "alloc", "ALLOCATE_MEMORY", ISC_REQ_ALLOCATE_MEMORY },
	{ "extended-error", "EXTENDED_ERROR", ISC_REQ_EXTENDED_ERROR },
	{ "identify", "IDENTIFY", ISC_REQ_IDENTIFY },
	{ "u2u", "USE_SESSION_KEY", ISC_REQ_USE_SESSION_KEY },
	{ "dce", "USE_DCE_STYLE", ISC_REQ_USE_DCE_STYLE },
};

static int loop_flags_parse(const char *list, ULONG *req)
{
	char buf[256], *tok, *save = NULL;
	size_t i;

	if (strlen(list) >= sizeof(buf))
		return -1;
	memcpy(buf, list, strlen(list) + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(loop_flags) / sizeof(loop_flags[0]); i++)
			if (strcmp(tok, loop_flags[i].name) == 0 || strcmp(tok, loop_flags[i].upper) == 0 ||
			    (strncmp(tok, "ISC_REQ_", 8) == 0 && strcmp(tok + 8, loop_flags[i].upper) == 0))
				break;
		if (i == sizeof(loop_flags) / sizeof(loop_flags[0]))
			return -1;
		*req |= loop_flags[i].isc;
	}
	return 0;
}

static int loop_fail(const char *what, SECURITY_STATUS st)
{
	fprintf(stderr, "kssp: loop: %s: %s (0x%08lx): %s\n", what, kssp_status_name(st),
	    (unsigned long)(ULONG)st, kssp_status_reason());
	return KSSP_EXIT_FAIL;
}

/* Token buffers of the legs: the largest Negotiate token Windows reports. */
#define LOOP_TOKEN_MAX 48256

struct loop_state {
	CredHandle client, server;
	CtxtHandle cctx, sctx;
	int have_c, have_s;
	ULONG req, cattr, sattr;
};

static SECURITY_STATUS loop_isc(struct loop_state *st, SEC_CHAR *spn, SecBuffer *in,
    SecBuffer *out, unsigned char *buf)
{
	SecBufferDesc id = { SECBUFFER_VERSION, 1, in }, od = { SECBUFFER_VERSION, 1, out };
	int alloc = (st->req & ISC_REQ_ALLOCATE_MEMORY) != 0;
	SECURITY_STATUS s;

	out->BufferType = SECBUFFER_TOKEN;
	out->cbBuffer = alloc ? 0 : LOOP_TOKEN_MAX;
	out->pvBuffer = alloc ? NULL : buf;
	s = InitializeSecurityContextA(&st->client, st->have_c ? &st->cctx : NULL, spn, st->req, 0,
	    SECURITY_NATIVE_DREP, st->have_c ? &id : NULL, 0, &st->cctx, &od, &st->cattr, NULL);
	if (s >= 0)
		st->have_c = 1;
	return s;
}

static SECURITY_STATUS loop_asc(struct loop_state *st, SecBuffer *in, SecBuffer *out,
    unsigned char *buf)
{
	SecBufferDesc id = { SECBUFFER_VERSION, 1, in }, od = { SECBUFFER_VERSION, 1, out };
	SECURITY_STATUS s;

	out->BufferType = SECBUFFER_TOKEN;
	out->cbBuffer = LOOP_TOKEN_MAX;
	out->pvBuffer = buf;
	s = AcceptSecurityContext(&st->server, st->have_s ? &st->sctx : NULL, &id,
	    ASC_REQ_EXTENDED_ERROR, SECURITY_NATIVE_DREP, &st->sctx, &od, &st->sattr, NULL);
	if (s >= 0)
		st->have_s = 1;
	return s;
}

/* The ISC / ASC legs until both sides are done. */
static int loop_establish(struct loop_state *st, SEC_CHAR *spn)
{
	static unsigned char cbuf[LOOP_TOKEN_MAX], sbuf[LOOP_TOKEN_MAX];
	SecBuffer in = { 0, SECBUFFER_TOKEN, NULL }, out = { 0, SECBUFFER_TOKEN, NULL };
	SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
	int leg = 0;

	while (cs == SEC_I_CONTINUE_NEEDED) {
		cs = loop_isc(st, spn, &in, &out, cbuf);
		printf("leg %d: InitializeSecurityContext %s, token %lu bytes\n", ++leg,
		    kssp_status_name(cs), (unsigned long)out.cbBuffer);
		if (cs < 0)
			return loop_fail("InitializeSecurityContext", cs);
		if (out.cbBuffer == 0 || ss == SEC_E_OK)
			break;
		ss = loop_asc(st, &out, &in, sbuf);
		if (st->req & ISC_REQ_ALLOCATE_MEMORY)
			FreeContextBuffer(out.pvBuffer);
		printf("leg %d: AcceptSecurityContext %s, token %lu bytes\n", leg,
		    kssp_status_name(ss), (unsigned long)in.cbBuffer);
		if (ss < 0)
			return loop_fail("AcceptSecurityContext", ss);
		if (in.cbBuffer == 0)
			break;
	}
	if ((st->req & ISC_REQ_ALLOCATE_MEMORY) && out.cbBuffer != 0 && ss == SEC_E_OK)
		FreeContextBuffer(out.pvBuffer);
	return KSSP_EXIT_OK;
}

/* EncryptMessage on the client, DecryptMessage on the server. */
static int loop_round_trip(struct loop_state *st)
{
	static const char msg[] = "kssp loop: a sealed message";
	unsigned char tok[256], data[sizeof(msg)], pad[16];
	SecBuffer b[3];
	SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
	SecPkgContext_Sizes sz = { 0, 0, 0, 0 };
	SECURITY_STATUS s;

	s = QueryContextAttributesA(&st->cctx, SECPKG_ATTR_SIZES, &sz);
	if (s != SEC_E_OK)
		return loop_fail("QueryContextAttributes(SIZES)", s);
	memcpy(data, msg, sizeof(msg));
	b[0].BufferType = SECBUFFER_TOKEN;
	b[0].cbBuffer = sz.cbSecurityTrailer < sizeof(tok) ? sz.cbSecurityTrailer : sizeof(tok);
	b[0].pvBuffer = tok;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = sizeof(msg);
	b[1].pvBuffer = data;
	/* RC4 puts its pad byte here (cbBlockSize 1); AES leaves it empty. */
	b[2].BufferType = SECBUFFER_PADDING;
	b[2].cbBuffer = sz.cbBlockSize < sizeof(pad) ? sz.cbBlockSize : sizeof(pad);
	b[2].pvBuffer = pad;
	s = EncryptMessage(&st->cctx, 0, &d, 0);
	if (s != SEC_E_OK)
		return loop_fail("EncryptMessage", s);
	printf("EncryptMessage SEC_E_OK: token %lu + data %lu bytes (cbSecurityTrailer %lu, cbMaxSignature %lu)\n",
	    (unsigned long)b[0].cbBuffer, (unsigned long)b[1].cbBuffer,
	    (unsigned long)sz.cbSecurityTrailer, (unsigned long)sz.cbMaxSignature);
	s = DecryptMessage(&st->sctx, &d, 0, NULL);
	if (s != SEC_E_OK)
		return loop_fail("DecryptMessage", s);
	if (b[1].cbBuffer != sizeof(msg) || memcmp(b[1].pvBuffer, msg, sizeof(msg)) != 0)
		return loop_fail("DecryptMessage gave other bytes", SEC_E_MESSAGE_ALTERED);
	printf("DecryptMessage SEC_E_OK: \"%s\"\n", (char *)b[1].pvBuffer);
	return KSSP_EXIT_OK;
}

static int loop_report(struct loop_state *st)
{
	SecPkgContext_NamesA names = { NULL };
	SECURITY_STATUS s = QueryContextAttributesA(&st->sctx, SECPKG_ATTR_NAMES, &names);

	if (s != SEC_E_OK)
		return loop_fail("QueryContextAttributes(NAMES)", s);
	printf("client attributes 0x%08lx, server attributes 0x%08lx, server sees %s\n",
	    (unsigned long)st->cattr, (unsigned long)st->sattr, names.sUserName);
	FreeContextBuffer(names.sUserName);
	return KSSP_EXIT_OK;
}

static int run_loop(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "negotiate", no_argument, NULL, 'n' },
		{ "flags", required_argument, NULL, 'f' },
		{ "keytab", required_argument, NULL, 'k' },
		{ "acceptor-ccache", required_argument, NULL, 'c' },
		{ "record", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct loop_state st;
	KSSP_AUTH_DATA ad, cad;
	const char *package = "Kerberos", *record = NULL;
	SECURITY_STATUS s;
	int c, rc;

	memset(&st, 0, sizeof(st));
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	kssp_cli_trace_from_env(&ad);
	cad = ad; /* the client: the default cache, traced like the server */
	optind = 1;
	while ((c = getopt_long(argc, argv, "nf:k:", longopts, NULL)) != -1) {
		if (c == 'n')
			package = "Negotiate";
		else if (c == 'f' && loop_flags_parse(optarg, &st.req) == 0)
			continue;
		else if (c == 'k')
			ad.Keytab = optarg;
		else if (c == 'c')
			ad.Ccache = optarg;
		else if (c == 'r')
			record = optarg;
		else
			return kssp_cli_usage_error("loop", "unknown option or --flags name");
	}
	if (optind + 1 != argc)
		return kssp_cli_usage_error("loop", "one SPN expected");
	if (record && ad.Ccache)
		return kssp_cli_usage_error("loop", "--record takes no --acceptor-ccache");
	if (record)
		return kssp_loop_record(record, package, st.req, argv[optind], ad.Keytab);
	s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &cad,
	    NULL, NULL, &st.client, NULL);
	if (s != SEC_E_OK)
		return loop_fail("AcquireCredentialsHandle (client)", s);
	s = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, &ad,
	    NULL, NULL, &st.server, NULL);
	if (s != SEC_E_OK) {
		FreeCredentialsHandle(&st.client);
		return loop_fail("AcquireCredentialsHandle (server)", s);
	}
	printf("package %s, fContextReq 0x%08lx, target %s\n", package, (unsigned long)st.req,
	    argv[optind]);
	rc = loop_establish(&st, argv[optind]);
	if (rc == KSSP_EXIT_OK)
		rc = loop_report(&st);
	if (rc == KSSP_EXIT_OK)
		rc = loop_round_trip(&st);
	if (st.have_c)
		DeleteSecurityContext(&st.cctx);
	if (st.have_s)
		DeleteSecurityContext(&st.sctx);
	FreeCredentialsHandle(&st.client);
	FreeCredentialsHandle(&st.server);
	return rc;
}

const struct kssp_cli_command kssp_cmd_loop = {
	"loop",
	"run the SSPI exchange and a sealed message in one process",
	"usage: kssp loop [--negotiate] [--flags LIST] [--keytab KEYTAB] [--acceptor-ccache CC]\n"
	"                 [--record FILE] SPN\n"
	"\n"
	"Runs InitializeSecurityContext (credentials: the default cache, KRB5CCNAME)\n"
	"against AcceptSecurityContext (keys: KEYTAB, else KRB5_KTNAME) for SPN\n"
	"(HTTP/host, HTTP/host@REALM, service@host), printing each leg's status and\n"
	"token size and both sides' attributes, then seals a message with\n"
	"EncryptMessage and opens it with DecryptMessage.  Uses only the public SSPI.\n"
	"\n"
	"  --negotiate   the Negotiate package (SPNEGO) instead of Kerberos\n"
	"  --flags LIST  comma-separated ISC_REQ_* names: mutual, conf, integ, replay,\n"
	"                sequence, delegate, alloc, extended-error, identify, u2u,\n"
	"                dce (USE_DCE_STYLE: the three-leg exchange of MS-KILE 3.4.5.1),\n"
	"                or Windows' names with or without ISC_REQ_ (MUTUAL_AUTH,\n"
	"                CONFIDENTIALITY, INTEGRITY, REPLAY_DETECT, SEQUENCE_DETECT,\n"
	"                DELEGATE, ALLOCATE_MEMORY, EXTENDED_ERROR, IDENTIFY,\n"
	"                USE_SESSION_KEY, USE_DCE_STYLE)\n"
	"  --keytab KT   the acceptor's keytab\n"
	"  --acceptor-ccache CC  the acceptor's cache, whose TGT serves user-to-user\n"
	"                (--flags USE_SESSION_KEY; SPN is then the acceptor's principal)\n"
	"  --record FILE record the conversation for `kssp replay FILE` (fixed clock,\n"
	"                seeded random streams; copies of the cache, keytab and\n"
	"                krb5.conf are written beside FILE)\n",
	run_loop,
};
