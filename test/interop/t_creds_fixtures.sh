#!/usr/bin/env bash
# t_creds_fixtures.sh - kssp klist on the committed MIT files prints what
# MIT's klist printed for them when they were made (fixtures/creds/*.klist),
# all but the first line, which names the folder they were made in.
set -euo pipefail
. "$KSSP_SRC/test/interop/creds-common.sh"
creds_need
fx=$KSSP_SRC/fixtures/creds
"$KSSP" klist -f -e "$fx/mit-v4.ccache" | tail -n +2 | diff -u <(tail -n +2 "$fx/mit-v4.ccache.klist") -
"$KSSP" klist -k -t -e -K "$fx/mit-all.keytab" | tail -n +2 |
	diff -u <(tail -n +2 "$fx/mit-all.keytab.klist") -
echo "kssp klist prints what MIT's klist printed for the fixtures"
