/* test/unit/check_ccache.c - creds/ccache and creds/credset: MIT caches, edits, malformed input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bytes_int.h"
#include "base/mem_int.h"
#include "creds/ccache_int.h"
#include "creds/credset_int.h"
#include "creds/file_int.h"
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

static void assert_name(const struct kssp_principal *p, const char *want)
{
	char *text;

	ck_assert_int_eq(kssp_principal_unparse(p, 0, &text), KSSP_OK);
	ck_assert_str_eq(text, want);
	kssp_free(text);
}

/* MIT kinit + kvno: two config entries, the TGT and two service tickets. */
START_TEST(reads_mit_v4_cache)
{
	static const char *const servers[] = {
		"krbtgt/KSSP.TEST@KSSP.TEST", "svc/host.example.test@KSSP.TEST",
		"HTTP/web.example.test@KSSP.TEST",
	};
	const struct kssp_cred_data *value;
	const struct kssp_cred *tgt;
	struct kssp_principal *tgs = name("krbtgt/KSSP.TEST@KSSP.TEST");
	struct kssp_ccache cc;
	struct kssp_writer w;
	size_t len, i, n = 0;
	uint8_t *data = load("creds/mit-v4.ccache", &len);

	ck_assert_int_eq(kssp_ccache_parse(data, len, &cc), KSSP_OK);
	ck_assert_uint_eq(cc.version, KSSP_CCACHE_V4);
	ck_assert(cc.has_time_offset);
	assert_name(cc.default_principal, "user@KSSP.TEST");
	ck_assert_uint_eq(cc.n_creds, 5);
	for (i = 0; i < cc.n_creds; i++) {
		const struct kssp_cred *c = &cc.creds[i];

		if (kssp_cred_is_config(c))
			continue;
		assert_name(c->client, "user@KSSP.TEST");
		assert_name(c->server, servers[n++]);
		ck_assert_int_eq(c->keytype, 18);
		ck_assert_uint_eq(c->keyvalue.length, 32);
		ck_assert_int_eq(c->endtime - c->starttime, 86400);
		ck_assert_int_eq(c->renew_till - c->starttime, 2 * 86400);
		ck_assert(c->ticket_flags & KSSP_TKT_FLG_FORWARDABLE);
		ck_assert(c->ticket_flags & KSSP_TKT_FLG_RENEWABLE);
		ck_assert_uint_eq(c->ticket.data[0], 0x61); /* [APPLICATION 1] Ticket */
		ck_assert_uint_eq(c->second_ticket.length, 0);
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(kssp_ccache_get_config(&cc, tgs, "fast_avail", &value), KSSP_OK);
	ck_assert_uint_eq(value->length, 3);
	ck_assert(memcmp(value->data, "yes", 3) == 0);
	ck_assert_int_eq(kssp_ccache_get_config(&cc, tgs, "pa_type", &value), KSSP_OK);
	ck_assert(memcmp(value->data, "2", 1) == 0);
	ck_assert_int_eq(kssp_ccache_get_config(&cc, NULL, "pa_type", &value),
	    KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_ccache_find(&cc, NULL, tgs, &tgt), KSSP_OK);
	ck_assert(tgt->ticket_flags & KSSP_TKT_FLG_INITIAL);

	/* Re-encoding MIT's cache gives MIT's bytes. */
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_ccache_encode(&cc, &w), KSSP_OK);
	ck_assert_uint_eq(w.len, len);
	ck_assert(memcmp(w.buf, data, len) == 0);
	kssp_writer_free(&w);
	kssp_ccache_free(&cc);
	kssp_principal_free(tgs);
	kssp_free(data);
}
END_TEST

START_TEST(reads_mit_v3_cache)
{
	struct kssp_ccache cc;
	size_t len, i;
	bool found = false;
	uint8_t *data = load("creds/mit-v3.ccache", &len);

	ck_assert_int_eq(kssp_ccache_parse(data, len, &cc), KSSP_OK);
	ck_assert_uint_eq(cc.version, KSSP_CCACHE_V3);
	ck_assert(!cc.has_time_offset);
	assert_name(cc.default_principal, "user@KSSP.TEST");
	for (i = 0; i < cc.n_creds; i++) {
		if (kssp_cred_is_config(&cc.creds[i]))
			continue;
		assert_name(cc.creds[i].server, "krbtgt/KSSP.TEST@KSSP.TEST");
		ck_assert_int_eq(cc.creds[i].keytype, 18);
		found = true;
	}
	ck_assert(found);
	kssp_ccache_free(&cc);
	kssp_free(data);
}
END_TEST

