"""What the providers app keeps about a person, for their personal-data export and account
deletion (``accounts.personal_data`` describes the contract).

Outside any association (``platform_tables``, ``platform_unlink``): the providers they applied
for and their places in providers' back offices. Deleting the account ends those places (each
removed inside its provider's context, as its policy requires); the applications stay the
platform's record of the organization, with the applicant's account anonymized by accounts.
The applications to offers a member makes are rows of their association (part P2's
``tables``)."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.tenancy import person_context, provider_context
from shanghui.providers.models import Provider, ProviderUser


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context: nothing of part P1's (see the docstring)."""
    return {}


def _places(user: User) -> list[ProviderUser]:
    with person_context(user):
        return list(
            ProviderUser.objects.filter(user=user).select_related("provider").order_by("pk")
        )


def platform_tables(*, user: User) -> dict[str, list[dict[str, Any]]]:
    applied = Provider.objects.filter(applicant=user).order_by("created_at", "pk")
    return {
        _("服务商入驻申请"): [
            {
                _("机构名称"): provider.name,
                _("类别"): provider.get_category_display(),
                _("联系人"): provider.contact_name,
                _("联系人手机号"): provider.contact_phone,
                _("状态"): provider.get_status_display(),
                _("提交时间"): provider.created_at.isoformat(),
            }
            for provider in applied
        ],
        _("服务商后台身份"): [
            {
                _("服务商"): place.provider.name,
                _("身份"): place.get_kind_display(),
                _("加入时间"): place.created_at.isoformat(),
            }
            for place in _places(user)
        ],
    }


def platform_unlink(*, user: User) -> None:
    """As the account is deleted: the person leaves every provider's back office."""
    for place in _places(user):
        with provider_context(place.provider):
            ProviderUser.objects.filter(pk=place.pk).delete()
        audit(actor=user, action="providers.user.remove", target=place, summary="account.delete")
