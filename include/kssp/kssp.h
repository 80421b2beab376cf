/*
 * <kssp/kssp.h> - what kssp adds to the Windows SSPI surface for Linux.
 *
 * <kssp/sspi.h> declares the Windows names; this header declares what
 * Windows never needed to say on Linux: the library version, the
 * KSSP_AUTH_DATA extension passed as pAuthData (keytab, cache, krb5.conf,
 * enctypes, hooks, impersonation and delegation), status names, the
 * failure-reason accessors and recorded conversations.
 */
#ifndef KSSP_KSSP_H
#define KSSP_KSSP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KSSP_VERSION_MAJOR 0
#define KSSP_VERSION_MINOR 1
#define KSSP_VERSION_PATCH 0
#define KSSP_VERSION_STRING "0.1.0"

/* Marks a symbol that libkssp.so exports; everything else stays hidden. */
#ifndef KSSP_API
#if defined(__GNUC__)
#define KSSP_API __attribute__((visibility("default")))
#else
#define KSSP_API
#endif
#endif

/* The extensions below speak SSPI's types. */
#include <kssp/sspi.h>

/*
 * The version of the library actually linked, "MAJOR.MINOR.PATCH", which
 * may differ from KSSP_VERSION_STRING when a program runs against a newer
 * shared library than it was built with.
 */
KSSP_API const char *kssp_version(void);

/* ---- SSPI extensions ---- */

/*
 * The symbolic name of a SECURITY_STATUS ("SEC_E_LOGON_DENIED"); never
 * NULL: a value Windows does not define gives "SEC_E_UNKNOWN".  Where
 * winerror.h has two names for one value the first-defined one is given
 * (SEC_E_INTERNAL_ERROR, not SEC_E_NO_SPM).
 */
KSSP_API const char *kssp_status_name(SECURITY_STATUS status);

/*
 * The one-line reason for this thread's last failed SSPI call ("KDC
 * 127.0.0.1:88: KDC_ERR_PREAUTH_FAILED"), or "" when the thread's last
 * SSPI call succeeded.  Valid until the thread's next SSPI call.
 */
KSSP_API const char *kssp_status_reason(void);

/*
 * The kssp error behind this thread's last failed SSPI call: its name
 * ("KRB_AP_ERR_REPEAT" for a Kerberos error, RFC 4120 §7.5.9; "KSSP_ERR_IO"
 * for one of kssp's own conditions) and, when Code is not NULL, its number
 * in *Code (the RFC's number for a Kerberos error).  "" and 0 when the call
 * succeeded or failed in the SSPI layer itself (a bad handle or parameter).
 * Valid until the thread's next SSPI call.
 */
KSSP_API const char *kssp_status_error(int32_t *Code);

/*
 * kssp extension, no Windows equivalent: writes the TGT the client of the
 * accepted context phContext delegated (ASC_RET_DELEGATE; RFC 4121 §4.1.1
 * Deleg field) into a new credential cache pszCcache ("FILE:/path" or a
 * path; a file there is replaced, atomically), the client as its default
 * principal, so that programs speaking MIT's FILE cache act for the client.
 * Without one, the ticket the context kept (accepted with ASC_REQ_DELEGATE)
 * is stored instead, as the service's evidence for S4U2Proxy: added to
 * pszCcache when the service is its default principal, else in a new cache
 * of the service's (`kssp kvno -U CLIENT -P SPN` then uses it).
 * SEC_E_NO_CREDENTIALS when the client delegated nothing and no ticket was kept,
 * SEC_E_INVALID_HANDLE for a client or unfinished context,
 * SEC_E_INVALID_PARAMETER when pszCcache is NULL or "".
 */
KSSP_API SECURITY_STATUS kssp_store_delegated(PCtxtHandle phContext, const char *pszCcache);

