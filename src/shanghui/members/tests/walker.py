"""Teaches the isolation walker this module's objects of association B."""

from django.core.files.base import ContentFile

from shanghui.core.tenancy import tenant_context
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
        member_import = MemberImport(
            association=b, owner=side_b.admin, original_name="乙市名单.xlsx"
        )
        member_import.source_file.save("b.xlsx", ContentFile(b"PK"), save=False)
        member_import.save()
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
