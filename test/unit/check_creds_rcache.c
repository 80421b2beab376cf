/*
 * test/unit/check_creds_rcache.c - MIT's file2 replay cache
 * (creds/rcache_int.h): a file written by MIT's own library
 * (fixtures/creds/mit.rcache2, made by test/interop/mit_rcstore.c with the
 * tags tag_of(1..300)) read by kssp, the records kssp writes, corrupt
 * files, the names MIT gives caches and the tag MIT keeps.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err_int.h"
#include "creds/rcache_int.h"
#include "testutil.h"

#define NOW 1800000000u
#define SKEW 300u

/* The fixture's i-th tag: i * 2654435761 as 24 hex digits. */
static void tag_of(unsigned i, uint8_t tag[KSSP_RCFILE_TAG_LEN])
{
	char hex[32];

	snprintf(hex, sizeof(hex), "%024llx", (unsigned long long)i * 2654435761ull);
	ck_assert_uint_eq(tu_hex(hex, tag, KSSP_RCFILE_TAG_LEN), KSSP_RCFILE_TAG_LEN);
}

/* A temp file holding len bytes of data, open read-write; its name in path. */
static int temp_file(char path[64], const uint8_t *data, size_t len)
{
	static const char template[] = "/tmp/kssp-rcache-XXXXXX"; /* mkstemp fills the Xs */
	int fd;

	memcpy(path, template, sizeof(template));
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	return fd;
}

static off_t file_size(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return st.st_size;
}

static int fixture_copy(char path[64])
{
	static uint8_t buf[65536];
	FILE *f = fopen(tu_fixture("creds/mit.rcache2"), "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_gt(n, 16 + 1023 * 16); /* MIT's second table is in use */
	return temp_file(path, buf, n);
}

START_TEST(mit_written_tags_are_replays)
{
	uint8_t tag[KSSP_RCFILE_TAG_LEN];
	char path[64];
	int fd = fixture_copy(path);
	off_t size = file_size(fd);
	unsigned i;

	for (i = 1; i <= 300; i++) {
		tag_of(i, tag);
		ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW, SKEW, NULL), KRB_AP_ERR_REPEAT);
	}
	ck_assert_int_eq(file_size(fd), size);
	/* New tags are stored (MIT's expired records reused or new ones) and then seen. */
	for (i = 301; i <= 400; i++) {
		tag_of(i, tag);
		ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW, SKEW, NULL), KSSP_OK);
		ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW, SKEW, NULL), KRB_AP_ERR_REPEAT);
	}
	close(fd);
	unlink(path);
}
END_TEST

/* kssp's record: the tag and the big-endian store time, at a 16-byte slot after the seed. */
START_TEST(kssp_record_layout)
{
	static const uint8_t want_stamp[4] = { 0x6b, 0x49, 0xd2, 0x00 }; /* NOW */
	uint8_t tag[KSSP_RCFILE_TAG_LEN], rec[16];
	char path[64];
	int fd = temp_file(path, NULL, 0);
	off_t size, at;

	tag_of(7, tag);
	ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW, SKEW, NULL), KSSP_OK);
	size = file_size(fd);
	ck_assert_int_ge(size, 32);
	ck_assert_int_le(size, 16 + 1023 * 16);
	ck_assert_int_eq((size - 16) % 16, 0);
	/* The file ends with the one record written (all before it are empty). */
	at = size - 16;
	ck_assert_int_eq(pread(fd, rec, sizeof(rec), at), 16);
	ck_assert_mem_eq(rec, tag, KSSP_RCFILE_TAG_LEN);
	ck_assert_mem_eq(rec + 12, want_stamp, 4);
	ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW + 1000, SKEW, NULL),
	    KRB_AP_ERR_REPEAT);
	close(fd);
	unlink(path);
}
END_TEST

/* A seed or a record cut short, a trailing byte: refused, the file left as it is. */
START_TEST(corrupt_files_are_refused)
{
	static const size_t cuts[] = { 1, 15, 17, 31, 33 };
	uint8_t data[64] = { 1, 2, 3 }, tag[KSSP_RCFILE_TAG_LEN], back[64];
	char path[64];
	size_t k;
	int fd;

	tag_of(1, tag);
	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		fd = temp_file(path, data, cuts[k]);
		ck_assert_int_eq(kssp_rcfile_store_fd(fd, path, tag, NOW, SKEW, NULL), KSSP_ERR_IO);
		ck_assert_ptr_nonnull(strstr(kssp_last_reason(), path));
		ck_assert_int_eq(file_size(fd), (off_t)cuts[k]);
		ck_assert_int_eq(pread(fd, back, cuts[k], 0), (ssize_t)cuts[k]);
		ck_assert_mem_eq(back, data, cuts[k]);
		close(fd);
		unlink(path);
	}
}
END_TEST

