/* test/unit/check_keytab.c - creds/keytab: MIT's files, lookups, edits, malformed input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "creds/file_int.h"
#include "creds/keytab_int.h"
#include "memfault.h"
#include "testutil.h"

static uint8_t *load(const char *rel, size_t *len)
{
	uint8_t *data;

	ck_assert_int_eq(kssp_creds_file_read(tu_fixture(rel), &data, len), KSSP_OK);
	return data;
}

static struct kssp_principal *name(const char *text)
{
	struct kssp_principal *p;

	ck_assert_int_eq(kssp_principal_parse(text, 0, NULL, &p), KSSP_OK);
	return p;
}

/* kadmin.local ktadd wrote 7 keys of svc/host.example.test, kvno 2. */
START_TEST(reads_mit_keytab)
{
	static const int32_t enctypes[] = { 18, 17, 20, 19, 26, 25, 23 };
	static const size_t key_lens[] = { 32, 16, 32, 16, 32, 16, 16 };
	struct kssp_keytab kt;
	size_t len, i;
	uint8_t *data = load("creds/mit-all.keytab", &len);

	ck_assert_int_eq(kssp_keytab_parse(data, len, &kt), KSSP_OK);
	ck_assert_uint_eq(kt.version, KSSP_KEYTAB_V2);
	ck_assert_uint_eq(kt.n_entries, 7);
	for (i = 0; i < 7; i++) {
		char *text;

		ck_assert_int_eq(kt.entries[i].keytype, enctypes[i]);
		ck_assert_uint_eq(kt.entries[i].key_len, key_lens[i]);
		ck_assert_uint_eq(kt.entries[i].vno, 2);
		ck_assert_int_eq(kt.entries[i].principal->name_type, KSSP_NT_PRINCIPAL);
		ck_assert_int_eq(kssp_principal_unparse(kt.entries[i].principal, 0, &text), KSSP_OK);
		ck_assert_str_eq(text, "svc/host.example.test@KSSP.TEST");
		kssp_free(text);
	}
	/* Our encoding of MIT's file is MIT's file, byte for byte. */
	{
		struct kssp_writer w;

		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_keytab_encode(&kt, &w), KSSP_OK);
		ck_assert_uint_eq(w.len, len);
		ck_assert(memcmp(w.buf, data, len) == 0);
		kssp_writer_free(&w);
	}
	kssp_keytab_free(&kt);
	kssp_free(data);
}
END_TEST

START_TEST(finds_best_key)
{
	static const uint8_t k1[16] = { 1 }, k2[16] = { 2 }, k3[32] = { 3 }, k4[16] = { 4 };
	struct kssp_principal *svc = name("svc/h@R.TEST"), *other = name("other@R.TEST");
	struct kssp_principal *norealm;
	const struct kssp_keytab_entry *en;
	struct kssp_keytab kt;
	size_t removed;

	ck_assert_int_eq(kssp_principal_parse("svc/h", 0, NULL, &norealm), KSSP_OK);
	kssp_keytab_init(&kt);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, svc, 3, 17, k1, 16, 100), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, svc, 5, 17, k2, 16, 200), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, svc, 5, 18, k3, 32, 200), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, svc, 300, 17, k4, 16, 300), KSSP_OK);

	ck_assert_int_eq(kssp_keytab_find(&kt, svc, 17, 0, &en), KSSP_OK);
	ck_assert_uint_eq(en->vno, 300);
	ck_assert_int_eq(kssp_keytab_find(&kt, svc, 17, 5, &en), KSSP_OK);
	ck_assert_uint_eq(en->key[0], 2);
	ck_assert_int_eq(kssp_keytab_find(&kt, svc, 0, 5, &en), KSSP_OK);
	ck_assert_int_eq(en->keytype, 18);
	ck_assert_int_eq(kssp_keytab_find(&kt, norealm, 18, 0, &en), KSSP_OK);
	ck_assert_uint_eq(en->vno, 5);
	ck_assert_int_eq(kssp_keytab_find(&kt, svc, 23, 0, &en), KSSP_ERR_NOT_FOUND);
	ck_assert_ptr_null(en);
	ck_assert_int_eq(kssp_keytab_find(&kt, other, 0, 0, &en), KSSP_ERR_NOT_FOUND);
	ck_assert(strstr(kssp_last_reason(), "other@R.TEST") != NULL);
	ck_assert_uint_eq(kssp_keytab_max_vno(&kt, svc), 300);
	ck_assert_uint_eq(kssp_keytab_max_vno(&kt, other), 0);

	/* The kvno above 255 travels in the 32-bit field and comes back. */
	{
		struct kssp_writer w;
		struct kssp_keytab back;

		kssp_writer_init_growable(&w, 0);
		ck_assert_int_eq(kssp_keytab_encode(&kt, &w), KSSP_OK);
		ck_assert_int_eq(kssp_keytab_parse(w.buf, w.len, &back), KSSP_OK);
		ck_assert_uint_eq(back.n_entries, 4);
		ck_assert_uint_eq(back.entries[3].vno, 300);
		ck_assert_uint_eq(back.entries[3].timestamp, 300);
		ck_assert(memcmp(back.entries[2].key, k3, 32) == 0);
		kssp_keytab_free(&back);
		kssp_writer_free(&w);
	}

	ck_assert_int_eq(kssp_keytab_remove(&kt, svc, 5, 0, &removed), KSSP_OK);
	ck_assert_uint_eq(removed, 2);
	ck_assert_uint_eq(kt.n_entries, 2);
	ck_assert_int_eq(kssp_keytab_remove(&kt, svc, 5, 0, &removed), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_keytab_remove(&kt, svc, 0, 0, &removed), KSSP_OK);
	ck_assert_uint_eq(removed, 2);
	ck_assert_uint_eq(kt.n_entries, 0);
	kssp_keytab_free(&kt);
	kssp_principal_free(svc);
	kssp_principal_free(other);
	kssp_principal_free(norealm);
}
END_TEST

