"""Online payment (在线支付) behind a provider interface.

The platform has no live payment provider yet (WeChat Pay, Alipay, UnionPay … each needs a
merchant contract per association). A provider implements ``PaymentProvider`` and registers
itself with ``register_provider``; until one does, starting an online payment is refused with
``OnlinePaymentUnavailable`` and a clear message. When a provider confirms a payment (its
server-to-server notification), the integration calls ``services.online_payment_confirm``,
which books it on the same ledger as bank transfers and cash."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.dues.models import DuesBill


@dataclass(frozen=True)
class Checkout:
    """Where to send the payer: a provider's payment page or a QR code's content."""

    provider: str
    url: str
    reference: str


class PaymentProvider(Protocol):
    code: str
    label: str

    def start_checkout(self, *, bill: DuesBill, amount: Decimal) -> Checkout:
        """Create a payment order with the provider for ``amount`` of ``bill``."""
        ...


class OnlinePaymentUnavailable(ValidationError):
    pass


_registry: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    _registry[provider.code] = provider


def unregister_provider(code: str) -> None:
    _registry.pop(code, None)


def available_providers() -> list[PaymentProvider]:
    return list(_registry.values())


def payment_provider(code: str = "") -> PaymentProvider:
    """The provider named ``code`` (or the only one registered); refused when none is."""
    if code and code in _registry:
        return _registry[code]
    if not code and len(_registry) == 1:
        return next(iter(_registry.values()))
    raise OnlinePaymentUnavailable(
        _("暂未开通在线支付，请通过银行转账或现金缴纳会费，并联系秘书处登记。")
    )
