#!/usr/bin/env bash
# test/interop/kdc-fixtures.sh - records the KDC conversations of
# fixtures/kdc/ from a throwaway loopback MIT realm (realm.sh), with the
# clock and random hooks fixed so that a replay sends identical bytes:
#   kinit.rec  kssp kinit alice (AS-REQ, AS-REP)
#   kvno.rec   kssp kvno HTTP/server.kssp.test with that TGT (TGS-REQ, TGS-REP)
#   replay.conf  the krb5.conf both were made with (its port is not used)
# Usage: kdc-fixtures.sh BUILD-DIR OUT-DIR
set -euo pipefail
build=$(cd "${1:?usage: kdc-fixtures.sh BUILD-DIR OUT-DIR}" && pwd)
out=$(cd "${2:?usage: kdc-fixtures.sh BUILD-DIR OUT-DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/kssp-kdcfx.XXXXXX)
trap 'bash "$here/realm.sh" stop "$work/realm" >/dev/null 2>&1; rm -rf "$work"' EXIT
KSSP_FREEPORT=$build/test/freeport bash "$here/realm.sh" start "$work/realm" >/dev/null
. "$work/realm/env.sh"
cp "$KRB5_CONFIG" "$out/replay.conf"
now=$(date +%s)
export KRB5CCNAME="FILE:$work/cc"
printf '%s\n' "$KSSP_PASSWORD" | KSSP_FIXED_CLOCK=$now KSSP_FIXED_SEED=6b696e6974 \
	KSSP_RECORD="$out/kinit.rec" "$build/kssp" kinit "$KSSP_USER"
KSSP_FIXED_CLOCK=$((now + 5)) KSSP_FIXED_SEED=6b766e6f KSSP_RECORD="$out/kvno.rec" \
	"$build/kssp" kvno "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
{
	echo "@ client $KSSP_USER"
	echo "@ password $KSSP_PASSWORD"
} >>"$out/kinit.rec"
echo "@ service HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >>"$out/kvno.rec"
echo "recorded into $out"
