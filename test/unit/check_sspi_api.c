/*
 * test/unit/check_sspi_api.c - the SSPI entry points that need no KDC:
 * handle validation, package information, FreeContextBuffer, the pAuthData
 * forms, UTF-16 conversion, target names, argument checks of ISC/ASC, the
 * calls with no Linux equivalent, allocation failures and threads.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/krb5_int.h"
#include "base/mem_int.h"
#include "kssp/kssp.h"
#include "kssp/sspi.h"
#include "sspi/credential_int.h"
#include "sspi/ctx_int.h"
#include "sspi/handle_int.h"
#include "sspi/status_int.h"
#include "sspi/target_int.h"
#include "sspi/utf16_int.h"
#include "memfault.h"
#include "testutil.h"

static const SEC_WCHAR w_kerberos[] = { 'K', 'e', 'r', 'b', 'e', 'r', 'o', 's', 0 };
static const SEC_WCHAR w_negotiate[] = { 'n', 'E', 'G', 'O', 't', 'i', 'a', 't', 'e', 0 };

static CredHandle acquire_ok(const char *package, ULONG use, void *auth)
{
	CredHandle h;
	TimeStamp ts;

	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, use, NULL, auth,
	    NULL, NULL, &h, &ts), SEC_E_OK);
	ck_assert_int_eq(ts.QuadPart, INT64_MAX);
	return h;
}

/* ---- packages ---- */

