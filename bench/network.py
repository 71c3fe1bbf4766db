"""Network search and match suggestions (issue 19) over 1,000,000 indexed listings on
PostgreSQL: CPU per request and p95 latency at 32 concurrent clients, through the real API
views and selectors. Prints figures; asserts nothing about timing.

1. A PostgreSQL database of its own (``--db-name``, default ``bench_s``), migrated; an
   association (``wlzx``) with 32 member enterprises whose representatives have API tokens
   (``harness.registrants``), 200 other associations, all in the platform network.
2. ``--rows`` ``ListingIndex`` rows (platform-wide, spread over the other associations,
   kinds, 30 industries, 24 regions and a year of publication dates) with their words, by
   ``INSERT … SELECT FROM generate_series`` joined to ~600 distinct titles whose words
   ``network.words.document_words`` computed (so the word distribution is the real
   segmentation's: Chinese words, pinyin, initials, single characters); the word table's
   key and index are built after the rows. 50,000 ``EnterpriseIndex`` rows likewise. The
   32 needs of ``wlzx``'s first member are created and indexed through the ORM and
   ``listing_index_write``, as the listing services do. Then ``VACUUM ANALYZE``.
3. The app served as ``make run`` serves it (gunicorn, 2 workers x 8 threads), connecting as
   a login role in ``shanghui_app`` so row-level security applies.
4. Per kind of request, 32 keep-alive clients for ``--seconds``: requests per second, CPU per
   request of the server (gunicorn) and of its PostgreSQL backends, p50 and p95 latency.

Run: ``.venv/bin/python bench/network.py`` (about 5 minutes on 2 shared cores; ``--quick``:
2 s per kind; ``--rows 100000`` for a smaller index; ``--keep`` leaves the database).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

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
    registrants,
    request,
    run_kind,
)
from serve import collected_static, environment

SLUG = "wlzx"
CLIENTS = 32
MEMBERS = 32

# Runs inside the app's environment (``python -c``) as the database owner.
SEED = r"""
import json, sys, time
from datetime import timedelta
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.network.models import Listing, NetworkSettings
from shanghui.network.services.index import listing_index_write
from shanghui.network.words import document_words

