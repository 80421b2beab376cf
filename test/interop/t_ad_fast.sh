#!/usr/bin/env bash
# FAST required by Active Directory, against Samba's AD DC at functional
# level 2016 (ad-realm.sh): fastuser's authentication policy and siluser's
# silo allow a logon only from a device, that is an AS-REQ armored (RFC 6113
# §5.4.1) with a computer's TGT ([MS-KILE] 3.3.5.6).  Unarmored logons,
# MIT's and kssp's, password and keytab, are refused with KDC_ERR_POLICY
# (Samba names STATUS_INVALID_WORKSTATION); MIT's `kinit -T` armored with
# fasthost$'s TGT logs both on (the control), and the silo refuses a device
# outside it (ws1$).  Then kssp armored: `kssp kinit -T` and
# `--armor-keytab`, password and keytab logons; SSPI password and keytab
# logons (KSSP_AUTH_DATA's ArmorCcache, ArmorKeytab); and unarmored kssp
# logons whose reason says the KDC may require armor.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc"
fail() { echo "t_ad_fast: $*" >&2; exit 1; }
pw_of() { case $1 in fastuser) echo "$AD_PASSWORD_FASTUSER" ;; siluser) echo "$AD_PASSWORD_SILUSER" ;; esac; }
tgt_of() {	# ccache user: the cache holds user's TGT
	klist -c "$1" 2>/dev/null | grep -q "^Default principal: $2@$AD_REALM\$" &&
		klist -c "$1" | grep -q "  krbtgt/$AD_REALM@$AD_REALM\$"
}
# mit_refused OUT KINIT-ARGS...: MIT's kinit must fail with KDC_ERR_POLICY.
mit_refused() {
	local out=$1
	shift
	if kinit "$@" >"$out" 2>&1; then fail "kinit $* succeeded"; fi
	grep -q "KDC policy rejects request" "$out" || fail "kinit $*: not KDC_ERR_POLICY: $(cat "$out")"
}

# The armor: the computer's TGT from its keytab, as a domain member has it;
# ws1$'s, a computer outside the silo.
kinit -k -t "$AD_FASTHOST_KEYTAB" -c "FILE:$s/armor" 'fasthost$' || fail "fasthost\$'s TGT"
kinit -k -t "$AD_WS1_KEYTAB" -c "FILE:$s/armor-ws1" 'ws1$' || fail "ws1\$'s TGT"

# 1. Unarmored MIT logons: refused before any pre-authentication.
for u in fastuser siluser; do
	printf '%s\n' "$(pw_of $u)" >"$s/pw"
	mit_refused "$s/mit-$u.out" -c "FILE:$s/cc-$u" "$u" <"$s/pw"
done
mit_refused "$s/mit-kt.out" -k -t "$AD_FASTUSER_KEYTAB" -c "FILE:$s/cc-kt" fastuser

# 2. The control: MIT's kinit armored with fasthost$'s TGT logs both on,
#    from a keytab too; the silo admits no device outside it.
for u in fastuser siluser; do
	printf '%s\n' "$(pw_of $u)" | kinit -T "FILE:$s/armor" -c "FILE:$s/cc-mit-$u" "$u" >"$s/mit-T-$u.out" 2>&1 ||
		fail "kinit -T $u: $(cat "$s/mit-T-$u.out")"
	tgt_of "FILE:$s/cc-mit-$u" "$u" || fail "kinit -T $u: no TGT"
done
kinit -T "FILE:$s/armor" -k -t "$AD_FASTUSER_KEYTAB" -c "FILE:$s/cc-mit-kt" fastuser ||
	fail "kinit -T -k fastuser"
tgt_of "FILE:$s/cc-mit-kt" fastuser || fail "kinit -T -k fastuser: no TGT"
if printf '%s\n' "$AD_PASSWORD_SILUSER" | kinit -T "FILE:$s/armor-ws1" -c "FILE:$s/cc-ws1" siluser \
	>"$s/mit-ws1.out" 2>&1; then
	fail "siluser armored by ws1\$, outside the silo, logged on"
