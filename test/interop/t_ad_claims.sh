#!/usr/bin/env bash
# A client claim through the SSPI: Samba AD (level 2016) issues alice's
# Department claim (her department attribute, "Engineering") as
# CLIENT_CLAIMS_INFO ([MS-PAC] 2.11, [MS-ADTS] 2.2.18); kssp keeps it raw,
# and `kssp accept` shows the buffer the application reads through
# SECPKG_ATTR_KSSP_LOGON_INFO (ClientClaims): present, and holding the
# claim's ID and value (Samba leaves a set this small uncompressed).
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
fail() { echo "t_ad_claims: $*" >&2; exit 1; }

printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc" alice >/dev/null
"$KSSP" token -c "FILE:$s/cc" "$AD_WEB_SPN" >"$s/tok"
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache --json "$s/tok" >"$s/json" ||
	fail "accept: $(cat "$s/json")"
/usr/bin/python3 - "$s/json" <<'PY' || fail "$(cat "$s/json")"
import json, sys
pac = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][0])
raw = bytes.fromhex(pac["client_claims"])
if not raw or len(raw) != pac["client_claims_bytes"]:
    sys.exit("client claims: %d bytes, %d in hex" % (pac["client_claims_bytes"], len(raw)))
for want in ("Engineering", "ad://ext/Department"):
    if want.encode("utf-16-le") not in raw:
        sys.exit("client claims: no %r (UTF-16LE) in %s" % (want, raw.hex()))
print("client claims: %d bytes, Department = Engineering" % len(raw))
PY
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache "$s/tok" >"$s/text" || fail "accept (text)"
grep -Eq '^pac-client-claims: [1-9][0-9]* bytes \(not decoded\)$' "$s/text" ||
	fail "text: $(cat "$s/text")"

# bob has no department: no claims buffer.
printf '%s\n' "$AD_PASSWORD_BOB" | "$KSSP" kinit -c "FILE:$s/cc-bob" bob >/dev/null
"$KSSP" token -c "FILE:$s/cc-bob" "$AD_WEB_SPN" >"$s/tok-bob"
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache --json "$s/tok-bob" >"$s/json-bob" ||
	fail "accept bob: $(cat "$s/json-bob")"
grep -q '"client_claims_bytes":0,' "$s/json-bob" || fail "bob: $(cat "$s/json-bob")"
echo "ad claims: alice's Department claim (Engineering) readable raw through the SSPI"
