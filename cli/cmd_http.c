/*
 * cli/cmd_http.c - `kssp http`: an HTTP(S) GET that completes HTTP
 * Negotiate (RFC 4559 §4-5) through the public API: the 401 challenge,
 * InitializeSecurityContext's token in "Authorization: Negotiate", and the
 * server's "WWW-Authenticate: Negotiate" answer fed to a second
 * InitializeSecurityContext, which verifies it (mutual authentication is
 * always asked for, so a server that sends no answer fails).  Over https
 * the token carries RFC 5929 tls-server-end-point channel bindings.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"

/* RFC 5929 §4: the channel binding type's prefix of the application data. */
#define END_POINT_PREFIX "tls-server-end-point:"

struct http_opts {
	const char *url, *cafile, *ccache, *spn;
	const char *package;   /* "Negotiate" (SPNEGO) or "Kerberos" (bare krb5) */
	int show_head;         /* -i */
	uint8_t *end_point;    /* --tls-end-point: sent instead of the server's */
	size_t end_point_len;
};

/* A Negotiate session: the credential, the context and its last output token. */
struct negotiate {
	CredHandle cred;
	CtxtHandle ctx;
	int have_cred, have_ctx;
	SecBuffer out;
	char spn[512];
};

static int http_fail(const char *what, SECURITY_STATUS st)
{
	fprintf(stderr, "kssp: http: %s: %s (0x%08lx): %s\n", what, kssp_status_name(st),
	    (unsigned long)(ULONG)st, kssp_status_reason());
	return KSSP_EXIT_FAIL;
}

static int http_error(const char *message)
{
	fprintf(stderr, "kssp: http: %s\n", message);
	return KSSP_EXIT_FAIL;
}

/* "HTTP/host" from the URL's host (RFC 4559 §4.1), unless --spn named one. */
static int spn_of(const struct http_opts *o, char *spn, size_t cap)
{
	const char *h = strstr(o->url, "://"), *end;
	size_t n;

	if (o->spn != NULL)
		return (size_t)snprintf(spn, cap, "%s", o->spn) < cap ? 0 : -1;
	if (h == NULL)
		return -1;
	h += 3;
	if (*h == '[') {
		h++;
		end = strchr(h, ']');
	} else {
		end = h + strcspn(h, ":/");
	}
	if (end == NULL || end == h)
		return -1;
	n = (size_t)(end - h);
	return (size_t)snprintf(spn, cap, "HTTP/%.*s", (int)n, h) < cap ? 0 : -1;
}

/*
 * The value after "WWW-Authenticate: Negotiate" in head: *found 0 when
 * there is no such header, else 1 and the token text (may be empty) at
 * *token, *len bytes.
 */
static void negotiate_header(const char *head, int *found, const char **token, size_t *len)
{
	const char *line = head;

	*found = 0;
	while (line != NULL && *line != '\0') {
		const char *end = strstr(line, "\r\n");
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *v = line + 17;

		if (n >= 26 && strncasecmp(line, "WWW-Authenticate:", 17) == 0) {
			while (*v == ' ' || *v == '\t')
				v++;
			if (strncasecmp(v, "Negotiate", 9) == 0 && (v + 9 == line + n || v[9] == ' ')) {
				v += 9;
				while (v < line + n && *v == ' ')
					v++;
				*found = 1;
				*token = v;
				*len = (size_t)(line + n - v);
				return;
			}
		}
		line = end ? end + 2 : NULL;
	}
}

/* The SEC_CHANNEL_BINDINGS for end_point, in one malloc'd block. */
static SEC_CHANNEL_BINDINGS *end_point_bindings(const uint8_t *end_point, size_t len,
    ULONG *size)
{
	size_t p = strlen(END_POINT_PREFIX), i;
	SEC_CHANNEL_BINDINGS *b = calloc(1, sizeof(*b) + p + len);

	if (b == NULL)
		return NULL;
	b->cbApplicationDataLength = (ULONG)(p + len);
	b->dwApplicationDataOffset = sizeof(*b);
	/* RFC 5929 §4.1: the prefix's bytes, no NUL, then the hash. */
	for (i = 0; i < p; i++)
		((uint8_t *)(b + 1))[i] = (uint8_t)END_POINT_PREFIX[i];
	memcpy((uint8_t *)(b + 1) + p, end_point, len);
	*size = (ULONG)(sizeof(*b) + p + len);
	return b;
}

/*
 * One InitializeSecurityContext step: in (the server's token) NULL on the
 * first; bindings over https.  Returns its status.
 */
