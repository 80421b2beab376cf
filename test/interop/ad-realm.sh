#!/usr/bin/env bash
# test/interop/ad-realm.sh - a throwaway Active Directory domain on loopback:
# Samba's AD DC (Debian's Samba 4.22, bookworm-backports) provisioned in a
# temporary folder at functional level 2016, running its KDC service only
# (the KDC and kpasswd, `server services = kdc`) as one process on two free
# ports of 127.0.0.1.  The third KDC of the interop tests, beside realm.sh's
# MIT and heimdal-realm.sh's Heimdal.
#
#   ad-realm.sh start DIR   provision the domain in DIR, create the accounts
#                           (ad-accounts.py), start samba, write DIR/env.sh
#   ad-realm.sh env DIR     print DIR/env.sh
#   ad-realm.sh stop DIR    stop samba by its PID (its pid file)
#
# The domain: DNS name ad.example.test, realm AD.EXAMPLE.TEST, NetBIOS name
# KSSPAD.  Accounts (passwords random per domain, in env.sh):
#   alice, bob               users (AES and RC4 keys); alice is in 3 groups
#                            and has a client claim (Department: Engineering)
#   carol                    UPN carol.upn@upn.example.test (enterprise name)
#   jürgen                   a user whose name and password are not ASCII
#   rc4user                  msDS-SupportedEncryptionTypes RC4 only
#   mustchange               password must change at next logon
#   expired                  password older than the maximum password age
#   disabled                 a disabled account
#   lockme                   for lockout tests (threshold 3 bad passwords)
#   many                     a member of 400 groups (a large PAC)
#   websvc  HTTP/web.ad.example.test, HTTP/web       AES tickets
#   rc4svc  HTTP/rc4.ad.example.test, HTTP/rc4       RC4 tickets
#   frontsvc HTTP/front...   trusted to authenticate for delegation
#                            (S4U2Self gives forwardable tickets), may
#                            delegate to HTTP/back (constrained delegation)
#   kcdsvc  HTTP/kcd...      may delegate to HTTP/back, Kerberos only (no
#                            protocol transition: S4U2Self tickets are not
#                            forwardable)
#   backsvc HTTP/back...     the back service
#   rbcdsvc HTTP/rbcd...     resource-based: frontsvc and kcdsvc may act for
#                            users to it (msDS-AllowedToActOnBehalfOfOtherIdentity)
#   unconsvc HTTP/uncon...   trusted for (unconstrained) delegation
#   ws1$    host/ws1.ad.example.test, HOST/WS1        a computer
#   fastuser  assigned the authentication policy kssp-fast, which allows
#           a logon only from a device: an AS-REQ armored (FAST, RFC 6113)
#           with a computer's TGT; the KDC refuses an unarmored one
#           (KDC_ERR_POLICY); a keytab of its own
#   siluser a member of the enforced silo kssp-silo, whose user policy
#           allows a logon only from a device of the silo (armor again)
#   fasthost$ host/fasthost.ad.example.test   a computer in kssp-silo: its
#           keytab gives the armor TGT for both
# Each service and the computer has a keytab of its own (samba-tool domain
# exportkeytab), and DIR/services.keytab holds them all.
#
# Nothing here reaches past loopback: DNS is off in the krb5.conf tests use
# (DIR/krb5.conf), Samba reads no system krb5.conf (`include system krb5
# conf = no`), and the DNS forwarder that provisioning copies from the host
# is removed.  Provisioning takes about 5 s, the accounts a few more: the
# test runner starts one domain for all t_ad_*.sh tests of a run.
set -euo pipefail

REALM=AD.EXAMPLE.TEST
DNSDOMAIN=ad.example.test
NETBIOS=KSSPAD
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "ad-realm.sh: $*" >&2; exit 1; }
# shellcheck source=realm-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/realm-common.sh"

# Samba's programs are in /usr/sbin, which a non-login shell may lack.
export PATH="$PATH:/usr/sbin:/sbin"

