"""Spreadsheet helpers shared by every import and export."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralises text a spreadsheet would run as a formula (CSV/formula injection) by
    prefixing an apostrophe; numbers and dates pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
