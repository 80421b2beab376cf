#!/usr/bin/env bash
# test/interop/demo-fixtures.sh - records the SSPI conversations replayed by
# `make check` (test/cli/replay.sh) and by `kssp demo` offline, from live
# runs against a throwaway loopback MIT realm:
#   fixtures/demo/demo.rec       kssp demo --record (password logon, AS, TGS,
#                                AP-REQ / AP-REP with a second-process
#                                acceptor, a sealed message), .keytab, .conf
#   fixtures/loop/kerberos.rec   kssp loop --record, Kerberos package, from
#                                the cache of a kssp kinit (.ccache beside it)
#   fixtures/loop/negotiate.rec  the same with the Negotiate package (SPNEGO)
#   fixtures/token/spnego-http.rec  kssp token --record --negotiate --http
#                                --mutual (TGS exchange, then the token)
#   fixtures/token/krb5.rec      kssp token --record with that ticket cached
# Usage: demo-fixtures.sh BUILD-DIR   (run from the source tree)
set -euo pipefail
build=$(cd "${1:?usage: demo-fixtures.sh BUILD-DIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/kssp-demofx.XXXXXX)
trap 'bash "$src/test/interop/realm.sh" stop "$work/realm" >/dev/null 2>&1; rm -rf "$work"' EXIT
cd "$src"
mkdir -p fixtures/demo fixtures/loop
KSSP_SRCDIR=$src KSSP_FREEPORT=$build/test/freeport "$build/kssp" demo --record fixtures/demo/demo.rec
KSSP_FREEPORT=$build/test/freeport bash test/interop/realm.sh start "$work/realm" >/dev/null
. "$work/realm/env.sh"
export KRB5_KTNAME="FILE:$KSSP_SERVICE_KEYTAB"
printf '%s\n' "$KSSP_PASSWORD" | "$build/kssp" kinit --password-file /dev/stdin "$KSSP_USER"
"$build/kssp" loop --record fixtures/loop/kerberos.rec --flags mutual,conf,integ,replay,sequence \
	"HTTP/$KSSP_SERVICE_HOST"
"$build/kssp" loop --record fixtures/loop/negotiate.rec --negotiate --flags mutual,conf,integ \
	"HTTP/$KSSP_SERVICE_HOST"
mkdir -p fixtures/token
# A cache holding the TGT only (the loops above stored the service ticket in
# the first one), so that the first token's recording has its TGS exchange.
export KRB5CCNAME="FILE:$work/token.cc"
printf '%s\n' "$KSSP_PASSWORD" | "$build/kssp" kinit --password-file /dev/stdin "$KSSP_USER"
"$build/kssp" token --record fixtures/token/spnego-http.rec --negotiate --http --mutual \
	"HTTP/$KSSP_SERVICE_HOST"
"$build/kssp" token --record fixtures/token/krb5.rec "HTTP/$KSSP_SERVICE_HOST"
for f in fixtures/demo/demo.rec fixtures/loop/*.rec fixtures/token/*.rec; do "$build/kssp" replay "$f" >/dev/null; done
echo "recorded and replayed fixtures/demo, fixtures/loop and fixtures/token"
