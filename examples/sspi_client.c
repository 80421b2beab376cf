/*
 * examples/sspi_client.c - an SSPI client in the shape of Microsoft's
 * socket sample: AcquireCredentialsHandle, the InitializeSecurityContext
 * loop over length-prefixed messages, then EncryptMessage of a line that
 * the server answers sealed, opened with DecryptMessage.
 *
 *   sspi_client PORT SPN [Kerberos|Negotiate]
 *
 * Credentials: the default cache (KRB5CCNAME), as Windows uses the logon
 * session's tickets.  Pair: examples/sspi_server.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sspi_common.h"

static int Authenticate(int fd, CredHandle *cred, SEC_CHAR *spn, CtxtHandle *ctx)
{
	static BYTE in[EXAMPLE_MAX_MESSAGE], out[EXAMPLE_MAX_MESSAGE];
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SECURITY_STATUS ss = SEC_I_CONTINUE_NEEDED;
	ULONG attr, len = 0;
	int first = 1;

	while (ss == SEC_I_CONTINUE_NEEDED) {
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = len;
		ib.pvBuffer = in;
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = sizeof(out);
		ob.pvBuffer = out;
		ss = InitializeSecurityContextA(cred, first ? NULL : ctx, spn,
		    ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
		    ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT, 0, SECURITY_NATIVE_DREP,
		    first ? NULL : &id, 0, ctx, &od, &attr, NULL);
		printf("InitializeSecurityContext: %s, %lu bytes out\n", kssp_status_name(ss),
		    (unsigned long)ob.cbBuffer);
		if (ss < 0)
			return ReportError("InitializeSecurityContext", ss);
		first = 0;
		if (ob.cbBuffer != 0 && SendMsg(fd, out, ob.cbBuffer) != 0)
			return 1;
		if (ss == SEC_I_CONTINUE_NEEDED && ReceiveMsg(fd, in, &len) != 0)
			return 1;
	}
	printf("context attributes 0x%08lx\n", (unsigned long)attr);
	return 0;
}

/* Sends text sealed, reads the sealed answer and opens it. */
static int Converse(int fd, CtxtHandle *ctx, const char *text)
{
	static BYTE msg[EXAMPLE_MAX_MESSAGE];
	ULONG len = 0, n = 0;
	char *answer = NULL;

	if (SealMessage(ctx, text, (ULONG)strlen(text), msg, &len) != 0)
		return 1;
	if (SendMsg(fd, msg, len) != 0 || ReceiveMsg(fd, msg, &len) != 0)
		return 1;
	if (OpenMessage(ctx, msg, len, &answer, &n) != 0)
		return 1;
	printf("server answered: \"%.*s\"\n", (int)n, answer);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	CredHandle cred;
	CtxtHandle ctx;
	SECURITY_STATUS ss;
	int fd, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: sspi_client PORT SPN [Kerberos|Negotiate]\n");
		return 2;
	}
	ss = AcquireCredentialsHandleA(NULL, argc > 3 ? argv[3] : "Negotiate", SECPKG_CRED_OUTBOUND,
	    NULL, NULL, NULL, NULL, &cred, NULL);
	if (ss != SEC_E_OK)
		return ReportError("AcquireCredentialsHandle", ss);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(ParsePort(argv[1]));
	if (sa.sin_port == 0) {
		fprintf(stderr, "%s: not a port number\n", argv[1]);
		return 2;
	}
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("connect");
		FreeCredentialsHandle(&cred);
		return 1;
	}
	memset(&ctx, 0, sizeof(ctx));
	rc = Authenticate(fd, &cred, argv[2], &ctx);
	if (rc == 0)
		rc = Converse(fd, &ctx, "hello, server");
	if (ctx.dwLower || ctx.dwUpper)
		DeleteSecurityContext(&ctx);
	close(fd);
	FreeCredentialsHandle(&cred);
	return rc;
}
