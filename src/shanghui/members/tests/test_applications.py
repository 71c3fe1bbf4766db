import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core import notifications
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MembershipApplication, Person
from shanghui.members.services import applications
from shanghui.members.services.applications import ApplicationInput
from shanghui.members.services.policy import level_save, membership_policy_update
from shanghui.testing.database import KEY_REFUSED, check_keys_now
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker


def licence() -> SimpleUploadedFile:
    return SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence", "application/pdf")


def application(**changes: object) -> ApplicationInput:
    fields: dict[str, object] = {
        "kind": "enterprise",
        "name": "抚州市临川才子文化传媒有限公司",
        "uscc": make_uscc("91", "361002"),
        "applicant_name": "单国强",
        "applicant_phone": "13622224444",
        "applicant_title": "总经理",
        "accept_privacy": True,
        **changes,
    }
    return ApplicationInput(**fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_apply_approve_admits_the_member_and_invites_the_applicant(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a, data=application(), licence=licence()
        )
    run_worker()
    assert "已收到" in notifications.outbox[-1].text
    with tenant_context(a):
        member = applications.application_approve(
            association=a, actor=side_a.admin, application=filed
        )
        assert member.status == Member.Status.ACTIVE
        user = User.objects.get(phone="13622224444")
        assert Role.objects.get(user=user).kind == Role.Kind.MEMBER
        assert Person.objects.get(phone="13622224444").user == user
        with pytest.raises(ValidationError, match="已处理"):
            applications.application_approve(association=a, actor=side_a.admin, application=filed)
    run_worker()
    texts = " ".join(m.text for m in notifications.outbox)
    assert "/invite/" in texts and member.member_no in texts


@pytest.mark.django_db
def test_referrer_rules_are_enforced(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        top = level_save(
            association=a, actor=side_a.admin, name="副会长单位", rank=3, annual_fee=10000
        )
        membership_policy_update(
            association=a,
            actor=side_a.admin,
            member_no_pattern="{number:06d}",
            required_referrers=1,
            referrer_min_level=top,
        )
        with pytest.raises(ValidationError, match="1 位介绍人"):
            applications.application_submit(association=a, data=application(), licence=licence())
        referrer = applications.referrers_parse(f"{side_a.member.member_no} {side_a.member.name}")
        with pytest.raises(ValidationError, match="请同时填写会员编号和企业全称"):
            applications.application_submit(
                association=a,
                data=application(referrers=applications.referrers_parse("不存在的公司")),
                licence=licence(),
            )
        with pytest.raises(ValidationError, match="无效"):  # the referrer has no level yet
            applications.application_submit(
                association=a, data=application(referrers=referrer), licence=licence()
            )
        Member.objects.filter(pk=side_a.member.pk).update(level=top)
        filed = applications.application_submit(
            association=a, data=application(referrers=referrer), licence=licence()
        )
        assert [r.member_id for r in filed.referrers.all()] == [side_a.member.pk]
        assert MembershipApplication.objects.count() == 1


@pytest.mark.django_db
def test_bad_applications_change_nothing(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        for changes, field in (
            ({"uscc": "91440300192203821X"}, "uscc"),
            ({"applicant_phone": "110"}, "applicant_phone"),
            ({"accept_privacy": False}, "accept_privacy"),
        ):
            with pytest.raises(ValidationError) as info:
                applications.application_submit(
                    association=a, data=application(**changes), licence=licence()
                )
            assert field in info.value.message_dict
        with pytest.raises(ValidationError) as info:
            applications.application_submit(association=a, data=application(), licence=None)
        assert "licence" in info.value.message_dict
        assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
def test_request_info_then_amend_with_the_signed_link(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a, data=application(), licence=licence()
        )
        applications.application_request_info(
            association=a, actor=side_a.admin, application=filed, request="请上传清晰的营业执照"
        )
    run_worker()
    link = re.search(r"/a/\S+/amend/\?t=\S+", notifications.outbox[-1].text)
    assert link
    client = Client()
    page = client.get(link.group(0))
    assert "请上传清晰的营业执照" in page.content.decode()
    response = client.post(link.group(0), {"introduction": "已重新上传", "licence": licence()})
    assert response.status_code == 302
    with tenant_context(a):
        filed.refresh_from_db()
    assert filed.status == MembershipApplication.Status.SUBMITTED
    # A forged or foreign link does not open the form.
    assert client.get(f"/a/{a.slug}/join/{filed.pk}/amend/?t=forged").status_code == 404


@pytest.mark.django_db
def test_reject_tells_the_applicant_why(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a, data=application(), licence=licence()
        )
        with pytest.raises(ValidationError):
            applications.application_reject(
                association=a, actor=side_a.admin, application=filed, reason=" "
            )
        applications.application_reject(
            association=a, actor=side_a.admin, application=filed, reason="经营范围不符"
        )
    run_worker()
    assert "经营范围不符" in notifications.outbox[-1].text


@pytest.mark.django_db
def test_public_form_and_office_review_pages(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    slug = side_a.association.slug
    response = Client().post(
        f"/a/{slug}/join/",
        {
            "kind": "individual",
            "name": "区小燕",
            "applicant_name": "区小燕",
            "applicant_phone": "13655556666",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    with tenant_context(side_a.association):
        filed = MembershipApplication.objects.get(name="区小燕")
    assert "区小燕" in admin_a.get(f"/a/{slug}/office/applications/").content.decode()
    assert member_a.get(f"/a/{slug}/office/applications/").status_code == 403
    response = admin_a.post(f"/a/{slug}/office/applications/{filed.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    with tenant_context(side_a.association):
        assert Member.objects.filter(name="区小燕", kind="individual").exists()


@pytest.mark.django_db
def test_the_reviewer_opens_the_business_licence_and_others_cannot(
    side_a: Side, side_b: Side
) -> None:
    from django.test import Client

    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a, data=application(hometown_code="360731"), licence=licence()
        )
    url = f"/a/{a.slug}/office/applications/{filed.pk}/"
    admin = Client()
    admin.force_login(side_a.admin)
    page = admin.get(url).content.decode()
    assert "查看营业执照" in page and "江西省赣州市于都县" in page
    opened = admin.get(f"{url}licence/")
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content) == b"%PDF-1.4 licence"  # type: ignore[attr-defined]
    member = Client()
    member.force_login(side_a.member_user)
    assert member.get(f"{url}licence/").status_code == 403
    foreign = Client()
    foreign.force_login(side_b.admin)
    foreign_url = f"/a/{side_b.association.slug}/office/applications/{filed.pk}/licence/"
    assert foreign.get(foreign_url).status_code == 404


@pytest.mark.django_db
def test_a_licence_uploaded_again_keeps_the_first_as_a_version(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a, data=application(), licence=licence()
        )
        first = filed.licence_id
        applications.application_request_info(
            association=a, actor=side_a.admin, application=filed, request="请上传清晰的营业执照"
        )
        clearer = SimpleUploadedFile("营业执照（清晰）.pdf", b"%PDF-1.4 clearer", "application/pdf")
        amended = applications.application_amend(
            association=a, application=filed, introduction="", licence=clearer
        )
        versions = file_versions(amended, "licence")
        assert [v.name for v in versions] == ["营业执照（清晰）.pdf", "营业执照.pdf"]
        assert versions[0].pk == amended.licence_id != first
        assert versions[1].pk == first and versions[1].replaced_at is not None
        assert all(v.expires_at is None for v in versions)  # a licence does not expire
        # Amended again without a file: the licence stays as it is.
        applications.application_request_info(
            association=a, actor=side_a.admin, application=amended, request="请补充简介"
        )
        again = applications.application_amend(
            association=a, application=amended, introduction="补充简介", licence=None
        )
        assert again.licence_id == versions[0].pk and len(file_versions(again, "licence")) == 2
    admin = Client()
    admin.force_login(side_a.admin)
    opened = admin.get(f"/a/{a.slug}/office/applications/{filed.pk}/licence/")
    assert b"".join(opened.streaming_content) == b"%PDF-1.4 clearer"  # type: ignore[attr-defined]
    assert opened["Content-Disposition"].startswith("inline")


@pytest.mark.django_db
def test_a_licence_of_another_association_is_never_served(side_a: Side, side_b: Side) -> None:
    a, b = side_a.association, side_b.association
    with tenant_context(a):
        filed_a = applications.application_submit(
            association=a, data=application(), licence=licence()
        )
    with tenant_context(b):
        filed_b = applications.application_submit(
            association=b, data=application(name="乙市申请入会有限公司"), licence=licence()
        )
    admin_a = Client()
    admin_a.force_login(side_a.admin)
    # Another association's application id under this association's address.
    assert admin_a.get(f"/a/{a.slug}/office/applications/{filed_b.pk}/licence/").status_code == 404

    # A row pointing at another association's file: PostgreSQL refuses it (a tenant foreign
    # key, ``core.rls``); where it could be written, it serves nothing.
    def forge() -> None:
        MembershipApplication.objects.filter(pk=filed_b.pk).update(licence=filed_a.licence_id)

    if connection.vendor == "postgresql":
        with pytest.raises(KEY_REFUSED), tenant_context(b), transaction.atomic():
            forge()
            check_keys_now()
        return
    with tenant_context(b):
        forge()
    admin_b = Client()
    admin_b.force_login(side_b.admin)
    assert admin_b.get(f"/a/{b.slug}/office/applications/{filed_b.pk}/licence/").status_code == 404


@pytest.mark.django_db
def test_a_licence_over_the_associations_quota_is_refused_on_the_field(side_a: Side) -> None:
    a = side_a.association
    Association.objects.filter(pk=a.pk).update(storage_quota=4)
    a.refresh_from_db()
    with tenant_context(a):
        with pytest.raises(ValidationError) as info:
            applications.application_submit(association=a, data=application(), licence=licence())
        assert "联系商会秘书处" in info.value.message_dict["licence"][0]
        assert not MembershipApplication.objects.exists()
        assert not StoredFile.objects.exists()
