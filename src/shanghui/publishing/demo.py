"""Demo seed: a year of the provincial chamber's news (资讯) in its four categories — some
pinned, some for members only, one for the council, one scheduled for next week, one waiting
for review and one draft — with revisions, view counts, the demo member's reads, and the
public ones shared to the platform portal."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.demo import PROVINCIAL, DemoContext
from shanghui.core.models import AudienceRule
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import (
    ARTICLE_TYPE,
    Article,
    ArticleRead,
    ArticleRevision,
    SiteSettings,
)
from shanghui.publishing.selectors import categories_ensure
from shanghui.publishing.services.articles import portal_sync

NEWS, MEMBERS, POLICY, CHARITY = "商会动态", "会员风采", "政策解读", "公益活动"


@dataclass
class Story:
    title: str
    category: str
    days_ago: int  # negative: scheduled in the future
    paragraphs: tuple[str, ...]
    audience: str = Article.Audience.PUBLIC
    status: str = Article.Status.PUBLISHED
    pinned: bool = False
    tags: tuple[str, ...] = ()


STORIES = (
    Story("我会召开2026年度会员大会暨新春年会", NEWS, 12, (
        "1月18日，广东省江西商会2026年度会员大会暨新春年会在广州白云国际会议中心隆重举行，八百余名会员企业代表和嘉宾欢聚一堂。",
        "会长作年度工作报告，回顾了商会一年来在服务会员、招商引资、公益慈善等方面取得的成绩，并对新一年的工作作出部署。",
        "大会表彰了一批优秀会员企业和先进个人，并举行了江西籍企业家赣粤合作项目签约仪式。",
    ), pinned=True, tags=("年会", "会员大会")),
    Story("关于2026年度会费缴纳的通知", NEWS, 20, (
        "根据商会章程和会员大会决议，2026年度会费收缴工作现已启动，请各会员单位于3月31日前完成缴纳。",
        "会员可在“我的会费”中查看账单并在线确认，也可通过银行转账方式缴纳，转账时请注明单位名称。",
    ), audience=Article.Audience.MEMBERS, pinned=True, tags=("会费",)),
    Story("赣粤经贸合作交流会在南昌举行", NEWS, 35, (
        "应江西省商务厅邀请，我会组织二十余家会员企业赴南昌参加赣粤经贸合作交流会。",
        "交流会上，双方围绕电子信息、新能源、现代农业等产业开展对接，现场签约项目十二个，总投资额逾三十亿元。",
    ), tags=("招商引资", "赣粤合作")),
    Story("第三届理事会第五次会议召开", NEWS, 48, (
        "第三届理事会第五次会议在商会会议室召开，会议审议通过了年度财务报告和新会员入会申请。",
        "会议还讨论了专业委员会调整方案，决定新设数字经济专业委员会。",
    ), audience=Article.Audience.MEMBERS, tags=("理事会",)),
    Story("商会党支部开展主题党日活动", NEWS, 62, (
        "商会党支部组织党员赴中共三大会址纪念馆开展主题党日活动，重温入党誓词，接受革命传统教育。",
    )),
    Story("会长率队走访东莞会员企业", NEWS, 80, (
        "会长一行先后走访了位于东莞松山湖的三家会员企业，深入生产车间了解企业经营情况和发展需求。",
        "会长表示，商会将进一步做好政策宣讲和资源对接，帮助会员企业解决融资、用工等实际困难。",
    ), tags=("走访",)),
    Story("商会秘书处办公地址变更公告", NEWS, 95, (
        "因工作需要，商会秘书处自即日起迁至广州市天河区珠江新城华夏路某号写字楼二十层办公，联系电话不变。",
    )),
    Story("商会与省内多家银行签署战略合作协议", NEWS, 110, (
        "为缓解会员企业融资难题，商会与省内五家银行签署战略合作协议，意向授信总额达五十亿元。",
        "会员企业可通过商会秘书处申请专项信贷产品，享受优先审批和利率优惠。",
    ), audience=Article.Audience.MEMBERS, tags=("金融服务",)),
    Story("江西省领导亲切会见我会代表团", NEWS, 140, (
        "在赣期间，江西省有关领导亲切会见了我会代表团，对商会多年来为家乡经济社会发展所作贡献给予充分肯定。",
    )),
    Story("我会荣获“5A级社会组织”称号", NEWS, 170, (
        "经广东省民政厅评估，广东省江西商会被评为5A级社会组织，这是对商会规范化建设和服务能力的充分肯定。",
    ), tags=("荣誉",)),
    Story("会员企业家张建华：从打工仔到行业龙头", MEMBERS, 25, (
        "二十多年前，张建华只身从赣南来到深圳，在一家电子厂当流水线工人。",
        "凭着一股不服输的劲头，他从学徒做起，创办了自己的电子元器件企业，如今企业年产值超过十亿元。",
        "“商会就像娘家，遇到困难时总有人搭把手。”谈起商会，张建华这样说。",
    ), tags=("会员故事",)),
    Story("会员企业晨光智造登陆创业板", MEMBERS, 58, (
        "会员企业晨光智能制造股份有限公司在深交所创业板挂牌上市，商会发去贺信并组织会员代表前往观礼。",
    ), tags=("上市",)),
    Story("“赣商精神”分享会：三代人的创业路", MEMBERS, 90, (
        "本期分享会邀请三位不同年代的会员企业家讲述各自的创业经历，现场两百余名青年企业家聆听分享。",
    ), audience=Article.Audience.MEMBERS),
    Story("青年企业家委员会举办读书沙龙", MEMBERS, 125, (
        "青年企业家委员会举办第十二期读书沙龙，围绕《数字化转型实践》一书展开讨论。",
    )),
    Story("会员企业助力家乡乡村振兴纪实", MEMBERS, 160, (
        "多家会员企业在江西老区投资建设现代农业产业园，带动当地两千余户农户增收。",
    ), tags=("乡村振兴",)),
    Story("优秀会员企业风采展示（第三期）", MEMBERS, 200, (
        "本期展示五家在智能制造、现代物流和建筑工程领域表现突出的会员企业。",
    )),
    Story("会员企业家获评“广东省优秀民营企业家”", MEMBERS, 240, (
        "我会三位常务副会长获评广东省优秀民营企业家，商会向他们表示热烈祝贺。",
    )),
    Story("解读：2026年小微企业税费优惠政策", POLICY, 15, (
        "财政部、税务总局近日发布公告，延续实施小微企业和个体工商户所得税优惠政策。",
        "对小型微利企业年应纳税所得额不超过三百万元的部分，减按百分之二十五计入应纳税所得额，按百分之二十的税率缴纳企业所得税。",
        "商会将联合专业机构举办政策宣讲会，欢迎会员企业报名参加。",
    ), pinned=False, tags=("税收", "小微企业")),
    Story("广东省促进民营经济发展若干措施要点", POLICY, 70, (
        "广东省出台促进民营经济发展若干措施，从市场准入、要素保障、融资支持等方面提出具体举措。",
    ), tags=("民营经济",)),
    Story("数据出境安全评估办法问答", POLICY, 105, (
        "针对会员企业关心的数据出境合规问题，商会法律服务委员会整理了十个常见问题并逐一解答。",
    ), audience=Article.Audience.MEMBERS, tags=("合规",)),
    Story("一文读懂新版《公司法》对中小企业的影响", POLICY, 150, (
        "新修订的《公司法》自2024年7月1日起施行，注册资本认缴期限、股东责任等规定有重大调整。",
    ), tags=("公司法",)),
    Story("外贸企业出口退税政策更新", POLICY, 215, (
        "国家税务总局优化出口退税办理流程，正常出口退税的平均办理时间压缩至三个工作日以内。",
    )),
    Story("人社部门稳岗补贴申领指南", POLICY, 350, (
        "符合条件的参保企业可申领稳岗返还，本文梳理了申领条件、标准和流程。",
    ), audience=Article.Audience.MEMBERS),
    Story("商会向江西受灾地区捐款捐物", CHARITY, 40, (
        "江西部分地区遭受洪涝灾害后，商会第一时间发出倡议，会员企业和个人累计捐款捐物价值逾六百万元。",
    ), tags=("抗洪救灾",)),
    Story("“助学圆梦”计划资助百名寒门学子", CHARITY, 130, (
        "商会“助学圆梦”计划今年资助江西籍家庭困难大学新生一百名，每人资助五千元。",
    ), tags=("助学",)),
    Story("商会志愿者走进广州敬老院", CHARITY, 185, (
        "重阳节前夕，商会志愿者服务队走进广州市某敬老院，为老人们送去慰问品并表演文艺节目。",
    )),
    Story("公益植树活动在从化举行", CHARITY, 280, (
        "商会组织会员企业代表及家属一百余人在从化开展公益植树活动，共种下树苗五百余株。",
    )),
    Story("理事会内部通报：换届筹备工作安排", NEWS, 8, (
        "根据章程，第三届理事会任期将于今年届满，换届筹备工作小组已经成立，请各位理事按时反馈意见。",
    ), audience=Article.Audience.RULES, tags=("换届",)),
    Story("2026年赣商大会报名即将开启", NEWS, -7, (
        "第十届赣商大会将于今年秋季在南昌召开，报名通道将于下周开启，敬请关注。",
    ), tags=("赣商大会",)),
    Story("会员企业数字化转型调研报告（征求意见稿）", POLICY, 3, (
        "商会联合高校开展会员企业数字化转型调研，形成调研报告征求意见稿，现提交审核。",
    ), audience=Article.Audience.MEMBERS, status=Article.Status.REVIEW),
    Story("春季会员联谊活动方案（草稿）", NEWS, 1, (
        "拟于四月中旬组织会员赴江西婺源开展春季联谊活动，具体方案待定。",
    ), audience=Article.Audience.MEMBERS, status=Article.Status.DRAFT),
)  # fmt: skip


def seed(ctx: DemoContext) -> None:
    association = ctx.associations[PROVINCIAL.slug]
    admin = ctx.users.get(PROVINCIAL.admin_phone)
    demo_member = ctx.users.get(PROVINCIAL.member_phone)
    rng = random.Random("shanghui-demo:publishing")
    with tenant_context(association):
        _seed(association, admin, demo_member, rng)


def _seed(
    association: Association, admin: User | None, demo_member: User | None, rng: random.Random
) -> None:
    categories = {c.name: c for c in categories_ensure(association)}
    now = timezone.now().replace(second=0, microsecond=0)
    articles = []
    for story in STORIES:
        published = story.status == Article.Status.PUBLISHED
        at = now - timedelta(days=story.days_ago, hours=rng.randint(0, 8))
        articles.append(
            Article(
                association=association,
                title=story.title,
                summary=story.paragraphs[0][:120],
                body="".join(f"<p>{p}</p>" for p in story.paragraphs),
                tags=list(story.tags),
                author_name="商会秘书处",
                author=admin,
                category=categories[story.category],
                status=story.status,
                audience=story.audience,
                published_at=at if published else None,
                published_by=admin if published else None,
                pinned=story.pinned,
                view_count=rng.randint(80, 2400) if published and story.days_ago > 0 else 0,
            )
        )
    Article.objects.bulk_create(articles)
    ArticleRevision.objects.bulk_create(
        ArticleRevision(
            association=association,
            article=a,
            title=a.title,
            summary=a.summary,
            body=a.body,
            saved_by=admin,
        )
        for a in articles
    )
    for article in articles:
        if article.audience == Article.Audience.RULES:
            AudienceRule.objects.create(
                association=association, owner_type=ARTICLE_TYPE, owner_id=article.pk,
                kind="council",
            )  # fmt: skip
    if demo_member is not None:
        ArticleRead.objects.bulk_create(
            ArticleRead(association=association, article=a, user=demo_member)
            for a in articles
            if a.audience == Article.Audience.MEMBERS
            and a.status == Article.Status.PUBLISHED
            and a.published_at is not None
            and a.published_at < now - timedelta(days=30)
        )
    SiteSettings.objects.update_or_create(
        association=association, defaults={"share_news_to_portal": True}
    )
    for article in articles:
        portal_sync(association=association, article=article)