need_samba() {
	if ! command -v samba >/dev/null || ! command -v samba-tool >/dev/null; then
		die "Samba's AD DC is not installed (make ad-peer)"
	fi
	[ -d /usr/share/samba/setup ] || die "samba-ad-provision is not installed (provisioning needs it)"
	/usr/bin/python3 -c 'import samba.samdb' 2>/dev/null || die "Samba's Python modules are missing"
	command -v faketime >/dev/null || die "faketime is not installed (make ad-peer)"
}

# A password AD's complexity rules accept (three character classes).
random_password() { printf 'Kssp-%s-%s!' "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" "$1"; }

write_krb5_conf() {	# dir port kpasswd_port
	cat >"$1/krb5.conf" <<CONF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	default_ccache_name = FILE:$1/ccache
	default_keytab_name = FILE:$1/default.keytab
	forwardable = true
	ticket_lifetime = 10h
	renew_lifetime = 7d
	allow_rc4 = true
	permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac

[realms]
	$REALM = {
		kdc = 127.0.0.1:$2
		kpasswd_server = 127.0.0.1:$3
	}

[domain_realm]
	.$DNSDOMAIN = $REALM
	$DNSDOMAIN = $REALM
CONF
}

provision() {	# dir port kpasswd_port
	local dir=$1
	samba-tool domain provision --realm="$REALM" --domain="$NETBIOS" --server-role=dc \
		--dns-backend=NONE --host-name=dc1 --host-ip=127.0.0.1 \
		--adminpass="$(random_password admin)" --targetdir="$dir/dc" \
		--function-level=2016 --option="ad dc functional level = 2016" \
		--option="interfaces = 127.0.0.1" --option="bind interfaces only = yes" \
		--option="server services = kdc" --option="include system krb5 conf = no" \
		--option="krb5 port = $2" --option="kpasswd port = $3" \
		--option="pid directory = $dir/dc/run" --option="log file = $dir/dc/samba.log" \
		>"$dir/provision.log" 2>&1 || { tail -n 20 "$dir/provision.log" >&2; die "provisioning failed"; }
	sed -i '/dns forwarder/d' "$dir/dc/etc/smb.conf"
	# Lockout after three bad passwords (for the lockout tests); no minimum
	# password age, so that a password can be changed at once (kpasswd tests).
	samba-tool domain passwordsettings set -s "$dir/dc/etc/smb.conf" --min-pwd-age=0 \
		--account-lockout-threshold=3 --reset-account-lockout-after=1 \
		--account-lockout-duration=1 >>"$dir/provision.log" 2>&1 || die "passwordsettings failed"
}