static void make_cred(struct kssp_cred *c, const char *client, const char *server,
    int64_t end, uint8_t tag)
{
	uint8_t key[16], tkt[4] = { 0x61, 0x02, 0x30, tag };

	memset(c, 0, sizeof(*c));
	memset(key, tag, sizeof(key));
	c->client = name(client);
	c->server = name(server);
	c->keytype = 17;
	ck_assert_int_eq(kssp_cred_data_set(&c->keyvalue, key, sizeof(key)), KSSP_OK);
	c->authtime = c->starttime = 1000;
	c->endtime = end;
	c->renew_till = 0;
	c->ticket_flags = KSSP_TKT_FLG_FORWARDABLE | KSSP_TKT_FLG_PRE_AUTHENT;
	ck_assert_int_eq(kssp_cred_data_set(&c->ticket, tkt, sizeof(tkt)), KSSP_OK);
}

START_TEST(edits_keep_config_entries)
{
	struct kssp_principal *svc = name("svc/host.example.test@KSSP.TEST");
	const struct kssp_cred_data *value;
	const struct kssp_cred *found;
	struct kssp_ccache cc, back;
	struct kssp_cred a, b;
	struct kssp_writer w;
	size_t len, removed;
	uint8_t *data = load("creds/mit-v4.ccache", &len);

	ck_assert_int_eq(kssp_ccache_parse(data, len, &cc), KSSP_OK);
	make_cred(&a, "user@KSSP.TEST", "new/svc@KSSP.TEST", 5000, 0xa1);
	make_cred(&b, "user@KSSP.TEST", "svc/host.example.test@KSSP.TEST", 6000, 0xb2);
	ck_assert_int_eq(kssp_ccache_add(&cc, &a), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_replace(&cc, &b), KSSP_OK);
	ck_assert_uint_eq(cc.n_creds, 6);
	ck_assert_int_eq(kssp_ccache_set_config(&cc, NULL, "refresh_time", "1234", 4), KSSP_OK);
	ck_assert_uint_eq(cc.n_creds, 7);

	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_ccache_encode(&cc, &w), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_parse(w.buf, w.len, &back), KSSP_OK);
	kssp_writer_free(&w);
	ck_assert_uint_eq(back.n_creds, 7);
	ck_assert_int_eq(kssp_ccache_find(&back, NULL, svc, &found), KSSP_OK);
	ck_assert_int_eq(found->endtime, 6000);
	ck_assert_uint_eq(found->ticket.data[3], 0xb2);
	ck_assert_int_eq(kssp_ccache_get_config(&back, NULL, "refresh_time", &value), KSSP_OK);
	ck_assert(memcmp(value->data, "1234", 4) == 0);
	ck_assert_int_eq(kssp_ccache_get_config(&back, NULL, "fast_avail", &value),
	    KSSP_ERR_NOT_FOUND);
	ck_assert_uint_eq(kssp_cred_is_config(&back.creds[0]), true);
	ck_assert_uint_eq(kssp_cred_is_config(&back.creds[1]), true);

	ck_assert_int_eq(kssp_ccache_remove(&back, svc, &removed), KSSP_OK);
	ck_assert_uint_eq(removed, 1);
	ck_assert_int_eq(kssp_ccache_find(&back, NULL, svc, &found), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_ccache_remove(&back, svc, &removed), KSSP_ERR_NOT_FOUND);
	ck_assert_uint_eq(back.n_creds, 6);

	kssp_ccache_free(&back);
	kssp_ccache_free(&cc);
	kssp_cred_clear(&a);
	kssp_cred_clear(&b);
	kssp_principal_free(svc);
	kssp_free(data);
}
END_TEST

/* Every cut is an error, except exactly after a whole credential. */
START_TEST(truncated_cache_fails_cleanly)
{
	static const char *const files[] = { "creds/mit-v4.ccache", "creds/mit-v3.ccache" };
	size_t f;

	for (f = 0; f < 2; f++) {
		size_t len, cut, whole = 0;
		uint8_t *data = load(files[f], &len);

		for (cut = 0; cut < len; cut++) {
			uint8_t *copy = kssp_malloc(cut ? cut : 1);
			struct kssp_ccache cc;
			kssp_err e;

			memcpy(copy, data, cut);
			e = kssp_ccache_parse(copy, cut, &cc);
			if (e == KSSP_OK) {
				whole++;
			} else {
				ck_assert_msg(e == KSSP_ERR_TRUNCATED, "cut %zu: %s", cut,
				    kssp_last_reason());
				ck_assert_ptr_null(cc.default_principal);
				ck_assert_uint_eq(cc.n_creds, 0);
			}
			kssp_ccache_free(&cc);
			kssp_free(copy);
		}
		ck_assert_uint_ge(whole, 2);
		kssp_free(data);
	}
}
END_TEST

