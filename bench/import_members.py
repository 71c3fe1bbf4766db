"""Member import and export at 23,000 members, against openpyxl alone.

Import: a 23,000-row member list (realistic rows from the demo generator) is read by openpyxl
alone (read-only, every row), then uploaded, validated and committed by our code on a fresh
database (SQLite, or PostgreSQL with --postgres) — the job functions are called directly, as
the worker would call them. Target: our upload + validation + commit <= 2x openpyxl's read.
The commit job's second step, the search tokens written after the commit, is timed apart:
the members are listed when the commit ends and found by a search when the index is written.

Export: the same 23,000 members exported by the export job, against openpyxl's write-only mode
alone writing the same values. Target: <= 1.5x.

Two files are measured, because openpyxl's own speed depends on how the strings are stored:
one written the way Excel and WPS write (shared strings, declared size) — what users upload —
and one written by openpyxl itself (inline strings).

    .venv/bin/python bench/import_members.py [--rows 23000] [--runs 3] [--postgres URL]
        [--inside URL]

``--inside`` measures in a database that already holds a platform — the 1,000,000 members
``bench/directory_search.py --keep`` leaves in ``shanghui_bench`` — as the issue asks: the
imports go into associations of their own there, which stay. On PostgreSQL each run (and
openpyxl's read) starts once no autovacuum worker runs: every import writes ~1 million token
rows, which autovacuum works through for minutes afterwards — on two cores the next run would
otherwise measure the previous one's vacuum too.

Every figure is the best of ``--runs`` runs (each import into an association of its own): on a
shared machine noise only ever adds time, to openpyxl's runs as to ours.
"""

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

LEVELS = ["会长单位", "常务副会长单位", "副会长单位", "理事单位", "会员单位"]
LEVEL_WEIGHTS = [1, 3, 8, 20, 68]


def member_rows(count: int) -> list[list[object]]:
    """Rows in the import template's column order, from the demo generator."""
    import random

    from shanghui.core.demo_data import MemberGenerator
    from shanghui.members.demo import PROFILES

    rng = random.Random(7)
    rows: list[list[object]] = []
    for record in MemberGenerator(PROFILES["gdjx"]).members(count):
        person = record.people[0]
        rows.append(
            [
                "企业会员" if record.kind == "enterprise" else "个人会员",
                record.name,
                record.uscc,
                record.legal_representative,
                record.industry_code,
                record.region_code,
                record.address,
                record.hometown_code,
                rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
                record.joined_on,
                record.member_no,
                person.name,
                person.title,
                person.phone,
                record.introduction,
            ]
        )
    return rows


# --- Writing the test files ---------------------------------------------------------------


def excel_like_xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    """An xlsx as Excel writes it: a shared-strings table, a declared sheet size, dates as
    serial numbers with a date format."""
    strings: dict[str, int] = {}

    def cell(ref: str, value: object) -> str:
        if isinstance(value, date):
            serial = (value - date(1899, 12, 30)).days
            return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
        text = str(value)
        if not text:
            return ""
        index = strings.setdefault(text, len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i + 1) for i in range(len(header))]
    body = []
    for number, row in enumerate([header, *rows], start=1):
        cells = "".join(cell(f"{letters[i]}{number}", v) for i, v in enumerate(row))
        body.append(f'<row r="{number}">{cells}</row>')
    last = f"{letters[-1]}{len(rows) + 1}"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}">'
        f'<dimension ref="A1:{last}"/><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><fonts count="1">'
            '<font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill>'
            '<patternFill patternType="none"/></fill></fills><borders count="1"><border/>'
            '</borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/>'
            '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{shared}</sst>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def openpyxl_xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Measuring ----------------------------------------------------------------------------


def openpyxl_read(content: bytes, runs: int = 3) -> tuple[float, int]:
    """openpyxl's best time of ``runs`` reads: the machine's noise only makes it slower, and a
    faster reference makes the target harder, not easier."""
    from openpyxl import load_workbook

    best, count = float("inf"), 0
    for _run in range(runs):
        started = time.perf_counter()
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        best = min(best, time.perf_counter() - started)
    return best, count


BENCH_DATABASE = "shanghui_bench_import"