create_accounts() {	# dir
	local dir=$1 conf=$1/dc/etc/smb.conf a
	: >"$dir/passwords"
	chmod 600 "$dir/passwords"
	for a in alice bob carol rc4user mustchange expired pwchange disabled lockme many \
		websvc rc4svc frontsvc kcdsvc backsvc rbcdsvc unconsvc upnsvc 'ws1$'; do
		echo "$a $(random_password "${a%$}")" >>"$dir/passwords"
	done
	for a in fastuser siluser 'fasthost$'; do echo "$a $(random_password "${a%$}")" >>"$dir/passwords"; done
	echo "jürgen Pässwörd-€-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$dir/passwords"
	/usr/bin/python3 "$here/ad-accounts.py" "$conf" "$dir/passwords" >>"$dir/provision.log" 2>&1 ||
		{ tail -n 20 "$dir/provision.log" >&2; die "creating the accounts failed"; }
	# expired's password set under a clock 60 days back: older than the
	# domain's maximum password age (42 days), so the KDC finds it expired.
	faketime -f -60d /usr/bin/python3 "$here/ad-accounts.py" "$conf" "$dir/passwords" \
		--set-password expired >>"$dir/provision.log" 2>&1 || die "expiring expired's password failed"
	for a in frontsvc kcdsvc; do
		samba-tool delegation add-principal -s "$conf" rbcdsvc "$a" >>"$dir/provision.log" 2>&1 ||
			die "RBCD for rbcdsvc from $a failed"
	done
	# A claim type sourced from the user's department attribute: at level
	# 2016 Samba's KDC then puts CLIENT_CLAIMS_INFO ([MS-PAC] 2.11) in the
	# PAC of a user with a department (alice: Engineering).
	samba-tool domain claim claim-type create -H "$dir/dc/private/sam.ldb" -s "$conf" \
		--attribute=department --class=user --name=Department \
		>>"$dir/provision.log" 2>&1 || die "the Department claim type failed"
	# Each keytab holds the account's keys under its account name and under
	# its first SPN, as AD-joined services keep them.
	for a in websvc:HTTP/web rc4svc:HTTP/rc4 frontsvc:HTTP/front kcdsvc:HTTP/kcd backsvc:HTTP/back \
		rbcdsvc:HTTP/rbcd unconsvc:HTTP/uncon upnsvc:HTTP/upnweb 'ws1$:host/ws1'; do
		for p in "${a%%:*}" "${a#*:}.$DNSDOMAIN"; do
			for kt in "$dir/$(echo "${a%%:*}" | tr -d '$').keytab" "$dir/services.keytab"; do
				samba-tool domain exportkeytab -s "$conf" --principal="$p" "$kt" \
					>>"$dir/provision.log" 2>&1 || die "exportkeytab $p failed"
			done
		done
	done
}

# The keytabs of fasthost$ (its armor TGT) and of fastuser (ad-accounts.py
# makes the policy and the silo that require armor).
export_fast_keytabs() {	# dir
	local m
	for m in 'fasthost$:fasthost' "host/fasthost.$DNSDOMAIN:fasthost" fastuser:fastuser; do
		samba-tool domain exportkeytab -s "$1/dc/etc/smb.conf" --principal="${m%:*}" "$1/${m##*:}.keytab" \
			>>"$1/provision.log" 2>&1 || die "exportkeytab ${m%:*} failed"
	done
}

pw_of() { sed -n "s/^$1 //p" "$DIR/passwords"; }

