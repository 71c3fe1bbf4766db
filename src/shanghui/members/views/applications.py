"""Pages for online applications to join: the public form (mobile-first), the applicant's
amendment link, and the secretariat's review."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, personal_data_unmasked, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import KeptFileInput, PhoneInput, RegionField, add_service_errors
from shanghui.core.industries import industry_label
from shanghui.core.phone import mask_mobile
from shanghui.core.privacy import personal_data_page, personal_data_reveal
from shanghui.core.regions import region_display_name
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.storage.files import file_response, held_file
from shanghui.core.uploads import (
    KeptUpload,
    kept_upload_discard,
    kept_upload_open,
    upload_keep,
    upload_kept,
    validate_document_upload,
)
from shanghui.members.forms import industry_choices
from shanghui.members.models import Level, Member, MembershipApplication, MembershipPolicy
from shanghui.members.services import applications

LICENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class ApplicationForm(forms.Form):
    """The public application. Required fields are marked before sending (an asterisk and
    the ``required`` attribute); the credit code and the licence only for enterprises, which
    app.js follows as the type changes. A licence chosen on a try that came back with an
    error is kept (``core.uploads.upload_keep``) and shown as chosen."""

    kind = forms.ChoiceField(label=gettext_lazy("会员类型"), choices=Member.Kind.choices)
    name = forms.CharField(
        label=gettext_lazy("企业名称或个人姓名"),
        max_length=100,
        widget=forms.TextInput(
            {"placeholder": gettext_lazy("与营业执照一致，如“广州华通科技有限公司”")}
        ),
    )
    uscc = forms.CharField(
        label=gettext_lazy("统一社会信用代码"),
        max_length=18,
        required=False,
        widget=forms.TextInput(
            {"placeholder": gettext_lazy("18 位，见营业执照"), "autocapitalize": "characters"}
        ),
    )
    legal_representative = forms.CharField(
        label=gettext_lazy("法定代表人"),
        max_length=50,
        required=False,
        widget=forms.TextInput({"placeholder": gettext_lazy("姓名")}),
    )
    industry_code = forms.ChoiceField(label=gettext_lazy("行业"), required=False, choices=())
    region_code = RegionField(label=gettext_lazy("注册地区"))
    hometown_code = RegionField(label=gettext_lazy("籍贯"))
    address = forms.CharField(
        label=gettext_lazy("地址"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"placeholder": gettext_lazy("街道、门牌号")}),
    )
    level_id = forms.TypedChoiceField(
        label=gettext_lazy("申请级别"), coerce=int, required=False, empty_value=None
    )
    introduction = forms.CharField(
        label=gettext_lazy("简介"),
        required=False,
        widget=forms.Textarea(
            {"rows": 3, "placeholder": gettext_lazy("主营业务、规模、希望在商会得到什么")}
        ),
    )
    licence = forms.FileField(
        label=gettext_lazy("营业执照"),
        required=False,
        help_text=gettext_lazy("企业会员必传：PDF、JPG 或 PNG"),
        widget=KeptFileInput({"accept": LICENCE_ACCEPT}),
    )
    applicant_name = forms.CharField(
        label=gettext_lazy("申请人姓名"),
        max_length=50,
        widget=forms.TextInput({"placeholder": gettext_lazy("您的姓名"), "autocomplete": "name"}),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("申请人手机号"), max_length=20, widget=PhoneInput()
    )
    applicant_title = forms.CharField(
        label=gettext_lazy("申请人职务"),
        max_length=50,
        required=False,
        widget=forms.TextInput({"placeholder": gettext_lazy("如：总经理")}),
    )
    referrers = forms.CharField(
        label=gettext_lazy("介绍人"),
        required=False,
        help_text=gettext_lazy(
            "每位介绍人填写会员编号和企业全称，中间空一格，如“GDJX-00012 广州华通科技有限公司”；"
            "多位用逗号分隔"
        ),
        widget=forms.TextInput({"placeholder": gettext_lazy("会员编号 企业全称")}),
    )
    accept_privacy = forms.BooleanField(
        label=gettext_lazy("我已阅读并同意《隐私政策》"),
        error_messages={"required": gettext_lazy("请阅读并同意隐私政策")},
    )

    # Required of enterprises only: marked, and required by the browser, while 企业会员 is
    # chosen (the service checks it in any case).
    ENTERPRISE_ONLY = ("uscc", "licence")

    def __init__(
        self,
        *args: object,
        levels: list[Level],
        policy: MembershipPolicy | None = None,
        kept_scope: str = "",
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["industry_code"].choices = industry_choices()  # type: ignore[attr-defined]
        self.fields["level_id"].choices = [("", "——"), *[(lv.pk, lv.name) for lv in levels]]  # type: ignore[attr-defined]
        if policy is not None and policy.required_referrers:
            referrers = self.fields["referrers"]
            referrers.required = True
            referrers.error_messages["required"] = _("本会入会需要 %(count)d 位介绍人") % {
                "count": policy.required_referrers
            }
        enterprise = (self["kind"].value() or Member.Kind.ENTERPRISE) == Member.Kind.ENTERPRISE
        for name in self.ENTERPRISE_ONLY:
            field = self.fields[name]
            field.required_when = "kind=enterprise"  # type: ignore[attr-defined]
            field.required_now = enterprise  # type: ignore[attr-defined]
            field.widget.attrs["data-sh-required-if"] = "kind=enterprise"
            if enterprise:
                field.widget.attrs["required"] = True
        self.kept_scope = kept_scope
        token = str(self.data.get("licence_kept", "")) if self.is_bound else ""
        self.kept = upload_kept(token, scope=kept_scope) if token and kept_scope else None
        self._show_kept(self.kept)

    def _show_kept(self, kept: KeptUpload | None) -> None:
        widget = self.fields["licence"].widget
        assert isinstance(widget, KeptFileInput)
        widget.kept = kept
        if kept is not None:
            widget.attrs.pop("required", None)  # the kept file is the answer

    def licence_file(self) -> UploadedFile | None:
        """The licence chosen now, else the one kept from the last try."""
        chosen = self.cleaned_data.get("licence")
        if chosen is None and self.kept is not None:
            return kept_upload_open(self.kept)
        return cast(UploadedFile | None, chosen)

    def keep_licence(self, *, client: str) -> None:
        """After an error: keeps a newly chosen licence that passed the upload checks, so
        the page shows it as chosen and the next try sends it again."""
        chosen = self.files.get("licence")
        if chosen is None or "licence" in self.errors:
            if chosen is not None:
                self.forget_licence()
            return
        try:
            validate_document_upload(chosen, field="licence")
        except ValidationError:
            return
        kept = upload_keep(chosen, scope=self.kept_scope, client=client)
        if kept is not None:
            kept_upload_discard(self.kept)
            self.kept = kept
            self._show_kept(kept)

    def forget_licence(self) -> None:
        """Drops the kept copy: it was used, or replaced by a file that was refused."""
        kept_upload_discard(self.kept)
        self.kept = None
        self._show_kept(None)

    def to_input(self) -> applications.ApplicationInput:
        data = dict(self.cleaned_data)
        data.pop("licence", None)
        data["referrers"] = applications.referrers_parse(data["referrers"])
        return applications.ApplicationInput(**data)


class AmendForm(forms.Form):
    introduction = forms.CharField(
        label=gettext_lazy("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    licence = forms.FileField(label=gettext_lazy("营业执照（重新上传）"), required=False)


# The review page has one form per decision, each with only its own text box: a reason typed
# for a rejection must never travel with an approval, nor a request for documents with a
# rejection.
class ApproveForm(forms.Form):
    """Approval has no text; the form only carries the service's errors."""