/* A 0x0501 entry: native (little-endian) order, realm counted, no name type. */
START_TEST(reads_version_1_and_holes)
{
	static const char v1[] =
		"0501"
		"21000000"                     /* size 33 */
		"0200" "0100" "52" "0100" "75" /* count 2 (realm + 1), realm "R", "u" */
		"10000000" "07"                /* timestamp 16, vno 7 */
		"1100" "1000" "000102030405060708090a0b0c0d0e0f"; /* aes128, 16-byte key */
	static const char v2_hole[] =
		"0502"
		"fffffffa" "000000000000"      /* a 6-byte hole */
		"00000025" "0001" "0001" "52" "0001" "75" "00000001" "00000010" "07"
		"0011" "0010" "000102030405060708090a0b0c0d0e0f" "00000000"
		"00000000" "ffff";             /* size 0 ends the list */
	uint8_t buf[128];
	struct kssp_keytab kt;
	size_t n = tu_hex(v1, buf, sizeof(buf));

	ck_assert_int_eq(kssp_keytab_parse(buf, n, &kt), KSSP_OK);
	ck_assert_uint_eq(kt.version, KSSP_KEYTAB_V1);
	ck_assert_uint_eq(kt.n_entries, 1);
	ck_assert_str_eq(kt.entries[0].principal->realm.data, "R");
	ck_assert_str_eq(kt.entries[0].principal->name_string[0].data, "u");
	ck_assert_uint_eq(kt.entries[0].vno, 7);
	ck_assert_uint_eq(kt.entries[0].timestamp, 16);
	ck_assert_int_eq(kt.entries[0].keytype, 17);
	ck_assert_uint_eq(kt.entries[0].key[15], 15);
	kssp_keytab_free(&kt);

	/* A zero 32-bit kvno leaves the 8-bit one in force. */
	n = tu_hex(v2_hole, buf, sizeof(buf));
	ck_assert_int_eq(kssp_keytab_parse(buf, n, &kt), KSSP_OK);
	ck_assert_uint_eq(kt.n_entries, 1);
	ck_assert_uint_eq(kt.entries[0].vno, 7);
	kssp_keytab_free(&kt);
}
END_TEST

/* Cut at every offset: an error or (at a record boundary) fewer entries; never more. */
START_TEST(truncated_keytab_fails_cleanly)
{
	size_t len, cut, boundaries = 0;
	uint8_t *data = load("creds/mit-all.keytab", &len);

	for (cut = 0; cut < len; cut++) {
		uint8_t *copy = kssp_malloc(cut ? cut : 1);
		struct kssp_keytab kt;
		kssp_err e;

		memcpy(copy, data, cut);
		e = kssp_keytab_parse(copy, cut, &kt);
		if (e == KSSP_OK) {
			ck_assert_uint_lt(kt.n_entries, 7);
			boundaries++;
		} else {
			ck_assert_int_eq(e, KSSP_ERR_TRUNCATED);
			ck_assert_str_ne(kssp_last_reason(), "");
			ck_assert_uint_eq(kt.n_entries, 0);
		}
		kssp_keytab_free(&kt);
		kssp_free(copy);
	}
	/* 2 bytes of version, then one boundary after each of the first 6 records. */
	ck_assert_uint_eq(boundaries, 7);
	kssp_free(data);
}
END_TEST

