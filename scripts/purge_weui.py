"""Cuts WeUI's stylesheet down to what our pages use (issue 15.3).

    python scripts/purge_weui.py          # rewrites static/vendor/weui/weui.purged.min.css
    python scripts/purge_weui.py --check  # exits 1 if that file is not what it would write

WeUI ships one 188 KB stylesheet of every widget it has; the mobile pages use a few dozen of
its classes. This reads the vendored `weui.min.css` (kept unmodified beside the output) and
keeps, in the original order:

- every selector whose classes are all `weui-…` classes our sources name (a selector of a
  rule listing several is dropped alone); selectors without classes (`body`, `html`,
  `[class^=weui-icon-]`) stay; `.wx-root` (WeChat mini-programs' root) is not ours and goes;
- the custom properties (`--weui-FG-1`, the dark-mode palette) that a kept declaration, one of
  our stylesheets, templates or scripts reads through `var()`, following `var()`s inside
  their values, in every `@media (prefers-color-scheme: dark)` block too;
- `@keyframes` a kept `animation` names and `@font-face` a kept `font-family` names.

"Our sources" are the templates of every app, our JavaScript and stylesheets (not vendor/),
and the non-test Python modules (form widgets may set classes). A class written with a
template or JavaScript value inside it — `weui-btn_{{ kind }}`, `"weui-icon-" + name` — counts
as a prefix: every WeUI class that starts with it is kept. tests/test_page_weight.py fails
when a template names a WeUI class the purged file lacks, so run this after adding one.
"""

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2 import ast
from tinycss2.serializer import serialize_identifier

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "shanghui"
SOURCE = PACKAGE / "static" / "vendor" / "weui" / "weui.min.css"
TARGET = PACKAGE / "static" / "vendor" / "weui" / "weui.purged.min.css"

# A class name in markup or code: not the tail of `--weui-x` or `data-weui-theme`. A name
# cut short by a template tag or a string ending (`weui-btn_{{`, `"weui-icon-" +`) is a prefix.
NAME = re.compile(r"(?<![\w-])weui-[A-Za-z0-9_-]*")
INTERPOLATION = ("{{", "${", "{%", '" +', "' +", '"+', "'+", "` +")
VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
GROUPING_RULES = {"media", "supports"}
NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Used:
    """The WeUI classes our sources name: exact names, and prefixes of built names."""

    def __init__(self, names: Iterable[str] = (), prefixes: Iterable[str] = ()) -> None:
        self.names = set(names)
        self.prefixes = set(prefixes)

    def __contains__(self, name: str) -> bool:
        return name in self.names or any(name.startswith(p) for p in self.prefixes)


def scan(text: str, used: Used) -> None:
    for match in NAME.finditer(text):
        name, rest = match.group(), text[match.end() : match.end() + 3]
        if name == "weui-":
            continue  # prose ("weui-…"); a name built wholly from a value cannot be traced
        if name.endswith(("-", "_")) or rest.startswith(INTERPOLATION):
            # A conditional class (`weui-cell{% if x %} is-on{% endif %}`) is still a whole
            # name; only a tag glued to a name that goes on is a built one.
            whole = rest.startswith("{%") and not name.endswith(("-", "_"))
            (used.names if whole else used.prefixes).add(name)
        else:
            used.names.add(name)


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        parts = set(path.relative_to(PACKAGE).parts)
        if not path.is_file() or parts & {"vendor", "locale", "tests", "testing", "migrations"}:
            continue
        if path.suffix in {".js", ".css", ".py"} or (
            "templates" in parts and path.suffix in {".html", ".txt"}
        ):
            yield path


def used_in_sources() -> tuple[Used, set[str]]:
    """The WeUI classes our sources name, and the custom properties they read."""
    used, variables = Used(), set[str]()
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        variables.update(VAR.findall(text))
        if path.suffix != ".css":  # our stylesheets style WeUI's classes; they do not use them
            scan(text, used)
    return used, variables


# -- the stylesheet ------------------------------------------------------------------------


