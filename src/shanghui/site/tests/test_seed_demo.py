import random
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from shanghui.accounts.models import Consent, Role, User
from shanghui.accounts.services.account import current_privacy_notice
from shanghui.associations.models import Association
from shanghui.core.demo import DEMO_ACCOUNTS, DEMO_ASSOCIATIONS, GDJX, ZSJX
from shanghui.core.demo_data import MemberGenerator, org_body, uscc
from shanghui.core.industries import is_valid_industry
from shanghui.core.phone import MOBILE_RE
from shanghui.core.regions import get_region
from shanghui.core.tenancy import provider_context, scopes_disabled, tenant_context
from shanghui.core.uscc import is_valid_uscc
from shanghui.members.demo import PROFILES, demo_members
from shanghui.members.models import Member, Person, Representative
from shanghui.org.models import Committee, GroupMember
from shanghui.providers.models import Provider, ProviderUser

SIZE = 300


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", members=SIZE, stdout=out)
    return out.getvalue()


def association(slug: str) -> Association:
    return Association.objects.get(slug=slug)


def in_province(code: str, province: str) -> bool:
    return get_region(code) is not None and code[:2] == province[:2]


@pytest.mark.django_db
def test_seed_creates_the_associations_and_their_members() -> None:
    output = seed()

    assert {a.slug: a.status for a in Association.objects.all()} == {
        d.slug: Association.Status.ACTIVE for d in DEMO_ASSOCIATIONS
    }
    gdjx = association("gdjx")
    assert gdjx.name == "广东省江西商会"
    assert gdjx.kind == Association.Kind.HOMETOWN_CHAMBER
    assert gdjx.uscc.startswith("51") and is_valid_uscc(gdjx.uscc)
    with tenant_context(gdjx):
        assert Member.objects.count() == SIZE
        assert Member.objects.filter(member_no="GDJX-000001").exists()
        # The leading enterprises have logos, stored as re-encoded pictures.
        with_logo = Member.objects.filter(logo__isnull=False).select_related("logo").first()
        assert with_logo is not None and with_logo.level is not None and with_logo.logo
        assert with_logo.level.rank <= 2 and with_logo.logo.name.endswith(".png")
        assert Member.objects.filter(kind=Member.Kind.INDIVIDUAL).exists()
        assert Committee.objects.count() == 16
        assert Committee.objects.filter(name="青年企业家委员会").exists()
        assert GroupMember.objects.count() == 35
        zhongshan = GroupMember.objects.get(name="中山市江西商会")
        assert zhongshan.linked_association == association("zsjx")
        # Every enterprise has one or two people acting for it.
        assert not Member.objects.filter(representatives__isnull=True).exists()
    with tenant_context(association("zsjx")):
        assert Member.objects.count() == ZSJX.member_count(SIZE) == 20
    # A complete public site: banner, contact, ICP 备案号, a dozen showcased enterprises.
    assert gdjx.banner_id and gdjx.contact_phone and gdjx.icp_number and gdjx.showcase_enabled
    with tenant_context(gdjx):
        assert Member.objects.filter(showcase=True, kind=Member.Kind.ENTERPRISE).count() == 12
    site = Client().get("/a/gdjx/").content.decode()
    assert gdjx.icp_number in site and "会员风采" in site and "领导班子" in site
    assert f"广东省江西商会 会员 {SIZE}/{SIZE} [####################] 100%" in output


@pytest.mark.django_db
def test_seeded_records_are_valid() -> None:
    seed()
    letter_led = 0
    for demo in DEMO_ASSOCIATIONS:
        assert is_valid_uscc(association(demo.slug).uscc)
        with tenant_context(association(demo.slug)):
            members = list(Member.objects.all())
            codes = [m.uscc for m in members if m.uscc]
            assert all(is_valid_uscc(code) for code in codes)
            assert len(codes) == len(set(codes))
            letter_led += sum(code[0].isalpha() for code in codes)
            assert all(in_province(m.region_code, "440000") for m in members)
            enterprises = [m for m in members if m.kind == Member.Kind.ENTERPRISE]
            assert all(is_valid_industry(m.industry_code) for m in enterprises)
            assert len({m.name for m in enterprises}) == len(enterprises)
            assert all(m.search_text and m.sort_key for m in members)
            phones = list(Person.objects.values_list("phone", flat=True))
            assert all(MOBILE_RE.match(p) for p in phones)
            assert len(phones) == len(set(phones))
            for group in GroupMember.objects.all():
                assert group.uscc.startswith("51") and is_valid_uscc(group.uscc)
    assert letter_led > 0  # village collectives (N2…) of 天河区商会

    with tenant_context(association("gdjx")):
        hometowns = Member.objects.values_list("hometown_code", flat=True)
        assert all(in_province(code, "360000") for code in hometowns)
        statuses = set(Member.objects.values_list("status", flat=True))
        assert Member.Status.ACTIVE in statuses and Member.Status.IN_ARREARS in statuses


