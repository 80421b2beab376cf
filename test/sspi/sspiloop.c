/*
 * test/sspi/sspiloop.c - one process runs both sides of an SSPI exchange
 * through the public API only: the client's InitializeSecurityContext
 * against the server's AcceptSecurityContext, then every message call in
 * both directions, the Windows buffer layouts, and the failures a peer
 * must see (tampering, replay).
 *
 * Usage: sspiloop PACKAGE TARGET KEYTAB REQFLAGS ALLOCATE(0|1) [COUNT [THREADS]]
 * The client uses the default credential cache, or with SSPILOOP_USER set
 * a password logon: SEC_WINNT_AUTH_IDENTITY { SSPILOOP_USER,
 * SSPILOOP_DOMAIN (may be unset), SSPILOOP_PASSWORD }; the server the keytab.
 * With THREADS, that many threads each run COUNT loops on their own
 * contexts, sharing the two credential handles.
 * Prints each leg's status name and token size; exits 0 when every check
 * held, 1 otherwise (with the failing step and kssp's reason).
 */
#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local int failures;

#define CHECK(cond, what) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "FAIL %s (line %d): %s\n", what, __LINE__, kssp_status_reason()); \
			failures++; \
			return -1; \
		} \
	} while (0)

struct side {
	CredHandle cred;
	CtxtHandle ctx;
	int have_ctx;
	ULONG attr;
};

static void set_desc(SecBufferDesc *d, SecBuffer *b, ULONG n)
{
	d->ulVersion = SECBUFFER_VERSION;
	d->cBuffers = n;
	d->pBuffers = b;
}

/* The ISC / ASC loop, tokens passed in memory as a socket would carry them. */
static int establish(struct side *c, struct side *s, SEC_CHAR *target, ULONG req, int alloc,
    int verbose)
{
	unsigned char cbuf[48256], sbuf[48256];
	SecBuffer ob, ib;
	SecBufferDesc od, id;
	SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
	ULONG in_len = 0;
	unsigned char *in = NULL;
	void *to_free = NULL;
	TimeStamp exp;
	int legs = 0;
	ULONG areq = (alloc ? ASC_REQ_ALLOCATE_MEMORY : 0) | ASC_REQ_EXTENDED_ERROR;

	if (alloc)
		req |= ISC_REQ_ALLOCATE_MEMORY;
	while (cs == SEC_I_CONTINUE_NEEDED) {
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = alloc ? 0 : sizeof(cbuf);
		ob.pvBuffer = alloc ? NULL : cbuf;
		set_desc(&od, &ob, 1);
		ib.BufferType = SECBUFFER_TOKEN;
		ib.cbBuffer = in_len;
		ib.pvBuffer = in;
		set_desc(&id, &ib, 1);
		cs = InitializeSecurityContextA(&c->cred, c->have_ctx ? &c->ctx : NULL, target, req, 0,
		    SECURITY_NATIVE_DREP, c->have_ctx ? &id : NULL, 0, &c->ctx, &od, &c->attr, &exp);
		if (to_free != NULL)
			FreeContextBuffer(to_free);
		to_free = NULL;
		if (verbose)
			printf("ISC leg %d: %s, token %lu bytes, attr 0x%lx\n", ++legs,
			    kssp_status_name(cs), (unsigned long)ob.cbBuffer, (unsigned long)c->attr);
		CHECK(cs == SEC_E_OK || cs == SEC_I_CONTINUE_NEEDED, "InitializeSecurityContext");
		c->have_ctx = 1;
		if (ob.cbBuffer == 0)
			break;
		if (alloc)
			CHECK(c->attr & ISC_RET_ALLOCATED_MEMORY, "ISC_RET_ALLOCATED_MEMORY");
		/* The server's turn. */
		ib.cbBuffer = ob.cbBuffer;
		ib.pvBuffer = ob.pvBuffer;
		set_desc(&id, &ib, 1);
		ob.BufferType = SECBUFFER_TOKEN;
		ob.cbBuffer = alloc ? 0 : sizeof(sbuf);
		ob.pvBuffer = alloc ? NULL : sbuf;
		set_desc(&od, &ob, 1);
		if (ss == SEC_E_OK) {
			/* The client's last token after the server finished (SPNEGO MIC). */
			if (alloc)
				FreeContextBuffer(ib.pvBuffer);
			break;
		}
		ss = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &id, areq,
		    SECURITY_NATIVE_DREP, &s->ctx, &od, &s->attr, &exp);
		if (alloc)
			FreeContextBuffer(ib.pvBuffer);
		if (verbose)
			printf("ASC leg %d: %s, token %lu bytes, attr 0x%lx\n", legs,
			    kssp_status_name(ss), (unsigned long)ob.cbBuffer, (unsigned long)s->attr);
		CHECK(ss == SEC_E_OK || ss == SEC_I_CONTINUE_NEEDED, "AcceptSecurityContext");
		s->have_ctx = 1;
		if (ob.cbBuffer == 0)
			break;
		if (cs == SEC_E_OK) {
			if (alloc)
				FreeContextBuffer(ob.pvBuffer);
			break;
		}
		in = memcpy(cbuf, ob.pvBuffer, ob.cbBuffer);
		in_len = ob.cbBuffer;
		if (alloc)
			FreeContextBuffer(ob.pvBuffer);
	}
	CHECK(cs == SEC_E_OK && ss == SEC_E_OK, "both sides complete");
	return 0;
}

