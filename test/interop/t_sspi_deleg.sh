#!/usr/bin/env bash
# DELEGATE|MUTUAL_AUTH with kssp on both sides:
# test/sspi/sspipeer.c's client (two processes, a loopback socket) asks
# ISC_REQ_DELEGATE|ISC_REQ_MUTUAL_AUTH; kssp asks the KDC for a forwarded
# TGT (RFC 4120 §2.6) and sends it in the authenticator's KRB-CRED; the
# server takes an outbound credential from the accepted context
# (KSSP_AUTH_DATA.DelegateFrom) and reaches a second service as the client.
# Both packages, with and without ALLOCATE_MEMORY.  Then the policy:
#   - a service not ok-as-delegate gets no delegation (ISC_RET_DELEGATE and
#     ASC_RET_DELEGATE clear, the exchange still succeeds), unless krb5.conf
#     says enforce_ok_as_delegate = false;
#   - a TGT that is not forwardable: no delegation, no failure.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
s=$KSSP_TEST_SCRATCH
peer=$s/sspipeer
sspi_cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude -o "$peer" test/sspi/sspipeer.c \
	-L"$KSSP_BUILD" -lkssp
export LD_LIBRARY_PATH="$KSSP_BUILD" KRB5CCNAME="FILE:$s/cc"
host=$KSSP_SERVICE_HOST
front="dlgfront/$host" plain="dlgplain/$host" back="dlgback/$host"
kadmin.local -r "$KSSP_REALM" -q "addprinc +ok_as_delegate -randkey $front" >/dev/null 2>&1
kadmin.local -r "$KSSP_REALM" -q "addprinc -randkey $plain" >/dev/null 2>&1
kadmin.local -r "$KSSP_REALM" -q "addprinc -randkey $back" >/dev/null 2>&1
kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/dlg.keytab $front $plain $back" >/dev/null 2>&1
printf '%s\n' "$KSSP_PASSWORD" | kinit -f "$KSSP_USER" >/dev/null

wait_line() {	# FILE RE
	local i
	for i in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# run PKG SPN REQ [server options...]: one client/server exchange.
run() {
	local pkg=$1 spn=$2 req=$3 port spid
	shift 3
	port=$("$KSSP_BUILD/test/freeport")
	rm -f "$s/srv.log"
	"$peer" server "$port" "$pkg" "$s/dlg.keytab" "$@" >"$s/srv.log" 2>&1 &
	spid=$!
	wait_line "$s/srv.log" listening || { cat "$s/srv.log"; echo "server did not start"; exit 1; }
	"$peer" client "$port" "$pkg" "$spn" "delegation $pkg $req" "$req" >"$s/cli.log" 2>&1 ||
		{ cat "$s/cli.log" "$s/srv.log"; exit 1; }
	wait "$spid" || { cat "$s/cli.log" "$s/srv.log"; exit 1; }
	grep -q "Accepted connection: \"$KSSP_USER\"" "$s/srv.log"
	grep -q "Received message: \"delegation $pkg $req\"" "$s/srv.log"
	grep -q "Signature verified" "$s/cli.log"
}

n=0
for pkg in Kerberos Negotiate; do
	for req in 0x3 0x103; do	# DELEGATE|MUTUAL_AUTH, + ALLOCATE_MEMORY
		alloc=""
		[ "$req" = 0x103 ] && alloc=-alloc
		# shellcheck disable=SC2086
		run "$pkg" "$front" "$req" $alloc "$back"
		grep -q "Credentials delegated" "$s/cli.log" || { cat "$s/cli.log"; exit 1; }
		grep -q "Back service $back accepted \"$KSSP_USER\"" "$s/srv.log" ||
			{ cat "$s/srv.log"; exit 1; }
		n=$((n + 1))
	done
done

# Not ok-as-delegate: Windows' policy by default, no delegation.
run Kerberos "$plain" 0x3
grep -q "Not delegated" "$s/cli.log"
attr=$(sed -n 's/^Accepted connection: .* attributes \(0x[0-9a-f]*\)$/\1/p' "$s/srv.log")
[ $((attr & 0x1)) -eq 0 ] || { echo "the server saw a delegation ($attr)"; exit 1; }
n=$((n + 1))

# ... unless krb5.conf allows delegating to any service.
sed 's/^\[libdefaults\]$/[libdefaults]\n\tenforce_ok_as_delegate = false/' "$KRB5_CONFIG" >"$s/krb5.conf"
KRB5_CONFIG=$s/krb5.conf run Kerberos "$plain" 0x3 "$back"
grep -q "Credentials delegated" "$s/cli.log"
grep -q "Back service $back accepted \"$KSSP_USER\"" "$s/srv.log"
n=$((n + 1))

# A TGT that is not forwardable: the context is built, without delegation.
printf '%s\n' "$KSSP_PASSWORD" | kinit -F "$KSSP_USER" >/dev/null
run Negotiate "$front" 0x3
grep -q "Not delegated" "$s/cli.log"
n=$((n + 1))
echo "sspi delegation: $n exchanges passed"
