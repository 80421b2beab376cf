/*
 * test/sspi/iscstatus.c - each return code the Kerberos
 * InitializeSecurityContext documentation lists, produced by a scenario
 * against the loopback realm.  Prints "SCENARIO STATUS_NAME" per line and
 * exits non-zero when a scenario gives another status than the one named.
 *
 * Usage: iscstatus TARGET KEYTAB WRONG_KEYTAB USER PASSWORD DEAD_KRB5CONF BAD_KRB5CONF
 * (the default cache must hold USER's TGT).  Linked with the static
 * library and test/unit/memfault.c's allocation wrappers, for
 * allocation-failure injection (test/unit/memfault.h).
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/unit/memfault.h"

static int failed;

static void expect(const char *scenario, SECURITY_STATUS got, SECURITY_STATUS want)
{
	printf("%-22s %s%s%s\n", scenario, kssp_status_name(got), got < 0 ? "  # " : "",
	    got < 0 ? kssp_status_reason() : "");
	if (got != want) {
		printf("  expected %s\n", kssp_status_name(want));
		failed++;
	}
}

static SECURITY_STATUS acquire(ULONG use, void *auth, CredHandle *h)
{
	return AcquireCredentialsHandleA(NULL, "Kerberos", use, NULL, auth, NULL, NULL, h, NULL);
}

/* One first ISC call; the context is deleted again when one was made. */
static SECURITY_STATUS first_call(CredHandle *cred, char *target, ULONG req, CtxtHandle *ctx,
    SecBuffer *out_buf, int keep)
{
	static unsigned char buf[48256];
	SecBufferDesc od = { SECBUFFER_VERSION, 1, out_buf };
	ULONG attr;
	SECURITY_STATUS st;

	out_buf->BufferType = SECBUFFER_TOKEN;
	out_buf->cbBuffer = sizeof(buf);
	out_buf->pvBuffer = buf;
	st = InitializeSecurityContextA(cred, NULL, target, req, 0, SECURITY_NATIVE_DREP, NULL, 0,
	    ctx, &od, &attr, NULL);
	if (st >= 0 && !keep)
		DeleteSecurityContext(ctx);
	return st;
}

static KSSP_AUTH_DATA auth_data(void)
{
	KSSP_AUTH_DATA ad;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	return ad;
}

