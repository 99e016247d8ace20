"""The HTTP layer: JSON requests with a bearer token, problem details as exceptions, retries with backoff."""

from __future__ import annotations

import http.client
import io
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, BinaryIO, Callable, Dict, Iterable, Optional, Tuple

from ._errors import ApiError, ArtifactPortalError, ConnectionFailed

URL_VARIABLE = "ARTIFACTPORTAL_URL"
TOKEN_VARIABLE = "ARTIFACTPORTAL_TOKEN"
API_PREFIX = "/api/v1"

# 507 (quota) and 501 are answers, not outages: retrying cannot change them.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

BodyFactory = Callable[[], Tuple[BinaryIO, int]]


def quote(segment: str) -> str:
    """One URL path segment (a slug, an artifact name, an alias)."""
    return urllib.parse.quote(str(segment), safe="")


class Response:
    """An open streaming response; use as a context manager and read ``body`` in blocks."""

    def __init__(self, raw: http.client.HTTPResponse):
        self.raw = raw
        self.status = raw.status
        self.headers = raw.headers

    def read(self, size: Optional[int] = None) -> bytes:
        # Python 3.9's HTTPResponse.read(-1) fails: only pass a size when there is one.
        return self.raw.read() if size is None else self.raw.read(size)

    def iter_blocks(self, block_size: int = 1024 * 1024) -> Iterable[bytes]:
        while True:
            block = self.raw.read(block_size)
            if not block:
                return
            yield block

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class Client:
    """Talks to one portal with one access token.

    ``url`` and ``token`` default to ``ARTIFACTPORTAL_URL`` and ``ARTIFACTPORTAL_TOKEN``. Calls that are safe to repeat
    are retried ``retries`` times on connection errors and 429/5xx answers, waiting ``backoff`` seconds, then twice as
    long each time (with jitter), at most ``max_backoff``.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        token: Optional[str] = None,
        *,
        timeout: float = 60.0,
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
    ):
        url = url or os.environ.get(URL_VARIABLE)
        token = token or os.environ.get(TOKEN_VARIABLE)
        if not url:
            raise ArtifactPortalError(f"No portal URL: pass url=... or set {URL_VARIABLE} (e.g. https://portal.example.com).")
        if not token:
            raise ArtifactPortalError(
                f"No access token: pass token=... or set {TOKEN_VARIABLE} (create one under Account > Access tokens).")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ArtifactPortalError(f"The portal URL must start with http:// or https://, not {url!r}.")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._opener = urllib.request.build_opener(_NoRedirect())

    # -- JSON calls ------------------------------------------------------------------------------------------------

    def get(self, path: str, query: Optional[Dict[str, Any]] = None) -> Any:
        return self.call("GET", path, query=query, retry=True)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: Optional[Dict[str, Any]] = None,
        retry: bool = False,
    ) -> Any:
        """Sends ``body`` as JSON and returns the decoded answer (None for an empty one). ``retry`` only for calls
        that are safe to repeat."""
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"

        def body_factory() -> Tuple[BinaryIO, int]:
            return io.BytesIO(data or b""), len(data or b"")

        with self.open(method, path, body_factory if data is not None else None, headers=headers, query=query, retry=retry) as response:
            payload = response.read()
        if not payload:
            return None
        return json.loads(payload.decode("utf-8"))

    # -- streaming -------------------------------------------------------------------------------------------------

    def open(
        self,
        method: str,
        path: str,
        body: Optional[BodyFactory] = None,
        *,
        headers: Optional[Dict[str, str]] = None,
        query: Optional[Dict[str, Any]] = None,
        retry: bool = False,
    ) -> Response:
        """Sends a request and returns the open response; raises :class:`ApiError` for an error status.

        ``body`` is a function returning a fresh (stream, length) pair, called again for each attempt, so a file is
        sent in blocks and never read into memory whole.
        """
        url = self.absolute(path, query)
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            stream = None
            try:
                request = urllib.request.Request(url, method=method)
                request.add_header("Authorization", f"Bearer {self.token}")
                request.add_header("User-Agent", "artifactportal-python")
                for name, value in (headers or {}).items():
                    request.add_header(name, value)
                if body is not None:
                    stream, length = body()
                    request.data = stream
                    request.add_header("Content-Length", str(length))
                elif method in ("POST", "PUT", "PATCH"):
                    request.data = b""
                raw = self._opener.open(request, timeout=self.timeout)
                return Response(raw)
            except urllib.error.HTTPError as error:
                status = error.code
                detail, problem = _problem(error)
                error.close()
                if status in RETRYABLE_STATUSES and not last:
                    self._sleep(attempt, error.headers.get("Retry-After"))
                    continue
                raise ApiError(status, method, _display(url), detail, problem) from None
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as error:
                if not last:
                    self._sleep(attempt, None)
                    continue
                reason = getattr(error, "reason", error)
                tried = f" after {attempts} attempts" if attempts > 1 else ""
                raise ConnectionFailed(f"{method} {_display(url)} failed{tried}: {reason}") from error
            finally:
                if stream is not None:
                    stream.close()
        raise AssertionError("unreachable")

    def absolute(self, path: str, query: Optional[Dict[str, Any]] = None) -> str:
        """``/projects/x`` → ``{url}/api/v1/projects/x``; paths the portal returns (``/api/v1/...``) are kept."""
        if path.startswith("http://") or path.startswith("https://"):
            url = path
        elif path.startswith(API_PREFIX + "/"):
            url = self.url + path
        else:
            url = self.url + API_PREFIX + ("" if path.startswith("/") else "/") + path
        if query:
            pairs = {k: v for k, v in query.items() if v is not None}
            if pairs:
                url += ("&" if "?" in url else "?") + urllib.parse.urlencode(pairs)
        return url

    def _sleep(self, attempt: int, retry_after: Optional[str]) -> None:
        delay = min(self.max_backoff, self.backoff * (2 ** attempt))
        delay *= 0.5 + random.random() / 2
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), self.max_backoff))
        time.sleep(delay)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect means a sign-in page or a wrong URL; following it would hide the real problem (and drop the body).
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _problem(error: urllib.error.HTTPError) -> Tuple[str, Dict[str, Any]]:
    try:
        payload = error.read()
    except Exception:  # noqa: BLE001 - the status alone still explains the failure
        payload = b""
    problem: Dict[str, Any] = {}
    try:
        decoded = json.loads(payload.decode("utf-8")) if payload else {}
        if isinstance(decoded, dict):
            problem = decoded
    except ValueError:
        pass
    detail = problem.get("detail") or problem.get("title")
    if not detail:
        if error.code in (301, 302, 303, 307, 308):
            detail = f"redirected to {error.headers.get('Location')}; is the URL right and the token valid?"
        elif error.code == 401:
            detail = "the access token was refused (expired, revoked or mistyped)"
        else:
            detail = payload.decode("utf-8", "replace").strip()[:500] or (error.reason or "no details")
    return str(detail), problem


def _display(url: str) -> str:
    return url.split("?", 1)[0]
