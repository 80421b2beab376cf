#!/usr/bin/env bash
# The musl static tool (`make static-musl`) in an empty root: a folder
# holding only the binary, a krb5.conf, alice's password file, the service
# keytab and an /etc/hosts naming the KDC, entered with chroot.  In it kinit
# (password and keytab), klist, kvno, token and accept run against the
# loopback MIT realm, whose KDC krb5.conf names by a host name that only
# that /etc/hosts knows.
#
# What the chroot and the trace prove: the tool needs nothing from the
# machine (no loader, no libc, no NSS module: none of them is in the root),
# and every path it names in a file system call (strace -e trace=file, after
# its execve) is a file of the root -- it does not even try /etc/krb5.conf,
# /etc/nsswitch.conf, /etc/resolv.conf, /lib or /usr and do without them.
# Host files cannot be reached by path from inside the root at all, so the
# trace is about what the tool looks for, not about escaping the chroot.
set -euo pipefail
s=$KSSP_TEST_SCRATCH
bin=${KSSP_MUSL:-$KSSP_BUILD/musl/kssp-static}
skip() { echo "$*"; exit 77; }
fail() { echo "static musl: $*" >&2; exit 1; }

command -v musl-gcc >/dev/null 2>&1 ||
	skip "musl-tools is not installed (apt-get install musl-tools, then make static-musl)"
[ -x "$bin" ] || skip "no $bin (run make static-musl)"
[ "$(id -u)" = 0 ] || skip "chroot needs root"
chroot=$(command -v chroot) || skip "no chroot program"
command -v strace >/dev/null 2>&1 || skip "strace is not installed (apt-get install strace)"

# Static, and the size the README gives (goal: under 1 MiB stripped).
if ldd "$bin" >"$s/ldd" 2>&1 || ! grep -q 'not a dynamic executable' "$s/ldd"; then
	cat "$s/ldd"
	fail "ldd does not say 'not a dynamic executable'"
fi
size=$(stat -c %s "$bin")
[ "$size" -lt 1048576 ] || fail "the stripped binary is $size bytes, not under 1 MiB"

# The KDC's host name must come from the root's /etc/hosts, not the machine's.
kdc_host=kdc.kssp.test
if getent hosts "$kdc_host" >/dev/null 2>&1; then
	fail "this machine itself resolves $kdc_host; the test could not tell whose /etc/hosts was read"
fi

root=$s/root
mkdir -p "$root/etc"
cp "$bin" "$root/kssp"
cp "$KSSP_SERVICE_KEYTAB" "$root/service.keytab"
printf '%s\n' "$KSSP_PASSWORD" >"$root/alice.pw"
printf '127.0.0.1\t%s\n' "$kdc_host" >"$root/etc/hosts"
cat >"$root/krb5.conf" <<CONF
[libdefaults]
	default_realm = $KSSP_REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false

[realms]
	$KSSP_REALM = {
		kdc = $kdc_host:$KSSP_KDC_PORT
	}

[domain_realm]
	.kssp.test = $KSSP_REALM
CONF

# Runs the tool in the root with only its own configuration, traced: each
# run's file system calls go to its own log, cut at the tool's execve (the
# lines before it are env's and chroot's own, outside the root).
n=0
in_root() {
	n=$((n + 1))
	strace -f -qq -s 4096 -e trace=file -o "$s/trace.$n" \
		env -i KRB5_CONFIG=/krb5.conf KRB5CCNAME=FILE:/cc "$chroot" "$root" /kssp "$@"
}

in_root kinit --password-file /alice.pw "$KSSP_USER" || fail "kinit with a password"
in_root klist >"$s/klist" || fail "klist"
grep -q "Default principal: $KSSP_USER" "$s/klist" || { cat "$s/klist"; fail "klist: not alice's cache"; }
grep -q "krbtgt/$KSSP_REALM@$KSSP_REALM" "$s/klist" || { cat "$s/klist"; fail "klist: no TGT"; }
in_root kvno "HTTP/$KSSP_SERVICE_HOST" >"$s/kvno" || fail "kvno"
in_root klist >"$s/klist" || fail "klist after kvno"
grep -q "HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM" "$s/klist" || { cat "$s/klist"; fail "no service ticket"; }
in_root token "host/$KSSP_SERVICE_HOST" >"$root/token" || fail "token"
in_root accept -k /service.keytab --rcache /rcache /token >"$s/accept" || { cat "$s/accept"; fail "accept"; }
grep -q "$KSSP_USER" "$s/accept" || { cat "$s/accept"; fail "accept: alice is not the client"; }
in_root kinit -k -t /service.keytab -c FILE:/cc-host "host/$KSSP_SERVICE_HOST" || fail "kinit with a keytab"
in_root klist -c FILE:/cc-host >"$s/klist" || fail "klist of the keytab logon"
grep -q "Default principal: host/$KSSP_SERVICE_HOST@$KSSP_REALM" "$s/klist" || { cat "$s/klist"; fail "keytab logon: wrong cache"; }

# Every path named after the tool's execve: a file of the root, or a
# temporary it created and renamed over one (the atomic rewrite of a cache
# or replay cache).  One file may be looked for and missing: /etc/localtime,
# where musl's localtime() finds the time zone of klist's local times
# (without it, and without TZ, they are UTC).
for t in "$s"/trace.*; do
	tool=$s/tool.${t##*.}
	sed -n '/execve("\/kssp"/,$p' "$t" | tail -n +2 >"$tool"
	[ -s "$tool" ] || fail "$(basename "$t"): the trace holds no file system call of the tool"
	{ grep -o 'rename("[^"]*"' "$tool" || true; } | sed 's/^rename("//; s/"$//' >"$tool.renamed"
	echo /etc/localtime >>"$tool.renamed"
	grep -o '"[^"]*"' "$tool" | tr -d '"' | sort -u | while read -r named; do
		case $named in /*) p=$named ;; *) p=/$named ;; esac	# chroot's working folder is the root
		[ -e "$root$p" ] || grep -qxF "$p" "$tool.renamed" || {
			grep -F "\"$named\"" "$tool" >&2 || true
			fail "$(basename "$t"): the tool looked for $p, which is not in the root"
		}
	done
done
# The name was resolved from the root's /etc/hosts, and krb5.conf is its own.
grep -q 'open[a-z]*(.*"/etc/hosts"' "$s/tool.1" || fail "kinit did not read the root's /etc/hosts"
grep -q 'open[a-z]*(.*"/krb5.conf"' "$s/tool.1" || fail "kinit did not read KRB5_CONFIG"

# Without that /etc/hosts the same kinit finds no KDC: the name came from it.
# (musl then asks DNS, at 127.0.0.1 without a resolv.conf: one quick try.)
mv "$root/etc/hosts" "$s/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$root/etc/resolv.conf"
if in_root kinit --password-file /alice.pw "$KSSP_USER" 2>"$s/err"; then
	fail "kinit succeeded without the root's /etc/hosts"
fi
cat "$s/err"
echo "static musl: $size bytes, static; kinit (password, keytab), klist, kvno, token, accept in an empty root, KDC $kdc_host from its /etc/hosts"
