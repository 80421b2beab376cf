/*
 * test/interop/gss_peer.c - kssp's context layer speaking the protocol of
 * MIT's gss-sample programs (gss-client / gss-server), so that each can be
 * tested against the other side's MIT program.
 *
 * Framing (MIT src/appl/gss-sample): every token is one flags byte, a
 * 4-byte big-endian length and the bytes.  The client sends NOOP|CONTEXT_NEXT,
 * then context tokens (CONTEXT) until established; then per message a DATA
 * token (WRAPPED, ENCRYPTED, SEND_MIC as asked), answered by a MIC over the
 * plaintext (MIC) or NOOP; a final NOOP ends the session.
 *
 *   kssp-gss-peer server PORT KEYTAB [DELEG-CCACHE]
 *       accepts one connection on 127.0.0.1:PORT; prints "listening" once
 *       bound, then the client's name and flags; stores a delegated TGT.
 *   kssp-gss-peer client PORT CCACHE SPN MESSAGE [-nomutual] [-d] [-nw] [-nx] [-nm]
 *       MIT gss-client's options: no mutual authentication, delegate, no
 *       wrap, no encryption, no MIC.  -d asks the KDC ($KRB5_CONFIG) for a
 *       forwarded TGT (RFC 4120 §2.6) from the cache's forwardable TGT and
 *       sends that one, as MIT's gss_init_sec_context does.
 * Exit 0 when every step succeeded.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/mem_int.h"
#include "context/ap_int.h"
#include "creds/ccache_int.h"
#include "creds/keytab_int.h"
#include "creds/principal_int.h"
#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/tgs_int.h"

#define TOKEN_NOOP 0x01
#define TOKEN_CONTEXT 0x02
#define TOKEN_DATA 0x04
#define TOKEN_MIC 0x08
#define TOKEN_CONTEXT_NEXT 0x10
#define TOKEN_WRAPPED 0x20
#define TOKEN_ENCRYPTED 0x40
#define TOKEN_SEND_MIC 0x80

#define MAX_TOKEN (1 << 20)

static int die(const char *what, kssp_err e)
{
	fprintf(stderr, "kssp-gss-peer: %s: %s: %s\n", what, kssp_err_name(e), kssp_last_reason());
	return 1;
}

static bool io_all(int fd, void *buf, size_t n, bool writing)
{
	uint8_t *p = buf;
	ssize_t r;

	while (n) {
		r = writing ? write(fd, p, n) : read(fd, p, n);
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static bool send_token(int fd, uint8_t flags, const uint8_t *tok, size_t len)
{
	uint8_t hdr[5] = { flags, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
		(uint8_t)len };

	return io_all(fd, hdr, sizeof(hdr), true) && (len == 0 || io_all(fd, (void *)tok, len, true));
}

/* Receives a token into a malloc'd buffer (NULL when empty). */
static bool recv_token(int fd, uint8_t *flags, uint8_t **tok, size_t *len)
{
	uint8_t hdr[5];

	*tok = NULL;
	if (!io_all(fd, hdr, sizeof(hdr), false))
		return false;
	*flags = hdr[0];
	*len = (size_t)hdr[1] << 24 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 8 | hdr[4];
	if (*len > MAX_TOKEN)
		return false;
	if (*len == 0)
		return true;
	*tok = malloc(*len);
	return *tok && io_all(fd, *tok, *len, false);
}

/* ---- server ------------------------------------------------------------ */

static int serve_messages(int fd, struct kssp_ctx *ctx)
{
	uint8_t flags, *tok, mic[128];
	size_t len, off, dl, miclen;
	struct kssp_crypto_iov m;
	bool conf;
	kssp_err e;

	for (;;) {
		if (!recv_token(fd, &flags, &tok, &len))
			return die("receiving a message", KSSP_ERR_IO);
		if (flags & TOKEN_NOOP) {
			free(tok);
			return 0;
		}
		off = 0;
		dl = len;
		if (flags & TOKEN_WRAPPED) {
			e = kssp_token_unwrap(&ctx->tokens, tok, len, &off, &dl, &conf, NULL);
			if (e)
				return die("unwrapping", e);
			if ((flags & TOKEN_ENCRYPTED) && !conf)
				fprintf(stderr, "message was not encrypted\n");
		}
		printf("Received message: \"%.*s\"\n", (int)dl, tok ? (char *)tok + off : "");
		if (flags & TOKEN_SEND_MIC) {
			m.data = tok + off;
			m.len = dl;
			e = kssp_token_get_mic(&ctx->tokens, &m, 1, mic, sizeof(mic), &miclen);
			if (e)
				return die("making the MIC", e);
			if (!send_token(fd, TOKEN_MIC, mic, miclen))
				return die("sending the MIC", KSSP_ERR_IO);
		} else if (!send_token(fd, TOKEN_NOOP, NULL, 0)) {
			return die("sending NOOP", KSSP_ERR_IO);
		}
		free(tok);
	}
}

