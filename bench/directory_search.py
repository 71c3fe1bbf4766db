"""Directory search and list pages under load, on PostgreSQL, with the 23,000-member provincial
chamber (gdjx) inside a platform of 1,000,000+ members. Prints figures; asserts no timing.

1. Creates its own database, migrates, runs ``seed_demo`` (~25,000 members in 5 associations),
   then clones the gdjx members, their people, representatives and search tokens into as many
   extra associations as it takes to reach ``--members-target`` (plain SQL as the superuser,
   which bypasses row-level security; search keys and tokens are copied, so the text
   distribution is real).
2. Serves the app with gunicorn as ``make run`` does (its configuration file), production
   settings, 4 workers x 1 thread, on a free loopback port.
   By default the app connects as a throwaway login role that is a member of ``shanghui_app``
   — as in production (docs/deploy.md), so row-level security applies to every query;
   ``--db-role postgres`` connects as the superuser instead (no RLS).
3. Warms every worker up, then runs 32 keep-alive clients (threads), each sending a fixed
   number of requests per query kind, and prints requests, errors, p50/p95/max, throughput,
   CPU per request (app, database) and how busy the rest of the machine was, per kind.
4. Stops gunicorn, drops the database and the role.

Run: ``.venv/bin/python bench/directory_search.py`` (8–15 minutes on 2 shared cores);
quicker: ``--members-target 100000 --requests-per-client 10``. Loopback only.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

import psycopg
from harness import (
    APP_GROUP_ROLE,
    HOST,
    ROOT,
    CpuMeter,
    Kind,
    admin_connect,
    api_token,
    free_port,
    gunicorn,
    log,
    manage,
    percentile,
    request,
    run_kind,
    session_cookie,
)

SLUG = "gdjx"
MEMBER_PHONE = "13800000002"  # demo member of gdjx
ADMIN_PHONE = "13800000001"  # demo secretariat admin of gdjx

ONE_CHAR = ["江", "华", "科", "电", "建"]
TWO_CHARS = ["科技", "电子", "江西", "贸易", "建材"]
INITIALS = ["gzj", "zxy", "lhf", "wjh", "cxm"]


# --- Database -------------------------------------------------------------------------------


def one(conn: psycopg.Connection, sql: str, params: list[object] | None = None) -> tuple[Any, ...]:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row


def create_database(name: str) -> None:
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_login_role(role: str) -> None:
    with admin_connect() as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(
            f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS INHERIT IN ROLE {APP_GROUP_ROLE}'
        )


def drop_role(role: str) -> None:
    with admin_connect() as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def copy_columns(conn: psycopg.Connection, table: str, skip: set[str]) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows if r[0] not in skip]


def clone_members(dbname: str, target: int) -> None:
    """Clones gdjx (members, people, representatives) into new associations until the platform
    holds ``target`` members. Every new row gets a fresh id from the table's sequence."""
    with admin_connect(dbname) as conn:
        total = one(conn, "SELECT count(*) FROM members_member")[0]
        source_id = one(conn, "SELECT id FROM associations_association WHERE slug = %s", [SLUG])[0]
        per_copy = one(
            conn, "SELECT count(*) FROM members_member WHERE association_id = %s", [source_id]
        )[0]
        copies = max(0, math.ceil((target - total) / per_copy))
        log(f"cloning {per_copy} gdjx members into {copies} new associations")
        if not copies:
            return
        assoc_cols = copy_columns(conn, "associations_association", {"id", "name", "slug", "uscc"})
        cols = ", ".join(assoc_cols)
        a_cols = ", ".join(f"a.{c}" for c in assoc_cols)
        # Identifiers come from information_schema and numbers are ints: no user input below.
        with conn.transaction():
            conn.execute(
                "CREATE TEMP TABLE bench_assoc (n int, id bigint) ON COMMIT DROP;"  # noqa: S608
                f"INSERT INTO bench_assoc SELECT n, nextval(pg_get_serial_sequence("
                f"'associations_association', 'id')) FROM generate_series(1, {copies}) n;"
                f"INSERT INTO associations_association (id, name, slug, uscc, {cols}) "
                f"SELECT b.id, a.name || '（压测副本' || b.n || '）', 'bench-' || b.n, "
                f"'51440000BENCH' || lpad(b.n::text, 5, '0'), {a_cols} "
                f"FROM bench_assoc b JOIN associations_association a ON a.id = {source_id};"
            )
            started = time.perf_counter()
            _clone_table(conn, "members_member", source_id, {"level_id": "NULL"})
            _clone_table(conn, "members_person", source_id, {"user_id": "NULL"})
            rep_cols = copy_columns(
                conn, "members_representative", {"id", "association_id", "member_id", "person_id"}
            )
            conn.execute(
                f"INSERT INTO members_representative (id, association_id, member_id, person_id, "  # noqa: S608
                f"{', '.join(rep_cols)}) "
                f"SELECT nextval(pg_get_serial_sequence('members_representative', 'id')), "
                f"mm.association_id, mm.new_id, pm.new_id, {', '.join('r.' + c for c in rep_cols)} "
                f"FROM members_representative r "
                f"JOIN map_members_member mm ON mm.old_id = r.member_id "
                f"JOIN map_members_person pm ON pm.old_id = r.person_id "
                f"AND pm.association_id = mm.association_id "
                f"WHERE r.association_id = {source_id}"
            )
            log(f"members, people, representatives cloned in {time.perf_counter() - started:.0f} s")
            for table, owner, mapping in (
                ("members_membersearchtoken", "member_id", "map_members_member"),
                ("members_personsearchtoken", "person_id", "map_members_person"),
            ):
                _clone_tokens(conn, table, owner, mapping, source_id)
            log(f"cloned in {time.perf_counter() - started:.0f} s")


