/* base/hooks.c - default clock and random source, trace formatting. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "base/hooks.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

kssp_err kssp_system_clock(void *arg, struct kssp_time *now)
{
	struct timespec ts;

	(void)arg;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return kssp_fail(KSSP_ERR_IO, "clock_gettime: %s", strerror(errno));
	now->sec = ts.tv_sec;
	now->usec = (int32_t)(ts.tv_nsec / 1000);
	return KSSP_OK;
}

kssp_err kssp_system_random(void *arg, void *buf, size_t len)
{
	unsigned char *p = buf;

	(void)arg;
	while (len > 0) {
		/* getrandom returns at most 32 MiB per call and may be interrupted. */
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return kssp_fail(KSSP_ERR_IO, "getrandom: %s", strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return KSSP_OK;
}

kssp_err kssp_hooks_now(const struct kssp_hooks *h, struct kssp_time *now)
{
	if (h && h->clock)
		return h->clock(h->clock_arg, now);
	return kssp_system_clock(NULL, now);
}

kssp_err kssp_hooks_random(const struct kssp_hooks *h, void *buf, size_t len)
{
	if (h && h->random)
		return h->random(h->random_arg, buf, len);
	return kssp_system_random(NULL, buf, len);
}

void kssp_trace(const struct kssp_hooks *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!h || !h->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->trace(h->trace_arg, line);
}
