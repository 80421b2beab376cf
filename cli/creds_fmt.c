/* cli/creds_fmt.c - MIT klist's spellings of times and enctypes. */
#include "cli/creds_fmt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* MIT's names for the enctypes kssp builds (RFC 3961 §8, RFC 3962, 4757, 6803, 8009). */
static const struct {
	int32_t enctype;
	const char *name;   /* as klist prints it */
	const char *alias;  /* another spelling accepted on input */
} enctypes[] = {
	{ 17, "aes128-cts-hmac-sha1-96", "aes128-cts" },
	{ 18, "aes256-cts-hmac-sha1-96", "aes256-cts" },
	{ 19, "aes128-cts-hmac-sha256-128", "aes128-sha2" },
	{ 20, "aes256-cts-hmac-sha384-192", "aes256-sha2" },
	{ 23, "DEPRECATED:arcfour-hmac", "arcfour-hmac" },
	{ 24, "DEPRECATED:arcfour-hmac-exp", "arcfour-hmac-exp" },
	{ 25, "camellia128-cts-cmac", "camellia128-cts" },
	{ 26, "camellia256-cts-cmac", "camellia256-cts" },
	{ 16, "DEPRECATED:des3-cbc-sha1", "des3-cbc-sha1" },
	{ 1, "DEPRECATED:des-cbc-crc", "des-cbc-crc" },
	{ 3, "DEPRECATED:des-cbc-md5", "des-cbc-md5" },
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

int32_t kssp_cli_enctype_parse(const char *text)
{
	char *end;
	long v;
	size_t i;

	v = strtol(text, &end, 10);
	if (*text && !*end)
		return v > 0 && v <= 0xffff ? (int32_t)v : 0;
	for (i = 0; i < N_ENCTYPES; i++) {
		const char *name = enctypes[i].name;

		if (strncmp(name, "DEPRECATED:", 11) == 0)
			name += 11;
		if (strcasecmp(text, name) == 0 || strcasecmp(text, enctypes[i].alias) == 0 ||
		    strcasecmp(text, enctypes[i].name) == 0)
			return enctypes[i].enctype;
	}
	return 0;
}

void kssp_cli_fill(FILE *out, int n, int c)
{
	while (n-- > 0)
		putc(c, out);
}
