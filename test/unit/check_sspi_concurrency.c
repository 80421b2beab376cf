/*
 * test/unit/check_sspi_concurrency.c - two threads calling
 * InitializeSecurityContext on one credential for two different services
 * while the KDC is slow wait for it side by side: the credential's lock is
 * not held across the TGS round trip (kdc/getcreds_int.h).  Two threads
 * calling AcceptSecurityContext on one INBOUND credential with the same
 * AP-REQ run side by side, and the replay cache lets exactly one of them
 * through (RFC 4120 §3.2.3).
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

#include "asn1/krb5_int.h"
#include "creds/ccache_int.h"
#include "creds/cred_int.h"
#include "creds/keytab_int.h"
#include "creds/principal_int.h"
#include "crypto/crypto.h"
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

/* ---- one AP-REQ accepted from two threads ---- */

#define SERVICE "svc/host.a.test@A.TEST"
#define ROUNDS 50

static char kt_path[96], svc_cc_path[96];

/*
 * Holds each clock reading of an armed acceptor until a second thread
 * reads it too (or a safety bound passes): the accepts of a round overlap
 * exactly when both are in flight at once, which a credential locked
 * across the accept would never allow.
 */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool armed;
	int in_flight, most_in_flight;
};

static struct gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, 0 };

static int gated_clock(void *arg, int64_t *sec, int32_t *usec)
{
	struct gate *g = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PARTNER_WAIT_SEC;
	pthread_mutex_lock(&g->lock);
	if (g->armed && g->most_in_flight < 2) {
		g->in_flight++;
		if (g->in_flight > g->most_in_flight)
			g->most_in_flight = g->in_flight;
		pthread_cond_broadcast(&g->changed);
		while (g->most_in_flight < 2 &&
		    pthread_cond_timedwait(&g->changed, &g->lock, &until) == 0)
			;
		g->in_flight--;
	}
	pthread_mutex_unlock(&g->lock);
	return fixed_clock(NULL, sec, usec);
}

/* SERVICE's aes256 key (vno 2) in a keytab, and a cache holding alice's ticket to it. */
static void write_service_files(void)
{
	static const struct kssp_hooks no_hooks;
	struct kssp_der_bytes cname[1] = { { (const uint8_t *)"alice", 5 } };
	struct kssp_der_bytes sname[2] = { { (const uint8_t *)"svc", 3 },
		{ (const uint8_t *)"host.a.test", 11 } };
	struct kssp_enc_ticket_part part;
	struct kssp_ticket tkt;
	struct kssp_writer w, tw;
	struct kssp_keytab kt;
	struct kssp_ccache cc;
	struct kssp_cred svc;
	struct kssp_key skey;
	uint8_t kbytes[32], sbytes[32], cipher[512];
	size_t clen = 0;

	write_files();
	snprintf(kt_path, sizeof(kt_path), "%s/kt", dir);
	snprintf(svc_cc_path, sizeof(svc_cc_path), "%s/svc-cc", dir);
	memset(kbytes, 0x33, sizeof(kbytes));
	memset(sbytes, 0x44, sizeof(sbytes));
	memset(&svc, 0, sizeof(svc));
	ck_assert_int_eq(kssp_principal_parse("alice@A.TEST", 0, NULL, &svc.client), KSSP_OK);
	ck_assert_int_eq(kssp_principal_parse(SERVICE, 0, NULL, &svc.server), KSSP_OK);
	kssp_keytab_init(&kt);
	ck_assert_int_eq(kssp_keytab_add_key(&kt, svc.server, 2, 18, kbytes, sizeof(kbytes), NOW),
	    KSSP_OK);
	ck_assert_int_eq(kssp_keytab_write(&kt, kt_path), KSSP_OK);
	kssp_keytab_free(&kt);

	memset(&part, 0, sizeof(part));
	part.flags = KSSP_TKT_FLG_PRE_AUTHENT;
	part.key.keytype = 18;
	part.key.keyvalue = (struct kssp_der_bytes){ sbytes, sizeof(sbytes) };
	part.cname.name_type = 1;
	part.cname.name_string = cname;
	part.cname.name_string_len = 1;
	part.crealm = (struct kssp_der_bytes){ (const uint8_t *)"A.TEST", 6 };
	part.transited.contents = (struct kssp_der_bytes){ (const uint8_t *)"", 0 };
	part.authtime = NOW;
	part.endtime = NOW + 36000;
	kssp_writer_init_growable(&w, 0);
	ck_assert_int_eq(kssp_krb5_encode_enc_ticket_part(&part, &w), KSSP_OK);
	memset(&skey, 0, sizeof(skey));
	ck_assert_int_eq(kssp_crypto_key_init(&skey, 18, kbytes, sizeof(kbytes)), KSSP_OK);
	ck_assert_int_eq(kssp_crypto_encrypt(&no_hooks, &skey, KSSP_KU_TICKET, w.buf, w.len,
	    cipher, sizeof(cipher), &clen), KSSP_OK);
	kssp_writer_free(&w);
	kssp_crypto_key_clear(&skey);

	memset(&tkt, 0, sizeof(tkt));
	tkt.tkt_vno = 5;
	tkt.realm = part.crealm;
	tkt.sname.name_type = 2;
	tkt.sname.name_string = sname;
	tkt.sname.name_string_len = 2;
	tkt.enc_part.etype = 18;
	tkt.enc_part.has_kvno = true;
	tkt.enc_part.kvno = 2;
	tkt.enc_part.cipher = (struct kssp_der_bytes){ cipher, clen };
	kssp_writer_init_growable(&tw, 0);
	ck_assert_int_eq(kssp_krb5_encode_ticket(&tkt, &tw), KSSP_OK);
	svc.keytype = 18;
	ck_assert_int_eq(kssp_cred_data_set(&svc.keyvalue, sbytes, sizeof(sbytes)), KSSP_OK);
	ck_assert_int_eq(kssp_cred_data_set(&svc.ticket, tw.buf, tw.len), KSSP_OK);
	kssp_writer_free(&tw);
	svc.authtime = svc.starttime = NOW;
	svc.endtime = NOW + 36000;
	svc.ticket_flags = part.flags;
	kssp_ccache_init(&cc);
	ck_assert_int_eq(kssp_ccache_reset(&cc, svc.client), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_add(&cc, &svc), KSSP_OK);
	ck_assert_int_eq(kssp_ccache_write(&cc, svc_cc_path), KSSP_OK);
	kssp_ccache_free(&cc);
	kssp_cred_clear(&svc);
}