START_TEST(package_info_has_windows_values)
{
	PSecPkgInfoA a = NULL;
	PSecPkgInfoW w = NULL;
	char *name = NULL;

	ck_assert_int_eq(QuerySecurityPackageInfoA("kerberos", &a), SEC_E_OK);
	ck_assert_uint_eq(a->fCapabilities, 0x000F3BBF);
	ck_assert_uint_eq(a->wVersion, 1);
	ck_assert_uint_eq(a->wRPCID, 16);
	ck_assert_uint_eq(a->cbMaxToken, 48000);
	ck_assert_str_eq(a->Name, "Kerberos");
	ck_assert_str_eq(a->Comment, "Microsoft Kerberos V1.0");
	ck_assert_int_eq(FreeContextBuffer(a), SEC_E_OK);

	ck_assert_int_eq(QuerySecurityPackageInfoW((SEC_WCHAR *)w_negotiate, &w), SEC_E_OK);
	ck_assert_uint_eq(w->fCapabilities, 0x00083BB3);
	ck_assert_uint_eq(w->wRPCID, 9);
	ck_assert_uint_eq(w->cbMaxToken, 48256);
	ck_assert_int_eq(kssp_utf16_to_utf8(w->Name, 9, &name, NULL), KSSP_OK);
	ck_assert_str_eq(name, "Negotiate");
	kssp_free(name);
	ck_assert_int_eq(FreeContextBuffer(w), SEC_E_OK);

	ck_assert_int_eq(QuerySecurityPackageInfoA("NTLM", &a), SEC_E_SECPKG_NOT_FOUND);
	ck_assert_ptr_null(a);
	ck_assert_int_eq(QuerySecurityPackageInfoA("Kerberos", NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_uint_eq(kssp_sspi_buffer_count(), 0);
}
END_TEST

START_TEST(enumerate_lists_negotiate_then_kerberos)
{
	ULONG n = 0;
	PSecPkgInfoA a = NULL;
	PSecPkgInfoW w = NULL;

	ck_assert_int_eq(EnumerateSecurityPackagesA(&n, &a), SEC_E_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(a[0].Name, "Negotiate");
	ck_assert_str_eq(a[0].Comment, "Microsoft Package Negotiator");
	ck_assert_str_eq(a[1].Name, "Kerberos");
	ck_assert_uint_eq(a[1].wRPCID, 16);
	ck_assert_int_eq(FreeContextBuffer(a), SEC_E_OK);
	ck_assert_int_eq(EnumerateSecurityPackagesW(&n, &w), SEC_E_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(w[1].Name[0], 'K');
	ck_assert_uint_eq(w[1].Name[8], 0);
	ck_assert_uint_eq(w[0].cbMaxToken, 48256);
	ck_assert_int_eq(FreeContextBuffer(w), SEC_E_OK);
	ck_assert_int_eq(EnumerateSecurityPackagesA(NULL, &a), SEC_E_INVALID_PARAMETER);
}
END_TEST

START_TEST(free_context_buffer_refuses_foreign_memory)
{
	PSecPkgInfoA a = NULL;
	char local[32];
	void *heap = kssp_malloc(16);

	ck_assert_int_eq(FreeContextBuffer(NULL), SEC_E_OK);
	ck_assert_int_eq(FreeContextBuffer(local), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(FreeContextBuffer(heap), SEC_E_INVALID_HANDLE);
	ck_assert(strstr(kssp_status_reason(), "not returned by kssp") != NULL);
	kssp_free(heap);
	ck_assert_int_eq(QuerySecurityPackageInfoA("Kerberos", &a), SEC_E_OK);
	ck_assert_int_eq(FreeContextBuffer(a), SEC_E_OK);
	ck_assert_int_eq(FreeContextBuffer(a), SEC_E_INVALID_HANDLE); /* twice */
}
END_TEST

/* ---- handles ---- */

START_TEST(bad_handles_are_refused_never_followed)
{
	CredHandle good = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, NULL), bad;
	SecPkgCredentials_NamesA names;
	uint32_t before = kssp_sspi_handle_count();
	unsigned i;

	memset(&bad, 0, sizeof(bad));
	ck_assert_int_eq(FreeCredentialsHandle(&bad), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
	SecInvalidateHandle(&bad);
	ck_assert_int_eq(FreeCredentialsHandle(&bad), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(DeleteSecurityContext(&bad), SEC_E_INVALID_HANDLE);
	/* Forged: every neighbour of the good handle's values. */
	for (i = 1; i < 64; i++) {
		bad = good;
		bad.dwLower ^= i;
		ck_assert_int_eq(QueryCredentialsAttributesA(&bad, SECPKG_CRED_ATTR_NAMES, &names),
		    SEC_E_INVALID_HANDLE);
		bad = good;
		bad.dwUpper ^= (ULONG_PTR)i << (i % 30);
		ck_assert_int_eq(FreeCredentialsHandle(&bad), SEC_E_INVALID_HANDLE);
	}
	/* A credential handle is not a context handle. */
	ck_assert_int_eq(DeleteSecurityContext(&good), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(EncryptMessage(&good, 0, NULL, 0), SEC_E_INVALID_HANDLE);
	ck_assert_uint_eq(kssp_sspi_handle_count(), before);
	ck_assert_int_eq(FreeCredentialsHandle(&good), SEC_E_OK);
	/* Freed: stale from now on, even after the slot is reused. */
	ck_assert_int_eq(FreeCredentialsHandle(&good), SEC_E_INVALID_HANDLE);
	bad = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, NULL);
	ck_assert_int_eq(FreeCredentialsHandle(&good), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(FreeCredentialsHandle(&bad), SEC_E_OK);
	ck_assert_uint_eq(kssp_sspi_handle_count(), before - 1);
}
END_TEST

START_TEST(context_calls_on_a_live_context)
{
	CredHandle ch = acquire_ok("Negotiate", SECPKG_CRED_BOTH, NULL), again;
	struct kssp_sspi_cred *cred;
	CtxtHandle xh;
	SecPkgContext_PackageInfoA pi;
	SecPkgContext_NegotiationInfoW ni;
	SecPkgContext_Flags fl;
	KSSP_LAST_ERROR le;

	ck_assert_int_eq(kssp_sspi_cred_enter(&ch, &cred), KSSP_OK);
	ck_assert_int_eq(kssp_sspi_ctx_new(cred, true, 0, &xh), KSSP_OK);
	kssp_sspi_cred_leave(cred);
	/* The context keeps its credential alive. */
	ck_assert_int_eq(FreeCredentialsHandle(&ch), SEC_E_OK);

	ck_assert_int_eq(CompleteAuthToken(&xh, NULL), SEC_E_OK);
	ck_assert_int_eq(ApplyControlToken(&xh, NULL), SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "control tokens") != NULL);
	ck_assert_int_eq(ImpersonateSecurityContext(&xh), SEC_E_NO_IMPERSONATION);
	ck_assert(strstr(kssp_status_reason(), "access token") != NULL);
	ck_assert_int_eq(RevertSecurityContext(&xh), SEC_E_OK);
	ck_assert_int_eq(SetContextAttributesA(&xh, SECPKG_ATTR_TARGET_INFORMATION, &fl, 4),
	    SEC_E_UNSUPPORTED_FUNCTION);

	ck_assert_int_eq(QueryContextAttributesA(&xh, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
	ck_assert_str_eq(pi.PackageInfo->Name, "Negotiate");
	ck_assert_int_eq(FreeContextBuffer(pi.PackageInfo), SEC_E_OK);
	ck_assert_int_eq(QueryContextAttributesW(&xh, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
	ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
	ck_assert_uint_eq(ni.PackageInfo->wRPCID, 16);
	ck_assert_int_eq(FreeContextBuffer(ni.PackageInfo), SEC_E_OK);
	ck_assert_int_eq(QueryContextAttributesA(&xh, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
	ck_assert_uint_eq(fl.Flags, 0);
	ck_assert_int_eq(QueryContextAttributesA(&xh, 9999, &fl), SEC_E_UNSUPPORTED_FUNCTION);

	/* The last failure on the handle is kept and readable. */
	ck_assert_int_eq(QueryContextAttributesA(&xh, SECPKG_ATTR_KSSP_LAST_ERROR, &le), SEC_E_OK);
	ck_assert_int_eq(le.Status, SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(le.Reason, "attribute 9999") != NULL);
	ck_assert_int_eq(FreeContextBuffer(le.Reason), SEC_E_OK);

	ck_assert_int_eq(DeleteSecurityContext(&xh), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&xh), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(ImpersonateSecurityContext(&xh), SEC_E_INVALID_HANDLE);
	ck_assert_uint_eq(kssp_sspi_buffer_count(), 0);
	/* Its last context gone, the freed credential lets go of its slot,
	 * the last one freed: the next handle this thread makes takes it. */
	again = acquire_ok("Negotiate", SECPKG_CRED_BOTH, NULL);
	ck_assert_uint_eq(again.dwUpper, ch.dwUpper);
	ck_assert_uint_ne(again.dwLower, ch.dwLower);
	ck_assert_int_eq(FreeCredentialsHandle(&again), SEC_E_OK);
}
END_TEST

/* ---- credentials ---- */

START_TEST(acquire_checks_its_arguments)
{
	CredHandle h;
	LUID other = { 5, 0 }, self = { 0, 0 };

	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL,
	    NULL, NULL, &h, NULL), SEC_E_SECPKG_NOT_FOUND);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", 0, NULL, NULL, NULL, NULL,
	    &h, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", 0x100, NULL, NULL, NULL, NULL,
	    &h, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL,
	    NULL, NULL, &h, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, &other,
	    NULL, NULL, NULL, &h, NULL), SEC_E_NOT_OWNER);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, &self,
	    NULL, NULL, NULL, &h, NULL), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);
	ck_assert_int_eq(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)w_kerberos,
	    SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h, NULL), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);
}
END_TEST

static void expect_principal(void *auth, const char *want)
{
	CredHandle h = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, auth);
	SecPkgCredentials_NamesA n;
	SecPkgCredentials_NamesW w;
	char *back = NULL;
	size_t len;

	ck_assert_int_eq(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &n), SEC_E_OK);
	ck_assert_str_eq(n.sUserName, want);
	ck_assert_int_eq(FreeContextBuffer(n.sUserName), SEC_E_OK);
	ck_assert_int_eq(QueryCredentialsAttributesW(&h, SECPKG_CRED_ATTR_NAMES, &w), SEC_E_OK);
	ck_assert_int_eq(kssp_utf16_len(w.sUserName, 100, &len), KSSP_OK);
	ck_assert_int_eq(kssp_utf16_to_utf8(w.sUserName, len, &back, NULL), KSSP_OK);
	ck_assert_str_eq(back, want);
	kssp_free(back);
	ck_assert_int_eq(FreeContextBuffer(w.sUserName), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);
}

START_TEST(password_identities_become_principals)
{
	SEC_WINNT_AUTH_IDENTITY_A a = { (unsigned char *)"alice", 5, (unsigned char *)"example.com",
		11, (unsigned char *)"secret", 6, SEC_WINNT_AUTH_IDENTITY_ANSI };
	unsigned short wuser[] = { 'E', 'X', '\\', 'b', 0x00F6, 'b' }; /* "EX\böb" */
	unsigned short wpass[] = { 'p', 'w' };
	SEC_WINNT_AUTH_IDENTITY_W w = { wuser, 6, NULL, 0, wpass, 2, SEC_WINNT_AUTH_IDENTITY_UNICODE };
	SEC_WINNT_AUTH_IDENTITY_EXA x;
	struct kssp_sspi_cred_request req;

	expect_principal(&a, "alice@EXAMPLE.COM");
	expect_principal(&w, "b\xC3\xB6" "b@EX");
	a.User = (unsigned char *)"carol@corp.example.com";
	a.UserLength = 22;
	expect_principal(&a, "carol@CORP.EXAMPLE.COM");

	memset(&x, 0, sizeof(x));
	x.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
	x.Length = sizeof(x);
	x.User = (unsigned char *)"dave";
	x.UserLength = 4;
	x.Domain = (unsigned char *)"R.ORG";
	x.DomainLength = 5;
	x.Password = (unsigned char *)"pw";
	x.PasswordLength = 2;
	x.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
	expect_principal(&x, "dave@R.ORG");
	ck_assert_int_eq(kssp_sspi_cred_parse(NULL, &x, &req), KSSP_OK);
	ck_assert_str_eq(req.password, "pw");
	kssp_sspi_cred_request_free(&req);

	/* Malformed identities are unknown credentials, with a reason. */
	x.Length = 8;
	ck_assert_int_eq(kssp_sspi_cred_parse(NULL, &x, &req), KSSP_ERR_INVALID_ARG);
	a.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
	{
		CredHandle h;

		ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND,
		    NULL, &a, NULL, NULL, &h, NULL), SEC_E_UNKNOWN_CREDENTIALS);
		ck_assert(strstr(kssp_status_reason(), "exactly one") != NULL);
	}
	a.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
	a.User = NULL;
	ck_assert_int_eq(kssp_sspi_cred_parse(NULL, &a, &req), KSSP_ERR_INVALID_ARG);
	a.User = (unsigned char *)"x\\";
	a.UserLength = 2;
	ck_assert_int_eq(kssp_sspi_cred_parse(NULL, &a, &req), KSSP_ERR_INVALID_ARG);
	wuser[0] = 0xD800; /* unpaired surrogate */
	ck_assert_int_eq(kssp_sspi_cred_parse(NULL, &w, &req), KSSP_ERR_BAD_ENCODING);
}
END_TEST

