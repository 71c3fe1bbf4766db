"""What the library's page and API tests share: a staff member, uploads, a members' folder."""

import io

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


def xlsx_bytes(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
