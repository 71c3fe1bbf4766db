"""What the goods and honors tests share: a campaign with goods in the ledger, a school."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from shanghui.charity.models import Campaign, Donation, DonorKind, GiftKind, Partner, ValueBasis
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def receipt_upload(name: str = "回执.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_campaign(side: Side, title: str = "小书包行动") -> Campaign:
    a = side.association
    with tenant_context(a):
        return Campaign.objects.create(
            association=a, title=title, starts_on=date(2026, 1, 1), status=Campaign.Status.ACTIVE
        )


def make_school(side: Side, name: str = "乳源县第一中学") -> Partner:
    a = side.association
    with tenant_context(a):
        return Partner.objects.create(association=a, name=name, kind=Partner.Kind.SCHOOL)


def give_goods(
    side: Side,
    campaign: Campaign,
    *,
    item: str = "书包",
    quantity: str = "100",
    unit: str = "个",
    channel: str = Donation.Channel.ORGANIZED,
) -> Donation:
    a = side.association
    with tenant_context(a):
        return donation_record(
            association=a,
            actor=side.admin,
            donor=DonorInput(kind=DonorKind.MEMBER, member=side.member),
            gift=GiftInput(
                kind=GiftKind.GOODS,
                amount=Decimal("5000"),
                item=item,
                quantity=Decimal(quantity),
                unit=unit,
                value_basis=ValueBasis.INVOICE,
            ),
            donated_on=date(2026, 2, 1),
            campaign=campaign,
            channel=channel,
        )