/*
 * kssp extension, no Windows equivalent (WinHTTP's place): one HTTP GET of
 * pszUrl ("http://host[:port]/path" or "https://..."), the request head
 * followed by pszHeaders (whole "Name: value\r\n" lines, or NULL), as
 * HTTP/1.0 on a new connection, within 30 seconds.  It lets a program on
 * Linux complete HTTP Negotiate (RFC 4559) with the public API alone.
 * https verifies the server's certificate and name against pszCaFile (a
 * PEM file) or, when NULL, the system trust store, and reports the
 * connection's RFC 5929 tls-server-end-point value, the channel binding
 * for the next InitializeSecurityContext (application data "tls-server-
 * end-point:" then EndPoint, in SECBUFFER_CHANNEL_BINDINGS).  Any status
 * the server answers is SEC_E_OK; the caller reads Status.
 * SEC_E_INVALID_PARAMETER for a URL that is not http:// or https:// with a
 * host, or headers that are not whole lines; SEC_E_UNSUPPORTED_FUNCTION
 * for https in a build without TLS; SEC_E_INTERNAL_ERROR when the
 * connection, TLS (an untrusted certificate) or the answer fails.  The
 * reason of any failure is in kssp_status_reason().  Free the response
 * with kssp_http_response_free.
 */
typedef struct _KSSP_HTTP_RESPONSE {
	ULONG Status;            /* 200, 401, ... */
	SEC_CHAR *Head;          /* the status line and headers, CRLF-separated, NUL-terminated */
	unsigned char *Body;
	ULONG BodyLength;
	unsigned char EndPoint[64]; /* https: tls-server-end-point (RFC 5929 §4.1) */
	ULONG EndPointLength;       /* 0 over http */
} KSSP_HTTP_RESPONSE, *PKSSP_HTTP_RESPONSE;

KSSP_API SECURITY_STATUS kssp_http_get(const char *pszUrl, const char *pszCaFile,
    const char *pszHeaders, PKSSP_HTTP_RESPONSE pResponse);
KSSP_API void kssp_http_response_free(PKSSP_HTTP_RESPONSE pResponse);

/*
 * QueryContextAttributes / QueryCredentialsAttributes attribute: the last
 * failure on that handle, into a KSSP_LAST_ERROR whose Reason the caller
 * frees with FreeContextBuffer.  The value lies outside every range
 * Windows assigns.
 */
#define SECPKG_ATTR_KSSP_LAST_ERROR 0x4B535301

typedef struct _KSSP_LAST_ERROR {
	SECURITY_STATUS Status; /* SEC_E_OK when the handle never failed */
	SEC_CHAR *Reason;       /* UTF-8, "" when none */
} KSSP_LAST_ERROR, *PKSSP_LAST_ERROR;

/*
 * QueryContextAttributes on an accepted context whose client's ticket
 * carried a PAC (MS-PAC: Active Directory's, or MIT's since 1.20): the PAC
 * and what it says.  A context is only established when the PAC's server
 * signature verified with the service key (MS-PAC 2.8.1) and its client
 * info named the ticket's client (MS-PAC 2.7); a PAC that fails either is
 * refused by AcceptSecurityContext.  No PAC: SEC_E_UNSUPPORTED_FUNCTION.
 * The KDC, ticket and full signatures need the krbtgt key: they are
 * reported present, never verified.  An imported context
 * (ImportSecurityContext) has no PAC.
 *
 * SECPKG_ATTR_KSSP_PAC fills a KSSP_PAC whose Pac the caller frees with
 * FreeContextBuffer.
 */
#define SECPKG_ATTR_KSSP_PAC 0x4B535302

#define KSSP_PAC_SERVER_SIGNATURE_VERIFIED 0x1 /* always set: see above */
#define KSSP_PAC_KDC_SIGNATURE_PRESENT 0x2     /* present, not verified */
#define KSSP_PAC_TICKET_SIGNATURE_PRESENT 0x4  /* present, not verified */
#define KSSP_PAC_FULL_SIGNATURE_PRESENT 0x8    /* present, not verified */

typedef struct _KSSP_PAC {
	ULONG Flags;        /* KSSP_PAC_* */
	ULONG PacLength;
	unsigned char *Pac; /* the PAC as the ticket holds it (PACTYPE, MS-PAC 2.3) */
} KSSP_PAC, *PKSSP_PAC;

