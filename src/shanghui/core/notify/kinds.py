"""Message kinds: what a module may send, with a template per channel.

Real SMS gateways and WeChat accept only pre-approved templates with named parameters, so a
kind names its SMS template (``settings.SMS_TEMPLATES`` maps the kind's code to the code the
provider approved, per deployment) and the parameters it takes, its WeChat template and the
keywords it fills, and the subject and body of its email; free text stays for the inbox and
the console. Each app registers its kinds in its ``AppConfig.ready``."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHANNELS = ("inbox", "sms", "wechat", "email")


@dataclass(frozen=True)
class MessageKind:
    code: str  # "events.cancelled": the sending app's label, a dot, a name
    label: Any  # lazy 中文, shown in the preferences and the delivery log
    subject: Any  # str.format template over the params ("活动取消：{event}")
    text: Any  # the inbox / console / SMS-as-text / email body template over the params
    sms_template: str = ""  # the provider's template code, unless settings.SMS_TEMPLATES says
    sms_params: tuple[str, ...] = ()  # the params the SMS gateway gets, by name, in order
    wechat_template: str = ""  # template id, unless settings.WECHAT_TEMPLATES says
    wechat_keywords: dict[str, str] = field(default_factory=dict)  # keyword -> param name
    email_subject: Any = ""  # defaults to ``subject``
    email_body: Any = ""  # defaults to ``text``
    urgent: bool = False  # ignores quiet hours and opt-outs (one-time codes, invitations)
    channels: tuple[str, ...] = CHANNELS

    def render(self, template: Any, params: Mapping[str, object]) -> str:
        return str(template).format_map({k: _plain(v) for k, v in params.items()})

    def subject_for(self, params: Mapping[str, object]) -> str:
        return self.render(self.subject, params)

    def text_for(self, params: Mapping[str, object]) -> str:
        return self.render(self.text, params)

    def email_for(self, params: Mapping[str, object]) -> tuple[str, str]:
        return (
            self.render(self.email_subject or self.subject, params),
            self.render(self.email_body or self.text, params),
        )

    def sms_params_for(self, params: Mapping[str, object]) -> dict[str, str]:
        return {name: _plain(params.get(name, "")) for name in self.sms_params}

    def wechat_params_for(self, params: Mapping[str, object]) -> dict[str, str]:
        return {kw: _plain(params.get(name, "")) for kw, name in self.wechat_keywords.items()}

    def sms_template_code(self, provider: str = "") -> str:
        """The approved template: settings.SMS_TEMPLATES[code] (a code, or a mapping of
        provider → code when a deployment has both), else the kind's own."""
        configured = getattr(settings, "SMS_TEMPLATES", {}).get(self.code, "")
        if isinstance(configured, Mapping):
            configured = configured.get(provider, "")
        return str(configured or self.sms_template)

    def wechat_template_id(self) -> str:
        configured = getattr(settings, "WECHAT_TEMPLATES", {}).get(self.code, "")
        return str(configured or self.wechat_template or settings.WECHAT_TEMPLATE_ID)


def _plain(value: object) -> str:
    return "" if value is None else str(value)


_KINDS: dict[str, MessageKind] = {}


def register_kind(kind: MessageKind) -> None:
    """Once per code, in the sending app's ``AppConfig.ready`` (registering the same kind
    again, as a second ``ready`` in tests does, changes nothing)."""
    unknown = set(kind.channels) - set(CHANNELS)
    if unknown:
        raise ImproperlyConfigured(f"Message kind {kind.code}: unknown channels {unknown}")
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"Message kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind


def register_kinds(kinds: Iterable[MessageKind]) -> None:
    """``register_kind`` for each of an app's kinds: what its ``AppConfig.ready`` calls with
    its ``messages.KINDS``."""
    for kind in kinds:
        register_kind(kind)


def message_kind(code: str) -> MessageKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown message kind {code!r}") from None


def message_kinds() -> list[MessageKind]:
    """Every registered kind, by code (the preferences page lists them)."""
    return [_KINDS[code] for code in sorted(_KINDS)]


def kinds_of_module(module: str) -> list[str]:
    """The codes of the kinds ``module`` (an app's label, "events") registered: a kind's
    code is its app's label, a dot, a name."""
    return sorted(code for code in _KINDS if code.partition(".")[0] == module)
