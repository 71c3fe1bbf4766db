"""Back-office pages of terms (届), appointments, posts and the change of term (换届), the
overview of the whole structure, and the public organisation chart (/a/<slug>/org-chart/).
Thin: parse the form, access the objects, call the same services as the API, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.core.forms import add_service_errors
from shanghui.org import selectors
from shanghui.org.forms import (
    AppointmentForm,
    ChartSettingsForm,
    PostForm,
    TermChangeForm,
    TermForm,
)
from shanghui.org.models import Appointment, Post
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.views.base import can, edit_page, go, group_rows, url_for

# --- Overview ---------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    term = selectors.current_term(association=association)
    groups = list(selectors.group_members(association=association))
    published = selectors.chart_published(association=association)
    context = {
        "term": term,
        "roster": selectors.term_roster(association=association, term=term) if term else [],
        "committees": selectors.committees(association=association, with_members=True),
        "branches": selectors.branches(association=association),
        "group_rows": group_rows(request, groups),
        "published": published,
        **can(request),
    }
    return render(request, "org/office/overview.html", context)


@login_required
@require_POST
def chart_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    form = ChartSettingsForm(request.POST)
    if form.is_valid():
        term_services.org_settings_update(
            association=request.association,
            actor=signed_in_user(request),
            publish_chart=form.cleaned_data["publish_chart"],
        )
        messages.success(request, _("已保存"))
    return go("office_overview", request)


# --- Terms and appointments -------------------------------------------------------------------


def _term_input(data: dict[str, Any], **overrides: Any) -> term_services.TermInput:
    fields = {k: data[k] for k in ("name", "number", "starts_on", "ends_on")}
    return term_services.TermInput(
        **{**fields, "is_current": data.get("is_current", False), **overrides}
    )


@login_required
@require_http_methods(["GET", "POST"])
def terms(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = TermForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.EDIT_SETTINGS)
        if submit(
            request,
            form,
            lambda: term_services.term_create(
                association=association,
                actor=signed_in_user(request),
                data=_term_input(form.cleaned_data),
            ),
            lambda: _("已添加 %(name)s") % {"name": form.cleaned_data["name"]},
        ):
            return go("office_terms", request)
    context = {"terms": selectors.terms(association=association), "form": form, **can(request)}
    return render(request, "org/office/terms.html", context)


def _appointment_input(
    request: TenantRequest, form: AppointmentForm
) -> post_services.AppointmentInput:
    association = request.association
    data = form.cleaned_data
    return post_services.AppointmentInput(
        post=data["post"],
        person=selectors.find_person(association=association, text=data["person"]),
        member=selectors.find_member(association=association, text=data["member"]),
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def term(request: TenantRequest, association_slug: str, term_id: int) -> HttpResponseBase:
    """One term: its appointments by post, a form to appoint someone and (for those who may
    change the structure) the term's own details."""
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    term = selectors.access_term(association=association, term_id=term_id)
    posts = selectors.posts(association=association)
    form = AppointmentForm(request.POST or None, posts=posts)
    if request.method == "POST":
        require_perm(request.role, Perm.MANAGE_MEMBERS)
        if submit(
            request,
            form,
            lambda: post_services.appointment_create(
                association=association,
                actor=signed_in_user(request),
                term=term,
                data=_appointment_input(request, form),
            ),
            _("已任命"),
        ):
            return go("office_term", request, term_id=term.pk)
    context = {
        "term": term,
        "roster": selectors.term_roster(association=association, term=term, running_only=False),
        "form": form,
        "has_posts": posts.exists(),
        **can(request),
    }
    return render(request, "org/office/term.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request: TenantRequest, association_slug: str, term_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    term = selectors.access_term(association=request.association, term_id=term_id)
    initial = {
        f: getattr(term, f) for f in ("name", "number", "starts_on", "ends_on", "is_current")
    }
    form = TermForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda: term_services.term_update(
            association=request.association,
            actor=signed_in_user(request),
            term=term,
            data=_term_input(form.cleaned_data),
        ),
        title=_("编辑 %(name)s") % {"name": term.name},
        back=url_for("office_term", request, term_id=term.pk),
        delete_url=url_for("office_term_delete", request, term_id=term.pk),
        confirm=_("确定删除 %(name)s 吗？") % {"name": term.name},
    )


