"""Spreadsheet helpers shared by every import and export."""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit for the text of one cell.
CELL_MAX_CHARS = 32_767


def safe_cell(value: object) -> object:
    """Text as a cell can hold it, and never as a formula: control characters an xlsx cannot
    store are dropped (one such character in one row once made the whole export fail), text is
    cut at Excel's limit, and text a spreadsheet would run as a formula (CSV/formula
    injection) gets a leading apostrophe. Numbers and dates pass through unchanged."""
    if not isinstance(value, str):
        return value
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return value[:CELL_MAX_CHARS]
