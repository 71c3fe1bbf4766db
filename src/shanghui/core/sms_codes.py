"""Caps on one-time codes sent by SMS (password reset, a guest's registration, signing in with a
code). An endpoint that sends a code to any number typed into it is a way to flood a stranger's
phone and to run up the association's SMS bill; one that sends only to registered numbers must
not tell which numbers those are. So every code is counted before anything else is decided —
before looking up whether the number has an account — against four limits
(``settings.RATE_LIMITS``, see ``core.ratelimit``):

- ``sms_code_address``: codes asked for by one client address, whatever the number;
- ``sms_code_resend``: codes of one purpose to one number (one a minute by default);
- ``sms_code_phone``: codes of any purpose to one number;
- ``sms_code_global``: codes of the whole platform, the last wall against many addresses.

They are counted in that order and the first refusal stops the count, so that one address
hammering the endpoint spends its own allowance, not the number's or the platform's."""

from django.utils.translation import gettext as _

from shanghui.core.ratelimit import RateLimited, rate_hit

__all__ = ["sms_code_allowed", "sms_code_refused_message"]


def sms_code_allowed(*, phone: str, address: str | None, purpose: str) -> None:
    """Counts one code of ``purpose`` about to be sent to ``phone`` (normalized) at the request
    of the client ``address`` (the request's ``core.request_context.current_origin``, read by
    ``core.middleware.client_ip``; None outside a request) and raises ``RateLimited`` when any
    cap is reached. Call it before anything that depends on whether ``phone`` has an account,
    and answer the same whatever comes after."""
    if address:
        rate_hit("sms_code_address", address)
    rate_hit("sms_code_resend", f"{purpose}:{phone}")
    rate_hit("sms_code_phone", phone)
    rate_hit("sms_code_global", "platform")


def sms_code_refused_message(refused: RateLimited) -> str:
    """What a form says when a code was refused by a cap."""
    return _("验证码发送过于频繁，请 %(seconds)d 秒后再试") % {"seconds": refused.retry_after}
