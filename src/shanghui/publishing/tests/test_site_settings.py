"""官网设置: one back-office page (and one API call) for what the public site shows — it
absorbs the public calendar's and the organisation chart's switches and the portal sharing —
for administrators only (EDIT_SETTINGS)."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from shanghui.accounts.models import Role
from shanghui.core.models import AuditEntry, StoredFile
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import picture_version
from shanghui.events.selectors import calendar_published
from shanghui.org.selectors import chart_published
from shanghui.publishing.models import SiteSettings
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db

FORM = {
    "introduction": "服务会员，团结乡贤。",
    "contact_phone": "020-12345678",
    "contact_email": "office@example.cn",
    "contact_address": "广州市越秀区",
    "icp_number": "粤ICP备12345678号",
    "showcase_enabled": "on",
    "publish_calendar": "on",
    "publish_chart": "on",
    "share_news_to_portal": "on",
}


def url(side: Side) -> str:
    return f"/a/{side.association.slug}/office/site/"


def test_an_administrator_sets_the_whole_site_on_one_page(side_a: Side, admin_a: Client) -> None:
    assert admin_a.get(url(side_a)).status_code == 200
    banner = SimpleUploadedFile("b.jpg", photo_like(7, side=1600, height=600))
    response = admin_a.post(url(side_a), {**FORM, "banner": banner})
    assert response.status_code == 302
    a = side_a.association
    a.refresh_from_db()
    assert (a.introduction, a.contact_phone, a.icp_number) == (
        "服务会员，团结乡贤。",
        "020-12345678",
        "粤ICP备12345678号",
    )
    assert a.showcase_enabled and a.banner_id
    with tenant_context(a):
        assert calendar_published(association=a) and chart_published(association=a)
        assert SiteSettings.objects.get(association=a).share_news_to_portal
        actions = set(AuditEntry.objects.filter(association=a).values_list("action", flat=True))
    assert {"association.site", "association.banner", "events.calendar.publish"} <= actions
    assert "org.chart.publish" in actions
    page = admin_a.get(url(side_a)).content.decode()
    assert 'name="publish_calendar" id="id_publish_calendar" checked' in page or (
        "checked" in page and "id_publish_calendar" in page
    )
    # Switched off again from the same page.
    admin_a.post(url(side_a), {**FORM, "publish_calendar": "", "publish_chart": ""})
    with tenant_context(a):
        assert not calendar_published(association=a) and not chart_published(association=a)


def test_replacing_the_banner_keeps_the_old_one_as_a_version(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    for seed in (7, 8):
        banner = SimpleUploadedFile("b.jpg", photo_like(seed, side=1600, height=600))
        assert admin_a.post(url(side_a), {**FORM, "banner": banner}).status_code == 302
    a.refresh_from_db()
    with tenant_context(a):
        current, kept = file_versions(a, "banner")
        assert current.pk == a.banner_id and current.replaced_at is None
        assert kept.replaced_at is not None and kept.content_id != current.content_id
        assert current.association_id == a.pk == kept.association_id
    # The page's thumbnail names the current version; the public site serves it.
    page = admin_a.get(url(side_a)).content.decode()
    assert f"?size=thumb&amp;v={picture_version(a.banner_id)}" in page
    assert Client().get(f"/a/{a.slug}/site/banner/?size=thumb").status_code == 200
    # Removed: it goes to the trash (restorable until the retention job); none is shown.
    assert admin_a.post(url(side_a), {**FORM, "remove_banner": "on"}).status_code == 302
    a.refresh_from_db()
    assert a.banner_id is None
    with tenant_context(a):
        assert StoredFile.objects.get(pk=current.pk).deleted_at is not None
        assert [f.pk for f in file_versions(a, "banner")] == [kept.pk]
    assert Client().get(f"/a/{a.slug}/site/banner/").status_code == 404


def test_the_banner_is_served_as_the_application_role(side_a: Side, admin_a: Client) -> None:
    """On PostgreSQL under row-level security: stored and read in the association's tenant
    context, though the association's own table is platform-wide."""
    a = side_a.association
    with as_app_role():
        banner = SimpleUploadedFile("b.jpg", photo_like(7, side=1600, height=600))
        assert admin_a.post(url(side_a), {**FORM, "banner": banner}).status_code == 302
        a.refresh_from_db()
        shown = Client().get(f"/a/{a.slug}/site/banner/?v={picture_version(a.banner_id)}")
        assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
        assert "immutable" in shown["Cache-Control"]


def test_a_bad_email_is_refused_with_the_field_marked(side_a: Side, admin_a: Client) -> None:
    response = admin_a.post(url(side_a), {**FORM, "contact_email": "不是邮箱"})
    assert response.status_code == 200
    assert "有效" in response.content.decode()


