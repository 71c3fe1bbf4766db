"""`manage.py verify_storage` over the document library: a file's object lost or damaged is
an error at once — a version refers to it, so it is no upload cut short — and the library's
administrators are told, as a download finding it would tell them."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def test_a_lost_library_file_is_an_error_and_its_administrators_are_told(side_a: Side) -> None:
    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        kept = file_services.file_upload(
            association=association,
            actor=side_a.admin,
            folder=root,
            name="章程.pdf",
            source=io.BytesIO(b"%PDF-1.4 statutes"),
        )
        lost = file_services.file_upload(
            association=association,
            actor=side_a.admin,
            folder=root,
            name="2026年理事会纪要.pdf",
            source=io.BytesIO(b"%PDF-1.4 minutes of the council"),
        )
    out = io.StringIO()
    with as_app_role():
        call_command("verify_storage", stdout=out)
    assert "缺失或损坏 0 个" in out.getvalue()

    (Path(settings.CONTENT_ROOT) / lost.content.key).unlink()
    out = io.StringIO()
    # The command's error is caught inside the role's block: as in production, where each of
    # its writes commits on its own, its failing exit does not undo the flag and the message.
    with as_app_role(), pytest.raises(CommandError):
        call_command("verify_storage", stdout=out)
    assert f"[错误] jiashi {lost.content.sha256}" in out.getvalue()
    assert "对象缺失" in out.getvalue()
    assert kept.content.sha256 not in out.getvalue()
    with tenant_context(association):
        message = InboxMessage.objects.get(user=side_a.admin)
        assert "2026年理事会纪要.pdf" in message.text
