"""Part S under row-level security, as production runs it (PostgreSQL, application role):
search, matching, the enterprise page (reading another association's showcase items inside
its scope) and the digest work in the viewer's own tenant context."""

import pytest
from django.http import Http404

from shanghui.core.tenancy import tenant_context
from shanghui.network.digest import weekly_digest_send
from shanghui.network.models import EnterpriseIndex, ListingKind, ShowcaseItem
from shanghui.network.selectors.directory import access_enterprise, directory_entries
from shanghui.network.selectors.matching import match_suggestions
from shanghui.network.selectors.search import NetworkFilters, network_search
from shanghui.network.services.showcase import ShowcaseItemInput, showcase_item_create, showcase_set
from shanghui.network.tests.s_helpers import join, post
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side, build_side

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_search_match_showcase_and_digest_as_the_app_role(side_a: Side, side_b: Side) -> None:
    side_c = build_side("丙市", "bingshi")
    with as_app_role():
        join(side_a.association)
        join(side_b.association)
        need = post(side_a, "采购螺纹钢", kind=ListingKind.NEED)
        post(side_b, "供应螺纹钢")
        with tenant_context(side_b.association):
            side_b.member.industry_code = "31"
            side_b.member.save(update_fields=["industry_code"])
            showcase_set(
                association=side_b.association,
                actor=side_b.member_user,
                member=side_b.member,
                on=True,
            )
            showcase_item_create(
                association=side_b.association,
                actor=side_b.member_user,
                member=side_b.member,
                data=ShowcaseItemInput(name="螺纹钢现货"),
            )
        with tenant_context(side_a.association):
            hits = network_search(
                association=side_a.association, filters=NetworkFilters(q="luowengang")
            )
            assert sorted(hit.title for hit in hits) == ["供应螺纹钢", "采购螺纹钢"]
            found = match_suggestions(association=side_a.association, listing=need)
            assert [m.title for m in found.listings] == ["供应螺纹钢"]
            assert [m.title for m in found.enterprises] == [side_b.member.name]
            entry_id = found.enterprises[0].enterprise_id
            assert entry_id is not None
            view = access_enterprise(association=side_a.association, enterprise_id=entry_id)
            assert [item.name for item in view.items] == ["螺纹钢现货"]
            # The caller's own scope holds again after the read inside B's.
            assert not ShowcaseItem.objects.filter(association=side_b.association).exists()
            assert [e.name for e in directory_entries(association=side_a.association)] == [
                side_b.member.name
            ]
            side_a.member.industry_code = "31"
            side_a.member.save(update_fields=["industry_code"])
            result = weekly_digest_send(association=side_a.association)
            assert (result.listings, result.people) == (2, 1)  # told of B's, not of their own
        with tenant_context(side_c.association):  # not in the network
            with pytest.raises(Http404):
                access_enterprise(association=side_c.association, enterprise_id=entry_id)
            assert (
                network_search(association=side_c.association, filters=NetworkFilters(q="螺纹钢"))
                == []
            )
    assert EnterpriseIndex.objects.count() == 1
