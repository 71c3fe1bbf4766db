"""What the HTTP benches share: a free loopback port, ``manage.py`` in a given environment,
the app served by gunicorn as ``make run`` serves it until the block ends, HTTP requests
(bearer token, session sign-in), keep-alive load clients, the CPU the server processes and
their PostgreSQL backends spent, members with API tokens for registration races, a
timestamped log line, and percentiles.

Imported by the bench scripts, which run as ``.venv/bin/python bench/<name>.py`` (so this
directory is on ``sys.path``)."""

import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # benches listen and connect on loopback only
PG = "postgresql://postgres@127.0.0.1:5432"
APP_GROUP_ROLE = "shanghui_app"  # created by migrate (core.rls)
PASSWORD = "Shanghui2026"  # noqa: S105 — the published demo password


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
def serving(command: list[str], env: dict[str, str], port: int, log_path: Path) -> Iterator[int]:
    """Runs ``command`` (a server answering /healthz on ``port``) until the block ends; yields
    its pid. Waits for /healthz to answer, and stops the whole process group."""
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            while not _answers(port, "/healthz"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start; see {log_path}")
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


@contextmanager
def gunicorn(
    env: dict[str, str],
    port: int,
    log_path: Path,
    *,
    workers: int = 2,
    threads: int = 8,
    timeout: int | None = None,
) -> Iterator[int]:
    """Serves the app as ``make run`` does — gunicorn with ``make run``'s configuration file
    (``-c python:shanghui.config.gunicorn``: gthread workers, a 2048-deep listen queue, the
    access log) and its defaults of 2 workers x 8 threads — on ``port`` until the block ends;
    yields the master's pid. The settings module is the caller's (``DJANGO_SETTINGS_MODULE``
    in ``env``)."""
    env = {**env, "HOST": HOST, "PORT": str(port)}
    env |= {"WEB_WORKERS": str(workers), "WEB_THREADS": str(threads)}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-c", "python:shanghui.config.gunicorn"),
        *(("--timeout", str(timeout)) if timeout else ()),
        "shanghui.config.wsgi",
    ]
    with serving(command, env, port, log_path) as pid:
        yield pid


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


# --- Requests -------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        all_headers: dict[str, list[str]] = {}
        for key, value in resp.getheaders():
            all_headers.setdefault(key.lower(), []).append(value)
        return resp.status, all_headers, resp.read()
    finally:
        conn.close()


def api_token(port: int, phone: str) -> str:
    body = json.dumps({"phone": phone, "password": PASSWORD}).encode()
    status, _, data = request(
        port, "POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    if status not in (200, 201):
        raise RuntimeError(f"token for {phone}: HTTP {status} {data[:200]!r}")
    return str(json.loads(data)["token"])


def _cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    jar = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def session_cookie(port: int, phone: str) -> str:
    """Signs in through the /login/ form (CSRF cookie + token) and returns a Cookie header."""
    status, headers, page = request(port, "GET", "/login/")
    jar = _cookies(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not match or "csrftoken" not in jar:
        raise RuntimeError("login page without CSRF token")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "phone": phone, "password": PASSWORD}
    ).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"http://{HOST}:{port}/login/",
        },
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"form login failed: HTTP {status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# --- Load -----------------------------------------------------------------------------------


@dataclass
class Kind:
    """One kind of request: GETs of ``paths`` in turn, or, with ``bodies``, POSTs of the
    same path with one body and header set each (``bodies[n]`` is used once: a registration
    per person)."""

    name: str
    paths: list[str]
    headers: dict[str, str]
    bodies: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def at_once(target: Callable[[T], None], items: list[T]) -> float:
    """Calls ``target(item)`` for every item, each in a thread of its own, all released at the
    same moment; the seconds from the release until the last one returned."""
    barrier = threading.Barrier(len(items) + 1)

    def run(item: T) -> None:
        barrier.wait()
        target(item)

    # Daemons: Ctrl-C ends the bench without waiting for the clients.
    threads = [threading.Thread(target=run, args=(item,), daemon=True) for item in items]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def run_kind(
    port: int, kind: Kind, clients: int, per_client: int, seconds: float | None = None
) -> Result:
    """``clients`` keep-alive clients (threads) send ``per_client`` requests each — or stop
    after ``seconds`` when given. A status other than 2xx counts as an error."""
    result = Result()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds if seconds is not None else math.inf
    bodies = iter(kind.bodies)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        mine: list[float] = []
        bad: list[str] = []
        for i in range(per_client):
            if time.perf_counter() > stop_at:
                break
            path = kind.paths[(index + i) % len(kind.paths)]
            method, body, headers = "GET", None, kind.headers
            if kind.bodies:
                with lock:
                    item = next(bodies, None)
                if item is None:
                    break
                method, body, headers = "POST", item[0], {**kind.headers, **item[1]}
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=120)
            mine.append(time.perf_counter() - began)
            if not status.startswith("2"):
                bad.append(status)
        conn.close()
        with lock:
            result.latencies += mine
            result.errors += len(bad)
            for s in bad:
                result.statuses[s] = result.statuses.get(s, 0) + 1

    result.seconds = at_once(client, list(range(clients)))
    return result


# --- CPU ------------------------------------------------------------------------------------


