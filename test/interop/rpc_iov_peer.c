/*
 * test/interop/rpc_iov_peer.c - kssp's RPC buffer layouts against MIT's
 * gss_wrap_iov / gss_unwrap_iov, in one process.
 *
 *   kssp-rpc-iov-peer SPN STYLE ROLE
 *
 * ROLE "initiator": kssp initiates (InitializeSecurityContextA, Kerberos
 * package, the cache in KRB5CCNAME) and MIT's GSS library accepts
 * (gss_accept_sec_context, the keytab in KRB5_KTNAME); "acceptor": MIT's
 * gss_init_sec_context against kssp's AcceptSecurityContext with that
 * keytab.  STYLE "stream": an ordinary mutual context; "dce": the
 * three-leg DCE-style exchange (ISC_REQ_ / ASC_REQ_USE_DCE_STYLE against
 * GSS_C_DCE_STYLE, MS-KILE 3.4.5.1), whose IOV layouts differ (RFC 4121
 * tokens: EC 16, RRC 28 and a rotation of RRC + EC; RFC 4757 tokens: the
 * framing covers the header only and no padding, MS-KILE 3.4.5.4.1).
 *
 * Then, as DCE/RPC calls them with header signing (MS-RPCE 3.3.1.5.2.2):
 *   kssp EncryptMessage (TOKEN, PDU header READONLY_WITH_CHECKSUM, body
 *   data, auth trailer READONLY_WITH_CHECKSUM, PADDING) -> MIT
 *   gss_unwrap_iov (HEADER, SIGN_ONLY, DATA, SIGN_ONLY, PADDING), sealed
 *   and integrity only; MIT gss_wrap_iov -> kssp DecryptMessage; and a
 *   signed-only byte altered on the way is refused each way; and RPC's
 *   integrity level: MakeSignature over the same buffers against
 *   gss_verify_mic_iov, gss_get_mic_iov against VerifySignature.
 * Prints one line per check and the EC / RRC of the tokens; exit 0 when
 * every check passed.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kssp/kssp.h"
#include "kssp/sspi.h"

#define HDR_LEN 16
#define BODY_LEN 61
#define TRL_LEN 8
#define TOK_MAX 256

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

static void gss_fail(const char *what, OM_uint32 major, OM_uint32 minor)
{
	OM_uint32 ctx = 0, min;
	gss_buffer_desc msg;

	gss_display_status(&min, major == GSS_S_FAILURE ? minor : major,
	    major == GSS_S_FAILURE ? GSS_C_MECH_CODE : GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &msg);
	fprintf(stderr, "%s: %.*s\n", what, (int)msg.length, (char *)msg.value);
	gss_release_buffer(&min, &msg);
}

/* The RPC message (MS-RPCE 2.2.2.11): PDU header, body (sealed) and auth trailer. */
struct rpc_msg {
	unsigned char hdr[HDR_LEN], body[BODY_LEN], trl[TRL_LEN], pad[16];
	unsigned char token[TOK_MAX];
	size_t token_len, pad_len;
};

static void fill(struct rpc_msg *m, unsigned char seed)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < HDR_LEN; i++)
		m->hdr[i] = (unsigned char)(seed + i);
	for (i = 0; i < BODY_LEN; i++)
		m->body[i] = (unsigned char)(seed * 3 + i);
	for (i = 0; i < TRL_LEN; i++)
		m->trl[i] = (unsigned char)(0xA0 + i);
}

static void kssp_desc(struct rpc_msg *m, SecBuffer b[5], SecBufferDesc *d, ULONG tok_len)
{
	b[0].BufferType = SECBUFFER_TOKEN;
	b[0].pvBuffer = m->token;
	b[0].cbBuffer = tok_len;
	b[1].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM;
	b[1].pvBuffer = m->hdr;
	b[1].cbBuffer = HDR_LEN;
	b[2].BufferType = SECBUFFER_DATA;
	b[2].pvBuffer = m->body;
	b[2].cbBuffer = BODY_LEN;
	b[3].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM;
	b[3].pvBuffer = m->trl;
	b[3].cbBuffer = TRL_LEN;
	b[4].BufferType = SECBUFFER_PADDING;
	b[4].pvBuffer = m->pad;
	b[4].cbBuffer = (ULONG)m->pad_len;
	d->ulVersion = SECBUFFER_VERSION;
	d->cBuffers = 5;
	d->pBuffers = b;
}

