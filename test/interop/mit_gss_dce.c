/*
 * test/interop/mit_gss_dce.c - DCE-style contexts (MS-KILE 3.4.5.1)
 * between kssp's SSPI (Kerberos package) and MIT's GSS library
 * (GSS_C_DCE_STYLE), both in this one process, the tokens handed across in
 * memory:
 *
 *   kssp-mit-dce kssp-mit SPN SERVICE@HOST KEYTAB   kssp initiates, MIT accepts
 *   kssp-mit-dce mit-kssp SPN SERVICE@HOST KEYTAB   MIT initiates, kssp accepts
 *
 * The initiator's tickets come from $KRB5CCNAME ($KRB5_CONFIG's realm),
 * the acceptor's keys from KEYTAB.  Printed: each leg's status and token
 * (kind and size), then one message sealed each way (the stream layout),
 * then the enctype of the key each side's tokens use:
 *   "kssp tokens: enctype N" and "MIT tokens: enctype N"
 * (the acceptor subkey's: RFC 4537 chooses it).  Exit 0 when every step
 * succeeded.  Test helper only: it links MIT's library, kssp never does.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kssp/kssp.h"
#include "kssp/sspi.h"

#define DCE_GSS (GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | \
	GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)
#define DCE_ISC (ISC_REQ_USE_DCE_STYLE | ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | \
	ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define DCE_ASC (ASC_REQ_USE_DCE_STYLE | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | \
	ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT)

static unsigned char buf_a[16384], buf_b[16384];

static int gss_fail(const char *what, OM_uint32 major, OM_uint32 minor)
{
	OM_uint32 m, ctx = 0;
	gss_buffer_desc text;

	fprintf(stderr, "kssp-mit-dce: %s: major 0x%x", what, major);
	do {
		if (gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text))
			break;
		fprintf(stderr, ": %.*s", (int)text.length, (char *)text.value);
		gss_release_buffer(&m, &text);
	} while (ctx != 0);
	fprintf(stderr, "\n");
	return 1;
}

static int sspi_fail(const char *what, SECURITY_STATUS st)
{
	fprintf(stderr, "kssp-mit-dce: %s: %s: %s\n", what, kssp_status_name(st),
	    kssp_status_reason());
	return 1;
}

static const char *kind(const void *tok, size_t len)
{
	const unsigned char *p = tok;

	if (len == 0)
		return "none";
	return p[0] == 0x6e ? "bare AP-REQ" : p[0] == 0x6f ? "bare AP-REP" :
	    p[0] == 0x60 ? "framed" : "other";
}

static void leg(const char *who, const char *status, const void *tok, size_t len)
{
	printf("%-12s %-24s %s (%zu bytes)\n", who, status, kind(tok, len), len);
}

static gss_name_t import_service(const char *hostbased)
{
	gss_buffer_desc b = { strlen(hostbased), (void *)hostbased };
	gss_name_t n = GSS_C_NO_NAME;
	OM_uint32 minor;

	if (gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &n) != GSS_S_COMPLETE)
		return GSS_C_NO_NAME;
	return n;
}

/* ---- the two sides' message calls ---------------------------------------- */

/*
 * kssp seals (SECBUFFER_TOKEN, the data, SECBUFFER_PADDING), MIT unwraps
 * the same three buffers with gss_unwrap_iov (HEADER, DATA, PADDING), as
 * RPC callers of a DCE-style context do: its tokens have the RPC layout
 * (MS-KILE 3.4.5.4.1: EC 16, rotated by RRC + EC), which MIT's contiguous
 * gss_unwrap does not take.
 */
