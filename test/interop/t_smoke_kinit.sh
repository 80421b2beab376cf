#!/usr/bin/env bash
# The harness itself: MIT's kinit gets a TGT from the loopback KDC, for a
# plain and for a non-ASCII password, and a wrong password is refused.
set -euo pipefail
cc="FILE:$KSSP_TEST_SCRATCH/cc"

printf '%s\n' "$KSSP_PASSWORD" | kinit -c "$cc" "$KSSP_USER" >/dev/null
klist -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM"
klist -c "$cc" | grep -q "Default principal: $KSSP_USER"

printf '%s\n' "$KSSP_UNICODE_PASSWORD" | kinit -c "$cc" "$KSSP_UNICODE_USER" >/dev/null
klist -c "$cc" | grep -q "Default principal: $KSSP_UNICODE_USER"

if printf 'wrong\n' | kinit -c "$cc" "$KSSP_USER" >/dev/null 2>&1; then
	echo "a wrong password was accepted" >&2
	exit 1
fi
# The service keytab holds every enctype for HTTP/server.kssp.test.
n=$(klist -k "$KSSP_SERVICE_KEYTAB" | grep -c "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM")
[ "$n" -eq 7 ]
echo "smoke: kinit against the loopback KDC works"