struct asc_call {
	CredHandle *cred;
	uint8_t *token;
	ULONG len;
	SECURITY_STATUS status;
};

static void *asc_thread(void *arg)
{
	struct asc_call *c = arg;
	uint8_t out[4096];
	SecBuffer ib = { c->len, SECBUFFER_TOKEN, c->token }, ob = { sizeof(out), SECBUFFER_TOKEN, out };
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	CtxtHandle ctx;
	ULONG attr;

	c->status = AcceptSecurityContext(c->cred, NULL, &id, 0, SECURITY_NATIVE_DREP, &ctx, &od,
	    &attr, NULL);
	if (c->status >= 0)
		DeleteSecurityContext(&ctx);
	return NULL;
}

/* A fresh AP-REQ for SERVICE from the outbound credential, copied to tok. */
static ULONG make_ap_req(CredHandle *cc, uint8_t *tok, size_t cap)
{
	SecBuffer ob = { (ULONG)cap, SECBUFFER_TOKEN, tok };
	SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
	CtxtHandle ctx;
	ULONG attr;

	ck_assert_int_eq(InitializeSecurityContextA(cc, NULL, (SEC_CHAR *)SERVICE,
	    ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx,
	    &od, &attr, NULL), SEC_I_CONTINUE_NEEDED);
	ck_assert_int_eq(DeleteSecurityContext(&ctx), SEC_E_OK);
	return ob.cbBuffer;
}

START_TEST(one_ap_req_from_two_threads_is_accepted_once)
{
	uint8_t tok[4096];
	struct asc_call calls[2];
	pthread_t threads[2];
	KSSP_AUTH_DATA cad, sad;
	CredHandle cc, sc;
	int round, i, accepted = 0, refused = 0, overlapped;

	/* The credential's replay cache is the in-memory one. */
	unsetenv("KRB5RCACHENAME");
	unsetenv("KRB5RCACHETYPE");
	write_service_files();
	memset(&cad, 0, sizeof(cad));
	cad.Version = KSSP_AUTH_DATA_VERSION_2;
	cad.Length = sizeof(cad);
	cad.Krb5Conf = conf_path;
	cad.Ccache = svc_cc_path;
	cad.Clock = fixed_clock;
	sad = cad;
	sad.Ccache = NULL;
	sad.Keytab = kt_path;
	sad.Clock = gated_clock;
	sad.ClockArg = &gate;
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
	    &cad, NULL, NULL, &cc, NULL), SEC_E_OK);
	ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL,
	    &sad, NULL, NULL, &sc, NULL), SEC_E_OK);
	for (round = 0; round < ROUNDS; round++) {
		ULONG len = make_ap_req(&cc, tok, sizeof(tok));

		pthread_mutex_lock(&gate.lock);
		gate.armed = true;
		gate.most_in_flight = 0;
		pthread_mutex_unlock(&gate.lock);
		for (i = 0; i < 2; i++) {
			calls[i] = (struct asc_call){ &sc, tok, len, SEC_E_INTERNAL_ERROR };
			ck_assert_int_eq(pthread_create(&threads[i], NULL, asc_thread, &calls[i]), 0);
		}
		for (i = 0; i < 2; i++)
			ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
		pthread_mutex_lock(&gate.lock);
		gate.armed = false;
		overlapped = gate.most_in_flight;
		pthread_mutex_unlock(&gate.lock);
		ck_assert_msg(overlapped == 2, "round %d: the two accepts did not run side by side",
		    round);
		for (i = 0; i < 2; i++) {
			accepted += calls[i].status == SEC_E_OK;
			/* KRB_AP_ERR_REPEAT, as the Kerberos SSP maps it. */
			refused += calls[i].status == SEC_E_INVALID_TOKEN;
		}
	}
	ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
	ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
	unlink(kt_path);
	unlink(svc_cc_path);
	remove_files();
	/* Each token got in once, however the two accepts interleaved. */
	ck_assert_int_eq(accepted, ROUNDS);
	ck_assert_int_eq(refused, ROUNDS);
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
	tc = tcase_create("accepts");
	tcase_set_timeout(tc, 4 * PARTNER_WAIT_SEC);
	tcase_add_test(tc, one_ap_req_from_two_threads_is_accepted_once);
	suite_add_tcase(s, tc);
	return s;
}
