#!/usr/bin/env bash
# FAST armoring (RFC 6113) against Heimdal's KDC (heimdal-realm.sh): an
# armored AS exchange with the front service's TGT as armor (kinit -T and
# --armor-keytab), encrypted challenge (Heimdal 7.8 keys its answer with the
# client's pepper), then an armored TGS request (Heimdal 7.8 answers it
# unarmored; the reply stands on its subkey seal, as MIT's client takes it).
set -euo pipefail
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
user=$HEIMDAL_USER front=$HEIMDAL_FRONT_SPN back=$HEIMDAL_BACK_SPN
fail() { echo "FAIL: $*" >&2; exit 1; }

"$KSSP" kinit -k -t "$HEIMDAL_FRONT_KEYTAB" -c "$s/armor" "$front" || fail "armor TGT"
printf '%s\n' "$HEIMDAL_PASSWORD" | KSSP_TRACE=1 "$KSSP" kinit -T "$s/armor" -c "$s/cc" "$user" \
	2>"$s/trace" || fail "kinit -T: $(tail -5 "$s/trace")"
grep -q "armoring with FAST" "$s/trace" || fail "not armored"
klist -c "$s/cc" | grep -q "krbtgt/$HEIMDAL_REALM@$HEIMDAL_REALM" || fail "kinit -T: no TGT"
KSSP_TRACE=1 "$KSSP" kvno -c "$s/cc" "$back" >"$s/out" 2>"$s/trace2" ||
	fail "kvno under FAST: $(tail -5 "$s/trace2")"
grep -q "TGS: armoring with FAST" "$s/trace2" || fail "TGS not armored"
grep -q "^$back: kvno = 1$" "$s/out" || fail "$(cat "$s/out")"
printf '%s\n' "$HEIMDAL_PASSWORD" | "$KSSP" kinit --armor-keytab "$HEIMDAL_FRONT_KEYTAB" \
	--armor-principal "$front" -c "$s/cc2" "$user" || fail "--armor-keytab"
if printf 'wrong\n' | "$KSSP" kinit -T "$s/armor" -c "$s/cc3" "$user" 2>"$s/err"; then
	fail "kinit -T with a wrong password"
fi
# Heimdal's KDC refuses a wrong encrypted challenge with KRB_AP_ERR_BAD_INTEGRITY (MIT's
# with KDC_ERR_PREAUTH_FAILED); either way the armored error is the KDC's own.
grep -q "KDC answered \(KDC_ERR_PREAUTH_FAILED\|KRB_AP_ERR_BAD_INTEGRITY\)" "$s/err" ||
	fail "wrong password: $(cat "$s/err")"
echo "Heimdal: armored AS and TGS exchanges"
