#!/usr/bin/env bash
# The programs of examples/ (built by make): the SSPI server and client
# pair over loopback with both packages (alice's cache from kssp kinit, the
# service keytab), and the HTTP Negotiate helper, whose header carries a
# SPNEGO NegTokenInit with an AP-REQ for HTTP/host that `kssp decode
# --keytab` opens.
set -euo pipefail
cd "$KSSP_SRC"
ex=$KSSP_BUILD/examples
[ -x "$ex/sspi_client" ] || { echo "examples not built"; exit 1; }
export KRB5CCNAME="FILE:$KSSP_TEST_SCRATCH/cc"
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit --password-file /dev/stdin "$KSSP_USER"
for pkg in Kerberos Negotiate; do
	# Port 0: the server takes a free port and prints it.
	"$ex/sspi_server" 0 "$KSSP_SERVICE_KEYTAB" "$pkg" >"$KSSP_TEST_SCRATCH/srv.log" 2>&1 &
	spid=$!
	for _ in $(seq 50); do grep -q listening "$KSSP_TEST_SCRATCH/srv.log" && break; sleep 0.1; done
	port=$(sed -n 's/^listening on 127.0.0.1 port \([0-9][0-9]*\)$/\1/p' "$KSSP_TEST_SCRATCH/srv.log")
	[ -n "$port" ] && [ "$port" != 0 ] || { echo "no port printed: $(cat "$KSSP_TEST_SCRATCH/srv.log")"; exit 1; }
	"$ex/sspi_client" "$port" "HTTP/$KSSP_SERVICE_HOST" "$pkg" | tee "$KSSP_TEST_SCRATCH/cli.log"
	wait "$spid" || { cat "$KSSP_TEST_SCRATCH/srv.log"; exit 1; }
	cat "$KSSP_TEST_SCRATCH/srv.log"
	grep -q "client: $KSSP_USER" "$KSSP_TEST_SCRATCH/srv.log"
	grep -q 'client said: "hello, server"' "$KSSP_TEST_SCRATCH/srv.log"
	grep -q 'server answered: "hello, client"' "$KSSP_TEST_SCRATCH/cli.log"
done
# An arcfour-hmac session (the client asks the TGS for enctype 23 only):
# its pad byte rides in SECBUFFER_PADDING.
printf '[libdefaults]\n default_tgs_enctypes = arcfour-hmac\n' >"$KSSP_TEST_SCRATCH/rc4.conf"
port=$("$KSSP_BUILD/test/freeport")
"$ex/sspi_server" "$port" "$KSSP_SERVICE_KEYTAB" Kerberos >"$KSSP_TEST_SCRATCH/srv.log" 2>&1 &
spid=$!
for _ in $(seq 50); do grep -q listening "$KSSP_TEST_SCRATCH/srv.log" && break; sleep 0.1; done
KRB5_CONFIG="$KSSP_TEST_SCRATCH/rc4.conf:$KRB5_CONFIG" \
	"$ex/sspi_client" "$port" "svc23/$KSSP_SERVICE_HOST" Kerberos | tee "$KSSP_TEST_SCRATCH/cli.log"
wait "$spid" || { cat "$KSSP_TEST_SCRATCH/srv.log"; exit 1; }
grep -q 'client said: "hello, server"' "$KSSP_TEST_SCRATCH/srv.log"
grep -q 'server answered: "hello, client"' "$KSSP_TEST_SCRATCH/cli.log"
"$KSSP" klist -e -c "$KRB5CCNAME" | grep -A1 "svc23/" | grep -q "arcfour-hmac"
"$ex/negotiate_header" "https://$KSSP_SERVICE_HOST:8443/app?x=1" | tee "$KSSP_TEST_SCRATCH/hdr"
grep -q '^Authorization: Negotiate ' "$KSSP_TEST_SCRATCH/hdr"
"$KSSP" decode --keytab "$KSSP_SERVICE_KEYTAB" "$KSSP_TEST_SCRATCH/hdr" >"$KSSP_TEST_SCRATCH/dec"
grep -q 'negTokenInit\|NegTokenInit' "$KSSP_TEST_SCRATCH/dec"
