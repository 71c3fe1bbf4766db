"""Spreadsheets of an event: the registrant list and the sign-in sheet (签到表). Cells go
through ``core.excel.safe_cell`` so a name like "=HYPERLINK(…)" stays text."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import personal_data_unmasked
from shanghui.associations.models import Association
from shanghui.core.excel import safe_cell
from shanghui.core.privacy import personal_data_page
from shanghui.events import figures, selectors, tickets
from shanghui.events.models import Event, Registration
from shanghui.events.presenters import registrant_phone

THIN = Side(style="thin", color="999999")


def _book(title: str, header: list[str], rows: list[list[object]], widths: list[int]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registrants_xlsx(
    *, association: Association, event: Event, actor: User, role: Role | None
) -> bytes:
    """The registrant list with phones unmasked only for whoever may export (masked for the
    rest of the secretariat, as on the page). The download is audited and counted like a page
    of the list (``core.privacy``)."""
    regs = list(selectors.registrations(association=association, event=event))
    unmasked = personal_data_unmasked(role)
    personal_data_page(
        actor=actor,
        association=association,
        listing=f"registrations:{event.pk}:xlsx",
        rows=len(regs),
        page=None,
        filters={},
        unmasked=unmasked,
    )
    attended = figures.attended_ids(association=association, event=event)
    questions = event.questions or []
    header = [
        _("序号"),
        _("姓名"),
        _("手机号"),
        _("单位"),
        _("会员级别"),
        _("票种"),
        _("随行人数"),
        _("状态"),
        _("签到码"),
        _("已签到"),
        _("已缴费"),
        _("报名时间"),
        *[q.get("label", "") for q in questions],
    ]
    rows: list[list[object]] = [
        [
            i,
            r.name,
            registrant_phone(r, role=role),
            r.company,
            r.member.level.name if r.member and r.member.level else "",
            r.ticket_type.name if r.ticket_type else "",
            r.companions,
            str(r.get_status_display()),
            tickets.display_code(r.code),
            _("是") if r.pk in attended else "",
            _("是") if r.fee_paid else "",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            *[r.answers.get(q.get("key", ""), "") for q in questions],
        ]
        for i, r in enumerate(regs, 1)
    ]
    return _book(_("报名名单"), header, rows, [6, 12, 14, 30, 14, 12, 9, 9, 12, 8, 8, 17])


def signin_rows(*, association: Association, event: Event) -> list[Registration]:
    return list(
        selectors.registrations(association=association, event=event, status="confirmed").order_by(
            "company", "name"
        )
    )


def signin_xlsx(*, association: Association, event: Event) -> bytes:
    """A printable sign-in sheet: one row per confirmed registrant with an empty signature
    box (and the number of companions)."""
    regs = signin_rows(association=association, event=event)
    header = [_("序号"), _("姓名"), _("单位"), _("随行人数"), _("签到码"), _("签名")]
    rows: list[list[object]] = [
        [i, r.name, r.company, r.companions or "", tickets.display_code(r.code), ""]
        for i, r in enumerate(regs, 1)
    ]
    data = _book(_("签到表"), header, rows, [6, 14, 34, 9, 12, 22])
    return _with_borders(data)


def _with_borders(data: bytes) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows():
        for cell in row:
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            cell.alignment = Alignment(vertical="center")
    for index in range(2, sheet.max_row + 1):
        sheet.row_dimensions[index].height = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
