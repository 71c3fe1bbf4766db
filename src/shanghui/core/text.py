"""One cleaner for text arriving from outside — forms, the API, Excel imports.

People paste from Word, WeChat and web pages; attackers type escape sequences. Neither a bell
(``\\x07``), a terminal escape (``\\x1b[2J``), a C1 control, a byte-order mark nor a
bidirectional override (which makes ``gpj.exe`` read as ``exe.jpg``) is ever meant as text,
and each can break an export, a PDF or a log later. They are removed where input arrives, so
everything stored is printable; tabs and line breaks stay (lines are normalised to ``\\n``).
"""

import re

# C0 controls but tab and line feed, DEL, C1 controls; zero-width space, word joiner and BOM;
# bidirectional embeddings, overrides and isolates. (Zero-width (non-)joiners stay: emoji and
# some scripts need them.)
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
_JOINERS_ONLY = re.compile("^[\u200c\u200d\\s]*$")


def clean_text(value: str) -> str:
    """``value`` without control, invisible-only and direction-override characters."""
    if value.isprintable():  # the common case, checked in C
        return value
    text = _UNWANTED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "" if _JOINERS_ONLY.match(text) and text else text


def clean_data(value: object) -> object:
    """``clean_text`` applied to every string inside a parsed JSON body (keys included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    return value