/*
 * SECPKG_ATTR_KSSP_LOGON_INFO: pBuffer points to a PKSSP_LOGON_INFO that
 * receives one context buffer holding the structure and everything it
 * points to: one FreeContextBuffer on it frees all.  Strings are UTF-8,
 * "" when the PAC lacks them; SIDs are text ("S-1-5-21-...", MS-DTYP
 * 2.4.2.1), a group's SID being its domain's SID and its RID; times are
 * FILETIMEs (100 ns since 1601-01-01 UTC).  The names, SIDs, times and
 * flags come from KERB_VALIDATION_INFO (MS-PAC 2.5; "" and 0 when the PAC
 * has none, as MIT's), the UPN and DNS domain from UPN_DNS_INFO (2.10), the
 * transited services from S4U_DELEGATION_INFO (2.9, after S4U2Proxy).
 * Claims (2.11) are given raw: kssp does not decode them.
 */
#define SECPKG_ATTR_KSSP_LOGON_INFO 0x4B535303

typedef struct _KSSP_SID_AND_ATTRIBUTES {
	const char *Sid;
	ULONG Attributes;   /* SE_GROUP_* bits (MS-PAC 2.2.1) */
} KSSP_SID_AND_ATTRIBUTES, *PKSSP_SID_AND_ATTRIBUTES;

typedef struct _KSSP_LOGON_INFO {
	const char *AccountName;     /* EffectiveName: the account's own spelling */
	const char *LogonDomainName; /* the NetBIOS domain name */
	const char *UserSid;
	const char *PrimaryGroupSid;
	ULONG GroupCount;
	KSSP_SID_AND_ATTRIBUTES *Groups;         /* GroupIds, in the logon domain */
	ULONG ExtraSidCount;
	KSSP_SID_AND_ATTRIBUTES *ExtraSids;
	ULONG ResourceGroupCount;
	KSSP_SID_AND_ATTRIBUTES *ResourceGroups; /* in the resource group domain */
	const char *Upn;
	const char *DnsDomainName;
	uint64_t LogonTime;
	uint64_t PasswordLastSet;
	ULONG UserFlags;
	ULONG TransitedServiceCount;
	const char **TransitedServices;
	ULONG ClientClaimsLength;
	const unsigned char *ClientClaims; /* CLAIMS_SET_METADATA, undecoded; NULL if none */
} KSSP_LOGON_INFO, *PKSSP_LOGON_INFO;

/*
 * KSSP_AUTH_DATA - what Linux needs to say about credentials, passed as
 * pAuthData of AcquireCredentialsHandleA/W.
 *
 * Version is KSSP_AUTH_DATA_VERSION_3 and Length sizeof(KSSP_AUTH_DATA);
 * later versions only append members, and a structure of an earlier
 * version (KSSP_AUTH_DATA_VERSION_1: the members up to DelegateFrom;
 * _VERSION_2: up to ReplayCache; Length at least their size) is still
 * read, its later members taken as NULL.  The
 * Version value cannot be taken for the SEC_WINNT_AUTH_IDENTITY_VERSION of
 * an _EX identity.  Every pointer member may be NULL ("the default");
 * strings are UTF-8 and are copied, so they need not outlive the call.
 */
#define KSSP_AUTH_DATA_VERSION_1 0x4B530001
#define KSSP_AUTH_DATA_VERSION_2 0x4B530002
#define KSSP_AUTH_DATA_VERSION_3 0x4B530003

/* Returns the current time; 0 on success. */
typedef int (*KSSP_CLOCK_FN)(void *Arg, int64_t *Seconds, int32_t *Microseconds);
/* Fills Buffer with Length unpredictable bytes; 0 on success. */
typedef int (*KSSP_RANDOM_FN)(void *Arg, void *Buffer, size_t Length);
/*
 * Sends one encoded KDC request for Realm and returns the reply in a
 * buffer from malloc(3), which kssp frees with free(3); 0 on success.
 * TcpOnly asks for a stream transport (after KRB_ERR_RESPONSE_TOO_BIG).
 */