/* The AS-REQs a password logon sends: realm asked, name type, name, options. */
struct as_seen {
	int n;
	char kdc_realm[2][32], realm[2][32], name[2][64];
	int32_t name_type[2];
	uint32_t options[2];
};

/* Records each AS-REQ and answers none: only realm A.TEST has a KDC. */
static int recording_transport(void *arg, const char *realm, const uint8_t *req, size_t len,
    int tcp_only, uint8_t **reply, size_t *reply_len)
{
	struct as_seen *seen = arg;
	struct kssp_arena a;
	struct kssp_kdc_req r;
	int i = seen->n;

	(void)tcp_only;
	*reply = NULL;
	*reply_len = 0;
	if (i >= 2)
		return -1;
	kssp_arena_init(&a);
	ck_assert_int_eq(kssp_krb5_decode_as_req(req, len, &a, &r), KSSP_OK);
	snprintf(seen->kdc_realm[i], sizeof(seen->kdc_realm[i]), "%s", realm);
	snprintf(seen->realm[i], sizeof(seen->realm[i]), "%.*s", (int)r.req_body.realm.len,
	    (const char *)r.req_body.realm.data);
	snprintf(seen->name[i], sizeof(seen->name[i]), "%.*s",
	    (int)r.req_body.cname.name_string[0].len,
	    (const char *)r.req_body.cname.name_string[0].data);
	seen->name_type[i] = r.req_body.cname.name_type;
	seen->options[i] = r.req_body.kdc_options;
	seen->n++;
	kssp_arena_free(&a);
	return -1;
}

/* The AS-REQs one ISC for user (a password logon) sends, into *seen. */
static void logon_sends(const char *user, struct as_seen *seen)
{
	static const char conf[] = "[libdefaults]\n default_realm = A.TEST\n dns_lookup_kdc = false\n"
	    "[realms]\n A.TEST = {\n  kdc = 127.0.0.1:9\n }\n OTHER.TEST = {\n  kdc = 127.0.0.1:9\n }\n";
	char path[] = "/tmp/kssp-names-XXXXXX";
	int fd = mkstemp(path);
	KSSP_AUTH_DATA ad;
	CredHandle h;
	CtxtHandle c;
	SecBuffer b = { 0, SECBUFFER_TOKEN, NULL };
	SecBufferDesc d = { SECBUFFER_VERSION, 1, &b };
	ULONG attr;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, conf, sizeof(conf) - 1), (ssize_t)(sizeof(conf) - 1));
	close(fd);
	memset(seen, 0, sizeof(*seen));
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Krb5Conf = path;
	ad.Principal = (char *)user;
	ad.Password = "pw";
	ad.Transport = recording_transport;
	ad.TransportArg = seen;
	h = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, &ad);
	ck_assert_int_eq(InitializeSecurityContextA(&h, NULL, "HTTP/web.a.test@A.TEST",
	    ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL, 0, &c, &d, &attr, NULL),
	    SEC_E_NO_AUTHENTICATING_AUTHORITY);
	ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);
	unlink(path);
}

/*
 * MS-KILE §3.1.5.1.1, RFC 6806 §5: a UPN whose suffix is no known realm is
 * an enterprise name asked of the default realm, canonicalizing; a NetBIOS
 * domain no KDC is known for is asked of the default realm's KDC.
 */
START_TEST(user_names_choose_the_realm_asked)
{
	struct as_seen seen;
	int i;

	logon_sends("carol.upn@upn.example.test", &seen);
	ck_assert_int_eq(seen.n, 1);
	ck_assert_str_eq(seen.kdc_realm[0], "A.TEST");
	ck_assert_str_eq(seen.realm[0], "A.TEST");
	ck_assert_int_eq(seen.name_type[0], 10);
	ck_assert_str_eq(seen.name[0], "carol.upn@upn.example.test");
	ck_assert_uint_ne(seen.options[0] & 0x00010000u, 0); /* canonicalize */

	/* A UPN whose suffix is a realm krb5.conf knows: that realm, an ordinary name. */
	logon_sends("bob@other.test", &seen);
	ck_assert_str_eq(seen.kdc_realm[0], "OTHER.TEST");
	ck_assert_int_eq(seen.name_type[0], 1);
	ck_assert_str_eq(seen.name[0], "bob");
	ck_assert_uint_eq(seen.options[0] & 0x00010000u, 0);

	/* A NetBIOS domain: its own realm first, then the default realm's KDC, canonicalizing. */
	for (i = 0; i < 2; i++) {
		logon_sends(i == 0 ? "KSSPAD\\alice" : "alice@KSSPAD", &seen);
		ck_assert_int_eq(seen.n, 2);
		ck_assert_str_eq(seen.kdc_realm[0], "KSSPAD");
		ck_assert_str_eq(seen.kdc_realm[1], "A.TEST");
		ck_assert_str_eq(seen.realm[1], "KSSPAD");
		ck_assert_str_eq(seen.name[1], "alice");
		ck_assert_uint_ne(seen.options[1] & 0x00010000u, 0);
	}
}
END_TEST

