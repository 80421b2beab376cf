#!/usr/bin/env bash
# User-to-user against the Samba AD DC (u2u-lib.sh): alice authenticates to
# bob, an ordinary user account holding its TGT and no keys (a Samba AD DC
# issues such tickets with the PAC of alice), through kssp loop and through
# two processes; MIT's kvno --u2u and kssp kvno --u2u get the same ticket.
set -euo pipefail
cd "$KSSP_SRC"
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
# shellcheck source=u2u-lib.sh
. test/interop/u2u-lib.sh
u2u_run "alice@$AD_REALM" "$AD_PASSWORD_ALICE" "bob@$AD_REALM" "$AD_PASSWORD_BOB" \
	"$AD_NETBIOS\\alice"
echo "user-to-user against the Samba AD DC: loop, two processes and kvno --u2u passed"
