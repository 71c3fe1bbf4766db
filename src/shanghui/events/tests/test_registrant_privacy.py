"""An event's registrants follow the member list's rule for personal data (issue 12, item 13):
phones masked for the secretariat on the page, in the API and in the xlsx, one registrant
revealed at a time and audited; unmasked data only for whoever may export; every page of the
list audited; the registrant always sees their own number."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Event, Registration
from shanghui.members.tests.test_personal_data import as_app_role
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db

PHONE = "13566667777"
MASKED = "135****7777"


def api_client(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def registered(side_a: Side) -> tuple[Side, Event, Registration, User]:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registrant = make_member_user(a, "报名人", phone=PHONE)
    registration = register(a, event, registrant)
    staff = UserFactory(name="会务文员")
    RoleFactory(association=a, user=staff, kind=Role.Kind.STAFF)
    return side_a, event, registration, staff


def audited(side: Side, action: str) -> list[AuditEntry]:
    with tenant_context(side.association):
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_the_registrant_list_page_masks_phones_and_a_reveal_is_audited(
    registered: tuple[Side, Event, Registration, User],
) -> None:
    side, event, registration, staff = registered
    slug = side.association.slug
    page = client_for(staff)
    with as_app_role():
        listed = page.get(f"/a/{slug}/office/events/{event.pk}/").content.decode()
        revealed = page.post(
            f"/a/{slug}/office/events/{event.pk}/registrations/{registration.pk}/reveal/"
        )
    assert PHONE not in listed and MASKED in listed
    assert revealed.status_code == 200 and PHONE in revealed.content.decode()
    (read,) = audited(side, "personal_data.list_read")
    assert read.actor == staff and read.data["listing"] == f"registrations:{event.pk}"
    assert read.data["rows"] == 1
    (reveal,) = audited(side, "registration.reveal_personal_data")
    assert reveal.actor == staff and reveal.target_id == str(registration.pk)


def test_the_registrant_api_masks_for_staff_and_unmasks_for_whoever_may_export(
    registered: tuple[Side, Event, Registration, User],
) -> None:
    side, event, registration, staff = registered
    url = f"/api/v1/associations/{side.association.slug}/events/{event.pk}/registrations"
    with as_app_role():
        staff_view = json.loads(api_client(staff).get(url).content)["items"]
        admin_view = json.loads(api_client(side.admin).get(url).content)["items"]
        revealed = api_client(staff).post(f"{url}/{registration.pk}/reveal")
    assert [(r["phone"], r["phone_masked"]) for r in staff_view] == [(MASKED, True)]
    assert [(r["phone"], r["phone_masked"]) for r in admin_view] == [(PHONE, False)]
    assert revealed.status_code == 200, revealed.content
    assert json.loads(revealed.content)["phone"] == PHONE
    reads = audited(side, "personal_data.list_read")
    assert [(r.actor, r.data["unmasked"]) for r in reads] == [(staff, False), (side.admin, True)]
    assert [r.actor for r in audited(side, "registration.reveal_personal_data")] == [staff]
    # A member may not reveal anyone's number.
    member = api_client(side.member_user).post(f"{url}/{registration.pk}/reveal")
    assert member.status_code == 403


def test_the_registrant_sees_their_own_number(
    registered: tuple[Side, Event, Registration, User],
) -> None:
    side, event, registration, _staff = registered
    assert registration.user is not None
    url = f"/api/v1/associations/{side.association.slug}/events/{event.pk}/my-registration"
    mine = json.loads(api_client(registration.user).get(url).content)
    assert (mine["phone"], mine["phone_masked"]) == (PHONE, False)


def test_the_registrant_xlsx_masks_phones_for_staff_and_is_audited(
    registered: tuple[Side, Event, Registration, User],
) -> None:
    side, event, _registration, staff = registered
    slug = side.association.slug

    def phones(response: object) -> list[object]:
        book = load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
        rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
        column = rows[0].index("手机号")
        return [row[column] for row in rows[1:]]

    page_file = client_for(staff).get(f"/a/{slug}/office/events/{event.pk}/export/registrants.xlsx")
    api_file = api_client(side.admin).get(
        f"/api/v1/associations/{slug}/events/{event.pk}/exports/registrants"
    )
    assert phones(page_file) == [MASKED]
    assert phones(api_file) == [PHONE]
    reads = audited(side, "personal_data.list_read")
    assert [(r.actor, r.data["unmasked"]) for r in reads] == [(staff, False), (side.admin, True)]
