#!/usr/bin/env bash
# Issue 8, acceptance 4: constrained delegation end to end against Heimdal's
# KDC (the KDC of the kdc tests that grants S4U2Proxy).  alice logs on with
# her password (SEC_WINNT_AUTH_IDENTITY) and authenticates to the front
# service; the front service, with its own keytab, acquires a credential
# for the alice it accepted (KSSP_AUTH_DATA.ImpersonateUser: S4U2Self) and
# authenticates as alice to the back service through S4U2Proxy; the back
# service's AcceptSecurityContext sees alice.  Heimdal comes from
# `make heimdal-peer` (build/heimdal); without it the test is skipped.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
bin=${KSSP_HEIMDAL_DIR:-$KSSP_SRC/build/heimdal}
if [ ! -x "$bin/usr/lib/heimdal-servers/kdc" ] || ! "$bin/usr/lib/heimdal-servers/kdc" --version >/dev/null 2>&1; then
	echo "SKIPPED: no Heimdal KDC in $bin (run: make heimdal-peer)"
	exit 77
fi
trap 'bash test/interop/heimdal.sh stop "$s/heim" >/dev/null 2>&1 || true' EXIT
KSSP_FREEPORT=$KSSP_BUILD/test/freeport bash test/interop/heimdal.sh start "$bin" "$s/heim" >/dev/null
# shellcheck disable=SC1091
. "$s/heim/env.sh"
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" "$HEIM_FRONT" "$HEIM_KEYTAB" "$HEIM_USER" "$HEIM_BACK" \
	"$HEIM_PASSWORD" | tee "$s/out"
grep -q "^user to front: the acceptor sees \"$HEIM_USER\"" "$s/out"
grep -q "^S4U2Proxy: InitializeSecurityContext to $HEIM_BACK: SEC_E_OK" "$s/out"
grep -q "^S4U2Proxy: the acceptor sees \"$HEIM_USER\"" "$s/out"
grep -q "constrained delegation for $HEIM_USER from ${HEIM_FRONT%@*}" "$s/heim/kdc.log"
echo "SSPI constrained delegation against Heimdal: front accepted alice and reached the back service as alice"