/* MIT's buffers in the same order; the padding is the last one. */
static void mit_iov(struct rpc_msg *m, gss_iov_buffer_desc iov[5])
{
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[0].buffer.value = m->token;
	iov[0].buffer.length = m->token_len;
	iov[1].type = GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
	iov[1].buffer.value = m->hdr;
	iov[1].buffer.length = HDR_LEN;
	iov[2].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[2].buffer.value = m->body;
	iov[2].buffer.length = BODY_LEN;
	iov[3].type = GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
	iov[3].buffer.value = m->trl;
	iov[3].buffer.length = TRL_LEN;
	iov[4].type = GSS_IOV_BUFFER_TYPE_PADDING;
	iov[4].buffer.value = m->pad;
	iov[4].buffer.length = m->pad_len;
}

/* EC and RRC of an RFC 4121 Wrap token (05 04), printed for the script. */
static void show_header(const char *who, const struct rpc_msg *m)
{
	if (m->token_len >= 16 && m->token[0] == 0x05 && m->token[1] == 0x04)
		printf("%s token: EC %u RRC %u header %zu bytes\n", who,
		    (unsigned)(m->token[4] << 8 | m->token[5]),
		    (unsigned)(m->token[6] << 8 | m->token[7]), m->token_len);
	else
		printf("%s token: RFC 4757, header %zu bytes, framing length %u\n", who,
		    m->token_len, m->token_len > 1 ? (unsigned)m->token[1] : 0u);
}

static bool same_plain(const struct rpc_msg *m, unsigned char seed)
{
	struct rpc_msg want;

	fill(&want, seed);
	return memcmp(m->hdr, want.hdr, HDR_LEN) == 0 && memcmp(m->body, want.body, BODY_LEN) == 0 &&
	    memcmp(m->trl, want.trl, TRL_LEN) == 0;
}

/* kssp seals or signs (fQOP), MIT unwraps; tamper alters a signed-only byte first. */
static void kssp_to_mit(CtxtHandle *kctx, gss_ctx_id_t mctx, bool conf, bool tamper,
    unsigned char seed)
{
	struct rpc_msg m;
	SecBuffer b[5];
	SecBufferDesc d;
	gss_iov_buffer_desc iov[5];
	OM_uint32 major, minor;
	int conf_state = -1;
	SECURITY_STATUS ss;
	char what[160];

	fill(&m, seed);
	m.pad_len = sizeof(m.pad);
	kssp_desc(&m, b, &d, TOK_MAX);
	ss = EncryptMessage(kctx, conf ? 0 : SECQOP_WRAP_NO_ENCRYPT, &d, 0);
	snprintf(what, sizeof(what), "kssp EncryptMessage (%s)", conf ? "sealed" : "signed");
	check(ss == SEC_E_OK, what);
	if (ss != SEC_E_OK) {
		fprintf(stderr, "EncryptMessage: 0x%08lx\n", (unsigned long)ss);
		return;
	}
	m.token_len = b[0].cbBuffer;
	m.pad_len = b[4].cbBuffer;
	show_header("kssp", &m);
	{
		struct rpc_msg want;

		fill(&want, seed);
		check(memcmp(m.hdr, want.hdr, HDR_LEN) == 0 && memcmp(m.trl, want.trl, TRL_LEN) == 0 &&
		    (memcmp(m.body, want.body, BODY_LEN) != 0) == conf,
		    "kssp left the READONLY_WITH_CHECKSUM buffers alone, encrypted the data only "
		    "when sealing");
	}
	if (tamper)
		m.hdr[3] ^= 1;
	mit_iov(&m, iov);
	major = gss_unwrap_iov(&minor, mctx, &conf_state, NULL, iov, 5);
	if (tamper) {
		snprintf(what, sizeof(what), "MIT gss_unwrap_iov refuses a kssp %s token whose "
		    "signed-only header was altered", conf ? "sealed" : "signed");
		check(major == GSS_S_BAD_SIG, what);
		return;
	}
	if (major != GSS_S_COMPLETE)
		gss_fail("gss_unwrap_iov", major, minor);
	snprintf(what, sizeof(what), "MIT gss_unwrap_iov opens kssp's %s READONLY_WITH_CHECKSUM "
	    "layout", conf ? "sealed" : "signed");
	check(major == GSS_S_COMPLETE && conf_state == (int)conf && same_plain(&m, seed), what);
}