static int kssp_to_mit(CtxtHandle *k, gss_ctx_id_t m, const char *msg)
{
	SecPkgContext_Sizes sz;
	size_t n = strlen(msg);
	unsigned char pad[16];
	SecBuffer mb[3];
	SecBufferDesc md = { SECBUFFER_VERSION, 3, mb };
	gss_iov_buffer_desc iov[3];
	OM_uint32 major, minor;
	int conf = 0;
	SECURITY_STATUS st = QueryContextAttributesA(k, SECPKG_ATTR_SIZES, &sz);

	if (st != SEC_E_OK)
		return sspi_fail("QueryContextAttributes(SIZES)", st);
	memcpy(buf_a + sz.cbSecurityTrailer, msg, n);
	mb[0] = (SecBuffer){ sz.cbSecurityTrailer, SECBUFFER_TOKEN, buf_a };
	mb[1] = (SecBuffer){ (ULONG)n, SECBUFFER_DATA, buf_a + sz.cbSecurityTrailer };
	mb[2] = (SecBuffer){ sz.cbBlockSize < sizeof(pad) ? sz.cbBlockSize : sizeof(pad),
		SECBUFFER_PADDING, pad };
	if ((st = EncryptMessage(k, 0, &md, 0)) != SEC_E_OK)
		return sspi_fail("EncryptMessage", st);
	iov[0] = (gss_iov_buffer_desc){ GSS_IOV_BUFFER_TYPE_HEADER,
		{ mb[0].cbBuffer, mb[0].pvBuffer } };
	iov[1] = (gss_iov_buffer_desc){ GSS_IOV_BUFFER_TYPE_DATA, { n, mb[1].pvBuffer } };
	iov[2] = (gss_iov_buffer_desc){ GSS_IOV_BUFFER_TYPE_PADDING, { mb[2].cbBuffer, pad } };
	major = gss_unwrap_iov(&minor, m, &conf, NULL, iov, 3);
	if (major != GSS_S_COMPLETE)
		return gss_fail("gss_unwrap_iov of kssp's EncryptMessage", major, minor);
	if (!conf || memcmp(iov[1].buffer.value, msg, n) != 0)
		return fprintf(stderr, "kssp-mit-dce: MIT unwrapped other bytes\n"), 1;
	printf("kssp -> MIT: \"%.*s\" (sealed)\n", (int)n, (char *)iov[1].buffer.value);
	return 0;
}