/*
 * The Windows layout for EncryptMessage: SECBUFFER_TOKEN of cbSecurityTrailer
 * bytes, the data, SECBUFFER_PADDING of cbBlockSize bytes (RC4 puts its pad
 * byte there; AES leaves it empty).
 */
static void wrap_layout(SecBufferDesc *d, SecBuffer *buf, const SecPkgContext_Sizes *sz,
    unsigned char *tok, unsigned char *data, ULONG len, unsigned char *pad)
{
	buf[0].BufferType = SECBUFFER_TOKEN;
	buf[0].cbBuffer = sz->cbSecurityTrailer;
	buf[0].pvBuffer = tok;
	buf[1].BufferType = SECBUFFER_DATA;
	buf[1].cbBuffer = len;
	buf[1].pvBuffer = data;
	buf[2].BufferType = SECBUFFER_PADDING;
	buf[2].cbBuffer = sz->cbBlockSize;
	buf[2].pvBuffer = pad;
	set_desc(d, buf, 3);
}

/* token | data | padding as one received message. */
static ULONG join_token(const SecBuffer *buf, unsigned char *out)
{
	memcpy(out, buf[0].pvBuffer, buf[0].cbBuffer);
	memcpy(out + buf[0].cbBuffer, buf[1].pvBuffer, buf[1].cbBuffer);
	memcpy(out + buf[0].cbBuffer + buf[1].cbBuffer, buf[2].pvBuffer, buf[2].cbBuffer);
	return buf[0].cbBuffer + buf[1].cbBuffer + buf[2].cbBuffer;
}

/* The receiving layout for a whole token: SECBUFFER_STREAM + an empty SECBUFFER_DATA. */
static void stream_layout(SecBufferDesc *d, SecBuffer *buf, unsigned char *stream, ULONG len)
{
	buf[0].BufferType = SECBUFFER_STREAM;
	buf[0].cbBuffer = len;
	buf[0].pvBuffer = stream;
	buf[1].BufferType = SECBUFFER_DATA;
	buf[1].cbBuffer = 0;
	buf[1].pvBuffer = NULL;
	set_desc(d, buf, 2);
}

/*
 * EncryptMessage on a, DecryptMessage on b (token + data + padding, then
 * stream); a replayed token is refused when the context detects replays.
 */