static int fixed_clock(void *arg, int64_t *sec, int32_t *usec)
{
	*sec = *(int64_t *)arg;
	*usec = 7;
	return 0;
}

static int counting_random(void *arg, void *buf, size_t len)
{
	memset(buf, 0xA5, len);
	(*(int *)arg)++;
	return 0;
}

static char traced[64];

static void keep_trace(void *arg, const char *line)
{
	(void)arg;
	snprintf(traced, sizeof(traced), "%s", line);
}

START_TEST(kssp_auth_data_and_hooks)
{
	static const int32_t etypes[] = { 18, 17 };
	int64_t t = 1700000000;
	int calls = 0;
	KSSP_AUTH_DATA ad;
	CredHandle h;
	struct kssp_sspi_cred *cred;
	struct kssp_time now;
	uint8_t rnd[4];

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Principal = "svc/host.example.com@EXAMPLE.COM";
	ad.Keytab = "FILE:/tmp/x.keytab";
	ad.Krb5Conf = "/tmp/krb5.conf";
	ad.Enctypes = etypes;
	ad.EnctypeCount = 2;
	ad.Clock = fixed_clock;
	ad.ClockArg = &t;
	ad.Random = counting_random;
	ad.RandomArg = &calls;
	ad.Trace = keep_trace;
	h = acquire_ok("Kerberos", SECPKG_CRED_INBOUND, &ad);
	ck_assert_int_eq(kssp_sspi_cred_enter(&h, &cred), KSSP_OK);
	ck_assert_str_eq(cred->req.principal, "svc/host.example.com@EXAMPLE.COM");
	ck_assert_str_eq(cred->req.keytab, "FILE:/tmp/x.keytab");
	ck_assert_str_eq(cred->req.krb5conf, "/tmp/krb5.conf");
	ck_assert_uint_eq(cred->req.enctype_count, 2);
	ck_assert_int_eq(cred->req.enctypes[1], 17);
	ck_assert_uint_eq(cred->use, SECPKG_CRED_INBOUND);
	ck_assert_int_eq(kssp_hooks_now(&cred->hooks, &now), KSSP_OK);
	ck_assert_int_eq(now.sec, 1700000000);
	ck_assert_int_eq(now.usec, 7);
	ck_assert_int_eq(kssp_hooks_random(&cred->hooks, rnd, sizeof(rnd)), KSSP_OK);
	ck_assert_int_eq(calls, 1);
	ck_assert_uint_eq(rnd[3], 0xA5);
	kssp_trace(&cred->hooks, "line %d", 42);
	ck_assert_str_eq(traced, "line 42");
	ck_assert_ptr_null(cred->hooks.transport);
	kssp_sspi_cred_leave(cred);
	ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);

	ad.EnctypeCount = 99;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad,
	    NULL, NULL, &h, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	ad.EnctypeCount = 0;
	ad.Length = 16;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad,
	    NULL, NULL, &h, NULL), SEC_E_UNKNOWN_CREDENTIALS);
	ad.Length = sizeof(ad);
	/* DelegateFrom must name an established server context. */
	ad.DelegateFrom = &h;
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad,
	    NULL, NULL, &h, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_BOTH, NULL, &ad,
	    NULL, NULL, &h, NULL), SEC_E_INVALID_PARAMETER);
}
END_TEST

/* ---- UTF-16 ---- */

