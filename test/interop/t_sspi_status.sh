#!/usr/bin/env bash
# Each return code the Kerberos
# InitializeSecurityContext documentation lists comes out of a scenario
# against the loopback realm (test/sspi/iscstatus.c): SEC_E_OK,
# SEC_I_CONTINUE_NEEDED, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
# SEC_E_LOGON_DENIED, SEC_E_NO_AUTHENTICATING_AUTHORITY,
# SEC_E_NO_CREDENTIALS, SEC_E_TARGET_UNKNOWN, SEC_E_UNSUPPORTED_FUNCTION,
# SEC_E_WRONG_PRINCIPAL, SEC_E_INSUFFICIENT_MEMORY (every allocation of a
# first call failed in turn), SEC_E_INTERNAL_ERROR.
set -euo pipefail
cd "$KSSP_SRC"
# shellcheck source=sspi-lib.sh
. test/interop/sspi-lib.sh
d=$KSSP_TEST_SCRATCH
# The libraries libkssp.a needs (Nettle, and GnuTLS when built with TLS).
read -ra libs <<<"${KSSP_LIB_LIBS:--lnettle}"
sspi_cc -std=c11 -Wall -Wextra -Werror -I. -Iinclude -o "$d/iscstatus" test/sspi/iscstatus.c \
	test/unit/memfault.c "$KSSP_BUILD/libkssp.a" "${libs[@]}" \
	-Wl,--wrap=kssp_malloc,--wrap=kssp_calloc,--wrap=kssp_free,--wrap=kssp_free_secret
export KRB5CCNAME="FILE:$d/cc"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null
# A krb5.conf whose KDC does not listen (port 9, discard), one that does not parse.
sed "s/127\.0\.0\.1:$KSSP_KDC_PORT/127.0.0.1:9/g" "$KRB5_CONFIG" >"$d/dead.conf"
printf '[libdefaults\n' >"$d/bad.conf"
# The service under another key than the KDC's.
printf 'addent -password -p HTTP/%s@%s -k 2 -e aes256-cts-hmac-sha1-96\nanother-password\nwkt %s\n' \
	"$KSSP_SERVICE_HOST" "$KSSP_REALM" "$d/wrong.keytab" | ktutil >/dev/null
"$d/iscstatus" "HTTP/$KSSP_SERVICE_HOST" "$KSSP_SERVICE_KEYTAB" "$d/wrong.keytab" \
	"$KSSP_USER" "$KSSP_PASSWORD" "$d/dead.conf" "$d/bad.conf"
