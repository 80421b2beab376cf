#!/usr/bin/env bash
# kssp kinit / kvno against the loopback MIT KDC:
# every enctype, the non-ASCII password, a keytab, a service ticket that
# MIT's klist then lists, renewal, pre-authentication, and the failures.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. A user of each enctype: the TGT's session key is that enctype.
for n in $KSSP_ENCTYPES; do
	pw=KSSP_PASSWORD_$n
	printf '%s\n' "${!pw}" | "$KSSP" kinit -e "$n" -c "$cc" "user$n" || fail "kinit user$n"
	case $n in
	17) name=aes128-cts-hmac-sha1-96 ;; 18) name=aes256-cts-hmac-sha1-96 ;;
	19) name=aes128-cts-hmac-sha256-128 ;; 20) name=aes256-cts-hmac-sha384-192 ;;
	23) name=arcfour-hmac ;; 25) name=camellia128-cts-cmac ;; 26) name=camellia256-cts-cmac ;;
	esac
	klist -e -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT for user$n"
	klist -e -c "$cc" | grep -q "Etype (skey, tkt): \(DEPRECATED:\)\?$name," ||
		fail "user$n: klist -e does not show $name"
done
printf '%s\n' "$KSSP_UNICODE_PASSWORD" | "$KSSP" kinit -c "$cc" "$KSSP_UNICODE_USER" ||
	fail "non-ASCII password"
klist -c "$cc" | grep -q "Default principal: $KSSP_UNICODE_USER" || fail "unicode cache"

# Wrong password, unknown user: the KRB error, its code and the SSPI status.
if printf 'wrong\n' | "$KSSP" kinit -c "$cc" "$KSSP_USER" 2>"$s/err"; then fail "wrong password accepted"; fi
grep -q "KDC_ERR_PREAUTH_FAILED (code 24), SEC_E_LOGON_DENIED" "$s/err" || fail "$(cat "$s/err")"
if printf 'x\n' | "$KSSP" kinit -c "$cc" "nobody@$KSSP_REALM" 2>"$s/err"; then fail "unknown user"; fi
grep -q "KDC_ERR_C_PRINCIPAL_UNKNOWN (code 6)" "$s/err" || fail "$(cat "$s/err")"

# A principal that requires pre-authentication: PA-ENC-TIMESTAMP after
# KDC_ERR_PREAUTH_REQUIRED; a wrong password then gets the KDC's own refusal.
kadmin.local -r "$KSSP_REALM" -q "addprinc +requires_preauth -pw pre-pw-7 preuser" >/dev/null 2>&1
printf 'pre-pw-7\n' | KSSP_TRACE=1 "$KSSP" kinit -c "$cc" preuser 2>"$s/trace" || fail "preauth kinit"
grep -q "KDC_ERR_PREAUTH_REQUIRED" "$s/trace" || fail "no preauth round: $(cat "$s/trace")"
grep -q "PA-ENC-TIMESTAMP" "$s/trace" || fail "no PA-ENC-TIMESTAMP"
grep -qi "pre-pw-7" "$s/trace" && fail "the trace shows the password"
if printf 'nope\n' | "$KSSP" kinit -c "$cc" preuser 2>"$s/err"; then fail "preauth wrong password"; fi
grep -q "KDC_ERR_PREAUTH_FAILED (code 24), SEC_E_LOGON_DENIED" "$s/err" || fail "$(cat "$s/err")"

# 2. A keytab.
"$KSSP" kinit -k -t "$KSSP_SERVICE_KEYTAB" -c "$cc" "host/$KSSP_SERVICE_HOST" || fail "keytab kinit"
klist -c "$cc" | grep -q "Default principal: host/$KSSP_SERVICE_HOST@$KSSP_REALM" || fail "keytab cache"