/* MIT wraps, kssp DecryptMessage opens. */
static void mit_to_kssp(CtxtHandle *kctx, gss_ctx_id_t mctx, bool conf, bool tamper,
    unsigned char seed)
{
	struct rpc_msg m;
	SecBuffer b[5];
	SecBufferDesc d;
	gss_iov_buffer_desc iov[5];
	OM_uint32 major, minor;
	ULONG qop = 99;
	SECURITY_STATUS ss;
	char what[160];

	fill(&m, seed);
	mit_iov(&m, iov);
	major = gss_wrap_iov_length(&minor, mctx, conf, GSS_C_QOP_DEFAULT, NULL, iov, 5);
	if (major != GSS_S_COMPLETE || iov[0].buffer.length > TOK_MAX ||
	    iov[4].buffer.length > sizeof(m.pad)) {
		gss_fail("gss_wrap_iov_length", major, minor);
		check(false, "MIT gss_wrap_iov_length");
		return;
	}
	m.token_len = iov[0].buffer.length;
	m.pad_len = iov[4].buffer.length;
	mit_iov(&m, iov);
	major = gss_wrap_iov(&minor, mctx, conf, GSS_C_QOP_DEFAULT, NULL, iov, 5);
	if (major != GSS_S_COMPLETE) {
		gss_fail("gss_wrap_iov", major, minor);
		check(false, "MIT gss_wrap_iov");
		return;
	}
	m.token_len = iov[0].buffer.length;
	m.pad_len = iov[4].buffer.length;
	show_header("MIT", &m);
	if (tamper)
		m.trl[5] ^= 0x80;
	kssp_desc(&m, b, &d, (ULONG)m.token_len);
	ss = DecryptMessage(kctx, &d, 0, &qop);
	if (tamper) {
		snprintf(what, sizeof(what), "kssp DecryptMessage refuses an MIT %s token whose "
		    "signed-only trailer was altered (SEC_E_MESSAGE_ALTERED)", conf ? "sealed" : "signed");
		check(ss == SEC_E_MESSAGE_ALTERED, what);
		return;
	}
	if (ss != SEC_E_OK)
		fprintf(stderr, "DecryptMessage: 0x%08lx\n", (unsigned long)ss);
	snprintf(what, sizeof(what), "kssp DecryptMessage opens MIT's %s SIGN_ONLY layout",
	    conf ? "sealed" : "signed");
	check(ss == SEC_E_OK && b[2].cbBuffer == BODY_LEN &&
	    qop == (conf ? 0 : SECQOP_WRAP_NO_ENCRYPT) && same_plain(&m, seed), what);
}

/*
 * RPC's integrity level: MakeSignature over the same buffers (the
 * read-only header and trailer signed too, as MIT's gss_get_mic_iov signs
 * SIGN_ONLY buffers) verified by gss_verify_mic_iov, and the reverse.
 */
