"""The back office's library (desktop): a folder with its subfolders and files, the usage
bar, new folder (from a template too), rename / move / audience, delete to the trash,
multi-file upload (files over 8 MB go through the resumable tus endpoint from the page's
script), a folder as zip, and search. Thin: access, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.audience import AudienceChoice, AudienceInput, audience_rules
from shanghui.core.editing import act, submit
from shanghui.core.storage.content import size_label
from shanghui.documents import selectors
from shanghui.documents.forms import FolderEditForm, FolderNewForm
from shanghui.documents.models import Folder
from shanghui.documents.services import downloads
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.views.base import (
    folder_paths,
    folder_view_of,
    go_folder,
    require_manager,
)
from shanghui.events.forms import AudienceForm, audience_form
from shanghui.members.models import Person

# Larger files go through the resumable upload (tus) from the page's script.
RESUMABLE_FROM = 8 * 1024 * 1024


def _folder_page(request: TenantRequest, folder: Folder | None) -> HttpResponse:
    require_manager(request)
    association = request.association
    view = folder_view_of(request)
    if folder is None:
        folder = folder_services.root_folder(association)
    children = selectors.subfolders(association=association, view=view, folder=folder)
    files = selectors.files_in(association=association, folder=folder).select_related(
        "current__uploaded_by"
    )
    return render(
        request,
        "documents/office/library.html",
        {
            "folder": folder,
            "crumbs": selectors.breadcrumbs(association=association, folder=folder),
            "children": children,
            "files": files,
            "usage": selectors.usage(association),
            "new_form": FolderNewForm(),
            "may_purge": selectors.may_purge(request.role),
            "resumable_from": RESUMABLE_FROM,
            "resumable_label": size_label(RESUMABLE_FROM),
            "tus_endpoint": f"/api/v1/associations/{association.slug}/documents/uploads",
        },
    )


@login_required
@require_GET
def library(request: TenantRequest, association_slug: str) -> HttpResponse:
    return _folder_page(request, None)


@login_required
@require_GET
def folder(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponse:
    require_manager(request)
    found = selectors.access_folder(
        association=request.association, view=folder_view_of(request), folder_id=folder_id
    )
    return _folder_page(request, found)


@login_required
@require_POST
def folder_new(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponseBase:
    require_manager(request)
    association = request.association
    parent = selectors.access_folder(
        association=association, view=folder_view_of(request), folder_id=folder_id
    )
    form = FolderNewForm(request.POST)
    actor = signed_in_user(request)

    def create() -> Folder:
        data = form.cleaned_data
        if data["template"]:
            return folder_services.folder_create_from_template(
                association=association,
                actor=actor,
                parent=parent,
                name=data["name"],
                template=data["template"],
            )
        return folder_services.folder_create(
            association=association, actor=actor, parent=parent, name=data["name"]
        )

    if submit(request, form, create, lambda: _("已新建文件夹“%(name)s”") % form.cleaned_data):
        return go_folder(request, parent.pk)
    for errors in form.errors.values():
        messages.error(request, "；".join(str(e) for e in errors))
    return go_folder(request, parent.pk)


def _audience_form(request: TenantRequest, folder: Folder) -> AudienceForm:
    rules = audience_rules(
        association=request.association,
        owner_type=folder_services.AUDIENCE_OWNER,
        owner_id=folder.pk,
    )
    return audience_form(request.POST, association=request.association, rules=rules)


def _audience_choices(request: TenantRequest, form: AudienceForm) -> list[AudienceChoice]:
    """The shared audience form's choices (``core.audience.AudienceInput``), the people
    named by phone found among the association's contacts."""
    data = form.cleaned_data
    phones = [p.strip() for p in data["phones"].splitlines() if p.strip()]
    persons = list(Person.objects.filter(association=request.association, phone__in=phones))
    if len({p.phone for p in persons}) != len(set(phones)):
        raise ValidationError({"phones": _("有手机号未找到对应的联系人")})
    chosen = AudienceInput.from_form(data, person_ids=[p.pk for p in persons])
    return [c for c in chosen.choices() if c.target_ids or c.chosen]