# 3. A service ticket, listed by MIT's klist; an unknown SPN.
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "$cc" "$KSSP_USER" || fail "kinit alice"
"$KSSP" kvno -c "$cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >"$s/out" || fail "kvno"
want=$(kvno -c "$cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM")
[ "$(cat "$s/out")" = "$want" ] || fail "kvno printed '$(cat "$s/out")', MIT prints '$want'"
klist -c "$cc" | grep -q "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" || fail "klist lacks the ticket"
if "$KSSP" kvno -c "$cc" "nosuch/$KSSP_SERVICE_HOST@$KSSP_REALM" 2>"$s/err"; then fail "unknown SPN"; fi
grep -q "KDC_ERR_S_PRINCIPAL_UNKNOWN (code 7), SEC_E_TARGET_UNKNOWN" "$s/err" || fail "$(cat "$s/err")"

# kvno -e: the session key of that enctype; kinit -l / --canonicalize.
"$KSSP" kvno -c "$cc" -e aes128-cts-hmac-sha1-96 "svc17/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null ||
	fail "kvno -e"
klist -e -c "$cc" | grep -A1 "svc17/$KSSP_SERVICE_HOST" | grep -q "skey, tkt): aes128-cts-hmac-sha1-96" ||
	fail "kvno -e: $(klist -e -c "$cc")"
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -l 1h --canonicalize -c "$s/short" "$KSSP_USER" ||
	fail "kinit -l 1h --canonicalize"
start=$(date -d "$(klist -c "$s/short" | awk '/krbtgt/ {print $1" "$2}')" +%s)
end=$(date -d "$(klist -c "$s/short" | awk '/krbtgt/ {print $3" "$4}')" +%s)
[ $((end - start)) -eq 3600 ] || fail "kinit -l 1h gave $((end - start)) s"

# Renewal keeps the principal and yields a TGT MIT's klist reads.
"$KSSP" kinit -R -c "$cc" || fail "renew"
klist -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "renewed TGT missing"
# Renewed again, it stays renewable until the first ticket's renew-till.
till=$(klist -c "$cc" | grep -A1 "krbtgt/$KSSP_REALM@$KSSP_REALM" | sed -n 's/.*renew until //p')
[ -n "$till" ] || fail "the renewed TGT is not renewable: $(klist -c "$cc")"
"$KSSP" kinit -R -c "$cc" || fail "second renewal"
klist -f -c "$cc" | grep -A1 "krbtgt/$KSSP_REALM@$KSSP_REALM" | grep -q "renew until $till" ||
	fail "the twice-renewed TGT lost its renew-till $till: $(klist -f -c "$cc")"
klist -f -c "$cc" | grep -A2 "krbtgt/$KSSP_REALM@$KSSP_REALM" | grep -q "Flags: .*R" ||
	fail "the twice-renewed TGT is not renewable: $(klist -f -c "$cc")"
# A service ticket from a renewable TGT is renewable, as MIT's kvno gets it
# (MIT asks with the TGT's forwardable, proxiable, renewable flags).
"$KSSP" kvno -c "$cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null || fail "kvno after renewal"
klist -f -c "$cc" | grep -A2 "  HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM\$" | grep -q "Flags: .*R" ||
	fail "a service ticket from a renewable TGT is not renewable: $(klist -f -c "$cc")"

# kvno of two services, the second refused: the first one's ticket is kept.
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "$s/cc2" "$KSSP_USER" || fail "kinit for kvno"
if "$KSSP" kvno -c "$s/cc2" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" "nosuch/$KSSP_SERVICE_HOST@$KSSP_REALM" \
	>"$s/out" 2>"$s/err"; then fail "kvno with an unknown second SPN succeeded"; fi
grep -q "KDC_ERR_S_PRINCIPAL_UNKNOWN" "$s/err" || fail "kvno A nosuch: $(cat "$s/err")"
klist -c "$s/cc2" | grep -q "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" ||
	fail "the first service's ticket was not kept: $(klist -c "$s/cc2")"
echo "kdc kinit/kvno: every enctype, keytab, preauth, service ticket, renew, failures"
