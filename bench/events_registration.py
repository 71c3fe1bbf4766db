"""The registration race over HTTP: 200 members register at the same moment for an event with
50 seats, 20 times, against the app served by gunicorn — on PostgreSQL (connecting as a
login role in ``shanghui_app``, so row-level security applies) and on a SQLite file (WAL,
IMMEDIATE transactions). Prints figures; asserts nothing about timing.

Each round: the secretariat creates and publishes an event (API), 200 client threads wait at a
barrier and then each POST ``/events/{id}/registrations`` with their own bearer token and an
``Idempotency-Key``. Counted: HTTP statuses (any 5xx is reported), confirmed vs waitlisted,
the event's ``seats_taken`` afterwards (must be exactly 50), and registrations per second
(200 / wall time of the burst). Then the 50 confirmed tickets are checked in by 8 staff
threads — each ticket scanned twice (the second scan is the idempotent "already checked in")
— and the check-in latency p50/p95 is reported.

Run: ``.venv/bin/python bench/events_registration.py`` (both databases, ~5-10 minutes on 2
cores); ``--db sqlite`` or ``--db postgres`` for one; ``--rounds`` / ``--clients`` /
``--seats`` to change the race. Loopback only; the PostgreSQL database and role it creates are
dropped afterwards.
"""

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import (
    APP_GROUP_ROLE,
    HOST,
    PG,
    ROOT,
    api_call,
    at_once,
    event_open,
    free_port,
    gunicorn,
    log,
    manage,
    percentile,
    registrants,
)

SLUG = "bench-events"


@dataclass
class Figures:
    rounds: int = 0
    exact: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    rates: list[float] = field(default_factory=list)
    register_latency: list[float] = field(default_factory=list)
    checkin_latency: list[float] = field(default_factory=list)
    checkin_statuses: Counter[int] = field(default_factory=Counter)
    seats: list[int] = field(default_factory=list)


def one_round(port: int, tokens: dict[str, Any], seats: int, n: int, figures: Figures) -> None:
    base = f"/api/v1/associations/{SLUG}/events"
    admin = tokens["admin"]
    event_id = event_open(port, SLUG, admin, f"压测年会第{n}轮", seats)
    members: list[str] = tokens["members"]
    results: list[tuple[int, Any, float, str]] = []
    lock = threading.Lock()

    def register(token: str) -> None:
        try:
            status, body, elapsed = api_call(
                port, "POST", f"{base}/{event_id}/registrations", {}, token, secrets.token_hex(8)
            )
        except OSError as exc:
            status, body, elapsed = 0, str(exc), 0.0
        with lock:
            results.append((status, body, elapsed, token))

    wall = at_once(register, members)
    confirmed = []
    for status, body, elapsed, token in results:
        figures.statuses[status] += 1
        figures.register_latency.append(elapsed)
        outcome = body.get("status", "?") if isinstance(body, dict) else "error"
        figures.outcomes[outcome] += 1
        if outcome == "confirmed":
            confirmed.append((body["id"], token))
    _, detail, _ = api_call(port, "GET", f"{base}/{event_id}", None, admin)
    figures.seats.append(detail["seats_taken"])
    figures.rounds += 1
    figures.exact += len(confirmed) == seats and detail["seats_taken"] == seats
    figures.rates.append(len(members) / wall)
    log(
        f"round {n}: {len(confirmed)} confirmed, seats_taken {detail['seats_taken']}, "
        f"{dict(Counter(s for s, *_ in results))}, {len(members) / wall:.0f} reg/s"
    )
    checkin(port, base, event_id, admin, confirmed, figures)


