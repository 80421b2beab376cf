#!/bin/sh
# test/tools/capture.sh OUTDIR - records real Kerberos and GSS messages from a
# throwaway loopback MIT KDC and MIT's gss-sample programs, through relay.py.
# Everything lives in a temp dir; every process started here is stopped by PID.
# Writes OUTDIR/kdc/NNN-{c2s,s2c}.der and OUTDIR/gss*/NNN-{c2s,s2c}.der.
set -eu
out=${1:?usage: capture.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kdc_port=$(freeport); relay_port=$(freeport); gss_port=$(freeport)
gss_relay=$(freeport); spnego_relay=$(freeport)
realm=KSSP.TEST

cat > "$work/krb5.conf" <<CONF
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	dns_canonicalize_hostname = false
	udp_preference_limit = 1
	forwardable = true
	allow_rc4 = true
[realms]
	$realm = {
		kdc = 127.0.0.1:$relay_port
	}
[domain_realm]
	localhost = $realm
CONF
cat > "$work/kdc.conf" <<CONF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$kdc_port
	kdc_tcp_listen = 127.0.0.1:$kdc_port
[realms]
	$realm = {
		database_name = $work/principal
		key_stash_file = $work/stash
		acl_file = $work/kadm5.acl
		default_principal_flags = +preauth
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
	}
[logging]
	kdc = FILE:$work/kdc.log
CONF
: > "$work/kadm5.acl"
export KRB5_CONFIG="$work/krb5.conf" KRB5_KDC_PROFILE="$work/kdc.conf"
export KRB5CCNAME="FILE:$work/ccache" KRB5_KTNAME="FILE:$work/keytab"

kdb5_util create -s -r $realm -P master-pw >/dev/null
kadmin.local -q "addprinc -pw user-pw user" >/dev/null
kadmin.local -q "addprinc -randkey host/localhost" >/dev/null
kadmin.local -q "ktadd -k $work/keytab host/localhost" >/dev/null

mkdir -p "$out/kdc" "$out/gss" "$out/spnego"
krb5kdc -n -r $realm & pids="$pids $!"
python3 "$here/relay.py" kdc "$relay_port" "$kdc_port" "$out/kdc" & pids="$pids $!"
sleep 1
echo user-pw | kinit -f user >/dev/null
kvno host/localhost >/dev/null
# A standalone KRB-CRED holding that service ticket (MIT's krb5_mk_1cred).
cc -o "$work/mkcred" "$here/mkcred.c" $(pkg-config --cflags --libs krb5)
"$work/mkcred" host/localhost@$realm "$out/krb-cred.der"

gss-server -port "$gss_port" host > "$work/gss-server.log" 2>&1 & pids="$pids $!"
python3 "$here/relay.py" gss "$gss_relay" "$gss_port" "$out/gss" & pids="$pids $!"
python3 "$here/relay.py" gss "$spnego_relay" "$gss_port" "$out/spnego" & pids="$pids $!"
sleep 1
gss-client -port "$gss_relay" -d localhost host@localhost "kssp capture" >/dev/null
gss-client -port "$spnego_relay" -spnego localhost host@localhost "kssp capture" >/dev/null
sleep 1
# The service key, so that the captured AP-REQs and tickets can be decrypted in tests.
cp "$work/keytab" "$out/host-localhost.keytab"
