#!/usr/bin/env bash
# kssp through a KDC proxy (MS-KKDCP): Debian's python3-kdcproxy over TLS on
# 127.0.0.1 (kkdcp-proxy.py), with a CA and server certificate made here, in
# front of the loopback MIT KDC.  krb5.conf names only the proxy, as MIT
# writes it (kdc = https://host:port/path, http_anchors = FILE:...).
#  - kssp kinit and kssp kvno through the proxy, and nothing sent to the KDC
#  - an SSPI logon (InitializeSecurityContext) whose TGS exchange goes through it
#  - failover past a refusing proxy and a non-TLS one; a recording made
#    through the proxy replays
#  - MIT's kinit through the same proxy, the reference
#  - an anchor that is not the proxy's CA, no anchor (the system store), and
#    a name the certificate does not carry: refused, the reason said
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*"; exit 77; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$py" -c 'import kdcproxy' 2>/dev/null || skip "python3-kdcproxy not installed (apt-get install python3-kdcproxy)"
command -v openssl >/dev/null || skip "openssl not installed"

# Built without TLS: the proxy is refused with the reason, and nothing else can run.
printf '[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n[realms]\n %s = {\n  kdc = https://127.0.0.1:1/KdcProxy\n }\n' \
	"$KSSP_REALM" "$KSSP_REALM" >"$s/probe.conf"
if ! printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/probe.conf "$KSSP" kinit -c "$cc" "$KSSP_USER" 2>"$s/err"; then
	if grep -q "built without TLS" "$s/err"; then
		skip "kssp was built without TLS (KSSP_TLS=no or no GnuTLS): $(cat "$s/err")"
	fi
fi

# A throwaway CA and the proxy's certificate for 127.0.0.1 (an IP address
# subjectAltName, as RFC 6125 wants for an address), and a second CA that
# signed nothing of the proxy's.
mkcert() { # mkcert NAME SUBJECT [CA-NAME]
	local name=$1 subj=$2 ca=${3:-}
	if [ -z "$ca" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "$subj" \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
			-keyout "$s/$name.key" -out "$s/$name.pem" 2>/dev/null
	else
		openssl req -newkey rsa:2048 -nodes -subj "$subj" -keyout "$s/$name.key" \
			-out "$s/$name.csr" 2>/dev/null
		printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$s/$name.ext"
		openssl x509 -req -in "$s/$name.csr" -CA "$s/$ca.pem" -CAkey "$s/$ca.key" \
			-CAcreateserial -days 2 -extfile "$s/$name.ext" -out "$s/$name.pem" 2>/dev/null
	fi
}
mkcert ca "/CN=kssp test CA"
mkcert other-ca "/CN=kssp other CA"
mkcert proxy "/CN=127.0.0.1" ca

cat >"$s/kdcproxy.conf" <<CONF
[global]
use_dns = false
[$KSSP_REALM]
kerberos = kerberos+tcp://127.0.0.1:$KSSP_KDC_PORT
CONF
KDCPROXY_CONFIG=$s/kdcproxy.conf "$py" "$KSSP_SRC/test/interop/kkdcp-proxy.py" \
	"$s/proxy.pem" "$s/proxy.key" "$s/port" 2>"$s/proxy.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$s/port" ] && break; sleep 0.1; done
[ -s "$s/port" ] || fail "the KDC proxy did not start: $(cat "$s/proxy.log")"
port=$(cat "$s/port")

conf() { # conf FILE URL [ANCHOR]
	{
		echo "[libdefaults]"
		echo " default_realm = $KSSP_REALM"
		echo " dns_lookup_kdc = false"
		echo " dns_lookup_realm = false"
		echo " request_timeout = 15"
		echo "[realms]"
		echo " $KSSP_REALM = {"
		echo "  kdc = $2"
		[ -n "${3:-}" ] && echo "  http_anchors = $3"
		echo " }"
	} >"$1"
}
url="https://127.0.0.1:$port/KdcProxy"
conf "$s/good.conf" "$url" "FILE:$s/ca.pem"

# kinit through the proxy: every message over HTTPS, none to the KDC itself.
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/good.conf KSSP_TRACE=1 \
	"$KSSP" kinit -c "$cc" "$KSSP_USER" 2>"$s/trace" || fail "kinit through the proxy: $(tail -5 "$s/trace")"
grep -q "over HTTPS (KDC proxy /KdcProxy)" "$s/trace" || fail "no HTTPS exchange in the trace"
grep -q "over UDP\|over TCP" "$s/trace" && fail "UDP or TCP used although only the proxy is configured"
grep -q "from 127.0.0.1:$port over HTTPS: AS-REP" "$s/trace" || fail "no AS-REP through the proxy"
klist -c "$cc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT after kinit through the proxy"

# kvno through the proxy: the TGS exchange, and what MIT's kvno prints.
KRB5_CONFIG=$s/good.conf KSSP_TRACE=1 "$KSSP" kvno -c "$cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" \
	>"$s/kvno.out" 2>"$s/trace" || fail "kvno through the proxy: $(tail -5 "$s/trace")"
