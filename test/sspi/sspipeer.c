/*
 * test/sspi/sspipeer.c - a client and a server written the way Windows'
 * SSPI sample programs are (AcquireCredentialsHandle, the ISC / ASC loop
 * over a socket with length-prefixed tokens, then EncryptMessage /
 * DecryptMessage and MakeSignature / VerifySignature), through
 * <kssp/sspi.h> only; sockets are POSIX.  The framing is that of MIT's
 * gss-sample programs, so each side also runs against MIT's gss-server and
 * gss-client: one flags byte, a 4-byte big-endian length, the bytes.
 *
 *   sspipeer server PORT PACKAGE KEYTAB [-alloc] [-ccache CC] [BACKSPN]
 *       serves one connection on 127.0.0.1:PORT ("listening" once bound);
 *       prints the client's name, the context attributes and the message.
 *       -alloc: ASC_REQ_ALLOCATE_MEMORY (tokens freed by FreeContextBuffer).
 *       -ccache CC: the credential's cache (KSSP_AUTH_DATA.Ccache), whose
 *       TGT answers a user-to-user client (REQFLAGS with
 *       ISC_REQ_USE_SESSION_KEY); KEYTAB "-" names none.
 *       With BACKSPN the client must delegate: the server then takes an
 *       outbound credential for the client from the accepted context
 *       (KSSP_AUTH_DATA.DelegateFrom) and authenticates as the client to
 *       BACKSPN, whose keys are in KEYTAB too.
 *   sspipeer client PORT PACKAGE SPN MESSAGE REQFLAGS [-nw] [-nx] [-nm]
 *       no wrap / no encryption / no MIC, as gss-client's options.
 *       REQFLAGS with ISC_REQ_ALLOCATE_MEMORY: the package allocates the
 *       output tokens; with ISC_REQ_DELEGATE: prints whether it delegated.
 * Exit 0 when every step succeeded.
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TOKEN_NOOP 0x01
#define TOKEN_CONTEXT 0x02
#define TOKEN_DATA 0x04
#define TOKEN_MIC 0x08
#define TOKEN_CONTEXT_NEXT 0x10
#define TOKEN_WRAPPED 0x20
#define TOKEN_ENCRYPTED 0x40
#define TOKEN_SEND_MIC 0x80

#define MAX_TOKEN 65536

static int fail(const char *what, SECURITY_STATUS ss)
{
	fprintf(stderr, "sspipeer: %s: %s (0x%08lx): %s\n", what, kssp_status_name(ss),
	    (unsigned long)(ULONG)ss, kssp_status_reason());
	return 1;
}

static BOOL io_all(int fd, void *buf, size_t n, BOOL writing)
{
	unsigned char *p = (unsigned char *)buf;
	ssize_t r;

	while (n > 0) {
		r = writing ? write(fd, p, n) : read(fd, p, n);
		if (r <= 0)
			return FALSE;
		p += r;
		n -= (size_t)r;
	}
	return TRUE;
}

static BOOL SendToken(int fd, BYTE flags, const void *tok, DWORD len)
{
	BYTE hdr[5];

	hdr[0] = flags;
	hdr[1] = (BYTE)(len >> 24);
	hdr[2] = (BYTE)(len >> 16);
	hdr[3] = (BYTE)(len >> 8);
	hdr[4] = (BYTE)len;
	return io_all(fd, hdr, 5, TRUE) && (len == 0 || io_all(fd, (void *)tok, len, TRUE));
}

/* Reads one token into buf (MAX_TOKEN bytes). */
static BOOL ReceiveToken(int fd, BYTE *flags, BYTE *buf, DWORD *len)
{
	BYTE hdr[5];

	if (!io_all(fd, hdr, 5, FALSE))
		return FALSE;
	*flags = hdr[0];
	*len = ((DWORD)hdr[1] << 24) | ((DWORD)hdr[2] << 16) | ((DWORD)hdr[3] << 8) | hdr[4];
	return *len <= MAX_TOKEN && (*len == 0 || io_all(fd, buf, *len, FALSE));
}

static void SetBuffers(SecBufferDesc *d, SecBuffer *b, ULONG n)
{
	d->ulVersion = SECBUFFER_VERSION;
	d->cBuffers = n;
	d->pBuffers = b;
}

/* ---- server ---- */

