#!/usr/bin/env bash
# kssp kpasswd (ChangeAccountPasswordA) against MIT's kadmind in the MIT
# realm: a change over UDP, another over TCP, the old password refused
# and the new one logging on after each; a wrong old password is
# SEC_E_LOGON_DENIED; a password under the policy's minimum length is the
# RFC 3244 soft error with the server's words.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "FAIL: $*" >&2; exit 1; }
user="pwchange@$KSSP_REALM"

change() {	# old new
	printf '%s\n%s\n%s\n' "$1" "$2" "$2" | "$KSSP" kpasswd "$user" >"$s/out" 2>&1
}
logs_on() { printf '%s\n' "$1" | "$KSSP" kinit -c "$cc" "$user" >/dev/null 2>&1; }

if change wrong-old-pw new-pw-1234; then fail "a wrong old password changed the password"; fi
grep -q "SEC_E_LOGON_DENIED" "$s/out" || fail "wrong old password: $(cat "$s/out")"

if change pwchange-pw-1 abc; then fail "a 3-character password was accepted"; fi
grep -q "SEC_E_INVALID_PARAMETER .*SOFTERROR (4): .*too short" "$s/out" ||
	fail "short password: $(cat "$s/out")"

change pwchange-pw-1 new-pw-1234 || fail "change over UDP: $(cat "$s/out")"
grep -q "Password changed." "$s/out" || fail "$(cat "$s/out")"
if logs_on pwchange-pw-1; then fail "the old password still logs on"; fi
logs_on new-pw-1234 || fail "the new password does not log on"

# The same over TCP only.
sed 's|kpasswd_server = |kpasswd_server = tcp/|' "$KRB5_CONFIG" >"$s/krb5-tcp.conf"
KRB5_CONFIG="$s/krb5-tcp.conf" change new-pw-1234 newer-pw-5678 ||
	fail "change over TCP: $(cat "$s/out")"
if logs_on new-pw-1234; then fail "the first new password still logs on"; fi
logs_on newer-pw-5678 || fail "the TCP-changed password does not log on"
echo "kpasswd: changes over UDP and TCP, wrong old password and policy refusals against kadmind"
