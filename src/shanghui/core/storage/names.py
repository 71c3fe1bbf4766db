"""The display name of a stored file: what a person called it, kept as readable as possible
(Chinese characters, spaces, full-width punctuation), with everything removed that could
name another place or hide what the file is.

A display name is never a storage key (content is stored by its hash), but it becomes a file
name again on every download, in a bulk-download zip and on the user's Windows or phone: so
no path separators or ``..`` (zip slip), no control or direction-override characters
("报告\u202excod.exe" showing as "报告exe.docx"), no leading dot (a hidden file), no name
that Windows reserves (CON, NUL, COM1 …), and no more than ``NAME_MAX_BYTES`` in UTF-8 —
shortened before the extension, which is kept.
"""

import re
import unicodedata

NAME_MAX_BYTES = 240  # a file name is at most 255 bytes on most file systems; room for " (2)"
EXTENSION_MAX_CHARS = 16
# ASCII characters Windows refuses in a file name (path separators are handled first).
WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³"]
)
# Control, format (direction marks, zero-width), surrogate, private-use and unassigned
# characters are dropped; line and paragraph separators and other spaces become a space.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})


def _clean_characters(text: str) -> str:
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f" or category in SPACE_CATEGORIES:
            kept.append(" ")
        elif category not in DROPPED_CATEGORIES:
            kept.append(char)
    return " ".join("".join(kept).split())


def _cut_to_bytes(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")  # never half a character


def display_name(name: str, *, fallback: str = "未命名文件") -> str:
    """``name`` as a safe display name: Unicode NFC; control and format characters dropped;
    path separators joining what is left of a path once ``.``, ``..`` and empty parts are
    dropped ("../../etc/passwd" → "etc_passwd"); characters Windows forbids replaced by
    ``_``; spaces collapsed; no leading dots or spaces, no trailing dots or spaces; a
    Windows-reserved stem prefixed with ``_``; at most ``NAME_MAX_BYTES`` bytes, shortened
    before the extension. A name with nothing left is ``fallback`` (with its extension)."""
    text = _clean_characters(unicodedata.normalize("NFC", name or ""))
    parts = [part.strip() for part in re.split(r"[/\\]", text)]
    text = "_".join(part for part in parts if part.strip(". "))
    text = WINDOWS_FORBIDDEN.sub("_", text)
    text = text.lstrip(". ").rstrip(". ")
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > EXTENSION_MAX_CHARS or " " in extension:
        stem, extension = text, ""
    stem = stem.rstrip(". ")
    if stem.split(".", 1)[0].strip().upper() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    stem = _cut_to_bytes(stem, NAME_MAX_BYTES - len(suffix.encode())).rstrip(". ")
    return f"{stem or fallback}{suffix}"
