"""The isolation walker's objects of the network (core/tests/test_isolation_walker.py): B's
objects that a member or administrator of A must never reach — each by its parameter name —
and texts only B's pages show. B's listing is "this association only": A's people must get
404 for it (a platform-wide listing is meant to be seen; its own tests show what of it)."""

from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    markers: list[str] = []
    for part in (_listings, _search, _conversations):
        part_values, part_markers = part(side_b)
        values.update(part_values)
        markers.extend(part_markers)
    return values, markers


def _listings(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []


def _search(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []


def _conversations(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []
