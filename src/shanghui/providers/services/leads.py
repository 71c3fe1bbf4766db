"""A provider's users follow up their leads: status and notes (跟进记录), inside the provider's
context — nobody else reads them. ``lead_notify_new`` tells the provider's users of a new lead
(called by the application service that writes the lead)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.core.audit import audit
from shanghui.core.notifications import NotSent, Recipient, notify
from shanghui.core.tenancy import provider_context
from shanghui.core.text import clean_text
from shanghui.providers import messages
from shanghui.providers.models import Lead, LeadNote, Offer, ProviderUser


@transaction.atomic
def lead_status_set(*, actor: User, lead: Lead, status: str) -> Lead:
    """A provider user moves a lead of their provider to ``status``."""
    if status not in Lead.Status.values:
        raise ValidationError({"status": _("请选择线索状态")})
    if lead.status != status:
        lead.status = status
        lead.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action=f"providers.lead.status.{status}",
            target=lead,
            summary=str(lead.get_status_display()),
        )
    return lead


@transaction.atomic
def lead_note_add(*, actor: User, lead: Lead, text: str) -> LeadNote:
    """A provider user writes a follow-up note on a lead of their provider."""
    cleaned = clean_text(text or "").strip()
    if not cleaned:
        raise ValidationError({"text": _("请填写跟进记录")})
    if len(cleaned) > 1000:
        raise ValidationError({"text": _("跟进记录不能超过 1000 个字")})
    note = LeadNote.objects.create(provider=lead.provider, lead=lead, author=actor, text=cleaned)
    audit(actor=actor, action="providers.lead.note", target=lead, summary=cleaned[:100])
    return note


def lead_notify_new(*, lead: Lead, offer: Offer) -> None:
    """Tells every user of the lead's provider that a lead arrived (a platform message: SMS
    or e-mail). What the lead holds is not in the message; they read it in the back office."""
    provider = offer.provider
    with provider_context(provider):
        users = [
            membership.user
            for membership in ProviderUser.objects.filter(provider=provider).select_related("user")
        ]
    for user in users:
        try:
            notify(
                association=None,
                kind=messages.NEW_LEAD,
                to=Recipient(phone=user.phone or "", email=user.email or "", name=user.name),
                params={"provider": provider.name, "offer": offer.title},
            )
        except NotSent:
            continue
