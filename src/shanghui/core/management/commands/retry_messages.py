"""`manage.py retry_messages`: run every few minutes (cron or a systemd timer). Hands the
delivery log's due rows to the workers: refused messages whose backoff elapsed, and rows
left ``sending`` by a worker that was stopped (``core.notify.delivery.SENDING_LEASE``)."""

from shanghui.core.management.per_association import PerAssociationTaskCommand
from shanghui.core.notify.delivery import retry_due


class Command(PerAssociationTaskCommand):
    help = "重新发送到期重试的消息，以及发送进程中断后停在“发送中”的消息；建议每 5 分钟运行一次。"
    task = retry_due
    done = "已交给发送进程 {} 条"