grep -q "over HTTPS: TGS-REP" "$s/trace" || fail "no TGS-REP through the proxy"
want=$(KRB5_CONFIG=$s/good.conf kvno -c "$cc" "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM")
[ "$(cat "$s/kvno.out")" = "$want" ] || fail "kvno printed '$(cat "$s/kvno.out")', MIT prints '$want'"

# Failover: a proxy that refuses the connection, then one that is no TLS
# server (the KDC itself), are passed over for the next KDC, the real proxy.
conf "$s/failover.conf" "https://127.0.0.1:1/KdcProxy" "FILE:$s/ca.pem"
sed -i "s|^  kdc = .*|&\n  kdc = https://127.0.0.1:$KSSP_KDC_PORT/KdcProxy\n  kdc = $url|" "$s/failover.conf"
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/failover.conf KSSP_TRACE=1 \
	"$KSSP" kinit -c "FILE:$s/cc3" "$KSSP_USER" 2>"$s/trace" || fail "failover to the proxy: $(tail -5 "$s/trace")"
grep -q "127.0.0.1:1 HTTPS: Connection refused" "$s/trace" || fail "the refusing proxy was not tried first"
grep -q "127.0.0.1:$KSSP_KDC_PORT HTTPS: TLS: handshake" "$s/trace" || fail "the non-TLS server was not tried: $(grep HTTPS "$s/trace")"
grep -q "from 127.0.0.1:$port over HTTPS: AS-REP" "$s/trace" || fail "no AS-REP from the real proxy after failover"

# A recorded conversation holds the Kerberos messages, not the TLS bytes:
# recorded through the proxy, it replays with no network.
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/good.conf "$KSSP" kinit --record "$s/kinit.rec" \
	-c "FILE:$s/cc4" "$KSSP_USER" 2>"$s/err" || fail "kinit --record through the proxy: $(cat "$s/err")"
conf "$s/nowhere.conf" "https://127.0.0.1:1/KdcProxy" "FILE:$s/ca.pem"
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/nowhere.conf KSSP_REPLAY=$s/kinit.rec "$KSSP" kinit \
	-c "FILE:$s/cc5" "$KSSP_USER" >"$s/replay.out" 2>&1 || fail "the proxy's recording does not replay: $(cat "$s/replay.out")"
klist -c "FILE:$s/cc5" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT from the replay"

# An SSPI logon: InitializeSecurityContext (Negotiate) on a cache holding
# only the TGT fetches its service ticket through the proxy; the acceptor
# takes the token.
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/good.conf "$KSSP" kinit -c "FILE:$s/cc2" "$KSSP_USER" \
	2>"$s/err" || fail "second kinit through the proxy: $(cat "$s/err")"
KRB5_CONFIG=$s/good.conf KSSP_TRACE=1 "$KSSP" token -c "FILE:$s/cc2" --negotiate \
	"HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" >"$s/token" 2>"$s/trace" || fail "ISC through the proxy: $(tail -5 "$s/trace")"
grep -q "over HTTPS: TGS-REP" "$s/trace" || fail "ISC's TGS exchange did not go through the proxy"
"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" "$s/token" >"$s/accept" 2>&1 || fail "the acceptor refused the token: $(cat "$s/accept")"
grep -q "$KSSP_USER" "$s/accept" || fail "the acceptor does not name $KSSP_USER: $(cat "$s/accept")"

# MIT's kinit through the same proxy and configuration: the reference.
printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$s/good.conf KRB5_TRACE=$s/mit.trace \
	kinit -c "FILE:$s/mitcc" "$KSSP_USER" >/dev/null 2>"$s/mit.err" || fail "MIT kinit through the proxy: $(cat "$s/mit.err")"
grep -qi "https" "$s/mit.trace" || fail "MIT's kinit did not use the proxy"
klist -c "FILE:$s/mitcc" | grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" || fail "no TGT from MIT's kinit"

# Refusals, each with its reason.
refused() { # refused CONF WHAT-THE-REASON-SAYS
	if printf '%s\n' "$KSSP_PASSWORD" | KRB5_CONFIG=$1 "$KSSP" kinit -c "FILE:$s/bad" "$KSSP_USER" \
		2>"$s/err"; then
		fail "kinit through an untrusted proxy succeeded ($1)"
	fi
	grep -q "$2" "$s/err" || fail "refusal with $1 does not say '$2': $(cat "$s/err")"
	[ ! -s "$s/bad" ] || fail "a credential cache was written ($1)"
}
conf "$s/wrong-ca.conf" "$url" "FILE:$s/other-ca.pem"
refused "$s/wrong-ca.conf" "certificate of 127.0.0.1 is not trusted: .*issuer is unknown"
conf "$s/system.conf" "$url"
refused "$s/system.conf" "certificate of 127.0.0.1 is not trusted: .*issuer is unknown"
conf "$s/name.conf" "https://localhost:$port/KdcProxy" "FILE:$s/ca.pem"
refused "$s/name.conf" "certificate of localhost is not trusted: .*name .*does not match"
conf "$s/missing.conf" "$url" "FILE:$s/no-such.pem"
refused "$s/missing.conf" "http_anchors 'FILE:$s/no-such.pem'"
echo "kssp kinit and kvno through the KDC proxy; untrusted proxies refused with their reason"
