/* sspi/version.c - kssp_version(); the string is defined once, in kssp.h. */
#include "kssp/kssp.h"

const char *kssp_version(void)
{
	return KSSP_VERSION_STRING;
}
