"""Runs: create one, log params, metrics and artifacts to it, finish it (also when the script dies)."""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set

from . import _artifacts
from ._errors import ApiError, ArtifactPortalError
from ._http import Client, quote
from ._metrics import MetricSender, make_point

_active: "Set[Run]" = set()
_hooks_installed = False
_lock = threading.Lock()
_uncaught: Optional[BaseException] = None


def init(
    project: str,
    experiment: Optional[str] = None,
    config: Optional[Mapping[str, Any]] = None,
    name: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    notes: Optional[str] = None,
    *,
    url: Optional[str] = None,
    token: Optional[str] = None,
    client: Optional[Client] = None,
    flush_interval: float = 2.0,
    heartbeat_interval: float = 60.0,
) -> "Run":
    """Starts a run in ``project`` (a slug) and returns it.

    ``config`` becomes the run's params (nested mappings are flattened to ``a.b`` keys). ``url``/``token`` default to
    ``ARTIFACTPORTAL_URL``/``ARTIFACTPORTAL_TOKEN``. The git commit, entry point and host are recorded as the source.
    """
    client = client or Client(url, token)
    body: Dict[str, Any] = {"source": source_info()}
    if experiment:
        body["experiment"] = experiment
    if name:
        body["name"] = name
    if config:
        body["params"] = flatten_params(config)
    if tags:
        body["tags"] = list(tags)
    if notes:
        body["notes"] = notes
    data = client.call("POST", f"/projects/{quote(project)}/runs", body)
    run = Run(client, project, data, flush_interval=flush_interval, heartbeat_interval=heartbeat_interval)
    _register(run)
    return run


