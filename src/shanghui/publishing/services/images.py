"""Pictures for articles, uploaded in the editor or as a cover: checked and re-encoded with
Pillow (upright, no metadata, at most ``ARTICLE_IMAGE_MAX_SIDE`` a side), stored in the
content store with their thumbnail (``core.uploads.picture_put``) and held by
``ArticleImage`` rows (``StoredFileField``).

Storing is two steps, as ``core.storage.files`` explains: ``image_put`` stores the bytes with
no transaction open, ``image_keep`` makes the row inside the caller's transaction."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.publishing import selectors
from shanghui.publishing.models import ArticleImage

ARTICLE_IMAGE_MAX_SIDE = 1600
IMAGE_HOLDER = "publishing.articleimage.file"


def image_upload(
    *, association: Association, actor: User, role: Role | None, upload: UploadedFile | None
) -> ArticleImage:
    """Stores an uploaded picture for articles (whoever edits content). Pillow's work and
    storing the bytes are done before the transaction: on SQLite it would hold the write
    lock meanwhile."""
    if not selectors.may_edit(role):
        raise PermissionDenied
    picture = image_normalized(upload, field="image", max_side=ARTICLE_IMAGE_MAX_SIDE)
    stored = image_put(association=association, actor=actor, picture=picture)
    with transaction.atomic():
        return image_keep(association=association, actor=actor, stored=stored)


def image_put(
    *, association: Association, actor: User | None, picture: ContentFile[bytes]
) -> StoredFile:
    """Stores a picture from ``image_normalized`` (with no transaction open), not yet held by
    any article picture; a full quota is a ValidationError on ``image``."""
    with store_refusals("image"):
        return picture_put(association, picture, holder=IMAGE_HOLDER, by=actor)


def image_keep(*, association: Association, actor: User | None, stored: StoredFile) -> ArticleImage:
    """The article picture holding ``stored`` (from ``image_put``), in the caller's
    transaction."""
    image = ArticleImage.objects.create(association=association, uploaded_by=actor)
    file_attach(image, "file", stored)
    audit(actor=actor, action="publishing.image.upload", association=association, target=image)
    return image
