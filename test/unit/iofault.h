/*
 * test/unit/iofault.h - I/O fault injection for the unit runner.
 *
 * The runner is linked with `-Wl,--wrap=` for write, fsync, send, recv,
 * recvfrom and poll (see mk/test.mk), so every call the library makes to them goes
 * through the functions below.  Disarmed, each passes straight through.
 * Armed, it misbehaves the way a kernel is allowed to (POSIX write(2),
 * send(2), recv(2), recvfrom(2), poll(2)): it fails with EINTR before doing anything,
 * moves fewer bytes than asked, or fails with an errno once a byte budget
 * is spent.  Arming is per thread: a test's stand-in peers, running in
 * their own threads, are never disturbed.
 */
#ifndef KSSP_TEST_IOFAULT_H
#define KSSP_TEST_IOFAULT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct iofault_plan {
	unsigned eintr_every;  /* the 1st, then every Nth call fails with EINTR; 0: never */
	size_t max_chunk;      /* write/send/recv move at most this much; 0: no cap
	                        * (keep 0 for datagrams, which are never split) */
	bool budget_set;       /* write: after budget bytes, fail with budget_errno */
	size_t budget;
	int budget_errno;
	int fsync_errno;       /* fsync fails with this; 0: it passes */
};

struct iofault_counts {
	unsigned calls;        /* wrapped calls made while armed */
	unsigned eintr;        /* of them, failed with EINTR */
	unsigned short_moves;  /* moved fewer bytes than asked */
	unsigned failed;       /* failed with the budget or fsync errno */
	size_t written;        /* bytes write(2) let through */
};

/* Arms plan for the calling thread and zeroes its counts. */
void iofault_arm(const struct iofault_plan *plan);

/* Disarms the calling thread; returns what happened while armed. */
struct iofault_counts iofault_disarm(void);

/* The wrappers the linker substitutes; the __real_ ones are libc's. */
ssize_t __wrap_write(int fd, const void *buf, size_t len);
int __wrap_fsync(int fd);
ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
    socklen_t *from_len);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
ssize_t __real_write(int fd, const void *buf, size_t len);
int __real_fsync(int fd);
ssize_t __real_send(int fd, const void *buf, size_t len, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);
ssize_t __real_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
    socklen_t *from_len);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);

#endif