class Run:
    """A running run. Use ``with ap.init(...) as run:`` or call :meth:`finish`; a script that ends without finishing
    finishes its runs at exit (``failed`` after an uncaught exception, ``killed`` after Ctrl-C)."""

    def __init__(self, client: Client, project: str, data: Dict[str, Any], *, flush_interval: float = 2.0, heartbeat_interval: float = 60.0):
        self.client = client
        self.project = project
        self.data = data
        self._path = f"/projects/{quote(project)}/runs/{int(data['number'])}"
        self._next_step = 0
        self._step_lock = threading.Lock()
        self._finished = False
        self._metrics = MetricSender(
            self._send_points, self._send_heartbeat, interval=flush_interval, heartbeat_interval=heartbeat_interval)

    # -- identity --------------------------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def number(self) -> int:
        return int(self.data["number"])

    @property
    def name(self) -> str:
        return str(self.data.get("name") or f"run-{self.number}")

    @property
    def url(self) -> Optional[str]:
        """The run's page in the portal."""
        page = self.data.get("url")
        if page and page.startswith("/"):
            return self.client.url + page
        return page

    @property
    def finished(self) -> bool:
        return self._finished

    def __repr__(self) -> str:
        return f"<Run {self.project}#{self.number} {self.name!r}>"

    # -- logging ---------------------------------------------------------------------------------------------------

    def log(self, metrics: Mapping[str, Any], step: Optional[int] = None, *, timestamp: Optional[float] = None) -> None:
        """Buffers one value per key at ``step`` (default: one more than the last step logged, starting at 0).

        Values are numbers; NaN and infinities are kept. ``timestamp`` is Unix seconds (default: now). Points are sent
        in the background; nothing here waits for the network.
        """
        self._check_open()
        if not isinstance(metrics, Mapping):
            raise TypeError("run.log() takes a mapping of metric names to numbers, e.g. {'loss': 0.3}")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
            raise ValueError(f"step must be an integer >= 0, not {step!r}")
        stamp = int(round((time.time() if timestamp is None else timestamp) * 1000))
        with self._step_lock:
            used = self._next_step if step is None else step
            points = [make_point(key, value, used, stamp) for key, value in metrics.items()]
            self._next_step = used + 1
        if points:
            self._metrics.add(points)

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Adds params (written once: the same key with another value is refused with 409)."""
        self._check_open()
        self.data = self.client.call("PATCH", self._path, {"params": flatten_params(params)}, retry=True)

    def add_tags(self, *tags: str) -> None:
        self._check_open()
        self.data = self.client.call("PATCH", self._path, {"addTags": list(tags)}, retry=True)

    def flush(self) -> None:
        """Sends every buffered metric point now; raises if the portal could not be reached or refused them."""
        self._metrics.flush()

    @property
    def pending_points(self) -> int:
        return self._metrics.pending

    # -- artifacts -------------------------------------------------------------------------------------------------

    def use_artifact(self, reference: str) -> _artifacts.ArtifactVersion:
        """Records ``project/artifact:ref`` (or ``artifact:ref`` in this run's project) as an input of the run and
        returns the version; call ``.download()`` on it for the files."""
        self._check_open()
        project, artifact, ref = _artifacts.parse_reference(reference, self.project)
        recorded = self.client.call("POST", self._path + "/inputs", {"reference": f"{project}/{artifact}:{ref}"}, retry=True)
        resolved = (recorded or {}).get("reference") or f"{project}/{artifact}:{ref}"
        project, artifact, ref = _artifacts.parse_reference(resolved)
        return _artifacts.resolve(self.client, project, artifact, ref)

    def log_artifact(
        self,
        path: str,
        name: str,
        type: str = "Other",
        *,
        aliases: Sequence[str] = (),
        metadata: Optional[Dict[str, Any]] = None,
        description: Optional[str] = None,
        tags: Optional[Sequence[str]] = None,
    ) -> _artifacts.ArtifactVersion:
        """Uploads a file or folder as a new version of ``name`` in this run's project, produced by this run.

        The artifact is created with ``type`` (Dataset, Model, Evaluation, Visualization, Config, Log, Other) when it
        does not exist. Each file is hashed, then streamed; then the version is committed and ``aliases`` point at it.
        """
        self._check_open()
        return _artifacts.log_artifact(
            self.client, self.project, path, name, type, aliases=aliases, metadata=metadata, description=description,
            tags=tags, run_id=self.id)

    # -- ending ----------------------------------------------------------------------------------------------------

    def finish(self, status: str = "finished") -> None:
        """Sends buffered metrics, then ends the run with ``status`` (finished, failed or killed). Calling it again
        does nothing."""
        if status not in ("finished", "failed", "killed"):
            raise ValueError("status must be 'finished', 'failed' or 'killed'")
        if self._finished:
            return
        error: Optional[BaseException] = None
        try:
            self._metrics.flush()
        except Exception as e:  # noqa: BLE001 - the run must still be ended; raised below
            error = e
        self._metrics.close()
        self._finished = True
        with _lock:
            _active.discard(self)
        try:
            self.data = self.client.call("PATCH", self._path, {"status": status}, retry=True)
        except ApiError as ended:
            # A retried PATCH whose first attempt got through finds the run already ended.
            current = self.client.get(self._path) if ended.status == 409 else None
            if not current or current.get("status") == "running":
                raise
            self.data = current
        if error is not None:
            raise ArtifactPortalError(
                f"The run ended as {status}, but {self._metrics.pending + self._metrics.dropped_points} metric points "
                f"could not be sent: {error}") from error
        if self._metrics.dropped_points:
            raise ArtifactPortalError(
                f"The run ended as {status}, but the portal refused {self._metrics.dropped_points} metric points: {self._metrics.error}")

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self.finish("killed")
        else:
            try:
                self.finish("failed")
            except Exception:  # noqa: BLE001 - the script's own exception is the one to show
                pass

    # -- internals -------------------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._finished:
            raise ArtifactPortalError(f"{self!r} has finished; start a new run with artifactportal.init().")

    def _send_points(self, points: List[Dict[str, Any]]) -> None:
        # Retried on outages: a batch whose answer was lost is sent again, and the portal then keeps both copies.
        self.client.call("POST", self._path + "/metrics", {"points": points}, retry=True)

    def _send_heartbeat(self) -> None:
        self.client.call("POST", self._path + "/heartbeat", retry=True)


def flatten_params(params: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    """``{"opt": {"lr": 0.1}}`` → ``{"opt.lr": 0.1}``; None, lists and other values that are not scalars become JSON
    text."""
    flat: Dict[str, Any] = {}
    for key, value in params.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_params(value, full + "."))
        elif value is None:
            # The portal takes strings, numbers and booleans only.
            flat[full] = "null"
        elif isinstance(value, (str, bool, int)):
            flat[full] = value
        elif isinstance(value, float):
            flat[full] = value if value == value and value not in (float("inf"), float("-inf")) else str(value)
        else:
            try:
                flat[full] = json.dumps(value, default=str)
            except (TypeError, ValueError):
                flat[full] = str(value)
    return flat


def source_info() -> Dict[str, Any]:
    """Where the run comes from: the git commit of the script's folder (if any), the entry point and the host."""
    entry = sys.argv[0] if sys.argv and sys.argv[0] else ""
    source: Dict[str, Any] = {"host": socket.gethostname()}
    if entry:
        source["entryPoint"] = entry
    folder = os.path.dirname(os.path.abspath(entry)) if entry and entry != "-c" else os.getcwd()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5, check=False)
        if commit.returncode == 0 and commit.stdout.strip():
            source["commit"] = commit.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return source


# -- ending runs when the script ends -------------------------------------------------------------------------------

def _register(run: Run) -> None:
    global _hooks_installed
    with _lock:
        _active.add(run)
        if _hooks_installed:
            return
        _hooks_installed = True
    previous = sys.excepthook

    def excepthook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        global _uncaught
        _uncaught = exc
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
    atexit.register(_finish_all)


def _finish_all() -> None:
    if isinstance(_uncaught, KeyboardInterrupt):
        status = "killed"
    elif _uncaught is not None:
        status = "failed"
    else:
        status = "finished"
    with _lock:
        runs = list(_active)
    for run in runs:
        try:
            run.finish(status)
        except Exception as error:  # noqa: BLE001 - at exit there is nobody left to raise to
            print(f"artifactportal: could not finish {run!r}: {error}", file=sys.stderr)
