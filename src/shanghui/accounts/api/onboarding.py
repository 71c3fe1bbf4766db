"""Applying to join the platform (入驻): an association's application with its certificate."""

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from shanghui.accounts.services import account as account_services
from shanghui.associations.api.schemas import ApplicationIn, ApplicationOut
from shanghui.associations.services import onboarding as association_onboarding
from shanghui.core.apikit.schemas import ERRORS

onboarding_router = Router(tags=["入驻"])


@onboarding_router.post(
    "/applications",
    operation_id="shanghui_associations_api_application_create",
    auth=None,
    response={201: ApplicationOut, **ERRORS},
)
def application_create(
    request: HttpRequest, payload: Form[ApplicationIn], certificate: File[UploadedFile]
) -> Status[object]:
    """An association applies to join the platform, with a scan of its registration
    certificate (PDF, JPG or PNG)."""
    application = association_onboarding.onboarding_apply(
        actor=None,
        data=association_onboarding.OnboardingInput(**payload.dict()),
        certificate=certificate,
        privacy_notice=account_services.current_privacy_notice().version,
    )
    return Status(201, application)
