"""The announcement pages: the back office (desktop) — list, compose and edit a draft, its
audience and attachments, send (after a confirmation), the receipt page with the one-click
reminder to the unread and the replies (xlsx) — the member's notices (mobile) and the page
the SMS's signed link opens without sign-in. Thin: parse, access, call the service, render."""

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceInput
from shanghui.core.contributions import LibraryFile
from shanghui.core.editing import act, saved, submit
from shanghui.core.http import attachment_response, whole_number
from shanghui.core.library import library_choices
from shanghui.core.paging import DeepPaginator
from shanghui.core.storage.files import file_response
from shanghui.events.forms import AudienceForm, audience_form
from shanghui.members.models import Person
from shanghui.publishing import announcement_exports as exports
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.announcement_forms import (
    ATTACHMENT_EXTENSIONS,
    AnnouncementForm,
    AttachmentForm,
    reply_form_class,
)
from shanghui.publishing.models import Announcement, AnnouncementAttachment, AnnouncementRecipient
from shanghui.publishing.services import announcements as services

PAGE = 50
HttpResponseT = TypeVar("HttpResponseT", bound=HttpResponseBase)


def _go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"publishing:{name}", association_slug=request.association.slug, **kwargs)


def _office(request: TenantRequest, announcement_id: int) -> Announcement:
    require_perm(request.role, Perm.EDIT_CONTENT)
    return selectors.access_announcement(
        association=request.association, announcement_id=announcement_id
    )


def _private(response: HttpResponseT) -> HttpResponseT:
    # The address is the key: no shared cache keeps the page, no search engine lists it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_download(
    association: Association, attachment: AnnouncementAttachment
) -> StreamingHttpResponse:
    """An attachment as every path sends it — the back office, the signed-in member, the
    signed SMS link and the API: its bytes verified as they are sent, saved under its
    Chinese name, never kept by a shared cache, never sniffed into another type, never
    listed by a search engine (the signed link's address is its key). A 404 when the
    attachment holds no file (one missing when it moved into the content store)."""
    if attachment.file_id is None:
        raise Http404
    return _private(file_response(association, attachment.file))


# --- The back office ---------------------------------------------------------------------


@login_required
@require_GET
def office_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.EDIT_CONTENT)
    qs = selectors.office_announcements(association=request.association)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/office/announcements.html",
        {"page_obj": page, "may_publish": has_perm(request.role, Perm.PUBLISH_CONTENT)},
    )


