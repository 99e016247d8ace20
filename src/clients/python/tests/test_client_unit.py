"""Unit tests: encoding, batching, retries and streaming, against a scripted local HTTP server."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import socket
import tempfile
import time
import tracemalloc
import unittest
from decimal import Decimal

from fakeportal import FakePortal

import artifactportal as ap
from artifactportal._artifacts import collect_files, log_artifact, parse_reference, sha256_file
from artifactportal._metrics import MAX_BATCH, MetricSender, encode_value, make_point
from artifactportal._run import Run, flatten_params

TOKEN = "apt_unit_test_token"
RUN = {"id": "3f8c1c1e-0000-4000-8000-000000000001", "number": 7, "name": "run-7", "status": "running", "url": "/p/vision/runs/7"}


def fast_client(url: str, retries: int = 3) -> ap.Client:
    return ap.Client(url, TOKEN, retries=retries, backoff=0.01, max_backoff=0.05, timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MetricEncodingTests(unittest.TestCase):
    def test_encode_value_non_finite_numbers_become_the_contract_strings(self):
        self.assertEqual(encode_value(float("nan")), "NaN")
        self.assertEqual(encode_value(float("inf")), "Infinity")
        self.assertEqual(encode_value(-math.inf), "-Infinity")

    def test_encode_value_numbers_stay_numbers(self):
        self.assertEqual(encode_value(3), 3)
        self.assertIsInstance(encode_value(3), int)
        self.assertEqual(encode_value(0.25), 0.25)
        self.assertEqual(encode_value(Decimal("1.5")), 1.5)

        class Scalar:  # numpy and torch scalars convert with float()
            def __float__(self) -> float:
                return 0.125

        self.assertEqual(encode_value(Scalar()), 0.125)

    def test_encode_value_non_numbers_are_refused(self):
        for value in ("0.3", True, None, b"1", [1.0]):
            with self.subTest(value=value), self.assertRaises(TypeError):
                encode_value(value)

    def test_make_point_bad_keys_are_refused_with_the_reason(self):
        with self.assertRaisesRegex(ValueError, "at most 250"):
            make_point("k" * 251, 1.0, 0, 0)
        with self.assertRaisesRegex(ValueError, "non-empty"):
            make_point(" ", 1.0, 0, 0)
        with self.assertRaisesRegex(TypeError, "'loss'"):
            make_point("loss", "high", 0, 0)

    def test_flatten_params_nested_config_becomes_dotted_keys(self):
        flat = flatten_params({"lr": 0.01, "opt": {"name": "adam", "betas": [0.9, 0.99]}, "aug": True, "seed": None, "eps": float("nan")})
        self.assertEqual(flat, {"lr": 0.01, "opt.name": "adam", "opt.betas": "[0.9, 0.99]", "aug": True, "seed": "null", "eps": "nan"})


class MetricSenderTests(unittest.TestCase):
    def test_flush_2500_points_sends_batches_of_at_most_1000_in_order(self):
        batches = []
        sender = MetricSender(batches.append, interval=60)
        try:
            sender.add([{"key": "loss", "step": i, "value": i} for i in range(2500)])
            sender.flush()
        finally:
            sender.close()
        self.assertTrue(all(len(b) <= MAX_BATCH for b in batches))
        self.assertEqual([p["step"] for b in batches for p in b], list(range(2500)))
        self.assertEqual(sender.pending, 0)

    def test_background_thread_sends_a_full_batch_without_flush(self):
        batches = []
        sender = MetricSender(batches.append, interval=60)
        try:
            sender.add([{"key": "loss", "step": i, "value": 0.0} for i in range(MAX_BATCH)])
            deadline = time.monotonic() + 5
            while not batches and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            sender.close()
        self.assertEqual([len(b) for b in batches], [MAX_BATCH])

    def test_background_thread_sends_a_partial_batch_after_the_interval(self):
        batches = []
        sender = MetricSender(batches.append, interval=0.05)
        try:
            sender.add([{"key": "loss", "step": 0, "value": 1.0}])
            deadline = time.monotonic() + 5
            while not batches and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            sender.close()
        self.assertEqual(len(batches), 1)

    def test_flush_after_an_outage_keeps_the_points_and_sends_them_later(self):
        outage = [True]
        batches = []

        def send(batch):
            if outage[0]:
                raise ap.ConnectionFailed("portal down")
            batches.append(batch)

        sender = MetricSender(send, interval=60)
        try:
            sender.add([{"key": "loss", "step": i, "value": 0.0} for i in range(10)])
            with self.assertRaises(ap.ConnectionFailed):
                sender.flush()
            self.assertEqual(sender.pending, 10)
            outage[0] = False
            sender.flush()
        finally:
            sender.close()
        self.assertEqual([p["step"] for p in batches[0]], list(range(10)))

    def test_points_the_portal_refuses_are_dropped_and_counted(self):
        def send(batch):
            raise ap.ApiError(409, "POST", "http://x/metrics", "The run has ended.")

        sender = MetricSender(send, interval=60)
        try:
            sender.add([{"key": "loss", "step": 0, "value": 0.0}])
            with self.assertRaises(ap.ApiError):
                sender.flush()
        finally:
            sender.close()
        self.assertEqual((sender.pending, sender.dropped_points), (0, 1))

    def test_heartbeat_is_sent_when_nothing_else_was(self):
        beats = []
        sender = MetricSender(lambda b: None, lambda: beats.append(time.monotonic()), interval=0.02, heartbeat_interval=0.05)
        try:
            deadline = time.monotonic() + 5
            while len(beats) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            sender.close()
        self.assertGreaterEqual(len(beats), 2)


class RunTests(unittest.TestCase):
    def setUp(self):
        self.portal = FakePortal().__enter__()
        self.addCleanup(self.portal.__exit__)
        self.portal.answer("POST", "/api/v1/projects/vision/runs/7/metrics", (200, {"accepted": 1}))
        self.portal.answer("PATCH", "/api/v1/projects/vision/runs/7", (200, dict(RUN, status="finished")))
        self.run = Run(fast_client(self.portal.url), "vision", dict(RUN), flush_interval=60)

    def points(self):
        return [p for r in self.portal.calls("POST", "/api/v1/projects/vision/runs/7/metrics") for p in r.json()["points"]]

    def test_log_without_step_counts_up_from_the_last_step(self):
        self.run.log({"loss": 1.0})
        self.run.log({"loss": 0.9})
        self.run.log({"loss": 0.5}, step=10)
        self.run.log({"loss": 0.4, "acc": 0.8})
        self.run.finish()
        self.assertEqual([(p["key"], p["step"]) for p in self.points()], [("loss", 0), ("loss", 1), ("loss", 10), ("loss", 11), ("acc", 11)])

    def test_log_nan_and_infinity_reach_the_portal_as_strings(self):
        self.run.log({"loss": float("nan"), "grad": float("inf"), "low": float("-inf")}, step=3, timestamp=1764260000.5)
        self.run.finish()
        self.assertEqual(
            self.points(),
            [
                {"key": "loss", "step": 3, "value": "NaN", "timestamp": 1764260000500},
                {"key": "grad", "step": 3, "value": "Infinity", "timestamp": 1764260000500},
                {"key": "low", "step": 3, "value": "-Infinity", "timestamp": 1764260000500},
            ],
        )

    def test_finish_sends_buffered_points_before_the_status(self):
        self.run.log({"loss": 1.0})
        self.run.finish()
        methods = [r.method for r in self.portal.requests]
        self.assertEqual(methods, ["POST", "PATCH"])
        self.assertEqual(self.portal.requests[-1].json(), {"status": "finished"})
        self.assertTrue(self.run.finished)

    def test_log_after_finish_is_refused(self):
        self.run.finish()
        with self.assertRaisesRegex(ap.ArtifactPortalError, "has finished"):
            self.run.log({"loss": 1.0})

    def test_log_bad_step_is_refused(self):
        for step in (-1, 1.5, True):
            with self.subTest(step=step), self.assertRaises(ValueError):
                self.run.log({"loss": 1.0}, step=step)
        self.run.finish()

    def test_context_manager_exception_ends_the_run_failed_and_keeps_the_exception(self):
        with self.assertRaisesRegex(RuntimeError, "diverged"):
            with self.run:
                raise RuntimeError("diverged")
        self.assertEqual(self.portal.requests[-1].json(), {"status": "failed"})

    def test_url_is_made_absolute(self):
        self.assertEqual(self.run.url, self.portal.url + "/p/vision/runs/7")
        self.run.finish()


class HttpTests(unittest.TestCase):
    def setUp(self):
        self.portal = FakePortal().__enter__()
        self.addCleanup(self.portal.__exit__)

    def test_client_without_settings_says_which_variable_to_set(self):
        saved = {k: os.environ.pop(k, None) for k in ("ARTIFACTPORTAL_URL", "ARTIFACTPORTAL_TOKEN")}
        try:
            with self.assertRaisesRegex(ap.ArtifactPortalError, "ARTIFACTPORTAL_URL"):
                ap.Client()
            with self.assertRaisesRegex(ap.ArtifactPortalError, "ARTIFACTPORTAL_TOKEN"):
                ap.Client("http://127.0.0.1:1")
        finally:
            os.environ.update({k: v for k, v in saved.items() if v is not None})

    def test_get_503_then_200_is_retried(self):
        self.portal.answer("GET", "/api/v1/me", (503, {"title": "Error", "detail": "starting"}), (200, {"name": "me"}))
        self.assertEqual(fast_client(self.portal.url).get("/me"), {"name": "me"})
        self.assertEqual(len(self.portal.calls("GET", "/api/v1/me")), 2)
        self.assertEqual(self.portal.requests[0].headers["Authorization"], f"Bearer {TOKEN}")

    def test_dropped_connection_is_retried(self):
        answers = [None, (200, {"ok": True})]
        self.portal.route("GET", "/api/v1/me", lambda r: answers.pop(0))
        self.assertEqual(fast_client(self.portal.url).get("/me"), {"ok": True})

    def test_post_is_not_retried_unless_asked(self):
        self.portal.answer("POST", "/api/v1/projects/vision/runs", (502, None))
        with self.assertRaises(ap.ApiError) as caught:
            fast_client(self.portal.url).call("POST", "/projects/vision/runs", {})
        self.assertEqual(caught.exception.status, 502)
        self.assertEqual(len(self.portal.requests), 1)

    def test_4xx_raises_api_error_with_the_problem_detail(self):
        problem = {"title": "The request is not valid", "status": 400, "detail": "Step must be >= 0.", "errors": {"points[0].step": ["Step must be >= 0."]}}
        self.portal.answer("POST", "/api/v1/projects/vision/runs/7/metrics", (400, problem))
        with self.assertRaises(ap.ApiError) as caught:
            fast_client(self.portal.url).call("POST", "/projects/vision/runs/7/metrics", {"points": []}, retry=True)
        error = caught.exception
        self.assertEqual((error.status, error.detail), (400, "Step must be >= 0."))
        self.assertIn("points[0].step", error.errors)
        self.assertIn("answered 400: Step must be >= 0.", str(error))
        self.assertEqual(len(self.portal.requests), 1, "a 4xx answer must not be retried")

    def test_507_is_not_retried(self):
        self.portal.answer("POST", "/api/v1/uploads/x/commit", (507, {"detail": "quota"}))
        with self.assertRaises(ap.ApiError):
            fast_client(self.portal.url).call("POST", "/uploads/x/commit", retry=True)
        self.assertEqual(len(self.portal.requests), 1)

    def test_unreachable_portal_raises_connection_failed_after_the_retries(self):
        client = fast_client(f"http://127.0.0.1:{free_port()}", retries=2)
        with self.assertRaisesRegex(ap.ConnectionFailed, "after 3 attempts"):
            client.get("/me")

    def test_redirect_to_sign_in_is_an_error_not_a_page(self):
        self.portal.route("GET", "/api/v1/me", lambda r: (302, None))
        with self.assertRaises(ap.ApiError) as caught:
            fast_client(self.portal.url).get("/me")
        self.assertEqual(caught.exception.status, 302)


class ArtifactFileTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="ap-unit-")
        self.addCleanup(shutil.rmtree, self.folder)

    def write(self, relative: str, content: bytes) -> str:
        path = os.path.join(self.folder, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content)
        return path

    def test_sha256_file_matches_hashlib_across_block_boundaries(self):
        content = os.urandom(3 * 1024 + 17)
        path = self.write("x.bin", content)
        self.assertEqual(sha256_file(path, block_size=1024), (hashlib.sha256(content).hexdigest(), len(content)))

    def test_collect_files_folder_gives_sorted_relative_slash_paths(self):
        self.write("b.txt", b"b")
        self.write("data/train.csv", b"t")
        self.write("a/z/deep.txt", b"d")
        self.assertEqual([p for p, _ in collect_files(self.folder)], ["b.txt", "a/z/deep.txt", "data/train.csv"])
        self.assertEqual([p for p, _ in collect_files(os.path.join(self.folder, "data", "train.csv"))], ["train.csv"])

    def test_collect_files_empty_folder_is_refused(self):
        with self.assertRaisesRegex(ap.ArtifactPortalError, "holds no files"):
            collect_files(self.folder)

    def test_parse_reference_forms(self):
        self.assertEqual(parse_reference("vision/cifar10:v3"), ("vision", "cifar10", "v3"))
        self.assertEqual(parse_reference("vision/cifar10"), ("vision", "cifar10", "latest"))
        self.assertEqual(parse_reference("cifar10:best", "vision"), ("vision", "cifar10", "best"))
        with self.assertRaises(ap.ArtifactPortalError):
            parse_reference("cifar10:best")

    def test_log_artifact_streams_a_large_file_with_its_hash_and_little_memory(self):
        size = 24 * 1024 * 1024
        path = self.write("model.pt", b"")
        with open(path, "wb") as f:
            for i in range(size // (1024 * 1024)):
                f.write(bytes([i]) * (1024 * 1024))
        expected, _ = sha256_file(path)
        with FakePortal() as portal:
            portal.answer("GET", "/api/v1/projects/vision/artifacts/resnet50", (404, {"detail": "no"}), (200, {"name": "resnet50"}))
            portal.answer("POST", "/api/v1/projects/vision/artifacts", (201, {"name": "resnet50"}))
            portal.answer("POST", "/api/v1/projects/vision/artifacts/resnet50/uploads",
                          (201, {"id": "u1", "files": [{"index": 0, "path": "model.pt", "size": size, "complete": False}]}))
            portal.answer("PUT", "/api/v1/uploads/u1/files/0", (200, {"index": 0, "complete": True}))
            portal.answer("POST", "/api/v1/uploads/u1/commit", (201, {"artifact": "resnet50", "number": 1, "files": []}))
            tracemalloc.start()
            try:
                version = log_artifact(fast_client(portal.url), "vision", path, "resnet50", "Model", run_id=RUN["id"])
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            put = portal.calls("PUT", "/api/v1/uploads/u1/files/0")[0]
            begin = portal.calls("POST", "/api/v1/projects/vision/artifacts/resnet50/uploads")[0]
        self.assertEqual(version.number, 1)
        self.assertEqual(put.sha256, expected, "the bytes sent differ from the file")
        self.assertEqual(put.headers["X-Content-SHA256"], expected)
        self.assertFalse(put.chunked)
        self.assertLess(peak, 8 * 1024 * 1024, f"uploading a {size} byte file used {peak} bytes of memory")
        self.assertEqual(begin.json()["runId"], RUN["id"])
        self.assertEqual(begin.json()["files"], [{"path": "model.pt", "size": size, "sha256": expected}])

    def test_log_artifact_skips_files_the_portal_already_has(self):
        self.write("a.txt", b"a")
        self.write("b.txt", b"b")
        with FakePortal() as portal:
            portal.answer("GET", "/api/v1/projects/vision/artifacts/ds", (200, {"name": "ds"}))
            portal.answer("POST", "/api/v1/projects/vision/artifacts/ds/uploads", (201, {"id": "u2", "files": [
                {"index": 0, "path": "a.txt", "size": 1, "complete": True}, {"index": 1, "path": "b.txt", "size": 1, "complete": False}]}))
            portal.answer("PUT", "/api/v1/uploads/u2/files/1", (200, {"index": 1, "complete": True}))
            portal.answer("POST", "/api/v1/uploads/u2/commit", (201, {"artifact": "ds", "number": 4, "files": []}))
            portal.answer("PUT", "/api/v1/projects/vision/artifacts/ds/aliases/", (200, {"version": 4}))
            portal.answer("GET", "/api/v1/projects/vision/artifacts/ds/versions/v4", (200, {"artifact": "ds", "number": 4, "aliases": ["latest", "best"]}))
            version = log_artifact(fast_client(portal.url), "vision", self.folder, "ds", "Dataset", aliases=["best"])
            puts = [r.path for r in portal.calls("PUT", "/api/v1/uploads/")]
            aliases = portal.calls("PUT", "/api/v1/projects/vision/artifacts/ds/aliases/")
        self.assertEqual(puts, ["/api/v1/uploads/u2/files/1"])
        self.assertEqual([(a.path, a.json()) for a in aliases], [("/api/v1/projects/vision/artifacts/ds/aliases/best", {"version": 4})])
        self.assertEqual(version.aliases, ["latest", "best"])

    def test_download_verifies_hashes_and_retries_a_corrupt_file(self):
        good = b"label,pixels\n3,0 0 0\n"
        sha = hashlib.sha256(good).hexdigest()
        answers = [(200, b"corrupted"), (200, good)]
        version = {"artifact": "ds", "number": 2, "files": [{"path": "data/train.csv", "size": len(good), "sha256": sha,
                                                              "downloadUrl": "/api/v1/projects/vision/artifacts/ds/versions/v2/files/data/train.csv"}]}
        with FakePortal() as portal:
            portal.route("GET", "/api/v1/projects/vision/artifacts/ds/versions/v2/files/", lambda r: answers.pop(0) if answers else (200, b"x"))
            target = ap.ArtifactVersion(fast_client(portal.url), "vision", version).download(self.folder)
            with open(os.path.join(target, "data", "train.csv"), "rb") as f:
                self.assertEqual(f.read(), good)
            # Present with the right content: not downloaded again.
            ap.ArtifactVersion(fast_client(portal.url), "vision", version).download(self.folder)
            self.assertEqual(len(portal.calls("GET", "/api/v1/")), 2)
        self.assertEqual(os.listdir(os.path.join(target, "data")), ["train.csv"], "temporary files were left behind")

    def test_download_that_never_matches_raises_integrity_error(self):
        version = {"artifact": "ds", "number": 2, "files": [{"path": "x.bin", "size": 3, "sha256": "0" * 64}]}
        with FakePortal() as portal:
            portal.answer("GET", "/api/v1/projects/vision/artifacts/ds/versions/v2/files/x.bin", (200, b"abc"))
            with self.assertRaisesRegex(ap.IntegrityError, "x.bin"):
                ap.ArtifactVersion(fast_client(portal.url, retries=1), "vision", version).download(self.folder)
        self.assertFalse(os.path.exists(os.path.join(self.folder, "x.bin")))

    def test_download_refuses_paths_outside_the_folder(self):
        version = {"artifact": "ds", "number": 2, "files": [{"path": "../escape.txt", "size": 1, "sha256": "0" * 64}]}
        with self.assertRaisesRegex(ap.ArtifactPortalError, "outside"):
            ap.ArtifactVersion(fast_client("http://127.0.0.1:1"), "vision", version).download(self.folder)


if __name__ == "__main__":
    unittest.main()
