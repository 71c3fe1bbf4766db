"""Fixtures every app's tests share: the three personas (an administrator of association A, a
member of A, and a member of association B who must get 404 on everything of A's) and a
logged-in client for each."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core import notifications, ratelimit
from shanghui.members.models import Member, Person
from shanghui.testing import messages
from shanghui.testing.factories import (
    AssociationFactory,
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    RoleFactory,
    UserFactory,
)


@dataclass
class Side:
    association: Association
    admin: User
    member_user: User
    member: Member
    person: Person


def build_side(name: str, slug: str) -> Side:
    association = AssociationFactory(
        name=f"{name}江西商会", short_name=f"{name}江西商会", slug=slug
    )
    admin = UserFactory(name=f"{name}秘书长")
    member_user = UserFactory(name=f"{name}会员")
    RoleFactory(association=association, user=admin, kind=Role.Kind.ADMIN)
    RoleFactory(association=association, user=member_user, kind=Role.Kind.MEMBER)
    member = MemberFactory(association=association, name=f"{name}龚氏实业有限公司")
    person = PersonFactory(association=association, name="龚志军", user=member_user)
    RepresentativeFactory(association=association, member=member, person=person)
    return Side(association, admin, member_user, member, person)


@pytest.fixture
def side_a(db: None) -> Side:
    return build_side("甲市", "jiashi")


@pytest.fixture
def side_b(db: None) -> Side:
    return build_side("乙市", "yishi")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client_for(user: User) -> Client:
    """A client of the JSON API, signed in with a new API token of ``user``."""
    from shanghui.accounts.services.tokens import api_token_create

    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def admin_a(side_a: Side) -> Client:
    return client_for(side_a.admin)


@pytest.fixture
def member_a(side_a: Side) -> Client:
    return client_for(side_a.member_user)


@pytest.fixture
def member_b(side_b: Side) -> Client:
    return client_for(side_b.member_user)


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    notifications.outbox.clear()
    notifications.MemorySmsSender.failing = set()
    messages.register_all()  # the notification center's own tests send ``testing.note``


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    """Every test starts with no hits counted (the counters outlive the test database)."""
    ratelimit.store().clear()


@pytest.fixture(autouse=True)
def _empty_counters() -> None:
    """Every test starts with no buffered counts (article views): ids are reused from one
    test database to the next."""
    from shanghui.publishing import counters  # the app's models load after Django's setup

    counters.store().clear()


@pytest.fixture(autouse=True)
def _empty_content_store() -> None:
    """Every test starts with an empty content store (core.storage) and picture cache:
    association ids are reused from one test database to the next, and a test may have
    damaged an object."""
    shutil.rmtree(settings.CONTENT_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PICTURE_CACHE_DIR, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _remove_rate_limit_file() -> Iterator[None]:
    yield
    shutil.rmtree(settings.CONTENT_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PICTURE_CACHE_DIR, ignore_errors=True)
    shutil.rmtree(settings.FILE_UPLOAD_TEMP_DIR, ignore_errors=True)
    if settings.RATE_LIMIT_STORE == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.RATE_LIMIT_SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    if not settings.COUNTERS_REDIS_URL:
        for suffix in ("", "-wal", "-shm", ".flush-lock"):
            Path(f"{settings.COUNTERS_SQLITE_PATH}{suffix}").unlink(missing_ok=True)


@pytest.fixture
def privacy_notice(transactional_db: None) -> None:
    """Transactional tests flush the database afterwards, taking with it the privacy notice
    that a data migration publishes; tests that run after such a flush publish it again."""
    from shanghui.accounts.models import PrivacyNotice

    PrivacyNotice.objects.get_or_create(
        version="2026-11", defaults={"title": "云商会隐私政策", "body": "测试用隐私政策。"}
    )
