"""Applying to the platform as a service provider (``POST /api/v1/providers/applications``, a
signed-in person, multipart with the licence scan) and the person's own applications."""

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from shanghui.accounts.callers import signed_in_user
from shanghui.core.apikit.schemas import ERRORS
from shanghui.providers.models import Provider
from shanghui.providers.selectors.provider import applications_of_person
from shanghui.providers.services import providers as services

apply_router = Router(tags=["服务商"])


class ProviderSignupIn(Schema):
    name: str
    category: str
    uscc: str
    licence_number: str
    region_code: str
    contact_name: str
    contact_phone: str
    introduction: str = ""
    website: str = ""


class ProviderSignupOut(Schema):
    id: int
    name: str
    slug: str
    category: str
    status: str
    status_label: str
    decision_reason: str

    @staticmethod
    def resolve_status_label(obj: Provider) -> str:
        return str(obj.get_status_display())


@apply_router.post(
    "/applications",
    operation_id="shanghui_providers_api_application_create",
    response={201: ProviderSignupOut, **ERRORS},
)
def provider_application_create(
    request: HttpRequest, payload: Form[ProviderSignupIn], licence: File[UploadedFile]
) -> Status[object]:
    """A signed-in person applies for an organization with its licence scan (PDF, JPG or PNG);
    an operator decides. On approval the applicant administers its back office."""
    provider = services.provider_apply(
        actor=signed_in_user(request),
        data=services.ProviderApplicationInput(**payload.dict()),
        licence=licence,
        licence_name=licence.name or "",
    )
    return Status(201, provider)


@apply_router.get(
    "/applications",
    operation_id="shanghui_providers_api_application_list",
    response={200: list[ProviderSignupOut], **ERRORS},
)
def provider_application_list(request: HttpRequest) -> object:
    """The caller's own applications with their state."""
    return list(applications_of_person(signed_in_user(request)))
