"""Measures how the code stands on its floors: which top-level folders of ``src/shanghui`` import
which, the arrows that run upward against the floor order of docs/architecture.md, the circles
between folders and between modules, imports inside function bodies, and module sizes.

    .venv/bin/python scripts/import_graph.py            # the figures
    .venv/bin/python scripts/import_graph.py --arrows   # every upward import line
    .venv/bin/python scripts/import_graph.py --deps     # what each folder imports

The floor order is ``shanghui.floors.FLOORS``; ``tests/test_floors.py`` holds the code to it."""

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(ROOT))

from shanghui.floors import floor_of, is_upward  # noqa: E402

PACKAGE = ROOT / "shanghui"
SKIPPED_PARTS = {"migrations", "tests", "testing", "static", "templates", "locale"}


@dataclass(frozen=True)
class ImportLine:
    source: str  # dotted module that imports
    target: str  # dotted module imported
    line: int
    in_function: bool
    type_only: bool  # under ``if TYPE_CHECKING:`` — names a type for mypy, no runtime arrow


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts):
            continue
        yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> Iterator[ImportLine]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    source = module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> Iterator[ImportLine]:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            typing = type_only or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("shanghui."):
                        yield ImportLine(source, alias.name, child.lineno, inside, typing)
            elif isinstance(child, ast.ImportFrom):
                target = child.module or ""
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    target = ".".join([*base, target] if target else base)
                if target.startswith("shanghui."):
                    yield ImportLine(source, target, child.lineno, inside, typing)
            yield from visit(child, inside, typing)

    yield from visit(tree, False, False)


def folder(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in list(graph):
        if node not in index:
            connect(node)
    return found


def all_imports() -> list[ImportLine]:
    return [line for path in source_files() for line in imports_of(path)]


def runtime_imports() -> list[ImportLine]:
    return [line for line in all_imports() if not line.type_only]


def folder_pair(line: ImportLine) -> tuple[str, str]:
    return folder(line.source), folder(line.target)


def runs_upward(line: ImportLine) -> bool:
    return is_upward(*folder_pair(line))


def folder_graph(lines: list[ImportLine], allowed: set[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        source, target = folder_pair(line)
        if source != target and (source, target) not in allowed:
            graph[source].add(target)
    return graph


def folder_circles(allowed: set[tuple[str, str]] | None = None) -> list[list[str]]:
    return circles(folder_graph(runtime_imports(), allowed or set()))


def folders_without_a_floor() -> list[str]:
    pairs = {folder_pair(line) for line in all_imports()}
    return sorted({name for pair in pairs for name in pair if floor_of(name) is None})


def main() -> None:
    every_line = all_imports()
    lines = [line for line in every_line if not line.type_only]
    modules = {module_name(path) for path in source_files()}

    def resolve(target: str) -> str:
        # ``from shanghui.core import tenancy`` names a module inside a package
        while target not in modules and "." in target:
            target = target.rpartition(".")[0]
        return target

    module_graph: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if not line.in_function:
            module_graph[line.source].add(resolve(line.target))
    upward = [line for line in lines if runs_upward(line)]
    folders = folder_graph(lines, set())
    arrows = sum(len(targets) for targets in folders.values())
    sizes = sorted(
        (
            (len(path.read_text(encoding="utf-8").splitlines()), module_name(path))
            for path in source_files()
        ),
        reverse=True,
    )
    type_only_upward = [x for x in every_line if x.type_only and runs_upward(x)]

    print(f"arrows between folders: {arrows}")
    upward_pairs = sorted({folder_pair(x) for x in upward})
    print(f"upward arrows between folders: {len(upward_pairs)}  {upward_pairs}")
    print(f"upward import lines: {len(upward)}")
    print(f"upward type-only import lines (under TYPE_CHECKING): {len(type_only_upward)}")
    print(f"circles between folders: {circles(folders)}")
    print(f"circles between modules (top-level imports): {circles(module_graph)}")
    print(f"imports inside function bodies: {sum(line.in_function for line in lines)}")
    print(f"largest module: {sizes[0][1]} ({sizes[0][0]} lines)")
    print(f"modules over 600 lines: {sum(size > 600 for size, _ in sizes)}")
    if folders_without_a_floor():
        print(f"folders without a floor: {folders_without_a_floor()}")
    if "--deps" in sys.argv:
        for name in sorted(folders, key=lambda f: (floor_of(f) or 0, f)):
            print(f"  {name}: {', '.join(sorted(folders[name], key=lambda f: floor_of(f) or 0))}")
    if "--arrows" in sys.argv:
        for line in upward:
            print(f"  {line.source}:{line.line} -> {line.target}")


if __name__ == "__main__":
    main()
