"""A notice to a 23,000-member chamber through the notification center: one ``broadcast``
over "members.representatives" (every representative of every member in good standing),
fanned out by two database workers into small ``deliver`` tasks; every SMS goes through the
real Aliyun sender (signed requests) to a local fake gateway this script serves, which
counts them. Prints: the time to enqueue (the request's part: the job and its task, in one
transaction), the time until the job's progress bar reached 100 %, until every inbox row was
written and every SMS logged as sent, and the rate. Asserts nothing about timing.

The chamber is ``manage.py seed_demo``'s provincial one (23,000 members), seeded first on a
fresh database: a SQLite file in a temporary directory, or (``--db postgres``) the
PostgreSQL database named by ``--pg-db`` (default ``h1``), created and dropped here (the
workers connect as the URL's role).

Run: ``.venv/bin/python bench/notify.py [--db sqlite|postgres] [--workers 2]``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from harness import HOST, PG, ROOT, log, manage

KIND = "members.notice"
SOURCE = "members.representatives"


class Gateway(BaseHTTPRequestHandler):
    """Aliyun's SendSms answer to every call; counts them (and the phones)."""

    lock = threading.Lock()
    calls = 0
    phones: set[str] = set()

    def do_GET(self) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        with Gateway.lock:
            Gateway.calls += 1
            Gateway.phones.add(query.get("PhoneNumbers", ""))
            number = Gateway.calls
        body = json.dumps({"Code": "OK", "Message": "OK", "BizId": f"biz-{number}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def environment(args: argparse.Namespace, var_dir: str, gateway: str) -> dict[str, str]:
    database = (
        f"{PG}/{args.pg_db}" if args.db == "postgres" else f"sqlite:///{var_dir}/bench.sqlite3"
    )
    return {
        **os.environ,
        "SHANGHUI_VAR_DIR": var_dir,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.dev",
        "PYTHONPATH": str(ROOT / "src"),
        "SMS_BACKEND": "aliyun",
        "SMS_ENDPOINT": gateway,
        "SMS_ACCESS_KEY": "bench-key",
        "SMS_ACCESS_SECRET": "bench-secret",
        "SMS_TEMPLATES": json.dumps({KIND: "SMS_BENCH"}),
        "WECHAT_BACKEND": "",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def psql(*sql: str) -> None:
    for statement in sql:
        subprocess.run(
            ["psql", PG + "/postgres", "-q", "-c", statement], check=True, capture_output=True
        )


def run(args: argparse.Namespace) -> None:
    server = ThreadingHTTPServer((HOST, 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway = f"http://{HOST}:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as temporary:
        var_dir = args.keep or temporary
        seeded = Path(var_dir, "seeded").exists()
        env = environment(args, var_dir, gateway)
        if args.db == "postgres" and not seeded:
            psql(f"DROP DATABASE IF EXISTS {args.pg_db}", f"CREATE DATABASE {args.pg_db}")
        try:
            if not seeded:
                log("migrate")
                manage(env, "migrate", "--noinput", "-v", "0")
                log("seed_demo (23,000 members)")
                manage(env, "seed_demo")
                if args.keep:
                    Path(var_dir, "seeded").touch()
            os.environ.update(env)
            measure(args, env)
        finally:
            if args.db == "postgres" and not args.keep:
                from django.db import connections

                connections.close_all()
                psql(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
    server.shutdown()


def measure(args: argparse.Namespace, env: dict[str, str]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import transaction

    from shanghui.accounts.models import Role
    from shanghui.associations.models import Association
    from shanghui.core import notifications
    from shanghui.core.demo import PROVINCIAL
    from shanghui.core.models import InboxMessage, Job, OutboxMessage
    from shanghui.core.tenancy import tenant_context

    association = Association.objects.get(slug=PROVINCIAL.slug)
    with tenant_context(association):
        admin = (
            Role.objects.filter(association=association, kind=Role.Kind.ADMIN)
            .select_related("user")
            .first()
        )
    assert admin is not None
    target = int(time.time())  # this run's messages, should the database be kept and reused
    log("broadcast")
    started = time.perf_counter()
    with tenant_context(association), transaction.atomic():
        job = notifications.broadcast(
            association=association,
            actor=admin.user,
            kind=KIND,
            source=SOURCE,
            owner_id=0,
            target_type="bench.notice",
            target_id=target,
        )
    enqueued = time.perf_counter() - started
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--interval",
                "0.05",
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--no-reload",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    bar_done = None
    try:
        while True:
            time.sleep(0.5)
            with tenant_context(association):
                job.refresh_from_db()
                waiting = OutboxMessage.objects.filter(
                    association=association, target_id=target, status__in=["queued", "sending"]
                ).count()
            if bar_done is None and job.status == Job.Status.DONE:
                bar_done = time.perf_counter() - started
            if job.status == Job.Status.FAILED:
                raise SystemExit(f"job failed: {job.message}")
            if bar_done is not None and waiting == 0:
                break
            log(f"{job.done}/{job.total} recipients, {waiting} log rows waiting")
        delivered = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    with tenant_context(association):
        inboxes = InboxMessage.objects.filter(association=association, target_id=target).count()
        rows = OutboxMessage.objects.filter(association=association, target_id=target)
        sms_sent = rows.filter(channel="sms", status="sent").count()
        sms_all = rows.filter(channel="sms").count()
        email_sent = rows.filter(channel="email", status="sent").count()
        failed = rows.filter(status="failed").count()
    print(f"database: {args.db}, workers: {args.workers}")
    print(f"recipients (representatives of members in good standing): {job.total}")
    print(f"enqueue (job + task, one transaction): {enqueued * 1000:.0f} ms")
    print(f"progress bar at 100 %: {bar_done:.1f} s")
    print(f"every inbox written and every SMS logged sent: {delivered:.1f} s")
    print(f"inbox rows: {inboxes}; SMS log rows sent: {sms_sent}/{sms_all}; "
          f"email sent: {email_sent}; failed: {failed}")  # fmt: skip
    print(f"fake gateway: {Gateway.calls} SendSms calls, {len(Gateway.phones)} numbers")
    print(f"rate: {job.total / delivered:.0f} recipients/s, {Gateway.calls / delivered:.0f} SMS/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-db", default="h1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--keep", default="", help="a directory to keep the seeded database in and reuse"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
