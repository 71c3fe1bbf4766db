"""Association A's organisation for the org tests: a current term 第一届理事会 with a 会长, a
秘书长 and two 理事, the default posts, and a committee with a chair."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from shanghui.accounts.models import Role
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Person
from shanghui.org.models import Appointment, Committee, Post, Term
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services
from shanghui.testing.factories import PersonFactory, RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for


@dataclass
class Org:
    side: Side
    term: Term
    posts: dict[str, Post]
    president: Person
    secretary: Person
    directors: list[Person]
    committee: Committee

    def appointment(self, person: Person) -> Appointment:
        with tenant_context(self.side.association):
            return Appointment.objects.get(term=self.term, person=person)


@pytest.fixture
def org_a(side_a: Side) -> Org:
    a, admin = side_a.association, side_a.admin
    president = PersonFactory(association=a, name="钟会长", phone="13700000001")
    secretary = PersonFactory(association=a, name="邱秘书长", phone="13700000002")
    directors = [
        PersonFactory(association=a, name="赖理事", phone="13700000003"),
        PersonFactory(association=a, name="温理事", phone="13700000004"),
    ]
    with tenant_context(a):
        term = term_services.term_create(
            association=a,
            actor=admin,
            data=term_services.TermInput(
                name="第一届理事会", number=1, starts_on=date(2024, 1, 1), is_current=True
            ),
        )
        posts = {p.name: p for p in Post.objects.all()}
        for post, person in [
            ("会长", president),
            ("秘书长", secretary),
            ("理事", directors[0]),
            ("理事", directors[1]),
        ]:
            post_services.appointment_create(
                association=a,
                actor=admin,
                term=term,
                data=post_services.AppointmentInput(post=posts[post], person=person),
            )
        committee = unit_services.committee_create(
            association=a, actor=admin, data=unit_services.CommitteeInput(name="青年企业家委员会")
        )
        unit_services.committee_member_add(
            association=a, actor=admin, committee=committee, person=president, role="chair"
        )
    return Org(side_a, term, posts, president, secretary, directors, committee)


@pytest.fixture
def staff_a(side_a: Side) -> Client:
    """A secretariat staff member of A: may manage members, not the association's settings."""
    user = UserFactory(name="甲市工作人员")
    RoleFactory(association=side_a.association, user=user, kind=Role.Kind.STAFF)
    return client_for(user)
