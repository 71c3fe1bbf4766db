"""Announcements (通知公告): a draft's body is sanitised; sending reaches the
representatives of the members in good standing (or the people its rules name), one row per
person fixed by the worker, each with an inbox message and an SMS carrying their own signed
link; read receipts per person and per member enterprise; the reminder goes only to the
unread; the 回执 is checked against its form, editable until the deadline and refused
after it; the replies export is formula-safe."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanghui.core import notifications
from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level, Member
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.models import Announcement, AnnouncementRecipient
from shanghui.publishing.services import announcements as services
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .announcement_factories import REPLY_FIELDS, draft, key_of, sent

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(
        f"publishing:{name}", kwargs={"association_slug": side.association.slug, **kwargs}
    )


def sms_to(phone: str) -> list[str]:
    return [m.text for m in notifications.outbox if m.channel == "sms" and m.to == phone]


def link_in(text: str) -> str:
    """The path of the personal link in a message."""
    found = re.search(r"https?://[^/\s]+(/a/[\w-]+/notices/\d+/r/[\w.-]+/)", text)
    assert found, text
    return found.group(1)


def test_reply_form_notation_and_definition_checks() -> None:
    fields = services.reply_fields_parse(
        "是否参加 | 是否 | 必填\n参会人数 | 数字 | 必填\n午餐 | 选择 | 选填 | 需要/不需要\n备注"
    )
    assert [(f["key"], f["type"], f["required"]) for f in fields] == [
        ("f1", "yesno", True), ("f2", "number", True), ("f3", "choice", False),
        ("f4", "text", False),
    ]  # fmt: skip
    assert fields[2]["choices"] == ["需要", "不需要"]
    assert services.reply_fields_parse(services.reply_fields_text(fields)) == fields
    for bad in (
        [{"label": "午餐", "type": "choice", "choices": ["只有一个"]}],
        [{"label": "", "type": "text"}],
        [{"label": "x", "type": "file"}],
        [{"label": f"问题{i}", "type": "text"} for i in range(11)],
    ):
        with pytest.raises(ValidationError):
            services.reply_fields_clean(bad)
    with pytest.raises(ValidationError):
        services.reply_fields_parse("人数 | 日期 | 必填")


def test_answers_are_checked_against_the_form() -> None:
    fields = services.reply_fields_clean(REPLY_FIELDS)
    ok = services.reply_answers_clean(fields, {"f1": "是", "f2": "3", "f3": "需要"})
    assert ok == {"f1": "yes", "f2": "3", "f3": "需要", "f4": ""}
    for bad in ({"f2": "3"}, {"f1": "也许", "f2": "3"}, {"f1": "yes", "f2": "1e9"},
                {"f1": "yes", "f2": "三"}, {"f1": "yes", "f2": "2", "f3": "素食"}):  # fmt: skip
        with pytest.raises(ValidationError):
            services.reply_answers_clean(fields, bad)


def test_body_is_sanitised_and_a_reply_needs_a_deadline(side_a: Side) -> None:
    a = side_a.association
    found = draft(
        a,
        side_a.admin,
        body='<p onclick="x()">通知<script>alert(1)</script></p><img src=x onerror=alert(2)>',
    )
    assert (
        "script" not in found.body and "onerror" not in found.body and "onclick" not in found.body
    )
    assert "通知" in found.body
    with pytest.raises(ValidationError) as refused:
        draft(a, side_a.admin, reply_fields=REPLY_FIELDS)
    assert "reply_deadline" in refused.value.message_dict


def test_send_reaches_each_representative_once_with_their_own_link(side_a: Side) -> None:
    a = side_a.association
    second = PersonFactory(association=a, name="第二代表")
    RepresentativeFactory(association=a, member=side_a.member, person=second)
    other = MemberFactory(association=a, name="远方贸易有限公司")
    third = RepresentativeFactory(association=a, member=other).person
    resigned = MemberFactory(association=a, name="已退会公司", status=Member.Status.WITHDRAWN)
    gone = RepresentativeFactory(association=a, member=resigned).person
    unreachable = PersonFactory(association=a, name="无电话", phone="")
    RepresentativeFactory(association=a, member=other, person=unreachable)

    announcement = sent(a, side_a.admin)
    assert announcement.status == Announcement.Status.SENT and announcement.sent_by == side_a.admin
    with tenant_context(a):
        rows = list(AnnouncementRecipient.objects.filter(announcement=announcement))
    assert {r.person_id for r in rows} == {side_a.person.pk, second.pk, third.pk}
    assert announcement.recipient_count == 3
    by_person = {r.person_id: r for r in rows}
    assert by_person[side_a.person.pk].user_id == side_a.member_user.pk
    assert by_person[third.pk].member_id == other.pk
    assert not sms_to(gone.phone)
    links = {link_in(sms_to(p.phone)[0]) for p in (side_a.person, second, third)}
    assert len(links) == 3  # one personal link each
    with tenant_context(a):
        (inbox,) = InboxMessage.objects.filter(user=side_a.member_user)
    assert "关于召开年会的通知" in inbox.subject
    # The inbox entry of someone who signs in here leads to the member page, not the SMS link.
    assert inbox.link.endswith(url("announcement", side_a, announcement_id=announcement.pk))
    # A second run of the worker (a retried job) reaches nobody twice.
    with tenant_context(a):
        assert services.recipients_fix(association=a, announcement=announcement) == 3


def test_sending_twice_or_editing_after_sending_is_refused(side_a: Side) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin)
    with tenant_context(a), pytest.raises(ValidationError):
        services.announcement_send(association=a, actor=side_a.admin, announcement=announcement)
    with tenant_context(a), pytest.raises(ValidationError):
        services.announcement_update(
            association=a,
            actor=side_a.admin,
            announcement=announcement,
            data=services.AnnouncementInput(title="改了"),
        )


def test_rules_send_only_to_the_chosen_level(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        gold = Level.objects.create(
            association=a, name="常务副会长单位", rank=1, annual_fee=Decimal("20000")
        )
    top = MemberFactory(association=a, name="金牌会员公司", level=gold)
    chosen = RepresentativeFactory(association=a, member=top).person
    announcement = draft(a, side_a.admin, audience="rules", reply_fields=[])
    with tenant_context(a), pytest.raises(ValidationError):
        services.announcement_send(association=a, actor=side_a.admin, announcement=announcement)
    with tenant_context(a):
        services.announcement_audience_set(
            association=a,
            actor=side_a.admin,
            announcement=announcement,
            data=services.AudienceInput(level_ids=[gold.pk]),
        )
        services.announcement_send(association=a, actor=side_a.admin, announcement=announcement)
    run_worker()
    with tenant_context(a):
        people = set(
            AnnouncementRecipient.objects.filter(announcement=announcement).values_list(
                "person_id", flat=True
            )
        )
    assert people == {chosen.pk}


def test_the_signed_link_records_the_read_and_the_reply_without_sign_in(side_a: Side) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin)
    link = link_in(sms_to(side_a.person.phone)[0])
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "关于召开年会的通知" in body and 'id="reply-form"' in body
    assert page["Cache-Control"] == "private, no-store"
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, person=side_a.person)
    assert row.read_via == "link" and row.read_at is not None
    first_read = row.read_at

    refused = visitor.post(link, {"f1": "yes"})  # 参会人数 is required
    assert refused.status_code == 200 and "必填" in refused.content.decode()
    with tenant_context(a):
        assert AnnouncementRecipient.objects.get(pk=row.pk).replied_at is None
    done = visitor.post(link, {"f1": "yes", "f2": "2", "f3": "需要", "f4": "=HYPERLINK()"})
    assert done.status_code == 302
    with tenant_context(a):
        row.refresh_from_db()
    assert row.answers["f2"] == "2" and row.read_at == first_read
    replied = row.replied_at
    # The same answers again change nothing; new ones replace them before the deadline.
    visitor.post(link, {"f1": "yes", "f2": "2", "f3": "需要", "f4": "=HYPERLINK()"})
    with tenant_context(a):
        row.refresh_from_db()
    assert row.replied_at == replied
    visitor.post(link, {"f1": "no", "f2": "0"})
    with tenant_context(a):
        row.refresh_from_db()
    assert row.answers["f1"] == "no"

    # After the deadline: the page still opens, the reply is refused with a clear message.
    with tenant_context(a):
        Announcement.objects.filter(pk=announcement.pk).update(
            reply_deadline=timezone.now() - timedelta(minutes=1)
        )
    closed = visitor.get(link).content.decode()
    assert 'id="reply-closed"' in closed and 'id="reply-form"' not in closed
    late = visitor.post(link, {"f1": "yes", "f2": "5"}, follow=True).content.decode()
    assert "截止" in late
    with tenant_context(a):
        row.refresh_from_db()
        assert row.answers["f1"] == "no"
        with pytest.raises(ValidationError, match="截止"):
            services.reply_submit(
                association=a, actor=None, recipient=row, answers={"f1": "yes", "f2": "1"}
            )


def test_tampered_or_foreign_links_are_404(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    first = sent(a, side_a.admin, title="第一份通知")
    second = sent(a, side_a.admin, title="第二份通知")
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=first, person=side_a.person)
        other_row = AnnouncementRecipient.objects.get(announcement=second, person=side_a.person)
    key = key_of(row)
    good = url("announcement_open", side_a, announcement_id=first.pk, receipt_key=key)
    assert Client().get(good).status_code == 200
    rid, signature = key.split(".")
    tampered = [
        f"{rid}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{other_row.pk}.{signature}",  # another recipient's id under this signature
        rid,
        f".{signature}",
    ]
    for bad in tampered:
        bad_url = url("announcement_open", side_a, announcement_id=first.pk, receipt_key=bad)
        assert Client().get(bad_url).status_code == 404, bad
    # Another announcement's key, and this key on the other announcement or association.
    assert (
        Client()
        .get(url("announcement_open", side_a, announcement_id=second.pk, receipt_key=key))
        .status_code
        == 404
    )
    assert (
        Client()
        .get(url("announcement_open", side_b, announcement_id=first.pk, receipt_key=key))
        .status_code
        == 404
    )
    with tenant_context(a):
        other_row.refresh_from_db()
    assert other_row.read_at is None


def test_member_list_unread_first_with_reply_badge_and_reading_marks_read(
    side_a: Side, member_a: Client
) -> None:
    a = side_a.association
    older = sent(a, side_a.admin, title="旧通知", reply=False)
    newer = sent(a, side_a.admin, title="需回执的通知")
    member_a.get(url("announcement", side_a, announcement_id=older.pk))
    listing = member_a.get(url("announcements", side_a)).content.decode()
    assert listing.index("需回执的通知") < listing.index("旧通知")
    assert listing.count("is-unread") == 1 and "needs-reply" in listing
    page = member_a.get(url("announcement", side_a, announcement_id=newer.pk)).content.decode()
    assert 'id="reply-form"' in page
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=newer, user=side_a.member_user)
        inbox = InboxMessage.objects.get(user=side_a.member_user, target_id=newer.pk)
    assert row.read_via == "inbox" and inbox.read_at is not None
    response = member_a.post(
        url("announcement", side_a, announcement_id=newer.pk), {"f1": "yes", "f2": "1"}
    )
    assert response.status_code == 302
    listing = member_a.get(url("announcements", side_a)).content.decode()
    assert "is-unread" not in listing and "needs-reply" not in listing
    with tenant_context(a):
        assert selectors.awaiting_me(association=a, user=side_a.member_user) == []
    with tenant_context(a):
        mine = selectors.my_announcements(association=a, user=side_a.member_user)
        assert not mine.filter(is_read=False).exists()
    later = sent(a, side_a.admin, title="又一份需回执的通知")
    with tenant_context(a):
        assert [x.pk for x in selectors.awaiting_me(association=a, user=side_a.member_user)] == [
            later.pk
        ]


def test_a_member_not_reached_gets_404(side_a: Side) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin)
    stranger = UserFactory()
    from shanghui.testing.factories import RoleFactory

    RoleFactory(association=a, user=stranger)
    from shanghui.testing.fixtures import client_for

    response = client_for(stranger).get(
        url("announcement", side_a, announcement_id=announcement.pk)
    )
    assert response.status_code == 404


def test_receipts_per_member_and_person_and_reminder_to_the_unread(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    second = PersonFactory(association=a, name="第二代表")
    RepresentativeFactory(association=a, member=side_a.member, person=second)
    other = MemberFactory(association=a, name="远方贸易有限公司")
    far = RepresentativeFactory(association=a, member=other, person__name="远方代表").person
    announcement = sent(a, side_a.admin)
    Client().get(link_in(sms_to(second.phone)[0]))  # one of 龚氏's two representatives
    with tenant_context(a):
        figures = selectors.receipt_figures(association=a, announcement=announcement)
    assert (figures.people, figures.people_read, figures.members, figures.members_read) == (
        3,
        1,
        2,
        1,
    )

    page = admin_a.get(url("office_announcement_receipts", side_a, announcement_id=announcement.pk))
    body = page.content.decode()
    assert side_a.member.name in body and "远方贸易有限公司" in body
    unread = admin_a.get(
        url("office_announcement_receipts", side_a, announcement_id=announcement.pk) + "?unread=1"
    ).content.decode()
    assert "远方贸易有限公司" in unread and side_a.member.name not in unread
    people = admin_a.get(
        url("office_announcement_receipts", side_a, announcement_id=announcement.pk)
        + "?by=person&unread=1"
    ).content.decode()
    assert "远方代表" in people and "第二代表" not in people

    notifications.outbox.clear()
    reminded = admin_a.post(
        url("office_announcement_remind", side_a, announcement_id=announcement.pk)
    )
    assert reminded.status_code == 302
    run_worker()
    assert sms_to(far.phone) and sms_to(side_a.person.phone) and not sms_to(second.phone)
    assert "尚未阅读" in sms_to(far.phone)[0]
    # A second click at once is refused (no double reminder).
    with tenant_context(a):
        announcement.refresh_from_db()
        with pytest.raises(ValidationError):
            services.announcement_remind(
                association=a, actor=side_a.admin, announcement=announcement
            )


def test_replies_table_and_formula_safe_xlsx(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin)
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, person=side_a.person)
        services.reply_submit(
            association=a, actor=None, recipient=row,
            answers={"f1": "yes", "f2": "3", "f4": "=cmd|' /C calc'!A0"},
        )  # fmt: skip
    page = admin_a.get(
        url("office_announcement_receipts", side_a, announcement_id=announcement.pk) + "?by=reply"
    )
    assert 'id="replies"' in page.content.decode()
    response = admin_a.get(
        url("office_announcement_replies", side_a, announcement_id=announcement.pk)
    )
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:6] == ["会员单位", "姓名", "是否参加", "参会人数", "午餐", "备注"]
    assert values[1][0] == side_a.member.name and values[1][2] == "是"
    assert values[1][5] == "'=cmd|' /C calc'!A0"
    # Personal data leaving the system: audited and counted like a page of a list of people.
    from shanghui.core.models import AuditEntry

    with tenant_context(a):
        (read,) = AuditEntry.objects.filter(action="personal_data.list_read")
    assert read.actor == side_a.admin
    assert read.data["listing"] == f"announcement_replies:{announcement.pk}:xlsx"
    assert read.data["rows"] == 1
    from shanghui.publishing.tests.test_announcement_api import api

    by_api = api(side_a.admin).get(
        f"/api/v1/associations/{a.slug}/announcements/{announcement.pk}/replies.xlsx"
    )
    assert by_api.status_code == 200
    with tenant_context(a):
        assert AuditEntry.objects.filter(action="personal_data.list_read").count() == 2


def test_office_pages_compose_attach_send(side_a: Side, admin_a: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_a.post(
        url("office_announcement_new", side_a),
        {
            "title": "端午节放假通知",
            "body": "<p>放假三天</p><script>x</script>",
            "audience": "members",
            "reply_fields": "是否值班 | 是否 | 必填",
            "reply_deadline": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    with tenant_context(side_a.association):
        announcement = Announcement.objects.get(title="端午节放假通知")
    assert "script" not in announcement.body and announcement.reply_fields[0]["type"] == "yesno"
    aid = announcement.pk
    pdf = SimpleUploadedFile("安排.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    admin_a.post(url("office_announcement_attach", side_a, announcement_id=aid), {"file": pdf})
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    admin_a.post(url("office_announcement_attach", side_a, announcement_id=aid), {"file": fake})
    with tenant_context(side_a.association):
        assert [x.name for x in announcement.attachments.all()] == ["安排.pdf"]
    page = admin_a.get(url("office_announcement", side_a, announcement_id=aid)).content.decode()
    assert "安排.pdf" in page and 'id="send"' in page
    confirm = admin_a.get(url("office_announcement_send", side_a, announcement_id=aid))
    assert 'id="send-confirm"' in confirm.content.decode()
    admin_a.post(url("office_announcement_send", side_a, announcement_id=aid))
    run_worker()
    listing = admin_a.get(url("office_announcements", side_a)).content.decode()
    assert "端午节放假通知" in listing and "0 / 1" in listing


def test_members_cannot_open_the_back_office(side_a: Side, member_a: Client) -> None:
    announcement = draft(side_a.association, side_a.admin)
    for name, kwargs in (
        ("office_announcements", {}),
        ("office_announcement", {"announcement_id": announcement.pk}),
        ("office_announcement_receipts", {"announcement_id": announcement.pk}),
    ):
        assert member_a.get(url(name, side_a, **kwargs)).status_code == 403
    assert (
        member_a.post(
            url("office_announcement_send", side_a, announcement_id=announcement.pk)
        ).status_code
        == 403
    )


def test_staff_write_drafts_but_only_publishers_send(side_a: Side) -> None:
    from shanghui.accounts.models import Role
    from shanghui.testing.factories import RoleFactory
    from shanghui.testing.fixtures import client_for

    staff = UserFactory()
    RoleFactory(association=side_a.association, user=staff, kind=Role.Kind.STAFF)
    editor = client_for(staff)
    assert editor.get(url("office_announcements", side_a)).status_code == 200
    announcement = draft(side_a.association, staff)
    page = editor.get(url("office_announcement", side_a, announcement_id=announcement.pk))
    assert page.status_code == 200 and 'id="send"' not in page.content.decode()
    sending = url("office_announcement_send", side_a, announcement_id=announcement.pk)
    assert editor.post(sending).status_code == 403
    with tenant_context(side_a.association):
        announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT


def test_a_bad_reply_form_notation_is_a_form_error_and_saves_nothing(
    side_a: Side, admin_a: Client
) -> None:
    response = admin_a.post(
        url("office_announcement_new", side_a),
        {"title": "回执写错的通知", "audience": "members", "reply_fields": "人数 | 日期 | 必填"},
    )
    assert response.status_code == 200
    assert "第 1 行的类型应为 文本、选择、数字 或 是否" in response.content.decode()
    with tenant_context(side_a.association):
        assert not Announcement.objects.filter(title="回执写错的通知").exists()


def test_odd_or_overlong_ids_in_the_signed_link_are_404(side_a: Side) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin)
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, person=side_a.person)
    signature = key_of(row).split(".")[1]
    for bad in (
        "².x",
        f"²³.{signature}",
        "١٢.x",
        f"{'9' * 19}.{signature}",
        f"{'9' * 40}.x",
        "0.x",
    ):
        path = url("announcement_open", side_a, announcement_id=announcement.pk, receipt_key=bad)
        assert Client().get(path).status_code == 404, bad
    key = key_of(row)
    for kwargs in (
        {"announcement_id": 10**30, "receipt_key": key},
        {"announcement_id": announcement.pk, "receipt_key": "².x", "attachment_id": 1},
        {"announcement_id": announcement.pk, "receipt_key": key, "attachment_id": 10**30},
    ):
        name = "announcement_open_attachment" if "attachment_id" in kwargs else "announcement_open"
        assert Client().get(url(name, side_a, **kwargs)).status_code == 404, kwargs


def _writes(queries: Any) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_only_the_first_view_records_the_read(side_a: Side, member_a: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = side_a.association
    announcement = sent(a, side_a.admin)
    page = url("announcement", side_a, announcement_id=announcement.pk)
    with CaptureQueriesContext(connection) as first:
        assert member_a.get(page).status_code == 200
    assert any("publishing_announcementrecipient" in sql for sql in _writes(first))
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, user=side_a.member_user)
    read_at = row.read_at
    assert read_at is not None
    with CaptureQueriesContext(connection) as later:
        assert member_a.get(page).status_code == 200
    assert not [sql for sql in _writes(later) if "publishing_" in sql or "inbox" in sql]
    with CaptureQueriesContext(connection) as api_later:
        from shanghui.testing.fixtures import api_client_for

        detail = f"/api/v1/associations/{a.slug}/announcements/mine/{announcement.pk}"
        assert api_client_for(side_a.member_user).get(detail).status_code == 200
    assert not [sql for sql in _writes(api_later) if "publishing_" in sql or "inbox" in sql]
    # The signed link, opened after the read, writes nothing either.
    with CaptureQueriesContext(connection) as by_link:
        link = url("announcement_open", side_a, announcement_id=announcement.pk,
                   receipt_key=key_of(row))  # fmt: skip
        assert Client().get(link).status_code == 200
    assert not [sql for sql in _writes(by_link) if "publishing_" in sql]
    with tenant_context(a):
        row.refresh_from_db()
    assert row.read_at == read_at and row.read_via == "inbox"


def test_the_links_of_a_send_are_reversed_once_not_per_recipient(
    side_a: Side, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanghui.publishing import receipt_links

    a = side_a.association
    for n in range(4):
        RepresentativeFactory(association=a, member=side_a.member, person__name=f"代表{n}")
    calls: list[object] = []
    real = receipt_links.reverse

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(receipt_links, "reverse", counted)
    announcement = sent(a, side_a.admin)
    assert announcement.recipient_count == 5
    assert len(calls) == 1
    # Each link still opens its own recipient's page.
    person = PersonFactory._meta.model
    with tenant_context(a):
        phones = list(
            person.objects.filter(association=a, name__startswith="代表").values_list(
                "phone", flat=True
            )
        )
    for phone in phones:
        assert Client().get(link_in(sms_to(phone)[0])).status_code == 200
    with tenant_context(a):
        assert not AnnouncementRecipient.objects.filter(
            announcement=announcement, name__startswith="代表", read_at__isnull=True
        ).exists()


def test_awaiting_me_puts_a_due_reply_first_however_many_newer_unread(side_a: Side) -> None:
    a = side_a.association
    due = sent(a, side_a.admin, title="需回执的旧通知")
    newer = [sent(a, side_a.admin, title=f"新通知{n}", reply=False) for n in range(9)]
    with tenant_context(a):
        shown = selectors.awaiting_me(association=a, user=side_a.member_user, limit=2)
    assert [x.pk for x in shown] == [due.pk, newer[-1].pk]


def test_the_office_list_counts_per_row_without_joining_all_recipients(
    side_a: Side, admin_a: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = side_a.association
    second = PersonFactory(association=a, name="第二代表")
    RepresentativeFactory(association=a, member=side_a.member, person=second)
    announcement = sent(a, side_a.admin, title="有人已读的通知")
    sent(a, side_a.admin, title="无人阅读的通知", reply=False)
    draft(a, side_a.admin, title="草稿通知")
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, person=second)
        services.reply_submit(
            association=a, actor=None, recipient=row, answers={"f1": "yes", "f2": "1"}
        )
        counts = {
            x.title: (x.recipient_count, x.read_count, x.reply_count)
            for x in selectors.office_announcements(association=a)
        }
    assert counts == {
        "有人已读的通知": (2, 1, 1), "无人阅读的通知": (2, 0, 0), "草稿通知": (0, 0, 0),
    }  # fmt: skip
    with CaptureQueriesContext(connection) as listing:
        page = admin_a.get(url("office_announcements", side_a))
    assert "1 / 2" in page.content.decode()
    announcement_queries = [
        q["sql"] for q in listing if 'FROM "publishing_announcement"' in q["sql"]
    ]
    assert announcement_queries
    for sql in announcement_queries:
        assert 'JOIN "publishing_announcementrecipient"' not in sql, sql


def test_the_receipts_page_shows_people_and_replies_by_pages(
    side_a: Side, admin_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanghui.publishing.views import announcements as views

    monkeypatch.setattr(views, "PAGE", 2)
    a = side_a.association
    for n in range(2):
        RepresentativeFactory(association=a, member=side_a.member, person__name=f"代表{n}")
    announcement = sent(a, side_a.admin)
    with tenant_context(a):
        for row in AnnouncementRecipient.objects.filter(announcement=announcement):
            services.reply_submit(
                association=a, actor=None, recipient=row, answers={"f1": "yes", "f2": "1"}
            )
    receipts = url("office_announcement_receipts", side_a, announcement_id=announcement.pk)

    def rows_of(query: str, table: str) -> int:
        body = admin_a.get(receipts + query).content.decode()
        found = re.search(rf'<table class="table" id="{table}">(.*?)</table>', body, re.S)
        assert found, body
        return found.group(1).count("<tr>") - 1  # the header's row

    assert rows_of("?by=reply", "replies") == 2
    assert rows_of("?by=reply&page=2", "replies") == 1
    assert rows_of("?by=person", "receipts") == 2
    assert rows_of("?by=person&page=2", "receipts") == 1
    # The default view (by member enterprise) carries no replies table.
    assert 'id="replies"' not in admin_a.get(receipts).content.decode()


def _attached(side: Side, name: str = "会议议程（定稿）.pdf") -> Announcement:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = side.association
    announcement = draft(a, side.admin, reply_fields=[])
    with tenant_context(a):
        services.attachment_add(
            association=a,
            actor=side.admin,
            announcement=announcement,
            upload=SimpleUploadedFile(name, b"%PDF-1.4 agenda", content_type="application/pdf"),
        )
        services.announcement_send(association=a, actor=side.admin, announcement=announcement)
    run_worker()
    return announcement


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_attachment_downloads_signed_in_and_by_link_are_private_and_scoped(
    side_a: Side, side_b: Side, member_a: Client, member_b: Client
) -> None:
    from urllib.parse import quote

    a = side_a.association
    announcement = _attached(side_a)
    theirs = _attached(side_b, "乙方文件.pdf")
    with tenant_context(a):
        (attachment,) = announcement.attachments.all()
        row = AnnouncementRecipient.objects.get(announcement=announcement, person=side_a.person)
    with tenant_context(side_b.association):
        (their_attachment,) = theirs.attachments.all()
    signed_in = url(
        "announcement_attachment", side_a,
        announcement_id=announcement.pk, attachment_id=attachment.pk,
    )  # fmt: skip
    by_link = url(
        "announcement_open_attachment", side_a, announcement_id=announcement.pk,
        receipt_key=key_of(row), attachment_id=attachment.pk,
    )  # fmt: skip
    for response in (member_a.get(signed_in), Client().get(by_link)):
        assert response.status_code == 200
        assert _body(response) == b"%PDF-1.4 agenda"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        # Its name as uploaded (``display_name``: safe on any system), in RFC 5987 form.
        assert f"filename*=utf-8''{quote('会议议程（定稿）.pdf')}" in disposition
    # Another association's attachment id, on either path, and the other side's member: 404.
    for path in (
        url("announcement_attachment", side_a, announcement_id=announcement.pk,
            attachment_id=their_attachment.pk),
        url("announcement_open_attachment", side_a, announcement_id=announcement.pk,
            receipt_key=key_of(row), attachment_id=their_attachment.pk),
    ):  # fmt: skip
        assert member_a.get(path).status_code == 404
    assert member_b.get(signed_in).status_code == 404
    assert (
        Client().get(by_link.replace(f"/{attachment.pk}/", f"/{their_attachment.pk}/")).status_code
        == 404
    )


def test_enterprise_receipts_count_every_enterprise_a_person_represents_and_the_unreachable(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    east = MemberFactory(association=a, name="东方实业有限公司")
    west = MemberFactory(association=a, name="西部物流有限公司")
    both = RepresentativeFactory(association=a, member=east, person__name="两家代表").person
    RepresentativeFactory(association=a, member=west, person=both)
    silent = MemberFactory(association=a, name="无人可达有限公司")
    RepresentativeFactory(association=a, member=silent, person__name="无电话代表", person__phone="")
    MemberFactory(association=a, name="无代表有限公司")
    announcement = sent(a, side_a.admin)
    Client().get(link_in(sms_to(both.phone)[0]))
    with tenant_context(a):
        figures = selectors.receipt_figures(association=a, announcement=announcement)
        rows = {
            m.name: (m.people, m.people_read)
            for m in selectors.member_receipts(association=a, announcement=announcement)
        }
        unread = {
            m.name
            for m in selectors.member_receipts(
                association=a, announcement=announcement, unread_only=True
            )
        }
    assert rows == {
        side_a.member.name: (1, 0), "东方实业有限公司": (1, 1), "西部物流有限公司": (1, 1),
        "无人可达有限公司": (0, 0), "无代表有限公司": (0, 0),
    }  # fmt: skip
    assert unread == {side_a.member.name, "无人可达有限公司", "无代表有限公司"}
    assert (figures.people, figures.people_read, figures.members, figures.members_read) == (
        2, 1, 5, 2,
    )  # fmt: skip
    receipts = url("office_announcement_receipts", side_a, announcement_id=announcement.pk)
    page = admin_a.get(receipts).content.decode()
    assert "无人可达有限公司" in page and "无法送达" in page
    # The person list of either enterprise shows their representative.
    for member in (east, west):
        people = admin_a.get(f"{receipts}?by=person&member={member.pk}").content.decode()
        assert "两家代表" in people, member.name


def test_enterprise_receipts_of_a_rule_audience_include_the_unreachable(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        gold = Level.objects.create(
            association=a, name="常务副会长单位", rank=1, annual_fee=Decimal("20000")
        )
    reached = MemberFactory(association=a, name="金牌可达公司", level=gold)
    RepresentativeFactory(association=a, member=reached)
    silent = MemberFactory(association=a, name="金牌无电话公司", level=gold)
    RepresentativeFactory(association=a, member=silent, person__phone="")
    announcement = draft(a, side_a.admin, audience="rules", reply_fields=[])
    with tenant_context(a):
        services.announcement_audience_set(
            association=a,
            actor=side_a.admin,
            announcement=announcement,
            data=services.AudienceInput(level_ids=[gold.pk]),
        )
        services.announcement_send(association=a, actor=side_a.admin, announcement=announcement)
    run_worker()
    with tenant_context(a):
        rows = {
            m.name: m.people
            for m in selectors.member_receipts(association=a, announcement=announcement)
        }
    assert rows == {"金牌可达公司": 1, "金牌无电话公司": 0}


def test_a_retried_send_job_gives_nobody_their_message_twice(side_a: Side) -> None:
    from shanghui.core.models import Job, OutboxMessage
    from shanghui.core.notify.broadcast import broadcast_walk

    a = side_a.association
    second = PersonFactory(association=a, name="第二代表")
    RepresentativeFactory(association=a, member=side_a.member, person=second)
    third = RepresentativeFactory(association=a, member=MemberFactory(association=a)).person
    announcement = sent(a, side_a.admin)
    assert [len(sms_to(p.phone)) for p in (side_a.person, second, third)] == [1, 1, 1]
    # The walker stopped before it reached the third person: their message was never written.
    with tenant_context(a):
        job = Job.objects.get(pk=announcement.send_job_id)
        OutboxMessage.objects.filter(target_id=announcement.pk, phone=third.phone).delete()
    notifications.outbox.clear()

    # The queue runs the job's task again, as a retry does.
    broadcast_walk.enqueue(
        job_id=str(job.pk),
        association_id=a.pk,
        kind_code=services.ANNOUNCEMENT_KIND,
        source=services.SOURCE_ALL,
        owner_id=announcement.pk,
        target_type="publishing.announcement",
        target_id=announcement.pk,
    )
    run_worker()
    assert not sms_to(side_a.person.phone) and not sms_to(second.phone)
    assert len(sms_to(third.phone)) == 1
    with tenant_context(a):
        assert (
            InboxMessage.objects.filter(user=side_a.member_user, target_id=announcement.pk).count()
            == 1
        )
        assert AnnouncementRecipient.objects.filter(announcement=announcement).count() == 3


def test_office_list_shows_drafts_then_the_most_recently_sent(side_a: Side) -> None:
    a = side_a.association
    older = sent(a, side_a.admin, title="上月的通知", reply=False)
    newer = sent(a, side_a.admin, title="本周的通知", reply=False)
    with tenant_context(a):
        Announcement.objects.filter(pk=older.pk).update(sent_at=timezone.now() - timedelta(days=30))
        # Made after both, sent before both (as the demo's are): sent time decides.
        oldest = draft(a, side_a.admin, title="去年的通知")
        Announcement.objects.filter(pk=oldest.pk).update(
            status=Announcement.Status.SENT, sent_at=timezone.now() - timedelta(days=300)
        )
        pending = draft(a, side_a.admin, title="草稿")
        titles = [x.title for x in selectors.office_announcements(association=a)]
    assert titles == [pending.title, newer.title, older.title, oldest.title]


def test_while_the_send_job_runs_no_enterprise_is_called_unreachable(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    announcement = draft(a, side_a.admin, title="正在发送的通知")
    with tenant_context(a):
        services.announcement_send(association=a, actor=side_a.admin, announcement=announcement)
    receipts = url("office_announcement_receipts", side_a, announcement_id=announcement.pk)
    page = admin_a.get(receipts).content.decode()
    assert "送达中" in page and "无法送达" not in page  # the worker has not run yet
    run_worker()
    page = admin_a.get(receipts).content.decode()
    assert "送达中" not in page
