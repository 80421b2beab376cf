#!/usr/bin/env bash
# kssp token (which fetches the service ticket
# with the cache's TGT) | kssp accept with the service keytab succeeds; the same token accepted again is a replay; any altered
# byte is refused; an expired ticket (fixed clock) gives
# KRB_AP_ERR_TKT_EXPIRED; a keytab lacking the key gives KRB_AP_ERR_NOKEY;
# a token made from another service's ticket fails cleanly.
set -euo pipefail
. "$KSSP_SRC/test/interop/context-lib.sh"

s=$KSSP_TEST_SCRATCH
cc=FILE:$s/cc
spn="HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -f -c "$cc" "$KSSP_USER" >/dev/null

"$KSSP" token -c "$cc" --mutual "$spn" >"$s/tok"
out=$("$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --rcache "$s/rc" <"$s/tok")
echo "$out"
grep -q "^client: $KSSP_USER$" <<<"$out" || fail "accept: no client line"
grep -q "^reply: " <<<"$out" || fail "accept: no AP-REP for mutual authentication"
grep -q "mutual" <<<"$out" || fail "accept: mutual flag missing"
klist -c "$cc" | grep -q "$spn" || fail "kssp token did not store the fetched ticket"

# SPNEGO in an HTTP header: accepted, answered with a negTokenResp
"$KSSP" token -c "$cc" --negotiate --http --mutual "$spn" >"$s/neg"
grep -q "^Authorization: Negotiate " "$s/neg" || fail "--http: no header"
"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache "$s/neg" >"$s/out4" ||
	fail "SPNEGO token refused"
grep -q "^reply: oY" "$s/out4" || fail "SPNEGO: the reply is not a negTokenResp"

# delegation: the TGT handed over is usable by MIT's kvno.  HTTP/ is not
# ok-as-delegate, so (as on Windows) kssp delegates to it only when
# krb5.conf says enforce_ok_as_delegate = false; by default it does not.
"$KSSP" token -c "$cc" --delegate "$spn" |
	"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache >"$s/out3" ||
	fail "delegation refused by policy: accept failed"
grep -q "deleg" "$s/out3" && fail "delegated to a service that is not ok-as-delegate"
sed 's/^\[libdefaults\]$/[libdefaults]\n\tenforce_ok_as_delegate = false/' "$KRB5_CONFIG" \
	>"$s/krb5-deleg.conf"
KRB5_CONFIG=$s/krb5-deleg.conf "$KSSP" token -c "$cc" --delegate "$spn" |
	"$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache --deleg-ccache "$s/deleg" >"$s/out3" ||
	fail "delegation: accept failed"
grep -q "deleg" "$s/out3" || fail "delegation: flag missing"
kvno -c "FILE:$s/deleg" "host/$KSSP_SERVICE_HOST@$KSSP_REALM" >/dev/null ||
	fail "the delegated TGT does not get a service ticket"

# the pipe form, without mutual authentication: no reply line
"$KSSP" token -c "$cc" "$spn" | "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --rcache "$s/rc" - \
	>"$s/out2" || fail "kssp token | kssp accept failed"
if grep -q "^reply:" "$s/out2"; then fail "a reply without mutual authentication"; fi

# replay: the first token again
if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --rcache "$s/rc" "$s/tok" 2>"$s/err"; then
	fail "a replayed token was accepted"
fi
grep -q KRB_AP_ERR_REPEAT "$s/err" || { cat "$s/err"; fail "replay: wrong error"; }

# every single altered byte (XOR 1 of the raw token) is refused
python3 - "$s/tok" "$s/alt" <<'PY'
import base64, sys
raw = base64.b64decode(open(sys.argv[1]).read())
for i in range(len(raw)):
    b = bytearray(raw); b[i] ^= 1
    open("%s.%d" % (sys.argv[2], i), "wb").write(bytes(b))
print(len(raw))
PY
n=$(python3 -c 'import base64,sys; print(len(base64.b64decode(open(sys.argv[1]).read())))' "$s/tok")
accepted=0
for ((i = 0; i < n; i++)); do
	# the ticket's sname name-type travels in the clear and is not compared
	# (RFC 4120 §6.2); --spn pins the service so every other byte matters
	if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --spn "$spn" --no-replay-cache "$s/alt.$i" \
		>/dev/null 2>&1; then
		accepted=$((accepted + 1))
		echo "altered byte $i accepted"
	fi
done
[ "$accepted" -le 1 ] || fail "$accepted altered tokens accepted"
echo "altered bytes: $n tried, $accepted accepted (the clear sname name-type at most)"

# expired: the clock two days ahead
now=$(date +%s)
if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache --time $((now + 172800)) \
	"$s/tok" 2>"$s/err"; then fail "an expired ticket was accepted"; fi
grep -q KRB_AP_ERR_TKT_EXPIRED "$s/err" || { cat "$s/err"; fail "expired: wrong error"; }

# a keytab lacking the key: only svc17's keys
kadmin.local -r "$KSSP_REALM" -q "ktadd -k $s/svc17.keytab -norandkey svc17/$KSSP_SERVICE_HOST" \
	>/dev/null 2>&1
if "$KSSP" accept -k "$s/svc17.keytab" --no-replay-cache "$s/tok" 2>"$s/err"; then
	fail "a keytab without the key accepted the token"
fi
grep -q KRB_AP_ERR_NOKEY "$s/err" || { cat "$s/err"; fail "no key: wrong error"; }

# a token from another service's ticket: refused for HTTP, fine for svc17
"$KSSP" token -c "$cc" "svc17/$KSSP_SERVICE_HOST@$KSSP_REALM" >"$s/tok17"
if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --spn "$spn" --no-replay-cache "$s/tok17" \
	2>"$s/err"; then fail "another service's ticket was accepted for $spn"; fi
grep -q KRB_AP_ERR_NOT_US "$s/err" || { cat "$s/err"; fail "wrong service: wrong error"; }
"$KSSP" accept -k "$s/svc17.keytab" --no-replay-cache "$s/tok17" >/dev/null ||
	fail "svc17's own keytab refused its token"
# input that is no token: "token <base64>" (base64 letters and a space,
# decoding to something that is no context token) and plain words (no base64)
printf 'token %s\n' "$(cat "$s/tok")" >"$s/labelled"
printf 'not a token at all\n' >"$s/words"
for f in labelled words; do
	if "$KSSP" accept -k "$KSSP_SERVICE_KEYTAB" --no-replay-cache "$s/$f" 2>"$s/err"; then
		fail "$f: accepted"
	fi
	grep -q "$s/$f is not a context token.*; accept takes one as binary DER, hex, base64 or an HTTP" \
		"$s/err" || { cat "$s/err"; fail "$f: not said to be no token"; }
done
echo "kssp token | kssp accept: success, replay, altered bytes, expiry, missing key, wrong service, no token"
