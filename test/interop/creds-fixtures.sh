#!/bin/bash
# test/interop/creds-fixtures.sh OUTDIR - makes the keytab and cache
# fixtures of fixtures/creds/ with MIT's own tools against a throwaway
# loopback KDC in a temporary folder (stopped by PID on exit).
#   mit-all.keytab  kadmin.local ktadd of svc/host.example.test, every enctype
#   mit-v4.ccache   kinit + kvno: a TGT and two service tickets
#   mit-v3.ccache   kinit into a version-3 cache
#   *.klist         what MIT's klist -f -e / klist -k -t -e -K printed for them
#   mit-password.keytab  ktutil addent -password: büro/x@KSSP.TEST, kvno 3,
#                   password "pässwörd-ключ-€", every enctype
set -eu
out=$(cd "${1:?usage: creds-fixtures.sh OUTDIR}" && pwd)
dir=$(mktemp -d /tmp/kssp-fx.XXXXXX)
kdcpid=
cleanup() { [ -n "$kdcpid" ] && kill "$kdcpid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
realm=KSSP.TEST
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
enctypes="aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal camellia256-cts-cmac:normal camellia128-cts-cmac:normal arcfour-hmac:normal"
cat > "$dir/krb5.conf" <<CONF
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	allow_rc4 = true
	allow_weak_crypto = true
	rdns = false
[realms]
	$realm = {
		kdc = 127.0.0.1:$port
		admin_server = 127.0.0.1:1
	}
CONF
cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$port
	kdc_tcp_listen = 127.0.0.1:$port
[realms]
	$realm = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		supported_enctypes = $enctypes
		max_renewable_life = 7d
	}
[logging]
	kdc = FILE:$dir/kdc.log
CONF
export KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf KRB5CCNAME=FILE:$dir/cc
# klist prints local times in the locale: the .klist files are C locale, UTC.
export LC_ALL=C TZ=UTC
kdb5_util create -s -P masterpw -r $realm >/dev/null
kadmin.local -q "addprinc -pw userpw +requires_preauth user" >/dev/null
kadmin.local -q "addprinc -randkey svc/host.example.test" >/dev/null
kadmin.local -q "addprinc -randkey -e aes128-cts-hmac-sha256-128:normal HTTP/web.example.test" >/dev/null
kadmin.local -q "ktadd -k $dir/all.keytab -e ${enctypes// /,} svc/host.example.test" >/dev/null
krb5kdc -n -P "$dir/kdc.pid" & kdcpid=$!
sleep 1
echo userpw | kinit -f -r 2d user >/dev/null
kvno svc/host.example.test HTTP/web.example.test >/dev/null
# The same TGT in a version-3 cache (libdefaults ccache_type = 3).
sed 's/^\[libdefaults\]$/[libdefaults]\n\tccache_type = 3/' "$dir/krb5.conf" > "$dir/krb5-v3.conf"
echo userpw | KRB5_CONFIG=$dir/krb5-v3.conf KRB5CCNAME=FILE:$dir/cc3 kinit user >/dev/null
cp "$dir/cc3" "$out/mit-v3.ccache"
# Keys MIT's ktutil makes from a non-ASCII password, every enctype.
{
	for e in ${enctypes//:normal/}; do
		printf 'addent -password -p b\303\274ro/x@KSSP.TEST -k 3 -e %s\n%b\n' "$e" 'p\303\244ssw\303\266rd-\320\272\320\273\321\216\321\207-\342\202\254'
	done
	printf 'wkt %s\nquit\n' "$dir/password.keytab"
} | ktutil >/dev/null
cp "$dir/password.keytab" "$out/mit-password.keytab"
cp "$dir/all.keytab" "$out/mit-all.keytab"
cp "$dir/cc" "$out/mit-v4.ccache"
klist -k -t -e -K "$dir/all.keytab" > "$out/mit-all.keytab.klist" || true
klist -f -e "$dir/cc" > "$out/mit-v4.ccache.klist" || true