START_TEST(hostile_keytabs_are_refused)
{
	static const struct { const char *hex; kssp_err want; } cases[] = {
		{ "0503", KSSP_ERR_BAD_ENCODING },                  /* unknown version */
		{ "0401", KSSP_ERR_BAD_ENCODING },
		{ "05", KSSP_ERR_TRUNCATED },
		{ "0502 7fffffff 00", KSSP_ERR_TRUNCATED },         /* size past the end */
		{ "0502 80000000", KSSP_ERR_TRUNCATED },            /* hole of 2^31 */
		{ "0502 00000004 ffff 0000", KSSP_ERR_LIMIT },      /* 65535 components */
		{ "0502 00000008 0001 ffff 5252", KSSP_ERR_TRUNCATED }, /* realm past the record */
		{ "0502 0000000c 0000 0001 52 00000001 0000", KSSP_ERR_TRUNCATED },
		{ "0501 08000000 0000 0000 00000000", KSSP_ERR_BAD_ENCODING }, /* v1 count 0 */
		{ "0502 00000016 0000 0001 52 00000001 00000000 01 0011 0400 00000000",
		  KSSP_ERR_LIMIT },                                   /* 1024-byte key */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		struct kssp_keytab kt;
		char hex[128];
		size_t n, j, k = 0;

		for (j = 0; cases[i].hex[j]; j++)
			if (cases[i].hex[j] != ' ')
				hex[k++] = cases[i].hex[j];
		hex[k] = 0;
		n = tu_hex(hex, buf, sizeof(buf));
		ck_assert_msg(kssp_keytab_parse(buf, n, &kt) == cases[i].want, "case %zu: %s", i,
		    kssp_last_reason());
		ck_assert_uint_eq(kt.n_entries, 0);
	}
}
END_TEST

START_TEST(resolves_names)
{
	char *path;

	ck_assert_int_eq(kssp_keytab_resolve("FILE:/a/b", &path), KSSP_OK);
	ck_assert_str_eq(path, "/a/b");
	kssp_free(path);
	ck_assert_int_eq(kssp_keytab_resolve("WRFILE:/c", &path), KSSP_OK);
	ck_assert_str_eq(path, "/c");
	kssp_free(path);
	ck_assert_int_eq(kssp_keytab_resolve("rel/kt", &path), KSSP_OK);
	ck_assert_str_eq(path, "rel/kt");
	kssp_free(path);
	ck_assert_int_eq(kssp_keytab_resolve("MEMORY:x", &path), KSSP_ERR_UNSUPPORTED);
	ck_assert_int_eq(kssp_keytab_resolve("FILE:", &path), KSSP_ERR_INVALID_ARG);
	setenv("KRB5_KTNAME", "FILE:/env/kt", 1);
	ck_assert_int_eq(kssp_keytab_resolve(NULL, &path), KSSP_OK);
	ck_assert_str_eq(path, "/env/kt");
	kssp_free(path);
	unsetenv("KRB5_KTNAME");
	ck_assert_int_eq(kssp_keytab_resolve("", &path), KSSP_OK);
	ck_assert_str_eq(path, "/etc/krb5.keytab");
	kssp_free(path);
}
END_TEST

START_TEST(writes_atomically_with_mode_0600)
{
	static const uint8_t key[16] = { 9 };
	char dir[] = "/tmp/kssp-kt.XXXXXX", path[64];
	struct kssp_principal *p = name("u@R");
	struct kssp_keytab kt, back;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kt", dir);
	kssp_keytab_init(&kt);
	ck_assert_int_eq(kssp_keytab_read(path, &back), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, p, 1, 17, key, 16, 1), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_write(&kt, path), KSSP_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(kssp_keytab_read(path, &back), KSSP_OK);
	ck_assert_uint_eq(back.n_entries, 1);
	kssp_keytab_free(&back);
	/* A folder that does not exist: an error naming it, nothing written. */
	ck_assert_int_eq(kssp_keytab_write(&kt, "/nonexistent-kssp/kt"), KSSP_ERR_NOT_FOUND);
	ck_assert(strstr(kssp_last_reason(), "/nonexistent-kssp/kt") != NULL);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	kssp_keytab_free(&kt);
	kssp_principal_free(p);
}
END_TEST

