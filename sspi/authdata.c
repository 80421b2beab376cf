/*
 * sspi/authdata.c - AcquireCredentialsHandle's pAuthData forms, turned
 * into one UTF-8 struct kssp_sspi_cred_request, and the hook adapters.
 *
 * Which form pAuthData is, is told (as on Windows) by its first member:
 * SEC_WINNT_AUTH_IDENTITY_VERSION (0x200) marks an _EX identity,
 * KSSP_AUTH_DATA_VERSION_1, _2 or _3 kssp's own structure, anything else is the
 * first member (User) of a plain SEC_WINNT_AUTH_IDENTITY, whose Flags say
 * whether its strings are bytes (_ANSI) or UTF-16 (_UNICODE).
 */
#include "sspi/credential_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sspi/utf16_int.h"

/* Longest user, domain or password taken from an identity, in characters. */
#define IDENTITY_MAX 1024
/* Longest path or name taken from a KSSP_AUTH_DATA. */
#define AUTHDATA_STRING_MAX 4096

static kssp_err copy_utf8(const char *s, size_t max, const char *what, char **out)
{
	size_t n;

	*out = NULL;
	if (s == NULL)
		return KSSP_OK;
	n = strnlen(s, max + 1);
	if (n > max)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "pAuthData: %s is longer than %zu bytes", what, max);
	*out = kssp_malloc(n + 1);
	if (*out == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "pAuthData: out of memory copying %s", what);
	memcpy(*out, s, n + 1);
	return KSSP_OK;
}

/* One counted identity string, bytes or UTF-16 per unicode, to UTF-8. */
static kssp_err identity_string(const void *s, ULONG len, int unicode, const char *what,
    char **out)
{
	*out = NULL;
	if (s == NULL) {
		if (len != 0)
			return kssp_fail(KSSP_ERR_INVALID_ARG,
			    "SEC_WINNT_AUTH_IDENTITY: %s is NULL but its length is %lu", what,
			    (unsigned long)len);
		return KSSP_OK;
	}
	if (len > IDENTITY_MAX)
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "SEC_WINNT_AUTH_IDENTITY: %s length %lu is more than %d", what,
		    (unsigned long)len, IDENTITY_MAX);
	if (unicode)
		return kssp_utf16_to_utf8(s, len, out, NULL);
	if (memchr(s, '\0', len) != NULL)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "SEC_WINNT_AUTH_IDENTITY: %s contains a NUL", what);
	*out = kssp_malloc((size_t)len + 1);
	if (*out == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "SEC_WINNT_AUTH_IDENTITY: out of memory");
	memcpy(*out, s, len);
	(*out)[len] = '\0';
	return KSSP_OK;
}

static void upper_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

kssp_err kssp_sspi_cred_join_principal(const char *user, const char *domain, char **out)
{
	const char *name = user, *realm = domain, *slash = strchr(user, '\\');
	size_t name_len, realm_len;
	char *p;

	*out = NULL;
	if (slash != NULL) {
		/* "DOMAIN\user": the domain part names the realm. */
		realm = user;
		realm_len = (size_t)(slash - user);
		name = slash + 1;
		name_len = strlen(name);
	} else if (strchr(user, '@') != NULL) {
		/* A UPN carries its own realm; a Domain beside it is not needed. */
		name_len = (size_t)(strrchr(user, '@') - user);
		realm = strrchr(user, '@') + 1;
		realm_len = strlen(realm);
	} else {
		name_len = strlen(user);
		realm_len = realm != NULL ? strlen(realm) : 0;
	}
	if (name_len == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "SEC_WINNT_AUTH_IDENTITY: empty user name in \"%s\"", user);
	if (slash != NULL && realm_len == 0)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "SEC_WINNT_AUTH_IDENTITY: empty domain in \"%s\"", user);
	p = kssp_malloc(name_len + 1 + realm_len + 1);
	if (p == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "SEC_WINNT_AUTH_IDENTITY: out of memory");
	memcpy(p, name, name_len);
	p[name_len] = '\0';
	if (realm_len != 0) {
		p[name_len] = '@';
		memcpy(p + name_len + 1, realm, realm_len);
		p[name_len + 1 + realm_len] = '\0';
		upper_ascii(p + name_len + 1);
	}
	*out = p;
	return KSSP_OK;
}

