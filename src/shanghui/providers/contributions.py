"""What the providers app adds to the shared slots (``core.contributions``), called from
``ProvidersConfig.ready``."""

from typing import Any


def _back_office_links(user: Any) -> list[Any]:
    """我的服务商后台: one link per approved provider the person works in, one to their
    applications while any is pending — and, for everyone else, the way to apply (a bank's
    or hospital's staff sign in like anyone and find it on their account page)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shanghui.core.contributions import PersonalLink
    from shanghui.providers.models import Provider
    from shanghui.providers.selectors.provider import applications_of_person, providers_of_person

    links = [
        PersonalLink(
            _("我的服务商后台：%(name)s") % {"name": provider.name},
            reverse("providers:back_office", kwargs={"provider_slug": provider.slug}),
            "briefcase",
        )
        for provider in providers_of_person(user)
    ]
    if applications_of_person(user).filter(status=Provider.Status.PENDING).exists():
        links.append(PersonalLink(_("我的服务商申请"), reverse("providers:apply_done"), "file"))
    elif not links:
        links.append(
            PersonalLink(
                _("服务机构入驻申请（银行、医疗、法律、培训等）"),
                reverse("providers:apply"),
                "file",
            )
        )
    return links


def register() -> None:
    _register_back_office()
    _register_choices()


def _register_back_office() -> None:
    from django.utils.translation import gettext_lazy as _

    from shanghui.core import contributions as slots
    from shanghui.core.notifications import register_kinds
    from shanghui.providers import messages

    register_kinds(messages.KINDS)
    slots.PLATFORM_NAV.register(
        slots.NavItem(label=_("服务商审核"), url_name="providers:platform_providers", order=40)
    )
    slots.ACCOUNT_LINKS.register(
        slots.AccountLinks(key="providers.back_office", links=_back_office_links, order=50)
    )


def _register_choices() -> None:
    from django.utils.translation import gettext_lazy as _

    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core import contributions as slots

    slots.OFFICE_NAV.register(
        slots.NavItem(
            label=_("会员服务"),
            url_name="providers:office_catalogue",
            visible_to=lambda role: has_perm(role, Perm.CHOOSE_OFFERS),
            order=62,  # after 供需对接
        )
    )
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("会员服务"),
            url_name="providers:offers",
            icon="card",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=45,
        )
    )
