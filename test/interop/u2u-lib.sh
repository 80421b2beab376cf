# test/interop/u2u-lib.sh - user-to-user against one KDC, shared by
# t_sspi_u2u.sh (MIT), t_heimdal_u2u.sh (Heimdal) and t_ad_u2u.sh (Samba AD)
# (sourced).  The acceptor is a user with a TGT and no keys.
#
# u2u_run CLIENT CLIENT_PW SERVER SERVER_PW [SEEN]
#   (SEEN: the client's name as the acceptor reports it, default CLIENT; an
#   AD DC's PAC makes it DOMAIN\user)
#   - kssp loop --flags USE_SESSION_KEY,MUTUAL_AUTH --acceptor-ccache: the
#     legs are ISC SEC_I_CONTINUE_NEEDED (KERB-TGT-REQUEST), ASC
#     SEC_I_CONTINUE_NEEDED (KERB-TGT-REPLY), ISC SEC_I_CONTINUE_NEEDED
#     (AP-REQ with use-session-key), ASC SEC_E_OK (AP-REP), ISC SEC_E_OK,
#     then a sealed message;
#   - test/sspi/sspipeer.c's client and server in two processes over
#     loopback, the server with SERVER's cache only (no keytab), with and
#     without mutual authentication and ALLOCATE_MEMORY;
#   - test/sspi/u2ustale.c: an AP-REQ whose ticket is sealed in SERVER's
#     TGT of one logon is refused (SEC_E_LOGON_DENIED) by an acceptor holding
#     SERVER's TGT of another logon, and accepted with the first;
#   - MIT's kvno --u2u and kssp kvno --u2u get the same kind of ticket:
#     named SERVER, sealed in the enctype of SERVER's TGT session key
#     (klist -e), stored in the client's cache marked is_skey with the
#     server's TGT as second ticket (ccache-skey.py).
u2u_wait_line() {	# FILE RE
	local i
	for i in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

u2u_run() {
	local client=$1 cpw=$2 server=$3 spw=$4 seen=${5:-$1} s=$KSSP_TEST_SCRATCH req port spid alloc
	local peer=$s/sspipeer
	sspi_cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude -o "$peer" \
		test/sspi/sspipeer.c -L"$KSSP_BUILD" -lkssp
	export LD_LIBRARY_PATH="$KSSP_BUILD" KRB5CCNAME="FILE:$s/client.cc"
	printf '%s\n' "$cpw" | kinit "$client" >/dev/null
	printf '%s\n' "$spw" | KRB5CCNAME="FILE:$s/server.cc" kinit "$server" >/dev/null

	"$KSSP" loop --flags USE_SESSION_KEY,MUTUAL_AUTH --acceptor-ccache "FILE:$s/server.cc" \
		"$server" | tee "$s/loop.out"
	grep -q "^leg 1: InitializeSecurityContext SEC_I_CONTINUE_NEEDED" "$s/loop.out"
	grep -q "^leg 1: AcceptSecurityContext SEC_I_CONTINUE_NEEDED" "$s/loop.out"
	grep -q "^leg 2: InitializeSecurityContext SEC_I_CONTINUE_NEEDED" "$s/loop.out"
	grep -q "^leg 2: AcceptSecurityContext SEC_E_OK" "$s/loop.out"
	grep -q "^leg 3: InitializeSecurityContext SEC_E_OK" "$s/loop.out"
	grep -qF "server sees $seen" "$s/loop.out"
	grep -q "^DecryptMessage SEC_E_OK" "$s/loop.out"

	# Two processes: USE_SESSION_KEY alone, with MUTUAL_AUTH, with
	# MUTUAL|CONF|INTEG|REPLAY|SEQUENCE, and with ALLOCATE_MEMORY.
	for req in 0x20 0x22 0x1003e 0x122; do
		alloc=""
		[ $((req & 0x100)) -ne 0 ] && alloc=-alloc
		port=$("$KSSP_BUILD/test/freeport")
		rm -f "$s/srv.log"
		"$peer" server "$port" Kerberos - $alloc -ccache "FILE:$s/server.cc" >"$s/srv.log" 2>&1 &
		spid=$!
		u2u_wait_line "$s/srv.log" listening || { cat "$s/srv.log"; echo "server did not start"; return 1; }
		"$peer" client "$port" Kerberos "$server" "u2u $req" "$req" >"$s/cli.log" 2>&1 ||
			{ cat "$s/cli.log" "$s/srv.log"; return 1; }
		wait "$spid" || { cat "$s/srv.log"; return 1; }
		grep -qF "Accepted connection: \"$seen\"" "$s/srv.log"
		grep -q "Received message: \"u2u $req\"" "$s/srv.log"
		grep -q "Signature verified" "$s/cli.log"
	done

	# A ticket sealed in another TGT's session key: SERVER logs on again.
	sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$s/u2ustale" test/sspi/u2ustale.c \
		-L"$KSSP_BUILD" -lkssp
	printf '%s\n' "$spw" | KRB5CCNAME="FILE:$s/server2.cc" kinit "$server" >/dev/null
	"$s/u2ustale" "$server" "FILE:$s/server.cc" "FILE:$s/server2.cc" | tee "$s/stale.out"
	grep -q "^ASC AP-REQ with TGT B: SEC_E_LOGON_DENIED" "$s/stale.out"
	grep -q "^ASC AP-REQ with TGT A: SEC_E_OK" "$s/stale.out"

	# MIT's kvno --u2u and kssp's, each into a fresh cache of the client.
	printf '%s\n' "$cpw" | KRB5CCNAME="FILE:$s/mit.cc" kinit "$client" >/dev/null
	printf '%s\n' "$cpw" | KRB5CCNAME="FILE:$s/kssp.cc" kinit "$client" >/dev/null
	KRB5CCNAME="FILE:$s/mit.cc" kvno --u2u "FILE:$s/server.cc" "$server" | tee "$s/mit.kvno"
	"$KSSP" kvno -c "FILE:$s/kssp.cc" --u2u "FILE:$s/server.cc" "$server" | tee "$s/kssp.kvno"
	cmp "$s/mit.kvno" "$s/kssp.kvno"
	# The TGT's session key enctype, and each ticket's (skey, tkt) enctypes.
	local tgt_skey mit kssp
	tgt_skey=$(klist -e -c "FILE:$s/server.cc" | grep -A1 'krbtgt/' | sed -n 's/.*Etype (skey, tkt): \([^,]*\),.*/\1/p' | head -1)
	mit=$(klist -e -c "FILE:$s/mit.cc" | grep -A1 " $server\$" | sed -n 's/.*Etype (skey, tkt): //p')
	kssp=$(klist -e -c "FILE:$s/kssp.cc" | grep -A1 " $server\$" | sed -n 's/.*Etype (skey, tkt): //p')
	echo "server TGT session key: $tgt_skey; MIT's ticket (skey, tkt): $mit; kssp's: $kssp"
	[ -n "$tgt_skey" ] && [ -n "$mit" ] && [ "$mit" = "$kssp" ]
	[ "$(echo "${kssp##*, }" | tr -d ' ')" = "$tgt_skey" ]
	# Both stored marked user-to-user, the server's TGT beside them.
	python3 test/interop/ccache-skey.py "$s/mit.cc" "$server" >"$s/mit.skey"
	python3 test/interop/ccache-skey.py "$s/kssp.cc" "$server" >"$s/kssp.skey"
	cat "$s/kssp.skey"
	grep -qx "is_skey yes second_ticket yes" "$s/mit.skey"
	cmp "$s/mit.skey" "$s/kssp.skey"
}
