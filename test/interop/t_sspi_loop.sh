#!/usr/bin/env bash
# The SSPI facade end to end through the public headers: MIT's kinit and
# kvno fill alice's cache, then one process runs InitializeSecurityContext
# against AcceptSecurityContext (the server reading the service keytab)
# and every message call, for both packages, the ISC_REQ sets
# (none; MUTUAL_AUTH; MUTUAL_AUTH|CONFIDENTIALITY|INTEGRITY|REPLAY_DETECT|
# SEQUENCE_DETECT), with and without ALLOCATE_MEMORY.  The first loop of a
# credential gets the service ticket from the KDC (TGS) by itself.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
prog="$KSSP_TEST_SCRATCH/sspiloop"
sspi_cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$prog" test/sspi/sspiloop.c \
	-L"$KSSP_BUILD" -lkssp
export KRB5CCNAME="FILE:$KSSP_TEST_SCRATCH/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null

for pkg in Kerberos Negotiate; do
	for req in 0 0x2 0x1001e; do
		for alloc in 0 1; do
			LD_LIBRARY_PATH="$KSSP_BUILD" "$prog" "$pkg" "HTTP/$KSSP_SERVICE_HOST" \
				"$KSSP_SERVICE_KEYTAB" "$req" "$alloc" 20 | tee "$KSSP_TEST_SCRATCH/out"
			grep -q "server sees client $KSSP_USER" "$KSSP_TEST_SCRATCH/out"
			grep -q "^client credential: $KSSP_USER$" "$KSSP_TEST_SCRATCH/out"
		done
	done
done

# Session keys of one enctype (the client asks the TGS for that one only,
# through a krb5.conf listed before the realm's): a token buffer of
# cbSecurityTrailer bytes holds messages of 1 to 70000 bytes, the RC4
# token's framing growing with them.
for et in 18:aes256-cts-hmac-sha1-96:60 23:arcfour-hmac:49; do
	IFS=: read -r n name trailer <<<"$et"
	printf '[libdefaults]\n default_tgs_enctypes = %s\n' "$name" >"$KSSP_TEST_SCRATCH/$n.conf"
	KRB5_CONFIG="$KSSP_TEST_SCRATCH/$n.conf:$KRB5_CONFIG" LD_LIBRARY_PATH="$KSSP_BUILD" \
		"$prog" Kerberos "svc$n/$KSSP_SERVICE_HOST" "$KSSP_SERVICE_KEYTAB" 0x1001e 0 2 |
		tee "$KSSP_TEST_SCRATCH/out"
	grep -q "^cbSecurityTrailer $trailer held messages of 1 to 70000 bytes$" "$KSSP_TEST_SCRATCH/out"
done

# A service the realm does not have: SEC_E_TARGET_UNKNOWN with the KDC's reason.
set +e
LD_LIBRARY_PATH="$KSSP_BUILD" "$prog" Kerberos "HTTP/nowhere.kssp.test" \
	"$KSSP_SERVICE_KEYTAB" 0x2 0 >"$KSSP_TEST_SCRATCH/out2" 2>&1
rc=$?
set -e
[ $rc -ne 0 ]
grep -q "ISC leg 1: SEC_E_TARGET_UNKNOWN" "$KSSP_TEST_SCRATCH/out2"
grep -q "KDC_ERR_S_PRINCIPAL_UNKNOWN" "$KSSP_TEST_SCRATCH/out2"
echo "sspi loop: 12 configurations x 20 loops, enctypes 18 and 23 with large messages passed"
