"""The cost of a request, side by side with its floor, and the registration burst — served as
``make run`` serves (``make bench-serve``). Prints figures; asserts nothing about timing.

1. Builds the data: ``seed_demo`` (the 23,000-member chamber gdjx and four more) plus an
   association of registrants with API tokens, on a temporary SQLite file (``--db sqlite``)
   and/or a PostgreSQL database of its own (``--db postgres``; the server connects as a login
   role in ``shanghui_app``, so row-level security applies). Static files are collected once.
2. Serves it with gunicorn exactly as ``make run`` does — its configuration file
   (``-c python:shanghui.config.gunicorn``), 2 workers x 8 threads, ``settings.local`` — with
   the floor views of ``bench/floor`` mounted in the same server (``floor.settings`` is
   ``settings.local`` plus the floors' URLs; bench/ is on the server's PYTHONPATH).
3. For each endpoint, the app's page and its floor in turn at 1, 8 and 32 keep-alive clients
   for ``--seconds`` each: requests per second, CPU per request of the server processes (the
   gunicorn master and workers, from /proc) and, on PostgreSQL, of their backends; then the
   ratio app/floor. Before the load, each pair is checked to answer the same rows.
4. The burst: 200 registrations at once for an event of 50 seats, against that server, and
   through nginx in front of it with the block of docs/deploy.md (``--no-nginx`` to skip).

Run: ``make bench-serve`` (both databases, ~15 minutes on 2 cores); ``--quick`` for a short
run; ``--db sqlite|postgres|both``. Loopback only; what it creates is removed afterwards.
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from burst import burst, nginx_front
from harness import (
    APP_GROUP_ROLE,
    ROOT,
    CpuMeter,
    Kind,
    admin_connect,
    api_token,
    event_open,
    free_port,
    gunicorn,
    log,
    manage,
    percentile,
    registrants,
    request,
    run_kind,
    session_cookie,
)

SLUG = "gdjx"  # the demo's 23,000-member chamber
REGISTRANTS = "bench-serve"  # an association of members with API tokens, for registrations
MEMBER_PHONE = "13800000002"  # demo member of gdjx
ADMIN_PHONE = "13800000001"  # demo secretariat admin of gdjx
CLIENTS = (1, 8, 32)
API = f"/api/v1/associations/{SLUG}"
FLOOR_API = f"/floor/api/associations/{SLUG}"


@dataclass
class Endpoint:
    name: str
    app: str
    floor: str
    caller: str  # member-token | member-session | admin-session | registrant
    rows: str = "api"  # how the same-rows check reads an answer: api | html | none


ENDPOINTS = [
    Endpoint("API member list, page 1", f"{API}/members?page=1", f"{FLOOR_API}/members?page=1",
             "member-token"),
    Endpoint("API search q=刘", f"{API}/members?q=%E5%88%98", f"{FLOOR_API}/members?q=%E5%88%98",
             "member-token"),
    Endpoint("API search q=gzj", f"{API}/members?q=gzj", f"{FLOOR_API}/members?q=gzj",
             "member-token"),
    Endpoint("API member list, page 500", f"{API}/members?page=500",
             f"{FLOOR_API}/members?page=500", "member-token"),
    # page 500 as a phone reaches it: the cursor the app gave with page 499 (resolved at run
    # time by ``deep_cursor``); its floor seeks past the same last row.
    Endpoint("API member list, page 500 by cursor", f"{API}/members?cursor={{cursor}}",
             f"{FLOOR_API}/members?after={{after}}", "member-token"),
    Endpoint("API event list", f"{API}/events", f"{FLOOR_API}/events", "member-token"),
    Endpoint("HTML member directory, page 1", f"/a/{SLUG}/directory/",
             f"/a/{SLUG}/floor/directory/", "member-session", "html"),
    Endpoint("HTML back-office member list, page 1", f"/a/{SLUG}/office/members/",
             f"/a/{SLUG}/floor/office/members/", "admin-session", "html"),
    # The public site and its news list, as a visitor opens them (no session): no floor of
    # their own — CPU per request and p95 latency are the figures (``--only public``).
    Endpoint("HTML public home (visitor)", f"/a/{SLUG}/", "", "anonymous", "none"),
    Endpoint("HTML news list (visitor)", f"/a/{SLUG}/news/", "", "anonymous", "none"),
    Endpoint("HTML platform portal (visitor)", "/", "", "anonymous", "none"),
    Endpoint("API registration POST", f"/api/v1/associations/{REGISTRANTS}/events/{{id}}/"
             "registrations", f"/floor/api/associations/{REGISTRANTS}/events/{{id}}/"
             "registrations", "registrant", "none"),
]  # fmt: skip


@dataclass
class Cell:
    requests: int
    errors: dict[str, int]
    rps: float
    app_ms: float
    db_ms: float
    p95_ms: float = 0.0


@dataclass
class Row:
    endpoint: Endpoint
    same: str = ""
    app: dict[int, Cell] = field(default_factory=dict)
    floor: dict[int, Cell] = field(default_factory=dict)


# --- Data -----------------------------------------------------------------------------------


def environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """``make run``'s settings with the floors, this checkout's code, the bench's var dir,
    and rate limits the load cannot reach (their counting still runs on every request)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "floor.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
        "SHANGHUI_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "SMS_BACKEND": "console",
        "RATE_LIMIT_DIRECTORY_SEARCH": "100000000/60",
        "RATE_LIMIT_DIRECTORY_SEARCH_DAILY": "100000000/86400",
        "RATE_LIMIT_PERSONAL_DATA_PAGES": "100000000/3600",
    }


