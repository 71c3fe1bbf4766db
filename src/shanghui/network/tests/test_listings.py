"""Posting, editing, renewing, withdrawing and expiring listings (part L services), and what
each change does to the platform index."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from shanghui.core.models import AuditEntry, InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.network.models import (
    Listing,
    ListingIndex,
    PlatformBlock,
    PosterBlock,
    SensitiveWord,
    Visibility,
)
from shanghui.network.moderation_words import find_sensitive
from shanghui.network.services import listings as services
from shanghui.network.services import moderation
from shanghui.network.tests.listing_helpers import join, listing_input, post
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def test_a_members_listing_is_published_with_its_facts(side_a: Side) -> None:
    listing = post(side_a)
    assert listing.status == Listing.Status.PUBLISHED and listing.published_at is not None
    assert listing.member == side_a.member and listing.budget == Decimal("1200000.00")
    assert not ListingIndex.objects.exists()  # this association only: no index row
    with tenant_context(side_a.association):
        assert AuditEntry.objects.filter(action="network.listing.create").count() == 1


def test_only_a_representative_may_post(side_a: Side) -> None:
    with tenant_context(side_a.association), pytest.raises(ValidationError, match="会员企业"):
        services.listing_create(
            association=side_a.association, actor=side_a.admin, data=listing_input()
        )


def test_each_field_is_checked(side_a: Side) -> None:
    too_late = timezone.localdate() + timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        post(
            side_a,
            kind="x",
            title="",
            industry_code="C",
            region_code="999999",
            valid_until=too_late,
            budget="1e5",
        )
    errors = refused.value.message_dict
    assert set(errors) >= {"kind", "title", "industry_code", "region_code", "valid_until", "budget"}
    assert "一年" in errors["valid_until"][0]


def test_platform_visibility_needs_the_association_in_the_network(side_a: Side) -> None:
    with pytest.raises(ValidationError, match="尚未加入平台供需网络"):
        post(side_a, visibility="platform")
    join(side_a)
    listing = post(side_a, visibility="platform")
    entry = ListingIndex.objects.get(listing_id=listing.pk)
    assert entry.visibility == Visibility.PLATFORM and entry.member_uscc == side_a.member.uscc
    assert entry.words.exists()


def test_a_sensitive_word_is_refused_by_name(side_a: Side) -> None:
    with pytest.raises(ValidationError, match="代开发票"):
        post(side_a, body="可以代 开 發 票")
    SensitiveWord.objects.create(word="包过")
    with pytest.raises(ValidationError, match="包过"):
        post(side_a, title="资质包过")
    assert find_sensitive("采购钢材") is None


def test_blocked_people_cannot_post(side_a: Side) -> None:
    join(side_a)
    PlatformBlock.objects.create(user=side_a.member_user, reason="x")
    with pytest.raises(ValidationError, match="平台已暂停"):
        post(side_a, visibility="platform")
    post(side_a, visibility="association")  # still inside the association
    with tenant_context(side_a.association):
        PosterBlock.objects.create(
            association=side_a.association, user=side_a.member_user, reason="x"
        )
    with pytest.raises(ValidationError, match="秘书处已暂停"):
        post(side_a)


def test_review_first_then_approve_publishes_and_tells_the_poster(side_a: Side) -> None:
    join(side_a, moderate=True)
    listing = post(side_a, visibility="platform")
    assert listing.status == Listing.Status.PENDING
    assert not ListingIndex.objects.exists()
    with tenant_context(side_a.association):
        moderation.listing_review(
            association=side_a.association, actor=side_a.admin, listing=listing, approve=True
        )
        assert InboxMessage.objects.get(user=side_a.member_user).kind == "network.listing_approved"
    assert ListingIndex.objects.filter(listing_id=listing.pk).exists()


def test_a_rejection_needs_a_reason_and_an_edit_resubmits(side_a: Side) -> None:
    join(side_a, moderate=True)
    listing = post(side_a)
    with tenant_context(side_a.association):
        with pytest.raises(ValidationError, match="原因"):
            moderation.listing_review(
                association=side_a.association, actor=side_a.admin, listing=listing, approve=False
            )
        rejected = moderation.listing_review(
            association=side_a.association,
            actor=side_a.admin,
            listing=listing,
            approve=False,
            note="请补充规格",
        )
        assert rejected.status == Listing.Status.REJECTED
        again = services.listing_update(
            association=side_a.association,
            actor=side_a.member_user,
            listing=rejected,
            data=listing_input(body="HRB400 φ12-25"),
        )
    assert again.status == Listing.Status.PENDING


def test_only_the_poster_edits(side_a: Side) -> None:
    listing = post(side_a)
    with tenant_context(side_a.association), pytest.raises(ValidationError):
        services.listing_update(
            association=side_a.association,
            actor=side_a.admin,
            listing=listing,
            data=listing_input(title="改"),
        )


def test_withdraw_takes_the_listing_out_of_the_index(side_a: Side) -> None:
    listing = post(side_a, visibility="federation")
    assert ListingIndex.objects.filter(listing_id=listing.pk).exists()
    with tenant_context(side_a.association):
        services.listing_withdraw(
            association=side_a.association, actor=side_a.member_user, listing=listing
        )
    assert not ListingIndex.objects.exists()


def test_expiry_and_renewal(side_a: Side) -> None:
    listing = post(side_a, visibility="federation")
    with tenant_context(side_a.association):
        Listing.objects.filter(pk=listing.pk).update(
            valid_until=timezone.localdate() - timedelta(days=1)
        )
    call_command("network_expire_listings")
    with tenant_context(side_a.association):
        listing.refresh_from_db()
        assert listing.status == Listing.Status.EXPIRED
        assert not ListingIndex.objects.exists()
        renewed = services.listing_renew(
            association=side_a.association, actor=side_a.member_user, listing=listing
        )
    assert renewed.status == Listing.Status.PUBLISHED and renewed.renewed_times == 1
    assert renewed.valid_until == timezone.localdate() + timedelta(days=90)
    assert ListingIndex.objects.filter(listing_id=listing.pk).exists()


def test_leaving_the_network_moves_platform_listings_to_the_federation(side_a: Side) -> None:
    join(side_a)
    listing = post(side_a, visibility="platform")
    join(side_a, joins=False)
    assert ListingIndex.objects.get(listing_id=listing.pk).visibility == Visibility.FEDERATION
    join(side_a)
    assert ListingIndex.objects.get(listing_id=listing.pk).visibility == Visibility.PLATFORM


def test_take_down_closes_reports_and_tells_the_poster(side_a: Side, side_b: Side) -> None:
    join(side_a)
    join(side_b)
    listing = post(side_a, visibility="platform")
    with tenant_context(side_b.association):
        report = moderation.listing_report(
            association=side_b.association,
            actor=side_b.member_user,
            listing_id=listing.pk,
            reason="fraud",
        )
        with pytest.raises(ValidationError, match="已举报过"):
            moderation.listing_report(
                association=side_b.association,
                actor=side_b.member_user,
                listing_id=listing.pk,
                reason="fraud",
            )
    assert report.platform_wide and report.listing_association == side_a.association
    operator = UserFactory(is_platform_operator=True)
    moderation.platform_report_handle(
        actor=operator, report=report, take_down=True, note="虚假信息", block_poster=True
    )
    report.refresh_from_db()
    assert report.outcome == "taken_down"
    assert PlatformBlock.objects.filter(user=side_a.member_user).exists()
    assert not ListingIndex.objects.exists()
    with tenant_context(side_a.association):
        listing.refresh_from_db()
        assert listing.status == Listing.Status.TAKEN_DOWN
        notice = InboxMessage.objects.get(user=side_a.member_user)
        assert "虚假信息" in notice.text


def test_the_person_export_and_deletion_cover_listings(side_a: Side) -> None:
    from shanghui.network import personal_data

    join(side_a)
    listing = post(side_a, visibility="platform")
    with tenant_context(side_a.association):
        rows = personal_data.tables(association=side_a.association, user=side_a.member_user)
        assert rows["供需信息"][0]["联系方式"] == "龚先生 13800001111"
        personal_data.unlink(association=side_a.association, user=side_a.member_user)
        listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN and listing.contact == ""
    assert not ListingIndex.objects.exists()
