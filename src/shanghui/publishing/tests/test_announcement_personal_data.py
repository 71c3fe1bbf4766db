"""A person's read receipts and replies join their personal-data export and are deleted
with their account."""

import pytest

from shanghui.accounts.personal_data import account_delete, personal_data
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import AnnouncementRecipient
from shanghui.publishing.services import announcements as services
from shanghui.testing.fixtures import Side

from .announcement_factories import sent

pytestmark = pytest.mark.django_db


def test_export_and_deletion(side_a: Side) -> None:
    a = side_a.association
    announcement = sent(a, side_a.admin, title="关于换届的通知")
    with tenant_context(a):
        row = AnnouncementRecipient.objects.get(announcement=announcement, user=side_a.member_user)
        services.reply_submit(
            association=a, actor=side_a.member_user, recipient=row, answers={"f1": "yes", "f2": "2"}
        )
    tables = personal_data(side_a.member_user)
    rows = tables["通知阅读与回执"]
    assert rows[0]["通知"] == "关于换届的通知" and "是否参加：是" in rows[0]["回执"]
    account_delete(user=side_a.member_user, password="Test-pass-2026")
    with tenant_context(a):
        assert not AnnouncementRecipient.objects.filter(person=side_a.person).exists()
        assert AnnouncementRecipient.objects.filter(announcement=announcement).count() == 0
