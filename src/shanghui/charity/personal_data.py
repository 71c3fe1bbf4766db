"""What the charity app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): the gifts they made as an
individual (entries whose ``donor_person`` is one of their member records), the pledges they
made or took down (``pledged_by``) or that name them as the donor, and for each gift their
consent to be named on the public honor roll (光荣榜).

Nothing is erased with the account: the donations ledger is the association's financial
record and is never edited; the person's member records are unlinked from the account
(members' ``unlink``), and the entries keep the donor's name as it was recorded. Sponsored
students are not users of the platform: their records follow their own retention rules."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.charity.models import Donation, Pledge
from shanghui.members.models import Person


def _quantity(entry: Donation | Pledge) -> str:
    return f"{entry.quantity.normalize():f}" if entry.quantity is not None else ""


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    people = list(Person.objects.filter(association=association, user=user))
    donations = list(
        Donation.objects.filter(association=association, donor_person__in=people)
        .select_related("campaign")
        .order_by("donated_on", "id")
    )
    pledges = (
        Pledge.objects.filter(Q(pledged_by=user) | Q(donor_person__in=people))
        .filter(association=association)
        .select_related("campaign")
        .order_by("created_at", "id")
    )
    return {
        _("个人捐赠"): [
            {
                _("捐赠日期"): d.donated_on,
                _("公益项目"): d.campaign.title if d.campaign else "",
                _("捐赠方"): d.donor_name,
                _("类别"): d.get_kind_display(),
                _("金额（元）"): d.amount,
                _("物资名称"): d.item,
                _("数量"): _quantity(d),
                _("单位"): d.unit,
                _("受赠方"): d.recipient_name,
                _("捐赠渠道"): d.get_channel_display(),
                _("冲正记录"): d.reverses_id is not None,
                _("备注"): d.note,
            }
            for d in donations
        ],
        _("认捐"): [
            {
                _("公益项目"): p.campaign.title,
                _("认捐方"): p.donor_name,
                _("本人登记"): p.pledged_by_id == user.pk,
                _("类别"): p.get_kind_display(),
                _("认捐金额（元）"): p.amount,
                _("物资名称"): p.item,
                _("数量"): _quantity(p),
                _("单位"): p.unit,
                _("承诺到位日期"): p.due_on,
                _("状态"): p.get_status_display(),
                _("登记时间"): p.created_at,
            }
            for p in pledges
        ],
        _("捐赠署名同意"): [
            {
                _("捐赠日期"): d.donated_on,
                _("公益项目"): d.campaign.title if d.campaign else "",
                _("金额（元）"): d.amount,
                _("匿名"): d.anonymous,
                _("同意在光荣榜公开署名"): d.name_public,
            }
            for d in donations
            if d.reverses_id is None
        ],
    }
