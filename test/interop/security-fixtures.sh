#!/usr/bin/env bash
# test/interop/security-fixtures.sh - records fixtures/security/ from a
# throwaway loopback MIT realm (realm.sh) for test/unit/check_security_loop.c:
#   kinit.rec    kssp kinit alice (AS-REQ, AS-REP), clock and random fixed
#   kvno.rec     kssp kvno HTTP/server.kssp.test with that TGT (TGS)
#   http.keytab  the service's key (kadmin.local ktadd -norandkey), so the
#                acceptor can take the recorded ticket offline
#   replay.conf  the krb5.conf they were made with (its port is not used)
# Usage: security-fixtures.sh BUILD-DIR OUT-DIR
set -euo pipefail
build=$(cd "${1:?usage: security-fixtures.sh BUILD-DIR OUT-DIR}" && pwd)
out=$(cd "${2:?usage: security-fixtures.sh BUILD-DIR OUT-DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/kssp-secfx.XXXXXX)
trap 'bash "$here/realm.sh" stop "$work/realm" >/dev/null 2>&1; rm -rf "$work"' EXIT
KSSP_FREEPORT=$build/test/freeport bash "$here/realm.sh" start "$work/realm" >/dev/null
. "$work/realm/env.sh"
cp "$KRB5_CONFIG" "$out/replay.conf"
now=$(date +%s)
export KRB5CCNAME="FILE:$work/cc"
printf '%s\n' "$KSSP_PASSWORD" | KSSP_FIXED_CLOCK=$now KSSP_FIXED_SEED=7365636b31 \
	KSSP_RECORD="$out/kinit.rec" "$build/kssp" kinit "$KSSP_USER"
KSSP_FIXED_CLOCK=$((now + 5)) KSSP_FIXED_SEED=7365636b32 KSSP_RECORD="$out/kvno.rec" \
	"$build/kssp" kvno "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
{
	echo "@ client $KSSP_USER"
	echo "@ kind kinit"
	echo "@ args $KSSP_USER"
	echo "@ krb5.conf replay.conf"
} >>"$out/kinit.rec"
{
	echo "@ service HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
	echo "@ kind kvno"
	echo "@ after kinit.rec"
	echo "@ args HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
	echo "@ krb5.conf replay.conf"
} >>"$out/kvno.rec"
rm -f "$out/http.keytab"
kadmin.local -r "$KSSP_REALM" -q \
	"ktadd -norandkey -k $out/http.keytab HTTP/$KSSP_SERVICE_HOST" >/dev/null
chmod 644 "$out/http.keytab"
