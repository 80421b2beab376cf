#!/usr/bin/env bash
# test/load/run.sh - `make load`: builds a credential cache
# holding alice's TGT and the service ticket for HTTP/server.kssp.test by
# replaying fixtures/security/kinit.rec and kvno.rec through `kssp kinit` and
# `kssp kvno` (no KDC), then runs test/load/sspiload.c: ACCEPTORS processes,
# CLIENTS client threads, SECONDS long, at most MAXLOOPS exchanges.
# Usage: run.sh KSSP SSPILOAD ACCEPTORS CLIENTS SECONDS MAXLOOPS
set -euo pipefail
kssp=$1 load=$2 acceptors=$3 clients=$4 seconds=$5 maxloops=$6
fx=$(cd "$(dirname "$0")/../../fixtures/security" && pwd)
work=$(mktemp -d /tmp/kssp-load.XXXXXX)
trap 'rm -rf "$work"' EXIT
export KRB5_CONFIG="$fx/replay.conf" KRB5CCNAME="FILE:$work/cc"
sed -n 's/^@ password //p' "$fx/kinit.rec" | KSSP_REPLAY="$fx/kinit.rec" \
	"$kssp" kinit "$(sed -n 's/^@ client //p' "$fx/kinit.rec")" >/dev/null
KSSP_REPLAY="$fx/kvno.rec" "$kssp" kvno "$(sed -n 's/^@ service //p' "$fx/kvno.rec")" >/dev/null
now=$(( $(sed -n 's/^@ clock //p' "$fx/kvno.rec") + 60 ))
ulimit -n 4096 2>/dev/null || true
"$load" "$work/cc" "$fx/http.keytab" "$fx/replay.conf" "$now" "$acceptors" "$clients" \
	"$seconds" "$maxloops"
