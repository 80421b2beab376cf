/*
 * kdc/ctx_int.h - what the AS and TGS exchanges share: the context an exchange
 * runs in (configuration, hooks, the KDC time offset) and the details of
 * the last KRB-ERROR a KDC sent.
 *
 * The context belongs to one credential handle; it is not shared between
 * threads.  Every exchange clears last_error first; when a KDC answers
 * with a KRB-ERROR, the exchange returns its error-code (a kssp_err of the
 * same number), records "e-text" (and AD's NTSTATUS, by name) in the
 * failure reason and keeps the e-data and that NTSTATUS in last_error for
 * callers that need them (RFC 4120 §5.9.1, MS-KILE §2.2.1).
 */
#ifndef KSSP_KDC_CTX_INT_H
#define KSSP_KDC_CTX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "kdc/config_int.h"

/* The largest KDC time offset adopted from a KRB_AP_ERR_SKEW hint: one day. */
#define KSSP_KDC_MAX_TIME_OFFSET 86400

struct kssp_kdc_error {
	int32_t error_code;  /* 0: the last exchange got no KRB-ERROR */
	char e_text[256];    /* printable, NUL-terminated, possibly cut */
	/*
	 * AD's NTSTATUS for the error (MS-KILE §2.2.1 KERB-EXT-ERROR in
	 * e-data), 0 when none: for sspi/ to map to a SECURITY_STATUS.
	 */
	uint32_t ntstatus;
};

struct kssp_kdc_ctx {
	const struct kssp_config *cfg;   /* required */
	const struct kssp_hooks *hooks;  /* NULL: the system's */
	/*
	 * KDC time minus local time, as MIT keeps it in the ccache header:
	 * set from an authenticated reply's authtime when kdc_timesync is on,
	 * used for every timestamp sent and every time checked.
	 */
	bool has_time_offset;
	int32_t time_offset;
	int32_t usec_offset;
	struct kssp_kdc_error last_error;
	/* The last AS exchange was armored (MIT's fast_avail cache entry follows). */
	bool fast_avail;
};

/* A context over cfg and hooks (both borrowed). */
void kssp_kdc_ctx_init(struct kssp_kdc_ctx *ctx, const struct kssp_config *cfg,
    const struct kssp_hooks *hooks);

/* Forgets the last KRB-ERROR; the context holds no memory of its own. */
void kssp_kdc_ctx_free(struct kssp_kdc_ctx *ctx);

/* Local time plus the KDC offset. */
kssp_err kssp_kdc_now(const struct kssp_kdc_ctx *ctx, struct kssp_time *now);

#endif