static int store_delegated(const char *path, const struct kssp_cred *cred)
{
	struct kssp_ccache cc;
	kssp_err e;

	kssp_ccache_init(&cc);
	e = kssp_ccache_reset(&cc, cred->client);
	if (!e)
		e = kssp_ccache_add(&cc, cred);
	if (!e)
		e = kssp_ccache_write(&cc, path);
	kssp_ccache_free(&cc);
	if (e)
		return die("storing the delegated TGT", e);
	printf("Delegated credentials stored in %s\n", path);
	return 0;
}

static int run_server(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct kssp_keytab kt;
	struct kssp_rcache rc;
	struct kssp_ctx ctx;
	struct kssp_ctx_accept_params p;
	uint8_t flags, *tok = NULL, *reply = NULL;
	size_t len, rlen;
	char *client = NULL;
	int one = 1, ls, fd, ret = 1;
	kssp_err e;

	if (argc < 4)
		return 2;
	kssp_keytab_init(&kt);
	e = kssp_keytab_read(argv[3], &kt);
	if (!e)
		e = kssp_rcache_init(&rc, 0);
	if (e)
		return die("reading the keytab", e);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(ls, 1) != 0)
		return die("listening", KSSP_ERR_IO);
	printf("listening\n");
	fflush(stdout);
	fd = accept(ls, NULL, NULL);
	close(ls);
	kssp_ctx_init(&ctx, NULL);
	if (fd < 0 || !recv_token(fd, &flags, &tok, &len) || !(flags & TOKEN_NOOP)) {
		fprintf(stderr, "kssp-gss-peer: expected the NOOP|CONTEXT_NEXT token\n");
		goto out;
	}
	free(tok);
	if (!recv_token(fd, &flags, &tok, &len) || !(flags & TOKEN_CONTEXT)) {
		fprintf(stderr, "kssp-gss-peer: expected a context token\n");
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.keytab = &kt;
	p.rcache = &rc;
	e = kssp_ctx_accept(&ctx, &p, tok, len, &reply, &rlen);
	if (reply)
		send_token(fd, TOKEN_CONTEXT, reply, rlen);
	if (e) {
		die("accepting the context", e);
		goto out;
	}
	kssp_principal_unparse(ctx.client, 0, &client);
	printf("Accepted connection: \"%s\"\nflags 0x%x session enctype %d token key enctype %d\n",
	    client, ctx.flags, (int)ctx.session_enctype,
	    (int)kssp_token_ctx_key(&ctx.tokens)->enctype);
	fflush(stdout);
	if (ctx.delegated && argc > 4 && store_delegated(argv[4], ctx.delegated) != 0)
		goto out;
	ret = serve_messages(fd, &ctx);
out:
	kssp_free(client);
	kssp_free(reply);
	free(tok);
	if (fd >= 0)
		close(fd);
	kssp_ctx_clear(&ctx);
	kssp_rcache_free(&rc);
	kssp_keytab_free(&kt);
	return ret;
}

/* ---- client ------------------------------------------------------------ */

struct client_opts {
	bool mutual, deleg, wrap, conf, mic;
};

static kssp_err find_creds(const struct kssp_ccache *cc, const char *spn,
    const struct kssp_cred **svc, const struct kssp_cred **tgt, bool deleg)
{
	struct kssp_principal *server = NULL, *krbtgt = NULL;
	const char *comps[2] = { "krbtgt", NULL };
	kssp_err e = kssp_principal_parse(spn, 0, cc->default_principal->realm.data, &server);

	if (!e)
		e = kssp_ccache_find(cc, cc->default_principal, server, svc);
	if (!e && deleg) {
		comps[1] = cc->default_principal->realm.data;
		e = kssp_principal_build(&krbtgt, KSSP_NT_SRV_INST,
		    cc->default_principal->realm.data, 2, comps);
		if (!e)
			e = kssp_ccache_find(cc, cc->default_principal, krbtgt, tgt);
	}
	kssp_principal_free(server);
	kssp_principal_free(krbtgt);
	return e;
}

/* A forwarded TGT from the KDC of the cache's TGT (krb5.conf: $KRB5_CONFIG). */
static kssp_err forward_tgt(const struct kssp_cred *tgt, struct kssp_cred *out)
{
	struct kssp_config *cfg = NULL;
	struct kssp_kdc_ctx kdc;
	kssp_err e = kssp_config_load(NULL, &cfg);

	if (e)
		return e;
	kssp_kdc_ctx_init(&kdc, cfg, NULL);
	e = kssp_tgs_forward_tgt(&kdc, tgt, out);
	kssp_kdc_ctx_free(&kdc);
	kssp_config_free(cfg);
	if (!e)
		printf("Forwarded TGT obtained (flags 0x%08x)\n", (unsigned)out->ticket_flags);
	return e;
}

