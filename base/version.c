/* base/version.c - the linked library's version. */
#include "kssp/kssp.h"

const char *kssp_version(void)
{
	return KSSP_VERSION_STRING;
}
