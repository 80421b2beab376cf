/*
 * examples/sspi_common.h - what the SSPI client and server examples share:
 * messages on a stream socket, each a 4-byte big-endian length and the
 * bytes (the framing of Microsoft's SSPI socket samples, in network order),
 * and sealing and opening one message with EncryptMessage / DecryptMessage.
 */
#ifndef KSSP_EXAMPLE_SSPI_COMMON_H
#define KSSP_EXAMPLE_SSPI_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#define EXAMPLE_MAX_MESSAGE 65536

static int IoAll(int fd, void *buf, size_t n, int writing)
{
	unsigned char *p = (unsigned char *)buf;

	while (n > 0) {
		ssize_t r = writing ? write(fd, p, n) : read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int SendMsg(int fd, const void *buf, ULONG len)
{
	unsigned char hdr[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16),
		(unsigned char)(len >> 8), (unsigned char)len };

	return IoAll(fd, hdr, 4, 1) == 0 && (len == 0 || IoAll(fd, (void *)buf, len, 1) == 0) ? 0 : -1;
}

/* Reads one message into buf (EXAMPLE_MAX_MESSAGE bytes). */
static int ReceiveMsg(int fd, void *buf, ULONG *len)
{
	unsigned char hdr[4];

	if (IoAll(fd, hdr, 4, 0) != 0)
		return -1;
	*len = ((ULONG)hdr[0] << 24) | ((ULONG)hdr[1] << 16) | ((ULONG)hdr[2] << 8) | hdr[3];
	if (*len > EXAMPLE_MAX_MESSAGE)
		return -1;
	return *len == 0 ? 0 : IoAll(fd, buf, *len, 0);
}

/* Prints the call, its status by name and the library's reason; returns 1. */
static int ReportError(const char *what, SECURITY_STATUS ss)
{
	fprintf(stderr, "%s failed: %s (0x%08lx): %s\n", what, kssp_status_name(ss),
	    (unsigned long)(ULONG)ss, kssp_status_reason());
	return 1;
}

/*
 * Seals text into one message: EncryptMessage fills a SECBUFFER_TOKEN of
 * cbSecurityTrailer bytes, the data in place and a SECBUFFER_PADDING of
 * cbBlockSize bytes (an RC4 session puts its pad byte there, AES leaves it
 * empty); token, data and padding then travel together.
 */
static int SealMessage(CtxtHandle *ctx, const char *text, ULONG n, BYTE *msg, ULONG *len)
{
	SecPkgContext_Sizes sizes;
	SecBuffer b[3];
	SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
	SECURITY_STATUS ss;

	ss = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes);
	if (ss != SEC_E_OK)
		return ReportError("QueryContextAttributes(SIZES)", ss);
	if (n > EXAMPLE_MAX_MESSAGE - sizes.cbSecurityTrailer - sizes.cbBlockSize)
		return ReportError("SealMessage", SEC_E_BUFFER_TOO_SMALL);
	memcpy(msg + sizes.cbSecurityTrailer, text, n);
	b[0].BufferType = SECBUFFER_TOKEN;
	b[0].cbBuffer = sizes.cbSecurityTrailer;
	b[0].pvBuffer = msg;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = n;
	b[1].pvBuffer = msg + sizes.cbSecurityTrailer;
	b[2].BufferType = SECBUFFER_PADDING;
	b[2].cbBuffer = sizes.cbBlockSize;
	b[2].pvBuffer = msg + sizes.cbSecurityTrailer + n;
	ss = EncryptMessage(ctx, 0, &d, 0);
	if (ss != SEC_E_OK)
		return ReportError("EncryptMessage", ss);
	/* The token may be shorter than cbSecurityTrailer: close the gaps. */
	memmove(msg + b[0].cbBuffer, b[1].pvBuffer, n);
	memmove(msg + b[0].cbBuffer + n, b[2].pvBuffer, b[2].cbBuffer);
	*len = b[0].cbBuffer + n + b[2].cbBuffer;
	return 0;
}

/* Opens a received message in place: SECBUFFER_STREAM + SECBUFFER_DATA. */
static int OpenMessage(CtxtHandle *ctx, BYTE *msg, ULONG len, char **text, ULONG *n)
{
	SecBuffer b[2];
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	SECURITY_STATUS ss;

	b[0].BufferType = SECBUFFER_STREAM;
	b[0].cbBuffer = len;
	b[0].pvBuffer = msg;
	b[1].BufferType = SECBUFFER_DATA;
	b[1].cbBuffer = 0;
	b[1].pvBuffer = NULL;
	ss = DecryptMessage(ctx, &d, 0, NULL);
	if (ss != SEC_E_OK)
		return ReportError("DecryptMessage", ss);
	*text = (char *)b[1].pvBuffer;
	*n = b[1].cbBuffer;
	return 0;
}

/* A TCP port from text; 0 when it is not one. */
static unsigned short ParsePort(const char *text)
{
	char *end;
	long port = strtol(text, &end, 10);

	return *text && !*end && port > 0 && port < 65536 ? (unsigned short)port : 0;
}

#endif
