#!/usr/bin/env bash
# Constrained delegation end to end against Heimdal's
# KDC (run.sh's Heimdal realm, heimdal-realm.sh: the KDC that grants
# S4U2Proxy).  alice logs on with her password (SEC_WINNT_AUTH_IDENTITY) and
# authenticates to the front service; the front service, with its own
# keytab, acquires a credential for the alice it accepted
# (KSSP_AUTH_DATA.ImpersonateUser: S4U2Self) and authenticates as alice to
# the back service through S4U2Proxy; the back service's
# AcceptSecurityContext sees alice.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
user=$HEIMDAL_USER front=$HEIMDAL_FRONT_SPN back=$HEIMDAL_BACK_SPN
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" "$front" "$HEIMDAL_SERVICE_KEYTAB" "$user" "$back" \
	"$HEIMDAL_PASSWORD" | tee "$s/out"
grep -q "^user to front: the acceptor sees \"$user\"" "$s/out"
grep -q "^S4U2Proxy: InitializeSecurityContext to $back: SEC_E_OK" "$s/out"
grep -q "^S4U2Proxy: the acceptor sees \"$user\"" "$s/out"
grep -q "constrained delegation for $user from ${front%@*}" "$HEIMDAL_REALM_DIR/kdc.log"
echo "SSPI constrained delegation against Heimdal: front accepted alice and reached the back service as alice"
