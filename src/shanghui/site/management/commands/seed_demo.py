"""`manage.py seed_demo`: a deterministic demo — five associations, the provincial 江西 chamber
with 23,000 members by default — and the accounts to sign in with.

Each installed app may contribute a ``demo.py`` with ``seed(ctx: DemoContext)``; they run in
``INSTALLED_APPS`` order, all in one transaction, so a failed seed leaves nothing behind and
"the provincial chamber exists" means "the demo is complete"."""

import time
import unicodedata
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection, transaction

from shanghui.associations.models import Association
from shanghui.core.demo import DEMO_ACCOUNTS, FULL_SIZE, PROVINCIAL, DemoContext

Seed = Callable[[DemoContext], None]


def demo_seeds() -> Iterator[tuple[str, Seed]]:
    """Every installed app's ``demo.seed``, in ``INSTALLED_APPS`` order."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        seed = getattr(module, "seed", None)
        if callable(seed):
            yield app_config.label, seed


def _analyze() -> None:
    """On PostgreSQL, statistics for what the step just wrote (ANALYZE counts the transaction's
    own rows), so that the next steps' queries are planned on them. Tables never analyzed look
    empty to the planner: on Citus, whose shards autovacuum has not seen yet, the
    announcements' recipients were planned as nested loops over 2,000 members three deep and
    the seed did not finish."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class ProgressBar:
    """One line, redrawn with a carriage return: "会员 12000/23000 [#####-----] 52%"."""

    WIDTH = 20

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def __call__(self, label: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        percent = 100 * done // max(total, 1)
        ending = "\n" if done >= total else ""
        self.out.write(f"\r{label} {done}/{total} [{bar}] {percent}%", ending=ending)
        self.out.flush()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table() -> str:
    """The demo sign-ins as aligned console columns (CJK characters count double)."""
    header = ("角色", "商协会", "姓名", "手机号", "密码")
    rows = [header] + [(a.role, a.association, a.name, a.phone, a.password) for a in DEMO_ACCOUNTS]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


class Command(BaseCommand):
    help = "创建演示数据（广东省江西商会等五个商协会及演示账号）；已存在时只显示演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members",
            type=int,
            default=FULL_SIZE,
            help=f"广东省江西商会的会员数（默认 {FULL_SIZE}），其他商协会按比例缩放",
        )

    def handle(self, *args: Any, members: int, **options: Any) -> None:
        if members < 1:
            raise CommandError("--members 须为正整数")
        if Association.objects.filter(slug=PROVINCIAL.slug).exists():
            self.stdout.write("演示数据已存在，未做更改。")
            self.print_accounts()
            return
        started = time.monotonic()
        ctx = DemoContext(provincial_size=members, progress=ProgressBar(self.stdout))
        try:
            with transaction.atomic():
                for label, seed in demo_seeds():
                    self.stdout.write(f"[{label}] …")
                    step = time.monotonic()
                    seed(ctx)
                    _analyze()
                    self.stdout.write(f"[{label}] {time.monotonic() - step:.1f} 秒")
        except ValidationError as exc:  # e.g. no privacy notice: migrations have not run
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已创建，用时 {time.monotonic() - started:.1f} 秒。")
        )
        self.print_accounts()

    def print_accounts(self) -> None:
        self.stdout.write(f"\n演示账号（登录地址 {settings.SITE_URL}/）：\n")
        self.stdout.write(accounts_table())
