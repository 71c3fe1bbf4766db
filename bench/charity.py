"""Charity's figures over a large ledger (issue 18): the back office's dashboard, the public
disclosure page and the federation roll-up — CPU per request and p95 latency — and the time
of the yearly report PDF, over 1,000,000 donation rows on PostgreSQL. Prints figures; asserts
nothing about timing.

1. A PostgreSQL database of its own (``--db-name``) with ``seed_demo`` (``--members`` for the
   provincial chamber gdjx), then ``--rows`` donations added to gdjx's ledger by one
   ``INSERT … SELECT FROM generate_series`` per batch, run inside gdjx's tenant scope (the
   rows pass the ledger's CHECK constraints and foreign keys as any entry does), then
   ``VACUUM ANALYZE``.
2. The app served as ``make run`` serves it (``bench.harness.gunicorn``: 2 workers x 8
   threads, ``settings.local``), connecting as a login role in ``shanghui_app`` so row-level
   security applies, as ``bench/serve.py`` does.
3. For each page, at 1 and 8 keep-alive clients for ``--seconds`` each: requests per second,
   CPU per request of the server (gunicorn) and of its PostgreSQL backends, p95 latency.
4. ``charity.report.yearly_report_pdf(association, year)``: its time, best and median of
   ``--runs``, called in a process of its own inside gdjx's tenant scope.

A page or function that is not there yet (the charity parts land one after another) is
skipped with a message. Run: ``.venv/bin/python bench/charity.py`` (``--quick``: 1 s per
figure; ``--seed-only``: stop after the data, to check it; ``--keep``: leave the database).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import (
    APP_GROUP_ROLE,
    ROOT,
    CpuMeter,
    Kind,
    admin_connect,
    free_port,
    gunicorn,
    log,
    manage,
    percentile,
    request,
    run_kind,
    session_cookie,
)
from serve import collected_static, environment

SLUG = "gdjx"
ADMIN_PHONE = "13800000001"  # demo secretariat admin of gdjx
CLIENTS = (1, 8)
REPORT_YEAR = 2025

# Runs inside the app's environment (``python -c``) as the database owner: adds ``rows``
# donations to gdjx's ledger inside its tenant scope, in batches, and prints what it did.
SEED = r"""
import json, sys, time
import django
django.setup()
from django.db import connection, transaction
from shanghui.associations.models import Association
from shanghui.charity.models import Donation
from shanghui.core.tenancy import tenant_context

