"""Back-office pages of the member import: upload → mapping → validation progress → preview
(with the error report) → confirm → commit progress → result."""

from itertools import islice

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.http import attachment_response, whole_number
from shanghui.core.jobs import UNFINISHED
from shanghui.core.models import Job
from shanghui.core.storage.files import file_response
from shanghui.members.imports.cells import cell_text
from shanghui.members.imports.checker import names_people
from shanghui.members.imports.columns import COLUMNS
from shanghui.members.imports.files import (
    file_expired_message,
    report_of,
    source_expired,
    source_opened,
)
from shanghui.members.imports.reader import Layout, SheetReader, data_rows, fields_of, layout_of
from shanghui.members.imports.services import (
    access_member_import_job,
    commit_interrupted,
    member_import_commit,
    member_import_create,
    member_import_set_mapping,
    member_import_validate,
    member_imports,
)
from shanghui.members.imports.states import EDITABLE, RUNNING_STATUSES
from shanghui.members.imports.template import template_workbook
from shanghui.members.imports.uploads import XLSX_CONTENT_TYPE, max_rows
from shanghui.members.imports.writer import import_backlog
from shanghui.members.models import MemberImport

RECENT_IMPORTS = 10
SAMPLE_ROWS = 3


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("会员名单文件"),
        help_text=gettext_lazy(
            "Excel（.xlsx 或 .xls）或 CSV（UTF-8 或 GBK 编码），最多 100,000 行"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )


def _access(request: TenantRequest, import_id: int) -> MemberImport:
    return _access_with_job(request, import_id)[0]


def _access_with_job(request: TenantRequest, import_id: int) -> tuple[MemberImport, Job | None]:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    return access_member_import_job(association=request.association, import_id=import_id)


