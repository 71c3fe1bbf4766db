"""The back office's student sponsorship (/a/<slug>/office/charity/beneficiaries/…, the
secretariat with ``Perm.MANAGE_CHARITY``): the students, a student's file with the masked ID
number and its audited reveal, consents and their withdrawal, sponsorships with their term
schedule and payments, visits with photos (back office only) and academic records."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, may_reveal_personal_data, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.forms import sponsorship as forms
from shanghui.charity.models import Beneficiary, Sponsorship
from shanghui.charity.selectors import sponsorship as selectors
from shanghui.charity.services import beneficiaries as beneficiary_services
from shanghui.charity.services import sponsorship as services
from shanghui.core.forms import add_service_errors
from shanghui.core.money import parse_cny
from shanghui.core.paging import DeepPaginator
from shanghui.core.privacy import personal_data_page
from shanghui.core.regions import region_display_name
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response

PAGE = 50


def _manager(request: TenantRequest) -> None:
    require_perm(request.role, Perm.MANAGE_CHARITY)


def _beneficiary(request: TenantRequest, beneficiary_id: int) -> Beneficiary:
    _manager(request)
    return selectors.access_beneficiary(
        association=request.association, beneficiary_id=beneficiary_id
    )


def _sponsorship(request: TenantRequest, sponsorship_id: int) -> Sponsorship:
    _manager(request)
    return selectors.access_sponsorship(
        association=request.association, sponsorship_id=sponsorship_id
    )


def _errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _to_beneficiary(request: TenantRequest, beneficiary_id: int) -> HttpResponseBase:
    return redirect(
        "charity:office_beneficiary",
        association_slug=request.association.slug,
        beneficiary_id=beneficiary_id,
    )


def _to_sponsorship(request: TenantRequest, sponsorship_id: int) -> HttpResponseBase:
    return redirect(
        "charity:office_sponsorship",
        association_slug=request.association.slug,
        sponsorship_id=sponsorship_id,
    )


# --- Students -----------------------------------------------------------------------------


@login_required
@require_GET
def office_beneficiaries(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The students: name, school, stage and sponsors — never ID numbers."""
    _manager(request)
    association = request.association
    filters = selectors.BeneficiaryFilters.from_mapping(request.GET)
    qs = selectors.beneficiaries_search(association=association, filters=filters)
    page = DeepPaginator(qs, PAGE).get_page(request.GET.get("page"))
    personal_data_page(  # a list of (mostly minor) people: every page read leaves a trace
        actor=signed_in_user(request),
        association=association,
        listing="charity.beneficiaries",
        rows=len(page.object_list),
        page=page.number,
        filters=filters.__dict__,
        unmasked=False,
    )
    overdue = selectors.overdue_disbursements(association=association)
    context = {
        "tab": "sponsorship",
        "filters": filters,
        "stages": Beneficiary.Stage.choices,
        "page_obj": page,
        "overdue": list(overdue[:20]),
        "overdue_count": overdue.count(),
    }
    return render(request, "charity/office/beneficiaries.html", context)


def _beneficiary_input(
    form: forms.BeneficiaryForm, *, editing: bool
) -> beneficiary_services.BeneficiaryInput:
    data: dict[str, Any] = dict(form.cleaned_data)
    data.pop("photo", None)
    for name in ("id_number", "family_situation"):
        if editing and not (data.get(name) or "").strip():
            data[name] = None  # left empty on the edit form: keep what is stored
    return beneficiary_services.BeneficiaryInput(**data)


