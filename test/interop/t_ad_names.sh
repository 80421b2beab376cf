#!/usr/bin/env bash
# The names AD users write (RFC 6806, MS-KILE §3.1.5.1) against Samba's AD
# DC: an enterprise name (carol's UPN, whose suffix is no realm) by `kinit
# -E` and by an SSPI password logon; client canonicalization (`kinit -C
# ALICE` stores alice, and kvno then finds the TGT); realm canonicalization
# from the DNS-domain and NetBIOS spellings (alice@ad.example.test,
# alice@KSSPAD, KSSPAD\alice), which krb5.conf names no KDC for: the default
# realm's KDC is asked and the realm it proves is the cache's; and the SSPI
# logons Windows code writes, Domain=KSSPAD and "KSSPAD\alice".
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_names: $*" >&2; exit 1; }

# Default principal $2 and a TGT of $AD_REALM in cache $1, and kvno works from it.
canonical() {
	"$KSSP" klist -c "$1" >"$s/klist.out"
	grep -qx "Default principal: $2" "$s/klist.out" || fail "$1: $(cat "$s/klist.out")"
	grep -q "  krbtgt/$AD_REALM@$AD_REALM\$" "$s/klist.out" || fail "$1: no TGT: $(cat "$s/klist.out")"
	"$KSSP" kvno -c "$1" "$AD_WEB_SPN" >"$s/kvno.out" 2>&1 || fail "kvno after $2: $(cat "$s/kvno.out")"
}

# 1. The enterprise name, by kinit -E; MIT's klist reads the cache.
printf '%s\n' "$AD_PASSWORD_CAROL" | "$KSSP" kinit -E -c "FILE:$s/cc-e" "$AD_UPN" >/dev/null
canonical "FILE:$s/cc-e" "carol@$AD_REALM"
klist -c "FILE:$s/cc-e" | grep -q "Default principal: carol@$AD_REALM" || fail "MIT's klist of the -E cache"
# Without -E the UPN's suffix would be taken as a realm nobody serves.
if printf '%s\n' "$AD_PASSWORD_CAROL" | "$KSSP" kinit -c "FILE:$s/cc-x" 'carol.upn@UPN.EXAMPLE.TEST' \
	>"$s/x.out" 2>&1; then
	fail "a UPN suffix taken as a realm logged on"
fi

# 2. Client canonicalization: ALICE asked, alice stored, kvno finds the TGT.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -C -c "FILE:$s/cc-c" ALICE >/dev/null
canonical "FILE:$s/cc-c" "alice@$AD_REALM"

# 3. Realm canonicalization from the DNS-domain and NetBIOS spellings.
i=0
for name in "alice@$AD_DNS_DOMAIN" "alice@$AD_NETBIOS" "$AD_NETBIOS\\alice"; do
	i=$((i + 1))
	printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc-r$i" "$name" >"$s/r.out" 2>&1 ||
		fail "kinit $name: $(cat "$s/r.out")"
	canonical "FILE:$s/cc-r$i" "alice@$AD_REALM"
done

# 4. SSPI password logons: the UPN, Domain=KSSPAD, KSSPAD\alice (no cache at all).
prog="$s/sspiloop"
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$prog" test/sspi/sspiloop.c -L"$KSSP_BUILD" -lkssp
export KRB5CCNAME="FILE:$s/none"
sspi_logon() { # WHO-SEEN USER DOMAIN PASSWORD
	SSPILOOP_USER=$2 SSPILOOP_DOMAIN=$3 SSPILOOP_PASSWORD=$4 LD_LIBRARY_PATH="$KSSP_BUILD" \
		"$prog" Kerberos "HTTP/web.$AD_DNS_DOMAIN" "$AD_WEB_KEYTAB" 0 0 >"$s/loop.out" 2>&1 ||
		fail "SSPI logon $2 (Domain '$3'): $(cat "$s/loop.out")"
	grep -Fqx "server sees client $1" "$s/loop.out" || fail "SSPI logon $2: $(cat "$s/loop.out")"
}
sspi_logon "$AD_NETBIOS\\carol" "$AD_UPN" "" "$AD_PASSWORD_CAROL"
sspi_logon "$AD_NETBIOS\\alice" alice "$AD_NETBIOS" "$AD_PASSWORD_ALICE"
sspi_logon "$AD_NETBIOS\\alice" "$AD_NETBIOS\\alice" "" "$AD_PASSWORD_ALICE"
sspi_logon "$AD_NETBIOS\\alice" alice "$AD_DNS_DOMAIN" "$AD_PASSWORD_ALICE"
# A target in UPN form whose suffix is no realm: an enterprise server name
# (MS-KILE §3.1.5.1.1) the DC resolves to the service account's ticket.
SSPILOOP_USER=alice SSPILOOP_DOMAIN=$AD_NETBIOS SSPILOOP_PASSWORD=$AD_PASSWORD_ALICE \
	LD_LIBRARY_PATH="$KSSP_BUILD" "$prog" Kerberos "$AD_UPNSVC_UPN" "$AD_UPNSVC_KEYTAB" 0 0 \
	>"$s/upn.out" 2>&1 || fail "SSPI to the target $AD_UPNSVC_UPN: $(cat "$s/upn.out")"
grep -Fqx "server sees client $AD_NETBIOS\alice" "$s/upn.out" || fail "UPN target: $(cat "$s/upn.out")"
[ ! -e "$s/none" ] || fail "a password logon wrote the default cache"
echo "ad names: enterprise UPN (kinit -E, SSPI), kinit -C, DNS-domain and NetBIOS realms, Domain=$AD_NETBIOS, a UPN target"