START_TEST(names_as_mit_reads_them)
{
	struct kssp_rcname rc;
	char want[128];

	unsetenv("KRB5RCACHENAME");
	unsetenv("KRB5RCACHETYPE");
	ck_assert_int_eq(kssp_rcname_resolve(NULL, &rc), KSSP_OK);
	ck_assert_int_eq(rc.kind, KSSP_RCNAME_MEMORY);
	ck_assert_int_eq(kssp_rcname_resolve("file2:/x/rc", &rc), KSSP_OK);
	ck_assert_int_eq(rc.kind, KSSP_RCNAME_FILE);
	ck_assert_str_eq(rc.path, "/x/rc");
	kssp_rcname_free(&rc);
	ck_assert_int_eq(kssp_rcname_resolve("/x/a:b", &rc), KSSP_OK);
	ck_assert_str_eq(rc.path, "/x/a:b");
	kssp_rcname_free(&rc);
	ck_assert_int_eq(kssp_rcname_resolve("none:", &rc), KSSP_OK);
	ck_assert_int_eq(rc.kind, KSSP_RCNAME_NONE);
	setenv("KRB5RCACHEDIR", "/d", 1);
	ck_assert_int_eq(kssp_rcname_resolve("dfl:", &rc), KSSP_OK);
	ck_assert_int_eq(rc.kind, KSSP_RCNAME_DFL);
	snprintf(want, sizeof(want), "/d/krb5_%lu.rcache2", (unsigned long)geteuid());
	ck_assert_str_eq(rc.path, want);
	kssp_rcname_free(&rc);
	unsetenv("KRB5RCACHEDIR");
	ck_assert_int_eq(kssp_rcname_resolve("mem:", &rc), KSSP_ERR_UNSUPPORTED);
	ck_assert_int_eq(kssp_rcname_resolve("file2:", &rc), KSSP_ERR_INVALID_ARG);
	/* No name: KRB5RCACHENAME, then KRB5RCACHETYPE. */
	setenv("KRB5RCACHETYPE", "none", 1);
	ck_assert_int_eq(kssp_rcname_resolve(NULL, &rc), KSSP_OK);
	ck_assert_int_eq(rc.kind, KSSP_RCNAME_NONE);
	setenv("KRB5RCACHENAME", "file2:/y", 1);
	ck_assert_int_eq(kssp_rcname_resolve(NULL, &rc), KSSP_OK);
	ck_assert_str_eq(rc.path, "/y");
	kssp_rcname_free(&rc);
	unsetenv("KRB5RCACHENAME");
	unsetenv("KRB5RCACHETYPE");
}
END_TEST

/* The enctype's checksum at the end of the ciphertext, its first 12 bytes. */
START_TEST(tag_is_the_checksum)
{
	uint8_t cipher[64], tag[KSSP_RCFILE_TAG_LEN];
	size_t i;

	for (i = 0; i < sizeof(cipher); i++)
		cipher[i] = (uint8_t)i;
	ck_assert_int_eq(kssp_rcfile_tag(18, cipher, sizeof(cipher), tag), KSSP_OK);
	ck_assert_mem_eq(tag, cipher + 64 - 12, 12);
	ck_assert_int_eq(kssp_rcfile_tag(23, cipher, sizeof(cipher), tag), KSSP_OK);
	ck_assert_mem_eq(tag, cipher + 64 - 16, 12);
	ck_assert_int_eq(kssp_rcfile_tag(20, cipher, sizeof(cipher), tag), KSSP_OK);
	ck_assert_mem_eq(tag, cipher + 64 - 24, 12);
	ck_assert_int_ne(kssp_rcfile_tag(18, cipher, 11, tag), KSSP_OK);
}
END_TEST

Suite *kssp_suite_creds_rcache(void);
Suite *kssp_suite_creds_rcache(void)
{
	Suite *s = suite_create("creds_rcache");
	TCase *tc = tcase_create("file2");

	tcase_add_test(tc, mit_written_tags_are_replays);
	tcase_add_test(tc, kssp_record_layout);
	tcase_add_test(tc, corrupt_files_are_refused);
	tcase_add_test(tc, names_as_mit_reads_them);
	tcase_add_test(tc, tag_is_the_checksum);
	suite_add_tcase(s, tc);
	return s;
}