@login_required
@require_POST
def term_delete(request: TenantRequest, association_slug: str, term_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    term = selectors.access_term(association=request.association, term_id=term_id)
    act(
        request,
        lambda: term_services.term_delete(
            association=request.association, actor=signed_in_user(request), term=term
        ),
        _("已删除 %(name)s，可在回收站恢复") % {"name": term.name},
    )
    return go("office_terms", request)


@login_required
@require_http_methods(["GET", "POST"])
def term_change(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """换届: close the current term, open the next, end or carry over appointments."""
    require_perm(request.role, Perm.EDIT_SETTINGS)
    association = request.association
    current = selectors.current_term(association=association)
    counts = selectors.post_running_counts(association=association, term=current) if current else {}
    choices = [
        (p.pk, _("%(post)s（%(n)s 人）") % {"post": p.name, "n": counts.get(p.pk, 0)})
        for p in selectors.posts(association=association)
        if counts.get(p.pk)
    ]
    form = TermChangeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = term_services.term_change(
                association=association,
                actor=signed_in_user(request),
                data=_term_input(data, is_current=True),
                carry_over_post_ids=data["carry_over_post_ids"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("换届完成：%(name)s 已成为当届，%(ended)s 项任职卸任，%(carried)s 项连任")
                % {"name": change.term.name, "ended": change.ended, "carried": change.carried_over},
            )
            return go("office_term", request, term_id=change.term.pk)
    return render(
        request, "org/office/term_change.html", {"current": current, "form": form, **can(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment(
    request: TenantRequest, association_slug: str, appointment_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    item: Appointment = selectors.access_appointment(
        association=association, appointment_id=appointment_id
    )
    initial = {
        "post": item.post,
        "person": item.person.phone or item.person.name,
        "member": item.member.member_no if item.member else "",
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
    }
    form = AppointmentForm(
        request.POST or None, initial=initial, posts=selectors.posts(association=association)
    )
    return edit_page(
        request,
        form,
        lambda: post_services.appointment_update(
            association=association,
            actor=signed_in_user(request),
            appointment=item,
            data=_appointment_input(request, form),
        ),
        title=_("%(term)s · %(post)s · %(person)s")
        % {"term": item.term.name, "post": item.post.name, "person": item.person.name},
        back=url_for("office_term", request, term_id=item.term_id),
        delete_url=url_for("office_appointment_delete", request, appointment_id=item.pk),
        confirm=_("确定删除这条任职记录吗？卸任请填写卸任日期。"),
    )


@login_required
@require_POST
def appointment_delete(
    request: TenantRequest, association_slug: str, appointment_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item = selectors.access_appointment(
        association=request.association, appointment_id=appointment_id
    )
    act(
        request,
        lambda: post_services.appointment_delete(
            association=request.association, actor=signed_in_user(request), appointment=item
        ),
        _("已删除任职记录，可在回收站恢复"),
    )
    return go("office_term", request, term_id=item.term_id)


# --- Posts ------------------------------------------------------------------------------------


def _post_input(data: dict[str, Any]) -> post_services.PostInput:
    return post_services.PostInput(
        name=data["name"],
        sort_order=data["sort_order"],
        is_council=data["is_council"],
        is_secretariat=data["is_secretariat"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def posts(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = PostForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.EDIT_SETTINGS)
        if submit(
            request,
            form,
            lambda: post_services.post_create(
                association=association,
                actor=signed_in_user(request),
                data=_post_input(form.cleaned_data),
            ),
            _("已添加职务"),
        ):
            return go("office_posts", request)
    context = {"posts": selectors.posts(association=association), "form": form, **can(request)}
    return render(request, "org/office/posts.html", context)


@login_required
@require_POST
def posts_defaults(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    added = post_services.posts_add_defaults(
        association=request.association, actor=signed_in_user(request)
    )
    messages.success(request, _("已添加 %(n)s 个常用职务") % {"n": len(added)})
    return go("office_posts", request)


@login_required
@require_http_methods(["GET", "POST"])
def post(request: TenantRequest, association_slug: str, post_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    item: Post = selectors.access_post(association=request.association, post_id=post_id)
    initial = {f: getattr(item, f) for f in ("name", "sort_order", "is_council", "is_secretariat")}
    form = PostForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda: post_services.post_update(
            association=request.association,
            actor=signed_in_user(request),
            post=item,
            data=_post_input(form.cleaned_data),
        ),
        title=_("编辑职务 %(name)s") % {"name": item.name},
        back=url_for("office_posts", request),
        delete_url=url_for("office_post_delete", request, post_id=item.pk),
        confirm=_("确定删除职务 %(name)s 吗？") % {"name": item.name},
    )


@login_required
@require_POST
def post_delete(request: TenantRequest, association_slug: str, post_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    item = selectors.access_post(association=request.association, post_id=post_id)
    act(
        request,
        lambda: post_services.post_delete(
            association=request.association, actor=signed_in_user(request), post=item
        ),
        _("已删除职务 %(name)s，可在回收站恢复") % {"name": item.name},
    )
    return go("office_posts", request)


# --- The public organisation chart ------------------------------------------------------------


@require_GET
def chart(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Public: no sign-in. The current term's posts and names (no contact details), once the
    association has published its chart; otherwise the same 404 as an unknown address."""
    data = selectors.org_chart(association=request.association)
    if data is None:
        raise Http404
    return render(request, "org/public/chart.html", {"chart": data})
