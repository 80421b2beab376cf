#!/bin/sh
# test/cli/decode.sh KSSP - `kssp decode` on every captured fixture names the
# right message and fields; random and corrupted input exits 1 with
# "kssp: cannot decode: ... at offset N" and never crashes.
set -u
kssp=${1:?usage: decode.sh PATH-TO-kssp}
fx=fixtures/captures
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# file, then strings its JSON must contain
expect() {
	file=$1; shift
	if ! "$kssp" decode --json "$fx/$file" > "$tmp/out.json" 2> "$tmp/err"; then
		echo "FAIL: decode $file: $(cat "$tmp/err")"; fail=1; return
	fi
	for want in "$@"; do
		grep -qF -- "$want" "$tmp/out.json" || { echo "FAIL: $file lacks $want"; fail=1; }
	done
	python3 -m json.tool "$tmp/out.json" > /dev/null || { echo "FAIL: $file: not JSON"; fail=1; }
}

expect as-req-nopreauth.der '"message": "AS-REQ"' '"msg-type": 10' '"req-body"' '"kdc-options"' '"forwardable"' '"nonce"' '"etype"' '"till"'
expect krb-error-preauth-required.der '"message": "KRB-ERROR"' '"error-code": 25' '"e-data-decoded"' '"salt": "KSSP.TESTuser"'
expect as-req.der '"message": "AS-REQ"' '"padata-type": 2' '"padata-value-decoded"' '"cipher"'
expect as-rep.der '"message": "AS-REP"' '"msg-type": 11' '"crealm": "KSSP.TEST"' '"name-string"' '"ticket"' '"enc-part"' '"kvno"'
expect tgs-req.der '"message": "TGS-REQ"' '"msg-type": 12' '"padata-type": 1' '"padata-value-decoded"' '"ap-options"' '"host"'
expect tgs-rep.der '"message": "TGS-REP"' '"msg-type": 13' '"localhost"'
expect tgs-req-forwardable.der '"message": "TGS-REQ"' '"forwarded"'
expect tgs-rep-forwardable.der '"message": "TGS-REP"'
expect ap-req.der '"message": "AP-REQ"' '"ap-options"' '"mutual-required"' '"authenticator"'
expect krb-cred.der '"message": "KRB-CRED"' '"tickets"' '"etype": 0'
expect ap-rep.der '"message": "AP-REP"' '"msg-type": 15'
expect gss-ap-req-deleg.der '"message": "GSS-API InitialContextToken"' '"tok-id": "0100"' '"message": "AP-REQ"'
expect gss-ap-rep.der '"tok-id": "0200"' '"message": "AP-REP"'
expect spnego-init.der '"message": "SPNEGO NegTokenInit (GSS-framed)"' '"mechTypes"' '"1.2.840.113554.1.2.2"' '"mechToken-decoded"' '"message": "AP-REQ"'
expect kerb-error-data-locked.der '"message": "KERB-ERROR-DATA"' '"data-type": 3' '"message": "KERB-EXT-ERROR"' '"status": "0xc0000234"' '"status-name": "STATUS_ACCOUNT_LOCKED_OUT"'
expect as-req-fast.der '"message": "AS-REQ"' '"padata-type": 136' '"message": "PA-FX-FAST-REQUEST"' '"armor-type": 1' '"req-checksum"' '"enc-fast-req"'
expect krb-error-fast.der '"message": "KRB-ERROR"' '"error-code": 25' '"e-data-decoded"' '"padata-type": 136' '"message": "PA-FX-FAST-REPLY"' '"enc-fast-rep"'
expect as-rep-fast.der '"message": "AS-REP"' '"padata-type": 136' '"message": "PA-FX-FAST-REPLY"'
expect spnego-resp.der '"message": "SPNEGO NegTokenResp"' '"negState": "accept-completed"' '"message": "AP-REP"'
# User-to-user tokens (the fuzz target ctx_u2u's seeds): KERB-TGT-REQUEST / -REPLY.
expect ../fuzz/ctx_u2u/tgt-req-user '"thisMech": "1.2.840.113554.1.2.2.3"' '"tok-id": "0400"' '"message": "KERB-TGT-REQUEST"' '"msg-type": 16' '"bob"'
expect ../fuzz/ctx_u2u/tgt-rep '"tok-id": "0401"' '"message": "KERB-TGT-REPLY"' '"msg-type": 17' '"krbtgt"'

