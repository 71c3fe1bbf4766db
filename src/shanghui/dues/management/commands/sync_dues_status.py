"""`manage.py sync_dues_status`: run daily. Enqueues, for every active association, the task
that moves members whose bills are overdue beyond the grace period to 欠费 and restores those
who have paid."""

from shanghui.core.management.per_association import PerAssociationTaskCommand
from shanghui.dues.tasks import sync_member_status


class Command(PerAssociationTaskCommand):
    help = "按会费缴纳情况更新会员状态（逾期转欠费、缴清恢复正常）；建议每天运行一次。"
    task = sync_member_status
    done = "状态变更 {}"