slug, rows, others = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
PRODUCTS = [
    ("钢材", "31"), ("螺纹钢", "31"), ("不锈钢管", "31"), ("铝型材", "32"), ("铜线", "32"),
    ("水泥", "30"), ("瓷砖", "30"), ("玻璃", "30"), ("石材", "30"), ("混凝土", "30"),
    ("木材", "20"), ("办公家具", "21"), ("纸箱", "22"), ("包装袋", "29"), ("塑料粒子", "29"),
    ("化工原料", "26"), ("涂料", "26"), ("化肥", "26"), ("医疗器械", "35"), ("口罩", "17"),
    ("服装", "18"), ("面料", "17"), ("茶叶", "15"), ("白酒", "15"), ("大米", "13"),
    ("食用油", "13"), ("饲料", "13"), ("中药材", "27"), ("电缆", "38"), ("电机", "38"),
    ("光伏组件", "38"), ("锂电池", "38"), ("LED灯具", "38"), ("空调", "38"), ("轴承", "34"),
    ("阀门", "34"), ("水泵", "34"), ("机床", "34"), ("模具", "35"), ("五金工具", "33"),
    ("电路板", "39"), ("芯片", "39"), ("手机配件", "39"), ("叉车", "34"), ("挖掘机", "35"),
    ("货车", "36"), ("冷链运输", "54"), ("仓储服务", "59"), ("软件开发", "65"),
    ("广告设计", "72"), ("财务咨询", "72"), ("法律服务", "72"), ("装修服务", "50"),
    ("劳保用品", "18"), ("消毒液", "26"), ("陶瓷", "30"), ("砂石", "10"), ("油漆", "26"),
    ("胶水", "26"), ("农产品", "01"),
]
PREFIXES = [
    ("供应", "offer"), ("批发", "offer"), ("长期供应", "offer"), ("出售", "offer"),
    ("定制", "offer"), ("求购", "need"), ("采购", "need"), ("急需", "need"),
    ("长期采购", "need"), ("寻找", "need"),
]
REGIONS = [
    "440305", "440306", "440106", "440113", "441900", "442000", "360102", "360111",
    "360702", "360403", "330106", "330206", "320106", "320505", "110105", "310115",
    "510107", "420106", "430104", "350203", "370202", "450103", "520102", "610113",
]
titles = [(p + n, kind, industry) for n, industry in PRODUCTS for p, kind in PREFIXES]
a = Association.objects.get(slug=slug)
with connection.cursor() as cursor:
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute(
        "INSERT INTO associations_association (name, short_name, slug, kind, region_code, uscc, "
        "introduction, contact_phone, contact_email, contact_address, icp_number, "
        "showcase_enabled, status, created_at) "
        "SELECT '压测' || n || '商会', '压测' || n || '商会', 'bench-' || n, %s, '440300', "
        "'BENCH' || lpad(n::text, 13, '0'), '', '', '', '', '', false, 'active', now() "
        "FROM generate_series(1, %s) AS n",
        [a.kind, others],
    )
    cursor.execute(
        "INSERT INTO network_networksettings (association_id, joins_platform, "
        "moderate_before_publishing, updated_at) SELECT id, true, false, now() "
        "FROM associations_association"
    )
    cursor.execute("CREATE TEMP TABLE bench_title (id int, title text, kind text, industry text)")
    cursor.execute("CREATE TEMP TABLE bench_word (title_id int, word text)")
    cursor.executemany(
        "INSERT INTO bench_title VALUES (%s, %s, %s, %s)",
        [(i, t, k, ind) for i, (t, k, ind) in enumerate(titles)],
    )
    cursor.executemany(
        "INSERT INTO bench_word VALUES (%s, %s)",
        [(i, w) for i, (t, _k, _i) in enumerate(titles) for w in sorted(document_words(t))],
    )
    cursor.execute(
        "SELECT array_agg(id ORDER BY id) FROM associations_association "
        "WHERE slug LIKE 'bench-%%'"
    )
    ids = cursor.fetchone()[0]
    cursor.execute("ALTER TABLE network_listingword DROP CONSTRAINT network_listingword_pkey")
    cursor.execute("DROP INDEX listing_word_listing")
    cursor.execute(
        "INSERT INTO network_listingindex (listing_id, association_id, kind, visibility, title, "
        "industry_code, region_code, valid_until, published_at, member_uscc) "
        "SELECT 100000000 + g.n, (%s::bigint[])[1 + g.h %% %s], t.kind, 'platform', t.title, "
        "t.industry, (%s::text[])[1 + (g.h / 7) %% %s], current_date + 1 + g.h %% 365, "
        "now() - make_interval(secs => g.h %% 31536000), "
        "'BENCHUSCC' || lpad((g.h %% 200000)::text, 9, '0') "
        "FROM (SELECT n, (hashint4(n) & 2147483647) AS h FROM generate_series(1, %s) AS n) g "
        "JOIN bench_title t ON t.id = g.n %% %s",
        [ids, len(ids), REGIONS, len(REGIONS), rows, len(titles)],
    )
    cursor.execute(
        "INSERT INTO network_listingword (word, listing_id) "
        "SELECT w.word, l.listing_id FROM network_listingindex l "
        "JOIN bench_word w ON w.title_id = (l.listing_id - 100000000) %% %s "
        "WHERE l.listing_id > 100000000",
        [len(titles)],
    )
    cursor.execute("ALTER TABLE network_listingword ADD PRIMARY KEY (word, listing_id)")
    cursor.execute("CREATE INDEX listing_word_listing ON network_listingword (listing_id)")
    cursor.execute("SELECT count(*) FROM network_listingword")
    words = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO network_enterpriseindex (association_id, member_id, name, uscc, "
        "industry_code, region_code, products, updated_at) "
        "SELECT (%s::bigint[])[1 + g.n %% %s], g.n, '压测企业' || g.n || '有限公司', "
        "'BENCHUSCC' || lpad(g.n::text, 9, '0'), t.industry, "
        "(%s::text[])[1 + g.n %% %s], t.title, now() "
        "FROM generate_series(1, 50000) AS g(n) JOIN bench_title t ON t.id = g.n %% %s",
        [ids, len(ids), REGIONS, len(REGIONS), len(titles)],
    )
    cursor.execute(
        "INSERT INTO network_enterpriseword (word, enterprise_id) "
        "SELECT w.word, e.id FROM network_enterpriseindex e "
        "JOIN bench_word w ON w.title_id = e.member_id %% %s",
        [len(titles)],
    )