static int wrap_round_trip(CtxtHandle *a, CtxtHandle *b, ULONG qop, int replays)
{
	SecPkgContext_Sizes sz;
	unsigned char tok[128], data[64], pad[16], saved[256], stream[256];
	const char *msg = "the quick brown fox jumps over the lazy dog";
	const ULONG len = (ULONG)strlen(msg);
	SecBuffer buf[3];
	SecBufferDesc d;
	ULONG slen, got_qop = 99;

	CHECK(QueryContextAttributesA(a, SECPKG_ATTR_SIZES, &sz) == SEC_E_OK, "SIZES");
	CHECK(sz.cbSecurityTrailer <= sizeof(tok) && sz.cbBlockSize <= sizeof(pad) &&
	    sz.cbMaxSignature > 0, "SIZES values");
	memcpy(data, msg, len);
	wrap_layout(&d, buf, &sz, tok, data, len, pad);
	CHECK(EncryptMessage(a, qop, &d, 0) == SEC_E_OK, "EncryptMessage");
	CHECK(qop != 0 || memcmp(data, msg, len) != 0, "data is sealed");
	slen = join_token(buf, saved);
	CHECK(DecryptMessage(b, &d, 0, &got_qop) == SEC_E_OK, "DecryptMessage");
	CHECK(buf[1].cbBuffer == len && memcmp(buf[1].pvBuffer, msg, len) == 0, "plaintext back");
	CHECK(got_qop == qop, "pfQOP");
	if (replays) {
		/* The same token again, received whole, is a replay. */
		memcpy(stream, saved, slen);
		stream_layout(&d, buf, stream, slen);
		CHECK(DecryptMessage(b, &d, 0, &got_qop) == SEC_E_OUT_OF_SEQUENCE, "replay refused");
	}
	/* SECBUFFER_STREAM + SECBUFFER_DATA: a fresh token, received whole. */
	memcpy(data, msg, len);
	wrap_layout(&d, buf, &sz, tok, data, len, pad);
	CHECK(EncryptMessage(a, qop, &d, 0) == SEC_E_OK, "EncryptMessage 3");
	slen = join_token(buf, stream);
	stream_layout(&d, buf, stream, slen);
	CHECK(DecryptMessage(b, &d, 0, &got_qop) == SEC_E_OK, "DecryptMessage stream");
	CHECK(buf[1].cbBuffer == len && memcmp(buf[1].pvBuffer, msg, len) == 0, "stream plaintext");
	return 0;
}

/*
 * Messages of growing size sealed with a token buffer of exactly
 * cbSecurityTrailer bytes: each fits (an RC4 token's framing grows with the
 * message), EncryptMessage says how much it used, and each comes back whole.
 */
static int sizes_hold_for_large_messages(CtxtHandle *a, CtxtHandle *b)
{
	static const ULONG lens[] = { 1, 127, 200, 1024, 70000 };
	SecPkgContext_Sizes sz;
	unsigned char *tok, *data, pad[16];
	SecBuffer buf[3];
	SecBufferDesc d;
	size_t i;
	ULONG j;

	CHECK(QueryContextAttributesA(a, SECPKG_ATTR_SIZES, &sz) == SEC_E_OK, "SIZES");
	CHECK(sz.cbBlockSize <= sizeof(pad), "SIZES cbBlockSize");
	tok = malloc(sz.cbSecurityTrailer);
	data = malloc(70000);
	CHECK(tok != NULL && data != NULL, "memory");
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (j = 0; j < lens[i]; j++)
			data[j] = (unsigned char)(j * 7 + i);
		wrap_layout(&d, buf, &sz, tok, data, lens[i], pad);
		if (EncryptMessage(a, 0, &d, 0) != SEC_E_OK || buf[0].cbBuffer > sz.cbSecurityTrailer ||
		    DecryptMessage(b, &d, 0, NULL) != SEC_E_OK || buf[1].cbBuffer != lens[i])
			break;
		for (j = 0; j < lens[i] && data[j] == (unsigned char)(j * 7 + i); j++)
			;
		if (j != lens[i])
			break;
	}
	free(tok);
	free(data);
	if (i < sizeof(lens) / sizeof(lens[0]))
		fprintf(stderr, "message of %lu bytes, token buffer %lu bytes:\n",
		    (unsigned long)lens[i], (unsigned long)sz.cbSecurityTrailer);
	CHECK(i == sizeof(lens) / sizeof(lens[0]), "a message sealed in cbSecurityTrailer bytes");
	printf("cbSecurityTrailer %lu held messages of 1 to 70000 bytes\n",
	    (unsigned long)sz.cbSecurityTrailer);
	return 0;
}

