/*
 * test/interop/mit_rcstore.c - stores authenticator tags into a replay
 * cache through MIT's own library (k5_rc_resolve, k5_rc_store), so that
 * kssp's reading of MIT's file2 format is tested against the real writer.
 *
 *   kssp-mit-rcstore NAME HEXTAG...
 *       NAME is an MIT replay cache name (file2:PATH).  Each HEXTAG (24
 *       hex digits) is made the checksum of an aes256-cts-hmac-sha1-96
 *       ciphertext, whose last 12 bytes MIT keeps as the tag; prints "ok"
 *       or "replay" per tag.  Exit 0 unless MIT's library fails otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <krb5.h>

/* MIT's internal replay cache interface (exported by libkrb5, k5-int.h). */
typedef struct krb5_rc_st *krb5_rcache_int;
krb5_error_code k5_rc_resolve(krb5_context, const char *, krb5_rcache_int *);
krb5_error_code k5_rc_store(krb5_context, krb5_rcache_int, const krb5_enc_data *);
void k5_rc_close(krb5_context, krb5_rcache_int);

int main(int argc, char **argv)
{
	krb5_context k;
	krb5_rcache_int rc;
	krb5_error_code ret;
	int i, j;

	if (argc < 3 || krb5_init_context(&k) != 0)
		return 2;
	if ((ret = k5_rc_resolve(k, argv[1], &rc)) != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], krb5_get_error_message(k, ret));
		return 1;
	}
	for (i = 2; i < argc; i++) {
		unsigned char cipher[44] = { 0 };
		krb5_enc_data enc;
		unsigned int b;

		if (strlen(argv[i]) != 24)
			return 2;
		for (j = 0; j < 12; j++) {
			if (sscanf(argv[i] + 2 * j, "%2x", &b) != 1)
				return 2;
			cipher[32 + j] = (unsigned char)b;
		}
		memset(&enc, 0, sizeof(enc));
		enc.enctype = ENCTYPE_AES256_CTS_HMAC_SHA1_96;
		enc.ciphertext.data = (char *)cipher;
		enc.ciphertext.length = sizeof(cipher);
		ret = k5_rc_store(k, rc, &enc);
		if (ret != 0 && ret != KRB5KRB_AP_ERR_REPEAT) {
			fprintf(stderr, "store: %s\n", krb5_get_error_message(k, ret));
			return 1;
		}
		printf("%s\n", ret ? "replay" : "ok");
	}
	k5_rc_close(k, rc);
	krb5_free_context(k);
	return 0;
}
