"""Listings across associations as production runs them: on PostgreSQL as the application
role, a member of another association opens a platform-wide listing only through
``access_listing`` (read inside the poster's scope, no contact), reports it, and the platform
operator takes it down inside the listing's association; leaving the network and expiry keep
the index in line."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.network.models import Listing, ListingIndex, ListingReport
from shanghui.network.selectors.access import access_listing
from shanghui.network.services import listings as services
from shanghui.network.services import moderation
from shanghui.network.services.settings import network_settings_update
from shanghui.network.tests.listing_helpers import listing_input
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def _join(side: Side, joins: bool = True) -> None:
    with tenant_context(side.association):
        network_settings_update(
            association=side.association,
            actor=side.admin,
            joins_platform=joins,
            moderate_before_publishing=False,
        )


def test_a_platform_listing_crosses_associations_only_through_its_door(
    side_a: Side, side_b: Side
) -> None:
    operator = UserFactory(is_platform_operator=True)
    with as_app_role():
        _join(side_a)
        _join(side_b)
        with tenant_context(side_a.association):
            shared = services.listing_create(
                association=side_a.association,
                actor=side_a.member_user,
                data=listing_input(visibility="platform", title="采购平台钢材"),
            )
            local = services.listing_create(
                association=side_a.association,
                actor=side_a.member_user,
                data=listing_input(title="本会内部采购"),
            )
        with tenant_context(side_b.association):
            # The tenant wall: B's scope reads none of A's listings directly.
            assert not Listing.objects.filter(pk=shared.pk).exists()
            view = access_listing(
                association=side_b.association,
                viewer_id=side_b.member_user.pk,
                listing_id=shared.pk,
            )
            assert view.title == "采购平台钢材" and view.contact == ""
            assert view.enterprise == side_a.member.name
            with pytest.raises(Http404):
                access_listing(
                    association=side_b.association,
                    viewer_id=side_b.member_user.pk,
                    listing_id=local.pk,
                )
            # After the door, B's scope holds again.
            assert not Listing.objects.filter(pk=shared.pk).exists()
            with pytest.raises(ValidationError):
                services.listing_withdraw(
                    association=side_b.association, actor=side_b.member_user, listing=shared
                )
            report = moderation.listing_report(
                association=side_b.association,
                actor=side_b.member_user,
                listing_id=shared.pk,
                reason="fraud",
            )
        assert report.platform_wide
        handled = moderation.platform_report_handle(
            actor=operator, report=report, take_down=True, note="虚假信息", block_poster=False
        )
        assert handled.outcome == ListingReport.Outcome.TAKEN_DOWN
        assert not ListingIndex.objects.filter(listing_id=shared.pk).exists()
        with tenant_context(side_a.association):
            assert Listing.objects.get(pk=shared.pk).status == Listing.Status.TAKEN_DOWN
            assert InboxMessage.objects.filter(
                user=side_a.member_user, kind="network.listing_taken_down"
            ).exists()


def test_leaving_the_network_and_expiry_as_the_app_role(side_a: Side, side_b: Side) -> None:
    with as_app_role():
        _join(side_a)
        _join(side_b)
        with tenant_context(side_a.association):
            listing = services.listing_create(
                association=side_a.association,
                actor=side_a.member_user,
                data=listing_input(visibility="platform"),
            )
        _join(side_a, joins=False)
        with tenant_context(side_b.association), pytest.raises(Http404):
            access_listing(
                association=side_b.association,
                viewer_id=side_b.member_user.pk,
                listing_id=listing.pk,
            )
        with tenant_context(side_a.association):
            Listing.objects.filter(pk=listing.pk).update(
                valid_until=timezone.localdate() - timedelta(days=1)
            )
            assert services.listings_expire(association=side_a.association) == 1
        assert not ListingIndex.objects.filter(listing_id=listing.pk).exists()


def test_pages_open_another_associations_listing_and_picture_as_the_app_role(
    side_a: Side, side_b: Side
) -> None:
    import io

    from django.urls import reverse
    from PIL import Image

    from shanghui.network.models import ListingImage
    from shanghui.testing.fixtures import client_for

    _join(side_a)
    _join(side_b)
    with tenant_context(side_a.association):
        listing = services.listing_create(
            association=side_a.association,
            actor=side_a.member_user,
            data=listing_input(visibility="platform", title="采购平台钢材"),
        )
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(data, format="PNG")
    data.seek(0)
    data.name = "steel.png"
    poster = client_for(side_a.member_user)
    viewer = client_for(side_b.member_user)
    b = side_b.association.slug
    with as_app_role():
        added = poster.post(
            reverse(
                "network:listing_image_add",
                kwargs={"association_slug": side_a.association.slug, "listing_id": listing.pk},
            ),
            {"image": data},
        )
        assert added.status_code == 302
        with tenant_context(side_a.association):
            image = ListingImage.objects.get()
        page = viewer.get(
            reverse("network:listing", kwargs={"association_slug": b, "listing_id": listing.pk})
        )
        text = page.content.decode()
        assert page.status_code == 200 and "采购平台钢材" in text and "13800001111" not in text
        picture = viewer.get(
            reverse(
                "network:listing_image",
                kwargs={"association_slug": b, "listing_image_id": image.pk},
            ),
            {"l": listing.pk},
        )
        assert picture.status_code == 200
        reported = viewer.post(
            reverse(
                "network:listing_report", kwargs={"association_slug": b, "listing_id": listing.pk}
            ),
            {"reason": "fraud"},
        )
        assert reported.status_code == 302
