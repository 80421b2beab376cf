#!/usr/bin/env bash
# Against Heimdal's KDC (issue 6, acceptance 10): kinit (password, keytab,
# wrong password), kvno, and S4U2Self + S4U2Proxy (constrained delegation,
# which MIT's db2 KDC cannot do).  Heimdal comes from heimdal.sh fetch into
# $KSSP_HEIMDAL_DIR (default: the source tree's build/heimdal, where
# `make heimdal-peer` puts it).
set -euo pipefail
s=$KSSP_TEST_SCRATCH
bin=${KSSP_HEIMDAL_DIR:-$KSSP_SRC/build/heimdal}
fail() { echo "FAIL: $*" >&2; exit 1; }
if [ ! -x "$bin/usr/lib/heimdal-servers/kdc" ]; then
	echo "SKIPPED: no Heimdal KDC in $bin (run: make heimdal-peer)"
	exit 77
fi
if ! "$bin/usr/lib/heimdal-servers/kdc" --version >/dev/null 2>&1; then
	echo "SKIPPED: Heimdal's libraries are missing (build-aux/deps.sh heimdal)"
	exit 77
fi
here=$KSSP_SRC/test/interop
trap 'bash "$here/heimdal.sh" stop "$s/heim" >/dev/null 2>&1 || true' EXIT
KSSP_FREEPORT=$KSSP_BUILD/test/freeport bash "$here/heimdal.sh" start "$bin" "$s/heim" ||
	fail "Heimdal realm did not start"
. "$s/heim/env.sh"
cc="FILE:$s/cc"

# kinit / kvno: Heimdal requires pre-authentication by default.
printf '%s\n' "$HEIM_PASSWORD" | KSSP_TRACE=1 "$KSSP" kinit -c "$cc" "$HEIM_USER" 2>"$s/trace" ||
	fail "kinit: $(tail -3 "$s/trace")"
grep -q "PA-ENC-TIMESTAMP" "$s/trace" || fail "no pre-authentication round"
"$KSSP" kvno -c "$cc" "$HEIM_BACK" >"$s/out" || fail "kvno"
grep -q "^$HEIM_BACK: kvno = 1$" "$s/out" || fail "$(cat "$s/out")"
klist -c "$cc" | grep -q "$HEIM_BACK" || fail "MIT's klist lacks the ticket"
if printf 'wrong\n' | "$KSSP" kinit -c "$cc" "$HEIM_USER" 2>"$s/err"; then fail "wrong password"; fi
grep -q "KDC_ERR_PREAUTH_FAILED (code 24), SEC_E_LOGON_DENIED" "$s/err" || fail "$(cat "$s/err")"
"$KSSP" kinit -k -t "$HEIM_KEYTAB" -c "$cc" "$HEIM_FRONT" || fail "keytab kinit"

# S4U2Self then S4U2Proxy: front gets a ticket to HTTP/ for alice.
printf '%s\n' "$HEIM_FRONT_PASSWORD" | "$KSSP" kinit -f -c "$cc" "$HEIM_FRONT" || fail "kinit front"
"$KSSP" kvno -c "$cc" -U "$HEIM_USER" -P "$HEIM_BACK" >"$s/out" 2>"$s/err" ||
	fail "S4U: $(cat "$s/err")"
grep -q "^$HEIM_FRONT: kvno = 1$" "$s/out" || fail "S4U2Self: $(cat "$s/out")"
grep -q "^$HEIM_BACK: kvno = 1$" "$s/out" || fail "S4U2Proxy: $(cat "$s/out")"
klist -c "$cc" | grep -A1 "  $HEIM_BACK" | grep -q "for client $HEIM_USER" ||
	fail "klist: $(klist -c "$cc")"
grep -q "constrained delegation for $HEIM_USER from ${HEIM_FRONT%@*}" "$s/heim/kdc.log" ||
	fail "the KDC did not log the delegation"
echo "Heimdal: kinit, kvno, S4U2Self and S4U2Proxy"