@login_required
@require_http_methods(["GET", "POST"])
def folder_edit(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponseBase:
    """Rename, move and set who sees a folder (staff, all members, or the rules below)."""
    require_manager(request)
    association = request.association
    view = folder_view_of(request)
    found = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    if found.is_root:
        return go_folder(request, None)
    form = FolderEditForm(
        request.POST or None,
        initial={"name": found.name, "parent": found.parent_id, "audience": found.audience},
    )
    form.fields["parent"].choices = folder_paths(request, view, skip=found)  # type: ignore[attr-defined]
    rules_form = _audience_form(request, found)

    def save() -> None:
        data = form.cleaned_data
        choices: list[AudienceChoice] = []
        if data["audience"] == Folder.Audience.RULES:
            if not rules_form.is_valid():
                raise ValidationError({"audience": _("请检查指定范围")})
            choices = _audience_choices(request, rules_form)
        parent = selectors.access_folder(
            association=association, view=view, folder_id=data["parent"]
        )
        folder_services.folder_update(
            association=association,
            actor=signed_in_user(request),
            folder=found,
            name=data["name"],
            parent=parent,
            audience=data["audience"],
            audience_choices=choices,
        )

    if submit(request, form, save, _("已保存文件夹")):
        return go_folder(request, found.pk)
    return render(
        request,
        "documents/office/folder_edit.html",
        {
            "folder": found,
            "crumbs": selectors.breadcrumbs(association=association, folder=found),
            "form": form,
            "rules_form": rules_form,
        },
    )


@login_required
@require_POST
def folder_delete(
    request: TenantRequest, association_slug: str, folder_id: int
) -> HttpResponseBase:
    require_manager(request)
    association = request.association
    found = selectors.access_folder(
        association=association, view=folder_view_of(request), folder_id=folder_id
    )
    done = act(
        request,
        lambda: folder_services.folder_delete(
            association=association, actor=signed_in_user(request), folder=found
        ),
        _("已将文件夹“%(name)s”移到回收站") % {"name": found.name},
    )
    return go_folder(request, found.parent_id if done else found.pk)


@login_required
@require_POST
def upload(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponseBase:
    """Several files at once (``files``); each is stored on its own, so one refused file
    (empty, a program, over the quota) leaves the others uploaded. A file of a name already
    in the folder becomes its next version."""
    require_manager(request)
    association = request.association
    found = selectors.access_folder(
        association=association, view=folder_view_of(request), folder_id=folder_id
    )
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, _("请选择要上传的文件"))
        return go_folder(request, found.pk)
    stored: list[str] = []
    for item in uploads:
        try:
            version = file_services.file_upload(
                association=association,
                actor=signed_in_user(request),
                folder=found,
                name=item.name or "",
                source=item,
            )
        except ValidationError as exc:
            messages.error(request, f"{item.name}：" + "；".join(exc.messages))
            continue
        finally:
            item.close()
        stored.append(
            _("%(name)s（第 %(n)d 版）") % {"name": version.file.name, "n": version.number}
            if version.number > 1
            else version.file.name
        )
    if stored:
        messages.success(request, _("已上传：") + "、".join(stored))
    return go_folder(request, found.pk)


@login_required
@require_GET
def folder_zip(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponseBase:
    require_manager(request)
    view = folder_view_of(request)
    found = selectors.access_folder(association=request.association, view=view, folder_id=folder_id)
    return downloads.folder_zip(
        association=request.association, actor=signed_in_user(request), view=view, folder=found
    )


@login_required
@require_GET
def search(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Files by name: characters (简/繁), full pinyin or initials."""
    require_manager(request)
    query = request.GET.get("q", "").strip()[:60]
    view = folder_view_of(request)
    found = (
        selectors.search(association=request.association, view=view, query=query) if query else []
    )
    return render(
        request,
        "documents/office/search.html",
        {"q": query, "files": found, "usage": selectors.usage(request.association)},
    )