/* The members of every SEC_WINNT_AUTH_IDENTITY form, pointers as given. */
struct identity_view {
	const void *user, *domain, *password;
	ULONG user_len, domain_len, password_len, flags;
};

static kssp_err parse_identity(const struct identity_view *v, struct kssp_sspi_cred_request *req)
{
	int unicode;
	char *user = NULL, *domain = NULL;
	kssp_err e;

	if (v->flags & ~(ULONG)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE |
	    SEC_WINNT_AUTH_IDENTITY_ONLY))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "SEC_WINNT_AUTH_IDENTITY: Flags 0x%lx has bits kssp does not know (marshalled identities are not read)",
		    (unsigned long)v->flags);
	unicode = (v->flags & SEC_WINNT_AUTH_IDENTITY_UNICODE) != 0;
	if (unicode == ((v->flags & SEC_WINNT_AUTH_IDENTITY_ANSI) != 0))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "SEC_WINNT_AUTH_IDENTITY: Flags must have exactly one of _ANSI and _UNICODE");
	e = identity_string(v->user, v->user_len, unicode, "User", &user);
	if (e == KSSP_OK)
		e = identity_string(v->domain, v->domain_len, unicode, "Domain", &domain);
	if (e == KSSP_OK)
		e = identity_string(v->password, v->password_len, unicode, "Password", &req->password);
	if (e == KSSP_OK && req->password != NULL)
		req->password_len = strlen(req->password);
	if (e == KSSP_OK && user != NULL && user[0] != '\0') {
		kssp_free(req->principal);
		req->principal = NULL;
		e = kssp_sspi_cred_join_principal(user, domain != NULL && domain[0] ? domain : NULL,
		    &req->principal);
	}
	kssp_free(user);
	kssp_free(domain);
	return e;
}

/* Version 1 ends with DelegateFrom, version 2 with ReplayCache; later versions append. */
#define AUTH_DATA_V1_SIZE offsetof(KSSP_AUTH_DATA, ReplayCache)
#define AUTH_DATA_V2_SIZE offsetof(KSSP_AUTH_DATA, ArmorCcache)

/* The version 3 members: FAST armor. */
static kssp_err parse_kssp_v3(const KSSP_AUTH_DATA *a, struct kssp_sspi_cred_request *req)
{
	kssp_err e = copy_utf8(a->ArmorCcache, AUTHDATA_STRING_MAX, "ArmorCcache",
	    &req->armor_ccache);

	if (e == KSSP_OK)
		e = copy_utf8(a->ArmorKeytab, AUTHDATA_STRING_MAX, "ArmorKeytab", &req->armor_keytab);
	if (e == KSSP_OK)
		e = copy_utf8(a->ArmorPrincipal, AUTHDATA_STRING_MAX, "ArmorPrincipal",
		    &req->armor_principal);
	if (e == KSSP_OK && req->armor_ccache != NULL && req->armor_keytab != NULL)
		e = kssp_fail(KSSP_ERR_INVALID_ARG,
		    "KSSP_AUTH_DATA: ArmorCcache and ArmorKeytab are two sources of one armor");
	req->require_fast = a->RequireFast != 0;
	return e;
}

/* The version 2 members: the replay cache file, or "none". */
static kssp_err parse_kssp_v2(const KSSP_AUTH_DATA *a, struct kssp_sspi_cred_request *req)
{
	if (a->ReplayCache != NULL && strcmp(a->ReplayCache, "none") == 0) {
		req->replay_none = true;
		return KSSP_OK;
	}
	if (a->ReplayCache != NULL && a->ReplayCache[0] == '\0')
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "KSSP_AUTH_DATA: ReplayCache is \"\" (a file, \"none\" or NULL)");
	return copy_utf8(a->ReplayCache, AUTHDATA_STRING_MAX, "ReplayCache", &req->replay_cache);
}

