"""The member import in the API: upload a file, adjust the column mapping, validate, commit —
the same services the back-office pages call. Validation and commit are background jobs: poll
``/jobs/{id}`` or the import itself. An import's status is ``done`` once its members are
committed; its commit job finishes a few seconds later, when they can be found by a search."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictInt

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, ErrorOut
from shanghui.core.http import attachment_response
from shanghui.core.storage.files import file_response
from shanghui.members.imports.columns import COLUMNS, REQUIRED_KEYS
from shanghui.members.imports.files import (
    file_expired_message,
    report_of,
    source_expired,
)
from shanghui.members.imports.reader import fields_of, layout_of
from shanghui.members.imports.services import (
    access_member_import,
    member_import_commit,
    member_import_create,
    member_import_set_mapping,
    member_import_validate,
    member_imports,
)
from shanghui.members.imports.template import template_workbook
from shanghui.members.imports.uploads import XLSX_CONTENT_TYPE
from shanghui.members.models import MemberImport

# Operation ids are given: they keep the ids the API has published since this module was
# members/import_api.py (ninja derives a default id from the module's path).
imports_router = Router(tags=["会员导入"])


class ImportColumnOut(Schema):
    key: str
    label: str
    required: bool


class ImportIssueOut(Schema):
    row: int
    column: str
    message: str
    level: str


class ImportOut(Schema):
    id: int
    original_name: str
    status: str
    status_label: str
    headers: list[str]
    header_row: int
    sheet_name: str
    columns: dict[str, int]
    total_rows: int
    valid_rows: int
    error_rows: int
    created_count: int
    message: str
    issues: list[ImportIssueOut]
    has_error_report: bool
    file_expired: bool
    file_message: str
    job_id: str | None
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: MemberImport) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_headers(obj: MemberImport) -> list[str]:
        return layout_of(obj).headers

    @staticmethod
    def resolve_header_row(obj: MemberImport) -> int:
        return layout_of(obj).header_row

    @staticmethod
    def resolve_sheet_name(obj: MemberImport) -> str:
        return layout_of(obj).sheet_name

    @staticmethod
    def resolve_columns(obj: MemberImport) -> dict[str, int]:
        return fields_of(obj)

    @staticmethod
    def resolve_issues(obj: MemberImport) -> list[object]:
        return obj.errors if isinstance(obj.errors, list) else []

    @staticmethod
    def resolve_has_error_report(obj: MemberImport) -> bool:
        return obj.error_report_id is not None

    @staticmethod
    def resolve_file_expired(obj: MemberImport) -> bool:
        """The uploaded list (and its error report) expired and were deleted after
        ``TASK_RETENTION_DAYS``: the import can no longer be validated or committed."""
        return source_expired(obj)

    @staticmethod
    def resolve_file_message(obj: MemberImport) -> str:
        return file_expired_message() if source_expired(obj) else ""

    @staticmethod
    def resolve_job_id(obj: MemberImport) -> str | None:
        return str(obj.job_id) if obj.job_id else None


class MappingIn(Schema):
    """Field key → 0-based column index in ``headers``; null leaves the field out. Fields not
    named are left out too; ``name`` is required."""

    columns: dict[str, StrictInt | None]


def _secretariat(request: HttpRequest) -> User:
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return signed_in_user(request)


def _access(request: HttpRequest, import_id: int) -> MemberImport:
    _secretariat(request)
    return access_member_import(association=current_association(request), import_id=import_id)


@imports_router.get(
    "/members/imports/columns",
    response={200: list[ImportColumnOut], **ERRORS},
    operation_id="shanghui_members_import_api_import_columns",
)
def import_columns(request: HttpRequest, slug: Path[str]) -> object:
    """The fields a member list can fill, with the template's headers."""
    _secretariat(request)
    return [{"key": c.key, "label": c.label, "required": c.key in REQUIRED_KEYS} for c in COLUMNS]


