#!/usr/bin/env bash
# Renewal and partial results against Samba's AD DC: a TGT renewed twice in
# a row stays renewable until its first renew-till (the renew TGS-REQ asks
# renewable with rtime, as MIT's does); a kvno of two services where the
# second is refused keeps the first one's ticket in the cache.
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_renew: $*" >&2; exit 1; }
tgt="krbtgt/$AD_REALM@$AD_REALM"
renew_till() { klist -c "$KRB5CCNAME" | grep -A1 "  $tgt\$" | sed -n 's/.*renew until //p'; }

# 1. Two renewals in a row.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit alice >/dev/null
till=$(renew_till)
[ -n "$till" ] || fail "the first TGT is not renewable: $(klist -c "$KRB5CCNAME")"
"$KSSP" kinit -R >"$s/r1.out" 2>&1 || fail "first renewal: $(cat "$s/r1.out")"
[ "$(renew_till)" = "$till" ] || fail "after one renewal, renew until '$(renew_till)', not '$till'"
"$KSSP" kinit -R >"$s/r2.out" 2>&1 || fail "second renewal: $(cat "$s/r2.out")"
[ "$(renew_till)" = "$till" ] || fail "after two renewals, renew until '$(renew_till)', not '$till'"
klist -f -c "$KRB5CCNAME" | grep -A2 "  $tgt\$" | grep -q "Flags: .*R" ||
	fail "the twice-renewed TGT is not renewable: $(klist -f -c "$KRB5CCNAME")"
"$KSSP" kvno "$AD_WEB_SPN" >/dev/null || fail "the renewed TGT does not get a service ticket"

# 2. kvno A B, B refused: RC4-only rc4svc with an AES session key asked
#    (KDC_ERR_ETYPE_NOSUPP), then an unknown service.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc2" alice >/dev/null
if "$KSSP" kvno -c "FILE:$s/cc2" -e aes256-cts "$AD_WEB_SPN" "$AD_RC4_SPN" >"$s/kvno.out" 2>&1; then
	fail "kvno -e aes256-cts of the RC4-only service succeeded: $(cat "$s/kvno.out")"
fi
grep -q "KDC_ERR_ETYPE_NOSUPP" "$s/kvno.out" || fail "kvno web rc4: $(cat "$s/kvno.out")"
klist -c "FILE:$s/cc2" | grep -q "  $AD_WEB_SPN\$" ||
	fail "the first service's ticket was not kept: $(klist -c "FILE:$s/cc2")"
if "$KSSP" kvno -c "FILE:$s/cc2" "$AD_BACK_SPN" "HTTP/nosuch.$AD_DNS_DOMAIN" >"$s/kvno2.out" 2>&1; then
	fail "kvno of an unknown service succeeded"
fi
grep -q "KDC_ERR_S_PRINCIPAL_UNKNOWN" "$s/kvno2.out" || fail "kvno back nosuch: $(cat "$s/kvno2.out")"
klist -c "FILE:$s/cc2" | grep -q "  $AD_BACK_SPN\$" ||
	fail "the back service's ticket was not kept: $(klist -c "FILE:$s/cc2")"
# 3. A refused service does not stop the ones after it (MIT's kvno goes on
#    too): each refusal is reported with its SPN, the exit status fails.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc3" alice >/dev/null
if "$KSSP" kvno -c "FILE:$s/cc3" -e aes256-cts "HTTP/nosuch.$AD_DNS_DOMAIN" "$AD_RC4_SPN" \
	"$AD_WEB_SPN" "$AD_BACK_SPN" >"$s/kvno3.out" 2>&1; then
	fail "kvno with two refused services succeeded: $(cat "$s/kvno3.out")"
fi
grep -q "KDC_ERR_S_PRINCIPAL_UNKNOWN.*: HTTP/nosuch.$AD_DNS_DOMAIN: " "$s/kvno3.out" ||
	fail "the unknown service's refusal: $(cat "$s/kvno3.out")"
grep -q "KDC_ERR_ETYPE_NOSUPP.*: $AD_RC4_SPN: " "$s/kvno3.out" ||
	fail "the RC4 service's refusal: $(cat "$s/kvno3.out")"
for spn in "$AD_WEB_SPN" "$AD_BACK_SPN"; do
	klist -c "FILE:$s/cc3" | grep -q "  $spn\$" ||
		fail "$spn after two refused services: not in the cache: $(klist -c "FILE:$s/cc3")"
done
echo "ad renew: two renewals in a row keep renew-till; kvno keeps what it got and goes on past a refusal"
