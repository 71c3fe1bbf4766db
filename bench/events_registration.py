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
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import HOST, ROOT, free_port, gunicorn, log, manage, percentile

PG = "postgresql://postgres@127.0.0.1:5432"
SLUG = "bench-events"
APP_GROUP_ROLE = "shanghui_app"  # created by migrate (core.rls)

SETUP = r"""
import json, sys
import django
django.setup()
from django.db import transaction
from shanghui.accounts.models import Role, User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person, Representative

count = int(sys.argv[1])
association = Association.objects.create(
    name="压测商会", short_name="压测商会", slug="__SLUG__", kind="hometown_chamber",
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
""".replace("__SLUG__", SLUG)


def request(
    port: int, method: str, path: str, body: Any = None, token: str = "", key: str = ""
) -> tuple[int, Any, float]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=payload, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data[:200]
    return resp.status, parsed, elapsed


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
    status, event, _ = request(
        port,
        "POST",
        base,
        {
            "title": f"压测年会第{n}轮",
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T12:00",
            "capacity": seats,
        },
        admin,
    )
    assert status == 201, (status, event)
    event_id = event["id"]
    assert request(port, "POST", f"{base}/{event_id}/publish", None, admin)[0] == 200
    members: list[str] = tokens["members"]
    barrier = threading.Barrier(len(members) + 1)
    results: list[tuple[int, Any, float, str]] = []
    lock = threading.Lock()

    def register(token: str) -> None:
        barrier.wait()
        try:
            status, body, elapsed = request(
                port, "POST", f"{base}/{event_id}/registrations", {}, token, secrets.token_hex(8)
            )
        except OSError as exc:
            status, body, elapsed = 0, str(exc), 0.0
        with lock:
            results.append((status, body, elapsed, token))

    threads = [threading.Thread(target=register, args=(t,)) for t in members]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    confirmed = []
    for status, body, elapsed, token in results:
        figures.statuses[status] += 1
        figures.register_latency.append(elapsed)
        outcome = body.get("status", "?") if isinstance(body, dict) else "error"
        figures.outcomes[outcome] += 1
        if outcome == "confirmed":
            confirmed.append((body["id"], token))
    _, detail, _ = request(port, "GET", f"{base}/{event_id}", None, admin)
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
        codes.append(request(port, "GET", url, None, token)[1]["qr_text"])
    _, lists, _ = request(port, "GET", f"{base}/{event_id}/checkin-lists", None, admin)
    url = f"{base}/{event_id}/checkin-lists/{lists[0]['id']}/checkins"
    work = codes + codes  # every ticket scanned twice
    lock = threading.Lock()

    def staff(part: list[str]) -> None:
        for code in part:
            status, _body, elapsed = request(port, "POST", url, {"code": code}, admin)
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
        out = subprocess.run(
            [sys.executable, "-c", SETUP, str(args.clients)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tokens = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        figures = Figures()
        with gunicorn(serve_env, port, Path(var_dir) / "gunicorn.log", threads=4, timeout=120):
            for n in range(1, args.rounds + 1):
                one_round(port, tokens, args.seats, n, figures)
        return figures
    finally:
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
        f"load average {os.getloadavg()[0]:.1f}; gunicorn 4 workers x 4 threads"
    )
    for db in ("postgres", "sqlite") if args.db == "both" else (args.db,):
        report(db, run(db, args), args)


if __name__ == "__main__":
    main()
