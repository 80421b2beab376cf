/*
 * sspi/package.c - package information: QuerySecurityPackageInfo,
 * EnumerateSecurityPackages and FreeContextBuffer.
 */
#include "sspi/package_int.h"

#include <string.h>

#include "base/base.h"
#include "kssp/kssp.h"
#include "sspi/handle_int.h"
#include "sspi/status_int.h"
#include "sspi/utf16_int.h"

/* Enumeration order is Windows': Negotiate before Kerberos. */
static const struct kssp_package packages[KSSP_PACKAGE_COUNT] = {
	{ KSSP_PACKAGE_NEGOTIATE, NEGOSSP_NAME_A, "Microsoft Package Negotiator",
	    0x00083BB3, 1, 9, 48256 },
	{ KSSP_PACKAGE_KERBEROS, MICROSOFT_KERBEROS_NAME_A, "Microsoft Kerberos V1.0",
	    0x000F3BBF, 1, 16, 48000 },
};

const struct kssp_package *kssp_package_by_id(enum kssp_package_id id)
{
	return &packages[(unsigned)id < KSSP_PACKAGE_COUNT ? id : KSSP_PACKAGE_KERBEROS];
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_case_equal(const char *a, const char *b)
{
	while (*a != '\0' && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

kssp_err kssp_package_find(const char *name, const struct kssp_package **pkg)
{
	size_t i;

	for (i = 0; i < KSSP_PACKAGE_COUNT; i++)
		if (ascii_case_equal(name, packages[i].name)) {
			*pkg = &packages[i];
			return KSSP_OK;
		}
	return kssp_fail(KSSP_ERR_NOT_FOUND,
	    "security package \"%.64s\": kssp provides \"Kerberos\" and \"Negotiate\"", name);
}

/* Bytes of the strings of pkg in the A form (with NULs). */
static size_t strings_size_a(const struct kssp_package *p)
{
	return strlen(p->name) + 1 + strlen(p->comment) + 1;
}

/* Writes p's SecPkgInfoA to info with its strings at *text (advanced). */
static void fill_info_a(const struct kssp_package *p, SecPkgInfoA *info, char **text)
{
	size_t n = strlen(p->name) + 1, c = strlen(p->comment) + 1;

	info->fCapabilities = p->capabilities;
	info->wVersion = p->version;
	info->wRPCID = p->rpcid;
	info->cbMaxToken = p->max_token;
	info->Name = memcpy(*text, p->name, n);
	info->Comment = memcpy(*text + n, p->comment, c);
	*text += n + c;
}

/* The names and comments are ASCII, so one byte becomes one unit. */
static SEC_WCHAR *widen_ascii(const char *s, SEC_WCHAR **text)
{
	SEC_WCHAR *start = *text;
	size_t i, n = strlen(s);

	for (i = 0; i <= n; i++)
		start[i] = (SEC_WCHAR)(unsigned char)s[i];
	*text += n + 1;
	return start;
}

static void fill_info_w(const struct kssp_package *p, SecPkgInfoW *info, SEC_WCHAR **text)
{
	info->fCapabilities = p->capabilities;
	info->wVersion = p->version;
	info->wRPCID = p->rpcid;
	info->cbMaxToken = p->max_token;
	info->Name = widen_ascii(p->name, text);
	info->Comment = widen_ascii(p->comment, text);
}

/* n packages' SecPkgInfoA, or SecPkgInfoW when wide, in one context buffer, strings after. */
static void *new_infos(const struct kssp_package *p, size_t n, bool wide)
{
	size_t i, isz = wide ? sizeof(SecPkgInfoW) : sizeof(SecPkgInfoA), size = n * isz;
	uint8_t *infos;
	char *a;
	SEC_WCHAR *w;

	for (i = 0; i < n; i++)
		size += strings_size_a(&p[i]) * (wide ? sizeof(SEC_WCHAR) : 1);
	if ((infos = kssp_sspi_buffer_alloc(size)) == NULL)
		return NULL;
	a = (char *)(infos + n * isz);
	w = (SEC_WCHAR *)(void *)a;
	for (i = 0; i < n; i++)
		if (wide)
			fill_info_w(&p[i], (SecPkgInfoW *)(void *)infos + i, &w);
		else
			fill_info_a(&p[i], (SecPkgInfoA *)(void *)infos + i, &a);
	return infos;
}

kssp_err kssp_package_info_a(const struct kssp_package *pkg, PSecPkgInfoA *out)
{
	*out = new_infos(pkg, 1, false);
	return *out != NULL ? KSSP_OK : KSSP_ERR_NOMEM;
}

kssp_err kssp_package_info_w(const struct kssp_package *pkg, PSecPkgInfoW *out)
{
	*out = new_infos(pkg, 1, true);
	return *out != NULL ? KSSP_OK : KSSP_ERR_NOMEM;
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
    PSecPkgInfoA *ppPackageInfo)
{
	const struct kssp_package *pkg;
	kssp_err e;

	kssp_clear_failure();
	if (ppPackageInfo == NULL || pszPackageName == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "QuerySecurityPackageInfo: pszPackageName and ppPackageInfo are required");
	*ppPackageInfo = NULL;
	if (kssp_package_find(pszPackageName, &pkg) != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	e = kssp_package_info_a(pkg, ppPackageInfo);
	return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
    PSecPkgInfoW *ppPackageInfo)
{
	const struct kssp_package *pkg;
	char *name = NULL;
	kssp_err e;

	kssp_clear_failure();
	if (ppPackageInfo == NULL || pszPackageName == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "QuerySecurityPackageInfo: pszPackageName and ppPackageInfo are required");
	*ppPackageInfo = NULL;
	if ((e = kssp_utf16_narrow(pszPackageName, 256, &name, NULL)) != KSSP_OK)
		return kssp_sspi_result_of(e, SEC_E_SECPKG_NOT_FOUND);
	e = kssp_package_find(name, &pkg);
	kssp_free(name);
	if (e != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	e = kssp_package_info_w(pkg, ppPackageInfo);
	return kssp_sspi_result(kssp_sspi_status(e, KSSP_PHASE_LOGON));
}

/* EnumerateSecurityPackagesA/W: *infos is the caller's PSecPkgInfoA or W. */
static SECURITY_STATUS enumerate(PULONG pcPackages, void **infos, bool wide)
{
	kssp_clear_failure();
	if (infos != NULL)
		*infos = NULL;
	if (pcPackages == NULL || infos == NULL)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER,
		    "EnumerateSecurityPackages: pcPackages and ppPackageInfo are required");
	*pcPackages = 0;
	if ((*infos = new_infos(packages, KSSP_PACKAGE_COUNT, wide)) == NULL)
		return kssp_sspi_result(SEC_E_INSUFFICIENT_MEMORY);
	*pcPackages = KSSP_PACKAGE_COUNT;
	return kssp_sspi_result(SEC_E_OK);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(PULONG pcPackages,
    PSecPkgInfoA *ppPackageInfo)
{
	return enumerate(pcPackages, (void **)ppPackageInfo, false);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(PULONG pcPackages,
    PSecPkgInfoW *ppPackageInfo)
{
	return enumerate(pcPackages, (void **)ppPackageInfo, true);
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer)
{
	kssp_clear_failure();
	if (pvContextBuffer == NULL)
		return kssp_sspi_result(SEC_E_OK);
	if (kssp_sspi_buffer_free(pvContextBuffer) != KSSP_OK)
		return kssp_sspi_result(SEC_E_INVALID_HANDLE);
	return kssp_sspi_result(SEC_E_OK);
}
