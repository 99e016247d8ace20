"""Artifact versions: staged uploads that stream each file, and downloads that verify each file's SHA-256."""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
from typing import Any, BinaryIO, Dict, List, Optional, Sequence, Tuple

from ._errors import ApiError, ArtifactPortalError, IntegrityError
from ._http import Client, quote

BLOCK_SIZE = 1024 * 1024
SHA256_HEADER = "X-Content-SHA256"


def sha256_file(path: str, block_size: int = BLOCK_SIZE) -> Tuple[str, int]:
    """(hex SHA-256, size) of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while True:
            block = stream.read(block_size)
            if not block:
                break
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def collect_files(path: str) -> List[Tuple[str, str]]:
    """(portal path, local path) pairs: a file is stored under its own name, a folder's files under their paths in it."""
    if os.path.isfile(path):
        return [(os.path.basename(path), path)]
    if not os.path.isdir(path):
        raise ArtifactPortalError(f"{path!r} is neither a file nor a folder.")
    files = []
    for folder, dirs, names in os.walk(path):
        dirs.sort()
        for name in sorted(names):
            local = os.path.join(folder, name)
            if os.path.isfile(local):
                files.append((os.path.relpath(local, path).replace(os.sep, "/"), local))
    if not files:
        raise ArtifactPortalError(f"The folder {path!r} holds no files.")
    return files


def parse_reference(reference: str, default_project: Optional[str] = None) -> Tuple[str, str, str]:
    """``project/artifact:ref`` → (project, artifact, ref); the project may be left out when a default is known and the
    ref defaults to ``latest``."""
    text = reference.strip()
    name, _, ref = text.partition(":")
    project, slash, artifact = name.partition("/")
    if not slash:
        project, artifact = default_project or "", name
    if not project or not artifact or "/" in artifact:
        raise ArtifactPortalError(f"{reference!r} is not an artifact reference like 'project/artifact:v3' or 'project/artifact:latest'.")
    return project, artifact, ref or "latest"


class ArtifactVersion:
    """One committed version of an artifact, as the portal describes it (``identifier``, ``number``, ``files`` ...)."""

    def __init__(self, client: Client, project: str, data: Dict[str, Any]):
        self._client = client
        self.project = project
        self.data = data

    @property
    def artifact(self) -> str:
        return self.data["artifact"]

    @property
    def number(self) -> int:
        return int(self.data["number"])

    @property
    def identifier(self) -> str:
        return self.data.get("identifier") or f"{self.project}/{self.artifact}:v{self.number}"

    @property
    def aliases(self) -> List[str]:
        return list(self.data.get("aliases") or [])

    @property
    def metadata(self) -> Dict[str, Any]:
        return dict(self.data.get("metadata") or {})

    @property
    def files(self) -> List[Dict[str, Any]]:
        return list(self.data.get("files") or [])

    def __repr__(self) -> str:
        return f"<ArtifactVersion {self.identifier} ({len(self.files)} files)>"

    def download(self, root: Optional[str] = None) -> str:
        """Downloads every file into ``root`` (default ``./artifacts/<project>/<artifact>/v<n>``) and returns that folder.

        Each file is streamed to a temporary file beside its target, its SHA-256 checked, then renamed into place; a
        file already present with the right content is not downloaded again.
        """
        if not self.files:
            self.data = self._client.get(
                f"/projects/{quote(self.project)}/artifacts/{quote(self.artifact)}/versions/v{self.number}")
        root = os.path.abspath(root or os.path.join("artifacts", self.project, self.artifact, f"v{self.number}"))
        for entry in self.files:
            target = _inside(root, entry["path"])
            expected = str(entry["sha256"]).lower()
            if os.path.isfile(target) and os.path.getsize(target) == entry["size"] and sha256_file(target)[0] == expected:
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            url = entry.get("downloadUrl") or (
                f"/projects/{quote(self.project)}/artifacts/{quote(self.artifact)}/versions/v{self.number}/files/"
                + "/".join(quote(part) for part in entry["path"].split("/")))
            _download(self._client, url, target, expected)
        return root


def _inside(root: str, relative: str) -> str:
    target = os.path.abspath(os.path.join(root, *relative.split("/")))
    if os.path.commonpath([root, target]) != root:
        raise ArtifactPortalError(f"The portal named a file outside the download folder: {relative!r}.")
    return target


