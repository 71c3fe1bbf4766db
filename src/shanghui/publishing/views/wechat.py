"""Importing an article from a WeChat 公众号 (back office): a link or pasted HTML becomes a
draft to check and publish."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import submit
from shanghui.publishing.forms import ImportForm
from shanghui.publishing.models import Article
from shanghui.publishing.services import wechat as wechat_services
from shanghui.publishing.views.base import go, require_editor


@login_required
@require_http_methods(["GET", "POST"])
def article_import(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_editor(request)
    form = ImportForm(request.POST or None)
    created: list[Article] = []

    def save() -> None:
        data = form.cleaned_data
        if not (data["url"].strip() or data["html"].strip()):
            raise ValidationError({"url": _("请填写文章链接或粘贴网页源代码")})
        created.append(
            wechat_services.article_import(
                association=request.association,
                actor=signed_in_user(request),
                role=request.role,
                url=data["url"],
                html=data["html"],
            )
        )

    if submit(request, form, save, _("已导入为草稿，请检查后提交审核或发布")):
        return go("office_article", request, article_id=created[0].pk)
    return render(request, "publishing/office/import.html", {"form": form})
