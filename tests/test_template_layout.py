"""Every app's templates follow one layout (docs/architecture.md): ``<app>/<audience>/<page>.html``
with the audience one of a fixed few, ``_name.html`` pieces beside the pages that include them
or at the app's top when several audiences do, and ``core/widgets/`` for form widgets. The
whole site's shells, includes and error pages stay in ``src/shanghui/templates/``."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "shanghui"
# provider: a service provider's back office (/p/<provider_slug>/, providers app).
AUDIENCES = {"member", "office", "platform", "provider", "public", "pdf"}


def misplaced(relative: Path) -> bool:
    """``relative`` is a template's path below its app's ``templates/<app>/`` folder."""
    parts = relative.parts
    if len(parts) == 1:
        return not parts[0].startswith("_")
    if len(parts) == 2:
        return parts[0] not in AUDIENCES
    return True


def app_templates() -> list[tuple[str, Path]]:
    found = []
    for app_dir in sorted(p for p in PACKAGE.glob("*/templates/*") if p.is_dir()):
        for path in sorted(app_dir.rglob("*.html")):
            found.append((app_dir.name, path.relative_to(app_dir)))
    return found


def test_app_templates_sit_in_audience_folders() -> None:
    wrong = [
        f"{app}/{relative}"
        for app, relative in app_templates()
        if not (app == "core" and relative.parts[0] == "widgets") and misplaced(relative)
    ]
    assert wrong == []


def test_the_layout_check_finds_what_it_looks_for() -> None:
    assert len(app_templates()) > 100
    assert misplaced(Path("office_members.html"))
    assert misplaced(Path("checkin/scan.html"))
    assert misplaced(Path("office/import/steps.html"))
    assert not misplaced(Path("office/members.html"))
    assert not misplaced(Path("_filter_select.html"))
