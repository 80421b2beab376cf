#!/bin/sh
# build-aux/deps.sh GROUP - make sure the Debian packages GROUP needs are
# installed: as root with apt-get, otherwise print the exact command.
# build-aux/deps.sh list GROUP - print GROUP's packages (for .ci/run).
# build-aux/deps.sh source SRC:BIN DIR - unpack Debian's source package SRC
#   of the installed version of its binary package BIN (e.g.
#   nettle:nettle-dev) into DIR with `apt-get source` (see fetch_source).
#   build   compiler, pkg-config, Nettle; GnuTLS (optional: TLS for https:// KDC proxies)
#   check   build + Check, libtasn1, the MIT peers for the interop tests, and
#           musl-gcc and strace for t_static_musl
#   lint    build + the static analysers of `make lint`
#   bench   build + MIT's libraries and KDC, which `make bench` compares against
#   musl    build + musl-gcc, dpkg-source and m4, for `make static-musl`
#   all     check + what the fuzzers, vector generators, analysers and benchmarks use
set -u
list_only=false
if [ "${1:-}" = list ]; then list_only=true; shift; fi
group=${1:-build}

build_pkgs="gcc make pkg-config nettle-dev file"
test_pkgs="check libsubunit-dev libtasn1-6-dev python3"
# Optional for `make check`: without them the interop tests print SKIPPED
# (and fail under KSSP_REQUIRE_INTEROP=1).
peer_pkgs="krb5-kdc krb5-admin-server krb5-user krb5-gss-samples"
# Optional: TLS for https:// KDC proxies (without it `make` builds no TLS and
# says so), and the KDC proxy t_kkdcp talks to, with openssl for its certificates
# and MIT's TLS module (its kinit through the proxy is the reference).
tls_pkgs="libgnutls28-dev"
kkdcp_pkgs="python3-kdcproxy openssl krb5-k5tls"
# The HTTP Negotiate servers t_http talks to: Apache with mod_auth_gssapi and
# mod_ssl, and (for channel bindings, which mod_auth_gssapi 1.6 does not check)
# a small server on MIT's GSSAPI through python3-gssapi.
http_pkgs="apache2 libapache2-mod-auth-gssapi python3-gssapi python3-cryptography"
extra_pkgs="clang libclang-rt-14-dev libkrb5-dev"
# Heimdal's KDC runs from an unpacked heimdal-kdc package (build-aux/heimdal.sh):
# its libraries do not conflict with MIT's and are installed normally.
heimdal_pkgs="libasn1-8-heimdal libgssapi3-heimdal libhcrypto5-heimdal libhdb9-heimdal libheimbase1-heimdal libheimntlm0-heimdal libhx509-5-heimdal libkadm5clnt7-heimdal libkadm5srv8-heimdal libkafs0-heimdal libkdc2-heimdal libkrb5-26-heimdal libotp0-heimdal libroken19-heimdal libsl0-heimdal libcap-ng0 libedit2"
lint_pkgs="cppcheck clang-tidy"
# `make static-musl`: musl-gcc, dpkg-source to unpack Nettle's source
# package and m4 for its assembly (build-aux/musl-nettle.sh builds it).
musl_pkgs="musl-tools dpkg-dev m4"

