"""The request and response bodies of associations and their onboarding applications (also
used by the platform console's and onboarding's endpoints in ``accounts.api``)."""

from datetime import date, datetime

from ninja import Schema

from shanghui.associations.models import Association
from shanghui.core.regions import region_full_name


class AssociationOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    founded_on: date | None
    introduction: str
    status: str
    # The public site's contact and footer.
    contact_phone: str
    contact_email: str
    contact_address: str
    icp_number: str

    @staticmethod
    def resolve_kind_label(obj: Association) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_name(obj: Association) -> str:
        return region_full_name(obj.region_code)


class ApplicationIn(Schema):
    name: str
    short_name: str = ""
    slug: str
    kind: str
    region_code: str
    uscc: str
    founded_on: date | None = None
    introduction: str = ""
    contact_name: str
    contact_phone: str
    contact_email: str = ""
    note: str = ""
    accept_privacy: bool = False


class ApplicationOut(Schema):
    id: int
    status: str
    association: AssociationOut
    contact_name: str
    contact_phone: str
    contact_email: str
    note: str
    decision_reason: str
    created_at: datetime
    reviewed_at: datetime | None