@imports_router.get(
    "/members/imports/template",
    response={200: None, **ERRORS},
    operation_id="shanghui_members_import_api_import_template",
)
def import_template(request: HttpRequest, slug: Path[str]) -> HttpResponse:
    """The xlsx import template (the columns in Chinese with an example row)."""
    _secretariat(request)
    return attachment_response(
        template_workbook(current_association(request)),
        _("会员导入模板.xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


@imports_router.get(
    "/members/imports",
    response={200: list[ImportOut], **ERRORS},
    operation_id="shanghui_members_import_api_import_list",
)
@paginate(Pages)
def import_list(request: HttpRequest, slug: Path[str]) -> object:
    """The association's member imports, newest first."""
    _secretariat(request)
    return member_imports(association=current_association(request))


@imports_router.post(
    "/members/imports",
    response={201: ImportOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_create",
)
def import_create(
    request: HttpRequest, slug: Path[str], file: File[UploadedFile | None] = None
) -> Status[object]:
    """Upload a member list (xlsx or xls, or CSV in UTF-8 or GBK) as multipart field ``file``.
    The file is checked at once (a 400 says what is wrong with it), the worksheet holding the
    list is found (``sheet_name`` when there are several) and its columns are matched by
    their headers (two header rows are read as one: ``会员代表/手机``); adjust with
    ``PUT …/mapping``, then ``POST …/validate``."""
    user = _secretariat(request)  # who may upload is settled before the upload is read
    if file is None:
        raise ValidationError({"file": [_("请选择要上传的文件")]})
    member_import = member_import_create(
        association=current_association(request), actor=user, upload=file
    )
    return Status(201, member_import)


@imports_router.get(
    "/members/imports/{import_id}",
    response={200: ImportOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_detail",
)
def import_detail(request: HttpRequest, slug: Path[str], import_id: int) -> object:
    """An import's state: mapping, counts, the first issues (row, column, message, level)."""
    return _access(request, import_id)


@imports_router.put(
    "/members/imports/{import_id}/mapping",
    response={200: ImportOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_mapping",
)
def import_mapping(
    request: HttpRequest, slug: Path[str], import_id: int, payload: MappingIn
) -> object:
    """Set which column feeds which field. Resets an earlier validation."""
    member_import = _access(request, import_id)
    return member_import_set_mapping(
        association=current_association(request),
        actor=signed_in_user(request),
        member_import=member_import,
        mapping=dict(payload.columns),
    )


@imports_router.post(
    "/members/imports/{import_id}/validate",
    response={202: JobOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_validate",
)
def import_validate(request: HttpRequest, slug: Path[str], import_id: int) -> Status[object]:
    """Validate every row as a background job; the import then holds the counts, the first
    issues and an error report."""
    member_import = _access(request, import_id)
    job = member_import_validate(
        association=current_association(request),
        actor=signed_in_user(request),
        member_import=member_import,
    )
    return Status(202, job)


@imports_router.post(
    "/members/imports/{import_id}/commit",
    response={202: JobOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_commit",
)
def import_commit(request: HttpRequest, slug: Path[str], import_id: int) -> Status[object]:
    """Import a validated file without errors as a background job: all rows or none. The
    import is ``done`` when its rows are committed; the job is, once they are searchable."""
    member_import = _access(request, import_id)
    job = member_import_commit(
        association=current_association(request),
        actor=signed_in_user(request),
        member_import=member_import,
    )
    return Status(202, job)


@imports_router.get(
    "/members/imports/{import_id}/report",
    response={200: None, 410: ErrorOut, **ERRORS},
    operation_id="shanghui_members_import_api_import_report",
)
def import_report(
    request: HttpRequest, slug: Path[str], import_id: int
) -> StreamingHttpResponse | HttpResponse:
    """The error report (xlsx): the original rows with an 错误说明 column. 410
    (``file_expired``) once it expired with the uploaded list (``TASK_RETENTION_DAYS``)."""
    member_import = _access(request, import_id)
    report = report_of(member_import)
    if report is None:
        if source_expired(member_import):
            return error_response("file_expired", status=410, message=file_expired_message())
        raise Http404
    return file_response(current_association(request), report)
