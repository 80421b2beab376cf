#!/usr/bin/env bash
# test/interop/kdc-fixtures.sh - records the KDC conversations of
# fixtures/kdc/ from a throwaway loopback MIT realm (realm.sh), with the
# clock and random hooks fixed so that a replay sends identical bytes:
#   kinit.rec  kssp kinit alice (AS-REQ, AS-REP)
#   kvno.rec   kssp kvno HTTP/server.kssp.test with that TGT (TGS-REQ, TGS-REP)
#   s4u-kinit.rec  kssp kinit s4usvc/server.kssp.test (a service that may
#                  use S4U2Self, +ok_to_auth_as_delegate, with a password)
#   s4u-self.rec   kssp kvno -U alice with that TGT (S4U2Self, PA-FOR-USER)
#   replay.conf  the krb5.conf all were made with (its port is not used)
# and, from a Heimdal realm (heimdal-realm.sh; skipped without `make heimdal-peer`):
#   heimdal-kinit.rec  kssp kinit -f of the front service (PA-ENC-TIMESTAMP)
#   heimdal-s4u.rec    kssp kvno -U alice -P of the back service
#                      (S4U2Self, then S4U2Proxy with that evidence ticket)
#   heimdal.conf       the krb5.conf they were made with
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
kadmin.local -r "$KSSP_REALM" -q \
	"addprinc +ok_to_auth_as_delegate -pw s4u-pw-3 s4usvc/$KSSP_SERVICE_HOST" >/dev/null 2>&1
export KRB5CCNAME="FILE:$work/s4u"
printf 's4u-pw-3\n' | KSSP_FIXED_CLOCK=$((now + 10)) KSSP_FIXED_SEED=73347531 \
	KSSP_RECORD="$out/s4u-kinit.rec" "$build/kssp" kinit "s4usvc/$KSSP_SERVICE_HOST"
KSSP_FIXED_CLOCK=$((now + 15)) KSSP_FIXED_SEED=73347532 KSSP_RECORD="$out/s4u-self.rec" \
	"$build/kssp" kvno -U "$KSSP_USER"
{
	echo "@ client s4usvc/$KSSP_SERVICE_HOST@$KSSP_REALM"
	echo "@ kind kinit"
	echo "@ args s4usvc/$KSSP_SERVICE_HOST@$KSSP_REALM"
	echo "@ krb5.conf replay.conf"
} >>"$out/s4u-kinit.rec"
{
	echo "@ user $KSSP_USER"
	echo "@ kind kvno"
	echo "@ after s4u-kinit.rec"
	echo "@ args -U $KSSP_USER"
	echo "@ krb5.conf replay.conf"
} >>"$out/s4u-self.rec"

if bash "$here/../../build-aux/heimdal.sh" --check >/dev/null 2>&1; then
	trap 'bash "$here/realm.sh" stop "$work/realm" >/dev/null 2>&1; bash "$here/heimdal-realm.sh" stop "$work/heim" >/dev/null 2>&1; rm -rf "$work"' EXIT
	KSSP_FREEPORT=$build/test/freeport bash "$here/heimdal-realm.sh" start "$work/heim" >/dev/null
	. "$work/heim/env.sh"
	export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
	cp "$KRB5_CONFIG" "$out/heimdal.conf"
	export KRB5CCNAME="FILE:$work/heimcc"
	printf '%s\n' "$HEIMDAL_FRONT_PASSWORD" | KSSP_FIXED_CLOCK=$((now + 20)) KSSP_FIXED_SEED=68656931 \
		KSSP_RECORD="$out/heimdal-kinit.rec" "$build/kssp" kinit -f "$HEIMDAL_FRONT_SPN"
	KSSP_FIXED_CLOCK=$((now + 25)) KSSP_FIXED_SEED=68656932 KSSP_RECORD="$out/heimdal-s4u.rec" \
		"$build/kssp" kvno -U "$HEIMDAL_USER" -P "$HEIMDAL_BACK_SPN"
	{
		echo "@ client $HEIMDAL_FRONT_SPN"
		echo "@ kind kinit"
		echo "@ args -f $HEIMDAL_FRONT_SPN"
		echo "@ krb5.conf heimdal.conf"
	} >>"$out/heimdal-kinit.rec"
	{
		echo "@ user $HEIMDAL_USER"
		echo "@ service $HEIMDAL_BACK_SPN"
		echo "@ kind kvno"
		echo "@ after heimdal-kinit.rec"
		echo "@ args -U $HEIMDAL_USER -P $HEIMDAL_BACK_SPN"
		echo "@ krb5.conf heimdal.conf"
	} >>"$out/heimdal-s4u.rec"
fi
echo "recorded into $out"
