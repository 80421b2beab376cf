/*
 * sspi/ctx.h - the security context object behind a CtxtHandle.
 *
 * A context belongs to one package, keeps a reference to the credential
 * it was built from (so FreeCredentialsHandle does not pull it away), and
 * records the ISC_RET_* / ASC_RET_* flags granted so far.  The RFC 4121
 * state (keys, sequence numbers) is context/'s and is attached when that
 * layer is wired in.
 */
#ifndef KSSP_SSPI_CTX_H
#define KSSP_SSPI_CTX_H

#include "sspi/cred.h"
#include "sspi/handle.h"
#include "sspi/package.h"

struct kssp_sspi_ctx {
	struct kssp_sspi_object obj; /* first: the registry's view */
	const struct kssp_package *pkg;
	struct kssp_sspi_cred *cred; /* a reference */
	int initiator;               /* built by InitializeSecurityContext */
	int established;             /* the exchange has completed */
	ULONG flags;                 /* ISC_RET_* or ASC_RET_* */
};

/*
 * Creates a context on cred (taking a reference to it) and registers its
 * handle in *out.
 */
kssp_err kssp_sspi_ctx_new(struct kssp_sspi_cred *cred, int initiator, CtxtHandle *out);

/* Looks up a context handle (reference taken: drop with kssp_sspi_object_put). */
kssp_err kssp_sspi_ctx_get(const CtxtHandle *h, struct kssp_sspi_ctx **ctx);

#endif
