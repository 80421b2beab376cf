#!/bin/sh
# test/check-install.sh MAKE BUILD - `make install` into a temporary DESTDIR
# installs the library, headers, kssp.pc and the CLI, and a small program
# compiles with `pkg-config --cflags --libs kssp` against that copy and runs.
set -eu
make=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$make --no-print-directory -s install DESTDIR="$tmp/root" PREFIX=/usr BUILD="$build" >/dev/null
for f in usr/lib/libkssp.a usr/lib/libkssp.so usr/lib/libkssp.so.0 usr/include/kssp/kssp.h \
	usr/lib/pkgconfig/kssp.pc usr/bin/kssp usr/share/man/man1/kssp.1; do
	[ -e "$tmp/root/$f" ] || { echo "check-install: $f not installed: FAIL"; exit 1; }
done

cat >"$tmp/hello.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <kssp/kssp.h>
int main(void)
{
	printf("kssp %s\n", kssp_version());
	return strcmp(kssp_version(), KSSP_VERSION_STRING) != 0;
}
C
flags=$(PKG_CONFIG_SYSROOT_DIR="$tmp/root" PKG_CONFIG_PATH="$tmp/root/usr/lib/pkgconfig" \
	pkg-config --cflags --libs kssp)
${CC:-cc} ${KSSP_TEST_CFLAGS:-} -o "$tmp/hello" "$tmp/hello.c" $flags
LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/hello" >/dev/null
# The program must have used the installed shared library, not another copy.
LD_LIBRARY_PATH="$tmp/root/usr/lib" ldd "$tmp/hello" | grep -q "$tmp/root/usr/lib/libkssp.so.0"
echo "check-install: installed tree and pkg-config build: PASS"
# The man page renders without warnings (when man is installed).
if command -v man >/dev/null 2>&1; then
	warn=$(MANWIDTH=80 man --warnings "$tmp/root/usr/share/man/man1/kssp.1" 2>&1 >/dev/null)
	[ -z "$warn" ] || { echo "check-install: kssp.1: $warn: FAIL"; exit 1; }
	echo "check-install: kssp.1 renders: PASS"
fi
