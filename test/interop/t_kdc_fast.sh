#!/usr/bin/env bash
# FAST armoring (RFC 6113) against the loopback MIT KDC: kssp kinit -T with
# a host keytab's TGT as armor and encrypted challenge, the armor TGT
# obtained from a keytab (--armor-keytab), a TGS exchange under FAST, MIT's
# kinit -T cache and fast_avail, and the refusals.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
fail() { echo "FAIL: $*" >&2; exit 1; }
host="host/$KSSP_SERVICE_HOST@$KSSP_REALM"
kadmin.local -r "$KSSP_REALM" -q "addprinc +requires_preauth -pw fast-pw-1 fastuser" >/dev/null 2>&1

# The armor: the host's TGT, from its keytab.
"$KSSP" kinit -k -t "$KSSP_SERVICE_KEYTAB" -c "$s/armor" "$host" || fail "armor kinit -k"

# 1. kinit -T: armored, encrypted challenge, recorded; the request decodes
# as PA-FX-FAST with armor, and its inner padata is hidden.
printf 'fast-pw-1\n' | KSSP_TRACE=1 "$KSSP" kinit --record "$s/fast.rec" -T "$s/armor" \
	-c "$s/cc" fastuser 2>"$s/trace" || fail "kinit -T: $(cat "$s/trace")"
grep -q "armoring with FAST" "$s/trace" || fail "not armored: $(cat "$s/trace")"
klist -c "$s/cc" | grep -q "Default principal: fastuser@$KSSP_REALM" || fail "kinit -T cache"
klist -c "$s/cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "kinit -T: no TGT"
# The second request (after KDC_ERR_PREAUTH_REQUIRED, armored) carries the challenge.
grep '^> ' "$s/fast.rec" | sed -n 2p | awk '{print $3}' >"$s/req2.hex"
"$KSSP" decode "$s/req2.hex" >"$s/req2.txt" || fail "decode the armored request"
grep -q "PA-FX-FAST-REQUEST" "$s/req2.txt" || fail "no PA-FX-FAST-REQUEST: $(cat "$s/req2.txt")"
grep -q "armor-value" "$s/req2.txt" || fail "no explicit armor: $(cat "$s/req2.txt")"
grep -q "padata-type: 2$" "$s/req2.txt" && fail "PA-ENC-TIMESTAMP in the clear"
# MIT's klist shows fast_avail written as MIT writes it.
klist -C -c "$s/cc" | grep -q "fast_avail" || fail "no fast_avail: $(klist -C -c "$s/cc")"
# The KDC proves it used the challenge: a wrong password is refused under FAST.
if printf 'wrong\n' | "$KSSP" kinit -T "$s/armor" -c "$s/bad" fastuser 2>"$s/err"; then
	fail "kinit -T with a wrong password"
fi
grep -q "KDC_ERR_PREAUTH_FAILED" "$s/err" || fail "wrong password: $(cat "$s/err")"

# 2. --armor-keytab: the machine account's TGT obtained on the way.
printf 'fast-pw-1\n' | KSSP_TRACE=1 "$KSSP" kinit --armor-keytab "$KSSP_SERVICE_KEYTAB" \
	--armor-principal "$host" -c "$s/cc2" fastuser 2>"$s/trace2" || fail "--armor-keytab: $(cat "$s/trace2")"
grep -q "armoring with FAST" "$s/trace2" || fail "--armor-keytab not armored"
klist -c "$s/cc2" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "--armor-keytab: no TGT"

# Without --armor-principal, a keytab's machine account (a name ending in '$',
# AD's HOST$) is the armor, wherever it stands in the keytab.
kadmin.local -r "$KSSP_REALM" -q 'addprinc -randkey fasthost$' >/dev/null 2>&1
cp "$KSSP_SERVICE_KEYTAB" "$s/machine.keytab"
kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/machine.keytab fasthost\$" >/dev/null 2>&1
printf 'fast-pw-1\n' | "$KSSP" kinit --armor-keytab "$s/machine.keytab" -c "$s/cc5" fastuser ||
	fail "--armor-keytab without --armor-principal"
grep -q 'fasthost\$@'"$KSSP_REALM"' for krbtgt' "$KSSP_REALM_DIR/kdc.log" ||
	fail "the machine account was not the armor: $(tail -5 "$KSSP_REALM_DIR/kdc.log")"

# 3. A TGS exchange under FAST (implicit armor by the TGT; the cache has fast_avail).
KSSP_TRACE=1 "$KSSP" kvno -c "$s/cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >"$s/kvno" 2>"$s/trace3" ||
	fail "kvno under FAST: $(cat "$s/trace3")"
