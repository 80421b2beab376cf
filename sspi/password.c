/*
 * sspi/password.c - ChangeAccountPasswordA/W: the account named as Windows
 * names it, the password change itself done by kdc/kpasswd, its result
 * code mapped once (sspi/status.c).
 */
#include <string.h>

#include "base/base.h"
#include "kdc/kdc.h"
#include "sspi/credential_int.h"
#include "sspi/package_int.h"
#include "sspi/status_int.h"
#include "sspi/utf16_int.h"

#define FIELD_MAX 1024

/* The principal of pszAccountName in pszDomainName (either spelling), owned. */
static kssp_err account(const char *user, const char *domain, const struct kssp_config *cfg,
    struct kssp_principal **out)
{
	char *joined = NULL;
	kssp_err e = KSSP_OK;

	if (domain && *domain)
		e = kssp_sspi_cred_join_principal(user, domain, &joined);
	if (!e)
		e = kssp_principal_parse_windows(joined ? joined : user,
		    kssp_config_default_realm(cfg), false, out);
	kssp_free(joined);
	return e;
}

static SECURITY_STATUS change_password(const char *package, const char *domain, const char *user,
    const char *old_pw, const char *new_pw, unsigned long reserved)
{
	const struct kssp_package *pkg;
	struct kssp_config *cfg = NULL;
	struct kssp_principal *client = NULL;
	struct kssp_kdc_ctx ctx;
	struct kssp_kpasswd_opts o;
	struct kssp_kpasswd_result res;
	SECURITY_STATUS st;
	kssp_err e;

	if (!package || !user || !old_pw || !new_pw || reserved != 0)
		return kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ChangeAccountPassword: "
		    "package, account and both passwords are required, dwReserved must be 0");
	if (kssp_package_find(package, &pkg) != KSSP_OK)
		return kssp_sspi_result(SEC_E_SECPKG_NOT_FOUND);
	if ((e = kssp_config_load(NULL, &cfg)) || (e = account(user, domain, cfg, &client))) {
		kssp_config_free(cfg);
		return kssp_sspi_result_of(e, SEC_E_INVALID_PARAMETER);
	}
	memset(&o, 0, sizeof(o));
	o.client = client;
	o.old_password = old_pw;
	o.old_password_len = strlen(old_pw);
	o.new_password = new_pw;
	o.new_password_len = strlen(new_pw);
	kssp_kdc_ctx_init(&ctx, cfg, NULL);
	e = kssp_kpasswd_change(&ctx, &o, &res);
	st = res.code > 0 ? kssp_sspi_kpasswd_status(res.code) :
	    kssp_sspi_status(e, KSSP_PHASE_LOGON);
	kssp_kdc_ctx_free(&ctx);
	kssp_principal_free(client);
	kssp_config_free(cfg);
	return kssp_sspi_result(st);
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName,
    SEC_CHAR *pszDomainName, SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
    SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating, unsigned long dwReserved,
    PSecBufferDesc pOutput)
{
	(void)bImpersonating;
	(void)pOutput;
	kssp_clear_failure();
	return change_password(pszPackageName, pszDomainName, pszAccountName, pszOldPassword,
	    pszNewPassword, dwReserved);
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName,
    SEC_WCHAR *pszDomainName, SEC_WCHAR *pszAccountName, SEC_WCHAR *pszOldPassword,
    SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating, unsigned long dwReserved,
    PSecBufferDesc pOutput)
{
	const SEC_WCHAR *in[5] = { pszPackageName, pszDomainName, pszAccountName, pszOldPassword,
		pszNewPassword };
	char *s[5] = { NULL };
	size_t len[5] = { 0 }, i;
	bool ok = true;
	SECURITY_STATUS st;

	(void)bImpersonating;
	(void)pOutput;
	kssp_clear_failure();
	for (i = 0; i < 5 && ok; i++)
		ok = kssp_utf16_narrow(in[i], FIELD_MAX, &s[i], &len[i]) == KSSP_OK;
	st = ok ? change_password(s[0], s[1], s[2], s[3], s[4], dwReserved) :
	    kssp_sspi_fail(SEC_E_INVALID_PARAMETER, "ChangeAccountPassword: an argument is not UTF-16");
	for (i = 0; i < 5; i++)
		if (s[i])
			kssp_free_secret(s[i], len[i]);
	return st;
}
