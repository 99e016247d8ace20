"""A PEP 517 build backend in the standard library only, so `pip install ./src/clients/python` works offline.

pip builds in an isolated environment and would have to download setuptools and wheel for it; this backend needs
nothing. It builds a pure-Python wheel of the `artifactportal` package (and an editable one), and an sdist.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = "artifactportal"
TAG = "py3-none-any"


def _project():
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("[project]", 1)[1].split("\n[", 1)[0]

    def field(name):
        match = re.search(rf'^{name}\s*=\s*"([^"]*)"', section, re.MULTILINE)
        return match.group(1) if match else None

    return field("name"), field("version"), field("description"), field("requires-python")


def _metadata():
    name, version, description, requires = _project()
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {description}",
        f"Requires-Python: {requires}",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ]
    return name, version, "\n".join(lines)


def _dist_info(name, version):
    return f"{name.replace('-', '_')}-{version}.dist-info"


def _write_wheel(wheel_directory, files):
    name, version, metadata = _metadata()
    info = _dist_info(name, version)
    files = dict(files)
    files[f"{info}/METADATA"] = metadata.encode("utf-8")
    files[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: artifactportal-build-backend\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode()
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{name.replace('-', '_')}-{version}-{TAG}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return filename


def _package_files():
    files = {}
    root = os.path.join(HERE, PACKAGE)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for filename in sorted(names):
            if filename.endswith(".py") or filename == "py.typed":
                local = os.path.join(folder, filename)
                with open(local, "rb") as f:
                    files[os.path.relpath(local, HERE).replace(os.sep, "/")] = f.read()
    return files


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file puts this folder on sys.path, so edits take effect without reinstalling.
    return _write_wheel(wheel_directory, {f"{PACKAGE}_editable.pth": (HERE + "\n").encode()})


def build_sdist(sdist_directory, config_settings=None):
    name, version, metadata = _metadata()
    base = f"{name}-{version}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        entries = dict(_package_files())
        for extra in ("pyproject.toml", "README.md", "build_backend.py"):
            with open(os.path.join(HERE, extra), "rb") as f:
                entries[extra] = f.read()
        entries["PKG-INFO"] = metadata.encode("utf-8")
        for path, data in sorted(entries.items()):
            member = tarfile.TarInfo(f"{base}/{path}")
            member.size = len(data)
            member.mtime = 1577836800
            sdist.addfile(member, io.BytesIO(data))
    return filename
