"""A person's provider applications and back-office places join their personal-data export,
and deleting the account ends the places — as the application role on PostgreSQL."""

import pytest

from shanghui.core.tenancy import provider_context
from shanghui.providers.models import Provider, ProviderUser
from shanghui.providers.tests.p1_helpers import approved_provider
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side, client_for


@pytest.mark.django_db
def test_export_and_deletion_of_a_providers_user(side_a: Side) -> None:
    user = side_a.member_user
    bank = approved_provider(name="甲市银行", slug="bank", user=user, kind="staff")
    Provider.objects.filter(pk=bank.pk).update(applicant=user)
    client = client_for(user)
    with as_app_role():
        data = client.get("/api/v1/me/data-export").json()
        assert [row["服务商"] for row in data["服务商后台身份"]] == ["甲市银行"]
        assert [row["机构名称"] for row in data["服务商入驻申请"]] == ["甲市银行"]
        assert client.post("/me/delete/", {"password": PASSWORD}).status_code == 302
    with provider_context(bank):
        assert not ProviderUser.objects.filter(provider=bank).exists()