def _to_detail(request: TenantRequest, member_import: MemberImport) -> HttpResponseBase:
    return redirect(
        "members:office_members_import_detail",
        association_slug=request.association.slug,
        import_id=member_import.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_import(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Upload a member list; the recent imports below."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_import = member_import_create(
                association=request.association,
                actor=signed_in_user(request),
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect(
                "members:office_members_import_mapping",
                association_slug=association_slug,
                import_id=member_import.pk,
            )
    recent = member_imports(association=request.association).select_related("owner")
    return render(
        request,
        "members/office/import.html",
        {"form": form, "recent": recent[:RECENT_IMPORTS], "max_rows": max_rows()},
    )


@login_required
@require_GET
def office_import_template(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    return attachment_response(
        template_workbook(request.association),
        _("会员导入模板.xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def office_import_detail(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """The import's page for its current state: mapping, progress, preview or result."""
    member_import, job = _access_with_job(request, import_id)
    status = member_import.status
    if status == MemberImport.Status.UPLOADED:
        return redirect(
            "members:office_members_import_mapping",
            association_slug=association_slug,
            import_id=member_import.pk,
        )
    if status in RUNNING_STATUSES:
        return redirect(
            "members:office_members_import_progress",
            association_slug=association_slug,
            import_id=member_import.pk,
        )
    if status == MemberImport.Status.VALIDATED:
        return render(request, "members/office/import_preview.html", _context(member_import))
    context = _context(member_import)
    if status == MemberImport.Status.DONE and job is not None:
        # The commit's job goes on writing the search index for a few seconds (the bar); a job
        # that failed there left rows the search cannot find until the daily run does them.
        if job.status in UNFINISHED:
            context["index_job"] = job
        elif job.status == Job.Status.FAILED:
            context["unindexed"] = import_backlog(member_import)
    return render(request, "members/office/import_result.html", context)


def _context(member_import: MemberImport) -> dict[str, object]:
    issues = member_import.errors if isinstance(member_import.errors, list) else []
    expired = source_expired(member_import)
    return {
        "imp": member_import,
        "issues": issues,
        # The uploaded list is gone (``TASK_RETENTION_DAYS``): nothing more can be done with it.
        "expired": expired,
        "expired_message": file_expired_message() if expired else "",
        "can_commit": member_import.status == MemberImport.Status.VALIDATED
        and not member_import.error_rows
        and not expired,
        # A commit that failed (nothing imported) on rows still validated: 重新开始导入.
        "can_restart_commit": commit_interrupted(member_import),
    }


@login_required
@require_http_methods(["GET", "POST"])
def office_import_mapping(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """Which column feeds which field (matched by header; adjustable), with sample values;
    saving starts the validation."""
    member_import = _access(request, import_id)
    if member_import.status not in EDITABLE:
        return _to_detail(request, member_import)
    layout = layout_of(member_import)
    fields = fields_of(member_import)
    expired = source_expired(member_import)
    error = file_expired_message() if expired else ""
    if request.method == "POST" and not expired:
        chosen: dict[str, int | None] = {}
        for column in COLUMNS:
            raw = request.POST.get(f"col_{column.key}", "")
            chosen[column.key] = whole_number(raw)
        try:
            member_import = member_import_set_mapping(
                association=request.association,
                actor=signed_in_user(request),
                member_import=member_import,
                mapping=chosen,
            )
            member_import_validate(
                association=request.association,
                actor=signed_in_user(request),
                member_import=member_import,
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
            fields = {k: v for k, v in chosen.items() if v is not None}
        else:
            return redirect(
                "members:office_members_import_progress",
                association_slug=association_slug,
                import_id=member_import.pk,
            )
    samples = _sample_rows(member_import, layout)
    rows = [
        {
            "column": column,
            "selected": fields.get(column.key),
            "sample": _samples(samples, fields.get(column.key)),
        }
        for column in COLUMNS
    ]
    return render(
        request,
        "members/office/import_mapping.html",
        {
            "imp": member_import,
            "rows": rows,
            "headers": list(enumerate(layout.headers)),
            "header_at": (
                f"{layout.header_row - 1}–{layout.header_row}"
                if layout.header_rows == 2
                else str(layout.header_row)
            ),
            "sheet_name": layout.sheet_name,
            "name_missing": "name" not in fields,
            "names_people": names_people(layout, fields),
            "error": error,
            "expired": expired,
        },
    )


def _sample_rows(member_import: MemberImport, layout: Layout) -> list[tuple[object, ...]]:
    if source_expired(member_import):
        return []
    try:
        with source_opened(member_import) as source, SheetReader(source, layout) as reader:
            rows = data_rows(reader.rows(), layout.header_row)
            return [values for _number, values in islice(rows, SAMPLE_ROWS)]
    except (ValidationError, OSError):
        return []


def _samples(rows: list[tuple[object, ...]], index: int | None) -> str:
    if index is None:
        return ""
    values = [cell_text(r[index]) if index < len(r) else "" for r in rows]
    return " / ".join(v for v in values if v)[:80]


@login_required
@require_POST
def office_import_validate(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """Validate again (after a failed commit, or once levels were added)."""
    member_import = _access(request, import_id)
    try:
        member_import_validate(
            association=request.association,
            actor=signed_in_user(request),
            member_import=member_import,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _to_detail(request, member_import)
    return redirect(
        "members:office_members_import_progress",
        association_slug=association_slug,
        import_id=import_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_import_commit(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """Confirm, then import every row in one transaction."""
    member_import = _access(request, import_id)
    if request.method == "POST":
        try:
            member_import_commit(
                association=request.association,
                actor=signed_in_user(request),
                member_import=member_import,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return _to_detail(request, member_import)
        return redirect(
            "members:office_members_import_progress",
            association_slug=association_slug,
            import_id=import_id,
        )
    if member_import.status != MemberImport.Status.VALIDATED or member_import.error_rows:
        return _to_detail(request, member_import)
    return render(request, "members/office/import_confirm.html", _context(member_import))


@login_required
@require_GET
def office_import_progress(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """The running job's progress; once it has finished, on to the import's page (HTMX polls
    the box and follows the redirect)."""
    member_import, job = _access_with_job(request, import_id)
    if member_import.status not in RUNNING_STATUSES:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse(
                "members:office_members_import_detail",
                kwargs={"association_slug": association_slug, "import_id": import_id},
            )
            return response
        return _to_detail(request, member_import)
    context = {"imp": member_import, "job": job, "poll_url": request.path}
    if request.htmx:
        return render(request, "members/office/import_progress.html#box", context)
    return render(request, "members/office/import_progress.html", context)


@login_required
@require_GET
def office_import_report(
    request: TenantRequest, association_slug: str, import_id: int
) -> HttpResponseBase:
    """The error report: the original rows with an 错误说明 column. Once it expired (it goes
    with the uploaded list, ``TASK_RETENTION_DAYS``), the import's page says so."""
    member_import = _access(request, import_id)
    report = report_of(member_import)
    if report is None:
        if source_expired(member_import):
            messages.error(request, file_expired_message())
            return _to_detail(request, member_import)
        raise Http404
    return file_response(request.association, report)