/* As the client of ctx, to back_spn (accepted here with the same keytab). */
static int ReachBackService(CtxtHandle *ctx, CredHandle *inbound, SEC_CHAR *back_spn)
{
	static BYTE tok[MAX_TOKEN], rep[MAX_TOKEN];
	CredHandle as_client;
	CtxtHandle c2, s2;
	KSSP_AUTH_DATA ad;
	SecBuffer b1, b2;
	SecBufferDesc d1, d2;
	SecPkgContext_NamesA names;
	ULONG attr;
	SECURITY_STATUS ss;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.DelegateFrom = ctx;
	ss = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    &as_client, NULL);
	if (ss != SEC_E_OK)
		return fail("AcquireCredentialsHandle(DelegateFrom)", ss);
	b1.BufferType = SECBUFFER_TOKEN;
	b1.cbBuffer = sizeof(tok);
	b1.pvBuffer = tok;
	SetBuffers(&d1, &b1, 1);
	ss = InitializeSecurityContextA(&as_client, NULL, back_spn, 0, 0, SECURITY_NATIVE_DREP, NULL,
	    0, &c2, &d1, &attr, NULL);
	if (ss != SEC_E_OK)
		return fail("InitializeSecurityContext to the back service", ss);
	b2.BufferType = SECBUFFER_TOKEN;
	b2.cbBuffer = sizeof(rep);
	b2.pvBuffer = rep;
	SetBuffers(&d2, &b2, 1);
	ss = AcceptSecurityContext(inbound, NULL, &d1, 0, SECURITY_NATIVE_DREP, &s2, &d2, &attr, NULL);
	if (ss != SEC_E_OK)
		return fail("the back service's AcceptSecurityContext", ss);
	ss = QueryContextAttributesA(&s2, SECPKG_ATTR_NAMES, &names);
	if (ss != SEC_E_OK)
		return fail("QueryContextAttributes(NAMES) at the back service", ss);
	printf("Back service %s accepted \"%s\"\n", back_spn, names.sUserName);
	FreeContextBuffer(names.sUserName);
	DeleteSecurityContext(&c2);
	DeleteSecurityContext(&s2);
	FreeCredentialsHandle(&as_client);
	return 0;
}

static int Serve(int fd, CredHandle *cred, SEC_CHAR *back_spn, BOOL alloc)
{
	static BYTE in[MAX_TOKEN], out[MAX_TOKEN], sig[MAX_TOKEN];
	CtxtHandle ctx;
	BOOL have = FALSE;
	SecBuffer ib, ob, mb[2];
	SecBufferDesc id, od, md;
	SecPkgContext_NamesA names;
	SecPkgContext_Sizes sizes;
	SECURITY_STATUS ss = SEC_I_CONTINUE_NEEDED;
	ULONG attr = 0, qop = 0;
	DWORD len;
	BYTE flags;
	TimeStamp expiry;

	if (!ReceiveToken(fd, &flags, in, &len) || !(flags & TOKEN_NOOP))
		return fail("no NOOP|CONTEXT_NEXT from the client", SEC_E_INVALID_TOKEN);
	while (ss == SEC_I_CONTINUE_NEEDED) {
		if (!ReceiveToken(fd, &flags, in, &len) || !(flags & TOKEN_CONTEXT))
			return fail("no context token", SEC_E_INVALID_TOKEN);
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = len;
		ib.pvBuffer = in;
		SetBuffers(&id, &ib, 1);
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = alloc ? 0 : sizeof(out);
		ob.pvBuffer = alloc ? NULL : out;
		SetBuffers(&od, &ob, 1);
		ss = AcceptSecurityContext(cred, have ? &ctx : NULL, &id,
		    ASC_REQ_EXTENDED_ERROR | (alloc ? ASC_REQ_ALLOCATE_MEMORY : 0),
		    SECURITY_NATIVE_DREP, &ctx, &od, &attr, &expiry);
		if (ob.cbBuffer != 0 && !SendToken(fd, TOKEN_CONTEXT, ob.pvBuffer, ob.cbBuffer))
			return fail("sending a context token", ss);
		if (alloc && ob.pvBuffer != NULL)
			FreeContextBuffer(ob.pvBuffer);
		if (ss < 0)
			return fail("AcceptSecurityContext", ss);
		have = TRUE;
	}
	ss = QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names);
	if (ss != SEC_E_OK)
		return fail("QueryContextAttributes(NAMES)", ss);
	printf("Accepted connection: \"%s\" attributes 0x%lx\n", names.sUserName, (unsigned long)attr);
	FreeContextBuffer(names.sUserName);
	if (back_spn != NULL) {
		if (!(attr & ASC_RET_DELEGATE))
			return fail("the client did not delegate", SEC_E_NO_CREDENTIALS);
		if (ReachBackService(&ctx, cred, back_spn) != 0)
			return 1;
	}
	QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sizes);
	for (;;) {
		if (!ReceiveToken(fd, &flags, in, &len))
			break;
		if (flags & TOKEN_NOOP)
			break;
		mb[1].BufferType = SECBUFFER_DATA;
		mb[1].cbBuffer = len;
		mb[1].pvBuffer = in;
		if (flags & TOKEN_WRAPPED) {
			/* A whole received Wrap token: the stream layout. */
			mb[0].BufferType = SECBUFFER_STREAM;
			mb[0].cbBuffer = len;
			mb[0].pvBuffer = in;
			mb[1].cbBuffer = 0;
			mb[1].pvBuffer = NULL;
			SetBuffers(&md, mb, 2);
			ss = DecryptMessage(&ctx, &md, 0, &qop);
			if (ss != SEC_E_OK)
				return fail("DecryptMessage", ss);
			if ((flags & TOKEN_ENCRYPTED) && qop == SECQOP_WRAP_NO_ENCRYPT)
				return fail("the message was not encrypted", SEC_E_QOP_NOT_SUPPORTED);
		}
		printf("Received message: \"%.*s\"\n", (int)mb[1].cbBuffer, (char *)mb[1].pvBuffer);
		if (flags & TOKEN_SEND_MIC) {
			mb[0].BufferType = SECBUFFER_TOKEN;
			mb[0].cbBuffer = sizes.cbMaxSignature;
			mb[0].pvBuffer = sig;
			SetBuffers(&md, mb, 2);
			ss = MakeSignature(&ctx, 0, &md, 0);
			if (ss != SEC_E_OK || !SendToken(fd, TOKEN_MIC, sig, mb[0].cbBuffer))
				return fail("MakeSignature", ss);
		} else if (!SendToken(fd, TOKEN_NOOP, NULL, 0)) {
			return 1;
		}
	}
	DeleteSecurityContext(&ctx);
	return 0;
}

