#!/usr/bin/env bash
# kssp http against Apache with mod_auth_gssapi (Debian's), on 127.0.0.1:
# plain HTTP and HTTPS (mod_ssl, a CA and certificate made here), the MIT
# realm's HTTP/server.kssp.test key in the module's keytab.
#  - SPNEGO (--negotiate) and the bare krb5 token (--kerberos), each over
#    http and https: 200, the body, the server's mutual-authentication token
#    verified by kssp, the user seen by the server (REMOTE_USER in its log)
#  - https: the token carries the tls-server-end-point binding, and kssp's
#    value is the SHA-256 of the server's certificate (RFC 5929 §4.1)
#  - a server that sends no mutual-authentication token, and one that sends
#    a wrong one, are errors
# mod_auth_gssapi 1.6 passes no channel bindings to gss_accept_sec_context
# (it has no option for them): it cannot refuse a token bound to another
# certificate.  So channel bindings are also tested against
# negotiate-server.py, MIT's GSSAPI through python3-gssapi with the
# binding of its own certificate: a token bound to it is accepted, one
# bound to another end point (--tls-end-point, as behind a man in the
# middle) is refused (GSS_S_BAD_BINDINGS).
set -euo pipefail
s=$KSSP_TEST_SCRATCH
cc="FILE:$s/cc"
fail() { echo "FAIL: $*" >&2; [ -f "$s/error.log" ] && tail -20 "$s/error.log" >&2; exit 1; }
skip() { echo "$*"; exit 77; }
pids=()
pub=
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$pub" ] && rm -rf "$pub"
}
trap cleanup EXIT

apache=$(command -v apache2 || echo /usr/sbin/apache2)
mods=/usr/lib/apache2/modules
[ -x "$apache" ] || skip "apache2 not installed (apt-get install apache2 libapache2-mod-auth-gssapi)"
[ -f "$mods/mod_auth_gssapi.so" ] || skip "mod_auth_gssapi not installed (apt-get install libapache2-mod-auth-gssapi)"
[ -f "$mods/mod_ssl.so" ] || skip "mod_ssl not installed (part of apache2)"
command -v openssl >/dev/null || skip "openssl not installed"
# Built without TLS: the plain-HTTP half runs, then the test says SKIPPED.
schemes="http https"
if ! "$KSSP" http https://127.0.0.1:1/ >/dev/null 2>"$s/probe" && grep -q "built without TLS" "$s/probe"; then
	schemes=http
fi

# A throwaway CA and the server's certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kssp test CA" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
	-keyout "$s/ca.key" -out "$s/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$s/server.key" \
	-out "$s/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$s/server.ext"
openssl x509 -req -in "$s/server.csr" -CA "$s/ca.pem" -CAkey "$s/ca.key" -CAcreateserial \
	-days 2 -sha256 -extfile "$s/server.ext" -out "$s/server.pem" 2>/dev/null

port=$("$KSSP_BUILD/test/freeport")
sport=$("$KSSP_BUILD/test/freeport")
[ "$port" != "$sport" ] || sport=$("$KSSP_BUILD/test/freeport")

# Apache's worker drops to www-data (it refuses to serve as root): what it
# reads after that (the content, its copies of the keytab and krb5.conf)
# lives in a folder of its own that www-data may enter, removed at the end.
pub=$(mktemp -d /tmp/kssp-http.XXXXXX)
chmod 755 "$pub"
mkdir -p "$pub/www/mutual" "$pub/www/nomutual" "$pub/www/wrongmutual"
echo "hello from apache" >"$pub/www/mutual/index.txt"
echo "no mutual token here" >"$pub/www/nomutual/index.txt"
echo "a wrong mutual token here" >"$pub/www/wrongmutual/index.txt"
cp "$KSSP_SERVICE_KEYTAB" "$pub/http.keytab"
cp "$KRB5_CONFIG" "$pub/krb5.conf"
chmod -R a+rX "$pub"
cat >"$s/httpd.conf" <<CONF
ServerRoot $s
ServerName 127.0.0.1
Listen 127.0.0.1:$port
Listen 127.0.0.1:$sport
LoadModule mpm_prefork_module $mods/mod_mpm_prefork.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule auth_gssapi_module $mods/mod_auth_gssapi.so
LoadModule ssl_module $mods/mod_ssl.so
LoadModule headers_module $mods/mod_headers.so
User www-data
Group www-data
PidFile $s/httpd.pid
Mutex file:$s
ErrorLog $s/error.log
LogLevel info auth_gssapi:debug
LogFormat "%u %>s %r" kssp
CustomLog $s/access.log kssp
DocumentRoot $pub/www
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Location /mutual>
  AuthType GSSAPI
  AuthName "kssp test"
  GssapiCredStore keytab:$pub/http.keytab
  GssapiUseS4U2Proxy Off
  GssapiAllowedMech krb5
  Require valid-user
