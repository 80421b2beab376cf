#!/usr/bin/env bash
# `kssp demo` live, as `make demo` runs it: its own throwaway realm
# (realm.sh, stopped by PID), a password logon, InitializeSecurityContext
# against AcceptSecurityContext in a second process, the sealed round trip,
# then MIT's gss-server; every leg must report SEC_E_OK.  Then --record and
# the replay of what was recorded, and the offline form (KSSP_DEMO_OFFLINE=1).
set -euo pipefail
cd "$KSSP_SRC"
out=$KSSP_TEST_SCRATCH/demo.out
KSSP_SRCDIR=$KSSP_SRC KSSP_FREEPORT=$KSSP_BUILD/test/freeport \
	"$KSSP" demo --record "$KSSP_TEST_SCRATCH/live.rec" | tee "$out"
grep -q "client  InitializeSecurityContext #1  SEC_I_CONTINUE_NEEDED" "$out"
grep -q "server  AcceptSecurityContext  SEC_E_OK" "$out"
grep -q "client  InitializeSecurityContext #2  SEC_E_OK" "$out"
grep -q "server  DecryptMessage SEC_E_OK: \"hello from kssp" "$out"
grep -q "gss-server says: Received message: \"hello from kssp" "$out"
grep -q "^realm stopped" "$out"
grep -q "kssp demo: every step passed" "$out"
"$KSSP" replay "$KSSP_TEST_SCRATCH/live.rec"
KSSP_DEMO_OFFLINE=1 KSSP_SRCDIR=$KSSP_SRC "$KSSP" demo | tee "$out"
grep -q "OFFLINE REPLAY" "$out"
grep -q "every request and token byte-identical" "$out"
