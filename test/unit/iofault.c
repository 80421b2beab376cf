/* test/unit/iofault.c - the per-thread I/O fault shim (see iofault.h). */
#include "iofault.h"

#include <errno.h>
#include <string.h>

static _Thread_local bool armed;
static _Thread_local struct iofault_plan plan;
static _Thread_local struct iofault_counts counts;

void iofault_arm(const struct iofault_plan *p)
{
	plan = *p;
	memset(&counts, 0, sizeof(counts));
	armed = true;
}

struct iofault_counts iofault_disarm(void)
{
	armed = false;
	return counts;
}

/* True when this call is to fail with EINTR before doing anything: the
 * first call, then every eintr_every-th. */
static bool interrupt_now(void)
{
	counts.calls++;
	if (plan.eintr_every == 0 || (counts.calls - 1) % plan.eintr_every != 0)
		return false;
	counts.eintr++;
	errno = EINTR;
	return true;
}

/* len cut to the plan's chunk; counted when cut. */
static size_t chunk(size_t len)
{
	if (plan.max_chunk == 0 || len <= plan.max_chunk)
		return len;
	counts.short_moves++;
	return plan.max_chunk;
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	size_t n;
	ssize_t k;

	if (!armed)
		return __real_write(fd, buf, len);
	if (interrupt_now())
		return -1;
	n = chunk(len);
	if (plan.budget_set) {
		size_t left = plan.budget - counts.written;

		/* A full disk takes what fits, then refuses (POSIX write(2)). */
		if (left == 0 && len > 0) {
			counts.failed++;
			errno = plan.budget_errno;
			return -1;
		}
		if (n > left) {
			n = left;
			counts.short_moves++;
		}
	}
	k = __real_write(fd, buf, n);
	if (k > 0)
		counts.written += (size_t)k;
	return k;
}

int __wrap_fsync(int fd)
{
	if (!armed || plan.fsync_errno == 0)
		return __real_fsync(fd);
	counts.calls++;
	counts.failed++;
	errno = plan.fsync_errno;
	return -1;
}

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags)
{
	if (!armed)
		return __real_send(fd, buf, len, flags);
	if (interrupt_now())
		return -1;
	return __real_send(fd, buf, chunk(len), flags);
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
	if (!armed)
		return __real_recv(fd, buf, len, flags);
	if (interrupt_now())
		return -1;
	return __real_recv(fd, buf, chunk(len), flags);
}

ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
    socklen_t *from_len)
{
	if (!armed)
		return __real_recvfrom(fd, buf, len, flags, from, from_len);
	if (interrupt_now())
		return -1;
	/* A datagram is never split: recvfrom is only interrupted. */
	return __real_recvfrom(fd, buf, len, flags, from, from_len);
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (armed && interrupt_now())
		return -1;
	return __real_poll(fds, n, timeout);
}