def build(env: dict[str, str], registrant_count: int) -> dict:
    log("migrate")
    manage(env, "migrate", "--noinput", "-v", "0")
    log("seed_demo")
    manage(env, "seed_demo")
    log(f"{registrant_count} registrants with API tokens")
    return registrants(env, REGISTRANTS, registrant_count)


def collected_static(var_dir: Path) -> None:
    """``make run``'s static files (hashed, compressed with gzip and Brotli) in
    ``var_dir/static``: collected again only when a source file changed since the last run
    (compressing takes minutes on a busy machine), kept in var/bench-static."""
    sources = sorted(p for p in (ROOT / "src" / "shanghui").rglob("static/**/*") if p.is_file())
    stamp = hashlib.sha1(  # noqa: S324 — a cache key, not a secret
        "".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}\n" for p in sources).encode()
    ).hexdigest()[:16]
    cache = ROOT / "var" / "bench-static" / stamp
    if not (cache / "staticfiles.json").exists():
        log("collectstatic (make run's compressed, hashed static files)")
        manage(environment(var_dir, f"sqlite:///{var_dir}/bench.sqlite3"), "collectstatic",
               "--noinput", "-v", "0")  # fmt: skip
        shutil.rmtree(cache.parent, ignore_errors=True)  # earlier versions
        cache.parent.mkdir(parents=True)
        shutil.move(var_dir / "static", cache)
    (var_dir / "static").symlink_to(cache)


# --- Load -----------------------------------------------------------------------------------


def callers(port: int, tokens: dict) -> dict[str, dict[str, str]]:
    return {
        "member-token": {"Authorization": f"Bearer {api_token(port, MEMBER_PHONE)}"},
        "member-session": {"Cookie": session_cookie(port, MEMBER_PHONE)},
        "admin-session": {"Cookie": session_cookie(port, ADMIN_PHONE)},
        "registrant": {"Content-Type": "application/json"},
        "anonymous": {},
    }


def kind_for(port: int, endpoint: Endpoint, path: str, headers: dict, tokens: dict) -> Kind:
    """A GET kind, or for registrations a fresh event (capacity far above the load) and one
    POST per registrant, each with its own token and Idempotency-Key."""
    if endpoint.caller != "registrant":
        return Kind(endpoint.name, [path], headers)
    event_id = event_open(port, REGISTRANTS, tokens["admin"], "压测活动", 100_000)
    bodies = [
        (b"{}", {"Authorization": f"Bearer {t}", "Idempotency-Key": secrets.token_hex(8)})
        for t in tokens["members"]
    ]
    return Kind(endpoint.name, [path.format(id=event_id)], headers, bodies)