/* Our string-to-key with the default salt gives the keys MIT's ktutil made. */
START_TEST(password_keys_match_mit)
{
	static const char password[] = "p\xc3\xa4ssw\xc3\xb6rd-\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-\xe2\x82\xac";
	struct kssp_keytab mit, ours;
	struct kssp_writer a, b;
	size_t len, i;
	uint8_t *data = load("creds/mit-password.keytab", &len);

	ck_assert_int_eq(kssp_keytab_parse(data, len, &mit), KSSP_OK);
	ck_assert_uint_eq(mit.n_entries, 7);
	kssp_keytab_init(&ours);
	for (i = 0; i < mit.n_entries; i++) {
		const struct kssp_keytab_entry *en = &mit.entries[i];

		ck_assert_int_eq(kssp_keytab_add_password(&ours, en->principal, en->vno, en->keytype,
		    password, strlen(password), NULL, 0, en->timestamp), KSSP_OK);
		ck_assert_uint_eq(ours.entries[i].key_len, en->key_len);
		ck_assert_msg(memcmp(ours.entries[i].key, en->key, en->key_len) == 0,
		    "enctype %d: key differs from MIT's", (int)en->keytype);
	}
	/* Whole files equal: ktutil writes name type 1 as we parse it. */
	kssp_writer_init_growable(&a, 0);
	kssp_writer_init_growable(&b, 0);
	ck_assert_int_eq(kssp_keytab_encode(&mit, &a), KSSP_OK);
	ck_assert_int_eq(kssp_keytab_encode(&ours, &b), KSSP_OK);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.buf, b.buf, a.len) == 0);
	kssp_writer_free(&a);
	kssp_writer_free(&b);

	/* An explicit salt is used as given; an unsupported enctype fails cleanly. */
	ck_assert_int_eq(kssp_keytab_add_password(&ours, mit.entries[0].principal, 4, 18,
	    password, strlen(password), (const uint8_t *)"other", 5, 0), KSSP_OK);
	ck_assert(memcmp(ours.entries[7].key, mit.entries[0].key, 32) != 0);
	ck_assert_int_eq(kssp_keytab_add_password(&ours, mit.entries[0].principal, 4, 16,
	    password, strlen(password), NULL, 0, 0), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_uint_eq(ours.n_entries, 8);
	ck_assert_int_eq(kssp_keytab_add_random(&ours, NULL, mit.entries[0].principal, 5, 26, 0),
	    KSSP_OK);
	ck_assert_uint_eq(ours.entries[8].key_len, 32);
	kssp_keytab_free(&mit);
	kssp_keytab_free(&ours);
	kssp_free(data);
}
END_TEST

/* Each allocation of a parse failed in turn: NOMEM, nothing leaked. */
START_TEST(survives_allocation_failure)
{
	size_t len, n;
	uint8_t *data = load("creds/mit-all.keytab", &len);

	for (n = 1; n < 1000; n++) {
		struct kssp_keytab kt;
		kssp_err e;

		kssp_alloc_fail_after(n);
		e = kssp_keytab_parse(data, len, &kt);
		kssp_alloc_fail_after(0);
		if (e == KSSP_OK) {
			ck_assert_uint_eq(kt.n_entries, 7);
			kssp_keytab_free(&kt);
			break;
		}
		ck_assert_msg(e == KSSP_ERR_NOMEM, "allocation %zu: %s", n, kssp_last_reason());
		ck_assert_uint_eq(kt.n_entries, 0);
	}
	ck_assert_uint_lt(n, 1000);
	kssp_free(data);
}
END_TEST

Suite *kssp_suite_keytab(void);
Suite *kssp_suite_keytab(void)
{
	Suite *s = suite_create("keytab");
	TCase *t = tcase_create("keytab");

	tcase_add_test(t, reads_mit_keytab);
	tcase_add_test(t, finds_best_key);
	tcase_add_test(t, reads_version_1_and_holes);
	tcase_add_test(t, truncated_keytab_fails_cleanly);
	tcase_add_test(t, hostile_keytabs_are_refused);
	tcase_add_test(t, resolves_names);
	tcase_add_test(t, writes_atomically_with_mode_0600);
	tcase_add_test(t, password_keys_match_mit);
	tcase_add_test(t, survives_allocation_failure);
	suite_add_tcase(s, t);
	return s;
}
