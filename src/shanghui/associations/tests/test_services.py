import re
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.onboarding import admin_invitations_resend, onboarding_approve
from shanghui.associations.models import Association, OnboardingApplication
from shanghui.associations.services.associations import association_set_status
from shanghui.associations.services.onboarding import (
    OnboardingInput,
    onboarding_apply,
    onboarding_reject,
)
from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import UserFactory, make_uscc
from shanghui.testing.worker import run_worker

APPLICATION = OnboardingInput(
    name="佛山市江西商会",
    short_name="佛山江西商会",
    slug="fsjx",
    kind="hometown",
    region_code="440600",
    uscc="",
    founded_on=None,
    introduction="在佛山的江西籍企业家之家",
    contact_name="曾秘书长",
    contact_phone="13600001234",
    contact_email="",
    note="",
    accept_privacy=True,
)


def certificate() -> SimpleUploadedFile:
    return SimpleUploadedFile("证书.pdf", b"%PDF-1.4 registration certificate", "application/pdf")


def apply(**changes: object) -> OnboardingApplication:
    fields: dict[str, object] = {"uscc": make_uscc("51", "440600"), **changes}
    data = replace(APPLICATION, **fields)  # type: ignore[arg-type]
    return onboarding_apply(actor=None, data=data, certificate=certificate(), privacy_notice="1")


@pytest.fixture
def operator(db: None) -> User:
    return UserFactory(is_platform_operator=True)


@pytest.mark.django_db
def test_apply_approve_invites_the_first_administrator(operator: User) -> None:
    application = apply()
    assert application.association.status == Association.Status.APPLYING
    association = onboarding_approve(actor=operator, application=application)
    assert association.status == Association.Status.ACTIVE
    admin = User.objects.get(phone="13600001234")
    with tenant_context(association):
        assert Role.objects.get(user=admin).kind == Role.Kind.ADMIN
    run_worker()
    assert re.search(r"/a/fsjx/invite/[\w-]+/", notifications.outbox[-1].text)
    with pytest.raises(ValidationError, match="已处理"):
        onboarding_approve(actor=operator, application=application)


@pytest.mark.django_db
def test_letter_leading_credit_codes_are_accepted(operator: User) -> None:
    application = apply(uscc=make_uscc("Y1", "440600"))
    assert application.association.uscc.startswith("Y1")


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("uscc", {"uscc": "914403001922038217"}),
        ("contact_phone", {"contact_phone": "12345"}),
        ("slug", {"slug": "Bad Slug!"}),
        ("slug", {"slug": "api"}),
        ("region_code", {"region_code": "999999"}),
        ("accept_privacy", {"accept_privacy": False}),
        ("kind", {"kind": "club"}),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_refused_and_nothing_is_created(
    field: str, changes: dict[str, object]
) -> None:
    data = replace(APPLICATION, uscc=make_uscc("51", "440600"))
    data = replace(data, **changes)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        onboarding_apply(actor=None, data=data, certificate=certificate(), privacy_notice="1")
    assert field in info.value.error_dict
    assert not Association.objects.exists()
    assert not OnboardingApplication.objects.exists()


@pytest.mark.django_db
def test_a_certificate_that_is_not_a_document_is_refused() -> None:
    data = replace(APPLICATION, uscc=make_uscc("51", "440600"))
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError, match="不符"):
        onboarding_apply(actor=None, data=data, certificate=fake, privacy_notice="1")
    assert not Association.objects.exists()


@pytest.mark.django_db
def test_duplicate_applications_are_refused(operator: User) -> None:
    first = apply()
    with pytest.raises(ValidationError) as info:
        onboarding_apply(
            actor=None,
            data=replace(
                APPLICATION, uscc=first.association.uscc, slug="fsjx2", name="另一个名字商会"
            ),
            certificate=certificate(),
            privacy_notice="1",
        )
    assert "uscc" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        apply(slug="fsjx")
    assert "slug" in info.value.error_dict
    onboarding_approve(actor=operator, application=first)
    with pytest.raises(ValidationError) as info:
        apply(slug="fsjx3")  # same name as an association already on the platform
    assert "name" in info.value.error_dict
    assert Association.objects.count() == 1


@pytest.mark.django_db
def test_rejected_applicant_is_told_why_and_may_apply_again(operator: User) -> None:
    application = apply()
    onboarding_reject(actor=operator, application=application, reason="登记证书不清晰")
    run_worker()
    assert "登记证书不清晰" in notifications.outbox[-1].text
    with pytest.raises(ValidationError):
        onboarding_reject(actor=operator, application=application, reason="again")
    again = onboarding_apply(
        actor=None,
        data=replace(APPLICATION, uscc=application.association.uscc),
        certificate=certificate(),
        privacy_notice="1",
    )
    assert again.association_id == application.association_id
    assert again.association.status == Association.Status.APPLYING


@pytest.mark.django_db
def test_reject_needs_a_reason(operator: User) -> None:
    application = apply()
    with pytest.raises(ValidationError):
        onboarding_reject(actor=operator, application=application, reason="  ")
    application.refresh_from_db()
    assert application.status == OnboardingApplication.Status.PENDING


@pytest.mark.django_db
def test_suspend_and_restore(operator: User) -> None:
    association = onboarding_approve(actor=operator, application=apply())
    with pytest.raises(ValidationError):
        association_set_status(
            actor=operator, association=association, status="suspended", reason=""
        )
    association_set_status(
        actor=operator, association=association, status="suspended", reason="未年检"
    )
    assert association.status == Association.Status.SUSPENDED
    association_set_status(actor=operator, association=association, status="active", reason="")
    assert association.status == Association.Status.ACTIVE


@pytest.mark.django_db
def test_operator_resends_the_first_admin_invitation(operator: User) -> None:
    association = onboarding_approve(actor=operator, application=apply())
    run_worker()
    before = len(notifications.outbox)
    assert admin_invitations_resend(actor=operator, association=association) == 1
    run_worker()
    assert len(notifications.outbox) == before + 1
    assert "/a/fsjx/invite/" in notifications.outbox[-1].text