START_TEST(hostile_caches_are_refused)
{
	static const struct { const char *hex; kssp_err want; } cases[] = {
		{ "0505", KSSP_ERR_UNSUPPORTED },       /* unknown version */
		{ "0502", KSSP_ERR_UNSUPPORTED },       /* native-order versions 1 and 2 */
		{ "1234", KSSP_ERR_BAD_ENCODING },
		{ "0504 0008 00010004", KSSP_ERR_TRUNCATED }, /* header tag past the header */
		{ "0504 0000 00000001 7fffffff", KSSP_ERR_LIMIT }, /* 2^31 components */
		{ "0504 0000 00000001 00000000 7fffffff", KSSP_ERR_LIMIT }, /* realm length */
		{ "0504 0000 00000001 00000000 00000002 52", KSSP_ERR_TRUNCATED },
		/* client, server, key, times, flags, then 2^31 addresses */
		{ "0504 0000 00000001 00000000 00000000"
		  "00000001 00000000 00000000" "00000001 00000000 00000000"
		  "0011 00000000" "00000000 00000000 00000000 00000000" "00" "00000000"
		  "80000000", KSSP_ERR_LIMIT },
		{ "0504 0000 00000001 00000000 00000000"
		  "00000001 00000000 00000000" "00000001 00000000 00000000"
		  "0011 00000000" "00000000 00000000 00000000 00000000" "00" "00000000"
		  "00000000 00000000 ffffffff", KSSP_ERR_LIMIT }, /* 4 GiB ticket */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[128];
		struct kssp_ccache cc;
		char hex[256];
		size_t n, j, k = 0;

		for (j = 0; cases[i].hex[j]; j++)
			if (cases[i].hex[j] != ' ')
				hex[k++] = cases[i].hex[j];
		hex[k] = 0;
		n = tu_hex(hex, buf, sizeof(buf));
		ck_assert_msg(kssp_ccache_parse(buf, n, &cc) == cases[i].want, "case %zu: %s", i,
		    kssp_last_reason());
		ck_assert_uint_eq(cc.n_creds, 0);
		ck_assert_ptr_null(cc.default_principal);
	}
}
END_TEST

START_TEST(resolves_names)
{
	static const char *const unsupported[] = {
		"DIR:/tmp/x", "KEYRING:persistent:0", "KCM:", "MEMORY:m", "API:x",
	};
	char *path, want[64];
	size_t i;

	ck_assert_int_eq(kssp_ccache_resolve("FILE:/tmp/cc", &path), KSSP_OK);
	ck_assert_str_eq(path, "/tmp/cc");
	kssp_free(path);
	ck_assert_int_eq(kssp_ccache_resolve("/tmp/bare", &path), KSSP_OK);
	ck_assert_str_eq(path, "/tmp/bare");
	kssp_free(path);
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		ck_assert_int_eq(kssp_ccache_resolve(unsupported[i], &path), KSSP_ERR_UNSUPPORTED);
		ck_assert(strstr(kssp_last_reason(), "cache type not supported") != NULL);
	}
	setenv("KRB5CCNAME", "FILE:/env/cc", 1);
	ck_assert_int_eq(kssp_ccache_resolve(NULL, &path), KSSP_OK);
	ck_assert_str_eq(path, "/env/cc");
	kssp_free(path);
	unsetenv("KRB5CCNAME");
	ck_assert_int_eq(kssp_ccache_resolve(NULL, &path), KSSP_OK);
	snprintf(want, sizeof(want), "/tmp/krb5cc_%lu", (unsigned long)getuid());
	ck_assert_str_eq(path, want);
	kssp_free(path);
}
END_TEST

