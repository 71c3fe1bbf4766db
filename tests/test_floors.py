"""The code stands on its floors (``shanghui.floors``, docs/architecture.md): no module imports
from a floor above its own at runtime, and no folders import each other in a circle. An
exception is named below with its reason, or it is a failure."""

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_graph.py"

# (importing folder, imported folder): why the arrow runs upward. Keep this empty.
ALLOWED: dict[tuple[str, str], str] = {}


def _graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_runs_upward() -> None:
    # Type-only imports (under TYPE_CHECKING) count too: a lower floor names what it needs of
    # a higher one as a Protocol (core/types.py), never the class itself.
    graph = _graph()
    upward = [
        f"{line.source}:{line.line} -> {line.target}"
        for line in graph.all_imports()
        if graph.runs_upward(line) and graph.folder_pair(line) not in ALLOWED
    ]
    assert upward == []


def test_no_folders_import_each_other_in_a_circle() -> None:
    graph = _graph()
    assert graph.folder_circles(allowed=set(ALLOWED)) == []


def test_every_folder_has_a_floor() -> None:
    assert _graph().folders_without_a_floor() == []