# Waits (at most 20 s) for the KDC port to answer on TCP; fails when samba
# exited.
wait_for_kdc() {	# pid port
	local _
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || return 1
		(exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
		sleep 0.1
	done
	die "samba's KDC did not listen on 127.0.0.1:$2 within 20 s"
}

write_env() {	# pid port kpasswd_port
	{
		echo "export KSSP_AD_KRB5_CONFIG='$DIR/krb5.conf'"
		echo "export AD_REALM='$REALM' AD_DNS_DOMAIN='$DNSDOMAIN' AD_NETBIOS='$NETBIOS'"
		echo "export AD_REALM_DIR='$DIR' AD_SMB_CONF='$DIR/dc/etc/smb.conf'"
		echo "export AD_KDC_PORT='$2' AD_KPASSWD_PORT='$3' AD_KDC_PID='$1'"
		local a v
		for a in alice bob carol rc4user mustchange expired pwchange disabled lockme many \
			websvc rc4svc frontsvc kcdsvc backsvc rbcdsvc unconsvc ws1; do
			v=$(echo "$a" | tr '[:lower:]' '[:upper:]')
			[ "$a" = ws1 ] && echo "export AD_PASSWORD_WS1='$(pw_of 'ws1\$')'" ||
				echo "export AD_PASSWORD_$v='$(pw_of "$a")'"
		done
		echo "export AD_NONASCII_USER='jürgen' AD_PASSWORD_NONASCII='$(pw_of jürgen)'"
		echo "export AD_UPN='carol.upn@upn.example.test'"
		echo "export AD_UPNSVC_UPN='upnsvc.web@upn.example.test' AD_UPNSVC_KEYTAB='$DIR/upnsvc.keytab'"
		for a in web rc4 front kcd back rbcd uncon; do
			v=$(echo "$a" | tr '[:lower:]' '[:upper:]')
			echo "export AD_${v}_SPN='HTTP/$a.$DNSDOMAIN@$REALM' AD_${v}_KEYTAB='$DIR/${a}svc.keytab'"
		done
		echo "export AD_WS1_SPN='host/ws1.$DNSDOMAIN@$REALM' AD_WS1_KEYTAB='$DIR/ws1.keytab'"
		echo "export AD_SERVICES_KEYTAB='$DIR/services.keytab'"
		echo "export AD_PASSWORD_FASTUSER='$(pw_of fastuser)' AD_PASSWORD_SILUSER='$(pw_of siluser)'"
		echo "export AD_FASTUSER_KEYTAB='$DIR/fastuser.keytab' AD_FASTHOST_KEYTAB='$DIR/fasthost.keytab'"
	} >"$DIR/env.sh"
}

# Puts the KDC and kpasswd ports into smb.conf and krb5.conf.
set_ports() {	# port kpasswd_port
	sed -i -e "s/^\([[:space:]]*krb5 port = \).*/\1$1/" \
		-e "s/^\([[:space:]]*kpasswd port = \).*/\1$2/" "$DIR/dc/etc/smb.conf"
	write_krb5_conf "$DIR" "$1" "$2"
}

# Starts samba on two ports chosen just before (provisioning takes a
# minute, long enough for ports chosen before it to be taken by then);
# another attempt on new ports when one was taken all the same.
launch() {
	local try
	for try in 1 2 3; do
		port=$("$freeport")
		kport=$("$freeport")
		[ "$port" != "$kport" ] || kport=$("$freeport")
		set_ports "$port" "$kport"
		# One process (-M single), in the foreground of its own background job:
		# $! is samba itself.  It rewrites its process title, so the PID kept
		# is the one of its pid file, checked against $!.
		samba --foreground --no-process-group -M single -s "$DIR/dc/etc/smb.conf" \
			--debug-stdout -d1 >"$DIR/samba.out" 2>&1 &
		pid=$!
		echo "$pid" >"$DIR/kdc.pid"
		wait_for_kdc "$pid" "$port" && return 0
		grep -q ADDRESS_ALREADY_ASSOCIATED "$DIR/samba.out" || break
		echo "ad-realm.sh: port $port or $kport was taken; trying others" >&2
	done
	tail -n 20 "$DIR/samba.out" >&2
	die "samba exited (see $DIR/samba.out)"
}

start() {
	local freeport pid port kport
	need_samba
	DIR=$1
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	freeport=${KSSP_FREEPORT:-$here/../../build/test/freeport}
	[ -x "$freeport" ] || die "no $freeport (run make first)"
	export KRB5_CONFIG="$DIR/krb5.conf"
	unset KRB5_KDC_PROFILE KRB5CCNAME KRB5_KTNAME
	write_krb5_conf "$DIR" 88 464
	provision "$DIR" 88 464
	create_accounts "$DIR"
	export_fast_keytabs "$DIR"
	mkdir -p "$DIR/dc/run"
	launch
	if [ -f "$DIR/dc/run/samba.pid" ] && [ "$(tr -d ' \n' <"$DIR/dc/run/samba.pid")" != "$pid" ]; then
		stop "$DIR"
		die "samba's pid file names another process than the one started"
	fi
	write_env "$pid" "$port" "$kport"
	cat "$DIR/env.sh"
}

stop() { stop_kdc "$1"; }

case ${1:-} in
start) [ $# -eq 2 ] || die "usage: ad-realm.sh start DIR"; start "$2" ;;
env) [ $# -eq 2 ] || die "usage: ad-realm.sh env DIR"; cat "$2/env.sh" ;;
stop) [ $# -eq 2 ] || die "usage: ad-realm.sh stop DIR"; stop "$2" ;;
*) die "usage: ad-realm.sh start|env|stop DIR" ;;
esac
