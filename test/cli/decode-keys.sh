#!/bin/sh
# test/cli/decode-keys.sh KSSP - `kssp decode --keytab` opens a captured
# AP-REQ's ticket (EncTicketPart: client, session key enctype, times,
# flags) and authenticator; `--password` opens a captured AS-REP's
# enc-part; a wrong password or a keytab without the key fails cleanly.
set -u
kssp=$1
fail=0
check() { # NAME PATTERN COMMAND...
	name=$1 pattern=$2
	shift 2
	if "$@" >/tmp/kssp-dk.$$ 2>&1 && grep -q "$pattern" /tmp/kssp-dk.$$; then
		echo "decode-keys: $name: ok"
	else
		cat /tmp/kssp-dk.$$; echo "decode-keys: $name: FAILED"; fail=1
	fi
}
refuse() { # NAME PATTERN COMMAND...
	name=$1 pattern=$2
	shift 2
	if ! "$@" >/tmp/kssp-dk.$$ 2>&1 && grep -q "$pattern" /tmp/kssp-dk.$$; then
		echo "decode-keys: $name: refused: $(grep -m1 "$pattern" /tmp/kssp-dk.$$)"
	else
		cat /tmp/kssp-dk.$$; echo "decode-keys: $name: FAILED"; fail=1
	fi
}
cap=fixtures/captures
check "MIT AP-REQ ticket" "^  cname:" "$kssp" decode --keytab "$cap/host-localhost.keytab" "$cap/ap-req.der"
check "MIT AP-REQ ticket flags" "^    - forwardable" "$kssp" decode --keytab "$cap/host-localhost.keytab" "$cap/ap-req.der"
check "MIT AP-REQ authenticator" "^AP-REQ authenticator (decrypted" "$kssp" decode --keytab "$cap/host-localhost.keytab" "$cap/ap-req.der"
check "SPNEGO NegTokenInit" "^AP-REQ authenticator (decrypted" "$kssp" decode --keytab "$cap/host-localhost.keytab" "$cap/spnego-init.der"
check "GSS-framed AP-REQ" "^Ticket enc-part (decrypted, key usage 2" "$kssp" decode --keytab "$cap/host-localhost.keytab" "$cap/gss-ap-req-deleg.der"
check "MIT AS-REP enc-part" "^  srealm: KSSP.TEST" "$kssp" decode --password user-pw "$cap/as-rep.der"
grep -m1 '^C ' fixtures/demo/demo.rec | cut -c3- >/tmp/kssp-dk-tok.$$
check "kssp's AP-REQ (demo)" "^      - alice" "$kssp" decode --keytab fixtures/demo/demo.keytab /tmp/kssp-dk-tok.$$
refuse "wrong password" "KRB_AP_ERR_BAD_INTEGRITY" "$kssp" decode --password not-it "$cap/as-rep.der"
refuse "keytab without the key" "no key of enctype" "$kssp" decode --keytab fixtures/demo/demo.keytab "$cap/ap-req.der"
rm -f /tmp/kssp-dk.$$ /tmp/kssp-dk-tok.$$
exit $fail