/* ---- client ---- */

static int Converse(int fd, CredHandle *cred, SEC_CHAR *spn, const char *msg, ULONG req,
    BOOL wrap, BOOL encrypt, BOOL mic)
{
	static BYTE in[MAX_TOKEN], out[MAX_TOKEN], sealed[MAX_TOKEN];
	CtxtHandle ctx;
	BOOL have = FALSE;
	SecBuffer ib, ob, mb[2];
	SecBufferDesc id, od, md;
	SecPkgContext_Sizes sizes;
	SECURITY_STATUS ss = SEC_I_CONTINUE_NEEDED;
	ULONG attr = 0;
	DWORD len = 0, n = (DWORD)strlen(msg);
	BYTE flags;
	TimeStamp expiry;
	BOOL alloc = (req & ISC_REQ_ALLOCATE_MEMORY) != 0, sent;

	if (!SendToken(fd, TOKEN_NOOP | TOKEN_CONTEXT_NEXT, NULL, 0))
		return 1;
	while (ss == SEC_I_CONTINUE_NEEDED) {
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = len;
		ib.pvBuffer = in;
		SetBuffers(&id, &ib, 1);
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = alloc ? 0 : sizeof(out);
		ob.pvBuffer = alloc ? NULL : out;
		SetBuffers(&od, &ob, 1);
		ss = InitializeSecurityContextA(cred, have ? &ctx : NULL, spn, req, 0,
		    SECURITY_NATIVE_DREP, have ? &id : NULL, 0, &ctx, &od, &attr, &expiry);
		if (ss < 0)
			return fail("InitializeSecurityContext", ss);
		have = TRUE;
		sent = ob.cbBuffer == 0 || SendToken(fd, TOKEN_CONTEXT, ob.pvBuffer, ob.cbBuffer);
		if (alloc && ob.pvBuffer != NULL)
			FreeContextBuffer(ob.pvBuffer);
		if (!sent)
			return 1;
		if (ss == SEC_I_CONTINUE_NEEDED &&
		    (!ReceiveToken(fd, &flags, in, &len) || !(flags & TOKEN_CONTEXT)))
			return fail("no context token from the server", SEC_E_INVALID_TOKEN);
	}
	printf("context established, attributes 0x%lx\n", (unsigned long)attr);
	if ((req & ISC_REQ_DELEGATE) != 0)
		printf("%s\n", (attr & ISC_RET_DELEGATE) ? "Credentials delegated" : "Not delegated");
	QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sizes);
	memcpy(sealed + sizes.cbSecurityTrailer, msg, n);
	len = n;
	if (wrap) {
		/* Windows' layout: SECBUFFER_TOKEN then the data sealed in place. */
		mb[0].BufferType = SECBUFFER_TOKEN;
		mb[0].cbBuffer = sizes.cbSecurityTrailer;
		mb[0].pvBuffer = sealed;
		mb[1].BufferType = SECBUFFER_DATA;
		mb[1].cbBuffer = n;
		mb[1].pvBuffer = sealed + sizes.cbSecurityTrailer;
		SetBuffers(&md, mb, 2);
		ss = EncryptMessage(&ctx, encrypt ? 0 : SECQOP_WRAP_NO_ENCRYPT, &md, 0);
		if (ss != SEC_E_OK)
			return fail("EncryptMessage", ss);
		/* Token and data are contiguous on the wire. */
		memmove(sealed + mb[0].cbBuffer, mb[1].pvBuffer, n);
		len = mb[0].cbBuffer + n;
		if (!SendToken(fd, TOKEN_DATA | TOKEN_WRAPPED | (encrypt ? TOKEN_ENCRYPTED : 0) |
		    (mic ? TOKEN_SEND_MIC : 0), sealed, len))
			return 1;
	} else if (!SendToken(fd, TOKEN_DATA | (mic ? TOKEN_SEND_MIC : 0), msg, n)) {
		return 1;
	}
	if (!ReceiveToken(fd, &flags, in, &len))
		return fail("no answer to the message", SEC_E_INVALID_TOKEN);
	if (mic) {
		mb[0].BufferType = SECBUFFER_TOKEN;
		mb[0].cbBuffer = len;
		mb[0].pvBuffer = in;
		mb[1].BufferType = SECBUFFER_DATA;
		mb[1].cbBuffer = n;
		mb[1].pvBuffer = (void *)msg;
		SetBuffers(&md, mb, 2);
		ss = VerifySignature(&ctx, &md, 0, NULL);
		if (ss != SEC_E_OK)
			return fail("VerifySignature", ss);
		printf("Signature verified\n");
	}
	SendToken(fd, TOKEN_NOOP, NULL, 0);
	DeleteSecurityContext(&ctx);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	CredHandle cred;
	KSSP_AUTH_DATA ad;
	SECURITY_STATUS ss;
	int fd, conn, one = 1, rc, i;
	BOOL wrap = TRUE, encrypt = TRUE, mic = TRUE, alloc = FALSE;
	SEC_CHAR *back_spn = NULL;

	if (argc < 5) {
		fprintf(stderr, "usage: sspipeer server PORT PACKAGE KEYTAB [-alloc] [-ccache CC] [BACKSPN] | client PORT PACKAGE SPN MESSAGE REQFLAGS [-nw] [-nx] [-nm]\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	if (strcmp(argv[1], "server") == 0) {
		memset(&ad, 0, sizeof(ad));
		ad.Version = KSSP_AUTH_DATA_VERSION_1;
		ad.Length = sizeof(ad);
		ad.Keytab = strcmp(argv[4], "-") == 0 ? NULL : argv[4];
		for (i = 5; i < argc; i++) {
			if (strcmp(argv[i], "-alloc") == 0)
				alloc = TRUE;
			else if (strcmp(argv[i], "-ccache") == 0 && i + 1 < argc)
				ad.Ccache = argv[++i];
			else
				back_spn = argv[i];
		}
		ss = AcquireCredentialsHandleA(NULL, argv[3], SECPKG_CRED_INBOUND, NULL, &ad, NULL,
		    NULL, &cred, NULL);
		if (ss != SEC_E_OK)
			return fail("AcquireCredentialsHandle", ss);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0)
			return 1;
		printf("listening\n");
		fflush(stdout);
		conn = accept(fd, NULL, NULL);
		if (conn < 0)
			return 1;
		rc = Serve(conn, &cred, back_spn, alloc);
		close(conn);
	} else {
		if (argc < 7)
			return 2;
		for (i = 7; i < argc; i++) {
			if (strcmp(argv[i], "-nw") == 0)
				wrap = FALSE;
			if (strcmp(argv[i], "-nx") == 0)
				encrypt = FALSE;
			if (strcmp(argv[i], "-nm") == 0)
				mic = FALSE;
		}
		ss = AcquireCredentialsHandleA(NULL, argv[3], SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
		    NULL, &cred, NULL);
		if (ss != SEC_E_OK)
			return fail("AcquireCredentialsHandle", ss);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
			return 1;
		rc = Converse(fd, &cred, argv[4], argv[5], (ULONG)strtoul(argv[6], NULL, 0), wrap,
		    encrypt, mic);
	}
	close(fd);
	FreeCredentialsHandle(&cred);
	return rc;
}