grep -q "TGS: armoring with FAST" "$s/trace3" || fail "TGS not armored: $(cat "$s/trace3")"
# MIT's KDC armors its TGS-REP too: the reply was opened through the armor.
grep -q "answered without FAST" "$s/trace3" && fail "MIT's TGS-REP was not armored"
klist -c "$s/cc" | grep -q "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" || fail "no service ticket"

# 4. MIT's kinit -T makes the cache; kssp reads its fast_avail and armors the TGS.
printf 'fast-pw-1\n' | kinit -T "$s/armor" -c "$s/mitcc" fastuser >/dev/null || fail "MIT kinit -T"
KSSP_TRACE=1 "$KSSP" kvno -c "$s/mitcc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null 2>"$s/trace4" ||
	fail "kvno on MIT's FAST cache: $(cat "$s/trace4")"
grep -q "TGS: armoring with FAST" "$s/trace4" || fail "fast_avail not honoured: $(cat "$s/trace4")"
# MIT's cache as armor: its fast_avail makes FAST required.
printf 'fast-pw-1\n' | KSSP_TRACE=1 "$KSSP" kinit -T "$s/mitcc" -c "$s/cc3" fastuser 2>"$s/trace5" ||
	fail "kinit -T MIT's cache: $(cat "$s/trace5")"

# 5. kssp_require_fast without armor: refused before anything is sent.
sed 's/^\[libdefaults\]/[libdefaults]\n\tkssp_require_fast = true/' "$KRB5_CONFIG" >"$s/krb5.conf"
if printf 'fast-pw-1\n' | KRB5_CONFIG="$s/krb5.conf" "$KSSP" kinit -c "$s/cc4" fastuser 2>"$s/err"; then
	fail "kssp_require_fast without armor"
fi
grep -q "FAST armor is required" "$s/err" || fail "require_fast: $(cat "$s/err")"
printf 'fast-pw-1\n' | KRB5_CONFIG="$s/krb5.conf" "$KSSP" kinit -T "$s/armor" -c "$s/cc4" fastuser ||
	fail "kssp_require_fast with armor"

# 6. SSPI logons armored through KSSP_AUTH_DATA version 3 (test/sspi/fastlogon.c):
# password with ArmorCcache, keytab with ArmorKeytab, RequireFast without armor.
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
read -ra libs <<<"${KSSP_LIB_LIBS:--lnettle}"
sspi_cc -std=c11 -Wall -Wextra -Werror -I. -Iinclude -o "$s/fastlogon" test/sspi/fastlogon.c \
	"$KSSP_BUILD/libkssp.a" "${libs[@]}"
kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/fastuser.keytab -norandkey fastuser" >/dev/null 2>&1 ||
	kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/fastuser.keytab fastuser" >/dev/null 2>&1
spn="HTTP/$KSSP_SERVICE_HOST"
"$s/fastlogon" SEC_I_CONTINUE_NEEDED "$spn" "fastuser@$KSSP_REALM" -p fast-pw-1 \
	"-T$s/armor" >"$s/sspi1" 2>&1 || fail "SSPI password logon with ArmorCcache: $(cat "$s/sspi1")"
grep -q "AS: armoring with FAST" "$s/sspi1" || fail "SSPI logon not armored: $(cat "$s/sspi1")"
grep -q "TGS: armoring with FAST" "$s/sspi1" || fail "SSPI TGS not armored: $(cat "$s/sspi1")"
"$s/fastlogon" SEC_I_CONTINUE_NEEDED "$spn" "fastuser@$KSSP_REALM" -k "$s/fastuser.keytab" \
	"-K$KSSP_SERVICE_KEYTAB" >"$s/sspi2" 2>&1 || fail "SSPI keytab logon with ArmorKeytab: $(cat "$s/sspi2")"
grep -q "AS: armoring with FAST" "$s/sspi2" || fail "SSPI keytab logon not armored: $(cat "$s/sspi2")"
"$s/fastlogon" SEC_E_NO_CREDENTIALS "$spn" "fastuser@$KSSP_REALM" -p fast-pw-1 -R >"$s/sspi3" 2>&1 ||
	fail "RequireFast without armor: $(cat "$s/sspi3")"
grep -q "FAST armor is required" "$s/sspi3" || fail "RequireFast reason: $(cat "$s/sspi3")"
echo "t_kdc_fast: ok"
