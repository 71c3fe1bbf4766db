"""Crash safety at the server (issue 17, part 6): the app server is SIGKILLed in the middle of
a resumable upload's chunks, 20 times, and restarted each time. After every restart the
offset the server reports is exactly what it holds (the bytes it kept are the upload's own
beginning, never a half-recorded chunk), the client resumes there, and the finished file is
byte-identical to what was sent — with no partial object anywhere in the content store.

The server is gunicorn running the project as production does, in its own process on the
test database (a file copy of it on SQLite, as ``core/tests/test_storage_crash.py`` makes),
called over HTTP with an API token."""

import hashlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest
from django.conf import settings

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.tenancy import tenant_context
from shanghui.core.tests.test_storage_crash import ROOT, SETTINGS, _database_url
from shanghui.documents.services.folders import root_folder
from shanghui.testing.fixtures import build_side

KILLS = 20
CHUNK = 192 * 1024
DATA = b"%PDF-1.4\n" + random.Random(17).randbytes(CHUNK * 40)  # more than 20 chunks


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "shanghui.config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _request(
    server: Server, method: str, path: str, token: str, **headers: str
) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}",
        method=method,
        headers={"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _patch_slowly(server: Server, location: str, token: str, offset: int, body: bytes) -> None:
    """A chunk sent the way a phone sends it: in small pieces, with pauses — during which
    the server may be killed (any error is the kill's)."""
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            head = (
                f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n"
                f"Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            sock.sendall(head.encode())
            for start in range(0, len(body), 16 * 1024):
                sock.sendall(body[start : start + 16 * 1024])
                time.sleep(0.01)
            sock.recv(4096)
    except OSError:
        pass


@pytest.mark.django_db(transaction=True)
def test_a_server_killed_in_the_middle_of_chunks_loses_and_corrupts_nothing(
    tmp_path: Path,
) -> None:
    side = build_side("丙市", "bingshi")
    association = side.association
    _token, raw = api_token_create(user=side.admin, name="crash")
    with tenant_context(association):
        folder = root_folder(association)
    (tmp_path / "crash_settings.py").write_text(
        SETTINGS.format(
            content_root=str(settings.CONTENT_ROOT), uploads=settings.FILE_UPLOAD_TEMP_DIR
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crash_settings",
        "DATABASE_URL": _database_url(tmp_path),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT / 'src'}",
    }
    server = Server(env)
    rng = random.Random()
    try:
        server.start()
        metadata = ",".join(
            f"{k} {b64encode(v.encode()).decode()}"
            for k, v in {"filename": "年度审计报告.pdf", "folder_id": str(folder.pk)}.items()
        )
        status, headers = _request(
            server,
            "POST",
            f"/api/v1/associations/{association.slug}/documents/uploads",
            raw,
            **{"Upload-Length": str(len(DATA)), "Upload-Metadata": metadata},
        )
        assert status == 201, status
        location = headers["Location"]
        part = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tus" / f"{location.split('/')[2]}.part"
        offsets: list[int] = []
        version_id = None
        for _kill in range(KILLS):
            status, headers = _request(server, "HEAD", location, raw)
            assert status == 200
            offset = int(headers["Upload-Offset"])
            offsets.append(offset)
            # What the server kept up to the offset it reports is the upload's beginning.
            assert part.read_bytes()[:offset] == DATA[:offset]
            if offset == len(DATA):
                break
            chunk = DATA[offset : offset + CHUNK]
            sender = threading.Thread(
                target=_patch_slowly, args=(server, location, raw, offset, chunk)
            )
            sender.start()
            time.sleep(rng.uniform(0.0, 0.25))  # the chunk takes ~0.12 s to send
            server.kill()
            sender.join()
            server.start()
        # Resume to the end: the finished file is the one sent, byte for byte.
        status, headers = _request(server, "HEAD", location, raw)
        offset = int(headers["Upload-Offset"])
        while offset < len(DATA):
            body = DATA[offset : offset + CHUNK]
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.port}{location}",
                data=body,
                method="PATCH",
                headers={
                    "Authorization": f"Bearer {raw}",
                    "Tus-Resumable": "1.0.0",
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                offset = int(response.headers["Upload-Offset"])
                version_id = response.headers.get("X-Version-Id")
        assert version_id
    finally:
        server.kill()
    assert len(offsets) == KILLS or offsets[-1] == len(DATA)
    assert len(set(offsets)) > 1  # chunks did land between the kills
    sha = hashlib.sha256(DATA).hexdigest()
    namespace = Path(settings.CONTENT_ROOT) / f"a/{association.pk}"
    stored = [p for p in namespace.rglob("*") if p.is_file() and ".incoming" not in p.parts]
    assert [p.name for p in stored] == [sha]
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == p.name for p in stored)
