/*
 * sspi/status_int.h - the one mapping from kssp_err to SECURITY_STATUS, and the
 * per-thread record of the last SSPI call's status and reason.
 *
 * Layers below sspi/ report kssp_err (RFC 4120 §7.5.9 codes by number plus
 * kssp's own); this is the only place they become Windows statuses.  The
 * same Kerberos code can mean different things depending on who saw it
 * (KRB_AP_ERR_MODIFIED is a wrong service key to the initiator, a forged
 * checksum to a message call), so the mapping takes the phase of the call.
 */
#ifndef KSSP_SSPI_STATUS_INT_H
#define KSSP_SSPI_STATUS_INT_H

#include <stdint.h>

#include "base/base.h"
#include "kssp/sspi.h"

enum kssp_sspi_phase {
	KSSP_PHASE_LOGON,    /* AcquireCredentialsHandle, AS exchange for a TGT */
	KSSP_PHASE_INITIATE, /* InitializeSecurityContext: TGS, AP-REQ, AP-REP */
	KSSP_PHASE_ACCEPT,   /* AcceptSecurityContext: AP-REQ verification */
	KSSP_PHASE_MESSAGE,  /* Encrypt/DecryptMessage, Make/VerifySignature */
	KSSP_PHASE_COUNT
};

/* The Windows status for code seen in phase; KSSP_OK gives SEC_E_OK. */
SECURITY_STATUS kssp_sspi_status(kssp_err code, enum kssp_sspi_phase phase);

/* The Windows status for an RFC 3244 kpasswd result code (0: SEC_E_OK). */
SECURITY_STATUS kssp_sspi_kpasswd_status(int32_t code);

/*
 * The same for a failure a KDC reported with AD's NTSTATUS (struct
 * kssp_kdc_error's ntstatus; 0 for none): the NTSTATUS's status where
 * the table has one, else code's.
 */
SECURITY_STATUS kssp_sspi_status_kdc(kssp_err code, uint32_t ntstatus,
    enum kssp_sspi_phase phase);

/*
 * Records status as this thread's last SSPI result.  A failure takes its
 * reason from base's per-thread record (kssp_last_reason()) when one was
 * recorded, else the status name; a success clears the reason.  Returns
 * status, so a public function ends `return kssp_sspi_result(st);`.
 */
SECURITY_STATUS kssp_sspi_result(SECURITY_STATUS status);

/*
 * A layer's result as a status: SEC_E_OK for KSSP_OK (nothing recorded);
 * else, recorded as kssp_sspi_result records, SEC_E_INSUFFICIENT_MEMORY
 * when memory ran out and failed for any other failure.
 */
SECURITY_STATUS kssp_sspi_result_of(kssp_err e, SECURITY_STATUS failed);

/*
 * Records a failure with its own reason (for conditions found in sspi/
 * itself: bad handles, bad parameters) and returns status.
 */
SECURITY_STATUS kssp_sspi_fail(SECURITY_STATUS status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Under make lint (KSSP_STATIC_ANALYSIS) only: both return the status they are
 * given, which analysers looking at one file cannot see (as kssp_fail in
 * base/err_int.h).  Every caller passes a status without side effects.
 */
#ifdef KSSP_STATIC_ANALYSIS
static inline SECURITY_STATUS kssp_sspi_returns(SECURITY_STATUS status, SECURITY_STATUS recorded)
{
	(void)recorded;
	return status;
}
#define kssp_sspi_result(status) kssp_sspi_returns((status), kssp_sspi_result(status))
#define kssp_sspi_fail(status, ...) kssp_sspi_returns((status), kssp_sspi_fail((status), __VA_ARGS__))
#endif

/* This thread's last SSPI status. */
SECURITY_STATUS kssp_sspi_last_status(void);

#endif