def _clone_tokens(
    conn: psycopg.Connection, table: str, owner: str, mapping: str, source_id: int
) -> None:
    """Copies gdjx's search tokens to the clones of their member or person. ~40 tokens per
    member: the table's indexes are dropped and rebuilt around the copy (one sort instead of
    tens of millions of random btree inserts) and foreign-key triggers are skipped (every
    referenced row was cloned in this transaction)."""
    started = time.perf_counter()
    indexes = conn.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'p'",
        [table],
    ).fetchall()
    others = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    ).fetchall()
    conn.execute("SET LOCAL session_replication_role = replica")
    conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
    for name, _definition in indexes:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in others:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute(
        f"INSERT INTO {table} (association_id, key, {owner}) "  # noqa: S608
        f"SELECT m.association_id, t.key, m.new_id FROM {table} t "
        f"JOIN {mapping} m ON m.old_id = t.{owner} WHERE t.association_id = {source_id}"
    )
    for name, definition in indexes:
        conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in others:
        conn.execute(definition)
    conn.execute("SET LOCAL session_replication_role = DEFAULT")
    count = one(conn, f"SELECT count(*) FROM {table}")[0]  # noqa: S608
    log(f"{table}: {count:,} rows in {time.perf_counter() - started:.0f} s")


def vacuum(dbname: str) -> None:
    """The steady state autovacuum leaves: statistics, and a visibility map that allows
    index-only scans (otherwise autovacuum may start in the middle of a load run)."""
    with admin_connect(dbname) as conn:
        conn.execute("VACUUM (ANALYZE)")


def _clone_table(
    conn: psycopg.Connection, table: str, source_id: int, overrides: dict[str, str]
) -> None:
    cols = copy_columns(conn, table, {"id", "association_id"})
    values = [overrides.get(c, f"t.{c}") for c in cols]
    conn.execute(
        f"CREATE TEMP TABLE map_{table} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT b.id AS association_id, t.id AS old_id, "
        f"nextval(pg_get_serial_sequence('{table}', 'id')) AS new_id "
        f"FROM bench_assoc b CROSS JOIN {table} t WHERE t.association_id = {source_id};"
        f"CREATE INDEX ON map_{table} (old_id, association_id);"
        f"INSERT INTO {table} (id, association_id, {', '.join(cols)}) "
        f"SELECT m.new_id, m.association_id, {', '.join(values)} "
        f"FROM map_{table} m JOIN {table} t ON t.id = m.old_id"
    )


