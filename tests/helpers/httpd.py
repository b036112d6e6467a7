#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# httpd.py - a loopback HTTP(S) server for the report/profile integration tests: records requests, answers per mode.
#
#   httpd.py --mode MODE --port-file FILE --log FILE [--lifetime SECS]
#            [--tls CERT KEY] [--serve-dir DIR]
#
# Binds 127.0.0.1 on a free port and writes the port to --port-file once it
# listens. Every request is appended to --log as one JSON line: method,
# path, headers, body and the monotonic time it arrived. Modes:
#
#   record        answer 201 with a small JSON body
#   503-then-201  503 to the first request, 201 after
#   429-then-201  429 with Retry-After: 1 to the first request, 201 after
#   401           401 to every request
#   hang          read the request, never answer
#   302           302 to http://127.0.0.2/elsewhere (never to be followed)
#   escape        201 with terminal escape sequences in the body
#   files         GET serves --serve-dir/PATH (404 when missing)
#
# The server exits by itself after --lifetime seconds (default 60), so a
# test that dies cannot leave it behind for long; tests kill it on exit too.
import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 << 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True,
                    choices=["record", "503-then-201", "429-then-201", "401", "hang", "files",
                             "302", "escape"])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--serve-dir")
    args = ap.parse_args()

    lock = threading.Lock()
    state = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # quiet: the test reads --log
            pass

        def setup(self):
            super().setup()
            if args.tls:
                try:
                    self.request.do_handshake()
                except (ssl.SSLError, OSError):
                    self.close_connection = True
                    raise

        def record(self, body):
            with lock:
                state["n"] += 1
                n = state["n"]
                with open(args.log, "a") as f:
                    f.write(json.dumps({
                        "n": n,
                        "time": time.monotonic(),
                        "method": self.command,
                        "path": self.path,
                        "headers": {k: v for k, v in self.headers.items()},
                        "body": body.decode("utf-8", "replace"),
                    }) + "\n")
            return n

        def answer(self, status, body, ctype="application/json", extra=None):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, MAX_BODY)) if length > 0 else b""
            n = self.record(body)
            mode = args.mode
            if mode == "hang":
                time.sleep(args.lifetime + 5)
                return
            if mode == "401":
                self.answer(401, '{"error": "bad token"}')
            elif mode == "302":
                self.answer(302, "moved\n", "text/plain",
                            extra={"Location": "http://127.0.0.2/elsewhere"})
            elif mode == "escape":
                self.answer(201, '{"id": "\x1b]0;pwned\x07\x1b[2J"}')
            elif mode == "503-then-201" and n == 1:
                self.answer(503, '{"error": "try later"}')
            elif mode == "429-then-201" and n == 1:
                self.answer(429, '{"error": "slow down"}', extra={"Retry-After": "1"})
            elif mode == "files":
                name = os.path.basename(self.path.split("?")[0])
                path = os.path.join(args.serve_dir or ".", name)
                if not name or not os.path.isfile(path):
                    self.answer(404, "not found\n", "text/plain")
                else:
                    with open(path) as f:
                        self.answer(200, f.read(), "application/yaml")
            else:
                self.answer(201, '{"id": 4242, "url": "/tickets/4242"}')

        do_POST = handle_any
        do_GET = handle_any
        do_PUT = handle_any

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def get_request(self):
            sock, addr = super().get_request()
            if args.tls:
                sock = ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            return sock, addr

        def handle_error(self, request, client_address):
            pass  # failed handshakes are part of the tests

    ctx = None
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])

    srv = Server(("127.0.0.1", 0), Handler)
    srv.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    open(args.log, "a").close()

    def die():
        time.sleep(args.lifetime)
        os._exit(0)

    threading.Thread(target=die, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
