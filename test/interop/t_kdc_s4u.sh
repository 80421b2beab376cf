#!/usr/bin/env bash
# S4U against the loopback MIT KDC (MIT's part; t_heimdal_kdc.sh has Heimdal's):
# a service with +ok_to_auth_as_delegate gets a forwardable S4U2Self ticket
# for alice (PA-FOR-USER) that MIT's klist lists "for client alice"; MIT's
# db2 KDC cannot store constrained-delegation rules, so S4U2Proxy is refused
# with KDC_ERR_BADOPTION exactly as MIT's own kvno -P is.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "FAIL: $*" >&2; exit 1; }
svc="s4ufront/$KSSP_SERVICE_HOST"
kadmin.local -r "$KSSP_REALM" -q "addprinc +ok_to_auth_as_delegate -pw front-pw-5 $svc" >/dev/null 2>&1
printf 'front-pw-5\n' | "$KSSP" kinit -c "$cc" "$svc" || fail "kinit $svc"
"$KSSP" kvno -c "$cc" -U "$KSSP_USER" >"$s/out" || fail "S4U2Self"
grep -q "^$svc@$KSSP_REALM: kvno = 1$" "$s/out" || fail "$(cat "$s/out")"
klist -f -c "$cc" | grep -A1 "  $svc@$KSSP_REALM" | grep -q "for client $KSSP_USER, Flags: F" ||
	fail "klist: $(klist -f -c "$cc")"
if "$KSSP" kvno -c "$cc" -U "$KSSP_USER" -P "HTTP/$KSSP_SERVICE_HOST" 2>"$s/err"; then
	fail "MIT's db2 KDC granted S4U2Proxy"
fi
grep -q "KDC_ERR_BADOPTION (code 13).*UNSUPPORTED_S4U2PROXY_REQUEST" "$s/err" || fail "$(cat "$s/err")"
echo "S4U2Self against MIT; S4U2Proxy refused by db2 as MIT's kvno is"
