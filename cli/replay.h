/* cli/replay.h - `kssp replay` as a function, for `kssp demo`'s offline leg. */
#ifndef KSSP_CLI_REPLAY_H
#define KSSP_CLI_REPLAY_H

/* Replays the recording at path (cli/cmd_replay.c); an exit code. */
int kssp_replay_run(const char *path, int verbose);

#endif
