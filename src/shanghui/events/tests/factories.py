"""Event test data, created through the services where the rule matters."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.events.models import Event
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    RoleFactory,
    UserFactory,
)


def make_event(
    association: Association, actor: User, *, publish: bool = True, **fields: Any
) -> Event:
    start = timezone.now() + timedelta(days=7)
    values: dict[str, Any] = {
        "title": "2026 年会",
        "kind": Event.Kind.ANNUAL_MEETING,
        "starts_at": start,
        "ends_at": start + timedelta(hours=4),
        "venue": "南昌香格里拉酒店",
        "address": "南昌市红谷滩区赣江中大道 669 号",
        "capacity": 50,
        "audience": Event.Audience.MEMBERS,
        **fields,
    }
    with tenant_context(association):
        event = event_services.event_create(
            association=association, actor=actor, data=event_services.EventInput(**values)
        )
        if publish:
            event_services.event_publish(association=association, actor=actor, event=event)
    return event


def cover_set(event: Event, actor: User, content: bytes, name: str = "cover.jpg") -> StoredFile:
    """Gives the event a cover as its edit page would: normalised, stored, attached (the one
    it had is kept as a version)."""
    association = event.association
    upload = SimpleUploadedFile(name, content)
    picture = image_normalized(upload, field="cover", max_side=event_services.COVER_MAX_SIDE)
    stored = picture_put(association, picture, holder=event_services.COVER_HOLDER, by=actor)
    with tenant_context(association):
        file_attach(event, "cover", stored)
    return stored


def make_member_user(association: Association, name: str, phone: str | None = None) -> User:
    """A member enterprise with a representative who has an account and a member role."""
    user = UserFactory(name=name, **({"phone": phone} if phone else {}))
    RoleFactory(association=association, user=user, kind=Role.Kind.MEMBER)
    member = MemberFactory(association=association, name=f"{name}的公司")
    person = PersonFactory(association=association, name=name, user=user, phone=user.phone)
    RepresentativeFactory(association=association, member=member, person=person)
    return user


def register(association: Association, event: Event, user: User, **kwargs: Any) -> Any:
    with tenant_context(association):
        registrant = registration_services.registrant_for_user(association=association, user=user)
        return registration_services.registration_create(
            association=association, actor=user, event=event, registrant=registrant, **kwargs
        ).registration
