#!/bin/sh
# build-aux/musl-nettle.sh DIR - Nettle for musl: DIR/lib/libnettle.a and
# DIR/include/nettle/*.h, compiled with musl-gcc, for `make static-musl`.
#
# The source is Debian's own nettle source package, of the version of the
# installed nettle-dev (so the musl and the glibc builds run the same
# Nettle), unpacked into DIR/src by `build-aux/deps.sh source` with apt-get
# (which first adds deb-src entries for the machine's Debian archives when
# there are none; deps.sh says so).  Only libnettle is built: kssp uses its
# ciphers, hashes, HMAC, CMAC and PBKDF2 and nothing of libhogweed (public
# keys) or GMP.  The result is kept: a second run with the same version
# prints that and does nothing.
# Exit status: 0 ready; 1 not possible here (the reason is printed).
set -u

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: musl-nettle.sh DIR}
say() { echo "musl-nettle.sh: $*" >&2; }

for tool in musl-gcc m4 dpkg-source; do
	command -v "$tool" >/dev/null 2>&1 || {
		say "no $tool (Debian packages: $(sh "$here/deps.sh" list musl); make static-musl installs them as root)"
		exit 1
	}
done
version=$(dpkg-query -W -f='${source:Version}' nettle-dev 2>/dev/null)
[ -n "$version" ] || { say "nettle-dev is not installed"; exit 1; }
if ! mkdir -p "$dir" || ! dir=$(cd "$dir" && pwd); then
	say "cannot use folder $dir"
	exit 1
fi

if [ -f "$dir/lib/libnettle.a" ] && [ "$(cat "$dir/.version" 2>/dev/null)" = "$version" ]; then
	echo "musl-nettle.sh: Nettle $version for musl already built in $dir"
	exit 0
fi
rm -rf "${dir:?}/src" "${dir:?}/lib" "${dir:?}/include" "${dir:?}/.version"
sh "$here/deps.sh" source nettle:nettle-dev "$dir/src" || exit 1
set -- "$dir"/src/nettle-*/configure
[ -f "$1" ] || { say "no unpacked nettle source in $dir/src"; exit 1; }
src=$(dirname "$1")

echo "musl-nettle.sh: building libnettle.a $version with musl-gcc in $src"
# Debian's patch touches aclocal.m4 and the configure made from it alike;
# its new time stamp would make Nettle's Makefile rerun autoheader.
touch -r "$src/configure.ac" "$src/aclocal.m4"
# Nettle's configure adds -ggdb3 and its warnings to CFLAGS; a library only
# linked into stripped static programs needs neither (11 MB of debug
# information).  One section per function, as kssp's own objects have.
cflags="-O2 -ffunction-sections -fdata-sections"
# The parent make's flags and variables (CC=..., -j) are not Nettle's.
unset MAKEFLAGS MFLAGS MAKELEVEL
(
	cd "$src" &&
	./configure -q CC=musl-gcc CFLAGS="$cflags" --prefix="$dir" --disable-shared \
		--disable-public-key --disable-documentation --disable-openssl >configure.out 2>&1 &&
	make -j2 CFLAGS="$cflags" libnettle.a >make.out 2>&1 &&
	make install-headers >>make.out 2>&1
) || {
	say "the build failed; the last lines of $src/configure.out and make.out:"
	tail -n 15 "$src/configure.out" "$src/make.out" >&2 2>/dev/null
	exit 1
}
mkdir -p "$dir/lib" && cp "$src/libnettle.a" "$dir/lib/" || exit 1
echo "$version" >"$dir/.version"
echo "musl-nettle.sh: Nettle $version for musl ready in $dir"
