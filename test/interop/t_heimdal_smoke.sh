#!/usr/bin/env bash
# The Heimdal realm itself (heimdal-realm.sh), proven with real clients before
# kssp is pointed at it: MIT's kinit gets TGTs from Heimdal's KDC, Heimdal's
# own kinit too, and MIT's kvno does S4U2Self (-U) and S4U2Proxy (-U -P) with
# the front service's keys, so the KDC side of constrained delegation is
# known to be configured right. What the KDC must refuse, it refuses: a
# wrong password, an unknown user, delegation to a service not in the front
# service's list, and a forwardable S4U2Self ticket for a principal that is
# not trusted for delegation.
set -euo pipefail
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
export KRB5CCNAME="FILE:$KSSP_TEST_SCRATCH/cc"
s=$KSSP_TEST_SCRATCH
front=$HEIMDAL_FRONT_SPN back=$HEIMDAL_BACK_SPN
alice=$HEIMDAL_USER

fail() { echo "t_heimdal_smoke: $*" >&2; exit 1; }
# The ticket lines of `klist -f` for SERVICE, with the line after each.
ticket_of() { klist -f | grep -A1 "  $1\$" || true; }

# 1. MIT's kinit and kvno against Heimdal's KDC.
[ -n "$HEIMDAL_ENCTYPES" ] || fail "no HEIMDAL_ENCTYPES"
printf '%s\n' "$HEIMDAL_PASSWORD" | kinit "$alice" >/dev/null
klist -e | grep -q "Default principal: $alice" || fail "no TGT for $alice"
klist -e | grep -A1 "krbtgt/$HEIMDAL_REALM@$HEIMDAL_REALM" | grep -q 'aes256-cts-hmac-sha1-96' ||
	fail "the TGT is not aes256: $(klist -e)"
kvno "$back" | grep -qx "$back: kvno = 1" || fail "kvno $back"
# The back service's keytab decrypts a ticket the KDC issues for it.
kvno -k "$HEIMDAL_BACK_KEYTAB" "$back" | grep -q 'keytab entry valid' || fail "back keytab"

# One user per enctype: the AS exchange uses that user's only key.
for n in $HEIMDAL_ENCTYPES; do
	pw=HEIMDAL_PASSWORD_$n
	case $n in 17) want=aes128-cts ;; 18) want=aes256-cts ;; 23) want=rc4-hmac ;; esac
	printf '%s\n' "${!pw}" | KRB5_TRACE="$s/user$n.trace" kinit -c "FILE:$s/cc-$n" "user$n" >/dev/null ||
		fail "kinit user$n"
	grep -q "AS key determined by preauth: $want/" "$s/user$n.trace" ||
		fail "user$n: not a $want key: $(grep 'AS key' "$s/user$n.trace")"
done

printf '%s\n' "$HEIMDAL_PASSWORD2" | kinit -c "FILE:$s/cc-bob" "$HEIMDAL_USER2" >/dev/null ||
	fail "kinit $HEIMDAL_USER2"
if printf 'wrong\n' | kinit -c "FILE:$s/cc-wrong" "$alice" >"$s/wrong.out" 2>&1; then
	fail "a wrong password was accepted"
fi
grep -q 'Password incorrect' "$s/wrong.out" || fail "wrong password: $(cat "$s/wrong.out")"
if printf 'x\n' | kinit -c "FILE:$s/cc-nobody" "nobody@$HEIMDAL_REALM" >"$s/nobody.out" 2>&1; then
	fail "an unknown user got a TGT"
fi
grep -q 'not found in Kerberos database' "$s/nobody.out" || fail "unknown user: $(cat "$s/nobody.out")"

# 2. Heimdal's own client tools (HEIMDAL_BIN) work against the realm.
printf '%s\n' "$HEIMDAL_PASSWORD" |
	"$HEIMDAL_BIN/kinit" --password-file=STDIN -c "FILE:$s/cc-h" "$alice"
"$HEIMDAL_BIN/kgetcred" -c "FILE:$s/cc-h" "$back"
"$HEIMDAL_BIN/klist" -c "FILE:$s/cc-h" | grep -q "$back" || fail "Heimdal's kgetcred $back"

# 3. The front service with its keytab: S4U2Self for alice, then S4U2Proxy
#    to the back service. The S4U2Self ticket must be forwardable (the front
#    service is trusted-for-delegation), or S4U2Proxy would be refused.
export KRB5CCNAME="FILE:$s/cc-front"
kinit -k -t "$HEIMDAL_FRONT_KEYTAB" "$front"
kvno -k "$HEIMDAL_FRONT_KEYTAB" -U "${alice%@*}" "$front" | grep -q "$front: kvno = 1, keytab entry valid" ||
	fail "S4U2Self: kvno -U"
ticket_of "$front" | grep -q "for client $alice" || fail "no S4U2Self ticket: $(klist -f)"
ticket_of "$front" | grep "for client $alice" | grep -q 'Flags: F' ||
	fail "the S4U2Self ticket is not forwardable: $(klist -f)"
kvno -U "${alice%@*}" -P "$back" >"$s/proxy.out" 2>&1 || fail "S4U2Proxy: $(cat "$s/proxy.out")"
ticket_of "$back" | grep -q "for client $alice" || fail "no S4U2Proxy ticket: $(klist -f)"

# The front service's password works as well as its keytab.
printf '%s\n' "$HEIMDAL_FRONT_PASSWORD" | kinit -c "FILE:$s/cc-front-pw" "$front" >/dev/null ||
	fail "kinit $front with its password"

# 4. Refusals. Delegation to a service outside the front's list:
#    KDC_ERR_BADOPTION ("KDC can't fulfill requested option").
if kvno -U "${alice%@*}" -P "host/back.heimdal.test@$HEIMDAL_REALM" >"$s/badproxy.out" 2>&1; then
	fail "S4U2Proxy to a service outside the delegation list was allowed"
fi
grep -q "KDC can't fulfill requested option" "$s/badproxy.out" || fail "$(cat "$s/badproxy.out")"
# bob is not trusted for delegation: his S4U2Self ticket is not forwardable.
export KRB5CCNAME="FILE:$s/cc-bob"
kvno -U "${alice%@*}" "$HEIMDAL_USER2" >/dev/null
ticket_of "$HEIMDAL_USER2" | grep -q "for client $alice" || fail "no S4U2Self ticket for bob"
if ticket_of "$HEIMDAL_USER2" | grep "for client $alice" | grep -q 'Flags: F'; then
	fail "an S4U2Self ticket for a principal not trusted for delegation is forwardable"
fi

# 5. The KDC did the work (not a cache): its log names both exchanges.
log="$HEIMDAL_REALM_DIR/kdc.log"
grep -q "s4u2self $front impersonating $alice to service $front" "$log" || fail "no S4U2Self in $log"
grep -q "constrained delegation for $alice from $front .* to $back" "$log" ||
	fail "no S4U2Proxy in $log"
echo "heimdal smoke: kinit, kvno, S4U2Self and S4U2Proxy against Heimdal's KDC work"
