/*
 * test/sspi/armor.c - a password logon through the SSPI, armored with FAST
 * (RFC 6113) as KSSP_AUTH_DATA version 3 says.
 *
 * Usage: armor PRINCIPAL PASSWORD SPN KEYTAB [--ccache ARMOR-CCACHE |
 *              --keytab ARMOR-KEYTAB [ARMOR-PRINCIPAL]]
 *   PRINCIPAL logs on with PASSWORD (KSSP_AUTH_DATA Principal and
 *   Password), armored by the TGT in ARMOR-CCACHE (ArmorCcache, as MIT's
 *   kinit -T) or by one obtained from a machine account's keytab
 *   (ArmorKeytab, ArmorPrincipal); without either the logon is unarmored.
 *   It authenticates to SPN, accepted with KEYTAB.
 * Prints each step's status, a failure's reason and the name the acceptor
 * sees (the PAC's, "DOMAIN\user"); exits 0 when every step succeeded, 1
 * when one failed, 2 on a usage error.
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <string.h>

static unsigned char tok[65536], rep[65536];

static KSSP_AUTH_DATA auth_data(void)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_3;
	ad.Length = sizeof(ad);
	return ad;
}

static SECURITY_STATUS say(const char *step, SECURITY_STATUS ss)
{
	printf("%s: %s%s%s\n", step, kssp_status_name(ss), ss < 0 ? ": " : "",
	    ss < 0 ? kssp_status_reason() : "");
	return ss;
}

/* One ISC from client to spn, accepted by server; returns whether all succeeded. */
static int authenticate(CredHandle *client, SEC_CHAR *spn, CredHandle *server)
{
	SecBuffer b1 = { sizeof(tok), SECBUFFER_TOKEN, tok }, b2 = { sizeof(rep), SECBUFFER_TOKEN, rep };
	SecBufferDesc d1 = { SECBUFFER_VERSION, 1, &b1 }, d2 = { SECBUFFER_VERSION, 1, &b2 };
	SecPkgContext_NamesA names;
	CtxtHandle c, s;
	ULONG attr;

	if (say("InitializeSecurityContext", InitializeSecurityContextA(client, NULL, spn, 0, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &c, &d1, &attr, NULL)) != SEC_E_OK)
		return 0;
	DeleteSecurityContext(&c);
	if (say("AcceptSecurityContext", AcceptSecurityContext(server, NULL, &d1, 0,
	    SECURITY_NATIVE_DREP, &s, &d2, &attr, NULL)) != SEC_E_OK)
		return 0;
	if (say("QueryContextAttributes", QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &names)) !=
	    SEC_E_OK) {
		DeleteSecurityContext(&s);
		return 0;
	}
	printf("the acceptor sees \"%s\"\n", names.sUserName);
	FreeContextBuffer(names.sUserName);
	DeleteSecurityContext(&s);
	return 1;
}

int main(int argc, char **argv)
{
	KSSP_AUTH_DATA cad = auth_data(), sad = auth_data();
	CredHandle client, server;
	int ok;

	if (argc == 7 && strcmp(argv[5], "--ccache") == 0)
		cad.ArmorCcache = argv[6];
	else if ((argc == 7 || argc == 8) && strcmp(argv[5], "--keytab") == 0) {
		cad.ArmorKeytab = argv[6];
		cad.ArmorPrincipal = argc == 8 ? argv[7] : NULL;
	} else if (argc != 5)
		return 2;
	cad.Principal = argv[1];
	cad.Password = argv[2];
	sad.Keytab = argv[4];
	if (say("AcquireCredentialsHandle (server)", AcquireCredentialsHandleA(NULL, "Kerberos",
	    SECPKG_CRED_INBOUND, NULL, &sad, NULL, NULL, &server, NULL)) != SEC_E_OK)
		return 1;
	if (say("AcquireCredentialsHandle (client)", AcquireCredentialsHandleA(NULL, "Kerberos",
	    SECPKG_CRED_OUTBOUND, NULL, &cad, NULL, NULL, &client, NULL)) != SEC_E_OK) {
		FreeCredentialsHandle(&server);
		return 1;
	}
	ok = authenticate(&client, argv[3], &server);
	FreeCredentialsHandle(&client);
	FreeCredentialsHandle(&server);
	return ok ? 0 : 1;
}
