# test/interop/creds-common.sh - sourced by the t_creds_*.sh tests.
# MIT's enctype names, and a checksum that says whether a file changed.

# Both tools print local times in the C locale; pin them.
export LC_ALL=C TZ=UTC

creds_enctype_name() {
	case $1 in
	17) echo aes128-cts-hmac-sha1-96 ;;
	18) echo aes256-cts-hmac-sha1-96 ;;
	19) echo aes128-cts-hmac-sha256-128 ;;
	20) echo aes256-cts-hmac-sha384-192 ;;
	23) echo arcfour-hmac ;;
	25) echo camellia128-cts-cmac ;;
	26) echo camellia256-cts-cmac ;;
	*) echo "creds-common.sh: no enctype $1" >&2; return 1 ;;
	esac
}

creds_need() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || { echo "SKIPPED: no $p"; exit 77; }
	done
	[ -x "${KSSP:-}" ] || { echo "SKIPPED: no kssp binary (KSSP=${KSSP:-unset})"; exit 77; }
}

creds_sum() { sha256sum "$1" | cut -d' ' -f1; }

# klist output turned into one line per ticket, fields separated by '|':
# start|end|service|renew|flags|etypes.  Comparing these says which field differs.
creds_klist_records() {
	awk '
	/^[0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] / {
		if (rec != "") print rec "|" renew "|" flags "|" etypes
		rec = $1 " " $2 "|" $3 " " $4 "|" $5; renew = flags = etypes = "-"
		next
	}
	/^\t/ {
		line = $0; sub(/^\t/, "", line)
		if (match(line, /renew until [0-9\/]+ [0-9:]+/))
			renew = substr(line, RSTART + 12, RLENGTH - 12)
		if (match(line, /Flags: [A-Za-z]+/))
			flags = substr(line, RSTART + 7, RLENGTH - 7)
		if (match(line, /Etype \(skey, tkt\): .*$/))
			etypes = substr(line, RSTART + 19)
	}
	END { if (rec != "") print rec "|" renew "|" flags "|" etypes }
	' "$1"
}

# Compares two record files field by field; prints each difference.
creds_compare_records() {
	local mit=$1 ours=$2
	awk -F'|' -v mitf="$mit" '
	BEGIN { split("start end service renew flags etypes", names, " ") }
	FILENAME == mitf { m[FNR] = $0; nm = FNR; next }
	{
		no = FNR
		if (!(FNR in m)) { print "extra ticket in kssp: " $0; bad = 1; next }
		split(m[FNR], a, "|")
		for (i = 1; i <= 6; i++)
			if (a[i] != $i) {
				printf "ticket %d (%s): %s: MIT \"%s\", kssp \"%s\"\n", FNR, a[3], names[i], a[i], $i
				bad = 1
			}
	}
	END {
		if (no != nm) { printf "MIT lists %d tickets, kssp %d\n", nm, no; bad = 1 }
		exit bad
	}' "$mit" "$ours"
}
