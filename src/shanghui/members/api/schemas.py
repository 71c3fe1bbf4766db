"""The request and response bodies of the members API (``api.members``), beyond the member
view itself (``presenters.MemberView``)."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import StrictBool, StrictInt

from shanghui.members.models import MemberStatusChange
from shanghui.members.services.members import MemberInput, RepresentativeInput


class MemberQuery(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    industry: str = ""
    hometown: str = ""
    region: str = ""
    level: str = ""
    joined_year: str = ""
    committee: str = ""


class RepresentativeIn(Schema):
    name: str
    phone: str = ""
    title: str = ""
    email: str = ""


class MemberIn(Schema):
    kind: str
    name: str
    uscc: str = ""
    level_id: StrictInt | None = None
    legal_representative: str = ""
    industry_code: str = ""
    region_code: str = ""
    address: str = ""
    hometown_code: str = ""
    introduction: str = ""
    main_products: str = ""
    website: str = ""
    size: str = ""
    joined_on: date | None = None
    member_no: str = ""
    representatives: list[RepresentativeIn] = []

    def to_input(self) -> MemberInput:
        data = self.dict(exclude={"representatives"})
        reps = [RepresentativeInput(**rep.dict()) for rep in self.representatives]
        return MemberInput(**data, representatives=reps)


class MemberStatusIn(Schema):
    status: str
    reason: str = ""
    effective_on: date | None = None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    effective_on: date
    actor_name: str

    @staticmethod
    def resolve_actor_name(obj: MemberStatusChange) -> str:
        return obj.actor.name if obj.actor else ""


class LevelIn(Schema):
    name: str
    rank: StrictInt
    annual_fee: Decimal


class LevelChangeIn(LevelIn):
    is_active: StrictBool | None = None  # left out: the level stays as it is


class LevelOut(Schema):
    id: int
    name: str
    rank: int
    annual_fee: Decimal
    is_active: bool


class PolicyIO(Schema):
    member_no_pattern: str
    required_referrers: StrictInt = 0
    referrer_min_level_id: StrictInt | None = None


class RepresentativeAddIn(RepresentativeIn):
    kind: str = "representative"


class RepresentativeChangeIn(Schema):
    title: str = ""
    kind: str = "representative"
