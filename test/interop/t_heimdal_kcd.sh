#!/usr/bin/env bash
# Kerberos-only constrained delegation against Heimdal 7.8's KDC (MS-SFU
# §3.1.5.2): alice authenticates to the front service without delegating a
# TGT; the front accepts with ASC_REQ_DELEGATE, takes a credential from
# that context (KSSP_AUTH_DATA.DelegateFrom) and asks S4U2Proxy to the back
# service (in its constrained-delegation list) with the ticket it accepted
# as evidence.  Heimdal 7.8 does not permit it: it accepts as evidence only
# a ticket bearing a PAC or a KRB5SignedPath it can verify, and the
# SignedPath of an ordinary service ticket is bound to its client, not to
# the front service (an S4U2Self ticket's is: t_heimdal_sspi.sh).  kssp
# must send the request and report the refusal as the Windows status with
# the reason; the KDC's log names its rule.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/none"
fail() { echo "t_heimdal_kcd: $*" >&2; exit 1; }
user=$HEIMDAL_USER front=$HEIMDAL_FRONT_SPN back=${HEIMDAL_BACK_SPN%@*}
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/s4u" test/sspi/s4u.c -L"$KSSP_BUILD" -lkssp
if LD_LIBRARY_PATH="$KSSP_BUILD" "$s/s4u" --from "$front" "$HEIMDAL_SERVICE_KEYTAB" "$user" "$back" \
	"$HEIMDAL_PASSWORD" >"$s/out" 2>&1; then
	fail "Heimdal 7.8 granted S4U2Proxy with an ordinary service ticket: $(cat "$s/out")"
fi
grep -q "^user to front: the acceptor sees \"$user\"" "$s/out" || fail "$(cat "$s/out")"
grep -q "^DelegateFrom: AcquireCredentialsHandle: SEC_E_OK" "$s/out" || fail "$(cat "$s/out")"
grep -q "^S4U2Proxy: InitializeSecurityContext to $back: SEC_E_KDC_INVALID_REQUEST S4U2Proxy ${front} -> $back@.* refused (KDC_ERR_BADOPTION)" \
	"$s/out" || fail "$(cat "$s/out")"
grep -q "Ticket not signed with PAC nor SignedPath service $back@.* for delegation to $user" \
	"$HEIMDAL_REALM_DIR/kdc.log" || fail "the KDC logged another reason: $(tail -n 5 "$HEIMDAL_REALM_DIR/kdc.log")"
echo "Heimdal 7.8: Kerberos-only constrained delegation asked as MS-SFU says, refused by its evidence rule"
