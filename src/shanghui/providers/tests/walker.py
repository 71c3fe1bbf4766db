"""The isolation walker's objects of the providers (core/tests/test_isolation_walker.py): a
provider whose users A's people are not, its offer, lead and the application of B's member."""

from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    markers: list[str] = []
    for part in (_back_office, _choices):
        part_values, part_markers = part(side_b)
        values.update(part_values)
        markers.extend(part_markers)
    return values, markers


def _back_office(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []


def _choices(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []
