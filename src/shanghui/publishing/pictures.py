"""Where an article picture is served: ``publishing:image``, a public path that serves
``ArticleImage`` rows only (never a person's photo from the member records)."""

import re

from django.urls import reverse

from shanghui.associations.models import Association
from shanghui.core.uploads import picture_version
from shanghui.publishing.models import ArticleImage


def image_url(association: Association, image: ArticleImage, *, size: str = "") -> str:
    """The picture's address — the one way every page, the API and the article body name
    an article picture: without ``size`` the screen variant (what the article body embeds, a
    path ``core.richtext`` keeps), ``thumb`` for lists, ``full`` for the stored picture;
    always with ``v=`` (the stored file's version, from the row's own column: no query), so
    it may be cached for a year and a new picture is fetched anew."""
    url = reverse(
        "publishing:image",
        kwargs={"association_slug": association.slug, "image_id": image.pk},
    )
    version = picture_version(image.file_id)
    return f"{url}?size={size}&v={version}" if size else f"{url}?v={version}"


def pictures_in(association: Association, body: str) -> list[int]:
    """The ids of the association's pictures that an article body embeds (by the path
    ``image_url`` gives, whatever its query)."""
    pattern = rf"/a/{re.escape(association.slug)}/news/images/(\d+)/picture/"
    return [int(found) for found in re.findall(pattern, body or "") if int(found) < 2**63]
