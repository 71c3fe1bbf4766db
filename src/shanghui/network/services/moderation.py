"""Keeping the network clean: the secretariat's review of listings (where it reviews first),
taking a listing down with a reason, blocking a person from posting (``PosterBlock``); 举报
(``ListingReport``) by anyone who can see a listing, handled by the listing's secretariat or —
for platform-wide listings — by the platform operator, who may also stop a person from the
whole network (``PlatformBlock``) and adds sensitive words (``SensitiveWord``).

The poster hears of every decision through the notification center, in the listing's own
association (the operator's decisions open that association's scope to write and notify)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Tenant
from shanghui.network import messages
from shanghui.network.models import (
    WORD_MAX,
    Listing,
    ListingIndex,
    ListingReport,
    PlatformBlock,
    PosterBlock,
    SensitiveWord,
    Visibility,
)
from shanghui.network.moderation_words import normalised
from shanghui.network.selectors.access import access_listing
from shanghui.network.services.index import listing_index_write, todos_changed

NOTE_MAX = 200
REPORT_TEXT_MAX = 300


def _note(value: object, *, field: str, required: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > NOTE_MAX:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": NOTE_MAX}})
    return text


def _lock(association: Tenant, listing: Listing) -> Listing:
    if listing.association_id != association.pk:
        raise ValidationError(_("未找到该供需信息"))
    return (
        Listing.objects.select_for_update(of=("self",))
        .select_related("member", "association", "poster")
        .get(association_id=association.pk, pk=listing.pk)
    )


def _tell_poster(listing: Listing, kind: str, **params: str) -> None:
    """The poster hears of a decision about their listing (in its association's scope)."""
    poster = listing.poster
    if poster is None:
        return
    link = reverse("network:my_listings", kwargs={"association_slug": listing.association.slug})
    notify(
        association=listing.association,
        kind=kind,
        to=Recipient(phone=poster.phone or "", email=poster.email, user_id=poster.pk),
        params={"association": listing.association.name, "title": listing.title, **params},
        target_type="network.listing",
        target_id=listing.pk,
        link=link,
    )


@transaction.atomic
def listing_review(
    *, association: Tenant, actor: User, listing: Listing, approve: bool, note: str = ""
) -> Listing:
    """The secretariat approves (publishes) or rejects a pending listing, with a note that the
    poster sees. Audit-logged; the poster is told."""
    locked = _lock(association, listing)
    if locked.status != Listing.Status.PENDING:
        raise ValidationError(_("该供需信息不在待审核状态"))
    note = _note(note, field="note", required="" if approve else _("请填写未通过的原因"))
    locked.moderation_note = note
    if approve:
        locked.status = Listing.Status.PUBLISHED
        locked.published_at = timezone.now()
    else:
        locked.status = Listing.Status.REJECTED
    locked.save(update_fields=["status", "published_at", "moderation_note", "updated_at"])
    listing_index_write(locked)
    audit(
        actor=actor,
        action="network.listing.approve" if approve else "network.listing.reject",
        association=association,
        target=locked,
        summary=locked.title,
    )
    if approve:
        _tell_poster(locked, messages.LISTING_APPROVED)
    else:
        _tell_poster(locked, messages.LISTING_REJECTED, note=note)
    return locked


def _take_down(
    association: Tenant, actor: User, listing: Listing, reason: str, *, platform: bool
) -> Listing:
    locked = _lock(association, listing)
    reason = _note(reason, field="reason", required=_("请填写下架原因"))
    if locked.status == Listing.Status.TAKEN_DOWN:
        return locked
    locked.status = Listing.Status.TAKEN_DOWN
    locked.moderation_note = reason
    locked.save(update_fields=["status", "moderation_note", "updated_at"])
    listing_index_write(locked)
    audit(
        actor=actor,
        action="network.listing.take_down",
        association=association,
        target=locked,
        summary=locked.title,
        data={"reason": reason, "by_platform": platform},
    )
    ListingReport.objects.filter(listing_id=locked.pk, outcome=ListingReport.Outcome.OPEN).update(
        outcome=ListingReport.Outcome.TAKEN_DOWN, handled_by=actor, handled_at=timezone.now()
    )
    _tell_poster(locked, messages.LISTING_TAKEN_DOWN, reason=reason)
    return locked


@transaction.atomic
def listing_take_down(
    *, association: Tenant, actor: User, listing: Listing, reason: str
) -> Listing:
    """The secretariat takes one of its association's listings down with a reason: it leaves
    every list and the index for good, its open reports are closed, the poster is told.
    Idempotent; audit-logged."""
    return _take_down(association, actor, listing, reason, platform=False)


@transaction.atomic
def listing_report(
    *, association: Association, actor: User, listing_id: int, reason: str, text: str = ""
) -> ListingReport:
    """举报: a member of ``association`` reports a listing they can see (own association's or
    another's through ``access_listing`` — the same 404 otherwise). A platform-wide listing's
    report also goes to the operator's queue. One open report per person and listing."""
    view = access_listing(association=association, viewer_id=actor.pk, listing_id=listing_id)
    if reason not in ListingReport.Reason.values:
        raise ValidationError({"reason": _("请选择举报原因")})
    text = str(text or "").strip()
    if len(text) > REPORT_TEXT_MAX:
        raise ValidationError({"text": _("不能超过 %(limit)d 个字") % {"limit": REPORT_TEXT_MAX}})
    if view.poster_id == actor.pk:
        raise ValidationError(_("不能举报自己发布的信息"))
    platform_wide = ListingIndex.objects.filter(
        listing_id=view.id, visibility=Visibility.PLATFORM
    ).exists()
    try:
        with transaction.atomic():
            report = ListingReport.objects.create(
                listing_association=view.association,
                listing_id=view.id,
                platform_wide=platform_wide,
                reporter=actor,
                reason=reason,
                text=text,
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已举报过该信息，请等待处理")) from exc
    todos_changed(view.association)
    audit(
        actor=actor,
        action="network.listing.report",
        association=association,
        target=report,
        summary=view.title,
        data={"listing_id": view.id, "reason": reason},
    )
    return report


@transaction.atomic
def report_handle(
    *, association: Tenant, actor: User, report: ListingReport, take_down: bool, note: str = ""
) -> ListingReport:
    """The secretariat decides a report of one of its listings: take the listing down (with
    ``note`` as the reason; closes every open report of it) or dismiss the report."""
    if report.listing_association_id != association.pk:
        raise ValidationError(_("未找到该举报"))
    if report.outcome != ListingReport.Outcome.OPEN:
        raise ValidationError(_("该举报已处理"))
    if take_down:
        listing = Listing.objects.filter(
            association_id=association.pk, pk=report.listing_id
        ).first()
        if listing is None:
            raise ValidationError(_("未找到该供需信息"))
        _take_down(association, actor, listing, note, platform=False)
    else:
        _dismiss(report, actor)
    audit(
        actor=actor,
        action="network.report.take_down" if take_down else "network.report.dismiss",
        association=association,
        target=report,
    )
    report.refresh_from_db()
    return report


def _dismiss(report: ListingReport, actor: User) -> None:
    ListingReport.objects.filter(pk=report.pk, outcome=ListingReport.Outcome.OPEN).update(
        outcome=ListingReport.Outcome.DISMISSED, handled_by=actor, handled_at=timezone.now()
    )
    todos_changed(report.listing_association)


@transaction.atomic
def platform_report_handle(
    *,
    actor: User,
    report: ListingReport,
    take_down: bool,
    note: str = "",
    block_poster: bool = False,
) -> ListingReport:
    """The platform operator decides a report of a platform-wide listing: take it down (inside
    the listing's association's scope; the poster is told) and, optionally, stop its poster
    from the platform network; or dismiss. Callers checked ``access_platform_operator``."""
    if not report.platform_wide:
        raise ValidationError(_("未找到该举报"))
    if report.outcome != ListingReport.Outcome.OPEN:
        raise ValidationError(_("该举报已处理"))
    association = Association.objects.get(pk=report.listing_association_id)
    poster: User | None = None
    with tenant_context(association):
        listing = (
            Listing.objects.filter(association_id=association.pk, pk=report.listing_id)
            .select_related("poster")
            .first()
        )
        if take_down:
            if listing is None:
                raise ValidationError(_("未找到该供需信息"))
            _take_down(association, actor, listing, note, platform=True)
        poster = listing.poster if listing is not None else None
    if not take_down:
        _dismiss(report, actor)
    if block_poster and poster is not None:
        platform_block(actor=actor, user=poster, reason=note or _("举报核实"))
    audit(
        actor=actor,
        action="network.report.take_down" if take_down else "network.report.dismiss",
        target=report,
        data={"listing_id": report.listing_id, "block_poster": block_poster},
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def poster_block(*, association: Tenant, actor: User, user: User, reason: str) -> PosterBlock:
    """The secretariat stops ``user`` from posting listings in its association; what they
    published stays until taken down. Idempotent; audit-logged."""
    reason = _note(reason, field="reason", required=_("请填写原因"))
    block, _created = PosterBlock.objects.get_or_create(
        association_id=association.pk,
        user=user,
        defaults={"reason": reason, "blocked_by": actor},
    )
    audit(
        actor=actor,
        action="network.poster.block",
        association=association,
        target=block,
        summary=user.name,
    )
    return block


@transaction.atomic
def poster_unblock(*, association: Tenant, actor: User, block: PosterBlock) -> None:
    if block.association_id != association.pk:
        raise ValidationError(_("未找到该记录"))
    name = block.user.name
    block.delete()
    audit(actor=actor, action="network.poster.unblock", association=association, summary=name)


@transaction.atomic
def platform_block(*, actor: User, user: User, reason: str) -> PlatformBlock:
    """The operator stops ``user`` from the platform network: no platform-wide listings, no
    writing to members of other associations. Idempotent; audit-logged (platform)."""
    reason = _note(reason, field="reason", required=_("请填写原因"))
    block, _created = PlatformBlock.objects.get_or_create(
        user=user, defaults={"reason": reason, "blocked_by": actor}
    )
    audit(actor=actor, action="network.platform.block", target=block, summary=user.name)
    return block


@transaction.atomic
def platform_unblock(*, actor: User, block: PlatformBlock) -> None:
    name = block.user.name
    block.delete()
    audit(actor=actor, action="network.platform.unblock", summary=name)


@transaction.atomic
def sensitive_word_add(*, actor: User, word: str) -> SensitiveWord:
    """The operator adds a sensitive word (listings and messages containing it are refused
    from now on). Idempotent; audit-logged (platform)."""
    cleaned = normalised(word)
    if not cleaned:
        raise ValidationError({"word": _("请填写敏感词")})
    if len(cleaned) > WORD_MAX:
        raise ValidationError({"word": _("不能超过 %(limit)d 个字") % {"limit": WORD_MAX}})
    entry, _created = SensitiveWord.objects.get_or_create(
        word=cleaned, defaults={"added_by": actor}
    )
    audit(actor=actor, action="network.word.add", target=entry, summary=cleaned)
    return entry


@transaction.atomic
def sensitive_word_remove(*, actor: User, word_id: int) -> None:
    entry = SensitiveWord.objects.filter(pk=word_id).first()
    if entry is None:
        return
    entry.delete()
    audit(actor=actor, action="network.word.remove", summary=entry.word)
