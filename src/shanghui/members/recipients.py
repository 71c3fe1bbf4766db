"""The recipient sources the members app offers to ``core.notifications.broadcast``,
registered in ``MembersConfig.ready``: "members.representatives" — every representative
(会员代表) of every member in good standing (正常 or 欠费), once per person, with their
account when they have one (their inbox and preferences)."""

from collections.abc import Iterator, Mapping

from shanghui.associations.models import Association
from shanghui.core.notifications import Recipient, register_recipient_source
from shanghui.members.models import Member, Representative

REPRESENTATIVES = "members.representatives"
IN_GOOD_STANDING = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)


def representatives(
    association: Association, owner_id: int
) -> Iterator[tuple[Recipient, Mapping[str, object]]]:
    """Read inside the association's tenant context; ``owner_id`` is not used (the whole
    membership). Params: ``name`` (the person) and ``member`` (the enterprise)."""
    seen: set[int] = set()
    rows = (
        Representative.objects.filter(
            association=association,
            kind=Representative.Kind.REPRESENTATIVE,
            member__status__in=IN_GOOD_STANDING,
        )
        .order_by("person_id")
        .values_list("person_id", "person__phone", "person__email", "person__user_id",
                     "person__name", "member__name")
    )  # fmt: skip
    for person_id, phone, email, user_id, name, member in rows.iterator(chunk_size=2000):
        if person_id in seen or not (phone or email or user_id):
            continue
        seen.add(person_id)
        yield (
            Recipient(phone=phone, email=email, user_id=user_id, name=name),
            {"name": name, "member": member},
        )


def register() -> None:
    register_recipient_source(REPRESENTATIVES, representatives)