slug, rows, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
association = Association.objects.get(slug=slug)
INSERT = '''
WITH m AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names,
           array_agg(uscc ORDER BY id) AS usccs
    FROM members_member WHERE association_id = %(a)s AND kind = 'enterprise' AND uscc <> ''
), c AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM charity_campaign WHERE association_id = %(a)s
), g AS (
    SELECT n, 1 + (hashint4(n) & 2147483647) %% 1000003 AS h,
           (n %% 4 = 0) AS goods
    FROM generate_series(%(first)s, %(last)s) AS n
)
INSERT INTO charity_donation (
    association_id, donor_kind, donor_member_id, donor_person_id, donor_group_member_id,
    donor_name, donor_uscc, anonymous, campaign_id, pledge_id, kind, amount, item, quantity,
    unit, value_basis, channel, recipient_id, recipient_name, donated_on, official_receipt_no,
    name_public, reported_to_parent, acknowledgement_no, note, reverses_id, recorded_by_id,
    created_at
)
SELECT %(a)s, 'member', m.ids[1 + g.h %% cardinality(m.ids)], NULL, NULL,
       m.names[1 + g.h %% cardinality(m.ids)], m.usccs[1 + g.h %% cardinality(m.ids)],
       g.n %% 50 = 0,
       CASE WHEN g.n %% 5 = 0 THEN NULL ELSE c.ids[1 + g.h %% cardinality(c.ids)] END, NULL,
       CASE WHEN g.goods THEN 'goods' ELSE 'cash' END,
       (100 + g.h %% 99901)::numeric(14, 2),
       CASE WHEN g.goods THEN (ARRAY['书包', '名著（13册套装）', '口罩', '棉被'])[1 + g.h %% 4]
            ELSE '' END,
       CASE WHEN g.goods THEN (1 + g.h %% 500)::numeric(12, 2) END,
       CASE WHEN g.goods THEN '件' ELSE '' END,
       CASE WHEN g.goods THEN 'market' ELSE '' END,
       CASE WHEN g.n %% 3 = 0 THEN 'reported' ELSE 'organized' END,
       NULL, (ARRAY['江西省慈善总会', '广东省红十字会', '赣州市慈善总会'])[1 + g.h %% 3],
       DATE '2006-09-16' + (g.h %% 7379), '', g.n %% 2 = 0, false, '', '', NULL, NULL, now()
FROM g, m, c
'''
done = 0
started = time.perf_counter()
while done < rows:
    size = min(batch, rows - done)
    with tenant_context(association), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, {"a": association.pk, "first": done + 1, "last": done + size})
    done += size
    print(f"{done} rows, {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
with tenant_context(association):
    total = Donation.objects.filter(association=association).count()
print(json.dumps({"seconds": time.perf_counter() - started, "ledger": total}))
"""

# Which of the measured pages and functions exist in this checkout: their paths, or null.
TARGETS = r"""
import json
import django
django.setup()
from importlib import import_module
from django.urls import NoReverseMatch, reverse

def path(name, **kwargs):
    try:
        return reverse(name, kwargs={"association_slug": "gdjx", **kwargs})
    except NoReverseMatch:
        return None

try:
    report = callable(getattr(import_module("shanghui.charity.report"), "yearly_report_pdf"))
except (ImportError, AttributeError):
    report = False
print(json.dumps({
    "office_dashboard": path("charity:office_dashboard"),
    "public_charity": path("charity:public_charity"),
    "office_federation": path("charity:office_federation"),
    "report": report,
}))
"""

REPORT = r"""
import json, statistics, sys, time
import django
django.setup()
from shanghui.associations.models import Association
from shanghui.charity.report import yearly_report_pdf
from shanghui.core.tenancy import tenant_context

slug, year, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
association = Association.objects.get(slug=slug)
times, size = [], 0
for _ in range(runs):
    with tenant_context(association):
        started = time.perf_counter()
        pdf = yearly_report_pdf(association, year)
        times.append(time.perf_counter() - started)
    size = len(pdf if isinstance(pdf, bytes) else getattr(pdf, "content", b""))
print(json.dumps({"best": min(times), "median": statistics.median(times), "bytes": size}))
"""


# What a page pays on its first request after the ledger changed (the pages above read the
# grouped scan from the cache): the whole ledger's grouped scan the dashboard, public page and
# report share, and a public campaign page's progress (not cached), of gdjx's biggest campaign.
AFTER_CHANGE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import transaction
from django.db.models import Count
from shanghui.associations.models import Association
from shanghui.charity.models import Campaign
from shanghui.charity.totals import _ledger_rows, campaign_progress
from shanghui.core.tenancy import tenant_context

slug, runs = sys.argv[1], int(sys.argv[2])
association = Association.objects.get(slug=slug)
scan, progress = [], []
with tenant_context(association):
    campaign = Campaign.objects.annotate(n=Count("donations")).order_by("-n").first()
for _ in range(runs):
    with tenant_context(association), transaction.atomic():
        started = time.perf_counter()
        _ledger_rows(association)
        scan.append(time.perf_counter() - started)
        started = time.perf_counter()
        campaign_progress(association, campaign)
        progress.append(time.perf_counter() - started)
print(json.dumps({"scan": [min(scan), statistics.median(scan)],
                  "progress": [min(progress), statistics.median(progress)]}))
"""


def measure_after_change(owner: dict[str, str], runs: int) -> None:
    timing = python(owner, AFTER_CHANGE, SLUG, str(runs))
    print(
        f"\nafter a change: the ledger's grouped scan best {timing['scan'][0]:.2f} s, median "
        f"{timing['scan'][1]:.2f} s; the biggest campaign's progress best "
        f"{timing['progress'][0]:.2f} s, median {timing['progress'][1]:.2f} s (of {runs})"
    )


@dataclass
class Page:
    name: str
    target: str  # key in TARGETS' answer
    query: str
    caller: str  # admin-session | anonymous


PAGES = [
    Page("office dashboard, all years", "office_dashboard", "", "admin-session"),
    Page(f"office dashboard, {REPORT_YEAR}", "office_dashboard", f"?year={REPORT_YEAR}",
         "admin-session"),
    Page("public disclosure (visitor)", "public_charity", "", "anonymous"),
    Page("federation roll-up, all years", "office_federation", "", "admin-session"),
    Page(f"federation roll-up, {REPORT_YEAR}", "office_federation", f"?year={REPORT_YEAR}",
         "admin-session"),
]  # fmt: skip


def python(env: dict[str, str], script: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    answer: dict = json.loads(out.strip().splitlines()[-1])
    return answer


def build(owner: dict[str, str], dbname: str, args: argparse.Namespace) -> None:
    log("migrate")
    manage(owner, "migrate", "--noinput", "-v", "0")
    log(f"seed_demo --members {args.members}")
    manage(owner, "seed_demo", "--members", str(args.members))
    log(f"{args.rows:,} donations into {SLUG}'s ledger")
    seeded = python(owner, SEED, SLUG, str(args.rows), str(args.batch))
    print(
        f"seeded {args.rows:,} donation rows in {seeded['seconds']:.1f} s "
        f"({args.rows / seeded['seconds']:,.0f} rows/s); {SLUG}'s ledger: "
        f"{seeded['ledger']:,} entries"
    )
    log("VACUUM ANALYZE")
    started = time.perf_counter()
    with admin_connect(dbname) as conn:
        conn.execute("VACUUM (ANALYZE)")
        size = conn.execute("SELECT pg_total_relation_size('charity_donation')").fetchone()[0]
    print(
        f"VACUUM ANALYZE {time.perf_counter() - started:.1f} s; "
        f"charity_donation with its indexes: {size / 2**20:.0f} MiB"
    )


def measure_pages(
    port: int, master: int, database: tuple[str, str], targets: dict, seconds: float
) -> None:
    headers = {"admin-session": {"Cookie": session_cookie(port, ADMIN_PHONE)}, "anonymous": {}}
    print("\n| page | clients | req/s | app CPU/req | db CPU/req | p95 |")
    print("|---|---|---|---|---|---|")
    for page in PAGES:
        base = targets.get(page.target)
        if not base:
            print(f"| {page.name} | skipped: URL charity:{page.target} is not there yet | | | | |")
            continue
        path, who = base + page.query, headers[page.caller]
        status, _, _ = request(port, "GET", path, headers=who)
        if status != 200:
            print(f"| {page.name} | skipped: HTTP {status} for {path} | | | | |")
            continue
        run_kind(port, Kind(page.name, [path], who), 16, 1)  # warm every thread's connection
        for clients in CLIENTS:
            meter = CpuMeter(master, database)
            result = run_kind(port, Kind(page.name, [path], who), clients, 10**6, seconds)
            app_s, db_s, other = meter.stop()
            n = max(1, len(result.latencies))
            errors = f" (errors {result.statuses})" if result.errors else ""
            print(
                f"| {page.name} | {clients} | {n / result.seconds:.1f} | "
                f"{app_s * 1000 / n:.1f} ms | {db_s * 1000 / n:.1f} ms | "
                f"{percentile(result.latencies, 95) * 1000:.0f} ms{errors} |",
                flush=True,
            )
            if other > 0.5:
                log(f"other work on the machine meanwhile: {other:.1f} cores")


def measure_report(owner: dict[str, str], targets: dict, runs: int) -> None:
    if not targets.get("report"):
        print("\nyearly report PDF: skipped, charity.report.yearly_report_pdf is not there yet")
        return
    timing = python(owner, REPORT, SLUG, str(REPORT_YEAR), str(runs))
    measure_after_change(owner, runs)
    print(
        f"\nyearly report PDF ({REPORT_YEAR}): best {timing['best']:.2f} s, median "
        f"{timing['median']:.2f} s of {runs}; {timing['bytes'] / 1024:.0f} KiB"
    )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="bench_charity", help="PostgreSQL database")
    parser.add_argument("--rows", type=int, default=1_000_000, help="donations to add")
    parser.add_argument("--batch", type=int, default=250_000, help="rows per INSERT")
    parser.add_argument("--members", type=int, default=23_000, help="seed_demo --members")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and client count")
    parser.add_argument("--quick", action="store_true", help="1 s per measurement")
    parser.add_argument("--runs", type=int, default=5, help="yearly report PDF runs")
    parser.add_argument("--seed-only", action="store_true", help="stop after the data")
    parser.add_argument("--keep", action="store_true", help="leave the database afterwards")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 1.0
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.rows:,} donation rows; "
        f"server: gunicorn with make run's configuration (2 workers x 8 threads); "
        f"{args.seconds:g} s per measurement"
    )
    dbname, role = args.db_name, f"{args.db_name}_app"
    database = (dbname, role)
    var_dir = Path(tempfile.mkdtemp(prefix="shanghui-bench-charity-"))
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    owner = environment(var_dir, f"postgres://postgres@127.0.0.1:5432/{dbname}")
    env = {**environment(var_dir, f"postgres://{role}@127.0.0.1:5432/{dbname}")}
    env["DB_CONN_MAX_AGE"] = "3600"  # backends live for the run: their CPU is counted
    try:
        build(owner, dbname, args)
        if args.seed_only:
            return
        with admin_connect() as conn:  # the group role exists once migrate has run
            conn.execute(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT IN ROLE '
                f"{APP_GROUP_ROLE}"
            )
        targets = python(env, TARGETS)
        collected_static(var_dir)
        port = free_port()
        with gunicorn(env, port, var_dir / "gunicorn.log") as master:
            measure_pages(port, master, database, targets, args.seconds)
        measure_report(env, targets, args.runs)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if not args.keep:
            with admin_connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    print(f"\nload average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
