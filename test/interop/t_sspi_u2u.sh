#!/usr/bin/env bash
# User-to-user against MIT's KDC (u2u-lib.sh): alice authenticates to bob,
# who holds his TGT and no keys, through kssp loop and through two
# processes; MIT's kvno --u2u and kssp kvno --u2u get the same ticket.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
# shellcheck source=u2u-lib.sh
. test/interop/u2u-lib.sh
u2u_run "alice@$KSSP_REALM" alice-pw-1 "bob@$KSSP_REALM" bob-pw-2
echo "user-to-user against MIT's KDC: loop, two processes and kvno --u2u passed"
