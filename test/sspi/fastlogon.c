/*
 * test/sspi/fastlogon.c - an SSPI logon armored with FAST (RFC 6113):
 * AcquireCredentialsHandle with KSSP_AUTH_DATA version 3 (ArmorCcache or
 * ArmorKeytab), then a first InitializeSecurityContext to TARGET, which
 * runs the AS and TGS exchanges.  Prints the status and its reason; exits
 * 0 when the status is the one expected.
 *
 * Usage: fastlogon EXPECTED_STATUS TARGET PRINCIPAL (-p PASSWORD | -k KEYTAB)
 *                  (-T ARMOR_CCACHE | -K ARMOR_KEYTAB | -R | -)
 * (-R: RequireFast without armor; -: no armor).
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <string.h>

/* The library's trace, on standard error: the test reads which exchanges were armored. */
static void trace(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "[trace] %s\n", line);
}

int main(int argc, char **argv)
{
	static unsigned char buf[48256];
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	CtxtHandle ctx;
	SecBuffer out = { sizeof(buf), SECBUFFER_TOKEN, buf };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
	ULONG attr;
	SECURITY_STATUS st;

	if (argc != 7) {
		fprintf(stderr, "usage: fastlogon EXPECTED TARGET PRINCIPAL -p PW|-k KT -T CC|-K KT|-R|-\n");
		return 2;
	}
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_3;
	ad.Length = sizeof(ad);
	ad.Principal = argv[3];
	ad.Trace = trace;
	if (strcmp(argv[4], "-p") == 0)
		ad.Password = argv[5];
	else
		ad.Keytab = argv[5];
	if (strncmp(argv[6], "-T", 2) == 0)
		ad.ArmorCcache = argv[6] + 2;
	else if (strncmp(argv[6], "-K", 2) == 0)
		ad.ArmorKeytab = argv[6] + 2;
	else if (strcmp(argv[6], "-R") == 0)
		ad.RequireFast = 1;
	st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL,
	    NULL, &cred, NULL);
	if (st == SEC_E_OK) {
		st = InitializeSecurityContextA(&cred, NULL, argv[2], ISC_REQ_MUTUAL_AUTH, 0,
		    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL);
		/* The reason before the next call replaces it. */
		printf("%s%s%s\n", kssp_status_name(st), st < 0 ? ": " : "",
		    st < 0 ? kssp_status_reason() : "");
		if (st >= 0)
			DeleteSecurityContext(&ctx);
		FreeCredentialsHandle(&cred);
	} else {
		printf("%s: %s\n", kssp_status_name(st), kssp_status_reason());
	}
	return strcmp(kssp_status_name(st), argv[1]) == 0 ? 0 : 1;
}
