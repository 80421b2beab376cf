#!/usr/bin/env python3
"""test/tools/ctx_fuzz_seeds.py - writes the seed corpora of the context
fuzz targets (fixtures/fuzz/ctx_*/) from MIT's captured tokens in
fixtures/context/mit-*.txt.  Run from the source tree root."""
import glob
import os

out = "fixtures/fuzz"
for d in ("ctx_unframe", "ctx_accept", "ctx_unwrap"):
    os.makedirs(os.path.join(out, d), exist_ok=True)

def write(d, name, data):
    with open(os.path.join(out, d, name), "wb") as f:
        f.write(data)

for path in sorted(glob.glob("fixtures/context/mit-*.txt")):
    base = os.path.basename(path)[:-4]
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if f[0] in ("ap_req", "ap_rep"):
            tok = bytes.fromhex(f[1])
            write("ctx_unframe", "%s-%s" % (base, f[0]), tok)
            if f[0] == "ap_req":
                write("ctx_accept", base, tok)
        # the unwrap target's keys are those of the two nomutual captures
        if f[0] == "token" and f[1] == "init" and base in ("mit-e17-nomutual", "mit-e23-nomutual"):
            key = 1 if "e23" in base else 0
            msg, tok = bytes.fromhex(f[3]), bytes.fromhex(f[4])
            kind = f[2]
            if kind == "mic":
                seed = bytes([key, 2, len(msg)]) + msg + tok
            else:
                seed = bytes([key, 0]) + tok
            write("ctx_unwrap", "%s-%s" % (base, kind), seed)
