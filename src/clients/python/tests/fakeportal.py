"""A scripted HTTP server on a loopback port, for the client's behaviour on failures the real portal does not produce
on demand (5xx answers, dropped connections)."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, List, Optional, Tuple

Answer = Tuple[int, Any]
Handler = Callable[["Recorded"], Optional[Answer]]


class Recorded:
    def __init__(self, method: str, path: str, headers: Any, body: bytes, sha256: str, chunked: bool):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.sha256 = sha256
        self.chunked = chunked

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class FakePortal:
    """Answers each request with the first matching scripted answer; bodies over 1 MiB are only hashed."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.routes: List[Tuple[str, str, Handler]] = []
        portal = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
                length = int(self.headers.get("Content-Length") or 0)
                digest = hashlib.sha256()
                kept = bytearray()
                remaining = length
                while remaining > 0:
                    block = self.rfile.read(min(65536, remaining))
                    if not block:
                        break
                    digest.update(block)
                    if length <= 1024 * 1024:
                        kept.extend(block)
                    remaining -= len(block)
                recorded = Recorded(self.command, self.path, self.headers, bytes(kept), digest.hexdigest(), chunked)
                portal.requests.append(recorded)
                answer = portal._answer(recorded)
                if answer is None:
                    # Drop the connection without an answer, like a crashed proxy.
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, body = answer
                if isinstance(body, (bytes, bytearray)):
                    payload, kind = bytes(body), "application/octet-stream"
                elif body is None:
                    payload, kind = b"", "application/json"
                else:
                    payload = json.dumps(body).encode("utf-8")
                    kind = "application/problem+json" if status >= 400 else "application/json"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def route(self, method: str, path_prefix: str, handler: Handler) -> None:
        self.routes.append((method, path_prefix, handler))

    def answer(self, method: str, path_prefix: str, *answers: Answer) -> None:
        """Answers in turn; the last one repeats."""
        queue = list(answers)

        def handler(_: Recorded) -> Optional[Answer]:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route(method, path_prefix, handler)

    def calls(self, method: str, path_prefix: str) -> List[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def _answer(self, recorded: Recorded) -> Optional[Answer]:
        path = recorded.path.split("?", 1)[0]
        for method, route, handler in self.routes:
            # A route ending in "/" takes every path below it; others only their own path.
            if recorded.method == method and (path.startswith(route) if route.endswith("/") else path == route):
                return handler(recorded)
        return 404, {"title": "Not found", "status": 404, "detail": f"No route for {recorded.method} {recorded.path}."}

    def __enter__(self) -> "FakePortal":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
