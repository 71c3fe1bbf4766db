"""The tenant door admits only active and suspended associations: one applying to join or
rejected is the 404 of an association that does not exist, on pages and in the API alike —
also for the people who hold roles there and for the platform's operators."""

import pytest
from django.test import Client

from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import Association
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Association.Status.APPLYING, Association.Status.REJECTED])
def test_an_association_not_yet_or_never_approved_is_not_there(side_a: Side, status: str) -> None:
    association = side_a.association
    Association.objects.filter(pk=association.pk).update(status=status)
    slug = association.slug
    unknown_page = Client().get("/a/no-such-association/").content.decode()
    unknown_page = unknown_page.replace("no-such-association", slug)
    unknown_api = Client().get("/api/v1/associations/no-such-association/members").json()
    for user in (side_a.admin, UserFactory(is_platform_operator=True)):
        page = client_for(user).get(f"/a/{association.slug}/")
        assert page.status_code == 404
        assert page.content.decode() == unknown_page.replace(
            "no-such-association", association.slug
        )
        _token, raw = api_token_create(user=user, name="test")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(
            f"/api/v1/associations/{association.slug}/members"
        )
        assert (api.status_code, api.json()) == (404, unknown_api)
