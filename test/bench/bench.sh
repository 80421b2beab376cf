#!/usr/bin/env bash
# test/bench/bench.sh - `make bench`: a throwaway loopback MIT realm
# (test/interop/realm.sh), one cache holding alice's TGT and a service
# ticket per session enctype (MIT's kinit and kvno), then build/test/bench
# with that cache and the services' keytab, so that kssp and MIT work on
# the same tickets and keys.  Usage: bench.sh BUILD-DIR [MAX-CONTEXTS]
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/kssp-bench.XXXXXX")
cleanup() { bash "$here/../interop/realm.sh" stop "$dir/realm" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
KSSP_FREEPORT="$build/test/freeport" bash "$here/../interop/realm.sh" start "$dir/realm" >/dev/null
# shellcheck disable=SC1091
. "$dir/realm/env.sh"
export KRB5CCNAME="FILE:$dir/ccache" KRB5_KTNAME="FILE:$KSSP_SERVICE_KEYTAB"
export KRB5RCACHEDIR="$dir" KRB5_TRACE=/dev/null
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null
# kvno -e: the session key (hence the acceptor's subkey, the protection
# key) of each service ticket is of the service's one enctype.
names=([17]=aes128-cts-hmac-sha1-96 [18]=aes256-cts-hmac-sha1-96 [19]=aes128-cts-hmac-sha256-128
	[20]=aes256-cts-hmac-sha384-192 [23]=arcfour-hmac)
for n in 17 18 19 20 23; do
	kvno -e "${names[$n]}" "svc$n/server.kssp.test" >/dev/null
done
"$build/test/bench" "$build/kssp" "$build/kssp-static" "$build/libkssp.so" "$dir" ${2:+"$2"}
