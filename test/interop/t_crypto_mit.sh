#!/usr/bin/env bash
# crypto: MIT's libk5crypto decrypts, verifies and re-derives everything
# kssp produces (test/tools/kssp-vectors | mit-vectors check), the reverse
# of the fixtures/crypto/mit-vectors.txt unit test.
set -euo pipefail
mit="$KSSP_BUILD/test/mit-vectors" ours="$KSSP_BUILD/test/kssp-vectors"
if [ ! -x "$mit" ] || [ ! -x "$ours" ]; then
	echo "SKIPPED: $mit or $ours not built (libkrb5-dev missing?)"
	exit 77
fi
"$ours" >"$KSSP_TEST_SCRATCH/kssp-vectors.txt"
"$mit" check "$KSSP_TEST_SCRATCH/kssp-vectors.txt"
