/*
 * <kssp/kssp.h> - what kssp adds to the Windows SSPI surface for Linux.
 *
 * <kssp/sspi.h> declares the Windows names; this header declares what
 * Windows never needed to say on Linux: the library version, and (as the
 * layers land) the KSSP_AUTH_DATA extension passed as pAuthData, the
 * impersonation identities and the error-string accessors.
 */
#ifndef KSSP_KSSP_H
#define KSSP_KSSP_H

#ifdef __cplusplus
extern "C" {
#endif

#define KSSP_VERSION_MAJOR 0
#define KSSP_VERSION_MINOR 1
#define KSSP_VERSION_PATCH 0
#define KSSP_VERSION_STRING "0.1.0"

/* Marks a symbol that libkssp.so exports; everything else stays hidden. */
#if defined(__GNUC__)
#define KSSP_API __attribute__((visibility("default")))
#else
#define KSSP_API
#endif

/*
 * The version of the library actually linked, "MAJOR.MINOR.PATCH", which
 * may differ from KSSP_VERSION_STRING when a program runs against a newer
 * shared library than it was built with.
 */
KSSP_API const char *kssp_version(void);

#ifdef __cplusplus
}
#endif

#endif