/*
 * Last on a context: a sealed token and a signed message altered in
 * flight are refused (the lost numbers would be gaps for later tokens).
 */
static int tampering_detected(CtxtHandle *a, CtxtHandle *b)
{
	SecPkgContext_Sizes sz;
	unsigned char tok[128], data[32], sig[128], pad[16];
	SecBuffer buf[3];
	SecBufferDesc d;

	CHECK(QueryContextAttributesA(a, SECPKG_ATTR_SIZES, &sz) == SEC_E_OK, "SIZES");
	CHECK(sz.cbSecurityTrailer <= sizeof(tok) && sz.cbBlockSize <= sizeof(pad), "SIZES values");
	memcpy(data, "0123456789abcdef0123456789abcdef", 32);
	wrap_layout(&d, buf, &sz, tok, data, 32, pad);
	CHECK(EncryptMessage(a, 0, &d, 0) == SEC_E_OK, "EncryptMessage");
	data[3] ^= 1;
	CHECK(DecryptMessage(b, &d, 0, NULL) == SEC_E_MESSAGE_ALTERED, "sealed tampering detected");
	buf[0].cbBuffer = sz.cbMaxSignature;
	buf[0].pvBuffer = sig;
	set_desc(&d, buf, 2);
	CHECK(MakeSignature(a, 0, &d, 0) == SEC_E_OK, "MakeSignature");
	data[5] ^= 1;
	CHECK(VerifySignature(b, &d, 0, NULL) == SEC_E_MESSAGE_ALTERED, "signed tampering detected");
	return 0;
}

static int sign_round_trip(CtxtHandle *a, CtxtHandle *b)
{
	SecPkgContext_Sizes sz;
	unsigned char sig[128], msg[] = "signed, not sealed";
	SecBuffer buf[2];
	SecBufferDesc d;

	CHECK(QueryContextAttributesA(a, SECPKG_ATTR_SIZES, &sz) == SEC_E_OK, "SIZES");
	buf[0].BufferType = SECBUFFER_TOKEN;
	buf[0].cbBuffer = sz.cbMaxSignature;
	buf[0].pvBuffer = sig;
	buf[1].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY;
	buf[1].cbBuffer = sizeof(msg);
	buf[1].pvBuffer = msg;
	set_desc(&d, buf, 2);
	CHECK(MakeSignature(a, 0, &d, 0) == SEC_E_OK, "MakeSignature");
	CHECK(VerifySignature(b, &d, 0, NULL) == SEC_E_OK, "VerifySignature");
	return 0;
}

static int check_names(CtxtHandle *server)
{
	SecPkgContext_NamesA names;
	SecPkgContext_NativeNamesA native;
	SecPkgContext_PackageInfoA pi;

	CHECK(QueryContextAttributesA(server, SECPKG_ATTR_NAMES, &names) == SEC_E_OK, "NAMES");
	printf("server sees client %s\n", names.sUserName);
	FreeContextBuffer(names.sUserName);
	CHECK(QueryContextAttributesA(server, SECPKG_ATTR_NATIVE_NAMES, &native) == SEC_E_OK,
	    "NATIVE_NAMES");
	printf("native names %s -> %s\n", native.sClientName, native.sServerName);
	FreeContextBuffer(native.sClientName);
	FreeContextBuffer(native.sServerName);
	CHECK(QueryContextAttributesA(server, SECPKG_ATTR_PACKAGE_INFO, &pi) == SEC_E_OK, "PACKAGE_INFO");
	FreeContextBuffer(pi.PackageInfo);
	return 0;
}

