"""Pictures on member records: an enterprise's logo and a person's photo.

Each stored file belongs to exactly one row, so replacing or removing a picture deletes the
old file and its thumbnail once the transaction has committed (a rolled-back change keeps
them); a picture is stored with its thumbnail for lists (``core.uploads.picture_store``). A
person who sets their photo on their account page gets one copy per association they belong
to, except where the secretariat keeps a photo of its own (``Person.photo_by_person``)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.tenancy import person_context
from shanghui.core.uploads import image_normalized, picture_discard, picture_store
from shanghui.members.models import Member, Person


def _replace(file: FieldFile, picture: ContentFile[bytes] | None) -> None:
    """Points ``file`` at ``picture`` (or at nothing) and deletes the old file after commit."""
    old_name = file.name
    storage = file.storage
    if picture is None:
        file.name = ""
    else:
        picture_store(file, picture)
    if old_name:
        transaction.on_commit(lambda: picture_discard(storage, old_name))


def _picture_set(
    *,
    association: Association,
    actor: User,
    row: Member | Person,
    field: str,
    upload: UploadedFile | None,
) -> None:
    picture = image_normalized(upload, field=field) if upload is not None else None
    _replace(getattr(row, field), picture)
    if isinstance(row, Person):  # the secretariat's photo now, not the person's own
        row.photo_by_person = False
        row.save(update_fields=[field, "photo_by_person"])
    else:
        row.save(update_fields=[field])
    audit(
        actor=actor,
        association=association,
        action=f"{row._meta.model_name}.{field}_{'set' if picture else 'remove'}",
        target=row,
        summary=str(row),
    )


@transaction.atomic
def member_logo_set(
    *, association: Association, actor: User, member: Member, upload: UploadedFile | None
) -> None:
    """Sets (``upload``) or removes (``None``) a member enterprise's logo. Secretariat only;
    the picture is checked and re-encoded (``image_normalized``)."""
    _picture_set(association=association, actor=actor, row=member, field="logo", upload=upload)


@transaction.atomic
def person_photo_set(
    *, association: Association, actor: User, person: Person, upload: UploadedFile | None
) -> None:
    """Sets or removes the photo the secretariat keeps for a person (shown on the member's
    card and at event check-in)."""
    _picture_set(association=association, actor=actor, row=person, field="photo", upload=upload)


@transaction.atomic
def my_photo_set(*, user: User, upload: UploadedFile | None) -> int:
    """A signed-in person sets or removes their own photo in every association they belong
    to — where the secretariat keeps a photo of its own, that one stays. Returns how many
    person records changed."""
    picture = image_normalized(upload, field="photo") if upload is not None else None
    with person_context(user):
        people = list(
            Person.objects.filter(user=user).filter(Q(photo="") | Q(photo_by_person=True))
        )
        for person in people:
            copy = ContentFile(picture.read(), name=picture.name) if picture else None
            if picture:
                picture.seek(0)
            _replace(person.photo, copy)
            person.photo_by_person = picture is not None
            person.save(update_fields=["photo", "photo_by_person"])
    audit(actor=user, action="account.photo_set" if picture else "account.photo_remove")
    return len(people)


def own_photos_remove(*, association: Association, user: User) -> int:
    """Removes the photos the person set themself (``my_photo_set``) from their records in
    ``association``, keeping those the secretariat set; inside the association's tenant
    context and the caller's transaction (the files go once it commits). Returns how many were
    removed. For deleting an account (``personal_data.unlink``)."""
    people = list(Person.objects.filter(association=association, user=user, photo_by_person=True))
    for person in people:
        _replace(person.photo, None)
        person.photo_by_person = False
        person.save(update_fields=["photo", "photo_by_person"])
    return len(people)


def my_photo(user: User) -> FieldFile | None:
    """The photo the person set themself, from one of their records (the records hold copies
    of one picture)."""
    with person_context(user):
        person = Person.objects.filter(user=user, photo_by_person=True).exclude(photo="").first()
    return person.photo if person is not None else None
