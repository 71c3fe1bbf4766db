"""The back office's news pages (desktop): the list with the articles waiting for review,
the editor (with its revisions, pictures and readers), the preview, and the buttons of the
workflow — submit, return, publish (now or scheduled), unpublish, pin, delete, restore a
revision. Thin: parse, access, call the service (which checks the permission), render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceChoice, audience_rules
from shanghui.core.editing import act, submit
from shanghui.core.http import whole_number
from shanghui.events.forms import AudienceForm, audience_form
from shanghui.members.models import Person
from shanghui.publishing import counters, selectors
from shanghui.publishing.forms import ArticleForm, ImageForm, PublishForm, ReturnForm
from shanghui.publishing.models import ARTICLE_TYPE, Article, ArticleImage
from shanghui.publishing.pictures import image_url
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.views.base import go, office_article, require_editor

PAGE = 30
RECENT_IMAGES = 30


@login_required
@require_GET
def article_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Every article, ``?status=`` one status (``review``: those waiting for a publisher)."""
    require_editor(request)
    association = request.association
    status = request.GET.get("status", "")
    status = status if status in Article.Status.values else ""
    qs = selectors.office_articles(association=association, status=status)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    waiting = selectors.office_articles(
        association=association, status=Article.Status.REVIEW
    ).count()
    return render(
        request,
        "publishing/office/articles.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Article.Status.choices,
            "waiting": waiting,
            "may_publish": selectors.may_publish(request.role),
            "now": timezone.now(),
        },
    )


def _choices(
    request: TenantRequest, article: Article | None = None
) -> dict[str, list[tuple[str, str]]]:
    """The form's options: the newest pictures as covers, and always the article's own cover
    however old (else saving the form would drop it)."""
    association = request.association
    cats = selectors.categories_ensure(association)
    images = list(
        ArticleImage.objects.filter(association=association).order_by("-id")[:RECENT_IMAGES]
    )
    if article is not None and article.cover_id and article.cover_id not in {i.pk for i in images}:
        images += ArticleImage.objects.filter(association=association, pk=article.cover_id)
    return {
        "category": [("", "—")] + [(str(c.pk), c.name) for c in cats],
        "cover": [("", _("无封面"))]
        + [(str(i.pk), _("图片 %(id)d") % {"id": i.pk}) for i in images],
    }


def _initial(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "category": str(article.category_id or ""),
        "summary": article.summary,
        "body": article.body,
        "cover": str(article.cover_id or ""),
        "tags": "，".join(article.tags or []),
        "author_name": article.author_name,
        "audience": article.audience,
        "source_url": article.source_url,
    }


def _audience_form(request: TenantRequest, article: Article | None) -> AudienceForm:
    """The shared audience form (events, announcements, articles), filled from the
    article's rules."""
    association = request.association
    rules = (
        audience_rules(association=association, owner_type=ARTICLE_TYPE, owner_id=article.pk)
        if article is not None
        else []
    )
    form = audience_form(request.POST, association=association, rules=rules)
    for name in ("levels", "committees", "posts"):
        if not form.fields[name].choices:  # type: ignore[attr-defined]
            del form.fields[name]  # nothing to choose: no empty heading on the form
    return form


def _audience_choices(association: Association, form: AudienceForm) -> list[AudienceChoice]:
    """The audience form's choices as rules; an unknown phone number refuses the save."""
    if not form.is_valid():
        raise ValidationError({"audience": _("请检查阅读范围")})
    data = form.cleaned_data
    phones = {p.strip() for p in data["phones"].splitlines() if p.strip()}
    persons = list(Person.objects.filter(association=association, phone__in=phones))
    if len({p.phone for p in persons}) != len(phones):
        raise ValidationError({"audience": _("有手机号未找到对应的联系人")})
    return [
        AudienceChoice("level", _ids(data.get("levels", []))),
        AudienceChoice("committee", _ids(data.get("committees", []))),
        AudienceChoice("post", _ids(data.get("posts", []))),
        AudienceChoice("person", [p.pk for p in persons]),
        AudienceChoice("council", [], chosen=bool(data["council"])),
    ]


def _ids(values: list[str]) -> list[int]:
    return [n for n in (whole_number(v) for v in values) if n is not None]