</Location>
# The same, with the server's mutual-authentication token taken out.
<Location /nomutual>
  AuthType GSSAPI
  AuthName "kssp test"
  GssapiCredStore keytab:$pub/http.keytab
  GssapiUseS4U2Proxy Off
  GssapiAllowedMech krb5
  Require valid-user
  Header unset WWW-Authenticate
  Header always unset WWW-Authenticate "expr=%{REQUEST_STATUS} == 200"
</Location>
# And with a token that is not the server's.
<Location /wrongmutual>
  AuthType GSSAPI
  AuthName "kssp test"
  GssapiCredStore keytab:$pub/http.keytab
  GssapiUseS4U2Proxy Off
  GssapiAllowedMech krb5
  Require valid-user
  Header set WWW-Authenticate "Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg=="
  Header always set WWW-Authenticate "Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==" "expr=%{REQUEST_STATUS} == 200"
</Location>
<VirtualHost 127.0.0.1:$sport>
  SSLEngine on
  SSLCertificateFile $s/server.pem
  SSLCertificateKeyFile $s/server.key
</VirtualHost>
CONF
KRB5_CONFIG=$pub/krb5.conf KRB5RCACHETYPE=none "$apache" -X -f "$s/httpd.conf" \
	>"$s/apache.out" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 100); do
	kill -0 "${pids[0]}" 2>/dev/null || fail "apache2 exited: $(cat "$s/apache.out")"
	if "$KSSP" http "http://127.0.0.1:$port/" >/dev/null 2>&1; then up=1; break; fi
	sleep 0.1
done
[ "$up" = 1 ] || fail "apache2 did not answer on 127.0.0.1:$port: $(cat "$s/apache.out")"

printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -c "$cc" "$KSSP_USER" >/dev/null || fail "kinit"
spn="HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"

for scheme in $schemes; do
	base="$scheme://127.0.0.1:$port"
	[ "$scheme" = https ] && base="https://127.0.0.1:$sport"
	for mech in --negotiate --kerberos; do
		what="$scheme $mech"
		"$KSSP" http -i -c "$cc" $mech --cafile "$s/ca.pem" --spn "$spn" "$base/mutual/index.txt" \
			>"$s/out" 2>"$s/err" || fail "$what: $(cat "$s/err")"
		head -1 "$s/out" | grep -q "^HTTP/1.1 200" || fail "$what: not 200: $(head -1 "$s/out")"
		grep -q "^hello from apache" "$s/out" || fail "$what: no body: $(cat "$s/out")"
		grep -qi "^WWW-Authenticate: Negotiate ." "$s/out" || fail "$what: no mutual token in the answer"
		tail -1 "$s/access.log" | grep -q "^$KSSP_USER 200 GET /mutual/index.txt" ||
			fail "$what: the server did not see $KSSP_USER: $(tail -1 "$s/access.log")"
		if [ "$scheme" = https ]; then
			want=$(openssl x509 -in "$s/server.pem" -outform der | sha256sum | cut -d' ' -f1)
			grep -q "tls-server-end-point: $want" "$s/err" ||
				fail "$what: end point is not the certificate's SHA-256 $want: $(cat "$s/err")"
		fi
		echo "ok: $what: 200, mutual token verified"
	done
done