def _input(form: AnnouncementForm) -> services.AnnouncementInput:
    data = form.cleaned_data
    return services.AnnouncementInput(
        title=data["title"],
        body=data["body"],
        audience=data["audience"],
        reply_fields=data["reply_fields"],
        reply_deadline=data["reply_deadline"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_CONTENT)
    form = AnnouncementForm(request.POST or None, initial={"audience": "members"})
    created: list[Announcement] = []

    def save() -> None:
        created.append(
            services.announcement_create(
                association=request.association, actor=signed_in_user(request), data=_input(form)
            )
        )

    if submit(request, form, save, _("草稿已保存")):
        return _go("office_announcement", request, announcement_id=created[0].pk)
    return render(request, "publishing/office/announcement_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    if announcement.status != Announcement.Status.DRAFT:
        messages.error(request, _("通知已发送，不能再修改"))
        return _go("office_announcement", request, announcement_id=announcement.pk)
    initial = {
        "title": announcement.title,
        "body": announcement.body,
        "audience": announcement.audience,
        "reply_fields": services.reply_fields_text(announcement.reply_fields),
        "reply_deadline": announcement.reply_deadline,
    }
    form = AnnouncementForm(request.POST or None, initial=initial)

    def save() -> None:
        services.announcement_update(
            association=request.association,
            actor=signed_in_user(request),
            announcement=announcement,
            data=_input(form),
        )

    if submit(request, form, save, _("已保存")):
        return _go("office_announcement", request, announcement_id=announcement.pk)
    context = {"form": form, "announcement": announcement}
    return render(request, "publishing/office/announcement_edit.html", context)


@login_required
@require_GET
def office_announcement(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponse:
    """A draft with its attachments, audience and the send button; once sent, its text."""
    announcement = _office(request, announcement_id)
    association = request.association
    context = {
        "announcement": announcement,
        "attachments": selectors.attachments(association=association, announcement=announcement),
        "rules": len(
            selectors.announcement_rules(association=association, announcement=announcement)
        ),
        "attachment_form": AttachmentForm(library=_attachment_library(request)),
        "may_publish": has_perm(request.role, Perm.PUBLISH_CONTENT),
        "reply_fields": announcement.reply_fields,
    }
    return render(request, "publishing/office/announcement.html", context)


@login_required
@require_POST
def office_delete(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    if act(
        request,
        lambda: services.announcement_delete(
            association=request.association,
            actor=signed_in_user(request),
            announcement=announcement,
        ),
        _("草稿已删除"),
    ):
        return _go("office_announcements", request)
    return _go("office_announcement", request, announcement_id=announcement.pk)


def _audience_form(request: TenantRequest, announcement: Announcement) -> AudienceForm:
    association = request.association
    return audience_form(
        request.POST,
        association=association,
        rules=selectors.announcement_rules(association=association, announcement=announcement),
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_audience(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    association = request.association
    form = _audience_form(request, announcement)

    def save() -> None:
        data = form.cleaned_data
        phones = [p.strip() for p in data["phones"].splitlines() if p.strip()]
        persons = list(Person.objects.filter(association=association, phone__in=phones))
        if len({p.phone for p in persons}) != len(set(phones)):
            raise ValidationError({"phones": _("有手机号未找到对应的联系人")})
        services.announcement_audience_set(
            association=association,
            actor=signed_in_user(request),
            announcement=announcement,
            data=AudienceInput.from_form(data, person_ids=[p.pk for p in persons]),
        )

    if submit(request, form, save, _("已保存发送范围")):
        return _go("office_announcement", request, announcement_id=announcement.pk)
    context = {"announcement": announcement, "form": form}
    return render(request, "publishing/office/announcement_audience.html", context)


def _attachment_library(request: TenantRequest) -> list[LibraryFile]:
    """The document library's files the person may attach to a notice."""
    return library_choices(
        request.association, request.role, signed_in_user(request), ATTACHMENT_EXTENSIONS
    )


@login_required
@require_POST
def office_attach(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    form = AttachmentForm(request.POST, request.FILES, library=_attachment_library(request))
    actor = signed_in_user(request)
    if form.is_valid() and saved(
        form,
        lambda: services.attachment_add(
            association=request.association,
            actor=actor,
            announcement=announcement,
            upload=form.upload(request.association, request.role, actor),
        ),
    ):
        messages.success(request, _("附件已上传"))
    else:
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return _go("office_announcement", request, announcement_id=announcement.pk)


@login_required
@require_POST
def office_detach(
    request: TenantRequest, association_slug: str, announcement_id: int, attachment_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    attachment = selectors.access_attachment(
        association=request.association, announcement=announcement, attachment_id=attachment_id
    )
    act(
        request,
        lambda: services.attachment_remove(
            association=request.association,
            actor=signed_in_user(request),
            announcement=announcement,
            attachment=attachment,
        ),
        _("附件已删除"),
    )
    return _go("office_announcement", request, announcement_id=announcement.pk)


@login_required
@require_GET
def office_attachment(
    request: TenantRequest, association_slug: str, announcement_id: int, attachment_id: int
) -> StreamingHttpResponse:
    announcement = _office(request, announcement_id)
    found = selectors.access_attachment(
        association=request.association, announcement=announcement, attachment_id=attachment_id
    )
    return attachment_download(request.association, found)


@login_required
@require_http_methods(["GET", "POST"])
def office_send(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    """GET: what is about to go out and to whom; POST: send it."""
    announcement = _office(request, announcement_id)
    require_perm(request.role, Perm.PUBLISH_CONTENT)
    if request.method == "POST":
        if act(
            request,
            lambda: services.announcement_send(
                association=request.association,
                actor=signed_in_user(request),
                announcement=announcement,
            ),
            _("通知已发送，正在后台逐一送达"),
        ):
            return _go("office_announcement_receipts", request, announcement_id=announcement.pk)
        return _go("office_announcement", request, announcement_id=announcement.pk)
    context = {
        "announcement": announcement,
        "rules": len(
            selectors.announcement_rules(association=request.association, announcement=announcement)
        ),
    }
    return render(request, "publishing/office/announcement_send.html", context)


@login_required
@require_GET
def office_receipts(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponse:
    """Who has read it: the figures, then by pages — per member enterprise, per person
    (``?unread=1``: only those who have not) or the replies (``?by=reply``). A chamber's
    notice reaches 23,000 people: nothing here reads more than a page of them."""
    announcement = _office(request, announcement_id)
    association = request.association
    unread = request.GET.get("unread") == "1"
    by = request.GET.get("by", "member")
    reply_rows: list[list[object]] = []
    if by == "person":
        rows: Any = selectors.person_receipts(
            association=association,
            announcement=announcement,
            unread_only=unread,
            member_id=whole_number(request.GET.get("member", "")),
        )
        page = DeepPaginator(rows, PAGE).get_page(request.GET.get("page"))
    elif by == "reply" and announcement.wants_reply:
        rows = selectors.replies(association=association, announcement=announcement)
        page = DeepPaginator(rows, PAGE).get_page(request.GET.get("page"))
        reply_rows = [exports.reply_row(announcement, r) for r in page.object_list]
    else:
        by = "member"
        rows = selectors.member_receipts(
            association=association, announcement=announcement, unread_only=unread
        )
        page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {
        "announcement": announcement,
        "figures": selectors.receipt_figures(association=association, announcement=announcement),
        "page_obj": page,
        "by": by,
        "unread": unread,
        "reply_header": exports.replies_header(announcement),
        "reply_rows": reply_rows,
        "may_publish": has_perm(request.role, Perm.PUBLISH_CONTENT),
    }
    return render(request, "publishing/office/announcement_receipts.html", context)


@login_required
@require_POST
def office_remind(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    announcement = _office(request, announcement_id)
    require_perm(request.role, Perm.PUBLISH_CONTENT)
    act(
        request,
        lambda: services.announcement_remind(
            association=request.association,
            actor=signed_in_user(request),
            announcement=announcement,
        ),
        _("已向未读人员发送提醒"),
    )
    return _go("office_announcement_receipts", request, announcement_id=announcement.pk)


@login_required
@require_GET
def office_replies_xlsx(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponse:
    announcement = _office(request, announcement_id)
    data = exports.replies_xlsx(
        association=request.association, announcement=announcement, actor=signed_in_user(request)
    )
    return attachment_response(data, f"replies-{announcement.pk}.xlsx")


# --- Members, on the phone --------------------------------------------------------------


@login_required
@require_GET
def member_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The person's notices: unread first, then newest; "需回执" where a reply is awaited."""
    require_member(request.role)
    qs = selectors.my_announcements(association=request.association, user=signed_in_user(request))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(a, selectors.needs_reply(a)) for a in page.object_list]
    return render(request, "publishing/member/announcements.html", {"page_obj": page, "rows": rows})


def _reply_form(
    request: TenantRequest, recipient: AnnouncementRecipient | None, announcement: Announcement
) -> Any:
    if not announcement.wants_reply:
        return None
    form_class = reply_form_class(announcement.reply_fields)
    initial = recipient.answers if recipient else {}
    return form_class(request.POST or None, initial=initial)


def _page_context(
    request: TenantRequest,
    announcement: Announcement,
    recipient: AnnouncementRecipient | None,
    form: Any,
) -> dict[str, Any]:
    return {
        "announcement": announcement,
        "recipient": recipient,
        "form": form,
        "reply_open": services.reply_open(announcement),
        "attachments": selectors.attachments(
            association=request.association, announcement=announcement
        ),
        "answers": [
            (f["label"], services.answer_display(f, recipient.answers.get(f["key"], "")))
            for f in announcement.reply_fields
        ]
        if recipient and recipient.replied_at
        else [],
    }


def _reply(
    request: TenantRequest,
    form: Any,
    recipient: AnnouncementRecipient,
    actor: Any,
    via: str,
) -> bool:
    if not form.is_valid():
        return False
    return saved(
        form,
        lambda: services.reply_submit(
            association=request.association,
            actor=actor,
            recipient=recipient,
            answers=form.cleaned_data,
            via=via,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_announcement(
    request: TenantRequest, association_slug: str, announcement_id: int
) -> HttpResponseBase:
    """Opening it records the read (in the app); POST submits or changes the 回执."""
    require_member(request.role)
    user = signed_in_user(request)
    association = request.association
    announcement = selectors.access_my_announcement(
        association=association, user=user, announcement_id=announcement_id
    )
    services.announcement_read(association=association, user=user, announcement=announcement)
    recipient = selectors.my_recipient(
        association=association, user=user, announcement=announcement
    )
    form = _reply_form(request, recipient, announcement)
    if request.method == "POST":
        if form is None or recipient is None:
            raise Http404
        if _reply(request, form, recipient, user, AnnouncementRecipient.Via.INBOX):
            messages.success(request, _("回执已提交"))
            return _go("announcement", request, announcement_id=announcement.pk)
    context = _page_context(request, announcement, recipient, form)
    return render(request, "publishing/member/announcement.html", context)


@require_http_methods(["GET", "POST"])
def announcement_open(
    request: TenantRequest, association_slug: str, announcement_id: int, receipt_key: str
) -> HttpResponseBase:
    """The page the SMS's personal link opens, without sign-in (a deliberate public
    exception: the key is signed for this recipient of this announcement). It records the
    read and shows the announcement with its 回执 form; POST records the reply."""
    association = request.association
    recipient = selectors.access_receipt_link(
        association=association, announcement_id=announcement_id, key=receipt_key
    )
    announcement = recipient.announcement
    services.receipt_record(
        association=association, recipient=recipient, via=AnnouncementRecipient.Via.LINK
    )
    form = _reply_form(request, recipient, announcement)
    if request.method == "POST":
        if form is None:
            raise Http404
        if _reply(request, form, recipient, None, AnnouncementRecipient.Via.LINK):
            messages.success(request, _("回执已提交"))
            return redirect(request.path)
    context = {
        **_page_context(request, announcement, recipient, form),
        "via_link": True,
        "receipt_key": receipt_key,
    }
    return _private(render(request, "publishing/public/announcement.html", context))


@require_GET
def announcement_open_attachment(
    request: TenantRequest,
    association_slug: str,
    announcement_id: int,
    receipt_key: str,
    attachment_id: int,
) -> StreamingHttpResponse:
    recipient = selectors.access_receipt_link(
        association=request.association, announcement_id=announcement_id, key=receipt_key
    )
    found = selectors.access_attachment(
        association=request.association,
        announcement=recipient.announcement,
        attachment_id=attachment_id,
    )
    return attachment_download(request.association, found)


@login_required
@require_GET
def member_attachment(
    request: TenantRequest, association_slug: str, announcement_id: int, attachment_id: int
) -> StreamingHttpResponse:
    require_member(request.role)
    announcement = selectors.access_my_announcement(
        association=request.association,
        user=signed_in_user(request),
        announcement_id=announcement_id,
    )
    found = selectors.access_attachment(
        association=request.association, announcement=announcement, attachment_id=attachment_id
    )
    return attachment_download(request.association, found)
