"""A member's conversations about listings on the phone (/a/<slug>/network/…): start one from
a listing (我要洽谈), 我的洽谈 with unread markers, the thread with reply, contact sharing,
blocking, and the poster's 成交 mark; the later question whether a deal closed.

A thread is shown in the space of the association the viewer takes part for (the poster's
association for the poster, the inquirer's for the inquirer); anyone else — even the
association's administrator — gets 404. Reads run in ``person_context`` (PostgreSQL's
participant policy), never nested around a service call (the services open their own)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.money import parse_cny
from shanghui.core.tenancy import person_context
from shanghui.network.models import Conversation, Deal
from shanghui.network.selectors import conversations as selectors
from shanghui.network.selectors.access import access_listing
from shanghui.network.services import conversations as services
from shanghui.network.services.deals import deal_answer, deal_mark


class MessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("消息"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShareContactForm(forms.Form):
    contact = forms.CharField(label=gettext_lazy("联系方式"), max_length=200, required=False)
    use_listing = forms.BooleanField(label=gettext_lazy("使用信息中的联系方式"), required=False)


class DealForm(forms.Form):
    value = forms.CharField(
        label=gettext_lazy("成交金额（元，可不填）"), max_length=20, required=False
    )

    def clean_value(self) -> Decimal | None:
        raw = self.cleaned_data["value"].strip()
        if not raw:
            return None
        try:
            return parse_cny(raw, field="value")
        except ValidationError as exc:
            # parse_cny names its field; a field's own clean must raise plain messages
            # (a dict here is a TypeError in Django's form, i.e. a 500).
            raise ValidationError(exc.messages) from exc


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("是否成交"), choices=Deal.Answer.choices, widget=forms.RadioSelect
    )


def _thread(request: TenantRequest, conversation_id: int) -> tuple[User, Conversation]:
    """The conversation if the signed-in person takes part in it for this association."""
    require_member(request.role)
    user = signed_in_user(request)
    with person_context(user):
        conversation = selectors.access_conversation(user=user, conversation_id=conversation_id)
    mine = (
        conversation.poster_association_id
        if conversation.poster_id == user.pk
        else conversation.inquirer_association_id
    )
    if mine != request.association.pk:
        raise Http404
    return user, conversation


def _to_thread(request: TenantRequest, conversation: Conversation) -> HttpResponseBase:
    return redirect(
        "network:conversation",
        association_slug=request.association.slug,
        conversation_id=conversation.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_start(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    """我要洽谈: the first message to the poster of a listing the member may see; a thread that
    already exists opens instead."""
    require_member(request.role)
    user = signed_in_user(request)
    listing = access_listing(
        association=request.association, viewer_id=user.pk, listing_id=listing_id
    )
    if listing.poster_id == user.pk:
        messages.error(request, _("不能对自己发布的信息发起洽谈"))
        return redirect("network:conversations", association_slug=association_slug)
    existing = services.existing_conversation(actor=user, listing_id=listing.id)
    if existing is not None:
        if existing.inquirer_association_id == request.association.pk:
            return _to_thread(request, existing)
        # One thread per person and listing: theirs is in the other association's space.
        messages.info(request, _("您已在另一商会的“我的洽谈”中咨询过该信息"))
        return redirect("network:conversations", association_slug=association_slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.conversation_start(
                association=request.association,
                actor=user,
                listing=listing,
                text=form.cleaned_data["text"],
                from_match=request.GET.get("from") == "match",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("消息已发送，对方回复后会通知您"))
            return _to_thread(request, started.conversation)
    return render(
        request,
        "network/member/conversation_start.html",
        {"listing": listing, "form": form, "from_match": request.GET.get("from") == "match"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def conversations(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的洽谈: the threads the person takes part in for this association, unread first
    marked."""
    require_member(request.role)
    user = signed_in_user(request)
    association_id = request.association.pk
    with person_context(user):
        rows = [
            row
            for row in selectors.my_conversations(user=user)[:200]
            if (
                row.poster_association_id
                if row.poster_id == user.pk
                else row.inquirer_association_id
            )
            == association_id
        ]
        for row in rows:
            row.unread = selectors.is_unread(row, user)  # type: ignore[attr-defined]
            row.i_posted = row.poster_id == user.pk  # type: ignore[attr-defined]
            row.sides = selectors.sides(row, user)  # type: ignore[attr-defined]
    return render(request, "network/member/conversations.html", {"conversations": rows})