def admin_connect(dbname: str = "postgres", port: int | None = None) -> Any:
    """A superuser connection (autocommit) to the server on 5432, or to the one on ``port``
    (the local Citus cluster's nodes, which speak no SSL)."""
    import psycopg

    if port is None:
        return psycopg.connect(f"{PG}/{dbname}", autocommit=True)
    return psycopg.connect(
        f"postgresql://postgres@{HOST}:{port}/{dbname}?sslmode=disable", autocommit=True
    )


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User + system CPU time of each process, in clock ticks (Linux /proc)."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def server_processes(
    master: int, database: tuple[str, str] | None, ports: Sequence[int | None] = (None,)
) -> tuple[list[int], list[int]]:
    """The gunicorn master and workers, and (``database``: name and role on PostgreSQL) the
    backends serving them — on the server on 5432, or on each of ``ports`` (a Citus cluster:
    the coordinator's backends and those it opens on the workers; all on this machine)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    backends: list[int] = []
    if database is not None:
        for port in ports:
            with admin_connect(database[0], port) as conn:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND usename = %s "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    list(database),
                ).fetchall()
            backends += [r[0] for r in rows]
    return [master, *(int(c) for c in children)], backends


def busy_ticks() -> int:
    """CPU time the whole machine spent busy, in clock ticks (first line of /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return user + nice + system + irq + softirq + steal


class CpuMeter:
    """CPU seconds the app server (gunicorn master and workers) and its database backends
    (PostgreSQL: ``database`` is the database name and the role the app connects as) spent
    during a load run: a figure that, unlike latency, does not depend on what else the
    machine is doing — and the CPU everything else took meanwhile (other engineers' test
    suites, the load clients, and parallel query workers), in cores, which latency does
    depend on. ``ports``: the database servers whose backends count (``server_processes``)."""

    def __init__(
        self,
        master: int,
        database: tuple[str, str] | None,
        ports: Sequence[int | None] = (None,),
    ) -> None:
        self.args = (master, database, ports)
        self.app, self.db = server_processes(*self.args)
        self.before = cpu_ticks(self.app + self.db)
        self.busy_before = busy_ticks()
        self.began = time.monotonic()

    def stop(self) -> tuple[float, float, float]:
        app, db = server_processes(*self.args)
        after = cpu_ticks(app + db)
        hz = os.sysconf("SC_CLK_TCK")
        seconds = time.monotonic() - self.began

        def used(pids: list[int]) -> float:
            return sum(after.get(p, 0) - self.before.get(p, 0) for p in pids if p in after) / hz

        app_s, db_s = used(app), used(db)
        other_s = (busy_ticks() - self.busy_before) / hz - app_s - db_s
        return app_s, db_s, max(0.0, other_s) / seconds


# --- Registrants ----------------------------------------------------------------------------

REGISTRANTS = r"""
import json, sys
import django
django.setup()
from django.db import transaction
from shanghui.accounts.models import Role, User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person, Representative

slug, count = sys.argv[1], int(sys.argv[2])
association = Association.objects.create(
    name="压测商会", short_name="压测商会", slug=slug, kind="hometown_chamber",
    region_code="440300", uscc="51440300MJL000001X", status="active",
)
admin = User.objects.create(phone="13700000000", name="压测秘书长")
users = User.objects.bulk_create(
    User(phone=f"137{i:08d}", name=f"会员{i:03d}") for i in range(1, count + 1)
)
with tenant_context(association), transaction.atomic():
    Role.objects.create(association=association, user=admin, kind="admin")
    Role.objects.bulk_create(Role(association=association, user=u, kind="member") for u in users)
    members = Member.objects.bulk_create(
        Member(association=association, kind="enterprise", name=f"压测企业{i:03d}有限公司",
               member_no=f"B{i:05d}", status="active", search_text="", sort_key="")
        for i in range(1, count + 1)
    )
    people = Person.objects.bulk_create(
        Person(association=association, name=u.name, phone=u.phone, user=u, search_text="",
               sort_key="")
        for u in users
    )
    Representative.objects.bulk_create(
        Representative(association=association, member=m, person=p)
        for m, p in zip(members, people)
    )
tokens = {"admin": api_token_create(user=admin, name="bench")[1],
          "members": [api_token_create(user=u, name="bench")[1] for u in users]}
print(json.dumps(tokens))
"""


def registrants(env: dict[str, str], slug: str, count: int) -> dict[str, Any]:
    """Creates the association ``slug`` with a secretariat admin and ``count`` members, each
    represented by a person with an account; returns their API tokens
    (``{"admin": …, "members": […]}``)."""
    out = subprocess.run(
        [sys.executable, "-c", REGISTRANTS, slug, str(count)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tokens: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return tokens


def api_call(
    port: int, method: str, path: str, body: Any = None, token: str = "", key: str = ""
) -> tuple[int, Any, float]:
    """A JSON API request on a new connection: status, parsed body, seconds."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    status, _, data = request(port, method, path, payload, headers)
    elapsed = time.perf_counter() - started
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data[:200]
    return status, parsed, elapsed


def event_open(port: int, slug: str, admin: str, title: str, capacity: int | None) -> int:
    """Creates and publishes an event through the API; its id."""
    base = f"/api/v1/associations/{slug}/events"
    body = {"title": title, "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T12:00"}
    status, event, _ = api_call(port, "POST", base, {**body, "capacity": capacity}, admin)
    if status != 201:
        raise RuntimeError(f"event not created: HTTP {status} {event}")
    if api_call(port, "POST", f"{base}/{event['id']}/publish", None, admin)[0] != 200:
        raise RuntimeError("event not published")
    return int(event["id"])
