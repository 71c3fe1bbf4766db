"""What the charity app adds to the shared slots (``core.contributions``): its back-office
section, the member's entries, its job kinds, its message kinds and its audit labels."""

from django.utils.translation import gettext_lazy as _  # noqa: F401


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm  # noqa: F401
    from shanghui.core import contributions as slots  # noqa: F401

    # --- campaigns, partners and pledges ---------------------------------------------------

    # --- the donations ledger and acknowledgements -----------------------------------------

    # --- sponsorship ------------------------------------------------------------------------
    # (by name: an import statement here would be sorted into the other blocks' imports)
    __import__("shanghui.charity.contributions_sponsorship", fromlist=["register"]).register()

    # --- goods distributions and honors -----------------------------------------------------

    # --- totals, disclosure and the federation roll-up --------------------------------------

    # --- end ----------------------------------------------------------------------------------
