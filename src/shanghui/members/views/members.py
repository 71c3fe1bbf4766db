"""Members' pages: the space's home, the directory and member cards, my card; the back office's
member list, record, forms, status changes, export, personal data shown on request and
representatives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.permissions import (
    Perm,
    has_perm,
    personal_data_unmasked,
    reads_people_audited,
    require_member,
    require_perm,
)
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.models import Association
from shanghui.core.contributions import (
    VISITOR_HOME,
    member_card_sections,
    member_home_panels,
    member_panels,
)
from shanghui.core.editing import act, submit
from shanghui.core.forms import add_service_errors
from shanghui.core.http import row_url, whole_number
from shanghui.core.jobs import already_running_message, job_start_once
from shanghui.core.keyset import more_page
from shanghui.core.paging import DeepPaginator
from shanghui.core.privacy import personal_data_page, personal_data_reveal
from shanghui.core.regions import region_display_name
from shanghui.members.forms import MemberForm, StatusForm
from shanghui.members.models import Level, Member, MemberStatusChange, Person, Representative
from shanghui.members.presenters import (
    DIRECTORY_ROW_FIELDS,
    OFFICE_ROW_FIELDS,
    directory_rows,
    member_view,
    office_rows,
)
from shanghui.members.selectors import (
    MemberFilters,
    access_member,
    access_member_card,
    directory_search_count,
    filter_choices,
    member_page_source,
    member_search,
    my_members,
    page_representatives,
)
from shanghui.members.services import representatives
from shanghui.members.services.members import (
    STATUS_FLOW,
    RepresentativeInput,
    member_create,
    member_set_showcase,
    member_set_status,
    member_update,
)
from shanghui.members.tasks import export_members

DIRECTORY_PAGE = 30


OFFICE_PAGE = 50


def _page_slice(page_number: str | int | None, size: int) -> slice:
    """The rows of the page ``Paginator.get_page`` will most likely show (it falls back to
    the first or last page for a number out of range)."""
    number = min(whole_number(page_number) or 1, 1_000_000)  # Paginator refuses past the end
    return slice((number - 1) * size, number * size)


def _filters(request: HttpRequest) -> MemberFilters:
    return MemberFilters(
        **{key: request.GET.get(key, "").strip()[:50] for key in MemberFilters.__dataclass_fields__}
    )


@require_GET
def space_home(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The member's home in their association (mobile): what matters today, from each app's
    panel (``core.contributions.MEMBER_HOME``). A visitor without a role here gets the
    association's public site instead (``VISITOR_HOME``), or the sign-in page when no app
    offers one."""
    if request.role is None:
        visitor = VISITOR_HOME.entries()
        if visitor:
            return visitor[0].view(request, association_slug)
        return redirect_to_login(request.get_full_path())
    role = request.role
    association: Association = request.association
    user = request.user
    assert isinstance(user, User)
    my_people = Person.objects.filter(association=association, user=user)
    my_members = Member.objects.filter(
        association=association,
        representatives__person__in=my_people,
        representatives__deleted_at__isnull=True,
    ).distinct()[:5]
    return render(
        request,
        "members/member/home.html",
        {
            "role": role,
            "my_members": my_members,
            "region_name": region_display_name(association.region_code),
            "can_office": has_perm(role, Perm.VIEW_OFFICE),
            "panels": member_home_panels(request),
        },
    )


def _letter_links(request: TenantRequest) -> list[tuple[str, str]]:
    """The A–Z index's links: the page's query with ``letter`` set and its paging dropped,
    as ``{% querystring letter=… page=None cursor=None after=None %}`` would give for each of
    the 26 — worked out once here rather than by 26 copies of the query in the template."""
    params = request.GET.copy()
    for key in ("page", "cursor", "after"):
        params.pop(key, None)
    links = []
    for letter in map(chr, range(ord("A"), ord("Z") + 1)):
        params["letter"] = letter
        links.append((letter, f"?{params.urlencode()}"))
    return links