/* MIT wraps, kssp decrypts the whole token (SECBUFFER_STREAM). */
static int mit_to_kssp(gss_ctx_id_t m, CtxtHandle *k, const char *msg)
{
	gss_buffer_desc in = { strlen(msg), (void *)msg }, out;
	SecBuffer mb[2];
	SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
	OM_uint32 major, minor;
	ULONG qop = 0;
	int conf = 0;
	SECURITY_STATUS st;

	major = gss_wrap(&minor, m, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
	if (major != GSS_S_COMPLETE || !conf)
		return gss_fail("gss_wrap", major, minor);
	memcpy(buf_b, out.value, out.length);
	mb[0] = (SecBuffer){ (ULONG)out.length, SECBUFFER_STREAM, buf_b };
	mb[1] = (SecBuffer){ 0, SECBUFFER_DATA, NULL };
	gss_release_buffer(&minor, &out);
	if ((st = DecryptMessage(k, &md, 0, &qop)) != SEC_E_OK)
		return sspi_fail("DecryptMessage of MIT's gss_wrap", st);
	if (mb[1].cbBuffer != in.length || memcmp(mb[1].pvBuffer, msg, in.length) != 0)
		return fprintf(stderr, "kssp-mit-dce: kssp decrypted other bytes\n"), 1;
	printf("MIT -> kssp: \"%.*s\" (sealed)\n", (int)mb[1].cbBuffer, (char *)mb[1].pvBuffer);
	return 0;
}

/* The enctype each side's tokens use (MIT's from its lucid context, which ends it). */
static int report_enctypes(CtxtHandle *k, gss_ctx_id_t *m)
{
	SecPkgContext_KeyInfoA ki;
	gss_krb5_lucid_context_v1_t *lc;
	void *p = NULL;
	OM_uint32 major, minor, et;
	SECURITY_STATUS st = QueryContextAttributesA(k, SECPKG_ATTR_KEY_INFO, &ki);

	if (st != SEC_E_OK)
		return sspi_fail("QueryContextAttributes(KEY_INFO)", st);
	printf("kssp tokens: enctype %lu (%s)\n", (unsigned long)ki.EncryptAlgorithm,
	    ki.sEncryptAlgorithmName);
	FreeContextBuffer(ki.sEncryptAlgorithmName);
	FreeContextBuffer(ki.sSignatureAlgorithmName);
	major = gss_krb5_export_lucid_sec_context(&minor, m, 1, &p);
	if (major != GSS_S_COMPLETE)
		return gss_fail("gss_krb5_export_lucid_sec_context", major, minor);
	lc = p;
	if (lc->protocol == 1)
		et = lc->cfx_kd.have_acceptor_subkey ? lc->cfx_kd.acceptor_subkey.type :
		    lc->cfx_kd.ctx_key.type;
	else
		et = lc->rfc1964_kd.ctx_key.type;
	printf("MIT tokens: enctype %u%s\n", et,
	    lc->protocol == 1 && lc->cfx_kd.have_acceptor_subkey ? " (acceptor subkey)" : "");
	gss_krb5_free_lucid_sec_context(&minor, p);
	return 0;
}

/* ---- kssp initiates, MIT accepts --------------------------------------- */

static int run_kssp_mit(const char *spn, const char *keytab)
{
	CredHandle cc;
	CtxtHandle cx;
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	gss_ctx_id_t m = GSS_C_NO_CONTEXT;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 major, minor, flags = 0;
	ULONG attr;
	SECURITY_STATUS st;
	char target[256];

	snprintf(target, sizeof(target), "%s", spn);
	if (krb5_gss_register_acceptor_identity(keytab) != GSS_S_COMPLETE)
		return fprintf(stderr, "kssp-mit-dce: keytab %s refused\n", keytab), 1;
	st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
	    NULL, &cc, NULL);
	if (st != SEC_E_OK)
		return sspi_fail("AcquireCredentialsHandle", st);
	ob = (SecBuffer){ sizeof(buf_a), SECBUFFER_TOKEN, buf_a };
	st = InitializeSecurityContextA(&cc, NULL, target, DCE_ISC, 0, SECURITY_NATIVE_DREP, NULL,
	    0, &cx, &od, &attr, NULL);
	leg("kssp ISC 1", kssp_status_name(st), ob.pvBuffer, ob.cbBuffer);
	if (st != SEC_I_CONTINUE_NEEDED)
		return sspi_fail("InitializeSecurityContext 1", st);
	in = (gss_buffer_desc){ ob.cbBuffer, ob.pvBuffer };
	major = gss_accept_sec_context(&minor, &m, GSS_C_NO_CREDENTIAL, &in,
	    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, &flags, NULL, NULL);
	leg("MIT accept 1", major == GSS_S_CONTINUE_NEEDED ? "GSS_S_CONTINUE_NEEDED" : "?",
	    out.value, out.length);
	if (major != GSS_S_CONTINUE_NEEDED)
		return gss_fail("gss_accept_sec_context 1", major, minor);
	memcpy(buf_b, out.value, out.length);
	ib = (SecBuffer){ (ULONG)out.length, SECBUFFER_TOKEN, buf_b };
	gss_release_buffer(&minor, &out);
	ob = (SecBuffer){ sizeof(buf_a), SECBUFFER_TOKEN, buf_a };
	st = InitializeSecurityContextA(&cc, &cx, target, DCE_ISC, 0, SECURITY_NATIVE_DREP, &id, 0,
	    &cx, &od, &attr, NULL);
	leg("kssp ISC 2", kssp_status_name(st), ob.pvBuffer, ob.cbBuffer);
	if (st != SEC_E_OK)
		return sspi_fail("InitializeSecurityContext 2", st);
	if (!(attr & ISC_RET_USED_DCE_STYLE))
		return fprintf(stderr, "kssp-mit-dce: ISC_RET_USED_DCE_STYLE not set\n"), 1;
	in = (gss_buffer_desc){ ob.cbBuffer, ob.pvBuffer };
	major = gss_accept_sec_context(&minor, &m, GSS_C_NO_CREDENTIAL, &in,
	    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, &flags, NULL, NULL);
	leg("MIT accept 2", major == GSS_S_COMPLETE ? "GSS_S_COMPLETE" : "?", out.value, out.length);
	if (major != GSS_S_COMPLETE)
		return gss_fail("gss_accept_sec_context 2 (the DCE-style AP-REP)", major, minor);
	gss_release_buffer(&minor, &out);
	if (!(flags & GSS_C_DCE_STYLE))
		return fprintf(stderr, "kssp-mit-dce: MIT's context is not DCE style\n"), 1;
	if (kssp_to_mit(&cx, m, "kssp to MIT, DCE style") ||
	    mit_to_kssp(m, &cx, "MIT to kssp, DCE style") || report_enctypes(&cx, &m))
		return 1;
	DeleteSecurityContext(&cx);
	FreeCredentialsHandle(&cc);
	return 0;
}

