"""News as members and visitors read it: the list and the article — a member on the phone
(their space's shell), a visitor without a role only public articles (the public shell) —
and the article pictures (never pictures of people from the member records: only
``ArticleImage`` rows can be named here), to anyone when a public article uses them,
otherwise to those who may read an article using them.

A view writes nothing but the first read of an article not meant for everyone (who read it,
for the editor): the view count goes to the counter store (``publishing.counters``)."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.http import whole_number
from shanghui.core.uploads import PICTURE_CACHE_SECONDS, picture_response, picture_version
from shanghui.publishing import counters, selectors
from shanghui.publishing.pictures import image_url
from shanghui.publishing.public_site import site_menu
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.share import share_context

PAGE = 20


@require_GET
def article_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The articles the viewer may read, pinned first; ``?category=`` keeps one category."""
    association, role = request.association, request.role
    category_id = whole_number(request.GET.get("category", ""))
    categories = list(selectors.categories(association))
    category = next((c for c in categories if c.pk == category_id), None)
    qs = selectors.published_articles(association, viewer_role=role, category=category)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    template = "publishing/member/articles.html" if role else "publishing/public/articles.html"
    context: dict[str, Any] = {"page_obj": page, "categories": categories, "category": category}
    if role is None:  # the public site's frame: its title, Open Graph tags, share card
        context.update(
            share_context(
                request,
                title=_("%(name)s · 资讯") % {"name": association.name},
                description=association.introduction,
                canonical=_list_address(request, category, page.number),
            )
        )
        context.update(site_menu(association))
    return render(request, template, context)


def _list_address(request: TenantRequest, category: object, number: int) -> str:
    """The list's public address: its category and page only (no other query)."""
    query = urlencode(
        {
            **({"category": category.pk} if category is not None else {}),  # type: ignore[attr-defined]
            **({"page": number} if number > 1 else {}),
        }
    )
    return f"{request.path}?{query}" if query else request.path


@require_GET
def article(request: TenantRequest, association_slug: str, article_id: int) -> HttpResponse:
    """One article: for members as their role allows, for anyone when it is public."""
    association, role = request.association, request.role
    found = selectors.access_article(
        association=association, article_id=article_id, viewer_role=role
    )
    counters.view_count(found.pk)
    if role is not None:
        article_services.article_read_record(
            association=association, article=found, user=signed_in_user(request)
        )
    template = "publishing/member/article.html" if role else "publishing/public/article.html"
    context = {"article": found, "views": counters.views_of(found)}
    if role is None:
        cover = (
            request.build_absolute_uri(image_url(association, found.cover))
            if found.cover_id and found.cover
            else ""
        )
        context.update(
            share_context(request, title=found.title, description=found.summary, image=cover)
        )
        context.update(site_menu(association))
    return render(request, template, context)


@require_GET
def image(request: TenantRequest, association_slug: str, image_id: int) -> HttpResponseBase:
    """An article picture: the screen variant unless ``?size=thumb`` or ``full``. Cacheable by
    shared caches when a public article uses it; otherwise for the viewer's browser only."""
    found, public = selectors.access_image(
        association=request.association, image_id=image_id, viewer_role=request.role
    )
    size = request.GET.get("size", "screen")
    size = "" if size == "full" else size
    version = request.GET.get("v", "")
    response = picture_response(request.association, found.file, size=size, version=version)
    fresh = bool(version) and version == picture_version(found.file_id)
    max_age = PICTURE_CACHE_SECONDS if fresh else 300
    if public:
        response["Cache-Control"] = f"public, max-age={max_age}" + (", immutable" if fresh else "")
    else:
        response["Cache-Control"] = "private, max-age=300"
        response["Vary"] = "Cookie"
    return response
