/*
 * <kssp/sspi.h> - the Windows Security Support Provider Interface, on Linux.
 *
 * A program written against Windows' <sspi.h> (with <windows.h>) compiles
 * against this header with only its include line changed.  Every name,
 * type, structure layout and numeric value here is Windows' own, as the
 * Windows SDK headers spell them (values cross-checked in two independent
 * copies of the SDK headers, see the project's SSPI fact sheet); nothing
 * here is kssp's invention.  kssp's additions live in <kssp/kssp.h>.
 *
 * Two packages are provided: "Kerberos" (MICROSOFT_KERBEROS_NAME) and
 * "Negotiate" (NEGOSSP_NAME, SPNEGO around Kerberos).  Character data:
 * the A functions take UTF-8, the W functions UTF-16 (SEC_WCHAR is a
 * 16-bit unit as on Windows, never the 32-bit wchar_t of Linux; write
 * wide literals as u"..." or with TEXT()).
 *
 * Linux differences are noted at each function under "On Linux".
 */
#ifndef KSSP_SSPI_H
#define KSSP_SSPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a symbol that libkssp.so exports (also defined in <kssp/kssp.h>). */
#ifndef KSSP_API
#if defined(__GNUC__)
#define KSSP_API __attribute__((visibility("default")))
#else
#define KSSP_API
#endif
#endif

/* ---- the Windows base types SSPI is written in (winnt.h / windef.h) ---- */

/*
 * Windows is LLP64: LONG and ULONG are 32 bits there, while Linux's long is
 * 64 bits on 64-bit machines, so they are fixed-width types here.
 */
#ifndef KSSP_WINDOWS_TYPES_DEFINED
#define KSSP_WINDOWS_TYPES_DEFINED
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef char CHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR;
typedef UCHAR BOOLEAN;
typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef uint16_t WORD, *PWORD;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef int BOOL, *PBOOL;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef intptr_t LONG_PTR, INT_PTR;
typedef uintptr_t ULONG_PTR, UINT_PTR, SIZE_T;
typedef void *PVOID, *LPVOID, *HANDLE;
#ifndef VOID
#define VOID void
#endif
/* One UTF-16 code unit, as Windows' WCHAR (char16_t, so u"..." fits). */
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif
typedef WCHAR *PWCHAR, *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
typedef CHAR *PSTR, *LPSTR;
typedef const CHAR *PCSTR, *LPCSTR;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef struct _LUID {
	DWORD LowPart;
	LONG HighPart;
} LUID, *PLUID;