static SECURITY_STATUS negotiate_step(struct negotiate *n,
    const uint8_t *in, size_t in_len, const uint8_t *end_point, size_t end_point_len)
{
	SecBuffer ib[2];
	SecBufferDesc id = { SECBUFFER_VERSION, 0, ib };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &n->out };
	SEC_CHANNEL_BINDINGS *cb = NULL;
	ULONG attr = 0, cb_size = 0;
	SECURITY_STATUS st;

	if (in != NULL) {
		ib[id.cBuffers].BufferType = SECBUFFER_TOKEN;
		ib[id.cBuffers].cbBuffer = (ULONG)in_len;
		ib[id.cBuffers++].pvBuffer = (void *)(uintptr_t)in;
	}
	if (end_point_len > 0) {
		if ((cb = end_point_bindings(end_point, end_point_len, &cb_size)) == NULL)
			return SEC_E_INSUFFICIENT_MEMORY;
		ib[id.cBuffers].BufferType = SECBUFFER_CHANNEL_BINDINGS;
		ib[id.cBuffers].cbBuffer = cb_size;
		ib[id.cBuffers++].pvBuffer = cb;
	}
	if (n->out.pvBuffer != NULL)
		FreeContextBuffer(n->out.pvBuffer);
	n->out.pvBuffer = NULL;
	n->out.cbBuffer = 0;
	n->out.BufferType = SECBUFFER_TOKEN;
	st = InitializeSecurityContextA(&n->cred, n->have_ctx ? &n->ctx : NULL,
	    (SEC_CHAR *)n->spn, ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY, 0,
	    SECURITY_NATIVE_DREP, id.cBuffers ? &id : NULL, 0, &n->ctx, &od, &attr, NULL);
	free(cb);
	if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
		n->have_ctx = 1;
	return st;
}

static void negotiate_end(struct negotiate *n)
{
	if (n->out.pvBuffer != NULL)
		FreeContextBuffer(n->out.pvBuffer);
	if (n->have_ctx)
		DeleteSecurityContext(&n->ctx);
	if (n->have_cred)
		FreeCredentialsHandle(&n->cred);
}

/* Prints the answer; false when standard output would not take the body. */
static bool print_response(const struct http_opts *o, const KSSP_HTTP_RESPONSE *r)
{
	const char *head = r->Head != NULL ? r->Head : "";
	size_t line = strcspn(head, "\r");

	ULONG i;

	if (o->show_head && r->EndPointLength > 0) {
		/* On stderr: what the token was bound to, for checking against the certificate. */
		fprintf(stderr, "kssp: http: tls-server-end-point: ");
		for (i = 0; i < r->EndPointLength; i++)
			fprintf(stderr, "%02x", r->EndPoint[i]);
		fprintf(stderr, "\n");
	}
	if (o->show_head)
		printf("%s\n\n", head);
	else
		printf("%.*s\n", (int)line, head);
	return r->BodyLength == 0 || fwrite(r->Body, 1, r->BodyLength, stdout) == r->BodyLength;
}

/* The server's answer to the authenticated request, verified by the context. */
static int verify_answer(struct negotiate *n,
    const KSSP_HTTP_RESPONSE *r, SECURITY_STATUS first)
{
	const char *text = NULL;
	uint8_t *tok = NULL;
	size_t text_len = 0, tok_len = 0;
	int found = 0;
	SECURITY_STATUS st;

	if (r->Status == 401)
		return http_error("the server refused the Negotiate token (HTTP 401)");
	negotiate_header(r->Head, &found, &text, &text_len);
	if (first == SEC_E_OK)
		return KSSP_EXIT_OK;
	if (!found || text_len == 0)
		return http_error("the server sent no mutual-authentication token "
		    "(WWW-Authenticate: Negotiate <token>): the server is not authenticated");
	if (kssp_cli_token_bytes((const uint8_t *)text, text_len, &tok, &tok_len) != KSSP_OK)
		return http_error("the server's Negotiate token is not base64");
	st = negotiate_step(n, tok, tok_len, NULL, 0);
	free(tok);
	if (st != SEC_E_OK)
		return http_fail("the server's mutual-authentication token", st);
	return KSSP_EXIT_OK;
}

static int authenticate(const struct http_opts *o, const KSSP_HTTP_RESPONSE *challenge,
    KSSP_HTTP_RESPONSE *r)
{
	struct negotiate n;
	KSSP_AUTH_DATA ad;
	const uint8_t *ep = o->end_point ? o->end_point : challenge->EndPoint;
	size_t ep_len = o->end_point ? o->end_point_len : challenge->EndPointLength;
	SECURITY_STATUS st, first;
	char *auth;
	int rc;

	memset(&n, 0, sizeof(n));
	memset(&ad, 0, sizeof(ad));
	if (spn_of(o, n.spn, sizeof(n.spn)) != 0)
		return kssp_cli_usage_error("http", "no host in the URL for the SPN");
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Ccache = o->ccache;
	kssp_cli_trace_from_env(&ad);
	st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package, SECPKG_CRED_OUTBOUND, NULL,
	    &ad, NULL, NULL, &n.cred, NULL);
	if (st != SEC_E_OK)
		return http_fail("AcquireCredentialsHandle", st);
	n.have_cred = 1;
	first = negotiate_step(&n, NULL, 0, ep, ep_len);
	if (first != SEC_E_OK && first != SEC_I_CONTINUE_NEEDED) {
		rc = http_fail("InitializeSecurityContext", first);
	} else if ((auth = kssp_cli_base64_line("Authorization: Negotiate ", n.out.pvBuffer,
	    n.out.cbBuffer, "\r\n")) == NULL) {
		rc = http_error("out of memory");
	} else {
		st = kssp_http_get(o->url, o->cafile, auth, r);
		free(auth);
		if (st != SEC_E_OK)
			rc = http_fail(o->url, st);
		/* A second connection: it must reach the server the token was bound to. */
		else if (r->EndPointLength != challenge->EndPointLength ||
		    memcmp(r->EndPoint, challenge->EndPoint, r->EndPointLength) != 0)
			rc = http_error("the server's certificate changed between the two requests");
		else
			rc = verify_answer(&n, r, first);
	}
	negotiate_end(&n);
	return rc;
}

