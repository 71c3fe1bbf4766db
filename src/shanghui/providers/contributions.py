"""What the providers app adds to the shared slots (``core.contributions``), called from
``ProvidersConfig.ready``."""


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


def _register_choices() -> None:
    pass
