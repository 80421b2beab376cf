/*
 * crypto/profile.c - the one table of enctype and checksum-type profiles,
 * and the lookups by number and by MIT's names.  Names and aliases are
 * the ones MIT's krb5.conf accepts (permitted_enctypes and friends), so a
 * configuration written for MIT means the same here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto_int.h"

static const char *const aes128_sha1_aliases[] = { "aes128-cts", "aes128-sha1", NULL };
static const char *const aes256_sha1_aliases[] = { "aes256-cts", "aes256-sha1", NULL };
static const char *const aes128_sha2_aliases[] = { "aes128-sha2", NULL };
static const char *const aes256_sha2_aliases[] = { "aes256-sha2", NULL };
static const char *const rc4_aliases[] = { "rc4-hmac", "arcfour-hmac-md5", NULL };
static const char *const cam128_aliases[] = { "camellia128-cts", NULL };
static const char *const cam256_aliases[] = { "camellia256-cts", NULL };
static const char *const no_aliases[] = { NULL };

/*
 * Sizes: RFC 3962 §6 (17, 18), RFC 8009 §5 (19, 20), RFC 6803 §4 (25, 26),
 * RFC 4757 §5 (23).  The trailer is the integrity part of a ciphertext;
 * for RC4 it is the 16-byte leading checksum.
 */
static const struct kssp_enctype_profile profiles[] = {
	{ 18, "aes256-cts-hmac-sha1-96", aes256_sha1_aliases, 32, 32, 16, 16, 12,
	  KSSP_CKSUMTYPE_HMAC_SHA1_96_AES256, 12, 16, 4096, &kssp_aes_sha1_ops },
	{ 17, "aes128-cts-hmac-sha1-96", aes128_sha1_aliases, 16, 16, 16, 16, 12,
	  KSSP_CKSUMTYPE_HMAC_SHA1_96_AES128, 12, 16, 4096, &kssp_aes_sha1_ops },
	{ 20, "aes256-cts-hmac-sha384-192", aes256_sha2_aliases, 32, 32, 16, 16, 24,
	  KSSP_CKSUMTYPE_HMAC_SHA384_192_AES256, 24, 48, 32768, &kssp_aes_sha2_ops },
	{ 19, "aes128-cts-hmac-sha256-128", aes128_sha2_aliases, 16, 16, 16, 16, 16,
	  KSSP_CKSUMTYPE_HMAC_SHA256_128_AES128, 16, 32, 32768, &kssp_aes_sha2_ops },
	{ 26, "camellia256-cts-cmac", cam256_aliases, 32, 32, 16, 16, 16,
	  KSSP_CKSUMTYPE_CMAC_CAMELLIA256, 16, 16, 32768, &kssp_camellia_ops },
	{ 25, "camellia128-cts-cmac", cam128_aliases, 16, 16, 16, 16, 16,
	  KSSP_CKSUMTYPE_CMAC_CAMELLIA128, 16, 16, 32768, &kssp_camellia_ops },
	{ 23, "arcfour-hmac", rc4_aliases, 16, 16, 1, 8, 16,
	  KSSP_CKSUMTYPE_HMAC_MD5_ARCFOUR, 16, 20, 0, &kssp_rc4_ops },
};

static const char *const md5_aliases[] = { "hmac-md5", "hmac-md5-enc", "hmac-md5-rc4", NULL };

static const struct kssp_cksum_profile cksum_profiles[] = {
	{ 15, "hmac-sha1-96-aes128", no_aliases, 17, 12 },
	{ 16, "hmac-sha1-96-aes256", no_aliases, 18, 12 },
	{ 19, "hmac-sha256-128-aes128", no_aliases, 19, 16 },
	{ 20, "hmac-sha384-192-aes256", no_aliases, 20, 24 },
	{ 17, "cmac-camellia128", no_aliases, 25, 16 },
	{ 18, "cmac-camellia256", no_aliases, 26, 16 },
	{ -138, "hmac-md5-arcfour", md5_aliases, 0, 16 },
};

