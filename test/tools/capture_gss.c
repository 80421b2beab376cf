/*
 * test/tools/capture_gss.c - records MIT krb5 GSS tokens and their keys as
 * fixtures for the context layer's unit tests.
 *
 * This program is a test generator: it links MIT's libgssapi_krb5 (never
 * linked into libkssp).  It establishes one krb5 GSS context in-process
 * (initiator from the ccache in KRB5CCNAME, acceptor from the keytab in
 * KRB5_KTNAME), has each side produce MIC and Wrap tokens, then exports
 * the initiator's lucid context to learn the protection keys.  Output, one
 * record per line on stdout:
 *
 *   protocol N              0: RFC 1964/4757 tokens, 1: RFC 4121 tokens
 *   flags HEX               the GSS flags the initiator got back
 *   ctx_key ETYPE HEX       initiator subkey (or session key)
 *   acceptor_subkey ETYPE HEX   (only when the acceptor asserted one)
 *   ap_req HEX / ap_rep HEX the context tokens
 *   token SENDER KIND MSG-HEX TOKEN-HEX
 *       SENDER: init or acc; KIND: mic, wrap-conf, wrap-integ,
 *       iov-conf (gss_wrap_iov with HEADER and DATA only: the token is
 *       HEADER followed by DATA, the trailer rotated into the header)
 *
 *   time UNIX               when the tokens were made (for a fixed test clock)
 *
 * Usage: capture_gss SERVICE-PRINCIPAL mutual|nomutual|deleg
 *   deleg: mutual authentication and a delegated (forwarded) TGT.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, OM_uint32 major, OM_uint32 minor)
{
	OM_uint32 m, ctx = 0;
	gss_buffer_desc msg;

	fprintf(stderr, "capture_gss: %s failed: major %08x minor %u\n", what, major, minor);
	do {
		gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &msg);
		fprintf(stderr, "  %.*s\n", (int)msg.length, (char *)msg.value);
		gss_release_buffer(&m, &msg);
	} while (ctx != 0);
	exit(1);
}

static void put_hex(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static void put_buffer(const char *label, const gss_buffer_desc *b)
{
	printf("%s ", label);
	put_hex(b->value, b->length);
	printf("\n");
}

static void put_token(const char *sender, const char *kind, const char *msg,
    const void *tok, size_t toklen)
{
	printf("token %s %s ", sender, kind);
	put_hex(msg, strlen(msg));
	printf(" ");
	put_hex(tok, toklen);
	printf("\n");
}

/* MIC and Wrap tokens of every kind from one side of the context. */
static void emit_tokens(gss_ctx_id_t ctx, const char *sender)
{
	OM_uint32 major, minor;
	gss_buffer_desc in, out;
	gss_iov_buffer_desc iov[2];
	char msg[64];
	unsigned char *joined;
	int conf;

	snprintf(msg, sizeof(msg), "MIC from the %s", sender);
	in.value = msg;
	in.length = strlen(msg);
	major = gss_get_mic(&minor, ctx, GSS_C_QOP_DEFAULT, &in, &out);
	if (major)
		die("gss_get_mic", major, minor);
	put_token(sender, "mic", msg, out.value, out.length);
	gss_release_buffer(&minor, &out);

	for (conf = 1; conf >= 0; conf--) {
		snprintf(msg, sizeof(msg), "%s wrap from the %s, %d",
		    conf ? "sealed" : "signed", sender, conf);
		in.value = msg;
		in.length = strlen(msg);
		major = gss_wrap(&minor, ctx, conf, GSS_C_QOP_DEFAULT, &in, NULL, &out);
		if (major)
			die("gss_wrap", major, minor);
		put_token(sender, conf ? "wrap-conf" : "wrap-integ", msg, out.value, out.length);
		gss_release_buffer(&minor, &out);
	}

	snprintf(msg, sizeof(msg), "iov wrap from the %s, header and data only", sender);
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	iov[0].buffer.value = NULL;
	iov[0].buffer.length = 0;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].buffer.value = strdup(msg);
	iov[1].buffer.length = strlen(msg);
	major = gss_wrap_iov(&minor, ctx, 1, GSS_C_QOP_DEFAULT, NULL, iov, 2);
	if (major) {
		/* RFC 1964 tokens need a padding buffer: no such layout there. */
		printf("# %s: gss_wrap_iov without trailer refused (%08x)\n", sender, major);
		free(iov[1].buffer.value);
		return;
	}
	joined = malloc(iov[0].buffer.length + iov[1].buffer.length);
	if (!joined)
		exit(1);
	memcpy(joined, iov[0].buffer.value, iov[0].buffer.length);
	memcpy(joined + iov[0].buffer.length, iov[1].buffer.value, iov[1].buffer.length);
	put_token(sender, "iov-conf", msg, joined, iov[0].buffer.length + iov[1].buffer.length);
	free(joined);
	free(iov[1].buffer.value);
	gss_release_iov_buffer(&minor, iov, 1);
}

