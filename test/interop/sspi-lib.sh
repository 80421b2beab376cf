# test/interop/sspi-lib.sh - shared by the t_sspi_*.sh tests (sourced).
#
# sspi_cc ARGS...   compiles a test program against $KSSP_BUILD's library
#                   with the sanitizer that library was built with (make
#                   asan / make tsan), so that the program and the library
#                   share one runtime.
sspi_cc() {
	local lib="$KSSP_BUILD/libkssp.so" cc=${CC:-cc} san=""
	if nm -D --undefined-only "$lib" 2>/dev/null | grep -q "__tsan_"; then
		cc=clang san="-fsanitize=thread"
	elif nm -D --undefined-only "$lib" 2>/dev/null | grep -q "__asan_"; then
		san="-fsanitize=address,undefined"
		# the runtime of the compiler that built the library
		strings "$lib" 2>/dev/null | grep -q "clang version" && cc=clang
	fi
	# shellcheck disable=SC2086
	$cc $san "$@"
}
