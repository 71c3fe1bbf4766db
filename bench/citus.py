"""The platform on plain PostgreSQL and on a local Citus cluster, side by side in one run:
directory search, the back office's member list, the queries that fan out to every shard (the
roles listed at sign-in, the association list) and the registration race. Prints figures (a
Markdown table); asserts nothing about timing.

For each target — PostgreSQL on 127.0.0.1:5432; Citus with its coordinator on 5440 and workers
on 5441 and 5442 (``scripts/citus_cluster.sh``, started here if it is down) — in turn:

1. the database ``bench_citus`` afresh (on Citus: on every node, with the extension, the
   workers joined), ``migrate`` (on Citus its post_migrate hook distributes the tables by
   association), ``seed_demo --members N``, 200 registrants with API tokens, VACUUM ANALYZE;
2. gunicorn as ``make run`` serves (2 workers x 8 threads), connecting under row-level
   security as production does: as a login role in ``shanghui_app`` on PostgreSQL, as
   ``shanghui_app`` itself on Citus (the cluster gives it LOGIN, and Citus reaches the
   workers as the same user);
3. per kind of request, a warm-up, then 8 keep-alive clients x a fixed number of requests:
   latency, throughput, and CPU per request of gunicorn and of the database backends (on
   Citus those of bench_citus on all three nodes: the coordinator's serving gunicorn and the
   ones it opens on the workers). Citus keeps one connection to each worker per coordinator
   backend (``citus.max_cached_conns_per_worker`` 1) and these requests open no others (seen
   in the workers' ``pg_stat_database.sessions``), so the backends alive when a kind starts
   and ends hold all of its database CPU;
4. the registration race: 200 members register at once for an event of 50 seats.

Run: ``.venv/bin/python bench/citus.py [--members N] [--quick]`` (N: the members seed_demo
gives gdjx, default 5000; ``--quick``: fewer requests, one race). Loopback only; the databases
and the login role it creates are dropped afterwards.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from directory_search import INITIALS, TWO_CHARS, api_path
from harness import (
    APP_GROUP_ROLE,
    HOST,
    ROOT,
    CpuMeter,
    Kind,
    admin_connect,
    api_call,
    api_token,
    at_once,
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
from serve import collected_static, environment

DB = "bench_citus"
SLUG = "gdjx"  # the demo's provincial chamber
ADMIN_PHONE = "13800000001"  # its secretariat admin
MEMBER_PHONE = "13800000002"  # one of its members
RACERS = "bench-citus"  # an association of registrants with API tokens, for the race
RACE_MEMBERS, RACE_SEATS = 200, 50
CLIENTS = 8
WORKERS, THREADS = 2, 8  # make run's gunicorn
CLUSTER = ["bash", str(ROOT / "scripts" / "citus_cluster.sh")]


@dataclass(frozen=True)
class Target:
    name: str
    ports: tuple[int, ...]  # the first serves the app; the backends on all of them count
    app_role: str  # what gunicorn connects as (row-level security applies)
    citus: bool

    def url(self, user: str) -> str:
        return f"postgres://{user}@{HOST}:{self.ports[0]}/{DB}"


TARGETS = (
    Target("PostgreSQL", (5432,), "bench_citus_web", citus=False),
    Target("Citus", (5440, 5441, 5442), APP_GROUP_ROLE, citus=True),
)


@dataclass
class Row:
    """One line of the figures table."""

    target: str
    kind: str
    requests: int
    errors: str
    p50_ms: float
    p95_ms: float
    rate: float
    app_ms: float
    db_ms: float
    other: float


@dataclass
class Race:
    target: str
    n: int
    statuses: Counter[int]
    confirmed: int  # answered "confirmed"
    stored: dict[str, int]  # registrations in the database by status
    duplicates: int  # people registered more than once
    seats_taken: int
    seconds: float


# --- Databases ------------------------------------------------------------------------------


def one(port: int, sql: str, params: list[Any] | None = None, dbname: str = DB) -> Any:
    with admin_connect(dbname, port) as conn:
        row = conn.execute(sql, params).fetchone()
    return row[0] if row and len(row) == 1 else row


def drop_database(target: Target) -> None:
    # DROP DATABASE is not propagated by Citus: on every node, the coordinator first.
    for port in target.ports:
        try:
            with admin_connect("postgres", port) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        except psycopg.OperationalError as exc:  # a node down: nothing of ours left there
            log(f"{target.name}: could not drop {DB} on port {port}: {exc}")


def create_database(target: Target) -> None:
    drop_database(target)
    if not target.citus:
        with admin_connect("postgres", target.ports[0]) as conn:
            conn.execute(f'CREATE DATABASE "{DB}"')
        return
    status = subprocess.run([*CLUSTER, "status"], capture_output=True, text=True).stdout
    if " down" in status or not status.strip():
        log("citus: cluster down, starting it")
        subprocess.run([*CLUSTER, "up"], check=True, stdout=subprocess.DEVNULL)
    # On every node with the extension, and the workers joined (metadata is per database).
    subprocess.run([*CLUSTER, "database", DB], check=True)


def build(target: Target, owner: dict[str, str], members: int) -> dict[str, Any]:
    """The data, as the owner: migrate, seed_demo, the racers; API tokens of the racers."""
    started = time.perf_counter()
    log(f"{target.name}: migrate")
    manage(owner, "migrate", "--noinput", "-v", "0")
    if target.citus:
        distributed = one(
            target.ports[0],
            "SELECT count(*) FROM citus_tables WHERE citus_table_type = 'distributed'",
        )
        version, shards = one(
            target.ports[0],
            "SELECT extversion, current_setting('citus.shard_count') FROM pg_extension "
            "WHERE extname = 'citus'",
        )
        print(
            f"{target.name}: {distributed} distributed tables after migrate "
            f"(Citus {version}, {shards} shards per table, 2 workers)"
        )
        if distributed <= 80:
            raise RuntimeError(f"only {distributed} tables distributed: see core.citus")
    log(f"{target.name}: seed_demo --members {members}")
    manage(owner, "seed_demo", "--members", str(members))
    log(f"{target.name}: {RACE_MEMBERS} registrants with API tokens")
    tokens = registrants(owner, RACERS, RACE_MEMBERS)
    log(f"{target.name}: VACUUM ANALYZE")
    # The steady state autovacuum leaves, so that it does not start in the middle of a kind.
    with admin_connect(DB, target.ports[0]) as conn:
        conn.execute("VACUUM (ANALYZE)")
    total = one(target.ports[0], "SELECT count(*) FROM members_member")
    print(
        f"{target.name}: migrate + seed_demo ({total:,} members) + registrants + VACUUM "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return tokens


def create_login_role(target: Target) -> None:
    """On PostgreSQL ``shanghui_app`` (created by migrate) cannot log in: a login role in it."""
    if target.citus:
        return
    with admin_connect("postgres", target.ports[0]) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{target.app_role}"')
        conn.execute(
            f'CREATE ROLE "{target.app_role}" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT '
            f"IN ROLE {APP_GROUP_ROLE}"
        )


def drop_login_role(target: Target) -> None:
    if not target.citus:
        with admin_connect("postgres", target.ports[0]) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{target.app_role}"')


# --- Load -----------------------------------------------------------------------------------


def kinds(port: int) -> list[Kind]:
    member = {"Authorization": f"Bearer {api_token(port, MEMBER_PHONE)}"}
    admin_session = {"Cookie": session_cookie(port, ADMIN_PHONE)}
    return [
        # One association: on Citus every query of these goes to one shard.
        Kind("directory API · list page 1", [api_path()], member),
        Kind("directory API · search 2 characters", [api_path(q) for q in TWO_CHARS], member),
        Kind("directory API · search pinyin initials", [api_path(q) for q in INITIALS], member),
        Kind("office HTML · members list (admin)", [f"/a/{SLUG}/office/members/"], admin_session),
        # The person's roles in every association: on Citus a query to every shard.
        Kind("GET /api/v1/me (roles, fan-out)", ["/api/v1/me"], member),
        # Associations are a reference table: on Citus read on the coordinator.
        Kind("GET /api/v1/associations (public)", ["/api/v1/associations"], {}),
    ]


def measure(port: int, meter_args: tuple[Any, ...], target: Target, kind: Kind, n: int) -> Row:
    status, _, body = request(port, "GET", kind.paths[0], headers=kind.headers)
    if status != 200:  # reported with the figures; the load runs all the same
        print(f"{target.name}: {kind.name}: HTTP {status} on {kind.paths[0]}: {body[:300]!r}")
    run_kind(port, kind, CLIENTS, 2)  # warm-up: connections, templates, buffers
    meter = CpuMeter(*meter_args)
    result = run_kind(port, kind, CLIENTS, n)
    app_s, db_s, other = meter.stop()
    count = max(1, len(result.latencies))
    errors = str(result.errors) + (f" {result.statuses}" if result.errors else "")
    return Row(
        target.name,
        kind.name,
        len(result.latencies),
        errors,
        percentile(result.latencies, 50) * 1000,
        percentile(result.latencies, 95) * 1000,
        len(result.latencies) / result.seconds,
        app_s * 1000 / count,
        db_s * 1000 / count,
        other,
    )


def race(
    port: int, meter_args: tuple[Any, ...], target: Target, tokens: dict[str, Any], n: int
) -> tuple[Row, Race]:
    """RACE_MEMBERS registrations released at the same moment for an event of RACE_SEATS."""
    event_id = event_open(port, RACERS, tokens["admin"], f"压测年会第{n}轮", RACE_SEATS)
    url = f"/api/v1/associations/{RACERS}/events/{event_id}/registrations"
    answers: list[tuple[int, Any, float]] = []
    lock = threading.Lock()

    def register(token: str) -> None:
        try:
            answer = api_call(port, "POST", url, {}, token, secrets.token_hex(8))
        except OSError as exc:
            answer = (0, str(exc), 0.0)
        with lock:
            answers.append(answer)

    meter = CpuMeter(*meter_args)
    seconds = at_once(register, tokens["members"])
    app_s, db_s, other = meter.stop()
    statuses = Counter(status for status, _, _ in answers)
    confirmed = sum(isinstance(b, dict) and b.get("status") == "confirmed" for _, b, _ in answers)
    detail = api_call(port, "GET", f"/api/v1/associations/{RACERS}/events/{event_id}", None,
                      tokens["admin"])[1]  # fmt: skip
    with admin_connect(DB, target.ports[0]) as conn:  # as the owner: every row, no RLS
        stored = dict(
            conn.execute(
                "SELECT status, count(*) FROM events_registration WHERE event_id = %s "
                "GROUP BY status",
                [event_id],
            ).fetchall()
        )
        duplicates = conn.execute(
            "SELECT count(*) - count(DISTINCT user_id) FROM events_registration "
            "WHERE event_id = %s AND status IN ('pending', 'confirmed', 'waitlisted')",
            [event_id],
        ).fetchone()[0]
    latencies = [elapsed for _, _, elapsed in answers]
    failed = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    row = Row(
        target.name,
        f"registration race #{n} ({RACE_MEMBERS} at once)",
        len(answers),
        str(failed) + (f" {dict(statuses)}" if failed else ""),
        percentile(latencies, 50) * 1000,
        percentile(latencies, 95) * 1000,
        len(answers) / seconds,
        app_s * 1000 / len(answers),
        db_s * 1000 / len(answers),
        other,
    )
    figures = Race(
        target.name,
        n,
        statuses,
        confirmed,
        stored,
        duplicates,
        int(detail.get("seats_taken", -1)) if isinstance(detail, dict) else -1,
        seconds,
    )
    return row, figures


# Django's log of a failed request ("Internal Server Error: /path", "Forbidden: /path") and the
# last line of a traceback (the exception raised, after any it was chained from).
REQUEST_FAILED = re.compile(r"^[A-Z][\w ()'-]*: /\S*")
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Warning)\b")


def server_errors(log_path: Path) -> list[str]:
    """The failed requests in gunicorn's log, each with its exception, counted."""
    if not log_path.exists():
        return []
    failures: list[list[str]] = []
    for line in log_path.read_text(errors="replace").splitlines():
        if REQUEST_FAILED.match(line):
            failures.append([line.strip(), ""])
        elif failures and EXCEPTION.match(line):
            failures[-1][1] = line.strip()[:400]
    counts = Counter(f"{what} -> {why}" if why else what for what, why in failures)
    return [f"{n} x {text}" for text, n in counts.most_common()]


