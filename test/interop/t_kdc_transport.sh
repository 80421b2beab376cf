#!/usr/bin/env bash
# kssp kinit's transport against the loopback MIT KDC: TCP above
# udp_preference_limit, RESPONSE_TOO_BIG from a UDP stand-in then TCP,
# failover from a UDP sink, and all KDCs dead.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
standin=$KSSP_BUILD/test/kdc-standin
fail() { echo "FAIL: $*" >&2; exit 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# A krb5.conf of our own (the first value of a relation wins, so EXTRA comes first).
conf() { # conf FILE EXTRA-LIBDEFAULTS KDC-LINES...
	local f=$1 extra=$2
	shift 2
	{
		echo "[libdefaults]"
		printf '%b' "$extra"
		echo " default_realm = $KSSP_REALM"
		echo " dns_lookup_kdc = false"
		echo " dns_lookup_realm = false"
		echo " request_timeout = 6"
		echo "[realms]"
		echo " $KSSP_REALM = {"
		for k in "$@"; do echo "  kdc = $k"; done
		echo " }"
	} >"$f"
}
start_standin() { # start_standin MODE -> port in $port
	"$standin" "$1" >"$s/$1.port" &
	pids+=($!)
	for _ in $(seq 50); do [ -s "$s/$1.port" ] && break; sleep 0.1; done
	port=$(cat "$s/$1.port")
}
kinit_with() { # kinit_with CONF
	printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$1 KSSP_TRACE=1 "$KSSP" kinit -c "$cc" "$KSSP_USER"
}

# 4a. udp_preference_limit = 1: the whole exchange runs over TCP.
conf "$s/tcp.conf" " udp_preference_limit = 1\n" "127.0.0.1:$KSSP_KDC_PORT"
kinit_with "$s/tcp.conf" 2>"$s/trace" || fail "kinit over TCP: $(cat "$s/trace")"
grep -q "over TCP" "$s/trace" || fail "no TCP in the trace"
grep -q "over UDP" "$s/trace" && fail "UDP used despite the limit"

# 4b. A UDP stand-in says RESPONSE_TOO_BIG; the retry goes over TCP to the KDC.
start_standin too-big
conf "$s/big.conf" "" "udp/127.0.0.1:$port" "tcp/127.0.0.1:$KSSP_KDC_PORT"
kinit_with "$s/big.conf" 2>"$s/trace" || fail "RESPONSE_TOO_BIG retry: $(cat "$s/trace")"
grep -q "KRB_ERR_RESPONSE_TOO_BIG (52)" "$s/trace" || fail "stand-in not asked"
grep -q "retrying over TCP" "$s/trace" || fail "no TCP retry"
klist -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT after the retry"

# 5a. The first KDC is a sink: kinit succeeds after about a second.
start_standin sink
conf "$s/failover.conf" "" "127.0.0.1:$port" "127.0.0.1:$KSSP_KDC_PORT"
t0=$(date +%s%N)
kinit_with "$s/failover.conf" 2>"$s/trace" || fail "failover: $(cat "$s/trace")"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 900 ] && [ "$ms" -lt 4000 ] || fail "failover took $ms ms"
echo "failover from a sink: $ms ms"

# 5b. Every KDC dead: "cannot contact any KDC", SEC_E_NO_AUTHENTICATING_AUTHORITY, in the bound.
conf "$s/dead.conf" " request_timeout = 3\n" "127.0.0.1:$port" "udp/127.0.0.1:$port"
t0=$(date +%s%N)
if kinit_with "$s/dead.conf" 2>"$s/err"; then fail "kinit with no KDC succeeded"; fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q "cannot contact any KDC" "$s/err" || fail "$(tail -1 "$s/err")"
grep -q "SEC_E_NO_AUTHENTICATING_AUTHORITY" "$s/err" || fail "$(tail -1 "$s/err")"
[ "$ms" -lt 4500 ] || fail "gave up after $ms ms, the bound is 3 s"
echo "all KDCs dead: failed after $ms ms"
