#!/usr/bin/env bash
# t_creds_malformed.sh - malformed keytabs and caches (truncated at every
# byte offset, counts claiming 2^31 entries, lengths past the end, unknown
# versions) give a clear error and no crash, and the file on disk is
# unchanged by a command that would have rewritten it.
set -euo pipefail
. "$KSSP_SRC/test/interop/creds-common.sh"
creds_need python3
edit=$KSSP_BUILD/test/ccache-edit
[ -x "$edit" ] || { echo "no $edit (make interop builds it)"; exit 1; }

s=$KSSP_TEST_SCRATCH
fx=$KSSP_SRC/fixtures/creds
bad=0

# Runs a command that must not crash; $1: "ok" allowed to succeed, or "fail".
check() {
	local want=$1 rc
	shift
	set +e
	"$@" >"$s/out" 2>"$s/err"
	rc=$?
	set -e
	if [ "$rc" -ge 124 ]; then
		echo "CRASH ($rc): $*"; cat "$s/err"; bad=1; return
	fi
	if [ "$rc" -ne 0 ] && ! grep -q '^kssp: .*: KSSP_ERR_\|^ccache-edit: .*KSSP_ERR_' "$s/err"; then
		echo "no clear error ($rc): $*"; cat "$s/err"; bad=1; return
	fi
	if [ "$want" = fail ] && [ "$rc" -eq 0 ]; then echo "accepted: $*"; bad=1; fi
}

# Files cut at every offset: klist lists (at a record boundary) or fails
# cleanly.  (The unit suites parse every cut in-process too.)  Every 8th cut
# that fails is also handed to a command that would rewrite the file.
rewrite_keytab() { "$KSSP" keytab add -k "$1" -p "x@R" --random; }
rewrite_cache() { "$edit" add "$1" "$fx/mit-v4.ccache" "krbtgt/KSSP.TEST@KSSP.TEST"; }
for f in mit-all.keytab mit-v4.ccache mit-v3.ccache; do
	case $f in
	*.keytab) list=(klist -k -e) rewrite=rewrite_keytab ;;
	*) list=(klist -f -e) rewrite=rewrite_cache ;;
	esac
	size=$(stat -c %s "$fx/$f")
	for ((cut = 0; cut < size; cut++)); do
		head -c "$cut" "$fx/$f" >"$s/cut"
		check ok "$KSSP" "${list[@]}" "$s/cut"
		if [ -s "$s/err" ] && [ $((cut % 8)) = 0 ]; then
			sum=$(creds_sum "$s/cut")
			check fail "$rewrite" "$s/cut"
			[ "$(creds_sum "$s/cut")" = "$sum" ] || { echo "$f cut at $cut was rewritten"; bad=1; }
		fi
	done
	echo "$f: $size truncations checked"
done

# Hand-made hostile files.
python3 - "$s" <<'PY'
import struct, sys
d = sys.argv[1]
def w(name, data):
    open(f"{d}/{name}", "wb").write(data)
princ = struct.pack(">IIIs", 1, 1, 1, b"R") + struct.pack(">I", 1) + b"u"
w("kt-version", b"\x05\x03" + b"\x00" * 40)
w("kt-count", b"\x05\x02" + struct.pack(">iH", 8, 0xffff) + b"\x00" * 6)
w("kt-size", b"\x05\x02" + struct.pack(">i", 0x7fffffff) + b"\x00" * 16)
w("kt-hole", b"\x05\x02" + struct.pack(">i", -0x80000000))
w("kt-keylen", b"\x05\x02" + struct.pack(">iHH1sIIBHH", 22, 0, 1, b"R", 1, 0, 1, 17, 0xffff) + b"\x00" * 4)
w("cc-version", b"\x05\x05" + b"\x00" * 40)
w("cc-v1", b"\x05\x01" + b"\x00" * 40)
w("cc-components", b"\x05\x04\x00\x00" + struct.pack(">II", 1, 0x80000000))
w("cc-realm", b"\x05\x04\x00\x00" + struct.pack(">III", 1, 0, 0x7fffffff))
cred = princ + princ + struct.pack(">HI", 17, 0) + b"\x00" * 16 + b"\x00" + b"\x00" * 4
w("cc-addresses", b"\x05\x04\x00\x00" + princ + cred + struct.pack(">I", 0x80000000))
w("cc-authdata", b"\x05\x04\x00\x00" + princ + cred + struct.pack(">II", 0, 0x80000000))
w("cc-ticket", b"\x05\x04\x00\x00" + princ + cred + struct.pack(">III", 0, 0, 0xfffffff0))
w("cc-header", b"\x05\x04\x00\x10\x00\x01\x00\x08" + b"\x00" * 4)
PY
for f in kt-version kt-count kt-size kt-hole kt-keylen; do
	sum=$(creds_sum "$s/$f")
	check fail "$KSSP" klist -k "$s/$f"
	echo "$f: $(cut -d: -f3- "$s/err")"
	check fail "$KSSP" keytab add -k "$s/$f" -p "x@R" --random
	[ "$(creds_sum "$s/$f")" = "$sum" ] || { echo "$f was rewritten"; bad=1; }
done
for f in cc-version cc-v1 cc-components cc-realm cc-addresses cc-authdata cc-ticket cc-header; do
	sum=$(creds_sum "$s/$f")
	check fail "$KSSP" klist "$s/$f"
	echo "$f: $(cut -d: -f3- "$s/err")"
	check fail "$edit" add "$s/$f" "$KSSP_SRC/fixtures/creds/mit-v4.ccache" "krbtgt/KSSP.TEST@KSSP.TEST"
	[ "$(creds_sum "$s/$f")" = "$sum" ] || { echo "$f was rewritten"; bad=1; }
done
# Unsupported cache types say so.
for t in DIR:/tmp/x KEYRING:persistent:0 KCM: MEMORY:m; do
	check fail "$KSSP" klist -c "$t"
	grep -q 'cache type not supported' "$s/err" || { echo "$t: unclear error"; cat "$s/err"; bad=1; }
done
[ "$bad" = 0 ] && echo "every malformed file was refused cleanly and left unchanged"
exit "$bad"
