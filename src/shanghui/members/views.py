from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.associations.models import Association
from shanghui.core.http import TenantRequest
from shanghui.core.jobs import job_start
from shanghui.core.regions import region_full_name
from shanghui.members.models import Member, Person
from shanghui.members.presenters import member_view
from shanghui.members.selectors import (
    MemberFilters,
    access_member,
    member_search,
    with_representatives,
)
from shanghui.members.tasks import export_members

DIRECTORY_PAGE = 30
OFFICE_PAGE = 50


def _filters(request: HttpRequest) -> MemberFilters:
    return MemberFilters(
        **{key: request.GET.get(key, "").strip()[:50] for key in MemberFilters.__dataclass_fields__}
    )


@login_required
@require_GET
def space_home(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The member's home in their association (mobile)."""
    role = require_member(request.role)
    association: Association = request.association
    user = request.user
    assert isinstance(user, User)
    my_people = Person.objects.filter(association=association, user=user)
    my_members = Member.objects.filter(
        association=association, representatives__person__in=my_people
    ).distinct()[:5]
    return render(
        request,
        "members/space_home.html",
        {
            "role": role,
            "my_members": my_members,
            "region_name": region_full_name(association.region_code),
            "can_office": has_perm(role, Perm.VIEW_OFFICE),
        },
    )


@login_required
@require_GET
def directory(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The member directory (mobile, WeChat-contacts style). HTMX requests get only the list."""
    role = require_member(request.role)
    filters = _filters(request)
    qs = with_representatives(
        member_search(association=request.association, filters=filters, directory=True)
    )
    page = Paginator(qs, DIRECTORY_PAGE).get_page(request.GET.get("page"))
    views = [member_view(m, viewer_role=role) for m in page.object_list]
    context = {"page_obj": page, "members": views, "filters": filters}
    template = "members/directory.html#results" if request.htmx else "members/directory.html"
    return render(request, template, context)


@login_required
@require_GET
def member_card(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    """A member's business card (名片), shareable inside the association."""
    role = require_member(request.role)
    member = access_member(association=request.association, member_id=member_id, directory=True)
    return render(
        request, "members/member_card.html", {"member": member_view(member, viewer_role=role)}
    )


@login_required
@require_GET
def office_members(request: TenantRequest, association_slug: str) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    filters = _filters(request)
    qs = with_representatives(
        member_search(association=request.association, filters=filters, directory=False)
    )
    page = Paginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "members": [member_view(m, viewer_role=role) for m in page.object_list],
        "filters": filters,
        "statuses": Member.Status.choices,
        "can_export": has_perm(role, Perm.EXPORT_MEMBERS),
    }
    template = (
        "members/office_members.html#results" if request.htmx else "members/office_members.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def office_member(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    return render(
        request, "members/office_member.html", {"member": member_view(member, viewer_role=role)}
    )


@login_required
@require_POST
def office_members_export(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Starts the xlsx export of the filtered list as a background job and shows its progress."""
    require_perm(request.role, Perm.EXPORT_MEMBERS)
    user = request.user
    assert isinstance(user, User)
    filters = MemberFilters(
        **{
            key: request.POST.get(key, "").strip()[:50]
            for key in MemberFilters.__dataclass_fields__
        }
    )
    job = job_start(
        association=request.association,
        actor=user,
        kind="members.export",
        label=_("会员名单导出"),
        task=export_members,
        filters=filters.__dict__,
    )
    return redirect(
        "office:members_export_progress", association_slug=association_slug, job_id=job.pk
    )


@login_required
@require_GET
def office_members_export_progress(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponse:
    from shanghui.core.jobs import access_job

    require_perm(request.role, Perm.EXPORT_MEMBERS)
    user = request.user
    assert isinstance(user, User)
    job = access_job(association=request.association, actor=user, job_id=job_id)
    return render(request, "members/office_export.html", {"job": job})
