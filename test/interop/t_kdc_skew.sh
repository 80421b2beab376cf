#!/usr/bin/env bash
# Clock skew: with the clock hook an hour off,
# kinit succeeds when kdc_timesync is on (the KDC's time is adopted, the
# offset lands in the ccache header) and fails with KRB_AP_ERR_SKEW when
# it is off; for a user without and with required pre-authentication.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "FAIL: $*" >&2; exit 1; }

conf() { # conf FILE TIMESYNC
	{
		echo "[libdefaults]"
		echo " kdc_timesync = $2"
		echo " default_realm = $KSSP_REALM"
		echo " dns_lookup_kdc = false"
		echo " dns_lookup_realm = false"
		echo "[realms]"
		echo " $KSSP_REALM = {"
		echo "  kdc = 127.0.0.1:$KSSP_KDC_PORT"
		echo " }"
	} >"$1"
}
conf "$s/on.conf" true
conf "$s/off.conf" false
kadmin.local -r "$KSSP_REALM" -q "addprinc +requires_preauth -pw skew-pw-9 skewuser" >/dev/null 2>&1

for who in "$KSSP_USER:$KSSP_PASSWORD" "skewuser@$KSSP_REALM:skew-pw-9"; do
	user=${who%%:*} pw=${who#*:}
	for skew in 3600 -3600; do
		printf '%s\n' "$pw" | KRB5_CONFIG=$s/on.conf KSSP_CLOCK_SKEW=$skew KSSP_TRACE=1 \
			"$KSSP" kinit -c "$cc" "$user" 2>"$s/trace" || fail "$user, skew $skew, timesync on: $(tail -3 "$s/trace")"
		klist -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT"
		# The offset MIT keeps in the v4 header makes klist agree with the KDC.
		"$KSSP" klist -c "$cc" >/dev/null || fail "kssp klist"
		# kvno with the same skewed clock uses the cache's offset.
		KRB5_CONFIG=$s/off.conf KSSP_CLOCK_SKEW=$skew "$KSSP" kvno -c "$cc" \
			"HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null || fail "kvno with the cached offset"
		if printf '%s\n' "$pw" | KRB5_CONFIG=$s/off.conf KSSP_CLOCK_SKEW=$skew \
			"$KSSP" kinit -c "$cc" "$user" 2>"$s/err"; then
			fail "$user, skew $skew, timesync off: accepted"
		fi
		grep -q "KRB_AP_ERR_SKEW (code 37), SEC_E_TIME_SKEW" "$s/err" || fail "$(cat "$s/err")"
	done
done
grep -q "adopting KDC time offset" "$s/trace" || fail "the preauth path did not retry on skew"
echo "clock skew: timesync on succeeds, off fails with KRB_AP_ERR_SKEW"
