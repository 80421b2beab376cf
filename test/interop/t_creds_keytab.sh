#!/usr/bin/env bash
# t_creds_keytab.sh - keytabs both ways:
#  - one written by MIT's kadmin.local ktadd with every enctype is listed by
#    kssp like MIT's klist -k (-t, -e, -K), line for line;
#  - one written by `kssp keytab add` from a principal's password is accepted
#    by MIT's kinit -k -t, for each enctype, also for a non-ASCII password;
#  - MIT's klist reads what `kssp keytab add/remove` wrote.
set -euo pipefail
. "$KSSP_SRC/test/interop/creds-common.sh"
creds_need kinit klist kadmin.local

s=$KSSP_TEST_SCRATCH
all=""
for n in $KSSP_ENCTYPES; do all+="${all:+,}$(creds_enctype_name "$n"):normal"; done

# MIT's keytab, listed by both.
kadmin.local -q "addprinc -randkey tkt/$KSSP_SERVICE_HOST" >>"$s/kadmin.log" 2>&1
kadmin.local -q "ktadd -k $s/mit.keytab -e $all tkt/$KSSP_SERVICE_HOST" >>"$s/kadmin.log" 2>&1
for opts in "-k" "-k -e" "-k -t -e" "-k -t -e -K"; do
	# shellcheck disable=SC2086
	klist $opts "FILE:$s/mit.keytab" >"$s/mit.txt"
	# shellcheck disable=SC2086
	"$KSSP" klist $opts "FILE:$s/mit.keytab" >"$s/kssp.txt"
	diff -u "$s/mit.txt" "$s/kssp.txt"
done
[ "$(grep -c "tkt/$KSSP_SERVICE_HOST" "$s/kssp.txt")" = "$(echo $KSSP_ENCTYPES | wc -w)" ]
klist -k -t -e "FILE:$s/mit.keytab" >"$s/mit.txt"
"$KSSP" keytab list -k "FILE:$s/mit.keytab" >"$s/kssp.txt"
diff -u "$s/mit.txt" "$s/kssp.txt"

# kssp's keytabs from passwords, one enctype each, used by MIT's kinit -k.
kinit_with() { # keytab principal
	kinit -k -t "$1" -c "FILE:$s/cc" "$2" >"$s/kinit.log" 2>&1 ||
		{ echo "MIT kinit -k rejected kssp's keytab $1 for $2:"; cat "$s/kinit.log"; return 1; }
	klist -s "FILE:$s/cc"
	rm -f "$s/cc"
}
for n in $KSSP_ENCTYPES; do
	var=KSSP_PASSWORD_$n
	printf '%s\n' "${!var}" >"$s/pw$n"
	"$KSSP" keytab add -k "FILE:$s/user$n.keytab" -p "user$n@$KSSP_REALM" -e "$n" \
		--password-file "$s/pw$n"
	[ "$(stat -c %a "$s/user$n.keytab")" = 600 ]
	kinit_with "$s/user$n.keytab" "user$n@$KSSP_REALM"
	# The same password through standard input.
	printf '%s\n' "${!var}" | "$KSSP" keytab add -k "$s/stdin$n.keytab" -p "user$n@$KSSP_REALM" \
		-e "$(creds_enctype_name "$n")"
	diff <(klist -k -e -K "$s/user$n.keytab" | tail -n +2) <(klist -k -e -K "$s/stdin$n.keytab" | tail -n +2)
	echo "enctype $n: MIT kinit -k accepted kssp's keytab"
done
# A non-ASCII password, every enctype: one keytab per enctype, so kinit must use that key.
printf '%s\n' "$KSSP_UNICODE_PASSWORD" >"$s/upw"
for n in $KSSP_ENCTYPES; do
	"$KSSP" keytab add -k "$s/unicode$n.keytab" -p "$KSSP_UNICODE_USER" -e "$n" --password-file "$s/upw"
	kinit_with "$s/unicode$n.keytab" "$KSSP_UNICODE_USER"
	echo "enctype $n: non-ASCII password accepted"
done

# add and remove: MIT's klist reads the result.
"$KSSP" keytab add -k "$s/edit.keytab" -p "a/b@$KSSP_REALM" -e 17,18 --random
"$KSSP" keytab add -k "$s/edit.keytab" -p "a/b@$KSSP_REALM" -e aes256-cts --random
"$KSSP" keytab add -k "$s/edit.keytab" -p "c@$KSSP_REALM" -e 19 --kvno 300 --random
klist -k -e "$s/edit.keytab" >"$s/mit-edit.txt"
[ "$(grep -c "a/b@$KSSP_REALM" "$s/mit-edit.txt")" = 3 ]
grep -q "^ 300 c@$KSSP_REALM (aes128-cts-hmac-sha256-128)" "$s/mit-edit.txt"
grep -q "^   2 a/b@$KSSP_REALM (aes256-cts-hmac-sha1-96)" "$s/mit-edit.txt"
"$KSSP" keytab remove -k "$s/edit.keytab" -p "a/b@$KSSP_REALM" --kvno 1 >/dev/null
klist -k -e "$s/edit.keytab" >"$s/mit-edit2.txt"
[ "$(grep -c "a/b@$KSSP_REALM" "$s/mit-edit2.txt")" = 1 ]
"$KSSP" klist -k -e "$s/edit.keytab" | diff -u "$s/mit-edit2.txt" -
if "$KSSP" keytab remove -k "$s/edit.keytab" -p "nobody@$KSSP_REALM" 2>"$s/err"; then
	echo "removing a missing principal succeeded"; exit 1
fi
grep -q 'no entry for nobody@' "$s/err"
echo "keytabs interoperate with MIT"
