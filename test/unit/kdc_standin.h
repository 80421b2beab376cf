/*
 * test/unit/kdc_standin.h - KDC stand-ins on 127.0.0.1 for the transport
 * tests: well-behaved ones that answer with a canned message, and hostile
 * ones (a sink, random bytes, a reply from another port, a truncated TCP
 * frame, a 4 GiB length prefix, an endless stream, RESPONSE_TOO_BIG).
 * Each runs in its own thread until standin_stop(), bounded by a poll
 * timeout so that it never outlives its test.
 */
#ifndef KSSP_TEST_KDC_STANDIN_H
#define KSSP_TEST_KDC_STANDIN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum standin_kind {
	SI_UDP_REPLY,       /* answers each datagram with the canned reply */
	SI_UDP_SINK,        /* reads and never answers */
	SI_UDP_RANDOM,      /* answers with random bytes */
	SI_UDP_OTHER_PORT,  /* answers the canned reply from another socket */
	SI_UDP_TOO_BIG,     /* answers KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG */
	SI_TCP_REPLY,       /* framed canned reply */
	SI_TCP_TRUNCATED,   /* announces 100 bytes, sends 10, closes */
	SI_TCP_HUGE_LENGTH, /* announces 0xffffffff bytes, then waits */
	SI_TCP_DRIBBLE,     /* announces 64 KiB, sends a byte every 20 ms, forever */
	SI_TCP_FLOOD,       /* announces 1 MiB, then writes zeros without end */
};

#define STANDIN_REQ_MAX 4096

struct standin {
	enum standin_kind kind;
	int fd;
	uint16_t port;
	pthread_t thread;
	atomic_bool stop; /* set by standin_stop, read by the stand-in thread */
	const uint8_t *reply;
	size_t reply_len;
	int requests;                 /* requests seen */
	uint8_t req[STANDIN_REQ_MAX]; /* the last one */
	size_t req_len;
};

/* Starts a stand-in on 127.0.0.1 (port 0: any free one). */
void standin_start(struct standin *s, enum standin_kind kind, uint16_t port,
    const uint8_t *reply, size_t reply_len);
void standin_stop(struct standin *s);

/* A message that passes the transport's first look: AS-REP-shaped. */
extern const uint8_t standin_as_rep[4];
/* KRB-ERROR with error-code KRB_ERR_RESPONSE_TOO_BIG (52), as far as it matters. */
extern const uint8_t standin_too_big[19];

#endif
