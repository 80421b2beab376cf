/* cli/replay.h - `kssp replay` as a function, for `kssp demo`'s offline leg. */
#ifndef KSSP_CLI_REPLAY_H
#define KSSP_CLI_REPLAY_H

/* Replays the recording at path (cli/cmd_replay.c); an exit code. */
int kssp_replay_run(const char *path, int verbose);

/*
 * `kssp loop --record FILE`: the loop's conversation (client from the
 * default cache, in-process acceptor with keytab) recorded to FILE, with
 * copies of the cache, keytab and krb5.conf beside it.  An exit code.
 */
#include <kssp/sspi.h>
int kssp_loop_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *keytab);

/*
 * `kssp token --record FILE`: one InitializeSecurityContext on the cache
 * (ccache NULL: KRB5CCNAME) recorded to FILE (KDC exchanges and the token),
 * with copies of the cache as it was and of krb5.conf beside it; prints
 * the token as `kssp token` does.  An exit code.
 */
int kssp_token_record(const char *path, const char *package, ULONG req, const char *spn,
    const char *ccache, int http);

#endif
