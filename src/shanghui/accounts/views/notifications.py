"""The notification center's pages: the person's inbox across every association
(/me/inbox/), their notification preferences (/me/notifications/), and the back office's
未送达 list with resend (MANAGE_MEMBERS: it shows members' phones and addresses)."""

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.accounts.views.me import center_url
from shanghui.core import notifications
from shanghui.core.http import whole_number
from shanghui.core.inbox import person_inbox, person_mark_read
from shanghui.core.notify import preferences
from shanghui.core.tenancy import person_context


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """My messages from every association I belong to, newest first; those unread when the
    page opened are highlighted once (opening the page reads them)."""
    user = signed_in_user(request)
    with person_context(user):
        items = person_inbox(user)
    unread = {m.pk for m in items if m.read_at is None}
    if unread:
        person_mark_read(user=user, ids=sorted(unread))
    return render(
        request,
        "accounts/member/inbox.html",
        {"items": items, "unread": unread, "back": center_url(request)},
    )


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponseBase:
    """全部标为已读: marks all my messages read, in every association (beyond the page's
    newest 200 too). From HTMX the inbox's body comes back, nothing highlighted."""
    user = signed_in_user(request)
    person_mark_read(user=user)
    if getattr(request, "htmx", False):
        with person_context(user):
            items = person_inbox(user)
        return render(
            request, "accounts/member/_inbox_body.html", {"items": items, "unread": set()}
        )
    return redirect("accounts:inbox")


def _time(value: str) -> time | None:
    value = value.strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("时间格式应为 时:分，例如 22:00。")) from None


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponseBase:
    """Which messages reach me by SMS, WeChat and email, and my quiet hours; one-time codes
    and invitations always come at once."""
    user = signed_in_user(request)
    prefs = preferences.preferences_of(user)
    if request.method == "POST":
        rows = preferences.preference_rows(prefs)
        offered = {c["value"] for row in rows for c in row["channels"]}
        wanted = set(request.POST.getlist("on"))
        try:
            preferences.preferences_update(
                user=user,
                muted=offered - wanted,
                quiet_start=_time(request.POST.get("quiet_start", "")),
                quiet_end=_time(request.POST.get("quiet_end", "")),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("通知设置已保存"))
            return redirect("accounts:notification_preferences")
    return render(
        request,
        "accounts/member/notification_preferences.html",
        {"rows": preferences.preference_rows(prefs), "prefs": prefs, "back": center_url(request)},
    )


@login_required
@require_GET
def office_deliveries(request: TenantRequest, association_slug: str) -> HttpResponse:
    """未送达: the association's messages that could not be delivered after every attempt,
    newest first, each with the gateway's reason and a resend button."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    qs = notifications.failed_deliveries(association=request.association)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/office/deliveries.html", {"page_obj": page})


@login_required
@require_POST
def office_deliveries_resend(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Sends again one failed message (``id``) or, only when the form says so (``all``),
    all of them. An id that is not one is refused (400) and changes nothing: a malformed
    value must never fall back to "resend everything"."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    if request.POST.get("all") == "1":
        ids = None
    else:
        one = whole_number(request.POST.get("id", ""))
        if not one:
            return HttpResponseBadRequest(_("请选择要重新发送的消息。"))
        ids = [one]
    count = notifications.deliveries_resend(
        association=request.association, actor=signed_in_user(request), ids=ids
    )
    messages.success(request, _("已重新发送 %(n)d 条消息") % {"n": count})
    return redirect("accounts:office_deliveries", association_slug=association_slug)
