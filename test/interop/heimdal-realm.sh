#!/usr/bin/env bash
# test/interop/heimdal-realm.sh - a throwaway Heimdal realm HEIMDAL.TEST on
# loopback, with constrained delegation configured: the second KDC
# implementation of the interop tests (the first is realm.sh's MIT KDC).
#
#   heimdal-realm.sh start DIR   create the realm in DIR, start Heimdal's kdc,
#                                write DIR/env.sh
#   heimdal-realm.sh stop DIR    stop that kdc by its PID
#
# Heimdal's programs come from build-aux/heimdal.sh (unpacked, not installed,
# since their packages conflict with MIT's); KSSP_HEIMDAL_BIN names their
# folder (default build/heimdal/bin).
#
# The realm:
#   alice, bob                      users with passwords
#   http/front.heimdal.test         the front service: password and keytab,
#                                   ok-as-delegate and trusted-for-delegation
#                                   (S4U2Self gives it forwardable tickets),
#                                   allowed to delegate to the back service
#                                   only (kadmin --constrained-delegation)
#   http/back.heimdal.test          the back service, keytab
#   host/front.heimdal.test, host/back.heimdal.test   host keys, in the keytabs
#   user<N>@HEIMDAL.TEST            a user whose only key is enctype N, for
#                                   N in 17 18 23 (what Heimdal 7.8 offers)
#   krbtgt/HEIMDAL.TEST             aes256 and aes128 keys
#
# What this KDC (Heimdal 7.8, Debian 12, no PAC-issuing windc plugin) accepts
# as S4U2Proxy evidence: a ticket whose KRB5SignedPath authorization data
# verifies for the requesting service, which in practice is a ticket the
# front service got itself by S4U2Self. A user's own service ticket to the
# front service is refused with KDC_ERR_BADOPTION (kdc.log: "KRB5SignedPath
# not signed correctly", "Ticket not signed with PAC nor SignedPath"), so
# constrained delegation here is S4U2Self then S4U2Proxy (protocol
# transition), as MIT's `kvno -U USER -P SPN` does.
#
# Everything listens on 127.0.0.1 only; DNS lookups are off; one krb5.conf of
# its own (the kdc and kadmin read it through KRB5_CONFIG and --config-file),
# so /etc/krb5.conf is never read.
#
# DIR/env.sh exports only HEIMDAL_* / KSSP_HEIMDAL_* names, so it can be
# sourced beside realm.sh's env.sh without changing the MIT realm's:
#   KSSP_HEIMDAL_KRB5_CONFIG         this realm's krb5.conf (a test sets
#                                    KRB5_CONFIG to it)
#   HEIMDAL_REALM HEIMDAL_KDC_PORT HEIMDAL_KDC_PID HEIMDAL_REALM_DIR
#   HEIMDAL_USER HEIMDAL_PASSWORD    alice@HEIMDAL.TEST and her password
#   HEIMDAL_USER2 HEIMDAL_PASSWORD2  bob@HEIMDAL.TEST and his password
#   HEIMDAL_ENCTYPES HEIMDAL_PASSWORD_<N>   "17 18 23", user<N>'s password
#   HEIMDAL_FRONT_SPN HEIMDAL_FRONT_PASSWORD HEIMDAL_FRONT_KEYTAB
#   HEIMDAL_BACK_SPN HEIMDAL_BACK_KEYTAB
#   HEIMDAL_SERVICE_KEYTAB           every service key above in one keytab
#   HEIMDAL_BIN                      Heimdal's kinit, klist, kgetcred, kadmin...
#   HEIMDAL_KADMIN                   "kadmin -l" with this realm's files
set -euo pipefail

REALM=HEIMDAL.TEST
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "heimdal-realm.sh: $*" >&2; exit 1; }
# shellcheck source=realm-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/realm-common.sh"

FRONT=http/front.heimdal.test
BACK=http/back.heimdal.test
ENCTYPES="17 18 23"

enctype_name() {
	case $1 in
	17) echo aes128-cts-hmac-sha1-96 ;;
	18) echo aes256-cts-hmac-sha1-96 ;;
	23) echo arcfour-hmac-md5 ;;
	*) die "no enctype $1" ;;
	esac
}

write_config() {
	local dir=$1 port=$2
	cat >"$dir/krb5.conf" <<CONF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	default_ccache_name = FILE:$dir/ccache
	default_cc_name = FILE:$dir/ccache
	default_keytab_name = FILE:$dir/default.keytab
	forwardable = true
	ticket_lifetime = 10h
	renew_lifetime = 7d
	allow_rc4 = true
	permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac

[realms]
	$REALM = {
		kdc = 127.0.0.1:$port
	}

[domain_realm]
	.heimdal.test = $REALM
	heimdal.test = $REALM

[kdc]
	database = {
		dbname = $dir/heimdal
		realm = $REALM
		mkey_file = $dir/m-key
		acl_file = $dir/kadmind.acl
		log_file = $dir/iprop.log
	}
	addresses = 127.0.0.1
	ports = $port
	require-preauth = true
	enable-http = false

[kadmin]
	default_keys = aes256-cts-hmac-sha1-96:pw-salt aes128-cts-hmac-sha1-96:pw-salt arcfour-hmac-md5:pw-salt

[logging]
	kdc = FILE:$dir/kdc.log
	kadmin = FILE:$dir/kadmin.log
	default = FILE:$dir/heimdal.log
CONF
	: >"$dir/kadmind.acl"
}

# One `kadmin -l` run per command: Heimdal's kadmin reads no command list
# from stdin reliably, and each call is quick.
kadm() {
	"$BIN/kadmin" --local --config-file="$DIR/krb5.conf" --realm="$REALM" \
		--key-file="$DIR/m-key" "$@" >>"$DIR/kadmin.out" 2>&1 ||
		die "kadmin -l $* failed (see $DIR/kadmin.out)"
}

create_principals() {
	local p n e
	"$BIN/kstash" --random-key --key-file="$DIR/m-key" >"$DIR/kstash.out" 2>&1 ||
		die "kstash failed (see $DIR/kstash.out)"
	kadm init --realm-max-ticket-life=1d --realm-max-renewable-life=1w "$REALM"
	kadm add --use-defaults --password=alice-pw-1 alice
	kadm add --use-defaults --password=bob-pw-2 bob
	kadm add --use-defaults --password="$FRONT_PASSWORD" "$FRONT"
	kadm add --use-defaults --random-key "$BACK"
	for p in host/front.heimdal.test host/back.heimdal.test; do
		kadm add --use-defaults --random-key "$p"
	done
	# The front service may ask S4U2Self for forwardable tickets (protocol
	# transition) and is marked ok-as-delegate; it may use them in S4U2Proxy
	# for the back service and nothing else.
	kadm modify --attributes=+trusted-for-delegation,+ok-as-delegate "$FRONT"
	kadm modify --constrained-delegation="$BACK@$REALM" "$FRONT"
	# One user per enctype Heimdal 7.8 has (17, 18, 23), holding that key
	# only; every other principal keeps its aes keys only.
	for n in $ENCTYPES; do
		kadm add --use-defaults --password="user$n-pw" "user$n"
		for e in $ENCTYPES; do
			[ "$e" = "$n" ] || kadm del_enctype "user$n" "$(enctype_name "$e")"
		done
	done
	for p in "krbtgt/$REALM" alice bob "$FRONT" "$BACK" host/front.heimdal.test host/back.heimdal.test; do
		kadm del_enctype "$p" arcfour-hmac-md5
	done
	# Keytabs last: ext_keytab copies the keys as they are now.
	kadm ext_keytab --keytab="$DIR/front.keytab" "$FRONT" host/front.heimdal.test
	kadm ext_keytab --keytab="$DIR/back.keytab" "$BACK" host/back.heimdal.test
	kadm ext_keytab --keytab="$DIR/service.keytab" "$FRONT" "$BACK" \
		host/front.heimdal.test host/back.heimdal.test
	kadm get "$FRONT"
	kadm get "krbtgt/$REALM@$REALM"
	kadm get user23
}

# Waits (at most 10 s) for the kdc to listen: its log names the port it bound.
wait_for_kdc() {
	local pid=$1 _
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || { echo "heimdal-realm.sh: kdc exited; see $DIR/kdc.log $DIR/kdc.out" >&2; return 1; }
		grep -q "listening on IPv4:127.0.0.1 port $PORT/udp" "$DIR/kdc.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "heimdal-realm.sh: Heimdal's kdc did not start within 10 s (see $DIR/kdc.log)" >&2
	return 1
}

start() {
	local pid freeport
	DIR=$1
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	BIN=${KSSP_HEIMDAL_BIN:-$here/../../build/heimdal/bin}
	[ -x "$BIN/kdc" ] || die "no Heimdal kdc in $BIN (run build-aux/heimdal.sh first)"
	BIN=$(cd "$BIN" && pwd)
	freeport=${KSSP_FREEPORT:-$here/../../build/test/freeport}
	[ -x "$freeport" ] || die "no $freeport (run make first)"
	PORT=$("$freeport")
	FRONT_PASSWORD="front-pw-$RANDOM$RANDOM"
	export KRB5_CONFIG="$DIR/krb5.conf"
	unset KRB5_KDC_PROFILE KRB5CCNAME KRB5_KTNAME
	write_config "$DIR" "$PORT"
	create_principals
	# --testing: one process serving every request (no forked workers), so
	# the PID kept is the whole KDC.
	"$BIN/kdc" --testing --config-file="$DIR/krb5.conf" --ports="$PORT" --addresses=127.0.0.1 \
		>"$DIR/kdc.out" 2>&1 &
	pid=$!
	echo "$pid" >"$DIR/kdc.pid"
	wait_for_kdc "$pid" || { stop "$DIR"; exit 1; }
	{
		echo "export KSSP_HEIMDAL_KRB5_CONFIG='$DIR/krb5.conf'"
		echo "export HEIMDAL_REALM='$REALM'"
		echo "export HEIMDAL_REALM_DIR='$DIR'"
		echo "export HEIMDAL_KDC_PORT='$PORT'"
		echo "export HEIMDAL_KDC_PID='$pid'"
		user_exports HEIMDAL "$REALM" "$ENCTYPES"
		echo "export HEIMDAL_FRONT_SPN='$FRONT@$REALM'"
		echo "export HEIMDAL_FRONT_PASSWORD='$FRONT_PASSWORD'"
		echo "export HEIMDAL_FRONT_KEYTAB='$DIR/front.keytab'"
		echo "export HEIMDAL_BACK_SPN='$BACK@$REALM'"
		echo "export HEIMDAL_BACK_KEYTAB='$DIR/back.keytab'"
		echo "export HEIMDAL_SERVICE_KEYTAB='$DIR/service.keytab'"
		echo "export HEIMDAL_BIN='$BIN'"
		echo "export HEIMDAL_KADMIN='$BIN/kadmin --local --config-file=$DIR/krb5.conf --realm=$REALM --key-file=$DIR/m-key'"
	} >"$DIR/env.sh"
	cat "$DIR/env.sh"
}

stop() { stop_kdc "$1"; }

case ${1:-} in
start) [ $# -eq 2 ] || die "usage: heimdal-realm.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: heimdal-realm.sh stop DIR"; stop "$2" ;;
*) die "usage: heimdal-realm.sh start|stop DIR" ;;
esac
