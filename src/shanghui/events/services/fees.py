"""A registration's fee: recorded as paid offline by the secretariat, or paid online through
the connected payment provider (``events.payments``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.events.models import (
    SEATED_STATUSES,
    Registration,
)
from shanghui.events.payments import EventCheckout, payment_provider, registration_amount


@transaction.atomic
def registration_mark_paid(
    *, association: Association, actor: User, registration: Registration, paid: bool
) -> Registration:
    """Records that the fee was paid offline (bank transfer, cash at the door)."""
    Registration.objects.filter(pk=registration.pk, association=association).update(
        fee_paid=paid is True
    )
    registration.fee_paid = paid is True
    audit(
        actor=actor,
        action="events.registration.paid",
        association=association,
        target=registration,
        summary=str(registration.fee_paid),
    )
    return registration


def registration_checkout_start(
    *, association: Association, actor: User | None, registration: Registration
) -> EventCheckout:
    """Starts paying a registration's fee online; refused while no provider is connected,
    for free events, and when it is already paid."""
    amount = registration_amount(registration)
    if amount <= 0:
        raise ValidationError(_("该活动免费，无需缴费"))
    if registration.fee_paid:
        raise ValidationError(_("已缴费"))
    if registration.status not in SEATED_STATUSES:
        raise ValidationError(_("报名确认后才能缴费"))
    checkout = payment_provider().start_checkout(registration=registration, amount=amount)
    audit(actor=actor, action="events.payment.start", association=association,
          target=registration, summary=f"{checkout.provider} {amount}")  # fmt: skip
    return checkout


@transaction.atomic
def registration_payment_confirm(
    *, association: Association, registration: Registration, provider: str, reference: str
) -> Registration:
    """Called by a payment provider's integration when the fee was paid; idempotent."""
    Registration.objects.filter(pk=registration.pk, association=association).update(fee_paid=True)
    registration.fee_paid = True
    audit(actor=None, action="events.payment.confirm", association=association,
          target=registration, summary=f"{provider} {reference}"[:300])  # fmt: skip
    return registration