static int run_http(const struct http_opts *o)
{
	KSSP_HTTP_RESPONSE challenge, r;
	const char *text = NULL;
	size_t len = 0;
	int found = 0, rc;
	SECURITY_STATUS st = kssp_http_get(o->url, o->cafile, NULL, &challenge);

	if (st != SEC_E_OK)
		return http_fail(o->url, st);
	negotiate_header(challenge.Head, &found, &text, &len);
	if (challenge.Status != 401 || !found) {
		/* No challenge: the answer as it is (a 401 without Negotiate is an error). */
		bool plain = challenge.Status != 401, printed = print_response(o, &challenge);

		kssp_http_response_free(&challenge);
		if (!printed)
			return http_error("cannot write the answer");
		return plain ? KSSP_EXIT_OK : http_error("HTTP 401 without WWW-Authenticate: Negotiate");
	}
	memset(&r, 0, sizeof(r));
	rc = authenticate(o, &challenge, &r);
	/* Nothing of an answer whose server did not prove itself is shown. */
	if (rc == KSSP_EXIT_OK && !print_response(o, &r))
		rc = http_error("cannot write the answer");
	kssp_http_response_free(&r);
	kssp_http_response_free(&challenge);
	return rc;
}

static int cmd_http(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "negotiate", no_argument, NULL, 'N' },
		{ "kerberos", no_argument, NULL, 'K' },
		{ "cafile", required_argument, NULL, 'A' },
		{ "spn", required_argument, NULL, 'S' },
		{ "tls-end-point", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct http_opts o;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.package = "Negotiate";
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:i", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.ccache = optarg; break;
		case 'i': o.show_head = 1; break;
		case 'N': o.package = "Negotiate"; break;
		case 'K': o.package = "Kerberos"; break;
		case 'A': o.cafile = optarg; break;
		case 'S': o.spn = optarg; break;
		case 'E':
			free(o.end_point);
			o.end_point = NULL;
			if (kssp_cli_token_bytes((const uint8_t *)optarg, strlen(optarg), &o.end_point,
			    &o.end_point_len) != KSSP_OK || o.end_point_len == 0 ||
			    o.end_point_len > 64) {
				free(o.end_point);
				return kssp_cli_usage_error("http", "--tls-end-point takes 1 to 64 bytes in hex");
			}
			break;
		default: free(o.end_point); return kssp_cli_usage_error("http", "unknown option");
		}
	}
	if (optind != argc - 1) {
		free(o.end_point);
		return kssp_cli_usage_error("http", "one URL is needed");
	}
	o.url = argv[optind];
	rc = run_http(&o);
	free(o.end_point);
	return rc;
}

const struct kssp_cli_command kssp_cmd_http = {
	"http", "an HTTP(S) GET with HTTP Negotiate (RFC 4559), mutual authentication verified",
	"usage: kssp http [-c CCACHE] [-i] [--negotiate|--kerberos] [--cafile FILE]\n"
	"                 [--spn SPN] [--tls-end-point HEX] URL\n"
	"\n"
	"GETs URL (http:// or https://).  When the server answers 401 with\n"
	"WWW-Authenticate: Negotiate, calls InitializeSecurityContext for HTTP/host\n"
	"(ISC_REQ_MUTUAL_AUTH) on a credential over the FILE cache CCACHE (default\n"
	"$KRB5CCNAME), sends the token as Authorization: Negotiate, and verifies the\n"
	"server's WWW-Authenticate: Negotiate answer with a second call: a server\n"
	"that sends none, or a wrong one, is an error.  Over https the server's\n"
	"certificate is verified and the token carries the RFC 5929\n"
	"tls-server-end-point channel binding.  Prints the status line and the body.\n"
	"\n"
	"  -c CCACHE    the credential cache (FILE:path or a path)\n"
	"  -i           print the status line and all headers before the body, and\n"
	"               the tls-server-end-point value on stderr\n"
	"  --negotiate  the Negotiate package: SPNEGO (RFC 4178), the default\n"
	"  --kerberos   the Kerberos package: the bare krb5 token (RFC 4121)\n"
	"  --cafile FILE  trust the CA certificates of FILE (PEM), not the system's\n"
	"  --spn SPN    the service to authenticate to, instead of HTTP/host\n"
	"  --tls-end-point HEX  bind to this end-point hash instead of the server's\n"
	"               certificate's (what a client behind a man in the middle\n"
	"               would send: a server checking bindings must refuse it)\n",
	cmd_http,
};
