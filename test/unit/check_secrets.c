/*
 * test/unit/check_secrets.c - keys and passwords are zeroed on every free
 * path.
 *
 * How: base/mem's release observer (kssp_mem_observe_frees) is handed every
 * block kssp_free / kssp_free_secret gives back, before the C library gets
 * it.  The observer searches the block for the secrets of the test (the
 * password, the keys read from a keytab or cache) and counts the blocks that
 * still hold one.  Reading the block there is sound under AddressSanitizer:
 * it is still allocated, and malloc_usable_size reports its exact size under
 * ASan (with glibc's allocator it may add slack bytes of the same chunk,
 * which are readable and only make the search stricter).
 *
 * A negative control (a block freed with plain kssp_free) shows that the
 * observer does see a secret left in memory, so these tests can fail.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "creds/ccache_int.h"
#include "creds/credset_int.h"
#include "creds/keytab_int.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"
#include "memfault.h"
#include "testutil.h"

#define MAX_SECRETS 64

struct secret_watch {
	const uint8_t *secret[MAX_SECRETS];
	size_t len[MAX_SECRETS];
	size_t n_secrets;
	size_t blocks;        /* blocks released while watching */
	size_t leaked;        /* of which still held a secret */
	const void *target;   /* when set: the one block whose release is checked */
	bool target_seen;
	bool target_zero;     /* its first target_len bytes were all zero */
	size_t target_len;
};

static bool holds(const uint8_t *p, size_t n, const uint8_t *s, size_t slen)
{
	size_t i;

	if (slen == 0 || n < slen)
		return false;
	for (i = 0; i + slen <= n; i++)
		if (p[i] == s[0] && memcmp(p + i, s, slen) == 0)
			return true;
	return false;
}

static void observe(void *arg, const void *p, size_t n)
{
	struct secret_watch *w = arg;
	const uint8_t *b = p;
	size_t i;

	w->blocks++;
	for (i = 0; i < w->n_secrets; i++)
		if (holds(b, n, w->secret[i], w->len[i])) {
			w->leaked++;
			break;
		}
	if (w->target && p == w->target) {
		w->target_seen = true;
		w->target_zero = true;
		for (i = 0; i < w->target_len && i < n; i++)
			if (b[i])
				w->target_zero = false;
	}
}

