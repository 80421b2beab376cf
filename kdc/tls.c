/*
 * kdc/tls.c - TLS client connections through GnuTLS, when the build
 * includes it (KSSP_TLS); without it every call says "built without TLS".
 *
 * GnuTLS is loaded with dlopen on the first TLS connection, as MIT loads
 * its k5tls plugin: linked into every process, its libraries and their
 * constructors cost each kssp process about 4 ms at start-up (kinit and
 * kvno ran 65 % slower), though few ever reach a KDC proxy.
 */
#include "kdc/tls_int.h"

#include <string.h>

#include "base/base.h"
#include "crypto/crypto.h"

#ifdef KSSP_TLS

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "kdc/transport_int.h"

/* The GnuTLS ABI kssp is built against (its soname since GnuTLS 3.4). */
#define GNUTLS_SONAME "libgnutls.so.30"

/* The functions used here, called through gt.NAME (gnutls_NAME). */
#define GNUTLS_FUNCTIONS(X) \
	X(bye) X(certificate_allocate_credentials) X(certificate_free_credentials) \
	X(certificate_get_peers) X(certificate_set_x509_system_trust) \
	X(certificate_set_x509_trust_dir) X(certificate_set_x509_trust_file) \
	X(certificate_verification_status_print) X(credentials_set) X(deinit) \
	X(error_is_fatal) X(handshake) X(init) X(record_get_direction) X(record_recv) \
	X(record_send) X(server_name_set) X(session_get_verify_cert_status) \
	X(session_set_verify_cert) X(set_default_priority) X(sign_get_hash_algorithm) \
	X(strerror) X(transport_set_int2) X(x509_crt_deinit) \
	X(x509_crt_get_signature_algorithm) X(x509_crt_import) X(x509_crt_init)

static struct {
#define X(name) __typeof__(gnutls_##name) *(name);
	GNUTLS_FUNCTIONS(X)
#undef X
	gnutls_free_function *free; /* gnutls_free is a variable holding the function */
} gt;
static pthread_once_t gt_once = PTHREAD_ONCE_INIT;
static char gt_missing[200]; /* why GnuTLS could not be loaded, "" once it was */

