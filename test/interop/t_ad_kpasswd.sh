#!/usr/bin/env bash
# kssp kpasswd (ChangeAccountPasswordA) against Samba's AD kpasswd service:
# a change over UDP, another over TCP, the old password refused and the new
# one logging on after each; a wrong old password is SEC_E_LOGON_DENIED; a
# password AD's policy refuses is the RFC 3244 soft error with the DC's words
# (Samba's text, or Windows' policy blob put into words).
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "t_ad_kpasswd: $*" >&2; exit 1; }
user="pwchange@$AD_REALM"
new1="Kssp-New-$RANDOM-Pw1!" new2="Kssp-Newer-$RANDOM-Pw2!"

change() {	# old new
	printf '%s\n%s\n%s\n' "$1" "$2" "$2" | "$KSSP" kpasswd "$user" >"$s/out" 2>&1
}
logs_on() { printf '%s\n' "$1" | "$KSSP" kinit -c "$cc" "$user" >/dev/null 2>&1; }

if change "wrong-$AD_PASSWORD_PWCHANGE" "$new1"; then fail "a wrong old password changed it"; fi
grep -q "SEC_E_LOGON_DENIED" "$s/out" || fail "wrong old password: $(cat "$s/out")"

if change "$AD_PASSWORD_PWCHANGE" abc; then fail "a 3-character password was accepted"; fi
grep -Eq "SEC_E_INVALID_PARAMETER .*SOFTERROR \(4\): .*(too short|minimum length [0-9])" "$s/out" ||
	fail "short password: $(cat "$s/out")"

change "$AD_PASSWORD_PWCHANGE" "$new1" || fail "change over UDP: $(cat "$s/out")"
if logs_on "$AD_PASSWORD_PWCHANGE"; then fail "the old password still logs on"; fi
logs_on "$new1" || fail "the new password does not log on"

sed 's|kpasswd_server = |kpasswd_server = tcp/|' "$KRB5_CONFIG" >"$s/krb5-tcp.conf"
KRB5_CONFIG="$s/krb5-tcp.conf" change "$new1" "$new2" || fail "change over TCP: $(cat "$s/out")"
if logs_on "$new1"; then fail "the first new password still logs on"; fi
logs_on "$new2" || fail "the TCP-changed password does not log on"
echo "ad kpasswd: changes over UDP and TCP, wrong old password and policy refusals against Samba"
