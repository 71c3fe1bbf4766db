"""An onboarding application's registration certificate (社会团体法人登记证书) is a stored file
of the applying association: stored under its namespace while it is not yet active, shown to
platform operators only — on PostgreSQL read in its tenant context, as the application role."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from shanghui.accounts.models import User
from shanghui.associations.models import Association, OnboardingApplication
from shanghui.associations.services import onboarding
from shanghui.associations.services.onboarding import CERTIFICATE_HOLDER, onboarding_apply
from shanghui.associations.tests.test_services import APPLICATION, apply, certificate
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory, make_uscc
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db

CERTIFICATE = b"%PDF-1.4 registration certificate"


def certificate_url(application: OnboardingApplication) -> str:
    return f"/platform/applications/{application.pk}/certificate/"


@pytest.fixture
def operator(db: None) -> User:
    return UserFactory(is_platform_operator=True)


def test_the_certificate_is_a_stored_file_of_the_applying_association() -> None:
    application = apply()
    association = application.association
    assert association.status == Association.Status.APPLYING
    with tenant_context(association):
        stored = StoredFile.objects.get(pk=application.certificate_id)
        assert (stored.association_id, stored.holder, stored.record_id) == (
            association.pk,
            CERTIFICATE_HOLDER,
            str(application.pk),
        )
        assert stored.name == "证书.pdf"
        assert [f.pk for f in file_versions(application, "certificate")] == [stored.pk]


def test_the_operator_is_shown_the_certificate_and_no_one_else(
    operator: User, side_a: Side
) -> None:
    application = apply()
    shown = client_for(operator).get(certificate_url(application))
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == CERTIFICATE  # type: ignore[attr-defined]
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert "%E8%AF%81%E4%B9%A6.pdf" in shown["Content-Disposition"]  # 证书.pdf
    page = client_for(operator).get(f"/platform/applications/{application.pk}/")
    assert certificate_url(application) in page.content.decode()
    # An association's administrator, a member, a stranger: the same 404 as a missing id.
    for user in (side_a.admin, side_a.member_user, UserFactory()):
        assert client_for(user).get(certificate_url(application)).status_code == 404
    anonymous = Client().get(certificate_url(application))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_a_rejected_applicants_new_certificate_is_its_own(operator: User) -> None:
    from shanghui.associations.services.onboarding import onboarding_reject

    first = apply()
    onboarding_reject(actor=operator, application=first, reason="登记证书不清晰")
    again = onboarding_apply(
        actor=None,
        data=replace(APPLICATION, uscc=first.association.uscc),
        certificate=certificate(),
        privacy_notice="1",
    )
    assert again.association_id == first.association_id
    assert again.certificate_id not in (None, first.certificate_id)
    for application in (first, again):
        assert client_for(operator).get(certificate_url(application)).status_code == 200


def test_an_application_stopped_before_its_certificate_was_stored_is_taken_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uscc = make_uscc("51", "440600")

    def broken_store(*args: object, **kwargs: object) -> StoredFile:
        raise OSError("the store is not there")

    with monkeypatch.context() as patched:
        patched.setattr(onboarding, "file_store", broken_store)
        with pytest.raises(OSError, match="not there"):
            apply(uscc=uscc)
    stranded = Association.objects.get(uscc=uscc)
    assert stranded.status == Association.Status.APPLYING
    assert not OnboardingApplication.objects.exists()
    application = apply(uscc=uscc)  # the applicant tries again
    assert application.association_id == stranded.pk and application.certificate_id
    with pytest.raises(ValidationError) as refused:  # now it is under review
        apply(uscc=uscc, slug="fsjx2", name="另一个名字商会")
    assert "uscc" in refused.value.error_dict


def test_as_the_application_role_the_applicant_stores_it_and_the_operator_reads_it(
    operator: User,
) -> None:
    """On PostgreSQL under row-level security: the anonymous applicant's request writes the
    certificate in the new association's tenant context, the operator's reads it there."""
    client = client_for(operator)
    with as_app_role():
        application = apply()
        shown = client.get(certificate_url(application))
        assert shown.status_code == 200
        assert b"".join(shown.streaming_content) == CERTIFICATE  # type: ignore[attr-defined]


def test_an_application_through_the_api_stores_its_certificate(operator: User) -> None:
    answer = Client().post(
        "/api/v1/onboarding/applications",
        {
            "name": APPLICATION.name,
            "slug": APPLICATION.slug,
            "kind": APPLICATION.kind,
            "region_code": APPLICATION.region_code,
            "uscc": make_uscc("51", "440600"),
            "contact_name": APPLICATION.contact_name,
            "contact_phone": APPLICATION.contact_phone,
            "accept_privacy": "true",
            "certificate": certificate(),
        },
    )
    assert answer.status_code == 201, answer.content
    application = OnboardingApplication.objects.get(pk=answer.json()["id"])
    shown = client_for(operator).get(certificate_url(application))
    assert b"".join(shown.streaming_content) == CERTIFICATE  # type: ignore[attr-defined]
