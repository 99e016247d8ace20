"""ArtifactPortal client for training scripts: runs, metrics and artifacts, with the standard library only.

    import artifactportal as ap

    with ap.init(project="vision", experiment="resnet", config={"lr": 0.01}) as run:
        data = run.use_artifact("vision/cifar10:latest").download()
        for step in range(100):
            run.log({"loss": 1 / (step + 1)}, step=step)
        run.log_artifact("model.pt", name="resnet50", type="model", aliases=["candidate"])
"""

from ._artifacts import ArtifactVersion, sha256_file
from ._errors import ApiError, ArtifactPortalError, ConnectionFailed, IntegrityError
from ._http import Client
from ._run import Run, init

__version__ = "0.1.0"


def artifact(reference: str, *, url: str = None, token: str = None) -> ArtifactVersion:  # type: ignore[assignment]
    """The version ``project/artifact:ref`` without a run (nothing is recorded as a run input)."""
    from ._artifacts import parse_reference, resolve

    project, name, ref = parse_reference(reference)
    return resolve(Client(url, token), project, name, ref)


__all__ = [
    "ApiError",
    "ArtifactPortalError",
    "ArtifactVersion",
    "Client",
    "ConnectionFailed",
    "IntegrityError",
    "Run",
    "artifact",
    "init",
    "sha256_file",
    "__version__",
]
