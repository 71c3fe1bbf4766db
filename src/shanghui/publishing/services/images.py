"""Pictures for articles, uploaded in the editor or as a cover: checked and re-encoded with
Pillow (upright, no metadata, at most ``ARTICLE_IMAGE_MAX_SIDE`` a side) with their small
variants, stored under their own prefix (``publishing/images/``) as ``ArticleImage`` rows."""

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.uploads import image_normalized, picture_store
from shanghui.publishing import selectors
from shanghui.publishing.models import ArticleImage

ARTICLE_IMAGE_MAX_SIDE = 1600


def image_upload(
    *, association: Association, actor: User, role: Role | None, upload: UploadedFile | None
) -> ArticleImage:
    """Stores an uploaded picture for articles (whoever edits content). Pillow's work is
    done before the transaction: on SQLite it would hold the write lock meanwhile."""
    if not selectors.may_edit(role):
        raise PermissionDenied
    picture = image_normalized(upload, field="image", max_side=ARTICLE_IMAGE_MAX_SIDE)
    with transaction.atomic():
        return image_store(association=association, actor=actor, picture_bytes=picture)


def image_store(
    *, association: Association, actor: User | None, picture_bytes: object
) -> ArticleImage:
    image = ArticleImage(association=association, uploaded_by=actor)
    picture_store(image.file, picture_bytes)  # type: ignore[arg-type]
    image.save()
    audit(actor=actor, action="publishing.image.upload", association=association, target=image)
    return image