def split_selectors(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    selectors: list[list[ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def classes(selector: list[ast.Node]) -> list[str]:
    """The classes an element needs for ``selector`` to match it: those inside :is(),
    :where() or :has() too, not those inside :not() (`.weui-btn:not(.weui-btn_disabled)`
    matches our buttons whether or not we ever disable one)."""
    found: list[str] = []
    previous: ast.Node | None = None
    for token in selector:
        after_dot = previous is not None and previous.type == "literal" and previous.value == "."
        if token.type == "ident" and after_dot:
            found.append(token.value)
        if token.type == "function" and token.lower_name != "not":
            found.extend(classes(token.arguments))
        previous = token
    return found


BLOCKS = {"() block": "()", "[] block": "[]", "{} block": "{}"}


def css(nodes: Iterable[ast.Node]) -> str:
    """The nodes written back as they were read. tinycss2.serialize puts an empty comment
    between tokens it fears would merge (`:nth-child(n/**/+2)`), which some browsers' An+B
    parsers refuse; the tokens here come from CSS text, so writing them side by side is
    safe."""
    return "".join(_css(node) for node in nodes).strip()


def _css(node: ast.Node) -> str:
    if node.type == "function":
        return f"{serialize_identifier(node.name)}({css(node.arguments)})"
    if node.type in BLOCKS:
        opening, closing = BLOCKS[node.type]
        return f"{opening}{css(node.content)}{closing}"
    return str(node.serialize())


def declarations(rule: ast.QualifiedRule | ast.AtRule) -> list[ast.Declaration]:
    parsed = tinycss2.parse_declaration_list(
        rule.content or [], skip_comments=True, skip_whitespace=True
    )
    return [d for d in parsed if d.type == "declaration"]


def write_declaration(declaration: ast.Declaration) -> str:
    important = "!important" if declaration.important else ""
    return f"{declaration.name}:{css(declaration.value)}{important}"


class Purge:
    def __init__(self, used: Used, variables: Iterable[str] = ()) -> None:
        self.used = used
        self.read_variables = set(variables)  # custom properties our own files read

    def run(self, stylesheet: str) -> str:
        nodes = tinycss2.parse_stylesheet(stylesheet, skip_comments=False, skip_whitespace=True)
        kept = self.select(nodes)
        needed = self.needed_variables(kept)
        text = "".join(self.write(kept, needed))
        # tinycss2 writes string values unescaped (`"\\00A0"` becomes a no-break space); escape
        # them again so the file stays ASCII, as WeUI's is, whatever charset it is served with.
        return NON_ASCII.sub(lambda m: f"\\{ord(m.group()):06x}", text) + "\n"

    # First pass: the rules whose selectors we use, with all their declarations.
    def select(self, nodes: Iterable[ast.Node]) -> list[tuple[ast.Node, Any]]:
        kept: list[tuple[ast.Node, Any]] = []
        for node in nodes:
            if node.type == "comment" and node.value.startswith("!"):  # the licence
                kept.append((node, None))
            elif node.type == "qualified-rule":
                selectors = [
                    s
                    for s in split_selectors(node.prelude)
                    if all(c in self.used for c in classes(s))
                ]
                if selectors:
                    kept.append((node, (selectors, declarations(node))))
            elif node.type == "at-rule" and node.lower_at_keyword in GROUPING_RULES:
                inner = tinycss2.parse_rule_list(node.content or [], skip_whitespace=True)
                chosen = self.select(inner)
                if chosen:
                    kept.append((node, chosen))
            elif node.type == "at-rule":
                kept.append((node, None))  # @keyframes, @font-face, @charset: decided later
        return kept

    def needed_variables(self, kept: list[tuple[ast.Node, Any]]) -> set[str]:
        """Custom properties read by a kept declaration or by our files, and those their
        values read in turn."""
        definitions: dict[str, list[str]] = {}
        needed = set(self.read_variables)
        for declaration in self.declarations(kept):
            value = css(declaration.value)
            if declaration.name.startswith("--"):
                definitions.setdefault(declaration.name, []).append(value)
            else:
                needed.update(VAR.findall(value))
        frontier = list(needed)
        while frontier:
            for value in definitions.get(frontier.pop(), []):
                for name in VAR.findall(value):
                    if name not in needed:
                        needed.add(name)
                        frontier.append(name)
        return needed

    def declarations(self, kept: list[tuple[ast.Node, Any]]) -> Iterator[ast.Declaration]:
        for node, detail in kept:
            if node.type == "qualified-rule":
                yield from detail[1]
            elif node.type == "at-rule" and node.lower_at_keyword in GROUPING_RULES:
                yield from self.declarations(detail)

    def write(self, kept: list[tuple[ast.Node, Any]], needed: set[str]) -> Iterator[str]:
        names = self.named_things(kept)
        for node, detail in kept:
            if node.type == "comment":
                yield f"/*{node.value}*/"
            elif node.type == "qualified-rule":
                selectors, declared = detail
                body = [
                    write_declaration(d)
                    for d in declared
                    if not d.name.startswith("--") or d.name in needed
                ]
                if body:
                    yield ",".join(css(s) for s in selectors) + "{" + ";".join(body) + "}"
            elif node.lower_at_keyword in GROUPING_RULES:
                inner = "".join(self.write(detail, needed))
                if inner:
                    yield f"@{node.at_keyword} {css(node.prelude)}{{{inner}}}"
            elif node.lower_at_keyword.endswith("keyframes"):
                if css(node.prelude) in names:
                    yield css([node])
            elif node.lower_at_keyword == "font-face":
                families = [css(d.value).strip("\"'") for d in declarations(node)
                            if d.lower_name == "font-family"]  # fmt: skip
                if set(families) & names:
                    yield css([node])
            else:
                yield css([node])

    def named_things(self, kept: list[tuple[ast.Node, Any]]) -> set[str]:
        """Animation and font names the kept declarations use."""
        names: set[str] = set()
        for declaration in self.declarations(kept):
            if "animation" in declaration.lower_name or "font" in declaration.lower_name:
                for token in declaration.value:
                    if token.type in {"ident", "string"}:
                        names.add(token.value)
        return names


def purge(stylesheet: str, used: Used, variables: Iterable[str] = ()) -> str:
    return Purge(used, variables).run(stylesheet)


def purged_from_sources() -> str:
    used, variables = used_in_sources()
    return purge(SOURCE.read_text(encoding="utf-8"), used, variables)


def main(argv: list[str]) -> int:
    output = purged_from_sources()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != output:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run scripts/purge_weui.py")
            return 1
        return 0
    TARGET.write_text(output, encoding="utf-8")
    size = SOURCE.stat().st_size
    print(f"{TARGET.relative_to(ROOT)}: {len(output.encode())} bytes (from {size})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
