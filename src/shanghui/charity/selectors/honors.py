"""Reading honors (荣誉): the secretariat's lists, the access helper, the public
verification of a certificate, and what a member's card shows."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shanghui.charity.models import Campaign, Honor
from shanghui.core.http import id_or_404
from shanghui.core.types import Tenant
from shanghui.members.models import Member

VERIFY_TOKEN_LENGTH = 32


def honors_list(
    association: Tenant, *, direction: str = "", include_revoked: bool = True
) -> QuerySet[Honor]:
    """The association's honors, newest first; ``direction`` "received" or "given" filters."""
    qs = Honor.objects.filter(association_id=association.pk).select_related("member", "campaign")
    if direction in Honor.Direction.values:
        qs = qs.filter(direction=direction)
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return qs.order_by("-awarded_on", "-id")


def member_card_honors(association: Tenant, member: Member) -> list[Honor]:
    """The honors the association gave ``member`` that the member agreed to show on their
    card, not revoked, newest first."""
    return list(
        Honor.objects.filter(
            association_id=association.pk,
            member_id=member.pk,
            direction=Honor.Direction.GIVEN,
            shown_on_card=True,
            revoked_at__isnull=True,
        ).order_by("-awarded_on", "-id")[:20]
    )


def access_honor(*, association: Tenant, honor_id: object) -> Honor:
    """One honor of ``association`` (secretariat only: the caller checked
    ``MANAGE_CHARITY``); the same 404 for a missing id and another association's."""
    found = (
        Honor.objects.filter(association_id=association.pk, pk=id_or_404(honor_id))
        .select_related("member", "campaign", "created_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def verified_honor(*, association: Tenant, verify_token: str) -> Honor:
    """The honor a certificate's QR code names, for anyone: only a given honor of this
    association with a certificate, not revoked. Anything else — an unknown or malformed
    token, another association's, a revoked one — is the same 404."""
    token = str(verify_token or "")
    if len(token) != VERIFY_TOKEN_LENGTH or not token.isascii() or not token.isalnum():
        raise Http404
    found = (
        Honor.objects.filter(
            Q(association_id=association.pk)
            & Q(verify_token=token)
            & Q(direction=Honor.Direction.GIVEN)
            & Q(revoked_at__isnull=True)
            & ~Q(certificate_no="")
        )
        .select_related("member", "campaign")
        .first()
    )
    if found is None:
        raise Http404
    return found


def find_member(*, association: Tenant, text: str, field: str = "member") -> Member | None:
    """The member a form names by member number or full name; None for an empty text.
    Refused with a message under ``field`` when no member of the association has it."""
    text = (text or "").strip()
    if not text:
        return None
    member = (
        Member.objects.filter(association_id=association.pk)
        .filter(Q(member_no=text) | Q(name=text))
        .order_by("id")
        .first()
    )
    if member is None:
        raise ValidationError({field: _("未找到会员“%(text)s”") % {"text": text}})
    return member


def campaign_choices(association: Tenant) -> list[tuple[int, str]]:
    return list(
        Campaign.objects.filter(association_id=association.pk)
        .order_by("-starts_on", "-id")
        .values_list("id", "title")[:500]
    )