START_TEST(store_and_destroy_files)
{
	char dir[] = "/tmp/kssp-cc.XXXXXX", path[64];
	struct kssp_principal *user = name("user@R");
	struct kssp_ccache cc;
	struct kssp_cred a, b;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cc", dir);
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_write(&cc, path), KSSP_ERR_INVALID_ARG);
	ck_assert_int_eq(kssp_ccache_reset(&cc, user), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, path), KSSP_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	kssp_ccache_free(&cc);

	make_cred(&a, "user@R", "krbtgt/R@R", 5000, 1);
	make_cred(&b, "user@R", "krbtgt/R@R", 7000, 2);
	ck_assert_int_eq(kssp_ccache_store(path, &a), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_store(path, &b), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_read(path, &cc), KSSP_OK);
	ck_assert_uint_eq(cc.n_creds, 1);
	ck_assert_int_eq(cc.creds[0].endtime, 7000);
	kssp_ccache_free(&cc);

	ck_assert_int_eq(kssp_ccache_destroy(path), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_destroy(path), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_ccache_read(path, &cc), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(kssp_ccache_store(path, &a), KSSP_ERR_NOT_FOUND);
	ck_assert_int_eq(rmdir(dir), 0);
	kssp_cred_clear(&a);
	kssp_cred_clear(&b);
	kssp_principal_free(user);
}
END_TEST

/* Processes storing into one cache at once: every credential arrives (the fcntl lock). */
START_TEST(concurrent_stores_lose_nothing)
{
	enum { WRITERS = 4, EACH = 6 };
	char dir[] = "/tmp/kssp-cc.XXXXXX", path[64];
	struct kssp_principal *user = name("user@R");
	struct kssp_ccache cc;
	int w, status;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cc", dir);
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_reset(&cc, user), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, path), KSSP_OK);
	kssp_ccache_free(&cc);
	for (w = 0; w < WRITERS; w++) {
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			int i, bad = 0;

			for (i = 0; i < EACH; i++) {
				struct kssp_cred c;
				char server[32];

				snprintf(server, sizeof(server), "svc%d/h%d@R", w, i);
				make_cred(&c, "user@R", server, 5000, (uint8_t)i);
				bad |= kssp_ccache_store(path, &c) != KSSP_OK;
				kssp_cred_clear(&c);
			}
			_exit(bad);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_gt(wait(&status), 0);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(kssp_ccache_read(path, &cc), KSSP_OK);
	ck_assert_uint_eq(cc.n_creds, WRITERS * EACH);
	kssp_ccache_free(&cc);
	ck_assert_int_eq(kssp_ccache_destroy(path), KSSP_OK);
	ck_assert_int_eq(rmdir(dir), 0);
	kssp_principal_free(user);
}
END_TEST

START_TEST(credset_lookups)
{
	struct kssp_principal *svc = name("svc/h@R"), *user = name("user@R");
	struct kssp_credset set;
	struct kssp_cred t1, t2, cross, s1, s2, conf;
	const struct kssp_cred *c;

	kssp_credset_init(&set);
	make_cred(&t1, "user@R", "krbtgt/R@R", 5000, 1);
	make_cred(&cross, "user@R", "krbtgt/S@R", 9000, 2);
	make_cred(&t2, "user@R", "krbtgt/S@S", 6000, 3);
	make_cred(&s1, "user@R", "svc/h@R", 3000, 4);
	make_cred(&s2, "user@R", "svc/h@R", 8000, 5);
	make_cred(&conf, "user@R", "krb5_ccache_conf_data/pa_type@X-CACHECONF:", 0, 6);
	ck_assert_int_eq(kssp_credset_put(&set, &t1), KSSP_OK);
	ck_assert_int_eq(kssp_credset_put(&set, &cross), KSSP_OK);
	ck_assert_int_eq(kssp_credset_put(&set, &t2), KSSP_OK);
	ck_assert_int_eq(kssp_credset_put(&set, &s1), KSSP_OK);
	ck_assert_int_eq(kssp_credset_put(&set, &s2), KSSP_OK); /* replaces s1 */
	ck_assert_int_eq(kssp_credset_put(&set, &conf), KSSP_ERR_INVALID_ARG);
	ck_assert_uint_eq(set.n_creds, 4);

	c = kssp_credset_find(&set, user, svc, 4000);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->endtime, 8000);
	ck_assert_ptr_null(kssp_credset_find(&set, NULL, svc, 8000));
	c = kssp_credset_find_tgt(&set, user, "R", 100);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->endtime, 5000);
	/* krbtgt/S@S is preferred over the longer-lived cross-realm krbtgt/S@R ... */
	c = kssp_credset_find_tgt(&set, NULL, "S", 100);
	ck_assert_int_eq(c->endtime, 6000);
	/* ... until it expires. */
	c = kssp_credset_find_tgt(&set, NULL, "S", 6000);
	ck_assert_int_eq(c->endtime, 9000);
	ck_assert_ptr_null(kssp_credset_find_tgt(&set, NULL, "T", 100));

	ck_assert_uint_eq(kssp_credset_expire(&set, 5500), 1);
	ck_assert_ptr_null(kssp_credset_find_tgt(&set, NULL, "R", 100));
	ck_assert_uint_eq(kssp_credset_remove(&set, svc), 1);
	ck_assert_uint_eq(set.n_creds, 2);
	kssp_credset_free(&set);

	kssp_cred_clear(&t1);
	kssp_cred_clear(&t2);
	kssp_cred_clear(&cross);
	kssp_cred_clear(&s1);
	kssp_cred_clear(&s2);
	kssp_cred_clear(&conf);
	kssp_principal_free(svc);
	kssp_principal_free(user);
}
END_TEST

