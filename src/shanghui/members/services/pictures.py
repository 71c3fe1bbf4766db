"""Pictures on member records: an enterprise's logo and a person's photo, held in the content
store (``core.storage.files``).

A picture is checked and re-encoded (``image_normalized``), stored with its thumbnail for
lists (``core.uploads.picture_put``) before the change's transaction, and attached to its
record in it (``file_attach``). A logo keeps its earlier versions (a removed one goes to the
trash); a person's photo is gone when replaced or removed (``Person.photo`` is
``keeping="replaced"``: personal-information law). A person who sets their photo on their
account page gets one copy per association they belong to (each association's store holds its
own), except where the secretariat keeps a photo of its own (``Person.photo_by_person``)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import Member, Person

# What ``StoredFile.holder`` says for each picture (``StoredFileField.holder``).
LOGO_HOLDER = "members.member.logo"
PHOTO_HOLDER = "members.person.photo"


def _stored(
    association: Association, picture: ContentFile[bytes], *, field: str, holder: str, by: User
) -> StoredFile:
    """``picture`` stored for ``association``, not yet attached; with no transaction open."""
    with store_refusals(field):
        return picture_put(association, picture, holder=holder, by=by)


def _picture_set(
    *,
    association: Association,
    actor: User,
    row: Member | Person,
    field: str,
    upload: UploadedFile | None,
) -> None:
    picture = image_normalized(upload, field=field) if upload is not None else None
    holder = LOGO_HOLDER if isinstance(row, Member) else PHOTO_HOLDER
    stored = (
        _stored(association, picture, field=field, holder=holder, by=actor)
        if picture is not None
        else None
    )
    with tenant_context(association), transaction.atomic():
        file_attach(row, field, stored)
        if isinstance(row, Person):  # the secretariat's photo now, not the person's own
            row.photo_by_person = False
            row.save(update_fields=["photo_by_person"])
        audit(
            actor=actor,
            association=association,
            action=f"{row._meta.model_name}.{field}_{'set' if picture else 'remove'}",
            target=row,
            summary=str(row),
        )


def member_logo_set(
    *, association: Association, actor: User, member: Member, upload: UploadedFile | None
) -> None:
    """Sets (``upload``) or removes (``None``) a member enterprise's logo; the one it replaces
    is kept as a version. Secretariat only; the picture is checked and re-encoded
    (``image_normalized``)."""
    _picture_set(association=association, actor=actor, row=member, field="logo", upload=upload)


def person_photo_set(
    *, association: Association, actor: User, person: Person, upload: UploadedFile | None
) -> None:
    """Sets or removes the photo the secretariat keeps for a person (shown on the member's
    card and at event check-in); the one it replaces is gone."""
    _picture_set(association=association, actor=actor, row=person, field="photo", upload=upload)


def my_photo_set(*, user: User, upload: UploadedFile | None) -> int:
    """A signed-in person sets or removes their own photo in every association they belong
    to — where the secretariat keeps a photo of its own, that one stays. Returns how many
    person records changed. The photos they replace are gone."""
    picture = image_normalized(upload, field="photo") if upload is not None else None
    with person_context(user):
        people = list(
            Person.objects.filter(user=user)
            .filter(Q(photo__isnull=True) | Q(photo_by_person=True))
            .select_related("association")
            .order_by("pk")
        )
    # Each association's store holds its own copy, stored before the transaction.
    stored: dict[int, StoredFile] = {}
    if picture is not None:
        data = picture.read()
        for person in people:
            copy = ContentFile(data, name=picture.name)
            stored[person.pk] = _stored(
                person.association, copy, field="photo", holder=PHOTO_HOLDER, by=user
            )
    with transaction.atomic():
        for person in people:
            # Written in the record's association: the photo it replaces goes with it, which
            # a person context may not do (``core.rls``).
            with tenant_context(person.association):
                file_attach(person, "photo", stored.get(person.pk))
                person.photo_by_person = picture is not None
                person.save(update_fields=["photo_by_person"])
        audit(actor=user, action="account.photo_set" if picture else "account.photo_remove")
    return len(people)


def own_photos_remove(*, association: Association, user: User) -> int:
    """Removes the photos the person set themself (``my_photo_set``) from their records in
    ``association`` — their stored files are gone, not kept as versions — keeping those the
    secretariat set; inside the association's tenant context and the caller's transaction.
    Returns how many were removed. For deleting an account (``personal_data.unlink``)."""
    people = list(Person.objects.filter(association=association, user=user, photo_by_person=True))
    for person in people:
        file_attach(person, "photo", None)
        person.photo_by_person = False
        person.save(update_fields=["photo_by_person"])
    return len(people)


def my_photo(user: User) -> StoredFile | None:
    """The photo the person set themself, from one of their records (the records hold copies
    of one picture), with its content and association read: ready for ``picture_response``."""
    with person_context(user):
        person = (
            Person.objects.filter(user=user, photo_by_person=True, photo__isnull=False)
            .select_related("association")
            .order_by("pk")
            .first()
        )
    if person is None or person.photo_id is None:
        return None
    with tenant_context(person.association):
        return (
            StoredFile.objects.filter(association=person.association, pk=person.photo_id)
            .select_related("content", "association")
            .first()
        )