def fresh_postgres(server: str) -> str:
    """A new, empty database on the PostgreSQL server at ``server`` (its URL without a
    database name); its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return f"{server}/{BENCH_DATABASE}"


def drop_postgres(server: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


def setup_django(var_dir: str, database_url: str = "") -> None:
    os.environ["SHANGHUI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "shanghui.config.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_association(slug: str, phone: str) -> tuple[object, object]:
    from shanghui.accounts.models import Role, User
    from shanghui.accounts.services.roles import role_grant
    from shanghui.associations.models import Association
    from shanghui.core.tenancy import tenant_context
    from shanghui.core.uscc import uscc_check_char
    from shanghui.members.models import Level, MembershipPolicy

    def make_uscc_from(phone: str) -> str:  # unique as the phone is, also in a kept database
        body = f"51440000{int(phone) % 10**9:09d}"
        return body + uscc_check_char(body)

    association = Association.objects.create(
        name=f"基准测试商会{slug}",
        short_name=f"基准{slug}",
        slug=slug,
        kind=Association.Kind.HOMETOWN_CHAMBER,
        region_code="440000",
        uscc=make_uscc_from(phone),
        status=Association.Status.ACTIVE,
    )
    admin = User.objects.create_user(phone=phone, name="基准秘书长")
    with tenant_context(association):
        role_grant(association=association, actor=None, user=admin, kind=Role.Kind.ADMIN)
        for rank, name in enumerate(LEVELS, start=1):
            Level.objects.create(association=association, name=name, rank=rank, annual_fee=1000)
        MembershipPolicy.objects.create(
            association=association, member_no_pattern="BM-{number:06d}"
        )
    return association, admin


def autovacuum_settled(limit: float = 900) -> float:
    """On PostgreSQL, waits until no autovacuum worker runs (at most ``limit`` seconds); the
    seconds waited. Each import writes ~1 million token rows, and autovacuum then works
    through the token tables for minutes: on this two-core machine a run started meanwhile
    measures the previous run's vacuum as much as itself. A platform at rest has none running."""
    started = time.perf_counter()
    while autovacuum_running() and time.perf_counter() - started < limit:
        time.sleep(2)
    return time.perf_counter() - started


