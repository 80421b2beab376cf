#!/usr/bin/env bash
# kssp against Samba's AD DC: password logons with AES and RC4 reply keys,
# a non-ASCII password, service and computer keytabs (AD's salts); service
# tickets of each account's enctype; PAC-bearing tickets through token,
# accept and loop (Kerberos and Negotiate); a user in 400 groups, whose
# ticket carries a large PAC; caches shared both ways with MIT's tools;
# S4U2Self and S4U2Proxy; unconstrained delegation to a service trusted for
# it.
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_kssp: $*" >&2; exit 1; }
etype_of() { "$KSSP" klist -e -c "$1" | grep -A1 "  $2\$" | sed -n 's/.*Etype (skey, tkt): //p'; }

# 1. Logons.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit alice >/dev/null
"$KSSP" kvno "$AD_WEB_SPN" "$AD_RC4_SPN" >"$s/kvno.out"
grep -qx "$AD_WEB_SPN: kvno = 2" "$s/kvno.out" || fail "kvno: $(cat "$s/kvno.out")"
etype_of "$KRB5CCNAME" "$AD_WEB_SPN" | grep -q '^aes256-cts-hmac-sha1-96, aes256' || fail "web: not aes256"
etype_of "$KRB5CCNAME" "$AD_RC4_SPN" | grep -q 'arcfour-hmac, .*arcfour-hmac' || fail "rc4 service: not RC4"
printf '%s\n' "$AD_PASSWORD_BOB" | "$KSSP" kinit -e arcfour-hmac -c "FILE:$s/cc-rc4" bob >/dev/null
etype_of "FILE:$s/cc-rc4" "krbtgt/$AD_REALM@$AD_REALM" | grep -q '^DEPRECATED:arcfour-hmac, ' ||
	fail "an RC4 logon did not get an RC4 session key: $("$KSSP" klist -e -c "FILE:$s/cc-rc4")"
printf '%s\n' "$AD_PASSWORD_NONASCII" | "$KSSP" kinit -c "FILE:$s/cc-na" "$AD_NONASCII_USER" >/dev/null ||
	fail "a non-ASCII name and password"
"$KSSP" kinit -k -t "$AD_WS1_KEYTAB" -c "FILE:$s/cc-ws1" 'ws1$' || fail "computer keytab logon"
"$KSSP" kinit -k -t "$AD_WEB_KEYTAB" -c "FILE:$s/cc-web" websvc || fail "service keytab logon"
if printf 'wrong\n' | "$KSSP" kinit -c "FILE:$s/cc-wrong" bob >"$s/wrong.out" 2>&1; then
	fail "a wrong password was accepted"
fi
grep -q 'SEC_E_LOGON_DENIED' "$s/wrong.out" || fail "wrong password: $(cat "$s/wrong.out")"

# 2. Caches both ways: MIT reads kssp's, kssp reads MIT's.
kvno -c "$KRB5CCNAME" "$AD_BACK_SPN" >/dev/null || fail "MIT's kvno on kssp's cache"
printf '%s\n' "$AD_PASSWORD_BOB" | kinit -c "FILE:$s/cc-mit" bob >/dev/null
"$KSSP" kvno -c "FILE:$s/cc-mit" "$AD_WEB_SPN" >/dev/null || fail "kssp kvno on MIT's cache"
klist -c "FILE:$s/cc-mit" | grep -q "  $AD_WEB_SPN\$" || fail "MIT does not list kssp's ticket"

# 3. Contexts with PAC-bearing tickets (an AD ticket always holds a PAC).
"$KSSP" token "$AD_WEB_SPN" >"$s/token"
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache "$s/token" >"$s/accept.out" ||
	fail "accept: $(cat "$s/accept.out")"
grep -qx "client: alice@$AD_REALM" "$s/accept.out" || fail "accept: $(cat "$s/accept.out")"
for spn in HTTP/web.$AD_DNS_DOMAIN HTTP/rc4.$AD_DNS_DOMAIN; do
	for pkg in "" --negotiate; do
		"$KSSP" loop $pkg --keytab "$AD_SERVICES_KEYTAB" "$spn" >"$s/loop.out" 2>&1 ||
			fail "loop $pkg $spn: $(cat "$s/loop.out")"
		grep -q 'DecryptMessage SEC_E_OK' "$s/loop.out" || fail "loop $pkg $spn: $(cat "$s/loop.out")"
	done
done
# A user in 400 groups: the PAC, so the token, is large (over 4 KB).
printf '%s\n' "$AD_PASSWORD_MANY" | "$KSSP" kinit -c "FILE:$s/cc-many" many >/dev/null
KRB5CCNAME="FILE:$s/cc-many" "$KSSP" loop --keytab "$AD_WEB_KEYTAB" "HTTP/web.$AD_DNS_DOMAIN" >"$s/many.out" ||
	fail "loop for many: $(cat "$s/many.out")"
size=$(sed -n 's/^leg 1: InitializeSecurityContext SEC_E_OK, token \([0-9]*\) bytes.*/\1/p' "$s/many.out")
[ "${size:-0}" -gt 4096 ] || fail "the token of a user in 400 groups is ${size:-?} bytes: $(cat "$s/many.out")"

# 4. Delegation.  S4U2Self then S4U2Proxy as frontsvc; then unconstrained
#    delegation of alice's TGT to a service trusted for delegation.
"$KSSP" kinit -k -t "$AD_FRONT_KEYTAB" -c "FILE:$s/cc-front" frontsvc
"$KSSP" kvno -c "FILE:$s/cc-front" -U alice -P "$AD_BACK_SPN" >"$s/s4u.out" || fail "S4U: $(cat "$s/s4u.out")"
grep -qx "$AD_BACK_SPN: kvno = 2" "$s/s4u.out" || fail "S4U2Proxy: $(cat "$s/s4u.out")"
"$KSSP" token --delegate "$AD_UNCON_SPN" >"$s/deleg.token" || fail "token --delegate"
"$KSSP" accept -k "$AD_UNCON_KEYTAB" --no-replay-cache --deleg-ccache "$s/deleg.cc" "$s/deleg.token" \
	>"$s/deleg.out" || fail "accept delegated: $(cat "$s/deleg.out")"
klist -c "FILE:$s/deleg.cc" | grep -q "Default principal: alice@$AD_REALM" || fail "no delegated TGT"
kvno -c "FILE:$s/deleg.cc" "$AD_WEB_SPN" >/dev/null || fail "the delegated TGT does not work"
echo "ad kssp: logons, tickets, contexts, large PACs, shared caches and delegation against AD"
