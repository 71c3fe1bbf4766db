"""What the HTTP benches share: a free loopback port, ``manage.py`` in a given environment,
gunicorn serving the app until the block ends, a timestamped log line, and percentiles.

Imported by the bench scripts, which run as ``.venv/bin/python bench/<name>.py`` (so this
directory is on ``sys.path``)."""

import http.client
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # benches listen and connect on loopback only


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _answers(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@contextmanager
def gunicorn(
    env: dict[str, str], port: int, log_path: Path, *, threads: int = 1, timeout: int = 60
) -> Iterator[int]:
    """Serves the app with 4 gunicorn workers (``threads`` each) until the block ends; yields
    the master's pid. Waits for /healthz to answer, and stops the whole process group."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "shanghui.config.wsgi:application",
        *("--bind", f"{HOST}:{port}", "--workers", "4", "--threads", str(threads)),
        *("--backlog", "2048", "--timeout", str(timeout)),
    ]
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not _answers(port, "/healthz"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log_path}")
                time.sleep(0.5)
            yield proc.pid
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]
