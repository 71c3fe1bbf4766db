"""The demo's sponsored students: five of a 2017 cohort who graduated and found work and ten
of each cohort since 2021, with their sponsors, terms paid (booked in the ledger), yearly
visits and academic records."""

import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.conf import settings

from shanghui.associations.models import Association
from shanghui.charity.demo.base import (
    SCHOOLS,
    SEED_TODAY,
    Ledger,
    cash_gift,
    donor_of,
)
from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Disbursement,
    Partner,
    Sponsorship,
    Visit,
)
from shanghui.core.encryption import blind_index, field_encrypt
from shanghui.members.models import Member

SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢罗邓钟赖曾温邱叶廖彭"


GIVEN = [
    "思雨",
    "子涵",
    "浩然",
    "雨欣",
    "俊杰",
    "佳怡",
    "宇航",
    "欣怡",
    "志强",
    "晓琳",
    "梓萱",
    "文博",
    "嘉豪",
    "诗涵",
    "明轩",
    "婷婷",
    "家乐",
    "雅琪",
    "振宇",
    "秋月",
]


GRADES = ["高一", "高二", "高三", "大一", "大二", "大三", "大四"]


UNIVERSITIES = ["华南理工大学", "南昌大学", "广东工业大学", "江西师范大学", "暨南大学"]


FAMILIES = [
    "父亲因病去世，母亲务农，家有两个弟妹在读",
    "父母在外务工收入微薄，与祖父母同住",
    "父亲残疾，母亲打零工，家庭为建档立卡户",
    "单亲家庭，母亲患慢性病需长期服药",
]


PER_TERM = Decimal("3000.00")


def _terms(starts: date, ends: date) -> Iterator[tuple[str, date]]:
    """School terms (学期) from ``starts`` until ``ends``: their name and payment date."""
    year = starts.year
    while True:
        for name, due in (
            (f"{year}年秋季学期", date(year, 9, 10)),
            (f"{year + 1}年春季学期", date(year + 1, 3, 1)),
        ):
            if due < starts:
                continue
            if due > ends:
                return
            yield name, due
        year += 1


