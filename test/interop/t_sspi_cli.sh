#!/usr/bin/env bash
# `kssp loop`: the SSPI exchange in one process through the public API,
# Kerberos and --negotiate, printing each leg and a sealed round trip.
set -euo pipefail
export KRB5CCNAME="FILE:$KSSP_TEST_SCRATCH/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null
for pkg in "" --negotiate; do
	# shellcheck disable=SC2086
	"$KSSP" loop $pkg --keytab "$KSSP_SERVICE_KEYTAB" --flags mutual,conf,integ,replay,sequence \
		"HTTP/$KSSP_SERVICE_HOST" | tee "$KSSP_TEST_SCRATCH/out"
	grep -q "^leg 1: InitializeSecurityContext SEC_I_CONTINUE_NEEDED" "$KSSP_TEST_SCRATCH/out"
	grep -q "^leg 2: InitializeSecurityContext SEC_E_OK" "$KSSP_TEST_SCRATCH/out"
	grep -q "server sees $KSSP_USER" "$KSSP_TEST_SCRATCH/out"
	grep -q '^DecryptMessage SEC_E_OK: "kssp loop: a sealed message"' "$KSSP_TEST_SCRATCH/out"
done
# KSSP_TRACE=1: the context steps of both sides on stderr (the service
# ticket is in the cache by now, so no KDC step).
KSSP_TRACE=1 "$KSSP" loop --keytab "$KSSP_SERVICE_KEYTAB" "HTTP/$KSSP_SERVICE_HOST" \
	>/dev/null 2>"$KSSP_TEST_SCRATCH/trace"
cat "$KSSP_TEST_SCRATCH/trace"
grep -q "^\[kssp\] context: AP-REQ from ${KSSP_USER%@*}@$KSSP_REALM to HTTP/$KSSP_SERVICE_HOST" \
	"$KSSP_TEST_SCRATCH/trace"
grep -q "^\[kssp\] context: established as acceptor: " "$KSSP_TEST_SCRATCH/trace"
grep -q "^\[kssp\] context: established as initiator: " "$KSSP_TEST_SCRATCH/trace"
# A failure prints the status name, the code and the reason, and exits 1.
set +e
"$KSSP" loop --keytab "$KSSP_SERVICE_KEYTAB" HTTP/nowhere.kssp.test 2>"$KSSP_TEST_SCRATCH/err"
rc=$?
set -e
[ $rc -eq 1 ]
grep -q "SEC_E_TARGET_UNKNOWN (0x80090303): .*KDC_ERR_S_PRINCIPAL_UNKNOWN" "$KSSP_TEST_SCRATCH/err"
# GSS's host-based form with an upper-case service, and the reason saying how it was read.
set +e
"$KSSP" token HTTP@nowhere.kssp.test >/dev/null 2>"$KSSP_TEST_SCRATCH/err"
rc=$?
set -e
[ $rc -eq 1 ]
grep -q 'target name "HTTP@nowhere.kssp.test" read as HTTP/nowhere.kssp.test@[A-Z.]* (host-based): .*KDC_ERR_S_PRINCIPAL_UNKNOWN' \
	"$KSSP_TEST_SCRATCH/err" || { cat "$KSSP_TEST_SCRATCH/err"; exit 1; }
echo "kssp loop: both packages"
