"""A member's listings (供需信息): posting an offer or a need, editing, renewing, withdrawing,
its pictures, and the daily expiry.

Who may post: a person who represents a member enterprise of the association, not blocked by
its secretariat (``PosterBlock``) — and, for the platform-wide network, not blocked by the
platform operator (``PlatformBlock``). A listing is screened for sensitive words; it goes to
the secretariat first when the association asks for that (``NetworkSettings``). Every change
brings its platform index row in line in the same transaction (``listing_index_write``)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.industries import is_valid_industry
from shanghui.core.money import parse_cny
from shanghui.core.regions import is_valid_region
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.text import clean_text
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import Member
from shanghui.members.selectors import my_members
from shanghui.network.models import (
    CONTACT_MAX,
    LISTING_BODY_MAX,
    LISTING_TITLE_MAX,
    Listing,
    ListingImage,
    ListingKind,
    PlatformBlock,
    PosterBlock,
    Visibility,
)
from shanghui.network.moderation_words import find_sensitive
from shanghui.network.services.index import joins_platform, listing_index_write
from shanghui.network.services.settings import network_settings

MAX_IMAGES = 6
MAX_VALIDITY_DAYS = 365
DEFAULT_VALIDITY_DAYS = 90
IMAGE_MAX_SIDE = 1200
IMAGE_HOLDER = "network.listingimage.file"
QUANTITY_MAX = 60
# What a poster may still change: a listing withdrawn or taken down is over.
EDITABLE = (Listing.Status.PENDING, Listing.Status.PUBLISHED, Listing.Status.REJECTED)
RENEWABLE = (Listing.Status.PUBLISHED, Listing.Status.EXPIRED)


@dataclass(frozen=True)
class ListingInput:
    """A listing as the form or the API gives it; every field is checked by the service."""

    kind: str
    title: str
    industry_code: str
    region_code: str
    valid_until: object
    body: str = ""
    quantity: str = ""
    budget: object = None
    visibility: str = Visibility.ASSOCIATION
    contact: str = ""
    contact_visible_to_members: bool = False


def _text(value: object, *, field: str, limit: int, required: str = "") -> str:
    text = clean_text(str(value or "")).strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": limit}})
    return text


def _valid_until(value: object) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value or ""))
        except ValueError as exc:
            raise ValidationError({"valid_until": _("请填写有效期，例如 2027-03-31")}) from exc
    today = timezone.localdate()
    if value < today:
        raise ValidationError({"valid_until": _("有效期不能早于今天")})
    if value > today + timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationError({"valid_until": _("有效期最长一年")})
    return value


def _budget(value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_cny(value, field="budget")


def _visibility(association: Association, value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError({"visibility": _("请选择可见范围")})
    if value == Visibility.PLATFORM and not joins_platform(association):
        raise ValidationError(
            {"visibility": _("本会尚未加入平台供需网络，只能选择本会或上下级商会可见")}
        )
    return value


def _fields(association: Association, data: ListingInput) -> dict[str, object]:
    """The columns of ``data``, every field checked; all refusals at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}

    def check(name: str, run: object) -> None:
        try:
            values[name] = run() if callable(run) else run
        except ValidationError as exc:
            errors.update(exc.message_dict)

    if data.kind not in ListingKind.values:
        errors["kind"] = [_("请选择供应或需求")]
    check(
        "title",
        lambda: _text(data.title, field="title", limit=LISTING_TITLE_MAX, required=_("请填写标题")),
    )
    check("body", lambda: _text(data.body, field="body", limit=LISTING_BODY_MAX))
    check("quantity", lambda: _text(data.quantity, field="quantity", limit=QUANTITY_MAX))
    check("contact", lambda: _text(data.contact, field="contact", limit=CONTACT_MAX))
    check("budget", lambda: _budget(data.budget))
    check("valid_until", lambda: _valid_until(data.valid_until))
    check("visibility", lambda: _visibility(association, data.visibility))
    industry = str(data.industry_code or "").strip()
    if not industry or not is_valid_industry(industry) or len(industry) != 2:
        errors["industry_code"] = [_("请选择行业（国民经济行业分类大类）")]
    region = str(data.region_code or "").strip()
    if not region or not is_valid_region(region):
        errors["region_code"] = [_("请选择地区")]
    if errors:
        raise ValidationError(errors)
    for field in ("title", "body", "quantity"):
        word = find_sensitive(str(values[field]))
        if word:
            raise ValidationError(
                {field: _("内容含有不允许发布的词语“%(word)s”，请修改后再提交") % {"word": word}}
            )
    return {
        **values,
        "kind": data.kind,
        "industry_code": industry,
        "region_code": region,
        "contact_visible_to_members": bool(data.contact_visible_to_members),
    }