@pytest.mark.django_db
def test_seeded_members_and_people_are_in_the_search_index() -> None:
    """Every demo member and person has its search tokens, and the directory finds the demo
    member account's enterprise by the account holder's initials (刘建华 → ljh)."""
    from shanghui.members.models import MemberSearchToken, PersonSearchToken
    from shanghui.members.selectors import MemberFilters, member_search

    seed()
    gdjx = association("gdjx")
    with tenant_context(gdjx):
        members = set(Member.objects.values_list("id", flat=True))
        assert set(MemberSearchToken.objects.values_list("member_id", flat=True)) == members
        people = set(Person.objects.values_list("id", flat=True))
        assert set(PersonSearchToken.objects.values_list("person_id", flat=True)) == people
        seat = Member.objects.get(representatives__person__phone=GDJX.member_phone)
        found = member_search(association=gdjx, filters=MemberFilters(q="ljh"), directory=False)
        assert seat in found
        assert list(
            member_search(association=gdjx, filters=MemberFilters(q=seat.name), directory=False)
        ) == [seat]


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_their_roles() -> None:
    seed()
    notice = current_privacy_notice()
    for account in DEMO_ACCOUNTS:
        request = RequestFactory().post("/login/")
        user = authenticate(request=request, phone=account.phone, password=account.password)
        assert isinstance(user, User), account
        assert Consent.objects.filter(user=user, notice=notice).exists()
        if account.provider:  # a provider's back office, not an association
            provider = Provider.objects.get(slug=account.provider, status="approved")
            with provider_context(provider):
                assert ProviderUser.objects.get(user=user).kind == ProviderUser.Kind.ADMIN
            assert not user.is_platform_operator
            with scopes_disabled():  # no association's role: the back office is theirs only
                assert not Role.objects.filter(user=user).exists()
            continue
        if not account.slug:
            assert user.is_platform_operator
            continue
        assert not user.is_platform_operator
        with tenant_context(association(account.slug)):
            assert Role.objects.get(user=user).kind == account.role_kind
            if account.role_kind == Role.Kind.MEMBER:
                person = Person.objects.get(user=user)
                assert person.phone == account.phone
                represented = Representative.objects.select_related("member").get(person=person)
                assert represented.member.status == Member.Status.ACTIVE
                assert represented.member.kind == Member.Kind.ENTERPRISE


@pytest.mark.django_db
def test_second_run_changes_nothing() -> None:
    seed()

    def counts() -> dict[str, int]:
        with scopes_disabled():
            models = (Association, User, Role, Member, Person, Representative, GroupMember)
            return {model.__name__: model.objects.count() for model in models}

    before = counts()
    output = seed()
    assert counts() == before
    assert "演示数据已存在" in output
    assert all(account.phone in output for account in DEMO_ACCOUNTS)


@pytest.mark.django_db
def test_seed_is_deterministic() -> None:
    first = MemberGenerator(PROFILES["gdjx"]).members(SIZE)
    second = MemberGenerator(PROFILES["gdjx"]).members(SIZE)
    assert first == second

    seed()
    with tenant_context(association("gdjx")):
        seeded = list(Member.objects.order_by("member_no").values_list("name", flat=True)[:20])
    assert seeded == [m.name for m in demo_members(GDJX, SIZE)[:20]]


def test_generated_credit_codes_of_every_registration_type_are_valid() -> None:
    rng = random.Random(1)
    for prefix, style in (("91", "MA"), ("91", ""), ("92", "MA"), ("51", "MJ"), ("N2", "MF")):
        code = uscc(prefix, "440106", org_body(rng, new_style=style))
        assert len(code) == 18 and code.startswith(prefix) and is_valid_uscc(code)


def test_demo_password_passes_the_password_validators() -> None:
    for account in DEMO_ACCOUNTS:  # with each account: the rules compare it to phone and name
        validate_password(account.password, User(phone=account.phone, name=account.name))
    assert len({a.phone for a in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)


@pytest.mark.django_db
def test_members_must_be_positive() -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", members=0, stdout=StringIO())