static void put_key(const char *label, const gss_krb5_lucid_key_t *k)
{
	printf("%s %u ", label, k->type);
	put_hex(k->data, k->length);
	printf("\n");
}

static void emit_keys(gss_ctx_id_t *ctx)
{
	OM_uint32 major, minor;
	void *lucid;
	gss_krb5_lucid_context_v1_t *lc;

	major = gss_krb5_export_lucid_sec_context(&minor, ctx, 1, &lucid);
	if (major)
		die("gss_krb5_export_lucid_sec_context", major, minor);
	lc = lucid;
	printf("protocol %u\n", lc->protocol);
	if (lc->protocol == 0) {
		put_key("ctx_key", &lc->rfc1964_kd.ctx_key);
	} else {
		put_key("ctx_key", &lc->cfx_kd.ctx_key);
		if (lc->cfx_kd.have_acceptor_subkey)
			put_key("acceptor_subkey", &lc->cfx_kd.acceptor_subkey);
	}
	gss_krb5_free_lucid_sec_context(&minor, lucid);
}

int main(int argc, char **argv)
{
	OM_uint32 major, minor, ret_flags = 0, req;
	gss_buffer_desc namebuf, tok1 = GSS_C_EMPTY_BUFFER, tok2 = GSS_C_EMPTY_BUFFER;
	gss_buffer_desc tok3 = GSS_C_EMPTY_BUFFER;
	gss_name_t target;
	gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
	int mutual;

	if (argc != 3) {
		fprintf(stderr, "usage: capture_gss SERVICE-PRINCIPAL mutual|nomutual|deleg\n");
		return 2;
	}
	mutual = strcmp(argv[2], "nomutual") != 0;
	namebuf.value = argv[1];
	namebuf.length = strlen(argv[1]);
	major = gss_import_name(&minor, &namebuf, GSS_KRB5_NT_PRINCIPAL_NAME, &target);
	if (major)
		die("gss_import_name", major, minor);

	req = GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
	if (mutual)
		req |= GSS_C_MUTUAL_FLAG;
	if (strcmp(argv[2], "deleg") == 0)
		req |= GSS_C_DELEG_FLAG;
	printf("time %lld\n", (long long)time(NULL));
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ictx, target,
	    (gss_OID)gss_mech_krb5, req, 0, GSS_C_NO_CHANNEL_BINDINGS,
	    GSS_C_NO_BUFFER, NULL, &tok1, &ret_flags, NULL);
	if (GSS_ERROR(major))
		die("gss_init_sec_context", major, minor);
	put_buffer("ap_req", &tok1);

	major = gss_accept_sec_context(&minor, &actx, GSS_C_NO_CREDENTIAL, &tok1,
	    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &tok2, NULL, NULL, NULL);
	if (GSS_ERROR(major))
		die("gss_accept_sec_context", major, minor);
	if (mutual) {
		put_buffer("ap_rep", &tok2);
		major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ictx, target,
		    (gss_OID)gss_mech_krb5, req, 0, GSS_C_NO_CHANNEL_BINDINGS,
		    &tok2, NULL, &tok3, &ret_flags, NULL);
		if (major)
			die("gss_init_sec_context (AP-REP)", major, minor);
	}
	printf("flags %x\n", ret_flags);

	emit_tokens(ictx, "init");
	emit_tokens(actx, "acc");
	emit_keys(&ictx);

	gss_release_buffer(&minor, &tok1);
	gss_release_buffer(&minor, &tok2);
	gss_release_buffer(&minor, &tok3);
	gss_delete_sec_context(&minor, &actx, GSS_C_NO_BUFFER);
	gss_release_name(&minor, &target);
	return 0;
}