static void mic_both_ways(CtxtHandle *kctx, gss_ctx_id_t mctx)
{
	struct rpc_msg m;
	SecBuffer b[5];
	SecBufferDesc d;
	gss_iov_buffer_desc iov[5];
	OM_uint32 major, minor;
	ULONG qop = 0;
	SECURITY_STATUS ss;

	fill(&m, 50);
	kssp_desc(&m, b, &d, TOK_MAX);
	d.cBuffers = 4;
	ss = MakeSignature(kctx, 0, &d, 0);
	check(ss == SEC_E_OK, "kssp MakeSignature over header, data and trailer");
	m.token_len = b[0].cbBuffer;
	mit_iov(&m, iov);
	iov[0].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
	major = gss_verify_mic_iov(&minor, mctx, NULL, iov, 4);
	if (major != GSS_S_COMPLETE)
		gss_fail("gss_verify_mic_iov", major, minor);
	check(ss == SEC_E_OK && major == GSS_S_COMPLETE,
	    "MIT gss_verify_mic_iov verifies kssp's signature over the SIGN_ONLY buffers");

	fill(&m, 51);
	mit_iov(&m, iov);
	iov[0].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	iov[0].buffer.length = 0;
	iov[0].buffer.value = NULL;
	major = gss_get_mic_iov(&minor, mctx, GSS_C_QOP_DEFAULT, iov, 4);
	if (major != GSS_S_COMPLETE || iov[0].buffer.length > TOK_MAX) {
		gss_fail("gss_get_mic_iov", major, minor);
		check(false, "MIT gss_get_mic_iov");
		return;
	}
	memcpy(m.token, iov[0].buffer.value, iov[0].buffer.length);
	m.token_len = iov[0].buffer.length;
	gss_release_iov_buffer(&minor, iov, 4);
	kssp_desc(&m, b, &d, (ULONG)m.token_len);
	d.cBuffers = 4;
	ss = VerifySignature(kctx, &d, 0, &qop);
	check(ss == SEC_E_OK, "kssp VerifySignature verifies MIT's gss_get_mic_iov");
	m.hdr[1] ^= 4;
	ss = VerifySignature(kctx, &d, 0, &qop);
	check(ss == SEC_E_MESSAGE_ALTERED || ss == SEC_E_OUT_OF_SEQUENCE,
	    "kssp VerifySignature refuses it with the read-only header altered");
}

/*
 * kssp's ISC against MIT's gss_accept_sec_context until both are done; with
 * dce the three legs of MS-KILE 3.4.5.1 (ISC_REQ_USE_DCE_STYLE: MIT's
 * acceptor answers GSS_S_CONTINUE_NEEDED with its AP-REP and completes on
 * kssp's own AP-REP).
 */
static bool establish(const char *spn, bool dce, CredHandle *cred, CtxtHandle *kctx,
    gss_ctx_id_t *mctx, OM_uint32 *mflags)
{
	unsigned char out[12000];
	const ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
	    ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | (dce ? ISC_REQ_USE_DCE_STYLE : 0);
	SecBuffer ob, ib;
	SecBufferDesc od, id;
	ULONG attr = 0;
	TimeStamp ts;
	gss_buffer_desc in_tok, out_tok = GSS_C_EMPTY_BUFFER;
	OM_uint32 major, minor;
	SECURITY_STATUS ss;

	ss = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
	    NULL, cred, &ts);
	if (ss != SEC_E_OK) {
		fprintf(stderr, "AcquireCredentialsHandle: 0x%08lx\n", (unsigned long)ss);
		return false;
	}
	ob.BufferType = SECBUFFER_TOKEN;
	ob.pvBuffer = out;
	ob.cbBuffer = sizeof(out);
	od.ulVersion = id.ulVersion = SECBUFFER_VERSION;
	od.cBuffers = id.cBuffers = 1;
	od.pBuffers = &ob;
	id.pBuffers = &ib;
	ss = InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)spn, req, 0, SECURITY_NATIVE_DREP,
	    NULL, 0, kctx, &od, &attr, &ts);
	if (ss != SEC_I_CONTINUE_NEEDED) {
		fprintf(stderr, "InitializeSecurityContext: 0x%08lx\n", (unsigned long)ss);
		return false;
	}
	in_tok.value = out;
	in_tok.length = ob.cbBuffer;
	*mctx = GSS_C_NO_CONTEXT;
	major = gss_accept_sec_context(&minor, mctx, GSS_C_NO_CREDENTIAL, &in_tok,
	    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out_tok, mflags, NULL, NULL);
	if (major != (dce ? GSS_S_CONTINUE_NEEDED : GSS_S_COMPLETE)) {
		gss_fail("gss_accept_sec_context", major, minor);
		return false;
	}
	ib.BufferType = SECBUFFER_TOKEN;
	ib.pvBuffer = out_tok.value;
	ib.cbBuffer = (ULONG)out_tok.length;
	ob.cbBuffer = sizeof(out);
	ss = InitializeSecurityContextA(cred, kctx, (SEC_CHAR *)spn, req, 0, SECURITY_NATIVE_DREP,
	    &id, 0, NULL, &od, &attr, &ts);
	gss_release_buffer(&minor, &out_tok);
	if (ss != SEC_E_OK || (dce && !(attr & ISC_RET_USED_DCE_STYLE))) {
		fprintf(stderr, "InitializeSecurityContext (AP-REP): 0x%08lx attr 0x%lx\n",
		    (unsigned long)ss, (unsigned long)attr);
		return false;
	}
	if (!dce)
		return true;
	/* The third leg: kssp's AP-REP completes MIT's acceptor. */
	in_tok.value = out;
	in_tok.length = ob.cbBuffer;
	major = gss_accept_sec_context(&minor, mctx, GSS_C_NO_CREDENTIAL, &in_tok,
	    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out_tok, mflags, NULL, NULL);
	gss_release_buffer(&minor, &out_tok);
	if (major != GSS_S_COMPLETE || !(*mflags & GSS_C_DCE_STYLE)) {
		gss_fail("gss_accept_sec_context (third leg)", major, minor);
		return false;
	}
	return true;
}