# A source package, of the same version as the installed binary package it
# built, unpacked into DIR by `apt-get source` -- nothing is downloaded from
# anywhere but the machine's Debian archives.  apt only finds sources in
# archives listed with the type deb-src; Debian 12 images list their
# archives in /etc/apt/sources.list.d/debian.sources with `Types: deb` only.
# Then, as root, this writes /etc/apt/sources.list.d/kssp-deb-src.sources,
# a copy of debian.sources with the type deb-src (and kssp-deb-src.list, the
# `deb` lines of /etc/apt/sources.list as `deb-src`): the same archives and
# suites.  It then runs apt-get update and changes nothing else; deleting
# those files undoes it.
fetch_source() {	# src:bin dir
	src=${1%%:*} bin=${1#*:} dir=$2
	version=$(dpkg-query -W -f='${source:Version}' "$bin" 2>/dev/null)
	[ -n "$version" ] || { echo "deps.sh: $bin is not installed" >&2; return 1; }
	if ! apt-get source --print-uris -qq "$src=$version" >/dev/null 2>&1; then
		add_deb_src || return 1
	fi
	mkdir -p "$dir" || return 1
	echo "deps.sh: apt-get source $src=$version (Debian's source package) into $dir"
	# As root apt drops to its _apt user, which may not write DIR.
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	(cd "$dir" && apt-get source -qq $sandbox "$src=$version" >/dev/null) || {
		echo "deps.sh: apt-get source $src=$version failed" >&2
		return 1
	}
}

add_deb_src() {
	d=/etc/apt/sources.list.d
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: apt knows no deb-src archive for Debian's source packages; as root," >&2
		echo "deps.sh: add deb-src entries for the suites of your deb entries (the same URIs)," >&2
		echo "deps.sh: e.g. a copy of $d/debian.sources with 'Types: deb-src'," >&2
		echo "deps.sh: then run apt-get update" >&2
		return 1
	fi
	if [ -f $d/debian.sources ]; then
		echo "deps.sh: writing $d/kssp-deb-src.sources: $d/debian.sources with 'Types: deb-src'"
		sed 's/^Types:.*/Types: deb-src/' $d/debian.sources >$d/kssp-deb-src.sources || return 1
	fi
	if grep -q '^deb[[:space:]]' /etc/apt/sources.list 2>/dev/null; then
		echo "deps.sh: writing $d/kssp-deb-src.list: the deb lines of /etc/apt/sources.list as deb-src"
		sed -n 's/^deb\([[:space:]]\)/deb-src\1/p' /etc/apt/sources.list >$d/kssp-deb-src.list || return 1
	fi
	echo "deps.sh: apt-get update"
	apt-get update -qq || { echo "deps.sh: apt-get update failed" >&2; return 1; }
}

if [ "${1:-}" = source ]; then
	[ $# -eq 3 ] || { echo "usage: deps.sh source SRC:BIN DIR" >&2; exit 2; }
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps.sh: not a Debian system: no apt-get source" >&2
		exit 1
	fi
	fetch_source "$2" "$3"
	exit
fi

case $group in
build) required=$build_pkgs; optional=$tls_pkgs ;;
check) required="$build_pkgs $test_pkgs"; optional="$tls_pkgs $peer_pkgs $kkdcp_pkgs $http_pkgs $heimdal_pkgs $musl_pkgs strace" ;;
demo)  required=$build_pkgs; optional=$peer_pkgs ;;
all)   required="$build_pkgs $test_pkgs"; optional="$tls_pkgs $peer_pkgs $kkdcp_pkgs $http_pkgs $extra_pkgs $heimdal_pkgs $lint_pkgs $musl_pkgs strace" ;;
heimdal) required=; optional=$heimdal_pkgs ;;
lint)  required="$build_pkgs $lint_pkgs"; optional= ;;
bench) required="$build_pkgs binutils libkrb5-dev $peer_pkgs"; optional= ;;
musl)  required="$build_pkgs $musl_pkgs"; optional= ;;
*) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
esac

if $list_only; then
	echo $required $optional
	exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system; make sure these are installed: $required $optional" >&2
	exit 0
fi

missing_of() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
	done
}
missing_required=$(missing_of $required)
missing_optional=$(missing_of $optional)
missing="$missing_required$missing_optional"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps.sh: installing $missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "deps.sh: apt-get install $missing failed" >&2
		exit 1
	}
	exit 0
fi

echo "deps.sh: missing Debian packages: $missing" >&2
echo "deps.sh: install them with: sudo apt-get install -y $missing" >&2
if [ -n "$missing_required" ]; then
	exit 1
fi
echo "deps.sh: continuing; the tests that need them will say SKIPPED" >&2
exit 0