static void load_gnutls(void)
{
	void *h = dlopen(GNUTLS_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(gt_missing, sizeof(gt_missing), "%s", dlerror());
		return;
	}
	/* POSIX dlsym: the object pointer stored through a function pointer's address. */
#define X(name)                                                                         \
	if (!(*(void **)&gt.name = dlsym(h, "gnutls_" #name))) {                      \
		snprintf(gt_missing, sizeof(gt_missing), "%s has no gnutls_%s", GNUTLS_SONAME, \
		    #name);                                                             \
		return;                                                                 \
	}
	GNUTLS_FUNCTIONS(X)
#undef X
	if (!(gt.free = dlsym(h, "gnutls_free")))
		snprintf(gt_missing, sizeof(gt_missing), "%s has no gnutls_free", GNUTLS_SONAME);
}

struct kssp_tls {
	gnutls_session_t session;
	gnutls_certificate_credentials_t cred;
	int fd;
	bool established; /* the handshake completed: close_notify is due */
};

kssp_err kssp_tls_require(void)
{
	(void)pthread_once(&gt_once, load_gnutls);
	if (gt_missing[0])
		return kssp_fail(KSSP_ERR_UNSUPPORTED, "TLS: GnuTLS cannot be loaded: %s "
		    "(apt-get install libgnutls30)", gt_missing);
	return KSSP_OK;
}

/* Waits until the socket can go on in the direction GnuTLS last wanted. */
static kssp_err wait_io(struct kssp_tls *t, int64_t until, const char *what)
{
	int rc = kssp_transport_wait(t->fd, gt.record_get_direction(t->session) ? POLLOUT : POLLIN,
	    until);

	if (rc == 0)
		return kssp_fail(KSSP_ERR_TIMEOUT, "TLS: %s: no answer in time", what);
	if (rc < 0)
		return kssp_fail(KSSP_ERR_IO, "TLS: %s: %s", what, strerror(errno));
	return KSSP_OK;
}

/* Anchors as MIT's http_anchors names them: FILE:path or DIR:path. */
static kssp_err load_anchors(gnutls_certificate_credentials_t cred, const char *const *anchors,
    size_t n)
{
	size_t i;

	if (n == 0) {
		if (gt.certificate_set_x509_system_trust(cred) < 0)
			return kssp_fail(KSSP_ERR_IO, "TLS: the system trust store cannot be read");
		return KSSP_OK;
	}
	for (i = 0; i < n; i++) {
		const char *a = anchors[i];
		int rc;

		if (strncmp(a, "FILE:", 5) == 0)
			rc = gt.certificate_set_x509_trust_file(cred, a + 5, GNUTLS_X509_FMT_PEM);
		else if (strncmp(a, "DIR:", 4) == 0)
			rc = gt.certificate_set_x509_trust_dir(cred, a + 4, GNUTLS_X509_FMT_PEM);
		else
			return kssp_fail(KSSP_ERR_UNSUPPORTED,
			    "TLS: http_anchors '%s': only FILE: and DIR: anchors are supported", a);
		if (rc <= 0)
			return kssp_fail(KSSP_ERR_IO, "TLS: http_anchors '%s': no certificate read (%s)",
			    a, rc < 0 ? gt.strerror(rc) : "none in it");
	}
	return KSSP_OK;
}

/* The verification failure in GnuTLS's words ("The certificate issuer is unknown."). */
static kssp_err verify_failed(struct kssp_tls *t, const char *host)
{
	unsigned status = gt.session_get_verify_cert_status(t->session);
	gnutls_datum_t text = { NULL, 0 };
	kssp_err e;

	if (gt.certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) < 0)
		return kssp_fail(KSSP_ERR_IO, "TLS: the certificate of %s is not trusted", host);
	/* GnuTLS ends each sentence with a space. */
	while (text.size > 0 && text.data[text.size - 1] == ' ')
		text.size--;
	e = kssp_fail(KSSP_ERR_IO, "TLS: the certificate of %s is not trusted: %.*s", host,
	    (int)text.size, (const char *)text.data);
	(*gt.free)(text.data);
	return e;
}

static kssp_err handshake(struct kssp_tls *t, const char *host, int64_t until)
{
	for (;;) {
		int rc = gt.handshake(t->session);
		kssp_err e;

		if (rc == GNUTLS_E_SUCCESS)
			return KSSP_OK;
		if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
			return verify_failed(t, host);
		if (gt.error_is_fatal(rc))
			return kssp_fail(KSSP_ERR_IO, "TLS: handshake with %s: %s", host,
			    gt.strerror(rc));
		if ((e = wait_io(t, until, "handshake")))
			return e;
	}
}

static bool is_address(const char *host)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

kssp_err kssp_tls_open(int fd, const char *host, const char *const *anchors, size_t n_anchors,
    int64_t until, struct kssp_tls **out)
{
	struct kssp_tls *t;
	kssp_err e = kssp_tls_require();

	if (e)
		return e;
	if (!(t = kssp_calloc(1, sizeof(*t))))
		return kssp_fail(KSSP_ERR_NOMEM, "TLS: out of memory");
	t->fd = fd;
	if (gt.certificate_allocate_credentials(&t->cred) < 0) {
		kssp_free(t);
		return kssp_fail(KSSP_ERR_NOMEM, "TLS: out of memory");
	}
	if (gt.init(&t->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0) {
		gt.certificate_free_credentials(t->cred);
		kssp_free(t);
		return kssp_fail(KSSP_ERR_NOMEM, "TLS: out of memory");
	}
	e = load_anchors(t->cred, anchors, n_anchors);
	/* RFC 6066 §3: no server name indication for an address literal. */
	if (!e && ((!is_address(host) && gt.server_name_set(t->session, GNUTLS_NAME_DNS, host,
	    strlen(host)) < 0) || gt.set_default_priority(t->session) < 0 ||
	    gt.credentials_set(t->session, GNUTLS_CRD_CERTIFICATE, t->cred) < 0))
		e = kssp_fail(KSSP_ERR_INTERNAL, "TLS: session setup failed");
	if (!e) {
		/* Chain and name checked in the handshake; the name is the URL's host. */
		gt.session_set_verify_cert(t->session, host, 0);
		gt.transport_set_int2(t->session, fd, fd);
		e = handshake(t, host, until);
		t->established = !e;
	}
	if (e) {
		kssp_tls_close(t);
		return e;
	}
	*out = t;
	return KSSP_OK;
}

kssp_err kssp_tls_write(struct kssp_tls *t, const uint8_t *buf, size_t len, int64_t until)
{
	size_t done = 0;
	kssp_err e;

	while (done < len) {
		ssize_t n = gt.record_send(t->session, buf + done, len - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0 || gt.error_is_fatal((int)n))
			return kssp_fail(KSSP_ERR_IO, "TLS: send: %s", gt.strerror((int)n));
		if ((e = wait_io(t, until, "send")))
			return e;
	}
	return KSSP_OK;
}

kssp_err kssp_tls_read_all(struct kssp_tls *t, struct kssp_writer *w, int64_t until)
{
	uint8_t buf[4096];
	kssp_err e;

	for (;;) {
		ssize_t n = gt.record_recv(t->session, buf, sizeof(buf));

		if (n > 0) {
			kssp_writer_put_bytes(w, buf, (size_t)n);
			if ((e = kssp_writer_status(w)))
				return kssp_fail(e == KSSP_ERR_NOMEM ? e : KSSP_ERR_LIMIT,
				    "TLS: the reply is larger than %zu bytes", w->max);
			continue;
		}
		/*
		 * The end of the reply: a close_notify, or (as HTTP/1.0 servers
		 * often do) the connection closed without one; the caller checks
		 * the length the content says it has.
		 */
		if (n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION)
			return KSSP_OK;
		if (gt.error_is_fatal((int)n))
			return kssp_fail(KSSP_ERR_IO, "TLS: receive: %s", gt.strerror((int)n));
		if ((e = wait_io(t, until, "receive")))
			return e;
	}
}

/* RFC 5929 §4.1: the certificate's signature hash, MD5 and SHA-1 taken up to SHA-256. */
static unsigned end_point_bits(gnutls_digest_algorithm_t d)
{
	switch (d) {
	case GNUTLS_DIG_MD5: case GNUTLS_DIG_SHA1: case GNUTLS_DIG_SHA256: return 256;
	case GNUTLS_DIG_SHA384: return 384;
	case GNUTLS_DIG_SHA512: return 512;
	default: return 0;
	}
}

kssp_err kssp_tls_end_point(struct kssp_tls *t, uint8_t out[KSSP_TLS_END_POINT_MAX],
    size_t *len)
{
	unsigned n = 0, bits = 0;
	const gnutls_datum_t *certs = gt.certificate_get_peers(t->session, &n);
	gnutls_x509_crt_t crt;
	int sign;

	if (certs == NULL || n == 0)
		return kssp_fail(KSSP_ERR_IO, "TLS: the server sent no certificate");
	if (gt.x509_crt_init(&crt) < 0)
		return kssp_fail(KSSP_ERR_NOMEM, "TLS: out of memory");
	sign = gt.x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ? -1 :
	    gt.x509_crt_get_signature_algorithm(crt);
	gt.x509_crt_deinit(crt);
	if (sign > 0)
		bits = end_point_bits(gt.sign_get_hash_algorithm((gnutls_sign_algorithm_t)sign));
	if (bits == 0)
		return kssp_fail(KSSP_ERR_UNSUPPORTED,
		    "TLS: the server's certificate signature has no hash for tls-server-end-point");
	*len = bits / 8;
	return kssp_crypto_sha2(bits, certs[0].data, certs[0].size, out);
}

void kssp_tls_close(struct kssp_tls *t)
{
	if (!t)
		return;
	if (t->established)
		(void)gt.bye(t->session, GNUTLS_SHUT_WR);
	gt.deinit(t->session);
	gt.certificate_free_credentials(t->cred);
	kssp_free(t);
}

#else /* !KSSP_TLS */

static kssp_err not_built(void)
{
	return kssp_fail(KSSP_ERR_UNSUPPORTED,
	    "built without TLS: https:// (a KDC proxy, kssp http) needs kssp built with GnuTLS");
}

kssp_err kssp_tls_require(void)
{
	return not_built();
}

kssp_err kssp_tls_open(int fd, const char *host, const char *const *anchors, size_t n_anchors,
    int64_t until, struct kssp_tls **out)
{
	(void)fd, (void)host, (void)anchors, (void)n_anchors, (void)until;
	*out = NULL;
	return not_built();
}

kssp_err kssp_tls_write(struct kssp_tls *t, const uint8_t *buf, size_t len, int64_t until)
{
	(void)t, (void)buf, (void)len, (void)until;
	return not_built();
}

kssp_err kssp_tls_read_all(struct kssp_tls *t, struct kssp_writer *w, int64_t until)
{
	(void)t, (void)w, (void)until;
	return not_built();
}

kssp_err kssp_tls_end_point(struct kssp_tls *t, uint8_t out[KSSP_TLS_END_POINT_MAX],
    size_t *len)
{
	(void)t, (void)out;
	*len = 0;
	return not_built();
}

void kssp_tls_close(struct kssp_tls *t)
{
	(void)t;
}

#endif
