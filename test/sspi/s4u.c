/*
 * test/sspi/s4u.c - protocol transition through the SSPI: a service with
 * its own keytab acquires a credential for a user (KSSP_AUTH_DATA
 * ImpersonateUser: S4U2Self), authenticates as that user to itself, and
 * tries a second service (S4U2Proxy, which MIT's db2 KDC refuses).
 *
 * Usage: s4u SERVICE KEYTAB USER OTHER-SPN
 * Prints the name the service's acceptor sees and the status of the
 * second-service attempt; exits 0 when the first is USER.
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	static unsigned char tok[65536], rep[65536];
	KSSP_AUTH_DATA ad;
	CredHandle as_user, inbound;
	CtxtHandle c, s;
	SecBuffer b1 = { sizeof(tok), SECBUFFER_TOKEN, tok }, b2 = { sizeof(rep), SECBUFFER_TOKEN, rep };
	SecBufferDesc d1 = { SECBUFFER_VERSION, 1, &b1 }, d2 = { SECBUFFER_VERSION, 1, &b2 };
	SecPkgContext_NamesA names;
	ULONG attr;
	SECURITY_STATUS ss;
	int ok;

	if (argc != 5)
		return 2;
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Principal = argv[1];
	ad.Keytab = argv[2];
	ad.ImpersonateUser = argv[3];
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    &as_user, NULL) != SEC_E_OK)
		return 1;
	ad.ImpersonateUser = NULL;
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &inbound, NULL) != SEC_E_OK)
		return 1;
	ss = InitializeSecurityContextA(&as_user, NULL, argv[1], 0, 0, SECURITY_NATIVE_DREP, NULL, 0,
	    &c, &d1, &attr, NULL);
	printf("ISC to %s as %s: %s %s\n", argv[1], argv[3], kssp_status_name(ss), kssp_status_reason());
	if (ss != SEC_E_OK)
		return 1;
	ss = AcceptSecurityContext(&inbound, NULL, &d1, 0, SECURITY_NATIVE_DREP, &s, &d2, &attr, NULL);
	if (ss != SEC_E_OK || QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &names) != SEC_E_OK) {
		printf("ASC: %s %s\n", kssp_status_name(ss), kssp_status_reason());
		return 1;
	}
	printf("the service sees \"%s\"\n", names.sUserName);
	ok = strcmp(names.sUserName, argv[3]) == 0;
	FreeContextBuffer(names.sUserName);
	DeleteSecurityContext(&c);
	DeleteSecurityContext(&s);
	b1.cbBuffer = sizeof(tok);
	ss = InitializeSecurityContextA(&as_user, NULL, argv[4], 0, 0, SECURITY_NATIVE_DREP, NULL, 0,
	    &c, &d1, &attr, NULL);
	printf("S4U2Proxy to %s: %s %s\n", argv[4], kssp_status_name(ss), ss < 0 ? kssp_status_reason() : "");
	if (ss >= 0)
		DeleteSecurityContext(&c);
	FreeCredentialsHandle(&as_user);
	FreeCredentialsHandle(&inbound);
	return ok ? 0 : 1;
}