def autovacuum_running() -> bool:
    """Whether an autovacuum worker runs (never on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        )
        return bool(cursor.fetchone()[0])


def our_import(content: bytes, name: str, association: object, admin: object) -> dict[str, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shanghui.core import chinese
    from shanghui.core.tenancy import tenant_context
    from shanghui.members.imports.services import (
        member_import_commit,
        member_import_create,
        member_import_validate,
    )
    from shanghui.members.imports.tasks import validate_member_import
    from shanghui.members.imports.writer import commit_rows, index_rows
    from shanghui.members.models import MemberImport
    from shanghui.members.search_index import search_index_backlog

    # As in a worker that has served jobs before: dictionaries loaded (pypinyin's phrases take
    # a second), but no name of this file remembered from an earlier run.
    chinese.search_key("预热")
    chinese.forget_names()
    times: dict[str, float] = {"waited": autovacuum_settled()}
    started = time.perf_counter()
    with tenant_context(association):  # type: ignore[arg-type]
        member_import = member_import_create(
            association=association,  # type: ignore[arg-type]
            actor=admin,  # type: ignore[arg-type]
            upload=SimpleUploadedFile(name, content),
        )
        job = member_import_validate(
            association=association,  # type: ignore[arg-type]
            actor=admin,  # type: ignore[arg-type]
            member_import=member_import,
        )
    times["upload"] = time.perf_counter() - started
    started = time.perf_counter()
    validate_member_import.call(
        job_id=str(job.pk),
        import_id=member_import.pk,
        association_id=association.pk,  # type: ignore[attr-defined]
    )
    times["validate"] = time.perf_counter() - started
    with tenant_context(association):  # type: ignore[arg-type]
        member_import.refresh_from_db()
        assert member_import.status == "validated", member_import.message
        assert member_import.error_rows == 0, member_import.errors[:3]
        job = member_import_commit(
            association=association,  # type: ignore[arg-type]
            actor=admin,  # type: ignore[arg-type]
            member_import=member_import,
        )
    # The commit job's two steps (``imports.tasks.commit_member_import``), timed apart: the
    # members are in at the end of the first; the second writes their search tokens.
    job.refresh_from_db()
    started = time.perf_counter()
    committed = commit_rows(member_import=member_import, job=job)
    times["commit"] = time.perf_counter() - started
    # Autovacuum may start in the middle of a run all the same (on tables the run wrote).
    times["vacuumed"] = autovacuum_running()
    member_import.refresh_from_db()
    started = time.perf_counter()
    index_rows(member_import=member_import, job=job, committed=committed)
    times["index"] = time.perf_counter() - started
    with tenant_context(association):  # type: ignore[arg-type]
        done = MemberImport.objects.get(pk=member_import.pk)
        assert done.status == "done", done.message
        assert done.created_count == committed.members
        times["created"] = committed.members
        times["unindexed"] = search_index_backlog(association=association)  # type: ignore[arg-type]
    return times


def export_figures(association: object, admin: object) -> tuple[float, float, int]:
    from openpyxl import Workbook

    from shanghui.core.jobs import job_start
    from shanghui.core.tenancy import tenant_context
    from shanghui.members.tasks import export_members

    with tenant_context(association):  # type: ignore[arg-type]
        job = job_start(
            association=association,  # type: ignore[arg-type]
            actor=admin,  # type: ignore[arg-type]
            kind="members.export",
            label="基准导出",
            task=export_members,
            params={},
        )
    started = time.perf_counter()
    export_members.call(job_id=str(job.pk), association_id=association.pk)  # type: ignore[attr-defined]
    ours = time.perf_counter() - started
    with tenant_context(association):  # type: ignore[arg-type]
        job.refresh_from_db()
        with job.result_file.open("rb") as result:
            from openpyxl import load_workbook

            values = list(load_workbook(result, read_only=True).worksheets[0].values)
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员名单")
    for row in values:
        sheet.append(row)
    workbook.save(io.BytesIO())
    alone = time.perf_counter() - started
    return ours, alone, len(values) - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=23_000)
    parser.add_argument("--runs", type=int, default=3, help="each time is the best of this many")
    parser.add_argument(
        "--postgres",
        default="",
        metavar="URL",
        help="a PostgreSQL server (postgres://postgres@127.0.0.1:5432) to measure on, in a new "
        "database dropped afterwards, instead of SQLite",
    )
    parser.add_argument(
        "--inside",
        default="",
        metavar="URL",
        help="a PostgreSQL database that already holds a platform (postgres://postgres@"
        "127.0.0.1:5432/shanghui_bench after bench/directory_search.py --keep): the imports go "
        "into new associations there, which stay",
    )
    args = parser.parse_args()
    database_url = args.inside or (fresh_postgres(args.postgres) if args.postgres else "")
    try:
        run(args, database_url)
    finally:
        if args.postgres:
            drop_postgres(args.postgres)


def where_measured(args: argparse.Namespace, database_url: str, var_dir: str) -> str:
    if not database_url:
        return f"a fresh database: SQLite in {var_dir}"
    if not args.inside:
        return f"a fresh database: PostgreSQL {BENCH_DATABASE}"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT association_id) FROM members_member")
        members, associations = cursor.fetchone()
    name = database_url.rsplit("/", 1)[-1]
    return f"inside {name}: {members:,} members in {associations} associations already"


def run(args: argparse.Namespace, database_url: str) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, database_url)
        from shanghui.members.imports.columns import COLUMNS

        header = [c.label for c in COLUMNS]
        rows = member_rows(args.rows)
        files = {
            "Excel-style xlsx (shared strings)": ("excel.xlsx", excel_like_xlsx(header, rows)),
            "openpyxl-written xlsx (inline strings)": (
                "openpyxl.xlsx",
                openpyxl_xlsx(header, rows),
            ),
        }
        print(f"{args.rows:,} rows; {where_measured(args, database_url, var_dir)}")
        first: tuple[object, object] | None = None
        serial = 0
        # Slugs and phones of their own, so that a kept platform database takes another run.
        tag = os.urandom(3).hex()
        phones = 13700000000 + int(tag, 16) * 100
        for label, (name, content) in files.items():
            autovacuum_settled()
            read, count = openpyxl_read(content, args.runs)
            assert count == args.rows + 1
            runs = []
            for _run in range(args.runs):  # each into an association of its own
                serial += 1
                association, admin = make_association(f"bench{tag}{serial}", str(phones + serial))
                first = first or (association, admin)
                runs.append(our_import(content, name, association, admin))
            times = min(runs, key=lambda t: t["upload"] + t["validate"] + t["commit"])
            ours = times["upload"] + times["validate"] + times["commit"]
            searchable = ours + times["index"]
            assert all(t["unindexed"] == 0 for t in runs)
            print(f"\n{label}, {len(content) / 2**20:.1f} MiB")
            print(f"  openpyxl alone, read-only, every row, best of {args.runs}: {read:6.1f} s")
            print(
                f"  ours, best of {args.runs}: upload {times['upload']:.1f} s"
                f" + validate {times['validate']:.1f} s + commit {times['commit']:.1f} s"
                f" = {ours:.1f} s  ({int(times['created']):,} members created)"
            )
            print(f"  ratio {ours / read:.2f}x (target <= 2x)")
            print(
                f"  then the search index: {times['index']:.1f} s; searchable after"
                f" {searchable:.1f} s = {searchable / read:.2f}x"
            )
            others = ", ".join(
                f"{t['upload'] + t['validate'] + t['commit']:.1f}" for t in runs if t is not times
            )
            if others:
                print(f"  (the other runs: {others} s)")
            if any(t["waited"] >= 1 or t["vacuumed"] for t in runs):
                waits = ", ".join(
                    f"{t['waited']:.0f} s"
                    + (" (one started during the run)" if t["vacuumed"] else "")
                    for t in runs
                )
                print(f"  waited for autovacuum to finish before each run: {waits}")
        assert first is not None
        export = [export_figures(*first) for _run in range(args.runs)]
        ours_export = min(ours for ours, _alone, _count in export)
        alone_export = min(alone for _ours, alone, _count in export)
        print(f"\nExport of {export[0][2]:,} members, best of {args.runs} each")
        print(f"  openpyxl alone, write-only, same values: {alone_export:6.1f} s")
        print(f"  ours (query, format, write, store):       {ours_export:6.1f} s")
        print(f"  ratio {ours_export / alone_export:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
