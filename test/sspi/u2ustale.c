/*
 * test/sspi/u2ustale.c - a user-to-user ticket is opened only with the
 * session key of the TGT it was sealed in (RFC 4120 §3.3.3), through
 * <kssp/sspi.h> only.
 *
 *   u2ustale SERVER CCACHE_A CCACHE_B
 *
 * The client (KRB5CCNAME) asks SERVER for its TGT, which the acceptor
 * reads from CCACHE_A, gets a ticket sealed in that TGT's session key and
 * builds its AP-REQ.  The same AP-REQ then goes, as the first call of
 * AcceptSecurityContext with ASC_REQ_USE_SESSION_KEY, to an acceptor
 * holding CCACHE_B (SERVER's TGT of another logon, another session key),
 * which must refuse it, and to one holding CCACHE_A, which must accept it.
 * Prints each status; exit 0 when both are as expected.
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <string.h>

#define MAX_TOKEN 65536

static SECURITY_STATUS inbound(const char *ccache, CredHandle *h)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Ccache = ccache;
	return AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL,
	    NULL, h, NULL);
}

static SECURITY_STATUS accept_first(CredHandle *cred, SecBuffer *in, ULONG req, BYTE *out)
{
	SecBuffer ob = { MAX_TOKEN, SECBUFFER_TOKEN, out }, ib = *in;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	CtxtHandle ctx;
	ULONG attr;
	SECURITY_STATUS ss;

	ss = AcceptSecurityContext(cred, NULL, &id, req, SECURITY_NATIVE_DREP, &ctx, &od, &attr,
	    NULL);
	if (ss >= 0) {
		*in = ob;
		DeleteSecurityContext(&ctx);
	}
	return ss;
}

int main(int argc, char **argv)
{
	static BYTE req_tok[MAX_TOKEN], rep_tok[MAX_TOKEN], ap_req[MAX_TOKEN], scratch[MAX_TOKEN];
	const ULONG isc_req = ISC_REQ_USE_SESSION_KEY | ISC_REQ_MUTUAL_AUTH;
	CredHandle client, a, b;
	CtxtHandle cctx;
	SecBuffer ob = { MAX_TOKEN, SECBUFFER_TOKEN, req_tok }, ib, ap;
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
	ULONG attr;
	SECURITY_STATUS ss, with_b, with_a;

	if (argc != 4) {
		fprintf(stderr, "usage: u2ustale SERVER CCACHE_A CCACHE_B\n");
		return 2;
	}
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
	    &client, NULL) != SEC_E_OK || inbound(argv[2], &a) != SEC_E_OK ||
	    inbound(argv[3], &b) != SEC_E_OK)
		return 1;
	ss = InitializeSecurityContextA(&client, NULL, argv[1], isc_req, 0, SECURITY_NATIVE_DREP, NULL,
	    0, &cctx, &od, &attr, NULL);
	printf("ISC KERB-TGT-REQUEST: %s\n", kssp_status_name(ss));
	if (ss != SEC_I_CONTINUE_NEEDED)
		return 1;
	ib = ob;
	ss = accept_first(&a, &ib, 0, rep_tok);
	printf("ASC KERB-TGT-REPLY (TGT A): %s\n", kssp_status_name(ss));
	if (ss != SEC_I_CONTINUE_NEEDED)
		return 1;
	ob = (SecBuffer){ MAX_TOKEN, SECBUFFER_TOKEN, ap_req };
	ss = InitializeSecurityContextA(&client, &cctx, argv[1], isc_req, 0, SECURITY_NATIVE_DREP, &id,
	    0, &cctx, &od, &attr, NULL);
	printf("ISC AP-REQ: %s\n", kssp_status_name(ss));
	if (ss != SEC_I_CONTINUE_NEEDED)
		return 1;
	ap = ob;
	with_b = accept_first(&b, &ap, ASC_REQ_USE_SESSION_KEY, scratch);
	printf("ASC AP-REQ with TGT B: %s (%s)\n", kssp_status_name(with_b), kssp_status_reason());
	ap = ob;
	with_a = accept_first(&a, &ap, ASC_REQ_USE_SESSION_KEY, scratch);
	printf("ASC AP-REQ with TGT A: %s\n", kssp_status_name(with_a));
	DeleteSecurityContext(&cctx);
	FreeCredentialsHandle(&client);
	FreeCredentialsHandle(&a);
	FreeCredentialsHandle(&b);
	return with_b == SEC_E_LOGON_DENIED && with_a == SEC_E_OK ? 0 : 1;
}