# A server that does not authenticate itself: no mutual token is an error.
if "$KSSP" http -c "$cc" --spn "$spn" "http://127.0.0.1:$port/nomutual/index.txt" >"$s/out" 2>"$s/err"; then
	fail "no mutual token accepted: $(cat "$s/out")"
fi
grep -q "no mutual-authentication token" "$s/err" || fail "no mutual token: wrong reason: $(cat "$s/err")"
echo "ok: a missing mutual token is refused"

# A mutual token that is not the server's AP-REP: the second
# InitializeSecurityContext refuses it.
for mech in --negotiate --kerberos; do
	if "$KSSP" http -c "$cc" $mech --spn "$spn" "http://127.0.0.1:$port/wrongmutual/index.txt" \
		>"$s/out" 2>"$s/err"; then
		fail "$mech: a wrong mutual token accepted: $(cat "$s/out")"
	fi
	grep -q "the server's mutual-authentication token: SEC_E_" "$s/err" ||
		fail "$mech: wrong mutual token: wrong reason: $(cat "$s/err")"
done
echo "ok: a wrong mutual token is refused"

[ "$schemes" = http ] && skip "kssp was built without TLS (KSSP_TLS=no or no GnuTLS): the https half not run (plain HTTP passed)"
# Without -i: the status line and the body only.
"$KSSP" http -c "$cc" --cafile "$s/ca.pem" --spn "$spn" "https://127.0.0.1:$sport/mutual/index.txt" \
	>"$s/out" 2>"$s/err" || fail "https without -i: $(cat "$s/err")"
[ "$(cat "$s/out")" = "$(printf 'HTTP/1.1 200 OK\nhello from apache')" ] || fail "without -i: $(cat "$s/out")"

# A certificate kssp does not trust: refused before any token is made.
if "$KSSP" http -c "$cc" --spn "$spn" "https://127.0.0.1:$sport/mutual/index.txt" >"$s/out" 2>"$s/err"; then
	fail "untrusted certificate accepted"
fi
grep -q "not trusted" "$s/err" || fail "untrusted certificate: wrong reason: $(cat "$s/err")"
echo "ok: an untrusted certificate is refused"

# Channel bindings checked by the acceptor: MIT's GSSAPI with the server's
# own tls-server-end-point.
/usr/bin/python3 -c 'import gssapi, cryptography' 2>/dev/null ||
	skip "python3-gssapi not installed: channel bindings not checked by a server (apt-get install python3-gssapi)"
/usr/bin/python3 "$KSSP_SRC/test/interop/negotiate-server.py" "$s/server.pem" "$s/server.key" \
	"$KSSP_SERVICE_KEYTAB" "$s/cbport" 2>"$s/cbserver.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$s/cbport" ] && break; sleep 0.1; done
[ -s "$s/cbport" ] || fail "negotiate-server.py did not start: $(cat "$s/cbserver.log")"
cbport=$(cat "$s/cbport")
for mech in --negotiate --kerberos; do
	"$KSSP" http -c "$cc" $mech --cafile "$s/ca.pem" --spn "$spn" "https://127.0.0.1:$cbport/" \
		>"$s/out" 2>"$s/err" || fail "$mech: bound token refused: $(cat "$s/err"; tail -3 "$s/cbserver.log")"
	grep -q "^hello $KSSP_USER" "$s/out" || fail "$mech: bound token: $(cat "$s/out")"
	if "$KSSP" http -c "$cc" $mech --cafile "$s/ca.pem" --spn "$spn" \
		--tls-end-point "$(printf '%064d' 0)" "https://127.0.0.1:$cbport/" >"$s/out" 2>"$s/err"; then
		fail "$mech: a token bound to another end point was accepted: $(cat "$s/out")"
	fi
	grep -q "refused the Negotiate token (HTTP 401)" "$s/err" || fail "$mech: wrong binding: $(cat "$s/err"; tail -20 "$s/cbserver.log")"
	grep -i "refused" "$s/cbserver.log" | tail -1 | grep -qi "bindings" ||
		fail "$mech: the server refused for another reason: $(tail -5 "$s/cbserver.log")"
done
echo "ok: channel bindings accepted when right, refused when the end point differs"