int main(int argc, char **argv)
{
	char *target, *user, *password;
	CredHandle cred, zero, bad, srv;
	CtxtHandle ctx, sctx;
	SecBuffer tok, in, out;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &in }, od = { SECBUFFER_VERSION, 1, &out };
	SEC_WINNT_AUTH_IDENTITY_A id_a;
	KSSP_AUTH_DATA ad;
	unsigned char garbage[40], reply[4096];
	ULONG attr;
	size_t n;
	int saw_nomem = 0;
	SECURITY_STATUS st;

	if (argc != 8) {
		fprintf(stderr, "usage: iscstatus TARGET KEYTAB WRONG_KEYTAB USER PASSWORD DEAD_CONF BAD_CONF\n");
		return 2;
	}
	target = argv[1];
	user = argv[4];
	password = argv[5];
	memset(&zero, 0, sizeof(zero));
	if (acquire(SECPKG_CRED_OUTBOUND, NULL, &cred) != SEC_E_OK)
		return 1;

	expect("ok", first_call(&cred, target, 0, &ctx, &tok, 0), SEC_E_OK);
	expect("continue_needed", first_call(&cred, target, ISC_REQ_MUTUAL_AUTH, &ctx, &tok, 0),
	    SEC_I_CONTINUE_NEEDED);
	expect("invalid_handle", first_call(&zero, target, 0, &ctx, &tok, 0), SEC_E_INVALID_HANDLE);

	/* Called again on a completed context: a new AP-REQ (re-authentication). */
	if (first_call(&cred, target, 0, &ctx, &tok, 1) == SEC_E_OK) {
		unsigned char again[8192];

		out.BufferType = SECBUFFER_TOKEN;
		out.cbBuffer = sizeof(again);
		out.pvBuffer = again;
		st = InitializeSecurityContextA(&cred, &ctx, target, 0, 0, SECURITY_NATIVE_DREP, NULL, 0,
		    &ctx, &od, &attr, NULL);
		expect("reauthenticate", st == SEC_E_OK && out.cbBuffer > 0 &&
		    memcmp(again, tok.pvBuffer, out.cbBuffer < tok.cbBuffer ? out.cbBuffer : tok.cbBuffer) != 0 ?
		    SEC_E_OK : SEC_E_INTERNAL_ERROR, SEC_E_OK);
		DeleteSecurityContext(&ctx);
	}

	/* A second leg fed garbage instead of the AP-REP. */
	if (first_call(&cred, target, ISC_REQ_MUTUAL_AUTH, &ctx, &tok, 1) == SEC_I_CONTINUE_NEEDED) {
		memset(garbage, 0x41, sizeof(garbage));
		in.BufferType = SECBUFFER_TOKEN;
		in.cbBuffer = sizeof(garbage);
		in.pvBuffer = garbage;
		out.BufferType = SECBUFFER_TOKEN;
		out.cbBuffer = sizeof(reply);
		out.pvBuffer = reply;
		expect("invalid_token", InitializeSecurityContextA(&cred, &ctx, target,
		    ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP, &id, 0, &ctx, &od, &attr, NULL),
		    SEC_E_INVALID_TOKEN);
		DeleteSecurityContext(&ctx);
	} else {
		expect("invalid_token", SEC_E_INTERNAL_ERROR, SEC_E_INVALID_TOKEN);
	}

	/* A password logon with the wrong password. */
	memset(&id_a, 0, sizeof(id_a));
	id_a.User = (unsigned char *)user;
	id_a.UserLength = (ULONG)strlen(user);
	id_a.Password = (unsigned char *)"not-the-password";
	id_a.PasswordLength = 16;
	id_a.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
	acquire(SECPKG_CRED_OUTBOUND, &id_a, &bad);
	expect("logon_denied", first_call(&bad, target, 0, &ctx, &tok, 0), SEC_E_LOGON_DENIED);
	FreeCredentialsHandle(&bad);
	/* The right password works (AS + TGS by kssp alone). */
	id_a.Password = (unsigned char *)password;
	id_a.PasswordLength = (ULONG)strlen(password);
	acquire(SECPKG_CRED_OUTBOUND, &id_a, &bad);
	expect("password_logon_ok", first_call(&bad, target, 0, &ctx, &tok, 0), SEC_E_OK);
	FreeCredentialsHandle(&bad);

	/* The same logon with a krb5.conf whose only KDC does not listen. */
	ad = auth_data();
	ad.Principal = user;
	ad.Password = password;
	ad.Krb5Conf = argv[6];
	acquire(SECPKG_CRED_OUTBOUND, &ad, &bad);
	expect("no_authority", first_call(&bad, target, 0, &ctx, &tok, 0),
	    SEC_E_NO_AUTHENTICATING_AUTHORITY);
	FreeCredentialsHandle(&bad);

	/* A cache that does not exist. */
	ad = auth_data();
	ad.Ccache = "FILE:/nonexistent/kssp-no-such-cache";
	acquire(SECPKG_CRED_OUTBOUND, &ad, &bad);
	expect("no_credentials", first_call(&bad, target, 0, &ctx, &tok, 0), SEC_E_NO_CREDENTIALS);
	FreeCredentialsHandle(&bad);

	expect("target_unknown", first_call(&cred, "HTTP/no-such-host.kssp.test", 0, &ctx, &tok, 0),
	    SEC_E_TARGET_UNKNOWN);
	/* DCE style is built on the Kerberos package, not inside Negotiate. */
	AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &bad,
	    NULL);
	expect("unsupported_function", first_call(&bad, target, ISC_REQ_USE_DCE_STYLE, &ctx, &tok, 0),
	    SEC_E_UNSUPPORTED_FUNCTION);
	FreeCredentialsHandle(&bad);

	/* The server holds another key for the service: its KRB-ERROR comes back. */
	ad = auth_data();
	ad.Keytab = argv[3];
	acquire(SECPKG_CRED_INBOUND, &ad, &srv);
	if (first_call(&cred, target, ISC_REQ_MUTUAL_AUTH | ISC_REQ_EXTENDED_ERROR, &ctx, &tok, 1) ==
	    SEC_I_CONTINUE_NEEDED) {
		SecBuffer sin = tok, sout = { sizeof(reply), SECBUFFER_TOKEN, reply };
		SecBufferDesc sid = { SECBUFFER_VERSION, 1, &sin }, sod = { SECBUFFER_VERSION, 1, &sout };

		st = AcceptSecurityContext(&srv, NULL, &sid, ASC_REQ_EXTENDED_ERROR, SECURITY_NATIVE_DREP,
		    &sctx, &sod, &attr, NULL);
		printf("%-22s %s (server)\n", "  acceptor said", kssp_status_name(st));
		in = sout;
		out.BufferType = SECBUFFER_TOKEN;
		out.cbBuffer = sizeof(garbage);
		out.pvBuffer = garbage;
		expect("wrong_principal", InitializeSecurityContextA(&cred, &ctx, target,
		    ISC_REQ_MUTUAL_AUTH | ISC_REQ_EXTENDED_ERROR, 0, SECURITY_NATIVE_DREP, &id, 0, &ctx,
		    &od, &attr, NULL), SEC_E_WRONG_PRINCIPAL);
		DeleteSecurityContext(&ctx);
	} else {
		expect("wrong_principal", SEC_E_INTERNAL_ERROR, SEC_E_WRONG_PRINCIPAL);
	}
	FreeCredentialsHandle(&srv);

	/* Every allocation of a first call fails once in turn. */
	for (n = 1; n < 400; n++) {
		CredHandle c;

		kssp_alloc_fail_after(n);
		st = acquire(SECPKG_CRED_OUTBOUND, NULL, &c);
		if (st == SEC_E_OK)
			st = first_call(&c, target, ISC_REQ_MUTUAL_AUTH, &ctx, &tok, 0);
		kssp_alloc_fail_after(0);
		if (st == SEC_E_INSUFFICIENT_MEMORY)
			saw_nomem++;
		else if (st != SEC_I_CONTINUE_NEEDED) {
			printf("allocation %zu failing gave %s: %s\n", n, kssp_status_name(st),
			    kssp_status_reason());
			failed++;
		}
		FreeCredentialsHandle(&c);
	}
	expect("insufficient_memory", saw_nomem > 0 ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_OK,
	    SEC_E_INSUFFICIENT_MEMORY);

	/* krb5.conf that cannot be read as one: the security system cannot work. */
	ad = auth_data();
	ad.Krb5Conf = argv[7];
	acquire(SECPKG_CRED_OUTBOUND, &ad, &bad);
	expect("internal_error", first_call(&bad, target, 0, &ctx, &tok, 0), SEC_E_INTERNAL_ERROR);
	FreeCredentialsHandle(&bad);

	FreeCredentialsHandle(&cred);
	(void)argv[2];
	printf("%s\n", failed ? "iscstatus: FAILED" : "iscstatus: every status produced");
	return failed ? 1 : 0;
}
