"""The platform-wide enterprise showcase (企业展示): a member's own opt-in
(``Member.network_showcase``, default off), its products and services (``ShowcaseItem``),
and ``EnterpriseIndex`` — the enterprise's public face (name, credit code, industry, region,
products; never a person) that other associations' members find in matching and the
directory. The index row exists only while the member opted in, is an active enterprise
member, and its association is in the platform network; it is written here after every
change of any of those (``enterprise_index_write``)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.text import clean_text
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import Member
from shanghui.members.selectors import my_members
from shanghui.network.models import EnterpriseIndex, EnterpriseWord, ShowcaseItem
from shanghui.network.services.index import joins_platform
from shanghui.network.words import document_words

SHOWCASE_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)
ITEMS_MAX = 20
IMAGE_HOLDER = "network.showcaseitem.image"
IMAGE_MAX_SIDE = 1200
PRODUCTS_MAX = 300


def _products(member: Member) -> str:
    names = list(
        ShowcaseItem.objects.filter(association_id=member.association_id, member=member)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )
    parts = [member.main_products.strip(), *names]
    return "、".join(part for part in parts if part)[:PRODUCTS_MAX]


def indexed(member: Member) -> bool:
    """Whether the member belongs in ``EnterpriseIndex`` now."""
    return (
        member.network_showcase
        and member.kind == Member.Kind.ENTERPRISE
        and member.status in SHOWCASE_STATUSES
        and joins_platform(member.association)
    )


def enterprise_index_write(member: Member) -> None:
    """Bring the member's ``EnterpriseIndex`` row and words in line with the member. Call it
    inside the member's tenant context, in the transaction of any change of its opt-in,
    name, credit code, industry, region, main products, introduction, status or showcase
    items, and for every member when the association joins or leaves the network
    (``enterprise_index_rebuild``)."""
    if not indexed(member):
        EnterpriseIndex.objects.filter(
            association_id=member.association_id, member_id=member.pk
        ).delete()
        return
    products = _products(member)
    entry, _created = EnterpriseIndex.objects.update_or_create(
        association_id=member.association_id,
        member_id=member.pk,
        defaults={
            "name": member.name,
            "uscc": member.uscc,
            "industry_code": member.industry_code,
            "region_code": member.region_code,
            "products": products,
        },
    )
    EnterpriseWord.objects.filter(enterprise=entry).delete()
    EnterpriseWord.objects.bulk_create(
        EnterpriseWord(enterprise=entry, word=word)
        for word in sorted(document_words(f"{member.name} {products}", member.introduction))
    )


def enterprise_index_rebuild(*, association: Association) -> int:
    """Re-write the index rows of every member of ``association`` that opted in (for the
    network settings' join/leave; inside the association's tenant context). Returns how
    many rows it now has."""
    opted = Member.objects.filter(association=association, network_showcase=True).select_related(
        "association"
    )
    for member in opted:
        enterprise_index_write(member)
    EnterpriseIndex.objects.filter(association=association).exclude(
        member_id__in=opted.values("pk")
    ).delete()
    return EnterpriseIndex.objects.filter(association=association).count()


def showcase_member(*, association: Association, user_id: int, member_id: int | None) -> Member:
    """The enterprise member whose showcase ``user_id`` manages: one they represent
    (``member_id``, or the first). Raises ``Member.DoesNotExist`` when they represent none
    (the caller answers 404 for a ``member_id`` not theirs)."""
    mine = my_members(association=association, user_id=user_id).filter(kind=Member.Kind.ENTERPRISE)
    if member_id is not None:
        mine = mine.filter(pk=member_id)
    member = mine.select_related("association").order_by("pk").first()
    if member is None:
        raise Member.DoesNotExist
    return member


@transaction.atomic
def showcase_set(*, association: Association, actor: User, member: Member, on: bool) -> Member:
    """The member's own opt-in to the platform-wide showcase and matching (its
    representative decides; the caller checked ``actor`` represents ``member``)."""
    if member.association_id != association.pk:
        raise ValidationError(_("请选择本会的企业"))
    if on and member.kind != Member.Kind.ENTERPRISE:
        raise ValidationError({"network_showcase": _("只有企业会员可以加入平台企业展示")})
    if member.network_showcase != on:
        member.network_showcase = on
        member.save(update_fields=["network_showcase"])
        audit(
            actor=actor,
            action="network.showcase.on" if on else "network.showcase.off",
            association=association,
            target=member,
            summary=member.name,
        )
    enterprise_index_write(member)
    return member


@dataclass(frozen=True)
class ShowcaseItemInput:
    name: str
    description: str = ""
    position: int = 0


def _cleaned(data: ShowcaseItemInput) -> ShowcaseItemInput:
    name = clean_text(data.name).strip()
    description = clean_text(data.description).strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写产品或服务名称")
    elif len(name) > 60:
        errors["name"] = _("名称最多60个字")
    if len(description) > 500:
        errors["description"] = _("介绍最多500个字")
    if not 0 <= data.position <= 999:
        errors["position"] = _("排序须在0到999之间")
    if errors:
        raise ValidationError(errors)
    return ShowcaseItemInput(name=name, description=description, position=data.position)


def access_showcase_item(
    *, association: Association, user_id: int, showcase_item_id: int
) -> ShowcaseItem:
    """A showcase item of an enterprise ``user_id`` represents in ``association``; 404
    (``ShowcaseItem.DoesNotExist``) otherwise."""
    members = my_members(association=association, user_id=user_id).values("pk")
    return (
        ShowcaseItem.objects.select_related("member", "member__association")
        .filter(association=association, pk=showcase_item_id, member_id__in=members)
        .get()
    )


def _store_image(association: Association, actor: User, upload: UploadedFile | None):  # type: ignore[no-untyped-def]
    if upload is None:
        return None
    picture = image_normalized(upload, field="image", max_side=IMAGE_MAX_SIDE)
    with store_refusals("image"):
        return picture_put(association, picture, holder=IMAGE_HOLDER, by=actor)


def showcase_item_create(
    *,
    association: Association,
    actor: User,
    member: Member,
    data: ShowcaseItemInput,
    image: UploadedFile | None = None,
) -> ShowcaseItem:
    """A product or service on the member's profile (at most ``ITEMS_MAX``), with an
    optional picture."""
    cleaned = _cleaned(data)
    stored = _store_image(association, actor, image)
    with transaction.atomic():
        Member.objects.select_for_update().filter(association=association, pk=member.pk).first()
        if ShowcaseItem.objects.filter(association=association, member=member).count() >= ITEMS_MAX:
            raise ValidationError(_("最多展示%(count)d项产品或服务") % {"count": ITEMS_MAX})
        item = ShowcaseItem.objects.create(
            association=association,
            member=member,
            name=cleaned.name,
            description=cleaned.description,
            position=cleaned.position,
        )
        if stored is not None:
            file_attach(item, "image", stored)
        enterprise_index_write(member)
        audit(
            actor=actor,
            action="network.showcase_item.create",
            association=association,
            target=item,
            summary=item.name,
        )
    return item


def showcase_item_update(
    *,
    association: Association,
    actor: User,
    item: ShowcaseItem,
    data: ShowcaseItemInput,
    image: UploadedFile | None = None,
) -> ShowcaseItem:
    cleaned = _cleaned(data)
    stored = _store_image(association, actor, image)
    with transaction.atomic():
        item.name = cleaned.name
        item.description = cleaned.description
        item.position = cleaned.position
        item.save(update_fields=["name", "description", "position"])
        if stored is not None:
            file_attach(item, "image", stored)
        enterprise_index_write(item.member)
        audit(
            actor=actor,
            action="network.showcase_item.update",
            association=association,
            target=item,
            summary=item.name,
        )
    return item


@transaction.atomic
def showcase_item_delete(*, association: Association, actor: User, item: ShowcaseItem) -> None:
    member = item.member
    file_attach(item, "image", None)
    audit(
        actor=actor,
        action="network.showcase_item.delete",
        association=association,
        target=item,
        summary=item.name,
    )
    item.delete()
    enterprise_index_write(member)