/* Numbers kssp knows by name but does not implement (RFC 3961 §8, RFC 4757,
 * RFC 8429 deprecations), so errors can name what was asked for. */
struct known_name {
	int32_t number;
	const char *name;
};

static const struct known_name unsupported_enctypes[] = {
	{ 1, "des-cbc-crc" }, { 2, "des-cbc-md4" }, { 3, "des-cbc-md5" },
	{ 4, "des-cbc-raw" }, { 5, "des3-cbc-md5" }, { 6, "des3-cbc-raw" },
	{ 7, "des-hmac-sha1" }, { 16, "des3-cbc-sha1" }, { 24, "arcfour-hmac-exp" },
};

static const struct known_name unsupported_enctype_aliases[] = {
	{ 16, "des3-hmac-sha1" }, { 16, "des3-cbc-sha1-kd" }, { 24, "rc4-hmac-exp" },
	{ 24, "arcfour-hmac-md5-exp" },
};

static const struct known_name unsupported_cksumtypes[] = {
	{ 1, "crc32" }, { 2, "md4" }, { 3, "md4-des" }, { 4, "des-cbc" },
	{ 7, "md5" }, { 8, "md5-des" }, { 9, "nist-sha" }, { 12, "hmac-sha1-des3-kd" },
	{ 14, "sha1" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct kssp_enctype_profile *kssp_crypto_profiles(size_t *count)
{
	*count = COUNT(profiles);
	return profiles;
}

const struct kssp_cksum_profile *kssp_crypto_cksum_profiles(size_t *count)
{
	*count = COUNT(cksum_profiles);
	return cksum_profiles;
}

/* Every message looks its profiles up several times: a jump, not a search. */
const struct kssp_enctype_profile *kssp_crypto_profile(int32_t enctype)
{
	switch (enctype) {
	case 18: return &profiles[0];
	case 17: return &profiles[1];
	case 20: return &profiles[2];
	case 19: return &profiles[3];
	case 26: return &profiles[4];
	case 25: return &profiles[5];
	case 23: return &profiles[6];
	default: return NULL;
	}
}

const struct kssp_cksum_profile *kssp_crypto_cksum_profile(int32_t cksumtype)
{
	switch (cksumtype) {
	case 15: return &cksum_profiles[0];
	case 16: return &cksum_profiles[1];
	case 19: return &cksum_profiles[2];
	case 20: return &cksum_profiles[3];
	case 17: return &cksum_profiles[4];
	case 18: return &cksum_profiles[5];
	case -138: return &cksum_profiles[6];
	default: return NULL;
	}
}

static const char *known_name_of(const struct known_name *t, size_t n, int32_t number)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].number == number)
			return t[i].name;
	return NULL;
}

const char *kssp_crypto_enctype_name(int32_t enctype)
{
	const struct kssp_enctype_profile *p = kssp_crypto_profile(enctype);

	return p ? p->name : known_name_of(unsupported_enctypes, COUNT(unsupported_enctypes), enctype);
}

const char *kssp_crypto_cksumtype_name(int32_t cksumtype)
{
	const struct kssp_cksum_profile *p = kssp_crypto_cksum_profile(cksumtype);

	return p ? p->name : known_name_of(unsupported_cksumtypes, COUNT(unsupported_cksumtypes),
	    cksumtype);
}

kssp_err kssp_crypto_profile_get(int32_t enctype, const struct kssp_enctype_profile **p)
{
	const char *name;

	*p = kssp_crypto_profile(enctype);
	if (*p)
		return KSSP_OK;
	name = kssp_crypto_enctype_name(enctype);
	return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "enctype %d (%s) not supported", (int)enctype,
	    name ? name : "unknown");
}

