#!/usr/bin/env bash
# kssp as initiator against MIT's unmodified
# gss-server holding the service keytab: mutual authentication, a sealed
# message that gss-server unwraps, and gss-server's MIC over it verified by
# kssp - for session keys of enctypes 17, 18, 19, 20 and 23.  The service
# TGT and tickets come from kssp's own AS and TGS exchanges (kssp kinit,
# kssp kvno -e N).
set -euo pipefail
. "$KSSP_SRC/test/interop/context-lib.sh"
command -v gss-server >/dev/null || { echo "gss-server missing"; exit 77; }

s=$KSSP_TEST_SCRATCH
cc=$s/cc
# kssp all the way on the client side: its own AS and TGS exchanges
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -f -c "FILE:$cc" "$KSSP_USER" >/dev/null

run_one() {	# enctype, extra peer options
	local n=$1 opts=$2 port log out spid
	port=$("$KSSP_BUILD/test/freeport")
	log=$s/server-$n$opts.log
	gss-server -port "$port" -once -keytab "$KSSP_SERVICE_KEYTAB" "svc$n@$KSSP_SERVICE_HOST" \
		>"$log" 2>&1 &
	spid=$!
	wait_for_line "$log" starting || fail "gss-server did not start"
	# shellcheck disable=SC2086
	out=$("$peer" client "$port" "$cc" "svc$n/$KSSP_SERVICE_HOST@$KSSP_REALM" \
		"sealed message for svc$n" $opts) || { cat "$log"; fail "kssp client, enctype $n $opts"; }
	wait "$spid" || fail "gss-server failed (enctype $n $opts)"
	echo "$out"
	printf '%s\n' "$out" >"$s/client-$n$opts.log"
	grep -q "session enctype $n " <<<"$out" || fail "the session key is not enctype $n"
	grep -q "Signature verified." <<<"$out" || fail "no MIC verified (enctype $n)"
	grep -q "Accepted connection: \"$KSSP_USER\"" "$log" || fail "gss-server: no client name"
	grep -q "Received message: \"sealed message for svc$n\"" "$log" ||
		fail "gss-server did not unwrap the message"
	if [ -z "$opts" ]; then
		grep -q GSS_C_MUTUAL_FLAG "$log" || fail "gss-server: no mutual authentication"
	fi
}

for n in 17 18 19 20 23; do
	# kssp's own TGS exchange, asking for a session key of enctype n only
	"$KSSP" kvno -c "FILE:$cc" -e "$n" "svc$n/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null
	run_one "$n" ""
done
# without mutual authentication, integrity-only wrapping, and delegation
# (kssp asks the KDC for a forwarded TGT and sends it in the KRB-CRED; MIT's
# acceptor takes it and reports GSS_C_DELEG_FLAG)
run_one 18 "-nomutual"
run_one 23 "-nx"
run_one 17 "-d"
grep -q GSS_C_DELEG_FLAG "$s/server-17-d.log" || fail "gss-server did not take the delegation"
grep -q "Forwarded TGT obtained" "$s/client-17-d.log" || fail "no forwarded TGT from the KDC"
run_one 23 "-d"
grep -q GSS_C_DELEG_FLAG "$s/server-23-d.log" || fail "gss-server did not take the delegation (rc4)"
grep -q "Forwarded TGT obtained" "$s/client-23-d.log" || fail "no forwarded TGT from the KDC (rc4)"
echo "kssp initiator against MIT gss-server: enctypes 17 18 19 20 23 passed"
