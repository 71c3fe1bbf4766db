"""`manage.py send_event_reminders`: run daily (cron or a systemd timer). Reminds the
confirmed registrants of tomorrow's events, once per event."""

from shanghui.core.management.per_association import PerAssociationTaskCommand
from shanghui.events.tasks import send_reminders


class Command(PerAssociationTaskCommand):
    help = "提醒明天举行的活动的已报名人员（每个活动只提醒一次）；建议每天运行一次。"
    task = send_reminders
    done = "已提醒 {} 人"
