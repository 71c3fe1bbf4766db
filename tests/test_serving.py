"""`make run` serves with gunicorn (shanghui.config.gunicorn) and production-like settings over
plain HTTP (settings.local): static files hashed, compressed (Brotli, gzip) and cached for a
year by WhiteNoise. The server runs here with exactly that configuration; only the static files
collected are one stylesheet of the test's own (the real collection compresses ECharts for a
minute). Behind nginx as docs/deploy.md configures it, scripts/check_nginx.py checks the same
and the compression of pages and API answers (run here when Debian's nginx-light is
installed). Whether a burst of registrations is answered is measured by the bench (issue 15):
a burst of fast requests here was answered by Django's development server too, so it proved
nothing."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shanghui.testing.programs import require_programs

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Served:
    url: str  # where gunicorn listens
    collected: Path  # STATIC_ROOT, with WhiteNoise's manifest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SETTINGS = """
from shanghui.config.settings.local import *  # make run's settings, static files aside
STATICFILES_DIRS = [{static!r}]
STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
STATIC_ROOT = {root!r}
"""
CSS = "body { color: #1f2329; }\n" * 200  # large enough to be worth compressing


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "served.css").write_text(CSS)
    (tmp_path / "served_settings.py").write_text(
        SETTINGS.format(static=str(tmp_path / "static"), root=str(tmp_path / "collected"))
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "served_settings",
        # The health check reads no table: an empty database file is enough here.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.sqlite3'}",
        "PORT": str(port),
        "WEB_ACCESS_LOG": str(tmp_path / "access.log"),
        "PYTHONPATH": f"{tmp_path}:{ROOT / 'src'}",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=tmp_path,
        check=True,
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "python:shanghui.config.gunicorn", "shanghui.config.wsgi"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            process.terminate()
            pytest.fail(f"gunicorn did not start: {process.communicate(timeout=10)[1]!r}")
        yield Served(url=url, collected=tmp_path / "collected")
    finally:
        process.terminate()
        process.wait(timeout=20)


def _hashed_url(server: Served) -> str:
    manifest = json.loads((server.collected / "staticfiles.json").read_text())
    return f"{server.url}/static/{manifest['paths']['served.css']}"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(server: Served) -> None:
    url = _hashed_url(server)
    assert "served." in url and url.endswith(".css") and url != "served.css"
    for encoding in ("br", "gzip"):
        request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            body = response.read()
            assert response.headers["Content-Encoding"] == encoding
            assert "max-age=315360000" in response.headers["Cache-Control"]
            assert "immutable" in response.headers["Cache-Control"]
            assert len(body) < len(CSS) / 10


def test_the_served_settings_are_productions_over_plain_http() -> None:
    from django.conf import settings

    # The module make run uses, read as it is (pytest runs with the test settings).
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shanghui.config.settings.local';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "whitenoise.storage.CompressedManifestStaticFilesStorage"]
    # Static files leave WhiteNoise compressed already; everything after it is compressed once.
    whitenoise = settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert settings.MIDDLEWARE[whitenoise + 1] == "shanghui.core.compression.CompressionMiddleware"


NGINX = "/usr/sbin/nginx"


def test_nginx_as_documented_compresses_and_caches() -> None:
    """scripts/check_nginx.py runs docs/deploy.md's nginx block in front of the app and checks
    static files (.gz copies, a year's cache), pages and API answers (compressed)."""
    require_programs(NGINX, package="nginx-light")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_nginx.py"), "--nginx", NGINX],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAILED" not in done.stdout and "/static/" in done.stdout
