"""Other modules' files (其他模块的文件), beside the library's trash: the files records of
other modules no longer hold — in the trash (回收站) or kept as old versions (历史版本) —
for the secretariat (MANAGE_DOCUMENTS) to download, save into the library and make current
again; administrators (PURGE_DOCUMENTS) remove one for good. The buttons post with htmx
(the list is redrawn in place) and without it (back to the list)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.documents import selectors
from shanghui.documents.forms import ModuleFileSaveForm
from shanghui.documents.services import module_files as services
from shanghui.documents.views.base import folder_paths, folder_view_of, require_manager

PAGE = 50
TEMPLATE = "documents/office/module_files.html"


def _show(value: str | None) -> str:
    return value if value in selectors.MODULE_FILE_SHOWS else "trash"


def _list_url(request: TenantRequest, show: str, page: str | None = None) -> str:
    url = reverse(
        "documents:office_module_files", kwargs={"association_slug": request.association.slug}
    )
    query = {"show": show, **({"page": page} if page and page.isdigit() else {})}
    return f"{url}?{urlencode(query)}"


def _listing(request: TenantRequest, show: str, page: str | None) -> HttpResponse:
    association = request.association
    qs = selectors.module_files(association=association, show=show)
    page_obj = Paginator(qs, PAGE).get_page(page)
    rows = selectors.module_file_rows(association=association, files=list(page_obj.object_list))
    template = f"{TEMPLATE}#results" if request.htmx else TEMPLATE
    return render(
        request,
        template,
        {
            "show": show,
            "page_obj": page_obj,
            "rows": rows,
            "may_purge": selectors.may_purge(request.role),
            "days": int(settings.DOCUMENTS_TRASH_DAYS),
            "usage": selectors.usage(association),
        },
    )


@login_required
@require_GET
def module_files(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_manager(request)
    return _listing(request, _show(request.GET.get("show")), request.GET.get("page"))


def _back(request: TenantRequest) -> HttpResponseBase:
    """After a button: the list redrawn in place (htmx), or the list again."""
    show, page = _show(request.POST.get("show")), request.POST.get("page")
    if request.htmx:
        # The redrawn list's page links keep the filter ({% querystring %} reads request.GET).
        request.GET = QueryDict(urlencode({"show": show}))
        return _listing(request, show, page)
    return redirect(_list_url(request, show, page))


@login_required
@require_GET
def download(
    request: TenantRequest, association_slug: str, stored_file_id: int
) -> HttpResponseBase:
    require_manager(request)
    stored = selectors.access_module_file(
        association=request.association, stored_file_id=stored_file_id
    )
    return services.module_file_download(
        association=request.association, actor=signed_in_user(request), stored=stored
    )


@login_required
@require_http_methods(["GET", "POST"])
def save(request: TenantRequest, association_slug: str, stored_file_id: int) -> HttpResponseBase:
    """存入资料库: a page of its own (a name and a folder, the root by default)."""
    require_manager(request)
    association = request.association
    stored = selectors.access_module_file(association=association, stored_file_id=stored_file_id)
    view = folder_view_of(request)
    form = ModuleFileSaveForm(
        request.POST or None, initial={"name": stored.name, "folder": view.root_id}
    )
    form.fields["folder"].choices = folder_paths(request, view)  # type: ignore[attr-defined]
    saved: list[int] = []

    def run() -> None:
        data = form.cleaned_data
        folder = selectors.access_folder(
            association=association, view=view, folder_id=data["folder"]
        )
        version = services.module_file_save(
            association=association,
            actor=signed_in_user(request),
            stored=stored,
            folder=folder,
            name=data["name"],
        )
        saved.append(version.file_id)

    if submit(request, form, run, _("已存入资料库")):
        return redirect(
            "documents:office_file", association_slug=association.slug, file_id=saved[0]
        )
    row = selectors.module_file_rows(association=association, files=[stored])[0]
    return render(
        request,
        "documents/office/module_file_save.html",
        {"form": form, "row": row, "back": _list_url(request, _show(request.GET.get("show")))},
    )


@login_required
@require_POST
def restore(request: TenantRequest, association_slug: str, stored_file_id: int) -> HttpResponseBase:
    require_manager(request)
    stored = selectors.access_module_file(
        association=request.association, stored_file_id=stored_file_id
    )
    act(
        request,
        lambda: services.module_file_restore(
            association=request.association, actor=signed_in_user(request), stored=stored
        ),
        _("已将“%(name)s”恢复为当前文件") % {"name": stored.name},
    )
    return _back(request)


@login_required
@require_POST
def purge(request: TenantRequest, association_slug: str, stored_file_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.PURGE_DOCUMENTS)
    stored = selectors.access_module_file(
        association=request.association, stored_file_id=stored_file_id
    )
    act(
        request,
        lambda: services.module_file_purge(
            association=request.association, actor=signed_in_user(request), stored=stored
        ),
        _("已彻底删除“%(name)s”") % {"name": stored.name},
    )
    return _back(request)
