#!/usr/bin/env python3
"""test/tools/relay.py - a loopback TCP relay that logs every framed message.

Used once to capture the fixtures under fixtures/captures/ from a throwaway
MIT KDC and MIT's gss-sample programs (see capture.sh).

  relay.py kdc LISTEN_PORT TARGET_PORT OUTDIR   # RFC 4120 §7.2.2: 4-byte length
  relay.py gss LISTEN_PORT TARGET_PORT OUTDIR   # gss-sample: flag byte + 4-byte length

Each message is written to OUTDIR/NNN-c2s.der or NNN-s2c.der (payload only,
framing removed), numbered in the order seen.  Only binds 127.0.0.1.
"""
import os
import socket
import struct
import sys
import threading

counter = [0]
lock = threading.Lock()


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def pump(src, dst, mode, outdir, direction):
    head_len = 4 if mode == "kdc" else 5
    while True:
        head = read_exact(src, head_len)
        if head is None:
            break
        (length,) = struct.unpack(">I", head[-4:])
        body = read_exact(src, length)
        if body is None:
            break
        with lock:
            counter[0] += 1
            name = os.path.join(outdir, "%03d-%s.der" % (counter[0], direction))
        if body:
            with open(name, "wb") as f:
                f.write(body)
        dst.sendall(head + body)
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(mode, listen_port, target_port, outdir):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen_port))
    ls.listen(8)
    while True:
        client, _ = ls.accept()
        server = socket.create_connection(("127.0.0.1", target_port))
        for a, b, d in ((client, server, "c2s"), (server, client, "s2c")):
            threading.Thread(target=pump, args=(a, b, mode, outdir, d), daemon=True).start()


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("kdc", "gss"):
        sys.exit(__doc__)
    serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
