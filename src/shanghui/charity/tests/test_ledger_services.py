"""The ledger's rules at the service level: what is refused (with a clear message, nothing
written), reversals, anonymous donors, pledges, acknowledgement numbers and evidence."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanghui.charity.models import Donation, DonationEvidence, DonorKind, GiftKind, Pledge
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.charity.services.ledger import (
    DonationData,
    acknowledgement_number,
    donation_record_input,
    evidence_add,
)
from shanghui.charity.totals import association_donations, ledger_totals
from shanghui.core.audit import action_label
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .ledger_helpers import campaign, cash, goods

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _count(side: Side) -> int:
    with tenant_context(side.association):
        return Donation.objects.filter(association=side.association).count()


@pytest.mark.django_db
def test_goods_without_the_basis_of_their_value_are_refused(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a), pytest.raises(ValidationError) as caught:
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.OUTSIDE, name="某文具厂"),
            gift=GiftInput(
                kind=GiftKind.GOODS,
                amount=Decimal("1000"),
                item="书包",
                quantity=Decimal("100"),
                value_basis="",
            ),
            donated_on=date(2026, 1, 1),
        )
    assert caught.value.message_dict == {
        "value_basis": ["请选择物资价值的依据（发票价、市场价或评估价）"]
    }
    assert _count(side_a) == 0


@pytest.mark.django_db
def test_goods_must_say_what_and_how_many(side_a: Side) -> None:
    a = side_a.association
    base = DonationData(
        kind="goods", amount="500", donated_on=date(2026, 1, 1), donor_kind="outside"
    )
    with tenant_context(a):
        with pytest.raises(ValidationError) as no_item:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(**{**base.__dict__, "donor_name": "某厂", "quantity": "10"}),
            )
        with pytest.raises(ValidationError) as bad_quantity:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(**{**base.__dict__, "item": "书包", "quantity": "十个"}),
            )
        with pytest.raises(ValidationError) as huge:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    **{
                        **base.__dict__,
                        "donor_name": "某厂",
                        "item": "书包",
                        "quantity": "99999999999",
                        "value_basis": "market",
                    }
                ),
            )
    assert no_item.value.message_dict == {"item": ["请填写物资名称"]}
    assert bad_quantity.value.message_dict == {"quantity": ["请填写有效的数量，例如 100 或 2.5"]}
    assert huge.value.message_dict == {"quantity": ["数量过大"]}
    assert _count(side_a) == 0


@pytest.mark.django_db
def test_amounts_are_parsed_at_the_door_and_refused_in_chinese(side_a: Side) -> None:
    a = side_a.association
    data = DonationData(
        kind="cash",
        amount="1000.005",
        donated_on=timezone.localdate() + timedelta(days=1),
        donor_kind="member",
        donor_member_id=side_a.member.pk,
    )
    with tenant_context(a), pytest.raises(ValidationError) as caught:
        donation_record_input(association=a, actor=side_a.admin, data=data)
    assert caught.value.message_dict == {"amount": ["金额最多保留两位小数（精确到分）"]}
    data = DonationData(**{**data.__dict__, "amount": "¥1,000.50"})
    with tenant_context(a), pytest.raises(ValidationError) as future:
        donation_record_input(association=a, actor=side_a.admin, data=data)
    assert future.value.message_dict == {"donated_on": ["捐赠日期不能晚于今天"]}
    data = DonationData(**{**data.__dict__, "donated_on": date(2026, 1, 1)})
    with tenant_context(a):
        donation = donation_record_input(association=a, actor=side_a.admin, data=data)
    assert (donation.amount, donation.donor_name) == (Decimal("1000.50"), side_a.member.name)
    assert donation.donor_uscc == side_a.member.uscc


@pytest.mark.django_db
def test_another_associations_member_is_refused_as_donor(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        with pytest.raises(ValidationError) as by_service:
            donation_record(
                association=a,
                actor=side_a.admin,
                donor=DonorInput(kind=DonorKind.MEMBER, member=side_b.member),
                gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("100")),
                donated_on=date(2026, 1, 1),
            )
        with pytest.raises(ValidationError) as by_id:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    kind="cash",
                    amount="100",
                    donated_on=date(2026, 1, 1),
                    donor_kind="member",
                    donor_member_id=side_b.member.pk,
                ),
            )
        with pytest.raises(ValidationError) as by_name:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    kind="cash",
                    amount="100",
                    donated_on=date(2026, 1, 1),
                    donor_kind="member",
                    donor_member_text=side_b.member.name,
                ),
            )
    assert by_service.value.message_dict == {"donor_member": ["请选择本会的记录"]}
    assert by_id.value.message_dict == {"donor_member": ["未找到该会员"]}
    assert by_name.value.message_dict == {"donor_member": [f"未找到会员“{side_b.member.name}”"]}
    assert _count(side_a) == 0


@pytest.mark.django_db
def test_another_associations_campaign_is_refused(side_a: Side, side_b: Side) -> None:
    theirs = campaign(side_b.association, "乙市项目")
    with pytest.raises(ValidationError) as caught:
        cash(side_a, campaign=theirs)
    assert caught.value.message_dict == {"campaign": ["请选择本会的记录"]}
    assert _count(side_a) == 0


@pytest.mark.django_db
def test_a_reversal_is_refused_twice_and_is_not_itself_reversed(side_a: Side) -> None:
    a = side_a.association
    gift = cash(side_a, "8000", donated_on=date(2020, 2, 10))
    with tenant_context(a):
        reversal = donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="重复")
        with pytest.raises(ValidationError) as twice:
            donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="再来")
        with pytest.raises(ValidationError) as of_reversal:
            donation_reverse(association=a, actor=side_a.admin, donation=reversal, reason="x")
        with pytest.raises(ValidationError) as no_reason:
            donation_reverse(association=a, actor=side_a.admin, donation=gift, reason=" ")
        year_2020 = ledger_totals(association_donations(a).filter(donated_on__year=2020))
        this_year = ledger_totals(
            association_donations(a).filter(donated_on__year=timezone.localdate().year)
        )
        count = Donation.objects.count()
    assert twice.value.messages == ["这笔捐赠已经冲正过了"]
    assert of_reversal.value.messages == ["冲正记录不能再冲正"]
    assert no_reason.value.message_dict == {"reason": ["请填写冲正原因"]}
    assert count == 2
    # The reversal nets out in the year the mistake was counted in, not in the year it was
    # corrected: 2020 is back to nothing and this year is not negative.
    assert reversal.donated_on == date(2020, 2, 10)
    assert (reversal.amount, reversal.note) == (Decimal("-8000"), "重复")
    assert (year_2020.total, year_2020.entries) == (Decimal("0"), 0)
    assert this_year.total == Decimal("0")


@pytest.mark.django_db
def test_goods_are_reversed_with_their_quantity(side_a: Side) -> None:
    a = side_a.association
    bags = goods(side_a)
    with tenant_context(a):
        reversal = donation_reverse(association=a, actor=side_a.admin, donation=bags, reason="错")
    assert (reversal.quantity, reversal.amount, reversal.item) == (
        Decimal("-10000"),
        Decimal("-120000"),
        "书包",
    )


@pytest.mark.django_db
def test_an_anonymous_donor_need_not_be_named(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        donation = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(
                kind="cash",
                amount="200",
                donated_on=date(2026, 1, 1),
                donor_kind="outside",
                anonymous=True,
            ),
        )
        with pytest.raises(ValidationError) as named:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    kind="cash", amount="200", donated_on=date(2026, 1, 1), donor_kind="outside"
                ),
            )
    assert (donation.donor_name, donation.anonymous) == ("匿名捐赠人", True)
    assert named.value.message_dict == {"donor_name": ["请填写捐赠方名称"]}


@pytest.mark.django_db
def test_a_pledge_is_fulfilled_by_its_gifts_and_reopened_by_a_reversal(side_a: Side) -> None:
    a = side_a.association
    drive = campaign(a)
    with tenant_context(a):
        pledge = Pledge.objects.create(
            association=a,
            campaign=drive,
            donor_kind=DonorKind.MEMBER,
            donor_member=side_a.member,
            donor_name=side_a.member.name,
            kind=GiftKind.CASH,
            amount=Decimal("10000"),
            due_on=date(2026, 6, 30),
        )
    gift = cash(side_a, "10000", pledge=pledge)
    with tenant_context(a):
        pledge.refresh_from_db()
        assert (pledge.status, gift.campaign_id) == (Pledge.Status.FULFILLED, drive.pk)
        donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="退回")
        pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.OPEN


@pytest.mark.django_db
def test_the_acknowledgement_is_numbered_once(side_a: Side) -> None:
    a = side_a.association
    first, second, reversed_gift = cash(side_a), cash(side_a, "300"), cash(side_a, "1")
    year = timezone.localdate().year
    with tenant_context(a):
        numbered = acknowledgement_number(association=a, actor=side_a.admin, donation=first)
        again = acknowledgement_number(
            association=a, actor=side_a.admin, donation=Donation.objects.get(pk=first.pk)
        )
        other = acknowledgement_number(association=a, actor=side_a.admin, donation=second)
        reversal = donation_reverse(
            association=a, actor=side_a.admin, donation=reversed_gift, reason="录错"
        )
        with pytest.raises(ValidationError) as of_reversed:
            acknowledgement_number(association=a, actor=side_a.admin, donation=reversed_gift)
        with pytest.raises(ValidationError) as of_reversal:
            acknowledgement_number(association=a, actor=side_a.admin, donation=reversal)
        stored = Donation.objects.get(pk=first.pk).acknowledgement_no
        labels = [
            action_label(e.action) for e in AuditEntry.objects.filter(association=a).order_by("id")
        ]
    assert numbered.acknowledgement_no == again.acknowledgement_no == stored == f"JZ{year}-000001"
    assert other.acknowledgement_no == f"JZ{year}-000002"
    assert of_reversed.value.messages == ["这笔捐赠已冲正，不能出具捐赠证明"]
    assert of_reversal.value.messages == ["冲正记录没有捐赠证明"]
    assert labels.count("出具捐赠证明") == 2
    assert "登记捐赠" in labels and "冲正捐赠" in labels


@pytest.mark.django_db
def test_evidence_is_checked_before_it_is_stored(side_a: Side) -> None:
    a = side_a.association
    gift = cash(side_a)
    fake = SimpleUploadedFile("收据.png", b"MZ this is a program", content_type="image/png")
    with tenant_context(a), pytest.raises(ValidationError) as caught:
        evidence_add(association=a, actor=side_a.admin, donation=gift, upload=fake)
    assert caught.value.message_dict == {"file": ["文件内容与扩展名不符"]}
    with tenant_context(a), pytest.raises(ValidationError) as missing:
        evidence_add(association=a, actor=side_a.admin, donation=gift, upload=None)
    assert missing.value.message_dict == {"file": ["请上传文件"]}
    upload = SimpleUploadedFile("收据.png", PNG, content_type="image/png")
    with tenant_context(a):
        evidence = evidence_add(
            association=a, actor=side_a.admin, donation=gift, upload=upload, caption="红会收据"
        )
        stored = DonationEvidence.objects.select_related("file").get(pk=evidence.pk)
        reversal = donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="x")
        with pytest.raises(ValidationError):
            evidence_add(
                association=a,
                actor=side_a.admin,
                donation=reversal,
                upload=SimpleUploadedFile("b.png", PNG),
            )
    assert stored.file is not None and stored.file.name == "收据.png"
    assert (stored.caption, stored.kind) == ("红会收据", "receipt")


@pytest.mark.django_db
def test_a_gift_against_a_pledge_comes_from_whoever_pledged(side_a: Side) -> None:
    a = side_a.association
    drive = campaign(a)
    with tenant_context(a):
        pledge = Pledge.objects.create(
            association=a,
            campaign=drive,
            donor_kind=DonorKind.MEMBER,
            donor_member=side_a.member,
            donor_name=side_a.member.name,
            kind=GiftKind.CASH,
            amount=Decimal("3000"),
            due_on=date(2026, 6, 30),
        )
        gift = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(
                kind="cash",
                amount="1000",
                donated_on=date(2026, 2, 1),
                donor_kind="member",
                pledge_id=pledge.pk,
            ),
        )
        pledge.refresh_from_db()
    assert (gift.donor_member_id, gift.campaign_id) == (side_a.member.pk, drive.pk)
    assert pledge.status == Pledge.Status.OPEN  # 1,000 of 3,000 received


@pytest.mark.django_db
def test_individuals_and_group_members_as_donors(side_a: Side, side_b: Side) -> None:
    from shanghui.org.models import GroupMember

    a = side_a.association
    with tenant_context(a):
        group = GroupMember.objects.create(
            association=a, name="阳江市江西商会", uscc="51441700MJL1234569"
        )
    base = {"kind": "cash", "amount": "100", "donated_on": date(2026, 1, 1)}
    with tenant_context(a):
        by_person = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(**base, donor_kind="individual", donor_person_text="龚志军"),
        )
        by_phone = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(**base, donor_kind="individual", donor_person_id=side_a.person.pk),
        )
        outsider = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(**base, donor_kind="individual", donor_name="张三"),
        )
        with pytest.raises(ValidationError) as foreign_person:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    **base, donor_kind="individual", donor_person_id=side_b.person.pk
                ),
            )
        with pytest.raises(ValidationError) as bad_uscc:
            donation_record_input(
                association=a,
                actor=side_a.admin,
                data=DonationData(
                    **base, donor_kind="outside", donor_name="某公司", donor_uscc="123"
                ),
            )
    assert by_person.donor_person_id == by_phone.donor_person_id == side_a.person.pk
    assert (outsider.donor_name, outsider.donor_person_id) == ("张三", None)
    assert foreign_person.value.message_dict == {"donor_person": ["未找到该人员"]}
    assert bad_uscc.value.message_dict == {"donor_uscc": ["统一社会信用代码校验不通过"]}
    with tenant_context(a):
        gift = donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(**base, donor_kind="group_member", donor_group_member_id=group.pk),
        )
    assert (gift.donor_name, gift.donor_uscc) == ("阳江市江西商会", group.uscc)