typedef union _LARGE_INTEGER {
	struct {
		DWORD LowPart;
		LONG HighPart;
	};
	struct {
		DWORD LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

#ifdef UNICODE
typedef WCHAR TCHAR;
#define TEXT(s) u##s
#else
typedef CHAR TCHAR;
#define TEXT(s) s
#endif
typedef TCHAR *LPTSTR;
typedef const TCHAR *LPCTSTR;
#endif /* KSSP_WINDOWS_TYPES_DEFINED */

/* ---- SSPI basics ---- */

typedef CHAR SEC_CHAR;
typedef WCHAR SEC_WCHAR;

/* Signed 32-bit: errors are negative, SEC_I_* informational codes positive. */
typedef LONG SECURITY_STATUS;

/*
 * The calling convention: __stdcall on 32-bit Windows.  Linux has a single
 * C calling convention per architecture, so these are empty.
 */
#define SEC_ENTRY
#define SEC_Entry
#define SEC_FAR
#define SEC_TEXT TEXT
#define __SEC_FAR

#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif

/* Package names (ntsecapi.h, security.h). */
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#define MICROSOFT_KERBEROS_NAME_W u"Kerberos"
#define NEGOSSP_NAME_A "Negotiate"
#define NEGOSSP_NAME_W u"Negotiate"
#ifdef UNICODE
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_W
#define NEGOSSP_NAME NEGOSSP_NAME_W
#else
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_A
#define NEGOSSP_NAME NEGOSSP_NAME_A
#endif

/* ---- SECURITY_STATUS values (winerror.h, facility 9) ---- */

#define SEC_E_OK ((SECURITY_STATUS)0x00000000)
#define SEC_E_INSUFFICIENT_MEMORY ((SECURITY_STATUS)0x80090300)
#define SEC_E_INVALID_HANDLE ((SECURITY_STATUS)0x80090301)
#define SEC_E_UNSUPPORTED_FUNCTION ((SECURITY_STATUS)0x80090302)
#define SEC_E_TARGET_UNKNOWN ((SECURITY_STATUS)0x80090303)
#define SEC_E_INTERNAL_ERROR ((SECURITY_STATUS)0x80090304)
#define SEC_E_SECPKG_NOT_FOUND ((SECURITY_STATUS)0x80090305)
#define SEC_E_NOT_OWNER ((SECURITY_STATUS)0x80090306)
#define SEC_E_CANNOT_INSTALL ((SECURITY_STATUS)0x80090307)
#define SEC_E_INVALID_TOKEN ((SECURITY_STATUS)0x80090308)
#define SEC_E_CANNOT_PACK ((SECURITY_STATUS)0x80090309)
#define SEC_E_QOP_NOT_SUPPORTED ((SECURITY_STATUS)0x8009030A)
#define SEC_E_NO_IMPERSONATION ((SECURITY_STATUS)0x8009030B)
#define SEC_E_LOGON_DENIED ((SECURITY_STATUS)0x8009030C)
#define SEC_E_UNKNOWN_CREDENTIALS ((SECURITY_STATUS)0x8009030D)
#define SEC_E_NO_CREDENTIALS ((SECURITY_STATUS)0x8009030E)
#define SEC_E_MESSAGE_ALTERED ((SECURITY_STATUS)0x8009030F)
#define SEC_E_OUT_OF_SEQUENCE ((SECURITY_STATUS)0x80090310)
#define SEC_E_NO_AUTHENTICATING_AUTHORITY ((SECURITY_STATUS)0x80090311)
#define SEC_I_CONTINUE_NEEDED ((SECURITY_STATUS)0x00090312)
/* Never returned by the Kerberos or Negotiate package, as on Windows. */
#define SEC_I_COMPLETE_NEEDED ((SECURITY_STATUS)0x00090313)
/* Never returned by the Kerberos or Negotiate package, as on Windows. */
#define SEC_I_COMPLETE_AND_CONTINUE ((SECURITY_STATUS)0x00090314)
#define SEC_I_LOCAL_LOGON ((SECURITY_STATUS)0x00090315)
#define SEC_E_BAD_PKGID ((SECURITY_STATUS)0x80090316)
#define SEC_I_GENERIC_EXTENSION_RECEIVED ((SECURITY_STATUS)0x00090316)
#define SEC_E_CONTEXT_EXPIRED ((SECURITY_STATUS)0x80090317)
#define SEC_I_CONTEXT_EXPIRED ((SECURITY_STATUS)0x00090317)
#define SEC_E_INCOMPLETE_MESSAGE ((SECURITY_STATUS)0x80090318)
#define SEC_E_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x80090320)
/* Never returned by the Kerberos or Negotiate package (Schannel only). */
#define SEC_I_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x00090320)
#define SEC_E_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x80090321)
#define SEC_I_RENEGOTIATE ((SECURITY_STATUS)0x00090321)
#define SEC_E_WRONG_PRINCIPAL ((SECURITY_STATUS)0x80090322)
#define SEC_I_NO_LSA_CONTEXT ((SECURITY_STATUS)0x00090323)
#define SEC_E_TIME_SKEW ((SECURITY_STATUS)0x80090324)
#define SEC_E_UNTRUSTED_ROOT ((SECURITY_STATUS)0x80090325)
#define SEC_E_ILLEGAL_MESSAGE ((SECURITY_STATUS)0x80090326)
#define SEC_E_CERT_UNKNOWN ((SECURITY_STATUS)0x80090327)
#define SEC_E_CERT_EXPIRED ((SECURITY_STATUS)0x80090328)
#define SEC_E_ENCRYPT_FAILURE ((SECURITY_STATUS)0x80090329)
#define SEC_E_DECRYPT_FAILURE ((SECURITY_STATUS)0x80090330)
#define SEC_E_ALGORITHM_MISMATCH ((SECURITY_STATUS)0x80090331)
#define SEC_E_SECURITY_QOS_FAILED ((SECURITY_STATUS)0x80090332)
#define SEC_E_UNFINISHED_CONTEXT_DELETED ((SECURITY_STATUS)0x80090333)
#define SEC_E_NO_TGT_REPLY ((SECURITY_STATUS)0x80090334)
#define SEC_E_NO_IP_ADDRESSES ((SECURITY_STATUS)0x80090335)
#define SEC_E_WRONG_CREDENTIAL_HANDLE ((SECURITY_STATUS)0x80090336)
#define SEC_E_CRYPTO_SYSTEM_INVALID ((SECURITY_STATUS)0x80090337)
#define SEC_E_MAX_REFERRALS_EXCEEDED ((SECURITY_STATUS)0x80090338)
#define SEC_E_MUST_BE_KDC ((SECURITY_STATUS)0x80090339)
#define SEC_E_STRONG_CRYPTO_NOT_SUPPORTED ((SECURITY_STATUS)0x8009033A)
#define SEC_E_TOO_MANY_PRINCIPALS ((SECURITY_STATUS)0x8009033B)
#define SEC_E_NO_PA_DATA ((SECURITY_STATUS)0x8009033C)
#define SEC_E_PKINIT_NAME_MISMATCH ((SECURITY_STATUS)0x8009033D)
#define SEC_E_SMARTCARD_LOGON_REQUIRED ((SECURITY_STATUS)0x8009033E)
#define SEC_E_SHUTDOWN_IN_PROGRESS ((SECURITY_STATUS)0x8009033F)
#define SEC_E_KDC_INVALID_REQUEST ((SECURITY_STATUS)0x80090340)
#define SEC_E_KDC_UNABLE_TO_REFER ((SECURITY_STATUS)0x80090341)
#define SEC_E_KDC_UNKNOWN_ETYPE ((SECURITY_STATUS)0x80090342)
#define SEC_E_UNSUPPORTED_PREAUTH ((SECURITY_STATUS)0x80090343)
#define SEC_E_DELEGATION_REQUIRED ((SECURITY_STATUS)0x80090345)
#define SEC_E_BAD_BINDINGS ((SECURITY_STATUS)0x80090346)
#define SEC_E_MULTIPLE_ACCOUNTS ((SECURITY_STATUS)0x80090347)
#define SEC_E_NO_KERB_KEY ((SECURITY_STATUS)0x80090348)
#define SEC_E_CERT_WRONG_USAGE ((SECURITY_STATUS)0x80090349)
#define SEC_E_DOWNGRADE_DETECTED ((SECURITY_STATUS)0x80090350)
#define SEC_E_SMARTCARD_CERT_REVOKED ((SECURITY_STATUS)0x80090351)
#define SEC_E_ISSUING_CA_UNTRUSTED ((SECURITY_STATUS)0x80090352)
#define SEC_E_REVOCATION_OFFLINE_C ((SECURITY_STATUS)0x80090353)
#define SEC_E_PKINIT_CLIENT_FAILURE ((SECURITY_STATUS)0x80090354)
#define SEC_E_SMARTCARD_CERT_EXPIRED ((SECURITY_STATUS)0x80090355)
#define SEC_E_NO_S4U_PROT_SUPPORT ((SECURITY_STATUS)0x80090356)
#define SEC_E_CROSSREALM_DELEGATION_FAILURE ((SECURITY_STATUS)0x80090357)
#define SEC_E_REVOCATION_OFFLINE_KDC ((SECURITY_STATUS)0x80090358)
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC ((SECURITY_STATUS)0x80090359)
#define SEC_E_KDC_CERT_EXPIRED ((SECURITY_STATUS)0x8009035A)
#define SEC_E_KDC_CERT_REVOKED ((SECURITY_STATUS)0x8009035B)
#define SEC_I_SIGNATURE_NEEDED ((SECURITY_STATUS)0x0009035C)
#define SEC_E_INVALID_PARAMETER ((SECURITY_STATUS)0x8009035D)
#define SEC_E_DELEGATION_POLICY ((SECURITY_STATUS)0x8009035E)
#define SEC_E_POLICY_NLTM_ONLY ((SECURITY_STATUS)0x8009035F)
#define SEC_I_NO_RENEGOTIATION ((SECURITY_STATUS)0x00090360)
#define SEC_E_NO_CONTEXT ((SECURITY_STATUS)0x80090361)
#define SEC_E_PKU2U_CERT_FAILURE ((SECURITY_STATUS)0x80090362)
#define SEC_E_MUTUAL_AUTH_FAILED ((SECURITY_STATUS)0x80090363)
#define SEC_I_MESSAGE_FRAGMENT ((SECURITY_STATUS)0x00090364)
#define SEC_E_ONLY_HTTPS_ALLOWED ((SECURITY_STATUS)0x80090365)
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK ((SECURITY_STATUS)0x00090366)
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH ((SECURITY_STATUS)0x80090367)
#define SEC_I_ASYNC_CALL_PENDING ((SECURITY_STATUS)0x00090368)
#define SEC_E_INVALID_UPN_NAME ((SECURITY_STATUS)0x80090369)
#define SEC_E_EXT_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x8009036A)
#define SEC_E_INSUFFICIENT_BUFFERS ((SECURITY_STATUS)0x8009036B)
/* Aliases (winerror.h). */
#define SEC_E_NO_SPM SEC_E_INTERNAL_ERROR
#define SEC_E_NOT_SUPPORTED SEC_E_UNSUPPORTED_FUNCTION

/* ---- handles ---- */

/*
 * Handles are opaque: kssp validates every handle it is given (a freed,
 * zeroed, invalidated or forged handle gives SEC_E_INVALID_HANDLE).
 */
typedef struct _SecHandle {
	ULONG_PTR dwLower;
	ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

#define SecInvalidateHandle(x) \
	((PSecHandle)(x))->dwLower = ((PSecHandle)(x))->dwUpper = ((ULONG_PTR)((INT_PTR)-1))
#define SecIsValidHandle(x) \
	((((PSecHandle)(x))->dwLower != ((ULONG_PTR)((INT_PTR)-1))) && \
	 (((PSecHandle)(x))->dwUpper != ((ULONG_PTR)((INT_PTR)-1))))

/*
 * A time: 100-nanosecond intervals since 1601-01-01, as FILETIME, in
 * local time as the Kerberos package documents.  On Linux "local" is UTC
 * offset by the process's TZ, as localtime(3) sees it.
 */
typedef LARGE_INTEGER SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp, *PTimeStamp;

typedef struct _SECURITY_STRING {
	USHORT Length;
	USHORT MaximumLength;
	USHORT *Buffer;
} SECURITY_STRING, *PSECURITY_STRING;

/* ---- buffers ---- */

typedef struct _SecBuffer {
	ULONG cbBuffer;   /* size of pvBuffer in bytes */
	ULONG BufferType; /* SECBUFFER_* type, possibly with attribute bits */
	void *pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
	ULONG ulVersion;  /* SECBUFFER_VERSION */
	ULONG cBuffers;
	PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

#define SECBUFFER_EMPTY 0
#define SECBUFFER_DATA 1
#define SECBUFFER_TOKEN 2
#define SECBUFFER_PKG_PARAMS 3
#define SECBUFFER_MISSING 4
#define SECBUFFER_EXTRA 5
#define SECBUFFER_STREAM_TRAILER 6
#define SECBUFFER_STREAM_HEADER 7
#define SECBUFFER_NEGOTIATION_INFO 8
#define SECBUFFER_PADDING 9
#define SECBUFFER_STREAM 10
#define SECBUFFER_MECHLIST 11
#define SECBUFFER_MECHLIST_SIGNATURE 12
#define SECBUFFER_TARGET 13
#define SECBUFFER_CHANNEL_BINDINGS 14
#define SECBUFFER_CHANGE_PASS_RESPONSE 15
#define SECBUFFER_TARGET_HOST 16
#define SECBUFFER_ALERT 17
#define SECBUFFER_APPLICATION_PROTOCOLS 18
#define SECBUFFER_SRTP_PROTECTION_PROFILES 19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER 20
#define SECBUFFER_TOKEN_BINDING 21
#define SECBUFFER_PRESHARED_KEY 22
#define SECBUFFER_PRESHARED_KEY_IDENTITY 23
#define SECBUFFER_DTLS_MTU 24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION 25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS 27
#define SECBUFFER_TRAFFIC_SECRETS 28
#define SECBUFFER_CERTIFICATE_REQUEST_CONTEXT 29

#define SECBUFFER_ATTRMASK 0xF0000000
/* The buffer is signed (included in the checksum) but neither encrypted nor written. */
#define SECBUFFER_READONLY 0x80000000
/* Like SECBUFFER_READONLY: signed, never encrypted (DCE/RPC header and trailer). */
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED 0x60000000

/* Channel bindings, passed in a SECBUFFER_CHANNEL_BINDINGS buffer. */
typedef struct _SEC_CHANNEL_BINDINGS {
	ULONG dwInitiatorAddrType;
	ULONG cbInitiatorLength;
	ULONG dwInitiatorOffset;   /* from the start of this structure */
	ULONG dwAcceptorAddrType;
	ULONG cbAcceptorLength;
	ULONG dwAcceptorOffset;
	ULONG cbApplicationDataLength;
	ULONG dwApplicationDataOffset;
} SEC_CHANNEL_BINDINGS, *PSEC_CHANNEL_BINDINGS;

/* TargetDataRep */
#define SECURITY_NATIVE_DREP 0x00000010
#define SECURITY_NETWORK_DREP 0x00000000

/* ---- credentials ---- */

#define SECPKG_CRED_INBOUND 0x00000001
#define SECPKG_CRED_OUTBOUND 0x00000002
#define SECPKG_CRED_BOTH 0x00000003
#define SECPKG_CRED_DEFAULT 0x00000004
#define SECPKG_CRED_RESERVED 0xF0000000
#define SECPKG_CRED_AUTOLOGON_RESTRICTED 0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY 0x00000020

#define SECPKG_CRED_ATTR_NAMES 1
#define SECPKG_CRED_ATTR_SSI_PROVIDER 2
#define SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS 3
#define SECPKG_CRED_ATTR_CERT 4
#define SECPKG_CRED_ATTR_PAC_BYPASS 5

typedef struct _SecPkgCredentials_NamesA {
	SEC_CHAR *sUserName;
} SecPkgCredentials_NamesA, *PSecPkgCredentials_NamesA;

typedef struct _SecPkgCredentials_NamesW {
	SEC_WCHAR *sUserName;
} SecPkgCredentials_NamesW, *PSecPkgCredentials_NamesW;

/* Key callback of AcquireCredentialsHandle; Kerberos never calls it. */
typedef void (SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal,
    ULONG KeyVer, void **Key, SECURITY_STATUS *Status);

/* Password logon identities (pAuthData of AcquireCredentialsHandle). */
#define SEC_WINNT_AUTH_IDENTITY_ANSI 0x1
#define SEC_WINNT_AUTH_IDENTITY_UNICODE 0x2
#define SEC_WINNT_AUTH_IDENTITY_MARSHALLED 0x4
#define SEC_WINNT_AUTH_IDENTITY_ONLY 0x8
#define SEC_WINNT_AUTH_IDENTITY_VERSION 0x200
#define SEC_WINNT_AUTH_IDENTITY_VERSION_2 0x201

/* Lengths are in characters (bytes for _A, UTF-16 units for _W), without the terminator. */
typedef struct _SEC_WINNT_AUTH_IDENTITY_W {
	unsigned short *User;
	ULONG UserLength;
	unsigned short *Domain;
	ULONG DomainLength;
	unsigned short *Password;
	ULONG PasswordLength;
	ULONG Flags; /* SEC_WINNT_AUTH_IDENTITY_UNICODE */
} SEC_WINNT_AUTH_IDENTITY_W, *PSEC_WINNT_AUTH_IDENTITY_W;

typedef struct _SEC_WINNT_AUTH_IDENTITY_A {
	unsigned char *User;
	ULONG UserLength;
	unsigned char *Domain;
	ULONG DomainLength;
	unsigned char *Password;
	ULONG PasswordLength;
	ULONG Flags; /* SEC_WINNT_AUTH_IDENTITY_ANSI */
} SEC_WINNT_AUTH_IDENTITY_A, *PSEC_WINNT_AUTH_IDENTITY_A;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXW {
	ULONG Version; /* SEC_WINNT_AUTH_IDENTITY_VERSION */
	ULONG Length;  /* sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) */
	unsigned short *User;
	ULONG UserLength;
	unsigned short *Domain;
	ULONG DomainLength;
	unsigned short *Password;
	ULONG PasswordLength;
	ULONG Flags;
	unsigned short *PackageList;
	ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXW, *PSEC_WINNT_AUTH_IDENTITY_EXW;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXA {
	ULONG Version;
	ULONG Length;
	unsigned char *User;
	ULONG UserLength;
	unsigned char *Domain;
	ULONG DomainLength;
	unsigned char *Password;
	ULONG PasswordLength;
	ULONG Flags;
	unsigned char *PackageList;
	ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXA, *PSEC_WINNT_AUTH_IDENTITY_EXA;

/* ---- packages ---- */

typedef struct _SecPkgInfoA {
	ULONG fCapabilities; /* SECPKG_FLAG_* */
	USHORT wVersion;
	USHORT wRPCID;       /* DCE RPC authentication service id */
	ULONG cbMaxToken;    /* largest context token the package produces */
	SEC_CHAR *Name;
	SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

typedef struct _SecPkgInfoW {
	ULONG fCapabilities;
	USHORT wVersion;
	USHORT wRPCID;
	ULONG cbMaxToken;
	SEC_WCHAR *Name;
	SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

#define SECPKG_FLAG_INTEGRITY 0x00000001
#define SECPKG_FLAG_PRIVACY 0x00000002
#define SECPKG_FLAG_TOKEN_ONLY 0x00000004
#define SECPKG_FLAG_DATAGRAM 0x00000008
#define SECPKG_FLAG_CONNECTION 0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED 0x00000020
#define SECPKG_FLAG_CLIENT_ONLY 0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR 0x00000080
#define SECPKG_FLAG_IMPERSONATION 0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME 0x00000200
#define SECPKG_FLAG_STREAM 0x00000400
#define SECPKG_FLAG_NEGOTIABLE 0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE 0x00001000
#define SECPKG_FLAG_LOGON 0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS 0x00004000
#define SECPKG_FLAG_FRAGMENT 0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH 0x00010000
#define SECPKG_FLAG_DELEGATION 0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM 0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS 0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER 0x00100000
#define SECPKG_FLAG_NEGOTIABLE2 0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH 0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS 0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK 0x02000000

#define SECPKG_ID_NONE 0xFFFF

/* ---- InitializeSecurityContext requests and results ---- */

#define ISC_REQ_DELEGATE 0x00000001
#define ISC_REQ_MUTUAL_AUTH 0x00000002
#define ISC_REQ_REPLAY_DETECT 0x00000004
#define ISC_REQ_SEQUENCE_DETECT 0x00000008
#define ISC_REQ_CONFIDENTIALITY 0x00000010
#define ISC_REQ_USE_SESSION_KEY 0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS 0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS 0x00000080
#define ISC_REQ_ALLOCATE_MEMORY 0x00000100
#define ISC_REQ_USE_DCE_STYLE 0x00000200
#define ISC_REQ_DATAGRAM 0x00000400
#define ISC_REQ_CONNECTION 0x00000800
#define ISC_REQ_CALL_LEVEL 0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ISC_REQ_EXTENDED_ERROR 0x00004000
#define ISC_REQ_STREAM 0x00008000
#define ISC_REQ_INTEGRITY 0x00010000
#define ISC_REQ_IDENTIFY 0x00020000
#define ISC_REQ_NULL_SESSION 0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_REQ_RESERVED1 0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT 0x00200000
#define ISC_REQ_FORWARD_CREDENTIALS 0x00400000
#define ISC_REQ_NO_INTEGRITY 0x00800000
#define ISC_REQ_USE_HTTP_STYLE 0x01000000
#define ISC_REQ_UNVERIFIED_TARGET_NAME 0x20000000
#define ISC_REQ_CONFIDENTIALITY_ONLY 0x40000000
#define ISC_REQ_MESSAGES 0x0000000100000000ULL
#define ISC_REQ_DEFERRED_CRED_VALIDATION 0x0000000200000000ULL
#define ISC_REQ_NO_POST_HANDSHAKE_AUTH 0x0000000400000000ULL

#define ISC_RET_DELEGATE 0x00000001
#define ISC_RET_MUTUAL_AUTH 0x00000002
#define ISC_RET_REPLAY_DETECT 0x00000004
#define ISC_RET_SEQUENCE_DETECT 0x00000008
#define ISC_RET_CONFIDENTIALITY 0x00000010
#define ISC_RET_USE_SESSION_KEY 0x00000020
#define ISC_RET_USED_COLLECTED_CREDS 0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS 0x00000080
#define ISC_RET_ALLOCATED_MEMORY 0x00000100
#define ISC_RET_USED_DCE_STYLE 0x00000200
#define ISC_RET_DATAGRAM 0x00000400
#define ISC_RET_CONNECTION 0x00000800
#define ISC_RET_INTERMEDIATE_RETURN 0x00001000
#define ISC_RET_CALL_LEVEL 0x00002000
#define ISC_RET_EXTENDED_ERROR 0x00004000
#define ISC_RET_STREAM 0x00008000
#define ISC_RET_INTEGRITY 0x00010000
#define ISC_RET_IDENTIFY 0x00020000
#define ISC_RET_NULL_SESSION 0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_RET_RESERVED1 0x00100000
#define ISC_RET_FRAGMENT_ONLY 0x00200000
#define ISC_RET_FORWARD_CREDENTIALS 0x00400000
#define ISC_RET_USED_HTTP_STYLE 0x01000000
#define ISC_RET_NO_ADDITIONAL_TOKEN 0x02000000
#define ISC_RET_REAUTHENTICATION 0x08000000
#define ISC_RET_CONFIDENTIALITY_ONLY 0x40000000
#define ISC_RET_MESSAGES 0x0000000100000000ULL
#define ISC_RET_DEFERRED_CRED_VALIDATION 0x0000000200000000ULL
#define ISC_RET_NO_POST_HANDSHAKE_AUTH 0x0000000400000000ULL

/* ---- AcceptSecurityContext requests and results ---- */

#define ASC_REQ_DELEGATE 0x00000001
#define ASC_REQ_MUTUAL_AUTH 0x00000002
#define ASC_REQ_REPLAY_DETECT 0x00000004
#define ASC_REQ_SEQUENCE_DETECT 0x00000008
#define ASC_REQ_CONFIDENTIALITY 0x00000010
#define ASC_REQ_USE_SESSION_KEY 0x00000020
#define ASC_REQ_SESSION_TICKET 0x00000040
#define ASC_REQ_ALLOCATE_MEMORY 0x00000100
#define ASC_REQ_USE_DCE_STYLE 0x00000200
#define ASC_REQ_DATAGRAM 0x00000400
#define ASC_REQ_CONNECTION 0x00000800
#define ASC_REQ_CALL_LEVEL 0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ASC_REQ_EXTENDED_ERROR 0x00008000
#define ASC_REQ_STREAM 0x00010000
#define ASC_REQ_INTEGRITY 0x00020000
#define ASC_REQ_LICENSING 0x00040000
#define ASC_REQ_IDENTIFY 0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION 0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT 0x00800000
#define ASC_REQ_NO_TOKEN 0x01000000
#define ASC_REQ_FRAGMENT_NO_TOKEN ASC_REQ_NO_TOKEN
#define ASC_REQ_PROXY_BINDINGS 0x04000000
#define ASC_REQ_ALLOW_MISSING_BINDINGS 0x10000000
#define ASC_REQ_MESSAGES 0x0000000100000000ULL

#define ASC_RET_DELEGATE 0x00000001
#define ASC_RET_MUTUAL_AUTH 0x00000002
#define ASC_RET_REPLAY_DETECT 0x00000004
#define ASC_RET_SEQUENCE_DETECT 0x00000008
#define ASC_RET_CONFIDENTIALITY 0x00000010
#define ASC_RET_USE_SESSION_KEY 0x00000020
#define ASC_RET_SESSION_TICKET 0x00000040
#define ASC_RET_ALLOCATED_MEMORY 0x00000100
#define ASC_RET_USED_DCE_STYLE 0x00000200
#define ASC_RET_DATAGRAM 0x00000400
#define ASC_RET_CONNECTION 0x00000800
#define ASC_RET_CALL_LEVEL 0x00002000
#define ASC_RET_THIRD_LEG_FAILED 0x00004000
#define ASC_RET_EXTENDED_ERROR 0x00008000
#define ASC_RET_STREAM 0x00010000
#define ASC_RET_INTEGRITY 0x00020000
#define ASC_RET_LICENSING 0x00040000
#define ASC_RET_IDENTIFY 0x00080000
#define ASC_RET_NULL_SESSION 0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_RET_FRAGMENT_ONLY 0x00800000
#define ASC_RET_NO_TOKEN 0x01000000
#define ASC_RET_NO_ADDITIONAL_TOKEN 0x02000000
#define ASC_RET_MESSAGES 0x0000000100000000ULL

/* ---- message protection ---- */

/* fQOP of EncryptMessage: sign only, do not encrypt. */
#define SECQOP_WRAP_NO_ENCRYPT 0x80000001
#define SECQOP_WRAP_OOB_DATA 0x40000000
/* The Kerberos package's name for the same value (ntsecapi.h). */
#define KERB_WRAP_NO_ENCRYPT 0x80000001

/* ---- context attributes (QueryContextAttributes) ---- */

#define SECPKG_ATTR_SIZES 0
#define SECPKG_ATTR_NAMES 1
#define SECPKG_ATTR_LIFESPAN 2
#define SECPKG_ATTR_DCE_INFO 3
#define SECPKG_ATTR_STREAM_SIZES 4
#define SECPKG_ATTR_KEY_INFO 5
#define SECPKG_ATTR_AUTHORITY 6
#define SECPKG_ATTR_PROTO_INFO 7
#define SECPKG_ATTR_PASSWORD_EXPIRY 8
#define SECPKG_ATTR_SESSION_KEY 9
#define SECPKG_ATTR_PACKAGE_INFO 10
#define SECPKG_ATTR_USER_FLAGS 11
#define SECPKG_ATTR_NEGOTIATION_INFO 12
#define SECPKG_ATTR_NATIVE_NAMES 13
#define SECPKG_ATTR_FLAGS 14
#define SECPKG_ATTR_USE_VALIDATED 15
#define SECPKG_ATTR_CREDENTIAL_NAME 16
#define SECPKG_ATTR_TARGET_INFORMATION 17
#define SECPKG_ATTR_ACCESS_TOKEN 18
#define SECPKG_ATTR_TARGET 19
#define SECPKG_ATTR_AUTHENTICATION_ID 20
#define SECPKG_ATTR_LOGOFF_TIME 21
#define SECPKG_ATTR_NEGO_KEYS 22
#define SECPKG_ATTR_PROMPTING_NEEDED 24
#define SECPKG_ATTR_UNIQUE_BINDINGS 25
#define SECPKG_ATTR_ENDPOINT_BINDINGS 26
#define SECPKG_ATTR_CLIENT_SPECIFIED_TARGET 27
#define SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS 30
#define SECPKG_ATTR_NEGO_PKG_INFO 31
#define SECPKG_ATTR_NEGO_STATUS 32
#define SECPKG_ATTR_CONTEXT_DELETED 33
#define SECPKG_ATTR_DTLS_MTU 34
#define SECPKG_ATTR_DATAGRAM_SIZES SECPKG_ATTR_STREAM_SIZES
#define SECPKG_ATTR_APPLICATION_PROTOCOL 35
#define SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS 36
#define SECPKG_ATTR_IS_LOOPBACK 37
#define SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES 128

/* NegotiationState of SecPkgContext_NegotiationInfo. */
#define SECPKG_NEGOTIATION_COMPLETE 0
#define SECPKG_NEGOTIATION_OPTIMISTIC 1
#define SECPKG_NEGOTIATION_IN_PROGRESS 2
#define SECPKG_NEGOTIATION_DIRECT 3
#define SECPKG_NEGOTIATION_TRY_MULTICRED 4

/* fFlags of ExportSecurityContext. */
#define SECPKG_CONTEXT_EXPORT_RESET_NEW 0x00000001
#define SECPKG_CONTEXT_EXPORT_DELETE_OLD 0x00000002
#define SECPKG_CONTEXT_EXPORT_TO_KERNEL 0x00000004

/* Sizes EncryptMessage and MakeSignature need, for the session's enctype. */
typedef struct _SecPkgContext_Sizes {
	ULONG cbMaxToken;
	ULONG cbMaxSignature;   /* MakeSignature's SECBUFFER_TOKEN */
	ULONG cbBlockSize;      /* message sizes should be a multiple of this */
	ULONG cbSecurityTrailer; /* EncryptMessage's SECBUFFER_TOKEN */
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

typedef struct _SecPkgContext_StreamSizes {
	ULONG cbHeader;
	ULONG cbTrailer;
	ULONG cbMaximumMessage;
	ULONG cBuffers;
	ULONG cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

/* The peer's name: the client's principal on the acceptor, the user's on the initiator. */
typedef struct _SecPkgContext_NamesA {
	SEC_CHAR *sUserName;
} SecPkgContext_NamesA, *PSecPkgContext_NamesA;

typedef struct _SecPkgContext_NamesW {
	SEC_WCHAR *sUserName;
} SecPkgContext_NamesW, *PSecPkgContext_NamesW;

typedef struct _SecPkgContext_NativeNamesA {
	SEC_CHAR *sClientName;
	SEC_CHAR *sServerName;
} SecPkgContext_NativeNamesA, *PSecPkgContext_NativeNamesA;

typedef struct _SecPkgContext_NativeNamesW {
	SEC_WCHAR *sClientName;
	SEC_WCHAR *sServerName;
} SecPkgContext_NativeNamesW, *PSecPkgContext_NativeNamesW;

typedef struct _SecPkgContext_Lifespan {
	TimeStamp tsStart;
	TimeStamp tsExpiry;
} SecPkgContext_Lifespan, *PSecPkgContext_Lifespan;

typedef struct _SecPkgContext_DceInfo {
	ULONG AuthzSvc;
	void *pPac;
} SecPkgContext_DceInfo, *PSecPkgContext_DceInfo;

typedef struct _SecPkgContext_KeyInfoA {
	SEC_CHAR *sSignatureAlgorithmName;
	SEC_CHAR *sEncryptAlgorithmName;
	ULONG KeySize;            /* bits */
	ULONG SignatureAlgorithm; /* Kerberos checksum type */
	ULONG EncryptAlgorithm;   /* Kerberos enctype */
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

typedef struct _SecPkgContext_KeyInfoW {
	SEC_WCHAR *sSignatureAlgorithmName;
	SEC_WCHAR *sEncryptAlgorithmName;
	ULONG KeySize;
	ULONG SignatureAlgorithm;
	ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoW, *PSecPkgContext_KeyInfoW;

typedef struct _SecPkgContext_AuthorityA {
	SEC_CHAR *sAuthorityName;
} SecPkgContext_AuthorityA, *PSecPkgContext_AuthorityA;

typedef struct _SecPkgContext_AuthorityW {
	SEC_WCHAR *sAuthorityName;
} SecPkgContext_AuthorityW, *PSecPkgContext_AuthorityW;

typedef struct _SecPkgContext_SessionKey {
	ULONG SessionKeyLength;
	unsigned char *SessionKey; /* freed (and zeroed) by FreeContextBuffer */
} SecPkgContext_SessionKey, *PSecPkgContext_SessionKey;

typedef struct _SecPkgContext_PackageInfoA {
	PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

typedef struct _SecPkgContext_PackageInfoW {
	PSecPkgInfoW PackageInfo;
} SecPkgContext_PackageInfoW, *PSecPkgContext_PackageInfoW;

typedef struct _SecPkgContext_Flags {
	ULONG Flags; /* ISC_RET_* / ASC_RET_* */
} SecPkgContext_Flags, *PSecPkgContext_Flags;

typedef struct _SecPkgContext_NegotiationInfoA {
	PSecPkgInfoA PackageInfo;
	ULONG NegotiationState; /* SECPKG_NEGOTIATION_* */
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

typedef struct _SecPkgContext_NegotiationInfoW {
	PSecPkgInfoW PackageInfo;
	ULONG NegotiationState;
} SecPkgContext_NegotiationInfoW, *PSecPkgContext_NegotiationInfoW;

typedef struct _SecPkgContext_AccessToken {
	void *AccessToken;
} SecPkgContext_AccessToken, *PSecPkgContext_AccessToken;

typedef struct _SecPkgContext_TargetInformation {
	ULONG MarshalledTargetInfoLength;
	unsigned char *MarshalledTargetInfo;
} SecPkgContext_TargetInformation, *PSecPkgContext_TargetInformation;

/* ---- functions ---- */

/*
 * Status conventions shared by every function below:
 *   - a handle that is NULL, zeroed, invalidated, freed or was never
 *     issued gives SEC_E_INVALID_HANDLE;
 *   - a missing required pointer or an ill-formed buffer descriptor gives
 *     SEC_E_INVALID_PARAMETER (SEC_E_INVALID_TOKEN for token buffers);
 *   - on Linux every failure also records a one-line reason, returned by
 *     kssp_status_reason() (<kssp/kssp.h>) and, for a context or
 *     credential, by the SECPKG_ATTR_KSSP_LAST_ERROR attribute.
 *   - SEC_I_COMPLETE_NEEDED, SEC_I_COMPLETE_AND_CONTINUE and
 *     SEC_I_INCOMPLETE_CREDENTIALS are never returned by the Kerberos or
 *     Negotiate package, as on Windows.
 */

/*
 * AcquireCredentialsHandle - obtains a handle to credentials of a package.
 *
 * pszPrincipal     the principal ("user@REALM"); NULL for the default.
 * pszPackage       "Kerberos" or "Negotiate" (case-insensitive).
 * fCredentialUse   SECPKG_CRED_OUTBOUND, _INBOUND or _BOTH.
 * pvLogonID        must be NULL (Linux has no logon sessions).
 * pAuthData        NULL: outbound from the default cache (KRB5CCNAME),
 *                  inbound from the default keytab (KRB5_KTNAME, else
 *                  /etc/krb5.keytab);
 *                  SEC_WINNT_AUTH_IDENTITY_A/W or _EXA/_EXW: a password
 *                  logon, Domain = realm; "DOMAIN\user" and "user@REALM"
 *                  are accepted as User;
 *                  KSSP_AUTH_DATA (<kssp/kssp.h>): keytab, cache,
 *                  krb5.conf, enctypes and hooks.
 * pGetKeyFn, pvGetKeyArgument  not used by Kerberos; must be NULL.
 * phCredential     receives the handle; free it with FreeCredentialsHandle.
 * ptsExpiry        optional; receives when the credentials expire.
 *
 * Returns SEC_E_OK, SEC_E_INSUFFICIENT_MEMORY, SEC_E_INTERNAL_ERROR,
 * SEC_E_NO_CREDENTIALS, SEC_E_NOT_OWNER, SEC_E_SECPKG_NOT_FOUND,
 * SEC_E_UNKNOWN_CREDENTIALS, SEC_E_INVALID_PARAMETER.
 *
 * On Linux: credentials are resolved (cache read, keytab opened, password
 * logon performed) when a context first uses them; ptsExpiry is the
 * largest TimeStamp, "never".  Tickets the package obtains from the KDC
 * stay in the credential's memory; the user's cache file is not written.
 * KSSP_AUTH_DATA.ImpersonateUser makes the credential act for that user
 * (S4U2Self, then S4U2Proxy for other services); KSSP_AUTH_DATA.DelegateFrom
 * makes an OUTBOUND credential for the client of an accepted context from
 * the TGT it delegated, else from the ticket the context kept
 * (ASC_REQ_DELEGATE): S4U2Proxy with it as evidence and the service's own
 * TGT, logging on from the keytab (Keytab, else KRB5_KTNAME) as Principal,
 * else as the ticket's service; SEC_E_NO_CREDENTIALS when there is neither.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal,
    SEC_CHAR *pszPackage, ULONG fCredentialUse, PLUID pvLogonID, PVOID pAuthData,
    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry);
KSSP_API SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal,
    SEC_WCHAR *pszPackage, ULONG fCredentialUse, PLUID pvLogonID, PVOID pAuthData,
    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry);

/*
 * FreeCredentialsHandle - releases a credential handle.  Contexts built on
 * it keep what they need and stay usable.
 * Returns SEC_E_OK or SEC_E_INVALID_HANDLE.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);

/*
 * QueryCredentialsAttributes - ulAttribute SECPKG_CRED_ATTR_NAMES fills a
 * SecPkgCredentials_Names whose sUserName ("user@REALM") the caller frees
 * with FreeContextBuffer.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_UNSUPPORTED_FUNCTION (other
 * attributes), SEC_E_INSUFFICIENT_MEMORY, SEC_E_NO_CREDENTIALS.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
    ULONG ulAttribute, void *pBuffer);
KSSP_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
    ULONG ulAttribute, void *pBuffer);

/*
 * InitializeSecurityContext - the client side of the context exchange.
 *
 * phCredential   an OUTBOUND (or BOTH) credential.
 * phContext      NULL on the first call; then the handle returned in
 *                phNewContext.
 * pszTargetName  the service: "HTTP/host.example.com",
 *                "HTTP/host.example.com@REALM", "host@host.example.com"
 *                or a UPN.
 * fContextReq    ISC_REQ_* flags.
 * Reserved1, Reserved2  must be 0 (else SEC_E_INVALID_PARAMETER).
 * TargetDataRep  SECURITY_NATIVE_DREP or SECURITY_NETWORK_DREP (ignored).
 * pInput         NULL on the first call; then the server's token.
 * phNewContext   receives the context handle (first call).
 * pOutput        a SECBUFFER_TOKEN buffer for the token to send; with
 *                ISC_REQ_ALLOCATE_MEMORY the package allocates it and the
 *                caller frees it with FreeContextBuffer.
 * pfContextAttr  receives ISC_RET_* flags; valid on every success.
 * ptsExpiry      optional; receives the service ticket's end time.
 *
 * Returns SEC_E_OK, SEC_I_CONTINUE_NEEDED (ISC_REQ_MUTUAL_AUTH, and always
 * on the first Negotiate call: pass the server's token back in a second
 * call), SEC_E_INSUFFICIENT_MEMORY,
 * SEC_E_INTERNAL_ERROR, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
 * SEC_E_LOGON_DENIED, SEC_E_NO_AUTHENTICATING_AUTHORITY,
 * SEC_E_NO_CREDENTIALS, SEC_E_TARGET_UNKNOWN, SEC_E_UNSUPPORTED_FUNCTION,
 * SEC_E_WRONG_PRINCIPAL, SEC_E_TIME_SKEW, SEC_E_BUFFER_TOO_SMALL,
 * SEC_E_INVALID_PARAMETER.  Never SEC_I_COMPLETE_NEEDED,
 * SEC_I_COMPLETE_AND_CONTINUE or SEC_I_INCOMPLETE_CREDENTIALS.
 *
 * On Linux: the service ticket comes from the credential, the credential
 * cache, or the KDC.  ISC_REQ_DELEGATE asks the KDC for a forwarded TGT
 * and sends it in the authenticator (ISC_RET_DELEGATE) when the service
 * ticket is ok-as-delegate, or krb5.conf's [libdefaults]
 * enforce_ok_as_delegate is false; otherwise, or when the TGT is not
 * forwardable, the context is built without delegation, as on Windows.
 * ISC_REQ_USE_DCE_STYLE (Kerberos package only, MS-KILE 3.4.5.1): the
 * first call gives the bare AP-REQ and SEC_I_CONTINUE_NEEDED, the second
 * takes the server's AP-REP and gives SEC_E_OK with the client's own
 * AP-REP to send; AcceptSecurityContext answers SEC_I_CONTINUE_NEEDED
 * with its AP-REP, then SEC_E_OK.  ISC_REQ_USE_SESSION_KEY on the
 * Kerberos package is user-to-user (draft-swift-win2k-krb-user2user-03):
 * the first call sends KERB-TGT-REQUEST, the second takes the acceptor's
 * KERB-TGT-REPLY and sends an AP-REQ whose ticket is sealed in the
 * acceptor's TGT session key (both SEC_I_CONTINUE_NEEDED with mutual
 * authentication).  ISC_REQ_DATAGRAM, and user-to-user or DCE style inside
 * Negotiate, give SEC_E_UNSUPPORTED_FUNCTION.  A KRB_AP_ERR_SKEW answer is retried once
 * with the server's time (a new token and SEC_I_CONTINUE_NEEDED).
 */
KSSP_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
KSSP_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential,
    PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
    ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
    PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);

/*
 * AcceptSecurityContext - the server side of the context exchange.
 *
 * phCredential   an INBOUND (or BOTH) credential.
 * phContext      NULL on the first call; the context on a DCE-style second one.
 * pInput         the client's token (SECBUFFER_TOKEN).
 * fContextReq    ASC_REQ_* flags.
 * TargetDataRep  SECURITY_NATIVE_DREP or SECURITY_NETWORK_DREP (ignored).
 * phNewContext   receives the context handle.
 * pOutput        receives the AP-REP when mutual authentication was asked,
 *                or an error token with ASC_REQ_EXTENDED_ERROR.
 * pfContextAttr  receives ASC_RET_* flags.
 * ptsExpiry      optional; receives the client's ticket end time.
 *
 * Returns SEC_E_OK (the Kerberos exchange and kssp's Negotiate finish in
 * one call; user-to-user answers a KERB-TGT-REQUEST with
 * SEC_I_CONTINUE_NEEDED and its TGT first; a DCE-style context, MS-KILE 3.4.5.1:
 * send the AP-REP, call again with the client's AP-REP; SEC_E_MUTUAL_AUTH_FAILED
 * when it does not echo ours), SEC_E_NO_TGT_REPLY (no TGT to answer with),
 * SEC_E_WRONG_PRINCIPAL, SEC_E_INSUFFICIENT_MEMORY, SEC_E_INTERNAL_ERROR, SEC_E_INVALID_HANDLE,
 * SEC_E_INVALID_TOKEN, SEC_E_LOGON_DENIED, SEC_E_NO_AUTHENTICATING_AUTHORITY,
 * SEC_E_NO_CREDENTIALS, SEC_E_TIME_SKEW, SEC_E_CONTEXT_EXPIRED,
 * SEC_E_UNSUPPORTED_FUNCTION, SEC_E_INVALID_PARAMETER.  Never
 * SEC_I_COMPLETE_NEEDED or SEC_I_COMPLETE_AND_CONTINUE.
 *
 * On Linux: the keys come from the keytab (KSSP_AUTH_DATA.Keytab, else
 * KRB5_KTNAME, else /etc/krb5.keytab), or, for user-to-user (a
 * KERB-TGT-REQUEST, or ASC_REQ_USE_SESSION_KEY), the TGT of the
 * credential's cache (KSSP_AUTH_DATA.Ccache) or logon; authenticators are checked against
 * a replay cache kept per credential.  The Negotiate package also accepts
 * a bare Kerberos token, as Windows' does.  With ASC_REQ_DELEGATE the
 * context keeps the ticket it accepted (its bytes with the PAC: 1453 from
 * Samba AD for a user in three groups; with two names and the session key
 * about 1.7 KB a context), from which KSSP_AUTH_DATA.DelegateFrom acts
 * for a client that delegated no TGT (S4U2Proxy with that ticket as
 * evidence: Kerberos-only constrained delegation); Windows keeps it in the
 * logon session unasked.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential,
    PCtxtHandle phContext, PSecBufferDesc pInput, ULONG fContextReq, ULONG TargetDataRep,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
    PTimeStamp ptsExpiry);

/*
 * CompleteAuthToken - Kerberos never asks for it (it never returns
 * SEC_I_COMPLETE_NEEDED); on a valid context it does nothing.
 * Returns SEC_E_OK or SEC_E_INVALID_HANDLE.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext,
    PSecBufferDesc pToken);

/*
 * DeleteSecurityContext - frees a context, finished or not; keys are zeroed.
 * Returns SEC_E_OK or SEC_E_INVALID_HANDLE.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);

/*
 * ApplyControlToken - Windows' Kerberos package accepts no control tokens.
 * Returns SEC_E_UNSUPPORTED_FUNCTION (or SEC_E_INVALID_HANDLE).
 */
KSSP_API SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext,
    PSecBufferDesc pInput);

/*
 * QueryContextAttributes - SECPKG_ATTR_SIZES, NAMES, NATIVE_NAMES,
 * LIFESPAN, SESSION_KEY, FLAGS, KEY_INFO, PACKAGE_INFO, NEGOTIATION_INFO
 * (Negotiate) and kssp's SECPKG_ATTR_KSSP_LAST_ERROR.  Strings and keys
 * inside the structure are freed with FreeContextBuffer.
 *
 * phContext    the context.
 * ulAttribute  the attribute; pBuffer points to, in turn:
 *              SIZES SecPkgContext_Sizes, NAMES SecPkgContext_Names,
 *              NATIVE_NAMES SecPkgContext_NativeNames, LIFESPAN
 *              SecPkgContext_Lifespan, SESSION_KEY SecPkgContext_SessionKey,
 *              FLAGS SecPkgContext_Flags, KEY_INFO SecPkgContext_KeyInfo,
 *              PACKAGE_INFO SecPkgContext_PackageInfo, NEGOTIATION_INFO
 *              SecPkgContext_NegotiationInfo, SECPKG_ATTR_KSSP_LAST_ERROR
 *              KSSP_LAST_ERROR (<kssp/kssp.h>).
 * pBuffer      the caller's structure, filled on SEC_E_OK.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_UNSUPPORTED_FUNCTION (an
 * attribute the package does not have), SEC_E_INSUFFICIENT_MEMORY,
 * SEC_E_INVALID_PARAMETER.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext,
    ULONG ulAttribute, void *pBuffer);
KSSP_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext,
    ULONG ulAttribute, void *pBuffer);

/*
 * SetContextAttributes - the Kerberos package has no settable attribute
 * kssp could honour on Linux (Windows' settable ones concern its logon
 * sessions and Schannel).
 * Returns SEC_E_UNSUPPORTED_FUNCTION (or SEC_E_INVALID_HANDLE).
 */
KSSP_API SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext,
    ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);
KSSP_API SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext,
    ULONG ulAttribute, void *pBuffer, ULONG cbBuffer);

/*
 * ImpersonateSecurityContext / RevertSecurityContext - Windows switches the
 * thread to the client's access token.  Linux has no access tokens for a
 * Kerberos principal, so the server cannot impersonate.
 * Returns SEC_E_NO_IMPERSONATION on a valid context, else
 * SEC_E_INVALID_HANDLE.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext);
KSSP_API SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext);

/*
 * MakeSignature - an RFC 4121 MIC token over the SECBUFFER_DATA buffers,
 * written to the SECBUFFER_TOKEN buffer (at least cbMaxSignature bytes).
 * fQOP must be 0; MessageSeqNo is not used (the package keeps the sequence).
 *
 * phContext     an established context.
 * fQOP          0.
 * pMessage      SECBUFFER_DATA buffers (signed, unchanged) and one
 *               SECBUFFER_TOKEN buffer, whose cbBuffer is set to the
 *               token's length.
 * MessageSeqNo  0 (ignored).
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
 * SEC_E_BUFFER_TOO_SMALL, SEC_E_QOP_NOT_SUPPORTED, SEC_E_CONTEXT_EXPIRED,
 * SEC_E_INSUFFICIENT_MEMORY.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo);

/*
 * VerifySignature - checks a MakeSignature token (SECBUFFER_TOKEN) over the
 * SECBUFFER_DATA buffers.  pfQOP (optional) receives 0.
 *
 * phContext     an established context.
 * pMessage      the SECBUFFER_DATA buffers as signed and the received
 *               SECBUFFER_TOKEN.
 * MessageSeqNo  0 (ignored; the token's sequence number is checked against
 *               the context's when REPLAY_DETECT / SEQUENCE_DETECT were set).
 * pfQOP         optional; receives 0.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
 * SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE, SEC_E_CONTEXT_EXPIRED.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext,
    PSecBufferDesc pMessage, ULONG MessageSeqNo, PULONG pfQOP);

/*
 * EncryptMessage - wraps in place: SECBUFFER_TOKEN (cbSecurityTrailer
 * bytes) + one SECBUFFER_DATA (+ SECBUFFER_PADDING for RC4's padding
 * byte); the token buffer followed by the data buffer is the RFC 4121 Wrap
 * token on the wire (MS-KILE 3.4.5.4.1 rotation).  fQOP
 * SECQOP_WRAP_NO_ENCRYPT (= KERB_WRAP_NO_ENCRYPT) signs without encrypting.
 * On Linux: sign-only SECBUFFER_READONLY(_WITH_CHECKSUM) segments inside a
 * Wrap token (the DCE/RPC layout) give SEC_E_UNSUPPORTED_FUNCTION for now.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
 * SEC_E_BUFFER_TOO_SMALL, SEC_E_QOP_NOT_SUPPORTED, SEC_E_CONTEXT_EXPIRED,
 * SEC_E_INSUFFICIENT_MEMORY.
 *
 * phContext     an established context with confidentiality (or integrity,
 *               for SECQOP_WRAP_NO_ENCRYPT).
 * fQOP          0, or SECQOP_WRAP_NO_ENCRYPT to sign only.
 * pMessage      SECBUFFER_TOKEN (at least SecPkgContext_Sizes'
 *               cbSecurityTrailer bytes; cbBuffer is set to the length
 *               used), SECBUFFER_DATA (encrypted in place), optionally
 *               SECBUFFER_PADDING (cbBlockSize bytes; cbBuffer set to the
 *               padding used, 0 for the AES and Camellia enctypes).
 * MessageSeqNo  0 (ignored; the package numbers the messages).
 */
KSSP_API SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
    PSecBufferDesc pMessage, ULONG MessageSeqNo);

/*
 * DecryptMessage - unwraps in place (SECBUFFER_TOKEN + SECBUFFER_DATA, or
 * SECBUFFER_STREAM + SECBUFFER_DATA for a whole received token).  pfQOP
 * (optional) receives SECQOP_WRAP_NO_ENCRYPT for a signed-only message.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
 * SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE, SEC_E_INCOMPLETE_MESSAGE,
 * SEC_E_CONTEXT_EXPIRED, SEC_E_INSUFFICIENT_MEMORY.
 *
 * phContext     an established context.
 * pMessage      SECBUFFER_TOKEN + SECBUFFER_DATA as EncryptMessage left
 *               them (the data is decrypted in place), or SECBUFFER_STREAM
 *               holding the whole received Wrap token + an empty
 *               SECBUFFER_DATA, which is pointed at the plaintext inside it.
 * MessageSeqNo  0 (ignored).
 * pfQOP         optional; receives 0, or SECQOP_WRAP_NO_ENCRYPT when the
 *               message was signed but not encrypted.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext,
    PSecBufferDesc pMessage, ULONG MessageSeqNo, PULONG pfQOP);

/*
 * FreeContextBuffer - frees memory the package returned (ALLOCATE_MEMORY
 * tokens, package information, attribute strings, session keys, which are
 * zeroed first).  NULL is accepted and ignored.
 * Returns SEC_E_OK, or SEC_E_INVALID_HANDLE for memory the package did not
 * return (or already freed); such memory is left untouched.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer);

/*
 * QuerySecurityPackageInfo - the SecPkgInfo of "Kerberos" or "Negotiate"
 * (case-insensitive), with Windows' values; free it with FreeContextBuffer.
 * Returns SEC_E_OK, SEC_E_SECPKG_NOT_FOUND, SEC_E_INSUFFICIENT_MEMORY,
 * SEC_E_INVALID_PARAMETER.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
    PSecPkgInfoA *ppPackageInfo);
KSSP_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
    PSecPkgInfoW *ppPackageInfo);

/*
 * EnumerateSecurityPackages - an array of the packages' SecPkgInfo
 * (Negotiate, then Kerberos), freed with one FreeContextBuffer.
 * Returns SEC_E_OK, SEC_E_INSUFFICIENT_MEMORY, SEC_E_INVALID_PARAMETER.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(PULONG pcPackages,
    PSecPkgInfoA *ppPackageInfo);
KSSP_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(PULONG pcPackages,
    PSecPkgInfoW *ppPackageInfo);

/*
 * ExportSecurityContext / ImportSecurityContext - move an established
 * context between processes: the packed buffer (freed with
 * FreeContextBuffer) holds the package, the side, the flags and the RFC
 * 4121 state.  SECPKG_CONTEXT_EXPORT_DELETE_OLD deletes the exported
 * handle.  pToken (Windows' impersonation token) is always NULL on Linux.
 * The packed context carries session keys: protect it as a secret.
 *
 * phContext       the established context to export.
 * fFlags          0 or SECPKG_CONTEXT_EXPORT_DELETE_OLD.
 * pPackedContext  receives the packed context (pvBuffer freed with
 *                 FreeContextBuffer).
 * pszPackage      (import) "Kerberos" or "Negotiate", as exported.
 * phContext       (import) receives a new context handle.
 * Returns SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER,
 * SEC_E_INVALID_TOKEN (a packed context that is not one, or of another
 * package), SEC_E_SECPKG_NOT_FOUND, SEC_E_INSUFFICIENT_MEMORY,
 * SEC_E_INTERNAL_ERROR.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext,
    ULONG fFlags, PSecBuffer pPackedContext, void **pToken);
KSSP_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext);
KSSP_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage,
    PSecBuffer pPackedContext, void *Token, PCtxtHandle phContext);

/*
 * ChangeAccountPassword - changes an account's password with its old one,
 * as Windows' Kerberos package does: an AS exchange for kadmin/changepw
 * with the old password, then the kpasswd protocol (RFC 3244) to the
 * realm's kpasswd server (krb5.conf's kpasswd_server, admin_server on port
 * 464, else the KDCs on port 464).  The configuration is the default one
 * (KRB5_CONFIG, else /etc/krb5.conf).
 *
 * pszPackageName   "Kerberos" or "Negotiate".
 * pszDomainName    the realm or NetBIOS domain; NULL or "": the account's
 *                  UPN suffix, else the default realm.
 * pszAccountName   "user", "user@REALM", "DOMAIN\user" or a UPN.
 * pszOldPassword, pszNewPassword  the passwords.
 * bImpersonating   ignored (Linux has no impersonation token).
 * dwReserved       must be 0.
 * pOutput          may be NULL; not written.  The server's result string
 *                  (an AD policy in words) is in kssp_status_reason().
 * Returns SEC_E_OK; SEC_E_LOGON_DENIED (wrong old password, or the server
 * refused the authentication); SEC_E_INVALID_PARAMETER (the new password
 * does not meet the policy, or a bad argument); SEC_E_NOT_OWNER (access
 * denied); SEC_E_NO_AUTHENTICATING_AUTHORITY (no kpasswd server or KDC
 * answered); SEC_E_SECPKG_NOT_FOUND; SEC_E_INVALID_TOKEN,
 * SEC_E_UNSUPPORTED_FUNCTION, SEC_E_NO_CREDENTIALS, SEC_E_INTERNAL_ERROR
 * for the other RFC 3244 result codes.
 */
KSSP_API SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName,
    SEC_CHAR *pszDomainName, SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
    SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating, unsigned long dwReserved,
    PSecBufferDesc pOutput);
KSSP_API SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName,
    SEC_WCHAR *pszDomainName, SEC_WCHAR *pszAccountName, SEC_WCHAR *pszOldPassword,
    SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating, unsigned long dwReserved,
    PSecBufferDesc pOutput);

/* Windows' older spelling (wine sspi.h). */
#define FreeCredentialHandle FreeCredentialsHandle

/* ---- the UNICODE mapping ---- */

#ifdef UNICODE
#define SecPkgInfo SecPkgInfoW
#define PSecPkgInfo PSecPkgInfoW
#define SecPkgCredentials_Names SecPkgCredentials_NamesW
#define PSecPkgCredentials_Names PSecPkgCredentials_NamesW
#define SecPkgContext_Names SecPkgContext_NamesW
#define PSecPkgContext_Names PSecPkgContext_NamesW
#define SecPkgContext_NativeNames SecPkgContext_NativeNamesW
#define PSecPkgContext_NativeNames PSecPkgContext_NativeNamesW
#define SecPkgContext_KeyInfo SecPkgContext_KeyInfoW
#define PSecPkgContext_KeyInfo PSecPkgContext_KeyInfoW
#define SecPkgContext_Authority SecPkgContext_AuthorityW
#define PSecPkgContext_Authority PSecPkgContext_AuthorityW
#define SecPkgContext_PackageInfo SecPkgContext_PackageInfoW
#define PSecPkgContext_PackageInfo PSecPkgContext_PackageInfoW
#define SecPkgContext_NegotiationInfo SecPkgContext_NegotiationInfoW
#define PSecPkgContext_NegotiationInfo PSecPkgContext_NegotiationInfoW
#define SEC_WINNT_AUTH_IDENTITY SEC_WINNT_AUTH_IDENTITY_W
#define PSEC_WINNT_AUTH_IDENTITY PSEC_WINNT_AUTH_IDENTITY_W
#define SEC_WINNT_AUTH_IDENTITY_EX SEC_WINNT_AUTH_IDENTITY_EXW
#define PSEC_WINNT_AUTH_IDENTITY_EX PSEC_WINNT_AUTH_IDENTITY_EXW
#define AcquireCredentialsHandle AcquireCredentialsHandleW
#define QueryCredentialsAttributes QueryCredentialsAttributesW
#define InitializeSecurityContext InitializeSecurityContextW
#define QueryContextAttributes QueryContextAttributesW
#define SetContextAttributes SetContextAttributesW
#define QuerySecurityPackageInfo QuerySecurityPackageInfoW
#define EnumerateSecurityPackages EnumerateSecurityPackagesW
#define ImportSecurityContext ImportSecurityContextW
#define ChangeAccountPassword ChangeAccountPasswordW
#else
#define SecPkgInfo SecPkgInfoA
#define PSecPkgInfo PSecPkgInfoA
#define SecPkgCredentials_Names SecPkgCredentials_NamesA
#define PSecPkgCredentials_Names PSecPkgCredentials_NamesA
#define SecPkgContext_Names SecPkgContext_NamesA
#define PSecPkgContext_Names PSecPkgContext_NamesA
#define SecPkgContext_NativeNames SecPkgContext_NativeNamesA
#define PSecPkgContext_NativeNames PSecPkgContext_NativeNamesA
#define SecPkgContext_KeyInfo SecPkgContext_KeyInfoA
#define PSecPkgContext_KeyInfo PSecPkgContext_KeyInfoA
#define SecPkgContext_Authority SecPkgContext_AuthorityA
#define PSecPkgContext_Authority PSecPkgContext_AuthorityA
#define SecPkgContext_PackageInfo SecPkgContext_PackageInfoA
#define PSecPkgContext_PackageInfo PSecPkgContext_PackageInfoA
#define SecPkgContext_NegotiationInfo SecPkgContext_NegotiationInfoA
#define PSecPkgContext_NegotiationInfo PSecPkgContext_NegotiationInfoA
#define SEC_WINNT_AUTH_IDENTITY SEC_WINNT_AUTH_IDENTITY_A
#define PSEC_WINNT_AUTH_IDENTITY PSEC_WINNT_AUTH_IDENTITY_A
#define SEC_WINNT_AUTH_IDENTITY_EX SEC_WINNT_AUTH_IDENTITY_EXA
#define PSEC_WINNT_AUTH_IDENTITY_EX PSEC_WINNT_AUTH_IDENTITY_EXA
#define AcquireCredentialsHandle AcquireCredentialsHandleA
#define QueryCredentialsAttributes QueryCredentialsAttributesA
#define InitializeSecurityContext InitializeSecurityContextA
#define QueryContextAttributes QueryContextAttributesA
#define SetContextAttributes SetContextAttributesA
#define QuerySecurityPackageInfo QuerySecurityPackageInfoA
#define EnumerateSecurityPackages EnumerateSecurityPackagesA
#define ImportSecurityContext ImportSecurityContextA
#define ChangeAccountPassword ChangeAccountPasswordA
#endif

#ifdef __cplusplus
}
#endif

#endif
