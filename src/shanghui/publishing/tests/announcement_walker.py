"""Teaches the isolation walker the announcements of association B: a sent announcement
with an attachment, its recipients fixed, and the signed link key of B's member (which must
open nothing under A's slug)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import Announcement, AnnouncementRecipient
from shanghui.publishing.receipt_links import receipt_key
from shanghui.publishing.services import announcements as services
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        announcement = services.announcement_create(
            association=b,
            actor=side_b.admin,
            data=services.AnnouncementInput(
                title="乙市秘密通知",
                body="<p>乙市内部事项</p>",
                reply_fields=[{"label": "乙市回执项", "type": "text", "required": True}],
                reply_deadline=timezone.now() + timedelta(days=7),
            ),
        )
        attachment = services.attachment_add(
            association=b,
            actor=side_b.admin,
            announcement=announcement,
            upload=SimpleUploadedFile(
                "乙市附件.pdf", b"%PDF-1.4 b", content_type="application/pdf"
            ),
        )
        # Sent, its recipients fixed as the broadcast's worker fixes them.
        Announcement.objects.filter(pk=announcement.pk).update(
            status=Announcement.Status.SENT, sent_at=timezone.now()
        )
        announcement.status = Announcement.Status.SENT
        services.recipients_fix(association=b, announcement=announcement)
        recipient = AnnouncementRecipient.objects.get(announcement=announcement)
    key = receipt_key(
        association_id=b.pk, announcement_id=announcement.pk, recipient_id=recipient.pk
    )
    values = {
        "announcement_id": str(announcement.pk),
        "attachment_id": str(attachment.pk),
        "receipt_key": key,
    }
    return values, ["乙市秘密通知", "乙市内部事项", "乙市回执项", "乙市附件.pdf"]