static int connect_loopback(const char *port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)atoi(port));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int send_message(int fd, struct kssp_ctx *ctx, const struct client_opts *o,
    const char *msg)
{
	struct kssp_wrap_sizes s;
	struct kssp_crypto_iov m = { (const uint8_t *)msg, strlen(msg) };
	uint8_t *buf, flags, *tok;
	size_t cap, tl, len;
	kssp_err e;

	e = kssp_token_wrap_sizes(&ctx->tokens, o->conf, m.len, &s);
	if (e)
		return die("sizing the Wrap token", e);
	cap = s.header + m.len + s.trailer;
	buf = malloc(cap);
	memcpy(buf + (o->wrap ? s.header : 0), msg, m.len);
	tl = m.len;
	if (o->wrap) {
		e = kssp_token_wrap(&ctx->tokens, o->conf, buf, cap, m.len, &tl);
		if (e)
			return die("wrapping", e);
	}
	flags = TOKEN_DATA | (o->wrap ? TOKEN_WRAPPED : 0) | (o->wrap && o->conf ? TOKEN_ENCRYPTED : 0) |
	    (o->mic ? TOKEN_SEND_MIC : 0);
	if (!send_token(fd, flags, buf, tl))
		return die("sending the message", KSSP_ERR_IO);
	free(buf);
	if (!recv_token(fd, &flags, &tok, &len))
		return die("receiving the answer", KSSP_ERR_IO);
	if (o->mic) {
		if (!(flags & TOKEN_MIC))
			return die("the server sent no MIC", KSSP_ERR_BAD_ENCODING);
		e = kssp_token_verify_mic(&ctx->tokens, &m, 1, tok, len, NULL);
		if (e)
			return die("verifying the server's MIC", e);
		printf("Signature verified.\n");
	}
	free(tok);
	return 0;
}

static int run_client(int argc, char **argv)
{
	struct client_opts o = { true, false, true, true, true };
	struct kssp_ctx_initiate_params p;
	const struct kssp_cred *svc = NULL, *tgt = NULL;
	struct kssp_cred forwarded;
	struct kssp_ccache cc;
	struct kssp_ctx ctx;
	uint8_t *tok = NULL, flags;
	size_t len;
	int i, fd = -1, ret = 1;
	kssp_err e;

	if (argc < 6)
		return 2;
	for (i = 6; i < argc; i++) {
		if (strcmp(argv[i], "-nomutual") == 0) o.mutual = false;
		else if (strcmp(argv[i], "-d") == 0) o.deleg = true;
		else if (strcmp(argv[i], "-nw") == 0) o.wrap = false;
		else if (strcmp(argv[i], "-nx") == 0) o.conf = false;
		else if (strcmp(argv[i], "-nm") == 0) o.mic = false;
		else return 2;
	}
	kssp_ccache_init(&cc);
	kssp_ctx_init(&ctx, NULL);
	memset(&forwarded, 0, sizeof(forwarded));
	e = kssp_ccache_read(argv[3], &cc);
	if (!e)
		e = find_creds(&cc, argv[4], &svc, &tgt, o.deleg);
	if (!e && o.deleg)
		e = forward_tgt(tgt, &forwarded);
	if (e) {
		die("finding the tickets", e);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.service = svc;
	p.delegate = o.deleg ? &forwarded : NULL;
	p.req_flags = KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE | (o.mutual ? KSSP_GSS_MUTUAL : 0) |
	    (o.deleg ? KSSP_GSS_DELEG : 0);
	fd = connect_loopback(argv[2]);
	if (fd < 0 || !send_token(fd, TOKEN_NOOP | TOKEN_CONTEXT_NEXT, NULL, 0)) {
		die("connecting", KSSP_ERR_IO);
		goto out;
	}
	e = kssp_ctx_initiate(&ctx, &p, &tok, &len);
	if (e || !send_token(fd, TOKEN_CONTEXT, tok, len)) {
		die("sending the AP-REQ", e ? e : KSSP_ERR_IO);
		goto out;
	}
	kssp_free(tok);
	tok = NULL;
	if (o.mutual) {
		if (!recv_token(fd, &flags, &tok, &len)) {
			die("receiving the AP-REP", KSSP_ERR_IO);
			goto out;
		}
		e = kssp_ctx_initiate_continue(&ctx, tok, len);
		free(tok);
		tok = NULL;
		if (e) {
			die("processing the AP-REP", e);
			goto out;
		}
	}
	printf("Context established: flags 0x%x session enctype %d token key enctype %d\n",
	    ctx.flags, (int)ctx.session_enctype, (int)kssp_token_ctx_key(&ctx.tokens)->enctype);
	if (send_message(fd, &ctx, &o, argv[5]) != 0)
		goto out;
	if (send_token(fd, TOKEN_NOOP, NULL, 0))
		ret = 0;
out:
	if (fd >= 0)
		close(fd);
	kssp_ctx_clear(&ctx);
	kssp_cred_clear(&forwarded);
	kssp_ccache_free(&cc);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "server") == 0)
		return run_server(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "client") == 0)
		return run_client(argc, argv);
	fprintf(stderr, "usage: kssp-gss-peer server PORT KEYTAB [DELEG-CCACHE]\n"
	    "       kssp-gss-peer client PORT CCACHE SPN MESSAGE [-nomutual] [-d] [-nw] [-nx] [-nm]\n");
	return 2;
}
