"""Exceptions raised by the client."""

from __future__ import annotations

from typing import Any, Dict, Optional


class ArtifactPortalError(Exception):
    """Base class: the client could not do what was asked (bad arguments, missing settings, unreachable server)."""


class ApiError(ArtifactPortalError):
    """The portal answered with an error status; ``detail`` is the problem's explanation (RFC 7807)."""

    def __init__(self, status: int, method: str, url: str, detail: str, problem: Optional[Dict[str, Any]] = None):
        self.status = status
        self.method = method
        self.url = url
        self.detail = detail
        self.problem = problem or {}
        super().__init__(f"{method} {url} answered {status}: {detail}")

    @property
    def errors(self) -> Dict[str, Any]:
        """Field errors of a validation problem, e.g. ``{"Name": ["..."]}``; empty otherwise."""
        value = self.problem.get("errors")
        return value if isinstance(value, dict) else {}


class ConnectionFailed(ArtifactPortalError):
    """The portal could not be reached, even after retrying."""


class IntegrityError(ArtifactPortalError):
    """A downloaded file's SHA-256 did not match the one the portal recorded."""
