/*
 * examples/negotiate_header.c - the client side of HTTP "Negotiate"
 * authentication (RFC 4559): prints the Authorization header a browser
 * would send for a URL, from the default credential cache (KRB5CCNAME),
 * through the Negotiate package (SPNEGO around Kerberos).
 *
 *   negotiate_header URL        e.g. https://www.example.com:8443/app
 *   -> Authorization: Negotiate YIIC...
 *
 * The target is HTTP/host (RFC 4559 §4: the "HTTP" service at the URL's
 * host, without port).  The server's answer ("WWW-Authenticate: Negotiate
 * <token>") would be given to InitializeSecurityContext again for mutual
 * authentication; this helper stops after the first token, as most HTTP
 * clients do.
 */
#include <stdio.h>
#include <string.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#define MAX_TOKEN 65536

/* "scheme://[user@]host[:port][/path]" -> host; 0 on success. */
static int UrlHost(const char *url, char *host, size_t cap)
{
	const char *p = strstr(url, "://"), *end, *at;
	size_t n;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') { /* an IPv6 literal */
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (!close)
			return -1;
		n = (size_t)(close - p - 1);
		p++;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		n = (size_t)((colon ? colon : end) - p);
	}
	if (n == 0 || n >= cap)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	return 0;
}

static void PrintBase64(const unsigned char *in, size_t len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8) | in[i + 2];

		printf("%c%c%c%c", digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63],
		    digits[v & 63]);
	}
	if (len - i == 1)
		printf("%c%c==", digits[in[i] >> 2], digits[(in[i] & 3) << 4]);
	else if (len - i == 2)
		printf("%c%c%c=", digits[in[i] >> 2], digits[((in[i] & 3) << 4) | (in[i + 1] >> 4)],
		    digits[(in[i + 1] & 15) << 2]);
}

int main(int argc, char **argv)
{
	static unsigned char token[MAX_TOKEN];
	char host[256], spn[300];
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { sizeof(token), SECBUFFER_TOKEN, token };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	SECURITY_STATUS ss;
	ULONG attr;

	if (argc != 2 || UrlHost(argv[1], host, sizeof(host)) != 0) {
		fprintf(stderr, "usage: negotiate_header URL\n");
		return 2;
	}
	snprintf(spn, sizeof(spn), "HTTP/%s", host);
	ss = AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
	    NULL, &cred, NULL);
	if (ss != SEC_E_OK) {
		fprintf(stderr, "AcquireCredentialsHandle: %s: %s\n", kssp_status_name(ss),
		    kssp_status_reason());
		return 1;
	}
	ss = InitializeSecurityContextA(&cred, NULL, spn, 0, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx,
	    &od, &attr, NULL);
	if (ss < 0) {
		fprintf(stderr, "InitializeSecurityContext(%s): %s: %s\n", spn, kssp_status_name(ss),
		    kssp_status_reason());
		FreeCredentialsHandle(&cred);
		return 1;
	}
	printf("Authorization: Negotiate ");
	PrintBase64(token, out.cbBuffer);
	printf("\n");
	DeleteSecurityContext(&ctx);
	FreeCredentialsHandle(&cred);
	return 0;
}
