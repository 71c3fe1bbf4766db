"""Online payment of an event fee behind a provider interface (as for dues: no live provider
is connected yet). A provider implements ``EventPaymentProvider`` and registers itself; until
one does, starting an online payment is refused with a clear message and the fee is paid
offline and recorded by the secretariat. The provider's server-to-server notification calls
``services.registration_payment_confirm``."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.events.models import Registration


@dataclass(frozen=True)
class EventCheckout:
    provider: str
    url: str
    reference: str


class EventPaymentProvider(Protocol):
    code: str

    def start_checkout(self, *, registration: Registration, amount: Decimal) -> EventCheckout: ...


_registry: dict[str, EventPaymentProvider] = {}


def register_provider(provider: EventPaymentProvider) -> None:
    _registry[provider.code] = provider


def unregister_provider(code: str) -> None:
    _registry.pop(code, None)


def payment_provider() -> EventPaymentProvider:
    if len(_registry) == 1:
        return next(iter(_registry.values()))
    raise ValidationError(_("暂未开通在线支付，请按活动通知线下缴费，秘书处登记后即生效。"))


def registration_amount(registration: Registration) -> Decimal:
    """The fee of a registration: its ticket type's price, else the event's fee."""
    ticket_type = registration.ticket_type
    if ticket_type is not None and ticket_type.price:
        return Decimal(ticket_type.price)
    return Decimal(registration.event.fee)
