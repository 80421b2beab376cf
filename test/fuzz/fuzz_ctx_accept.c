/*
 * test/fuzz/fuzz_ctx_accept.c - libFuzzer target for the acceptor: any
 * token through kssp_ctx_accept with MIT's service keytab
 * (fixtures/context/mit-service.keytab, read from the source tree root or
 * $KSSP_FIXTURES) and the clock fixed at the fixtures' capture time, so
 * that the seeds (MIT's AP-REQs) reach the deepest checks.  An accepted
 * context must be usable, a refused one must leave nothing behind.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/mem_int.h"
#include "context/ap_int.h"
#include "creds/keytab_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fixtures/context/mit-*.txt were captured at this time */
#define CAPTURE_TIME 1795468819

static struct kssp_keytab keytab;

static kssp_err fixed_now(void *arg, struct kssp_time *now)
{
	(void)arg;
	now->sec = CAPTURE_TIME;
	now->usec = 0;
	return KSSP_OK;
}

static const struct kssp_hooks hooks = { .clock = fixed_now };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[4096];
	const char *dir = getenv("KSSP_FIXTURES");

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/context/mit-service.keytab", dir ? dir : "fixtures");
	if (kssp_keytab_read(path, &keytab) != KSSP_OK) {
		fprintf(stderr, "fuzz_ctx_accept: cannot read %s\n", path);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_ctx_accept_params p = { .keytab = &keytab };
	struct kssp_ctx ctx;
	uint8_t *reply, *ex;
	size_t rlen, exlen;
	kssp_err e;

	kssp_ctx_init(&ctx, &hooks);
	e = kssp_ctx_accept(&ctx, &p, data, size, &reply, &rlen);
	if (e == KSSP_OK && ctx.state == KSSP_CTX_WAIT_DCE_AP_REP) {
		/* DCE style: established only by the initiator's AP-REP (fuzz_ctx_dce). */
		if (!(ctx.flags & KSSP_GSS_DCE_STYLE) || !reply)
			abort();
	} else if (e == KSSP_OK) {
		if (ctx.state != KSSP_CTX_ESTABLISHED)
			abort();
		if (kssp_ctx_export(&ctx, &ex, &exlen) != KSSP_OK)
			abort();
		kssp_free_secret(ex, exlen);
	} else if (ctx.state != KSSP_CTX_FAILED) {
		abort();
	}
	kssp_free(reply);
	kssp_ctx_clear(&ctx);
	return 0;
}
