"""What the charity app adds to the shared slots (``core.contributions``): its back-office
section, the member's entries, its job kinds, its message kinds and its audit labels."""

from django.utils.translation import gettext_lazy as _  # noqa: F401


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm  # noqa: F401
    from shanghui.core import contributions as slots  # noqa: F401

    # --- campaigns, partners and pledges ---------------------------------------------------

    # --- the donations ledger and acknowledgements -----------------------------------------

    # --- sponsorship ------------------------------------------------------------------------

    # --- goods distributions and honors -----------------------------------------------------
    def goods_and_honors() -> None:
        from shanghui.charity.contributions_honors import register as register_honors

        register_honors()

    goods_and_honors()

    # --- totals, disclosure and the federation roll-up --------------------------------------

    # --- end ----------------------------------------------------------------------------------