def _download(client: Client, url: str, target: str, expected_sha256: str) -> None:
    attempts = client.retries + 1
    for attempt in range(attempts):
        handle, temporary = tempfile.mkstemp(prefix=".download-", dir=os.path.dirname(target))
        try:
            digest = hashlib.sha256()
            with os.fdopen(handle, "wb") as out, client.open("GET", url, retry=True) as response:
                for block in response.iter_blocks(BLOCK_SIZE):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != expected_sha256:
                if attempt < attempts - 1:
                    continue
                raise IntegrityError(
                    f"{os.path.basename(target)}: downloaded content has SHA-256 {digest.hexdigest()}, "
                    f"the portal recorded {expected_sha256}.")
            os.replace(temporary, target)
            return
        except (OSError, http.client.HTTPException) as error:
            # A connection dropped in the middle of the body: start this file again.
            if attempt == attempts - 1:
                raise ArtifactPortalError(f"Downloading {os.path.basename(target)} failed: {error}") from error
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)


def log_artifact(
    client: Client,
    project: str,
    path: str,
    name: str,
    type: str,
    *,
    aliases: Sequence[str] = (),
    metadata: Optional[Dict[str, Any]] = None,
    description: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    run_id: Optional[str] = None,
) -> ArtifactVersion:
    """Uploads a file or folder as a new version of ``project/name`` (created when missing) and sets ``aliases``."""
    files = collect_files(path)
    # First pass: the portal checks each file's SHA-256 as it arrives, and may already hold some of the content.
    described = []
    for remote, local in files:
        sha256, size = sha256_file(local)
        described.append({"path": remote, "size": size, "sha256": sha256, "local": local})

    artifact_path = f"/projects/{quote(project)}/artifacts/{quote(name)}"
    ensure_artifact(client, project, name, type, description=description, tags=tags)
    begin: Dict[str, Any] = {"files": [{k: f[k] for k in ("path", "size", "sha256")} for f in described]}
    if metadata:
        begin["metadata"] = metadata
    if run_id:
        begin["runId"] = run_id
    upload = client.call("POST", artifact_path + "/uploads", begin)
    for status in upload["files"]:
        if status.get("complete"):
            continue
        entry = described[int(status["index"])]
        _put_file(client, upload["id"], int(status["index"]), entry["local"], entry["size"], entry["sha256"])
    version = _commit(client, upload["id"])
    for alias in aliases:
        client.call("PUT", f"{artifact_path}/aliases/{quote(alias)}", {"version": version["number"]}, retry=True)
    if aliases:
        version = client.get(f"{artifact_path}/versions/v{version['number']}")
    return ArtifactVersion(client, project, version)


def ensure_artifact(
    client: Client, project: str, name: str, type: str, *, description: Optional[str] = None, tags: Optional[Sequence[str]] = None,
) -> Dict[str, Any]:
    artifact_path = f"/projects/{quote(project)}/artifacts/{quote(name)}"
    try:
        return client.get(artifact_path)
    except ApiError as error:
        if error.status != 404:
            raise
    body: Dict[str, Any] = {"name": name, "type": type}
    if description:
        body["description"] = description
    if tags:
        body["tags"] = list(tags)
    try:
        return client.call("POST", f"/projects/{quote(project)}/artifacts", body)
    except ApiError as error:
        # Another process created it in between (409, or a validation problem on the name).
        if error.status == 409 or (error.status == 400 and "Name" in error.errors):
            return client.get(artifact_path)
        raise


def _put_file(client: Client, upload_id: str, index: int, local: str, size: int, sha256: str) -> None:
    def body() -> Tuple[BinaryIO, int]:
        return open(local, "rb"), size

    headers = {"Content-Type": "application/octet-stream", SHA256_HEADER: sha256}
    with client.open("PUT", f"/uploads/{upload_id}/files/{index}", body, headers=headers, retry=True) as response:
        response.read()


def _commit(client: Client, upload_id: str) -> Dict[str, Any]:
    try:
        return client.call("POST", f"/uploads/{upload_id}/commit", retry=True)
    except ApiError as error:
        # A retried commit whose first attempt got through answers 409: the upload says which version it made.
        if error.status != 409:
            raise
        upload = client.get(f"/uploads/{upload_id}")
        if not upload.get("committedVersion"):
            raise
        return client.get(
            f"/projects/{quote(upload['projectSlug'])}/artifacts/{quote(upload['artifactName'])}/versions/v{upload['committedVersion']}")


def download_reference(client: Client, reference: str, root: Optional[str] = None) -> str:
    project, artifact, ref = parse_reference(reference)
    return resolve(client, project, artifact, ref).download(root)


def resolve(client: Client, project: str, artifact: str, ref: str) -> ArtifactVersion:
    data = client.get(f"/projects/{quote(project)}/artifacts/{quote(artifact)}/versions/{quote(ref)}")
    return ArtifactVersion(client, project, data)