fi
grep -q "KDC policy rejects request" "$s/mit-ws1.out" || fail "siluser from ws1\$: $(cat "$s/mit-ws1.out")"
printf '%s\n' "$AD_PASSWORD_FASTUSER" | kinit -T "FILE:$s/armor-ws1" -c "FILE:$s/cc-ws1" fastuser >/dev/null ||
	fail "fastuser armored by ws1\$ (kssp-fast admits any device)"

# 3. kssp unarmored: KDC_ERR_POLICY with the NTSTATUS Samba sends, and
#    SEC_E_LOGON_DENIED, the status of a refused logon.
for u in fastuser siluser; do
	if printf '%s\n' "$(pw_of $u)" | "$KSSP" kinit --record "$s/kssp-$u.rec" -c "FILE:$s/cc-k-$u" "$u" \
		>"$s/kssp-$u.out" 2>&1; then
		fail "an unarmored kssp kinit $u succeeded"
	fi
	grep -q "^kssp: kinit: KDC_ERR_POLICY (code 12), SEC_E_LOGON_DENIED: .* with STATUS_INVALID_WORKSTATION (0xc0000070)" \
		"$s/kssp-$u.out" || fail "kssp kinit $u: $(cat "$s/kssp-$u.out")"
done
if "$KSSP" kinit -k -t "$AD_FASTUSER_KEYTAB" -c "FILE:$s/cc-k-kt" fastuser >"$s/kssp-kt.out" 2>&1; then
	fail "an unarmored kssp keytab logon succeeded"
fi
grep -q "^kssp: kinit: KDC_ERR_POLICY (code 12), SEC_E_LOGON_DENIED: " "$s/kssp-kt.out" ||
	fail "kssp kinit -k fastuser: $(cat "$s/kssp-kt.out")"
grep '^<' "$s/kssp-fastuser.rec" | tail -n 1 | cut -d' ' -f2 | "$KSSP" decode --json - >"$s/policy.json" ||
	fail "decode of the KDC_ERR_POLICY"
grep -q '"status-name": "STATUS_INVALID_WORKSTATION"' "$s/policy.json" || fail "decode: $(cat "$s/policy.json")"

# 4. kssp armored: `kinit -T` with the computer's TGT and `--armor-keytab`
#    (the armor TGT obtained from the machine's keytab), from a password
#    and from a keytab; the TGT then serves a TGS exchange (armored by the
#    TGT itself, RFC 6113 §5.4.1.1) and MIT's kvno; the silo still refuses
#    ws1$'s armor.  Unarmored, kssp's reason says the KDC requires armor.
for u in fastuser siluser; do
	printf '%s\n' "$(pw_of $u)" | "$KSSP" kinit -T "FILE:$s/armor" -c "FILE:$s/cc-kT-$u" "$u" \
		>"$s/kT-$u.out" 2>&1 || fail "kssp kinit -T $u: $(cat "$s/kT-$u.out")"
	tgt_of "FILE:$s/cc-kT-$u" "$u" || fail "kssp kinit -T $u: no TGT"
	grep -q "FAST armor" "$s/kssp-$u.out" || fail "unarmored $u: no word of armor: $(cat "$s/kssp-$u.out")"
done
"$KSSP" kinit -T "FILE:$s/armor" -k -t "$AD_FASTUSER_KEYTAB" -c "FILE:$s/cc-kT-kt" fastuser >"$s/kT-kt.out" 2>&1 ||
	fail "kssp kinit -T -k fastuser: $(cat "$s/kT-kt.out")"
tgt_of "FILE:$s/cc-kT-kt" fastuser || fail "kssp kinit -T -k fastuser: no TGT"
"$KSSP" kinit --armor-keytab "$AD_FASTHOST_KEYTAB" --armor-principal 'fasthost$' -k -t "$AD_FASTUSER_KEYTAB" \
	-c "FILE:$s/cc-kK-kt" fastuser >"$s/kK-kt.out" 2>&1 || fail "kssp kinit --armor-keytab -k: $(cat "$s/kK-kt.out")"
