"""HTTP transport of the sandbox: a ThreadingHTTPServer that hands every request
to ``EmagSandbox.handle`` and writes back its answer."""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out without a 40 ms stall
    server_version = "eMAG-sandbox/1.0"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        sandbox = self.server.sandbox  # type: ignore[attr-defined]
        response = sandbox.handle(
            self.command,
            self.path,
            dict(self.headers.items()),
            body,
            self.client_address[0],
        )
        if response.delay:
            time.sleep(response.delay)  # REAL time: lets a client's timeout fire
        payload = response.body_bytes()
        try:
            self.send_response(response.status)
            content_type = response.content_type
            if content_type == "application/json":
                content_type = "application/json; charset=utf-8"
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. read timeout)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args) -> None:
        """Quiet: every call is recorded in ``sandbox.requests``."""


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sandbox, address) -> None:
        self.sandbox = sandbox
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """A client that went away (a worker killed mid-request) is no error
        of the sandbox: only other failures are printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(sandbox, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    return SandboxServer(sandbox, (host, port))