kssp_err kssp_crypto_cksum_profile_get(int32_t cksumtype, const struct kssp_cksum_profile **p)
{
	const char *name;

	*p = kssp_crypto_cksum_profile(cksumtype);
	if (*p)
		return KSSP_OK;
	name = kssp_crypto_cksumtype_name(cksumtype);
	return kssp_fail(KDC_ERR_SUMTYPE_NOSUPP, "checksum type %d (%s) not supported",
	    (int)cksumtype, name ? name : "unknown");
}

/* A whole-string decimal number (optionally negative), else false. */
static bool parse_number(const char *s, int32_t *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	v = strtol(s, &end, 10);
	if (*end || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

static bool name_matches(const char *name, const char *const *aliases, const char *s)
{
	size_t i;

	if (strcasecmp(name, s) == 0)
		return true;
	for (i = 0; aliases[i]; i++)
		if (strcasecmp(aliases[i], s) == 0)
			return true;
	return false;
}

static bool known_by_name(const struct known_name *t, size_t n, const char *s, int32_t *number)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(t[i].name, s) == 0) {
			*number = t[i].number;
			return true;
		}
	return false;
}

kssp_err kssp_crypto_enctype_from_name(const char *name, int32_t *enctype)
{
	const struct kssp_enctype_profile *p;
	size_t i;
	int32_t n;

	if (parse_number(name, &n)) {
		kssp_err e = kssp_crypto_profile_get(n, &p);

		if (!e)
			*enctype = n;
		return e;
	}
	for (i = 0; i < COUNT(profiles); i++)
		if (name_matches(profiles[i].name, profiles[i].aliases, name)) {
			*enctype = profiles[i].enctype;
			return KSSP_OK;
		}
	if (known_by_name(unsupported_enctypes, COUNT(unsupported_enctypes), name, &n) ||
	    known_by_name(unsupported_enctype_aliases, COUNT(unsupported_enctype_aliases), name, &n))
		return kssp_fail(KDC_ERR_ETYPE_NOSUPP, "enctype %d (%s) not supported", (int)n, name);
	return kssp_fail(KSSP_ERR_NOT_FOUND, "unknown enctype name '%s'", name);
}

kssp_err kssp_crypto_cksumtype_from_name(const char *name, int32_t *cksumtype)
{
	const struct kssp_cksum_profile *p;
	size_t i;
	int32_t n;

	if (parse_number(name, &n)) {
		kssp_err e = kssp_crypto_cksum_profile_get(n, &p);

		if (!e)
			*cksumtype = n;
		return e;
	}
	for (i = 0; i < COUNT(cksum_profiles); i++)
		if (name_matches(cksum_profiles[i].name, cksum_profiles[i].aliases, name)) {
			*cksumtype = cksum_profiles[i].cksumtype;
			return KSSP_OK;
		}
	if (known_by_name(unsupported_cksumtypes, COUNT(unsupported_cksumtypes), name, &n))
		return kssp_fail(KDC_ERR_SUMTYPE_NOSUPP, "checksum type %d (%s) not supported",
		    (int)n, name);
	return kssp_fail(KSSP_ERR_NOT_FOUND, "unknown checksum type name '%s'", name);
}

kssp_err kssp_crypto_key_bytes(int32_t enctype, size_t *len)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	if (!e)
		*len = p->key_bytes;
	return e;
}

kssp_err kssp_crypto_checksum_bytes(int32_t cksumtype, size_t *len)
{
	const struct kssp_cksum_profile *p;
	kssp_err e = kssp_crypto_cksum_profile_get(cksumtype, &p);

	if (!e)
		*len = p->cksum_bytes;
	return e;
}

kssp_err kssp_crypto_enctype_cksumtype(int32_t enctype, int32_t *cksumtype)
{
	const struct kssp_enctype_profile *p;
	kssp_err e = kssp_crypto_profile_get(enctype, &p);

	if (!e)
		*cksumtype = p->cksumtype;
	return e;
}