def checkin(
    port: int,
    base: str,
    event_id: int,
    admin: str,
    confirmed: list[tuple[int, str]],
    figures: Figures,
) -> None:
    codes = []
    for registration_id, token in confirmed:
        url = f"{base}/{event_id}/registrations/{registration_id}/ticket"
        codes.append(api_call(port, "GET", url, None, token)[1]["qr_text"])
    _, lists, _ = api_call(port, "GET", f"{base}/{event_id}/checkin-lists", None, admin)
    url = f"{base}/{event_id}/checkin-lists/{lists[0]['id']}/checkins"
    work = codes + codes  # every ticket scanned twice
    lock = threading.Lock()

    def staff(part: list[str]) -> None:
        for code in part:
            status, _body, elapsed = api_call(port, "POST", url, {"code": code}, admin)
            with lock:
                figures.checkin_latency.append(elapsed)
                figures.checkin_statuses[status] += 1

    threads = [threading.Thread(target=staff, args=(work[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(db: str, args: argparse.Namespace) -> Figures:
    var_dir = tempfile.mkdtemp(prefix=f"shanghui-bench-events-{db}-")
    dbname = f"bench_events_{secrets.token_hex(3)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SHANGHUI_VAR_DIR": var_dir,
        "SMS_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
        # This checkout's code, whatever an editable install elsewhere points at.
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    serve_env = dict(env)
    admin_conn = None
    if db == "postgres":
        import psycopg

        admin_conn = psycopg.connect(f"{PG}/postgres", autocommit=True)
        admin_conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
        serve_env = {
            **env,
            "DB_CONN_MAX_AGE": "600",
            "DATABASE_URL": f"postgres://{dbname}_app@127.0.0.1:5432/{dbname}",
        }
    try:
        log(f"{db}: migrate")
        manage(env, "migrate", "--noinput", "-v", "0")
        if admin_conn is not None:
            admin_conn.execute(f'DROP ROLE IF EXISTS "{dbname}_app"')
            admin_conn.execute(
                f'CREATE ROLE "{dbname}_app" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT '
                f"IN ROLE {APP_GROUP_ROLE}"
            )
        log(f"{db}: {args.clients} members with API tokens")
        tokens = registrants(env, SLUG, args.clients)
        port = free_port()
        figures = Figures()
        log_path = Path(var_dir) / "gunicorn.log"
        with gunicorn(serve_env, port, log_path, workers=4, threads=4, timeout=120):
            for n in range(1, args.rounds + 1):
                one_round(port, tokens, args.seats, n, figures)
        return figures
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if admin_conn is not None:
            admin_conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            admin_conn.execute(f'DROP ROLE IF EXISTS "{dbname}_app"')
            admin_conn.close()


def report(db: str, figures: Figures, args: argparse.Namespace) -> None:
    fivexx = sum(n for s, n in figures.statuses.items() if s >= 500 or s == 0)
    print(
        f"\n== {db}: {args.clients} concurrent registrations for {args.seats} seats "
        f"x {figures.rounds} rounds =="
    )
    print(
        f"rounds with exactly {args.seats} confirmed and seats_taken == {args.seats}: "
        f"{figures.exact}/{figures.rounds}  (seats_taken seen: {sorted(set(figures.seats))})"
    )
    print(f"HTTP statuses: {dict(sorted(figures.statuses.items()))}  5xx/failed: {fivexx}")
    print(f"outcomes: {dict(figures.outcomes)}")
    print(
        f"registrations/s (200 / burst wall time): median {statistics.median(figures.rates):.0f}, "
        f"min {min(figures.rates):.0f}, max {max(figures.rates):.0f}"
    )
    lat = figures.register_latency
    print(
        f"registration latency: p50 {percentile(lat, 50) * 1000:.0f} ms, "
        f"p95 {percentile(lat, 95) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms"
    )
    chk = figures.checkin_latency
    print(
        f"check-ins: {len(chk)} ({dict(sorted(figures.checkin_statuses.items()))}; each ticket "
        f"twice, 8 staff threads): p50 {percentile(chk, 50) * 1000:.0f} ms, "
        f"p95 {percentile(chk, 95) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f}; "
        "gunicorn (make run's configuration) 4 workers x 4 threads"
    )
    for db in ("postgres", "sqlite") if args.db == "both" else (args.db,):
        report(db, run(db, args), args)


if __name__ == "__main__":
    main()
