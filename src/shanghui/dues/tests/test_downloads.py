"""Download file names built from data (a member number in a certificate's name) keep to
safe characters: a crafted member number cannot rewrite the response's headers."""

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side, client_for

from .helpers import api_client, body, make_bill

CRAFTED = '../../x";\r\nSet-Cookie: a=b'


@pytest.mark.django_db
def test_a_crafted_member_number_cannot_rewrite_a_certificates_headers(side_a: Side) -> None:
    slug = side_a.association.slug
    admin = api_client(side_a.admin)
    created = admin.post(
        f"/api/v1/associations/{slug}/members",
        {
            "kind": "enterprise",
            "name": "上饶市婺源茶业有限公司",
            "uscc": make_uscc("91", "361100"),
            "member_no": CRAFTED,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    stored = body(created)["member_no"]  # free text: quotes, slashes, a line break kept
    assert "../" in stored and '"' in stored and "\nSet-Cookie" in stored
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=body(created)["id"])
    bill = make_bill(side_a.association, member, amount="800", year=2026)
    paid = admin.post(
        f"/api/v1/associations/{slug}/dues/bills/{bill.pk}/payments",
        {"amount": "800", "method": "bank_transfer", "paid_on": str(timezone.localdate())},
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    page: Client = client_for(side_a.admin)
    downloads = [
        admin.get(f"/api/v1/associations/{slug}/dues/bills/{bill.pk}/certificate"),
        page.get(f"/a/{slug}/office/dues/bills/{bill.pk}/certificate.pdf"),
    ]
    for response in downloads:
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        header = response["Content-Disposition"]
        assert header.endswith('; filename="certificate-.xSet-Cookieab-2026.pdf"'), header
        assert "a" not in response.cookies  # no header was smuggled in
