# test/interop/sspi-lib.sh - shared by the t_sspi_*.sh tests (sourced).
#
# sspi_cc ARGS...   compiles a test program against $KSSP_BUILD's library
#                   with the sanitizer that library was built with (make
#                   asan / make tsan), so that the program and the library
#                   share one runtime.
sspi_cc() {
	local lib="$KSSP_BUILD/libkssp.so" cc=${CC:-cc} san="" undef needed
	# Whole outputs first: under pipefail an early-exiting grep -q would
	# make the pipeline fail by SIGPIPE.
	undef=$(nm -D --undefined-only "$lib" 2>/dev/null || true)
	needed=$(readelf -d "$lib" 2>/dev/null || true)
	case $undef in
	*__tsan_*) cc=clang san="-fsanitize=thread" ;;
	*__asan_*)
		san="-fsanitize=address,undefined"
		# gcc's runtime is a shared library the .so needs; clang's is linked in.
		case $needed in *libasan*) cc=gcc ;; *) cc=clang ;; esac
		;;
	esac
	# shellcheck disable=SC2086
	$cc $san "$@"
}
