"""Demo seed: two service providers (服务商) the platform operator approved — 赣粤银行广州分行
(a bank: 金融许可证, two loans stating their 年化利率) and 广州仁和医院 (a hospital: 医疗机构
执业许可证, health checks without treatment claims) — each applied for by its demo back-office
user, who thereby became its administrator (the sign-in table's 服务商后台 rows).

广东省江西商会 offers both providers' services to its members, 中山市江西商会 the bank's;
members applied with consent (the providers hold leads with exactly the consented fields),
the bank called one back (已联系, with a note), and one member rated the health check.
Everything through the providers' services; deterministic."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

from shanghui.accounts.demo import demo_user
from shanghui.accounts.models import User
from shanghui.accounts.services.account import current_privacy_notice
from shanghui.associations.models import Association
from shanghui.core.demo import (
    BANK,
    GDJX,
    HOSPITAL,
    OPERATOR_PHONE,
    ZSJX,
    DemoContext,
    DemoProvider,
)
from shanghui.core.demo_data import org_body, uscc
from shanghui.core.pdf import FONT_REGULAR
from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.members.models import Member, Person
from shanghui.providers.models import (
    LICENCES,
    ConsentField,
    Lead,
    Offer,
    OfferApplication,
    Provider,
)
from shanghui.providers.selectors.offers import applicant_members
from shanghui.providers.services.applications import (
    ApplicationInput,
    application_create,
    application_rate,
)
from shanghui.providers.services.choices import offer_choose
from shanghui.providers.services.leads import lead_note_add, lead_status_set
from shanghui.providers.services.offers import OfferInput, offer_create, offer_publish
from shanghui.providers.services.providers import (
    ProviderApplicationInput,
    provider_apply,
    provider_approve,
)

LOAN_TITLE = "商会会员专属经营贷"
CHECKUP_TITLE = "商会会员年度健康体检套餐"

DETAILS: dict[str, dict[str, str]] = {
    BANK.slug: {
        "licence_number": "B0341B244010001",
        "region_code": "440104",
        "website": "https://www.gyyh.example.cn",
        "introduction": (
            "赣粤银行广州分行设有营业网点28个，专设商会金融服务中心，为在粤赣商及商会会员企业"
            "提供经营贷款、供应链金融、结算和代发工资等一站式金融服务。"
        ),
    },
    HOSPITAL.slug: {
        "licence_number": "PDY00321844010617A1002",
        "region_code": "440106",
        "website": "https://www.renhe-hospital.example.cn",
        "introduction": (
            "广州仁和医院是一所二级综合医院，设健康管理中心、内科、外科、妇科、口腔科和影像中心，"
            "为企业提供团体健康体检、职业健康检查和家庭医生签约服务。"
        ),
    },
}

OFFERS: dict[str, list[OfferInput]] = {
    BANK.slug: [
        OfferInput(
            title=LOAN_TITLE,
            summary="面向商会会员企业的流动资金贷款，最高500万元，随借随还，商会推荐优先审批。",
            body=(
                "申请条件：商会在册会员企业，成立满2年，近一年纳税正常，企业及法定代表人征信良好。\n"
                "额度期限：单户最高500万元，期限最长3年，可循环使用。\n"
                "担保方式：信用、保证或抵押，商会推荐企业可适当提高信用额度。\n"
                "利率以最终审批为准，年化利率3.45%至6.2%，不收取任何额外费用。"
            ),
            annual_rate_min="3.45",
            annual_rate_max="6.2",
            region_codes="440000,360000",
        ),
        OfferInput(
            title="会员企业纳税信用贷（线上申请）",
            summary="凭纳税记录线上申请，纯信用、免抵押，最高300万元，最快当天放款。",
            body=(
                "适用对象：纳税信用等级B级以上、连续纳税满2年的会员企业。\n"
                "额度期限：最高300万元，期限12个月，按日计息，随借随还。\n"
                "年化利率3.6%至7.8%，按企业纳税及经营情况核定。"
            ),
            annual_rate_min="3.6",
            annual_rate_max="7.8",
            region_codes="440000",
        ),
    ],
    HOSPITAL.slug: [
        OfferInput(
            title=CHECKUP_TITLE,
            summary="商会会员及家属专享年度体检套餐，男士、女士各一款，会员价8折，可预约周末。",
            body=(
                "套餐包含：一般检查、血常规、肝肾功能、血脂血糖、甲状腺功能、肿瘤标志物筛查、"
                "心电图、胸部CT、腹部彩超，女士另含乳腺及妇科彩超。\n"
                "服务方式：线上预约，体检当天专人陪检，报告出具后由健康管理医生一对一解读。\n"
                "体检结果仅供健康评估参考，如需进一步诊疗将建议到相应专科就诊。"
            ),
            region_codes="440100",
        ),
        OfferInput(
            title="企业员工团体健康体检",
            summary="20人以上团体体检可上门采血，按岗位定制项目，出具企业员工健康分析报告。",
            body=(
                "可按行业和岗位定制体检项目（含职业健康检查），50人以上可安排体检车上门，"
                "体检后出具企业员工健康分析报告并开展健康讲座。"
            ),
            region_codes="440100,441900,440600",
        ),
    ],
}

BANK_NOTE = (
    "已电话联系刘总，企业有约200万元流动资金需求，用于传感器模组采购备货；已预约下周二上门"
    "收集营业执照、近一年财务报表和纳税证明。"
)


def seed(ctx: DemoContext) -> None:
    rng = random.Random("shanghui-demo:providers")
    operator = ctx.users[OPERATOR_PHONE]
    notice = current_privacy_notice()
    providers: dict[str, Provider] = {}
    offers: dict[str, list[Offer]] = {}
    for demo in (BANK, HOSPITAL):
        user = demo_user(phone=demo.user_phone, name=demo.user_name, notice=notice)
        ctx.users[demo.user_phone] = user
        provider = _apply(demo, user, rng)
        provider_approve(actor=operator, provider=provider)
        providers[demo.slug] = provider
        with provider_context(provider):
            offers[demo.slug] = [
                offer_publish(
                    actor=user, offer=offer_create(actor=user, provider=provider, data=data)
                )
                for data in OFFERS[demo.slug]
            ]
    gdjx, zsjx = ctx.associations[GDJX.slug], ctx.associations[ZSJX.slug]
    with tenant_context(gdjx):
        for offer in offers[BANK.slug] + offers[HOSPITAL.slug]:
            offer_choose(association=gdjx, actor=ctx.users[GDJX.admin_phone], offer=offer)
    with tenant_context(zsjx):
        for offer in offers[BANK.slug]:
            offer_choose(association=zsjx, actor=ctx.users[ZSJX.admin_phone], offer=offer)
    loan, tax_loan = offers[BANK.slug]
    checkup, group_checkup = offers[HOSPITAL.slug]
    liu = ctx.users[GDJX.member_phone]
    with tenant_context(gdjx):
        liu_loan = _apply_to(gdjx, liu, loan, enterprise=True)
        liu_checkup = _apply_to(gdjx, liu, checkup, enterprise=False)
        others = _other_members(gdjx, liu)
        for user, offer in zip(others, [tax_loan, group_checkup, loan], strict=False):
            _apply_to(gdjx, user, offer, enterprise=True)
    with tenant_context(zsjx):
        _apply_to(zsjx, ctx.users[ZSJX.member_phone], loan, enterprise=True)
    bank_user, hospital_user = ctx.users[BANK.user_phone], ctx.users[HOSPITAL.user_phone]
    with provider_context(providers[BANK.slug]):
        lead = Lead.objects.get(provider=providers[BANK.slug], application_id=liu_loan.pk)
        lead_note_add(actor=bank_user, lead=lead, text=BANK_NOTE)
        lead_status_set(actor=bank_user, lead=lead, status=Lead.Status.CONTACTED)
    with provider_context(providers[HOSPITAL.slug]):
        lead = Lead.objects.get(provider=providers[HOSPITAL.slug], application_id=liu_checkup.pk)
        lead_note_add(actor=hospital_user, lead=lead, text="已预约周六上午体检，报告已解读。")
        lead_status_set(actor=hospital_user, lead=lead, status=Lead.Status.SERVED)
    with tenant_context(gdjx):
        application_rate(
            association=gdjx,
            actor=liu,
            application=liu_checkup,
            rating=5,
            comment="周末也能预约，陪检很细心，报告解读讲得清楚。",
        )


def licence_scan(demo: DemoProvider, number: str) -> bytes:
    """A small PNG standing for the licence's scan: its name, holder and number in the
    embedded CJK font."""
    picture = Image.new("RGB", (900, 600), "#fbf7ee")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([20, 20, 880, 580], outline="#b22222", width=6)
    title = ImageFont.truetype(str(FONT_REGULAR), 56)
    text = ImageFont.truetype(str(FONT_REGULAR), 30)
    draw.text((450, 120), str(LICENCES[demo.category]), font=title, fill="#b22222", anchor="mm")
    draw.text((120, 260), f"机构名称：{demo.name}", font=text, fill="black")
    draw.text((120, 330), f"编　　号：{number}", font=text, fill="black")
    draw.text((120, 400), "（演示用样本，非真实证照）", font=text, fill="#666666")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _apply(demo: DemoProvider, user: User, rng: random.Random) -> Provider:
    details = DETAILS[demo.slug]
    provider = provider_apply(
        actor=user,
        data=ProviderApplicationInput(
            name=demo.name,
            category=demo.category,
            uscc=uscc("91", "440100", org_body(rng, new_style="MA")),
            licence_number=details["licence_number"],
            region_code=details["region_code"],
            contact_name=demo.user_name,
            contact_phone=demo.user_phone,
            introduction=details["introduction"],
            website=details["website"],
        ),
        licence=io.BytesIO(licence_scan(demo, details["licence_number"])),
        licence_name=f"{LICENCES[demo.category]}.png",
    )
    # The demo's back office has an address to remember (/p/gyyh-gz/) rather than a random one.
    Provider.objects.filter(pk=provider.pk).update(slug=demo.slug)
    provider.slug = demo.slug
    return provider


def _apply_to(
    association: Association, user: User, offer: Offer, *, enterprise: bool
) -> OfferApplication:
    """``user`` applies, sharing their name and phone — and, for a business service, their
    enterprise's name, credit code and region."""
    members = applicant_members(association=association, user=user)
    member = next((m for m in members if m.kind == Member.Kind.ENTERPRISE), None)
    fields = [ConsentField.NAME, ConsentField.PHONE]
    if enterprise and member is not None:
        fields += [ConsentField.ENTERPRISE, ConsentField.USCC, ConsentField.REGION]
    return application_create(
        association=association,
        actor=user,
        offer=offer,
        data=ApplicationInput(
            fields=[str(f) for f in fields],
            member=member if enterprise else None,
            agree=True,
        ),
    )


def _other_members(association: Association, besides: User) -> list[User]:
    """A few members with accounts (the network seed linked the posters' accounts)."""
    ids = (
        Person.objects.filter(association=association, user__isnull=False)
        .exclude(user=besides)
        .order_by("id")
        .values_list("user_id", flat=True)[:3]
    )
    return list(User.objects.filter(pk__in=list(ids)).order_by("id"))
