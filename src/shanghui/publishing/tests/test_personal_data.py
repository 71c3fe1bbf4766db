"""A person's article reads: in their personal-data export, gone with their account."""

import pytest
from django.test import Client

from shanghui.accounts.personal_data import account_delete, personal_data
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import ArticleRead
from shanghui.publishing.tests.factories import article_make
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db


def test_reads_are_exported_and_erased_with_the_account(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="会员内参第一期")
    client_for(side_a.member_user).get(f"/a/{a.slug}/news/{article.pk}/")
    exported = personal_data(side_a.member_user)
    rows = exported["资讯阅读记录"]
    assert [r["资讯"] for r in rows] == ["会员内参第一期"] and rows[0]["商协会"] == a.name
    account_delete(user=side_a.member_user, password=PASSWORD)
    with tenant_context(a):
        assert not ArticleRead.objects.filter(association=a).exists()
    assert Client().get(f"/a/{a.slug}/news/{article.pk}/").status_code == 404
