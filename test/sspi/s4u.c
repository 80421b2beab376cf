/*
 * test/sspi/s4u.c - constrained delegation through the SSPI.
 *
 * Usage: s4u FRONT KEYTAB USER BACK [USER-PASSWORD]
 *   With USER-PASSWORD, USER first logs on with that password
 *   (SEC_WINNT_AUTH_IDENTITY) and authenticates to FRONT, whose acceptor
 *   learns the name from QueryContextAttributes(NAMES).  FRONT (keys in
 *   KEYTAB) then acquires a credential for that user (KSSP_AUTH_DATA
 *   ImpersonateUser: S4U2Self with its own key), authenticates as the user
 *   to itself, and to BACK through S4U2Proxy; when the KDC grants it, BACK
 *   (keys in KEYTAB too) accepts and must see the user.
 * Prints each step's status; exits 0 when every acceptor saw USER (BACK's
 * refusal by a KDC without delegation rules is printed, not a failure).
 *
 * Usage: s4u --from FRONT KEYTAB USER BACK USER-PASSWORD
 *   Kerberos-only constrained delegation: USER authenticates to FRONT
 *   without delegating a TGT; FRONT accepts with ASC_REQ_DELEGATE, takes
 *   a credential from that context (KSSP_AUTH_DATA.DelegateFrom, its own
 *   key from KEYTAB) and authenticates as USER to BACK (S4U2Proxy with the
 *   ticket it accepted as evidence).  Exits 0 when BACK saw USER.
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <string.h>

static unsigned char tok[65536], rep[65536];

/* The services the ticket passed through (the PAC's S4U_DELEGATION_INFO), when any. */
static void print_transited(CtxtHandle *s, const char *what)
{
	PKSSP_LOGON_INFO li = NULL;
	ULONG i;

	if (QueryContextAttributesA(s, SECPKG_ATTR_KSSP_LOGON_INFO, &li) != SEC_E_OK)
		return;
	for (i = 0; i < li->TransitedServiceCount; i++)
		printf("%s: transited \"%s\"\n", what, li->TransitedServices[i]);
	FreeContextBuffer(li);
}

/*
 * One ISC (no mutual) from client to spn, accepted by server (ASC flags
 * asc); *name gets who it saw.  With keep, the accepted context is left in
 * *keep for the caller to delete.
 */
static SECURITY_STATUS authenticate_as(CredHandle *client, SEC_CHAR *spn, CredHandle *server,
    ULONG asc, CtxtHandle *keep, char *name, size_t cap, const char *what)
{
	SecBuffer b1 = { sizeof(tok), SECBUFFER_TOKEN, tok }, b2 = { sizeof(rep), SECBUFFER_TOKEN, rep };
	SecBufferDesc d1 = { SECBUFFER_VERSION, 1, &b1 }, d2 = { SECBUFFER_VERSION, 1, &b2 };
	SecPkgContext_NamesA names;
	CtxtHandle c, s;
	ULONG attr;
	SECURITY_STATUS ss;

	ss = InitializeSecurityContextA(client, NULL, spn, 0, 0, SECURITY_NATIVE_DREP, NULL, 0, &c,
	    &d1, &attr, NULL);
	printf("%s: InitializeSecurityContext to %s: %s %s\n", what, spn, kssp_status_name(ss),
	    ss < 0 ? kssp_status_reason() : "");
	if (ss != SEC_E_OK)
		return ss;
	ss = AcceptSecurityContext(server, NULL, &d1, asc, SECURITY_NATIVE_DREP, &s, &d2, &attr, NULL);
	if (ss == SEC_E_OK)
		ss = QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &names);
	printf("%s: AcceptSecurityContext: %s %s\n", what, kssp_status_name(ss),
	    ss < 0 ? kssp_status_reason() : "");
	DeleteSecurityContext(&c);
	if (ss != SEC_E_OK)
		return ss;
	snprintf(name, cap, "%s", names.sUserName);
	printf("%s: the acceptor sees \"%s\"\n", what, name);
	FreeContextBuffer(names.sUserName);
	print_transited(&s, what);
	if (keep != NULL)
		*keep = s;
	else
		DeleteSecurityContext(&s);
	return SEC_E_OK;
}

