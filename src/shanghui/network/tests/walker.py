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
    from datetime import timedelta

    from django.utils import timezone

    from shanghui.core.tenancy import tenant_context
    from shanghui.network.models import (
        Listing,
        ListingImage,
        ListingReport,
        PosterBlock,
        Visibility,
    )

    b = side_b.association
    with tenant_context(b):
        listing = Listing.objects.create(
            association=b,
            member=side_b.member,
            poster=side_b.member_user,
            kind="offer",
            title="乙市专供钢材",
            body="乙市仓库现货",
            industry_code="32",
            region_code="360100",
            valid_until=timezone.localdate() + timedelta(days=30),
            visibility=Visibility.ASSOCIATION,
            contact="乙市联系电话13800009999",
            status=Listing.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        image = ListingImage.objects.create(association=b, listing=listing)
        block = PosterBlock.objects.create(association=b, user=side_b.admin, reason="乙市测试")
    report = ListingReport.objects.create(
        listing_association=b,
        listing_id=listing.pk,
        reporter=side_b.admin,
        reason=ListingReport.Reason.OTHER,
        text="乙市举报说明",
    )
    values = {
        "listing_id": str(listing.pk),
        "listing_image_id": str(image.pk),
        "report_id": str(report.pk),
        "block_id": str(block.pk),
    }
    return values, ["乙市专供钢材", "乙市联系电话13800009999", "乙市举报说明"]


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
    """A conversation (and its deal) between two members of B about B's listing: A's people
    — its administrator too — get 404 on every route naming either."""
    from shanghui.accounts.models import Role
    from shanghui.core.tenancy import person_context
    from shanghui.network.models import Conversation, Deal, Message
    from shanghui.testing.factories import RoleFactory, UserFactory

    b = side_b.association
    inquirer = UserFactory(name="乙市询价人")
    RoleFactory(association=b, user=inquirer, kind=Role.Kind.MEMBER)
    with person_context(inquirer):
        conversation = Conversation.objects.create(
            poster_association=b,
            listing_id=987654,
            listing_title="乙市内部询价洽谈",
            poster=side_b.member_user,
            poster_member_id=side_b.member.pk,
            inquirer_association=b,
            inquirer=inquirer,
        )
        Message.objects.create(
            conversation=conversation,
            sender=inquirer,
            recipient=side_b.member_user,
            text="乙市洽谈密语",
        )
    with person_context(side_b.member_user):
        deal = Deal.objects.create(
            conversation=conversation,
            poster_association=b,
            inquirer_association=b,
            poster=side_b.member_user,
            inquirer=inquirer,
            listing_id=987654,
        )
    return (
        {"conversation_id": str(conversation.pk), "deal_id": str(deal.pk)},
        ["乙市内部询价洽谈", "乙市洽谈密语"],
    )
