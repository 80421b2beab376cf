#!/usr/bin/env bash
# The RPC buffer layouts (MS-KILE 3.4.5.4.1, MS-RPCE header signing)
# against MIT's GSS library: test/interop/rpc_iov_peer.c establishes a
# mutual context (kssp initiates and MIT accepts with the service keytab,
# then MIT initiates and kssp accepts), then kssp's EncryptMessage with SECBUFFER_READONLY_WITH_CHECKSUM
# PDU header and trailer opens in MIT's gss_unwrap_iov with SIGN_ONLY
# buffers and the reverse, sealed and integrity only, altered signed-only
# bytes refused both ways, MakeSignature / VerifySignature against
# gss_verify_mic_iov / gss_get_mic_iov over the same buffers - for session keys of enctypes 17, 18 and 23, on
# the stream layout (EC 0) and on DCE-style contexts established in their
# three legs (EC 16, RRC 28; RFC 4757: header-only framing, no padding).
set -euo pipefail
cd "$KSSP_SRC"
peer=$KSSP_BUILD/test/kssp-rpc-iov-peer
[ -x "$peer" ] || { echo "kssp-rpc-iov-peer not built (MIT's libgssapi_krb5 headers missing)"; exit 77; }
s=$KSSP_TEST_SCRATCH
export KRB5CCNAME="FILE:$s/cc" KRB5_KTNAME="FILE:$KSSP_SERVICE_KEYTAB"
printf '%s\n' "$KSSP_PASSWORD" | kinit "$KSSP_USER" >/dev/null

fail() { echo "t_sspi_rpcbuf: $*" >&2; exit 1; }
base_config=$KRB5_CONFIG
n_ok=0
for n in 17 18 23; do
	# The ticket session key (and so the subkeys) of enctype n: kssp's TGS
	# request asks for that one only.
	name=$(case $n in 17) echo aes128-cts-hmac-sha1-96 ;; 18) echo aes256-cts-hmac-sha1-96 ;;
		23) echo arcfour-hmac ;; esac)
	sed "s/^\[libdefaults\]\$/[libdefaults]\n\tdefault_tgs_enctypes = $name/" "$base_config" \
		>"$s/krb5-$n.conf"
	export KRB5_CONFIG=$s/krb5-$n.conf
	for run in stream.initiator dce.initiator stream.acceptor dce.acceptor; do
		style=${run%.*}
		log=$s/peer-$n-$run.log
		"$peer" "svc$n/$KSSP_SERVICE_HOST@$KSSP_REALM" "$style" "${run#*.}" >"$log" 2>&1 ||
			{ cat "$log"; fail "enctype $n, $style layout, kssp ${run#*.}"; }
		cat "$log"
		grep -q "^key enctype $n\$" "$log" ||
			fail "the session key of svc$n is not enctype $n: $(grep "key enctype" "$log")"
		if [ "$n" != 23 ]; then
			# Windows' parameters: EC 16 (DCE) or 0, RRC 28 when sealed;
			# EC = RRC = 12 (the checksum) when only signed.
			ec=0 trailer=60
			[ "$style" = dce ] && ec=16 trailer=76
			for who in kssp MIT; do
				grep -q "^$who token: EC $ec RRC 28 header $trailer bytes" "$log" ||
					fail "enctype $n $style: $who's sealed token is not EC $ec RRC 28"
				grep -q "^$who token: EC 12 RRC 12 header 28 bytes" "$log" ||
					fail "enctype $n $style: $who's signed token is not EC 12 RRC 12"
			done
			grep -q "cbMaxSignature 28 cbSecurityTrailer $trailer cbBlockSize 1" "$log" ||
				fail "enctype $n $style: SECPKG_ATTR_SIZES"
		elif [ "$style" = dce ]; then
			# MS-KILE 3.4.5.4.1: for MS-RPCE the framing covers the 32-byte
			# header only (0x2b = OID 11 + 32): 45 bytes.
			grep -q "^kssp token: RFC 4757, header 45 bytes, framing length 43" "$log" ||
				fail "enctype 23 dce: kssp's token is not the 45-byte header-only layout"
			grep -q "cbMaxSignature 37 cbSecurityTrailer 45 cbBlockSize 1" "$log" ||
				fail "enctype 23 dce: SECPKG_ATTR_SIZES"
		fi
		grep -q "^passed: 0 failure(s)" "$log" || fail "enctype $n $style"
		n_ok=$((n_ok + 1))
	done
done
echo "rpc layouts: $n_ok enctype/layout/role runs passed against MIT's gss_wrap_iov / gss_unwrap_iov"