def rows_of(endpoint: Endpoint, body: bytes) -> str:
    if endpoint.rows == "api":
        data = json.loads(body)
        return f"{data['count']}:{[item['id'] for item in data['items']]}"
    ids = re.findall(rb"/(?:directory|office/members)/(\d+)/", body)
    return str(list(dict.fromkeys(ids)))


def same_rows(port: int, endpoint: Endpoint, headers: dict) -> str:
    """Whether the app and its floor answer 200 with the same rows (count and ids)."""
    if endpoint.rows == "none" or not endpoint.floor:
        return "n/a"
    answers = [
        request(port, "GET", path, headers=headers) for path in (endpoint.app, endpoint.floor)
    ]
    statuses = [status for status, _, _ in answers]
    if statuses != [200, 200]:
        return f"HTTP {statuses}"
    app_rows, floor_rows = (rows_of(endpoint, body) for _, _, body in answers)
    return "yes" if app_rows == floor_rows else "NO"


def measure(
    port: int, master: int, database: tuple[str, str] | None, kind: Kind, clients: int,
    seconds: float,
) -> Cell:  # fmt: skip
    meter = CpuMeter(master, database)
    result = run_kind(port, kind, clients, 1_000_000, seconds)
    app_s, db_s, _other = meter.stop()
    n = max(1, len(result.latencies))
    return Cell(len(result.latencies), result.statuses, n / result.seconds,
                app_s * 1000 / n, db_s * 1000 / n,
                percentile(result.latencies, 95) * 1000)  # fmt: skip


def deep_cursor(port: int, endpoint: Endpoint, headers: dict) -> Endpoint:
    """``endpoint`` with ``{cursor}`` and ``{after}`` filled from the app's page 499: its
    ``next_cursor`` and its last member's id."""
    if "{cursor}" not in endpoint.app:
        return endpoint
    _, _, body = request(port, "GET", f"{API}/members?page=499", headers=headers)
    data = json.loads(body)
    return replace(
        endpoint,
        app=endpoint.app.format(cursor=quote(data["next_cursor"])),
        floor=endpoint.floor.format(after=data["items"][-1]["id"]),
    )


def load(
    port: int,
    master: int,
    database: tuple[str, str] | None,
    tokens: dict,
    seconds: float,
    only: str = "",
) -> list[Row]:
    who = callers(port, tokens)
    out = []
    for endpoint in ENDPOINTS:
        if only and only.lower() not in endpoint.name.lower():
            continue
        headers = who[endpoint.caller]
        endpoint = deep_cursor(port, endpoint, headers)
        row = Row(endpoint, same_rows(port, endpoint, headers))
        log(f"{endpoint.name}: same rows {row.same}")
        variants = [("app", endpoint.app)] + ([("floor", endpoint.floor)] if endpoint.floor else [])
        if endpoint.caller != "registrant":  # warm every worker thread and its connection
            for _variant, path in variants:
                run_kind(port, Kind(endpoint.name, [path], headers), 32, 2)
        for clients in CLIENTS:
            for variant, path in variants:
                kind = kind_for(port, endpoint, path, headers, tokens)
                cell = measure(port, master, database, kind, clients, seconds)
                getattr(row, variant)[clients] = cell
                print(
                    f"  {endpoint.name:38} {variant:5} {clients:>2} clients: {cell.requests:5} "
                    f"requests, {cell.rps:6.1f}/s, app {cell.app_ms:5.1f} ms/req, "
                    f"db {cell.db_ms:5.1f} ms/req, p95 {cell.p95_ms:6.1f} ms"
                    + (f", errors {cell.errors}" if cell.errors else ""),
                    flush=True,
                )
        out.append(row)
    return out


