#!/bin/sh
# test/cli/replay.sh KSSP - `kssp replay` of every recording under fixtures/
# (each must pass: requests and tokens byte-identical, replies accepted),
# then recordings with one byte of a recorded KDC reply or token changed,
# which must fail with a message naming the step.
set -u
kssp=$1
tmp=$(mktemp -d /tmp/kssp-replay-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

for rec in $(find fixtures -name '*.rec' | sort); do
	n=$((n + 1))
	if "$kssp" replay "$rec" >"$tmp/out" 2>&1; then
		echo "replay $rec: ok"
	else
		cat "$tmp/out"
		echo "replay $rec: FAILED"
		fail=1
	fi
done
[ "$n" -ge 11 ] || { echo "replay: only $n recordings found under fixtures/"; fail=1; }

# tamper SRC-DIR REC WHICH EXPECT: copies the recording's folder, flips the
# last hex digit of the WHICH-th line starting with its first character
# ('<' reply, 'S' acceptor token, 'M' sealed message), expects a failure
# whose output contains EXPECT.
tamper() {
	dir=$1 name=$2 kind=$3 nth=$4 expect=$5
	rm -rf "$tmp/t" && mkdir "$tmp/t" && cp "$dir"/* "$tmp/t/"
	awk -v k="$kind" -v nth="$nth" '
		substr($0, 1, 2) == k " " { seen++; if (seen == nth) {
			last = substr($0, length($0), 1)
			$0 = substr($0, 1, length($0) - 1) (last == "0" ? "1" : "0") } }
		{ print }' "$dir/$name" >"$tmp/t/$name"
	cmp -s "$dir/$name" "$tmp/t/$name" && { echo "tamper: no line '$kind' #$nth in $name"; fail=1; return; }
	if "$kssp" replay "$tmp/t/$name" >"$tmp/out" 2>&1; then
		echo "tampered $name ($kind #$nth): replay passed, should fail"; fail=1
	elif grep -q "$expect" "$tmp/out"; then
		echo "tampered $name ($kind #$nth): fails, naming the step: $(grep -m1 "$expect" "$tmp/out")"
	else
		cat "$tmp/out"; echo "tampered $name ($kind #$nth): the failure does not name the step"; fail=1
	fi
}

tamper fixtures/demo demo.rec '<' 1 'step: KDC exchange 1 of 2 (its reply is line 15)'
tamper fixtures/demo demo.rec '<' 2 'step: KDC exchange 2 of 2 (its reply is line 17)'
tamper fixtures/demo demo.rec 'S' 1 "acceptor's context token (token 2, line 19) differs"
tamper fixtures/demo demo.rec 'M' 1 'sealed message (token 3, line 20) differs'
tamper fixtures/token spnego-http.rec '<' 1 'step: KDC exchange 1 of 1'
tamper fixtures/token krb5.rec 'C' 1 "initiator's context token (token 1, line"
tamper fixtures/loop negotiate.rec 'S' 1 "acceptor's context token (token 2"
tamper fixtures/kdc kinit.rec '<' 1 'replay step: KDC exchange 1 of 1 (its reply is line 6)'
tamper fixtures/kdc kvno.rec '<' 1 'replay step: KDC exchange 1 of 1 (its reply is line 5)'

[ $fail -eq 0 ] && echo "replay: $n recordings replayed, tampered copies rejected"
exit $fail
