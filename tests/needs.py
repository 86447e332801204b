"""What tests need from outside the project: a browser, PostgreSQL and Redis, the shared test
data beside the project. Where one is missing a test skips and says what to install or where to
put it; under CI=true, where .ci/run provides all of them, a missing one is a failure."""

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def missing(problem: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {problem}")
    pytest.skip(problem)


def shared_path(*parts: str) -> Path:
    """A file or folder of the shared test data (README: "Shared test data")."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(
            f"{path} is missing: the shared test data (README, 'Shared test data') is not "
            "beside the project"
        )
    return path
