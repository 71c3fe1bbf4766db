"""Share links: open without an account, password with a rate limit, expiry, revoke, a
deleted file, the token of another association, download counts and the audit log."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import ShareLink
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.services import shares as share_services
from shanghui.documents.tests.helpers import folder_make, root_of, upload, xlsx_bytes
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db


def _share(
    side: Side, name: str = "会议议程.pdf", data: bytes = b"%PDF-1.4 agenda", **options: object
) -> tuple[ShareLink, str]:
    version = upload(side, root_of(side), name, data)
    with tenant_context(side.association):
        return share_services.share_create(
            association=side.association, actor=side.admin, file=version.file, **options
        )


def _url(side: Side, token: str) -> str:
    return f"/a/{side.association.slug}/documents/s/{token}/"


def test_anyone_with_the_link_downloads_and_it_is_counted(side_a: Side) -> None:
    share, token = _share(side_a)
    assert share.token_sha256 == share_services.token_digest(token)
    assert token not in share.token_sha256
    page = Client().get(_url(side_a, token))
    assert page.status_code == 200 and "会议议程.pdf" in page.content.decode()
    download = Client().get(_url(side_a, token) + "?download=1")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 agenda"  # type: ignore[attr-defined]
    with tenant_context(side_a.association):
        share.refresh_from_db()
        assert share.downloads == 1
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "documents.share.create" in actions and "documents.share.download" in actions


def test_password_is_asked_checked_and_rate_limited(side_a: Side) -> None:
    share, token = _share(side_a, password="8866")
    assert share.password_hash and "8866" not in share.password_hash
    visitor = Client()
    assert "提取密码" in visitor.get(_url(side_a, token)).content.decode()
    # Without the password, ?download=1 only shows the form again.
    assert visitor.get(_url(side_a, token) + "?download=1").status_code == 200
    wrong = visitor.post(_url(side_a, token), {"password": "1111"})
    assert wrong.status_code == 200 and "密码不正确" in wrong.content.decode()
    right = visitor.post(_url(side_a, token), {"password": "8866"})
    assert b"".join(right.streaming_content) == b"%PDF-1.4 agenda"  # type: ignore[attr-defined]
    for _ in range(10):
        visitor.post(_url(side_a, token), {"password": "0000"})
    blocked = visitor.post(_url(side_a, token), {"password": "8866"})
    assert blocked.status_code == 429


def test_expired_revoked_and_deleted_say_so(side_a: Side) -> None:
    share, token = _share(side_a)
    with tenant_context(side_a.association):
        ShareLink.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    page = Client().get(_url(side_a, token) + "?download=1")
    assert page.status_code == 410 and "此分享链接已过期" in page.content.decode()

    share, token = _share(side_a, name="名单.xlsx", data=xlsx_bytes("names"))
    with tenant_context(side_a.association):
        share_services.share_revoke(association=side_a.association, actor=side_a.admin, share=share)
    page = Client().get(_url(side_a, token))
    assert page.status_code == 410 and "已被分享人取消" in page.content.decode()

    share, token = _share(side_a, name="照片.jpg", data=photo_like(side=48))
    with tenant_context(side_a.association):
        file_services.file_delete(
            association=side_a.association, actor=side_a.admin, file=share.file
        )
    page = Client().get(_url(side_a, token))
    assert page.status_code == 410 and "分享的文件已被删除" in page.content.decode()


def test_a_file_in_a_trashed_folder_is_not_shared(side_a: Side) -> None:
    folder = folder_make(side_a, "会议材料")
    version = upload(side_a, folder, "议程.pdf", b"%PDF-1.4 agenda")
    with tenant_context(side_a.association):
        _share, token = share_services.share_create(
            association=side_a.association, actor=side_a.admin, file=version.file
        )
        folder_services.folder_delete(
            association=side_a.association, actor=side_a.admin, folder=folder
        )
    page = Client().get(_url(side_a, token) + "?download=1")
    assert page.status_code == 410 and "分享的文件已被删除" in page.content.decode()
    with tenant_context(side_a.association):
        folder_services.folder_restore(
            association=side_a.association, actor=side_a.admin, folder=folder
        )
    assert Client().get(_url(side_a, token)).status_code == 200


def test_unknown_token_and_another_associations_token_are_404(side_a: Side, side_b: Side) -> None:
    _share_b, token_b = _share(side_b)
    assert Client().get(_url(side_a, token_b)).status_code == 404
    assert Client().get(_url(side_a, "nonsense-token")).status_code == 404
    assert Client().get(_url(side_b, token_b)).status_code == 200


@pytest.mark.parametrize("days", [0, 31])
def test_expiry_is_one_to_thirty_days(side_a: Side, days: int) -> None:
    version = upload(side_a, root_of(side_a), "a.pdf", b"%PDF-1.4")
    with tenant_context(side_a.association), pytest.raises(Exception, match="1–30"):
        share_services.share_create(
            association=side_a.association, actor=side_a.admin, file=version.file, days=days
        )


def test_office_creates_shows_once_and_revokes(side_a: Side) -> None:
    version = upload(side_a, root_of(side_a), "章程.pdf", b"%PDF-1.4 rules")
    admin = client_for(side_a.admin)
    base = f"/a/{side_a.association.slug}/office/documents/files/{version.file_id}/"
    page = admin.post(base + "shares/", {"days": 3, "password": ""}, follow=True).content.decode()
    assert "/documents/s/" in page and "只显示这一次" in page
    assert "只显示这一次" not in admin.get(base).content.decode()
    with tenant_context(side_a.association):
        share = ShareLink.objects.get()
        assert (share.expires_at - timezone.now()).days == 2  # 3 days, less a moment
    admin.post(base + f"shares/{share.pk}/revoke/")
    with tenant_context(side_a.association):
        share.refresh_from_db()
    assert share.revoked_at is not None
