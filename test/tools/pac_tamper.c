/*
 * test/tools/pac_tamper.c - alters the PAC inside a service ticket, for the
 * end-to-end test that an acceptor refuses it (MS-PAC 2.8.1).
 *
 *   pac-tamper KEYTAB SPN < TOKEN > ALTERED
 *
 * TOKEN is a krb5 GSS initial context token in base64 (RFC 4121 §4.1, what
 * `kssp token` prints).  The ticket's enc-part is opened with KEYTAB's key for
 * SPN of its enctype (and kvno), one byte of the PAC's server signature (the
 * AD-WIN2K-PAC inside AD-IF-RELEVANT, found as the acceptor finds it) is
 * flipped, the enc-part sealed again under the same key and the AP-REQ and
 * its GSS framing encoded again by asn1/: the ticket stays genuine to the
 * service key, so only the PAC check can catch the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/asn1.h"
#include "base/base.h"
#include "context/context.h"
#include "creds/creds.h"
#include "crypto/crypto.h"

static int fail(const char *what)
{
	fprintf(stderr, "pac-tamper: %s: %s: %s\n", what, kssp_err_name(kssp_last_error()),
	    kssp_last_reason());
	return 1;
}

/* All of stdin, base64-decoded. */
static kssp_err read_token(struct kssp_writer *w)
{
	char text[65536];
	size_t n = fread(text, 1, sizeof text, stdin);

	if (n == sizeof text || ferror(stdin))
		return kssp_fail(KSSP_ERR_LIMIT, "the token is over 64 KiB or unreadable");
	return kssp_base64_decode(w, text, n);
}

/* KEYTAB's key of spn for the ticket's enc-part: its enctype, its kvno if given. */
static kssp_err ticket_key(const struct kssp_keytab *kt, const char *spn,
    const struct kssp_encrypted_data *ed, struct kssp_key *key)
{
	const struct kssp_keytab_entry *entry;
	struct kssp_principal *p = NULL;
	kssp_err e = kssp_principal_parse(spn, KSSP_PARSE_REQUIRE_REALM, NULL, &p);

	if (!e)
		e = kssp_keytab_find(kt, p, ed->etype, ed->has_kvno ? ed->kvno : 0, &entry);
	if (!e)
		e = kssp_crypto_key_init(key, entry->keytype, entry->key, entry->key_len);
	kssp_principal_free(p);
	return e;
}

/* Flips one byte of the server signature of the PAC in plain (an EncTicketPart). */
static kssp_err flip_server_signature(uint8_t *plain, size_t len)
{
	struct kssp_arena arena;
	struct kssp_enc_ticket_part etp;
	struct kssp_pac pac;
	const uint8_t *raw = NULL;
	size_t raw_len = 0;
	kssp_err e;

	memset(&pac, 0, sizeof pac);
	kssp_arena_init(&arena);
	e = kssp_krb5_decode_enc_ticket_part(plain, len, &arena, &etp);
	if (!e)
		e = kssp_pac_find(etp.authorization_data, etp.authorization_data_len, &arena, &raw,
		    &raw_len);
	if (!e)
		e = kssp_pac_parse(raw, raw_len, &pac);
	if (!e && (!pac.server_signature.present || !pac.server_signature.signature_len))
		e = kssp_fail(KSSP_ERR_NOT_FOUND, "the PAC has no server signature");
	if (!e)
		plain[(size_t)(raw - plain) + (size_t)(pac.server_signature.signature - pac.data)] ^= 0x01;
	kssp_pac_free(&pac);
	kssp_arena_free(&arena);
	return e;
}

/* The AP-REQ message with its ticket's enc-part altered, framed again, in base64 on stdout. */
static kssp_err write_token(struct kssp_ap_req *ap, const uint8_t *cipher, size_t cipher_len)
{
	struct kssp_writer msg, tok, text;
	kssp_err e;

	ap->ticket.enc_part.cipher.data = cipher;
	ap->ticket.enc_part.cipher.len = cipher_len;
	kssp_writer_init_growable(&msg, 0);
	kssp_writer_init_growable(&tok, 0);
	kssp_writer_init_growable(&text, 0);
	e = kssp_krb5_encode_ap_req(ap, &msg);
	if (!e)
		e = kssp_gss_encode_krb5(KSSP_GSS_TOK_AP_REQ, msg.buf, msg.len, &tok);
	if (!e) {
		kssp_base64_encode(&text, tok.buf, tok.len);
		e = kssp_writer_status(&text);
	}
	if (!e && (fwrite(text.buf, 1, text.len, stdout) != text.len || putchar('\n') == EOF))
		e = kssp_fail(KSSP_ERR_IO, "writing the token");
	kssp_writer_free(&text);
	kssp_writer_free(&tok);
	kssp_writer_free(&msg);
	return e;
}

static kssp_err tamper(const struct kssp_keytab *kt, const char *spn, const uint8_t *token,
    size_t len)
{
	struct kssp_hooks hooks = { .random = kssp_system_random, .clock = kssp_system_clock };
	struct kssp_gss_krb5_token gss;
	struct kssp_arena arena;
	struct kssp_ap_req ap;
	struct kssp_key key;
	uint8_t *plain = NULL, *cipher = NULL;
	size_t plain_len = 0, cipher_len = 0;
	kssp_err e;

	memset(&key, 0, sizeof key);
	kssp_arena_init(&arena);
	e = kssp_gss_decode_krb5(token, len, &gss);
	if (!e && gss.tok_id != KSSP_GSS_TOK_AP_REQ)
		e = kssp_fail(KSSP_ERR_BAD_ENCODING, "not an AP-REQ token");
	if (!e)
		e = kssp_krb5_decode_ap_req(gss.message.data, gss.message.len, &arena, &ap);
	if (!e)
		e = ticket_key(kt, spn, &ap.ticket.enc_part, &key);
	if (!e)
		e = kssp_crypto_open(&key, KSSP_KU_TICKET, ap.ticket.enc_part.etype,
		    ap.ticket.enc_part.cipher.data, ap.ticket.enc_part.cipher.len, "the ticket",
		    &plain, &plain_len);
	if (!e)
		e = flip_server_signature(plain, plain_len);
	if (!e)
		e = kssp_crypto_seal(&hooks, &key, KSSP_KU_TICKET, plain, plain_len, &cipher,
		    &cipher_len);
	if (!e)
		e = write_token(&ap, cipher, cipher_len);
	kssp_free(cipher);
	kssp_free_secret(plain, plain_len);
	kssp_crypto_key_clear(&key);
	kssp_arena_free(&arena);
	return e;
}

int main(int argc, char **argv)
{
	struct kssp_keytab kt;
	struct kssp_writer token;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: pac-tamper KEYTAB SPN < TOKEN > ALTERED\n");
		return 2;
	}
	kssp_keytab_init(&kt);
	kssp_writer_init_growable(&token, 0);
	if (kssp_keytab_read(argv[1], &kt))
		rc = fail(argv[1]);
	else if (read_token(&token) || kssp_writer_status(&token))
		rc = fail("reading the token");
	else if (tamper(&kt, argv[2], token.buf, token.len))
		rc = fail("altering the PAC");
	kssp_writer_free(&token);
	kssp_keytab_free(&kt);
	return rc;
}
