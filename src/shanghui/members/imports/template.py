"""The import template workbook offered for download."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from shanghui.associations.models import Association
from shanghui.core.excel import safe_cell
from shanghui.members.imports.columns import (
    COLUMN_KEYS,
    COLUMNS,
    EXAMPLE_NAME,
    EXAMPLE_USCC,
    REQUIRED_KEYS,
)
from shanghui.members.models import Level


def template_workbook(association: Association) -> bytes:
    """The import template: the columns in Chinese with an example row (refused if imported
    by mistake), and a sheet explaining each column with this association's levels. Every
    cell is neutralised against formulas: a level named "=HYPERLINK(…)" stays text."""
    levels = list(
        Level.objects.filter(association=association, is_active=True).values_list("name", flat=True)
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("会员")
    sheet.append([safe_cell(c.label) for c in COLUMNS])
    example = {
        "kind": _("企业会员"),
        "name": EXAMPLE_NAME,
        "uscc": EXAMPLE_USCC,
        "legal_representative": "龚志军",
        "industry_code": "32",
        "region_code": "360731",
        "address": "江西省赣州市于都县工业园区示例路 1 号",
        "hometown_code": "360731",
        "level": levels[-1] if levels else "",
        "joined_on": date(2024, 3, 1),
        "member_no": "",
        "rep_name": "龚志军",
        "rep_title": "董事长",
        "rep_phone": "13912345678",
        "introduction": _("示例行：填写前请删除此行"),
    }
    sheet.append([safe_cell(example[c.key]) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="FFB91C1C" if column.key in REQUIRED_KEYS else None)
        header.fill = PatternFill("solid", fgColor="FFEFF3F8")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4)
        if column.text:  # Excel keeps codes and phone numbers as typed, leading zeros too
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.cell(row=2, column=COLUMN_KEYS.index("joined_on") + 1).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    rows: list[list[object]] = [[_("列名"), _("说明"), _("可识别的其他表头")]]
    rows += [[column.label, column.hint, "、".join(column.synonyms)] for column in COLUMNS]
    rows.append([])
    rows.append([_("本会会员级别"), "、".join(levels) or _("（尚未设置）")])
    rows.append(
        [
            _("说明"),
            _(
                "第一个工作表为会员名单，表头在第一行（上方可有标题行）；每行一位会员；"
                "最多 100,000 行。"
            ),
        ]
    )
    for row in rows:
        notes.append([safe_cell(value) for value in row])
    for letter, width in (("A", 16), ("B", 56), ("C", 60)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
