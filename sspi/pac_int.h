/*
 * sspi/pac_int.h - an accepted context's PAC as the application sees it.
 */
#ifndef KSSP_SSPI_PAC_INT_H
#define KSSP_SSPI_PAC_INT_H

#include "base/base.h"
#include "kssp/kssp.h"

struct kssp_pac;

/* SECPKG_ATTR_KSSP_PAC: the PAC's bytes in a context buffer, and its state. */
SECURITY_STATUS kssp_sspi_pac_raw(const struct kssp_pac *pac, PKSSP_PAC out);

/* SECPKG_ATTR_KSSP_LOGON_INFO: everything in one context buffer, *out. */
SECURITY_STATUS kssp_sspi_pac_logon_info(const struct kssp_pac *pac, PKSSP_LOGON_INFO *out);

/*
 * "LOGONDOMAIN\account" from a verified PAC's KERB_VALIDATION_INFO, the
 * name Windows gives an accepted Kerberos client (kssp_malloc'd), or
 * KSSP_ERR_NOT_FOUND when pac is NULL or has none.
 */
kssp_err kssp_sspi_pac_windows_name(const struct kssp_pac *pac, char **out);

#endif