def article_input(
    data: dict[str, object], audience: list[AudienceChoice]
) -> article_services.ArticleInput:
    """The editor's form as the service's input, with the audience form's rules."""
    return article_services.ArticleInput(
        title=str(data.get("title") or ""),
        summary=str(data.get("summary") or ""),
        body=str(data.get("body") or ""),
        category_id=whole_number(data.get("category") or ""),
        cover_id=whole_number(data.get("cover") or ""),
        tags=[str(data.get("tags") or "")],
        author_name=str(data.get("author_name") or ""),
        audience=str(data.get("audience") or ""),
        audience_choices=audience,
        source_url=str(data.get("source_url") or ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_editor(request)
    user = signed_in_user(request)
    form = ArticleForm(
        request.POST or None,
        choices=_choices(request),
        initial={"audience": Article.Audience.MEMBERS, "author_name": user.name},
    )
    audience = _audience_form(request, None)
    created: list[Article] = []

    def save() -> None:
        created.append(
            article_services.article_create(
                association=request.association,
                actor=user,
                role=request.role,
                data=article_input(
                    form.cleaned_data, _audience_choices(request.association, audience)
                ),
            )
        )

    if submit(request, form, save, _("已保存草稿")):
        return go("office_article", request, article_id=created[0].pk)
    context = {"form": form, "audience_form": audience, "article": None}
    return render(request, "publishing/office/edit.html", context)


def _moved_back(before: Article, after: Article) -> str:
    """The message when a change sent an article in review back to its draft."""
    if before.status == Article.Status.REVIEW and after.status == Article.Status.DRAFT:
        return _("已保存。资讯在审核中被修改，已退回草稿，请修改完成后重新提交审核")
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(
    request: TenantRequest, association_slug: str, article_id: int
) -> HttpResponseBase:
    """The editor, with the workflow's buttons, the revisions and who read the article."""
    article = office_article(request, article_id)
    association = request.association
    form = ArticleForm(
        request.POST or None, choices=_choices(request, article), initial=_initial(article)
    )
    audience = _audience_form(request, article)
    saved: list[Article] = []

    def save() -> None:
        saved.append(
            article_services.article_update(
                association=association,
                actor=signed_in_user(request),
                role=request.role,
                article=article,
                data=article_input(form.cleaned_data, _audience_choices(association, audience)),
            )
        )

    def done() -> str:
        return _moved_back(article, saved[0]) or _("已保存")

    if submit(request, form, save, done):
        return go("office_article", request, article_id=article.pk)
    may_publish = selectors.may_publish(request.role)
    locked = article.status == Article.Status.PUBLISHED and not may_publish
    return render(
        request,
        "publishing/office/edit.html",
        {
            "form": form,
            "audience_form": audience,
            "article": article,
            "locked": locked,
            "may_publish": may_publish,
            "publish_form": PublishForm(),
            "return_form": ReturnForm(),
            "image_form": ImageForm(),
            "revisions": list(selectors.revisions(association=association, article=article)[:20]),
            "readers": list(selectors.readers(association=association, article=article)[:500]),
            "views": counters.views_of(article),
            "cover_url": image_url(association, article.cover, size="thumb")
            if article.cover
            else "",
        },
    )


@login_required
@require_GET
def article_preview(request: TenantRequest, association_slug: str, article_id: int) -> HttpResponse:
    """The article as a member will read it, whatever its status (the reviewer's view)."""
    article = office_article(request, article_id)
    return render(
        request,
        "publishing/member/article.html",
        {"article": article, "views": counters.views_of(article), "preview": True},
    )


@login_required
@require_POST
def article_action(
    request: TenantRequest, association_slug: str, article_id: int, action: str
) -> HttpResponseBase:
    article = office_article(request, article_id)
    common: dict[str, Any] = {
        "association": request.association,
        "actor": signed_in_user(request),
        "role": request.role,
        "article": article,
    }
    if action == "submit":
        act(request, lambda: article_services.article_submit(**common), _("已提交审核"))
    elif action == "return":
        form = ReturnForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        act(
            request,
            lambda: article_services.article_return(**common, reason=reason),
            _("已退回草稿"),
        )
    elif action == "publish":
        publish = PublishForm(request.POST)
        at = publish.cleaned_data.get("at") if publish.is_valid() else None
        act(
            request,
            lambda: article_services.article_publish(**common, at=at),
            _("已设置定时发布") if at else _("已发布"),
        )
    elif action == "unpublish":
        act(request, lambda: article_services.article_unpublish(**common), _("已撤回"))
    elif action in {"pin", "unpin"}:
        act(
            request,
            lambda: article_services.article_pin(**common, pinned=action == "pin"),
            _("已置顶") if action == "pin" else _("已取消置顶"),
        )
    elif action == "delete" and act(
        request, lambda: article_services.article_delete(**common), _("已删除")
    ):
        return go("office_articles", request)
    return go("office_article", request, article_id=article.pk)


@login_required
@require_POST
def revision_restore(
    request: TenantRequest, association_slug: str, article_id: int, revision_id: int
) -> HttpResponseBase:
    article = office_article(request, article_id)
    revision = selectors.access_revision(
        association=request.association, article=article, revision_id=revision_id
    )
    restored: list[Article] = []
    if act(
        request,
        lambda: restored.append(
            article_services.article_restore(
                association=request.association,
                actor=signed_in_user(request),
                role=request.role,
                article=article,
                revision=revision,
            )
        ),
        _("已恢复该版本"),
    ) and (moved := _moved_back(article, restored[0])):
        messages.warning(request, moved)
    return go("office_article", request, article_id=article.pk)


@login_required
@require_POST
def image_upload(
    request: TenantRequest, association_slug: str, article_id: int
) -> HttpResponseBase:
    """A picture for the article: appended to its body, or made its cover."""
    article = office_article(request, article_id)
    association, user = request.association, signed_in_user(request)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择图片"))
        return go("office_article", request, article_id=article.pk)

    def store() -> None:
        article_services.article_picture_add(
            association=association,
            actor=user,
            role=request.role,
            article=article,
            upload=form.cleaned_data["image"],
            use=form.cleaned_data["use"],
        )

    act(request, store, _("已上传图片"))
    return go("office_article", request, article_id=article.pk)