static SECURITY_STATUS authenticate(CredHandle *client, SEC_CHAR *spn, CredHandle *server,
    char *name, size_t cap, const char *what)
{
	return authenticate_as(client, spn, server, 0, NULL, name, cap, what);
}

static KSSP_AUTH_DATA auth_data(const char *principal, const char *keytab)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Principal = principal;
	ad.Keytab = keytab;
	return ad;
}

static int user_logon(const char *user, const char *password, CredHandle *out)
{
	SEC_WINNT_AUTH_IDENTITY_A id;

	memset(&id, 0, sizeof(id));
	id.User = (unsigned char *)user;
	id.UserLength = (ULONG)strlen(user);
	id.Password = (unsigned char *)password;
	id.PasswordLength = (ULONG)strlen(password);
	id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
	return AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
	    NULL, out, NULL) == SEC_E_OK;
}

/* --from: the front acts for the user it accepted, with no TGT from the user. */
static int delegate_from(char **argv)
{
	KSSP_AUTH_DATA ad;
	CredHandle user_cred, front, back, as_user;
	CtxtHandle accepted;
	char seen[512];
	SECURITY_STATUS ss;

	ad = auth_data(argv[0], argv[1]);
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &front, NULL) != SEC_E_OK)
		return 1;
	ad = auth_data(NULL, argv[1]);
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &back, NULL) != SEC_E_OK || !user_logon(argv[2], argv[4], &user_cred))
		return 1;
	ss = authenticate_as(&user_cred, argv[0], &front, ASC_REQ_DELEGATE, &accepted, seen,
	    sizeof(seen), "user to front");
	FreeCredentialsHandle(&user_cred);
	if (ss != SEC_E_OK)
		return 1;
	ad = auth_data(argv[0], argv[1]);
	ad.DelegateFrom = &accepted;
	ss = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    &as_user, NULL);
	printf("DelegateFrom: AcquireCredentialsHandle: %s %s\n", kssp_status_name(ss),
	    ss < 0 ? kssp_status_reason() : "");
	if (ss == SEC_E_OK) {
		ss = authenticate(&as_user, argv[3], &back, seen, sizeof(seen), "S4U2Proxy");
		FreeCredentialsHandle(&as_user);
	}
	DeleteSecurityContext(&accepted);
	FreeCredentialsHandle(&front);
	FreeCredentialsHandle(&back);
	return ss == SEC_E_OK && strcmp(seen, argv[2]) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	KSSP_AUTH_DATA ad;
	CredHandle user_cred, as_user, front, back;
	char seen[512], user[512];
	SECURITY_STATUS ss;
	int ok = 1;

	if (argc == 7 && strcmp(argv[1], "--from") == 0)
		return delegate_from(argv + 2);
	if (argc != 5 && argc != 6)
		return 2;
	snprintf(user, sizeof(user), "%s", argv[3]);
	ad = auth_data(argv[1], argv[2]);
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &front, NULL) != SEC_E_OK)
		return 1;
	ad = auth_data(NULL, argv[2]);
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &back, NULL) != SEC_E_OK)
		return 1;
	if (argc == 6) {
		/* The user logs on with a password and authenticates to the front service. */
		if (!user_logon(argv[3], argv[5], &user_cred))
			return 1;
		ss = authenticate(&user_cred, argv[1], &front, user, sizeof(user), "user to front");
		FreeCredentialsHandle(&user_cred);
		if (ss != SEC_E_OK)
			return 1;
	}
	/* The front service acts for the user it saw. */
	ad = auth_data(argv[1], argv[2]);
	ad.ImpersonateUser = user;
	if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    &as_user, NULL) != SEC_E_OK)
		return 1;
	ss = authenticate(&as_user, argv[1], &front, seen, sizeof(seen), "S4U2Self");
	ok = ss == SEC_E_OK && strcmp(seen, argv[3]) == 0;
	ss = authenticate(&as_user, argv[4], &back, seen, sizeof(seen), "S4U2Proxy");
	if (ss == SEC_E_OK)
		ok = ok && strcmp(seen, argv[3]) == 0;
	FreeCredentialsHandle(&as_user);
	FreeCredentialsHandle(&front);
	FreeCredentialsHandle(&back);
	return ok ? 0 : 1;
}
