"""What the providers app adds to the shared slots (``core.contributions``), called from
``ProvidersConfig.ready``."""


def register() -> None:
    _register_back_office()
    _register_choices()


def _register_back_office() -> None:
    pass


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
