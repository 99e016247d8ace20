"""The package installs offline with pip, through the in-tree build backend."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)

import build_backend  # noqa: E402


class PackagingTests(unittest.TestCase):
    def test_build_wheel_holds_every_module_and_metadata(self):
        with tempfile.TemporaryDirectory() as folder:
            name = build_backend.build_wheel(folder)
            with zipfile.ZipFile(os.path.join(folder, name)) as wheel:
                names = set(wheel.namelist())
                metadata = wheel.read("artifactportal-0.1.0.dist-info/METADATA").decode()
        modules = {f"artifactportal/{m}" for m in os.listdir(os.path.join(HERE, "artifactportal")) if m.endswith(".py")}
        self.assertEqual(name, "artifactportal-0.1.0-py3-none-any.whl")
        self.assertTrue(modules <= names, modules - names)
        self.assertIn("Requires-Python: >=3.9", metadata)
        self.assertFalse(any("__pycache__" in n for n in names))

    @unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed for this python")
    def test_pip_install_works_offline(self):
        with tempfile.TemporaryDirectory() as target:
            result = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", target, HERE],
                capture_output=True, text=True, timeout=120, check=False)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            probe = subprocess.run(
                [sys.executable, "-c", "import artifactportal; print(artifactportal.__file__)"],
                cwd=target, capture_output=True, text=True, check=True)
            self.assertTrue(probe.stdout.strip().startswith(target), probe.stdout)


if __name__ == "__main__":
    unittest.main()