START_TEST(utf16_round_trips_and_rejects)
{
	/* "aé€😀": 1-, 2-, 3- and 4-byte UTF-8, the last a surrogate pair. */
	static const uint16_t w[] = { 0x61, 0xE9, 0x20AC, 0xD83D, 0xDE00 };
	static const char u[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
	static const char *bad_utf8[] = {
		"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3",
		"\x80", "\xFF", "\xE2\x82",
	};
	static const uint16_t lone_high[] = { 0x61, 0xD83D }, lone_low[] = { 0xDE00, 0x61 };
	char *s = NULL;
	uint16_t *back = NULL;
	size_t n, i;

	ck_assert_int_eq(kssp_utf16_to_utf8(w, 5, &s, &n), KSSP_OK);
	ck_assert_uint_eq(n, strlen(u));
	ck_assert_str_eq(s, u);
	ck_assert_int_eq(kssp_utf8_to_utf16(s, n, NULL, &back, &n), KSSP_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(memcmp(back, w, sizeof(w)), 0);
	ck_assert_uint_eq(back[5], 0);
	kssp_free(s);
	kssp_free(back);
	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++)
		ck_assert_msg(kssp_utf8_to_utf16(bad_utf8[i], strlen(bad_utf8[i]), NULL, &back, &n) ==
		    KSSP_ERR_BAD_ENCODING, "bad UTF-8 %zu accepted", i);
	ck_assert_int_eq(kssp_utf16_to_utf8(lone_high, 2, &s, NULL), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_utf16_to_utf8(lone_low, 2, &s, NULL), KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_utf16_len(w, 5, &n), KSSP_ERR_LIMIT);
}
END_TEST

/* ---- target names ---- */

START_TEST(target_name_forms)
{
	struct kssp_sspi_target t;

	ck_assert_int_eq(kssp_sspi_target_parse("HTTP/web.example.com", &t), KSSP_OK);
	ck_assert_str_eq(t.service, "HTTP");
	ck_assert_str_eq(t.host, "web.example.com");
	ck_assert_ptr_null(t.realm);
	ck_assert_int_eq(t.name_type, KSSP_NT_SRV_INST);
	kssp_sspi_target_free(&t);
	ck_assert_int_eq(kssp_sspi_target_parse("HTTP/web.example.com:8080@EXAMPLE.COM", &t), KSSP_OK);
	ck_assert_str_eq(t.host, "web.example.com:8080");
	ck_assert_str_eq(t.realm, "EXAMPLE.COM");
	kssp_sspi_target_free(&t);
	ck_assert_int_eq(kssp_sspi_target_parse("host@host.example.com", &t), KSSP_OK);
	ck_assert_int_eq(t.name_type, KSSP_NT_SRV_HST);
	ck_assert_str_eq(t.service, "host");
	ck_assert_str_eq(t.host, "host.example.com");
	kssp_sspi_target_free(&t);
	/* GSS's host-based form whatever the service's case (curl, MIT, python-gssapi). */
	ck_assert_int_eq(kssp_sspi_target_parse("HTTP@server.example.test", &t), KSSP_OK);
	ck_assert_int_eq(t.name_type, KSSP_NT_SRV_HST);
	ck_assert_str_eq(t.service, "HTTP");
	ck_assert_str_eq(t.host, "server.example.test");
	ck_assert_ptr_null(t.realm);
	kssp_sspi_target_free(&t);
	/* A dotted user part is no service: a UPN (its suffix a realm or not). */
	ck_assert_int_eq(kssp_sspi_target_parse("svc.web@upn.example.test", &t), KSSP_OK);
	ck_assert_int_eq(t.name_type, KSSP_NT_PRINCIPAL);
	ck_assert_ptr_null(t.host);
	ck_assert_str_eq(t.realm, "upn.example.test");
	kssp_sspi_target_free(&t);
	ck_assert_int_eq(kssp_sspi_target_parse("alice@EXAMPLE.COM", &t), KSSP_OK);
	ck_assert_int_eq(t.name_type, KSSP_NT_PRINCIPAL);
	ck_assert_str_eq(t.service, "alice");
	ck_assert_str_eq(t.realm, "EXAMPLE.COM");
	kssp_sspi_target_free(&t);
	ck_assert_int_eq(kssp_sspi_target_parse("", &t), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_sspi_target_parse("/host", &t), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_sspi_target_parse("HTTP/", &t), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_sspi_target_parse("HTTP/h@", &t), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_sspi_target_parse("@R", &t), KSSP_ERR_INVALID_ARG);
}
END_TEST

/* ---- ISC / ASC argument checks ---- */

START_TEST(isc_and_asc_check_arguments_like_windows)
{
	CredHandle out_cred = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, NULL);
	CredHandle in_cred = acquire_ok("Kerberos", SECPKG_CRED_INBOUND, NULL);
	CredHandle nego_cred = acquire_ok("Negotiate", SECPKG_CRED_OUTBOUND, NULL);
	CredHandle nego_in = acquire_ok("Negotiate", SECPKG_CRED_INBOUND, NULL);
	CtxtHandle ctx, zero;
	SecBuffer ob = { 0, SECBUFFER_TOKEN, NULL }, ib = { 3, SECBUFFER_TOKEN, (void *)"abc" };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
	SecBufferDesc bad = { 7, 1, &ob };
	ULONG attr = 99;
	const ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY;

	memset(&zero, 0, sizeof(zero));
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com", req, 1,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_uint_eq(attr, 0);
	ck_assert(strstr(kssp_status_reason(), "Reserved1") != NULL);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 5, &ctx, &od, &attr, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(InitializeSecurityContextA(&zero, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, &zero, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, &id, 0, &ctx, &od, &attr, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(InitializeSecurityContextA(&in_cred, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL), SEC_E_NO_CREDENTIALS);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL), SEC_E_TARGET_UNKNOWN);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, NULL, &attr, NULL), SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &bad, &attr, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, NULL, NULL), SEC_E_INVALID_PARAMETER);
	/* DCE style is built on the Kerberos package; inside Negotiate it is not. */
	ck_assert_int_eq(InitializeSecurityContextA(&nego_cred, NULL, "HTTP/h.example.com",
	    req | ISC_REQ_USE_DCE_STYLE, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL),
	    SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "DCE") != NULL);
	ck_assert_int_eq(AcceptSecurityContext(&nego_in, NULL, &id, ASC_REQ_USE_DCE_STYLE,
	    SECURITY_NATIVE_DREP, &ctx, &od, &attr, NULL), SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "DCE") != NULL);
	/* User-to-user is built for the Kerberos package (user_to_user_legs), not inside SPNEGO. */
	ck_assert_int_eq(InitializeSecurityContextA(&nego_cred, NULL, "HTTP/h.example.com",
	    req | ISC_REQ_USE_SESSION_KEY, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL),
	    SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "user-to-user") != NULL);
	ck_assert_int_eq(FreeCredentialsHandle(&nego_cred), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&nego_in), SEC_E_OK);
	/* Datagram contexts: not built, and the reason says what is missing. */
	ck_assert_int_eq(InitializeSecurityContextA(&out_cred, NULL, "HTTP/h.example.com",
	    req | ISC_REQ_DATAGRAM, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL),
	    SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "neither MS-KILE nor RFC 4121") != NULL);

	ck_assert_int_eq(AcceptSecurityContext(&out_cred, NULL, &id, 0, SECURITY_NATIVE_DREP, &ctx,
	    &od, &attr, NULL), SEC_E_NO_CREDENTIALS);
	ck_assert_int_eq(AcceptSecurityContext(&in_cred, NULL, NULL, 0, SECURITY_NATIVE_DREP, &ctx,
	    &od, &attr, NULL), SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(AcceptSecurityContext(&zero, NULL, &id, 0, SECURITY_NATIVE_DREP, &ctx,
	    &od, &attr, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(AcceptSecurityContext(&in_cred, &zero, &id, 0, SECURITY_NATIVE_DREP, &ctx,
	    &od, &attr, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(AcceptSecurityContext(&in_cred, NULL, &id, 0, SECURITY_NATIVE_DREP, &ctx,
	    &od, NULL, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(FreeCredentialsHandle(&out_cred), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&in_cred), SEC_E_OK);
}
END_TEST

START_TEST(message_calls_check_the_context_first)
{
	SecBuffer b[2] = { { 0, SECBUFFER_TOKEN, NULL }, { 0, SECBUFFER_DATA, NULL } };
	SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
	CtxtHandle zero;
	ULONG qop = 5;

	memset(&zero, 0, sizeof(zero));
	ck_assert_int_eq(EncryptMessage(&zero, 0, &d, 0), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(DecryptMessage(&zero, &d, 0, &qop), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(MakeSignature(NULL, 0, &d, 0), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(VerifySignature(&zero, &d, 0, NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(ExportSecurityContext(&zero, 0, &b[0], NULL), SEC_E_INVALID_HANDLE);
	ck_assert_int_eq(ImportSecurityContextA("Kerberos", NULL, NULL, &zero), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(ImportSecurityContextA("NTLM", &b[0], NULL, &zero), SEC_E_SECPKG_NOT_FOUND);
}
END_TEST

/* ---- allocation failure ---- */

START_TEST(allocation_failures_give_insufficient_memory)
{
	SEC_WINNT_AUTH_IDENTITY_A a = { (unsigned char *)"alice", 5, (unsigned char *)"example.com",
		11, (unsigned char *)"secret", 6, SEC_WINNT_AUTH_IDENTITY_ANSI };
	uint32_t handles = kssp_sspi_handle_count();
	size_t buffers = kssp_sspi_buffer_count();
	int ok = 0, nomem = 0;
	size_t n;

	for (n = 1; n < 40; n++) {
		CredHandle h;
		SECURITY_STATUS st;
		PSecPkgInfoA info = NULL;

		kssp_alloc_fail_after(n);
		st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &a,
		    NULL, NULL, &h, NULL);
		kssp_alloc_fail_after(0);
		ck_assert_msg(st == SEC_E_OK || st == SEC_E_INSUFFICIENT_MEMORY, "n=%zu: %s", n,
		    kssp_status_name(st));
		if (st == SEC_E_OK) {
			ok++;
			ck_assert_int_eq(FreeCredentialsHandle(&h), SEC_E_OK);
		} else {
			nomem++;
		}
		kssp_alloc_fail_after(n);
		st = QuerySecurityPackageInfoA("Negotiate", &info);
		kssp_alloc_fail_after(0);
		ck_assert(st == SEC_E_OK || st == SEC_E_INSUFFICIENT_MEMORY);
		if (st == SEC_E_OK)
			ck_assert_int_eq(FreeContextBuffer(info), SEC_E_OK);
	}
	ck_assert_int_gt(nomem, 0);
	ck_assert_int_gt(ok, 0);
	ck_assert_uint_eq(kssp_sspi_handle_count(), handles);
	ck_assert_uint_eq(kssp_sspi_buffer_count(), buffers);
}
END_TEST

/* ---- threads ---- */

static void *acquire_free_loop(void *arg)
{
	int i, *failures = arg;

	for (i = 0; i < 300; i++) {
		CredHandle h;
		SecPkgCredentials_NamesA n;
		KSSP_AUTH_DATA ad;

		memset(&ad, 0, sizeof(ad));
		ad.Version = KSSP_AUTH_DATA_VERSION_1;
		ad.Length = sizeof(ad);
		ad.Principal = "u@R";
		if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL,
		    NULL, &h, NULL) != SEC_E_OK ||
		    QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &n) != SEC_E_OK ||
		    strcmp(n.sUserName, "u@R") != 0 || FreeContextBuffer(n.sUserName) != SEC_E_OK ||
		    FreeCredentialsHandle(&h) != SEC_E_OK || FreeCredentialsHandle(&h) != SEC_E_INVALID_HANDLE)
			(*failures)++;
	}
	return NULL;
}

/* Handles that other threads look up while this one frees them. */
#define RACE_HANDLES 150

struct lookup_race {
	CredHandle h[RACE_HANDLES];
	atomic_int done;
	int bad;
};

static void *lookup_loop(void *arg)
{
	struct lookup_race *r = arg;
	SecPkgCredentials_NamesA n;
	SECURITY_STATUS st;
	int i;

	while (!atomic_load(&r->done))
		for (i = 0; i < RACE_HANDLES; i++) {
			st = QueryCredentialsAttributesA(&r->h[i], SECPKG_CRED_ATTR_NAMES, &n);
			if (st == SEC_E_OK) {
				if (strcmp(n.sUserName, "u@R") != 0 || FreeContextBuffer(n.sUserName) != SEC_E_OK)
					r->bad++;
			} else if (st != SEC_E_INVALID_HANDLE) {
				r->bad++;
			}
		}
	return NULL;
}

/*
 * Lookups take no lock: a handle freed while other threads are inside
 * calls on it fails every lookup from then on, is freed once, and its
 * object goes when the last call leaves it.
 */
START_TEST(lookups_race_with_frees)
{
	static struct lookup_race r;
	pthread_t t[2];
	KSSP_AUTH_DATA ad;
	SecPkgCredentials_NamesA n;
	uint32_t before = kssp_sspi_handle_count();
	size_t buffers = kssp_sspi_buffer_count();
	int i;

	memset(&r, 0, sizeof(r));
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Principal = "u@R";
	for (i = 0; i < RACE_HANDLES; i++)
		ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
		    &ad, NULL, NULL, &r.h[i], NULL), SEC_E_OK);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, lookup_loop, &r), 0);
	for (i = 0; i < RACE_HANDLES; i++) {
		if (i % 8 == 0)
			usleep(200);
		ck_assert_int_eq(FreeCredentialsHandle(&r.h[i]), SEC_E_OK);
		ck_assert_int_eq(QueryCredentialsAttributesA(&r.h[i], SECPKG_CRED_ATTR_NAMES, &n),
		    SEC_E_INVALID_HANDLE);
		ck_assert_int_eq(FreeCredentialsHandle(&r.h[i]), SEC_E_INVALID_HANDLE);
	}
	atomic_store(&r.done, 1);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(r.bad, 0);
	ck_assert_uint_eq(kssp_sspi_handle_count(), before);
	ck_assert_uint_eq(kssp_sspi_buffer_count(), buffers);
}
END_TEST

/* Handles one thread made, for another to free. */
#define HOME_HANDLES 600

static void *free_all(void *arg)
{
	CredHandle *h = arg;
	int i;

	for (i = 0; i < HOME_HANDLES; i++)
		if (FreeCredentialsHandle(&h[i]) != SEC_E_OK)
			return h;
	return NULL;
}

/*
 * A slot freed by another thread than the one that took it goes back to
 * where it came from: a thread that only makes handles while others free
 * them (a dispatcher and its workers) reuses its slots instead of growing
 * the registry every round.  The slot number is dwUpper's low 24 bits.
 */
START_TEST(handles_freed_elsewhere_return_home)
{
	static CredHandle h[HOME_HANDLES];
	KSSP_AUTH_DATA ad;
	pthread_t t;
	void *failed;
	ULONG_PTR first_most = 0, most = 0;
	uint32_t before = kssp_sspi_handle_count();
	int round, i;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Principal = "u@R";
	for (round = 0; round < 8; round++) {
		most = 0;
		for (i = 0; i < HOME_HANDLES; i++) {
			ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND,
			    NULL, &ad, NULL, NULL, &h[i], NULL), SEC_E_OK);
			if ((h[i].dwUpper & 0xFFFFFF) > most)
				most = h[i].dwUpper & 0xFFFFFF;
		}
		if (round == 0)
			first_most = most;
		ck_assert_int_eq(pthread_create(&t, NULL, free_all, h), 0);
		pthread_join(t, &failed);
		ck_assert_ptr_null(failed);
	}
	ck_assert_uint_le(most, first_most);
	ck_assert_uint_eq(kssp_sspi_handle_count(), before);
}
END_TEST

/* kssp_http_get refuses what it cannot send before it opens anything. */
START_TEST(http_get_checks_its_arguments)
{
	KSSP_HTTP_RESPONSE r;

	memset(&r, 0xa5, sizeof(r));
	ck_assert_int_eq(kssp_http_get(NULL, NULL, NULL, &r), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_http_get("http://127.0.0.1/", NULL, NULL, NULL), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_http_get("ftp://127.0.0.1/", NULL, NULL, &r), SEC_E_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(kssp_status_reason(), "not an http:// or https:// URL"));
	ck_assert_int_eq(kssp_http_get("http://127.0.0.1:0/", NULL, NULL, &r), SEC_E_INVALID_PARAMETER);
	ck_assert_ptr_null(r.Head);
	/* Header lines must be whole, and no empty line may end the head early. */
	ck_assert_int_eq(kssp_http_get("http://127.0.0.1/", NULL, "X-A: 1", &r), SEC_E_INVALID_PARAMETER);
	ck_assert_int_eq(kssp_http_get("http://127.0.0.1/", NULL, "X-A: 1\r\n\r\nGET / HTTP/1.0\r\n", &r),
	    SEC_E_INVALID_PARAMETER);
	ck_assert_ptr_null(r.Body);
	kssp_http_response_free(&r);
	kssp_http_response_free(NULL);
}
END_TEST

START_TEST(registry_is_thread_safe)
{
	pthread_t t[6];
	int failures[6] = { 0 };
	int i;
	uint32_t before = kssp_sspi_handle_count();

	for (i = 0; i < 6; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, acquire_free_loop, &failures[i]), 0);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(failures[i], 0);
	}
	ck_assert_uint_eq(kssp_sspi_handle_count(), before);
}
END_TEST