# The AD payloads that are not DER, named (MS-KILE 2.2.7, 2.2.4, 3.2.5.8):
# PA-SUPPORTED-ENCTYPES in METHOD-DATA; AD-AUTH-DATA-AP-OPTIONS and KERB-LOCAL
# inside AD-IF-RELEVANT.
echo 3010300ea104020200a5a20604041c000000 > "$tmp/pa165"
"$kssp" decode --json "$tmp/pa165" > "$tmp/out.json" 2>&1 &&
	grep -q '"message": "PA-SUPPORTED-ENCTYPES"' "$tmp/out.json" && grep -q '"value": "0x0000001c"' "$tmp/out.json" ||
	{ echo "FAIL: PA-SUPPORTED-ENCTYPES: $(cat "$tmp/out.json")"; fail=1; }
echo 302b3029a003020101a1220420301e300ea0040202008fa106040400400000300ca0040202008ea10404020102 > "$tmp/ad"
"$kssp" decode --json --type AuthorizationData "$tmp/ad" > "$tmp/out.json" 2>&1 &&
	grep -q '"message": "AD-AUTH-DATA-AP-OPTIONS"' "$tmp/out.json" && grep -q '"value": "0x00004000"' "$tmp/out.json" &&
	grep -q '"message": "KERB-LOCAL"' "$tmp/out.json" ||
	{ echo "FAIL: AD-AUTH-DATA-AP-OPTIONS, KERB-LOCAL: $(cat "$tmp/out.json")"; fail=1; }

# Hex and base64 forms, and the HTTP header form.
od -An -v -tx1 "$fx/as-rep.der" > "$tmp/hex"
"$kssp" decode "$tmp/hex" | grep -q 'message: AS-REP' || { echo "FAIL: hex input"; fail=1; }
printf 'Authorization: Negotiate %s\n' "$(base64 -w0 "$fx/spnego-init.der")" > "$tmp/http"
"$kssp" decode "$tmp/http" | grep -q 'NegTokenInit' || { echo "FAIL: HTTP Negotiate input"; fail=1; }

# One failing input: exit 1 and exactly the documented message.
check_fails() {
	"$kssp" decode "$1" > /dev/null 2> "$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then return 0; fi
	if [ $rc -ne 1 ]; then echo "FAIL: $2: exit $rc"; cat "$tmp/err"; fail=1; return 1; fi
	if ! grep -Eq '^kssp: cannot decode: .* at offset [0-9]+$' "$tmp/err" || [ "$(wc -l < "$tmp/err")" -ne 1 ]; then
		echo "FAIL: $2: $(cat "$tmp/err")"; fail=1; return 1
	fi
	return 1
}

# Random bytes of many lengths must all fail cleanly.
i=0
while [ $i -lt 200 ]; do
	head -c $((i * 7 % 900 + 1)) /dev/urandom > "$tmp/rand"
	if check_fails "$tmp/rand" "random input $i"; then
		: # a random input that happens to decode is fine
	fi
	i=$((i + 1))
done

# Corrupted fixtures: a byte changed or the tail cut; decode or fail cleanly, never crash.
for f in "$fx"/*.der; do
	n=$(wc -c < "$f")
	for k in 1 2 3 4 5 6 7 8; do
		python3 - "$f" "$tmp/bad" "$k" <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
r = random.Random(int(sys.argv[3]) * 7919 + len(data))
if int(sys.argv[3]) % 2:
    i = r.randrange(len(data)); data[i] = r.randrange(256)
else:
    data = data[: r.randrange(len(data))]
open(sys.argv[2], "wb").write(data)
PY
		check_fails "$tmp/bad" "$(basename "$f") corruption $k" || true
	done
done

"$kssp" decode "$tmp/missing-file" > /dev/null 2>&1; [ $? -eq 1 ] || { echo "FAIL: missing file"; fail=1; }
"$kssp" help decode | grep -q 'usage: kssp decode' || { echo "FAIL: help decode"; fail=1; }

if [ $fail -ne 0 ]; then echo "decode.sh: FAILED"; exit 1; fi
echo "decode.sh: all checks passed"
