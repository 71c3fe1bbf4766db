"""A notice (通知公告) to a 23,000-member chamber, through the notification center.

On a fresh database (SQLite, or PostgreSQL with --postgres) a chamber of ``--members`` member
enterprises, one representative each, every one with an account (so each gets an inbox row)
and a phone, receives an announcement with a 回执. Measured:

- enqueue: what the request of the 发送 button costs — ``announcement_send`` (the state change,
  the audit row and the broadcast job with its task, enqueued after commit);
- deliver: the worker (``db_worker --batch``, one process, as ``manage.py db_worker`` runs it)
  fixing the 23,000 recipient rows, writing every inbox row and delivery-log row in chunks, and
  sending every SMS through the real Aliyun sender to a fake gateway — a local HTTP server that
  answers ``{"Code": "OK"}`` and counts what it got — with each person's own signed link.

Afterwards it checks that every person has exactly one inbox row and one sent SMS log row, and
that the gateway received one request per person with the link in its parameters.

    .venv/bin/python bench/announcement.py [--members 23000] [--postgres URL]

``--postgres postgres://postgres@127.0.0.1:5432/NAME`` drops and recreates NAME.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


class Gateway(BaseHTTPRequestHandler):
    """Aliyun's SendSms as far as the sender needs it: every request answered OK."""

    received = 0
    with_link = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        params = json.loads(query.get("TemplateParam", ["{}"])[0])
        with Gateway.lock:
            Gateway.received += 1
            Gateway.with_link += "/notices/" in params.get("url", "")
            number = Gateway.received
        body = json.dumps({"Code": "OK", "Message": "OK", "BizId": f"biz{number}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fresh_postgres(url: str) -> None:
    import psycopg

    server, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(var_dir: str, database_url: str, gateway_port: int) -> None:
    os.environ.update(
        {
            "SHANGHUI_VAR_DIR": var_dir,
            "DATABASE_URL": database_url or f"sqlite:///{var_dir}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.dev",
            "SMS_BACKEND": "aliyun",
            "SMS_ENDPOINT": f"http://127.0.0.1:{gateway_port}/",
            "SMS_ACCESS_KEY": "bench-key",
            "SMS_ACCESS_SECRET": "bench-secret",
            "SMS_TEMPLATES": json.dumps({"publishing.announcement": "SMS_BENCH"}),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def chamber(members: int) -> tuple[Any, Any]:
    """An association of ``members`` members, each with one representative who has an
    account and a phone; written with bulk inserts (the bench measures the send, not this)."""
    from django.contrib.auth.hashers import make_password

    from shanghui.accounts.models import Role, User
    from shanghui.associations.models import Association
    from shanghui.core.tenancy import tenant_context
    from shanghui.members.models import Member, Person, Representative

    association = Association.objects.create(
        name="基准测试省江西商会",
        short_name="基准商会",
        slug="bench",
        kind=Association.Kind.HOMETOWN_CHAMBER,
        region_code="440000",
        uscc="51440000MJL000001X",
        status=Association.Status.ACTIVE,
    )
    admin = User.objects.create_user(phone="13900000000", name="基准秘书长")
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(phone=f"139{n:08d}", name=f"代表{n}", password=password)
            for n in range(1, members + 1)
        ],
        batch_size=2000,
    )
    if users[0].pk is None:  # backends that do not return ids from bulk inserts
        users = list(User.objects.exclude(pk=admin.pk).order_by("pk"))
    with tenant_context(association):
        Role.objects.create(association=association, user=admin, kind=Role.Kind.ADMIN)
        Role.objects.bulk_create(
            [Role(association=association, user=u, kind=Role.Kind.MEMBER) for u in users],
            batch_size=2000,
        )
        firms = Member.objects.bulk_create(
            [
                Member(
                    association=association,
                    kind=Member.Kind.ENTERPRISE,
                    name=f"基准企业{n}有限公司",
                    member_no=f"B{n:06d}",
                    status=Member.Status.ACTIVE,
                )
                for n in range(1, members + 1)
            ],
            batch_size=2000,
        )
        people = Person.objects.bulk_create(
            [
                Person(association=association, name=u.name, phone=u.phone or "", user=u)
                for u in users
            ],
            batch_size=2000,
        )
        if firms[0].pk is None or people[0].pk is None:
            firms = list(Member.objects.filter(association=association).order_by("pk"))
            people = list(Person.objects.filter(association=association).order_by("pk"))
        Representative.objects.bulk_create(
            [
                Representative(association=association, member=firm, person=person)
                for firm, person in zip(firms, people, strict=True)
            ],
            batch_size=2000,
        )
    return association, admin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=23_000)
    parser.add_argument("--postgres", default="", help="postgres://…/NAME (dropped, recreated)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.postgres:
        fresh_postgres(args.postgres)
    with tempfile.TemporaryDirectory() as var_dir:
        setup(var_dir, args.postgres, server.server_address[1])
        from datetime import timedelta

        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from shanghui.core.models import InboxMessage, Job, OutboxMessage
        from shanghui.core.tenancy import tenant_context
        from shanghui.publishing.models import AnnouncementRecipient
        from shanghui.publishing.services import announcements as services

        log(f"{connection.vendor}: a chamber of {args.members} members")
        association, admin = chamber(args.members)
        with tenant_context(association):
            announcement = services.announcement_create(
                association=association,
                actor=admin,
                data=services.AnnouncementInput(
                    title="关于召开2027年会员代表大会的通知",
                    body="<p>请各会员单位于截止前填写回执。</p>",
                    reply_fields=[{"label": "是否参加", "type": "yesno", "required": True}],
                    reply_deadline=timezone.now() + timedelta(days=7),
                ),
            )

        log("send (the request's part)")
        started = time.perf_counter()
        with tenant_context(association):
            job = services.announcement_send(
                association=association, actor=admin, announcement=announcement
            )
        enqueue = time.perf_counter() - started

        log("deliver (one worker process)")
        started = time.perf_counter()
        call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*")
        deliver = time.perf_counter() - started

        with tenant_context(association):
            recipients = AnnouncementRecipient.objects.filter(announcement=announcement).count()
            inbox = InboxMessage.objects.filter(target_id=announcement.pk).count()
            sms = OutboxMessage.objects.filter(channel="sms")
            sent = sms.filter(status="sent").count()
            not_sent = sms.exclude(status="sent").count()
            job = Job.objects.get(pk=job.pk)
        server.shutdown()
        print(f"database            {connection.vendor}")
        print(f"members             {args.members}")
        print(f"enqueue (request)   {enqueue * 1000:.0f} ms")
        print(f"deliver (worker)    {deliver:.1f} s  ({args.members / deliver:.0f} people/s)")
        print(f"recipients fixed    {recipients}")
        print(f"inbox rows          {inbox}")
        print(f"SMS sent / not      {sent} / {not_sent}")
        links = Gateway.with_link
        print(f"gateway requests    {Gateway.received} (with the personal link: {links})")
        print(f"job                 {job.status} {job.done}/{job.total}")
        ok = recipients == inbox == sent == Gateway.received == Gateway.with_link == args.members
        print("check               " + ("OK" if ok else "MISMATCH"))
        if args.postgres:
            connection.close()


if __name__ == "__main__":
    main()
