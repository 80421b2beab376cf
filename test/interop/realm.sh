#!/usr/bin/env bash
# test/interop/realm.sh - a throwaway MIT realm KSSP.TEST on loopback.
#
#   realm.sh start DIR   create the realm in DIR, start krb5kdc and kadmind
#                        (its kpasswd service too), write DIR/env.sh
#   realm.sh stop DIR    stop that krb5kdc and kadmind by their PIDs
#
# DIR/env.sh exports what the tests use:
#   KRB5_CONFIG KRB5_KDC_PROFILE  this realm's own krb5.conf and kdc.conf
#   KSSP_REALM KSSP_KDC_PORT KSSP_KDC_PID KSSP_REALM_DIR
#   KSSP_USER KSSP_PASSWORD             alice@KSSP.TEST and her password
#   KSSP_UNICODE_USER KSSP_UNICODE_PASSWORD  a user with a non-ASCII password
#   KSSP_ENCTYPES                       "17 18 19 20 23 25 26"
#   user<N>@KSSP.TEST / KSSP_PASSWORD_<N>  a user whose only key is enctype N
#   svc<N>/server.kssp.test             a service whose only key is enctype N
#   KSSP_SERVICE_KEYTAB                 keys of host/ and HTTP/server.kssp.test
#                                       and of every svc<N>/server.kssp.test
#   KSSP_KPASSWD_PORT KSSP_KADMIND_PID  kadmind's kpasswd port (RFC 3244)
#   pwchange@KSSP.TEST, pwchange-pw-1   a user for password changes, under
#                                       policy "short" (minimum length 8)
# Only 127.0.0.1 is used; DNS lookups are off; /etc/krb5.conf is never read.
set -euo pipefail

REALM=KSSP.TEST
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$PATH:/usr/sbin:/sbin"

die() { echo "realm.sh: $*" >&2; exit 1; }
# shellcheck source=realm-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/realm-common.sh"

enctype_name() {
	case $1 in
	17) echo aes128-cts-hmac-sha1-96 ;;
	18) echo aes256-cts-hmac-sha1-96 ;;
	19) echo aes128-cts-hmac-sha256-128 ;;
	20) echo aes256-cts-hmac-sha384-192 ;;
	23) echo arcfour-hmac ;;
	25) echo camellia128-cts-cmac ;;
	26) echo camellia256-cts-cmac ;;
	*) die "no enctype $1" ;;
	esac
}

ENCTYPES="17 18 19 20 23 25 26"

write_configs() {
	local dir=$1 port=$2 kpport=$3 admport=$4 all_keysalts="" n
	for n in $ENCTYPES; do all_keysalts+="$(enctype_name "$n"):normal "; done
	cat >"$dir/kdc.conf" <<CONF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$port
	kdc_tcp_listen = 127.0.0.1:$port

[realms]
	$REALM = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		kadmind_listen = 127.0.0.1:$admport
		kpasswd_listen = 127.0.0.1:$kpport
		max_life = 10h
		max_renewable_life = 7d
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes = $all_keysalts
	}

[logging]
	kdc = FILE:$dir/kdc.log
	admin_server = FILE:$dir/kadmind.log
CONF
	cat >"$dir/krb5.conf" <<CONF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	allow_rc4 = true
	permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 camellia256-cts-cmac camellia128-cts-cmac arcfour-hmac
	default_ccache_name = FILE:$dir/ccache
	default_keytab_name = FILE:$dir/default.keytab
	forwardable = true
	ticket_lifetime = 10h
	renew_lifetime = 7d

[realms]
	$REALM = {
		kdc = 127.0.0.1:$port
		admin_server = 127.0.0.1:$admport
		kpasswd_server = 127.0.0.1:$kpport
	}

[domain_realm]
	.kssp.test = $REALM
	kssp.test = $REALM
CONF
	: >"$dir/kadm5.acl"
}

