#!/usr/bin/env bash
# AD's error detail against Samba's AD DC: the NTSTATUS a KDC puts in a
# KRB-ERROR's e-data (MS-KILE 2.2.1 KERB-EXT-ERROR in KERB-ERROR-DATA) is
# named in the reason `kssp kinit` prints, beside the SSPI status (the one
# documented for a refused logon, SEC_E_LOGON_DENIED): a locked-out account
# (three bad passwords, then the right one), a disabled account, a password
# that must change, an expired password (both with how to change it, which
# then works); a wrong password, for which Samba sends no NTSTATUS: the
# reason gives the sub-status Windows reports, said to be derived.
# `kssp decode` decodes that e-data.
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_errors: $*" >&2; exit 1; }

# refused USER PASSWORD OUT: kinit must fail; its output in OUT.
refused() {
	if printf '%s\n' "$2" | "$KSSP" kinit --record "$3.rec" "$1" >"$3" 2>&1; then
		fail "kinit $1 succeeded"
	fi
}
# expect OUT STATUS-NAME HEX
expect() {
	grep -q "^kssp: kinit: .*, SEC_E_LOGON_DENIED: .* with $2 ($3)" "$1" ||
		fail "expected $2 and SEC_E_LOGON_DENIED: $(grep '^kssp: kinit' "$1")"
}

# A wrong password: Samba sends KDC_ERR_PREAUTH_FAILED with METHOD-DATA
# (PA-ETYPE-INFO2) and no NTSTATUS: the one Windows reports is named as
# derived, never as the KDC's.
refused rc4user "not-$AD_PASSWORD_RC4USER" "$s/wrong.out"
grep -q "^kssp: kinit: KDC_ERR_PREAUTH_FAILED (code 24), SEC_E_LOGON_DENIED: " "$s/wrong.out" ||
	fail "wrong password: $(cat "$s/wrong.out")"
grep -q "(a wrong password: STATUS_WRONG_PASSWORD (0xc000006a) as Windows reports it; the KDC sent no NTSTATUS)" \
	"$s/wrong.out" || fail "wrong password: no derived NTSTATUS: $(cat "$s/wrong.out")"
grep -q "with STATUS_" "$s/wrong.out" && fail "wrong password: an NTSTATUS attributed to the KDC: $(cat "$s/wrong.out")"

refused disabled "$AD_PASSWORD_DISABLED" "$s/disabled.out"
expect "$s/disabled.out" STATUS_ACCOUNT_DISABLED 0xc0000072

refused mustchange "$AD_PASSWORD_MUSTCHANGE" "$s/mustchange.out"
expect "$s/mustchange.out" STATUS_PASSWORD_MUST_CHANGE 0xc0000224

# expired's password was set 60 days ago by the domain's clock (ad-realm.sh).
refused expired "$AD_PASSWORD_EXPIRED" "$s/expired.out"
expect "$s/expired.out" STATUS_PASSWORD_EXPIRED 0xc0000071
for f in mustchange expired; do
	grep -q "; change it with kssp kpasswd or ChangeAccountPassword$" "$s/$f.out" ||
		fail "$f: no hint how to change the password: $(cat "$s/$f.out")"
done
# The hint holds: the expired password changes (RFC 3244 needs no logon),
# and the new one logs on.
new="Kssp-Renewed-$RANDOM-Pw!"
printf '%s\n%s\n%s\n' "$AD_PASSWORD_EXPIRED" "$new" "$new" | "$KSSP" kpasswd expired >"$s/kpw.out" 2>&1 ||
	fail "kpasswd of the expired password: $(cat "$s/kpw.out")"
printf '%s\n' "$new" | "$KSSP" kinit expired >"$s/renewed.out" 2>&1 ||
	fail "kinit with the changed password: $(cat "$s/renewed.out")"

for i in 1 2 3; do refused lockme "bad-$i-$AD_PASSWORD_LOCKME" "$s/bad$i.out"; done
refused lockme "$AD_PASSWORD_LOCKME" "$s/locked.out"
expect "$s/locked.out" STATUS_ACCOUNT_LOCKED_OUT 0xc0000234

# `kssp decode` of the recorded KRB-ERRORs: KERB-ERROR-DATA and its NTSTATUS,
# and the wrong password's METHOD-DATA.
grep '^<' "$s/locked.out.rec" | tail -n 1 | cut -d' ' -f2 | "$KSSP" decode --json - >"$s/locked.json" ||
	fail "decode of the lockout KRB-ERROR"
grep -q '"status-name": "STATUS_ACCOUNT_LOCKED_OUT"' "$s/locked.json" || fail "decode: $(cat "$s/locked.json")"
grep -q '"message": "KERB-EXT-ERROR"' "$s/locked.json" || fail "decode: $(cat "$s/locked.json")"
grep '^<' "$s/wrong.out.rec" | tail -n 1 | cut -d' ' -f2 | "$KSSP" decode --json - >"$s/wrong.json" ||
	fail "decode of the wrong password's KRB-ERROR"
grep -q '"padata-type": 19' "$s/wrong.json" || fail "decode: $(cat "$s/wrong.json")"
echo "ad errors: NTSTATUS named for disabled, must-change, expired and locked-out accounts; derived for a wrong password"
