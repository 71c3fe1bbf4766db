"""The mobile pages link WeUI's stylesheet cut to the classes they use
(scripts/purge_weui.py, issue 15.3). What keeps that safe: a template that starts using a WeUI
class the cut file lacks fails here, instead of silently losing its styling."""

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLASS = re.compile(r"\.(weui-[A-Za-z0-9_-]+)")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("purge_weui", ROOT / "scripts" / "purge_weui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


purge_weui = load_script()


def defined(css: str) -> set[str]:
    return set(CLASS.findall(css))


def missing(used: object, full: str, purged: str) -> list[str]:
    """WeUI classes ``used`` names that WeUI defines and the purged file does not."""
    kept = defined(purged)
    return sorted(c for c in defined(full) if c in used and c not in kept)  # type: ignore[operator]


@pytest.fixture(scope="module")
def full() -> str:
    return purge_weui.SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def purged() -> str:
    return purge_weui.TARGET.read_text(encoding="utf-8")


def test_the_mobile_shell_links_the_purged_stylesheet() -> None:
    shell = (ROOT / "src" / "shanghui" / "templates" / "base_mobile.html").read_text()
    assert "vendor/weui/weui.purged.min.css" in shell
    assert "weui.min.css" not in shell


def test_every_weui_class_a_template_uses_is_in_the_purged_stylesheet(
    full: str, purged: str
) -> None:
    used, _variables = purge_weui.used_in_sources()
    # The scan finds what the pages visibly use (a scan that found nothing would pass).
    assert {"weui-cells", "weui-cell__bd", "weui-btn_primary", "weui-tabbar__item"} <= used.names
    lacking = missing(used, full, purged)
    assert lacking == [], f"run scripts/purge_weui.py: the purged WeUI lacks {lacking}"


def test_the_committed_file_is_what_the_script_writes(purged: str) -> None:
    assert purged == purge_weui.purged_from_sources(), "run scripts/purge_weui.py"


def test_the_purge_cuts_most_of_weui(full: str, purged: str) -> None:
    assert len(purged) < len(full) / 5
    assert purged.startswith("/*!\n * WeUI v2.6.26")  # the licence notice stays


# -- the purge itself, on small stylesheets ------------------------------------------------


def run(css: str, names: set[str], variables: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    return purge_weui.purge(css, purge_weui.Used(names), variables).strip()


def test_selectors_are_kept_only_when_all_their_classes_are_used() -> None:
    css = (
        ".weui-a,.weui-b{color:red}"
        ".weui-a .weui-c{color:blue}"
        ".weui-a:not(.weui-c){margin:0}"
        ".wx-root,body{line-height:1.6}"
        "[class^=weui-icon-]{display:inline-block}"
        ".weui-b:nth-last-child(n+2){top:0}"
    )
    assert run(css, {"weui-a"}) == (
        ".weui-a{color:red}"
        ".weui-a:not(.weui-c){margin:0}"
        "body{line-height:1.6}"
        "[class^=weui-icon-]{display:inline-block}"
    )
    assert ".weui-b:nth-last-child(n+2){top:0}" in run(css, {"weui-b"})


def test_custom_properties_follow_what_is_read_in_light_and_dark() -> None:
    css = (
        "body{--weui-FG-0:#000;--weui-BRAND:#07c160;--weui-LINK:var(--weui-BLUE);"
        "--weui-BLUE:#10aeff;--weui-RED:#fa5151}"
        "@media (prefers-color-scheme:dark){body:not([data-weui-theme=light])"
        "{--weui-FG-0:#fff;--weui-RED:#f00}.weui-gone{color:red}}"
        ".weui-link{color:var(--weui-LINK)}.weui-gone{color:var(--weui-RED)}"
    )
    assert run(css, {"weui-link"}, {"--weui-FG-0"}) == (
        "body{--weui-FG-0:#000;--weui-LINK:var(--weui-BLUE);--weui-BLUE:#10aeff}"
        "@media (prefers-color-scheme:dark){body:not([data-weui-theme=light]){--weui-FG-0:#fff}}"
        ".weui-link{color:var(--weui-LINK)}"
    )


def test_keyframes_and_font_faces_stay_while_a_kept_rule_names_them() -> None:
    css = (
        "@keyframes a{0%{opacity:0}to{opacity:1}}@keyframes b{0%{top:0}}"
        '@font-face{font-family:"weui-glyphs";src:url(x.woff2)}'
        ".weui-toast{animation:a .3s}.weui-loading{animation:b 1s}"
        '.weui-icon{font-family:"weui-glyphs"}'
    )
    assert (
        run(css, {"weui-toast"})
        == "@keyframes a{0%{opacity:0}to{opacity:1}}.weui-toast{animation:a .3s}"
    )
    assert run(css, {"weui-icon"}).startswith('@font-face{font-family:"weui-glyphs"')


def test_the_scan_reads_classes_built_in_templates_and_scripts() -> None:
    used = purge_weui.Used()
    purge_weui.scan(
        '<a class="weui-btn weui-btn_{{ kind }}{% if x %} weui-btn_disabled{% endif %}">'
        '<i class="{% if ok %}weui-icon-success{% else %}weui-icon-warn{% endif %}"></i>'
        '<p style="color:var(--weui-FG-1)" data-weui-theme="dark">'
        'el.classList.add("weui-cell_" + state); el.className = "weui-loading" + suffix;',
        used,
    )
    assert used.names == {"weui-btn", "weui-btn_disabled", "weui-icon-success", "weui-icon-warn"}
    assert used.prefixes == {"weui-btn_", "weui-cell_", "weui-loading"}
    assert "weui-btn_primary" in used and "weui-cell_access" in used
    assert "weui-FG-1" not in used and "weui-theme" not in used and "weui-cells" not in used


def test_a_template_starting_to_use_a_dropped_class_fails_the_check(full: str, purged: str) -> None:
    used, _variables = purge_weui.used_in_sources()
    purge_weui.scan('<div class="weui-dialog"><a class="weui-dialog__btn_{{ kind }}">', used)
    assert missing(used, full, purged) == [
        "weui-dialog",
        "weui-dialog__btn_default",
        "weui-dialog__btn_disabled",
        "weui-dialog__btn_warn",
    ]
