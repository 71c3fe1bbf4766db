"""What the charity app adds to the shared slots (``core.contributions``): its back-office
section, the member's entries, its job kinds, its message kinds and its audit labels."""

from django.utils.translation import gettext_lazy as _  # noqa: F401


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm  # noqa: F401
    from shanghui.core import contributions as slots  # noqa: F401

    # --- campaigns, partners and pledges ---------------------------------------------------

    # --- the donations ledger and acknowledgements -----------------------------------------
    # isort: split
    from shanghui.charity import labels_ledger  # noqa: F401  (registers the audit labels)
    from shanghui.charity.ledger_export import register_job_kind

    register_job_kind()

    # --- sponsorship ------------------------------------------------------------------------

    # --- goods distributions and honors -----------------------------------------------------

    # --- totals, disclosure and the federation roll-up --------------------------------------

    # --- end ----------------------------------------------------------------------------------
