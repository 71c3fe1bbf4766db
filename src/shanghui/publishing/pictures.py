"""Where an article picture is served: ``publishing:image``, a public path that serves
``ArticleImage`` rows only (never a person's photo from the member records)."""

from django.urls import reverse

from shanghui.associations.models import Association
from shanghui.core.uploads import picture_version
from shanghui.publishing.models import ArticleImage


def image_url(association: Association, image: ArticleImage, *, size: str = "") -> str:
    """The picture's address: without ``size`` the screen variant (what the article body
    embeds, a path ``core.richtext`` keeps), ``thumb`` for lists, ``full`` for the stored
    picture; versioned so it may be cached for a year."""
    url = reverse(
        "publishing:image",
        kwargs={"association_slug": association.slug, "image_id": image.pk},
    )
    if not size:
        return url
    return f"{url}?size={size}&v={picture_version(image.file.name or '')}"