/* The reverse: MIT's gss_init_sec_context against kssp's acceptor with
 * the keytab of KRB5_KTNAME; with dce MIT asks GSS_C_DCE_STYLE and its
 * AP-REP, the third leg, completes kssp's acceptor. */
static bool establish_as_acceptor(const char *spn, bool dce, CredHandle *cred,
    CtxtHandle *kctx, gss_ctx_id_t *mctx, OM_uint32 *mflags)
{
	const OM_uint32 gflags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
	    GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG | (dce ? GSS_C_DCE_STYLE : 0);
	const ULONG areq = ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
	    ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | (dce ? ASC_REQ_USE_DCE_STYLE : 0);
	unsigned char out[12000];
	const char *kt = getenv("KRB5_KTNAME");
	KSSP_AUTH_DATA ad;
	SecBuffer ob, ib;
	SecBufferDesc od, id;
	ULONG attr = 0;
	TimeStamp ts;
	gss_buffer_desc name_buf, in_tok = GSS_C_EMPTY_BUFFER, out_tok = GSS_C_EMPTY_BUFFER;
	gss_name_t target = GSS_C_NO_NAME;
	OM_uint32 major, minor;
	SECURITY_STATUS ss;

	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Keytab = kt && strncmp(kt, "FILE:", 5) == 0 ? kt + 5 : kt;
	ss = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    cred, &ts);
	if (ss != SEC_E_OK) {
		fprintf(stderr, "AcquireCredentialsHandle (inbound): 0x%08lx\n", (unsigned long)ss);
		return false;
	}
	name_buf.value = (void *)spn;
	name_buf.length = strlen(spn);
	major = gss_import_name(&minor, &name_buf, GSS_KRB5_NT_PRINCIPAL_NAME, &target);
	if (major == GSS_S_COMPLETE)
		major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, mctx, target,
		    GSS_C_NO_OID, gflags, 0, GSS_C_NO_CHANNEL_BINDINGS, &in_tok, NULL, &out_tok,
		    mflags, NULL);
	if (major != GSS_S_CONTINUE_NEEDED) {
		gss_fail("gss_init_sec_context", major, minor);
		gss_release_name(&minor, &target);
		return false;
	}
	ib.BufferType = ob.BufferType = SECBUFFER_TOKEN;
	ib.pvBuffer = out_tok.value;
	ib.cbBuffer = (ULONG)out_tok.length;
	ob.pvBuffer = out;
	ob.cbBuffer = sizeof(out);
	od.ulVersion = id.ulVersion = SECBUFFER_VERSION;
	od.cBuffers = id.cBuffers = 1;
	od.pBuffers = &ob;
	id.pBuffers = &ib;
	ss = AcceptSecurityContext(cred, NULL, &id, areq, SECURITY_NATIVE_DREP, kctx, &od, &attr,
	    &ts);
	gss_release_buffer(&minor, &out_tok);
	if (ss != (dce ? SEC_I_CONTINUE_NEEDED : SEC_E_OK)) {
		fprintf(stderr, "AcceptSecurityContext: 0x%08lx\n", (unsigned long)ss);
		gss_release_name(&minor, &target);
		return false;
	}
	in_tok.value = out;
	in_tok.length = ob.cbBuffer;
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, mctx, target, GSS_C_NO_OID,
	    gflags, 0, GSS_C_NO_CHANNEL_BINDINGS, &in_tok, NULL, &out_tok, mflags, NULL);
	gss_release_name(&minor, &target);
	if (major != GSS_S_COMPLETE || (dce && !(*mflags & GSS_C_DCE_STYLE))) {
		gss_fail("gss_init_sec_context (AP-REP)", major, minor);
		gss_release_buffer(&minor, &out_tok);
		return false;
	}
	if (!dce) {
		gss_release_buffer(&minor, &out_tok);
		return true;
	}
	/* The third leg: MIT's AP-REP completes kssp's acceptor. */
	ib.pvBuffer = out_tok.value;
	ib.cbBuffer = (ULONG)out_tok.length;
	ob.cbBuffer = sizeof(out);
	ss = AcceptSecurityContext(cred, kctx, &id, areq, SECURITY_NATIVE_DREP, NULL, &od, &attr,
	    &ts);
	gss_release_buffer(&minor, &out_tok);
	if (ss != SEC_E_OK || !(attr & ASC_RET_USED_DCE_STYLE)) {
		fprintf(stderr, "AcceptSecurityContext (third leg): 0x%08lx attr 0x%lx\n",
		    (unsigned long)ss, (unsigned long)attr);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	CredHandle cred;
	CtxtHandle kctx;
	gss_ctx_id_t mctx = GSS_C_NO_CONTEXT;
	OM_uint32 mflags = 0, minor;
	SecPkgContext_Sizes sz;
	SecPkgContext_KeyInfoA ki;
	bool dce, acceptor;
	int conf;

	if (argc != 4 || (strcmp(argv[2], "stream") != 0 && strcmp(argv[2], "dce") != 0) ||
	    (strcmp(argv[3], "initiator") != 0 && strcmp(argv[3], "acceptor") != 0)) {
		fprintf(stderr, "usage: kssp-rpc-iov-peer SPN stream|dce initiator|acceptor\n");
		return 2;
	}
	dce = strcmp(argv[2], "dce") == 0;
	acceptor = strcmp(argv[3], "acceptor") == 0;
	if (!(acceptor ? establish_as_acceptor : establish)(argv[1], dce, &cred, &kctx, &mctx,
	    &mflags))
		return 1;
	check(true, acceptor ? (dce ? "DCE-style context established in three legs (MIT "
	    "initiator, kssp acceptor)" : "context established (MIT initiator, kssp acceptor)") :
	    (dce ? "DCE-style context established in three legs (kssp initiator, MIT acceptor)" :
	    "context established (kssp initiator, MIT acceptor)"));
	if (QueryContextAttributesA(&kctx, SECPKG_ATTR_KEY_INFO, &ki) == SEC_E_OK) {
		printf("key enctype %lu\n", (unsigned long)ki.EncryptAlgorithm);
		FreeContextBuffer(ki.sSignatureAlgorithmName);
		FreeContextBuffer(ki.sEncryptAlgorithmName);
	}
	if (QueryContextAttributesA(&kctx, SECPKG_ATTR_SIZES, &sz) == SEC_E_OK)
		printf("SIZES: cbMaxSignature %lu cbSecurityTrailer %lu cbBlockSize %lu\n",
		    (unsigned long)sz.cbMaxSignature, (unsigned long)sz.cbSecurityTrailer,
		    (unsigned long)sz.cbBlockSize);
	for (conf = 1; conf >= 0; conf--) {
		kssp_to_mit(&kctx, mctx, conf, false, (unsigned char)(10 + conf));
		mit_to_kssp(&kctx, mctx, conf, false, (unsigned char)(20 + conf));
	}
	mic_both_ways(&kctx, mctx);
	/* Altered tokens last: a refused token leaves a gap in the sender's
	 * numbers, and the integrity check comes before the sequence check. */
	for (conf = 1; conf >= 0; conf--) {
		kssp_to_mit(&kctx, mctx, conf, true, (unsigned char)(30 + conf));
		mit_to_kssp(&kctx, mctx, conf, true, (unsigned char)(40 + conf));
	}
	DeleteSecurityContext(&kctx);
	FreeCredentialsHandle(&cred);
	gss_delete_sec_context(&minor, &mctx, GSS_C_NO_BUFFER);
	printf("%s: %d failure(s)\n", failures ? "FAILED" : "passed", failures);
	return failures ? 1 : 0;
}