/* ---- MIT initiates, kssp accepts --------------------------------------- */

static int run_mit_kssp(const char *hostbased, const char *keytab)
{
	KSSP_AUTH_DATA ad;
	CredHandle sc;
	CtxtHandle sx;
	SecBuffer ib, ob;
	SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
	gss_ctx_id_t m = GSS_C_NO_CONTEXT;
	gss_name_t target = import_service(hostbased);
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 major, minor, flags = 0;
	ULONG attr;
	SECURITY_STATUS st;

	if (target == GSS_C_NO_NAME)
		return fprintf(stderr, "kssp-mit-dce: cannot import %s\n", hostbased), 1;
	memset(&ad, 0, sizeof(ad));
	ad.Version = KSSP_AUTH_DATA_VERSION_1;
	ad.Length = sizeof(ad);
	ad.Keytab = keytab;
	st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &sc, NULL);
	if (st != SEC_E_OK)
		return sspi_fail("AcquireCredentialsHandle(INBOUND)", st);
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &m, target,
	    (gss_OID)gss_mech_krb5, DCE_GSS, 0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, &flags,
	    NULL);
	leg("MIT init 1", major == GSS_S_CONTINUE_NEEDED ? "GSS_S_CONTINUE_NEEDED" : "?", out.value,
	    out.length);
	if (major != GSS_S_CONTINUE_NEEDED)
		return gss_fail("gss_init_sec_context 1", major, minor);
	memcpy(buf_a, out.value, out.length);
	ib = (SecBuffer){ (ULONG)out.length, SECBUFFER_TOKEN, buf_a };
	gss_release_buffer(&minor, &out);
	ob = (SecBuffer){ sizeof(buf_b), SECBUFFER_TOKEN, buf_b };
	st = AcceptSecurityContext(&sc, NULL, &id, DCE_ASC, SECURITY_NATIVE_DREP, &sx, &od, &attr,
	    NULL);
	leg("kssp ASC 1", kssp_status_name(st), ob.pvBuffer, ob.cbBuffer);
	if (st != SEC_I_CONTINUE_NEEDED)
		return sspi_fail("AcceptSecurityContext 1", st);
	in = (gss_buffer_desc){ ob.cbBuffer, ob.pvBuffer };
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &m, target,
	    (gss_OID)gss_mech_krb5, DCE_GSS, 0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, &flags,
	    NULL);
	leg("MIT init 2", major == GSS_S_COMPLETE ? "GSS_S_COMPLETE" : "?", out.value, out.length);
	if (major != GSS_S_COMPLETE)
		return gss_fail("gss_init_sec_context 2", major, minor);
	memcpy(buf_a, out.value, out.length);
	ib = (SecBuffer){ (ULONG)out.length, SECBUFFER_TOKEN, buf_a };
	gss_release_buffer(&minor, &out);
	ob = (SecBuffer){ sizeof(buf_b), SECBUFFER_TOKEN, buf_b };
	st = AcceptSecurityContext(&sc, &sx, &id, DCE_ASC, SECURITY_NATIVE_DREP, &sx, &od, &attr,
	    NULL);
	leg("kssp ASC 2", kssp_status_name(st), ob.pvBuffer, ob.cbBuffer);
	if (st != SEC_E_OK)
		return sspi_fail("AcceptSecurityContext 2 (the DCE-style AP-REP)", st);
	if (!(attr & ASC_RET_USED_DCE_STYLE))
		return fprintf(stderr, "kssp-mit-dce: ASC_RET_USED_DCE_STYLE not set\n"), 1;
	if (mit_to_kssp(m, &sx, "MIT to kssp, DCE style") ||
	    kssp_to_mit(&sx, m, "kssp to MIT, DCE style") || report_enctypes(&sx, &m))
		return 1;
	gss_release_name(&minor, &target);
	DeleteSecurityContext(&sx);
	FreeCredentialsHandle(&sc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "kssp-mit") == 0)
		return run_kssp_mit(argv[2], argv[4]);
	if (argc == 5 && strcmp(argv[1], "mit-kssp") == 0)
		return run_mit_kssp(argv[3], argv[4]);
	fprintf(stderr, "usage: kssp-mit-dce kssp-mit|mit-kssp SPN SERVICE@HOST KEYTAB\n");
	return 2;
}
