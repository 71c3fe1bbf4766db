"""Background jobs of the members module."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import Workbook

from shanghui.core.excel import safe_cell
from shanghui.core.industries import industry_label
from shanghui.core.jobs import job_fail, job_finish, job_progress
from shanghui.core.models import Job
from shanghui.core.regions import region_full_name
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.members.models import Member
from shanghui.members.selectors import MemberFilters, member_search, with_representatives

EXPORT_BATCH = 1000


@task()
def export_members(*, job_id: str, filters: dict[str, str]) -> None:
    """Writes the filtered member list to an xlsx file (write-only mode), reporting progress."""
    with scopes_disabled():
        job = Job.objects.select_related("association").get(pk=job_id)
    try:
        with tenant_context(job.association):
            content, count = _export_xlsx(job, MemberFilters(**filters))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job_finish(
                job,
                message=_("已导出 %(count)d 位会员") % {"count": count},
                filename=f"members-{stamp}.xlsx",
                content=content,
            )
    except Exception as exc:
        job_fail(job, message=_("导出失败：%(error)s") % {"error": exc})
        raise


def _export_xlsx(job: Job, filters: MemberFilters) -> tuple[bytes, int]:
    qs = member_search(association=job.association, filters=filters, directory=False)
    total = qs.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("会员名单"))
    sheet.append(
        [
            _("会员编号"),
            _("名称"),
            _("类型"),
            _("状态"),
            _("统一社会信用代码"),
            _("法定代表人"),
            _("行业"),
            _("注册地区"),
            _("籍贯"),
            _("地址"),
            _("会员代表"),
            _("手机号"),
            _("入会日期"),
        ]
    )
    done = 0
    statuses = dict(Member.Status.choices)
    kinds = dict(Member.Kind.choices)
    for start in range(0, total, EXPORT_BATCH):
        batch = with_representatives(qs[start : start + EXPORT_BATCH])
        for member in batch:
            reps = list(member.representatives.all())
            first = reps[0].person if reps else None
            sheet.append(
                [
                    safe_cell(value)
                    for value in (
                        member.member_no,
                        member.name,
                        str(kinds.get(member.kind, "")),
                        str(statuses.get(member.status, "")),
                        member.uscc,
                        member.legal_representative,
                        industry_label(member.industry_code) if member.industry_code else "",
                        region_full_name(member.region_code),
                        region_full_name(member.hometown_code),
                        member.address,
                        first.name if first else "",
                        first.phone if first else "",
                        member.joined_on.isoformat() if member.joined_on else "",
                    )
                ]
            )
            done += 1
        job_progress(job, done=done, total=total)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), done
