#!/bin/sh
# build-aux/ad-peer.sh - Samba's AD DC for the interop tests (t_ad_*.sh):
# Samba 4.22 from Debian's bookworm-backports suite (RBCD, claims and
# authentication policies need it; bookworm's 4.17 has none of them).  It
# installs beside MIT's packages without changing them.
#   ad-peer.sh           as root: add the suite when missing, install Samba;
#                        otherwise print the commands
#   ad-peer.sh --check   exit 0 when the peer can run, else say why
#   ad-peer.sh list      the packages
set -u
pkgs="samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind faketime"
suite=bookworm-backports
sources=/etc/apt/sources.list.d/kssp-backports.sources

check() {
	if ! command -v samba-tool >/dev/null 2>&1 || [ ! -x /usr/sbin/samba ]; then
		echo "ad-peer.sh: Samba's AD DC is not installed (make ad-peer)"
		return 1
	fi
	[ -d /usr/share/samba/setup ] ||
		{ echo "ad-peer.sh: samba-ad-provision is not installed (make ad-peer)"; return 1; }
	v=$(/usr/sbin/samba --version 2>/dev/null | sed -n 's/^Version \([0-9]*\.[0-9]*\).*/\1/p')
	major=${v%%.*} minor=${v#*.}
	if [ "${major:-0}" -lt 4 ] || { [ "${major:-0}" -eq 4 ] && [ "${minor:-0}" -lt 22 ]; }; then
		echo "ad-peer.sh: Samba ${v:-?} is too old: 4.22 from $suite is needed (make ad-peer)"
		return 1
	fi
	/usr/bin/python3 -c 'import samba.samdb' 2>/dev/null ||
		{ echo "ad-peer.sh: Samba's Python modules are missing"; return 1; }
	# faketime(1): the expired-password account is made under a past clock.
	command -v faketime >/dev/null 2>&1 ||
		{ echo "ad-peer.sh: faketime is not installed (make ad-peer)"; return 1; }
}

case ${1:-} in
--check) check; exit $? ;;
list) echo "$pkgs"; exit 0 ;;
esac
check >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ad-peer.sh: not a Debian system; install Samba 4.22's AD DC ($pkgs)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "ad-peer.sh: Samba's AD DC is missing; as root:" >&2
	echo "  echo 'deb http://deb.debian.org/debian $suite main' > /etc/apt/sources.list.d/backports.list" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends -t $suite $pkgs" >&2
	exit 1
fi
if ! apt-cache policy 2>/dev/null | grep -q " $suite/main"; then
	echo "ad-peer.sh: adding Debian's $suite suite ($sources)"
	cat >"$sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "ad-peer.sh: installing $pkgs from $suite"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq ||
	! echo "$pkgs" | xargs apt-get install -y -qq --no-install-recommends -t "$suite" >/dev/null; then
	echo "ad-peer.sh: apt-get install failed" >&2
	exit 1
fi
check
