"""Demo seed: the network (供需对接) of three demo associations — 广东省江西商会, 中山市江西商会
and 深圳电子信息协会 join the platform-wide network (中山 reviews listings before they appear)
— with some forty offers and needs of their member enterprises in real trades (螺纹钢, 电子元器件,
物流运输, 建筑工程, 赣南脐橙, LED, 注塑模具…), of every visibility, a few expired and one
waiting for review; enterprises in the platform showcase with their products; and the
conversations a visitor opens first: the demo member 刘建华 posted a platform-wide need that
the demo member 黄志伟 of the Shenzhen association found as a match, talked over, got 刘建华's
contact and closed a deal; 钟国平 of 中山 asks a 广东省江西商会 member about 赣南脐橙.

Everything is written through the network's services (so the index, reach, words and audit
are what the pages would have written); only the dates are moved back afterwards, so the
lists read like weeks of use. Deterministic: one seeded random generator."""

import random
from datetime import timedelta

from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.roles import role_grant
from shanghui.associations.models import Association
from shanghui.core.demo import GDJX, SZDZ, ZSJX, DemoAssociation, DemoContext
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person, Representative
from shanghui.network.demo.posts import (
    DEAL_VALUE,
    HUANG_OFFER,
    LIU_NEED,
    ORANGES_TITLE,
    POSTS,
    PRODUCTS,
    Post,
)
from shanghui.network.models import Listing
from shanghui.network.selectors.access import access_listing
from shanghui.network.services.conversations import (
    conversation_mark_read,
    conversation_share_contact,
    conversation_start,
    message_send,
)
from shanghui.network.services.deals import deal_mark
from shanghui.network.services.index import listing_index_write
from shanghui.network.services.listings import ListingInput, listing_create, listings_expire
from shanghui.network.services.moderation import listing_review
from shanghui.network.services.settings import network_settings_update
from shanghui.network.services.showcase import (
    ShowcaseItemInput,
    showcase_item_create,
    showcase_set,
)


def seed(ctx: DemoContext) -> None:
    rng = random.Random("shanghui-demo:network")
    reviews = {GDJX.slug: False, ZSJX.slug: True, SZDZ.slug: False}  # 中山 reviews first
    posted: dict[str, list[Listing]] = {}
    for slug, review in reviews.items():
        demo = _demo(slug)
        association = ctx.associations[slug]
        admin = ctx.users[demo.admin_phone]
        with tenant_context(association):
            network_settings_update(
                association=association,
                actor=admin,
                joins_platform=True,
                moderate_before_publishing=review,
            )
            posted[slug] = _listings(ctx, association, demo, rng)
    with tenant_context(ctx.associations[GDJX.slug]):
        liu_need = _post(ctx.associations[GDJX.slug], ctx.users[GDJX.member_phone], LIU_NEED, rng)
    with tenant_context(ctx.associations[SZDZ.slug]):
        _post(ctx.associations[SZDZ.slug], ctx.users[SZDZ.member_phone], HUANG_OFFER, rng)
    for slug in reviews:
        with tenant_context(ctx.associations[slug]):
            _showcase(ctx.associations[slug], rng)
    _conversations(ctx, liu_need, posted)
    for slug in reviews:
        with tenant_context(ctx.associations[slug]):
            _spread_dates(ctx.associations[slug], rng)


def _demo(slug: str) -> DemoAssociation:
    return {GDJX.slug: GDJX, ZSJX.slug: ZSJX, SZDZ.slug: SZDZ}[slug]


def member_user(association: Association, member: Member) -> User:
    """The account of the member enterprise's representative: the demo member's own for
    their enterprise, else the first representative's — a new account without a password
    (they sign in by SMS code), linked to their person as 绑定 would link it, with the
    member role."""
    # The member's few representations, ordered here: a join ordered in SQL scans every
    # person of a large association.
    acting = Representative.objects.filter(
        association=association, member=member, deleted_at__isnull=True
    ).select_related("person")
    ranked = sorted(
        acting,
        key=lambda r: (
            r.person.user_id is None,
            r.kind != Representative.Kind.REPRESENTATIVE,
            r.person_id,
        ),
    )
    person = ranked[0].person if ranked else None
    assert person is not None and person.phone, member
    if person.user_id is not None:
        return User.objects.get(pk=person.user_id)
    user = User.objects.filter(phone=person.phone).first()
    if user is None:
        user = User.objects.create_user(phone=person.phone, name=person.name)
    Person.objects.filter(association=association, pk=person.pk).update(user=user)
    role_grant(association=association, actor=None, user=user, kind=Role.Kind.MEMBER)
    return user


