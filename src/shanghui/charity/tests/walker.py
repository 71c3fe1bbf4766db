"""Teaches the isolation walker the charity app's objects of association B: one of each, none
of them public (B does not disclose), so every route naming one must answer 404 to A."""

from datetime import date
from decimal import Decimal

from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Disbursement,
    Distribution,
    Donation,
    DonationEvidence,
    DonorKind,
    GiftKind,
    Honor,
    Partner,
    Pledge,
    PledgeInstallment,
    Sponsorship,
    ValueBasis,
    Visit,
    VisitPhoto,
)
from shanghui.core.encryption import field_encrypt
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        school = Partner.objects.create(
            association=b, name="乙市希望中学", kind=Partner.Kind.SCHOOL
        )
        campaign = Campaign.objects.create(
            association=b,
            title="乙市秘密助学行动",
            starts_on=date(2026, 1, 1),
            status=Campaign.Status.ACTIVE,
            goal_amount=Decimal("777000"),
        )
        pledge = Pledge.objects.create(
            association=b,
            campaign=campaign,
            donor_kind=DonorKind.MEMBER,
            donor_member=side_b.member,
            donor_name=side_b.member.name,
            kind=GiftKind.CASH,
            amount=Decimal("76543.21"),
            due_on=date(2026, 12, 31),
        )
        installment = PledgeInstallment.objects.create(
            association=b, pledge=pledge, due_on=date(2026, 6, 30), amount=Decimal("76543.21")
        )
        donation = Donation.objects.create(
            association=b,
            campaign=campaign,
            donor_kind=DonorKind.OUTSIDE,
            donor_name="乙市神秘捐赠人",
            kind=GiftKind.GOODS,
            amount=Decimal("65432.10"),
            item="乙市书包",
            quantity=Decimal("321"),
            unit="个",
            value_basis=ValueBasis.MARKET,
            recipient=school,
            donated_on=date(2026, 3, 1),
            acknowledgement_no="JZ2026-054321",
        )
        evidence = DonationEvidence.objects.create(
            association=b, donation=donation, caption="乙市收据照片"
        )
        distribution = Distribution.objects.create(
            association=b,
            campaign=campaign,
            recipient=school,
            item="乙市书包",
            quantity=Decimal("300"),
            distributed_on=date(2026, 3, 2),
            note="乙市发放记录",
        )
        beneficiary = Beneficiary(association=b, name="乙市受助学生", school=school)
        field_encrypt(beneficiary, "id_number", "440232200901011234")
        beneficiary.save()
        sponsorship = Sponsorship.objects.create(
            association=b,
            beneficiary=beneficiary,
            sponsor_member=side_b.member,
            sponsor_name=side_b.member.name,
            starts_on=date(2025, 9, 1),
            amount_per_term=Decimal("2468.00"),
        )
        disbursement = Disbursement.objects.create(
            association=b,
            sponsorship=sponsorship,
            term="乙市2026春季学期",
            due_on=date(2026, 3, 1),
            amount=Decimal("2468.00"),
        )
        visit = Visit.objects.create(
            association=b,
            beneficiary=beneficiary,
            visited_on=date(2026, 5, 1),
            visitors="乙市走访人员",
        )
        photo = VisitPhoto.objects.create(association=b, visit=visit, caption="乙市走访照片")
        record = AcademicRecord.objects.create(
            association=b,
            beneficiary=beneficiary,
            term="2026春",
            summary="乙市学业记录",
            recorded_on=date(2026, 7, 1),
        )
        honor = Honor.objects.create(
            association=b,
            direction=Honor.Direction.GIVEN,
            title="乙市爱心企业奖",
            awarded_by="乙市江西商会",
            awarded_on=date(2026, 6, 1),
            member=side_b.member,
            recipient_name=side_b.member.name,
            certificate_no="RY2026-000777",
            verify_token="yishiverifytoken0000000000000001",
        )
    return (
        {
            "partner_id": str(school.pk),
            "campaign_id": str(campaign.pk),
            "pledge_id": str(pledge.pk),
            "installment_id": str(installment.pk),
            "donation_id": str(donation.pk),
            "evidence_id": str(evidence.pk),
            "distribution_id": str(distribution.pk),
            "beneficiary_id": str(beneficiary.pk),
            "sponsorship_id": str(sponsorship.pk),
            "disbursement_id": str(disbursement.pk),
            "visit_id": str(visit.pk),
            "visit_photo_id": str(photo.pk),
            "academic_record_id": str(record.pk),
            "honor_id": str(honor.pk),
            "verify_token": honor.verify_token,
        },
        [
            "乙市希望中学",
            "乙市秘密助学行动",
            "76,543.21",
            "乙市神秘捐赠人",
            "65,432.10",
            "乙市书包",
            "JZ2026-054321",
            "乙市收据照片",
            "乙市发放记录",
            "乙市受助学生",
            "2,468.00",
            "乙市2026春季学期",
            "乙市走访人员",
            "乙市走访照片",
            "乙市学业记录",
            "乙市爱心企业奖",
            "RY2026-000777",
        ],
    )