static kssp_err parse_kssp(const KSSP_AUTH_DATA *a, struct kssp_sspi_cred_request *req)
{
	size_t need = a->Version == KSSP_AUTH_DATA_VERSION_1 ? AUTH_DATA_V1_SIZE :
	    a->Version == KSSP_AUTH_DATA_VERSION_2 ? AUTH_DATA_V2_SIZE : sizeof(*a);
	kssp_err e = KSSP_OK;
	ULONG i;

	if (a->Length < need)
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "KSSP_AUTH_DATA: Length %lu is less than version %d's %zu bytes",
		    (unsigned long)a->Length, (int)(a->Version - KSSP_AUTH_DATA_VERSION_1) + 1, need);
	if (a->Principal != NULL) {
		kssp_free(req->principal);
		e = copy_utf8(a->Principal, AUTHDATA_STRING_MAX, "Principal", &req->principal);
	}
	if (e == KSSP_OK && a->Password != NULL) {
		e = copy_utf8(a->Password, AUTHDATA_STRING_MAX, "Password", &req->password);
		if (e == KSSP_OK)
			req->password_len = strlen(req->password);
	}
	if (e == KSSP_OK)
		e = copy_utf8(a->Keytab, AUTHDATA_STRING_MAX, "Keytab", &req->keytab);
	if (e == KSSP_OK)
		e = copy_utf8(a->Ccache, AUTHDATA_STRING_MAX, "Ccache", &req->ccache);
	if (e == KSSP_OK)
		e = copy_utf8(a->Krb5Conf, AUTHDATA_STRING_MAX, "Krb5Conf", &req->krb5conf);
	if (e == KSSP_OK)
		e = copy_utf8(a->ImpersonateUser, AUTHDATA_STRING_MAX, "ImpersonateUser",
		    &req->impersonate);
	if (e == KSSP_OK && a->Version != KSSP_AUTH_DATA_VERSION_1)
		e = parse_kssp_v2(a, req);
	if (e == KSSP_OK && a->Version == KSSP_AUTH_DATA_VERSION_3)
		e = parse_kssp_v3(a, req);
	if (e != KSSP_OK)
		return e;
	if (a->EnctypeCount > KSSP_SSPI_CRED_MAX_ENCTYPES || (a->EnctypeCount != 0 && a->Enctypes == NULL))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "KSSP_AUTH_DATA: EnctypeCount %lu (at most %d, with Enctypes set)",
		    (unsigned long)a->EnctypeCount, KSSP_SSPI_CRED_MAX_ENCTYPES);
	for (i = 0; i < a->EnctypeCount; i++)
		req->enctypes[i] = a->Enctypes[i];
	req->enctype_count = a->EnctypeCount;
	req->delegate = a->DelegateFrom != NULL;
	if (req->delegate)
		req->delegate_from = *a->DelegateFrom;
	req->user.clock = a->Clock;
	req->user.clock_arg = a->ClockArg;
	req->user.random = a->Random;
	req->user.random_arg = a->RandomArg;
	req->user.transport = a->Transport;
	req->user.transport_arg = a->TransportArg;
	req->user.trace = a->Trace;
	req->user.trace_arg = a->TraceArg;
	return KSSP_OK;
}

kssp_err kssp_sspi_cred_parse(const char *principal, const void *auth_data,
    struct kssp_sspi_cred_request *req)
{
	ULONG version;
	kssp_err e;

	memset(req, 0, sizeof(*req));
	e = copy_utf8(principal, AUTHDATA_STRING_MAX, "pszPrincipal", &req->principal);
	if (e != KSSP_OK || auth_data == NULL)
		return e;
	memcpy(&version, auth_data, sizeof(version));
	if (version == KSSP_AUTH_DATA_VERSION_1 || version == KSSP_AUTH_DATA_VERSION_2 ||
	    version == KSSP_AUTH_DATA_VERSION_3) {
		e = parse_kssp(auth_data, req);
	} else if (version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
		/* _EXA and _EXW share the layout; Flags tells the encoding. */
		const SEC_WINNT_AUTH_IDENTITY_EXA *x = auth_data;
		struct identity_view v = { x->User, x->Domain, x->Password, x->UserLength,
			x->DomainLength, x->PasswordLength, x->Flags };

		if (x->Length < sizeof(*x))
			e = kssp_fail(KSSP_ERR_INVALID_ARG,
			    "SEC_WINNT_AUTH_IDENTITY_EX: Length %lu is less than %zu",
			    (unsigned long)x->Length, sizeof(*x));
		else
			e = parse_identity(&v, req);
	} else {
		const SEC_WINNT_AUTH_IDENTITY_A *a = auth_data;
		struct identity_view v = { a->User, a->Domain, a->Password, a->UserLength,
			a->DomainLength, a->PasswordLength, a->Flags };

		e = parse_identity(&v, req);
	}
	if (e != KSSP_OK)
		kssp_sspi_cred_request_free(req);
	return e;
}

