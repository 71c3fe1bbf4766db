"""The enterprise showcase (part S): the member's own opt-in writes and removes the
``EnterpriseIndex`` row (only while the association is in the network), items feed its
products, the directory groups by industry, and another association's enterprise opens only
for members of an association in the network."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.network.models import EnterpriseIndex, EnterpriseWord, ShowcaseItem
from shanghui.network.services import showcase as services
from shanghui.network.tests.s_helpers import join
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db


def _url(name: str, side: Side, **kwargs: int) -> str:
    return reverse(f"network:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def test_opt_in_is_off_by_default_and_writes_the_index_only_in_the_network(side_b: Side) -> None:
    b = side_b.association
    client = client_for(side_b.member_user)
    page = client.get(_url("my_showcase", side_b))
    assert page.status_code == 200
    assert "其他商会的会员可以看到" in page.content.decode()
    assert not side_b.member.network_showcase
    response = client.post(
        _url("my_showcase", side_b), {"member": side_b.member.pk, "network_showcase": "on"}
    )
    assert response.status_code == 302
    with tenant_context(b):
        assert Member.objects.get(pk=side_b.member.pk).network_showcase
    assert not EnterpriseIndex.objects.exists()  # B is not in the network yet
    join(b)
    with tenant_context(b):
        assert services.enterprise_index_rebuild(association=b) == 1
    entry = EnterpriseIndex.objects.get()
    assert entry.name == side_b.member.name and entry.uscc == side_b.member.uscc
    client.post(_url("my_showcase", side_b), {"member": side_b.member.pk})
    assert not EnterpriseIndex.objects.exists()


def test_items_feed_the_index_and_carry_a_picture(side_b: Side) -> None:
    b = side_b.association
    join(b)
    client = client_for(side_b.member_user)
    client.post(_url("my_showcase", side_b), {"member": side_b.member.pk, "network_showcase": "on"})
    response = client.post(
        _url("showcase_item_new", side_b) + f"?member={side_b.member.pk}",
        {"name": "冷轧钢板", "description": "厚度齐全", "position": "1", "image": _png()},
    )
    assert response.status_code == 302
    with tenant_context(b):
        item = ShowcaseItem.objects.get()
    assert item.image_id is not None
    assert "冷轧钢板" in EnterpriseIndex.objects.get().products
    assert EnterpriseWord.objects.filter(word="gangban").exists()
    image = client.get(_url("showcase_item_image", side_b, showcase_item_id=item.pk))
    assert image.status_code == 200
    client.post(_url("showcase_item_delete", side_b, showcase_item_id=item.pk))
    with tenant_context(b):
        assert not ShowcaseItem.objects.exists()
    assert "冷轧钢板" not in EnterpriseIndex.objects.get().products


def test_individual_members_cannot_opt_in(side_a: Side) -> None:
    with tenant_context(side_a.association):
        person = MemberFactory(association=side_a.association, kind=Member.Kind.INDIVIDUAL)
        with pytest.raises(ValidationError):
            services.showcase_set(
                association=side_a.association, actor=side_a.member_user, member=person, on=True
            )


def test_another_persons_item_is_404(side_a: Side) -> None:
    with tenant_context(side_a.association):
        other = MemberFactory(association=side_a.association)
        item = ShowcaseItem.objects.create(
            association=side_a.association, member=other, name="别人的"
        )
    client = client_for(side_a.member_user)
    assert (
        client.get(_url("showcase_item_edit", side_a, showcase_item_id=item.pk)).status_code == 404
    )
    assert (
        client.post(_url("showcase_item_delete", side_a, showcase_item_id=item.pk)).status_code
        == 404
    )
    assert client.get(_url("my_showcase", side_a) + f"?member={other.pk}").status_code == 404


def test_directory_and_enterprise_page_across_associations(side_a: Side, side_b: Side) -> None:
    join(side_b.association)
    with tenant_context(side_b.association):
        side_b.member.industry_code = "31"
        side_b.member.save(update_fields=["industry_code"])
        services.showcase_set(
            association=side_b.association, actor=side_b.member_user, member=side_b.member, on=True
        )
        ShowcaseItem.objects.create(
            association=side_b.association, member=side_b.member, name="乙市钢板"
        )
    with tenant_context(side_a.association):
        side_a.member.industry_code = "31"
        side_a.member.save(update_fields=["industry_code"])
        services.showcase_set(
            association=side_a.association, actor=side_a.member_user, member=side_a.member, on=True
        )
    entry = EnterpriseIndex.objects.get(association=side_b.association)
    client = client_for(side_a.member_user)
    enterprise_url = _url("enterprise", side_a, enterprise_id=entry.pk)
    text = client.get(_url("directory", side_a)).content.decode()
    assert side_a.member.name in text and side_b.member.name not in text  # A not in network
    assert client.get(enterprise_url).status_code == 404
    join(side_a.association)
    text = client.get(_url("directory", side_a)).content.decode()
    assert side_a.member.name in text and side_b.member.name in text
    assert "黑色金属冶炼和压延加工业" in text
    page = client.get(enterprise_url)
    assert page.status_code == 200
    assert "乙市钢板" in page.content.decode()
    assert side_b.person.name not in page.content.decode()


def test_the_secretariats_edits_and_status_changes_reach_the_platform_index(side_b: Side) -> None:
    """The members app's own services keep the enterprise's index row in step (through the
    core MEMBER_FOLLOWERS slot): a new name is searchable at once, and an expelled member
    leaves the network."""
    from shanghui.members.services.members import MemberInput, member_set_status, member_update

    b = side_b.association
    join(b)
    with tenant_context(b):
        services.showcase_set(
            association=b, actor=side_b.member_user, member=side_b.member, on=True
        )
        member = Member.objects.get(pk=side_b.member.pk)
        member_update(
            association=b,
            actor=side_b.admin,
            member=member,
            data=MemberInput(kind=member.kind, name="乙市赣江钢材贸易有限公司", uscc=member.uscc),
        )
    entry = EnterpriseIndex.objects.get()
    assert entry.name == "乙市赣江钢材贸易有限公司"
    assert EnterpriseWord.objects.filter(enterprise=entry, word="钢材").exists()
    with tenant_context(b):
        member_set_status(
            association=b,
            actor=side_b.admin,
            member=Member.objects.get(pk=side_b.member.pk),
            status=Member.Status.EXPELLED,
            reason="违反章程",
        )
    assert not EnterpriseIndex.objects.exists()