/* The server context moves through ExportSecurityContext / ImportSecurityContext. */
static int move_context(SEC_CHAR *package, CtxtHandle *ctx)
{
	SecBuffer packed;
	CtxtHandle imported;

	CHECK(ExportSecurityContext(ctx, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL) == SEC_E_OK,
	    "ExportSecurityContext");
	CHECK(DeleteSecurityContext(ctx) == SEC_E_INVALID_HANDLE, "the exported context is gone");
	CHECK(ImportSecurityContextA(package, &packed, NULL, &imported) == SEC_E_OK,
	    "ImportSecurityContext");
	FreeContextBuffer(packed.pvBuffer);
	*ctx = imported;
	return 0;
}

static int one_loop(SEC_CHAR *package, SEC_CHAR *target, struct side *c, struct side *s,
    ULONG req, int alloc, int verbose)
{
	int rc, replays = (req & (ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT)) != 0;

	c->have_ctx = s->have_ctx = 0;
	rc = establish(c, s, target, req, alloc, verbose);
	if (rc == 0 && (req & ISC_REQ_MUTUAL_AUTH))
		CHECK(c->attr & ISC_RET_MUTUAL_AUTH, "ISC_RET_MUTUAL_AUTH");
	if (rc == 0)
		rc = wrap_round_trip(&c->ctx, &s->ctx, 0, replays);
	if (rc == 0)
		rc = wrap_round_trip(&s->ctx, &c->ctx, 0, replays);
	if (rc == 0)
		rc = wrap_round_trip(&c->ctx, &s->ctx, SECQOP_WRAP_NO_ENCRYPT, replays);
	if (rc == 0)
		rc = sign_round_trip(&c->ctx, &s->ctx);
	if (rc == 0)
		rc = sign_round_trip(&s->ctx, &c->ctx);
	if (rc == 0 && verbose)
		rc = sizes_hold_for_large_messages(&c->ctx, &s->ctx);
	if (rc == 0 && verbose)
		rc = check_names(&s->ctx);
	if (rc == 0 && verbose)
		rc = move_context(package, &s->ctx);
	if (rc == 0 && verbose)
		rc = wrap_round_trip(&c->ctx, &s->ctx, 0, replays);
	if (rc == 0 && verbose)
		rc = wrap_round_trip(&s->ctx, &c->ctx, 0, replays);
	if (rc == 0)
		rc = tampering_detected(&c->ctx, &s->ctx);
	if (rc == 0)
		rc = tampering_detected(&s->ctx, &c->ctx);
	if (c->have_ctx)
		DeleteSecurityContext(&c->ctx);
	if (s->have_ctx)
		DeleteSecurityContext(&s->ctx);
	return rc;
}

/* Resident set size in KiB (Linux /proc), 0 when unknown. */
static long rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * 4;
}

struct worker {
	pthread_t thread;
	char **argv;
	CredHandle client, server;
	ULONG req;
	int alloc, count, failed;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct side c, s;
	int i;

	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	c.cred = w->client;
	s.cred = w->server;
	for (i = 0; i < w->count && failures == 0; i++)
		one_loop(w->argv[1], w->argv[2], &c, &s, w->req, w->alloc, 0);
	w->failed = failures;
	return NULL;
}

