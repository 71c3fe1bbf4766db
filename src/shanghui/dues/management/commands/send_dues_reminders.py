"""`manage.py send_dues_reminders`: run daily (cron or a systemd timer). Enqueues, for every
active association, the task that reminds members with overdue bills — each bill at most once
every seven days, so running it more often does not spam anyone."""

from shanghui.core.management.per_association import PerAssociationTaskCommand
from shanghui.dues.tasks import send_reminders


class Command(PerAssociationTaskCommand):
    help = "向逾期未缴会费的会员发送催缴提醒（每张账单最多每 7 天一次）；建议每天运行一次。"
    task = send_reminders
    done = "已提醒账单数 {}"
