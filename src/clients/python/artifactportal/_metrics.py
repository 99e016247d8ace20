"""Metric points: validation, JSON encoding (NaN and infinities as strings) and the background sender."""

from __future__ import annotations

import math
import numbers
import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional

from ._errors import ApiError

MAX_BATCH = 1000
MAX_KEY_LENGTH = 250


def encode_value(value: Any) -> Any:
    """A metric value as the portal's JSON wants it: a number, or "NaN" / "Infinity" / "-Infinity"."""
    if isinstance(value, (bool, str, bytes)) or value is None:
        raise TypeError(f"a metric value must be a number, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        number = float(value)  # numpy scalars, 0-d tensors, Decimal ...
    except (TypeError, ValueError):
        raise TypeError(f"a metric value must be a number, not {type(value).__name__}") from None
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def make_point(key: Any, value: Any, step: int, timestamp_ms: int) -> Dict[str, Any]:
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f"a metric key must be a non-empty string, not {key!r}")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"the metric key {key[:40]!r}... is {len(key)} characters long; the portal takes at most {MAX_KEY_LENGTH}")
    try:
        encoded = encode_value(value)
    except TypeError as error:
        raise TypeError(f"metric {key!r}: {error}") from None
    return {"key": key, "step": step, "value": encoded, "timestamp": timestamp_ms}


class MetricSender:
    """Buffers points and sends them in batches of at most ``MAX_BATCH`` from a daemon thread.

    The thread sends when ``MAX_BATCH`` points are waiting or ``interval`` seconds have passed, and calls ``heartbeat``
    when nothing else was sent for ``heartbeat_interval`` seconds. A batch that could not be sent (after the client's
    own retries) goes back to the front of the buffer and is tried again on the next round, unless the portal refused it
    with a 4xx answer (then it is dropped and counted in ``dropped_points``). ``flush`` raises the error of a batch it
    could not send.
    """

    def __init__(
        self,
        send: Callable[[List[Dict[str, Any]]], None],
        heartbeat: Optional[Callable[[], None]] = None,
        *,
        interval: float = 2.0,
        heartbeat_interval: float = 60.0,
        batch_size: int = MAX_BATCH,
    ):
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        self._send = send
        self._heartbeat = heartbeat
        self._interval = interval
        self._heartbeat_interval = heartbeat_interval
        self._batch_size = batch_size
        self._pending: Deque[Dict[str, Any]] = deque()
        self._condition = threading.Condition()
        self._sending = False
        self._closed = False
        self._last_contact = time.monotonic()
        self.error: Optional[BaseException] = None
        self.sent_points = 0
        self.sent_batches = 0
        self.dropped_points = 0
        self._thread = threading.Thread(target=self._loop, name="artifactportal-metrics", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        with self._condition:
            return len(self._pending)

    def add(self, points: List[Dict[str, Any]]) -> None:
        with self._condition:
            if self._closed:
                raise RuntimeError("the run has finished; it takes no more metrics")
            self._pending.extend(points)
            if len(self._pending) >= self._batch_size:
                self._condition.notify_all()

    def flush(self) -> None:
        """Sends everything buffered now, in this thread; raises the error if a batch could not be sent."""
        with self._condition:
            # Wait for a batch the thread is sending, so batches leave in order.
            while self._sending:
                self._condition.wait(0.1)
            self._sending = True
        try:
            while True:
                batch = self._take()
                if not batch:
                    return
                try:
                    self._send_batch(batch)
                except Exception as error:
                    self._failed(batch, error)
                    raise
        finally:
            with self._condition:
                self._sending = False
                self._condition.notify_all()

    def close(self) -> None:
        """Stops the thread (after flushing is the caller's business)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    # -- the thread ------------------------------------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            with self._condition:
                if not self._closed and len(self._pending) < self._batch_size:
                    self._condition.wait(self._interval)
                if self._closed:
                    return
                if self._sending:
                    continue
                self._sending = True
            try:
                self._round()
            finally:
                with self._condition:
                    self._sending = False
                    self._condition.notify_all()

    def _round(self) -> None:
        sent_any = False
        while True:
            batch = self._take()
            if not batch:
                break
            try:
                self._send_batch(batch)
                sent_any = True
            except Exception as error:  # noqa: BLE001 - kept for flush() to raise; the thread must survive
                self._failed(batch, error)
                return
        if not sent_any and self._heartbeat and time.monotonic() - self._last_contact >= self._heartbeat_interval:
            try:
                self._heartbeat()
                self._last_contact = time.monotonic()
            except Exception as error:  # noqa: BLE001
                self.error = error

    def _take(self) -> List[Dict[str, Any]]:
        with self._condition:
            count = min(self._batch_size, len(self._pending))
            return [self._pending.popleft() for _ in range(count)]

    def _failed(self, batch: List[Dict[str, Any]], error: BaseException) -> None:
        self.error = error
        if isinstance(error, ApiError) and 400 <= error.status < 500 and error.status != 429:
            # The portal refused these points (e.g. the run has ended): sending them again cannot help.
            self.dropped_points += len(batch)
        else:
            self._put_back(batch)

    def _put_back(self, batch: List[Dict[str, Any]]) -> None:
        with self._condition:
            self._pending.extendleft(reversed(batch))

    def _send_batch(self, batch: List[Dict[str, Any]]) -> None:
        self._send(batch)
        self._last_contact = time.monotonic()
        self.sent_points += len(batch)
        self.sent_batches += 1
        self.error = None