/* ---- user-to-user (draft-swift-win2k-krb-user2user-03 §4) ---- */

static void u2u_auth_data(KSSP_AUTH_DATA *ad, const char *conf, const char *ccache, int64_t *t)
{
	memset(ad, 0, sizeof(*ad));
	ad->Version = KSSP_AUTH_DATA_VERSION_1;
	ad->Length = sizeof(*ad);
	ad->Krb5Conf = conf;
	ad->Ccache = ccache;
	ad->Clock = fixed_clock;
	ad->ClockArg = t;
}

/* The TOK_ID after the user-to-user OID of a context token. */
static unsigned u2u_tok_id(const SecBuffer *b)
{
	static const uint8_t oid[] = { 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02,
		0x02, 0x03 };
	const uint8_t *p = b->pvBuffer;
	size_t off;

	ck_assert_uint_gt(b->cbBuffer, 4 + sizeof(oid) + 2);
	ck_assert_uint_eq(p[0], 0x60);
	off = p[1] < 0x80 ? 2 : 2 + (p[1] & 0x7fu);
	ck_assert_mem_eq(p + off, oid, sizeof(oid));
	return (unsigned)p[off + sizeof(oid)] << 8 | p[off + 1 + sizeof(oid)];
}

static SECURITY_STATUS u2u_asc(CredHandle *cred, CtxtHandle *prev, const SecBuffer *in,
    CtxtHandle *ctx, SecBuffer *out, ULONG *attr)
{
	SecBuffer ib = *in;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, out };

	out->BufferType = SECBUFFER_TOKEN;
	out->cbBuffer = 0;
	out->pvBuffer = NULL;
	return AcceptSecurityContext(cred, prev, &id, ASC_REQ_ALLOCATE_MEMORY, SECURITY_NATIVE_DREP,
	    ctx, &od, attr, NULL);
}

