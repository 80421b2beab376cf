/*
 * examples/sspi_server.c - an SSPI server in the shape of Microsoft's
 * socket sample: AcquireCredentialsHandle (inbound), the
 * AcceptSecurityContext loop over length-prefixed messages, the client's
 * name, then DecryptMessage of its sealed line and a sealed answer.
 *
 *   sspi_server PORT|0 KEYTAB [Kerberos|Negotiate]
 *
 * The service keys come from KEYTAB through kssp's KSSP_AUTH_DATA (on
 * Windows the service account's keys are the logon session's).  Serves one
 * connection on 127.0.0.1:PORT (0: a free port the system picks); prints
 * "listening on 127.0.0.1 port N" once bound.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sspi_common.h"

static int Authenticate(int fd, CredHandle *cred, CtxtHandle *ctx)
{
	static BYTE in[EXAMPLE_MAX_MESSAGE], out[EXAMPLE_MAX_MESSAGE];
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	SecPkgContext_NamesA names;
	SECURITY_STATUS ss = SEC_I_CONTINUE_NEEDED;
	ULONG attr, len;
	int first = 1;

	while (ss == SEC_I_CONTINUE_NEEDED) {
		if (ReceiveMsg(fd, in, &len) != 0)
			return 1;
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = len;
		ib.pvBuffer = in;
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = sizeof(out);
		ob.pvBuffer = out;
		ss = AcceptSecurityContext(cred, first ? NULL : ctx, &id, ASC_REQ_MUTUAL_AUTH |
		    ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, SECURITY_NATIVE_DREP, ctx, &od, &attr,
		    NULL);
		printf("AcceptSecurityContext: %s, %lu bytes out\n", kssp_status_name(ss),
		    (unsigned long)ob.cbBuffer);
		if (ss < 0)
			return ReportError("AcceptSecurityContext", ss);
		first = 0;
		if (ob.cbBuffer != 0 && SendMsg(fd, out, ob.cbBuffer) != 0)
			return 1;
	}
	ss = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
	if (ss != SEC_E_OK)
		return ReportError("QueryContextAttributes(NAMES)", ss);
	printf("client: %s, context attributes 0x%08lx\n", names.sUserName, (unsigned long)attr);
	FreeContextBuffer(names.sUserName);
	return 0;
}

static int Converse(int fd, CtxtHandle *ctx)
{
	static BYTE msg[EXAMPLE_MAX_MESSAGE];
	static const char answer[] = "hello, client";
	ULONG len = 0, n = 0;
	char *text = NULL;

	if (ReceiveMsg(fd, msg, &len) != 0 || OpenMessage(ctx, msg, len, &text, &n) != 0)
		return 1;
	printf("client said: \"%.*s\"\n", (int)n, text);
	if (SealMessage(ctx, answer, sizeof(answer) - 1, msg, &len) != 0)
		return 1;
	return SendMsg(fd, msg, len) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SECURITY_STATUS ss;
	socklen_t len;
	int fd, conn, one = 1, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: sspi_server PORT|0 KEYTAB [Kerberos|Negotiate]\n");
		return 2;
	}
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Keytab = argv[2];
	ss = AcquireCredentialsHandleA(NULL, argc > 3 ? argv[3] : "Negotiate", SECPKG_CRED_INBOUND,
	    NULL, &ad, NULL, NULL, &cred, NULL);
	if (ss != SEC_E_OK)
		return ReportError("AcquireCredentialsHandle", ss);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	/* Port 0: the system picks a free one, printed below. */
	sa.sin_port = htons(ParsePort(argv[1]));
	if (sa.sin_port == 0 && strcmp(argv[1], "0") != 0) {
		fprintf(stderr, "%s: not a port number\n", argv[1]);
		return 2;
	}
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0) {
		perror("bind");
		return 1;
	}
	len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("getsockname");
		return 1;
	}
	printf("listening on 127.0.0.1 port %u\n", (unsigned)ntohs(sa.sin_port));
	if (fflush(stdout) != 0)
		return 1;
	conn = accept(fd, NULL, NULL);
	if (conn < 0)
		return 1;
	memset(&ctx, 0, sizeof(ctx));
	rc = Authenticate(conn, &cred, &ctx);
	if (rc == 0)
		rc = Converse(conn, &ctx);
	if (ctx.dwLower || ctx.dwUpper)
		DeleteSecurityContext(&ctx);
	close(conn);
	close(fd);
	FreeCredentialsHandle(&cred);
	return rc;
}
