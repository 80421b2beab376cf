# test/interop/context-lib.sh - shared by the t_context_*.sh tests (sourced).
#
# enctype_name N        MIT's name of enctype N
# tgs_conf N FILE       a copy of $KRB5_CONFIG whose TGS requests ask for
#                       enctype N first, so that service tickets carry session
#                       keys of enctype N (MIT's KDC otherwise prefers aes256);
#                       aes256 stays listed because MIT's client needs the
#                       TGT's own session key enctype in that list
# wait_for_line FILE RE waits (at most 10 s) until FILE has a line matching RE
# fail MESSAGE          prints MESSAGE and exits 1

enctype_name() {
	case $1 in
	17) echo aes128-cts-hmac-sha1-96 ;;
	18) echo aes256-cts-hmac-sha1-96 ;;
	19) echo aes128-cts-hmac-sha256-128 ;;
	20) echo aes256-cts-hmac-sha384-192 ;;
	23) echo arcfour-hmac ;;
	*) echo "no enctype $1" >&2; return 1 ;;
	esac
}

tgs_conf() {
	local name
	name=$(enctype_name "$1") || return 1
	sed "/^\[libdefaults\]/a\\
	default_tgs_enctypes = $name aes256-cts-hmac-sha1-96" "$KRB5_CONFIG" >"$2"
}

wait_for_line() {
	local i
	for i in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

peer="$KSSP_BUILD/test/kssp-gss-peer"
[ -x "$peer" ] || fail "$peer is not built (make interop builds it)"