/*
 * Each leg of the user-to-user round that needs no KDC, with the status
 * Windows gives: KERB-TGT-REQUEST then KERB-TGT-REPLY, each
 * SEC_I_CONTINUE_NEEDED under the user-to-user OID; a tampered or cut
 * token, a token out of order, SEC_E_INVALID_TOKEN; another user asked,
 * SEC_E_WRONG_PRINCIPAL (KRB_AP_ERR_NOT_US); an acceptor without a TGT,
 * SEC_E_NO_TGT_REPLY (KRB_AP_ERR_NO_TGT).  The AP exchange after them is
 * the interop tests' (t_sspi_u2u, t_heimdal_u2u, t_ad_u2u).
 */
START_TEST(user_to_user_legs)
{
	/* A minute into the life of the fixture cache's TGT (alice@KSSP.TEST). */
	int64_t t = 1796511136;
	const ULONG req = ISC_REQ_USE_SESSION_KEY | ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY;
	KSSP_AUTH_DATA ad;
	CredHandle client, server, empty, nego;
	CtxtHandle cctx, sctx, other;
	SecBuffer req_tok = { 0, SECBUFFER_TOKEN, NULL }, bob_tok = { 0, SECBUFFER_TOKEN, NULL };
	SecBuffer rep, out = { 0, SECBUFFER_TOKEN, NULL }, bad;
	SecBufferDesc rd = { SECBUFFER_VERSION, 1, &req_tok }, bd = { SECBUFFER_VERSION, 1, &bob_tok };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &out }, id;
	uint8_t copy[4096];
	char conf[4096], cc[4096];
	ULONG attr = 0;
	size_t i;

	snprintf(conf, sizeof(conf), "%s", tu_fixture("loop/kerberos.conf"));
	snprintf(cc, sizeof(cc), "%s", tu_fixture("loop/kerberos.ccache"));
	u2u_auth_data(&ad, conf, cc, &t);
	client = acquire_ok("Kerberos", SECPKG_CRED_OUTBOUND, &ad);
	server = acquire_ok("Kerberos", SECPKG_CRED_INBOUND, &ad);
	u2u_auth_data(&ad, conf, "/nonexistent/kssp-u2u.ccache", &t);
	empty = acquire_ok("Kerberos", SECPKG_CRED_INBOUND, &ad);

	/* Initiator, leg 1: KERB-TGT-REQUEST (04 00). */
	ck_assert_int_eq(InitializeSecurityContextA(&client, NULL, "alice@KSSP.TEST", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &cctx, &rd, &attr, NULL), SEC_I_CONTINUE_NEEDED);
	ck_assert_uint_eq(u2u_tok_id(&req_tok), 0x0400);
	ck_assert_uint_ne(attr & ISC_RET_USE_SESSION_KEY, 0);
	ck_assert_int_eq(InitializeSecurityContextA(&client, NULL, "bob@KSSP.TEST", req, 0,
	    SECURITY_NATIVE_DREP, NULL, 0, &other, &bd, &attr, NULL), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(DeleteSecurityContext(&other), SEC_E_OK);

	/* Initiator, out of order: its own request back instead of a KERB-TGT-REPLY. */
	id = (SecBufferDesc){ SECBUFFER_VERSION, 1, &req_tok };
	ck_assert_int_eq(InitializeSecurityContextA(&client, &cctx, "alice@KSSP.TEST", req, 0,
	    SECURITY_NATIVE_DREP, &id, 0, &cctx, &od, &attr, NULL), SEC_E_INVALID_TOKEN);

	/* Acceptor, leg 1: tampered (msg-type 16 made 17), cut, another user, no TGT. */
	ck_assert_uint_le(req_tok.cbBuffer, sizeof(copy));
	memcpy(copy, req_tok.pvBuffer, req_tok.cbBuffer);
	for (i = 0; i + 5 <= req_tok.cbBuffer; i++)
		if (memcmp(copy + i, "\xa1\x03\x02\x01\x10", 5) == 0)
			break;
	ck_assert_uint_lt(i + 5, req_tok.cbBuffer);
	copy[i + 4] = 0x11;
	bad = (SecBuffer){ req_tok.cbBuffer, SECBUFFER_TOKEN, copy };
	ck_assert_int_eq(u2u_asc(&server, NULL, &bad, &sctx, &out, &attr), SEC_E_INVALID_TOKEN);
	/* Cut by its last byte, the framing's length following (short form). */
	memcpy(copy, req_tok.pvBuffer, req_tok.cbBuffer);
	ck_assert_uint_lt(copy[1], 0x80);
	copy[1]--;
	bad.cbBuffer = req_tok.cbBuffer - 1;
	ck_assert_int_eq(u2u_asc(&server, NULL, &bad, &sctx, &out, &attr), SEC_E_INVALID_TOKEN);
	/* Another TOK_ID under the user-to-user OID. */
	memcpy(copy, req_tok.pvBuffer, req_tok.cbBuffer);
	copy[15] = 0x07;
	bad.cbBuffer = req_tok.cbBuffer;
	ck_assert_int_eq(u2u_asc(&server, NULL, &bad, &sctx, &out, &attr), SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(u2u_asc(&server, NULL, &bob_tok, &sctx, &out, &attr), SEC_E_WRONG_PRINCIPAL);
	ck_assert_int_eq(u2u_asc(&empty, NULL, &req_tok, &sctx, &out, &attr), SEC_E_NO_TGT_REPLY);
	/* Not inside Negotiate (SPNEGO): not built, said so. */
	u2u_auth_data(&ad, conf, cc, &t);
	nego = acquire_ok("Negotiate", SECPKG_CRED_INBOUND, &ad);
	id = (SecBufferDesc){ SECBUFFER_VERSION, 1, &req_tok };
	ck_assert_int_eq(AcceptSecurityContext(&nego, NULL, &id, ASC_REQ_USE_SESSION_KEY |
	    ASC_REQ_ALLOCATE_MEMORY, SECURITY_NATIVE_DREP, &sctx, &od, &attr, NULL),
	    SEC_E_UNSUPPORTED_FUNCTION);
	ck_assert(strstr(kssp_status_reason(), "user-to-user") != NULL);
	ck_assert_int_eq(FreeCredentialsHandle(&nego), SEC_E_OK);

	/* Acceptor, leg 1: KERB-TGT-REPLY (04 01) with alice's TGT. */
	ck_assert_msg(u2u_asc(&server, NULL, &req_tok, &sctx, &out, &attr) == SEC_I_CONTINUE_NEEDED,
	    "%s", kssp_status_reason());
	ck_assert_uint_eq(u2u_tok_id(&out), 0x0401);
	ck_assert_uint_ne(attr & ASC_RET_USE_SESSION_KEY, 0);
	rep = out;

	/* Acceptor, out of order: the request again where the AP-REQ belongs. */
	ck_assert_int_eq(u2u_asc(&server, &sctx, &req_tok, &sctx, &out, &attr), SEC_E_INVALID_TOKEN);

	/* Initiator, leg 2: a reply whose ticket is no TGT (krbtgt made krbtgu). */
	ck_assert_uint_le(rep.cbBuffer, sizeof(copy));
	memcpy(copy, rep.pvBuffer, rep.cbBuffer);
	for (i = 0; i + 6 <= rep.cbBuffer; i++)
		if (memcmp(copy + i, "krbtgt", 6) == 0)
			break;
	ck_assert_uint_lt(i + 6, rep.cbBuffer);
	copy[i + 5] = 'u';
	bad = (SecBuffer){ rep.cbBuffer, SECBUFFER_TOKEN, copy };
	id = (SecBufferDesc){ SECBUFFER_VERSION, 1, &bad };
	ck_assert_int_eq(InitializeSecurityContextA(&client, &cctx, "alice@KSSP.TEST", req, 0,
	    SECURITY_NATIVE_DREP, &id, 0, &cctx, &od, &attr, NULL), SEC_E_INVALID_TOKEN);

	FreeContextBuffer(req_tok.pvBuffer);
	FreeContextBuffer(bob_tok.pvBuffer);
	FreeContextBuffer(rep.pvBuffer);
	ck_assert_int_eq(DeleteSecurityContext(&cctx), SEC_E_OK);
	ck_assert_int_eq(DeleteSecurityContext(&sctx), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&client), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&server), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&empty), SEC_E_OK);
}
END_TEST

