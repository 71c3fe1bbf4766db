"""Teaches the isolation walker this module's objects of association B."""

import io

from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.files import SOURCE_HOLDER
from shanghui.members.models import Level, MemberImport, MembershipApplication, Representative
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        level = Level.objects.create(association=b, name="乙市理事单位", rank=1, annual_fee=5000)
        application = MembershipApplication.objects.create(
            association=b,
            kind="enterprise",
            name="乙市申请入会有限公司",
            applicant_name="乙市申请人",
            applicant_phone="13922223333",
        )
        stored = file_store(b, io.BytesIO(b"PK"), holder=SOURCE_HOLDER, name="b.xlsx")
        member_import = MemberImport.objects.create(
            association=b, owner=side_b.admin, original_name="乙市名单.xlsx"
        )
        file_attach(member_import, "source_file", stored)
        representative = Representative.objects.get(association=b, member=side_b.member)
    return (
        {
            "level_id": str(level.pk),
            "member_application_id": str(application.pk),
            "import_id": str(member_import.pk),
            "representative_id": str(representative.pk),
        },
        ["乙市理事单位", "乙市申请入会有限公司", "乙市申请人", "乙市名单.xlsx"],
    )
