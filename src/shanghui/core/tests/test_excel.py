"""core.excel: the one-sheet xlsx every export builds is formula-safe and keeps its rows."""

import io
from datetime import datetime

from openpyxl import load_workbook

from shanghui.core.excel import xlsx_table


def test_xlsx_table_writes_safe_cells_under_a_cut_title() -> None:
    data = xlsx_table(
        "回执" * 20,
        ["姓名", "=SUM(A1)"],
        iter([["龚氏", "=cmd|' /C calc'!A0"], ["曾先生", 3], ["单女士", datetime(2026, 12, 7, 9)]]),
    )
    book = load_workbook(io.BytesIO(data))
    (sheet,) = book.worksheets
    assert sheet.title == ("回执" * 20)[:31]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["姓名", "'=SUM(A1)"],
        ["龚氏", "'=cmd|' /C calc'!A0"],
        ["曾先生", 3],
        ["单女士", datetime(2026, 12, 7, 9)],
    ]
