"""How a registrant's phone number is shown to a given viewer, on the pages and in the API: by
the one rule of ``accounts.permissions.personal_data_unmasked`` (masked for the secretariat
until revealed, unmasked as data only for whoever may export); a person always sees their
own. Door volunteers see no phone digits at all: the check-in pages show the name, enterprise,
level and photo, and find a person only by their code or full number."""

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import personal_data_unmasked
from shanghui.core.phone import mask_mobile
from shanghui.events.models import Registration


def registrant_phone_unmasked(
    registration: Registration,
    *,
    role: Role | None,
    revealed: bool = False,
    on_screen: bool = False,
) -> bool:
    own = role is not None and registration.user_id == role.user_id
    return own or personal_data_unmasked(role, revealed=revealed, on_screen=on_screen)


def registrant_phone(
    registration: Registration,
    *,
    role: Role | None,
    revealed: bool = False,
    on_screen: bool = False,
) -> str:
    """The registrant's phone as ``role`` may see it (``138****5678`` when masked)."""
    unmasked = registrant_phone_unmasked(
        registration, role=role, revealed=revealed, on_screen=on_screen
    )
    return registration.phone if unmasked else mask_mobile(registration.phone)
