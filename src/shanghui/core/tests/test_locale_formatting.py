"""Dates, amounts, region names and the audit log read in the reader's language: English
readers see "Jan 20, 14:00" and "¥44.05 million", 繁體 readers 萬/億 and 廣東省, and nobody
sees an audit code such as ``role.grant`` or a field name such as ``joined_on``."""

import re
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django.utils.formats import get_format

from shanghui.core.audit import action_label, audit, entry_summary
from shanghui.core.formats import CUSTOM_FORMATS
from shanghui.core.models import AuditEntry
from shanghui.core.money import format_cny_short
from shanghui.core.regions import region_display_name
from shanghui.core.tenancy import tenant_context
from shanghui.members.services import members as member_services
from shanghui.testing.fixtures import Side, client_for

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SOURCE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", CUSTOM_FORMATS)
def test_every_language_defines_every_named_format(language: str, name: str) -> None:
    # Django prints a name it cannot find literally: "MONTH_DAY_TIME_FORMAT" on the page.
    with translation.override(language):
        assert get_format(name) != name


def test_an_event_time_reads_in_the_readers_language() -> None:
    starts = datetime(2027, 1, 20, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    template = Template('{{ starts|date:"MONTH_DAY_TIME_FORMAT" }}')
    shown = {}
    for language in LANGUAGES:
        with translation.override(language):
            shown[language] = template.render(Context({"starts": starts}))
    assert shown == {"zh-hans": "1月20日 14:00", "zh-hant": "1月20日 14:00", "en": "Jan 20, 14:00"}


def test_no_page_writes_a_chinese_date_format_itself() -> None:
    # Printed certificates and receipts are Chinese documents and keep 年月日; pages name a
    # format (core/formats) so that each language reads its own.
    written = re.compile(r'\|date:"[^"]*[年月日][^"]*"')
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("templates/**/*.html")
        if "/pdf/" not in str(path) and written.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_large_amounts_in_each_language() -> None:
    assert format_cny_short("44053000", "zh-hans") == "¥4405.3万"
    assert format_cny_short("44053000", "zh-hant") == "¥4405.3萬"
    assert format_cny_short("44053000", "en") == "¥44.05 million"
    assert format_cny_short("250000000", "zh-hant") == "¥2.5億"
    assert format_cny_short("2500000000", "en") == "¥2.5 billion"
    assert format_cny_short("125000", "en") == "¥125,000"
    # Rounded to what is shown: just under a hundred million is 1亿, never 10000万; and
    # just under a billion is "1 billion", never "1000 million".
    assert format_cny_short("99999999.99", "zh-hans") == "¥1亿"
    assert format_cny_short("999999999.99", "en") == "¥1 billion"
    with translation.override("en"):
        assert format_cny_short("3500000") == "¥3.5 million"


def test_region_names_in_traditional_characters() -> None:
    with translation.override("zh-hant"):
        assert region_display_name("360731") == "江西省贛州市于都縣"
    with translation.override("zh-hans"):
        assert region_display_name("360731") == "江西省赣州市于都县"


def test_the_region_picker_and_its_endpoint_follow_the_language() -> None:
    from shanghui.core.forms import RegionField

    field = RegionField()
    with translation.override("zh-hant"):
        html = field.widget.render("hometown", "360731")
    assert '<option value="360700" selected>贛州市</option>' in html
    assert "?lang=zh-hant" in html
    children = Client().get("/regions/360700/?lang=zh-hant").json()["children"]
    assert {"code": "360731", "name": "于都縣"} in children
    children = Client().get("/regions/360700/?lang=zh-hans").json()["children"]
    assert {"code": "360731", "name": "于都县"} in children


def _literal_codes() -> set[str]:
    """Every audit code the services write as a literal."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action=" in line:
                # ``action="org.chart.publish" if … else "org.chart.unpublish"`` names two
                found.update(re.findall(r'(?<!f)"([a-z_]+(?:\.[a-z_]+)+)"', line))
    return found


def test_every_audit_code_has_a_label() -> None:
    codes = _literal_codes()
    assert len(codes) > 100, codes  # the scan found the services
    unlabelled = sorted(code for code in codes if action_label(code) == code)
    assert unlabelled == []


def test_codes_of_a_family_name_their_status() -> None:
    with translation.override("zh-hans"):
        assert action_label("member.status.withdrawn") == "会员状态改为“退会”"
        assert action_label("events.registration.cancelled") == "报名改为“已取消”"
        assert action_label("job.members.export") == "开始后台任务"
    with translation.override("en"):
        assert action_label("role.grant") != "role.grant"
        assert re.search(r"[\u4e00-\u9fff]", action_label("role.grant")) is None


def test_a_member_change_names_the_changed_fields_in_the_readers_language(
    side_a: Side,
) -> None:
    association, member = side_a.association, side_a.member
    with tenant_context(association):
        kept = {
            f.name: getattr(member, f.name) or ""
            for f in fields(member_services.MemberInput)
            if f.name not in {"level_id", "joined_on", "representatives"}
        }
        data = member_services.MemberInput(
            **kept, level_id=member.level_id, joined_on=date(2006, 9, 16)
        )
        member_services.member_update(
            association=association, actor=side_a.admin, member=member, data=data
        )
        entry = AuditEntry.objects.filter(action="member.update").latest("pk")
    assert entry.data == {"fields": ["joined_on"]}
    with translation.override("zh-hans"):
        assert entry_summary(entry) == "入会日期"
    with translation.override("en"):
        assert entry_summary(entry) not in {"入会日期", "joined_on"}


def test_entries_written_before_keep_reading_by_field_name(side_a: Side) -> None:
    # Entries of before this change held the changed fields in the summary itself.
    with tenant_context(side_a.association):
        audit(
            actor=side_a.admin,
            action="member.update",
            association=side_a.association,
            target=side_a.member,
            summary="joined_on,name",
        )
        entry = AuditEntry.objects.latest("pk")
    with translation.override("zh-hans"):
        assert entry_summary(entry) == "入会日期、名称"


def test_the_audit_log_page_shows_labels_not_codes(side_a: Side) -> None:
    with tenant_context(side_a.association):
        audit(
            actor=side_a.admin,
            action="role.grant",
            association=side_a.association,
            target=side_a.member,
            summary="甲市会员",
        )
    side_a.admin.language = "en"
    side_a.admin.save(update_fields=["language"])
    page = client_for(side_a.admin).get(f"/a/{side_a.association.slug}/office/audit/")
    html = page.content.decode()
    assert page.status_code == 200
    with translation.override("en"):
        assert action_label("role.grant") in html
    assert ">role.grant<" not in html


def test_a_member_card_names_region_and_industry_in_the_readers_script(side_a: Side) -> None:
    from shanghui.members.models import Member

    with tenant_context(side_a.association):
        Member.objects.filter(pk=side_a.member.pk).update(region_code="360731", industry_code="39")
    side_a.member_user.language = "zh-hant"
    side_a.member_user.save(update_fields=["language"])
    url = f"/a/{side_a.association.slug}/directory/{side_a.member.pk}/"
    html = client_for(side_a.member_user).get(url).content.decode()
    assert "江西省贛州市于都縣" in html and "企業會員" in html
    assert "計算機、通信和其他電子設備製造業" in html
    side_a.member_user.language = "zh-hans"
    side_a.member_user.save(update_fields=["language"])
    html = client_for(side_a.member_user).get(url).content.decode()
    assert "江西省赣州市于都县" in html and "计算机、通信和其他电子设备制造业" in html
