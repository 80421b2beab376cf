/*
 * test/sspi/winsample.c - an SSPI client written the way Windows programs
 * are (Windows types, the TCHAR-generic names, the ISC loop, SIZES-driven
 * EncryptMessage / MakeSignature buffers).  On Windows its first include
 * line reads
 *     #include <windows.h>
 *     #include <sspi.h>
 * and that is the only line changed for Linux.  test/check-sspi-sample.sh
 * builds it with gcc and clang, as C and as C++, with and without UNICODE,
 * under -Wall -Wextra -Werror, and runs it against libkssp.
 *
 * Usage: winsample PACKAGE TARGET     (exit 0 when every call gave the
 * status the run expected; the statuses are printed by name).
 */
#include <kssp/sspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC_SUCCESS(Status) ((Status) >= 0)

/* Prints "what: 0x........" for a status, as the Windows samples' MyHandleError. */
static void ShowStatus(const char *what, SECURITY_STATUS ss)
{
	printf("%s: 0x%08lx\n", what, (unsigned long)(ULONG)ss);
}

/* One leg of the client side: takes the server's token, produces ours. */
static SECURITY_STATUS GenClientContext(PBYTE pIn, DWORD cbIn, PBYTE pOut, DWORD *pcbOut,
    BOOL *pfDone, LPTSTR pszTarget, CredHandle *hCred, struct _SecHandle *hcText,
    BOOL fNewConversation)
{
	SECURITY_STATUS ss;
	TimeStamp Lifetime;
	SecBufferDesc OutBuffDesc;
	SecBuffer OutSecBuff;
	SecBufferDesc InBuffDesc;
	SecBuffer InSecBuff;
	ULONG ContextAttributes;
	ULONG MessageAttribute = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY |
	    ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT;

	OutBuffDesc.ulVersion = SECBUFFER_VERSION;
	OutBuffDesc.cBuffers = 1;
	OutBuffDesc.pBuffers = &OutSecBuff;
	OutSecBuff.cbBuffer = *pcbOut;
	OutSecBuff.BufferType = SECBUFFER_TOKEN;
	OutSecBuff.pvBuffer = pOut;

	InBuffDesc.ulVersion = SECBUFFER_VERSION;
	InBuffDesc.cBuffers = 1;
	InBuffDesc.pBuffers = &InSecBuff;
	InSecBuff.cbBuffer = cbIn;
	InSecBuff.BufferType = SECBUFFER_TOKEN;
	InSecBuff.pvBuffer = pIn;

	ss = InitializeSecurityContext(hCred, fNewConversation ? NULL : hcText, pszTarget,
	    MessageAttribute, 0, SECURITY_NATIVE_DREP, fNewConversation ? NULL : &InBuffDesc, 0,
	    hcText, &OutBuffDesc, &ContextAttributes, &Lifetime);
	if (!SEC_SUCCESS(ss))
		return ss;
	/* The Kerberos package never asks for this; portable code still checks. */
	if (ss == SEC_I_COMPLETE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE) {
		ss = CompleteAuthToken(hcText, &OutBuffDesc);
		if (!SEC_SUCCESS(ss))
			return ss;
	}
	*pcbOut = OutSecBuff.cbBuffer;
	*pfDone = !(ss == SEC_I_CONTINUE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE);
	return ss;
}

/* Seals pMessage in place the way Windows callers lay buffers out. */
static SECURITY_STATUS EncryptThis(CtxtHandle *hCtxt, PBYTE pMessage, ULONG cbMessage,
    BYTE **ppOutput, ULONG *pcbOutput)
{
	SECURITY_STATUS ss;
	SecPkgContext_Sizes SecPkgContextSizes;
	SecBufferDesc BuffDesc;
	SecBuffer SecBuff[2];
	PBYTE pTrailer;

	ss = QueryContextAttributes(hCtxt, SECPKG_ATTR_SIZES, &SecPkgContextSizes);
	if (!SEC_SUCCESS(ss))
		return ss;
	pTrailer = (PBYTE)malloc(SecPkgContextSizes.cbSecurityTrailer + cbMessage);
	if (pTrailer == NULL)
		return SEC_E_INSUFFICIENT_MEMORY;
	memcpy(pTrailer + SecPkgContextSizes.cbSecurityTrailer, pMessage, cbMessage);
	BuffDesc.ulVersion = SECBUFFER_VERSION;
	BuffDesc.cBuffers = 2;
	BuffDesc.pBuffers = SecBuff;
	SecBuff[0].cbBuffer = SecPkgContextSizes.cbSecurityTrailer;
	SecBuff[0].BufferType = SECBUFFER_TOKEN;
	SecBuff[0].pvBuffer = pTrailer;
	SecBuff[1].cbBuffer = cbMessage;
	SecBuff[1].BufferType = SECBUFFER_DATA;
	SecBuff[1].pvBuffer = pTrailer + SecPkgContextSizes.cbSecurityTrailer;
	ss = EncryptMessage(hCtxt, 0, &BuffDesc, 0);
	if (!SEC_SUCCESS(ss)) {
		free(pTrailer);
		return ss;
	}
	*ppOutput = pTrailer;
	*pcbOutput = SecBuff[0].cbBuffer + SecBuff[1].cbBuffer;
	return ss;
}

