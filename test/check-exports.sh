#!/bin/sh
# test/check-exports.sh LIB HEADER_DIR - the shared library exports exactly
# the functions and data its public headers declare with KSSP_API: every
# exported name is declared, and every declared name is exported.
set -eu
lib=$1 hdrs=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '{print $NF}' |
	grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u >"$tmp/exported"
# "KSSP_API <type...> name(" possibly over several lines: join, then pick
# the identifier before the first parenthesis of each KSSP_API declaration.
grep -hv "^[[:space:]]*#" "$hdrs"/*.h | tr '\n' ' ' | grep -o 'KSSP_API [^;(]*(' |
	sed -e 's/($//' -e 's/.*[ *]//' | sort -u >"$tmp/declared"

status=0
extra=$(comm -23 "$tmp/exported" "$tmp/declared")
absent=$(comm -13 "$tmp/exported" "$tmp/declared")
if [ -n "$extra" ]; then
	echo "check-exports: exported but not declared public:"; echo "$extra" | sed 's/^/    /'
	status=1
fi
if [ -n "$absent" ]; then
	echo "check-exports: declared public but not exported:"; echo "$absent" | sed 's/^/    /'
	status=1
fi
[ $status -eq 0 ] && echo "check-exports: $(wc -l <"$tmp/exported") public symbols, all declared: PASS"
exit $status
