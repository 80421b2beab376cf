#!/usr/bin/env bash
# Impersonation through the SSPI against the MIT realm: alice logs
# on with her password and authenticates to a front service; the front
# service (its own keytab) acquires a credential for the alice it saw
# (KSSP_AUTH_DATA.ImpersonateUser, S4U2Self) and authenticates as alice to
# itself.  Reaching a second service as alice is S4U2Proxy, which MIT's db2
# KDC cannot grant (no constrained-delegation rules): kssp must report the
# KDC's refusal as a Windows status, not succeed.  (t_heimdal_sspi.sh runs
# the same against Heimdal, which grants it.)
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
svc="s4usspi/$KSSP_SERVICE_HOST"
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
kadmin.local -r "$KSSP_REALM" -q "addprinc +ok_to_auth_as_delegate -randkey $svc" >/dev/null 2>&1
kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/front.keytab $svc" >/dev/null 2>&1
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" "$svc@$KSSP_REALM" "$s/front.keytab" "$KSSP_USER" \
	"HTTP/$KSSP_SERVICE_HOST" "$KSSP_PASSWORD" | tee "$s/out"
grep -q "^user to front: the acceptor sees \"$KSSP_USER\"" "$s/out"
grep -q "^S4U2Self: the acceptor sees \"$KSSP_USER\"" "$s/out"
grep -q "^S4U2Proxy: InitializeSecurityContext to HTTP/$KSSP_SERVICE_HOST: SEC_E_KDC_INVALID_REQUEST .*KDC_ERR_BADOPTION" "$s/out"