/* Signs pMessage; the token goes first, as the Windows samples send it. */
static SECURITY_STATUS SignThis(CtxtHandle *hCtxt, PBYTE pMessage, ULONG cbMessage,
    BYTE **ppSig, ULONG *pcbSig)
{
	SECURITY_STATUS ss;
	SecPkgContext_Sizes Sizes;
	SecBufferDesc BuffDesc;
	SecBuffer SecBuff[2];

	ss = QueryContextAttributes(hCtxt, SECPKG_ATTR_SIZES, &Sizes);
	if (!SEC_SUCCESS(ss))
		return ss;
	*ppSig = (BYTE *)malloc(Sizes.cbMaxSignature);
	if (*ppSig == NULL)
		return SEC_E_INSUFFICIENT_MEMORY;
	BuffDesc.ulVersion = SECBUFFER_VERSION;
	BuffDesc.cBuffers = 2;
	BuffDesc.pBuffers = SecBuff;
	SecBuff[0].cbBuffer = Sizes.cbMaxSignature;
	SecBuff[0].BufferType = SECBUFFER_TOKEN;
	SecBuff[0].pvBuffer = *ppSig;
	SecBuff[1].cbBuffer = cbMessage;
	SecBuff[1].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY;
	SecBuff[1].pvBuffer = pMessage;
	ss = MakeSignature(hCtxt, 0, &BuffDesc, 0);
	*pcbSig = SecBuff[0].cbBuffer;
	return ss;
}

int main(int argc, char **argv)
{
	SECURITY_STATUS ss;
	PSecPkgInfo pkgInfo;
	PSecPkgInfo pkgList;
	ULONG cPackages = 0, i;
	CredHandle hCred;
	CtxtHandle hCtxt;
	TimeStamp Lifetime;
	DWORD cbMaxMessage, cbOut;
	PBYTE pOutBuf;
	BOOL fDone = FALSE;
	TCHAR szPackage[32];
	TCHAR szTarget[256];
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: winsample PACKAGE TARGET\n");
		return 2;
	}
	/* ASCII arguments into TCHAR strings, narrow or wide. */
	for (n = 0; argv[1][n] != '\0' && n + 1 < 32; n++)
		szPackage[n] = (TCHAR)argv[1][n];
	szPackage[n] = 0;
	for (n = 0; argv[2][n] != '\0' && n + 1 < 256; n++)
		szTarget[n] = (TCHAR)argv[2][n];
	szTarget[n] = 0;

	ss = EnumerateSecurityPackages(&cPackages, &pkgList);
	ShowStatus("EnumerateSecurityPackages", ss);
	if (!SEC_SUCCESS(ss))
		return 1;
	for (i = 0; i < cPackages; i++)
		printf("package %lu: caps 0x%08lx rpcid %u max %lu\n", (unsigned long)i,
		    (unsigned long)pkgList[i].fCapabilities, (unsigned)pkgList[i].wRPCID,
		    (unsigned long)pkgList[i].cbMaxToken);
	FreeContextBuffer(pkgList);

	ss = QuerySecurityPackageInfo(szPackage, &pkgInfo);
	ShowStatus("QuerySecurityPackageInfo", ss);
	if (!SEC_SUCCESS(ss))
		return 1;
	cbMaxMessage = pkgInfo->cbMaxToken;
	FreeContextBuffer(pkgInfo);
	printf("cbMaxToken %lu\n", (unsigned long)cbMaxMessage);

	ss = AcquireCredentialsHandle(NULL, szPackage, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
	    NULL, &hCred, &Lifetime);
	ShowStatus("AcquireCredentialsHandle", ss);
	if (!SEC_SUCCESS(ss))
		return 1;

	pOutBuf = (PBYTE)malloc(cbMaxMessage);
	if (pOutBuf == NULL)
		return 1;
	cbOut = cbMaxMessage;
	ss = GenClientContext(NULL, 0, pOutBuf, &cbOut, &fDone, szTarget, &hCred, &hCtxt, TRUE);
	ShowStatus("InitializeSecurityContext", ss);
	if (SEC_SUCCESS(ss) && fDone) {
		BYTE msg[] = "hello";
		BYTE *pSealed = NULL, *pSig = NULL;
		ULONG cbSealed = 0, cbSig = 0;

		ShowStatus("EncryptMessage", EncryptThis(&hCtxt, msg, sizeof(msg), &pSealed, &cbSealed));
		ShowStatus("MakeSignature", SignThis(&hCtxt, msg, sizeof(msg), &pSig, &cbSig));
		free(pSealed);
		free(pSig);
	}
	if (SEC_SUCCESS(ss))
		DeleteSecurityContext(&hCtxt);
	free(pOutBuf);
	ShowStatus("FreeCredentialsHandle", FreeCredentialsHandle(&hCred));
	return 0;
}
