"""What the charity app adds to the shared slots (``core.contributions``): its back-office
section, the member's entries, its job kinds, its message kinds and its audit labels."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm  # noqa: F401
    from shanghui.core import contributions as slots

    # --- campaigns, partners and pledges ---------------------------------------------------

    # --- the donations ledger and acknowledgements -----------------------------------------

    # --- sponsorship ------------------------------------------------------------------------

    # --- goods distributions and honors -----------------------------------------------------

    # --- totals, disclosure and the federation roll-up --------------------------------------
    def discloses(association: object) -> bool:
        from shanghui.charity.selectors.disclosure import discloses as answer

        return answer(association)  # type: ignore[arg-type]

    from shanghui.charity import labels_disclosure  # noqa: F401 - registers its labels

    slots.PUBLIC_SITE_LINKS.register(
        slots.PublicSiteLink(
            key="charity.public",
            title=_("公益慈善"),
            url_name="charity:public_charity",
            shown=discloses,
            order=50,
        )
    )

    # --- end ----------------------------------------------------------------------------------
