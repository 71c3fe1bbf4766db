"""Page 1 against a deep page of the member lists, by ``page`` and by ``cursor``, in process:
the CPU (``time.process_time``) and wall time of each request through Django's test client,
and the statements' own time, on the database ``DATABASE_URL`` names (SQLite by default),
seeded with ``manage.py seed_demo`` (gdjx: 23,000 members).

    PYTHONPATH=src .venv/bin/python scripts/deep_pages.py [--page 500] [--repeat 15]

Signs in as the demo's member (刘建华), whose directory browsing is neither audited nor rate
limited, and its secretariat (曾晓燕) for the back-office list, one page each."""

import argparse
import html
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanghui.config.settings.base")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from shanghui.accounts.models import User  # noqa: E402
from shanghui.accounts.services.tokens import api_token_create  # noqa: E402
from shanghui.core.demo import PROVINCIAL  # noqa: E402

MORE = re.compile(r'hx-get="([^"]*cursor=[^"]*)"')


def measure(label: str, get: Callable[[], Any], repeat: int) -> None:
    get()  # warm: caches, the connection, the pages in the database's cache
    cpu, wall, sql = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            c0, w0 = time.process_time(), time.perf_counter()
            response = get()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        assert response.status_code == 200, response.content[:300]
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    print(
        f"{label:<44} cpu {statistics.median(cpu):7.1f} ms   wall {statistics.median(wall):7.1f}"
        f" ms   sql {statistics.median(sql):7.1f} ms   ({len(queries.captured_queries)} stmts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    member = User.objects.get(phone=PROVINCIAL.member_phone)
    admin = User.objects.get(phone=PROVINCIAL.admin_phone)
    _token, raw = api_token_create(user=member, name="deep pages")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/associations/{PROVINCIAL.slug}/members"
    size = 20

    # The cursor of the deep page: walk to it, as a client would.
    cursor = None
    for _ in range(args.page - 1):
        body = json.loads(
            api.get(url, {"page_size": size, **({"cursor": cursor} if cursor else {})}).content
        )
        cursor = body["next_cursor"]
    deep = json.loads(api.get(url, {"page_size": size, "cursor": cursor}).content)
    by_page = json.loads(api.get(url, {"page_size": size, "page": args.page}).content)
    assert [i["id"] for i in deep["items"]] == [i["id"] for i in by_page["items"]]
    print(f"{connection.vendor}, {deep['count']} members listed, page_size {size}", file=sys.stderr)

    n = args.repeat
    measure("API page 1", lambda: api.get(url, {"page_size": size}), n)
    measure(
        f"API page {args.page} by page",
        lambda: api.get(url, {"page_size": size, "page": args.page}),
        n,
    )
    measure(
        f"API page {args.page} by cursor",
        lambda: api.get(url, {"page_size": size, "cursor": cursor}),
        n,
    )

    site = Client()
    site.force_login(member)
    directory = f"/a/{PROVINCIAL.slug}/directory/"
    # The directory loads 30 more at a time by cursor: follow its "more" link to the same rows.
    more = directory
    for _ in range((args.page - 1) * size // 30):
        found = MORE.search(site.get(more, HTTP_HX_REQUEST="true").content.decode())
        assert found, "no more link"
        more = directory + html.unescape(found.group(1))
    measure("HTML directory page 1", lambda: site.get(directory), n)
    measure(
        "HTML directory, the same rows by cursor (htmx)",
        lambda: site.get(more, HTTP_HX_REQUEST="true"),
        n,
    )
    measure("HTML directory, the same rows as a page", lambda: site.get(more), n)
    measure("HTML directory page 1 (htmx)", lambda: site.get(directory, HTTP_HX_REQUEST="true"), n)
    office = Client()
    office.force_login(admin)
    office_url = f"/a/{PROVINCIAL.slug}/office/members/"
    measure("HTML office list page 1", lambda: office.get(office_url), max(3, n // 3))
    office_deep = args.page * size // 50
    measure(
        f"HTML office list page {office_deep}",
        lambda: office.get(office_url, {"page": office_deep}),
        max(3, n // 3),
    )
    reset_queries()


if __name__ == "__main__":
    main()
