"""What a person changes on all their member records at once, from their account: whether other
members see their phone (their own photo is in ``pictures``). accounts reaches these through
``accounts.person_records``, which ``MembersConfig.ready`` fills."""

from shanghui.accounts.models import User
from shanghui.core.tenancy import person_context
from shanghui.members.models import Person


def phone_visibility_set(user: User, show: bool) -> int:
    """Shows or masks the person's phone to other members on every record of theirs; the
    caller (``accounts.services.account.phone_visibility_set``) holds the transaction and audits it.
    Returns how many records changed."""
    with person_context(user):
        return Person.objects.filter(user=user).exclude(show_phone=show).update(show_phone=show)


def phone_visible(user: User) -> bool:
    with person_context(user):
        return Person.objects.filter(user=user, show_phone=True).exists()
