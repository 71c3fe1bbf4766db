"""The operator's console shows each association's storage and sets its quota (in GB); an
upload past the quota is refused with the figures, and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shanghui.associations.models import Association
from shanghui.core.models import PlatformAuditEntry
from shanghui.documents.tests.helpers import root_of, upload
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db


def test_operator_sees_usage_and_sets_the_quota(side_a: Side) -> None:
    upload(side_a, root_of(side_a), "大文件.pdf", b"%PDF-1.4 " + b"x" * 3000)
    operator = client_for(UserFactory(is_platform_operator=True))
    page = operator.get("/platform/associations/").content.decode()
    assert "存储空间" in page and "2.9\xa0KB / 10.0\xa0GB" in page
    response = operator.post(
        f"/platform/associations/{side_a.association.pk}/quota/", {"quota_gb": "20"}, follow=True
    )
    assert "存储容量设为 20 GB" in response.content.decode()
    side_a.association.refresh_from_db()
    assert side_a.association.storage_quota == 20 * 1024**3
    assert PlatformAuditEntry.objects.filter(action="association.quota").exists()
    refused = operator.post(
        f"/platform/associations/{side_a.association.pk}/quota/", {"quota_gb": "0.5"}, follow=True
    )
    assert "1" in refused.content.decode()
    side_a.association.refresh_from_db()
    assert side_a.association.storage_quota == 20 * 1024**3


def test_the_console_is_the_operators_only(side_a: Side) -> None:
    admin = client_for(side_a.admin)
    response = admin.post(
        f"/platform/associations/{side_a.association.pk}/quota/", {"quota_gb": "500"}
    )
    assert response.status_code in {403, 404}
    side_a.association.refresh_from_db()
    assert side_a.association.storage_quota is None


def test_an_upload_past_the_quota_is_refused_with_the_figures(side_a: Side) -> None:
    Association.objects.filter(pk=side_a.association.pk).update(storage_quota=2000)
    root = root_of(side_a)
    response = client_for(side_a.admin).post(
        f"/a/{side_a.association.slug}/office/documents/folders/{root.pk}/upload/",
        {"files": [SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4 " + b"y" * 3000)]},
        follow=True,
    )
    assert "资料库空间不足" in response.content.decode()
