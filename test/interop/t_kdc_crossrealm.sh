#!/usr/bin/env bash
# Cross-realm: a loopback MIT KDC of our own serving
# ONE.TEST, TWO.TEST and THREE.TEST with cross-realm krbtgt keys.  kssp kvno
# reaches a THREE.TEST service through [capaths] (ONE -> TWO -> THREE) and
# another through a referral (ONE's KDC maps .three.test to THREE.TEST).
set -euo pipefail
s=$KSSP_TEST_SCRATCH
d=$s/realms
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$d"
kdcpid=
trap '[ -n "$kdcpid" ] && kill "$kdcpid" 2>/dev/null; true' EXIT
port=$("$KSSP_BUILD/test/freeport")
et="aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal"

{
	echo "[kdcdefaults]"
	echo " kdc_listen = 127.0.0.1:$port"
	echo " kdc_tcp_listen = 127.0.0.1:$port"
	echo "[realms]"
	for r in ONE TWO THREE; do
		echo " $r.TEST = {"
		echo "  database_name = $d/$r.db"
		echo "  key_stash_file = $d/$r.stash"
		echo "  acl_file = $d/kadm5.acl"
		echo "  supported_enctypes = $et"
		echo " }"
	done
	echo "[logging]"
	echo " kdc = FILE:$d/kdc.log"
} >"$d/kdc.conf"
{
	echo "[libdefaults]"
	echo " default_realm = ONE.TEST"
	echo " dns_lookup_kdc = false"
	echo " dns_lookup_realm = false"
	echo " dns_canonicalize_hostname = false"
	echo " rdns = false"
	echo "[realms]"
	for r in ONE TWO THREE; do echo " $r.TEST = {"; echo "  kdc = 127.0.0.1:$port"; echo " }"; done
	echo "[domain_realm]"
	echo " .one.test = ONE.TEST"
	echo " .three.test = THREE.TEST"
	echo "[capaths]"
	echo " ONE.TEST = {"
	echo "  THREE.TEST = TWO.TEST"
	echo "  TWO.TEST = ."
	echo " }"
	echo " THREE.TEST = {"
	echo "  ONE.TEST = TWO.TEST"
	echo " }"
} >"$d/krb5.conf"
: >"$d/kadm5.acl"
export KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf
for r in ONE TWO THREE; do
	kdb5_util create -s -r "$r.TEST" -P "master-$r-$$" >"$d/$r.create.log" 2>&1 || fail "kdb5_util $r"
done
adm() { kadmin.local -r "$1" -q "$2" >>"$d/kadmin.log" 2>&1 || fail "kadmin $1: $2"; }
adm ONE.TEST "addprinc -pw alice-one alice"
# Cross-realm keys: the same password and salt in both databases give the same key.
cross() { # cross FROM TO: krbtgt/TO@FROM in FROM's and TO's databases
	adm "$1" "addprinc -e aes256-cts-hmac-sha1-96:normal -pw cross-$1-$2 krbtgt/$2@$1"
	adm "$2" "addprinc -e aes256-cts-hmac-sha1-96:normal -pw cross-$1-$2 krbtgt/$2@$1"
}
cross ONE.TEST TWO.TEST
cross TWO.TEST THREE.TEST
cross ONE.TEST THREE.TEST
adm THREE.TEST "addprinc -randkey HTTP/web.three.test"
adm THREE.TEST "addprinc -randkey HTTP/ref.three.test"
krb5kdc -n -r ONE.TEST -r TWO.TEST -r THREE.TEST >"$d/kdc.out" 2>&1 &
kdcpid=$!
for _ in $(seq 100); do grep -q 'commencing operation' "$d/kdc.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'commencing operation' "$d/kdc.log" || fail "krb5kdc did not start"

cc="FILE:$s/cc"
printf 'alice-one\n' | "$KSSP" kinit -c "$cc" alice || fail "kinit alice@ONE.TEST"

# Through [capaths]: ONE -> TWO -> THREE.
KSSP_TRACE=1 "$KSSP" kvno -c "$cc" HTTP/web.three.test@THREE.TEST >"$s/out" 2>"$s/trace" ||
	fail "capaths kvno: $(tail -3 "$s/trace")"
grep -q "HTTP/web.three.test@THREE.TEST: kvno = 1" "$s/out" || fail "$(cat "$s/out")"
grep -q "cross-realm step ONE.TEST -> TWO.TEST" "$s/trace" || fail "no ONE -> TWO step"
grep -q "cross-realm step TWO.TEST -> THREE.TEST" "$s/trace" || fail "no TWO -> THREE step"
klist -c "$cc" | grep -q "krbtgt/TWO.TEST@ONE.TEST" || fail "path TGT not cached"
klist -c "$cc" | grep -q "HTTP/web.three.test@THREE.TEST" || fail "MIT klist lacks the ticket"

# Through a referral: the realm is not named; ONE's KDC refers to THREE.
KSSP_TRACE=1 "$KSSP" kvno -c "$cc" HTTP/ref.three.test >"$s/out" 2>"$s/trace" ||
	fail "referral kvno: $(tail -3 "$s/trace")"
grep -q "HTTP/ref.three.test@THREE.TEST: kvno = 1" "$s/out" || fail "$(cat "$s/out")"
grep -q "referral from ONE.TEST to THREE.TEST" "$s/trace" || fail "no referral in the trace"
klist -c "$cc" | grep -q "HTTP/ref.three.test@THREE.TEST" || fail "MIT klist lacks the referral ticket"
echo "cross-realm: capaths and referral"