def _id_number(rng: random.Random, region: str, born: date) -> str:
    body = f"{region}{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def sponsorships(
    ledger: Ledger,
    rng: random.Random,
    members: list[Member],
    campaign: Campaign,
    partners: dict[str, Partner],
) -> tuple[
    list[Beneficiary], list[Sponsorship], list[Disbursement], list[Visit], list[AcademicRecord]
]:
    """55 students: five of a 2017 cohort who graduated and found work, ten of each cohort
    since 2021. Paid terms are booked in the ledger as the sponsor's gifts."""
    association = ledger.association
    encrypting = bool(settings.FIELD_ENCRYPTION_KEYS and settings.FIELD_BLIND_INDEX_KEY)
    sponsors = members[1:12] or members
    students, sponsorships, disbursements, visits, records = [], [], [], [], []
    cohorts = [(2017, 5)] + [(year, 10) for year in range(2021, 2026)]
    n = 0
    for cohort, size in cohorts:
        for _ in range(size):
            school_name, region = SCHOOLS[n % 6]
            school = partners[school_name]
            university = UNIVERSITIES[n % len(UNIVERSITIES)]
            in_university = date(cohort + 3, 9, 1)
            born = date(cohort - 15, rng.randint(1, 12), rng.randint(1, 28))
            starts = date(cohort, 9, 1)
            graduated = cohort == 2017
            student = Beneficiary(
                association=association,
                name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)],
                gender=rng.choice("mf"),
                birth_date=born,
                region_code=region,
                school=school if cohort >= 2024 else None,
                school_name=school_name if cohort >= 2024 else university,
                stage=Beneficiary.Stage.EMPLOYED
                if graduated
                else (
                    Beneficiary.Stage.HIGH_SCHOOL
                    if cohort >= 2024
                    else Beneficiary.Stage.UNIVERSITY
                ),
                grade="" if graduated else GRADES[SEED_TODAY.year - cohort],
                guardian_name=SURNAMES[n % len(SURNAMES)] + "建国",
                guardian_relation=rng.choice(["父亲", "母亲", "祖父", "祖母"]),
                guardian_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
                guardian_consent_on=starts,
                sensitive_consent_on=starts,
                consent_note="监护人签署纸质同意书（含敏感个人信息单独同意），原件存秘书处",
                graduated_on=date(2024, 6, 30) if graduated else None,
                outcome="本科毕业，入职深圳一家电子科技企业，从事嵌入式开发" if graduated else "",
                ended_on=date(2024, 6, 30) if graduated else None,
            )
            if encrypting:
                number = _id_number(rng, region, born)
                field_encrypt(student, "id_number", number)
                student.id_number_index = blind_index(number)
                field_encrypt(student, "family_situation", FAMILIES[n % len(FAMILIES)])
            students.append(student)
            sponsor = sponsors[n % len(sponsors)]
            ends = date(cohort + 7, 6, 30)
            sponsorship = Sponsorship(
                association=association,
                beneficiary=student,
                sponsor_member=sponsor,
                sponsor_name=sponsor.name,
                campaign=campaign,
                starts_on=starts,
                expected_end_on=ends,
                amount_per_term=PER_TERM,
                status=Sponsorship.Status.COMPLETED if graduated else Sponsorship.Status.ACTIVE,
            )
            sponsorships.append(sponsorship)
            for term, due in _terms(starts, min(ends, date(SEED_TODAY.year + 1, 3, 1))):
                # Three terms of this autumn still unpaid: the missed-payment alerts.
                late = due.year == SEED_TODAY.year and due.month == 9 and n % 17 == 3
                paid = due <= SEED_TODAY and not late
                gift = None
                if paid:
                    to = school if due < in_university else None
                    gift = ledger.add(
                        campaign=campaign,
                        donated_on=due,
                        recipient=to,
                        recipient_name=to.name if to else university,
                        name_public=True,
                        **donor_of(sponsor),
                        **cash_gift(PER_TERM),
                    )
                disbursements.append(
                    Disbursement(
                        association=association,
                        sponsorship=sponsorship,
                        term=term,
                        due_on=due,
                        amount=PER_TERM,
                        paid_on=due if paid else None,
                        reference=f"ZX{due:%Y%m}-{n + 1:03d}" if paid else "",
                        donation=gift,
                    )
                )
            for year in range(cohort, SEED_TODAY.year + 1):
                if graduated and year > 2024:
                    break
                visits.append(
                    Visit(
                        association=association,
                        beneficiary=student,
                        visited_on=date(year, 11, rng.randint(1, 25)),
                        visitors="商会助学委员会 曾晓燕、" + sponsor.name[:6] + "代表",
                        notes=rng.choice(
                            [
                                "学生学习认真，成绩稳步提升；家中老人身体尚可。送去冬衣和学习用品。",
                                "与班主任交流，学生担任班干部，性格开朗。家庭经济仍较困难。",
                                "学生已适应大学生活，课余勤工俭学；叮嘱注意身体、按时报平安。",
                            ]
                        ),
                    )
                )
                records.append(
                    AcademicRecord(
                        association=association,
                        beneficiary=student,
                        term=f"{year}-{year + 1}学年第一学期",
                        school_name=school_name if year < in_university.year else university,
                        summary=rng.choice(
                            [
                                "年级排名前10%",
                                "年级排名前30%，数学进步明显",
                                "获校三好学生",
                                "成绩中上，英语需加强",
                            ]
                        ),
                        recorded_on=date(year, 11, 28),
                    )
                )
            n += 1
    return students, sponsorships, disbursements, visits, records


def sponsorship_rest(
    association: Association,
    students: list[Beneficiary],
    sponsorships: list[Sponsorship],
    disbursements: list[Disbursement],
    visits: list[Visit],
    records: list[AcademicRecord],
) -> None:
    """After the ledger: the rows that point at the students and at their ledger entries
    (``bulk_create`` takes each foreign key from the object saved meanwhile)."""
    del association
    Beneficiary.objects.bulk_create(students)
    Sponsorship.objects.bulk_create(sponsorships)
    Disbursement.objects.bulk_create(disbursements, batch_size=500)
    Visit.objects.bulk_create(visits)
    AcademicRecord.objects.bulk_create(records)
