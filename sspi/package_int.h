/*
 * sspi/package_int.h - the two packages kssp provides and their SecPkgInfo.
 *
 * The values are Windows' own, as EnumerateSecurityPackages reports them
 * on Windows: fCapabilities, wVersion and wRPCID as recorded from a
 * Windows enumeration (Kerberos 0x000F3BBF / 1 / 16 = RPC_C_AUTHN_GSS_KERBEROS,
 * Negotiate 0x00083BB3 / 1 / 9 = RPC_C_AUTHN_GSS_NEGOTIATE), cbMaxToken as
 * Windows 8 / Server 2012 and later use it (Kerberos MaxTokenSize 48000,
 * Microsoft KB 327825; Negotiate 48000 + 256 as observed).
 */
#ifndef KSSP_SSPI_PACKAGE_INT_H
#define KSSP_SSPI_PACKAGE_INT_H

#include "base/base.h"
#include "kssp/sspi.h"

enum kssp_package_id {
	KSSP_PACKAGE_NEGOTIATE,
	KSSP_PACKAGE_KERBEROS,
	KSSP_PACKAGE_COUNT
};

struct kssp_package {
	enum kssp_package_id id;
	const char *name;
	const char *comment;
	ULONG capabilities;
	USHORT version;
	USHORT rpcid;
	ULONG max_token;
};

/* The package of that id. */
const struct kssp_package *kssp_package_by_id(enum kssp_package_id id);

/* The package named name (ASCII case-insensitive), else KSSP_ERR_NOT_FOUND. */
kssp_err kssp_package_find(const char *name, const struct kssp_package **pkg);

/* A SecPkgInfoA/W for pkg in one context buffer (for FreeContextBuffer). */
kssp_err kssp_package_info_a(const struct kssp_package *pkg, PSecPkgInfoA *out);
kssp_err kssp_package_info_w(const struct kssp_package *pkg, PSecPkgInfoW *out);

#endif
