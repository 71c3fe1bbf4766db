"""The donations ledger's pages (thin: parse, access, call a service, render): the secretariat's
list with its totals, recording a gift, a gift with its evidence and reversal, the
acknowledgement PDF, the auditors' export; and a member's own acknowledgement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.acknowledgements import acknowledgement_pdf
from shanghui.charity.forms.ledger import DonationForm, EvidenceForm, ReverseForm
from shanghui.charity.ledger_export import JOB_KIND, export_ledger
from shanghui.charity.models import Donation, DonorKind, GiftKind
from shanghui.charity.selectors import ledger as selectors
from shanghui.charity.services import donations as donation_services
from shanghui.charity.services import ledger as ledger_services
from shanghui.core.forms import add_service_errors
from shanghui.core.http import attachment_response
from shanghui.core.jobs import access_job, already_running_message, job_start_once
from shanghui.core.paging import DeepPaginator
from shanghui.core.storage.files import file_response, held_file
from shanghui.core.types import Tenant
from shanghui.members.models import Member

OFFICE_PAGE = 50
# The donor picker's list of members (a datalist): enough for most chambers; beyond it the
# clerk types the member number or full name, which is looked up exactly.
PICKER_MEMBERS = 2000


def _errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _donation_form(association: Tenant, data: object = None) -> DonationForm:
    campaigns = [(str(c.pk), c.title) for c in selectors.campaigns_of(association)]
    pledges = [
        (str(p.pk), f"{p.campaign.title} · {p.donor_name} · ¥{p.amount:,.2f}")
        for p in selectors.open_pledges_of(association)[:500]
    ]
    return DonationForm(
        data,
        group_members=[(str(g.pk), g.name) for g in selectors.group_members_of(association)],
        campaigns=campaigns,
        pledges=pledges,
        partners=[(str(p.pk), p.name) for p in selectors.partners_of(association)],
    )


@login_required
@require_GET
def office_donations(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The ledger with its filters (year, campaign, kind, channel, donor) and the totals of
    exactly what the filters select."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    filters = selectors.DonationFilters.from_mapping(request.GET)
    qs = selectors.donations_search(association=association, filters=filters)
    page = DeepPaginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    context = {
        "tab": "donations",
        "filters": filters,
        "filter_items": [(k, v) for k, v in filters.__dict__.items() if v],
        "years": selectors.donation_years(association=association),
        "campaigns": selectors.campaigns_of(association),
        "kinds": GiftKind.choices,
        "channels": Donation.Channel.choices,
        "page_obj": page,
        "totals": selectors.donations_totals(association=association, filters=filters),
    }
    template = (
        "charity/office/donations.html#results" if request.htmx else "charity/office/donations.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def office_donation_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Records a gift in cash or goods (the compliance sentence is on the page)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    form = _donation_form(association, request.POST or None)
    if request.method == "GET":
        initial = {k: request.GET[k] for k in ("campaign", "pledge") if request.GET.get(k)}
        form.initial.update(initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                donation = ledger_services.donation_record_input(
                    association=association, actor=signed_in_user(request), data=form.data_input()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记捐赠：%(name)s") % {"name": donation.donor_name})
                return redirect(
                    "charity:office_donation",
                    association_slug=association_slug,
                    donation_id=donation.pk,
                )
    members = Member.objects.filter(association=association).order_by("sort_key", "id")
    context = {
        "tab": "donations",
        "form": form,
        "picker_members": members.only("name", "member_no")[:PICKER_MEMBERS],
        "donor_kinds": DonorKind,
    }
    return render(request, "charity/office/donation_new.html", context, status=status)


def _office_donation(request: TenantRequest, donation_id: int) -> Donation:
    role = require_perm(request.role, Perm.MANAGE_CHARITY)
    return selectors.access_donation(
        association=request.association,
        actor=signed_in_user(request),
        role=role,
        donation_id=donation_id,
    )


def _donation_page(
    request: TenantRequest,
    donation: Donation,
    *,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reversal = selectors.donation_reversal(donation)
    context = {
        "tab": "donations",
        "donation": donation,
        "reversal": reversal,
        "evidence": selectors.donation_evidence(donation),
        "evidence_form": evidence_form or EvidenceForm(),
        "reverse_form": ReverseForm(),
        "can_acknowledge": not donation.is_reversal
        and (bool(donation.acknowledgement_no) or reversal is None),
    }
    return render(request, "charity/office/donation.html", context, status=status)


@login_required
@require_GET
def office_donation(
    request: TenantRequest, association_slug: str, donation_id: int
) -> HttpResponse:
    return _donation_page(request, _office_donation(request, donation_id))


@login_required
@require_POST
def office_donation_reverse(
    request: TenantRequest, association_slug: str, donation_id: int
) -> HttpResponseBase:
    donation = _office_donation(request, donation_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲正原因"))
    else:
        try:
            donation_services.donation_reverse(
                association=request.association,
                actor=signed_in_user(request),
                donation=donation,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _errors_text(exc))
        else:
            messages.success(request, _("已冲正这笔捐赠，原记录保留"))
    return redirect(
        "charity:office_donation", association_slug=association_slug, donation_id=donation.pk
    )


@login_required
@require_POST
def office_donation_evidence_add(
    request: TenantRequest, association_slug: str, donation_id: int
) -> HttpResponseBase:
    donation = _office_donation(request, donation_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ledger_services.evidence_add(
                association=request.association,
                actor=signed_in_user(request),
                donation=donation,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已上传凭证"))
            return redirect(
                "charity:office_donation",
                association_slug=association_slug,
                donation_id=donation.pk,
            )
    return _donation_page(request, donation, evidence_form=form, status=400)


@login_required
@require_GET
def office_donation_evidence(
    request: TenantRequest, association_slug: str, evidence_id: int
) -> StreamingHttpResponse:
    """An evidence file (the secretariat's pages only)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    evidence = selectors.access_evidence(association=request.association, evidence_id=evidence_id)
    stored = held_file(request.association, evidence.file_id)
    if stored is None:
        raise Http404
    return file_response(request.association, stored, inline=True)


def _acknowledgement(request: TenantRequest, donation: Donation, back: str) -> HttpResponseBase:
    try:
        donation = ledger_services.acknowledgement_number(
            association=request.association, actor=signed_in_user(request), donation=donation
        )
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
        return redirect(back)
    pdf = acknowledgement_pdf(association=request.association, donation=donation)
    return attachment_response(pdf.content, pdf.filename, inline=True)


@login_required
@require_GET
def office_donation_acknowledgement(
    request: TenantRequest, association_slug: str, donation_id: int
) -> HttpResponseBase:
    """The acknowledgement (捐赠证明/感谢信) as PDF; numbered the first time it is issued."""
    donation = _office_donation(request, donation_id)
    back = reverse(
        "charity:office_donation",
        kwargs={"association_slug": association_slug, "donation_id": donation.pk},
    )
    return _acknowledgement(request, donation, back)


@login_required
@require_GET
def my_donation_acknowledgement(
    request: TenantRequest, association_slug: str, donation_id: int
) -> HttpResponseBase:
    """A member's copy of the acknowledgement of a gift by a member they represent (or their
    own as an individual) — even an administrator sees only their own here."""
    require_member(request.role)
    donation = selectors.access_donation(
        association=request.association,
        actor=signed_in_user(request),
        role=None,
        donation_id=donation_id,
    )
    if donation.is_reversal:
        raise Http404
    return _acknowledgement(
        request, donation, reverse("members:home", kwargs={"association_slug": association_slug})
    )


@login_required
@require_POST
def office_donations_export(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The filtered ledger to xlsx for auditors, as a background job (one at a time)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    filters = selectors.DonationFilters.from_mapping(request.POST)
    job, started = job_start_once(
        association=request.association,
        actor=signed_in_user(request),
        kind=JOB_KIND,
        label=_("捐赠台账导出"),
        task=export_ledger,
        params=filters.__dict__,
        restartable=True,
    )
    if not started:
        messages.info(request, already_running_message(job))
    return redirect(
        "charity:office_donations_export_progress",
        association_slug=association_slug,
        job_id=job.pk,
    )


@login_required
@require_GET
def office_donations_export_progress(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_CHARITY)
    job = access_job(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        job_id=job_id,
    )
    return render(
        request,
        "charity/office/ledger_job.html",
        {"tab": "donations", "job": job, "back": "charity:office_donations"},
    )