seeded = time.perf_counter() - started
with tenant_context(a):
    member = Member.objects.filter(association=a).order_by("pk").first()
    member.industry_code = "31"
    member.region_code = "440305"
    member.save(update_fields=["industry_code", "region_code"])
    poster = member.representatives.first().person.user
    needs = []
    for i, (title, _kind, industry) in enumerate(t for t in titles if t[1] == "need"):
        if len(needs) >= 32:
            break
        with transaction.atomic():
            listing = Listing.objects.create(
                association=a, member=member, poster=poster, kind="need", title=title,
                body="长期合作，量大从优，可开增值税专用发票", industry_code=industry,
                region_code="440305", valid_until=timezone.localdate() + timedelta(days=90),
                visibility="platform", status="published", published_at=timezone.now(),
            )
            listing_index_write(listing)
        needs.append(listing.pk)
print(json.dumps({"seconds": seeded, "words": words, "needs": needs, "titles": len(titles)}))
"""


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


def build(owner: dict[str, str], dbname: str, args: argparse.Namespace) -> tuple[str, list[int]]:
    log("migrate")
    manage(owner, "migrate", "--noinput", "-v", "0")
    log(f"{SLUG} with {MEMBERS} members and API tokens")
    tokens = registrants(owner, SLUG, MEMBERS)
    log(f"{args.rows:,} index rows with their words, {args.others} associations")
    seeded = python(owner, SEED, SLUG, str(args.rows), str(args.others))
    print(
        f"seeded {args.rows:,} listing index rows and {seeded['words']:,} words "
        f"({seeded['titles']} distinct titles) and 50,000 enterprises in "
        f"{seeded['seconds']:.1f} s"
    )
    log("VACUUM ANALYZE")
    started = time.perf_counter()
    with admin_connect(dbname) as conn:
        conn.execute("VACUUM (ANALYZE)")
        sizes = conn.execute(
            "SELECT pg_total_relation_size('network_listingindex'), "
            "pg_total_relation_size('network_listingword')"
        ).fetchone()
    print(
        f"VACUUM ANALYZE {time.perf_counter() - started:.1f} s; network_listingindex "
        f"{sizes[0] / 2**20:.0f} MiB, network_listingword {sizes[1] / 2**20:.0f} MiB "
        f"(with indexes)"
    )
    return tokens["members"][0], seeded["needs"]


SEARCHES = {
    "search: newest, no query": ["/search"],
    "search: one character (钢, 电, 茶)": ["/search?q=钢", "/search?q=电", "/search?q=茶"],
    "search: a word (钢材, 水泥, 锂电池)": [
        "/search?q=钢材",
        "/search?q=水泥",
        "/search?q=锂电池",
    ],
    "search: two words (采购 螺纹钢)": ["/search?q=采购 螺纹钢", "/search?q=供应 电缆"],
    "search: pinyin (gangcai, shuini)": ["/search?q=gangcai", "/search?q=shuini"],
    "search: initials (gc, lwg)": ["/search?q=gc", "/search?q=lwg"],
    "search: word + industry + region": [
        "/search?q=钢材&industry=31&region=44",
        "/search?q=水泥&industry=30&region=36&kind=offer",
    ],
    "search: rare word, nothing found": ["/search?q=石墨烯"],
}


def measure(
    port: int, master: int, database: tuple[str, str], token: str, needs: list[int], seconds: float
) -> None:
    base = f"/api/v1/associations/{SLUG}/network"
    headers = {"Authorization": f"Bearer {token}"}
    kinds = {
        name: [quote(base + p, safe="/?=&") for p in paths] for name, paths in SEARCHES.items()
    }
    kinds["match suggestions (32 needs)"] = [f"{base}/listings/{i}/matches" for i in needs]
    print("\n| request | clients | req/s | app CPU/req | db CPU/req | p50 | p95 | results |")
    print("|---|---|---|---|---|---|---|---|")
    for name, paths in kinds.items():
        status, _, body = request(port, "GET", paths[0], headers=headers)
        if status != 200:
            print(f"| {name} | skipped: HTTP {status} for {paths[0]} | | | | | | |")
            continue
        found = json.loads(body)
        count = (
            len(found)
            if isinstance(found, list)
            else (f"{len(found['listings'])} listings, {len(found['enterprises'])} firms")
        )
        run_kind(port, Kind(name, paths, headers), 16, 1)  # warm every thread's connection
        meter = CpuMeter(master, database)
        result = run_kind(port, Kind(name, paths, headers), CLIENTS, 10**6, seconds)
        app_s, db_s, other = meter.stop()
        n = max(1, len(result.latencies))
        errors = f" (errors {result.statuses})" if result.errors else ""
        print(
            f"| {name} | {CLIENTS} | {n / result.seconds:.1f} | {app_s * 1000 / n:.1f} ms | "
            f"{db_s * 1000 / n:.1f} ms | {percentile(result.latencies, 50) * 1000:.0f} ms | "
            f"{percentile(result.latencies, 95) * 1000:.0f} ms{errors} | {count} |",
            flush=True,
        )
        if other > 0.5:
            log(f"other work on the machine meanwhile: {other:.1f} cores")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="bench_s", help="PostgreSQL database")
    parser.add_argument("--rows", type=int, default=1_000_000, help="indexed listings")
    parser.add_argument("--others", type=int, default=200, help="other associations")
    parser.add_argument("--seconds", type=float, default=8.0, help="per kind of request")
    parser.add_argument("--quick", action="store_true", help="2 s per kind")
    parser.add_argument("--keep", action="store_true", help="leave the database afterwards")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 2.0
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.rows:,} indexed listings; "
        f"server: gunicorn with make run's configuration (2 workers x 8 threads); "
        f"{args.seconds:g} s per kind at {CLIENTS} clients"
    )
    dbname, role = args.db_name, f"{args.db_name}_app"
    database = (dbname, role)
    var_dir = Path(tempfile.mkdtemp(prefix="shanghui-bench-network-"))
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    owner = environment(var_dir, f"postgres://postgres@127.0.0.1:5432/{dbname}")
    env = {**environment(var_dir, f"postgres://{role}@127.0.0.1:5432/{dbname}")}
    env["DB_CONN_MAX_AGE"] = "3600"  # backends live for the run: their CPU is counted
    try:
        started = time.perf_counter()
        token, needs = build(owner, dbname, args)
        print(f"database ready in {time.perf_counter() - started:.0f} s")
        with admin_connect() as conn:  # the group role exists once migrate has run
            conn.execute(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT IN ROLE '
                f"{APP_GROUP_ROLE}"
            )
        collected_static(var_dir)
        port = free_port()
        with gunicorn(env, port, var_dir / "gunicorn.log") as master:
            measure(port, master, database, token, needs, args.seconds)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if not args.keep:
            with admin_connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    print(f"\nload average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
