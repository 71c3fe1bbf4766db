"""The slots apps fill for the pages that look across apps (core.contributions): an entry
once per key whatever the number of ``ready`` calls, in its order, shown to the roles it
names; a job kind readable only as its app registered it."""

from shanghui.accounts.models import Role
from shanghui.core.contributions import (
    JOB_KINDS,
    MOBILE_TABS,
    OFFICE_NAV,
    NavItem,
    Slot,
    may_read_job,
)


def test_an_entry_is_registered_once_and_listed_in_its_order() -> None:
    slot: Slot[NavItem] = Slot("test")
    slot.register(NavItem(label="乙", url_name="b", order=20))
    slot.register(NavItem(label="甲", url_name="a", order=10))
    slot.register(NavItem(label="乙（再次）", url_name="b", order=5))
    assert [item.label for item in slot.entries()] == ["甲", "乙"]


def test_a_slot_shows_each_role_what_it_may_see() -> None:
    slot: Slot[NavItem] = Slot("test")
    slot.register(NavItem(label="所有人", url_name="a"))
    slot.register(NavItem(label="管理员", url_name="b", visible_to=lambda role: role is not None))
    assert [item.label for item in slot.visible_to(None)] == ["所有人"]
    assert len(slot.visible_to(Role(kind=Role.Kind.ADMIN))) == 2


def test_the_apps_fill_the_shell_in_their_order() -> None:
    assert [item.url_name for item in OFFICE_NAV.entries()] == [
        "site:office_dashboard",
        "members:office_members",
        "members:office_applications",
        "dues:office_dues",
        "org:office_overview",
        "publishing:office_articles",
        "events:office_list",
        "publishing:office_announcements",
        "documents:office_library",
        "charity:office_dashboard",
        "accounts:office_roles",
        "network:office_listings",
        "providers:office_catalogue",
        "accounts:office_deliveries",
        "accounts:office_audit",
        "members:office_levels",
        "accounts:office_settings",
        "publishing:office_site_settings",
        "members:home",
    ]
    assert [item.url_name for item in MOBILE_TABS.entries()] == [
        "members:home",
        "members:directory",
        "events:list",
        "accounts:space_me",
    ]


def test_a_job_kind_is_readable_as_its_app_registered_it() -> None:
    admin, member = Role(kind=Role.Kind.ADMIN), Role(kind=Role.Kind.MEMBER)
    assert {entry.prefix for entry in JOB_KINDS.entries()} >= {
        "members.export",
        "members.import",
        "dues.generate",
        "events.pdf",
    }
    assert may_read_job(admin, "members.import.validating")
    assert not may_read_job(member, "members.export")
    # A kind no app registered is readable by no one.
    assert not may_read_job(admin, "unknown.kind")
    assert not may_read_job(admin, "members.exporter")
