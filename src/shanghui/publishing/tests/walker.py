"""Teaches the isolation walker this app's objects of association B (each part in its own
module)."""

from shanghui.publishing.tests import announcement_walker
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    values, markers = announcement_walker.foreign_objects(side_b)
    return values, markers
