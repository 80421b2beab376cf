#!/usr/bin/env bash
# test/interop/heimdal.sh - a throwaway Heimdal realm HEIM.TEST on loopback,
# the second KDC implementation of the kdc tests (and the one that does
# S4U2Proxy: MIT's db2 cannot store constrained-delegation rules).
#
#   heimdal.sh fetch DIR      apt-get download heimdal-kdc heimdal-clients and
#                             dpkg-deb -x them into DIR (Heimdal's Debian package
#                             conflicts with MIT's, so it is never installed; its
#                             libraries, which do not conflict, come from apt:
#                             build-aux/deps.sh heimdal)
#   heimdal.sh start DIR RDIR create the realm in RDIR with DIR's binaries, start
#                             the KDC on a free 127.0.0.1 port, write RDIR/env.sh
#   heimdal.sh stop RDIR      stop that KDC by its PID
#
# RDIR/env.sh exports KRB5_CONFIG, HEIM_REALM, HEIM_KDC_PORT, HEIM_USER /
# HEIM_PASSWORD (alice), HEIM_FRONT / HEIM_FRONT_PASSWORD (front/server.heim.test,
# trusted-for-delegation, may delegate to HEIM_BACK), HEIM_BACK
# (HTTP/server.heim.test) and HEIM_KEYTAB (keys of front and back).
set -euo pipefail
REALM=HEIM.TEST
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "heimdal.sh: $*" >&2; exit 1; }

fetch() {
	local dir=$1 tmp
	[ -x "$dir/usr/lib/heimdal-servers/kdc" ] && [ -x "$dir/usr/bin/kadmin.heimdal" ] && return 0
	mkdir -p "$dir"
	tmp=$(mktemp -d /tmp/kssp-heimdal-deb.XXXXXX)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download heimdal-kdc heimdal-clients) >/dev/null ||
		{ rm -rf "$tmp"; die "apt-get download heimdal-kdc heimdal-clients failed"; }
	for f in "$tmp"/*.deb; do dpkg-deb -x "$f" "$dir"; done
	rm -rf "$tmp"
	echo "heimdal.sh: Heimdal's kdc and kadmin are in $dir"
}

start() {
	local bin=$1 dir=$2 port pid i adm freeport
	[ -x "$bin/usr/lib/heimdal-servers/kdc" ] || die "no Heimdal in $bin (heimdal.sh fetch $bin)"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	freeport=${KSSP_FREEPORT:-$here/../../build/test/freeport}
	port=$("$freeport")
	cat >"$dir/krb5.conf" <<CONF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	forwardable = true

[realms]
	$REALM = {
		kdc = 127.0.0.1:$port
	}

[domain_realm]
	.heim.test = $REALM

[kdc]
	database = {
		dbname = $dir/heimdal
		realm = $REALM
		log_file = $dir/iprop.log
	}
	logging = FILE:$dir/kdc.log
CONF
	export KRB5_CONFIG=$dir/krb5.conf
	adm="$bin/usr/bin/kadmin.heimdal -l"
	{
		$adm init --realm-max-ticket-life=1d --realm-max-renewable-life=1w "$REALM"
		$adm add --password=alice-heim-1 --use-defaults alice
		$adm add --password=front-heim-2 --use-defaults "front/server.heim.test"
		$adm add --random-key --use-defaults "HTTP/server.heim.test"
		# Constrained delegation: front may act for users towards HTTP/.
		$adm modify --attributes=+trusted-for-delegation "front/server.heim.test"
		$adm modify --constrained-delegation="HTTP/server.heim.test@$REALM" "front/server.heim.test"
		$adm ext_keytab -k "$dir/service.keytab" "front/server.heim.test" "HTTP/server.heim.test"
	} >"$dir/kadmin.log" 2>&1 || die "kadmin -l failed (see $dir/kadmin.log)"
	"$bin/usr/lib/heimdal-servers/kdc" -c "$dir/krb5.conf" --ports="$port" \
		--addresses=127.0.0.1 >"$dir/kdc.out" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/kdc.pid"
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || die "Heimdal's kdc exited (see $dir/kdc.out)"
		grep -q 'KDC worker process started' "$dir/kdc.log" 2>/dev/null && break
		sleep 0.1
	done
	grep -q 'KDC worker process started' "$dir/kdc.log" || die "Heimdal's kdc did not start"
	{
		echo "export KRB5_CONFIG='$dir/krb5.conf'"
		echo "export HEIM_REALM='$REALM'"
		echo "export HEIM_KDC_PORT='$port'"
		echo "export HEIM_USER='alice@$REALM'"
		echo "export HEIM_PASSWORD='alice-heim-1'"
		echo "export HEIM_FRONT='front/server.heim.test@$REALM'"
		echo "export HEIM_FRONT_PASSWORD='front-heim-2'"
		echo "export HEIM_BACK='HTTP/server.heim.test@$REALM'"
		echo "export HEIM_KEYTAB='$dir/service.keytab'"
	} >"$dir/env.sh"
}

stop() {
	local dir=$1 pid
	[ -f "$dir/kdc.pid" ] || return 0
	pid=$(cat "$dir/kdc.pid")
	# Heimdal's kdc forks workers: the master takes them down on SIGTERM.
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/kdc.pid"
}

case ${1:-} in
fetch) [ $# -eq 2 ] || die "usage: heimdal.sh fetch DIR"; fetch "$2" ;;
start) [ $# -eq 3 ] || die "usage: heimdal.sh start DIR RDIR"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: heimdal.sh stop RDIR"; stop "$2" ;;
*) die "usage: heimdal.sh fetch DIR | start DIR RDIR | stop RDIR" ;;
esac
