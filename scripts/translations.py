"""Regenerates the translation catalogues.

The msgids are the Simplified Chinese texts themselves, so 简体中文 needs no catalogue.
繁體中文 is converted from each msgid with OpenCC (s2t) — a person may still correct an entry
by hand; it is kept unless its msgid changes. English is translated by hand in
src/shanghui/locale/en/LC_MESSAGES/django.po; untranslated entries fall back to Chinese.

Needs GNU gettext (Debian package `gettext`). Run with `make messages`.
"""

import subprocess
import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "shanghui"
LOCALE = PACKAGE / "locale"


def run(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=cwd, check=True)  # noqa: S603 - our own manage.py with fixed arguments


def fill_traditional(path: Path) -> int:
    converter = opencc.OpenCC("s2t")
    catalog = polib.pofile(str(path))
    changed = 0
    for entry in catalog:
        if entry.obsolete:
            continue
        if not entry.msgstr or "fuzzy" in entry.flags:
            entry.msgstr = converter.convert(entry.msgid)
            if entry.msgid_plural:
                entry.msgstr_plural = {0: converter.convert(entry.msgid_plural)}
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            changed += 1
    catalog.save()
    return changed


def main() -> None:
    LOCALE.mkdir(exist_ok=True)
    run(
        "makemessages",
        "-l",
        "zh_Hant",
        "-l",
        "en",
        "--no-location",
        "--no-obsolete",
        "-i",
        "tests/*",
        "-i",
        "testing/*",
        "-i",
        "static/*",
        cwd=PACKAGE,
    )
    filled = fill_traditional(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po")
    english = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    print(f"繁體: {filled} entries converted; English: {english.percent_translated()}% translated")
    run("compilemessages", "--ignore", ".venv", cwd=PACKAGE)


if __name__ == "__main__":
    main()
