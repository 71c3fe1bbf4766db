"""Background work of the dues module: the year's bill run and the arrears export (jobs with a
progress bar), and the daily reminders and status pass (run for every association by
``manage.py send_dues_reminders`` and ``manage.py sync_dues_status``)."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from openpyxl import Workbook

from shanghui.associations.models import Association
from shanghui.core.excel import safe_cell
from shanghui.core.jobs import job_fail, job_finish, job_for_task, job_progress
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.dues.selectors import BillFilters, arrears_search
from shanghui.dues.services.bills import bills_generate
from shanghui.dues.services.status import members_dues_status_sync, reminders_send
from shanghui.members.selectors import first_contacts

EXPORT_BATCH = 1000


def _scope(association: Association) -> Callable[[], AbstractContextManager[None]]:
    return lambda: tenant_context(association)


def _progress(job: Job) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        job_progress(job, done=done, total=total)

    return report


@task()
def generate_bills(*, job_id: str, association_id: int, year: int, due_on: str) -> None:
    """Issues the year's bills in batches; each batch commits, so the progress bar moves and a
    failed run can simply be started again (it skips members already billed)."""
    job = job_for_task(job_id=job_id, association_id=association_id)
    try:
        result = bills_generate(
            association=job.association,
            actor=job.owner,
            year=year,
            due_on=date.fromisoformat(due_on),
            progress=_progress(job),
            scope=_scope(job.association),
        )
    except Exception as exc:
        job_fail(job, message=_("生成账单失败：%(error)s") % {"error": exc})
        raise
    job_finish(job, message=result.message(year))


ARREARS_COLUMNS = (
    gettext_lazy("会员编号"),
    gettext_lazy("会员名称"),
    gettext_lazy("会员级别"),
    gettext_lazy("年度"),
    gettext_lazy("应缴金额"),
    gettext_lazy("已缴金额"),
    gettext_lazy("欠缴金额"),
    gettext_lazy("应缴日期"),
    gettext_lazy("逾期天数"),
    gettext_lazy("上次催缴"),
    gettext_lazy("会员代表"),
    gettext_lazy("手机号"),
)


@task()
def export_arrears(*, job_id: str, association_id: int) -> None:
    """Writes the arrears list filtered by the job's ``params`` to xlsx (write-only mode),
    with exact amounts and neutralised text cells."""
    job = job_for_task(job_id=job_id, association_id=association_id)
    try:
        with tenant_context(job.association):
            content, count = _arrears_xlsx(job, BillFilters(**job.params))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job_finish(
                job,
                message=_("已导出 %(count)d 条欠费记录") % {"count": count},
                filename=f"arrears-{stamp}.xlsx",
                content=content,
            )
    except Exception as exc:
        job_fail(job, message=_("导出失败：%(error)s") % {"error": exc})
        raise


def _arrears_xlsx(job: Job, filters: BillFilters) -> tuple[bytes, int]:
    today = timezone.localdate()
    qs = arrears_search(association=job.association, filters=filters, today=today)
    total = qs.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("欠费名单"))
    sheet.append([str(title) for title in ARREARS_COLUMNS])
    done = 0
    for start in range(0, total, EXPORT_BATCH):
        bills = list(qs[start : start + EXPORT_BATCH])
        contacts = first_contacts(
            association=job.association, member_ids=[bill.member_id for bill in bills]
        )
        for bill in bills:
            name, phone = contacts.get(bill.member_id, ("", ""))
            reminded = (
                timezone.localtime(bill.last_reminded_at).strftime("%Y-%m-%d")
                if bill.last_reminded_at
                else ""
            )
            sheet.append(
                [
                    safe_cell(value)
                    for value in (
                        bill.member.member_no,
                        bill.member.name,
                        bill.level.name if bill.level else "",
                        bill.year,
                        bill.amount,
                        bill.paid_amount,
                        bill.amount - bill.paid_amount,
                        bill.due_on,
                        (today - bill.due_on).days,
                        reminded,
                        name,
                        phone,
                    )
                ]
            )
            done += 1
        job_progress(job, done=done, total=total)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), done


def _association(association_id: int) -> Association:
    return Association.objects.get(pk=association_id)


@task()
def send_reminders(*, association_id: int) -> int:
    """Reminds the members of one association about their overdue bills (at most once every
    seven days per bill)."""
    association = _association(association_id)
    return reminders_send(association=association, scope=_scope(association))


@task()
def sync_member_status(*, association_id: int) -> dict[str, int]:
    """Moves members with bills overdue beyond the grace period to 欠费 and restores those who
    no longer owe anything overdue."""
    association = _association(association_id)
    result = members_dues_status_sync(association=association, scope=_scope(association))
    return {"to_arrears": result.to_arrears, "restored": result.restored}