@login_required
@require_http_methods(["GET", "POST"])
def office_beneficiary_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    _manager(request)
    association = request.association
    form = forms.BeneficiaryForm(
        request.POST or None, request.FILES or None, association=association
    )
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary = beneficiary_services.beneficiary_create(
                association=association,
                actor=signed_in_user(request),
                data=_beneficiary_input(form, editing=False),
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记受助学生 %(name)s") % {"name": beneficiary.name})
            return _to_beneficiary(request, beneficiary.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "charity/office/beneficiary_form.html",
        {"tab": "sponsorship", "form": form, "beneficiary": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_beneficiary_edit(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponseBase:
    beneficiary = _beneficiary(request, beneficiary_id)
    if beneficiary.erased_at is not None:
        messages.error(request, _("该学生的个人信息已删除，记录仅用于统计，不能再修改"))
        return _to_beneficiary(request, beneficiary.pk)
    initial = {
        name: getattr(beneficiary, name)
        for name in forms.BeneficiaryForm.base_fields
        if name not in ("id_number", "family_situation", "photo", "school")
    }
    initial["school"] = beneficiary.school_id
    form = forms.BeneficiaryForm(
        request.POST or None,
        request.FILES or None,
        association=request.association,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary_services.beneficiary_update(
                association=request.association,
                actor=signed_in_user(request),
                beneficiary=beneficiary,
                data=_beneficiary_input(form, editing=True),
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return _to_beneficiary(request, beneficiary.pk)
    return render(
        request,
        "charity/office/beneficiary_form.html",
        {"tab": "sponsorship", "form": form, "beneficiary": beneficiary},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def office_beneficiary(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponse:
    """A student's file: the ID number masked (查看 reveals it, audited), consents,
    sponsorships with their payments, visits with photos, academic records and outcome."""
    beneficiary = _beneficiary(request, beneficiary_id)
    sponsorships = selectors.beneficiary_sponsorships(beneficiary)
    context = {
        "tab": "sponsorship",
        "beneficiary": beneficiary,
        "masked_id_number": selectors.masked_id_number(beneficiary),
        "region": region_display_name(beneficiary.region_code) if beneficiary.region_code else "",
        "has_family_situation": bool(beneficiary.family_situation),
        "may_reveal": may_reveal_personal_data(request.role),
        "is_minor": beneficiary_services.is_minor(beneficiary),
        "sponsorships": sponsorships,
        "visits": selectors.beneficiary_visits(beneficiary),
        "academic_records": selectors.beneficiary_academic_records(beneficiary),
        "withdraw_form": forms.WithdrawForm(),
        "today": timezone.localdate(),
    }
    return render(request, "charity/office/beneficiary.html", context)


@login_required
@require_POST
def office_beneficiary_reveal(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponse:
    """The ID number and family situation in full, for whoever may see personal data — and
    a record of who looked (``charity.beneficiary.reveal``)."""
    require_perm(request.role, Perm.VIEW_PERSONAL_DATA)
    beneficiary = _beneficiary(request, beneficiary_id)
    shown = beneficiary_services.beneficiary_reveal(
        association=request.association, actor=signed_in_user(request), beneficiary=beneficiary
    )
    template = (
        "charity/office/_beneficiary_revealed.html"
        if request.htmx
        else "charity/office/beneficiary_revealed_page.html"
    )
    return render(request, template, {"beneficiary": beneficiary, "shown": shown})


@login_required
@require_POST
def office_beneficiary_withdraw(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponseBase:
    """Consent withdrawn: the student's personal data is erased now."""
    beneficiary = _beneficiary(request, beneficiary_id)
    form = forms.WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        beneficiary_services.beneficiary_consent_withdraw(
            association=request.association,
            actor=signed_in_user(request),
            beneficiary=beneficiary,
            note=note,
        )
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
    else:
        messages.success(request, _("已撤回同意并删除该学生的个人信息"))
    return _to_beneficiary(request, beneficiary.pk)


@login_required
@require_GET
def office_beneficiary_photo(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponse:
    """The student's photo, for the back office only (never cached by shared proxies)."""
    beneficiary = _beneficiary(request, beneficiary_id)
    return picture_response(
        request.association,
        held_file(request.association, beneficiary.photo_id),
        size=request.GET.get("size", ""),
    )


# --- Sponsorships and payments -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def office_sponsorship_new(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponseBase:
    beneficiary = _beneficiary(request, beneficiary_id)
    form = forms.SponsorshipForm(
        request.POST or None,
        association=request.association,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["amount_per_term"] = parse_cny(data["amount_per_term"], field="amount_per_term")
            sponsorship = services.sponsorship_create(
                association=request.association,
                actor=signed_in_user(request),
                beneficiary=beneficiary,
                data=services.SponsorshipInput(**data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已新建结对，请安排发放计划"))
            return _to_sponsorship(request, sponsorship.pk)
    return render(
        request,
        "charity/office/sponsorship_form.html",
        {"tab": "sponsorship", "form": form, "beneficiary": beneficiary},
        status=400 if form.is_bound else 200,
    )


def _sponsorship_page(
    request: TenantRequest,
    sponsorship: Sponsorship,
    *,
    schedule_form: forms.ScheduleForm | None = None,
    pay_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "tab": "sponsorship",
        "sponsorship": sponsorship,
        "beneficiary": sponsorship.beneficiary,
        "disbursements": selectors.sponsorship_disbursements(sponsorship),
        "figures": selectors.sponsorship_figures(sponsorship),
        "schedule_form": schedule_form or forms.ScheduleForm(),
        "close_form": forms.CloseForm(),
        "pay_errors": pay_errors or {},
        "today": timezone.localdate(),
    }
    return render(request, "charity/office/sponsorship.html", context, status=status)


@login_required
@require_GET
def office_sponsorship(
    request: TenantRequest, association_slug: str, sponsorship_id: int
) -> HttpResponse:
    """A sponsorship's term schedule: generate terms, record each payment (booked in the
    donations ledger), close it when the student graduates."""
    return _sponsorship_page(request, _sponsorship(request, sponsorship_id))


@login_required
@require_POST
def office_sponsorship_schedule(
    request: TenantRequest, association_slug: str, sponsorship_id: int
) -> HttpResponseBase:
    sponsorship = _sponsorship(request, sponsorship_id)
    form = forms.ScheduleForm(request.POST)
    if form.is_valid():
        try:
            created = services.disbursements_generate(
                association=request.association,
                actor=signed_in_user(request),
                sponsorship=sponsorship,
                until=form.cleaned_data["until"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已安排 %(n)d 个学期的发放") % {"n": len(created)})
            return _to_sponsorship(request, sponsorship.pk)
    return _sponsorship_page(request, sponsorship, schedule_form=form, status=400)


@login_required
@require_POST
def office_sponsorship_close(
    request: TenantRequest, association_slug: str, sponsorship_id: int
) -> HttpResponseBase:
    sponsorship = _sponsorship(request, sponsorship_id)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择“已完成”或“已中止”"))
    else:
        try:
            services.sponsorship_close(
                association=request.association,
                actor=signed_in_user(request),
                sponsorship=sponsorship,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, _errors_text(exc))
        else:
            messages.success(request, _("结对已结束"))
    return _to_sponsorship(request, sponsorship.pk)


@login_required
@require_POST
def office_disbursement_pay(
    request: TenantRequest, association_slug: str, disbursement_id: int
) -> HttpResponseBase:
    """Records a term's payment; the gift is booked in the donations ledger."""
    _manager(request)
    disbursement = selectors.access_disbursement(
        association=request.association, disbursement_id=disbursement_id
    )
    form = forms.PayForm(request.POST)
    if form.is_valid():
        try:
            paid = services.disbursement_pay(
                association=request.association,
                actor=signed_in_user(request),
                disbursement=disbursement,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            error = _errors_text(exc)
        else:
            messages.success(
                request, _("已登记 %(term)s 的发放，并记入捐赠台账") % {"term": paid.term}
            )
            return _to_sponsorship(request, disbursement.sponsorship_id)
    else:
        error = _("请填写有效的发放日期")
    sponsorship = selectors.access_sponsorship(
        association=request.association, sponsorship_id=disbursement.sponsorship_id
    )
    return _sponsorship_page(request, sponsorship, pay_errors={disbursement.pk: error}, status=400)


# --- Visits and academic records -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def office_visit_new(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponseBase:
    beneficiary = _beneficiary(request, beneficiary_id)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_create(
                association=request.association,
                actor=signed_in_user(request),
                beneficiary=beneficiary,
                data=services.VisitInput(**form.cleaned_data),
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记走访"))
            return _to_beneficiary(request, beneficiary.pk)
    return render(
        request,
        "charity/office/visit_form.html",
        {"tab": "sponsorship", "form": form, "beneficiary": beneficiary},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def office_visit_photo(
    request: TenantRequest, association_slug: str, visit_photo_id: int
) -> HttpResponse:
    """A visit's photo: back office only, never on a public page."""
    _manager(request)
    photo = selectors.access_visit_photo(
        association=request.association, visit_photo_id=visit_photo_id
    )
    return picture_response(
        request.association,
        held_file(request.association, photo.file_id),
        size=request.GET.get("size", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_academic_new(
    request: TenantRequest, association_slug: str, beneficiary_id: int
) -> HttpResponseBase:
    beneficiary = _beneficiary(request, beneficiary_id)
    form = forms.AcademicForm(
        request.POST or None,
        initial={"school_name": beneficiary.school_name, "grade": beneficiary.grade},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.academic_record_create(
                association=request.association,
                actor=signed_in_user(request),
                beneficiary=beneficiary,
                data=services.AcademicInput(**form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记学业情况"))
            return _to_beneficiary(request, beneficiary.pk)
    return render(
        request,
        "charity/office/academic_form.html",
        {"tab": "sponsorship", "form": form, "beneficiary": beneficiary},
        status=400 if form.is_bound else 200,
    )
