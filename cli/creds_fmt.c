/* cli/creds_fmt.c - MIT klist's spellings of times and enctypes. */
#include "cli/creds_fmt.h"

#include <time.h>

void kssp_cli_print_time(FILE *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	if (!localtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%m/%d/%y %H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "%lld", (long long)t);
	fputs(buf, out);
}

/*
 * MIT klist's display names (RFC 3961 §8, RFC 3962, 4757, 6803, 8009):
 * MIT 1.19+ marks the enctypes it deprecates (RFC 8429) with a prefix.
 */
static const struct {
	int32_t enctype;
	const char *name;
} enctypes[] = {
	{ 17, "aes128-cts-hmac-sha1-96" },
	{ 18, "aes256-cts-hmac-sha1-96" },
	{ 19, "aes128-cts-hmac-sha256-128" },
	{ 20, "aes256-cts-hmac-sha384-192" },
	{ 23, "DEPRECATED:arcfour-hmac" },
	{ 24, "DEPRECATED:arcfour-hmac-exp" },
	{ 25, "camellia128-cts-cmac" },
	{ 26, "camellia256-cts-cmac" },
	{ 16, "DEPRECATED:des3-cbc-sha1" },
	{ 1, "DEPRECATED:des-cbc-crc" },
	{ 3, "DEPRECATED:des-cbc-md5" },
};

#define N_ENCTYPES (sizeof(enctypes) / sizeof(enctypes[0]))

const char *kssp_cli_enctype_name(int32_t enctype, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < N_ENCTYPES; i++)
		if (enctypes[i].enctype == enctype)
			return enctypes[i].name;
	/* MIT's klist says this for an enctype it has no name for. */
	snprintf(buf, cap, "etype %d", (int)enctype);
	return buf;
}

void kssp_cli_fill(FILE *out, int n, int c)
{
	while (n-- > 0)
		putc(c, out);
}
