#!/usr/bin/env bash
# DCE-style contexts (MS-KILE 3.4.5.1) between kssp's SSPI and MIT's GSS
# library (GSS_C_DCE_STYLE), test/interop/mit_gss_dce.c, both directions:
#   - the three legs with Windows' statuses on kssp's side (ISC: CONTINUE
#     with the bare AP-REQ, then OK with its own AP-REP; ASC: CONTINUE with
#     the bare AP-REP, then OK with no token) and MIT's on its side;
#   - one message sealed each way (the stream layout);
#   - RFC 4537: for services whose only key is aes128 (17) or arcfour-hmac
#     (23), so that the ticket's session key is of that enctype, while both
#     sides prefer aes256 (18), the acceptor subkey both sides' tokens use
#     is aes256, whichever side accepts; for the aes256 service it stays 18.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
pkg-config --exists krb5-gssapi || { echo "MIT's GSS development files missing"; exit 77; }
s=$KSSP_TEST_SCRATCH
prog=$s/kssp-mit-dce
# shellcheck disable=SC2046
sspi_cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude $(pkg-config --cflags krb5-gssapi) \
	-o "$prog" test/interop/mit_gss_dce.c -L"$KSSP_BUILD" -lkssp $(pkg-config --libs krb5-gssapi)
export LD_LIBRARY_PATH="$KSSP_BUILD" KRB5CCNAME="FILE:$s/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null

fail() { echo "t_sspi_dce: $*"; exit 1; }
# Services whose only key, and whose session keys (MIT's session_enctypes
# string attribute: its KDC otherwise gives aes256 session keys to any
# service), are aes128 or arcfour-hmac.
kt=$s/dce.keytab
cp "$KSSP_SERVICE_KEYTAB" "$kt"
svcs="HTTP"
for n in 17 23; do
	case " $KSSP_ENCTYPES " in *" $n "*) ;; *) continue ;; esac
	case $n in 17) e=aes128-cts-hmac-sha1-96 ;; 23) e=arcfour-hmac ;; esac
	{
		echo "addprinc -e $e:normal -randkey dce$n/$KSSP_SERVICE_HOST"
		echo "setstr dce$n/$KSSP_SERVICE_HOST session_enctypes $e"
		echo "ktadd -norandkey -k $kt dce$n/$KSSP_SERVICE_HOST"
	} | kadmin.local -r "$KSSP_REALM" >>"$s/kadmin.log" 2>&1 || { cat "$s/kadmin.log"; fail "kadmin.local"; }
	svcs+=" dce$n"
done
n=0
for svc in $svcs; do
	for dir in kssp-mit mit-kssp; do
		log=$s/$svc-$dir.log
		"$prog" "$dir" "$svc/$KSSP_SERVICE_HOST" "$svc@$KSSP_SERVICE_HOST" "$kt" \
			>"$log" 2>&1 || { cat "$log"; fail "$svc $dir failed"; }
		if [ "$dir" = kssp-mit ]; then
			grep -q '^kssp ISC 1 *SEC_I_CONTINUE_NEEDED *bare AP-REQ' "$log"
			grep -q '^MIT accept 1 *GSS_S_CONTINUE_NEEDED *bare AP-REP' "$log"
			grep -q '^kssp ISC 2 *SEC_E_OK *bare AP-REP' "$log"
			grep -q '^MIT accept 2 *GSS_S_COMPLETE *none' "$log"
		else
			grep -q '^MIT init 1 *GSS_S_CONTINUE_NEEDED *bare AP-REQ' "$log"
			grep -q '^kssp ASC 1 *SEC_I_CONTINUE_NEEDED *bare AP-REP' "$log"
			grep -q '^MIT init 2 *GSS_S_COMPLETE *bare AP-REP' "$log"
			grep -q '^kssp ASC 2 *SEC_E_OK *none' "$log"
		fi
		grep -q '^kssp -> MIT: "kssp to MIT, DCE style"' "$log"
		grep -q '^MIT -> kssp: "MIT to kssp, DCE style"' "$log"
		grep -q '^kssp tokens: enctype 18 ' "$log" || { cat "$log"; fail "$svc $dir: kssp's tokens not aes256"; }
		grep -q '^MIT tokens: enctype 18 (acceptor subkey)' "$log" ||
			{ cat "$log"; fail "$svc $dir: MIT's tokens not under an aes256 acceptor subkey"; }
		echo "$svc $dir: $(grep -c . "$log") lines, tokens under enctype 18"
		n=$((n + 1))
	done
done
# the session keys were what the test says: those services' ticket session keys are not aes256
for svc in $svcs; do
	[ "$svc" = HTTP ] && continue
	case $svc in dce17) e=aes128-cts-hmac-sha1-96 ;; dce23) e=arcfour-hmac ;; esac
	klist -e | grep -A1 "^.*  $svc/$KSSP_SERVICE_HOST@" | grep -q "Etype (skey, tkt): [A-Z:]*$e," ||
		{ klist -e; fail "$svc's ticket does not have a session key of $e"; }
	echo "$svc: session key $e, acceptor subkey aes256 (RFC 4537) both ways"
done
# arcfour-hmac all the way (both sides permit and prefer only 23: no list
# is sent): DCE style still has an acceptor subkey, of enctype 23, and the
# messages are RFC 4757 tokens under it, both directions.
case " $KSSP_ENCTYPES " in
*" 23 "*)
	sed '/^\[libdefaults\]/a\
	default_tgs_enctypes = arcfour-hmac\
	permitted_enctypes = arcfour-hmac' "$KRB5_CONFIG" >"$s/rc4.conf"
	for dir in kssp-mit mit-kssp; do
		log=$s/rc4-$dir.log
		KRB5_CONFIG="$s/rc4.conf" "$prog" "$dir" "dce23/$KSSP_SERVICE_HOST" "dce23@$KSSP_SERVICE_HOST" \
			"$kt" >"$log" 2>&1 || { cat "$log"; fail "dce23 $dir with arcfour-hmac only failed"; }
		grep -q '^kssp tokens: enctype 23 ' "$log" && grep -q '^MIT tokens: enctype 23' "$log" ||
			{ cat "$log"; fail "dce23 $dir: tokens not under arcfour-hmac"; }
		grep -q '^MIT -> kssp: "MIT to kssp, DCE style"' "$log"
		grep -q '^kssp -> MIT: "kssp to MIT, DCE style"' "$log"
		echo "dce23 $dir, arcfour-hmac only: RFC 4757 tokens under the acceptor subkey"
		n=$((n + 1))
	done ;;
esac
# the CLI's loop runs the three legs too
KRB5_KTNAME="FILE:$kt" "$KSSP" loop --flags dce,conf "HTTP/$KSSP_SERVICE_HOST" >"$s/loop.log" 2>&1 ||
	{ cat "$s/loop.log"; fail "kssp loop --flags dce"; }
grep -q 'leg 1: AcceptSecurityContext SEC_I_CONTINUE_NEEDED' "$s/loop.log" &&
	grep -q 'leg 2: InitializeSecurityContext SEC_E_OK' "$s/loop.log" &&
	grep -q 'leg 2: AcceptSecurityContext SEC_E_OK, token 0 bytes' "$s/loop.log" ||
	{ cat "$s/loop.log"; fail "kssp loop --flags dce: not the three legs"; }
echo "t_sspi_dce: $n DCE-style contexts with MIT's GSS, both directions"
