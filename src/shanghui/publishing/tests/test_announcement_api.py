"""The announcements API: the back office writes, sends and follows receipts through the
same services as the pages; a member lists their notices, reading one records the read, and
replies until the deadline; members may not write."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import AnnouncementRecipient
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, json.dumps(body), content_type="application/json")


def base(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/announcements"


def test_write_send_read_reply_and_receipts(side_a: Side) -> None:
    admin, member = api(side_a.admin), api(side_a.member_user)
    deadline = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    created = send(admin, "post", base(side_a), {
        "title": "关于缴纳会费的通知", "body": "<p>请按时缴纳</p><script>alert(1)</script>",
        "reply_fields": [{"label": "是否已缴", "type": "yesno", "required": True},
                         {"label": "金额", "type": "number"}],
        "reply_deadline": deadline,
    })  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert "script" not in data["body"] and data["status"] == "draft"
    assert [f["key"] for f in data["reply_fields"]] == ["f1", "f2"]
    aid = data["id"]
    assert send(member, "post", base(side_a), {"title": "x"}).status_code == 403
    updated = send(
        admin, "put", f"{base(side_a)}/{aid}", {**data, "title": "关于缴纳2027年会费的通知"}
    )
    assert updated.status_code == 200 and updated.json()["title"] == "关于缴纳2027年会费的通知"

    job = send(admin, "post", f"{base(side_a)}/{aid}/send")
    assert job.status_code == 202, job.content
    assert send(admin, "post", f"{base(side_a)}/{aid}/send").status_code == 400
    assert send(admin, "put", f"{base(side_a)}/{aid}", {"title": "改"}).status_code == 400
    run_worker()

    mine = send(member, "get", f"{base(side_a)}/mine").json()
    assert [(n["id"], n["is_read"], n["needs_reply"]) for n in mine["items"]] == [
        (aid, False, True)
    ]
    detail = send(member, "get", f"{base(side_a)}/mine/{aid}").json()
    assert detail["reply_open"] and detail["read_at"] is not None
    bad = send(member, "put", f"{base(side_a)}/mine/{aid}/reply", {"answers": {"f2": "100"}})
    assert bad.status_code in (400, 422)
    ok = send(
        member, "put", f"{base(side_a)}/mine/{aid}/reply", {"answers": {"f1": True, "f2": 100}}
    )
    assert ok.status_code == 200 and ok.json()["answers"] == {"f1": "yes", "f2": "100"}

    figures = send(admin, "get", f"{base(side_a)}/{aid}/receipts").json()
    assert figures == {"people": 1, "people_read": 1, "members": 1, "members_read": 1, "replies": 1}
    members = send(admin, "get", f"{base(side_a)}/{aid}/receipts/members").json()["items"]
    assert members[0]["member_name"] == side_a.member.name and members[0]["people_read"] == 1
    people = send(admin, "get", f"{base(side_a)}/{aid}/receipts/people?unread=true").json()
    assert people["items"] == []
    xlsx = admin.get(f"{base(side_a)}/{aid}/replies.xlsx")
    assert xlsx.status_code == 200
    assert send(admin, "post", f"{base(side_a)}/{aid}/remind").status_code == 400  # all read

    with tenant_context(side_a.association):
        AnnouncementRecipient.objects.update(read_at=None)
    assert send(admin, "post", f"{base(side_a)}/{aid}/remind").status_code == 202
    listing = send(admin, "get", base(side_a)).json()["items"]
    assert listing[0]["reply_count"] == 1 and listing[0]["recipient_count"] == 1


def test_attachments_and_audience_through_the_api(side_a: Side) -> None:
    admin = api(side_a.admin)
    aid = send(admin, "post", base(side_a), {"title": "附件通知"}).json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("议程.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")
    added = admin.post(f"{base(side_a)}/{aid}/attachments", {"file": upload})
    assert added.status_code == 201, added.content
    att = added.json()["id"]
    got = admin.get(f"{base(side_a)}/{aid}/attachments/{att}")
    assert got.status_code == 200
    assert send(admin, "put", f"{base(side_a)}/{aid}/audience", {}).status_code == 400
    assert send(
        admin, "put", f"{base(side_a)}/{aid}/audience", {"person_ids": [side_a.person.pk]}
    ).json() == {"audience": "rules", "rules": 1}
    assert admin.delete(f"{base(side_a)}/{aid}/attachments/{att}").status_code == 204
    assert admin.delete(f"{base(side_a)}/{aid}").status_code == 204


def test_a_bad_reply_form_through_the_api_is_a_clear_400(side_a: Side) -> None:
    admin = api(side_a.admin)
    refused = send(admin, "post", base(side_a), {
        "title": "回执写错的通知", "reply_fields": [{"label": "人数", "type": "date"}],
        "reply_deadline": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert refused.status_code == 400
    assert "第 1 项的类型不正确" in refused.content.decode()
    assert send(admin, "get", base(side_a)).json()["items"] == []


def test_events_and_announcements_take_one_audience_input(side_a: Side) -> None:
    from shanghui.core.audience import AudienceIn, AudienceInput
    from shanghui.events.services import events as event_services
    from shanghui.publishing.services import announcements as services

    assert services.AudienceInput is event_services.AudienceInput is AudienceInput
    assert AudienceInput().is_empty() and not AudienceInput(council=True).is_empty()
    form_data = {"levels": ["3"], "committees": [], "posts": ["5"], "council": True}
    assert AudienceInput.from_form(form_data, person_ids=[7]) == AudienceInput(
        level_ids=[3], post_ids=[5], person_ids=[7], council=True
    )
    spec = Client().get("/api/v1/openapi.json").json()
    bodies = {
        path: op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for path, item in spec["paths"].items()
        if path.endswith("/audience")
        for op in item.values()
        if "requestBody" in op
    }
    assert len(bodies) == 2 and set(bodies.values()) == {
        f"#/components/schemas/{AudienceIn.__name__}"
    }
    # Both refuse an id given as text the same way (strict integers).
    admin = api(side_a.admin)
    aid = send(admin, "post", base(side_a), {"title": "范围通知"}).json()["id"]
    refused = send(admin, "put", f"{base(side_a)}/{aid}/audience", {"level_ids": ["1"]})
    assert refused.status_code == 422


def test_a_reply_after_the_deadline_through_the_api_is_refused_and_changes_nothing(
    side_a: Side,
) -> None:
    from shanghui.publishing.models import Announcement

    from .announcement_factories import sent

    announcement = sent(side_a.association, side_a.admin)
    member = api(side_a.member_user)
    reply = f"{base(side_a)}/mine/{announcement.pk}/reply"
    first = send(member, "put", reply, {"answers": {"f1": "yes", "f2": 2}})
    assert first.status_code == 200
    with tenant_context(side_a.association):
        Announcement.objects.filter(pk=announcement.pk).update(
            reply_deadline=timezone.now() - timedelta(minutes=1)
        )
        before = AnnouncementRecipient.objects.get(
            announcement=announcement, user=side_a.member_user
        )
    late = send(member, "put", reply, {"answers": {"f1": "no", "f2": 0}})
    assert late.status_code == 400
    assert "回执已于" in late.content.decode() and "截止" in late.content.decode()
    with tenant_context(side_a.association):
        after = AnnouncementRecipient.objects.get(pk=before.pk)
    kept = {"f1": "yes", "f2": "2", "f3": "", "f4": ""}
    assert (after.answers, after.replied_at) == (kept, before.replied_at)
    detail = send(member, "get", f"{base(side_a)}/mine/{announcement.pk}").json()
    assert detail["reply_open"] is False and detail["answers"] == kept
