#!/usr/bin/env bash
# kssp and MIT writing the same files at once (20 rounds each): a keytab
# changed by `kssp keytab add`, MIT's `kadmin.local ktadd` and `ktutil wkt`
# together, and a cache that `kssp kvno` and MIT's `kvno` store into
# together.  MIT's writers change both in place under an fcntl lock; kssp
# takes the same lock and changes them in place too, so every entry and
# every ticket is there afterwards and both sides read the files.  Then the
# paths that are not plain files: a symbolic link is written through (the
# link stays), a FIFO or device is refused.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
fail() { echo "t_creds_mit_writers: $*" >&2; exit 1; }
rounds=20
kt=$s/shared.keytab

# Principals for ktadd (one per round); kssp's and ktutil's need none.
for i in $(seq $rounds); do echo "addprinc -randkey mitkt$i/server.kssp.test"; done |
	kadmin.local -r "$KSSP_REALM" >/dev/null 2>&1 || fail "addprinc"

for i in $(seq $rounds); do
	"$KSSP" keytab add -k "$kt" -p "ksspkt$i/server.kssp.test@$KSSP_REALM" --random \
		>"$s/kssp$i.out" 2>&1 &
	a=$!
	kadmin.local -r "$KSSP_REALM" -q "ktadd -k $kt mitkt$i/server.kssp.test" >"$s/ktadd$i.out" 2>&1 &
	b=$!
	printf 'addent -password -p ktutil%s@%s -k 1 -e aes256-cts-hmac-sha1-96\nutil-pw-%s\nwkt %s\nq\n' \
		"$i" "$KSSP_REALM" "$i" "$kt" | ktutil >"$s/ktutil$i.out" 2>&1 &
	c=$!
	wait $a || fail "kssp keytab add, round $i: $(cat "$s/kssp$i.out")"
	wait $b || fail "ktadd, round $i: $(cat "$s/ktadd$i.out")"
	wait $c || fail "ktutil, round $i: $(cat "$s/ktutil$i.out")"
done
klist -k "$kt" >"$s/klist-k" 2>&1 || fail "MIT's klist -k cannot read the keytab: $(cat "$s/klist-k")"
"$KSSP" klist -k "$kt" >"$s/kssp-klist-k" 2>&1 || fail "kssp klist -k: $(cat "$s/kssp-klist-k")"
missing=0
for i in $(seq $rounds); do
	for p in "ksspkt$i/server.kssp.test" "mitkt$i/server.kssp.test" "ktutil$i"; do
		grep -q " $p@$KSSP_REALM\$" "$s/klist-k" || { echo "missing from the keytab: $p" >&2; missing=1; }
	done
done
[ $missing = 0 ] || fail "entries lost (MIT's klist -k: $(wc -l <"$s/klist-k") lines)"

# The cache: kssp and MIT fetch different services into one cache at once.
cc=FILE:$s/shared.cc
printf '%s\n' "$KSSP_PASSWORD" | kinit -c "$cc" "$KSSP_USER" >/dev/null
for i in $(seq $rounds); do echo "addprinc -randkey ksspcc$i/server.kssp.test"; echo "addprinc -randkey mitcc$i/server.kssp.test"; done |
	kadmin.local -r "$KSSP_REALM" >/dev/null 2>&1 || fail "addprinc (cache services)"
for i in $(seq $rounds); do
	"$KSSP" kvno -c "$cc" "ksspcc$i/server.kssp.test@$KSSP_REALM" >"$s/kvno$i.out" 2>&1 &
	a=$!
	kvno -c "$cc" "mitcc$i/server.kssp.test@$KSSP_REALM" >"$s/mitkvno$i.out" 2>&1 &
	b=$!
	wait $a || fail "kssp kvno, round $i: $(cat "$s/kvno$i.out")"
	wait $b || fail "MIT kvno, round $i: $(cat "$s/mitkvno$i.out")"
done
klist -c "$cc" >"$s/klist" 2>&1 || fail "MIT's klist cannot read the cache: $(cat "$s/klist")"
"$KSSP" klist -c "$cc" >/dev/null 2>&1 || fail "kssp klist cannot read the cache"
for i in $(seq $rounds); do
	for p in "ksspcc$i" "mitcc$i"; do
		grep -q "  $p/server.kssp.test@$KSSP_REALM\$" "$s/klist" ||
			{ echo "missing from the cache: $p" >&2; missing=1; }
	done
done
[ $missing = 0 ] || fail "tickets lost"

# A cache path that is a symbolic link: written through, the link stays.
ln -s "$s/target.cc" "$s/link.cc"
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "FILE:$s/link.cc" "$KSSP_USER" >/dev/null ||
	fail "kinit through a link"
[ -L "$s/link.cc" ] || fail "the link was replaced by a file"
klist -c "FILE:$s/target.cc" >/dev/null || fail "the link's target holds no cache"
# A FIFO (and, as root, a device node of our own) is refused, left as it was.
mkfifo "$s/fifo"
nodes=$s/fifo
if [ "$(id -u)" = 0 ] && mknod "$s/null" c 1 3 2>/dev/null; then nodes="$nodes $s/null"; fi
for n in $nodes; do
	if printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "FILE:$n" "$KSSP_USER" >"$s/dev.out" 2>&1; then
		fail "kinit wrote a cache onto $n"
	fi
	grep -q "not a regular file" "$s/dev.out" || fail "$n: $(cat "$s/dev.out")"
	if "$KSSP" keytab add -k "$n" -p "x/server.kssp.test@$KSSP_REALM" --random >"$s/dev.out" 2>&1; then
		fail "keytab add wrote onto $n"
	fi
	grep -q "not a regular file" "$s/dev.out" || fail "$n: $(cat "$s/dev.out")"
	[ ! -f "$n" ] || fail "$n became a regular file"
done
echo "creds with MIT writers: $rounds rounds of keytab and cache writers lost nothing; links written through, FIFOs and devices refused"
