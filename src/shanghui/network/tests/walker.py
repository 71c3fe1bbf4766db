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
    """B joined the network and its member opted in: an ``EnterpriseIndex`` row exists. A did
    not join, so B's enterprise is 404 to A's people; B's showcase item is B's alone."""
    from shanghui.core.tenancy import tenant_context
    from shanghui.network.models import EnterpriseIndex, NetworkSettings, ShowcaseItem
    from shanghui.network.services.showcase import enterprise_index_write

    b = side_b.association
    with tenant_context(b):
        NetworkSettings.objects.update_or_create(association=b, defaults={"joins_platform": True})
        member = side_b.member
        member.network_showcase = True
        member.save(update_fields=["network_showcase"])
        item = ShowcaseItem.objects.create(
            association=b, member=member, name="乙市独家展示产品", description="乙市展示说明"
        )
        enterprise_index_write(member)
        entry = EnterpriseIndex.objects.get(association=b, member_id=member.pk)
    return {"enterprise_id": str(entry.pk), "showcase_item_id": str(item.pk)}, ["乙市独家展示产品"]


def _conversations(side_b: Side) -> tuple[dict[str, str], list[str]]:
    return {}, []
