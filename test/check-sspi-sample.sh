#!/bin/sh
# test/check-sspi-sample.sh BUILD - a Windows-style SSPI program
# (test/sspi/winsample.c, Windows code with only its include line changed)
# compiles against <kssp/sspi.h> with gcc and clang, as C11 and C++17, with
# and without UNICODE, warning-free, links against libkssp.so and runs:
# package enumeration and information carry Windows' values, credentials
# are acquired, and InitializeSecurityContext gives a Windows status.
set -eu
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=test/sspi/winsample.c
flags="-Wall -Wextra -Werror -Iinclude"
status=0
variants=0

# A sanitizer build of the library (make asan / tsan) takes programs built
# by the same compiler with the same runtime: KSSP_TEST_CFLAGS and CC.
compilers="gcc clang"
[ -n "${KSSP_TEST_CFLAGS:-}" ] && compilers=${CC:-cc}
for cc in $compilers; do
	command -v $cc >/dev/null 2>&1 || continue
	for unicode in "" "-DUNICODE"; do
		out="$tmp/winsample-$(basename $cc)${unicode:+-unicode}"
		# shellcheck disable=SC2086
		$cc -std=c11 $flags ${KSSP_TEST_CFLAGS:-} $unicode -o "$out" $src -L"$build" -lkssp
		variants=$((variants + 1))
		[ -n "${KSSP_TEST_CFLAGS:-}" ] && continue
		cxx=$cc++
		[ $cc = gcc ] && cxx=g++
		if command -v $cxx >/dev/null 2>&1; then
			$cxx -std=c++17 $flags $unicode -x c++ -o "$out-cxx" $src -L"$build" -lkssp
			variants=$((variants + 1))
		fi
	done
done

# Run every build with an empty, private Kerberos environment.
cat >"$tmp/krb5.conf" <<CONF
[libdefaults]
	default_realm = SAMPLE.INVALID
	dns_lookup_kdc = false
	dns_lookup_realm = false
CONF
for prog in "$tmp"/winsample-*; do
	out=$(KRB5_CONFIG="$tmp/krb5.conf" KRB5CCNAME="FILE:$tmp/none" \
		LD_LIBRARY_PATH="$build" "$prog" Negotiate HTTP/web.sample.invalid) || {
		echo "check-sspi-sample: $(basename "$prog") failed"; status=1; continue; }
	for want in \
		"EnumerateSecurityPackages: 0x00000000" \
		"package 0: caps 0x00083bb3 rpcid 9 max 48256" \
		"package 1: caps 0x000f3bbf rpcid 16 max 48000" \
		"QuerySecurityPackageInfo: 0x00000000" \
		"cbMaxToken 48256" \
		"AcquireCredentialsHandle: 0x00000000" \
		"FreeCredentialsHandle: 0x00000000"; do
		printf '%s\n' "$out" | grep -qxF "$want" || {
			echo "check-sspi-sample: $(basename "$prog"): missing \"$want\""; status=1; }
	done
	# Without a ticket cache or KDC the exchange must fail with a Windows
	# status, never succeed and never crash.
	isc=$(printf '%s\n' "$out" | sed -n 's/^InitializeSecurityContext: //p')
	case $isc in
	0x8009*) ;;
	*) echo "check-sspi-sample: $(basename "$prog"): InitializeSecurityContext gave '$isc'"; status=1 ;;
	esac
done
[ $status -eq 0 ] && echo "check-sspi-sample: $variants builds (compilers: $compilers; C/C++, ANSI/UNICODE) compile warning-free and run: PASS"
exit $status
