"""What the members API's endpoints share: the secretariat's permission check, and the member as
the caller may see it once it has changed."""

from django.http import HttpRequest

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, personal_data_unmasked, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.members.presenters import MemberView, member_view
from shanghui.members.selectors import access_member


def secretariat(request: HttpRequest) -> tuple[Role, User]:
    role = require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return role, signed_in_user(request)


def member_out(request: HttpRequest, member_id: int) -> MemberView:
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    role = current_role(request)
    return member_view(member, viewer_role=role, unmasked=personal_data_unmasked(role))
