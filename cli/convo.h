/*
 * cli/convo.h - one SSPI conversation as `kssp demo`, `kssp loop --record`
 * and `kssp replay` run it: the client's InitializeSecurityContext legs
 * against a peer (a forked AcceptSecurityContext server or MIT's
 * gss-server over a socket, or an in-process acceptor checking a
 * recording), then one EncryptMessage the peer opens with DecryptMessage.
 * Each step is printed with its status name and token size; with
 * verbose, each token is decoded as `kssp decode` would.
 *
 * The conversation file (KSSP_CONVERSATION of <kssp/kssp.h>: KDC exchanges,
 * C / S / M token lines) carries these metadata keys:
 *     kind          demo | loop | kinit | kvno
 *     clock         the fixed clock of both sides (seconds)
 *     seed          the client's random seed (hex)
 *     acceptor-seed the acceptor's random seed (hex)
 *     client, password   the password logon
 *     service       the target name given to InitializeSecurityContext
 *     package       Kerberos | Negotiate
 *     flags         the ISC_REQ_* bits asked (hex)
 *     message       the text sealed by EncryptMessage
 *     keytab        the acceptor's keytab, a file next to the recording
 *     krb5.conf     the configuration, a file next to the recording
 *     after         (kvno) the recording whose TGT this one uses
 */
#ifndef KSSP_CLI_CONVO_H
#define KSSP_CLI_CONVO_H

#include <stddef.h>
#include <stdint.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#define KSSP_CONVO_TOKEN_MAX 65536

struct kssp_convo;

/* The other side of a conversation. */
struct kssp_convo_peer {
	/*
	 * Hands the client's context token over; when want_reply, fills reply
	 * (KSSP_CONVO_TOKEN_MAX bytes) with the peer's answer.  0 on success.
	 */
	int (*context)(struct kssp_convo *c, const uint8_t *tok, size_t len, int want_reply,
	    uint8_t *reply, size_t *reply_len);
	/* Hands a sealed message (token || data) over to be opened.  0 on success. */
	int (*message)(struct kssp_convo *c, const uint8_t *sealed, size_t len);
	void *arg;
};

struct kssp_convo {
	const char *package;
	ULONG req;
	SEC_CHAR *spn;
	const char *message;
	int verbose;
	CredHandle cred;                /* the client's */
	struct kssp_convo_peer peer;
	KSSP_CONVERSATION *conv;        /* records or checks C / S / M tokens when set */
	int recording;
	ULONG attr;
};

/* KSSP_TRACE=1: the library's trace lines (KDC and context steps, never a
 * key) go to stderr as "[kssp] ...", as kinit and kvno print them. */
void kssp_cli_trace_from_env(KSSP_AUTH_DATA *ad);

/*
 * A recording's deterministic sources: "@ clock" (now) and a random
 * "@ seed", and "@ acceptor-seed" too when acceptor.  0 on success.
 */
int kssp_convo_record_sources(KSSP_CONVERSATION *conv, int acceptor);

/*
 * Copies the file src beside the recording rec as rec's stem + suffix
 * ("demo.rec", ".keytab" -> "demo.keytab"); name gets the copy's base name.
 */
int kssp_convo_copy_beside(const char *src, const char *rec, const char *suffix, char *name,
    size_t cap);

/* Runs the legs and the sealed round trip; prints each step; exit code. */
int kssp_convo_run(struct kssp_convo *c);

/* Prints "  what: STATUS (0x...): reason" on stderr; returns KSSP_EXIT_FAIL. */
int kssp_convo_fail(const char *what, SECURITY_STATUS st);

/*
 * Flushes stdout, so that the lines of the forked server and of child
 * programs come out in the order they happen.
 */
void kssp_convo_flush(void);

/* Prints a token decoded (`kssp decode`'s tree), indented, for -v. */
void kssp_convo_show(const uint8_t *tok, size_t len);

/*
 * The gss-sample wire protocol (MIT's gss-client / gss-server): a flags
 * byte, a 4-byte big-endian length, the bytes.
 */
#define KSSP_GSS_TOKEN_NOOP 0x01
#define KSSP_GSS_TOKEN_CONTEXT 0x02
#define KSSP_GSS_TOKEN_DATA 0x04
#define KSSP_GSS_TOKEN_CONTEXT_NEXT 0x10
#define KSSP_GSS_TOKEN_WRAPPED 0x20
#define KSSP_GSS_TOKEN_ENCRYPTED 0x40
int kssp_convo_send(int fd, uint8_t flags, const uint8_t *buf, size_t len);
int kssp_convo_recv(int fd, uint8_t *flags, uint8_t *buf, size_t *len);

/* A peer speaking the gss-sample protocol on fd (the client's side of it). */
void kssp_convo_socket_peer(struct kssp_convo_peer *p, int *fd);

/*
 * The server side of the gss-sample protocol on fd (the demo's second
 * process): AcceptSecurityContext with cred, then opens each message.
 */
int kssp_convo_serve(int fd, CredHandle *cred, int verbose);

#endif
