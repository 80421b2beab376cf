/* sspi/target.c - pszTargetName forms to principal parts. */
#include "sspi/target_int.h"

#include <string.h>

#include "base/base.h"

/* Longest target name taken, in bytes. */
#define TARGET_MAX 1024

static kssp_err dup_range(const char *s, size_t n, char **out)
{
	*out = kssp_malloc(n + 1);
	if (*out == NULL)
		return kssp_fail(KSSP_ERR_NOMEM, "target name: out of memory");
	memcpy(*out, s, n);
	(*out)[n] = '\0';
	return KSSP_OK;
}

/*
 * A GSS service name (RFC 2743 §4.1 "service@host"): letters of either
 * case, digits and '-', as "host", "HTTP", "imap" - no '.', which would
 * make it a UPN's user part.
 */
static int is_service_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* A host name as GSS host-based names carry it: dotted, no upper case. */
static int is_host_name(const char *s)
{
	size_t i;

	if (strchr(s, '.') == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 0;
	return 1;
}

static kssp_err parse_spn(const char *name, const char *slash, struct kssp_sspi_target *t)
{
	const char *host = slash + 1, *at = strrchr(host, '@');
	size_t host_len = at != NULL ? (size_t)(at - host) : strlen(host);
	kssp_err e;

	if (slash == name || host_len == 0 || (at != NULL && at[1] == '\0'))
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "target name \"%s\": an SPN needs a service, a host and (after @) a realm", name);
	/* A third part ("ldap/host/domain") stays inside host, as Windows sends it. */
	t->name_type = KSSP_NT_SRV_INST;
	e = dup_range(name, (size_t)(slash - name), &t->service);
	if (e == KSSP_OK)
		e = dup_range(host, host_len, &t->host);
	if (e == KSSP_OK && at != NULL)
		e = dup_range(at + 1, strlen(at + 1), &t->realm);
	return e;
}

static kssp_err parse_at_form(const char *name, const char *at, struct kssp_sspi_target *t)
{
	size_t left = (size_t)(at - name);
	kssp_err e;

	if (left == 0 || at[1] == '\0')
		return kssp_fail(KSSP_ERR_INVALID_ARG,
		    "target name \"%s\": nothing before or after the @", name);
	e = dup_range(name, left, &t->service);
	if (e != KSSP_OK)
		return e;
	if (is_service_word(name, left) && is_host_name(at + 1)) {
		t->name_type = KSSP_NT_SRV_HST;
		return dup_range(at + 1, strlen(at + 1), &t->host);
	}
	t->name_type = KSSP_NT_PRINCIPAL;
	return dup_range(at + 1, strlen(at + 1), &t->realm);
}

kssp_err kssp_sspi_target_parse(const char *name, struct kssp_sspi_target *t)
{
	const char *slash, *at;
	size_t n;
	kssp_err e;

	memset(t, 0, sizeof(*t));
	if (name == NULL || name[0] == '\0')
		return kssp_fail(KSSP_ERR_INVALID_ARG, "target name: empty");
	n = strnlen(name, TARGET_MAX + 1);
	if (n > TARGET_MAX)
		return kssp_fail(KSSP_ERR_INVALID_ARG, "target name: longer than %d bytes", TARGET_MAX);
	slash = strchr(name, '/');
	at = strrchr(name, '@');
	if (slash != NULL && (at == NULL || slash < at))
		e = parse_spn(name, slash, t);
	else if (at != NULL)
		e = parse_at_form(name, at, t);
	else {
		t->name_type = KSSP_NT_PRINCIPAL;
		e = dup_range(name, n, &t->service);
	}
	if (e != KSSP_OK)
		kssp_sspi_target_free(t);
	return e;
}

void kssp_sspi_target_free(struct kssp_sspi_target *t)
{
	kssp_free(t->service);
	kssp_free(t->host);
	kssp_free(t->realm);
	memset(t, 0, sizeof(*t));
}

kssp_err kssp_sspi_target_principal(const struct kssp_sspi_target *t, const char *host_realm,
    const char *default_realm, struct kssp_principal **out)
{
	const char *realm = t->realm != NULL ? t->realm : host_realm != NULL ? host_realm : default_realm;
	const char *parts[2] = { t->service, t->host };

	*out = NULL;
	if (realm == NULL)
		realm = "";
	if (t->host == NULL)
		return kssp_principal_build(out, KSSP_NT_PRINCIPAL, realm, 1, parts);
	return kssp_principal_build(out, t->name_type, realm, 2, parts);
}
