#!/usr/bin/env bash
# kssp against Heimdal's KDC, the realm run.sh
# starts with heimdal-realm.sh: kinit (password, keytab, wrong password),
# kvno, and S4U2Self + S4U2Proxy (constrained delegation, which MIT's db2
# KDC cannot do).
set -euo pipefail
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
user=$HEIMDAL_USER front=$HEIMDAL_FRONT_SPN back=$HEIMDAL_BACK_SPN
fail() { echo "FAIL: $*" >&2; exit 1; }

# kinit / kvno: Heimdal requires pre-authentication by default.
printf '%s\n' "$HEIMDAL_PASSWORD" | KSSP_TRACE=1 "$KSSP" kinit -c "$cc" "$user" 2>"$s/trace" ||
	fail "kinit: $(tail -3 "$s/trace")"
grep -q "PA-ENC-TIMESTAMP" "$s/trace" || fail "no pre-authentication round"
"$KSSP" kvno -c "$cc" "$back" >"$s/out" || fail "kvno"
grep -q "^$back: kvno = 1$" "$s/out" || fail "$(cat "$s/out")"
klist -c "$cc" | grep -q "$back" || fail "MIT's klist lacks the ticket"
if printf 'wrong\n' | "$KSSP" kinit -c "$cc" "$user" 2>"$s/err"; then fail "wrong password"; fi
grep -q "KDC_ERR_PREAUTH_FAILED (code 24), SEC_E_LOGON_DENIED" "$s/err" || fail "$(cat "$s/err")"
"$KSSP" kinit -k -t "$HEIMDAL_FRONT_KEYTAB" -c "$cc" "$front" || fail "keytab kinit"

# S4U2Self then S4U2Proxy: the front service gets a ticket to the back one for alice.
printf '%s\n' "$HEIMDAL_FRONT_PASSWORD" | "$KSSP" kinit -f -c "$cc" "$front" || fail "kinit front"
"$KSSP" kvno -c "$cc" -U "$user" -P "$back" >"$s/out" 2>"$s/err" || fail "S4U: $(cat "$s/err")"
grep -q "^$front: kvno = 1$" "$s/out" || fail "S4U2Self: $(cat "$s/out")"
grep -q "^$back: kvno = 1$" "$s/out" || fail "S4U2Proxy: $(cat "$s/out")"
klist -c "$cc" | grep -A1 "  $back" | grep -q "for client $user" || fail "klist: $(klist -c "$cc")"
grep -q "constrained delegation for $user from ${front%@*}" "$HEIMDAL_REALM_DIR/kdc.log" ||
	fail "the KDC did not log the delegation"
echo "Heimdal: kinit, kvno, S4U2Self and S4U2Proxy"
