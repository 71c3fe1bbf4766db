"""Demo seed: the provincial chamber's library (资料库) — a year folder and a council meeting
made from the folder templates, a members' folder and a council-only one, real files of the
kinds a secretariat keeps (PDF made with the platform's own PDF renderer, an Excel sheet, a
photo), a file with three versions, and one in the trash."""

import io
from datetime import date, timedelta

from django.utils import timezone
from openpyxl import Workbook
from PIL import Image, ImageDraw

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceChoice
from shanghui.core.demo import PROVINCIAL, DemoContext
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, Folder
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.org.audience import COUNCIL


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from django.template import engines
    from weasyprint import HTML

    from shanghui.core.pdf import font_css

    html = (
        engines["django"]
        .from_string(
            "<html><head><style>{{ css|safe }} body{font-family:'Noto Sans CJK SC',sans-serif;"
            "margin:2cm} h1{font-size:20pt;text-align:center}</style></head><body>"
            "<h1>{{ title }}</h1>{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}</body></html>"
        )
        .render({"css": font_css(), "title": title, "paragraphs": paragraphs})
    )
    return HTML(string=html).write_pdf()


def _sheet() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "理事会名单"
    sheet.append(["序号", "职务", "姓名", "企业"])
    rows = [
        ("会长", "龚志军", "广东赣商实业集团有限公司"),
        ("常务副会长", "刘建华", "深圳赣鄱科技有限公司"),
        ("副会长", "曾晓燕", "广州豫章贸易有限公司"),
        ("秘书长", "单文涛", "广东省江西商会秘书处"),
    ]
    for number, row in enumerate(rows, 1):
        sheet.append([number, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _photo() -> bytes:
    picture = Image.new("RGB", (960, 540), (178, 34, 34))
    draw = ImageDraw.Draw(picture)
    for y in range(540):
        draw.line([(0, y), (960, y)], fill=(178 - y // 6, 34 + y // 10, 34))
    draw.rectangle([80, 380, 880, 460], fill=(250, 240, 230))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed(ctx: DemoContext) -> None:
    association = ctx.associations[PROVINCIAL.slug]
    admin = ctx.users.get(PROVINCIAL.admin_phone)
    if admin is None:
        return
    with tenant_context(association):
        _seed(association, admin)


def _seed(association: Association, admin: User) -> None:
    root = folder_services.root_folder(association)
    year = date.today().year

    def folder(parent: Folder, name: str, audience: str | None = None) -> Folder:
        return folder_services.folder_create(
            association=association, actor=admin, parent=parent, name=name, audience=audience
        )

    def upload(into: Folder, name: str, data: bytes) -> None:
        file_services.file_upload(
            association=association, actor=admin, folder=into, name=name, source=io.BytesIO(data)
        )

    this_year = folder_services.folder_create_from_template(
        association=association, actor=admin, parent=root, name=f"{year}年", template="year"
    )
    meeting = folder_services.folder_create_from_template(
        association=association,
        actor=admin,
        parent=root,
        name="第五届第三次理事会",
        template="meeting",
    )
    members = folder(root, "会员学习资料", Folder.Audience.MEMBERS)
    council = folder(root, "理事会内部文件")
    folder_services.folder_update(
        association=association,
        actor=admin,
        folder=council,
        audience=Folder.Audience.RULES,
        audience_choices=[AudienceChoice(kind=COUNCIL, target_ids=[], chosen=True)],
    )
    children = {f.name: f for f in Folder.objects.filter(association=association, parent=this_year)}
    meeting_children = {
        f.name: f for f in Folder.objects.filter(association=association, parent=meeting)
    }

    upload(
        root,
        "广东省江西商会章程.pdf",
        _pdf(
            "广东省江西商会章程",
            [
                "第一条　本会名称为广东省江西商会。",
                "第二条　本会是由在广东投资兴业的江西籍企业自愿组成的非营利性社会组织。",
                "第三条　本会的宗旨是：团结、服务、自律、发展，促进赣粤两地经济交流与合作。",
            ],
        ),
    )
    # The minutes were corrected twice: three versions.
    minutes = "第五届第三次理事会会议纪要.pdf"
    for draft in ("初稿", "修改稿", "定稿"):
        upload(
            meeting_children["会议纪要"],
            minutes,
            _pdf(
                f"第五届第三次理事会会议纪要（{draft}）",
                [
                    "时间：本年三月十五日上午九时　地点：广州市天河区商会会议室",
                    "会议审议通过了年度工作报告、财务报告及新会员入会申请。",
                    "会议决定于下半年组织会员企业赴江西开展招商考察活动。",
                ],
            ),
        )
    upload(meeting_children["会议材料"], "理事会名单.xlsx", _sheet())
    upload(children["活动照片"], "年会合影.jpg", _photo())
    upload(
        members,
        "《民营经济促进法》要点解读.pdf",
        _pdf(
            "《民营经济促进法》要点解读",
            ["一、保障民营经济组织公平参与市场竞争。", "二、完善融资支持政策，缓解融资难题。"],
        ),
    )
    upload(
        council,
        f"{year}年度预算草案.pdf",
        _pdf(f"{year}年度预算草案", ["本草案提交理事会审议，请勿外传。"]),
    )
    # Something deleted last week, waiting in the trash.
    upload(children["通知公告"], "已作废的旧通知.pdf", _pdf("已作废的旧通知", ["此通知已作废。"]))
    old = DriveFile.objects.get(association=association, name="已作废的旧通知.pdf")
    file_services.file_delete(association=association, actor=admin, file=old)
    DriveFile.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=6))