# Principals: one kadmin.local run reading every command from stdin.
create_principals() {
	local dir=$1 n svcs="host/server.kssp.test HTTP/server.kssp.test"
	{
		echo "addprinc -pw alice-pw-1 alice"
		echo "addprinc -pw bob-pw-2 bob"
		echo "addpol -minlength 8 short"
		echo "addprinc -policy short -pw pwchange-pw-1 pwchange"
		echo "addprinc -pw $UNICODE_PASSWORD unicode"
		for n in $ENCTYPES; do
			echo "addprinc -e $(enctype_name "$n"):normal -pw user$n-pw user$n"
			echo "addprinc -e $(enctype_name "$n"):normal -randkey svc$n/server.kssp.test"
			svcs+=" svc$n/server.kssp.test"
		done
		echo "addprinc -randkey host/server.kssp.test"
		echo "addprinc -randkey HTTP/server.kssp.test"
		# -norandkey exports the keys as created: svc<N> keeps its one enctype.
		for s in $svcs; do echo "ktadd -norandkey -k $dir/service.keytab $s"; done
	} | kadmin.local -r "$REALM" >"$dir/kadmin.log" 2>&1 || die "kadmin.local failed (see $dir/kadmin.log)"
}

# Waits (at most 10 s) for the KDC to answer on its port.
wait_for_kdc() {
	local dir=$1 pid=$2 i
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || die "krb5kdc exited; see $dir/kdc.log $dir/kdc.out"
		grep -q 'commencing operation' "$dir/kdc.log" 2>/dev/null && return 0
		sleep 0.1
	done
	die "krb5kdc did not start within 10 s"
}

# Waits (at most 10 s) for kadmind to say it is serving.
wait_for_kadmind() {
	local dir=$1 pid=$2 _
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || die "kadmind exited; see $dir/kadmind.log $dir/kadmind.out"
		grep -q 'starting' "$dir/kadmind.log" 2>/dev/null && return 0
		sleep 0.1
	done
	die "kadmind did not start within 10 s"
}

start() {
	local dir=$1 port pid freeport kpport admport kpid
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	freeport=${KSSP_FREEPORT:-$here/../../build/test/freeport}
	[ -x "$freeport" ] || die "no $freeport (run make first)"
	port=$("$freeport")
	kpport=$("$freeport")
	admport=$("$freeport")
	UNICODE_PASSWORD='pässwörd-ключ-€'
	export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
	write_configs "$dir" "$port" "$kpport" "$admport"
	kdb5_util create -s -r "$REALM" -P "master-$$-$RANDOM" >"$dir/kdb5_util.log" 2>&1 ||
		die "kdb5_util create failed (see $dir/kdb5_util.log)"
	create_principals "$dir"
	krb5kdc -n -r "$REALM" >"$dir/kdc.out" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/kdc.pid"
	wait_for_kdc "$dir" "$pid"
	kadmind -nofork -r "$REALM" -P "$dir/kadmind.pidfile" >"$dir/kadmind.out" 2>&1 &
	kpid=$!
	echo "$kpid" >"$dir/kadmind.pid"
	wait_for_kadmind "$dir" "$kpid"
	{
		echo "export KRB5_CONFIG='$dir/krb5.conf'"
		echo "export KRB5_KDC_PROFILE='$dir/kdc.conf'"
		echo "export KRB5CCNAME='FILE:$dir/ccache'"
		echo "export KRB5_KTNAME='FILE:$dir/default.keytab'"
		echo "export KSSP_REALM='$REALM'"
		echo "export KSSP_REALM_DIR='$dir'"
		echo "export KSSP_KDC_PORT='$port'"
		echo "export KSSP_KDC_PID='$pid'"
		echo "export KSSP_KPASSWD_PORT='$kpport'"
		echo "export KSSP_KADMIND_PID='$kpid'"
		user_exports KSSP "$REALM" "$ENCTYPES"
		echo "export KSSP_UNICODE_USER='unicode@$REALM'"
		echo "export KSSP_UNICODE_PASSWORD='$UNICODE_PASSWORD'"
		echo "export KSSP_SERVICE_KEYTAB='$dir/service.keytab'"
		echo "export KSSP_SERVICE_HOST='server.kssp.test'"
	} >"$dir/env.sh"
	cat "$dir/env.sh"
}

stop() { stop_kdc "$1" kadmind; stop_kdc "$1"; }

case ${1:-} in
start) [ $# -eq 2 ] || die "usage: realm.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: realm.sh stop DIR"; stop "$2" ;;
*) die "usage: realm.sh start|stop DIR" ;;
esac