typedef int (*KSSP_TRANSPORT_FN)(void *Arg, const char *Realm, const uint8_t *Request,
    size_t RequestLength, int TcpOnly, uint8_t **Reply, size_t *ReplyLength);
/* Receives one trace line (no newline, never a secret). */
typedef void (*KSSP_TRACE_FN)(void *Arg, const char *Line);

typedef struct _KSSP_AUTH_DATA {
	ULONG Version;           /* KSSP_AUTH_DATA_VERSION_3 */
	ULONG Length;            /* sizeof(KSSP_AUTH_DATA) */
	const char *Principal;   /* "user@REALM"; NULL: from the cache/keytab */
	const char *Password;    /* a password logon for Principal */
	const char *Keytab;      /* "FILE:/path" or a path; NULL: KRB5_KTNAME */
	const char *Ccache;      /* "FILE:/path" or a path; NULL: KRB5CCNAME */
	const char *Krb5Conf;    /* krb5.conf path; NULL: KRB5_CONFIG */
	const int32_t *Enctypes; /* preferred enctypes, best first; NULL: defaults */
	ULONG EnctypeCount;
	KSSP_CLOCK_FN Clock;     /* NULL: the system clock */
	void *ClockArg;
	KSSP_RANDOM_FN Random;   /* NULL: getrandom(2) */
	void *RandomArg;
	KSSP_TRANSPORT_FN Transport; /* NULL: UDP/TCP to the configured KDCs */
	void *TransportArg;
	KSSP_TRACE_FN Trace;     /* NULL: no trace */
	void *TraceArg;
	/*
	 * S4U2Self: a credential for this user ("alice@REALM"), obtained with
	 * the service's own credential (Keytab or Ccache).  NULL: none.
	 */
	const char *ImpersonateUser;
	/*
	 * Constrained delegation: an accepted context whose client this
	 * credential acts for (S4U2Proxy, or the forwarded TGT when the
	 * client delegated).  NULL: none.
	 */
	PCtxtHandle DelegateFrom;
	/* ---- version 2 ---- */
	/*
	 * Inbound: the replay cache (RFC 4120 §3.2.3) kept in a file, so that
	 * an authenticator accepted by one process is refused by the next.
	 * Read when the credential first accepts (a missing file is an empty
	 * cache; a corrupt one fails that AcceptSecurityContext with
	 * SEC_E_NO_CREDENTIALS and is left as it is), written back (temp file
	 * and rename) after each accepted authenticator, as bounded as the
	 * in-memory cache.  One process at a time per file: processes sharing
	 * a file see one another's entries only when their credential first
	 * reads it.  "none": no replay detection at all.  NULL: a cache in
	 * memory for the credential's lifetime.
	 */
	const char *ReplayCache;
	/* ---- version 3 ---- */
	/*
	 * Outbound: FAST armor (RFC 6113) for the logon's AS exchange and the
	 * TGS exchanges, as Windows armors with the computer's TGT.
	 * ArmorCcache: a cache holding an armor TGT of the realm (MIT's kinit
	 * -T); else ArmorKeytab: a machine account's keytab, whose TGT is
	 * obtained first (ArmorPrincipal names it; NULL: the keytab's HOST$,
	 * a name ending in '$', else its first).  RequireFast nonzero: a logon without armor fails (as
	 * krb5.conf's kssp_require_fast).  Anonymous PKINIT armor is not built.
	 */
	const char *ArmorCcache;
	const char *ArmorKeytab;
	const char *ArmorPrincipal;
	ULONG RequireFast;
} KSSP_AUTH_DATA, *PKSSP_AUTH_DATA;

