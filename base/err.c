/* base/err.c - error names and the per-thread failure record. */
#include "base/err_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local struct kssp_failure last_failure = { KSSP_OK, KSSP_NO_OFFSET, "" };

/*
 * Formats first, then copies: a caller may pass kssp_last_reason() as an
 * argument to wrap the reason of a lower layer ("AS-REP: %s").
 */
static kssp_err record(kssp_err code, size_t offset, const char *fmt, va_list ap)
{
	char reason[KSSP_REASON_MAX];
	int n;

	n = vsnprintf(reason, sizeof(reason), fmt, ap);
	if (offset != KSSP_NO_OFFSET && n >= 0 && (size_t)n < sizeof(reason))
		snprintf(reason + n, sizeof(reason) - (size_t)n, " at offset %zu", offset);
	last_failure.code = code;
	last_failure.offset = offset;
	memcpy(last_failure.reason, reason, sizeof(reason));
	return code;
}

/* In parentheses: the analysers' macros (err.h) must not expand here. */
kssp_err (kssp_fail)(kssp_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(code, KSSP_NO_OFFSET, fmt, ap);
	va_end(ap);
	return code;
}

kssp_err (kssp_fail_at)(kssp_err code, size_t offset, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(code, offset, fmt, ap);
	va_end(ap);
	return code;
}

kssp_err kssp_vfail_at(kssp_err code, size_t offset, const char *fmt, va_list ap)
{
	return record(code, offset, fmt, ap);
}

kssp_err kssp_fail_recode(kssp_err code)
{
	return last_failure.code = code;
}

kssp_err kssp_last_error(void)
{
	return last_failure.code;
}

const char *kssp_last_reason(void)
{
	return last_failure.reason;
}

size_t kssp_last_offset(void)
{
	return last_failure.offset;
}

void kssp_failure_save(struct kssp_failure *f)
{
	*f = last_failure;
}

void kssp_failure_restore(const struct kssp_failure *f)
{
	last_failure = *f;
}

void kssp_clear_failure(void)
{
	last_failure.code = KSSP_OK;
	last_failure.offset = KSSP_NO_OFFSET;
	last_failure.reason[0] = '\0';
}

struct err_entry {
	kssp_err code;
	const char *name;
	const char *text;
};

static const struct err_entry err_table[] = {
	{ KSSP_OK, "KSSP_OK", "success" },
#define E(code, number, text) { code, #code, text },
	KSSP_ERR_LIST(E)
#undef E
};

static const struct err_entry *err_lookup(kssp_err code)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return &err_table[i];
	return NULL;
}

const char *kssp_err_name(kssp_err code)
{
	const struct err_entry *e = err_lookup(code);

	return e ? e->name : "KSSP_ERR_UNKNOWN";
}

const char *kssp_err_text(kssp_err code)
{
	const struct err_entry *e = err_lookup(code);

	return e ? e->text : "unknown error";
}
