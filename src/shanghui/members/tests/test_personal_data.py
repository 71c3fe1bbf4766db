"""One rule for personal data on every door (issue 12, items 9 and 17): the API masks phones
for the secretariat as the back office does, unmasks one member on an audited reveal, gives
unmasked lists only to whoever may export, audits and rate-limits every page of people the
secretariat reads; an export's file is readable only while its owner may still export."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    RoleFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side, client_for

PHONES = ["13512345678", "13687654321", "13911112222"]


def api_client(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def staff_of(side: Side) -> User:
    """A clerk of the secretariat: manages members, may reveal, may not export."""
    user = UserFactory(name="甲市文员")
    RoleFactory(association=side.association, user=user, kind=Role.Kind.STAFF)
    return user


@pytest.fixture
def phone_book(side_a: Side) -> Side:
    a = side_a.association
    for i, phone in enumerate(PHONES):
        RepresentativeFactory(
            association=a,
            member=MemberFactory(association=a, name=f"通讯录{i}号有限公司"),
            person=PersonFactory(association=a, name=f"代表{i}", phone=phone),
        )
    return side_a


def phones_in(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [rep["phone"] for item in items for rep in item["representatives"]]


def list_reads(side: Side, user: User) -> list[AuditEntry]:
    with tenant_context(side.association):
        return list(
            AuditEntry.objects.filter(action="personal_data.list_read", actor=user).order_by("id")
        )


@pytest.mark.django_db
def test_staff_without_export_gets_masked_phones_from_the_api_and_each_page_is_audited(
    phone_book: Side,
) -> None:
    staff = staff_of(phone_book)
    url = f"/api/v1/associations/{phone_book.association.slug}/members"
    client = api_client(staff)
    with as_app_role():
        response = client.get(url, {"page_size": 100, "q": "通讯录"})
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    shown = phones_in(body)
    assert len(shown) == len(PHONES)
    assert not set(PHONES) & set(shown)
    assert sorted(shown) == sorted(f"{p[:3]}****{p[7:]}" for p in PHONES)
    assert all(rep["phone_masked"] for i in body["items"] for rep in i["representatives"])
    (entry,) = list_reads(phone_book, staff)
    assert entry.data["listing"] == "members"
    assert entry.data["rows"] == len(PHONES)
    assert entry.data["filters"] == {"q": "通讯录"}
    assert entry.data["unmasked"] is False


@pytest.mark.django_db
def test_whoever_may_export_gets_unmasked_phones_and_that_read_is_audited(
    phone_book: Side,
) -> None:
    url = f"/api/v1/associations/{phone_book.association.slug}/members"
    with as_app_role():
        body = json.loads(api_client(phone_book.admin).get(url, {"q": "通讯录"}).content)
    assert sorted(phones_in(body)) == sorted(PHONES)
    (entry,) = list_reads(phone_book, phone_book.admin)
    assert entry.data["unmasked"] is True and entry.data["rows"] == len(PHONES)


@pytest.mark.django_db
def test_staff_reveal_one_member_through_the_api_and_the_reveal_is_audited(
    phone_book: Side, side_b: Side
) -> None:
    staff = staff_of(phone_book)
    base = f"/api/v1/associations/{phone_book.association.slug}"
    client = api_client(staff)
    listed = json.loads(client.get(f"{base}/members", {"q": "通讯录0"}).content)["items"][0]
    with as_app_role():
        detail = json.loads(client.get(f"{base}/members/{listed['id']}").content)
        revealed = client.post(f"{base}/members/{listed['id']}/reveal")
    assert detail["representatives"][0]["phone"] == "135****5678"
    assert revealed.status_code == 200, revealed.content
    rep = json.loads(revealed.content)["representatives"][0]
    assert rep["phone"] == PHONES[0] and not rep["phone_masked"]
    with tenant_context(phone_book.association):
        entry = AuditEntry.objects.get(action="member.reveal_personal_data")
    assert entry.actor == staff and entry.target_id == str(listed["id"])
    # A member may not reveal; another association's member does not find the member.
    member_answer = api_client(phone_book.member_user).post(f"{base}/members/{listed['id']}/reveal")
    assert member_answer.status_code == 403
    assert api_client(side_b.admin).post(f"{base}/members/{listed['id']}/reveal").status_code == 404


@pytest.mark.django_db
def test_bulk_reads_stop_with_429_past_the_limit_on_the_api_and_the_back_office(
    phone_book: Side,
) -> None:
    staff = staff_of(phone_book)
    slug = phone_book.association.slug
    limits = {**settings.RATE_LIMITS, "personal_data_pages": "2/3600"}
    with override_settings(RATE_LIMITS=limits):
        client = api_client(staff)
        url = f"/api/v1/associations/{slug}/members"
        assert client.get(url, {"page_size": 1}).status_code == 200
        assert client.get(url, {"page_size": 1, "page": 2}).status_code == 200
        refused = client.get(url, {"page_size": 1, "page": 3})
        assert refused.status_code == 429
        assert json.loads(refused.content)["error"]["code"] == "rate_limited"
        assert int(refused["Retry-After"]) > 0
        # The same count for the back office's list: the same person is shut out there too.
        page = client_for(staff).get(f"/a/{slug}/office/members/")
        assert page.status_code == 429
        assert "通讯录0号有限公司" not in page.content.decode()
    # Refused reads showed nothing and left no record of a read.
    assert len(list_reads(phone_book, staff)) == 2


@pytest.mark.django_db
def test_reveals_stop_with_429_past_their_limit(phone_book: Side) -> None:
    staff = staff_of(phone_book)
    slug = phone_book.association.slug
    limits = {**settings.RATE_LIMITS, "personal_data_reveals": "1/3600"}
    with override_settings(RATE_LIMITS=limits):
        page = client_for(staff)
        first = page.post(f"/a/{slug}/office/members/{phone_book.member.pk}/reveal/")
        assert first.status_code == 200
        second = api_client(staff).post(
            f"/api/v1/associations/{slug}/members/{phone_book.member.pk}/reveal"
        )
        assert second.status_code == 429
        assert phone_book.person.phone not in second.content.decode()


@pytest.mark.django_db
def test_the_back_office_list_is_masked_and_audited_per_page(phone_book: Side) -> None:
    staff = staff_of(phone_book)
    with as_app_role():
        page = client_for(staff).get(
            f"/a/{phone_book.association.slug}/office/members/", {"q": "通讯录"}
        )
    text = page.content.decode()
    assert page.status_code == 200
    assert not any(phone in text for phone in PHONES)
    assert "135****5678" in text
    (entry,) = list_reads(phone_book, staff)
    assert entry.data["rows"] == len(PHONES) and entry.data["filters"] == {"q": "通讯录"}


@pytest.mark.django_db
def test_applications_show_the_applicant_masked_until_revealed(side_a: Side) -> None:
    from shanghui.members.models import MembershipApplication

    a = side_a.association
    with tenant_context(a):
        application = MembershipApplication.objects.create(
            association=a,
            kind="enterprise",
            name="申请中有限公司",
            applicant_name="申请人",
            applicant_phone="13700001111",
        )
    staff = staff_of(side_a)
    base = f"/api/v1/associations/{a.slug}/member-applications"
    with as_app_role():
        listed = json.loads(api_client(staff).get(base).content)["items"]
        page = client_for(staff).get(f"/a/{a.slug}/office/applications/{application.pk}/")
        revealed = client_for(staff).post(
            f"/a/{a.slug}/office/applications/{application.pk}/reveal/"
        )
        api_revealed = api_client(staff).post(f"{base}/{application.pk}/reveal")
    assert [item["applicant_phone"] for item in listed] == ["137****1111"]
    assert "13700001111" not in page.content.decode()
    assert "13700001111" in revealed.content.decode()
    assert json.loads(api_revealed.content)["applicant_phone"] == "13700001111"
    with tenant_context(a):
        assert AuditEntry.objects.filter(action="application.reveal_personal_data").count() == 2
        assert AuditEntry.objects.filter(action="personal_data.list_read").count() == 1
