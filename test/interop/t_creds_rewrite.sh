#!/usr/bin/env bash
# t_creds_rewrite.sh - a cache that kssp rewrites (a credential added, one
# replaced, one removed) is still read by MIT's klist and used by MIT's
# kvno, and MIT's configuration entries survive the rewrite.
set -euo pipefail
. "$KSSP_SRC/test/interop/creds-common.sh"
creds_need kinit kvno klist kadmin.local
edit=$KSSP_BUILD/test/ccache-edit
[ -x "$edit" ] || { echo "no $edit (make interop builds it)"; exit 1; }

s=$KSSP_TEST_SCRATCH
a=$s/a.cc b=$s/b.cc
for n in 17 18 19 20; do
	kadmin.local -q "addprinc -randkey -e $(creds_enctype_name "$n"):normal trw$n/$KSSP_SERVICE_HOST" \
		>>"$s/kadmin.log" 2>&1
done
svc() { echo "trw$1/$KSSP_SERVICE_HOST@$KSSP_REALM"; }
# A user that needs preauthentication, so kinit also stores the pa_type entry.
user=trwuser@$KSSP_REALM
kadmin.local -q "addprinc -pw trw-pw-1 +requires_preauth $user" >>"$s/kadmin.log" 2>&1

# Cache A: TGT, trw17, trw18.  Cache B: its own TGT, trw18 (a newer ticket), trw19.
echo trw-pw-1 | kinit -f -c "FILE:$a" "$user" >/dev/null
kvno -c "FILE:$a" "$(svc 17)" "$(svc 18)" >/dev/null
sleep 1
echo trw-pw-1 | kinit -c "FILE:$b" "$user" >/dev/null
kvno -c "FILE:$b" "$(svc 18)" "$(svc 19)" >/dev/null
klist -C "FILE:$a" | grep '^config: ' >"$s/config.before"
grep -q 'config: pa_type' "$s/config.before" && grep -q 'config: fast_avail' "$s/config.before" ||
	{ echo "MIT's kinit did not store pa_type and fast_avail"; cat "$s/config.before"; exit 1; }

"$edit" add "$a" "$b" "$(svc 19)"
"$edit" replace "$a" "$b" "$(svc 18)"
"$edit" remove "$a" "$(svc 17)"
[ "$(stat -c %a "$a")" = 600 ] || { echo "rewritten cache is mode $(stat -c %a "$a")"; exit 1; }

# MIT's klist reads the rewritten cache: the right tickets, config entries intact.
klist -f -e -C "FILE:$a" >"$s/mit.txt"
grep '^config: ' "$s/mit.txt" >"$s/config.after"
diff -u "$s/config.before" "$s/config.after"
grep -q "$(svc 19)" "$s/mit.txt" || { echo "added ticket missing"; cat "$s/mit.txt"; exit 1; }
if grep -q "$(svc 17)" "$s/mit.txt"; then echo "removed ticket still listed"; exit 1; fi
[ "$(grep -c "$(svc 18)" "$s/mit.txt")" = 1 ] || { echo "replaced ticket listed twice"; exit 1; }
# The replaced trw18 ticket is B's: the same times as in B.
klist "FILE:$b" | grep " $(svc 18)\$" >"$s/b18"
klist "FILE:$a" | grep " $(svc 18)\$" >"$s/a18"
diff -u "$s/b18" "$s/a18"

# MIT's kvno uses the tickets kssp wrote (served from the cache, no TGS exchange)...
KRB5_TRACE=$s/trace kvno -c "FILE:$a" "$(svc 19)" "$(svc 18)" >/dev/null
grep -q "Retrieving $user -> $(svc 19) from FILE:$a with result: 0/Success" "$s/trace" ||
	{ echo "kvno did not take trw19 from the rewritten cache"; cat "$s/trace"; exit 1; }
grep -q "Retrieving $user -> $(svc 18) from FILE:$a with result: 0/Success" "$s/trace" ||
	{ echo "kvno did not take trw18 from the rewritten cache"; cat "$s/trace"; exit 1; }
# ... and the TGT in it: a new ticket through a TGS exchange, stored by MIT into our file.
kvno -c "FILE:$a" "$(svc 20)" >/dev/null
klist -f -e "FILE:$a" >"$s/mit2.txt"
grep -q "$(svc 20)" "$s/mit2.txt" || { echo "MIT could not add to the rewritten cache"; exit 1; }
"$KSSP" klist -f -e "FILE:$a" >"$s/kssp2.txt"
diff -u "$s/mit2.txt" "$s/kssp2.txt"
klist -C "FILE:$a" | grep '^config: ' >"$s/config.end"
diff -u "$s/config.before" "$s/config.end"
# kssp shows the configuration entries as MIT does, and one kssp sets is read by MIT.
"$edit" config "$a" refresh_time "1700000000 x"
klist -C -f -e "FILE:$a" >"$s/mit3.txt"
grep -q '^config: refresh_time = 1700000000\\040x$' "$s/mit3.txt" ||
	{ echo "MIT does not show kssp's configuration entry"; cat "$s/mit3.txt"; exit 1; }
"$KSSP" klist -C -f -e "FILE:$a" >"$s/kssp3.txt"
diff -u "$s/mit3.txt" "$s/kssp3.txt"
echo "MIT read and used the cache kssp rewrote"