@login_required
@require_GET
def directory(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The member directory (mobile, WeChat-contacts style). HTMX requests get only the list."""
    require_member(request.role)
    filters = _filters(request)
    directory_search_count(user_id=signed_in_user(request).pk, filters=filters)
    qs = member_search(association=request.association, filters=filters, directory=True)
    letter = request.GET.get("letter", "").strip().upper()[:1]
    # "Load more" by cursor (core.keyset): a phone scrolls on, and page 300 costs what page 1
    # does. The A–Z index starts the list at its letter, as WeChat's contact index does.
    start = Q(sort_key__gte=letter.lower()) if "A" <= letter <= "Z" else None
    page = more_page(request, qs.only(*DIRECTORY_ROW_FIELDS), size=DIRECTORY_PAGE, start=start)
    members = directory_rows(
        page.rows,
        representatives=page_representatives(
            association=request.association, member_ids=[m.pk for m in page.rows]
        ),
        card_url=row_url(
            "members:member_card", id_kwarg="member_id", association_slug=association_slug
        ),
        logo_url=row_url(
            "members:member_logo", id_kwarg="member_id", association_slug=association_slug
        ),
    )
    context = {
        "page": page,
        # The number found heads the first page of a search only; "load more" does not show it.
        "found": qs.count() if filters.q and not request.GET.get("cursor") else None,
        "continues": request.GET.get("after", "")[:1] if page.rows else "",
        "members": members,
        "filters": filters,
        "choices": None if request.htmx else filter_choices(association=request.association),
        "letters": [] if filters.q or request.htmx else _letter_links(request),
    }
    template = "members/member/directory.html"
    if request.htmx:
        template += "#more" if request.GET.get("cursor") else "#results"
    return render(request, template, context)


@login_required
@require_GET
def member_card(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    """A member's business card (名片), shareable inside the association."""
    role = require_member(request.role)
    member = access_member_card(association=request.association, role=role, member_id=member_id)
    return render(
        request,
        "members/member/member_card.html",
        {
            "member": member_view(
                member, viewer_role=role, unmasked=personal_data_unmasked(role, on_screen=True)
            ),
            "card_sections": member_card_sections(
                association=request.association, member=member, role=role
            ),
        },
    )


@login_required
@require_GET
def my_card(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的名片: the card of the member I represent (a choice when I represent several), with
    the way back to 我的; sharing it shares the card's own address."""
    role = require_member(request.role)
    mine = list(
        my_members(association=request.association, user_id=signed_in_user(request).pk)[:20]
    )
    if len(mine) != 1:
        return render(request, "members/member/my_cards.html", {"members": mine})
    return render(
        request,
        "members/member/member_card.html",
        {
            "member": member_view(
                mine[0], viewer_role=role, unmasked=personal_data_unmasked(role, on_screen=True)
            ),
            "card_sections": member_card_sections(
                association=request.association, member=mine[0], role=role
            ),
            "back_url": reverse("accounts:space_me", kwargs={"association_slug": association_slug}),
            "back_label": _("我的"),
        },
    )


@login_required
@require_GET
def office_members(request: TenantRequest, association_slug: str) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    filters = _filters(request)
    qs = member_search(association=request.association, filters=filters, directory=False)
    page_number = request.GET.get("page")
    source = member_page_source(
        qs,
        association=request.association,
        filters=filters,
        page=_page_slice(page_number, OFFICE_PAGE),
        only=OFFICE_ROW_FIELDS,
    )
    page = DeepPaginator(source, OFFICE_PAGE).get_page(page_number)
    unmasked = personal_data_unmasked(role, on_screen=True)
    rows = list(page.object_list)
    if reads_people_audited(role):
        personal_data_page(
            actor=signed_in_user(request),
            association=request.association,
            listing="members",
            rows=len(rows),
            page=page.number,
            filters=filters.__dict__,
            unmasked=unmasked,
        )
    context = {
        "page_obj": page,
        "members": office_rows(
            rows,
            viewer_role=role,
            unmasked=unmasked,
            representatives=page_representatives(
                association=request.association, member_ids=[m.pk for m in rows]
            ),
            member_url=row_url(
                "members:office_member", id_kwarg="member_id", association_slug=association_slug
            ),
        ),
        "filters": filters,
        "statuses": Member.Status.choices,
        "choices": None if request.htmx else filter_choices(association=request.association),
        "can_export": has_perm(role, Perm.EXPORT_MEMBERS),
    }
    template = (
        "members/office/members.html#results" if request.htmx else "members/office/members.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def office_member(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    history = MemberStatusChange.objects.filter(
        association=request.association, member=member
    ).select_related("actor")
    next_statuses = [
        (value, label)
        for value, label in Member.Status.choices
        if value in STATUS_FLOW[member.status]
    ]
    return render(
        request,
        "members/office/member.html",
        {
            "member": member_view(
                member, viewer_role=role, unmasked=personal_data_unmasked(role, on_screen=True)
            ),
            "history": history,
            "status_form": StatusForm(),
            "next_statuses": next_statuses,
            "level": member.level,
            "panels": member_panels(role),
        },
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
    job, started = job_start_once(
        association=request.association,
        actor=user,
        kind="members.export",
        label=_("会员名单导出"),
        task=export_members,
        params=filters.__dict__,
        restartable=True,
    )
    if not started:
        messages.info(request, already_running_message(job))
    return redirect(
        "members:office_members_export_progress", association_slug=association_slug, job_id=job.pk
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
    job = access_job(association=request.association, actor=user, role=request.role, job_id=job_id)
    return render(request, "members/office/export.html", {"job": job})


def _levels(association: Association) -> list[Level]:
    return list(Level.objects.filter(association=association, is_active=True))


def _member_initial(member: Member) -> dict[str, object]:
    return {
        "kind": member.kind,
        "name": member.name,
        "uscc": member.uscc,
        "level_id": member.level_id,
        "legal_representative": member.legal_representative,
        "industry_code": member.industry_code,
        "region_code": member.region_code,
        "hometown_code": member.hometown_code,
        "address": member.address,
        "main_products": member.main_products,
        "website": member.website,
        "joined_on": member.joined_on,
        "member_no": member.member_no,
        "introduction": member.introduction,
    }


@login_required
@require_http_methods(["GET", "POST"])
def office_member_create(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    form = MemberForm(request.POST or None, levels=_levels(request.association))
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            member = member_create(
                association=request.association, actor=signed_in_user(request), data=form.to_input()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            existing = _existing_member_id(exc)
        else:
            messages.success(request, _("已添加会员 %(name)s") % {"name": member.name})
            return redirect(
                "members:office_member", association_slug=association_slug, member_id=member.pk
            )
    return render(
        request,
        "members/office/member_form.html",
        {"form": form, "member": None, "existing_member_id": existing},
    )


def _existing_member_id(exc: ValidationError) -> int | None:
    """The member a refusal names when it refuses a second individual member for the same
    person, so that the page links to it."""
    for errors in getattr(exc, "error_dict", {}).values():
        for error in errors:
            if error.code == "individual_member_exists" and error.params:
                return int(error.params["member_id"])
    return None


@login_required
@require_http_methods(["GET", "POST"])
def office_member_edit(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    form = MemberForm(
        request.POST or None,
        initial=_member_initial(member),
        levels=_levels(request.association),
        with_representative=False,
    )
    if submit(
        request,
        form,
        lambda: member_update(
            association=request.association,
            actor=signed_in_user(request),
            member=member,
            data=form.to_input(),
        ),
        _("已保存"),
    ):
        return redirect(
            "members:office_member", association_slug=association_slug, member_id=member.pk
        )
    return render(request, "members/office/member_form.html", {"form": form, "member": member})


@login_required
@require_POST
def office_member_status(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    form = StatusForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: member_set_status(
                association=request.association,
                actor=signed_in_user(request),
                member=member,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
            ),
            _("状态已更新"),
        )
    else:
        messages.error(request, _("请选择新状态"))
    return redirect("members:office_member", association_slug=association_slug, member_id=member.pk)


@login_required
@require_POST
def office_member_showcase(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponseBase:
    """Shows the enterprise on the association's public site (会员风采), or stops."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    showcase = request.POST.get("showcase") == "1"
    act(
        request,
        lambda: member_set_showcase(
            association=request.association,
            actor=signed_in_user(request),
            member=member,
            showcase=showcase,
        ),
        _("已在官网展示") if showcase else _("已取消官网展示"),
    )
    return redirect("members:office_member", association_slug=association_slug, member_id=member.pk)


@login_required
@require_POST
def office_member_reveal(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponse:
    """Shows a member's unmasked phone numbers to the secretariat — and records who looked."""
    role = require_perm(request.role, Perm.VIEW_PERSONAL_DATA)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    personal_data_reveal(
        actor=signed_in_user(request),
        association=request.association,
        action="member.reveal_personal_data",
        target=member,
        summary=member.name,
    )
    view = member_view(
        member, viewer_role=role, unmasked=personal_data_unmasked(role, revealed=True)
    )
    return render(request, "members/office/_member_phones.html", {"member": view})


@login_required
@require_POST
def office_representative_add(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    data = RepresentativeInput(
        name=request.POST.get("name", ""),
        phone=request.POST.get("phone", ""),
        title=request.POST.get("title", ""),
    )
    try:
        representatives.representative_add(
            association=request.association,
            actor=signed_in_user(request),
            member=member,
            data=data,
            kind=request.POST.get("kind") or Representative.Kind.REPRESENTATIVE,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已添加 %(name)s") % {"name": data.name.strip()})
    return redirect("members:office_member", association_slug=association_slug, member_id=member.pk)


@login_required
@require_POST
def office_representative_remove(
    request: TenantRequest, association_slug: str, member_id: int, representative_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    representative = representatives.access_representative(
        association=request.association, member=member, representative_id=representative_id
    )
    representatives.representative_remove(
        association=request.association,
        actor=signed_in_user(request),
        representative=representative,
    )
    messages.success(
        request,
        _("已移除 %(name)s，可在“组织架构 › 回收站”恢复") % {"name": representative.person.name},
    )
    return redirect("members:office_member", association_slug=association_slug, member_id=member.pk)