Suite *kssp_suite_sspi_api(void);
Suite *kssp_suite_sspi_api(void)
{
	Suite *s = suite_create("sspi_api");
	TCase *tc = tcase_create("api");

	tcase_add_test(tc, package_info_has_windows_values);
	tcase_add_test(tc, enumerate_lists_negotiate_then_kerberos);
	tcase_add_test(tc, free_context_buffer_refuses_foreign_memory);
	tcase_add_test(tc, bad_handles_are_refused_never_followed);
	tcase_add_test(tc, context_calls_on_a_live_context);
	tcase_add_test(tc, acquire_checks_its_arguments);
	tcase_add_test(tc, password_identities_become_principals);
	tcase_add_test(tc, user_names_choose_the_realm_asked);
	tcase_add_test(tc, kssp_auth_data_and_hooks);
	tcase_add_test(tc, utf16_round_trips_and_rejects);
	tcase_add_test(tc, target_name_forms);
	tcase_add_test(tc, isc_and_asc_check_arguments_like_windows);
	tcase_add_test(tc, user_to_user_legs);
	tcase_add_test(tc, message_calls_check_the_context_first);
	tcase_add_test(tc, allocation_failures_give_insufficient_memory);
	tcase_add_test(tc, registry_is_thread_safe);
	tcase_add_test(tc, lookups_race_with_frees);
	tcase_add_test(tc, handles_freed_elsewhere_return_home);
	tcase_add_test(tc, http_get_checks_its_arguments);
	suite_add_tcase(s, tc);
	return s;
}
