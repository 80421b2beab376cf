#!/bin/sh
# test/cli/readme-example.sh - the README's C example (the block after
# "<!-- readme-example: isc-loop -->") compiles warning-free against
# <kssp/sspi.h> and <kssp/kssp.h>, and stays within 40 lines.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/<!-- readme-example: isc-loop -->/ { on = 1; next }
	on && /^```c/ { grab = 1; next }
	grab && /^```/ { exit }
	grab { print }' README.md >"$tmp/example.c"
lines=$(wc -l <"$tmp/example.c")
[ "$lines" -gt 10 ] || { echo "readme-example: no example found in README.md"; exit 1; }
[ "$lines" -le 40 ] || { echo "readme-example: $lines lines, more than 40"; exit 1; }
${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude -c "$tmp/example.c" -o "$tmp/example.o"
echo "readme-example: the ISC loop ($lines lines) compiles"
