"""Changing members. The search fields are derived here, in one place, for every way a member
or person is written (forms, API, import, seed)."""

from shanghui.core.chinese import search_key, sort_key
from shanghui.members.models import Member, Person


def fill_member_search_fields(member: Member) -> None:
    """Sets ``search_text`` (name in characters, pinyin and initials, plus the credit code) and
    ``sort_key`` (pinyin) from the member's name."""
    member.search_text = f"{search_key(member.name)} {member.uscc.lower()}".strip()[:400]
    member.sort_key = sort_key(member.name)


def fill_person_search_fields(person: Person) -> None:
    person.search_text = search_key(person.name, person=True)[:200]
    person.sort_key = sort_key(person.name, person=True)