# --- Main -----------------------------------------------------------------------------------


def run_target(
    target: Target, args: argparse.Namespace, rows: list[Row], races: list[Race]
) -> None:
    """Builds, serves and measures ``target``, adding its figures to ``rows`` and ``races``
    as they come (so that a failing target still leaves the other's)."""
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    version = one(target.ports[0], "SHOW server_version", dbname="postgres")
    print(f"\n## {target.name} (ports {', '.join(map(str, target.ports))}), PostgreSQL {version}")
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')}: load average {load} (1/5/15 min) before")
    var_dir = Path(tempfile.mkdtemp(prefix="shanghui-bench-citus-"))
    extra = {"PGSSLMODE": "disable"} if target.citus else {}  # the Citus nodes speak no SSL
    owner = {**environment(var_dir, target.url("postgres")), **extra}
    # Backends live for the whole run (production keeps them 60 s): their CPU is counted.
    served = {**environment(var_dir, target.url(target.app_role)), **extra}
    served["DB_CONN_MAX_AGE"] = "3600"
    try:
        create_database(target)
        tokens = build(target, owner, args.members)
        create_login_role(target)
        collected_static(var_dir)
        port = free_port()
        log_path = var_dir / "gunicorn.log"
        with gunicorn(served, port, log_path, workers=WORKERS, threads=THREADS) as master:
            meter_args = (master, (DB, target.app_role), target.ports)
            for kind in kinds(port):
                log(f"{target.name}: {kind.name}")
                rows.append(measure(port, meter_args, target, kind, args.per_client))
            for n in range(1, args.races + 1):
                log(f"{target.name}: registration race #{n}")
                row, figures = race(port, meter_args, target, tokens, n)
                rows.append(row)
                races.append(figures)
        for line in server_errors(log_path):
            print(f"{target.name} server error: {line}")
    finally:
        log(f"{target.name}: dropping {DB}")
        drop_database(target)
        drop_login_role(target)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(rows: list[Row], races: list[Race]) -> None:
    print(
        "\napp CPU / db CPU: CPU ms per request of the gunicorn processes / of the database's "
        "backends serving them (on Citus: bench_citus's backends of the app role on the "
        "coordinator and both workers); other cores: everything else busy meanwhile (the "
        "load clients, other engineers' work)."
    )
    print(
        "\n| target | request | requests | errors | p50 ms | p95 ms | req/s "
        "| app CPU ms/req | db CPU ms/req | other cores |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.target} | {r.kind} | {r.requests} | {r.errors} | {r.p50_ms:.0f} "
            f"| {r.p95_ms:.0f} | {r.rate:.1f} | {r.app_ms:.1f} | {r.db_ms:.1f} | {r.other:.2f} |"
        )
    print(
        "\n| target | race | confirmed (answers) | stored by status | duplicates | 5xx "
        "| seats_taken | seconds | reg/s |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in races:
        fivexx = sum(c for s, c in r.statuses.items() if s >= 500 or s == 0)
        stored = ", ".join(f"{k} {v}" for k, v in sorted(r.stored.items()))
        print(
            f"| {r.target} | {r.n} | {r.confirmed} (≤ {RACE_SEATS}) | {stored} | {r.duplicates} "
            f"| {fivexx} | {r.seats_taken} | {r.seconds:.2f} | {RACE_MEMBERS / r.seconds:.0f} |"
        )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures as they come
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000, help="gdjx's members (seed_demo)")
    parser.add_argument("--quick", action="store_true", help="10 requests per client, 1 race")
    parser.add_argument("--only", choices=[t.name for t in TARGETS], help="one target")
    args = parser.parse_args()
    args.per_client, args.races = (10, 1) if args.quick else (40, 3)
    print(
        f"# PostgreSQL vs Citus — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}\nseed_demo --members {args.members}; gunicorn "
        f"{WORKERS} workers x {THREADS} threads (make run's configuration), row-level "
        f"security on; {CLIENTS} keep-alive clients x {args.per_client} requests per kind "
        f"after a warm-up of 2 each; race: {RACE_MEMBERS} members at once for {RACE_SEATS} "
        f"seats x {args.races}"
    )
    rows: list[Row] = []
    races: list[Race] = []
    try:
        for target in TARGETS:
            if args.only in (None, target.name):
                run_target(target, args, rows, races)
    finally:
        report(rows, races)
        print(f"\nload average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
