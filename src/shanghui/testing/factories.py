"""Factories shared by every app's tests. One association factory; tenant-owned rows are
created inside their association's tenant context."""

import itertools
from typing import Any

import factory

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.core.uscc import uscc_check_char
from shanghui.members.models import Member, Person, Representative
from shanghui.members.search_index import member_tokens_save, person_tokens_save
from shanghui.members.services.members import member_search_fields, person_search_fields

_serial = itertools.count(1)


def make_uscc(prefix: str = "91", region: str = "440300") -> str:
    """A valid unified social credit code, unique per call."""
    body = f"{prefix}{region}{next(_serial):09d}"[:17]
    return body + uscc_check_char(body)


def make_phone() -> str:
    return f"139{next(_serial):08d}"


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"测试市第{n}商会")
    short_name = factory.Sequence(lambda n: f"测试{n}商会")
    slug = factory.Sequence(lambda n: f"test-assoc-{n}")
    kind = Association.Kind.HOMETOWN_CHAMBER
    region_code = "440300"
    uscc = factory.LazyFunction(lambda: make_uscc("51"))
    status = Association.Status.ACTIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.LazyFunction(make_phone)
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test-pass-2026")

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


PASSWORD = "Test-pass-2026"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        with tenant_context(kwargs["association"]):
            return super()._create(model_class, *args, **kwargs)


class RoleFactory(TenantFactory):
    class Meta:
        model = Role

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.MEMBER


def _member_search_fields(member: Any) -> tuple[str, str]:
    return member_search_fields(
        member.name, member.uscc, person=member.kind == Member.Kind.INDIVIDUAL
    )


class MemberFactory(TenantFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    kind = Member.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"深圳市测试{n}科技有限公司")
    member_no = factory.Sequence(lambda n: f"M{n:06d}")
    uscc = factory.LazyFunction(make_uscc)
    status = Member.Status.ACTIVE
    # The search fields as member_create writes them.
    search_text = factory.LazyAttribute(lambda o: _member_search_fields(o)[0])
    sort_key = factory.LazyAttribute(lambda o: _member_search_fields(o)[1])

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        # As member_create does: a member the directory cannot find would not be realistic.
        member = super()._create(model_class, *args, **kwargs)
        with tenant_context(member.association):
            member_tokens_save(association=member.association, members=[member])
        return member


class PersonFactory(TenantFactory):
    class Meta:
        model = Person

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    phone = factory.LazyFunction(make_phone)
    search_text = factory.LazyAttribute(lambda o: person_search_fields(o.name)[0])
    sort_key = factory.LazyAttribute(lambda o: person_search_fields(o.name)[1])

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        person = super()._create(model_class, *args, **kwargs)
        with tenant_context(person.association):
            person_tokens_save(association=person.association, people=[person])
        return person


class RepresentativeFactory(TenantFactory):
    class Meta:
        model = Representative

    association = factory.SubFactory(AssociationFactory)
    member = factory.SubFactory(MemberFactory, association=factory.SelfAttribute("..association"))
    person = factory.SubFactory(PersonFactory, association=factory.SelfAttribute("..association"))
    title = "总经理"