def table(db: str, rows: list[Row], database: bool) -> None:
    """The figures as a Markdown table: CPU per request at one client (and at 32), the ratio,
    database CPU per request (PostgreSQL) and requests per second at 1/8/32 clients."""
    print(f"\n### {db}\n")
    head = ["endpoint", "app CPU/req", "floor CPU/req", "ratio", "at 32 clients: app / floor",
            "app p95 at 32"]  # fmt: skip
    if database:
        head += ["app db/req", "floor db/req"]
    head += ["app req/s at 1 / 8 / 32", "floor req/s at 1 / 8 / 32", "same rows"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        a = row.app
        none = Cell(0, {}, 0.0, 0.0, 0.0)
        f = row.floor or dict.fromkeys(CLIENTS, none)
        ratio = a[1].app_ms / f[1].app_ms if f[1].app_ms else 0.0
        cells = [
            row.endpoint.name,
            f"{a[1].app_ms:.1f} ms",
            f"{f[1].app_ms:.1f} ms",
            f"{ratio:.1f}×",
            f"{a[32].app_ms:.1f} / {f[32].app_ms:.1f} ms",
            f"{a[32].p95_ms:.0f} ms",
        ]
        if database:
            cells += [f"{a[1].db_ms:.1f} ms", f"{f[1].db_ms:.1f} ms"]
        cells += [
            " / ".join(f"{a[c].rps:.0f}" for c in CLIENTS),
            " / ".join(f"{f[c].rps:.0f}" for c in CLIENTS),
            row.same,
        ]
        errors = {k: v for c in CLIENTS for cell in (a[c], f[c]) for k, v in cell.errors.items()}
        if errors:
            cells[-1] += f" (errors {errors})"
        print("| " + " | ".join(cells) + " |")


# --- Main -----------------------------------------------------------------------------------


def run(db: str, args: argparse.Namespace, var_dir: Path) -> None:
    database = None
    if db == "postgres":
        dbname, role = args.db_name, f"{args.db_name}_app"
        database = (dbname, role)
        with admin_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            conn.execute(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT IN ROLE '
                f"{APP_GROUP_ROLE}"
            )
        owner = environment(var_dir, f"postgres://postgres@127.0.0.1:5432/{dbname}")
        # Backends live for the whole run (their CPU is counted), as the app's threads keep them.
        env = environment(var_dir, f"postgres://{role}@127.0.0.1:5432/{dbname}")
        env["DB_CONN_MAX_AGE"] = "3600"
    else:
        owner = env = environment(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
    try:
        tokens = build(owner, args.registrants)
        if database is not None:
            log("VACUUM ANALYZE")  # the statistics autovacuum would gather: the steady state
            with admin_connect(database[0]) as conn:
                conn.execute("VACUUM (ANALYZE)")
        port = free_port()
        log_path = var_dir / f"gunicorn-{db}.log"
        with gunicorn(env, port, log_path) as master:
            rows = load(port, master, database, tokens, args.seconds, args.only)
            table(db, rows, database is not None)
            print()
            if args.only:
                return
            burst_tokens = {**tokens, "members": tokens["members"][: args.burst]}
            print(burst(port, REGISTRANTS, burst_tokens, 50, "make run (gunicorn)").line())
            if not args.no_nginx:
                static = Path(var_dir) / "static"
                with nginx_front(port, static, var_dir / f"nginx-{db}") as front:
                    through = "nginx (docs/deploy.md) → gunicorn"
                    print(burst(front, REGISTRANTS, burst_tokens, 50, through).line())
    finally:
        if database is not None:
            with admin_connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database[0]}" WITH (FORCE)')
                conn.execute(f'DROP ROLE IF EXISTS "{database[1]}"')


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--db-name", default="bench_serve", help="PostgreSQL database to create")
    parser.add_argument("--seconds", type=float, default=3.0, help="per endpoint and client count")
    parser.add_argument("--quick", action="store_true", help="1 s per measurement")
    parser.add_argument("--registrants", type=int, default=400)
    parser.add_argument("--burst", type=int, default=200, help="registrations in the burst")
    parser.add_argument("--no-nginx", action="store_true", help="skip the burst through nginx")
    parser.add_argument(
        "--only", default="", help="measure only the endpoints whose name holds this; no burst"
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds = 1.0
    args.registrants = max(args.registrants, args.burst)
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}; server: gunicorn with make run's "
        "configuration (2 workers x 8 threads), settings.local + floors; "
        f"{args.seconds:g} s per measurement"
    )
    var_dir = Path(tempfile.mkdtemp(prefix="shanghui-bench-serve-"))
    try:
        collected_static(var_dir)
        for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
            started = time.perf_counter()
            run(db, args, var_dir)
            log(f"{db}: {time.perf_counter() - started:.0f} s")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"\nload average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
