#!/usr/bin/python3
"""test/interop/kkdcp-proxy.py CERT KEY PORTFILE - Debian's python3-kdcproxy
(the WSGI application Apache runs in production) served over TLS on
127.0.0.1 by the standard library's WSGI server, one request at a time.
KDCPROXY_CONFIG names its configuration (which realm goes to which KDC).
Writes the port it listens on to PORTFILE; runs until killed."""
import os
import ssl
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

import kdcproxy


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        sys.stderr.write("kkdcp-proxy: %s\n" % (args[0] % args[1:]))


def main():
    cert, key, portfile = sys.argv[1:4]
    httpd = make_server("127.0.0.1", 0, kdcproxy.Application(), handler_class=QuietHandler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % httpd.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
