#!/bin/sh
# test/tools/capture_gss.sh - regenerates fixtures/context/mit-*.txt.
#
# Starts a throwaway MIT KDC on a free loopback port in a temporary folder,
# makes one service principal per enctype (its only key of that enctype, so
# the session key has that enctype), gets a TGT for a user with kinit, and
# runs capture_gss (MIT's libgssapi_krb5) for each service with and without
# mutual authentication.  The KDC is stopped by its PID.  Nothing outside
# the temporary folder is read or written except the fixture files.
#
# Usage: sh test/tools/capture_gss.sh [OUTDIR]     (default fixtures/context)
set -eu

out=${1:-fixtures/context}
top=$(pwd)
tmp=$(mktemp -d /tmp/kssp-capture.XXXXXX)
kdc_pid=
cleanup() {
	if [ -n "$kdc_pid" ]; then kill "$kdc_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

cc $(pkg-config --cflags krb5-gssapi) -o "$tmp/capture_gss" test/tools/capture_gss.c \
	$(pkg-config --libs krb5-gssapi)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
realm=KSSP.TEST
cat > "$tmp/krb5.conf.in" <<EOF
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	allow_rc4 = true
	allow_weak_crypto = true
	permitted_enctypes = @ENCTYPE@
	default_tkt_enctypes = @ENCTYPE@
	default_tgs_enctypes = @ENCTYPE@
[realms]
	$realm = {
		kdc = 127.0.0.1:$port
	}
EOF
cat > "$tmp/kdc.conf" <<EOF
[kdcdefaults]
	kdc_ports = $port
	kdc_tcp_ports = $port
[realms]
	$realm = {
		database_name = $tmp/principal
		key_stash_file = $tmp/stash
		acl_file = $tmp/kadm5.acl
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal arcfour-hmac:normal
	}
[logging]
	kdc = FILE:$tmp/kdc.log
EOF
: > "$tmp/kadm5.acl"
sed "s/@ENCTYPE@/aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 arcfour-hmac/" \
	"$tmp/krb5.conf.in" > "$tmp/krb5.conf"
export KRB5_CONFIG="$tmp/krb5.conf" KRB5_KDC_PROFILE="$tmp/kdc.conf"
export KRB5CCNAME="FILE:$tmp/ccache" KRB5_KTNAME="FILE:$tmp/service.keytab"
export KRB5RCACHENAME="none:"

kdb5_util create -s -r $realm -P masterpw >/dev/null
kadmin.local -q "addprinc -pw alicepw alice" >/dev/null
for e in aes128-cts-hmac-sha1-96:17 aes256-cts-hmac-sha1-96:18 \
	aes128-cts-hmac-sha256-128:19 aes256-cts-hmac-sha384-192:20 arcfour-hmac:23; do
	name=${e%%:*}; num=${e##*:}
	kadmin.local -q "addprinc -randkey -e $name:normal svc/e$num.kssp.test" >/dev/null
	kadmin.local -q "ktadd -k $tmp/service.keytab -e $name:normal svc/e$num.kssp.test" >/dev/null
done
krb5kdc -n -P "$tmp/kdc.pid" &
kdc_pid=$!
sleep 1

# One enctype at a time: the TGT, the service ticket's session key and
# both subkeys then all have it (MIT otherwise picks the strongest
# permitted enctype for the subkeys).
mkdir -p "$out"
for e in aes128-cts-hmac-sha1-96:17 aes256-cts-hmac-sha1-96:18 \
	aes128-cts-hmac-sha256-128:19 aes256-cts-hmac-sha384-192:20 arcfour-hmac:23; do
	name=${e%%:*}; num=${e##*:}
	sed "s/@ENCTYPE@/$name/" "$tmp/krb5.conf.in" > "$tmp/krb5-$num.conf"
	export KRB5_CONFIG="$tmp/krb5-$num.conf" KRB5CCNAME="FILE:$tmp/ccache-$num"
	echo alicepw | kinit -f alice >/dev/null
	for mode in mutual nomutual deleg; do
		f="$out/mit-e$num-$mode.txt"
		{
			echo "# MIT krb5 $(krb5-config --version 2>/dev/null || echo) GSS tokens,"
			echo "# captured by test/tools/capture_gss.sh (svc/e$num.kssp.test, $mode)"
			"$tmp/capture_gss" "svc/e$num.kssp.test@$realm" $mode
		} > "$f.tmp"
		mv "$f.tmp" "$f"
	done
done
cp "$tmp/service.keytab" "$out/mit-service.keytab.tmp"
mv "$out/mit-service.keytab.tmp" "$out/mit-service.keytab"
echo "capture_gss: fixtures written to $out"
