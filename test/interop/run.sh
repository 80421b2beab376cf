#!/usr/bin/env bash
# test/interop/run.sh - runs every test/interop/t_*.sh against one throwaway
# loopback MIT realm (realm.sh), then stops it by PID.
#
# A test gets env.sh's variables, KSSP (the kssp binary), KSSP_BUILD,
# KSSP_SRC (the source tree), KSSP_MUSL (`make static-musl`'s tool, for
# t_static_musl), KSSP_LIB_LIBS (what a program linking libkssp.a needs
# besides it) and KSSP_TEST_SCRATCH (its own empty folder);
# it exits 0 to pass, 77 to skip, anything else to fail, within
# KSSP_TEST_TIMEOUT seconds (default 300).
#
# Without MIT's programs every test is SKIPPED loudly; with
# KSSP_REQUIRE_INTEROP=1 (CI) a missing peer or a skipped test fails the run.
#
# Tests named t_heimdal_*.sh also get a second realm, Heimdal's KDC
# (heimdal-realm.sh, its HEIMDAL_* / KSSP_HEIMDAL_* variables from its
# env.sh), and tests named t_ad_*.sh an Active Directory domain, Samba's AD
# DC (ad-realm.sh, its AD_* / KSSP_AD_* variables). Each is started once,
# only when such a test is selected and its programs are ready (`make
# heimdal-peer`, folder KSSP_HEIMDAL_DIR, default build/heimdal; `make
# ad-peer`); otherwise those tests are SKIPPED.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${KSSP_BUILD:-$src/build}
export PATH="$PATH:/usr/sbin:/sbin"
require=${KSSP_REQUIRE_INTEROP:-0}
only=${KSSP_INTEROP_ONLY:-}
# KSSP_INTEROP_ONLY: space-separated parts of test names; a test runs when
# its name contains one of them (all run when it is empty).
selected() {
	local part
	[ -z "$only" ] && return 0
	for part in $only; do [[ $1 == *"$part"* ]] && return 0; done
	return 1
}

peers="krb5kdc kadmind kdb5_util kadmin.local kinit klist kvno gss-server gss-client"
missing=""
for p in $peers; do command -v "$p" >/dev/null 2>&1 || missing+="$p "; done
if [ -n "$missing" ]; then
	echo "SKIPPED: interop tests: missing MIT programs: $missing"
	echo "SKIPPED: install them with: apt-get install -y krb5-kdc krb5-admin-server krb5-user krb5-gss-samples"
	if [ "$require" = 1 ]; then
		echo "interop: KSSP_REQUIRE_INTEROP=1 and peers are missing: FAIL"
		exit 1
	fi
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kssp-interop.XXXXXX")
cleanup() {
	bash "$src/test/interop/realm.sh" stop "$work/realm" >/dev/null 2>&1
	bash "$src/test/interop/heimdal-realm.sh" stop "$work/heimdal" >/dev/null 2>&1
	bash "$src/test/interop/ad-realm.sh" stop "$work/ad" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! KSSP_FREEPORT="$build/test/freeport" bash "$src/test/interop/realm.sh" start "$work/realm" \
	>"$work/realm.out" 2>&1; then
	cat "$work/realm.out"
	echo "interop: 0 passed, 1 failed (the realm did not start)"
	exit 1
fi
# shellcheck disable=SC1091
. "$work/realm/env.sh"
export KSSP="$build/kssp" KSSP_BUILD="$build" KSSP_SRC="$src"

# The second and third peers, each started once for the tests named after
# it when one is selected: Heimdal's realm (t_heimdal_*.sh) and Samba's AD
# domain (t_ad_*.sh).  peer_state[NAME] is "" when no selected test needs
# it, "up" once started, else the reason its tests are skipped or failed.
declare -A peer_state=([heimdal]="" [ad]="")
peer_wanted() {	# name
	local t name
	for t in "$src"/test/interop/t_"$1"_*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		selected "$name" || continue
		return 0
	done
	return 1
}
peer_start() {	# name label check-command... -- start-command...
	local name=$1 label=$2 check=() start=()
	shift 2
	while [ "$1" != -- ]; do check+=("$1"); shift; done
	shift
	start=("$@")
	if ! "${check[@]}" >"$work/$name.out" 2>&1; then
		peer_state[$name]="skip: $label not available: $(tail -n 1 "$work/$name.out")"
	elif KSSP_FREEPORT="$build/test/freeport" "${start[@]}" >"$work/$name.out" 2>&1; then
		peer_state[$name]=up
	else
		peer_state[$name]="fail: $label did not start"
		echo "interop: $label did not start:"
		tail -n 25 "$work/$name.out" | sed 's/^/    /'
	fi
}
heimdal_dir=${KSSP_HEIMDAL_DIR:-$src/build/heimdal}
if peer_wanted heimdal; then
	peer_start heimdal "the Heimdal realm" sh "$src/build-aux/heimdal.sh" --check "$heimdal_dir" -- \
		env KSSP_HEIMDAL_BIN="$heimdal_dir/bin" bash "$src/test/interop/heimdal-realm.sh" start "$work/heimdal"
fi
if peer_wanted ad; then
	peer_start ad "the Samba AD domain" sh "$src/build-aux/ad-peer.sh" --check -- \
		bash "$src/test/interop/ad-realm.sh" start "$work/ad"
fi

passed=0 failed=0 skipped=0
for t in "$src"/test/interop/t_*.sh; do
	name=$(basename "$t" .sh)
	selected "$name" || continue
	scratch="$work/$name"
	mkdir -p "$scratch"
	peer=${name#t_}
	peer=${peer%%_*}
	state=${peer_state[$peer]-none}
	case $state in
	skip:*)
		skipped=$((skipped + 1)); echo "SKIPPED: $name: ${state#skip: }"; continue ;;
	fail:*)
		failed=$((failed + 1)); echo "FAIL: $name: ${state#fail: }"; continue ;;
	up)
		# shellcheck disable=SC1090
		(. "$work/$peer/env.sh" && KSSP_TEST_SCRATCH="$scratch" \
			timeout "${KSSP_TEST_TIMEOUT:-300}" bash "$t") >"$scratch.log" 2>&1 ;;
	*)
		KSSP_TEST_SCRATCH="$scratch" timeout "${KSSP_TEST_TIMEOUT:-300}" bash "$t" >"$scratch.log" 2>&1 ;;
	esac
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "PASS: $name" ;;
	77) skipped=$((skipped + 1)); echo "SKIPPED: $name: $(tail -n 1 "$scratch.log")" ;;
	*) failed=$((failed + 1)); echo "FAIL: $name (exit $rc); last lines of its log:"
	   tail -n 25 "$scratch.log" | sed 's/^/    /' ;;
	esac
done
# The realm must still be the one we started: a test never kills it.
kill -0 "$KSSP_KDC_PID" 2>/dev/null || { echo "FAIL: the KDC died during the tests"; failed=$((failed + 1)); }
for peer in heimdal ad; do
	if [ "${peer_state[$peer]}" = up ] && ! kill -0 "$(cat "$work/$peer/kdc.pid")" 2>/dev/null; then
		echo "FAIL: the $peer peer's KDC died during the tests"; failed=$((failed + 1))
	fi
done

if [ "$require" = 1 ] && [ "$skipped" -gt 0 ]; then
	echo "interop: KSSP_REQUIRE_INTEROP=1 and $skipped test(s) skipped: counted as failed"
	failed=$((failed + skipped))
fi
echo "interop: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
