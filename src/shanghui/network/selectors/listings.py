"""Reading listings for their poster and their secretariat, reports for the secretariat and
the platform operator, blocks. Every lookup by an id from a URL filters by association inside
the query and answers the same 404 for "missing" and "not yours"."""

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.contributions import TodoItem
from shanghui.core.tenancy import read_inside
from shanghui.network.models import (
    Listing,
    ListingImage,
    ListingIndex,
    ListingReport,
    PlatformBlock,
    PosterBlock,
    SensitiveWord,
)
from shanghui.network.selectors.access import access_listing

OFFICE_TABS = ("pending", "published", "taken_down", "all")


def my_listings(*, association: Association, user_id: int) -> QuerySet[Listing]:
    """The listings ``user_id`` posted in the association, newest first, any status."""
    return (
        Listing.objects.filter(association_id=association.pk, poster_id=user_id)
        .select_related("member")
        .prefetch_related("images")
        .order_by("-created_at", "-id")
    )


def access_own_listing(*, association: Association, user_id: int, listing_id: int) -> Listing:
    """One listing the person posted in the association, any status; 404 otherwise."""
    listing = (
        Listing.objects.filter(association_id=association.pk, poster_id=user_id, pk=listing_id)
        .select_related("member", "association")
        .prefetch_related("images")
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def office_listings(*, association: Association, tab: str = "pending") -> QuerySet[Listing]:
    """The association's listings for its secretariat, by tab (pending, published, taken
    down, all)."""
    rows = Listing.objects.filter(association_id=association.pk).select_related("member", "poster")
    if tab in ("pending", "published", "taken_down"):
        rows = rows.filter(status=tab)
    return rows.order_by("-created_at", "-id")


def access_office_listing(*, association: Association, listing_id: int) -> Listing:
    listing = (
        Listing.objects.filter(association_id=association.pk, pk=listing_id)
        .select_related("member", "poster", "association")
        .prefetch_related("images")
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def pending_count(association: Association) -> int:
    return Listing.objects.filter(
        association_id=association.pk, status=Listing.Status.PENDING
    ).count()


def access_listing_image(
    *,
    association: Association,
    viewer_id: int | None,
    listing_image_id: int,
    listing_id: int | None,
    moderator: bool = False,
) -> tuple[Association, ListingImage]:
    """A picture of a listing the viewer may see, with the association its file lives in:
    one of their own listings, any listing of the association for its secretariat
    (``moderator``), or a published listing they may open (``access_listing`` — another
    association's is read inside its scope, so the caller needs ``listing_id``)."""
    own = (
        ListingImage.objects.filter(association_id=association.pk, pk=listing_image_id)
        .select_related("listing", "file")
        .first()
    )
    if own is not None:
        listing = own.listing
        if moderator or listing.poster_id == viewer_id:
            return association, own
        access_listing(association=association, viewer_id=viewer_id, listing_id=listing.pk)
        return association, own
    if listing_id is None:
        raise Http404
    view = access_listing(association=association, viewer_id=viewer_id, listing_id=listing_id)
    if view.same_association:
        raise Http404
    with read_inside(view.association):
        image = (
            ListingImage.objects.filter(
                association_id=view.association.pk, pk=listing_image_id, listing_id=view.id
            )
            .select_related("file")
            .first()
        )
    if image is None:
        raise Http404
    return view.association, image


def listing_image_ids(association: Association, listing_id: int) -> list[int]:
    """The ids of a listing's pictures (ListingImage ids, in order), read in its association
    (the caller is inside its scope or ``read_inside`` it)."""
    return list(
        ListingImage.objects.filter(association_id=association.pk, listing_id=listing_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )


def office_reports(*, association: Association, open_only: bool = True) -> list[ListingReport]:
    """Reports of the association's listings, with each listing attached as ``listing``."""
    rows = ListingReport.objects.filter(listing_association_id=association.pk)
    if open_only:
        rows = rows.filter(outcome=ListingReport.Outcome.OPEN)
    reports = list(rows.select_related("reporter").order_by("-created_at", "-id")[:300])
    listings = Listing.objects.filter(
        association_id=association.pk, pk__in={r.listing_id for r in reports}
    ).in_bulk()
    for report in reports:
        report.listing = listings.get(report.listing_id)  # type: ignore[attr-defined]
    return reports


def access_office_report(*, association: Association, report_id: int) -> ListingReport:
    report = ListingReport.objects.filter(
        listing_association_id=association.pk, pk=report_id
    ).first()
    if report is None:
        raise Http404
    return report


def platform_reports(*, open_only: bool = True) -> list[ListingReport]:
    """Reports of platform-wide listings (the operator's queue), each with its index row as
    ``entry`` (None once it left the index) — no contact details, no poster's name."""
    rows = ListingReport.objects.filter(platform_wide=True)
    if open_only:
        rows = rows.filter(outcome=ListingReport.Outcome.OPEN)
    reports = list(
        rows.select_related("listing_association", "reporter").order_by("-created_at", "-id")[:300]
    )
    entries = ListingIndex.objects.in_bulk({r.listing_id for r in reports})
    for report in reports:
        report.entry = entries.get(report.listing_id)  # type: ignore[attr-defined]
    return reports


def access_platform_report(*, report_id: int) -> ListingReport:
    """A report of the operator's queue (the caller checked ``access_platform_operator``)."""
    report = ListingReport.objects.filter(pk=report_id, platform_wide=True).first()
    if report is None:
        raise Http404
    return report


def poster_blocks(association: Association) -> QuerySet[PosterBlock]:
    return (
        PosterBlock.objects.filter(association_id=association.pk)
        .select_related("user", "blocked_by")
        .order_by("-created_at")
    )


def access_poster_block(*, association: Association, block_id: int) -> PosterBlock:
    block = (
        PosterBlock.objects.filter(association_id=association.pk, pk=block_id)
        .select_related("user")
        .first()
    )
    if block is None:
        raise Http404
    return block


def platform_blocks() -> QuerySet[PlatformBlock]:
    return PlatformBlock.objects.select_related("user", "blocked_by").order_by("-created_at")


def sensitive_words() -> QuerySet[SensitiveWord]:
    return SensitiveWord.objects.select_related("added_by").order_by("word")


def listing_todos(association: Association) -> list[TodoItem]:
    """The secretariat's 待办 of the network: listings waiting for review, open reports — both
    counted in one statement (the sidebar's budget is one query per section; the counts are
    cached under ``services.index.TODOS_VERSION``)."""
    listings, reports_table = Listing._meta.db_table, ListingReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {listings} "  # noqa: S608 - our tables' names
            "WHERE association_id = %s AND status = %s), "
            f"(SELECT count(*) FROM {reports_table} "
            "WHERE listing_association_id = %s AND outcome = %s)",
            [
                association.pk,
                Listing.Status.PENDING.value,
                association.pk,
                ListingReport.Outcome.OPEN.value,
            ],
        )
        pending, reports = cursor.fetchone() or (0, 0)
    slug = association.slug
    items = []
    if pending:
        url = reverse("network:office_listings", kwargs={"association_slug": slug})
        items.append(TodoItem(label=_("待审核的供需信息"), count=pending, url=f"{url}?tab=pending"))
    if reports:
        url = reverse("network:office_reports", kwargs={"association_slug": slug})
        items.append(TodoItem(label=_("待处理的举报"), count=reports, url=url))
    return items