printf '%s\n' "$AD_PASSWORD_SILUSER" | "$KSSP" kinit --armor-keytab "$AD_FASTHOST_KEYTAB" -c "FILE:$s/cc-kK-sil" \
	siluser >"$s/kK-sil.out" 2>&1 || fail "kssp kinit --armor-keytab siluser: $(cat "$s/kK-sil.out")"
tgt_of "FILE:$s/cc-kK-sil" siluser || fail "kssp kinit --armor-keytab siluser: no TGT"
grep -q "FAST armor" "$s/kssp-kt.out" || fail "unarmored keytab logon: no word of armor: $(cat "$s/kssp-kt.out")"
"$KSSP" kvno -c "FILE:$s/cc-kT-fastuser" "$AD_WEB_SPN" >"$s/kvno.out" 2>&1 || fail "kssp kvno: $(cat "$s/kvno.out")"
kvno -c "FILE:$s/cc-kT-siluser" "$AD_WEB_SPN" >"$s/mit-kvno.out" 2>&1 || fail "MIT's kvno on kssp's armored cache"
if printf '%s\n' "$AD_PASSWORD_SILUSER" | "$KSSP" kinit -T "FILE:$s/armor-ws1" -c "FILE:$s/cc-kws1" siluser \
	>"$s/kws1.out" 2>&1; then
	fail "kssp: siluser armored by ws1\$, outside the silo, logged on"
fi
grep -q "KDC_ERR_POLICY (code 12), SEC_E_LOGON_DENIED" "$s/kws1.out" || fail "siluser from ws1\$: $(cat "$s/kws1.out")"
grep -q "FAST armor" "$s/kws1.out" && fail "armored from ws1\$, told to armor: $(cat "$s/kws1.out")"

# 5. The SSPI (test/sspi/fastlogon.c): password logons armored through
#    KSSP_AUTH_DATA's ArmorCcache and ArmorKeytab, and a keytab logon, each
#    with its AS and TGS exchanges armored (the library's trace says so) to
#    HTTP/web; unarmored, SEC_E_LOGON_DENIED with the reason.
libs=()
read -r -a libs <<<"$KSSP_LIB_LIBS"
sspi_cc -std=c11 -Wall -Wextra -Werror -I. -Iinclude -o "$s/fastlogon" test/sspi/fastlogon.c \
	"$KSSP_BUILD/libkssp.a" "${libs[@]}"
web="HTTP/web.$AD_DNS_DOMAIN"
sspi_armored() {	# out principal logon-args... armor
	local out=$1
	shift
	"$s/fastlogon" SEC_I_CONTINUE_NEEDED "$web" "$@" >"$out" 2>&1 || fail "SSPI $*: $(cat "$out")"
	grep -q "AS: armoring with FAST" "$out" || fail "SSPI $*: AS not armored: $(cat "$out")"
	grep -q "TGS: armoring with FAST" "$out" || fail "SSPI $*: TGS not armored: $(cat "$out")"
}
sspi_armored "$s/sspi-fast.out" "fastuser@$AD_REALM" -p "$AD_PASSWORD_FASTUSER" "-TFILE:$s/armor"
sspi_armored "$s/sspi-sil.out" "siluser@$AD_REALM" -p "$AD_PASSWORD_SILUSER" "-K$AD_FASTHOST_KEYTAB"
sspi_armored "$s/sspi-kt.out" "fastuser@$AD_REALM" -k "$AD_FASTUSER_KEYTAB" "-TFILE:$s/armor"
"$s/fastlogon" SEC_E_LOGON_DENIED "$web" "fastuser@$AD_REALM" -p "$AD_PASSWORD_FASTUSER" - \
	>"$s/sspi-bare.out" 2>&1 || fail "an unarmored SSPI logon: $(cat "$s/sspi-bare.out")"
grep -q "^SEC_E_LOGON_DENIED: .*STATUS_INVALID_WORKSTATION.*FAST armor" "$s/sspi-bare.out" ||
	fail "unarmored SSPI logon: $(cat "$s/sspi-bare.out")"
echo "ad fast: unarmored logons refused (KDC_ERR_POLICY), armored ones admitted (MIT, kssp kinit, keytab, SSPI), the silo's device checked"
