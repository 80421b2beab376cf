#!/usr/bin/env bash
# MIT's unmodified gss-client against kssp's
# acceptor (kssp-gss-peer server, the gss-sample framing): with and without
# -mutual, with -d (the delegated TGT is stored and then used by kvno to get
# a service ticket), wrapped messages unwrapped by kssp and kssp's MIC
# verified by gss-client - for session keys of enctypes 17, 18, 19, 20, 23.
set -euo pipefail
. "$KSSP_SRC/test/interop/context-lib.sh"
command -v gss-client >/dev/null || { echo "gss-client missing"; exit 77; }

s=$KSSP_TEST_SCRATCH
cc=$s/cc
printf '%s\n' "$KSSP_PASSWORD" | kinit -f -c "FILE:$cc" "$KSSP_USER" >/dev/null

run_one() {	# enctype, gss-client options
	local n=$1 opts=$2 port log out spid deleg=$s/deleg-$1
	port=$("$KSSP_BUILD/test/freeport")
	log=$s/peer-$n$opts.log
	rm -f "$deleg"
	"$peer" server "$port" "$KSSP_SERVICE_KEYTAB" "$deleg" >"$log" 2>&1 &
	spid=$!
	wait_for_line "$log" listening || fail "kssp-gss-peer did not start"
	# shellcheck disable=SC2086
	out=$(KRB5_CONFIG="$s/krb5-$n.conf" KRB5CCNAME="FILE:$cc" gss-client -port "$port" $opts \
		127.0.0.1 "svc$n@$KSSP_SERVICE_HOST" "message to kssp over svc$n" 2>&1) ||
		{ echo "$out"; cat "$log"; fail "gss-client, enctype $n $opts"; }
	wait "$spid" || { cat "$log"; fail "kssp-gss-peer failed (enctype $n $opts)"; }
	cat "$log"
	grep -q "Signature verified" <<<"$out" || { echo "$out"; fail "gss-client verified no MIC"; }
	grep -q "Accepted connection: \"$KSSP_USER\"" "$log" || fail "kssp: no client name"
	grep -q "session enctype $n " "$log" || fail "the session key is not enctype $n"
	grep -q "Received message: \"message to kssp over svc$n\"" "$log" ||
		fail "kssp did not unwrap the message"
	case $opts in
	*-d*)
		[ -s "$deleg" ] || fail "no delegated TGT stored"
		klist -c "FILE:$deleg" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" ||
			fail "the delegated cache holds no TGT"
		kvno -c "FILE:$deleg" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null ||
			fail "the delegated TGT does not get a service ticket"
		;;
	esac
}

for n in 17 18 19 20 23; do
	tgs_conf "$n" "$s/krb5-$n.conf"
	run_one "$n" ""
	run_one "$n" "-nomutual"
	run_one "$n" "-d"
done
echo "MIT gss-client against the kssp acceptor: enctypes 17 18 19 20 23 passed"
