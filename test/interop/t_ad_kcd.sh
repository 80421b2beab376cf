#!/usr/bin/env bash
# Kerberos-only constrained delegation against Samba's AD DC (MS-SFU
# §3.1.5.2): kcdsvc may delegate to HTTP/back (msDS-AllowedToDelegateTo)
# but has no protocol-transition right, so its S4U2Self tickets are not
# forwardable and useless as evidence.  alice authenticates to kcdsvc
# without delegating a TGT; kcdsvc accepts with ASC_REQ_DELEGATE, takes a
# credential from that context (KSSP_AUTH_DATA.DelegateFrom) and reaches
# HTTP/back as alice by S4U2Proxy with the ticket it accepted as evidence:
# the back service's accepted context names alice.  HTTP/web is not in the
# list: the Windows status, and a reason naming the delegation refused.
# The CLI does the same: `kssp accept --deleg-ccache` keeps the ticket in
# kcdsvc's cache and `kssp kvno -U alice -P` uses it.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/none"
fail() { echo "t_ad_kcd: $*" >&2; exit 1; }
front="kcdsvc@$AD_REALM" alice="$AD_NETBIOS\\alice"

# 1. The SSPI: DelegateFrom with no forwarded TGT.
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" --from "$front" "$AD_SERVICES_KEYTAB" "$alice" \
	"HTTP/back.$AD_DNS_DOMAIN" "$AD_PASSWORD_ALICE" >"$s/back.out" 2>&1 || fail "back: $(cat "$s/back.out")"
grep -q "^DelegateFrom: AcquireCredentialsHandle: SEC_E_OK" "$s/back.out" || fail "$(cat "$s/back.out")"
grep -q "^S4U2Proxy: InitializeSecurityContext to HTTP/back.$AD_DNS_DOMAIN: SEC_E_OK" "$s/back.out" ||
	fail "back: $(cat "$s/back.out")"
grep -qF "S4U2Proxy: the acceptor sees \"$alice\"" "$s/back.out" || fail "back: $(cat "$s/back.out")"
# The back service's PAC names the front in S4U_DELEGATION_INFO (MS-PAC 2.9).
grep -qF "S4U2Proxy: transited \"$front\"" "$s/back.out" || fail "transited: $(cat "$s/back.out")"

# 2. A back service not in msDS-AllowedToDelegateTo.
if LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" --from "$front" "$AD_SERVICES_KEYTAB" "$alice" \
	"HTTP/web.$AD_DNS_DOMAIN" "$AD_PASSWORD_ALICE" >"$s/web.out" 2>&1; then
	fail "S4U2Proxy to a service not in the list: $(cat "$s/web.out")"
fi
grep -q "^S4U2Proxy: InitializeSecurityContext to HTTP/web.$AD_DNS_DOMAIN: SEC_E_KDC_INVALID_REQUEST S4U2Proxy $front -> $AD_WEB_SPN refused (KDC_ERR_BADOPTION): neither constrained delegation" \
	"$s/web.out" || fail "web: $(cat "$s/web.out")"

# 3. Protocol transition is not kcdsvc's: its own S4U2Self evidence is refused.
"$KSSP" kinit -k -t "$AD_KCD_KEYTAB" -c "FILE:$s/cc-kcd" kcdsvc
cp "$s/cc-kcd" "$s/cc-s4u"
if "$KSSP" kvno -c "FILE:$s/cc-s4u" -U alice -P "$AD_BACK_SPN" >"$s/s4u.out" 2>&1; then
	fail "S4U2Proxy with a non-forwardable S4U2Self ticket: $(cat "$s/s4u.out")"
fi
grep -q "KDC_ERR_BADOPTION.*the evidence is not forwardable" "$s/s4u.out" || fail "s4u: $(cat "$s/s4u.out")"

# 4. The CLI: alice's ticket accepted into kcdsvc's cache, then kvno -U -P.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc-alice" alice >/dev/null
KRB5CCNAME="FILE:$s/cc-alice" "$KSSP" token "$front" >"$s/tok"
"$KSSP" accept -k "$AD_KCD_KEYTAB" --no-replay-cache --deleg-ccache "$s/cc-kcd" "$s/tok" >"$s/accept.out" ||
	fail "accept: $(cat "$s/accept.out")"
grep -qx "evidence: $s/cc-kcd" "$s/accept.out" || fail "accept: $(cat "$s/accept.out")"
klist -c "FILE:$s/cc-kcd" | grep -A1 "  $front\$" | grep -q "for client alice@$AD_REALM" ||
	fail "no evidence in the cache: $(klist -c "FILE:$s/cc-kcd")"
"$KSSP" kvno -c "FILE:$s/cc-kcd" -U alice -P "$AD_BACK_SPN" >"$s/kvno.out" 2>&1 ||
	fail "kvno -U -P with the accepted ticket: $(cat "$s/kvno.out")"
grep -qx "$AD_BACK_SPN: kvno = 2" "$s/kvno.out" || fail "kvno: $(cat "$s/kvno.out")"
klist -c "FILE:$s/cc-kcd" | grep -A1 "  $AD_BACK_SPN\$" | grep -q "for client alice@$AD_REALM" ||
	fail "the back ticket is not alice's: $(klist -c "FILE:$s/cc-kcd")"
echo "ad kcd: Kerberos-only constrained delegation with the accepted ticket, through the SSPI and the CLI"
