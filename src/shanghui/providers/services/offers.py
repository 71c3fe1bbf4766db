"""A provider's offers: create, edit, publish, withdraw — inside the provider's context (the
offer's policy lets only its provider write).

Two rules the regulators set are checked here, so the pages and the API refuse the same
things: a loan (any offer of a bank, and any offer that speaks of 贷款) states its annualized
rate as a range (``年化利率 x%–y%``); a medical offer makes no treatment claims."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.core.audit import audit
from shanghui.core.regions import is_valid_region
from shanghui.core.text import clean_text
from shanghui.providers.models import Category, Offer, Provider

# Words a medical offer may not use (《医疗广告管理办法》: no promise of a cure or an effect).
TREATMENT_CLAIMS = (
    "治愈",
    "根治",
    "包治",
    "疗效",
    "药到病除",
    "无副作用",
    "保证康复",
    "痊愈",
    "有效率",
    "治愈率",
    "一次见效",
    "永不复发",
    "特效",
    "神医",
)
LOAN_WORDS = ("贷款", "信贷", "贷")
MAX_RATE = Decimal("36")  # above this no lawful loan is offered (最高人民法院 司法保护上限)
MAX_VALIDITY = timedelta(days=3 * 366)


@dataclass(frozen=True)
class OfferInput:
    title: str
    summary: str
    body: str = ""
    annual_rate_min: object = None
    annual_rate_max: object = None
    region_codes: str = ""
    valid_until: object = None
    is_course: bool = False


def rate_label(offer: Offer) -> str:
    """年化利率 x%–y% (or x% when both ends are equal); empty without a rate."""
    low, high = offer.annual_rate_min, offer.annual_rate_max
    if low is None or high is None:
        return ""
    if low == high:
        return _("年化利率 %(low)s%%") % {"low": _percent(low)}
    return _("年化利率 %(low)s%%–%(high)s%%") % {"low": _percent(low), "high": _percent(high)}


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _rate(value: object, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip().rstrip("%").strip()
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: _("请填写年化利率，例如 3.45")}) from None
    if not rate.is_finite() or "e" in text.lower() or rate.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("年化利率最多两位小数，例如 3.45")})
    if not Decimal("0") < rate <= MAX_RATE:
        raise ValidationError({field: _("年化利率应大于 0 且不超过 36%")})
    return rate


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({"valid_until": _("请填写有效日期，例如 2026-03-15")}) from None
    today = timezone.localdate()
    if value < today:
        raise ValidationError({"valid_until": _("有效期不能早于今天")})
    if value > today + MAX_VALIDITY:
        raise ValidationError({"valid_until": _("有效期不能超过三年")})
    return value


def is_loan(provider: Provider, data: OfferInput) -> bool:
    if provider.category == Category.BANK:
        return True
    text = f"{data.title}{data.summary}"
    return any(word in text for word in LOAN_WORDS)


def treatment_claim(text: str) -> str | None:
    """The first treatment claim in ``text``, or None."""
    for word in TREATMENT_CLAIMS:
        if word in text:
            return word
    return None


def _cleaned(provider: Provider, data: OfferInput) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    out: dict[str, object] = {}
    for field, label, max_length, required in (
        ("title", _("标题"), 60, True),
        ("summary", _("摘要"), 200, True),
        ("body", _("详细介绍"), 5000, False),
    ):
        text = clean_text(str(getattr(data, field) or "")).strip()
        if required and not text:
            errors.setdefault(field, []).append(_("请填写%(label)s") % {"label": label})
        elif len(text) > max_length:
            errors.setdefault(field, []).append(
                _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}
            )
        out[field] = text
    for field in ("annual_rate_min", "annual_rate_max"):
        try:
            out[field] = _rate(getattr(data, field), field=field)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.message_dict[field])
    low, high = out.get("annual_rate_min"), out.get("annual_rate_max")
    if not errors.get("annual_rate_min") and not errors.get("annual_rate_max"):
        if is_loan(provider, data) and (low is None or high is None):
            errors.setdefault("annual_rate_min", []).append(
                _("贷款类产品须注明年化利率区间（下限和上限）")
            )
        elif (low is None) != (high is None):
            errors.setdefault("annual_rate_max", []).append(_("请同时填写年化利率下限和上限"))
        elif low is not None and high is not None and low > high:  # type: ignore[operator]
            errors.setdefault("annual_rate_max", []).append(_("年化利率上限不能低于下限"))
    codes = [code for code in str(data.region_codes or "").replace("，", ",").split(",") if code]
    codes = [code.strip() for code in codes if code.strip()]
    if any(not is_valid_region(code) for code in codes):
        errors.setdefault("region_codes", []).append(_("服务地区代码无效"))
    out["region_codes"] = ",".join(dict.fromkeys(codes))[:200]
    try:
        out["valid_until"] = _date(data.valid_until)
    except ValidationError as exc:
        errors.setdefault("valid_until", []).extend(exc.message_dict["valid_until"])
    out["is_course"] = bool(data.is_course) and provider.category in (
        Category.TRAINING,
        Category.CULTURE,
    )
    if provider.category == Category.MEDICAL:
        claim = treatment_claim(f"{out['title']}{out['summary']}{out['body']}")
        if claim:
            errors.setdefault("body", []).append(
                _("医疗健康服务不得作疗效承诺，请删去“%(word)s”") % {"word": claim}
            )
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def offer_create(*, actor: User, provider: Provider, data: OfferInput) -> Offer:
    """A provider user drafts an offer (inside the provider's context); members see it only
    once published and chosen by their association."""
    offer = Offer.objects.create(provider=provider, **_cleaned(provider, data))
    audit(actor=actor, action="providers.offer.create", target=offer, summary=offer.title)
    return offer


@transaction.atomic
def offer_update(*, actor: User, offer: Offer, data: OfferInput) -> Offer:
    """Edits an offer of the caller's provider; a published offer stays published and is
    checked again by the same rules."""
    fields = _cleaned(offer.provider, data)
    changed = [name for name, value in fields.items() if getattr(offer, name) != value]
    for name, value in fields.items():
        setattr(offer, name, value)
    if changed:
        offer.save(update_fields=[*changed, "updated_at"])
        audit(
            actor=actor,
            action="providers.offer.update",
            target=offer,
            summary=offer.title,
            data={"fields": changed},
        )
    return offer


@transaction.atomic
def offer_publish(*, actor: User, offer: Offer) -> Offer:
    """Puts an offer on the shelf, where associations may choose it. Its rules are checked
    again (a draft may have been written before a rule)."""
    if offer.provider.status != Provider.Status.APPROVED:
        raise ValidationError(_("服务商未通过认证，不能上架产品"))
    if offer.valid_until is not None and offer.valid_until < timezone.localdate():
        raise ValidationError(_("产品已过有效期，请先修改有效期"))
    _cleaned(
        offer.provider,
        OfferInput(
            title=offer.title,
            summary=offer.summary,
            body=offer.body,
            annual_rate_min=offer.annual_rate_min,
            annual_rate_max=offer.annual_rate_max,
            region_codes=offer.region_codes,
            valid_until=None,
            is_course=offer.is_course,
        ),
    )
    if offer.status != Offer.Status.PUBLISHED:
        offer.status = Offer.Status.PUBLISHED
        offer.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="providers.offer.publish", target=offer, summary=offer.title)
    return offer


@transaction.atomic
def offer_withdraw(*, actor: User, offer: Offer) -> Offer:
    """Takes an offer off the shelf; members no longer see it (their applications stay)."""
    if offer.status == Offer.Status.PUBLISHED:
        offer.status = Offer.Status.WITHDRAWN
        offer.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="providers.offer.withdraw", target=offer, summary=offer.title)
    return offer
