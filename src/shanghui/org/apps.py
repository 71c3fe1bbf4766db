from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shanghui.org"
    label = "org"

    def ready(self) -> None:
        from shanghui.members.selectors import CommitteeFacet, register_committee_facet
        from shanghui.org.selectors import committee_choices, committee_member_ids

        register_committee_facet(
            CommitteeFacet(choices=committee_choices, member_ids=committee_member_ids)
        )
