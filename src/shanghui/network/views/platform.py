"""The platform operator's 供需 pages (/platform/network/…, operators only; 404 for everyone
else): reports of platform-wide listings with take-down and blocking, people stopped from the
platform network, and the operator's sensitive words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.selectors import access_platform_operator
from shanghui.network.forms.listings import ReportHandleForm, WordForm
from shanghui.network.moderation_words import built_in_words
from shanghui.network.selectors import listings as selectors
from shanghui.network.services import moderation


@login_required
@require_GET
def platform_reports(request: HttpRequest) -> HttpResponse:
    access_platform_operator(actor=request.user)
    open_only = request.GET.get("all") != "1"
    return render(
        request,
        "network/platform/reports.html",
        {
            "reports": selectors.platform_reports(open_only=open_only),
            "open_only": open_only,
            "form": ReportHandleForm(),
        },
    )


@login_required
@require_POST
def platform_report_handle(request: HttpRequest, report_id: int) -> HttpResponseBase:
    access_platform_operator(actor=request.user)
    report = selectors.access_platform_report(report_id=report_id)
    form = ReportHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果"))
    else:
        try:
            moderation.platform_report_handle(
                actor=signed_in_user(request),
                report=report,
                take_down=form.cleaned_data["decision"] == "take_down",
                note=form.cleaned_data["note"],
                block_poster=form.cleaned_data["block_poster"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已处理"))
    return redirect("network:platform_reports")


@login_required
@require_http_methods(["GET", "POST"])
def platform_blocks(request: HttpRequest) -> HttpResponseBase:
    """People stopped from the platform network; POST ``remove=<block id>`` lets one back."""
    access_platform_operator(actor=request.user)
    if request.method == "POST":
        block = selectors.platform_blocks().filter(pk=_number(request.POST.get("remove"))).first()
        if block is None:
            raise Http404
        moderation.platform_unblock(actor=signed_in_user(request), block=block)
        messages.success(request, _("已恢复其使用平台供需网络"))
        return redirect("network:platform_blocks")
    return render(
        request, "network/platform/blocks.html", {"blocks": list(selectors.platform_blocks())}
    )


def _number(value: object) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else 0


@login_required
@require_http_methods(["GET", "POST"])
def platform_words(request: HttpRequest) -> HttpResponseBase:
    """The operator's sensitive words (added to the built-in list); POST adds one, or with
    ``remove=<id>`` removes one."""
    access_platform_operator(actor=request.user)
    actor = signed_in_user(request)
    form = WordForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            moderation.sensitive_word_remove(actor=actor, word_id=_number(request.POST["remove"]))
            messages.success(request, _("已删除"))
            return redirect("network:platform_words")
        if form.is_valid():
            try:
                moderation.sensitive_word_add(actor=actor, word=form.cleaned_data["word"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已添加"))
                return redirect("network:platform_words")
    return render(
        request,
        "network/platform/words.html",
        {"form": form, "words": list(selectors.sensitive_words()), "built_in": built_in_words()},
    )
