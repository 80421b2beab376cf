#!/usr/bin/env bash
# Threads and leaks, against the loopback realm:
#   threads: 8 threads x 200 full ISC / ASC / Encrypt / Decrypt /
#            Make / VerifySignature loops on their own contexts sharing one
#            pair of credential handles, built with ThreadSanitizer: no report;
#   leaks:   10,000 full loops built with AddressSanitizer + LeakSanitizer +
#            UBSan: no report; and without sanitizers the resident set after
#            10,000 loops is within 256 KiB of what it was after 1,000 (the
#            replay cache fills to its fixed bound of 4096 entries on the way).
# The library's sources are compiled into each test program with clang.
set -euo pipefail
cd "$KSSP_SRC"
d=$KSSP_TEST_SCRATCH
command -v clang >/dev/null 2>&1 || { echo "clang not installed"; exit 77; }
export KRB5CCNAME="FILE:$d/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null
srcs=$(ls base/*.c asn1/*.c crypto/*.c creds/*.c kdc/*.c context/*.c sspi/*.c)
flags="-std=c11 -O1 -g -fno-omit-frame-pointer -D_DEFAULT_SOURCE -I. -Iinclude"
target="HTTP/$KSSP_SERVICE_HOST"
req=0x1001e

clang $flags -fsanitize=thread -o "$d/loop-tsan" test/sspi/sspiloop.c $srcs -lnettle -lpthread
for pkg in Kerberos Negotiate; do
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$d/loop-tsan" "$pkg" "$target" \
		"$KSSP_SERVICE_KEYTAB" $req 1 200 8 >"$d/tsan.$pkg" 2>&1 || { cat "$d/tsan.$pkg"; exit 1; }
	! grep -q "ThreadSanitizer" "$d/tsan.$pkg"
	tail -n 1 "$d/tsan.$pkg"
done

clang $flags -fsanitize=address,undefined -fno-sanitize-recover=all -o "$d/loop-asan" \
	test/sspi/sspiloop.c $srcs -lnettle -lpthread
for pkg in Kerberos Negotiate; do
	ASAN_OPTIONS="detect_leaks=1" "$d/loop-asan" "$pkg" "$target" "$KSSP_SERVICE_KEYTAB" \
		$req 1 10000 >"$d/asan.$pkg" 2>&1 || { tail -n 40 "$d/asan.$pkg"; exit 1; }
	! grep -q "Sanitizer\|runtime error" "$d/asan.$pkg"
	tail -n 1 "$d/asan.$pkg"
done

# The resident-set check needs a library without a sanitizer's quarantine.
undef=$(nm -D --undefined-only "$KSSP_BUILD/libkssp.so")
if [[ $undef == *__[at]san_* ]]; then
	echo "resident set: not measured on a sanitizer build"
	exit 0
fi
cc -std=c11 -O2 -Iinclude -o "$d/loop" test/sspi/sspiloop.c -L"$KSSP_BUILD" -lkssp -lpthread
LD_LIBRARY_PATH="$KSSP_BUILD" "$d/loop" Negotiate "$target" "$KSSP_SERVICE_KEYTAB" $req 1 10000 \
	>"$d/rss"
read -r warm end < <(sed -n 's/^rss KiB after [0-9]* loops: \([0-9]*\), after [0-9]*: \([0-9]*\)$/\1 \2/p' "$d/rss")
echo "resident set: $warm KiB after 1,000 loops, $end KiB after 10,000"
[ "$warm" -gt 0 ] && [ $((end - warm)) -le 256 ]
