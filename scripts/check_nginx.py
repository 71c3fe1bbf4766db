"""Puts nginx, configured with the block in docs/deploy.md, in front of the app and checks what
a browser gets: static files compressed and cached, pages and API answers compressed.

    python scripts/check_nginx.py [--nginx /usr/sbin/nginx] [--keep]

Everything happens in a temporary directory, on free loopback ports: static files collected
there (gzip copies only — nginx-light serves no Brotli, and leaving Brotli out saves a minute
of compressing ECharts), an empty SQLite database (the pages checked — the sign-in page with
its CSRF token, the OpenAPI schema, the health check — read no table, and migrating would
take longer than all the rest), gunicorn with make run's settings (settings.local), and nginx
as a child process (no daemon) with its pid, logs and temporary files beside them. The nginx
block is read from docs/deploy.md with only the addresses changed and TLS left out, so the
documentation cannot drift from what is tested. Prints a table; exits 1 when a check fails,
2 when something could not be started."""

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

# The addresses of the documented block and what replaces them here.
DOC_APP = "127.0.0.1:8000"
DOC_VAR = "/srv/shanghui/var"
DOC_LISTEN_TLS = "listen 443 ssl http2;"
DOC_LISTEN_PLAIN = "listen 80;"

SETTINGS = '''
from whitenoise.storage import CompressedManifestStaticFilesStorage
from whitenoise.compress import Compressor

from shanghui.config.settings.local import *  # make run's settings


class GzipOnlyStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage writing .gz copies only: nginx-light has no Brotli module."""

    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)


STORAGES["staticfiles"] = {"BACKEND": "check_nginx_settings.GzipOnlyStorage"}
'''

NGINX_MAIN = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
{server}
}}
"""


class Unavailable(Exception):
    """Something the check needs did not start (as opposed to a check that failed)."""


def free_ports(count: int) -> list[int]:
    """``count`` different free ports: each socket stays bound until all are chosen, or the
    kernel may hand the same port out twice (gunicorn and nginx on one port: nginx cannot
    bind, and the checks would reach gunicorn)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def documented_block() -> str:
    """The first ```nginx block of docs/deploy.md."""
    found = re.search(r"```nginx\n(.*?)```", DEPLOY_DOC.read_text(), re.DOTALL)
    if found is None:
        raise Unavailable(f"no ```nginx block in {DEPLOY_DOC}")
    return found.group(1)


def localised(block: str, *, app_port: int, port: int, plain_port: int, var_dir: Path) -> str:
    """The documented block with this run's addresses, without TLS. Each documented address
    must be there: a block rewritten past recognition fails here rather than test nothing."""
    replacements = {
        DOC_LISTEN_TLS: f"listen 127.0.0.1:{port};",
        DOC_LISTEN_PLAIN: f"listen 127.0.0.1:{plain_port};",
        DOC_APP: f"127.0.0.1:{app_port}",
        DOC_VAR: str(var_dir),
    }
    for documented, here in replacements.items():
        if documented not in block:
            raise Unavailable(f"docs/deploy.md's nginx block no longer has '{documented}'")
        block = block.replace(documented, here)
    return re.sub(r"^\s*ssl_\w+\s[^;]*;.*\n", "", block, flags=re.MULTILINE)


