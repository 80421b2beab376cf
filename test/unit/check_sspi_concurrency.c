/*
 * test/unit/check_sspi_concurrency.c - two threads calling
 * InitializeSecurityContext on one credential for two different services
 * while the KDC is slow wait for it side by side: the credential's lock is
 * not held across the TGS round trip (kdc/getcreds_int.h).
 *
 * The credential is backed by a cache holding a TGT; the KDC is a
 * transport hook that counts the requests in flight and holds each one
 * until a second one arrives (or a safety bound passes, so that a
 * serialised credential fails the test instead of hanging it).  The test
 * asserts the overlap reached, never a duration.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "creds/ccache_int.h"
#include "creds/cred_int.h"
#include "creds/principal_int.h"
#include "kssp/kssp.h"
#include "kssp/sspi.h"

#define NOW 1795000000
/* How long a request waits for its partner before going on alone. */
#define PARTNER_WAIT_SEC 10

struct slow_kdc {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int in_flight, most_in_flight, requests;
};

static struct slow_kdc kdc = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };

/* Holds each request until two are in flight together, then refuses it (no KDC). */
static int slow_transport(void *arg, const char *realm, const uint8_t *req, size_t len,
    int tcp_only, uint8_t **reply, size_t *reply_len)
{
	struct slow_kdc *k = arg;
	struct timespec until;

	(void)realm, (void)req, (void)len, (void)tcp_only, (void)reply, (void)reply_len;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PARTNER_WAIT_SEC;
	pthread_mutex_lock(&k->lock);
	k->requests++;
	k->in_flight++;
	if (k->in_flight > k->most_in_flight)
		k->most_in_flight = k->in_flight;
	pthread_cond_broadcast(&k->changed);
	while (k->most_in_flight < 2 &&
	    pthread_cond_timedwait(&k->changed, &k->lock, &until) == 0)
		;
	k->in_flight--;
	pthread_mutex_unlock(&k->lock);
	return -1;
}

static int fixed_clock(void *arg, int64_t *sec, int32_t *usec)
{
	(void)arg;
	*sec = NOW;
	*usec = 0;
	return 0;
}

static char dir[64], conf_path[96], cc_path[96];

/* A Ticket for krbtgt/A.TEST@A.TEST (the KDC never opens it: DER only). */
static const uint8_t tgt_ticket[] = {
	0x61, 0x3f, 0x30, 0x3d, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x08, 0x1b, 0x06, 'A',
	'.', 'T', 'E', 'S', 'T', 0xa2, 0x1b, 0x30, 0x19, 0xa0, 0x03, 0x02, 0x01, 0x02, 0xa1,
	0x12, 0x30, 0x10, 0x1b, 0x06, 'k', 'r', 'b', 't', 'g', 't', 0x1b, 0x06, 'A', '.',
	'T', 'E', 'S', 'T', 0xa3, 0x0f, 0x30, 0x0d, 0xa0, 0x03, 0x02, 0x01, 0x12, 0xa2, 0x06,
	0x04, 0x04, 0, 0, 0, 0,
};

/* krb5.conf and a cache holding alice's TGT, valid at NOW. */
static void write_files(void)
{
	static const char conf[] = "[libdefaults]\n default_realm = A.TEST\n"
	    " dns_lookup_kdc = false\n dns_lookup_realm = false\n";
	struct kssp_ccache cc;
	struct kssp_cred tgt;
	uint8_t key[32];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/kssp-conc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf_path, sizeof(conf_path), "%s/krb5.conf", dir);
	snprintf(cc_path, sizeof(cc_path), "%s/cc", dir);
	f = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(conf, f);
	ck_assert_int_eq(fclose(f), 0);
	memset(&tgt, 0, sizeof(tgt));
	memset(key, 0x11, sizeof(key));
	ck_assert_int_eq(kssp_principal_parse("alice@A.TEST", 0, NULL, &tgt.client), KSSP_OK);
	ck_assert_int_eq(kssp_principal_parse("krbtgt/A.TEST@A.TEST", 0, NULL, &tgt.server), KSSP_OK);
	tgt.keytype = 18;
	ck_assert_int_eq(kssp_cred_data_set(&tgt.keyvalue, key, sizeof(key)), KSSP_OK);
	ck_assert_int_eq(kssp_cred_data_set(&tgt.ticket, tgt_ticket, sizeof(tgt_ticket)), KSSP_OK);
	tgt.authtime = tgt.starttime = NOW;
	tgt.endtime = NOW + 36000;
	tgt.ticket_flags = KSSP_TKT_FLG_FORWARDABLE | KSSP_TKT_FLG_INITIAL;
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_reset(&cc, tgt.client), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_add(&cc, &tgt), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, cc_path), KSSP_OK);
	kssp_ccache_free(&cc);
	kssp_cred_clear(&tgt);
}

static void remove_files(void)
{
	unlink(conf_path);
	unlink(cc_path);
	rmdir(dir);
}

struct isc_call {
	CredHandle *cred;
	const char *target;
	SECURITY_STATUS status;
};

static void *isc_thread(void *arg)
{
	struct isc_call *c = arg;
	uint8_t tok[4096];
	SecBuffer ob = { sizeof(tok), SECBUFFER_TOKEN, tok };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
	CtxtHandle ctx;
	ULONG attr;

	c->status = InitializeSecurityContextA(c->cred, NULL, (SEC_CHAR *)c->target,
	    ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &od, &attr, NULL);
	if (c->status >= 0)
		DeleteSecurityContext(&ctx);
	return NULL;
}

START_TEST(isc_on_one_credential_overlaps_at_the_kdc)
{
	struct isc_call calls[2];
	pthread_t threads[2];
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	int i;

	write_files();
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_2;
	ad.Length = sizeof(ad);
	ad.Krb5Conf = conf_path;
	ad.Ccache = cc_path;
	ad.Clock = fixed_clock;
	ad.Transport = slow_transport;
	ad.TransportArg = &kdc;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
	    &ad, NULL, NULL, &cred, NULL), SEC_E_OK);
	calls[0] = (struct isc_call){ &cred, "HTTP/one.a.test@A.TEST", SEC_E_OK };
	calls[1] = (struct isc_call){ &cred, "HTTP/two.a.test@A.TEST", SEC_E_OK };
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, isc_thread, &calls[i]), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
	ck_assert_int_eq(FreeCredentialsHandle(&cred), SEC_E_OK);
	remove_files();
	pthread_mutex_lock(&kdc.lock);
	/* Both asked the KDC (the TGT came from the cache), and were in flight together. */
	ck_assert_int_ge(kdc.requests, 2);
	ck_assert_int_eq(kdc.most_in_flight, 2);
	pthread_mutex_unlock(&kdc.lock);
	/* The KDC never answered: each call fails with the KDC's absence, not a lock's. */
	ck_assert_int_eq(calls[0].status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
	ck_assert_int_eq(calls[1].status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
}
END_TEST

Suite *kssp_suite_sspi_concurrency(void);
Suite *kssp_suite_sspi_concurrency(void)
{
	Suite *s = suite_create("sspi_concurrency");
	TCase *tc = tcase_create("kdc_round_trips");

	tcase_set_timeout(tc, 4 * PARTNER_WAIT_SEC);
	tcase_add_test(tc, isc_on_one_credential_overlaps_at_the_kdc);
	suite_add_tcase(s, tc);
	return s;
}
