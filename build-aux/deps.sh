#!/bin/sh
# build-aux/deps.sh GROUP - make sure the Debian packages GROUP needs are
# installed: as root with apt-get, otherwise print the exact command.
# build-aux/deps.sh list GROUP - print GROUP's packages (for .ci/run).
#   build   compiler, pkg-config, Nettle
#   check   build + Check, libtasn1, and the MIT peers for the interop tests
#   lint    build + the static analysers of `make lint`
#   bench   build + MIT's libraries and KDC, which `make bench` compares against
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
extra_pkgs="clang libclang-rt-14-dev libkrb5-dev"
# Heimdal's KDC runs from an unpacked heimdal-kdc package (build-aux/heimdal.sh):
# its libraries do not conflict with MIT's and are installed normally.
heimdal_pkgs="libasn1-8-heimdal libgssapi3-heimdal libhcrypto5-heimdal libhdb9-heimdal libheimbase1-heimdal libheimntlm0-heimdal libhx509-5-heimdal libkadm5clnt7-heimdal libkadm5srv8-heimdal libkafs0-heimdal libkdc2-heimdal libkrb5-26-heimdal libotp0-heimdal libroken19-heimdal libsl0-heimdal libcap-ng0 libedit2"
lint_pkgs="cppcheck clang-tidy"

case $group in
build) required=$build_pkgs; optional= ;;
check) required="$build_pkgs $test_pkgs"; optional="$peer_pkgs $heimdal_pkgs" ;;
demo)  required=$build_pkgs; optional=$peer_pkgs ;;
all)   required="$build_pkgs $test_pkgs"; optional="$peer_pkgs $extra_pkgs $heimdal_pkgs $lint_pkgs" ;;
heimdal) required=; optional=$heimdal_pkgs ;;
lint)  required="$build_pkgs $lint_pkgs"; optional= ;;
bench) required="$build_pkgs binutils libkrb5-dev $peer_pkgs"; optional= ;;
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
