"""``manage.py check --deploy``: a message backend that cannot send under production settings
is an error, not a log line a week later — an unknown or misspelled SMS_BACKEND, ``console``
or ``memory`` (which send nothing), a gateway without its keys, an official WeChat account
without its keys or template, an email backend that only prints or keeps mail."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from shanghui.core.notify.senders import SMS_BACKENDS

NOT_SENDING_EMAIL = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security, deploy=True)
def check_message_backends(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    sms = settings.SMS_BACKEND
    if sms not in SMS_BACKENDS:
        errors.append(
            Error(
                f"SMS_BACKEND={sms!r} is unknown: no SMS can be sent.",
                hint="One of aliyun, tencent (production), console, memory.",
                id="shanghui.E101",
            )
        )
    elif sms in {"console", "memory"}:
        errors.append(
            Error(
                f"SMS_BACKEND={sms!r} sends nothing: codes and notices would never arrive.",
                hint="Set SMS_BACKEND=aliyun or tencent with its keys.",
                id="shanghui.E102",
            )
        )
    elif not (settings.SMS_ACCESS_KEY and settings.SMS_ACCESS_SECRET and settings.SMS_SIGN_NAME):
        errors.append(
            Error(
                f"SMS_BACKEND={sms} needs SMS_ACCESS_KEY, SMS_ACCESS_SECRET and SMS_SIGN_NAME.",
                id="shanghui.E103",
            )
        )
    elif sms == "tencent" and not settings.SMS_SDK_APP_ID:
        errors.append(Error("SMS_BACKEND=tencent needs SMS_SDK_APP_ID.", id="shanghui.E104"))
    wechat = settings.WECHAT_BACKEND
    if wechat not in {"", "official"}:
        errors.append(
            Error(
                f"WECHAT_BACKEND={wechat!r} sends nothing in production.",
                hint="Leave it empty (WeChat off) or set it to official with the account's keys.",
                id="shanghui.E105",
            )
        )
    elif wechat == "official" and not (
        settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET and settings.WECHAT_TEMPLATE_ID
    ):
        errors.append(
            Error(
                "WECHAT_BACKEND=official needs WECHAT_APP_ID, WECHAT_APP_SECRET and "
                "WECHAT_TEMPLATE_ID.",
                id="shanghui.E106",
            )
        )
    if settings.EMAIL_BACKEND in NOT_SENDING_EMAIL:
        errors.append(
            Error(
                f"EMAIL_BACKEND={settings.EMAIL_BACKEND} sends no email.",
                hint="Use django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.",
                id="shanghui.E107",
            )
        )
    return errors