/*
 * ---- recorded conversations ----
 *
 * kssp extension, no Windows equivalent: a conversation written to a file
 * while it runs, or driven again from one offline (`kssp replay`, the
 * offline `kssp demo`).  The file is text, one item a line: "@ KEY VALUE"
 * metadata, "> REALM HEX" a KDC request and "< HEX" its reply, "C HEX" /
 * "S HEX" a context token of the initiator / acceptor, "M HEX" a sealed
 * message (EncryptMessage's token and data), "#" a comment.  A replay
 * serves the recorded KDC replies with the recorded clock and random
 * streams, so every request and token comes out byte for byte as recorded.
 * The fixed clock and seeded random streams are for reproducing a
 * conversation only: never for real use, since they are predictable.  A
 * KSSP_CONVERSATION belongs to one thread at a time and must outlive the
 * credentials bound to it.  Failures leave their reason in
 * kssp_status_reason().
 */
typedef struct _KSSP_CONVERSATION KSSP_CONVERSATION;

/* Reads the recording at pszPath, to replay it. */
KSSP_API SECURITY_STATUS kssp_conversation_replay(const char *pszPath,
    KSSP_CONVERSATION **ppConversation);

/*
 * A new recording: the KDC exchanges of the credentials bound to it go to
 * the KDCs of pszKrb5Conf (NULL: KRB5_CONFIG, else /etc/krb5.conf) and are
 * written down.
 */
KSSP_API SECURITY_STATUS kssp_conversation_record(const char *pszKrb5Conf,
    KSSP_CONVERSATION **ppConversation);

KSSP_API void kssp_conversation_free(KSSP_CONVERSATION *pConversation);

/* The value of the "@ pszKey VALUE" line, or NULL when there is none. */
KSSP_API const char *kssp_conversation_meta(const KSSP_CONVERSATION *pConversation,
    const char *pszKey);

/* Writes "@ pszKey pszValue" (key without white space, value on one line). */
KSSP_API SECURITY_STATUS kssp_conversation_set_meta(KSSP_CONVERSATION *pConversation,
    const char *pszKey, const char *pszValue);

/*
 * Points pAuthData's Clock, Random and Transport (and their Args) at the
 * conversation: the clock always says the seconds of "@ clock"; Random is
 * the stream SHA-256(seed || 64-bit big-endian counter) seeded by the hex
 * of "@ pszSeedKey", one stream per key, shared by every credential bound
 * with that key; Transport serves the recorded KDC exchanges in order and
 * fails unless each request equals the recorded one byte for byte (a
 * replay), or sends each request to the KDCs and writes the exchange down
 * (a recording).  Set "@ clock" and the seed before binding a recording.
 * SEC_E_INVALID_PARAMETER when either line is missing or malformed.
 */
KSSP_API SECURITY_STATUS kssp_conversation_hooks(KSSP_CONVERSATION *pConversation,
    const char *pszSeedKey, KSSP_AUTH_DATA *pAuthData);

/*
 * The next token of the conversation, of Kind 'C' (the initiator's context
 * token), 'S' (the acceptor's) or 'M' (a sealed message: EncryptMessage's
 * token and data).  A recording writes pToken down.  A replay takes the
 * next recorded token, which must be of Kind and equal pToken byte for
 * byte: SEC_E_MESSAGE_ALTERED otherwise, the reason naming the token and
 * its line.
 */
KSSP_API SECURITY_STATUS kssp_conversation_token(KSSP_CONVERSATION *pConversation, char Kind,
    const void *pToken, size_t cbToken);

/*
 * Ends the conversation.  A recording is written to pszPath (under a
 * temporary name, then renamed).  A replay (pszPath unused) succeeds only
 * when every recorded KDC exchange and token was used.
 */
KSSP_API SECURITY_STATUS kssp_conversation_end(KSSP_CONVERSATION *pConversation,
    const char *pszPath);

/*
 * After a replay failed: the recorded step it stopped at, for a message
 * ("KDC exchange 2 of 2 (its reply is line 17)", "KDC exchange 1: replay:
 * request 1 differs ...", "the acceptor's token on line 19 was not
 * accepted"), or "" when it stopped before any.  Valid until the next call
 * on the conversation.
 */
KSSP_API const char *kssp_conversation_step(KSSP_CONVERSATION *pConversation);

#ifdef __cplusplus
}
#endif

#endif