# --- Server ---------------------------------------------------------------------------------


# --- Load -----------------------------------------------------------------------------------


def machine_context(dbname: str) -> str:
    """What else runs on the machine: the load average, and the PostgreSQL sessions busy in
    other databases (other test suites sharing the cores) — latency depends on both."""
    with admin_connect() as conn:
        others = one(
            conn,
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND state = 'active' AND datname IS DISTINCT FROM %s AND pid <> pg_backend_pid()",
            [dbname],
        )[0]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"load average {load} (1/5/15 min), {others} active queries in other databases"


def api_path(q: str = "", page: int = 1) -> str:
    params = {"page": str(page), "page_size": "20"}
    if q:
        params["q"] = q
    return f"/api/v1/associations/{SLUG}/members?{urllib.parse.urlencode(params)}"


def html_path(q: str = "", page: int = 1) -> str:
    params = {"q": q} if q else {}
    if page > 1:
        params["page"] = str(page)
    query = urllib.parse.urlencode(params)
    return f"/a/{SLUG}/directory/" + (f"?{query}" if query else "")


def company_names(dbname: str, count: int = 5) -> list[str]:
    with admin_connect(dbname) as conn:
        rows = conn.execute(
            "SELECT m.name FROM members_member m JOIN associations_association a "
            "ON a.id = m.association_id WHERE a.slug = %s AND m.kind = 'enterprise' "
            "AND m.status = 'active' ORDER BY m.id",
            [SLUG],
        ).fetchall()
    step = max(1, len(rows) // count)
    return [rows[i * step][0] for i in range(count)]


def kinds(port: int, names: list[str], skip_html: bool) -> list[Kind]:
    member = {"Authorization": f"Bearer {api_token(port, MEMBER_PHONE)}"}
    admin = {"Authorization": f"Bearer {api_token(port, ADMIN_PHONE)}"}
    result = [
        Kind("API member · 1 character", [api_path(q) for q in ONE_CHAR], member),
        Kind("API member · 2 characters", [api_path(q) for q in TWO_CHARS], member),
        Kind("API member · pinyin initials", [api_path(q) for q in INITIALS], member),
        Kind("API member · full company name", [api_path(q) for q in names], member),
        Kind("API member · list page 1", [api_path()], member),
        Kind("API member · list page 500", [api_path(page=500)], member),
        Kind("API admin · list page 1", [api_path()], admin),
        Kind("API admin · 1 character", [api_path(q) for q in ONE_CHAR], admin),
    ]
    if not skip_html:
        cookie = {"Cookie": session_cookie(port, MEMBER_PHONE)}
        result += [
            Kind("HTML member · directory page 1", [html_path()], cookie),
            Kind("HTML member · 1 character", [html_path(q) for q in ONE_CHAR], cookie),
            Kind("HTML member · 2 characters", [html_path(q) for q in TWO_CHARS], cookie),
        ]
    return result


def warm_up(port: int, kinds_: list[Kind], clients: int) -> None:
    """A few requests of every kind from all clients, unmeasured: each worker has connected to
    the database, imported its templates and warmed PostgreSQL's buffers before the figures."""
    for kind in kinds_:
        run_kind(port, kind, clients, 1)


def check_kind(port: int, kind: Kind) -> tuple[float, str]:
    """One request per path, alone, before the load: the median time (ms), and the status or
    the match counts (API)."""
    counts = []
    times = []
    for path in kind.paths:
        began = time.perf_counter()
        status, _, body = request(port, "GET", path, headers=kind.headers)
        times.append((time.perf_counter() - began) * 1000)
        if status != 200:
            return 0.0, f"HTTP {status} on {path}"
        if path.startswith("/api/"):
            counts.append(str(json.loads(body)["count"]))
    note = ("matches " + "/".join(counts)) if counts else "ok"
    return sorted(times)[len(times) // 2], note


# --- EXPLAIN --------------------------------------------------------------------------------

EXPLAIN_SNIPPET = """
from django.db import connection
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.members.selectors import MemberFilters, member_search, with_representatives
assoc = Association.objects.get(slug={slug!r})
seen = []
def capture(execute, sql, params, many, context):
    seen.append((sql, params))
    return execute(sql, params, many, context)
with tenant_context(assoc):
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        print("-- connected as", c.fetchone()[0])
    for q in {queries!r}:
        seen.clear()
        qs = with_representatives(
            member_search(association=assoc, filters=MemberFilters(q=q), directory=True)
        )
        with connection.execute_wrapper(capture):
            qs.count()
            list(qs[:20])
        for sql, params in list(seen):
            print("== q=%r" % q)
            print(sql % tuple(repr(str(p)) for p in params) if params else sql)
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\\n".join(row[0] for row in c.fetchall()))
"""


def explain(env: dict[str, str], queries: list[str]) -> None:
    snippet = EXPLAIN_SNIPPET.format(slug=SLUG, queries=queries)
    manage(env, "shell", "-c", snippet, quiet=False)


# --- Main -----------------------------------------------------------------------------------


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures as they come
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members-target", type=int, default=1_000_000)
    parser.add_argument("--requests-per-client", type=int, default=40)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--db-name", default="shanghui_bench")
    parser.add_argument("--db-role", choices=["app", "postgres"], default="app")
    parser.add_argument("--skip-html", action="store_true")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and static files for --reuse"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database built by an earlier --keep run"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of member_search per kind"
    )
    args = parser.parse_args()
    dbname = args.db_name
    app_role = f"{dbname}_app"
    if args.keep or args.reuse:
        var_dir = str(Path(tempfile.gettempdir(), f"shanghui-bench-{dbname}"))
        Path(var_dir).mkdir(exist_ok=True)
    else:
        var_dir = tempfile.mkdtemp(prefix="shanghui-bench-")
    owner_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.production",
        # Serve this checkout's code even when the venv's editable install points elsewhere.
        "PYTHONPATH": str(ROOT / "src"),
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "SHANGHUI_VAR_DIR": var_dir,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}",
        "LOG_LEVEL": "WARNING",
    }
    # Backends live for the whole run (production keeps them 60 s), so their CPU time is counted.
    serve_env = {**owner_env, "DB_CONN_MAX_AGE": "3600"}
    db_user = "postgres"
    if args.db_role == "app":
        db_user = app_role
        serve_env["DATABASE_URL"] = f"postgres://{app_role}@127.0.0.1:5432/{dbname}"

    with admin_connect() as conn:
        pg_version = one(conn, "SHOW server_version")[0]
        shared_buffers = one(conn, "SHOW shared_buffers")[0]
    print(
        f"machine: {os.cpu_count()} CPUs (nproc), PostgreSQL {pg_version} "
        f"(shared_buffers {shared_buffers}), Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    try:
        seeded = cloned = 0.0
        if not args.reuse:
            create_database(dbname)
            started = time.perf_counter()
            log("migrate")
            manage(owner_env, "migrate", "--noinput", "-v", "0")
            log("seed_demo")
            manage(owner_env, "seed_demo")
            seeded = time.perf_counter() - started
            clone_started = time.perf_counter()
            clone_members(dbname, args.members_target)
            vacuum(dbname)
            cloned = time.perf_counter() - clone_started
            log("collectstatic")
            manage(owner_env, "collectstatic", "--noinput", "-v", "0")
        if args.db_role == "app":
            create_login_role(app_role)
        with admin_connect(dbname) as conn:
            members, associations = one(
                conn, "SELECT count(*), count(DISTINCT association_id) FROM members_member"
            )
            people = one(conn, "SELECT count(*) FROM members_person")[0]
            in_gdjx = one(
                conn,
                "SELECT count(*), "
                "count(*) FILTER (WHERE m.status IN ('active', 'arrears', 'expired')) "
                "FROM members_member m JOIN associations_association a ON a.id = m.association_id "
                "WHERE a.slug = %s",
                [SLUG],
            )
            size = one(conn, "SELECT pg_size_pretty(pg_database_size(%s))", [dbname])
        print(
            f"data: {members:,} members in {associations} associations, {people:,} people; "
            f"gdjx {in_gdjx[0]:,} members ({in_gdjx[1]:,} listed in the directory); "
            f"database {size[0]}"
        )
        if not args.reuse:
            print(
                f"build: migrate + seed_demo {seeded:.0f} s, "
                f"SQL cloning + VACUUM ANALYZE {cloned:.0f} s"
            )
        role_note = (
            f"{app_role} (member of {APP_GROUP_ROLE}, row-level security on)"
            if args.db_role == "app"
            else "postgres (superuser, row-level security bypassed)"
        )
        print(
            "server: gunicorn (make run's configuration), 4 workers x 1 thread, "
            f"production settings, connecting as {role_note}"
        )
        print(
            f"load: {args.clients} keep-alive clients x {args.requests_per_client} "
            "requests per kind"
        )
        names = company_names(dbname)
        if args.explain:
            explain(serve_env, [ONE_CHAR[0], TWO_CHARS[0], INITIALS[0], names[0], ""])
        port = free_port()
        log_path = Path(var_dir, "gunicorn.log")
        with gunicorn(serve_env, port, log_path, workers=4, threads=1) as master:
            print()
            columns = ["requests", "errors", "solo ms", "p50 ms", "p95 ms", "max ms", "req/s"]
            columns += ["app cpu", "db cpu", "other", "load"]
            header = f"{'kind':34}" + "".join(f"{c:>9}" for c in columns) + "  check"
            print(
                "solo: one request at a time before the load (median over the kind's queries); "
                "p50/p95/max: under the load;\napp cpu / db cpu: CPU ms per request spent in the "
                "gunicorn workers / their PostgreSQL backends (parallel query workers, which "
                "PostgreSQL starts and\nstops per query, are not counted); other: cores busy with "
                "anything else meanwhile (the load clients, parallel query workers, other\n"
                "engineers' tests); load: 1-minute load average after (this run included)."
            )
            print(f"before the run: {machine_context(dbname)}")
            all_kinds = kinds(port, names, args.skip_html)
            log("warm-up")
            warm_up(port, all_kinds, args.clients)
            print(header)
            print("-" * len(header))
            for kind in all_kinds:
                solo, note = check_kind(port, kind)
                log(f"load: {kind.name}")
                meter = CpuMeter(master, (dbname, db_user))
                r = run_kind(port, kind, args.clients, args.requests_per_client)
                app_cpu, db_cpu, other = meter.stop()
                lat = sorted(x * 1000 for x in r.latencies)
                figures = [
                    f"{len(lat)}",
                    f"{r.errors}",
                    f"{solo:.0f}",
                    f"{percentile(lat, 50):.0f}",
                    f"{percentile(lat, 95):.0f}",
                    f"{lat[-1]:.0f}",
                    f"{len(lat) / r.seconds:.1f}",
                    f"{app_cpu * 1000 / len(lat):.0f}",
                    f"{db_cpu * 1000 / len(lat):.0f}",
                    f"{other:.2f}",
                    f"{os.getloadavg()[0]:.1f}",
                ]
                if r.statuses:
                    note += f" errors: {r.statuses}"
                print(f"{kind.name:34}" + "".join(f"{f:>9}" for f in figures) + f"  {note}")
            print(f"after the load: {machine_context(dbname)}")
        print(f"\nnames used: {', '.join(names)}")
    finally:
        if args.db_role == "app":
            drop_role(app_role)
        if args.keep:
            log(f"kept database {dbname} and {var_dir}")
        else:
            log("cleanup: drop database and role")
            drop_database(dbname)
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
