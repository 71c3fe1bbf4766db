"""What the charity app adds to the shared slots (``core.contributions``): its back-office
section, the member's entries, its job kinds, its message kinds and its audit labels."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm

    # --- campaigns, partners and pledges ---------------------------------------------------
    from shanghui.charity import labels_campaigns  # noqa: F401  (its audit labels)
    from shanghui.core import contributions as slots

    slots.OFFICE_NAV.register(
        slots.NavItem(
            label=_("慈善公益"),
            url_name="charity:office_campaigns",
            visible_to=lambda role: has_perm(role, Perm.MANAGE_CHARITY),
            order=45,
        )
    )
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("我的公益"),
            url_name="charity:my_charity",
            icon="heart",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=35,
        )
    )

    # --- the donations ledger and acknowledgements -----------------------------------------
    # isort: split
    from shanghui.charity import labels_ledger  # noqa: F401  (registers the audit labels)
    from shanghui.charity.ledger_export import register_job_kind

    register_job_kind()

    # --- sponsorship ------------------------------------------------------------------------
    # (by name: an import statement here would be sorted into the other blocks' imports)
    __import__("shanghui.charity.contributions_sponsorship", fromlist=["register"]).register()

    # --- goods distributions and honors -----------------------------------------------------
    def goods_and_honors() -> None:
        from shanghui.charity.contributions_honors import register as register_honors

        register_honors()

    goods_and_honors()

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
