#!/usr/bin/env bash
# t_creds_klist.sh - a cache written by MIT's kinit and kvno (tickets of
# every enctype, session keys of several) is listed by `kssp klist -f -e`
# with the same principals, times, flags and enctypes as MIT's klist -f -e,
# compared field by field and then line by line.
set -euo pipefail
. "$KSSP_SRC/test/interop/creds-common.sh"
creds_need kinit kvno klist kadmin.local

s=$KSSP_TEST_SCRATCH
cc=$s/cc
# Services of this test, each with one key of one enctype.
for n in $KSSP_ENCTYPES; do
	kadmin.local -q "addprinc -randkey -e $(creds_enctype_name "$n"):normal tklist$n/$KSSP_SERVICE_HOST" \
		>>"$s/kadmin.log" 2>&1
done
echo "$KSSP_PASSWORD" | kinit -f -r 2d -c "FILE:$cc" "$KSSP_USER" >/dev/null
for n in $KSSP_ENCTYPES; do
	kvno -c "FILE:$cc" "tklist$n/$KSSP_SERVICE_HOST" >/dev/null
done
# Session keys of other enctypes.
kvno -c "FILE:$cc" -e arcfour-hmac "HTTP/$KSSP_SERVICE_HOST" >/dev/null
kvno -c "FILE:$cc" -e aes128-cts-hmac-sha256-128 "host/$KSSP_SERVICE_HOST" >/dev/null

klist -f -e "FILE:$cc" >"$s/mit.txt"
"$KSSP" klist -f -e -c "FILE:$cc" >"$s/kssp.txt"
creds_klist_records "$s/mit.txt" >"$s/mit.rec"
creds_klist_records "$s/kssp.txt" >"$s/kssp.rec"
n=$(wc -l <"$s/mit.rec")
[ "$n" -ge 10 ] || { echo "MIT's klist shows only $n tickets"; cat "$s/mit.txt"; exit 1; }
# The tickets' enctypes must really differ, or the test proves little.
etypes=$(cut -d'|' -f6 "$s/mit.rec" | sort -u | wc -l)
[ "$etypes" -ge 7 ] || { echo "only $etypes distinct enctype pairs"; cat "$s/mit.txt"; exit 1; }
creds_compare_records "$s/mit.rec" "$s/kssp.rec"
diff -u "$s/mit.txt" "$s/kssp.txt"

# Without -e and -f, and with -s.
klist "FILE:$cc" >"$s/mit-plain.txt"
"$KSSP" klist "FILE:$cc" >"$s/kssp-plain.txt"
diff -u "$s/mit-plain.txt" "$s/kssp-plain.txt"
"$KSSP" klist -s -c "FILE:$cc"
if "$KSSP" klist -s -c "FILE:$s/none"; then echo "klist -s succeeded on a missing cache"; exit 1; fi
echo "kssp klist matches MIT's klist for $n tickets"