def _posters(association: Association, demo: DemoAssociation) -> dict[str, list[Member]]:
    """Active member enterprises by trade (not the demo member's: it posts its own)."""
    demo_member = Representative.objects.filter(
        association=association, person__phone=demo.member_phone
    ).values("member_id")
    by_trade: dict[str, list[Member]] = {}
    enterprises = (
        Member.objects.filter(
            association=association,
            kind=Member.Kind.ENTERPRISE,
            status=Member.Status.ACTIVE,
            representatives__isnull=False,
        )
        .exclude(uscc="")
        .exclude(pk__in=demo_member)
        .select_related("association")
        .distinct()
        .order_by("id")[:400]
    )
    for member in enterprises:
        by_trade.setdefault(member.industry_code, []).append(member)
        by_trade.setdefault("", []).append(member)
    return by_trade


def _listings(
    ctx: DemoContext, association: Association, demo: DemoAssociation, rng: random.Random
) -> list[Listing]:
    by_trade = _posters(association, demo)
    used: set[int] = set()
    listings = []
    for post in POSTS[demo.slug]:
        candidates = [m for m in by_trade.get(post.industry, []) if m.pk not in used]
        if not candidates:
            candidates = [m for m in by_trade[""] if m.pk not in used] or by_trade[""]
        member = rng.choice(candidates[:12])
        used.add(member.pk)
        listings.append(_post(association, member_user(association, member), post, rng))
    admin = ctx.users[demo.admin_phone]
    for listing, post in zip(listings, POSTS[demo.slug], strict=True):
        if listing.status == Listing.Status.PENDING and not post.pending:
            listing_review(association=association, actor=admin, listing=listing, approve=True)
    return listings


def _post(association: Association, user: User, post: Post, rng: random.Random) -> Listing:
    person = Person.objects.filter(association=association, user=user).first()
    contact = f"{person.name} {person.phone}" if person else ""
    return listing_create(
        association=association,
        actor=user,
        data=ListingInput(
            kind=post.kind,
            title=post.title,
            body=post.body,
            industry_code=post.industry,
            region_code=post.region,
            valid_until=timezone.localdate() + timedelta(days=rng.randint(30, 200)),
            quantity=post.quantity,
            budget=post.budget or None,
            visibility=post.visibility,
            contact=contact,
            contact_visible_to_members=rng.random() < 0.6 or post is LIU_NEED,
        ),
    )


def _showcase(association: Association, rng: random.Random) -> None:
    """The posting enterprises (and a few more of the same trades) show themselves
    platform-wide, with their products."""
    posters = set(
        Listing.objects.filter(association=association).values_list("member_id", flat=True)
    )
    members = list(
        Member.objects.filter(association=association, pk__in=posters)
        .select_related("association")
        .order_by("id")
    )
    for member in members:
        if rng.random() < 0.25 and not _is_demo_members(member):
            continue  # not every poster wants to be in the directory
        user = member_user(association, member)
        showcase_set(association=association, actor=user, member=member, on=True)
        for position, (name, description) in enumerate(PRODUCTS.get(member.industry_code, [])):
            showcase_item_create(
                association=association,
                actor=user,
                member=member,
                data=ShowcaseItemInput(name=name, description=description, position=position),
            )


def _is_demo_members(member: Member) -> bool:
    phones = {GDJX.member_phone, ZSJX.member_phone, SZDZ.member_phone}
    return Representative.objects.filter(
        association_id=member.association_id, member=member, person__phone__in=phones
    ).exists()