def test_members_and_strangers_cannot_open_it(
    side_a: Side, side_b: Side, member_a: Client, member_b: Client
) -> None:
    assert member_a.get(url(side_a)).status_code == 403
    assert member_b.get(url(side_a)).status_code == 404
    assert Client().get(url(side_a)).status_code == 302  # to sign in


def test_the_old_switch_pages_lead_to_it(side_a: Side, admin_a: Client) -> None:
    moved = admin_a.get(f"/a/{side_a.association.slug}/office/events/settings/")
    assert moved.status_code == 302 and moved["Location"] == url(side_a)
    overview = admin_a.get(f"/a/{side_a.association.slug}/office/org/").content.decode()
    assert url(side_a) in overview


def test_the_api_reads_and_writes_the_settings(side_a: Side, side_b: Side) -> None:
    admin = api_client_for(side_a.admin)
    path = f"/api/v1/associations/{side_a.association.slug}/site-settings"
    body = {
        "introduction": "接口简介",
        "contact_phone": "",
        "contact_email": "",
        "contact_address": "",
        "icp_number": "京ICP备1号",
        "showcase_enabled": True,
        "publish_calendar": True,
        "publish_chart": False,
        "share_news_to_portal": False,
    }
    answer = admin.put(path, json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == body
    assert admin.get(path).json()["icp_number"] == "京ICP备1号"
    assert api_client_for(side_a.member_user).get(path).status_code == 403
    assert api_client_for(side_b.admin).get(path).status_code == 404


def test_the_api_sets_a_members_showcase(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    path = f"/api/v1/associations/{side_a.association.slug}/members/{side_a.member.pk}/showcase"
    answer = admin.put(path, json.dumps({"showcase": True}), content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"showcase": True}
    side_a.member.refresh_from_db()
    assert side_a.member.showcase
    member = api_client_for(side_a.member_user)
    assert (
        member.put(
            path, json.dumps({"showcase": False}), content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="on PostgreSQL the tenant scope's transaction is open anyway, and takes no lock "
    "before a write; on SQLite a transaction holds the database's write lock",
)
def test_the_banner_is_decoded_before_the_transaction_opens(side_a: Side) -> None:
    from shanghui.publishing.services.site import site_settings_read, site_settings_update

    read_in_transaction: list[bool] = []

    class Watched(SimpleUploadedFile):
        def read(self, *args: Any) -> bytes:
            read_in_transaction.append(connections["default"].in_atomic_block)
            return super().read(*args)

    a = side_a.association
    banner = Watched("b.jpg", photo_like(5, side=1600, height=600), content_type="image/jpeg")
    with tenant_context(a):
        role = Role.objects.get(association=a, user=side_a.admin)
        site_settings_update(
            association=a,
            actor=side_a.admin,
            role=role,
            data=site_settings_read(association=a),
            banner=banner,
        )
    a.refresh_from_db()
    assert a.banner_id and read_in_transaction and not any(read_in_transaction)


def test_staff_without_the_permission_are_refused_by_the_service_and_the_api(
    side_a: Side,
) -> None:
    from django.core.exceptions import PermissionDenied

    from shanghui.publishing.services.site import site_settings_read, site_settings_update
    from shanghui.testing.factories import RoleFactory, UserFactory

    a = side_a.association
    staff = UserFactory(name="宣传干事")
    with tenant_context(a):
        role = RoleFactory(association=a, user=staff, kind=Role.Kind.STAFF)
        data = site_settings_read(association=a)
        changed = type(data)(**{**data.as_dict(), "icp_number": "京ICP备9号"})
        with pytest.raises(PermissionDenied):
            site_settings_update(association=a, actor=staff, role=role, data=changed)
    path = f"/api/v1/associations/{a.slug}/site-settings"
    answer = api_client_for(staff).put(
        path, json.dumps(changed.as_dict()), content_type="application/json"
    )
    assert answer.status_code == 403
    a.refresh_from_db()
    assert a.icp_number != "京ICP备9号"


def test_the_introduction_is_edited_on_the_site_settings_page_only(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    before = a.introduction
    settings_page = f"/a/{a.slug}/office/settings/"
    page = admin_a.get(settings_page).content.decode()
    assert 'name="introduction"' not in page  # 商会设置 no longer edits it …
    assert f'href="{url(side_a)}"' in page  # … it links to 官网设置, which does
    assert 'name="introduction"' in admin_a.get(url(side_a)).content.decode()
    answer = admin_a.post(settings_page, {"short_name": "新简称", "introduction": "不该保存"})
    assert answer.status_code == 302
    a.refresh_from_db()
    assert a.short_name == "新简称" and a.introduction == before
