/*
 * test/tools/mkcred.c - fixture generator (links MIT's libkrb5; never part of
 * libkssp): writes the credential for SERVER from the default ccache as a
 * KRB-CRED made by MIT's krb5_mk_1cred.  With no key in the auth context MIT
 * leaves the EncKrbCredPart unencrypted (etype 0), so the fixture shows the
 * whole structure.  Usage: mkcred SERVER-PRINCIPAL OUTFILE
 */
#include <krb5.h>
#include <stdio.h>
#include <string.h>

static int die(krb5_context ctx, krb5_error_code code, const char *what)
{
	const char *msg = krb5_get_error_message(ctx, code);

	fprintf(stderr, "mkcred: %s: %s\n", what, msg);
	krb5_free_error_message(ctx, msg);
	return 1;
}

int main(int argc, char **argv)
{
	krb5_context ctx;
	krb5_ccache cc;
	krb5_creds in, *out;
	krb5_auth_context ac;
	krb5_data *der;
	krb5_error_code code;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: mkcred SERVER-PRINCIPAL OUTFILE\n");
		return 2;
	}
	if (krb5_init_context(&ctx))
		return 1;
	memset(&in, 0, sizeof(in));
	if ((code = krb5_cc_default(ctx, &cc)) != 0)
		return die(ctx, code, "ccache");
	if ((code = krb5_cc_get_principal(ctx, cc, &in.client)) != 0)
		return die(ctx, code, "client");
	if ((code = krb5_parse_name(ctx, argv[1], &in.server)) != 0)
		return die(ctx, code, "server");
	if ((code = krb5_get_credentials(ctx, KRB5_GC_CACHED, cc, &in, &out)) != 0)
		return die(ctx, code, "get_credentials");
	if ((code = krb5_auth_con_init(ctx, &ac)) != 0)
		return die(ctx, code, "auth_con_init");
	/* No timestamps or sequence numbers: the output depends only on the credential. */
	krb5_auth_con_setflags(ctx, ac, 0);
	if ((code = krb5_mk_1cred(ctx, ac, out, &der, NULL)) != 0)
		return die(ctx, code, "mk_1cred");
	f = fopen(argv[2], "wb");
	if (!f || fwrite(der->data, 1, der->length, f) != der->length || fclose(f) != 0) {
		fprintf(stderr, "mkcred: cannot write %s\n", argv[2]);
		return 1;
	}
	krb5_free_data(ctx, der);
	krb5_free_creds(ctx, out);
	krb5_free_cred_contents(ctx, &in);
	krb5_auth_con_free(ctx, ac);
	krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return 0;
}