def poster_member(*, association: Association, user: User) -> Member:
    """The member enterprise ``user`` posts for: the first they represent in the association.
    Refused when they represent none."""
    member = my_members(association=association, user_id=user.pk).order_by("id").first()
    if member is None:
        raise ValidationError(_("只有会员企业的代表可以发布供需信息，请联系秘书处"))
    return member


def _may_post(association: Association, user: User, visibility: str) -> None:
    if PosterBlock.objects.filter(association_id=association.pk, user=user).exists():
        raise ValidationError(_("秘书处已暂停您发布供需信息，如有疑问请联系秘书处"))
    if visibility == Visibility.PLATFORM and PlatformBlock.objects.filter(user=user).exists():
        raise ValidationError(
            {"visibility": _("平台已暂停您在平台供需网络发布信息，可选择本会或上下级商会可见")}
        )


def _owned(association: Association, actor: User | None, listing: Listing) -> Listing:
    """The listing, locked, when ``actor`` posted it in ``association``; else refused as if
    it were not there (callers looked it up through ``access_own_listing`` already)."""
    if listing.association_id != association.pk or actor is None or listing.poster_id != actor.pk:
        raise ValidationError(_("未找到该供需信息"))
    return (
        Listing.objects.select_for_update(of=("self",))
        .select_related("member", "association")
        .get(association_id=association.pk, pk=listing.pk)
    )


@transaction.atomic
def listing_create(*, association: Association, actor: User, data: ListingInput) -> Listing:
    """Posts a listing for the member enterprise the actor represents. Published at once, or
    pending when the association reviews first. Audit-logged."""
    member = poster_member(association=association, user=actor)
    values = _fields(association, data)
    _may_post(association, actor, str(values["visibility"]))
    review = network_settings(association).moderate_before_publishing
    listing = Listing(association_id=association.pk, member=member, poster=actor, **values)
    if review:
        listing.status = Listing.Status.PENDING
    else:
        listing.status = Listing.Status.PUBLISHED
        listing.published_at = timezone.now()
    listing.save()
    listing_index_write(listing)
    audit(
        actor=actor,
        action="network.listing.create",
        association=association,
        target=listing,
        summary=listing.title,
    )
    return listing


@transaction.atomic
def listing_update(
    *, association: Association, actor: User, listing: Listing, data: ListingInput
) -> Listing:
    """The poster corrects their listing. Where the secretariat reviews first, the corrected
    listing (or a rejected one) waits for review again. Not once withdrawn, expired or taken
    down. Audit-logged."""
    locked = _owned(association, actor, listing)
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("该供需信息已%(status)s，不能修改") % {"status": locked.get_status_display()}
        )
    values = _fields(association, data)
    _may_post(association, actor, str(values["visibility"]))
    for name, value in values.items():
        setattr(locked, name, value)
    changed = [*values, "updated_at"]
    if network_settings(association).moderate_before_publishing:
        locked.status = Listing.Status.PENDING
        changed.append("status")
    elif locked.status == Listing.Status.REJECTED:
        locked.status = Listing.Status.PUBLISHED
        locked.published_at = timezone.now()
        changed += ["status", "published_at"]
    locked.save(update_fields=changed)
    listing_index_write(locked)
    audit(
        actor=actor,
        action="network.listing.update",
        association=association,
        target=locked,
        summary=locked.title,
    )
    return locked