/* THREADS workers sharing the credentials; returns the failures. */
static int run_threads(char **argv, CredHandle *client, CredHandle *server, ULONG req,
    int alloc, int count, int threads)
{
	struct worker w[64];
	int i, bad = 0;

	if (threads > 64)
		threads = 64;
	for (i = 0; i < threads; i++) {
		w[i].argv = argv;
		w[i].client = *client;
		w[i].server = *server;
		w[i].req = req;
		w[i].alloc = alloc;
		w[i].count = count;
		w[i].failed = 0;
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
			return 1;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		bad += w[i].failed;
	}
	return bad;
}

/* The SSPILOOP_* identity, or NULL (the default credential cache). */
static void *identity_from_env(SEC_WINNT_AUTH_IDENTITY_A *id)
{
	char *user = getenv("SSPILOOP_USER"), *domain = getenv("SSPILOOP_DOMAIN");
	char *password = getenv("SSPILOOP_PASSWORD");

	if (user == NULL)
		return NULL;
	memset(id, 0, sizeof(*id));
	id->User = (unsigned char *)user;
	id->UserLength = (ULONG)strlen(user);
	id->Domain = (unsigned char *)domain;
	id->DomainLength = domain != NULL ? (ULONG)strlen(domain) : 0;
	id->Password = (unsigned char *)password;
	id->PasswordLength = password != NULL ? (ULONG)strlen(password) : 0;
	id->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
	return id;
}

int main(int argc, char **argv)
{
	SEC_WINNT_AUTH_IDENTITY_A id;
	struct side c, s;
	KSSP_AUTH_DATA ad;
	ULONG req;
	int alloc, count = 1, threads = 0, i;
	long rss_warm = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: sspiloop PACKAGE TARGET KEYTAB REQFLAGS ALLOCATE [COUNT]\n");
		return 2;
	}
	req = (ULONG)strtoul(argv[4], NULL, 0);
	alloc = atoi(argv[5]);
	if (argc > 6)
		count = atoi(argv[6]);
	if (argc > 7)
		threads = atoi(argv[7]);
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Keytab = argv[3];
	if (AcquireCredentialsHandleA(NULL, argv[1], SECPKG_CRED_OUTBOUND, NULL,
	    identity_from_env(&id), NULL, NULL, &c.cred, NULL) != SEC_E_OK ||
	    AcquireCredentialsHandleA(NULL, argv[1], SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &s.cred, NULL) != SEC_E_OK) {
		fprintf(stderr, "FAIL AcquireCredentialsHandle: %s\n", kssp_status_reason());
		return 1;
	}
	{
		SecPkgCredentials_NamesA n;

		if (QueryCredentialsAttributesA(&c.cred, SECPKG_CRED_ATTR_NAMES, &n) != SEC_E_OK) {
			fprintf(stderr, "FAIL QueryCredentialsAttributes: %s\n", kssp_status_reason());
			return 1;
		}
		printf("client credential: %s\n", n.sUserName);
		FreeContextBuffer(n.sUserName);
	}
	/* One loop first, so the shared credential holds its ticket before the threads start. */
	one_loop(argv[1], argv[2], &c, &s, req, alloc, 1);
	if (threads > 0 && failures == 0)
		failures += run_threads(argv, &c.cred, &s.cred, req, alloc, count, threads);
	for (i = 1; threads == 0 && i < count && failures == 0; i++) {
		one_loop(argv[1], argv[2], &c, &s, req, alloc, 0);
		if (i == count / 10)
			rss_warm = rss_kib();
	}
	if (threads == 0 && count >= 10)
		printf("rss KiB after %d loops: %ld, after %d: %ld\n", count / 10, rss_warm, count,
		    rss_kib());
	FreeCredentialsHandle(&c.cred);
	FreeCredentialsHandle(&s.cred);
	if (failures == 0)
		printf("sspiloop %s %s req 0x%lx alloc %d: %d loops x %d threads OK\n", argv[1],
		    argv[2], (unsigned long)req, alloc, count, threads > 0 ? threads : 1);
	return failures == 0 ? 0 : 1;
}