void kssp_sspi_cred_request_free(struct kssp_sspi_cred_request *req)
{
	if (req->password != NULL)
		kssp_free_secret(req->password, req->password_len + 1);
	kssp_free(req->principal);
	kssp_free(req->keytab);
	kssp_free(req->ccache);
	kssp_free(req->krb5conf);
	kssp_free(req->impersonate);
	kssp_free(req->replay_cache);
	kssp_free(req->armor_ccache);
	kssp_free(req->armor_keytab);
	kssp_free(req->armor_principal);
	memset(req, 0, sizeof(*req));
}

/* ---- hooks: base's signatures calling the caller's ---- */

static kssp_err clock_adapter(void *arg, struct kssp_time *now)
{
	struct kssp_sspi_cred_user_hooks *u = arg;
	int64_t sec = 0;
	int32_t usec = 0;

	if (u->clock(u->clock_arg, &sec, &usec) != 0)
		return kssp_fail(KSSP_ERR_INTERNAL, "KSSP_AUTH_DATA Clock hook failed");
	if (usec < 0 || usec > 999999)
		return kssp_fail(KSSP_ERR_INTERNAL, "KSSP_AUTH_DATA Clock hook gave %ld microseconds",
		    (long)usec);
	now->sec = sec;
	now->usec = usec;
	return KSSP_OK;
}

static kssp_err random_adapter(void *arg, void *buf, size_t len)
{
	struct kssp_sspi_cred_user_hooks *u = arg;

	if (u->random(u->random_arg, buf, len) != 0)
		return kssp_fail(KSSP_ERR_INTERNAL, "KSSP_AUTH_DATA Random hook failed");
	return KSSP_OK;
}

static kssp_err transport_adapter(void *arg, const char *realm, const uint8_t *req,
    size_t req_len, int tcp_only, uint8_t **reply, size_t *reply_len)
{
	struct kssp_sspi_cred_user_hooks *u = arg;
	uint8_t *theirs = NULL, *ours;
	size_t n = 0;

	*reply = NULL;
	*reply_len = 0;
	if (u->transport(u->transport_arg, realm, req, req_len, tcp_only, &theirs, &n) != 0) {
		free(theirs);
		return kssp_fail(KSSP_ERR_NO_KDC, "KSSP_AUTH_DATA Transport hook failed for realm %s",
		    realm);
	}
	/* The hook's buffer came from malloc(3); hand on one of kssp's own. */
	ours = kssp_malloc(n);
	if (ours == NULL) {
		free(theirs);
		return kssp_fail(KSSP_ERR_NOMEM, "transport: out of memory for a %zu-byte reply", n);
	}
	if (n != 0)
		memcpy(ours, theirs, n);
	free(theirs);
	*reply = ours;
	*reply_len = n;
	return KSSP_OK;
}

static void trace_adapter(void *arg, const char *line)
{
	struct kssp_sspi_cred_user_hooks *u = arg;

	u->trace(u->trace_arg, line);
}

void kssp_sspi_cred_bind_hooks(struct kssp_hooks *hooks, struct kssp_sspi_cred_user_hooks *user)
{
	/* An argument is read only with its function: a NULL one leaves the system's. */
	memset(hooks, 0, sizeof(*hooks));
	hooks->clock = user->clock != NULL ? clock_adapter : NULL;
	hooks->clock_arg = user;
	hooks->random = user->random != NULL ? random_adapter : NULL;
	hooks->random_arg = user;
	hooks->transport = user->transport != NULL ? transport_adapter : NULL;
	hooks->transport_arg = user;
	hooks->trace = user->trace != NULL ? trace_adapter : NULL;
	hooks->trace_arg = user;
}
