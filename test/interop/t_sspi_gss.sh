#!/usr/bin/env bash
# Without delegation (t_sspi_deleg.sh delegates): test/sspi/sspipeer.c, a
# client and a server written like Windows' SSPI samples (two processes,
# a loopback socket, length-prefixed tokens, the ISC / ASC loop, then
# EncryptMessage / DecryptMessage and MakeSignature / VerifySignature):
#   - its client against its server, both packages, ISC_REQ sets none,
#     MUTUAL_AUTH and MUTUAL|CONFIDENTIALITY|INTEGRITY|REPLAY|SEQUENCE, each
#     with and without ALLOCATE_MEMORY;
#   - its client against MIT's gss-server (Kerberos, and Negotiate = SPNEGO);
#   - MIT's gss-client (plain, -nomutual, -spnego) against its server.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
command -v gss-server >/dev/null && command -v gss-client >/dev/null ||
	{ echo "gss-server / gss-client missing"; exit 77; }
s=$KSSP_TEST_SCRATCH
peer=$s/sspipeer
sspi_cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude -o "$peer" test/sspi/sspipeer.c \
	-L"$KSSP_BUILD" -lkssp
export LD_LIBRARY_PATH="$KSSP_BUILD" KRB5CCNAME="FILE:$s/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null
spn="HTTP/$KSSP_SERVICE_HOST"

wait_line() {	# FILE RE
	local i
	for i in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

start_server() {	# LOG COMMAND...
	local log=$1; shift
	rm -f "$log"	# so that the last server's "listening" is not taken for this one's
	"$@" >"$log" 2>&1 &
	spid=$!
	wait_line "$log" "listening\|starting" || { cat "$log"; echo "server did not start"; exit 1; }
}

n=0
for pkg in Kerberos Negotiate; do
	# Each set with the caller's buffers and with ISC/ASC_REQ_ALLOCATE_MEMORY
	# (0x100) on both sides.
	for req in 0 0x2 0x1001e 0x100 0x102 0x1011e; do
		alloc=""
		[ $((req & 0x100)) -ne 0 ] && alloc=-alloc
		port=$("$KSSP_BUILD/test/freeport")
		start_server "$s/srv.log" "$peer" server "$port" "$pkg" "$KSSP_SERVICE_KEYTAB" $alloc
		"$peer" client "$port" "$pkg" "$spn" "sspi to sspi $pkg $req" "$req" >"$s/cli.log" 2>&1 ||
			{ cat "$s/cli.log" "$s/srv.log"; exit 1; }
		wait "$spid" || { cat "$s/srv.log"; exit 1; }
		grep -q "Accepted connection: \"$KSSP_USER\"" "$s/srv.log"
		grep -q "Received message: \"sspi to sspi $pkg $req\"" "$s/srv.log"
		grep -q "Signature verified" "$s/cli.log"
		n=$((n + 1))
	done

	port=$("$KSSP_BUILD/test/freeport")
	start_server "$s/gss-server.log" gss-server -port "$port" -once -keytab "$KSSP_SERVICE_KEYTAB" \
		"HTTP@$KSSP_SERVICE_HOST"
	"$peer" client "$port" "$pkg" "$spn" "sspi $pkg to MIT" 0x1001e >"$s/cli.log" 2>&1 ||
		{ cat "$s/cli.log" "$s/gss-server.log"; exit 1; }
	wait "$spid"
	grep -q "Accepted connection: \"$KSSP_USER\"" "$s/gss-server.log"
	grep -q "Received message: \"sspi $pkg to MIT\"" "$s/gss-server.log"
	grep -q "Signature verified" "$s/cli.log"
	n=$((n + 1))

	for opt in "" -nomutual -spnego; do
		[ "$pkg" = Kerberos ] && [ "$opt" = -spnego ] && continue
		port=$("$KSSP_BUILD/test/freeport")
		start_server "$s/srv.log" "$peer" server "$port" "$pkg" "$KSSP_SERVICE_KEYTAB"
		# shellcheck disable=SC2086
		gss-client -port "$port" $opt 127.0.0.1 "HTTP@$KSSP_SERVICE_HOST" "MIT to sspi $pkg$opt" \
			>"$s/cli.log" 2>&1 || { cat "$s/cli.log" "$s/srv.log"; exit 1; }
		wait "$spid" || { cat "$s/srv.log"; exit 1; }
		grep -q "Received message: \"MIT to sspi $pkg$opt\"" "$s/srv.log"
		grep -q "Signature verified" "$s/cli.log"
		n=$((n + 1))
	done
done
# Delegation: MIT's gss-client forwards alice's TGT (-d); the kssp server
# takes an outbound credential for alice from the accepted context
# (KSSP_AUTH_DATA.DelegateFrom) and authenticates as alice to host/.
printf '%s\n' "$KSSP_PASSWORD" | kinit -f "$KSSP_USER" >/dev/null
for pkg in Kerberos Negotiate; do
	opt=-d
	[ "$pkg" = Negotiate ] && opt="-d -spnego"
	port=$("$KSSP_BUILD/test/freeport")
	start_server "$s/srv.log" "$peer" server "$port" "$pkg" "$KSSP_SERVICE_KEYTAB" "host/$KSSP_SERVICE_HOST"
	# shellcheck disable=SC2086
	gss-client -port "$port" $opt 127.0.0.1 "HTTP@$KSSP_SERVICE_HOST" "delegated $pkg" \
		>"$s/cli.log" 2>&1 || { cat "$s/cli.log" "$s/srv.log"; exit 1; }
	wait "$spid" || { cat "$s/srv.log"; exit 1; }
	grep -q "Back service host/$KSSP_SERVICE_HOST accepted \"$KSSP_USER\"" "$s/srv.log"
	n=$((n + 1))
done
echo "sspi peers: $n exchanges passed (sspi<->sspi, sspi->gss-server, gss-client->sspi)"
