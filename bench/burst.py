"""The burst: ``count`` members tap the registration link of an event with ``seats`` seats at
the same moment, each on a new connection (phones do not share one), against a running server
— gunicorn as ``make run`` serves, or nginx in front of it with the block docs/deploy.md
documents (``nginx_front``). Counted: answers (2xx, or a 4xx with a JSON body), connections
refused or reset, 5xx, confirmed registrations, ``seats_taken`` afterwards and registrations
per second. Used by ``bench/serve.py``; asserts nothing."""

import re
import secrets
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness import HOST, ROOT, api_call, at_once, event_open, serving

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Burst:
    through: str
    clients: int
    seats: int
    answered: int = 0
    refused: int = 0
    server_errors: int = 0
    confirmed: int = 0
    seats_taken: int = -1
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        rate = self.clients / self.seconds if self.seconds else 0.0
        return (
            f"{self.through}: {self.clients} registrations at once for {self.seats} seats — "
            f"answered {self.answered}, refused/reset {self.refused}, 5xx {self.server_errors}, "
            f"confirmed {self.confirmed}, seats_taken {self.seats_taken}, "
            f"{rate:.0f} registrations/s ({self.seconds:.1f} s); statuses {dict(self.statuses)}"
        )


def burst(port: int, slug: str, tokens: dict, seats: int, through: str) -> Burst:
    """One burst of every member in ``tokens`` for a new event of ``seats`` seats."""
    members: list[str] = tokens["members"]
    event_id = event_open(port, slug, tokens["admin"], f"压测年会 {through}", seats)
    path = f"/api/v1/associations/{slug}/events/{event_id}/registrations"
    result = Burst(through, len(members), seats)
    lock = threading.Lock()

    def register(token: str) -> None:
        try:
            status, body, _ = api_call(port, "POST", path, {}, token, secrets.token_hex(8))
        except OSError as exc:  # refused, reset, timed out
            status, body = 0, type(exc).__name__
        with lock:
            result.statuses[str(status or body)] += 1
            if status >= 500:
                result.server_errors += 1
            elif status and isinstance(body, dict):
                result.answered += 1
                result.confirmed += body.get("status") == "confirmed"
            else:
                result.refused += 1

    result.seconds = at_once(register, members)
    detail = api_call(port, "GET", f"/api/v1/associations/{slug}/events/{event_id}", None,
                      tokens["admin"])[1]  # fmt: skip
    result.seats_taken = detail["seats_taken"] if isinstance(detail, dict) else -1
    return result


def deploy_nginx_block(app_port: int, port: int, static_root: Path) -> str:
    """docs/deploy.md's ```nginx block, made to run here: of its server blocks the one that
    proxies to the app (a port-80 redirect or the like is left out) with the TLS lines taken
    out, listening on ``port`` over plain HTTP, proxying to ``app_port``, static files from
    ``static_root``; any other top-level block (upstream, map) is kept with the same
    substitutions. Tolerant of the block growing (compression, cache headers)."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    fenced = re.search(r"```nginx\n(.*?)```", text, re.S)
    if fenced is None:
        raise RuntimeError("docs/deploy.md has no ```nginx block")
    kept = []
    for block in _top_level_blocks(fenced.group(1)):
        if block.lstrip().startswith("server") and "proxy_pass" not in block:
            continue
        kept.append(block)
    conf = "\n".join(kept)
    conf = re.sub(r"^\s*(listen|ssl_\w+|http2)\b[^;]*;", "", conf, flags=re.M)
    conf = re.sub(r"(server\s*\{)", rf"\1\n    listen {HOST}:{port};", conf)
    conf = re.sub(r"server_name[^;]*;", "server_name _;", conf)
    conf = re.sub(r"(127\.0\.0\.1|localhost):8000", f"{HOST}:{app_port}", conf)
    conf = re.sub(r"alias\s+\S*/static/\s*;", f"alias {static_root}/;", conf)
    return conf


def _top_level_blocks(text: str) -> Iterator[str]:
    """Top-level directives and ``name … { … }`` blocks of an nginx snippet, comments out."""
    text = re.sub(r"#[^\n]*", "", text)
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield text[start : i + 1]
                start = i + 1
        elif char == ";" and depth == 0:
            yield text[start : i + 1]
            start = i + 1


@contextmanager
def nginx_front(app_port: int, static_root: Path, work: Path) -> Iterator[int]:
    """nginx (Debian's nginx-light) in front of the app with the deploy.md block, on a free
    port, until the block ends; yields that port."""
    from harness import free_port

    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o777)
    server = deploy_nginx_block(app_port, port, static_root)
    temp = "\n".join(
        f"    {name}_temp_path {work}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"worker_processes 2;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {work}/access.log;\n"
        f"{temp}\n{server}\n}}\n"
    )
    command = [NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"]
    with serving(command, {}, port, work / "nginx.out"):
        yield port
