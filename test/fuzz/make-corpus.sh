#!/bin/sh
# test/fuzz/make-corpus.sh OUTDIR - the seed corpus: every captured message and
# token under fixtures/captures/, and each of MIT's reference encodings
# (fixtures/asn1/mit-reference.txt) as a file of its own.
set -eu
out=${1:?usage: make-corpus.sh OUTDIR}
mkdir -p "$out"
cp fixtures/captures/*.der "$out/"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
n = 0
for line in open("fixtures/asn1/mit-reference.txt"):
    if not line.startswith("encode_krb5_"):
        continue
    hexpart = line.split(": ", 1)[1]
    n += 1
    with open("%s/mit-%02d.der" % (out, n), "wb") as f:
        f.write(bytes.fromhex(hexpart))
PY
