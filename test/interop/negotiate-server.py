#!/usr/bin/python3
"""test/interop/negotiate-server.py CERT KEY KEYTAB PORTFILE - an HTTPS
server on 127.0.0.1 that takes HTTP Negotiate (RFC 4559) through MIT's
GSSAPI (Debian's python3-gssapi) and, unlike mod_auth_gssapi 1.6, passes
the RFC 5929 tls-server-end-point channel binding of its own certificate
to gss_accept_sec_context, so that a token bound to another certificate
is refused (GSS_S_BAD_BINDINGS).  Writes the port it listens on to
PORTFILE; one request per connection (HTTP/1.0); runs until killed."""
import base64
import hashlib
import os
import ssl
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import gssapi
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

END_POINT = b""


def end_point(cert_pem):
    """RFC 5929 §4.1: the certificate's signature hash, MD5 and SHA-1 taken up to SHA-256."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    name = cert.signature_hash_algorithm.name
    if name in ("md5", "sha1"):
        name = "sha256"
    der = cert.public_bytes(Encoding.DER)
    return hashlib.new(name, der).digest()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        sys.stderr.write("negotiate-server: %s\n" % (args[0] % args[1:]))

    def answer(self, status, body, token=None):
        data = body.encode()
        self.send_response(status)
        if token is not None:
            self.send_header("WWW-Authenticate", ("Negotiate " + token).strip())
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Negotiate "):
            self.answer(401, "authenticate\n", "")
            return
        cb = gssapi.raw.ChannelBindings(application_data=b"tls-server-end-point:" + END_POINT)
        ctx = gssapi.SecurityContext(usage="accept", channel_bindings=cb)
        try:
            out = ctx.step(base64.b64decode(auth[10:]))
            # A SPNEGO reject (RFC 4178 §4.2.2) comes with a token: python-gssapi
            # raises its error on the next look at the context.
            complete = ctx.complete
        except gssapi.raw.misc.GSSError as e:
            sys.stderr.write("negotiate-server: refused: %s\n" % e)
            self.answer(401, "refused: %s\n" % e, "")
            return
        tok = base64.b64encode(out).decode() if out else None
        if not complete:
            sys.stderr.write("negotiate-server: refused: not established\n")
            self.answer(401, "refused\n", tok or "")
            return
        self.answer(200, "hello %s\n" % ctx.initiator_name, tok)


def main():
    global END_POINT
    cert, key, keytab, portfile = sys.argv[1:5]
    os.environ["KRB5_KTNAME"] = "FILE:" + keytab
    with open(cert, "rb") as f:
        END_POINT = end_point(f.read())
    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % httpd.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
