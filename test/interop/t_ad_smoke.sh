#!/usr/bin/env bash
# The Samba AD domain itself (ad-realm.sh), proven with MIT's clients before
# kssp is pointed at it: logons with AES and RC4 keys, a computer keytab, a
# non-ASCII password and an enterprise name (kinit -E); service tickets of
# the enctypes each account allows; S4U2Self, constrained and resource-based
# delegation (kvno -U, -P); and the refusals AD gives a disabled account and
# a password that must change.
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_smoke: $*" >&2; exit 1; }
etype_of() { klist -e | grep -A1 "  $1\$" | sed -n 's/.*Etype (skey, tkt): //p'; }

printf '%s\n' "$AD_PASSWORD_ALICE" | kinit alice >/dev/null
klist | grep -q "Default principal: alice@$AD_REALM" || fail "no TGT for alice: $(klist)"
kvno "$AD_WEB_SPN" "$AD_RC4_SPN" >/dev/null
etype_of "$AD_WEB_SPN" | grep -q '^aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96' ||
	fail "the web service's ticket is not aes256: $(klist -e)"
etype_of "$AD_RC4_SPN" | grep -q 'arcfour-hmac, .*arcfour-hmac' ||
	fail "the RC4-only service's ticket is not RC4: $(klist -e)"
kvno -k "$AD_WEB_KEYTAB" "$AD_WEB_SPN" | grep -q 'keytab entry valid' || fail "web keytab"
kvno -k "$AD_RC4_KEYTAB" "$AD_RC4_SPN" | grep -q 'keytab entry valid' || fail "rc4 keytab"

printf '%s\n' "$AD_PASSWORD_NONASCII" | kinit -c "FILE:$s/cc-na" "$AD_NONASCII_USER" >/dev/null ||
	fail "kinit with a non-ASCII name and password"
printf '%s\n' "$AD_PASSWORD_CAROL" | kinit -E -c "FILE:$s/cc-upn" "$AD_UPN" >/dev/null ||
	fail "kinit -E $AD_UPN"
kinit -k -t "$AD_WS1_KEYTAB" -c "FILE:$s/cc-ws1" 'ws1$' || fail "computer keytab logon"

# Delegation: frontsvc is trusted to authenticate for delegation.
export KRB5CCNAME="FILE:$s/cc-front"
kinit -k -t "$AD_FRONT_KEYTAB" frontsvc
kvno -U alice -P "$AD_BACK_SPN" >/dev/null || fail "S4U2Proxy to the back service"
klist | grep -A1 "  $AD_BACK_SPN\$" | grep -q "for client alice@$AD_REALM" || fail "no S4U2Proxy ticket"
kvno -U alice -P "$AD_RBCD_SPN" >/dev/null || fail "resource-based delegation to rbcd"
if kvno -U alice -P "$AD_WEB_SPN" >"$s/badproxy.out" 2>&1; then
	fail "S4U2Proxy to a service outside the delegation settings was allowed"
fi

# Refusals, with AD's reasons.
if printf '%s\n' "$AD_PASSWORD_DISABLED" | kinit -c "FILE:$s/cc-dis" disabled >"$s/dis.out" 2>&1; then
	fail "a disabled account logged on"
fi
grep -q 'revoked' "$s/dis.out" || fail "disabled: $(cat "$s/dis.out")"
if printf '%s\n' "$AD_PASSWORD_MUSTCHANGE" | kinit -c "FILE:$s/cc-mc" mustchange >"$s/mc.out" 2>&1; then
	fail "a must-change password logged on"
fi
grep -q 'expired' "$s/mc.out" || fail "must change: $(cat "$s/mc.out")"
if printf 'wrong\n' | kinit -c "FILE:$s/cc-wrong" bob >"$s/wrong.out" 2>&1; then
	fail "a wrong password was accepted"
fi
echo "ad smoke: MIT's clients log on, get tickets and delegate against Samba's AD DC"
