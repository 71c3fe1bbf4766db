"""The caps on SMS codes: per number, per client address and platform-wide, each configurable."""

import pytest
from django.conf import settings
from django.test import override_settings

from shanghui.core.ratelimit import RateLimited, rate_count
from shanghui.core.sms_codes import sms_code_allowed

LOOSE = {
    **settings.RATE_LIMITS,
    "sms_code_resend": "100/60",
    "sms_code_phone": "100/3600",
    "sms_code_address": "100/3600",
    "sms_code_global": "100/3600",
}


def test_one_code_a_minute_per_number_and_purpose() -> None:
    sms_code_allowed(phone="13800001111", address="198.51.100.1", purpose="password_reset")
    with pytest.raises(RateLimited):
        sms_code_allowed(phone="13800001111", address="198.51.100.2", purpose="password_reset")
    # Another purpose or another number is not held up by it.
    sms_code_allowed(phone="13800001111", address="198.51.100.2", purpose="guest")
    sms_code_allowed(phone="13800002222", address="198.51.100.2", purpose="password_reset")


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_phone": "3/3600"})
def test_a_number_gets_a_few_codes_an_hour_from_any_address() -> None:
    for n in range(3):
        sms_code_allowed(phone="13800001111", address=f"198.51.100.{n}", purpose=f"p{n}")
    with pytest.raises(RateLimited):
        sms_code_allowed(phone="13800001111", address="198.51.100.9", purpose="p9")


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_address": "3/3600"})
def test_an_address_asks_for_a_few_codes_whatever_the_numbers() -> None:
    for n in range(3):
        sms_code_allowed(phone=f"1380000000{n}", address="203.0.113.5", purpose="guest")
    with pytest.raises(RateLimited):
        sms_code_allowed(phone="13800000009", address="203.0.113.5", purpose="guest")
    # The refused address spent its own allowance only: neither the number's nor the
    # platform's counter moved.
    assert rate_count("sms_code_phone", "13800000009") == 0
    assert rate_count("sms_code_global", "platform") == 3
    sms_code_allowed(phone="13800000009", address="203.0.113.6", purpose="guest")


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_global": "4/3600"})
def test_the_platform_sends_at_most_so_many_codes_from_all_addresses() -> None:
    for n in range(4):
        sms_code_allowed(phone=f"1390000000{n}", address=f"192.0.2.{n}", purpose="guest")
    with pytest.raises(RateLimited):
        sms_code_allowed(phone="13900000009", address="192.0.2.9", purpose="guest")
