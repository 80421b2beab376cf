/*
 * cli/convo.c - one SSPI conversation, step by step (see cli/convo.h).
 * Public headers only: recordings are <kssp/kssp.h>'s KSSP_CONVERSATION.
 */
#include "cli/convo.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

/* ---- hooks ------------------------------------------------------------ */

static void trace_to_stderr(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "[kssp] %s\n", line);
}

void kssp_cli_trace_from_env(KSSP_AUTH_DATA *ad)
{
	const char *trace = getenv("KSSP_TRACE");

	if (trace && strcmp(trace, "1") == 0)
		ad->Trace = trace_to_stderr;
}

/* ---- recording -------------------------------------------------------- */

/* Copies src to the file named base+suffix; the recording names it by its base name. */
int kssp_convo_copy_beside(const char *src, const char *rec, const char *suffix, char *name,
    size_t cap)
{
	char dst[PATH_MAX + 16], tmp[PATH_MAX + 32];
	const char *slash = strrchr(rec, '/'), *dot = strrchr(rec, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - rec) : strlen(rec);
	uint8_t *data;
	size_t len;
	FILE *f;
	int ok;

	snprintf(dst, sizeof(dst), "%.*s%s", (int)stem, rec, suffix);
	if ((size_t)snprintf(name, cap, "%s", strrchr(dst, '/') ? strrchr(dst, '/') + 1 : dst) >= cap)
		return -1;
	if (kssp_cli_read_file(src, &data, &len) != 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dst, (long)getpid());
	f = fopen(tmp, "wb");
	ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	free(data);
	if (!ok || rename(tmp, dst) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* bytes random bytes as hex into out (2 * bytes + 1). */
static int random_hex(char *out, size_t bytes)
{
	uint8_t raw[32];
	size_t i;

	if (bytes > sizeof(raw) || getrandom(raw, bytes, 0) != (ssize_t)bytes)
		return -1;
	for (i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int kssp_convo_record_sources(KSSP_CONVERSATION *conv, int acceptor)
{
	char clock[32], seed[33], aseed[33];

	snprintf(clock, sizeof(clock), "%lld", (long long)time(NULL));
	if (random_hex(seed, 16) || random_hex(aseed, 16) ||
	    kssp_conversation_set_meta(conv, "clock", clock) != SEC_E_OK ||
	    kssp_conversation_set_meta(conv, "seed", seed) != SEC_E_OK ||
	    (acceptor && kssp_conversation_set_meta(conv, "acceptor-seed", aseed) != SEC_E_OK))
		return -1;
	return 0;
}

void kssp_convo_flush(void)
{
	/* Progress output: a terminal or pipe that fails a flush is not
	 * actionable here; the exit status reports the conversation. */
	(void)fflush(stdout);
}

/* ---- printing --------------------------------------------------------- */

int kssp_convo_fail(const char *what, SECURITY_STATUS st)
{
	fprintf(stderr, "kssp: %s: %s (0x%08lx): %s\n", what, kssp_status_name(st),
	    (unsigned long)(ULONG)st, kssp_status_reason());
	return KSSP_EXIT_FAIL;
}

void kssp_convo_show(const uint8_t *tok, size_t len)
{
	kssp_convo_flush();
	if (kssp_cli_decode_print(tok, len, "        ") != KSSP_EXIT_OK)
		printf("        (not decodable)\n");
	kssp_convo_flush();
}

static const struct {
	ULONG bit;
	const char *name;
} ret_flags[] = {
	{ ISC_RET_DELEGATE, "DELEGATE" },
	{ ISC_RET_MUTUAL_AUTH, "MUTUAL_AUTH" },
	{ ISC_RET_REPLAY_DETECT, "REPLAY_DETECT" },
	{ ISC_RET_SEQUENCE_DETECT, "SEQUENCE_DETECT" },
	{ ISC_RET_CONFIDENTIALITY, "CONFIDENTIALITY" },
	{ ISC_RET_ALLOCATED_MEMORY, "ALLOCATED_MEMORY" },
	{ ISC_RET_CONNECTION, "CONNECTION" },
	{ ISC_RET_EXTENDED_ERROR, "EXTENDED_ERROR" },
	{ ISC_RET_INTEGRITY, "INTEGRITY" },
};

static void print_attributes(ULONG attr)
{
	size_t i;
	const char *sep = "";

	printf("  negotiated attributes 0x%08lx:", (unsigned long)attr);
	for (i = 0; i < sizeof(ret_flags) / sizeof(ret_flags[0]); i++)
		if (attr & ret_flags[i].bit) {
			printf("%s ISC_RET_%s", sep, ret_flags[i].name);
			sep = ",";
		}
	printf("\n");
}

/* ---- the client's side ------------------------------------------------ */

/* The conversation's next token: written down, or checked against the recording. */
static int convo_token(struct kssp_convo *c, char kind, const uint8_t *tok, size_t len)
{
	if (!c->conv || len == 0 || kssp_conversation_token(c->conv, kind, tok, len) == SEC_E_OK)
		return 0;
	fprintf(stderr, "kssp: %s: %s\n", c->recording ? "recording" : "replay: step",
	    kssp_status_reason());
	return -1;
}

static int convo_establish(struct kssp_convo *c, CtxtHandle *ctx)
{
	static uint8_t in[KSSP_CONVO_TOKEN_MAX], out[KSSP_CONVO_TOKEN_MAX];
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
	size_t in_len = 0;
	int have = 0, leg = 0;

	while (st == SEC_I_CONTINUE_NEEDED) {
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = (ULONG)in_len;
		ib.pvBuffer = in;
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = sizeof(out);
		ob.pvBuffer = out;
		st = InitializeSecurityContextA(&c->cred, have ? ctx : NULL, c->spn, c->req, 0,
		    SECURITY_NATIVE_DREP, have ? &id : NULL, 0, ctx, &od, &c->attr, NULL);
		leg++;
		printf("  client  InitializeSecurityContext #%d  %s, token %lu bytes%s\n", leg,
		    kssp_status_name(st), st >= 0 ? (unsigned long)ob.cbBuffer : 0UL,
		    leg == 1 && st >= 0 ? " (tickets obtained, AP-REQ out)" : "");
		kssp_convo_flush();
		if (st < 0)
			return kssp_convo_fail("InitializeSecurityContext", st);
		have = 1;
		if (c->verbose && ob.cbBuffer)
			kssp_convo_show(out, ob.cbBuffer);
		if (convo_token(c, 'C', out, ob.cbBuffer))
			return KSSP_EXIT_FAIL;
		if (ob.cbBuffer == 0 && st == SEC_I_CONTINUE_NEEDED)
			return kssp_convo_fail("InitializeSecurityContext gave no token", SEC_E_INTERNAL_ERROR);
		if (ob.cbBuffer != 0 &&
		    c->peer.context(c, out, ob.cbBuffer, st == SEC_I_CONTINUE_NEEDED, in, &in_len) != 0)
			return KSSP_EXIT_FAIL;
		if (st == SEC_I_CONTINUE_NEEDED) {
			printf("  client  received token %zu bytes (AP-REP)\n", in_len);
			if (c->verbose)
				kssp_convo_show(in, in_len);
			if (convo_token(c, 'S', in, in_len))
				return KSSP_EXIT_FAIL;
		}
	}
	return KSSP_EXIT_OK;
}

static int convo_report(struct kssp_convo *c, CtxtHandle *ctx)
{
	SecPkgContext_NamesA names = { NULL };
	SecPkgContext_KeyInfoA key = { 0 };
	SECURITY_STATUS st;

	print_attributes(c->attr);
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
	if (st != SEC_E_OK)
		return kssp_convo_fail("QueryContextAttributes(NAMES)", st);
	printf("  client  QueryContextAttributes(NAMES) SEC_E_OK: %s\n", names.sUserName);
	FreeContextBuffer(names.sUserName);
	st = QueryContextAttributesA(ctx, SECPKG_ATTR_KEY_INFO, &key);
	if (st == SEC_E_OK) {
		printf("  client  QueryContextAttributes(KEY_INFO) SEC_E_OK: %s, %lu-bit session key\n",
		    key.sEncryptAlgorithmName, (unsigned long)key.KeySize);
		FreeContextBuffer(key.sSignatureAlgorithmName);
		FreeContextBuffer(key.sEncryptAlgorithmName);
	}
	kssp_convo_flush();
	return KSSP_EXIT_OK;
}

static int convo_seal(struct kssp_convo *c, CtxtHandle *ctx)
{
	static uint8_t sealed[KSSP_CONVO_TOKEN_MAX];
	size_t n = strlen(c->message);
	SecPkgContext_Sizes sz = { 0 };
	SecBuffer b[3];
	SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
	SECURITY_STATUS st;

	st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sz);
	if (st != SEC_E_OK)
		return kssp_convo_fail("QueryContextAttributes(SIZES)", st);
	if (n > sizeof(sealed) - sz.cbSecurityTrailer - sz.cbBlockSize)
		return kssp_convo_fail("message too long", SEC_E_BUFFER_TOO_SMALL);
	memcpy(sealed + sz.cbSecurityTrailer, c->message, n);
	b[0].BufferType = SECBUFFER_TOKEN;
	b[0].cbBuffer = sz.cbSecurityTrailer;
	b[0].pvBuffer = sealed;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = (ULONG)n;
	b[1].pvBuffer = sealed + sz.cbSecurityTrailer;
	/* RC4 puts its pad byte here (cbBlockSize 1); AES leaves it empty. */
	b[2].BufferType = SECBUFFER_PADDING;
	b[2].cbBuffer = sz.cbBlockSize;
	b[2].pvBuffer = sealed + sz.cbSecurityTrailer + n;
	st = EncryptMessage(ctx, 0, &d, 0);
	if (st != SEC_E_OK)
		return kssp_convo_fail("EncryptMessage", st);
	/* Token, sealed data and padding travel as one Wrap token. */
	memmove(sealed + b[0].cbBuffer, b[1].pvBuffer, n);
	memmove(sealed + b[0].cbBuffer + n, b[2].pvBuffer, b[2].cbBuffer);
	n += b[0].cbBuffer + b[2].cbBuffer;
	printf("  client  EncryptMessage SEC_E_OK: \"%s\" sealed, token %lu + data %lu bytes\n",
	    c->message, (unsigned long)b[0].cbBuffer, (unsigned long)b[1].cbBuffer);
	if (c->verbose)
		kssp_convo_show(sealed, n);
	kssp_convo_flush();
	if (convo_token(c, 'M', sealed, n))
		return KSSP_EXIT_FAIL;
	return c->peer.message(c, sealed, n) == 0 ? KSSP_EXIT_OK : KSSP_EXIT_FAIL;
}

int kssp_convo_run(struct kssp_convo *c)
{
	CtxtHandle ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	rc = convo_establish(c, &ctx);
	if (rc == KSSP_EXIT_OK)
		rc = convo_report(c, &ctx);
	if (rc == KSSP_EXIT_OK)
		rc = convo_seal(c, &ctx);
	if (ctx.dwLower || ctx.dwUpper)
		DeleteSecurityContext(&ctx);
	return rc;
}

/* ---- the gss-sample protocol ------------------------------------------ */

static int io_all(int fd, void *buf, size_t n, int writing)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = writing ? write(fd, p, n) : read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int kssp_convo_send(int fd, uint8_t flags, const uint8_t *buf, size_t len)
{
	uint8_t hdr[5] = { flags, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
		(uint8_t)len };

	if (io_all(fd, hdr, 5, 1) != 0 || (len && io_all(fd, (void *)buf, len, 1) != 0))
		return -1;
	return 0;
}

int kssp_convo_recv(int fd, uint8_t *flags, uint8_t *buf, size_t *len)
{
	uint8_t hdr[5];

	if (io_all(fd, hdr, 5, 0) != 0)
		return -1;
	*flags = hdr[0];
	*len = ((size_t)hdr[1] << 24) | ((size_t)hdr[2] << 16) | ((size_t)hdr[3] << 8) | hdr[4];
	if (*len > KSSP_CONVO_TOKEN_MAX)
		return -1;
	return *len ? io_all(fd, buf, *len, 0) : 0;
}

static int socket_context(struct kssp_convo *c, const uint8_t *tok, size_t len, int want_reply,
    uint8_t *reply, size_t *reply_len)
{
	int fd = *(int *)c->peer.arg;
	uint8_t flags;

	if (kssp_convo_send(fd, KSSP_GSS_TOKEN_CONTEXT, tok, len) != 0) {
		fprintf(stderr, "kssp: the server closed the connection\n");
		return -1;
	}
	if (!want_reply)
		return 0;
	if (kssp_convo_recv(fd, &flags, reply, reply_len) != 0 ||
	    !(flags & KSSP_GSS_TOKEN_CONTEXT)) {
		fprintf(stderr, "kssp: no context token from the server\n");
		return -1;
	}
	return 0;
}

static int socket_message(struct kssp_convo *c, const uint8_t *sealed, size_t len)
{
	static uint8_t answer[KSSP_CONVO_TOKEN_MAX];
	int fd = *(int *)c->peer.arg;
	uint8_t flags;
	size_t n;

	if (kssp_convo_send(fd, KSSP_GSS_TOKEN_DATA | KSSP_GSS_TOKEN_WRAPPED |
	    KSSP_GSS_TOKEN_ENCRYPTED, sealed, len) != 0 ||
	    kssp_convo_recv(fd, &flags, answer, &n) != 0) {
		fprintf(stderr, "kssp: the server did not answer the sealed message\n");
		return -1;
	}
	kssp_convo_send(fd, KSSP_GSS_TOKEN_NOOP, NULL, 0);
	return 0;
}

void kssp_convo_socket_peer(struct kssp_convo_peer *p, int *fd)
{
	p->context = socket_context;
	p->message = socket_message;
	p->arg = fd;
}

/* ---- the server's side (the demo's second process) -------------------- */

static int serve_message(int fd, CtxtHandle *ctx, uint8_t *in, size_t len)
{
	SecBuffer b[2];
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	ULONG qop = 0;
	SECURITY_STATUS st;

	b[0].BufferType = SECBUFFER_STREAM;
	b[0].cbBuffer = (ULONG)len;
	b[0].pvBuffer = in;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = 0;
	b[1].pvBuffer = NULL;
	st = DecryptMessage(ctx, &d, 0, &qop);
	if (st != SEC_E_OK)
		return kssp_convo_fail("server: DecryptMessage", st);
	/* The stream layout points the DATA buffer into the token. */
	if (b[1].pvBuffer == NULL)
		return kssp_convo_fail("server: DecryptMessage left no data", SEC_E_INTERNAL_ERROR);
	printf("  server  DecryptMessage SEC_E_OK: \"%.*s\" (%s)\n", (int)b[1].cbBuffer,
	    (char *)b[1].pvBuffer, qop == SECQOP_WRAP_NO_ENCRYPT ? "signed only" : "was encrypted");
	kssp_convo_flush();
	return kssp_convo_send(fd, KSSP_GSS_TOKEN_NOOP, NULL, 0) == 0 ? 0 : KSSP_EXIT_FAIL;
}

int kssp_convo_serve(int fd, CredHandle *cred, int verbose)
{
	static uint8_t in[KSSP_CONVO_TOKEN_MAX], out[KSSP_CONVO_TOKEN_MAX];
	CtxtHandle ctx;
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SecPkgContext_NamesA names = { NULL };
	SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
	ULONG attr = 0;
	uint8_t flags;
	size_t len;
	int have = 0;

	if (kssp_convo_recv(fd, &flags, in, &len) != 0 || !(flags & KSSP_GSS_TOKEN_NOOP))
		return kssp_convo_fail("server: no NOOP|CONTEXT_NEXT", SEC_E_INVALID_TOKEN);
	while (st == SEC_I_CONTINUE_NEEDED) {
		if (kssp_convo_recv(fd, &flags, in, &len) != 0 || !(flags & KSSP_GSS_TOKEN_CONTEXT))
			return kssp_convo_fail("server: no context token", SEC_E_INVALID_TOKEN);
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = (ULONG)len;
		ib.pvBuffer = in;
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = sizeof(out);
		ob.pvBuffer = out;
		st = AcceptSecurityContext(cred, have ? &ctx : NULL, &id, ASC_REQ_EXTENDED_ERROR |
		    ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, SECURITY_NATIVE_DREP, &ctx, &od, &attr,
		    NULL);
		printf("  server  AcceptSecurityContext  %s, token %lu bytes%s\n", kssp_status_name(st),
		    (unsigned long)ob.cbBuffer, ob.cbBuffer && st >= 0 ? " (AP-REP back)" : "");
		if (verbose && ob.cbBuffer)
			kssp_convo_show(out, ob.cbBuffer);
		kssp_convo_flush();
		if (ob.cbBuffer && kssp_convo_send(fd, KSSP_GSS_TOKEN_CONTEXT, out, ob.cbBuffer) != 0)
			return kssp_convo_fail("server: sending a token", st);
		if (st < 0)
			return kssp_convo_fail("server: AcceptSecurityContext", st);
		have = 1;
	}
	st = QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names);
	if (st != SEC_E_OK)
		return kssp_convo_fail("server: QueryContextAttributes(NAMES)", st);
	printf("  server  QueryContextAttributes(NAMES) SEC_E_OK: client is %s, attributes 0x%08lx\n",
	    names.sUserName, (unsigned long)attr);
	FreeContextBuffer(names.sUserName);
	kssp_convo_flush();
	for (;;) {
		if (kssp_convo_recv(fd, &flags, in, &len) != 0 || (flags & KSSP_GSS_TOKEN_NOOP))
			break;
		if (serve_message(fd, &ctx, in, len) != 0) {
			DeleteSecurityContext(&ctx);
			return KSSP_EXIT_FAIL;
		}
	}
	DeleteSecurityContext(&ctx);
	return KSSP_EXIT_OK;
}
