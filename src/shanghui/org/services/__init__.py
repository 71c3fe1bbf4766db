"""Changing the organisation structure. Every service is called by both the back-office pages
and the API, inside the association's tenant context, with objects the caller obtained
through ``org.selectors.access_*`` (so they belong to ``association``); keyword-only, with
``actor=``, one transaction, audit-logged. Bad input raises a ``ValidationError`` with a
Chinese message per field and changes nothing.

- ``terms``: terms (届), posts (职务), appointments, the change of term (换届), the public chart;
- ``units``: committees and their members, branches (分会), group members (团体会员), and the
  child association's consent to share its figures with a parent.
"""

from shanghui.org.services.terms import (
    DEFAULT_POSTS,
    AppointmentInput,
    PostInput,
    TermChange,
    TermInput,
    appointment_create,
    appointment_delete,
    appointment_restore,
    appointment_update,
    org_settings_update,
    post_create,
    post_delete,
    post_restore,
    post_update,
    posts_add_defaults,
    term_change,
    term_create,
    term_delete,
    term_restore,
    term_update,
)
from shanghui.org.services.units import (
    BranchInput,
    CommitteeInput,
    GroupMemberInput,
    branch_create,
    branch_delete,
    branch_restore,
    branch_update,
    committee_create,
    committee_delete,
    committee_member_add,
    committee_member_remove,
    committee_member_update,
    committee_restore,
    committee_update,
    group_member_create,
    group_member_delete,
    group_member_update,
    sharing_consent_set,
)

__all__ = [
    "DEFAULT_POSTS",
    "AppointmentInput",
    "BranchInput",
    "CommitteeInput",
    "GroupMemberInput",
    "PostInput",
    "TermChange",
    "TermInput",
    "appointment_create",
    "appointment_delete",
    "appointment_restore",
    "appointment_update",
    "branch_create",
    "branch_delete",
    "branch_restore",
    "branch_update",
    "committee_create",
    "committee_delete",
    "committee_member_add",
    "committee_member_remove",
    "committee_member_update",
    "committee_restore",
    "committee_update",
    "group_member_create",
    "group_member_delete",
    "group_member_update",
    "org_settings_update",
    "post_create",
    "post_delete",
    "post_restore",
    "post_update",
    "posts_add_defaults",
    "sharing_consent_set",
    "term_change",
    "term_create",
    "term_delete",
    "term_restore",
    "term_update",
]