@transaction.atomic
def listing_renew(
    *, association: Association, actor: User, listing: Listing, valid_until: object = None
) -> Listing:
    """Extends a published or expired listing to ``valid_until`` (at most a year from today;
    by default 90 days more, from today or from its current end). An expired one is published
    again (reviewed first where the association reviews). Audit-logged."""
    locked = _owned(association, actor, listing)
    if locked.status not in RENEWABLE:
        raise ValidationError(
            _("该供需信息已%(status)s，不能续期") % {"status": locked.get_status_display()}
        )
    today = timezone.localdate()
    if valid_until not in (None, ""):
        until = _valid_until(valid_until)
    else:  # 90 days more, counted from today or from the current end, within the year
        start = max(today, locked.valid_until)
        until = min(
            start + timedelta(days=DEFAULT_VALIDITY_DAYS),
            today + timedelta(days=MAX_VALIDITY_DAYS),
        )
    if until <= locked.valid_until and locked.status == Listing.Status.PUBLISHED:
        raise ValidationError({"valid_until": _("有效期已是最长一年，不能再延长")})
    locked.valid_until = until
    locked.renewed_times += 1
    changed = ["valid_until", "renewed_times", "updated_at"]
    if locked.status == Listing.Status.EXPIRED:
        if network_settings(association).moderate_before_publishing:
            locked.status = Listing.Status.PENDING
        else:
            locked.status = Listing.Status.PUBLISHED
            locked.published_at = timezone.now()
            changed.append("published_at")
        changed.append("status")
    locked.save(update_fields=changed)
    listing_index_write(locked)
    audit(
        actor=actor,
        action="network.listing.renew",
        association=association,
        target=locked,
        summary=f"{locked.title} → {until.isoformat()}",
    )
    return locked


@transaction.atomic
def listing_withdraw(*, association: Association, actor: User, listing: Listing) -> Listing:
    """The poster takes their listing back; it leaves every list and the index. Idempotent;
    audit-logged."""
    locked = _owned(association, actor, listing)
    if locked.status == Listing.Status.WITHDRAWN:
        return locked
    if locked.status == Listing.Status.TAKEN_DOWN:
        raise ValidationError(_("该供需信息已被下架"))
    locked.status = Listing.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    listing_index_write(locked)
    audit(
        actor=actor,
        action="network.listing.withdraw",
        association=association,
        target=locked,
        summary=locked.title,
    )
    return locked


def listing_image_add(
    *, association: Association, actor: User, listing: Listing, upload: UploadedFile | None
) -> ListingImage:
    """Adds a picture (JPEG or PNG, re-encoded without metadata) to the poster's listing; at
    most six. Stored before the transaction (``picture_put``), attached inside it."""
    if listing.association_id != association.pk or listing.poster_id != actor.pk:
        raise ValidationError(_("未找到该供需信息"))
    if listing.status not in EDITABLE:
        raise ValidationError({"image": _("该供需信息已结束，不能上传图片")})
    if (
        ListingImage.objects.filter(association_id=association.pk, listing=listing).count()
        >= MAX_IMAGES
    ):
        raise ValidationError({"image": _("最多上传 %(count)d 张图片") % {"count": MAX_IMAGES}})
    picture = image_normalized(upload, field="image", max_side=IMAGE_MAX_SIDE)
    with store_refusals("image"):
        stored = picture_put(association, picture, holder=IMAGE_HOLDER, by=actor)
    with transaction.atomic():
        locked = _owned(association, actor, listing)
        count = ListingImage.objects.filter(association_id=association.pk, listing=locked).count()
        if count >= MAX_IMAGES:
            raise ValidationError({"image": _("最多上传 %(count)d 张图片") % {"count": MAX_IMAGES}})
        image = ListingImage.objects.create(
            association_id=association.pk, listing=locked, position=count
        )
        file_attach(image, "file", stored)
        audit(
            actor=actor,
            action="network.listing.image_add",
            association=association,
            target=locked,
            summary=stored.name,
        )
    return image


@transaction.atomic
def listing_image_remove(*, association: Association, actor: User, image: ListingImage) -> None:
    """Removes a picture of the poster's listing. Audit-logged."""
    locked = _owned(association, actor, image.listing)
    file_attach(image, "file", None)
    image.delete()
    audit(
        actor=actor,
        action="network.listing.image_remove",
        association=association,
        target=locked,
        summary=locked.title,
    )


@transaction.atomic
def listings_expire(*, association: Association, today: date | None = None) -> int:
    """Marks the association's published listings past their validity expired and takes them
    out of the index (the daily ``network_expire_listings``). Returns how many."""
    today = today or timezone.localdate()
    due = list(
        Listing.objects.select_for_update(of=("self",))
        .filter(
            association_id=association.pk,
            status=Listing.Status.PUBLISHED,
            valid_until__lt=today,
        )
        .select_related("member", "association")
    )
    for listing in due:
        listing.status = Listing.Status.EXPIRED
        listing.save(update_fields=["status", "updated_at"])
        listing_index_write(listing)
    if due:
        audit(
            actor=None,
            action="network.listing.expire",
            association=association,
            summary=str(len(due)),
        )
    return len(due)