class InfoRequestForm(forms.Form):
    request = forms.CharField(
        label=gettext_lazy("需要申请人补充的资料"),
        help_text=gettext_lazy("申请人会收到短信，按链接补充后申请回到“待审核”"),
        error_messages={"required": gettext_lazy("请写明需要补充的资料")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("驳回理由"),
        help_text=gettext_lazy("申请人会收到短信，内容包含此理由"),
        error_messages={"required": gettext_lazy("请填写驳回理由")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
def apply(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The public application page (no sign-in needed)."""
    association = request.association
    policy = applications.membership_policy(association)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        levels=applications.levels_for_applicants(association),
        policy=policy,
        kept_scope=f"member-application-licence:{association.pk}",
    )
    if request.method == "POST":
        if form.is_valid():
            licence = form.licence_file()
            opened_kept = licence if licence is not form.cleaned_data["licence"] else None
            try:
                applications.application_submit(
                    association=association, data=form.to_input(), licence=licence
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                form.forget_licence()
                return redirect("members:member_apply_done", association_slug=association_slug)
            finally:
                if opened_kept is not None:
                    opened_kept.close()
        form.keep_licence(client=(current_origin.get() or Origin()).ip or "-")
    return render(request, "members/public/apply.html", {"form": form, "policy": policy})


@require_GET
def apply_done(request: TenantRequest, association_slug: str) -> HttpResponse:
    return render(request, "members/public/apply_done.html")


@require_http_methods(["GET", "POST"])
def amend(
    request: TenantRequest, association_slug: str, member_application_id: int
) -> HttpResponseBase:
    token = request.GET.get("t", "")
    try:
        application = applications.access_amendable_application(
            association=request.association, application_id=member_application_id, token=token
        )
    except ValidationError as exc:
        return render(request, "members/public/apply_done.html", {"message": exc.messages[0]})
    form = AmendForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.application_amend(
                association=request.association,
                application=application,
                introduction=form.cleaned_data["introduction"],
                licence=form.cleaned_data["licence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("members:member_apply_done", association_slug=association_slug)
    return render(
        request, "members/public/apply_amend.html", {"form": form, "application": application}
    )


@login_required
@require_GET
def office_applications(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    status = request.GET.get("status", MembershipApplication.Status.SUBMITTED)
    qs = applications.pending_applications(request.association)
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = _with_phones(request, list(page.object_list))
    personal_data_page(
        actor=signed_in_user(request),
        association=request.association,
        listing="applications",
        rows=len(rows),
        page=page.number,
        filters={"status": status},
        unmasked=False,
    )
    page.object_list = rows
    return render(
        request,
        "members/office/applications.html",
        {"page_obj": page, "status": status, "statuses": MembershipApplication.Status.choices},
    )


def _with_phones(
    request: TenantRequest, rows: list[MembershipApplication], *, revealed: bool = False
) -> list[MembershipApplication]:
    """Each application with the applicant's phone as this viewer sees it on screen."""
    unmasked = personal_data_unmasked(request.role, revealed=revealed, on_screen=True)
    for application in rows:
        phone = application.applicant_phone
        application.phone_shown = phone if unmasked else mask_mobile(phone)  # type: ignore[attr-defined]
        application.phone_masked = bool(phone) and not unmasked  # type: ignore[attr-defined]
    return rows


@login_required
@require_POST
def office_application_reveal(
    request: TenantRequest, association_slug: str, member_application_id: int
) -> HttpResponse:
    """Shows the applicant's full phone number to the secretariat — and records who looked."""
    require_perm(request.role, Perm.VIEW_PERSONAL_DATA)
    application = applications.access_member_application(
        association=request.association, application_id=member_application_id
    )
    personal_data_reveal(
        actor=signed_in_user(request),
        association=request.association,
        action="application.reveal_personal_data",
        target=application,
        summary=application.applicant_name,
    )
    (shown,) = _with_phones(request, [application], revealed=True)
    return render(request, "members/office/_applicant_phone.html", {"application": shown})


@login_required
@require_GET
def office_application_licence(
    request: TenantRequest, association_slug: str, member_application_id: int
) -> StreamingHttpResponse:
    """The uploaded business licence (its current version), for the secretariat reviewing
    the application: shown in the browser, a PDF or a picture as it is."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    application = applications.access_member_application(
        association=request.association, application_id=member_application_id
    )
    licence = held_file(request.association, application.licence_id)
    if licence is None:
        raise Http404
    return file_response(request.association, licence, inline=True)


@login_required
@require_http_methods(["GET", "POST"])
def office_application(
    request: TenantRequest, association_slug: str, member_application_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    application = applications.access_member_application(
        association=request.association, application_id=member_application_id
    )
    decision = request.POST.get("decision", "") if request.method == "POST" else ""
    # Only the form whose button was pressed is bound: its errors show beside it alone.
    forms_by_decision: dict[str, forms.Form] = {
        "approve": ApproveForm(request.POST if decision == "approve" else None),
        "request_info": InfoRequestForm(request.POST if decision == "request_info" else None),
        "reject": RejectForm(request.POST if decision == "reject" else None),
    }
    form = forms_by_decision.get(decision)
    if form is not None and form.is_valid():
        try:
            return _decide(request, application, decision, form.cleaned_data)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "already_decided":
                add_service_errors(form, exc)
            else:  # decided meanwhile (another tab, a colleague): show what it is now
                messages.error(request, "；".join(exc.messages))
                return redirect(request.path)
    context = {
        "application": _with_phones(request, [application])[0],
        "approve_form": forms_by_decision["approve"],
        "info_form": forms_by_decision["request_info"],
        "reject_form": forms_by_decision["reject"],
        "industry": industry_label(application.industry_code),
        "region": region_display_name(application.region_code),
        "hometown": region_display_name(application.hometown_code),
    }
    return render(request, "members/office/application.html", context)


def _decide(
    request: TenantRequest,
    application: MembershipApplication,
    decision: str,
    data: dict[str, str],
) -> HttpResponseBase:
    """Carries out one decision of the review page (each comes from its own form)."""
    association = request.association
    actor = signed_in_user(request)
    if decision == "approve":
        member = applications.application_approve(
            association=association, actor=actor, application=application
        )
        messages.success(request, _("已通过，%(name)s 成为会员") % {"name": member.name})
        return redirect(
            "members:office_member", association_slug=association.slug, member_id=member.pk
        )
    if decision == "request_info":
        applications.application_request_info(
            association=association, actor=actor, application=application, request=data["request"]
        )
        messages.success(request, _("已通知申请人补充资料"))
    else:
        applications.application_reject(
            association=association, actor=actor, application=application, reason=data["reason"]
        )
        messages.success(request, _("已驳回并通知申请人"))
    return redirect("members:office_applications", association_slug=association.slug)