static void watch_secret(struct secret_watch *w, const uint8_t *s, size_t len)
{
	ck_assert_uint_lt(w->n_secrets, MAX_SECRETS);
	w->secret[w->n_secrets] = s;
	w->len[w->n_secrets] = len;
	w->n_secrets++;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static uint8_t *read_fixture(const char *rel, size_t *len)
{
	FILE *f = fopen(tu_fixture(rel), "rb");
	uint8_t *buf = malloc(1 << 20);
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, 1 << 20, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_gt(n, 0);
	*len = n;
	return buf;
}

/* A secret-looking 32-byte pattern no structure of kssp holds by chance. */
static void fill_pattern(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(0xA5 ^ (i * 37));
}

START_TEST(test_free_secret_zeroes_and_control)
{
	struct secret_watch w = { 0 };
	uint8_t pattern[32];
	uint8_t *a = kssp_malloc(sizeof(pattern)), *b = kssp_malloc(sizeof(pattern));

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	fill_pattern(pattern, sizeof(pattern));
	memcpy(a, pattern, sizeof(pattern));
	memcpy(b, pattern, sizeof(pattern));
	watch_secret(&w, pattern, sizeof(pattern));
	kssp_mem_observe_frees(observe, &w);
	kssp_free_secret(a, sizeof(pattern));
	ck_assert_uint_eq(w.blocks, 1);
	ck_assert_uint_eq(w.leaked, 0);
	/* Control: plain kssp_free leaves the bytes, and the observer sees them. */
	kssp_free(b);
	kssp_mem_observe_frees(NULL, NULL);
	ck_assert_uint_eq(w.blocks, 2);
	ck_assert_uint_eq(w.leaked, 1);
}
END_TEST

/* string-to-key, a use of the key (which builds its derived-key cache), then
 * kssp_crypto_key_clear: no released block holds the password or the key,
 * the cache is zero when released, and the key structure is zero after. */
START_TEST(test_key_clear_zeroes_key_and_cache)
{
	static const char password[] = "Zq7-secret-pass-for-zeroing-test";
	static const uint8_t salt[] = "EXAMPLE.COMuser";
	struct secret_watch w = { 0 };
	struct kssp_key key;
	uint8_t keycopy[KSSP_CRYPTO_MAX_KEY], conf[16] = { 0 }, out[256];
	size_t outlen;
	int32_t enctypes[] = { 17, 18, 19, 20, 23, 25, 26 };
	size_t i;

	kssp_mem_observe_frees(observe, &w);
	watch_secret(&w, (const uint8_t *)password, strlen(password));
	for (i = 0; i < sizeof(enctypes) / sizeof(enctypes[0]); i++) {
		ck_assert_int_eq(kssp_crypto_string_to_key(enctypes[i], password, strlen(password),
		    salt, sizeof(salt) - 1, NULL, 0, &key), KSSP_OK);
		memcpy(keycopy, key.contents, key.length);
		w.n_secrets = 1;
		watch_secret(&w, keycopy, key.length);
		ck_assert_int_eq(kssp_crypto_encrypt_with_confounder(&key, KSSP_KU_AS_REP_ENC_PART,
		    conf, enctypes[i] == 23 ? 8 : 16, (const uint8_t *)"data", 4, out,
		    sizeof(out), &outlen), KSSP_OK);
		if (enctypes[i] != 23) {
			/* The AES and Camellia profiles keep derived keys in a cache. */
			ck_assert_ptr_nonnull(key.cache);
		}
		w.target = key.cache;
		w.target_len = sizeof(*key.cache);
		w.target_seen = false;
		kssp_crypto_key_clear(&key);
		ck_assert(all_zero(&key, sizeof(key)));
		if (w.target) {
			ck_assert(w.target_seen);
			ck_assert(w.target_zero);
		}
		w.target = NULL;
	}
	kssp_mem_observe_frees(NULL, NULL);
	ck_assert_uint_eq(w.leaked, 0);
}
END_TEST

/* Copies of the keys of kt into store (the copies outlive kssp's memory). */
static void watch_keytab_keys(struct secret_watch *w, const struct kssp_keytab *kt,
    uint8_t *store, size_t cap)
{
	size_t i, off = 0;

	for (i = 0; i < kt->n_entries && w->n_secrets < MAX_SECRETS; i++) {
		ck_assert_uint_le(kt->entries[i].key_len, cap - off);
		memcpy(store + off, kt->entries[i].key, kt->entries[i].key_len);
		watch_secret(w, store + off, kt->entries[i].key_len);
		off += kt->entries[i].key_len;
	}
}

/* Parse, read from a file, write to a file, add a password key, free: no
 * released block holds a key of the keytab or the password. */
START_TEST(test_keytab_paths_zero_keys)
{
	static const char password[] = "Keytab-password-zeroing-9f3";
	struct secret_watch w = { 0 };
	struct kssp_keytab ref, kt;
	struct kssp_principal *p = NULL;
	static uint8_t keys[MAX_SECRETS * KSSP_KEYTAB_MAX_KEY], added[KSSP_KEYTAB_MAX_KEY * 2];
	uint8_t *file;
	size_t len;
	char dir[] = "/tmp/kssp-secrets-XXXXXX", path[64];

	file = read_fixture("creds/mit-all.keytab", &len);
	ck_assert_int_eq(kssp_keytab_parse(file, len, &ref), KSSP_OK);
	ck_assert_uint_gt(ref.n_entries, 0);
	watch_keytab_keys(&w, &ref, keys, sizeof(keys));
	ck_assert_uint_gt(w.n_secrets, 0);
	watch_secret(&w, (const uint8_t *)password, strlen(password));

	kssp_mem_observe_frees(observe, &w);
	kssp_keytab_free(&ref);
	ck_assert_int_eq(kssp_keytab_parse(file, len, &kt), KSSP_OK);
	kssp_keytab_free(&kt);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kt", dir);
	ck_assert_int_eq(kssp_keytab_read(tu_fixture("creds/mit-all.keytab"), &kt), KSSP_OK);
	ck_assert_int_eq(kssp_principal_parse("zero@EXAMPLE.COM", 0, NULL, &p), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_password(&kt, p, 7, 18, password, strlen(password), NULL, 0, 0), KSSP_OK);
	/* The key made from the password is a secret too (the last entry). */
	ck_assert_uint_le(kt.entries[kt.n_entries - 1].key_len, sizeof(added));
	memcpy(added, kt.entries[kt.n_entries - 1].key, kt.entries[kt.n_entries - 1].key_len);
	watch_secret(&w, added, kt.entries[kt.n_entries - 1].key_len);
	ck_assert_int_eq(kssp_keytab_write(&kt, path), KSSP_OK);
	kssp_keytab_free(&kt);
	ck_assert_int_eq(kssp_keytab_read(path, &kt), KSSP_OK);
	kssp_keytab_free(&kt);
	kssp_principal_free(p);
	kssp_mem_observe_frees(NULL, NULL);

	ck_assert_uint_gt(w.blocks, 0);
	ck_assert_uint_eq(w.leaked, 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(file);
}
END_TEST

/* A v3 and a v4 cache: parse, read, write, free, and the credential set
 * loaded from it: no released block holds a session key. */
START_TEST(test_ccache_paths_zero_keys)
{
	static const char *const fixtures[] = { "creds/mit-v4.ccache", "creds/mit-v3.ccache" };
	struct secret_watch w = { 0 };
	struct kssp_ccache ref, cc;
	struct kssp_credset set;
	uint8_t *file, *keys;
	size_t len, i, off = 0;
	char dir[] = "/tmp/kssp-secrets-XXXXXX", path[64];

	file = read_fixture(fixtures[_i], &len);
	ck_assert_int_eq(kssp_ccache_parse(file, len, &ref), KSSP_OK);
	ck_assert_uint_gt(ref.n_creds, 0);
	keys = malloc(len);
	ck_assert_ptr_nonnull(keys);
	for (i = 0; i < ref.n_creds && w.n_secrets < MAX_SECRETS; i++) {
		/* Configuration entries carry no key. */
		if (ref.creds[i].keyvalue.length == 0)
			continue;
		ck_assert_uint_ge(ref.creds[i].keyvalue.length, 16);
		memcpy(keys + off, ref.creds[i].keyvalue.data, ref.creds[i].keyvalue.length);
		watch_secret(&w, keys + off, ref.creds[i].keyvalue.length);
		off += ref.creds[i].keyvalue.length;
	}
	ck_assert_uint_gt(w.n_secrets, 0);

	kssp_mem_observe_frees(observe, &w);
	kssp_ccache_free(&ref);
	ck_assert_int_eq(kssp_ccache_parse(file, len, &cc), KSSP_OK);
	kssp_ccache_free(&cc);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cc", dir);
	ck_assert_int_eq(kssp_ccache_read(tu_fixture(fixtures[_i]), &cc), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, path), KSSP_OK);
	/* The in-memory set: loading twice replaces each copy, expiry drops them
	 * all, and a last load is freed with the set. */
	kssp_credset_init(&set);
	ck_assert_int_eq(kssp_credset_load_ccache(&set, &cc), KSSP_OK);
	ck_assert_uint_gt(set.n_creds, 0);
	ck_assert_int_eq(kssp_credset_load_ccache(&set, &cc), KSSP_OK);
	ck_assert_uint_gt(kssp_credset_expire(&set, INT64_MAX), 0);
	ck_assert_uint_eq(set.n_creds, 0);
	ck_assert_int_eq(kssp_credset_load_ccache(&set, &cc), KSSP_OK);
	kssp_credset_free(&set);
	kssp_ccache_free(&cc);
	ck_assert_int_eq(kssp_ccache_read(path, &cc), KSSP_OK);
	kssp_ccache_free(&cc);
	kssp_mem_observe_frees(NULL, NULL);

	ck_assert_uint_gt(w.blocks, 0);
	ck_assert_uint_eq(w.leaked, 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(keys);
	free(file);
}
END_TEST

Suite *kssp_suite_secrets(void);
Suite *kssp_suite_secrets(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("zeroed");

	tcase_add_test(tc, test_free_secret_zeroes_and_control);
	tcase_add_test(tc, test_key_clear_zeroes_key_and_cache);
	tcase_add_test(tc, test_keytab_paths_zero_keys);
	tcase_add_loop_test(tc, test_ccache_paths_zero_keys, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
