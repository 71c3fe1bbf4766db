"""Tests that need a program from Debian's packages (chromium, poppler, LibreOffice, nginx):
``make dev-install`` installs them; without one a test is skipped on a developer's machine
and fails under CI, where a missing package is a broken install step."""

import os
import shutil

import pytest


def require_programs(*programs: str, package: str) -> None:
    """Skip (fail when ``CI=true``) unless every program is installed — a name on the PATH or
    a path — saying which Debian package brings them."""
    missing = [p for p in programs if not (os.path.exists(p) or shutil.which(p))]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install the Debian package(s) {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
