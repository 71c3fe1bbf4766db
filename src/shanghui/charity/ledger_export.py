"""The donations ledger for auditors (审计导出): xlsx, every entry of the list's filters with its
exact amount (reversals as their own negative rows, so the sheet sums to the ledger), and the
totals under it. A background job (``core.jobs``) with a progress bar, like the dues export."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from openpyxl import Workbook

from shanghui.charity.models import Donation
from shanghui.charity.selectors.ledger import DonationFilters, donations_search, donations_totals
from shanghui.core.excel import safe_cell
from shanghui.core.jobs import job_fail, job_finish, job_for_task, job_progress
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context

JOB_KIND = "charity.ledger_export"


def register_job_kind() -> None:
    """Who may follow the export and fetch its file: who may start it (``core.jobs``)."""
    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core.contributions import JOB_KINDS, JobKind

    JOB_KINDS.register(JobKind(JOB_KIND, lambda role: has_perm(role, Perm.MANAGE_CHARITY)))


EXPORT_BATCH = 1000

COLUMNS = (
    gettext_lazy("记录号"),
    gettext_lazy("捐赠日期"),
    gettext_lazy("公益项目"),
    gettext_lazy("捐赠方"),
    gettext_lazy("捐赠方类型"),
    gettext_lazy("统一社会信用代码"),
    gettext_lazy("匿名"),
    gettext_lazy("类别"),
    gettext_lazy("物资名称"),
    gettext_lazy("数量"),
    gettext_lazy("单位"),
    gettext_lazy("价值依据"),
    gettext_lazy("金额（元）"),
    gettext_lazy("捐赠渠道"),
    gettext_lazy("受赠方"),
    gettext_lazy("捐赠票据号"),
    gettext_lazy("捐赠证明编号"),
    gettext_lazy("所冲正的原记录号"),
    gettext_lazy("备注"),
    gettext_lazy("登记人"),
    gettext_lazy("登记时间"),
)


def _row(d: Donation) -> list[object]:
    return [
        d.pk,
        d.donated_on,
        d.campaign.title if d.campaign else "",
        d.donor_name,
        d.get_donor_kind_display(),
        d.donor_uscc,
        _("是") if d.anonymous else "",
        d.get_kind_display(),
        d.item,
        d.quantity,
        d.unit,
        d.get_value_basis_display() if d.value_basis else "",
        d.amount,
        d.get_channel_display(),
        d.recipient_name,
        d.official_receipt_no,
        d.acknowledgement_no,
        d.reverses_id or "",
        d.note,
        d.recorded_by.name if d.recorded_by else "",
        timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
    ]


def ledger_xlsx(job: Job, filters: DonationFilters) -> tuple[bytes, int]:
    association = job.association
    qs = donations_search(association=association, filters=filters).order_by("donated_on", "id")
    total = qs.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("捐赠台账"))
    sheet.append([str(title) for title in COLUMNS])
    done = 0
    for start in range(0, total, EXPORT_BATCH):
        for donation in qs[start : start + EXPORT_BATCH]:
            sheet.append([safe_cell(value) for value in _row(donation)])
            done += 1
        job_progress(job, done=done, total=total)
    totals = donations_totals(association=association, filters=filters)
    sheet.append([])
    for label, value in (
        (_("现金合计"), totals.cash),
        (_("物资价值合计"), totals.goods),
        (_("总计"), totals.total),
    ):
        sheet.append([str(label), *[""] * 11, value])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), done


@task()
def export_ledger(*, job_id: str, association_id: int) -> None:
    """Writes the ledger filtered by the job's ``params`` to xlsx (write-only mode), with
    exact amounts and neutralised text cells."""
    job = job_for_task(job_id=job_id, association_id=association_id)
    try:
        with tenant_context(job.association):
            content, count = ledger_xlsx(job, DonationFilters(**job.params))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job_finish(
                job,
                message=_("已导出 %(count)d 条捐赠记录") % {"count": count},
                filename=f"donations-{stamp}.xlsx",
                content=content,
            )
    except Exception as exc:
        job_fail(job, message=_("导出失败：%(error)s") % {"error": exc})
        raise