def wait_for(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    """Waits until ``process`` answers on ``port``. Only an answer naming it (``Server``)
    counts: two checks run at once (the suite on SQLite and on PostgreSQL) may draw the same
    free port, and then a connection can reach the other's server — nginx's bind fails and
    the checks would measure someone else's gunicorn."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"{name} stopped at start (exit {process.returncode})")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            answer = conn.getresponse()
            answer.read()
            if name in (answer.getheader("Server") or ""):
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise Unavailable(f"{name} did not answer on port {port} within 60 s")


@contextmanager
def running(
    command: list[str], *, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        # Our own gunicorn and nginx with fixed arguments.
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=out)  # noqa: S603
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # decoded from its Content-Encoding

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def fetch(port: int, path: str, accept_encoding: str) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": accept_encoding})
        response = connection.getresponse()
        raw = response.read()
        coding = response.headers.get("Content-Encoding", "")
        body = {"gzip": gzip.decompress, "br": brotli.decompress}.get(coding, bytes)(raw)
        return Answer(response.status, response.headers, body)
    finally:
        connection.close()


@dataclass
class Check:
    what: str
    expected: str
    got: str
    ok: bool


def checks(port: int, static_root: Path) -> list[Check]:
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    # The largest stylesheet: whatever the templates load, it is worth compressing.
    name = max(
        (name for name in manifest if name.endswith(".css")),
        key=lambda name: (static_root / name).stat().st_size,
    )
    css = manifest[name]
    results: list[Check] = []

    def check(what: str, expected: str, got: str, ok: Callable[[str], bool]) -> None:
        results.append(Check(what, expected, got, ok(got)))

    static = fetch(port, f"/static/{css}", "gzip, deflate, br")
    check(
        f"/static/{css}",
        "Content-Encoding: gzip",
        static.header("Content-Encoding"),
        lambda got: got == "gzip",
    )
    gz_size = (static_root / f"{css}.gz").stat().st_size
    check(
        "  sent as its .gz copy",
        f"Content-Length: {gz_size}",
        f"Content-Length: {static.header('Content-Length') or '(none: compressed on the fly)'}",
        lambda got: got == f"Content-Length: {gz_size}",
    )
    check(
        "  its Cache-Control",
        "a year, immutable",
        static.header("Cache-Control"),
        # nginx's own header (WhiteNoise's would say max-age=315360000).
        lambda got: re.search(r"max-age=31536000\b", got) is not None and "immutable" in got,
    )
    check(
        "  its body",
        "the collected file",
        f"{len(static.body)} bytes",
        lambda _: static.body == (static_root / css).read_bytes(),
    )
    check(
        "  its Vary", "Accept-Encoding", static.header("Vary"), lambda got: "Accept-Encoding" in got
    )
    plain = fetch(port, f"/static/{name}", "gzip")
    check(
        "/static/ unhashed name",
        "cached briefly",
        plain.header("Cache-Control"),
        lambda got: "max-age=3600" in got and "immutable" not in got,
    )
    for path, kind in (("/login/", "<!DOCTYPE html>"), ("/api/v1/openapi.json", '{"openapi"')):
        for coding in ("gzip", "br"):
            answer = fetch(port, path, coding if coding == "gzip" else "gzip, br")
            check(
                f"{path} ({coding})",
                f"{answer.status} Content-Encoding: {coding}",
                f"{answer.status} Content-Encoding: {answer.header('Content-Encoding')}",
                lambda got, coding=coding: got == f"200 Content-Encoding: {coding}",
            )
            check(
                "  its body",
                kind,
                answer.body[:20].decode(errors="replace").replace("\n", " "),
                lambda got, kind=kind: got.startswith(kind),
            )
    health = fetch(port, "/healthz", "gzip")
    check(
        "/healthz (tiny)",
        "200, not compressed",
        f"{health.status} {health.header('Content-Encoding') or 'not compressed'}",
        lambda got: got == "200 not compressed",
    )
    return results


def run(nginx: str, tmp: Path) -> list[Check]:
    var_dir = tmp / "var"
    (tmp / "check_nginx_settings.py").write_text(SETTINGS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "check_nginx_settings",
        "SHANGHUI_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'shanghui.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "src")]),
        "WEB_ACCESS_LOG": str(tmp / "gunicorn-access.log"),
        "WEB_WORKERS": "1",
        "WEB_THREADS": "4",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*manage, "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=tmp,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise Unavailable(f"manage.py collectstatic failed:\n{done.stderr}")
    app_port, port, plain_port = free_ports(3)
    server = localised(
        documented_block(), app_port=app_port, port=port, plain_port=plain_port, var_dir=var_dir
    )
    # As root nginx hands its workers to "nobody", who may not read a private temporary
    # directory; the workers stay root here (a check on a throwaway machine, never a server).
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_MAIN.format(user=user, tmp=tmp, server=server))
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        "python:shanghui.config.gunicorn",
        "shanghui.config.wsgi",
    ]
    with running(
        gunicorn, env={**env, "PORT": str(app_port)}, cwd=tmp, log=tmp / "gunicorn.log"
    ) as app:
        wait_for(app_port, app, "gunicorn")
        nginx_command = [
            nginx,
            "-p",
            str(tmp),
            "-e",
            str(tmp / "nginx-error.log"),
            "-c",
            str(conf),
            "-g",
            "daemon off;",
        ]
        tested = subprocess.run(  # noqa: S603 - nginx testing the configuration written above
            [*nginx_command, "-t"], capture_output=True, text=True, check=False
        )
        if tested.returncode != 0:
            raise Unavailable(f"nginx refused the configuration:\n{tested.stderr}")
        with running(nginx_command, env=env, cwd=tmp, log=tmp / "nginx.log") as proxy:
            wait_for(port, proxy, "nginx")
            return checks(port, var_dir / "static")


def table(results: list[Check]) -> str:
    rows = [
        ("check", "expected", "got", ""),
        *((r.what, r.expected, r.got, "ok" if r.ok else "FAILED") for r in results),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[3]
        for row in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not shutil.which(args.nginx):
        print(f"{args.nginx} is missing: apt-get install nginx-light", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="check-nginx-"))
    try:
        # A server that stopped at start most likely lost its free port to another run's
        # (see wait_for): try again with new ports.
        for attempt in range(3):
            try:
                results = run(args.nginx, tmp)
                break
            except Unavailable as exc:
                if "stopped at start" not in str(exc) or attempt == 2:
                    raise
                print(f"check_nginx: {exc}; again with other ports", file=sys.stderr)
    except Unavailable as exc:
        print(f"check_nginx: {exc}", file=sys.stderr)
        for log in ("nginx-error.log", "gunicorn.log"):
            if (tmp / log).exists():
                print(f"--- {log}\n{(tmp / log).read_text()[-3000:]}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(table(results))
    if args.keep:
        print(f"kept {tmp}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