START_TEST(credset_loads_a_cache)
{
	struct kssp_principal *user = name("user@KSSP.TEST");
	struct kssp_credset set;
	struct kssp_ccache cc;
	size_t len;
	uint8_t *data = load("creds/mit-v4.ccache", &len);

	ck_assert_int_eq(kssp_ccache_parse(data, len, &cc), KSSP_OK);
	kssp_credset_init(&set);
	ck_assert_int_eq(kssp_credset_load_ccache(&set, &cc), KSSP_OK);
	ck_assert_uint_eq(set.n_creds, 3);
	ck_assert_ptr_nonnull(kssp_credset_find_tgt(&set, user, "KSSP.TEST", 0));
	kssp_credset_free(&set);
	kssp_ccache_free(&cc);
	kssp_principal_free(user);
	kssp_free(data);
}
END_TEST

START_TEST(flags_string_like_mit)
{
	char buf[20];

	kssp_cred_flags_string(KSSP_TKT_FLG_FORWARDABLE | KSSP_TKT_FLG_RENEWABLE |
	    KSSP_TKT_FLG_INITIAL | KSSP_TKT_FLG_PRE_AUTHENT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "FRIA");
	kssp_cred_flags_string(0xffffffffu, buf, sizeof(buf));
	ck_assert_str_eq(buf, "FfPpDdiRIHATOa");
	kssp_cred_flags_string(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* Each allocation of a parse and of an edit failed in turn: NOMEM, nothing leaked. */
START_TEST(survives_allocation_failure)
{
	size_t len, n;
	uint8_t *data = load("creds/mit-v4.ccache", &len);
	struct kssp_cred extra;

	make_cred(&extra, "user@KSSP.TEST", "new/svc@KSSP.TEST", 5000, 7);
	for (n = 1; n < 1000; n++) {
		struct kssp_ccache cc;
		kssp_err e;

		kssp_alloc_fail_after(n);
		e = kssp_ccache_parse(data, len, &cc);
		if (!e)
			e = kssp_ccache_replace(&cc, &extra);
		kssp_alloc_fail_after(0);
		kssp_ccache_free(&cc);
		if (e == KSSP_OK)
			break;
		ck_assert_msg(e == KSSP_ERR_NOMEM, "allocation %zu: %s", n, kssp_last_reason());
	}
	ck_assert_uint_lt(n, 1000);
	kssp_cred_clear(&extra);
	kssp_free(data);
}
END_TEST

Suite *kssp_suite_ccache(void);
Suite *kssp_suite_ccache(void)
{
	Suite *s = suite_create("ccache");
	TCase *t = tcase_create("ccache");

	tcase_add_test(t, reads_mit_v4_cache);
	tcase_add_test(t, reads_mit_v3_cache);
	tcase_add_test(t, edits_keep_config_entries);
	tcase_add_test(t, truncated_cache_fails_cleanly);
	tcase_add_test(t, hostile_caches_are_refused);
	tcase_add_test(t, resolves_names);
	tcase_add_test(t, store_and_destroy_files);
	tcase_add_test(t, concurrent_stores_lose_nothing);
	tcase_add_test(t, credset_lookups);
	tcase_add_test(t, credset_loads_a_cache);
	tcase_add_test(t, flags_string_like_mit);
	tcase_add_test(t, survives_allocation_failure);
	suite_add_tcase(s, t);
	return s;
}
