#!/usr/bin/env bash
# crypto: `kssp crypto string2key` derives, for every enctype, the very key
# MIT's KDC stored for a password (exported with ktadd -norandkey and read
# back with klist -K), for an ASCII and a non-ASCII password.
set -euo pipefail
kt="$KSSP_TEST_SCRATCH/users.keytab"
realm_part=${KSSP_USER#*@}

check_user() { # principal password
	local princ=$1 pw=$2 name=${1%@*} n=0 line etype key mine
	rm -f "$kt"
	kadmin.local -q "ktadd -norandkey -k $kt $princ" >/dev/null
	while read -r line; do
		# "   1 alice@KSSP.TEST (aes256-cts-hmac-sha1-96)  (0x...)"
		# MIT 1.20 prints RC4 as "DEPRECATED:arcfour-hmac"
		etype=$(sed -n 's/.*(\(DEPRECATED:\)\{0,1\}\([a-z0-9-]*\)) *(0x[0-9a-f]*).*/\2/p' <<<"$line")
		key=$(sed -n 's/.*(0x\([0-9a-f]*\)).*/\1/p' <<<"$line")
		[ -n "$etype" ] && [ -n "$key" ] || continue
		mine=$("$KSSP" crypto string2key -e "$etype" --salt "$realm_part$name" "$pw")
		if [ "$mine" != "$key" ]; then
			echo "$princ $etype: MIT $key, kssp $mine" >&2
			exit 1
		fi
		n=$((n + 1))
	done < <(klist -k -K -e "$kt")
	# every enctype of the realm was compared
	if [ "$n" -ne "$(wc -w <<<"$KSSP_ENCTYPES")" ]; then
		echo "$princ: only $n keys compared" >&2
		klist -k -K -e "$kt" >&2
		exit 1
	fi
	echo "$princ: $n keys identical"
}

check_user "$KSSP_USER" "$KSSP_PASSWORD"
check_user "$KSSP_UNICODE_USER" "$KSSP_UNICODE_PASSWORD"
