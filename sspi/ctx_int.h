/*
 * sspi/ctx_int.h - the security context object behind a CtxtHandle.
 *
 * A context belongs to one package, keeps a reference to the credential
 * it was built from (so FreeCredentialsHandle does not pull it away), and
 * records the ISC_RET_* / ASC_RET_* flags granted so far.  The RFC 4121
 * state (keys, sequence numbers, names) is context/'s struct kssp_ctx.
 */
#ifndef KSSP_SSPI_CTX_INT_H
#define KSSP_SSPI_CTX_INT_H

#include "context/context.h"
#include "sspi/credential_int.h"
#include "sspi/handle_int.h"
#include "sspi/package_int.h"

struct kssp_sspi_ctx {
	struct kssp_sspi_object obj; /* first: the registry's view */
	struct kssp_sspi_cred *cred; /* held (cred_pinned); its package is the context's */
	ULONG flags;                 /* ISC_RET_* or ASC_RET_* */
	ULONG req;                   /* what the caller asked for (ISC/ASC_REQ_*) */
	struct kssp_ctx ap;          /* the RFC 4121 context */
	/*
	 * User-to-user only, else NULL: the initiator's ticket in the
	 * acceptor's TGT's key (before it comes, only its server name), or
	 * the acceptor's own TGT.  Any other initiator takes its service
	 * ticket from the credential when it needs it again (a KRB_AP_ERR_SKEW
	 * retry, re-authentication), which holds the tickets it has used.
	 */
	struct kssp_cred *ticket;
	struct kssp_cred *forwarded; /* initiator: the TGT delegated (ISC_REQ_DELEGATE), or NULL */
	bool initiator;              /* built by InitializeSecurityContext */
	bool established;            /* the exchange has completed */
	bool skew_retried;           /* initiator: the one KRB_AP_ERR_SKEW retry was made */
	bool cred_pinned;            /* cred held by a pin on its handle's slot, else a reference */
};

/*
 * Creates a context on cred and registers its handle in *out.  The context
 * holds cred by a pin on its handle's slot when the caller entered the
 * handle (cred_entered: kssp_sspi_cred_enter), else by a reference (a
 * credential with no handle, an imported context's).
 */
kssp_err kssp_sspi_ctx_new(struct kssp_sspi_cred *cred, bool cred_entered, int initiator,
    CtxtHandle *out);

/*
 * SEC_E_OK when ctx can protect messages now: established and not past
 * its ticket's end time (else SEC_E_CONTEXT_EXPIRED / SEC_E_INVALID_HANDLE
 * with a reason).
 */
SECURITY_STATUS kssp_sspi_ctx_usable(struct kssp_sspi_ctx *ctx, const char *fn);

/* Looks up a context handle (reference taken: drop with kssp_sspi_object_put). */
kssp_err kssp_sspi_ctx_get(const CtxtHandle *h, struct kssp_sspi_ctx **ctx);

#endif
