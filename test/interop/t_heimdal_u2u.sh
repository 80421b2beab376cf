#!/usr/bin/env bash
# User-to-user against Heimdal's KDC (u2u-lib.sh): alice authenticates to
# bob, who holds his TGT and no keys, through kssp loop and through two
# processes; MIT's kvno --u2u and kssp kvno --u2u get the same ticket.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_HEIMDAL_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
# shellcheck source=u2u-lib.sh
. test/interop/u2u-lib.sh
u2u_run "$HEIMDAL_USER" "$HEIMDAL_PASSWORD" "$HEIMDAL_USER2" "$HEIMDAL_PASSWORD2"
echo "user-to-user against Heimdal's KDC: loop, two processes and kvno --u2u passed"