def _conversations(ctx: DemoContext, liu_need: Listing, posted: dict[str, list[Listing]]) -> None:
    gdjx, szdz, zsjx = (ctx.associations[s] for s in (GDJX.slug, SZDZ.slug, ZSJX.slug))
    liu, huang = ctx.users[GDJX.member_phone], ctx.users[SZDZ.member_phone]
    zhong = ctx.users[ZSJX.member_phone]
    # 黄志伟 found 刘建华's need among his offer's matches and wrote to him.
    with tenant_context(szdz):
        seen = access_listing(association=szdz, viewer_id=huang.pk, listing_id=liu_need.pk)
        thread = conversation_start(
            association=szdz,
            actor=huang,
            listing=seen,
            from_match=True,
            text="刘总您好，看到贵司代采购传感器模组的需求。我司在深圳宝安，温湿度和振动传感器"
            "模组有现货，NB-IoT模组两周可交付，方便发一下具体规格吗？",
        ).conversation
    talk = [
        (
            liu,
            "黄总好，主要是温湿度（精度±0.3℃）和三轴振动模组，首批800套，需要Modbus和"
            "NB-IoT两种接口，能先提供样品测试吗？",
        ),
        (
            huang,
            "可以，每种寄5套样品，下周一前到东莞。首批800套报价每套520元，含税含运费，"
            "检测报告随样品一起提供。",
        ),
        (liu, "样品客户测试通过了，很满意。我把联系方式发您，约个时间签首批合同。"),
        (huang, "好的，周四下午我到东莞拜访您，合同我先按800套起草。"),
    ]
    for sender, text in talk[:2]:
        message_send(actor=sender, conversation=thread, text=text)
    with tenant_context(gdjx):
        conversation_share_contact(actor=liu, conversation=thread, use_listing=True)
    for sender, text in talk[2:]:
        message_send(actor=sender, conversation=thread, text=text)
    with tenant_context(gdjx):
        deal_mark(actor=liu, conversation=thread, value=DEAL_VALUE)
        conversation_mark_read(actor=liu, conversation=thread)
    # 钟国平's restaurants in 中山 ask about 赣南脐橙 for fresh juice.
    oranges = next(x for x in posted[GDJX.slug] if x.title == ORANGES_TITLE)
    with tenant_context(zsjx):
        seen = access_listing(association=zsjx, viewer_id=zhong.pk, listing_id=oranges.pk)
        second = conversation_start(
            association=zsjx,
            actor=zhong,
            listing=seen,
            text="您好，我们在中山有6家餐厅，想长期采购脐橙做鲜榨果汁，每周约1.5吨，"
            "请问可以每周配送到中山吗？价格怎么算？",
        ).conversation
    grower = oranges.poster
    assert grower is not None
    message_send(
        actor=grower,
        conversation=second,
        text="钟总您好，中山每周二、五都有冷链车过去，1.5吨起送免运费。榨汁果可用75–80mm"
        "规格，比礼盒果便宜不少，我把报价单整理好发您。",
    )
    with tenant_context(zsjx):
        conversation_share_contact(
            actor=zhong, conversation=second, contact=f"钟国平 {ZSJX.member_phone}"
        )
        message_send(
            actor=zhong, conversation=second, text="好的，我留了电话，方便的话先寄一箱样品。"
        )
    # A Shenzhen maker answers 中山's need for LED 灯珠.
    chips = next(x for x in posted[ZSJX.slug] if x.title == "采购LED灯珠及驱动电源")
    maker = next((x for x in posted[SZDZ.slug] if x.title == "LED显示屏及照明驱动方案"), None)
    if maker is not None and maker.poster_id is not None:
        seller = User.objects.get(pk=maker.poster_id)
        with tenant_context(szdz):
            seen = access_listing(association=szdz, viewer_id=seller.pk, listing_id=chips.pk)
            conversation_start(
                association=szdz,
                actor=seller,
                listing=seen,
                from_match=True,
                text="您好，我司做恒流驱动方案，可配套2835灯珠一起供货，月供2万只驱动没问题，"
                "方便约个时间到古镇拜访吗？",
            )


def _spread_dates(association: Association, rng: random.Random) -> None:
    """Weeks of use rather than one minute: publication dates over the last two months
    (newest last as posted), and the listings marked to expire past their validity, then
    expired by the daily job's own service."""
    now = timezone.now()
    today = timezone.localdate()
    listings = list(
        Listing.objects.filter(association=association)
        .select_related("member", "association")
        .order_by("-id")
    )
    expiring = {p.title for posts in POSTS.values() for p in posts if p.expired}
    for age, listing in enumerate(listings):
        days = min(60, age * 2 + rng.randint(0, 2))
        fields: dict[str, object] = {}
        if listing.title in expiring:
            fields["valid_until"] = today - timedelta(days=rng.randint(3, 20))
            days = (today - fields["valid_until"]).days + 45  # type: ignore[operator]
        fields["created_at"] = now - timedelta(days=days, hours=rng.randint(1, 9))
        if listing.published_at is not None:
            fields["published_at"] = fields["created_at"]
        Listing.objects.filter(association=association, pk=listing.pk).update(**fields)
        listing.refresh_from_db()
        listing_index_write(listing)
    listings_expire(association=association, today=today)
