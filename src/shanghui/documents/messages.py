"""The messages the document library sends (``core.notifications`` kinds) and who gets them."""

from django.utils.translation import gettext_lazy as _

from shanghui.accounts.models import Role
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredContent
from shanghui.core.notifications import MessageKind, Recipient, notify
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, FileVersion

CONTENT_CORRUPT = "documents.content_corrupt"

KINDS = (
    MessageKind(
        code=CONTENT_CORRUPT,
        label=_("资料库文件损坏"),
        subject=_("资料库发现损坏的文件"),
        text=_(
            "资料库中的文件“{name}”读取时校验不符，下载已中止。请在资料库中恢复其历史版本或重新上传；"
            "平台运维人员也已在日志中看到此问题。"
        ),
        # The inbox and email: an administrator acts on it at a desk, and SMS gateways take
        # only approved templates.
        channels=("inbox", "email"),
    ),
)


def tell_administrators(content: StoredContent) -> None:
    """A read found ``content`` corrupt or missing (``core.storage`` listener): audit it and
    tell the association's administrators, naming the files that hold it."""
    association = Association.objects.get(pk=content.association_id)
    with tenant_context(association):
        file_ids = FileVersion.objects.filter(content=content).values("file_id")
        names = list(DriveFile.objects.filter(pk__in=file_ids).values_list("name", flat=True)[:3])
        name = "、".join(names) or content.sha256[:12]
        audit(
            actor=None,
            action="documents.content.corrupt",
            association=association,
            target=content,
            summary=name,
        )
        administrators = Role.objects.filter(
            association=association, kind=Role.Kind.ADMIN, is_active=True
        ).select_related("user")
        notify(
            association=association,
            kind=CONTENT_CORRUPT,
            to=[
                Recipient(phone=role.user.phone or "", email=role.user.email, user_id=role.user_id)
                for role in administrators
            ],
            params={"name": name},
        )
