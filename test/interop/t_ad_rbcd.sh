#!/usr/bin/env bash
# Resource-based constrained delegation against Samba's AD DC: rbcdsvc's
# msDS-AllowedToActOnBehalfOfOtherIdentity names frontsvc (ad-realm.sh),
# whose own msDS-AllowedToDelegateTo lists only HTTP/back, so only the
# PA-PAC-OPTIONS resource-based bit (MS-KILE §2.2.10) lets the KDC grant
# S4U2Proxy to HTTP/rbcd: through `kssp kvno -U -P`, as MIT's kvno does, and
# through the SSPI (ImpersonateUser, and DelegateFrom with the ticket alice
# gave kcdsvc), where the back service's accepted context names alice.  With the entry removed the KDC refuses
# (KDC_ERR_BADOPTION) and the reason names both kinds of delegation.
# kcdsvc's S4U2Self tickets are not forwardable (no protocol transition):
# kssp still sends them as evidence, as RBCD on Windows permits, and
# Samba's KDC refuses them (it wants a forwardable evidence ticket for
# either kind); the reason says so.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG" PATH="$PATH:/usr/sbin:/sbin"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
fail() { echo "t_ad_rbcd: $*" >&2; exit 1; }
front="frontsvc@$AD_REALM" alice="$AD_NETBIOS\\alice"

# 1. kssp kvno and MIT's kvno, S4U2Self then S4U2Proxy to the RBCD service.
"$KSSP" kinit -k -t "$AD_FRONT_KEYTAB" -c "FILE:$s/cc-front" frontsvc
"$KSSP" kvno -c "FILE:$s/cc-front" -U alice -P "$AD_RBCD_SPN" >"$s/kvno.out" 2>&1 ||
	fail "kvno -U -P rbcd: $(cat "$s/kvno.out")"
grep -qx "$AD_RBCD_SPN: kvno = 2" "$s/kvno.out" || fail "kvno: $(cat "$s/kvno.out")"
klist -c "FILE:$s/cc-front" | grep -A1 "  $AD_RBCD_SPN\$" | grep -q "for client alice@$AD_REALM" ||
	fail "the RBCD ticket is not alice's: $(klist -c "FILE:$s/cc-front")"
"$KSSP" kinit -k -t "$AD_FRONT_KEYTAB" -c "FILE:$s/cc-mit" frontsvc
kvno -c "FILE:$s/cc-mit" -U alice -P "$AD_RBCD_SPN" >/dev/null || fail "MIT's kvno -U -P rbcd"

# 2. The SSPI: alice authenticates to frontsvc, which acts for her to HTTP/rbcd;
#    acceptors name her as Windows does, from the PAC (NETBIOS\user).
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" "$front" "$AD_SERVICES_KEYTAB" "$alice" \
	"HTTP/rbcd.$AD_DNS_DOMAIN" "$AD_PASSWORD_ALICE" >"$s/sspi.out" 2>&1 ||
	fail "SSPI: $(cat "$s/sspi.out")"
grep -q "^S4U2Proxy: InitializeSecurityContext to HTTP/rbcd.$AD_DNS_DOMAIN: SEC_E_OK" "$s/sspi.out" ||
	fail "SSPI: $(cat "$s/sspi.out")"
grep -qF "S4U2Proxy: the acceptor sees \"$alice\"" "$s/sspi.out" || fail "SSPI: $(cat "$s/sspi.out")"
grep -qF "S4U2Proxy: transited \"$front\"" "$s/sspi.out" || fail "transited: $(cat "$s/sspi.out")"

# 2b. DelegateFrom: alice's own (forwardable) ticket to kcdsvc, accepted with
#     ASC_REQ_DELEGATE, is the evidence; kcdsvc may reach HTTP/rbcd only by RBCD.
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" --from "kcdsvc@$AD_REALM" "$AD_SERVICES_KEYTAB" "$alice" \
	"HTTP/rbcd.$AD_DNS_DOMAIN" "$AD_PASSWORD_ALICE" >"$s/from.out" 2>&1 || fail "DelegateFrom: $(cat "$s/from.out")"
grep -qF "S4U2Proxy: the acceptor sees \"$alice\"" "$s/from.out" || fail "DelegateFrom: $(cat "$s/from.out")"

# 3. A non-forwardable evidence ticket: sent, refused by Samba with the reason.
"$KSSP" kinit -k -t "$AD_KCD_KEYTAB" -c "FILE:$s/cc-kcd" kcdsvc
if "$KSSP" kvno -c "FILE:$s/cc-kcd" -U alice -P "$AD_RBCD_SPN" >"$s/kcd.out" 2>&1; then
	fail "Samba granted RBCD with a non-forwardable evidence ticket"
fi
grep -q "KDC_ERR_BADOPTION.*resource-based constrained delegation .* refused; the evidence is not forwardable" \
	"$s/kcd.out" || fail "non-forwardable evidence: $(cat "$s/kcd.out")"

# 4. The entry removed: refused, the reason naming both kinds; then restored.
restore() { samba-tool delegation add-principal -s "$AD_SMB_CONF" rbcdsvc frontsvc >/dev/null 2>&1 || true; }
trap restore EXIT
samba-tool delegation del-principal -s "$AD_SMB_CONF" rbcdsvc frontsvc >/dev/null
if "$KSSP" kvno -c "FILE:$s/cc-front" -U alice -P "$AD_RBCD_SPN" >"$s/gone.out" 2>&1; then
	fail "RBCD granted after the entry was removed"
fi
grep -q "KDC_ERR_BADOPTION.*S4U2Proxy $front -> $AD_RBCD_SPN refused (KDC_ERR_BADOPTION): neither constrained delegation .* nor resource-based" \
	"$s/gone.out" || fail "removed: $(cat "$s/gone.out")"
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" "$front" "$AD_SERVICES_KEYTAB" "$alice" \
	"HTTP/rbcd.$AD_DNS_DOMAIN" >"$s/sspi-gone.out" 2>&1 || true
grep -q "^S4U2Proxy: InitializeSecurityContext to HTTP/rbcd.$AD_DNS_DOMAIN: SEC_E_KDC_INVALID_REQUEST .*resource-based" \
	"$s/sspi-gone.out" || fail "SSPI after removal: $(cat "$s/sspi-gone.out")"
echo "ad rbcd: S4U2Proxy by msDS-AllowedToActOnBehalfOfOtherIdentity through kvno and the SSPI; refusals explained"
