"""Integration tests against a real running portal.

They need ARTIFACTPORTAL_URL, ARTIFACTPORTAL_TOKEN (read and write) and ARTIFACTPORTAL_TEST_PROJECT (a project slug the
token's owner can edit). The .NET test PythonClientTests starts a portal, sets them and runs this suite with
ARTIFACTPORTAL_TEST_REQUIRED=1, under which missing settings fail instead of skipping.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import uuid

import artifactportal as ap
from artifactportal._artifacts import log_artifact

URL = os.environ.get("ARTIFACTPORTAL_URL")
TOKEN = os.environ.get("ARTIFACTPORTAL_TOKEN")
PROJECT = os.environ.get("ARTIFACTPORTAL_TEST_PROJECT")
REQUIRED = os.environ.get("ARTIFACTPORTAL_TEST_REQUIRED") == "1"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setUpModule():
    if URL and TOKEN and PROJECT:
        return
    message = "set ARTIFACTPORTAL_URL, ARTIFACTPORTAL_TOKEN and ARTIFACTPORTAL_TEST_PROJECT to run against a portal"
    if REQUIRED:
        raise RuntimeError(message)
    raise unittest.SkipTest(message)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class PortalTestCase(unittest.TestCase):
    def setUp(self):
        self.client = ap.Client(URL, TOKEN, retries=2, backoff=0.1)
        self.folder = tempfile.mkdtemp(prefix="ap-it-")
        self.addCleanup(shutil.rmtree, self.folder, True)

    def write(self, relative: str, content: bytes) -> str:
        path = os.path.join(self.folder, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content)
        return path

    def get_run(self, run_or_number) -> dict:
        number = getattr(run_or_number, "number", run_or_number)
        return self.client.get(f"/projects/{PROJECT}/runs/{number}")


class ArtifactRoundTripTests(PortalTestCase):
    def test_folder_upload_then_download_gives_the_same_bytes_and_skips_present_files(self):
        name = unique("dataset")
        big = os.urandom(3 * 1024 * 1024 + 5)
        self.write("src/data/train.csv", b"label,pixels\n3,0 0 0\n")
        self.write("src/data/test.csv", b"label,pixels\n1,1 1 1\n")
        self.write("src/big.bin", big)
        version = log_artifact(self.client, PROJECT, os.path.join(self.folder, "src"), name, "Dataset",
                               aliases=["best"], metadata={"seed": 42, "split": {"train": 0.8}})
        self.assertEqual(version.number, 1)
        self.assertEqual(sorted(f["path"] for f in version.files), ["big.bin", "data/test.csv", "data/train.csv"])
        self.assertIn("best", version.aliases)
        self.assertEqual(version.metadata, {"seed": 42, "split": {"train": 0.8}})

        target = ap.artifact(f"{PROJECT}/{name}:best", url=URL, token=TOKEN).download(os.path.join(self.folder, "out"))
        with open(os.path.join(target, "big.bin"), "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), hashlib.sha256(big).hexdigest())
        with open(os.path.join(target, "data", "train.csv"), "rb") as f:
            self.assertEqual(f.read(), b"label,pixels\n3,0 0 0\n")

        # Present and intact: kept as is. Damaged: fetched again.
        big_path = os.path.join(target, "big.bin")
        os.utime(big_path, (1, 1))
        with open(os.path.join(target, "data", "test.csv"), "wb") as f:
            f.write(b"tampered")
        ap.artifact(f"{PROJECT}/{name}:v1", url=URL, token=TOKEN).download(target)
        self.assertEqual(os.path.getmtime(big_path), 1)
        with open(os.path.join(target, "data", "test.csv"), "rb") as f:
            self.assertEqual(f.read(), b"label,pixels\n1,1 1 1\n")

    def test_second_upload_of_an_existing_artifact_makes_version_2(self):
        name = unique("model")
        path = self.write("model.pt", b"weights v1")
        log_artifact(self.client, PROJECT, path, name, "Model")
        path = self.write("model.pt", b"weights v2")
        second = log_artifact(self.client, PROJECT, path, name, "Model", aliases=["candidate"])
        self.assertEqual(second.number, 2)
        self.assertEqual(second.identifier, f"{PROJECT}/{name}:v2")
        self.assertIn("candidate", second.aliases)

    def test_missing_project_is_an_api_error_404_with_the_detail(self):
        path = self.write("model.pt", b"w")
        with self.assertRaises(ap.ApiError) as caught:
            log_artifact(self.client, unique("no-such-project"), path, "m", "Model")
        self.assertEqual(caught.exception.status, 404)
        self.assertTrue(caught.exception.detail)

    def test_bad_token_is_refused_clearly(self):
        client = ap.Client(URL, "apt_not_a_real_token", retries=0)
        with self.assertRaises(ap.ApiError) as caught:
            client.get(f"/projects/{PROJECT}/artifacts")
        self.assertEqual(caught.exception.status, 401)


class RunTests(PortalTestCase):
    def test_run_logs_params_metrics_inputs_and_outputs_then_finishes(self):
        dataset = unique("cifar")
        log_artifact(self.client, PROJECT, self.write("ds/train.csv", b"a,b\n1,2\n"), dataset, "Dataset")
        experiment = unique("resnet")
        run = ap.init(project=PROJECT, experiment=experiment, config={"lr": 0.01, "arch": "resnet50", "opt": {"momentum": 0.9}},
                      tags=["baseline"], url=URL, token=TOKEN, flush_interval=0.2)
        self.assertEqual(self.get_run(run)["status"], "running")

        ds = run.use_artifact(f"{dataset}:latest")
        self.assertEqual(ds.identifier, f"{PROJECT}/{dataset}:v1")
        data = ds.download(os.path.join(self.folder, "data"))
        self.assertTrue(os.path.isfile(os.path.join(data, "train.csv")))

        for step in range(2500):
            run.log({"loss": 1.0 / (step + 1), "acc": step / 2500})
        run.log({"loss": float("nan")}, step=2500)
        run.log({"loss": float("inf")}, step=2501)
        run.log_params({"epochs": 3})
        model = run.log_artifact(self.write("model.pt", b"trained weights"), name=unique("resnet50"), type="model",
                                 aliases=["candidate"], metadata={"val_acc": 0.91})
        self.assertIn("candidate", model.aliases)
        run.finish()

        data = self.get_run(run)
        self.assertEqual(data["status"], "finished")
        self.assertIsNotNone(data["endedAt"])
        self.assertEqual(data["experiment"], experiment)
        self.assertEqual(data["params"]["arch"], "resnet50")
        self.assertEqual(float(data["params"]["lr"]), 0.01)
        self.assertEqual(float(data["params"]["opt.momentum"]), 0.9)
        self.assertEqual(int(data["params"]["epochs"]), 3)
        self.assertIn("baseline", data["tags"])
        self.assertEqual(data["source"]["host"], socket.gethostname())
        self.assertIn(f"{PROJECT}/{dataset}:v1", [i["reference"] for i in data["inputs"]])
        self.assertIn(model.identifier, [o["reference"] for o in data["outputs"]])
        counts = {m["key"]: m["count"] for m in data["metrics"]}
        self.assertEqual(counts, {"loss": 2502, "acc": 2500})

        series = self.client.get(f"/projects/{PROJECT}/runs/{run.number}/metrics/loss", {"maxPoints": 0})
        self.assertEqual(series["total"], 2502)
        by_step = {p["step"]: p["value"] for p in series["points"]}
        self.assertEqual(by_step[0], 1.0)
        self.assertEqual(by_step[2500], "NaN")
        self.assertEqual(by_step[2501], "Infinity")

    def test_context_manager_exception_marks_the_run_failed(self):
        with self.assertRaises(ZeroDivisionError):
            with ap.init(project=PROJECT, url=URL, token=TOKEN) as run:
                run.log({"loss": 0.5})
                _ = 1 / 0
        data = self.get_run(run)
        self.assertEqual(data["status"], "failed")
        self.assertEqual([m["count"] for m in data["metrics"] if m["key"] == "loss"], [1])

    def test_params_are_written_once(self):
        with ap.init(project=PROJECT, config={"lr": 0.1}, url=URL, token=TOKEN) as run:
            with self.assertRaises(ap.ApiError) as caught:
                run.log_params({"lr": 0.2})
            self.assertEqual(caught.exception.status, 409)

    def test_missing_project_is_an_api_error_404(self):
        with self.assertRaises(ap.ApiError) as caught:
            ap.init(project=unique("no-such-project"), url=URL, token=TOKEN)
        self.assertEqual(caught.exception.status, 404)

    def test_script_that_crashes_ends_its_run_failed_and_one_that_ends_quietly_finished(self):
        for code, expected in (("raise RuntimeError('diverged')", "failed"), ("pass", "finished")):
            with self.subTest(expected=expected):
                script = self.write(f"train_{expected}.py", textwrap.dedent(f"""
                    import json, sys
                    import artifactportal as ap
                    run = ap.init(project={PROJECT!r}, name="script-{expected}")
                    run.log({{"loss": 0.25}})
                    print(json.dumps({{"number": run.number}}), flush=True)
                    {code}
                """).encode())
                env = dict(os.environ, ARTIFACTPORTAL_URL=URL, ARTIFACTPORTAL_TOKEN=TOKEN, PYTHONPATH=HERE)
                result = subprocess.run([sys.executable, script], capture_output=True, text=True, env=env, timeout=120, check=False)
                number = json.loads(result.stdout.splitlines()[0])["number"]
                data = self.get_run(number)
                self.assertEqual(data["status"], expected, result.stderr)
                self.assertEqual([m["count"] for m in data["metrics"] if m["key"] == "loss"], [1], "buffered points were lost at exit")


class ExampleScriptTests(PortalTestCase):
    def test_example_training_script_runs_to_the_end(self):
        env = dict(os.environ, ARTIFACTPORTAL_URL=URL, ARTIFACTPORTAL_TOKEN=TOKEN, PYTHONPATH=HERE)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, os.path.join(HERE, "examples", "train.py"), "--project", PROJECT, "--epochs", "3"],
            capture_output=True, text=True, env=env, cwd=self.folder, timeout=300, check=False)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        data = self.get_run(summary["run"])
        self.assertEqual(data["status"], "finished")
        self.assertGreaterEqual(sum(m["count"] for m in data["metrics"]), 300)
        self.assertLess(time.monotonic() - started, 120)


if __name__ == "__main__":
    unittest.main()
