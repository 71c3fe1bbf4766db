"""What the library's page and API tests share: a staff member, uploads, a members' folder."""

import io
import zipfile

from openpyxl import Workbook

from shanghui.accounts.models import Role, User
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import FileVersion, Folder
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side


def staff_of(side: Side) -> User:
    user = UserFactory(name="干事小温")
    with tenant_context(side.association):
        RoleFactory(association=side.association, user=user, kind=Role.Kind.STAFF)
    return user


def folder_make(side: Side, name: str, audience: str = Folder.Audience.STAFF) -> Folder:
    with tenant_context(side.association):
        return folder_services.folder_create(
            association=side.association,
            actor=side.admin,
            parent=folder_services.root_folder(side.association),
            name=name,
            audience=audience,
        )


def upload(side: Side, folder: Folder, name: str, data: bytes) -> FileVersion:
    with tenant_context(side.association):
        return file_services.file_upload(
            association=side.association,
            actor=side.admin,
            folder=folder,
            name=name,
            source=io.BytesIO(data),
        )


def root_of(side: Side) -> Folder:
    with tenant_context(side.association):
        return folder_services.root_folder(side.association)


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed date: the same text makes the same bytes (downloads are compared with them).
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def docx_bytes(text: str) -> bytes:
    """A small .docx that the library's content check accepts (a Word package)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            _entry("_rels/.rels"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            _entry("word/document.xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
