#!/usr/bin/env bash
# The PAC MIT's KDC (1.20 and later) puts in every ticket: `kssp accept`
# finds it in the ticket, decodes it and verifies its server signature with
# the service key, for service keys of enctypes 17, 18, 19, 20 and 23 (the
# server checksum type follows the key: HMAC-SHA1-96-AES, HMAC-SHA256/384
# and HMAC-MD5).  MIT's PAC has no KERB_VALIDATION_INFO: NAMES stays the
# Kerberos principal.  kssp decode shows the PAC (--keytab, --pac).
set -euo pipefail
. "$KSSP_SRC/test/interop/context-lib.sh"

s=$KSSP_TEST_SCRATCH
cc=FILE:$s/cc
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "$cc" "$KSSP_USER" >/dev/null

for n in 17 18 19 20 23; do
	spn="svc$n/$KSSP_SERVICE_HOST@$KSSP_REALM"
	"$KSSP" token -c "$cc" "$spn" >"$s/tok$n"
	"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache "$s/tok$n" >"$s/out$n" ||
		fail "accept svc$n: $(cat "$s/out$n")"
	grep -q '^pac: [0-9]* bytes, server signature verified, KDC signature present, not verified' \
		"$s/out$n" || fail "svc$n: PAC not verified: $(cat "$s/out$n")"
	grep -qx "client: $KSSP_USER" "$s/out$n" || fail "svc$n: $(cat "$s/out$n")"
	grep -qx "name: $KSSP_USER" "$s/out$n" || fail "svc$n: NAMES: $(cat "$s/out$n")"
done
"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache --json "$s/tok18" >"$s/json"
grep '^{' "$s/json" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["server_signature"] == "verified", p
assert p["kdc_signature"] == "present, not verified", p
assert p["bytes"] > 0, p
' || fail "JSON: $(cat "$s/json")"
# kssp decode shows the PAC inside the ticket --keytab opens, and one on its own.
"$KSSP" decode --keytab "$KSSP_SERVICE_KEYTAB" "$s/tok18" >"$s/dec" || fail "decode --keytab"
grep -q "^ *client-name: ${KSSP_USER%@*}\$" "$s/dec" || fail "decode --keytab: no PAC: $(cat "$s/dec")"
"$KSSP" decode --pac "$KSSP_SRC/fixtures/pac/aes256.pac" >"$s/pac" || fail "decode --pac"
grep -q '^ *user-sid: S-1-5-21-1111111111-2222222222-3333333333-1105$' "$s/pac" ||
	fail "decode --pac: $(cat "$s/pac")"
# End to end (MS-PAC 2.8.1): the same tickets with one byte of the PAC's
# server signature flipped, re-encrypted under the service key (pac-tamper),
# are refused with SEC_E_LOGON_DENIED naming the PAC; the unaltered tokens
# were accepted above.
for n in 18 23; do
	"$KSSP_BUILD/test/pac-tamper" "$KSSP_SERVICE_KEYTAB" "svc$n/$KSSP_SERVICE_HOST@$KSSP_REALM" \
		<"$s/tok$n" >"$s/bad$n" ||
		fail "pac-tamper svc$n"
	! cmp -s "$s/tok$n" "$s/bad$n" || fail "pac-tamper svc$n: token unchanged"
	if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache "$s/bad$n" >"$s/badout$n" 2>&1; then
		fail "svc$n: the altered PAC was accepted: $(cat "$s/badout$n")"
	fi
	grep -q 'SEC_E_LOGON_DENIED (0x8009030c): PAC: the server signature does not verify$' \
		"$s/badout$n" || fail "svc$n: status or reason: $(cat "$s/badout$n")"
done
echo "mit pac: found, decoded and its server signature verified for enctypes 17, 18, 19, 20, 23; an altered server signature refused (18, 23)"