def _thread_context(user: User, conversation: Conversation) -> dict[str, object]:
    with person_context(user):
        return {
            "conversation": conversation,
            "messages_shown": selectors.conversation_messages(conversation),
            "deal": selectors.deal_of(conversation),
            "sides": selectors.sides(conversation, user),
            "i_posted": conversation.poster_id == user.pk,
            "blocked": conversation.blocked_by_id is not None,
            "i_blocked": conversation.blocked_by_id == user.pk,
        }


@login_required
@require_http_methods(["GET", "POST"])
def conversation(
    request: TenantRequest, association_slug: str, conversation_id: int
) -> HttpResponseBase:
    """The thread: messages, reply, contact sharing, block, and the poster's deal mark.
    Opening it marks it read."""
    user, item = _thread(request, conversation_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(actor=user, conversation=item, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_thread(request, item)
    elif request.method == "GET":
        services.conversation_mark_read(actor=user, conversation=item)
    context = _thread_context(user, item)
    context.update({"form": form, "share_form": ShareContactForm()})
    return render(
        request,
        "network/member/conversation.html",
        context,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def conversation_share_contact(
    request: TenantRequest, association_slug: str, conversation_id: int
) -> HttpResponseBase:
    user, item = _thread(request, conversation_id)
    form = ShareContactForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请检查填写的联系方式"))
        services.conversation_share_contact(
            actor=user,
            conversation=item,
            contact=form.cleaned_data["contact"],
            use_listing=form.cleaned_data["use_listing"],
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已向对方提供联系方式，可随时撤回"))
    return _to_thread(request, item)


@login_required
@require_POST
def conversation_withdraw_contact(
    request: TenantRequest, association_slug: str, conversation_id: int
) -> HttpResponseBase:
    user, item = _thread(request, conversation_id)
    services.conversation_withdraw_contact(actor=user, conversation=item)
    messages.success(request, _("已撤回联系方式，对方将不再看到"))
    return _to_thread(request, item)


@login_required
@require_POST
def conversation_block(
    request: TenantRequest, association_slug: str, conversation_id: int
) -> HttpResponseBase:
    """Block (or, posted with ``undo``, unblock) the other side of the thread."""
    user, item = _thread(request, conversation_id)
    try:
        if request.POST.get("undo"):
            services.conversation_unblock(actor=user, conversation=item)
            messages.success(request, _("已解除屏蔽"))
        else:
            services.conversation_block(actor=user, conversation=item)
            messages.success(request, _("已屏蔽对方，双方都不能再发送消息"))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return _to_thread(request, item)


@login_required
@require_http_methods(["GET", "POST"])
def deal_mark_view(
    request: TenantRequest, association_slug: str, conversation_id: int
) -> HttpResponseBase:
    """The poster marks the deal made, with an optional value."""
    user, item = _thread(request, conversation_id)
    if item.poster_id != user.pk:
        raise Http404
    with person_context(user):
        existing = selectors.deal_of(item)
    initial = {"value": existing.value if existing and existing.value is not None else ""}
    form = DealForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deal_mark(actor=user, conversation=item, value=form.cleaned_data["value"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记成交，感谢反馈"))
            return _to_thread(request, item)
    return render(
        request,
        "network/member/conversation_deal.html",
        {"conversation": item, "form": form, "deal": existing},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deal_answer_view(
    request: TenantRequest, association_slug: str, deal_id: int
) -> HttpResponseBase:
    """回访: one side says whether the deal finally closed."""
    require_member(request.role)
    user = signed_in_user(request)
    with person_context(user):
        deal = selectors.access_deal(user=user, deal_id=deal_id)
    mine = deal.poster_association_id if deal.poster_id == user.pk else deal.inquirer_association_id
    if mine != request.association.pk:
        raise Http404
    current = deal.poster_answer if deal.poster_id == user.pk else deal.inquirer_answer
    form = AnswerForm(request.POST or None, initial={"answer": current or None})
    if request.method == "POST" and form.is_valid():
        try:
            deal_answer(actor=user, deal=deal, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("感谢您的反馈"))
            return _to_thread(request, deal.conversation)
    return render(
        request,
        "network/member/conversation_deal_answer.html",
        {"deal": deal, "form": form},
        status=400 if form.is_bound else 200,
    )
