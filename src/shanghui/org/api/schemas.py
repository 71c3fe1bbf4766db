"""API shapes of the organisation structure. Nothing here carries a phone number: members read
these lists, and the public chart is names only."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from shanghui.core.regions import region_full_name
from shanghui.org.models import Appointment, Branch, CommitteeMembership, GroupMember
from shanghui.org.recycle_bin import TrashItem


class OrgTermOut(Schema):
    id: int
    name: str
    number: int
    starts_on: date
    ends_on: date | None
    is_current: bool


class OrgTermIn(Schema):
    name: str = Field(max_length=60)
    number: StrictInt | None = Field(None, ge=1, le=32767)
    starts_on: date
    ends_on: date | None = None
    is_current: StrictBool = False


class OrgTermPatch(Schema):
    name: str | None = Field(None, max_length=60)
    number: StrictInt | None = Field(None, ge=1, le=32767)
    starts_on: date | None = None
    ends_on: date | None = None
    is_current: StrictBool | None = None


class OrgTermChangeIn(Schema):
    name: str = Field(max_length=60, description="新一届名称，如“第七届理事会”")
    number: StrictInt | None = Field(None, ge=1, le=32767, description="不填则顺延")
    starts_on: date = Field(description="新一届开始日期；本届在前一日结束")
    ends_on: date | None = None
    carry_over_post_ids: list[StrictInt] = Field(
        default_factory=list, max_length=500, description="现任者在新一届连任的职务"
    )


class OrgTermChangeOut(Schema):
    term: OrgTermOut
    ended_appointments: int
    carried_over: int


class OrgPostOut(Schema):
    id: int
    name: str
    sort_order: int
    is_council: bool
    is_secretariat: bool


class OrgPostIn(Schema):
    name: str = Field(max_length=30)
    sort_order: StrictInt = Field(0, ge=0, le=32767)
    is_council: StrictBool = False
    is_secretariat: StrictBool = False


class OrgPostPatch(Schema):
    name: str | None = Field(None, max_length=30)
    sort_order: StrictInt | None = Field(None, ge=0, le=32767)
    is_council: StrictBool | None = None
    is_secretariat: StrictBool | None = None


class OrgAppointmentOut(Schema):
    id: int
    term_id: int
    post_id: int
    post_name: str
    person_id: int
    person_name: str
    member_id: int | None
    member_name: str | None
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_post_name(obj: Appointment) -> str:
        return obj.post.name

    @staticmethod
    def resolve_person_name(obj: Appointment) -> str:
        return obj.person.name

    @staticmethod
    def resolve_member_name(obj: Appointment) -> str | None:
        return obj.member.name if obj.member else None


class OrgAppointmentIn(Schema):
    term_id: StrictInt
    post_id: StrictInt
    person_id: StrictInt
    member_id: StrictInt | None = None
    starts_on: date | None = Field(None, description="不填则为该届开始日期")
    ends_on: date | None = None


class OrgAppointmentPatch(Schema):
    post_id: StrictInt | None = None
    person_id: StrictInt | None = None
    member_id: StrictInt | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class OrgCommitteeOut(Schema):
    id: int
    name: str
    description: str
    sort_order: int


class OrgCommitteeIn(Schema):
    name: str = Field(max_length=60)
    description: str = Field("", max_length=2000)
    sort_order: StrictInt = Field(0, ge=0, le=32767)


class OrgCommitteePatch(Schema):
    name: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=2000)
    sort_order: StrictInt | None = Field(None, ge=0, le=32767)


class OrgMembershipOut(Schema):
    id: int
    committee_id: int
    person_id: int
    person_name: str
    role: str
    role_label: str

    @staticmethod
    def resolve_person_name(obj: CommitteeMembership) -> str:
        return obj.person.name

    @staticmethod
    def resolve_role_label(obj: CommitteeMembership) -> str:
        return str(obj.get_role_display())


class OrgMembershipIn(Schema):
    person_id: StrictInt
    role: str = Field(CommitteeMembership.Role.MEMBER, description="chair / vice_chair / member")


class OrgMembershipPatch(Schema):
    role: str = Field(description="chair / vice_chair / member")


class OrgBranchOut(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    leader_id: int | None
    leader_name: str | None

    @staticmethod
    def resolve_region_name(obj: Branch) -> str:
        return region_full_name(obj.region_code)

    @staticmethod
    def resolve_leader_name(obj: Branch) -> str | None:
        return obj.leader.name if obj.leader else None


class OrgBranchIn(Schema):
    name: str = Field(max_length=60)
    region_code: str = Field("", max_length=6)
    leader_id: StrictInt | None = None


class OrgBranchPatch(Schema):
    name: str | None = Field(None, max_length=60)
    region_code: str | None = Field(None, max_length=6)
    leader_id: StrictInt | None = None


class OrgGroupMemberOut(Schema):
    id: int
    name: str
    linked_association_slug: str | None
    uscc: str
    region_code: str
    region_name: str
    joined_on: date | None
    member_count: int | None = Field(description="对方同意向本会共享时为其会员总数，否则为 null")

    @staticmethod
    def resolve_linked_association_slug(obj: GroupMember) -> str | None:
        return obj.linked_association.slug if obj.linked_association else None

    @staticmethod
    def resolve_region_name(obj: GroupMember) -> str:
        return region_full_name(obj.region_code)


class OrgGroupMemberIn(Schema):
    name: str = Field("", max_length=100, description="关联平台商协会时可不填")
    linked_association_slug: str = Field("", max_length=40, description="平台上的商协会")
    uscc: str = Field("", max_length=18)
    region_code: str = Field("", max_length=6)
    joined_on: date | None = None


class OrgGroupMemberPatch(Schema):
    name: str | None = Field(None, max_length=100)
    linked_association_slug: str | None = Field(None, max_length=40)
    uscc: str | None = Field(None, max_length=18)
    region_code: str | None = Field(None, max_length=6)
    joined_on: date | None = None


class OrgSharingConsentOut(Schema):
    parent_slug: str
    parent_name: str
    shares_figures_with_parent: bool
    shares_charity_with_parent: bool
    updated_at: datetime


class OrgSharingConsentIn(Schema):
    parent_slug: str = Field(max_length=40, description="上级商协会的网址标识")
    shares_figures_with_parent: StrictBool
    shares_charity_with_parent: StrictBool | None = Field(
        None, description="慈善公益汇总的共享授权；省略则保持不变"
    )


class OrgSettingsOut(Schema):
    publish_chart: bool


class OrgSettingsIn(Schema):
    publish_chart: StrictBool


class OrgChartPostOut(Schema):
    name: str
    is_council: bool
    is_secretariat: bool
    names: list[str]


class OrgChartOut(Schema):
    association: str
    term: str
    starts_on: date
    ends_on: date | None
    posts: list[OrgChartPostOut]


_RESTORE_PATHS = {
    "term": "org/terms/{id}/restore",
    "post": "org/posts/{id}/restore",
    "appointment": "org/appointments/{id}/restore",
    "committee": "org/committees/{id}/restore",
    "branch": "org/branches/{id}/restore",
    "representative": "members/{member_id}/representatives/{id}/restore",
}


class OrgTrashItemOut(Schema):
    kind: str = Field(description="term / post / appointment / committee / branch / representative")
    kind_label: str
    id: int
    name: str
    detail: str
    deleted_at: datetime
    deleted_by_name: str
    member_id: int | None = Field(description="会员代表/联络人所属的会员，其他为 null")
    restore_path: str = Field(description="恢复：POST /api/v1/associations/{slug}/ 之后的路径")

    @staticmethod
    def resolve_restore_path(obj: TrashItem) -> str:
        return _RESTORE_PATHS[obj.kind].format(id=obj.id, member_id=obj.member_id)
